"""A county on WeChat, as its people live it: a resident on the Official Account, a grid
worker and the centre's staff on the WeCom app, end to end.

Everything goes through the real adapters: encrypted, signed callbacks posted over HTTP
to the bot's callback server, passive replies decrypted, and what the bot sends on its own
taken by the fake WeChat API of `tests.fake_wechat` (which refuses a text over WeChat's
2048 bytes, as WeChat does).  The bot runs on a clock the test sets, so the follow-up
visit (回访) and escalation (督办) come when they would; WeChat's own timestamps stay real.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Config, Department, PersonConfig
from bot.workflow import Role
from classifier import Classification
from tests.conftest import T0, Clock
from tests.test_wechat import (
    OA_RESIDENT,
    OA_STAFF,
    RESIDENT,
    STAFF_USER,
    WORKER,
    FakeClassifier,
    World,
    running_world,
)


class UrgentFights(FakeClassifier):
    """The test classifier, which calls a fight urgent (the model alone: no safety rule)."""

    def classify(self, text: str) -> Classification:
        if "打架" in text:
            return Classification("neighbour", 0.9, "urgent", 0.9)
        return super().classify(text)


@pytest.fixture
async def county(tmp_path: Path) -> AsyncIterator[tuple[World, Clock]]:
    clock = Clock(T0, T0)  # 09:00 on a Monday in Shanghai
    async with running_world(tmp_path, clock=clock) as world:
        yield world, clock


def to(world: World, user: str) -> list[str]:
    """What the bot sent `user` through the API (app or customer-service messages)."""
    paths = ("message/send", "message/custom/send")
    return [c.content for c in world.fake.calls if c.path in paths and c.to == user]


async def settled(world: World) -> None:
    """Everything the bot queued so far has been delivered (or refused)."""
    await world.bot.dispatcher.flush()


async def test_a_resident_on_the_official_account(county: tuple[World, Clock]) -> None:
    """Follows the account and is told how to report; reports, asks after it in the ways
    people ask, adds a photo and a voice message, hears the outcome, and answers the
    follow-up visit by typing: WeChat has no buttons."""
    world, clock = county
    follow = world.oa_callback(OA_RESIDENT, "event", Event="subscribe", EventKey="", MsgId=0)
    welcome = world.reply_text(await world.post(follow), world.oa_crypto)
    assert welcome is not None and welcome.startswith("直接在这里描述问题即可登记")
    ack = await world.oa_says(OA_RESIDENT, "楼上邻居每天半夜装修，噪音很大，沟通无果")
    assert ack == (
        "已受理，工单号 #1。\n类型：邻里纠纷｜紧急程度：一般\n"
        "网格员将尽快处理，发送「查询 1」可了解进度。"
    )
    status = await world.oa_says(OA_RESIDENT, "查询 1")
    assert status is not None and status.startswith("工单 #1｜待认领｜邻里纠纷｜一般\n")
    mine = "您反映的问题：\n#1｜待认领｜一般｜楼上邻居每天半夜装修，噪音很大，沟通无果"
    assert await world.oa_says(OA_RESIDENT, "我的") == mine
    assert await world.oa_says(OA_RESIDENT, "我反映的事怎么样了") == mine

    # A photo and a voice message: the report's evidence (a burst is acknowledged once);
    # then one the account's speech recognition (语音识别) wrote out, kept as it was heard.
    photo = world.oa_callback(OA_RESIDENT, "image", PicUrl="https://x/1.jpg", MediaId="img-1")
    evidence = world.reply_text(await world.post(photo), world.oa_crypto)
    assert evidence == "图片/材料已补充到工单 #1。"
    voice = world.oa_callback(OA_RESIDENT, "voice", MediaId="voice-1", Format="amr")
    assert world.reply_text(await world.post(voice), world.oa_crypto) is None
    words = "楼上邻居昨晚还是半夜装修。"
    spoken = world.oa_callback(
        OA_RESIDENT, "voice", MediaId="voice-2", Format="amr", Recognition=words
    )
    again = world.reply_text(await world.post(spoken), world.oa_crypto)
    assert again is not None and again.startswith("您已反映过此事，已补充到工单 #1")
    assert world.rows("SELECT ticket_id, kind, ref FROM attachments ORDER BY id") == [
        (1, "photo", "img-1"),
        (1, "voice", "voice-1"),
        (1, "voice", "voice-2"),
    ]
    assert world.rows(f"SELECT ticket_id FROM inbound_messages WHERE text = '{words}'") == [(1,)]
    assert world.count("tickets") == 1

    # The worker takes it up and resolves it from WeCom; the resident hears each step
    # (WeChat cannot edit the acknowledgement, so its new state comes as a message: that
    # line alone, not the whole acknowledgement again).
    assert await world.wecom_says(WORKER, "认领 1") == "工单 #1 已由 王网格员 认领。"
    assert await world.wecom_says(WORKER, "备注 1 已电话联系双方") == "已为工单 #1 添加备注。"
    done = await world.wecom_says(WORKER, "办结 1 已上门调解，楼上承诺晚十点后不施工")
    assert done == "工单 #1 已办结：已上门调解，楼上承诺晚十点后不施工"
    await settled(world)
    # Each step once: the resolution's notice alone, not 进展：已办结 just before it.
    assert to(world, OA_RESIDENT) == [
        "工单 #1 进展：处理中（王网格员）｜邻里纠纷｜一般",
        "您反映的问题（工单 #1）已办结：已上门调解，楼上承诺晚十点后不施工\n"
        "如仍未解决，可发送「重开 1」。",
    ]

    # The next day the follow-up visit asks, in words a person can answer by typing.
    clock.at(days=1, hours=1)
    report = await world.bot.supervisor.sweep()
    assert report.asked == 1
    await settled(world)
    question = to(world, OA_RESIDENT)[-1]
    assert question.startswith("您好！您反映的问题（工单 #1）已办结：")
    assert question.endswith(
        "请问您对处理结果是否满意？请回复「满意 1」「基本满意 1」「不满意 1」（可在后面写上意见）。"
    )

    heard = len(to(world, OA_RESIDENT))
    sorry = await world.oa_says(OA_RESIDENT, "不满意 还是很吵")
    assert sorry is not None and "工单 #1 已重新打开" in sorry
    await settled(world)
    assert to(world, OA_RESIDENT)[heard:] == []  # not 进展：已重开 after the answer saying so
    assert world.rows("SELECT status FROM tickets") == [("reopened",)]
    told = [c.content for c in world.fake.sent("webhook/send") if "回访不满意" in c.content]
    assert told and "还是很吵" in told[0]
    assert any("回访不满意" in text and "还是很吵" in text for text in to(world, WORKER))


async def test_a_grid_worker_and_the_staff_on_wecom(county: tuple[World, Clock]) -> None:
    """The worker hears of a report one to one, claims and resolves it by typing, and is
    told when a ticket of their grid waits too long; the staff read the queue and the
    figures, and are told plainly that the Official Account cannot send them the ledger."""
    world, clock = county
    assert await world.oa_says(OA_RESIDENT, "村口有人打架，有人受伤流血了") is not None
    await settled(world)
    [new] = [c.content for c in world.fake.sent("webhook/send")]
    assert new.startswith("新工单 #1｜东镇第一网格｜")
    [notice] = to(world, WORKER)  # the grid's worker hears of it one to one, with what to type
    assert notice.startswith("【群众反映】新工单 #1｜东镇第一网格｜")
    assert notice.endswith("认领请发送「认领 1」。")

    queue = await world.wecom_says(STAFF_USER, "待办")
    assert queue is not None and queue.startswith("待认领工单（全部网格）：\n#1｜待认领｜")

    # Nobody claims it: the sweep escalates, and the grid worker is told what to type.
    clock.at(days=8)
    assert (await world.bot.supervisor.sweep()).escalated >= 1
    await settled(world)
    [escalation] = [t for t in to(world, WORKER) if "督办" in t]
    assert "请发送「认领 1」。\n" in escalation  # then the report's words

    # Their help is true where they read it: WeCom has no residents' group.
    help_ = await world.wecom_says(WORKER, "帮助")
    assert help_ is not None and "/report" in help_ and "群" not in help_

    assert await world.wecom_says(WORKER, "认领 1") == "工单 #1 已由 王网格员 认领。"
    resolved = await world.wecom_says(WORKER, "办结 1 已报警，派出所已处置")
    assert resolved is not None and resolved.startswith("工单 #1 已办结")

    stats = await world.wecom_says(STAFF_USER, "统计")
    assert stats is not None and "受理 1 件，已办结 1 件" in stats
    refused = await world.oa_says(OA_STAFF, "导出台账")
    assert refused is not None and refused.startswith(
        "微信公众号不能由机器人发送文件，台账无法在这里导出。"
    )


async def test_long_texts_arrive_whole_in_pieces_wechat_takes(
    county: tuple[World, Clock],
) -> None:
    """A long queue and a long resolution: each goes in pieces under WeChat's 2048 bytes
    (the fake refuses a longer text, as WeChat does), every word of it arrives; the
    resolution's notice to the resident quotes its start, in one message."""
    world, clock = county
    for n in range(30):
        report = f"第{n}户反映：楼道里堆满杂物，消防通道被堵，物业一直不管，已经三个月了"
        assert await world.oa_says(f"{OA_RESIDENT}-{n}", report) is not None
    await settled(world)
    # Thirty new reports in a minute: the grid worker is told of each (WeCom takes 30 app
    # messages a minute into a member's chat, and drops the rest unsent), the staff's robot
    # of its 20 a minute; the other ten a minute on, not refused ten times over.
    assert len(to(world, WORKER)) == 30
    assert len(world.fake.sent("webhook/send")) == 20
    clock.at(minutes=1, seconds=1)
    await settled(world)
    assert len(world.fake.sent("webhook/send")) == 30
    first = await world.wecom_says(STAFF_USER, "待办")
    await settled(world)
    rest = to(world, STAFF_USER)
    assert first is not None and rest
    queue = "\n".join([first, *rest])
    assert queue.count("｜待认领｜") == 20  # the list's length, and it says there are more
    assert queue.endswith("\n只列出最紧急、最早受理的 20 件，还有更多待认领。")

    outcome = "经网格员多次上门协调，物业同意清理楼道、疏通消防通道。" * 60
    assert await world.wecom_says(WORKER, "认领 1") is not None
    assert await world.wecom_says(WORKER, f"办结 1 {outcome}") is not None
    await settled(world)
    # The resident's notice quotes the first 500 characters, in one customer-service
    # message (it went as three); 查询 gives them all of it, in pieces.
    resident = f"{OA_RESIDENT}-0"
    [notice] = [text for text in to(world, resident) if text.startswith("您反映的问题")]
    assert notice == (
        f"您反映的问题（工单 #1）已办结：{outcome[:500]}…（全文请发送「查询 1」）\n"
        "如仍未解决，可发送「重开 1」。"
    )
    assert len(notice.encode()) <= 2000
    told = len(to(world, resident))
    first = await world.oa_says(resident, "查询 1")
    await settled(world)
    rest = to(world, resident)[told:]
    assert first is not None and rest
    assert all(len(text.encode()) <= 2048 for text in rest)
    assert outcome in first + "".join(rest)
    assert world.rows("SELECT resolution FROM tickets WHERE id = 1") == [(outcome,)]
    assert world.rows("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == [(0,)]


async def test_past_the_48_hours_the_desk_is_told_and_the_resident_hears_it_as_it_is(
    county: tuple[World, Clock],
) -> None:
    """The resident last wrote days ago: WeChat refuses the claim's and the outcome's news
    (45015).  The worker asking after the ticket reads that it has not reached them; when
    the resident writes again they hear the ticket as it is now, once: the outcome (the
    claim's news, overtaken by it, is not sent)."""
    world, clock = county
    assert await world.oa_says(OA_RESIDENT, "小区门口垃圾堆了一个星期没人清理") is not None
    world.fake.closed_windows.add(OA_RESIDENT)  # days pass
    assert await world.wecom_says(WORKER, "认领 1") is not None
    await settled(world)
    assert await world.wecom_says(WORKER, "办结 1 已清理干净") is not None
    await settled(world)
    assert to(world, OA_RESIDENT) == []
    # One message waits: the outcome (the claim's news, folded into the resolution's, says
    # nothing the outcome does not).
    status = await world.wecom_says(WORKER, "查询 1")
    assert status is not None and status.endswith(
        "\n尚未送达反映人：1 条消息（须其先给机器人发消息，如公众号超过 48 小时未互动；"
        "其再发消息时自动补发）"
    )

    world.fake.closed_windows.clear()
    assert await world.oa_says(OA_RESIDENT, "我的") is not None
    await settled(world)
    assert to(world, OA_RESIDENT) == [
        "您反映的问题（工单 #1）已办结：已清理干净\n如仍未解决，可发送「重开 1」。"
    ]
    status = await world.wecom_says(WORKER, "查询 1")
    assert status is not None and "尚未送达" not in status


async def test_the_reporter_is_not_told_back_what_they_just_did(
    county: tuple[World, Clock],
) -> None:
    """WeChat cannot edit the acknowledgement, so its new state goes as a message: news to
    the reporter when a worker or the staff moved the ticket, but after their own 重开 or
    撤回 the answer right above it said the same (工单 #1 已重新打开。 then 工单 #1 进展：
    已重开), and so did the resolution's notice (进展：已办结 just before 您反映的问题已办结);
    closing what they withdrew told them 进展：已撤回 a second time."""
    world, clock = county
    assert await world.oa_says(OA_RESIDENT, "小区门口垃圾堆了一个星期没人清理") is not None
    assert await world.wecom_says(WORKER, "认领 1") is not None
    assert await world.wecom_says(WORKER, "办结 1 已清理") is not None
    reopened = await world.oa_says(OA_RESIDENT, "重开 1 又堆起来了")
    assert reopened == "工单 #1 已重新打开。"
    await settled(world)
    assert await world.wecom_says(WORKER, "认领 1") is not None
    withdrawn = await world.oa_says(OA_RESIDENT, "撤回 1 物业已经清走了")
    assert withdrawn is not None and withdrawn.startswith("工单 #1 已按您的意思撤回")
    closed = await world.wecom_says(STAFF_USER, "结案 1")
    assert closed is not None and closed.startswith("工单 #1 已结案。")
    await settled(world)
    assert to(world, OA_RESIDENT) == [
        "工单 #1 进展：处理中（王网格员）｜邻里纠纷｜一般",
        "您反映的问题（工单 #1）已办结：已清理\n如仍未解决，可发送「重开 1」。",
        "工单 #1 进展：处理中（王网格员）｜邻里纠纷｜一般",
    ]  # nor, once the staff close it, 进展：已撤回 again: a withdrawn ticket closed stays 已撤回
    # The worker hears each of the resident's steps, as before.
    worker = to(world, WORKER)
    assert any(text.startswith("【重开】您办结的工单 #1 已被重新打开") for text in worker)
    assert any(text.startswith("工单 #1 的反映人已撤回") for text in worker)
    assert world.rows("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == [(0,)]


async def test_a_case_handed_to_a_department_and_back_is_no_news_to_its_reporter(
    tmp_path: Path,
) -> None:
    """转办 takes the 认领 under the acknowledgement away at once, and a department's 退回
    brings it back: an edit of its buttons alone (Telegram edits them silently).  WeChat
    shows no buttons and cannot edit, so it sends the reporter nothing for either."""

    def police(config: Config) -> None:
        config.departments = [Department(code="PCS", name="派出所")]
        config.people.append(
            PersonConfig(
                channel="wecom", user_id="police1", name="张警官", role=Role.LIAISON, area="PCS"
            )
        )

    async with running_world(tmp_path, configure=police) as world:
        assert await world.oa_says(OA_RESIDENT, "楼下棋牌室天天聚众赌博") is not None
        handed = await world.wecom_says(STAFF_USER, "转办 1 派出所")
        assert handed is not None and handed.startswith("已将工单 #1 转派出所办理")
        back = await world.wecom_says("police1", "退回 1 不属于本所职责")
        assert back == "工单 #1 已退回综治中心，中心将重新研判分流。"
        await settled(world)
        assert to(world, OA_RESIDENT) == []
        # Both edits were queued as the buttons alone, and taken as sent (nothing to send).
        assert world.rows(
            "SELECT chat_id, buttons_only, sent_at IS NOT NULL FROM outbox WHERE kind = 'edit'"
        ) == [(OA_RESIDENT, 1, 1), (OA_RESIDENT, 1, 1)]
        # A worker's claim is news, as before.
        assert await world.wecom_says(WORKER, "认领 1") == "工单 #1 已由 王网格员 认领。"
        await settled(world)
        assert to(world, OA_RESIDENT) == ["工单 #1 进展：处理中（王网格员）｜邻里纠纷｜一般"]


async def test_an_urgent_report_reaches_the_desk_and_the_resident_reads_only_theirs(
    tmp_path: Path,
) -> None:
    """An urgent report on the Official Account: the resident is told at once to call 110
    (the passive reply), the staff's robot and the grid worker are told, the staff that the
    model alone called it urgent; nothing written for the desk reaches the resident, and
    the claim's news does not call it 紧急 (the acknowledgement did not)."""
    async with running_world(tmp_path, classifier=UrgentFights()) as world:
        ack = await world.oa_says(OA_RESIDENT, "村口有人打架，有人受伤流血了，快来人")
        assert ack == "已受理，工单号 #1，值班人员会尽快核实。如有危险请立即拨打 110 / 120 / 119。"
        await settled(world)
        [staff] = [c.content for c in world.fake.sent("webhook/send")]
        assert staff.startswith("新工单 #1｜东镇第一网格｜邻里纠纷｜紧急\n")
        assert staff.endswith("（紧急为模型判断，未命中安全规则，请先核实）")
        [notice] = to(world, WORKER)
        assert notice.startswith("【群众反映】新工单 #1｜东镇第一网格｜邻里纠纷｜紧急\n")
        assert notice.endswith("认领请发送「认领 1」。")
        assert to(world, OA_RESIDENT) == []
        assert await world.wecom_says(WORKER, "认领 1") is not None
        await settled(world)
        assert to(world, OA_RESIDENT) == ["工单 #1 进展：处理中（王网格员）"]


async def test_a_long_report_is_quoted_to_the_desk_saying_where_the_rest_is(
    county: tuple[World, Clock],
) -> None:
    """A report longer than one WeChat message (pasted, or a long voice message's
    recognition): the robot's and the grid worker's notices quote its first 500 characters,
    and say how to read the rest (they were cut there mid-word, with nothing to say more
    followed); 详情 gives the worker all of it, in pieces WeChat takes."""
    world, _ = county
    report = "小区物业长期不作为，电梯经常坏，楼道灯不亮，垃圾不清理，业主多次反映无果。" * 40
    assert len(report.encode()) > 2048
    ack = await world.wecom_says(RESIDENT, report)
    assert ack is not None and ack.startswith("已受理，工单号 #1。")
    await settled(world)
    quoted = f"{RESIDENT}：{report[:500]}…（全文请发送「详情 1」）"
    [notice] = to(world, WORKER)
    assert notice == (
        f"【群众反映】新工单 #1｜东镇第一网格｜邻里纠纷｜一般\n{quoted}\n认领请发送「认领 1」。"
    )
    [staff] = [c.content for c in world.fake.sent("webhook/send")]
    assert staff == f"新工单 #1｜东镇第一网格｜邻里纠纷｜一般\n{quoted}"
    assert to(world, RESIDENT) == []  # the acknowledgement was the passive reply
    first = await world.wecom_says(WORKER, "详情 1")
    await settled(world)
    rest = to(world, WORKER)[1:]
    assert first is not None and rest and all(len(t.encode()) <= 2048 for t in rest)
    assert report in first + "".join(rest)


async def test_a_report_without_words_tells_the_desk_what_it_sent(
    county: tuple[World, Clock],
) -> None:
    """A resident's first message is a location, another's a link: each is filed, and the
    robot's and the grid worker's notices said "oAbCdEf-openid-1：" and nothing, where on
    WeChat nobody at the desk sees the place or the page.  They say what came."""
    world, _ = county
    place = world.oa_callback(
        OA_RESIDENT, "location", Location_X="23.1", Location_Y="113.3", Scale=15, Label="东镇幸福路"
    )
    ack = world.reply_text(await world.post(place), world.oa_crypto)
    assert ack is not None and ack.startswith("已受理，工单号 #1。")
    link = world.wecom_callback(
        RESIDENT, "link", Title="停水通知", Description="d", Url="https://x/y", PicUrl="p"
    )
    assert world.reply_text(await world.post(link), world.wecom_crypto) is not None
    await settled(world)
    assert to(world, WORKER) == [
        f"【群众反映】新工单 #1｜东镇第一网格｜邻里纠纷｜一般\n{OA_RESIDENT}："
        "（没有文字，只发来位置「东镇幸福路」）\n认领请发送「认领 1」。",
        f"【群众反映】新工单 #2｜东镇第一网格｜邻里纠纷｜一般\n{RESIDENT}："
        "（没有文字，只发来链接「停水通知」）\n认领请发送「认领 2」。",
    ]
    robot = [c.content for c in world.fake.sent("webhook/send")]
    assert robot[0].endswith(f"{OA_RESIDENT}：（没有文字，只发来位置「东镇幸福路」）")
    assert world.rows("SELECT text FROM tickets ORDER BY id") == [("",), ("",)]
    # Their lines in 待办 end in where to see what came, not in nothing.
    queue = await world.wecom_says(WORKER, "待办")
    assert queue is not None and "#1｜待认领｜一般｜（没有文字，请发送「详情 1」查看）" in queue
