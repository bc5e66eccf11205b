"""Anonymous reports (匿名反映), through the harness on SQLite and PostgreSQL: a resident
writes "匿名反映：…" to the bot one to one; the centre's staff read who reported it, the grid
workers and a department's liaisons who handle it read 匿名反映人 (`bot.privacy`), in their
notices, /ticket, 待办, 查找 and the ledger; the reporter follows it as any of theirs.  In a
group the request is answered, not filed."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.base import Outbound, plain_text
from bot.adapters.harness import CHANNEL, Harness
from bot.commands import parse
from bot.config import IntakeGroup
from bot.ledger import COLUMNS, LedgerFormat, ledger_rows
from bot.privacy import anonymous_request
from tests.conftest import StoreFactory, harness_with, make_config, rows

REPORT = "村东头小卖部后屋天天聚众打麻将赌钱"  # the keyword model: neighbour, normal
NAME = "resident1"  # the harness's display name of the reporter


def by_kind(replies: list[Outbound], kind: str) -> list[Outbound]:
    return [m for m in replies if m.kind == kind]


def by_chat(replies: list[Outbound], chat: str) -> list[Outbound]:
    return [m for m in replies if m.chat_id == chat]


async def anonymous_report(harness: Harness, marker: str = "匿名反映：") -> list[Outbound]:
    await harness.say(NAME, "收到")  # seen in the DZ group first (chatter)
    return await harness.say(NAME, marker + REPORT, private=True)


def test_the_marker_is_recognised_and_only_at_the_start() -> None:
    markers = (
        "匿名反映：",
        "匿名举报:",
        "匿名，",
        "匿名 ",
        "匿名反映",
        "Anonymous: ",
        "anonymous:",
    )
    for said in markers:
        assert anonymous_request(said + REPORT) == REPORT, said
    assert anonymous_request("匿名") == ""  # asked, with nothing said yet
    # A report about an anonymous caller, or one that mentions the word, is no request.
    for said in ("匿名电话天天打来骚扰我", "有人匿名举报我", "anonymously sent letters", REPORT):
        assert anonymous_request(said) is None, said


async def test_filed_without_the_marker_and_told_to_the_grid_without_the_name(
    departments: Harness,
) -> None:
    replies = await anonymous_report(departments)
    assert await rows(departments.bot.store, "SELECT text, anonymous, source FROM tickets") == [
        (REPORT, 1, "private")
    ]
    [ack] = by_chat(replies, NAME)
    assert ack.text.endswith(
        "（匿名反映：您的姓名和联系方式只有综治中心工作人员可见，不告知网格员和承办部门。）"
    )
    notices = by_kind(replies, "direct")
    assert [m.chat_id for m in notices] == ["worker1", "worker2"]
    assert notices[0].text.splitlines()[1] == "匿名反映人：" + REPORT
    assert all(NAME not in m.text for m in notices)
    # The staff room, which answers for it, reads who it was, and that it is kept.
    [staff] = by_chat(replies, "staff")
    assert f"{NAME}：{REPORT}" in staff.text
    assert "匿名反映：反映人身份仅中心工作人员可见，请勿告知网格员、部门或他人" in staff.text


async def test_workers_and_liaisons_never_read_the_name_staff_do(departments: Harness) -> None:
    h = departments
    await anonymous_report(h)
    await h.say("worker1", "认领 1", private=True)
    [queue] = await h.say("worker2", "待办", private=True)
    [history] = await h.say("worker1", "详情 1", private=True)
    assert "匿名反映人 登记 " + REPORT in history.text
    # The liaisons handed the case are told of it without the name.
    handed = await h.say("staff1", "转办 1 派出所", chat="staff")
    liaisons = [m for m in by_kind(handed, "direct") if m.chat_id.startswith("police")]
    assert liaisons and all("匿名反映人：" + REPORT in m.text for m in liaisons)
    [police] = await h.say("police1", "详情 1", private=True)
    # Searching the reporter's name finds nothing for a worker: it would say who it was.
    [search] = await h.say("worker1", f"查找 {NAME}", private=True)
    for text in [queue.text, history.text, police.text] + [m.text for m in liaisons]:
        assert NAME not in text, text
    assert "#1" not in search.text and search.text.startswith("没有找到")
    [staff] = await h.say("staff1", "详情 1", chat="staff")
    assert f"{NAME} 登记 {REPORT}" in staff.text
    [found] = await h.say("staff1", f"查找 {NAME}", chat="staff")
    assert "#1｜" in found.text


async def test_the_ledger_names_it_only_unmasked(departments: Harness) -> None:
    h = departments
    await anonymous_report(h)
    await h.say("resident2", "楼上装修太吵了")  # #2, named as ever
    store, config = h.bot.store, h.bot.config
    column = COLUMNS.index("reporter")

    async def reporters(masked: bool) -> list[object]:
        ledger = LedgerFormat(config, "zh", masked=masked)
        return [
            ledger.cells(row)[column]
            async for row in ledger_rows(store, "2000-01-01", "2100-01-01")
        ]

    # What /export sends anyone (a grid worker's or a liaison's too), and `db export` writes.
    assert await reporters(masked=True) == ["匿名反映人", "resident2"]
    assert await reporters(masked=False) == [NAME, "resident2"]  # --unmasked, on the server


async def test_the_reporter_follows_it_as_any_of_theirs(departments: Harness) -> None:
    h = departments
    await anonymous_report(h, "anonymous: ")
    [status] = await h.say(NAME, "查询 1", private=True)
    assert status.text.startswith("工单 #1｜待认领｜")
    [mine] = await h.say(NAME, "我的", private=True)
    assert "#1｜待认领｜" in mine.text
    await h.say("worker1", "认领 1", private=True)
    done = await h.say("worker1", "办结 1 已联合派出所查处", private=True)
    [told] = by_kind(done, "resolved")
    assert told.chat_id == NAME and "已联合派出所查处" in told.text
    assert by_chat(done, "group") == []  # nothing of it in the group


async def test_in_a_group_it_is_answered_not_filed(departments: Harness) -> None:
    h = departments
    replies = await h.say(NAME, "匿名反映：" + REPORT)
    [answer] = replies
    assert answer.chat_id == "group" and answer.text.startswith(
        "群里的消息大家都能看到，无法匿名，这条消息没有登记。匿名反映请私聊机器人"
    )
    assert await rows(h.bot.store, "SELECT id FROM tickets") == []
    [unfiled] = await h.say("worker1", "未立案", private=True)  # the desk may still file it
    assert REPORT in unfiled.text
    await h.say("resident2", "/lang en", private=True)
    [english] = await h.say("resident2", "anonymous: " + REPORT)
    assert english.text.startswith("Everyone in the group reads this message")
    # A danger a safety rule names is never let pass: filed as any group report.
    filed = await h.say("resident3", "匿名举报：楼下有人打人")
    assert by_kind(filed, "ack")[0].text.startswith("【紧急】已受理，工单号 #1，")
    assert await rows(h.bot.store, "SELECT text, anonymous FROM tickets") == [("楼下有人打人", 0)]


async def test_the_marker_alone_is_answered_with_an_example(departments: Harness) -> None:
    await departments.say(NAME, "收到")
    [answer] = await departments.say(NAME, "匿名反映：", private=True)
    example = "例如「匿名反映：村东头小卖部后屋天天聚赌」。"
    assert answer.text == "请把要反映的事写在同一条消息里，" + example
    assert await rows(departments.bot.store, "SELECT id FROM tickets") == []


# Made anonymous later (匿名 12, `bot.desk.anonymity`) -----------------------------------

ANONYMOUS_EVENTS = "SELECT COUNT(*) FROM ticket_events WHERE action = 'anonymous'"
TOLD = (
    "工单 #1 的反映人已申请匿名，请勿向他人透露其身份。今后该工单显示的反映人为「匿名反映人」。"
)


async def reporters_in_ledger(h: Harness, masked: bool) -> list[object]:
    ledger = LedgerFormat(h.bot.config, "zh", masked=masked)
    column = COLUMNS.index("reporter")
    return [
        ledger.cells(row)[column]
        async for row in ledger_rows(h.bot.store, "2000-01-01", "2100-01-01")
    ]


async def test_the_reporter_makes_it_anonymous_later(departments: Harness) -> None:
    h = departments
    await h.say(NAME, REPORT)  # #1, in the group, under their name
    await h.say("worker1", "认领 1", private=True)
    [before] = await h.say("worker1", "详情 1", private=True)
    assert f"{NAME} 登记 {REPORT}" in before.text  # named, as any report
    sent = await h.say(NAME, "匿名 1", private=True)
    [done] = by_kind(sent, "reply")
    # Its holder is told, privately, to keep it (`Anonymity._told_of_anonymity`).
    assert [(m.chat_id, m.text) for m in by_kind(sent, "direct")] == [("worker1", TOLD)]
    assert done.chat_id == NAME and done.text.splitlines() == [
        "工单 #1 已改为匿名反映：今后网格员和承办部门看到的反映人是「匿名反映人」，"
        "台账也不写您的姓名；您的姓名和联系方式只有综治中心工作人员可见。",
        # Reported in the group: said honestly who read it already.
        "这件事是在群里反映的，群里的人都看到过是您发的；收到通知的网格员、正在办理的人员"
        "也已看到您的姓名。这一点无法撤回。",
    ]
    assert await rows(h.bot.store, "SELECT anonymous FROM tickets") == [(1,)]
    [worker] = await h.say("worker1", "详情 1", private=True)
    assert "匿名反映人 登记 " + REPORT in worker.text
    assert "匿名反映人 改为匿名反映" in worker.text
    assert NAME not in worker.text
    [search] = await h.say("worker1", f"查找 {NAME}", private=True)
    assert search.text.startswith("没有找到")
    [staff] = await h.say("staff1", "详情 1", chat="staff")
    assert f"{NAME} 登记 {REPORT}" in staff.text and f"{NAME} 改为匿名反映" in staff.text
    assert await reporters_in_ledger(h, masked=True) == ["匿名反映人"]
    assert await reporters_in_ledger(h, masked=False) == [NAME]
    # Asked again: said so, and nothing more recorded.
    [again] = await h.say(NAME, "/anonymous 1", private=True)
    assert again.text.startswith("工单 #1 已经是匿名反映")
    assert await rows(h.bot.store, ANONYMOUS_EVENTS) == [(1,)]


async def test_a_private_report_made_anonymous_later_names_who_read_it(
    departments: Harness,
) -> None:
    h = departments
    await h.say(NAME, "收到")  # seen in the DZ group first (chatter)
    filed = await h.say(NAME, REPORT, private=True)  # 私下反映, named to the grid
    assert all(NAME in m.text for m in by_kind(filed, "direct"))
    [done] = await h.say(NAME, "/anonymous 1", private=True)  # nobody works it yet: no one told
    seen = done.text.splitlines()[1]
    assert seen.startswith("在此之前已经看到过您姓名的人（如收到新工单通知的网格员")
    handed = await h.say("staff1", "转办 1 派出所", chat="staff")
    liaisons = [m for m in by_kind(handed, "direct") if m.chat_id.startswith("police")]
    assert liaisons and all("匿名反映人：" + REPORT in m.text for m in liaisons)
    assert all(NAME not in m.text for m in liaisons)


async def test_nobody_else_may_make_it_anonymous(departments: Harness) -> None:
    h = departments
    await h.say(NAME, REPORT)  # #1, resident1's
    refusal = (
        "只能把您自己反映的问题改为匿名，{} 不是您反映的工单。发送「我的」查看您反映过的问题。"
    )
    [other] = await h.say("resident2", "匿名 1", private=True)
    [missing] = await h.say("resident2", "匿名 99", private=True)
    # The same words whether the ticket exists or not: nothing to probe.
    assert other.text == refusal.format("#1") and missing.text == refusal.format("#99")
    [worker] = await h.say("worker1", "匿名 1", private=True)  # sees it, did not report it
    assert worker.text == refusal.format("#1")
    assert await rows(h.bot.store, "SELECT anonymous FROM tickets") == [(0,)]
    assert await rows(h.bot.store, ANONYMOUS_EVENTS) == [(0,)]
    [history] = await h.say("worker1", "详情 1", private=True)
    assert f"{NAME} 登记 {REPORT}" in history.text
    assert await reporters_in_ledger(h, masked=True) == [NAME]


async def test_in_a_group_it_is_answered_not_acted_on(departments: Harness) -> None:
    h = departments
    await h.say(NAME, REPORT)  # #1
    [answer] = await h.say(NAME, "匿名 1")
    assert answer.chat_id == "group" and answer.text == (
        "群里的消息大家都能看到，无法在群里改为匿名。要把自己反映的问题改为匿名，请私聊机器人，"
        "发送「匿名 1」；群里这条可以撤回。"
    )
    # Another's number, or none that exists, is answered alike: nothing was looked up.
    [other] = await h.say("resident2", "匿名 99")
    assert other.text == answer.text.replace("匿名 1」", "匿名 99」")
    assert await rows(h.bot.store, "SELECT anonymous FROM tickets") == [(0,)]
    assert await rows(h.bot.store, ANONYMOUS_EVENTS) == [(0,)]
    # A report that starts with the word and a number is a report still.
    assert parse("匿名 3号楼后屋天天聚赌") is None and parse("匿名 1") is not None


async def test_help_names_both_ways(departments: Harness) -> None:
    [telegram] = await departments.say(NAME, "帮助", private=True)
    assert "怕被打击报复的，可以私聊发送「匿名反映：」" in telegram.text
    assert "匿名 12 或 /anonymous 12 — " in telegram.text
    await departments.say("resident2", "/lang en", private=True)
    [english] = await departments.say("resident2", "/help", private=True)
    assert "\n/anonymous 12 — one to one: make your report anonymous" in english.text


async def test_help_names_it_where_the_chat_is_the_intake_point(
    db_path: Path, new_store: StoreFactory
) -> None:
    # WeCom, the Official Account: the chat is itself the intake point ("*"), where an
    # anonymous report works as one to one anywhere; the help says so, without "私聊".
    config = make_config(db_path)
    config.intake_groups = [IntakeGroup(channel=CHANNEL, chat_id="*", area="DZ")]
    async with harness_with(config, new_store()) as h:
        [help_] = await h.say(NAME, "帮助", private=True)
        lines = help_.text.splitlines()
        assert lines[:2] == [
            "直接在这里描述问题即可登记（时间、地点、涉及的人）。",
            "怕被打击报复的，可以发送「匿名反映：」加上要反映的事，办理的网格员和部门看不到您的姓名。",
        ]
        await h.say(NAME, "匿名反映：" + REPORT, private=True)
        assert await rows(h.bot.store, "SELECT text, anonymous FROM tickets") == [(REPORT, 1)]


async def test_a_departments_liaisons_working_it_are_told(departments: Harness) -> None:
    """Handed to 派出所 and not yet taken up: its liaisons, whose notice named the reporter,
    are told; claimed by one, that one (as the holder); a department assisting (协办), its
    liaisons too.  Each privately, in their language; nothing in the group."""
    h = departments
    await h.say(NAME, REPORT)  # #1
    await h.say(NAME, "小区门口的路灯坏了好几天了，晚上黑得看不见路")  # #2
    await h.say(NAME, "楼上天天半夜装修，太吵了")  # #3
    await h.say("staff1", "转办 1 派出所", chat="staff")
    sent = await h.say(NAME, "匿名 1", private=True)
    assert sorted((m.chat_id, m.text) for m in by_kind(sent, "direct")) == [
        ("police1", TOLD), ("police2", TOLD)
    ]
    assert {m.chat_id for m in sent} == {NAME, "police1", "police2"}
    await h.say("staff1", "转办 2 派出所", chat="staff")
    await h.say("police2", "/lang en", private=True)
    await h.say("police2", "认领 2", private=True)
    sent = await h.say(NAME, "匿名 2", private=True)
    assert [(m.chat_id, m.text) for m in by_kind(sent, "direct")] == [(
        "police2",
        "The reporter of ticket #2 asked to be anonymous: do not tell anyone who they are. "
        "From now on the ticket shows them as \"Anonymous reporter\".",
    )]
    await h.say("worker1", "认领 3", private=True)
    await h.say("staff1", "协办 3 派出所", chat="staff")
    sent = await h.say(NAME, "匿名 3", private=True)
    told = {m.chat_id for m in by_kind(sent, "direct")}
    assert told == {"worker1", "police1", "police2"}, told
    # Asked again: nobody is told twice.
    sent = await h.say(NAME, "匿名 3", private=True)
    assert by_kind(sent, "direct") == []


async def test_a_groups_acknowledgement_does_not_say_it_was_made_anonymous(
    departments: Harness,
) -> None:
    """Reported in the group and made anonymous later: the acknowledgement there, edited as
    the case moves on, said 「（匿名反映：您的姓名和联系方式只有综治中心工作人员可见…）」 to the
    whole group, the neighbours it may be about among them, who learnt the reporter had
    asked to be kept from the grid.  The note is the reporter's, read one to one; the group's
    acknowledgement shows the case moving on as ever."""
    h = departments
    await h.say(NAME, REPORT)  # #1, in the group
    await h.say(NAME, "匿名 1", private=True)
    sent = await h.say("worker1", "认领 1")
    [ack] = [m for m in by_chat(sent, "group") if m.kind == "edit"]
    assert "当前：处理中（worker1）" in ack.text, ack.text
    assert "匿名" not in ack.text, ack.text
    await h.say("resident2", "/lang en", private=True)
    await h.say("resident2", "The streetlight at the gate has been out for a week")  # #2
    await h.say("resident2", "/anonymous 2", private=True)
    sent = await h.say("worker1", "/claim 2")
    [ack] = [m for m in by_chat(sent, "group") if m.kind == "edit"]
    assert "anonymous" not in ack.text.lower(), ack.text
    # One to one, reported anonymously from the first, the reporter's acknowledgement has it.
    [ack] = by_kind(await anonymous_report(h), "ack")
    assert ack.chat_id == NAME and ack.text.endswith(
        "（匿名反映：您的姓名和联系方式只有综治中心工作人员可见，不告知网格员和承办部门。）"
    ), ack.text


async def test_the_marker_is_read_through_invisible_characters(departments: Harness) -> None:
    """A zero width space or a byte order mark before the marker, or in it (a copy from a
    web page or another chat carries them): "\\u200b匿名反映：…" was filed as a report naming
    its reporter to the grid, what they asked not to have, while "\\u200b匿名 1" was read as
    the command it looks like (`bot.commands.normalise`).  Such characters go where a
    message enters (`plain_text`), so the marker is read, and the report filed without them."""
    for invisible in ("\u200b匿名反映：", "\ufeff匿名：", "匿名\u200b反映：", "\u2060anonymous: "):
        assert anonymous_request(plain_text(invisible + REPORT)) == REPORT, repr(invisible)
    replies = await anonymous_report(departments, "\u200b匿名反映：")
    assert await rows(departments.bot.store, "SELECT text, anonymous FROM tickets") == [
        (REPORT, 1)
    ]
    notices = by_kind(replies, "direct")
    assert notices and all(NAME not in m.text for m in notices)
