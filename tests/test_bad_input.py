"""Bad input gets a clear reply and leaves nothing wrong in the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.base import Inbound, Outbound, Person
from bot.adapters.harness import CHANNEL, Harness
from bot.config import PersonConfig
from bot.workflow import Role
from classifier.taxonomy import type_from_words
from tests.conftest import StoreFactory, harness_with, make_config, rows


async def ticket_count(harness: Harness) -> int:
    async with harness.bot.store.read() as tx:
        return len(await tx.queue(None, 1000))


async def dispositions(harness: Harness) -> list[str]:
    found = await rows(harness.bot.store, "SELECT disposition FROM inbound_messages ORDER BY id")
    return [row[0] for row in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/frobnicate 12", "不认识的命令 /frobnicate"),
        ("/claim@IntakeBot", "用法：/claim 12"),
        ("/status abc", "「abc」不是有效的工单号"),
        ("查询 abc", "「abc」不是有效的工单号"),
        ("/status 4242", "没有找到工单 #4242"),
        ("认领 77", "没有找到工单 #77"),
        ("/note 1", "用法：/note 12"),
        ("/resolve", "用法：/resolve 12"),
        ("/resolve 1", "没有找到工单 #1"),
        ("/assign 1", "用法：/assign 12"),
        ("/retag 1 neighbour", "用法：/retag 12"),
        ("/grant", "用法：/grant"),
        ("/lang fr", "可选语言"),
    ],
)
async def test_bad_commands_get_a_clear_reply_and_store_no_ticket(
    harness: Harness, text: str, expected: str
) -> None:
    user = "admin1" if text.startswith(("/grant", "/retag", "/assign", "/lang")) else "worker1"
    replies = await harness.say(user, text)
    assert len(replies) == 1 and expected in replies[0].text
    assert await ticket_count(harness) == 0
    assert await dispositions(harness) == ["command"]


async def test_bad_arguments_to_staff_commands(harness: Harness) -> None:
    await harness.say("resident1", "院墙被邻居推倒了")
    cases = {
        "/retag 1 aliens urgent": "没有「aliens」这个分类",
        "/retag 1 neighbour soon": "没有「soon」这个分类",
        "/assign 1 nobody": "找不到「nobody」",
        "/assign 1 resident1": "不是网格员",
        "/grant resident1 king": "没有「king」这个身份",
        "/grant resident1 grid_worker NOPE": (
            "「NOPE」不是网格的名称或代码。可选：DZ（东镇）、XC（西村）。"
        ),
    }
    for text, expected in cases.items():
        replies = await harness.say("admin1", text)
        assert expected in replies[0].text, text
    status = (await harness.say("staff1", "/status 1"))[0].text
    assert "待认领" in status and "邻里纠纷" in status
    # The choices are named as the acknowledgement names them, with the codes beside them.
    bad = (await harness.say("staff1", "/retag 1 纠纷 一般"))[0].text  # several types' word
    assert "没有「纠纷」这个分类" in bad
    assert "邻里纠纷（neighbour）、婚姻家庭（marriage_family）、土地/宅基地/山林（" in bad


async def test_retag_takes_the_labels_staff_read(harness: Harness) -> None:
    """改标 with the words of the acknowledgement (宅基地, 较急) as well as the codes."""
    await harness.say("resident1", "院墙被邻居推倒了")
    replies = await harness.say("staff1", "改标 1 宅基地 较急")
    reply, edit = replies
    assert reply.text == "工单 #1 已改为 土地/宅基地/山林｜较急，并记入训练样本。"
    # The acknowledgement the group reads is corrected too.
    assert edit.kind == "edit" and "类型：土地/宅基地/山林｜紧急程度：较急" in edit.text
    await harness.say("staff1", "/retag 1 非报事 咨询")
    assert "非报事消息｜咨询/建议" in (await harness.say("staff1", "/status 1"))[0].text
    # A piece of one label names it ("环境" of 环境污染: the demo's 改标 1 环境 was refused).
    replies = await harness.say("staff1", "改标 1 环境 一般")
    assert replies[0].text == "工单 #1 已改为 环境污染｜一般，并记入训练样本。"


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("环境", "environment"),
        ("拆迁", "land_acquisition_demolition"),
        ("交通", "traffic_accident"),
        ("宅基", "land_homestead"),
        ("纠纷", None),
        ("报事", None),
        ("labour", None),
        ("急", None),
    ],
)
def test_a_piece_of_one_label_names_its_type(word: str, code: str | None) -> None:
    """Only a Chinese piece that one type's labels alone contain; "报事" is not 非报事."""
    assert type_from_words(word) == code


async def test_too_long_report_is_refused_but_kept(harness: Harness) -> None:
    text = "噪" * 10_000
    replies = await harness.say("resident1", text)
    assert len(replies) == 1 and "内容太长（10000 字）" in replies[0].text
    assert await ticket_count(harness) == 0
    assert await dispositions(harness) == ["rejected"]  # the text is still in the store


async def test_empty_and_emoji_only_messages(harness: Harness) -> None:
    # In the group: chatter, no ticket, and the bot does not chatter back.
    assert await harness.say("resident1", "") == []
    assert await harness.say("resident1", "😀😀🎉") == []
    # In a private chat the person is told what to do.
    private = await harness.say("resident1", "🙏", private=True)
    assert "请用文字描述" in private[0].text
    # A report from someone never seen in a group (of a county with several) cannot be
    # placed in an area: they are told how to report privately, or to use the group.
    report = await harness.say("resident9", "我要反映问题", private=True)
    assert report[0].text.startswith("如需私下反映，请先发送「网格」选择您所在的网格")
    # A greeting, the first thing people write to a bot, is told what the desk does.
    for greeting in ("你好", "您好！请问", "在吗？", "Hello"):
        hello = await harness.say("resident1", greeting, private=True)
        assert hello[0].text.startswith("直接在群里描述问题即可登记"), greeting
    assert await ticket_count(harness) == 0


async def test_messages_from_unknown_groups_are_not_even_stored(harness: Harness) -> None:
    assert await harness.say("resident1", "楼上漏水", chat="some-other-group") == []
    assert await harness.say("worker1", "/queue", chat="some-other-group") == []
    assert await dispositions(harness) == []


async def test_redelivered_message_makes_one_ticket(harness: Harness) -> None:
    first = await harness.say("resident1", "工地晚上施工噪音大", message_id="dup")
    again = await harness.say("resident1", "工地晚上施工噪音大", message_id="dup")
    assert any(m.kind == "ack" for m in first) and again == []
    assert await ticket_count(harness) == 1


@pytest.mark.parametrize(
    "text",
    [
        "/stats 9999-12-31",
        "/stats 2026-01-01..9999-12-31",
        "/stats 0001-01-01..2026-01-01",
        "/workload 9999-12-31",
        "/export 9999-12-31",
        "/screening 9999-12-31",
        "统计 9999年12月31日",
    ],
)
async def test_a_date_at_the_end_of_time_is_a_bad_period(harness: Harness, text: str) -> None:
    """Each was an OverflowError out of the turn: no answer."""
    replies = await harness.say("staff1", text, chat="staff")
    assert len(replies) == 1 and "看不懂" in replies[0].text, replies


@pytest.mark.parametrize(
    "text",
    [
        "/note 1 {long}",
        "备注 1 {long}",
        "/resolve 1 {long}",
        "办结 1 {long}",
        "/search {long}",
        "查找 {long}",
        "/dismiss 1 {long}",
        "/reopen 1 {long}",
    ],
)
async def test_words_after_a_command_as_long_as_a_report_are_refused(
    harness: Harness, text: str
) -> None:
    """A 100,000-character outcome went to the reporter's group as 25 messages; a search
    for as many characters ended the turn on SQLite (LIKE pattern too complex)."""
    await harness.say("resident1", "院墙被邻居推倒了")
    replies = await harness.say("staff1", text.format(long="长" * 100_000))
    assert [m.text for m in replies] == [
        "内容太长（100000 字），单条请不超过 4000 字，可以分几条发送。"
    ]
    status = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "待认领" in status and "长长" not in status
    assert (await dispositions(harness))[-2] == "command"  # kept in the log


async def test_a_residents_report_starting_with_a_desk_word_is_filed(harness: Harness) -> None:
    """ "办结3年了房产证还没办下来" (a flat's title deeds, three years after it was handed over)
    starts with the desk's word for resolving and a number: it was read as /resolve with a
    bad ticket number, the resident was told 「3年了房产证还没办下来」不是有效的工单号 about
    a command that is not theirs, and the report was never filed, nor listed by /unfiled.
    From a resident a desk command's word, in words, is a message of theirs whatever follows
    it, as it was with nothing after it; a worker is still told what is wrong."""
    for text in ("办结3年了房产证还没办下来", "退回2000元押金物业一直拖着不给", "立案 3次都没人管"):
        replies = await harness.say("resident1", text)
        assert [m.kind for m in replies] == ["ack", "staff"], (text, replies[0].text)
    assert await ticket_count(harness) == 3
    [bad] = await harness.say("worker1", "办结3年了")
    assert bad.text == "「3年了」不是有效的工单号，工单号是数字，例如 12 或 #12。"
    # Their own commands, and a slash command, are still read as such.
    [own] = await harness.say("resident1", "查询 abc")
    assert own.text == "「abc」不是有效的工单号，工单号是数字，例如 12 或 #12。"
    [own] = await harness.say("resident1", "查询 3栋的事")
    assert own.text == "「3栋的事」不是有效的工单号，工单号是数字，例如 12 或 #12。"
    # ... unless a sentence stands where the number goes: a question of theirs, filed.
    replies = await harness.say("resident1", "查询3号楼停电什么时候恢复")
    assert [m.kind for m in replies] == ["ack", "staff"], replies[0].text
    assert await ticket_count(harness) == 4
    [slash] = await harness.say("resident1", "/resolve abc")
    assert slash.text == "「abc」不是有效的工单号，工单号是数字，例如 12 或 #12。"


# A resident's report that starts with a desk command's word and a number that reads as a
# ticket's, a sentence after it: each was refused as the command (您的身份（居民）不能使用
# /close。) and never filed.
SENTENCES_AFTER_A_DESK_WORD = (
    "结案 2 年了赔偿还没到位",
    "合并 2 3 个村的水渠一直没人修",
    "办结 3 个月了房产证还没下来",
    "退回 2 千块押金物业一直不给",
    "延期 5 天交房开发商也不说理由",
    "转交 2 次了还是没人管",
)


@pytest.mark.parametrize("private", [False, True], ids=["group", "private"])
async def test_a_residents_sentence_after_a_desk_word_and_a_number_is_filed(
    harness: Harness, private: bool
) -> None:
    """From a resident, a desk command's word typed in words with a sentence after its
    number(s) is a message of theirs, read as any other (here, a report); a few words after
    the number, or a slash command, is still the command, refused as before."""
    if private:
        await harness.say("resident1", "收到")  # seen in the DZ group first (chatter)
    for number, text in enumerate(SENTENCES_AFTER_A_DESK_WORD, start=1):
        replies = await harness.say("resident1", text, private=private)
        assert replies[0].text.startswith(f"已受理，工单号 #{number}。"), (text, replies)
    assert await ticket_count(harness) == len(SENTENCES_AFTER_A_DESK_WORD)
    for text, name in (
        ("作废 1", "作废"),
        ("认领 3", "认领"),
        ("结案 2 已调解", "结案"),
        ("/close 2 年了赔偿还没到位", "结案"),
        ("/merge 2 3 个村的水渠一直没人修", "并案"),
    ):
        replies = await harness.say("resident1", text, private=private)
        assert [m.text for m in replies] == [f"您的身份（居民）不能使用「{name}」。"], text
    assert await ticket_count(harness) == len(SENTENCES_AFTER_A_DESK_WORD)


# The same in English, where a desk command's name is read without its slash ("claim 12"):
# each was refused as the command (Your role (resident) cannot use /file.) and never filed.
ENGLISH_SENTENCES_AFTER_A_DESK_WORD = (
    "File 2 complaints about the KTV downstairs, it plays music every night",
    "Claim 5000 yuan deposit the landlord never returned",
    "Close 2 shops on our street sell alcohol to children",
)


@pytest.mark.parametrize("private", [False, True], ids=["group", "private"])
async def test_a_residents_english_sentence_after_a_desk_word_and_a_number_is_filed(
    harness: Harness, private: bool
) -> None:
    """As in Chinese: a desk command's English name typed without its slash, a number and
    a sentence after it, is a resident's message; a few words, or a slash, still the command."""
    if private:
        await harness.say("resident1", "收到")  # seen in the DZ group first (chatter)
    await harness.say("resident1", "/lang en", private=True)
    for number, text in enumerate(ENGLISH_SENTENCES_AFTER_A_DESK_WORD, start=1):
        replies = await harness.say("resident1", text, private=private)
        assert replies[0].text.startswith(f"Received. Ticket #{number}."), (text, replies)
    assert await ticket_count(harness) == len(ENGLISH_SENTENCES_AFTER_A_DESK_WORD)
    for text, name in (
        ("claim 3", "/claim"),
        ("close 2 settled", "/close"),
        ("close #2 the shops on our street", "/close"),
        ("/close 2 shops on our street sell alcohol", "/close"),
    ):
        replies = await harness.say("resident1", text, private=private)
        assert [m.text for m in replies] == [f"Your role (resident) cannot use {name}."], text
    assert await ticket_count(harness) == len(ENGLISH_SENTENCES_AFTER_A_DESK_WORD)
    # The desk's own people: the command, with its words.
    await harness.say("worker1", "claim 1")
    resolved = await harness.say("worker1", "resolve 1 talked to the owner and he agreed")
    assert any("talked to the owner and he agreed" in m.text for m in resolved), resolved


async def test_the_desks_sentence_after_its_command_word_still_runs_it(harness: Harness) -> None:
    """The same words from the desk's own people are the command they always were."""
    await harness.say("resident1", "院墙被邻居推倒了")
    await harness.say("resident2", "楼道里堆满了杂物")
    await harness.say("worker1", "认领 1")
    merged = await harness.say("staff1", "合并 2 1 是同一个院子里的事情", chat="staff")
    assert any(m.text.startswith("工单 #2 已并入工单 #1") for m in merged), merged
    resolved = await harness.say("worker1", "办结 1 已调解好了双方签字")
    assert any("（工单 #1）已办结：已调解好了双方签字" in m.text for m in resolved), resolved
    closed = await harness.say("staff1", "结案 1 双方签字确认无异议了", chat="staff")
    assert closed[-1].text == "工单 #1 已结案。", closed
    assert await ticket_count(harness) == 0  # nothing filed from the desk's words


async def named(harness: Harness, user: str, name: str, text: str) -> list[Outbound]:
    """`text` from `user` in the group, with the platform's display name `name`."""
    inbound = Inbound(Person(CHANNEL, user, name), harness.room("group"), f"{user}-1", text)
    return await harness.deliver(inbound)


async def test_a_name_cannot_pass_for_the_desks_own_words(harness: Harness) -> None:
    """A display name is one line of visible text in the desk's notices: its line breaks,
    direction overrides, control and invisible characters go, the desk's tag brackets 【】
    become [], and a name past 64 characters is cut; one with nothing visible left is
    shown as the account id.  The name is still found as people type it."""
    forged = "张三\n【督办】工单 #9 已超时\u202e请立即\x1b处理\n"
    *_, staff = await named(harness, "resident1", forged, "院墙被邻居推倒了")
    assert staff.chat_id == "staff"
    assert staff.text.splitlines() == [
        "新工单 #1｜东镇｜邻里纠纷｜一般",
        "张三 [督办]工单 #9 已超时请立即 处理：院墙被邻居推倒了",
    ]
    *_, staff = await named(harness, "resident2", "\u200b\u2066\u200b", "楼道漏水")
    assert staff.text.splitlines()[1] == "resident2：楼道漏水"
    *_, staff = await named(harness, "resident3", "名" * 5000, "噪音扰民")
    assert staff.text.splitlines()[1] == "名" * 63 + "…：噪音扰民"
    # The desk types the name as the person wrote it, and finds them.
    await named(harness, "resident4", "【物业】王经理", "电梯坏了")
    granted = await harness.say("admin1", "/grant 【物业】王经理 grid_worker DZ")
    assert granted[0].text.startswith("[物业]王经理（账号 resident4）的身份已设为「网格员」")


async def test_a_report_cannot_turn_the_desks_lines_around(harness: Harness) -> None:
    """Direction overrides and isolates and control characters (other than tab and line
    breaks) are dropped from a message's words where it enters: quoted in the staff room's
    notice, an override showed "理处即立请" as "请立即处理" and turned the rest of the line
    around.  Every visible character, and the lines the resident wrote, are kept."""
    text = "\u202e理处即立请\u2067 邻居占道\x1b[31m\x07\n第二行\t完"
    *_, staff = await harness.say("resident1", text)
    assert staff.text.splitlines()[1:] == ["resident1：理处即立请 邻居占道[31m", "第二行\t完"]
    history = (await harness.say("staff1", "详情 1", private=True))[0].text
    assert "登记 理处即立请 邻居占道[31m\n第二行\t完" in history
    stored = await rows(harness.bot.store, "SELECT text FROM inbound_messages")
    assert stored == [("理处即立请 邻居占道[31m\n第二行\t完",), ("详情 1",)]


async def test_a_press_is_the_command_its_button_carries_never_a_report(
    harness: Harness,
) -> None:
    """A client may send any callback_data under the bot's message; the press is read as the
    command it names, with the presser's rights, and never as their words: a made-up press of
    "楼上打人了" filed an urgent ticket nobody had written in the chat, and a resident's press of
    "认领 99999999999999999999" was filed as a report of theirs."""
    ack, _ = await harness.say("resident1", "院墙被邻居推倒了")
    pressed = {
        "楼上打人了": [],
        "/report 楼上打人了": [],
        "认领 99999999999999999999": [
            "「99999999999999999999」不是有效的工单号，工单号是数字，例如 12 或 #12。"
        ],
        "结案 1 年了赔偿还没到位": ["您的身份（居民）不能使用「结案」。"],
        "/resolve 1 已办结": ["您的身份（居民）不能使用「办结」。"],
    }
    for data, expected in pressed.items():
        replies = await harness.say("resident1", data, is_button=True, message_id=f"cb-{data}")
        assert [m.text for m in replies] == expected, data
    assert await harness.say("worker1", "/report 楼上打人了", is_button=True) == []
    assert await ticket_count(harness) == 1


async def test_a_configured_name_is_read_as_a_platforms_is(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A `[[people]]` name is a name entering too: "【物业】王经理" in the config was stored as
    written, so 指派 and 授权, which read the typed name as `plain_name` does, found nobody
    by it (typed with 【】 or with []) until they wrote to the bot, and the desk's notices
    showed the tag brackets it keeps for its own."""
    config = make_config(db_path)
    config.people[1] = PersonConfig(
        channel=CHANNEL, user_id="worker2", name="【物业】王经理\n", role=Role.GRID_WORKER,
        area="DZ",
    )
    async with harness_with(config, new_store()) as harness:
        await harness.say("resident1", "楼道灯坏了一个月")
        sent = await harness.say("staff1", "指派 1 【物业】王经理", chat="staff")
        [assigned] = [m for m in sent if m.chat_id == "staff"]
        assert assigned.text == "工单 #1 已指派给 [物业]王经理。", assigned.text
        [granted] = await harness.say("admin1", "授权 [物业]王经理 网格员 东镇", private=True)
        assert granted.text.startswith("[物业]王经理（账号 worker2）"), granted.text
        assert await rows(
            harness.bot.store, "SELECT display_name FROM people WHERE user_id = 'worker2'"
        ) == [("[物业]王经理",)]
