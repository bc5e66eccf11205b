"""Mediation sessions (调解): set by whoever holds the case or staff, told to the reporter
privately, moved and called off, reminded once before they start (surviving a restart),
shown by /ticket and in the ledger; on SQLite and PostgreSQL, on the supervision tests'
fake clock (Sunday 29 November 2026, 09:00 in Shanghai)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import mediation
from bot.adapters.base import Outbound
from bot.adapters.harness import CHANNEL
from bot.clock import iso
from bot.config import ChatRef
from bot.hotline import import_orders
from bot.hotline_file import WorkOrder
from bot.ledger import LedgerFormat
from bot.supervision import Supervisor
from storage import SQLiteStore
from storage.sql.history import _MEDIATION_ACTIONS
from tests.conftest import StoreFactory, make_config, rows, with_departments
from tests.test_departments import platform_id
from tests.test_supervision import NORMAL, START, Desk, at, started

# 明天下午3点 is Monday 30 November, 15:00; reminded 2 hours before ([supervision]
# mediation_remind's default).
SET = "调解 1 明天下午3点 人民调解室"
REMINDED_AT = at(days=1, hours=4)


@pytest.fixture
async def desk(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Desk]:
    async for started_desk in started(make_config(db_path), new_store):
        yield started_desk


async def claimed(desk: Desk) -> None:
    """resident1 has written to the bot one to one (so it may write to them first), then
    reported in the group; worker1 holds the case."""
    await desk.h.say("resident1", "/lang zh", private=True)
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("worker1", "认领 1")


def to(sent: list[Outbound], chat: str) -> list[str]:
    return [m.text for m in sent if m.chat_id == chat]


def mediation_reminders(sent: list[Outbound]) -> list[tuple[str, str]]:
    return [(m.chat_id, m.text) for m in sent if m.text.startswith("【调解提醒】")]


async def test_the_holder_sets_it_and_the_reporter_is_told_privately(desk: Desk) -> None:
    await claimed(desk)
    sent = await desk.h.say("worker1", SET)
    assert to(sent, "group") == [
        "工单 #1 已安排调解：2026-11-30 15:00，人民调解室。已私信通知反映人。"
    ]
    assert to(sent, "resident1") == [
        "您反映的问题（工单 #1）已安排调解：2026-11-30 15:00，地点：人民调解室。请按时到场；"
        "如不能到场，请回复说明。"
    ]
    history = (await desk.h.say("worker1", "/ticket 1", private=True))[0].text
    assert "调解：2026-11-30 15:00，人民调解室" in history
    assert "安排调解 2026-11-30 15:00 人民调解室" in history
    # The reporter finds it again with 查询, one to one; not in the group, where whoever
    # reads it would learn where the parties meet.
    [mine] = await desk.h.say("resident1", "查询 1", private=True)
    assert "调解：2026-11-30 15:00，人民调解室" in mine.text
    [public] = await desk.h.say("resident1", "查询 1")
    assert "调解" not in public.text


async def test_a_resident_or_another_worker_cannot_set_it(desk: Desk) -> None:
    await claimed(desk)
    [refused] = await desk.h.say("resident1", SET)
    assert refused.text == "您的身份（居民）不能使用「调解」。"
    [refused] = await desk.h.say("worker2", SET)
    assert "由 worker1 负责" in refused.text
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "调解：" not in history and "安排调解" not in history
    # Staff may, for whoever holds it.
    sent = await desk.h.say("staff1", SET, chat="staff")
    assert to(sent, "staff")[0].startswith("工单 #1 已安排调解")


async def test_the_holder_is_reminded_once_before_it_even_after_a_restart(desk: Desk) -> None:
    await claimed(desk)
    await desk.h.say("worker1", SET)
    report, sent = await desk.sweep_at(REMINDED_AT - at(minutes=1))
    assert report.mediation_reminded == 0 and mediation_reminders(sent) == []
    report, sent = await desk.sweep_at(REMINDED_AT)
    assert report.mediation_reminded == 1
    [(chat, text)] = mediation_reminders(sent)
    assert chat == "worker1"  # privately, to the holder
    assert (
        text.startswith("【调解提醒】工单 #1：2026-11-30 15:00 在人民调解室调解") and NORMAL in text
    )
    report, sent = await desk.sweep_at(REMINDED_AT + at(minutes=30))
    assert report.mediation_reminded == 0 and mediation_reminders(sent) == []
    # A restarted supervisor (a new process) reads the reminder on record.
    old = desk.bot.supervisor
    again = Supervisor(old.store, old.config, old.render, old.clock)
    assert (await again.sweep()).mediation_reminded == 0
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.count("调解提醒") == 1
    report, sent = await desk.sweep_at(at(days=1, hours=7))  # after it: nothing more
    assert report.mediation_reminded == 0


async def test_moving_it_tells_the_reporter_and_reminds_of_the_new_time(desk: Desk) -> None:
    await claimed(desk)
    await desk.h.say("worker1", SET)
    sent = await desk.h.say("worker1", "调解 1 12月2日 10:00 村委会")
    assert to(sent, "group") == [
        "工单 #1 的调解已改期：2026-12-02 10:00，村委会（原定 2026-11-30 15:00）。"
        "已私信通知反映人。"
    ]
    assert to(sent, "resident1") == [
        "您反映的问题（工单 #1）的调解已改期：2026-12-02 10:00，"
        "地点：村委会（原定 2026-11-30 15:00）。"
    ]
    report, _ = await desk.sweep_at(REMINDED_AT)  # the old time's reminder: none
    assert report.mediation_reminded == 0
    report, sent = await desk.sweep_at(at(days=3, hours=-1))  # 2 December, 08:00
    assert [c for c, _ in mediation_reminders(sent)] == ["worker1"]
    assert "2026-12-02 10:00 在村委会" in mediation_reminders(sent)[0][1]
    history = (await desk.h.say("worker1", "/ticket 1", private=True))[0].text
    assert "调解：2026-12-02 10:00，村委会" in history


async def test_calling_it_off_tells_the_reporter_and_nobody_is_reminded(desk: Desk) -> None:
    await claimed(desk)
    await desk.h.say("worker1", SET)
    sent = await desk.h.say("worker1", "取消调解 1")
    assert to(sent, "group") == [
        "工单 #1 的调解（2026-11-30 15:00，人民调解室）已取消。已私信通知反映人。"
    ]
    assert to(sent, "resident1") == [
        "您反映的问题（工单 #1）原定 2026-11-30 15:00 在人民调解室的调解已取消，"
        "另行安排时会再通知您。"
    ]
    report, sent = await desk.sweep_at(REMINDED_AT)
    assert report.mediation_reminded == 0 and mediation_reminders(sent) == []
    history = (await desk.h.say("worker1", "/ticket 1", private=True))[0].text
    assert "调解：" not in history and "取消调解 2026-11-30 15:00 人民调解室" in history
    [mine] = await desk.h.say("resident1", "查询 1", private=True)
    assert "调解" not in mine.text
    [again] = await desk.h.say("worker1", "取消调解 1")
    assert again.text == "工单 #1 没有已安排的调解。"


async def test_a_time_past_or_unread_is_refused_in_the_senders_language(desk: Desk) -> None:
    await claimed(desk)
    [past] = await desk.h.say("worker1", "调解 1 今天8点 人民调解室")  # 09:00 now
    assert past.text == "调解时间「今天8点」已经过去了，请写将来的时间。"
    [bad] = await desk.h.say("worker1", "调解 1 明天25点 人民调解室")
    assert bad.text == "调解时间「25点」不存在（日期或钟点不对），请改正后重发。"
    [vague] = await desk.h.say("worker1", "调解 1 明天下午 人民调解室")
    assert vague.text == "调解时间「明天下午」没有写几点，请写明钟点后重发，如「明天下午3点」。"
    await desk.h.say("worker1", "/lang en", private=True)
    [unread] = await desk.h.say("worker1", "/mediate 1 next month people's mediation room")
    assert unread.text.startswith("Could not read a time in \"next month people's")
    sent = await desk.h.say("worker1", "/mediate 1 2026-11-30 14:00 people's mediation room")
    assert to(sent, "group") == [
        "Ticket #1: mediation set for 2026-11-30 14:00, at people's mediation room. "
        "The reporter has been told privately."
    ]
    assert to(sent, "resident1")[0].startswith("您反映的问题（工单 #1）已安排调解")  # theirs


async def test_a_day_the_centre_is_closed_is_accepted_and_said(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A session on a weekend or a holiday (official or the county's own, `[calendar]`) is
    set, as a Saturday mediation may be meant, but the reply says the day is one; a weekend
    made a working day (调休) is not one."""
    config = make_config(db_path)
    config.calendar.holidays = ["2026-12-02"]  # a Wednesday: the county's own
    config.calendar.working_days = ["2026-12-06"]  # a Sunday worked
    async for desk in started(config, new_store):
        await claimed(desk)
        sent = await desk.h.say("worker1", "调解 1 12月5日 10:00 村委会")  # a Saturday
        assert to(sent, "group") == [
            "工单 #1 已安排调解：2026-12-05 10:00，村委会。（注意：该日为周末）"
            "已私信通知反映人。"
        ]
        assert "注意" not in to(sent, "resident1")[0]  # the worker's to weigh, not theirs
        sent = await desk.h.say("worker1", "调解 1 12月2日 10:00 村委会")
        assert to(sent, "group")[0].startswith(
            "工单 #1 的调解已改期：2026-12-02 10:00，村委会（原定 2026-12-05 10:00）。"
            "（注意：该日为节假日）"
        )
        sent = await desk.h.say("worker1", "调解 1 12月6日 10:00 村委会")
        assert "注意" not in to(sent, "group")[0]
        await desk.h.say("worker1", "/lang en", private=True)
        sent = await desk.h.say("worker1", "/mediate 1 2026-12-05 10:00 village office")
        assert to(sent, "group") == [
            "Ticket #1: mediation moved to 2026-12-05 10:00, at village office "
            "(was 2026-12-06 10:00). (Note: that day is a weekend.) "
            "The reporter has been told privately."
        ]
        history = (await desk.h.say("worker1", "/ticket 1", private=True))[0].text
        assert history.endswith("mediation set: 2026-12-05 10:00 village office")


async def test_handed_to_a_department_its_liaisons_are_told_and_reminded(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A case with a session standing, handed to a department (转办): each liaison's notice
    says a session stands (when, where), and its reminder goes to them, privately, not to
    the staff room nor to the worker who held it; once one of them claims it, to them."""
    async for desk in started(with_departments(make_config(db_path)), new_store):
        await claimed(desk)
        await desk.h.say("worker1", SET)
        sent = await desk.h.say("staff1", "转办 1 派出所 请组织调解", chat="staff")
        for liaison in ("police1", "police2"):
            [notice] = to(sent, liaison)
            assert notice.startswith("【转办】")
            assert (
                "中心意见：请组织调解\n已安排调解：2026-11-30 15:00，人民调解室"
                "（由本部门组织，调解前会再提醒）。"
            ) in notice
        assert "调解" not in to(sent, "worker1")[0]  # told it is no longer theirs
        report, sent = await desk.sweep_at(REMINDED_AT)
        assert report.mediation_reminded == 1
        reminded = mediation_reminders(sent)
        assert [chat for chat, _ in reminded] == ["police1", "police2"]
        assert all(
            t.startswith("【调解提醒】工单 #1：2026-11-30 15:00 在人民调解室") for _, t in reminded
        )
        # Claimed there and moved: the reminder of the new time is its holder's alone.
        await desk.h.say("police1", "认领 1", private=True)
        await desk.h.say("police1", "调解 1 12月2日 10:00 派出所调解室", private=True)
        _, sent = await desk.sweep_at(at(days=3, hours=-1))
        assert [chat for chat, _ in mediation_reminders(sent)] == ["police1"]


async def test_nobody_holds_it_the_staff_room_is_reminded(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)  # never wrote one to one: the worker is to call
    [reply] = await desk.h.say("staff1", SET, chat="staff")
    assert reply.text == (
        "工单 #1 已安排调解：2026-11-30 15:00，人民调解室。"
        "反映人未曾私聊过本助手，无法私信通知，请电话告知其调解时间、地点。"
    )
    _, sent = await desk.sweep_at(REMINDED_AT)
    assert [c for c, _ in mediation_reminders(sent)] == ["staff"]
    # Called off, they are to be phoned that it is, not given a time and place.
    [reply] = await desk.h.say("staff1", "取消调解 1", chat="staff")
    assert reply.text == (
        "工单 #1 的调解（2026-11-30 15:00，人民调解室）已取消。"
        "反映人未曾私聊过本助手，无法私信通知，请电话告知其调解已取消。"
    )


async def test_a_hotline_caller_is_for_the_worker_to_phone_back(desk: Desk) -> None:
    """A 12345 work order's caller phoned the hotline and never wrote to the bot: the reply
    asks the worker to call them back on the ticket's number, not that they "never wrote
    to the bot one to one"; in English too, and when it is called off."""
    config, bot = desk.bot.supervisor.config, desk.bot
    assert bot.classifier is not None
    order = WorkOrder(2, "A1", NORMAL, name="张三", phone="13812345678", area="DZ")
    done = await import_orders(bot.store, [order], "12345", config, bot.classifier, iso(START))
    assert [filed.ticket for filed in done.filed] == [1]
    await bot.dispatcher.flush()  # its notices to the grid and the staff room
    [reply] = await desk.h.say("staff1", SET, chat="staff")
    assert reply.text == (
        "工单 #1 已安排调解：2026-11-30 15:00，人民调解室。"
        "反映人为12345热线来电人，请按工单中的联系电话告知其调解时间、地点。"
    )
    [ticket] = await desk.h.say("staff1", "/ticket 1", chat="staff")
    assert "联系电话：13812345678" in ticket.text  # the number it points to
    await desk.h.say("staff1", "/lang en", private=True)
    [reply] = await desk.h.say("staff1", "/mediate 1 cancel", chat="staff")
    assert reply.text == (
        "Ticket #1: the mediation (2026-11-30 15:00, at 人民调解室) is called off. "
        "The reporter phoned the 12345 hotline: please call them back on the phone number "
        "in the ticket that it is called off."
    )


async def test_a_residents_notify_room_is_not_told_when_nor_where(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A `[supervision] notify` room the residents read, with nobody holding the case: its
    reminder says a session is near, not when nor where the parties meet (as 查询 in a
    group does not), nor what the report said (it was private); the staff room reads it
    all."""
    config = make_config(db_path)
    assert config.staff_chat is not None
    config.supervision.notify = [ChatRef(channel=CHANNEL, chat_id="group"), config.staff_chat]
    async for desk in started(config, new_store):
        await desk.h.say("resident1", "你好")  # seen in the group, then reports privately
        await desk.h.say("resident1", NORMAL, private=True)
        await desk.h.say("staff1", SET, chat="staff")
        _, sent = await desk.sweep_at(REMINDED_AT)
        reminded = dict(mediation_reminders(sent))
        assert reminded["group"] == (
            "【调解提醒】工单 #1 的调解时间快到了，请提前准备、通知双方到场"
            "（时间、地点请私聊发送「详情 1」查看）。"
        )
        assert "人民调解室" in reminded["staff"] and NORMAL in reminded["staff"]


async def test_the_ledger_lists_the_session(desk: Desk) -> None:
    await claimed(desk)
    await desk.h.say("worker1", SET)
    await desk.h.say("resident1", "楼下天天有人吵架")  # #2: no session
    config = desk.bot.supervisor.config
    async with desk.bot.supervisor.store.read() as tx:
        rows = await tx.ledger_rows("2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z", 0, 9)
    ledger = LedgerFormat(config, "zh")
    at_, place = ledger.columns.index("mediation_at"), ledger.columns.index("mediation_place")
    cells = [ledger.cells(row) for row in rows]
    assert [(c[at_], c[place]) for c in cells] == [("2026-11-30 15:00", "人民调解室"), ("", "")]
    assert [ledger.header()[at_], ledger.header()[place]] == ["调解时间", "调解地点"]
    # Called off, none stands (`bot.mediation.current`'s rule: its latest event).
    await desk.h.say("worker1", "取消调解 1")
    async with desk.bot.supervisor.store.read() as tx:
        rows = await tx.ledger_rows("2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z", 0, 9)
    assert [ledger.cells(row)[at_] for row in rows] == ["", ""]


async def test_an_assignee_is_told_of_the_session_standing(desk: Desk) -> None:
    """指派 to another worker: their notice says when and where the session is, theirs to
    hold now; privately only, so staff assigning in the residents' group tell the group
    neither.  Not once it is called off, nor once it has begun."""
    await claimed(desk)
    [plain] = to(await desk.h.say("staff1", "指派 1 worker2", chat="staff"), "worker2")
    assert plain == f"staff1 将工单 #1 指派给您：{NORMAL}"  # no session: as it was
    await desk.h.say("worker2", SET)
    sent = await desk.h.say("staff1", "指派 1 worker1")  # in the residents' group
    assert to(sent, "worker1") == [
        f"staff1 将工单 #1 指派给您：{NORMAL}\n"
        "已安排调解：2026-11-30 15:00，人民调解室（现由您组织）。"
    ]
    assert sent and all("调解" not in m.text for m in sent if m.chat_id == "group")
    await desk.h.say("worker2", "/lang en", private=True)
    [notice] = to(await desk.h.say("staff1", "指派 1 worker2", chat="staff"), "worker2")
    assert notice.endswith(
        "\nA mediation session stands: 2026-11-30 15:00, at 人民调解室 (yours to hold now)."
    )
    await desk.h.say("worker2", "取消调解 1", private=True)
    [notice] = to(await desk.h.say("staff1", "指派 1 worker1", chat="staff"), "worker1")
    assert "调解" not in notice
    await desk.h.say("worker1", SET)
    desk.clock.now = START + at(days=1, hours=7)  # 30 November, 16:00: it has begun
    [notice] = to(await desk.h.say("staff1", "指派 1 worker2", chat="staff"), "worker2")
    assert "调解" not in notice


async def test_a_handover_tells_the_taker_of_each_session_standing(desk: Desk) -> None:
    """转交全部: the new holder's notice names each ticket with a session standing and not
    begun, as 指派's does (its line, naming the ticket); not one that has begun, not one
    with none.  The one handing them over is told no more than before."""
    await claimed(desk)  # #1
    await desk.h.say("resident1", "楼上天天半夜装修砸墙")  # #2
    await desk.h.say("resident1", "小区门口的井盖松了")  # #3: no session
    await desk.h.say("worker1", "认领 2")
    await desk.h.say("worker1", "认领 3")
    await desk.h.say("worker1", SET)
    await desk.h.say("worker1", "调解 2 12月2日 10:00 村委会")
    [notice] = to(await desk.h.say("staff1", "转交全部 worker1 worker2", chat="staff"),
                  "worker2")
    assert notice == (
        "staff1 将 worker1 负责的 3 件工单转交给您：#1、#2、#3。发送「我的」查看。\n"
        "工单 #1 已安排调解：2026-11-30 15:00，人民调解室（现由您组织）。\n"
        "工单 #2 已安排调解：2026-12-02 10:00，村委会（现由您组织）。"
    )
    await desk.h.say("worker1", "/lang en", private=True)
    desk.clock.now = START + at(days=1, hours=7)  # 30 November, 16:00: #1's has begun
    sent = await desk.h.say("staff1", "转交全部 worker2 worker1", chat="staff")
    [notice] = to(sent, "worker1")
    assert notice.endswith(
        "#1, #2, #3. Send /mine to see them.\n"
        "Ticket #2: a mediation session stands: 2026-12-02 10:00, at 村委会 (yours to hold now)."
    )
    assert all("调解" not in m for m in to(sent, "worker2"))  # told they are no longer theirs


async def test_a_department_is_not_told_of_a_session_that_has_begun(
    db_path: Path, new_store: StoreFactory
) -> None:
    """转办 after the session's time: its liaisons' notice says nothing of it (held, or
    not, it is no appointment of theirs); the rule 指派 follows (`mediation.handed_on`)."""
    async for desk in started(with_departments(make_config(db_path)), new_store):
        await claimed(desk)
        await desk.h.say("worker1", SET)
        desk.clock.now = START + at(days=1, hours=7)  # 30 November, 16:00: it has begun
        sent = await desk.h.say("staff1", "转办 1 派出所 请组织调解", chat="staff")
        for liaison in ("police1", "police2"):
            [notice] = to(sent, liaison)
            assert notice.startswith("【转办】") and "中心意见：请组织调解" in notice
            assert "已安排调解" not in notice
        # Moved to a time ahead, and handed on again: said (the test can fail).
        await desk.h.say("staff1", "调解 1 12月2日 10:00 派出所调解室", chat="staff")
        await desk.h.say("staff1", "转办 1 司法所", chat="staff")
        sent = await desk.h.say("staff1", "转办 1 派出所", chat="staff")
        assert "已安排调解：2026-12-02 10:00，派出所调解室" in to(sent, "police1")[0]


@pytest.mark.parametrize(
    "words",
    ["我明天去不了", "那天没空，能不能改个时间", "来不了", "明天有事，想改期", "can't make it"],
)
def test_words_that_say_they_cannot_come(words: str) -> None:
    assert mediation.cannot_come(words)


@pytest.mark.parametrize(
    "words",
    [
        "楼道灯坏了一个月",
        "家门口被车堵了出去不了",  # a way out blocked: a report
        "家里没空调",
        "好的，我会准时到",
        "我明天去不了，因为楼上邻居天天半夜装修砸墙吵得我根本睡不着觉，你们什么时候来管管",
    ],
)
def test_words_that_do_not(words: str) -> None:
    assert not mediation.cannot_come(words)


CANNOT_COME_NOTICE = (
    "【调解】工单 #1 的反映人回复不能按时参加 2026-11-30 15:00 在人民调解室的调解：「{}」\n"
    "如需改期，请发送「调解 1 新的时间 地点」（反映人会收到通知）；取消请发送「取消调解 1」。"
)


async def test_the_reporter_who_cannot_come_is_heard_by_the_holder(desk: Desk) -> None:
    """The session's notice asks the reporter to say so if they cannot come: said one to
    one, it is recorded on the ticket, told to its holder, and acknowledged; no new ticket
    (it was one, about nothing, that nobody working the case read)."""
    await claimed(desk)
    await desk.h.say("worker1", SET)
    for words in ("我明天去不了", "那天没空，能不能改个时间"):
        sent = await desk.h.say("resident1", words, private=True)
        assert [(m.chat_id, m.text) for m in sent] == [
            ("worker1", CANNOT_COME_NOTICE.format(words)),
            ("resident1", "已收到。您不能按时参加工单 #1 的调解（2026-11-30 15:00，人民调解室），"
                          "已转告办理人员；改期后会再通知您。"),
        ]
        desk.clock.now += at(minutes=61)  # the holder hears of it once an hour (below)
    assert await rows(desk.h.bot.store, "SELECT id FROM tickets") == [(1,)]
    history = (await desk.h.say("worker1", "/ticket 1", private=True))[0].text
    assert "resident1 回复不能参加调解 我明天去不了" in history
    # In English, to a reader of it.
    await desk.h.say("resident1", "/lang en", private=True)
    [_, ack] = await desk.h.say("resident1", "来不了", private=True)
    assert ack.text.startswith("Noted: you cannot come to the mediation for ticket #1 (")


async def test_words_not_about_the_session_are_filed_as_before(desk: Desk) -> None:
    """No session standing (none set, called off, begun), another resident, a group, a
    danger: each is what it was, a report of its own or added to one; two sessions: not
    guessed at.  Nothing is recorded on the session's ticket, nobody is told of it."""
    await claimed(desk)
    await desk.h.say("resident2", "你好")  # seen in the group: may report one to one

    async def tickets() -> int:
        return int((await rows(desk.h.bot.store, "SELECT COUNT(*) FROM tickets"))[0][0])

    async def heard(person: str, words: str, private: bool = True) -> bool:
        """Whether `words` were taken as the answer to a session, on the record or said."""
        sent = await desk.h.say(person, words, private=private)
        said = any("不能按时参加" in m.text for m in sent)
        [(events,)] = await rows(
            desk.h.bot.store,
            "SELECT COUNT(*) FROM ticket_events WHERE action = 'mediation_cannot_come'",
        )
        return said or events != 0

    assert not await heard("resident1", "我明天去不了") and await tickets() == 2  # no session
    await desk.h.say("worker1", SET)
    assert not await heard("resident2", "我明天去不了") and await tickets() == 3  # not theirs
    assert not await heard("resident1", "明天去不了，家里着火了") and await tickets() == 4
    # Any safety rule, not only an urgent one: filed on its own.
    assert not await heard("resident1", "我去不了，不想活了") and await tickets() == 5
    assert not await heard("resident1", "来不了", private=False)  # in the group
    await desk.h.say("worker1", "认领 2")
    await desk.h.say("worker1", "调解 2 12月2日 10:00 村委会")
    assert not await heard("resident1", "来不了")  # two sessions: which one is not known
    await desk.h.say("worker1", "取消调解 2")
    await desk.h.say("worker1", "取消调解 1")
    assert not await heard("resident1", "那天没空")  # called off
    await desk.h.say("worker1", SET)
    desk.clock.now = START + at(days=1, hours=7)  # it has begun
    assert not await heard("resident1", "改个时间吧")
    # The same words with one session standing and not begun are its answer (the test can
    # fail): 调解 2 moved to a time still ahead.
    await desk.h.say("worker1", "调解 2 12月2日 10:00 村委会")
    assert await heard("resident1", "改个时间吧")


ACK = "已收到。您不能按时参加工单 #{} 的调解（{}），已转告办理人员；改期后会再通知您。"


async def test_a_reply_to_the_session_notice_is_its_answer(desk: Desk) -> None:
    """The reporter quote-replies to the session's notice, one to one: the same answer as
    unquoted (recorded, told to the holder, acknowledged), not a detail added to the case
    that nobody working it heard; and the notice names the session, so with two standing
    for them it is that one's.  Other words in reply, or a danger, are what they were."""
    await claimed(desk)
    notice = to(await desk.h.say("worker1", SET), "resident1")
    await desk.h.say("resident1", "楼上天天半夜装修砸墙")  # #2, its session in December
    await desk.h.say("worker1", "认领 2")
    await desk.h.say("worker1", "调解 2 12月2日 10:00 村委会")
    [first] = [m for m in desk.adapter.sent if m.chat_id == "resident1" and m.text == notice[0]]
    reply_to = platform_id(desk.h, first)
    sent = await desk.h.say("resident1", "来不了", private=True, reply_to=reply_to)
    assert [(m.chat_id, m.text) for m in sent] == [
        ("worker1", CANNOT_COME_NOTICE.format("来不了")),
        ("resident1", ACK.format(1, "2026-11-30 15:00，人民调解室")),
    ]
    assert await rows(desk.h.bot.store, "SELECT COUNT(*) FROM tickets") == [(2,)]
    assert await rows(
        desk.h.bot.store,
        "SELECT ticket_id, action FROM ticket_events"
        " WHERE action IN ('addendum', 'mediation_cannot_come') ORDER BY id",
    ) == [(1, "mediation_cannot_come")]
    # Unquoted, with two standing: which one is not known, as before.
    sent = await desk.h.say("resident1", "来不了", private=True)
    assert all("不能按时参加" not in m.text for m in sent)
    # Other words in reply join the case as a reply's details, as ever.
    [added] = await desk.h.say("resident1", "好的，我会准时到", private=True, reply_to=reply_to)
    assert added.chat_id == "resident1" and "工单 #1" in added.text
    assert "调解" not in added.text
    # A danger in reply is filed on its own, however brief.
    sent = await desk.h.say("resident1", "我去不了，不想活了", private=True, reply_to=reply_to)
    assert all("不能按时参加" not in m.text for m in sent)
    assert await rows(
        desk.h.bot.store,
        "SELECT COUNT(*) FROM ticket_events WHERE action = 'mediation_cannot_come'",
    ) == [(1,)]


async def test_the_holder_hears_it_once_an_hour_for_a_session(desk: Desk) -> None:
    """Said again and again, each is on the record, the holder told once an hour (as of a
    reporter's repeats), and the reporter answered each time; a session moved since is
    another, and their answer to it is news."""
    await claimed(desk)
    await desk.h.say("worker1", SET)
    acked = ("resident1", ACK.format(1, "2026-11-30 15:00，人民调解室"))
    sent = await desk.h.say("resident1", "我明天去不了", private=True)
    assert [m.chat_id for m in sent] == ["worker1", "resident1"]
    desk.clock.now = START + at(minutes=50)
    sent = await desk.h.say("resident1", "真的来不了", private=True)
    assert [(m.chat_id, m.text) for m in sent] == [acked]  # the holder heard it 50 min ago
    desk.clock.now = START + at(minutes=61)
    sent = await desk.h.say("resident1", "那天没空", private=True)
    assert [m.chat_id for m in sent] == ["worker1", "resident1"]
    await desk.h.say("worker1", "调解 1 12月2日 10:00 村委会")  # moved: another session
    sent = await desk.h.say("resident1", "那天也来不了", private=True)
    assert [m.chat_id for m in sent] == ["worker1", "resident1"]
    assert "2026-12-02 10:00 在村委会" in sent[0].text
    history = (await desk.h.say("worker1", "/ticket 1", private=True))[0].text
    assert history.count("回复不能参加调解") == 4 and "真的来不了" in history


async def test_nobody_to_tell_the_reporter_reads_it_is_kept(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Nobody holds the case and there is no room to tell (no notify room, no staff chat):
    the acknowledgement says it is on the ticket for staff to see, not that anyone was told;
    in English too.  It is recorded all the same."""
    config = make_config(db_path)
    config.staff_chat = None
    config.supervision.notify = []
    async for desk in started(config, new_store):
        await desk.h.say("resident1", "/lang zh", private=True)
        await desk.h.say("resident1", NORMAL)
        await desk.h.say("staff1", SET, private=True)
        sent = await desk.h.say("resident1", "我明天去不了", private=True)
        assert [(m.chat_id, m.text) for m in sent] == [(
            "resident1",
            "已收到。您不能按时参加工单 #1 的调解（2026-11-30 15:00，人民调解室），已记录在工单中，"
            "工作人员查看工单时会看到；改期后会再通知您。",
        )]
        await desk.h.say("resident1", "/lang en", private=True)
        [ack] = await desk.h.say("resident1", "can't make it", private=True)
        assert ack.text == (
            "Noted: you cannot come to the mediation for ticket #1 (2026-11-30 15:00, at "
            "人民调解室). It is recorded on the ticket, where staff will see it; you will be "
            "told if it moves."
        )
        assert await rows(
            desk.h.bot.store,
            "SELECT COUNT(*) FROM ticket_events WHERE action = 'mediation_cannot_come'",
        ) == [(2,)]
        # Once a worker holds it, the next is told to them (none was told before).
        await desk.h.say("worker1", "认领 1")
        sent = await desk.h.say("resident1", "来不了", private=True)
        assert [m.chat_id for m in sent] == ["worker1", "resident1"]
        assert sent[1].text.startswith("Noted:") and "has been told" in sent[1].text


async def test_nobody_holds_it_a_residents_room_learns_nothing_of_it(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Nobody working the case, the reporter's answer goes where its reminder would, the
    notify rooms: a residents' group among them reads that there is one, not when nor
    where the parties meet, nor the reporter's words (said privately)."""
    config = make_config(db_path)
    assert config.staff_chat is not None
    config.supervision.notify = [ChatRef(channel=CHANNEL, chat_id="group"), config.staff_chat]
    async for desk in started(config, new_store):
        await desk.h.say("resident1", "你好")
        await desk.h.say("resident1", NORMAL, private=True)
        await desk.h.say("staff1", SET, chat="staff")
        sent = await desk.h.say("resident1", "我明天去不了", private=True)
        assert to(sent, "group") == [
            "【调解】工单 #1 的反映人对调解安排有回复，请私聊发送「详情 1」查看。"
        ]
        assert to(sent, "staff") == [CANNOT_COME_NOTICE.format("我明天去不了")]
        assert to(sent, "resident1")[0].startswith("已收到。您不能按时参加工单 #1 的调解")


def test_the_sweep_reads_the_sessions_by_their_own_index(tmp_path: Path) -> None:
    """Every sweep reads the open tickets' mediation events: from the few such events
    (`ticket_events_mediation`, a partial index whose condition names the actions as
    `bot.mediation.EVENTS` does), not every open ticket's history (182 ms at a province's
    64,000 open tickets).  The plan is checked here, not the time."""
    assert "e.action IN ({})".format(
        ", ".join(f"'{action}'" for action in mediation.EVENTS)
    ) == _MEDIATION_ACTIONS

    async def made() -> None:
        async with SQLiteStore(tmp_path / "plan.db"):
            pass

    asyncio.run(made())
    sql = (
        "SELECT e.id FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id "
        f"WHERE {_MEDIATION_ACTIONS} AND t.status IN (?, ?) ORDER BY e.ticket_id, e.id"
    )
    with sqlite3.connect(tmp_path / "plan.db") as db:
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, ("new", "claimed"))]
    assert "SCAN e USING INDEX ticket_events_mediation" in plan, plan


async def test_a_complaint_about_the_desk_reaches_the_staff_room_when_no_notify_room(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A 作风反映 nobody holds, with a session, where the notify rooms are residents' groups
    only: its reminder and the reporter's "cannot come" went nowhere (never to such a
    group), while its filing reached the staff room, which works it.  They reach it as a
    visit's 不满意 about the desk does; the group still hears nothing."""
    config = make_config(db_path)
    config.supervision.notify = [ChatRef(channel=CHANNEL, chat_id="group")]
    async for desk in started(config, new_store):
        await desk.h.say("resident1", "/lang zh", private=True)
        await desk.h.say("resident1", "王网格员收了他家的钱，处理不公")  # 作风反映
        await desk.h.say("staff1", SET, chat="staff")
        sent = await desk.h.say("resident1", "我明天去不了", private=True)
        assert to(sent, "staff") == [CANNOT_COME_NOTICE.format("我明天去不了")]
        assert not to(sent, "group")
        assert to(sent, "resident1")[0].endswith("已转告办理人员；改期后会再通知您。")
        _, sent = await desk.sweep_at(REMINDED_AT)
        assert [chat for chat, _ in mediation_reminders(sent)] == ["staff"]
        # A grid report's session, the same rooms: the group as ever, not the staff room.
        await desk.h.say("resident2", NORMAL)
        await desk.h.say("staff1", "调解 2 12月2日 10:00 村委会", chat="staff")
        _, sent = await desk.sweep_at(at(days=3, hours=-1))
        assert [chat for chat, _ in mediation_reminders(sent)] == ["group"]
