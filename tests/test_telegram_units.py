"""The Telegram adapter's pure parts: group pacing, digests, keyboards, masking, parsing."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.base import Button, Outbound
from bot.adapters.telegram import (
    TelegramAdapter,
    TolerantBot,
    _chunks,
    _markup,
    _render_digest,
)
from bot.adapters.telegram_pacing import MAX_OVERTAKEN, GroupPacer, Send, SendDigest, Wait
from bot.config import Area, Config, IntakeGroup, TelegramConfig
from bot.privacy import mask_pii


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def ack(outbox_id: int, chat: str = "-1") -> Outbound:
    return Outbound(
        "telegram",
        chat,
        f"已受理，工单号 #{outbox_id}。",
        id=outbox_id,
        buttons=[Button("认领", f"/claim {outbox_id}")],
        reply_to_message_id=str(100 + outbox_id),
        kind="ack",
    )


def test_pacer_lets_a_small_burst_through_then_spaces_sends() -> None:
    clock = Clock()
    pacer = GroupPacer(20, 60.0, clock=clock)
    plans = []
    for n in range(1, 7):
        plan = pacer.plan(Outbound("telegram", "-1", "x", id=n))
        if isinstance(plan, Send):
            pacer.record("-1")
        plans.append(plan)
    assert [type(p) for p in plans[:4]] == [Send] * 4  # burst = 20 // 5
    waits = [p.seconds for p in plans[4:] if isinstance(p, Wait)]
    assert waits == pytest.approx([4.0, 8.0])  # 60 s / (20 - 4 - 1) apart
    # A deferred row keeps its slot: it is sent when it comes back on time.
    clock.now += 4.0
    assert isinstance(pacer.plan(Outbound("telegram", "-1", "x", id=5)), Send)


def test_pacer_never_allows_more_than_the_limit_in_any_window() -> None:
    clock = Clock()
    pacer = GroupPacer(5, 10.0, clock=clock)
    sent: list[float] = []
    pending = list(range(1, 41))
    while pending:
        key = pending.pop(0)
        plan = pacer.plan(Outbound("telegram", "-1", "x", id=key))
        if isinstance(plan, Send):
            pacer.record("-1")
            sent.append(clock.now)
        else:
            assert isinstance(plan, Wait)
            pending.append(key)
            clock.now += 0.25
    assert len(sent) == 40
    assert all(sum(1 for t in sent if start <= t < start + 10.0) <= 5 for start in sent)


def test_waiting_acknowledgements_share_one_digest() -> None:
    clock = Clock()
    pacer = GroupPacer(20, 60.0, digest_max=3, clock=clock)
    for n in range(1, 5):
        assert isinstance(pacer.plan(ack(n)), Send)
        pacer.record("-1")
    first = [pacer.plan(ack(n)) for n in range(5, 8)]  # three join one digest
    assert all(isinstance(p, Wait) and p.seconds == pytest.approx(4.0) for p in first)
    overflow = pacer.plan(ack(8))  # the digest is full: the next one waits longer
    assert isinstance(overflow, Wait) and overflow.seconds == pytest.approx(8.0)
    # Private-chat style rows (other chats) are not held up by the group's digest.
    assert isinstance(pacer.plan(Outbound("telegram", "-2", "x", id=99)), Send)

    clock.now += 4.0
    plan = pacer.plan(ack(5))
    assert isinstance(plan, SendDigest)
    assert list(plan.digest.items) == [5, 6, 7]
    pacer.record("-1")
    pacer.digest_sent(plan.digest, {k: f"55:{k}" for k in plan.digest.items})
    assert pacer.delivered(6) == "55:6"
    assert pacer.delivered(6) is None  # handed out once


def test_a_failed_digest_waits_and_keeps_collecting() -> None:
    clock = Clock()
    pacer = GroupPacer(10, 10.0, clock=clock)
    for n in range(1, 3):
        assert isinstance(pacer.plan(ack(n)), Send)
        pacer.record("-1")
    assert isinstance(pacer.plan(ack(3)), Wait)
    clock.now += 5
    plan = pacer.plan(ack(3))
    assert isinstance(plan, SendDigest)
    pacer.digest_failed(plan.digest, 2.0)
    late = pacer.plan(ack(4))  # joins the same digest
    assert isinstance(late, Wait) and late.seconds == pytest.approx(2.0)
    clock.now += 2
    again = pacer.plan(ack(3))
    assert isinstance(again, SendDigest) and list(again.digest.items) == [3, 4]


def test_digest_rendering_numbers_each_button_row() -> None:
    text, rows = _render_digest(
        {
            5: ("已受理，工单号 #5。", [Button("认领", "/claim 5")], "↩ 张大妈：楼上漏水"),
            6: ("已受理，工单号 #6。", [Button("认领", "/claim DZ-6")], ""),
        }
    )
    assert text == "↩ 张大妈：楼上漏水\n已受理，工单号 #5。\n\n已受理，工单号 #6。"
    assert [[(b.label, b.command) for b in row] for row in rows] == [
        [("认领 #5", "/claim 5"), ("认领 #DZ-6", "/claim DZ-6")]
    ]
    _, rows = _render_digest({n: ("x", [Button("认领", f"/claim {n}")], "") for n in range(10)})
    assert [len(row) for row in rows] == [4, 4, 2]
    # A label that names its ticket already is left as it is.
    _, rows = _render_digest({7: ("疑似同一事件", [Button("并案 2→1", "/merge 2 1")], "")})
    assert [(b.label, b.command) for b in rows[0]] == [("并案 2→1", "/merge 2 1")]


def test_any_buttons_become_callback_buttons_within_64_bytes() -> None:
    markup = _markup([Button("★★★★★", "/rate 12 5"), Button("长", "/note 1 " + "字" * 30)])
    assert markup is not None
    keys = [k for row in markup.inline_keyboard for k in row]
    assert [(k.text, k.callback_data) for k in keys] == [("★★★★★", "/rate 12 5")]
    assert _markup([]) is None


def test_long_texts_are_split_at_lines() -> None:
    text = "\n".join(f"第{i}行" + "字" * 50 for i in range(200))
    chunks = _chunks(text)
    assert len(chunks) > 1 and all(len(c) <= 4096 for c in chunks)
    assert "\n".join(chunks) == text
    assert _chunks("") == ["…"]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话13812345678", "电话138****5678"),
        ("+86 138-1234-5678 找我", "+86 138****5678 找我"),
        ("身份证110101199003071234", "身份证1101**********1234"),
        ("11010119900307123X", "1101**********123X"),
        ("座机010-12345678", "座机010-****5678"),
        ("0755 1234567", "0755 ***4567"),
        ("工单 #12，2024年3月5日", "工单 #12，2024年3月5日"),
        ("订单号 202401011234567", "订单号 202401011234567"),
        # Numbers as residents type them.
        ("电话１３８１２３４５６７８", "电话138****5678"),
        ("手机：138，1234，5678", "手机：138****5678"),
        ("138.1234.5678 或 1381-2345-678", "138****5678 或 138****5678"),
        ("138—1234—5678", "138****5678"),
        ("（0452）1234567", "（0452）***4567"),
        ("电话：87654321，座机 8765-4321", "电话：****4321，座机 ****4321"),
        ("身份证 110101 19900307 123X", "身份证 1101**********123X"),
        ("银行卡 6222 0212 3456 7890 123", "银行卡 6222***********0123"),
        ("转到6222021234567890123", "转到6222021234567890123"),  # no card named, not Luhn
        ("卡号6222021234567890123", "卡号6222***********0123"),
        ("加我微信zhang_san88", "加我微信zh****"),
        ("vx: wxid_abc123，V信Li1990x", "vx: wx****，V信Li****"),
        # Not personal: rooms, amounts, dates, times, tickets, words after 微信.
        ("3栋502，5万元，2026.11.30 13:30", "3栋502，5万元，2026.11.30 13:30"),
        ("工单 #1381，共138户，1234元", "工单 #1381，共138户，1234元"),
        ("在微信群里说了，加微信ok吗", "在微信群里说了，加微信ok吗"),
        # A mobile number spelled out digit by digit, in numerals or in words (the radio's
        # 幺 for 1 and 洞 for 0 too), as it was written.
        ("电话 1 3 8 1 2 3 4 5 6 7 8", "电话 138****5678"),
        ("1-3-8-1-2-3-4-5-6-7-8，+86 1 3 9 1 2 3 4 5 6 7 8", "138****5678，+86 139****5678"),
        ("手机一三八一二三四五六七八", "手机一三八****五六七八"),
        ("打幺三八幺二三四五六七洞找我", "打幺三八****五六七洞找我"),
        ("电话：一三九 零一二三 四五六〇", "电话：一三九****四五六〇"),
        # First-generation ID cards (15 digits: area, YYMMDD, sequence); QQ numbers named.
        ("身份证110101900307123", "身份证1101********123"),
        ("老身份证 110101 900307 123", "老身份证 1101********123"),
        ("加我QQ 12345678", "加我QQ 12****"),
        ("q号：987654321，QQ号码是10001", "q号：98****，QQ号码是10****"),
        ("扣扣 2468013579，企鹅号：55555", "扣扣 24****，企鹅号：55****"),
        # E-mail addresses: a QQ mailbox is its QQ number, a 163 one often a mobile.
        ("发到12345678@qq.com就行", "发到12****@qq.com就行"),
        (
            "邮箱 13812345678@163.com，zhang.san@example.gov.cn",
            "邮箱 13****@163.com，zh****@example.gov.cn",
        ),
    ],
)
def test_mask_pii(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "欠薪3万5千，拖了两年，共计35000元",
        "2024年3月5日下午3点15分，13:30再来，2024-03-05",
        "3栋2单元501，1号楼1单元1101室，13栋1502",
        "工单 #123，#1381，已有12人反映，来了一百三十八人",
        "欠款三万五千元，二〇二四年三月五日，一五一十地说了",
        "第1、3、5、7、9组，1 2 3 4 5 6 7 8 9 10 11",
        "快递单号 123456789012345，订单 202403051234567",  # 15 digits, no birth date
        "在QQ群123456789里说过，QQ上聊了 3 次，扣了20000元",
        "@张三 你看下，@所有人 明天停水，3@5折",  # an @ that is no address
    ],
)
def test_ordinary_report_text_is_not_masked(text: str) -> None:
    assert mask_pii(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # ID cards digit by digit, in other groups, in words (幺 and 洞 too), X last or not.
        ("身份证 1 1 0 1 0 1 1 9 9 0 0 3 0 7 1 2 3 4", "身份证 1101**********1234"),
        ("1-1-0-1-0-1-1-9-9-0-0-3-0-7-1-2-3-X 是我的", "1101**********123X 是我的"),
        ("身份证号1101 0119 9003 0712 34", "身份证号1101**********1234"),
        ("身份证一一〇一〇一一九九〇〇三〇七一二三X", "身份证一一〇一**********一二三X"),
        ("幺幺洞幺洞幺 幺九九洞洞三洞七 幺二三四", "幺幺洞幺**********幺二三四"),
        ("老身份证 1 1 0 1 0 1 9 0 0 3 0 7 1 2 3", "老身份证 1101********123"),
        ("一一〇一〇一九〇〇三〇七一二三", "一一〇一********一二三"),
        # Landlines: digit by digit, in their own groups, with brackets, in words.
        ("座机 0 5 7 1 - 8 8 8 8 1 2 3 4", "座机 0571****1234"),
        ("打 010 - 1234 - 5678 找我", "打 010****5678 找我"),
        ("( 0 1 0 ) 1 2 3 4 5 6 7 8", "010****5678"),
        ("0571-8888 1234，(010)12345678", "0571-****1234，(010)****5678"),
        ("座机零五七一八八八八一二三四", "座机零五七一****一二三四"),
        ("（零幺洞）八八八八 幺二三四", "零幺洞****幺二三四"),
        ("洞四五二 七六五四三二一", "洞四五二***四三二一"),
        # A local number, when a word before says it is a phone's.
        ("电话：8 7 6 5 4 3 2 1", "电话：****4321"),
        ("座机八七六五四三二一", "座机****四三二一"),
        ("固话是 8-7-6-5-4-3-2", "固话是 ***5432"),
        # Several, listed.
        (
            "座机 0 5 7 1 8 8 8 8 1 2 3 4，0 5 7 1 8 8 8 8 5 6 7 8",
            "座机 0571****1234，0571****5678",
        ),
        ("电话 八七六五四三二一、八七六五四三二二", "电话 ****四三二一、****四三二二"),
    ],
)
def test_id_cards_and_landlines_spelled_out_are_masked(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        # Digits with marks between that are no such number: dates, times, amounts, counts,
        # rooms, tickets, lists, decimals.
        "2 0 2 4 0 3 0 5，2024 - 03 - 05，2024.03.05 13:30，二〇二四年三月五日",
        "电话 2024-03-05 打过，电话打了 3 4 次，座机 2 0 2 4 年装的",
        "3号楼2单元501，3000元，3 000 元，工单 #12 #13，1 2 3 4 5 6 7 8 9 10 11",
        "第1、2、3、4、5、6、7、8条，1 2 3 4 5 6 7 8 号都停水",
        "一二三四五六七八九十号楼都停水，三千一二三四五六七八",
        "单价 0.5 2.5 3.5 4.5 5.5 6.5 元，0.1 2 3 4 5 6 7 8",
        "零零星星，七七八八，三三两两来了一二十个人",
        "零一二三四五六七八九，〇五七一八八八",  # no area code 01x; too short
        "快递单号 1234 5678 9012 345，订单 2024 1305 1234 5678 90",  # no birth date there
        "楼号 110 101 199 013 071 234",  # 18 digits, but month 13
    ],
)
def test_spelled_digits_that_are_no_id_card_or_landline_are_left(text: str) -> None:
    assert mask_pii(text) == text


@pytest.mark.parametrize(
    "text",
    [
        # Order, parcel, invoice, contract and transfer numbers typed in groups: a group that
        # goes on after the "local number", or comes before the "area code", joined by the
        # same separator, makes a longer number, whose middle is not a landline's.
        "订单号 0571 8888 1234 5678",
        "快递单号 0731-2345-6789-0012，发票号码 0441 0012 3456 7890",
        "合同编号 0755-2345-6789-01，订单 0571-88881234-5678",
        "转账流水号 0210 1234 5678 9012 3456",
        "订单 2024 0312 3456 7890",
        "订单号码 8888 1234 5678",  # 号码 names a phone, but the digits go on
        # Digits glued to letters: a courier's number.
        "顺丰 SF0731234567890，圆通 YT07312345678，07312345678YT",
    ],
)
def test_grouped_order_numbers_are_no_landline(text: str) -> None:
    assert mask_pii(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("0571-88881234", "0571-****1234"),
        ("（010）6512 3456，010 6512 3456", "（010）****3456，010 ****3456"),
        ("0755-2345 6789 找我", "0755-****6789 找我"),
        # Digits after or before in another way, or a masked number beside, join nothing.
        ("座机 0571-88881234 13812345678", "座机 0571-****1234 138****5678"),
        ("13812345678 010 6512 3456", "138****5678 010 ****3456"),
        ("0571-88881234 2024年3月5日打过", "0571-****1234 2024年3月5日打过"),
        ("电话：8765-4321 3号楼", "电话：****4321 3号楼"),
        # A floor, a unit, an hour after a space: an address or a time, no order number's
        # group (those run three digits and more).
        ("打0571 88881234 3楼东户找我", "打0571 ****1234 3楼东户找我"),
        ("座机 0571 8888 1234 3号楼", "座机 0571 ****1234 3号楼"),
        ("0571 88881234 2单元", "0571 ****1234 2单元"),
        ("电话 8888 1234 12点以后打", "电话 ****1234 12点以后打"),
        ("010 6512 3456 12点", "010 ****3456 12点"),
        # Letters glued before it that say it is a phone's.
        ("Tel0571-88881234", "Tel0571-****1234"),
    ],
)
def test_landlines_beside_other_numbers_are_still_masked(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


def test_public_numbers_are_not_masked_but_a_personal_one_around_them_is() -> None:
    public = ("0371-12345678", "110101")
    assert mask_pii("热线 0371-12345678，我 13812345678", public) == (
        "热线 0371-12345678，我 138****5678"
    )
    # The public number inside an ID-card number does not shield the ID card.
    assert mask_pii("身份证110101199003071234", public) == "身份证1101**********1234"


def config(**telegram: Any) -> Config:
    return Config(
        areas=[Area(code="DZ", name="东镇")],
        intake_groups=[IntakeGroup(channel="telegram", chat_id="-1", area="DZ")],
        telegram=TelegramConfig(token="1:x", **telegram),
    )


def test_webhook_mode_requires_a_secret() -> None:
    with pytest.raises(ValueError, match="webhook_secret"):
        TelegramAdapter(config(mode="webhook", webhook_url="https://example.org/tg"))
    adapter = TelegramAdapter(
        config(mode="webhook", webhook_url="https://example.org/tg/hook", webhook_secret="s")
    )
    assert [r.path for r in adapter.routes()] == ["/tg/hook"]
    assert TelegramAdapter(config()).routes() == []  # polling needs no HTTP server


async def test_a_malformed_update_in_a_batch_is_replaced_not_fatal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bot = TolerantBot(token="1:x")
    batch: list[Any] = [
        {"update_id": 1, "message": "broken"},
        {"update_id": 2},
        "garbage",
        {
            "update_id": 3,
            "message": {"message_id": 1, "date": 0, "chat": {"id": -1, "type": "group"}},
        },
    ]

    async def fake_post(self: Any, endpoint: str, data: Any = None, *a: Any, **k: Any) -> Any:
        return batch

    monkeypatch.setattr("telegram.ext.ExtBot._post", fake_post)
    result = await bot._post("getUpdates", {})
    assert result == [{"update_id": 1}, {"update_id": 2}, batch[3]]


def test_commands_for_other_bots_are_not_ours() -> None:
    adapter = TelegramAdapter(config(bot_username="IntakeBot"))
    assert adapter._addressed_elsewhere("/help@OtherBot")
    assert not adapter._addressed_elsewhere("/help@intakebot")
    assert not adapter._addressed_elsewhere("/claim 12")
    assert not adapter._addressed_elsewhere("楼上漏水")
    # As a Chinese input method types it (the core reads ＠ and ／ as @ and /), and behind an
    # invisible character copied with it: still the other bot's, never run here.
    assert adapter._addressed_elsewhere("/claim＠OtherBot 12")
    assert adapter._addressed_elsewhere("\u200b／ｃｌａｉｍ＠OtherBot 12")
    assert not adapter._addressed_elsewhere("/claim＠IntakeBot 12")


def simulate_burst(
    reports: int, over: float, max_rate: int = 20, period: float = 60.0, digest_max: int = 20
) -> tuple[dict[int, float], list[float], int]:
    """Drive the pacer the way the outbox does (retry each row when told), on a fake clock.

    Returns when each report was acknowledged, when each message went out, and how many
    messages that took.
    """
    clock = Clock()
    start = clock.now
    pacer = GroupPacer(max_rate, period, digest_max=digest_max, clock=clock)
    queue: list[tuple[float, int]] = [(start + i * over / reports, i + 1) for i in range(reports)]
    acked: dict[int, float] = {}
    sends: list[float] = []
    while queue:
        queue.sort()
        at, key = queue.pop(0)
        clock.now = max(clock.now, at)
        if pacer.delivered(key) is not None:
            continue
        plan = pacer.plan(ack(key))
        if isinstance(plan, Wait):
            queue.append((clock.now + plan.seconds, key))
            continue
        pacer.record("-1")
        sends.append(clock.now)
        if isinstance(plan, SendDigest):
            pacer.digest_sent(plan.digest, {k: f"m:{k}" for k in plan.digest.items})
            pacer.delivered(key)
            acked.update({k: clock.now for k in plan.digest.items})
        else:
            acked[key] = clock.now
    arrivals = {i + 1: start + i * over / reports for i in range(reports)}
    delays = {k: acked[k] - arrivals[k] for k in acked}
    return delays, sends, len(sends)


def test_200_reports_in_a_minute_at_telegrams_real_limits() -> None:
    """Production numbers (20 messages/min per group, digests of up to 20): every one of
    200 reports arriving within a minute is acknowledged, within seconds, and no 60 s
    window carries more than 20 messages."""
    delays, sends, messages = simulate_burst(200, over=60.0)
    assert len(delays) == 200
    assert max(delays.values()) <= 10.0, max(delays.values())
    assert messages <= 20
    assert all(sum(1 for t in sends if s <= t < s + 60.0) <= 20 for s in sends)
    # All 200 at once (a forwarded list, a script): still everyone, in the first minute.
    delays, sends, messages = simulate_burst(200, over=0.5)
    assert len(delays) == 200 and max(delays.values()) <= 60.0
    assert all(sum(1 for t in sends if s <= t < s + 60.0) <= 20 for s in sends)


def test_a_burst_of_escalation_notices_is_folded_too() -> None:
    """The first sweep after an outage may escalate many tickets at once."""
    clock = Clock()
    pacer = GroupPacer(20, 60.0, digest_max=3, clock=clock)
    notices = [
        Outbound("telegram", "-1", f"【一级督办】工单 #{n}", id=n, kind="escalation")
        for n in range(1, 9)
    ]
    for notice in notices[:4]:
        assert isinstance(pacer.plan(notice), Send)
        pacer.record("-1")
    assert all(isinstance(pacer.plan(n), Wait) for n in notices[4:7])
    clock.now += 4.0
    plan = pacer.plan(notices[4])
    assert isinstance(plan, SendDigest) and list(plan.digest.items) == [5, 6, 7]


def note(outbox_id: int, kind: str = "reply", urgent: bool = False) -> Outbound:
    """A group message of `kind`; an acknowledgement carries its 认领 button."""
    if kind == "ack":
        return Outbound(
            "telegram", "-1", f"已受理，工单号 #{outbox_id}。", id=outbox_id, kind="ack",
            buttons=[Button("认领", f"/claim {outbox_id}")], urgent=urgent,
        )
    return Outbound("telegram", "-1", f"第{outbox_id}条", id=outbox_id, kind=kind, urgent=urgent)


def simulate(
    arrivals: list[tuple[float, Outbound]], max_rate: int = 20, period: float = 60.0
) -> tuple[dict[int, float], list[float], list[tuple[int, ...]]]:
    """Drive the pacer as the outbox does, on a fake clock: each row when it falls due,
    urgent rows first among those due at once (`due_outbox`).  Returns each row's wait
    (arrival to send), when each message went, and the rows of each message."""
    clock = Clock()
    start = clock.now
    pacer = GroupPacer(max_rate, period, digest_max=20, clock=clock)
    queue = [(start + at, not m.urgent, m.id, m) for at, m in arrivals]
    went: dict[int, float] = {}
    sends: list[float] = []
    messages: list[tuple[int, ...]] = []
    while queue:
        queue.sort(key=lambda q: q[:3])
        at, normal, key, message = queue.pop(0)
        clock.now = max(clock.now, at)
        if pacer.delivered(key) is not None:
            continue
        plan = pacer.plan(message)
        if isinstance(plan, Wait):
            queue.append((clock.now + plan.seconds, normal, key, message))
            continue
        pacer.record("-1")
        sends.append(clock.now)
        rows = tuple(plan.digest.items) if isinstance(plan, SendDigest) else (key,)
        if isinstance(plan, SendDigest):
            pacer.digest_sent(plan.digest, {k: f"m:{k}" for k in rows})
            pacer.delivered(key)
        messages.append(rows)
        went.update(dict.fromkeys(rows, clock.now))
    arrived = {m.id: start + at for at, m in arrivals}
    return {k: went[k] - arrived[k] for k in went}, sends, messages


def within(sends: list[float], limit: int = 20, period: float = 60.0) -> bool:
    return all(sum(1 for t in sends if s <= t < s + period) <= limit for s in sends)


def test_an_urgent_message_takes_the_next_slot_not_the_backlogs() -> None:
    """A disaster night at Telegram's real limits: 200 acknowledgements queued at once and
    30 replies behind them, then an urgent report's acknowledgement (【紧急】… 110 / 120 /
    119) and a reply about it.  They waited 39 s and 163 s behind the backlog; now each
    takes the next slot the backlog held (it moves one slot later).  Everything still goes,
    within the limit, the others in their order."""
    backlog = [(n * 0.0025, note(n + 1, "ack")) for n in range(200)]
    replies = [(0.5 + n * 0.01, note(500 + n)) for n in range(30)]
    urgent = [(1.0, note(1000, "ack", urgent=True)), (1.0, note(1001, urgent=True))]
    waits, sends, messages = simulate(backlog + replies + urgent)
    assert len(waits) == 232 and within(sends)
    assert waits[1000] <= 4.0 and waits[1001] <= 8.0, (waits[1000], waits[1001])
    # Alone, as a reply to its report: not folded into the backlog's digests.
    assert (1000,) in messages
    # The others go in their order among themselves, a slot or two later than they did.
    normal = [rows for rows in messages if not {1000, 1001} & set(rows)]
    order = [k for rows in normal for k in rows if k < 500] + [
        k for rows in normal for k in rows if 500 <= k < 1000
    ]
    assert order == sorted(order)
    assert max(w for k, w in waits.items() if k < 1000) <= 170.0  # was 159


def test_urgent_acknowledgements_that_wait_share_a_digest_of_their_own() -> None:
    """Many urgent reports at once (a fire in a block of flats): those that must wait fold
    into one digest of urgent acknowledgements only, at the next slot."""
    backlog = [(n * 0.0025, note(n + 1, "ack")) for n in range(100)]
    fire = [(1.0 + n * 0.01, note(1000 + n, "ack", urgent=True)) for n in range(6)]
    waits, sends, messages = simulate(backlog + fire)
    assert within(sends) and len(waits) == 106
    [together] = [rows for rows in messages if 1000 in rows]
    assert set(together) == {1000 + n for n in range(6)}  # urgent only, all in one
    assert max(waits[k] for k in together) <= 4.0


def test_a_stream_of_urgent_messages_does_not_starve_the_others() -> None:
    """Urgent replies faster than the group's rate, for ten minutes: the normal ones still
    go, each having given way to at most `MAX_OVERTAKEN` urgent ones."""
    normal = [(n * 0.01, note(n + 1)) for n in range(10)]
    flood = [(1.0 + n * 2.0, note(1000 + n, urgent=True)) for n in range(300)]
    waits, sends, _ = simulate(normal + flood)
    assert len(waits) == 310 and within(sends)
    alone, _, _ = simulate(normal)
    interval = 60.0 / (20 - 4 - 1)  # the pacer's slot spacing at 20 a minute
    for key in range(1, 11):
        assert waits[key] <= alone[key] + MAX_OVERTAKEN * interval + 0.1, key
