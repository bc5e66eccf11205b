"""Closing resolved cases at a county's scale (结案), through the harness on SQLite and
PostgreSQL: 待结案 lists the resolved tickets waiting to be closed with their follow-up
visits (回访), and 结案 满意 closes those whose reporter answered 满意 or 基本满意, each as a
manual 结案 would (its event, its acknowledgement), at most `CLOSE_MAX` at a time; 结案 未回复
those whose visit went unanswered for `[followup] unanswered_after`; the daily briefing
counts them.  The visits fall due on the fake clock of `tests.test_supervision`."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

import bot.desk.closing as closing
from bot.adapters.base import Outbound
from bot.clock import iso
from bot.commands import Command, parse
from bot.workflow import Action
from storage import SQLiteStore
from storage.sql import awaiting_closure_sql
from tests.conftest import StoreFactory, make_config, rows, with_departments
from tests.test_briefing import MONDAY, config_with_briefing
from tests.test_private_reports import group_notified
from tests.test_supervision import START, Desk, at, started

# Each a matter of its own, so that no report of one resident is read as a repeat of another.
LIGHT = "楼道灯坏了一个月"
RUBBISH = "垃圾站三天没人清运，臭气熏天"
DOG = "邻居家的狗整夜叫，吵得睡不着"
STALLS = "菜市场门前占道经营，车过不去"
PIPE = "自来水管爆裂，水漫到路上"
DANCE = "广场舞音响太大声"
TOILET = "公厕堵塞很久"


def reply(sent: list[Outbound]) -> str:
    [only] = [m.text for m in sent if m.kind == "reply"]
    return only


async def resolved(desk: Desk, who: str, text: str, number: int, hours: float) -> None:
    """`who` reports `text` (ticket `number`), which worker1 claims and resolves `hours`
    after the start."""
    desk.clock.now = START + at(hours=hours)
    await desk.h.say(who, text)
    await desk.h.say("worker1", f"认领 {number}")
    await desk.h.say("worker1", f"办结 {number} 已处理")


async def a_day_of_cases(desk: Desk) -> None:
    """Seven cases, as the centre sees them 30 hours after the start (Monday 15:00): #1
    resolved at +1h, its visit answered 满意; #2 (+2h) 基本满意; #3 (+3h) asked, no answer;
    #4 (+4h) its reporter never wrote one to one, so not visited; #5 (+5h) answered 不满意,
    so reopened; #6 (+6h) closed by hand; #7 (+29h) its visit not due yet."""
    await desk.h.say("resident1", "我的", private=True)  # both may be written to first
    await desk.h.say("resident2", "我的", private=True)
    await resolved(desk, "resident1", LIGHT, 1, hours=1)
    await resolved(desk, "resident2", RUBBISH, 2, hours=2)
    await resolved(desk, "resident1", DOG, 3, hours=3)
    await resolved(desk, "resident3", STALLS, 4, hours=4)
    await resolved(desk, "resident2", PIPE, 5, hours=5)
    await resolved(desk, "resident4", DANCE, 6, hours=6)
    await desk.h.say("staff1", "结案 6", chat="staff")
    await desk.sweep_at(at(days=1, hours=5))  # asks #1, #2, #3 and #5; #4 cannot be
    await desk.h.say("resident1", "满意 1", private=True)
    await desk.h.say("resident2", "基本满意 2", private=True)
    await desk.h.say("resident2", "不满意 5 水还在漫", private=True)
    await resolved(desk, "resident2", TOILET, 7, hours=29)
    desk.clock.now = START + at(hours=30)


async def test_the_list_says_how_each_visit_stands(desk: Desk) -> None:
    await a_day_of_cases(desk)
    listed = reply(await desk.h.say("staff1", "待结案", chat="staff"))
    assert listed.splitlines() == [
        "待结案工单（全部网格）：共 5 件，办结早的在前",
        f"#1｜已办结｜一般｜{LIGHT}｜回访满意｜办结 1天5小时前",
        f"#2｜已办结｜一般｜{RUBBISH}｜回访基本满意｜办结 1天4小时前",
        f"#3｜已办结｜一般｜{DOG}｜已回访未答复｜办结 1天3小时前",
        f"#4｜已办结｜一般｜{STALLS}｜未回访｜办结 1天2小时前",
        f"#7｜已办结｜一般｜{TOILET}｜未回访｜办结 1小时前",
        "其中回访满意或基本满意 2 件，发送「结案 满意」一并结案。",
    ]
    # The same list by its other names: 结案 alone, and /close with no number.
    assert reply(await desk.h.say("staff1", "结案", chat="staff")) == listed
    assert reply(await desk.h.say("admin1", "/close", private=True)) == listed
    # One area's, by its code or its name; the other's has none.
    assert reply(await desk.h.say("staff1", "待结案 东镇", chat="staff")).splitlines()[0] == (
        "待结案工单（东镇）：共 5 件，办结早的在前"
    )
    assert reply(await desk.h.say("staff1", "待结案 XC", chat="staff")) == (
        "没有待结案的工单（西村）。"
    )
    assert reply(await desk.h.say("staff1", "待结案 ZZ", chat="staff")) == (
        "「ZZ」不是网格的名称或代码。可选：DZ（东镇）、XC（西村）。"
    )


async def test_the_list_is_cut_at_the_limit(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    await a_day_of_cases(desk)
    monkeypatch.setattr(closing, "LIST_LIMIT", 2)
    lines = reply(await desk.h.say("staff1", "待结案", chat="staff")).splitlines()
    assert [line[:2] for line in lines[1:3]] == ["#1", "#2"]
    assert lines[3:] == [
        "另有 3 件未列出。",
        "其中回访满意或基本满意 2 件，发送「结案 满意」一并结案。",
    ]


async def test_in_english(desk: Desk) -> None:
    await a_day_of_cases(desk)
    await desk.h.say("staff1", "/lang en", chat="staff")
    lines = reply(await desk.h.say("staff1", "/close", chat="staff")).splitlines()
    assert lines[0] == (
        "Resolved tickets waiting to be closed (all areas): 5, oldest resolution first"
    )
    assert lines[1].endswith(" | visit: satisfied | resolved 1d 5h ago")
    assert lines[3].endswith(" | visited, no answer | resolved 1d 3h ago")
    assert lines[-1] == "2 of them answered satisfied or fair: send /close satisfied to close them."
    done = reply(await desk.h.say("staff1", "/close satisfied", chat="staff"))
    assert done == "Closed 2 (answered satisfied or fair): #1, #2"


async def test_close_satisfied_closes_only_the_positively_answered(desk: Desk) -> None:
    await a_day_of_cases(desk)
    sent = await desk.h.say("staff1", "结案 满意", chat="staff")
    assert reply(sent) == "已结案 2 件（回访满意或基本满意）：#1、#2"
    statuses = await rows(desk.bot.store, "SELECT id, status FROM tickets ORDER BY id")
    assert statuses == [
        (1, "closed"), (2, "closed"), (3, "resolved"), (4, "resolved"), (5, "reopened"),
        (6, "closed"), (7, "resolved"),
    ]  # fmt: skip
    # Each recorded as a manual close is: the same event, by the staff member.
    closes = await rows(
        desk.bot.store,
        "SELECT e.ticket_id, p.user_id, e.action FROM ticket_events e"
        " JOIN people p ON p.id = e.actor_id WHERE e.action = 'close' ORDER BY e.ticket_id",
    )
    assert closes == [(1, "staff1", "close"), (2, "staff1", "close"), (6, "staff1", "close")]
    history = reply(await desk.h.say("staff1", "/ticket 1", chat="staff"))
    assert history.splitlines()[-1].endswith("staff1 结案")
    # The group's acknowledgements read 已结案, as after 结案 1.
    edits = {m.ticket_id: m for m in sent if m.kind == "edit"}
    assert list(edits) == [1, 2]
    assert all(m.chat_id == "group" and "当前：已结案" in m.text for m in edits.values())
    by_hand = [m for m in await desk.h.say("staff1", "结案 3", chat="staff") if m.kind == "edit"]
    assert [m.ticket_id for m in by_hand] == [3]
    assert by_hand[0].text.replace(DOG, LIGHT).replace("#3", "#1").replace(" 3", " 1") == (
        edits[1].text
    )
    # /stats counts them as closed, as any.
    stats = reply(await desk.h.say("staff1", "统计", chat="staff"))
    assert "已结案 4" in stats
    # Those left: unvisited and unanswered; nothing more to close by the batch.
    left = reply(await desk.h.say("staff1", "待结案", chat="staff")).splitlines()
    assert [line.split("｜")[0] for line in left[1:]] == ["#4", "#7"]
    again = reply(await desk.h.say("staff1", "结案 满意", chat="staff"))
    assert again == "没有回访满意或基本满意的待结案工单（全部网格）。发送「待结案」查看全部。"


async def test_close_satisfied_of_one_area(desk: Desk) -> None:
    await a_day_of_cases(desk)
    west = reply(await desk.h.say("staff1", "结案 满意 XC", chat="staff"))
    assert west == "没有回访满意或基本满意的待结案工单（西村）。发送「待结案」查看全部。"
    east = reply(await desk.h.say("staff1", "/close satisfied 东镇", chat="staff"))
    assert east == "已结案 2 件（回访满意或基本满意）：#1、#2"


async def test_a_satisfied_answer_about_an_earlier_resolution_closes_nothing(desk: Desk) -> None:
    """满意 answered #1's first outcome; staff reopened it, and it was resolved again with
    visits off: no visit asks about the outcome that stands, so it is not the reporter's
    word on it, and the batch leaves it to staff."""
    await a_day_of_cases(desk)
    await desk.h.say("staff1", "重开 1 复查发现灯又坏了", chat="staff")
    desk.bot.config.followup.enabled = False
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "办结 1 已更换整条线路")
    listed = reply(await desk.h.say("staff1", "待结案", chat="staff")).splitlines()
    [line] = [line for line in listed if line.startswith("#1｜")]
    assert line.endswith("｜未回访｜办结 不到1分钟前")
    assert reply(await desk.h.say("staff1", "结案 满意", chat="staff")) == (
        "已结案 1 件（回访满意或基本满意）：#2"
    )


async def test_an_unsatisfied_answer_that_left_a_ticket_resolved_is_not_closed(
    desk: Desk,
) -> None:
    """不满意 reopens a resolved ticket, so the batch never meets one; were a visit of a
    resolved ticket answered so all the same (written straight to the store here), it says
    so and stays for staff to decide, as the unanswered do."""
    await a_day_of_cases(desk)
    async with desk.bot.store.write() as tx:
        visit = await tx.latest_followup(3)
        assert visit is not None and visit.state == "asked"
        assert await tx.rate_followup(visit.id, ["asked"], "unsatisfied", iso(desk.clock.now))
    listed = reply(await desk.h.say("staff1", "待结案", chat="staff")).splitlines()
    assert listed[3] == f"#3｜已办结｜一般｜{DOG}｜回访不满意｜办结 1天3小时前"
    await desk.h.say("staff1", "结案 满意", chat="staff")
    assert await rows(desk.bot.store, "SELECT status FROM tickets WHERE id = 3") == [("resolved",)]


async def test_at_most_close_max_at_a_time(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    await a_day_of_cases(desk)
    monkeypatch.setattr(closing, "CLOSE_MAX", 1)
    first = reply(await desk.h.say("staff1", "结案 满意", chat="staff"))
    assert first == (
        "已结案 1 件（回访满意或基本满意）：#1\n"
        "另有 1 件回访满意或基本满意的待结案，请再发送「结案 满意」。"
    )
    second = reply(await desk.h.say("staff1", "结案 满意", chat="staff"))
    assert second == "已结案 1 件（回访满意或基本满意）：#2"


async def test_the_reply_names_the_first_labels(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    await a_day_of_cases(desk)
    monkeypatch.setattr(closing, "LABELS_LISTED", 1)
    done = reply(await desk.h.say("staff1", "结案 满意", chat="staff"))
    assert done == "已结案 2 件（回访满意或基本满意）：#1等"


async def test_refused_to_all_but_staff(desk: Desk) -> None:
    await a_day_of_cases(desk)
    worker = "您的身份（网格员）不能使用「结案」。"
    resident = "您的身份（居民）不能使用「结案」。"
    for words in ("结案 满意", "待结案", "结案", "/close", "/close satisfied"):
        assert reply(await desk.h.say("worker1", words)) == worker, words
    for words in ("结案 满意", "待结案", "/close satisfied"):
        assert reply(await desk.h.say("resident1", words, private=True)) == resident, words
    closed = await rows(desk.bot.store, "SELECT id FROM tickets WHERE status = 'closed'")
    assert closed == [(6,)]


async def test_a_residents_group_reads_no_private_report(desk: Desk) -> None:
    """Staff use the list in the staff room or one to one; asked for in a residents' group,
    it shows a private report's line as （私下反映）, as 待办 there does."""
    await desk.h.say("resident1", "谢谢")  # resident1's group is 东镇's
    await desk.h.say("resident1", "隔壁天天晚上聚众打麻将赌钱", private=True)  # #1, privately
    await desk.h.say("worker1", "认领 1", private=True)
    await desk.h.say("worker1", "办结 1 已劝散", private=True)
    public = reply(await desk.h.say("staff1", "待结案"))
    assert public.splitlines()[1] == "#1｜已办结｜一般｜（私下反映）｜未回访｜办结 不到1分钟前"
    private = reply(await desk.h.say("staff1", "待结案", chat="staff"))
    assert "打麻将" in private.splitlines()[1]


async def test_the_list_reads_the_resolved_by_their_own_index(tmp_path: Path) -> None:
    """A county's tickets are mostly closed once closing is done: the list and its counts
    find the resolved ones by a partial index (migration 0025), not by reading every ticket
    (plans, not times, are checked here)."""
    async with SQLiteStore(tmp_path / "plan.db"):
        pass
    # The list, and the tickets 结案 未回复 closes (its condition read on the resolved only).
    now = iso(START)
    unanswered = ("asked", now, "unreachable", "cancelled", now, 5)
    with sqlite3.connect(tmp_path / "plan.db") as db:
        for sql, params in (
            (awaiting_closure_sql("", 0), (5,)),
            (awaiting_closure_sql("", 0, unanswered=True), unanswered),
        ):
            plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params)]
            assert any("USING INDEX tickets_resolved" in step for step in plan), plan
            assert not any(step.startswith("SCAN t") and "INDEX" not in step for step in plan)
            assert not any(step.startswith("SCAN f") for step in plan), plan


async def test_the_briefing_counts_them(db_path: Path, new_store: StoreFactory) -> None:
    """One line in the staff room's briefing, with what 结案 满意 would close; none in a
    notify room the residents read (an intake group), where the command is not theirs."""
    config = group_notified(config_with_briefing(db_path))
    async for desk in started(config, new_store):
        await desk.h.say("resident1", "我的", private=True)
        await resolved(desk, "resident1", LIGHT, 1, hours=1)  # Sunday
        await resolved(desk, "resident2", RUBBISH, 2, hours=2)
        _, sent = await desk.sweep_on(MONDAY)  # before the visits are due: none answered
        [staff] = [m.text for m in sent if m.kind == "briefing" and m.chat_id == "staff"]
        assert "待结案 2 件（尚无回访满意的，发送「待结案」查看）" in staff.splitlines()
        await desk.sweep_on(MONDAY + timedelta(hours=2))  # asks #1's visit
        await desk.h.say("resident1", "满意", private=True)
        _, sent = await desk.sweep_on(MONDAY + timedelta(days=1))
        [staff] = [m.text for m in sent if m.kind == "briefing" and m.chat_id == "staff"]
        [group] = [m.text for m in sent if m.kind == "briefing" and m.chat_id == "group"]
        line = "待结案 2 件（其中回访满意 1 件，发送「结案 满意」一并结案）"
        assert line in staff.splitlines()
        assert "结案" not in group and group.splitlines() == [
            other for other in staff.splitlines() if other != line
        ]
        await desk.h.say("staff1", "结案 满意", chat="staff")
        await desk.h.say("staff1", "结案 2", chat="staff")
        _, sent = await desk.sweep_on(MONDAY + timedelta(days=2))
        [staff] = [m.text for m in sent if m.kind == "briefing" and m.chat_id == "staff"]
        assert "待结案" not in staff


# 结案 未回复 (/close unanswered): the visits that went unanswered for `[followup]
# unanswered_after` (7 days by default).  In `a_day_of_cases`, #3 was asked at +29h and never
# answered; #4's reporter could not be asked (resolved at +4h); #7's visit (resolved at +29h)
# is still to be asked: no sweep has run since.
WEEK = at(days=7)


async def test_close_unanswered_waits_for_the_window(desk: Desk) -> None:
    await a_day_of_cases(desk)
    # #4 was resolved 6 days 23 hours ago, #3 asked 6 days 22 hours ago: neither yet.
    desk.clock.now = START + WEEK + at(hours=3)
    assert reply(await desk.h.say("staff1", "结案 未回复", chat="staff")) == (
        "没有回访超过 7天 未回复的待结案工单（全部网格）。发送「待结案」查看全部。"
    )
    # A week after #4's resolution: its reporter was never reachable, so it goes; #3's
    # question is still within the week.
    desk.clock.now = START + WEEK + at(hours=4)
    sent = await desk.h.say("staff1", "结案未回复", chat="staff")
    assert reply(sent) == "已结案 1 件（回访超过 7天 未回复）：#4"
    # Closed as 结案 4 would be: the group's acknowledgement reads 已结案.
    [edit] = [m for m in sent if m.kind == "edit"]
    assert edit.ticket_id == 4 and "当前：已结案" in edit.text
    # A week after #3 was asked.  #7, resolved a week ago as well, is not closed: its
    # visit is still to be asked.
    desk.clock.now = START + WEEK + at(hours=29)
    assert reply(await desk.h.say("staff1", "结案 未回复", chat="staff")) == (
        "已结案 1 件（回访超过 7天 未回复）：#3"
    )
    statuses = await rows(desk.bot.store, "SELECT id, status FROM tickets ORDER BY id")
    assert statuses == [
        (1, "resolved"), (2, "resolved"), (3, "closed"), (4, "closed"), (5, "reopened"),
        (6, "closed"), (7, "resolved"),
    ]  # fmt: skip
    # Those answered 满意 or 基本满意 are 结案 满意's, closed as such.
    assert reply(await desk.h.say("staff1", "结案 满意", chat="staff")) == (
        "已结案 2 件（回访满意或基本满意）：#1、#2"
    )


async def test_a_visit_asked_late_has_its_week_from_then(desk: Desk) -> None:
    """#4's reporter writes one to one five days on, and is asked then (`ask_unreached`):
    the week runs from that question, not from the resolution."""
    await a_day_of_cases(desk)
    desk.clock.now = START + at(days=5)
    asked = await desk.h.say("resident3", "你好", private=True)
    assert [m.ticket_id for m in asked if m.kind == "followup"] == [4]
    desk.clock.now = START + WEEK + at(hours=29)
    assert reply(await desk.h.say("staff1", "结案 未回复", chat="staff")) == (
        "已结案 1 件（回访超过 7天 未回复）：#3"
    )
    desk.clock.now = START + WEEK + at(days=5)
    assert reply(await desk.h.say("staff1", "结案 未回复", chat="staff")) == (
        "已结案 1 件（回访超过 7天 未回复）：#4"
    )


async def test_the_list_says_how_many_went_unanswered(desk: Desk) -> None:
    await a_day_of_cases(desk)
    desk.clock.now = START + WEEK + at(hours=4)
    lines = reply(await desk.h.say("staff1", "待结案", chat="staff")).splitlines()
    assert lines[-2:] == [
        "其中回访满意或基本满意 2 件，发送「结案 满意」一并结案。",
        "回访超过 7天 未回复（或无法回访）的 1 件，发送「结案 未回复」一并结案。",
    ]
    # With the scope the reader named in the command to send.
    scoped = reply(await desk.h.say("staff1", "待结案 DZ", chat="staff")).splitlines()
    assert (
        scoped[-1] == "回访超过 7天 未回复（或无法回访）的 1 件，发送「结案 未回复 DZ」一并结案。"
    )
    # The window is the config's.
    desk.bot.config.followup.unanswered_after = "30d"
    lines = reply(await desk.h.say("staff1", "待结案", chat="staff")).splitlines()
    assert lines[-1] == "其中回访满意或基本满意 2 件，发送「结案 满意」一并结案。"
    assert reply(await desk.h.say("staff1", "结案 未回复", chat="staff")) == (
        "没有回访超过 30天 未回复的待结案工单（全部网格）。发送「待结案」查看全部。"
    )


async def test_the_history_says_why(desk: Desk) -> None:
    await a_day_of_cases(desk)
    desk.clock.now = START + WEEK + at(hours=29)
    await desk.h.say("staff1", "结案 未回复", chat="staff")
    for number in (3, 4):
        history = reply(await desk.h.say("staff1", f"详情 {number}", chat="staff"))
        assert history.splitlines()[-1].endswith("staff1 结案 回访无应答"), history
    closes = await rows(
        desk.bot.store,
        "SELECT ticket_id, payload FROM ticket_events WHERE action = 'close' ORDER BY ticket_id",
    )
    assert [(number, '"unanswered"' in payload) for number, payload in closes] == [
        (3, True), (4, True), (6, False)
    ]  # fmt: skip
    # A close by hand or as answered 满意 says nothing of the kind.
    await desk.h.say("staff1", "结案 满意", chat="staff")
    history = reply(await desk.h.say("staff1", "/ticket 1", chat="staff"))
    assert history.splitlines()[-1].endswith("staff1 结案")


async def test_close_unanswered_in_english(desk: Desk) -> None:
    await a_day_of_cases(desk)
    desk.clock.now = START + WEEK + at(hours=4)
    await desk.h.say("staff1", "/lang en", chat="staff")
    lines = reply(await desk.h.say("staff1", "/close", chat="staff")).splitlines()
    assert lines[-1] == (
        "1 unanswered for over 7d (or never visited): send /close unanswered to close them."
    )
    done = reply(await desk.h.say("staff1", "/close unanswered", chat="staff"))
    assert done == "Closed 1 (visit unanswered for over 7d): #4"
    history = reply(await desk.h.say("staff1", "/ticket 4", chat="staff"))
    assert history.splitlines()[-1].endswith("staff1 closed (visit unanswered)")
    assert reply(await desk.h.say("staff1", "/close unanswered", chat="staff")) == (
        "No resolved ticket whose visit went unanswered for over 7d waits to be closed "
        "(all areas). Send /close to see them all."
    )


async def test_answered_visits_are_not_unanswered(desk: Desk) -> None:
    """满意 and 基本满意 are left to 结案 满意; 不满意 on a ticket left resolved (written
    straight to the store, as in the test above) to staff, however long ago."""
    await a_day_of_cases(desk)
    async with desk.bot.store.write() as tx:
        visit = await tx.latest_followup(3)
        assert visit is not None and visit.state == "asked"
        assert await tx.rate_followup(visit.id, ["asked"], "unsatisfied", iso(desk.clock.now))
    desk.clock.now = START + at(days=60)
    assert reply(await desk.h.say("staff1", "结案 未回复", chat="staff")) == (
        "已结案 1 件（回访超过 7天 未回复）：#4"
    )
    statuses = await rows(desk.bot.store, "SELECT id FROM tickets WHERE status = 'resolved'")
    assert statuses == [(1,), (2,), (3,), (7,)]


async def test_a_resolution_never_visited_goes_a_week_after_it(desk: Desk) -> None:
    """Visits off (or a report of the desk's own): no visit was scheduled, so the week runs
    from the resolution."""
    desk.bot.config.followup.enabled = False
    await resolved(desk, "resident1", LIGHT, 1, hours=1)
    desk.clock.now = START + WEEK
    assert reply(await desk.h.say("staff1", "结案 未回复", chat="staff")).startswith("没有")
    desk.clock.now = START + WEEK + at(hours=1)
    assert reply(await desk.h.say("staff1", "结案 未回复", chat="staff")) == (
        "已结案 1 件（回访超过 7天 未回复）：#1"
    )


async def test_close_unanswered_of_one_area(desk: Desk) -> None:
    await a_day_of_cases(desk)
    desk.clock.now = START + WEEK + at(hours=29)
    west = reply(await desk.h.say("staff1", "结案 未回复 XC", chat="staff"))
    assert west == "没有回访超过 7天 未回复的待结案工单（西村）。发送「待结案」查看全部。"
    east = reply(await desk.h.say("staff1", "/close unanswered 东镇", chat="staff"))
    assert east == "已结案 2 件（回访超过 7天 未回复）：#3、#4"


async def test_close_unanswered_of_one_department(db_path: Path, new_store: StoreFactory) -> None:
    async for desk in started(with_departments(make_config(db_path)), new_store):
        await resolved(desk, "resident1", LIGHT, 1, hours=1)  # the grid's
        desk.clock.now = START + at(hours=2)
        await desk.h.say("resident2", DOG)  # #2, handed to the police station
        await desk.h.say("staff1", "转办 2 派出所", chat="staff")
        await desk.h.say("police1", "认领 2", private=True)
        await desk.h.say("police1", "办结 2 已上门调解", private=True)
        await desk.sweep_at(at(days=1, hours=5))  # neither reporter can be asked
        desk.clock.now = START + WEEK + at(hours=2)
        assert reply(await desk.h.say("staff1", "结案 未回复 司法所", chat="staff")) == (
            "没有回访超过 7天 未回复的待结案工单（司法所）。发送「待结案」查看全部。"
        )
        assert reply(await desk.h.say("staff1", "结案 未回复 PCS", chat="staff")) == (
            "已结案 1 件（回访超过 7天 未回复）：#2"
        )
        left = await rows(desk.bot.store, "SELECT id FROM tickets WHERE status = 'resolved'")
        assert left == [(1,)]


async def test_close_unanswered_at_most_close_max_at_a_time(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    await a_day_of_cases(desk)
    desk.clock.now = START + WEEK + at(hours=29)
    monkeypatch.setattr(closing, "CLOSE_MAX", 1)
    assert reply(await desk.h.say("staff1", "结案 未回复", chat="staff")) == (
        "已结案 1 件（回访超过 7天 未回复）：#3\n"
        "另有 1 件可一并结案，请再发送「结案 未回复」。"
    )
    assert reply(await desk.h.say("staff1", "结案 未回复", chat="staff")) == (
        "已结案 1 件（回访超过 7天 未回复）：#4"
    )


async def test_close_unanswered_refused_to_all_but_staff(desk: Desk) -> None:
    await a_day_of_cases(desk)
    desk.clock.now = START + WEEK + at(hours=29)
    for words in ("结案 未回复", "/close unanswered"):
        assert reply(await desk.h.say("worker1", words)) == (
            "您的身份（网格员）不能使用「结案」。"
        ), words
        assert reply(await desk.h.say("resident1", words, private=True)) == (
            "您的身份（居民）不能使用「结案」。"
        ), words
    closed = await rows(desk.bot.store, "SELECT id FROM tickets WHERE status = 'closed'")
    assert closed == [(6,)]


def test_the_words_that_close_the_unanswered() -> None:
    for words in ("结案 未回复", "结案未回复", "结案 未答复", "/close unanswered", "/close 未回复"):
        assert parse(words) == Command(Action.CLOSE, None, "unanswered"), words
    assert parse("结案 未回复 东镇", ["东镇"]) == Command(Action.CLOSE, None, "unanswered 东镇")
    assert parse("/close Unanswered DZ") == Command(Action.CLOSE, None, "unanswered DZ")
    # Chatter that starts the same way stays what it was.
    assert parse("结案未回复怎么办") is None


async def test_the_briefing_counts_the_unanswered(db_path: Path, new_store: StoreFactory) -> None:
    config = group_notified(config_with_briefing(db_path))
    async for desk in started(config, new_store):
        await resolved(desk, "resident1", LIGHT, 1, hours=1)  # Sunday; never written privately
        await desk.sweep_on(MONDAY + timedelta(hours=2))  # its visit cannot be sent
        _, sent = await desk.sweep_on(MONDAY + timedelta(days=7))
        [staff] = [m.text for m in sent if m.kind == "briefing" and m.chat_id == "staff"]
        [group] = [m.text for m in sent if m.kind == "briefing" and m.chat_id == "group"]
        lines = staff.splitlines()
        at_line = lines.index("待结案 1 件（尚无回访满意的，发送「待结案」查看）")
        assert lines[at_line + 1] == "其中回访久未回复 1 件，发送「结案 未回复」一并结案"
        assert "结案" not in group
        await desk.h.say("resident2", DOG)  # #2, withdrawn: never visited, said apart
        await desk.h.say("resident2", "撤回 2")
        _, sent = await desk.sweep_on(MONDAY + timedelta(days=14))
        [staff] = [m.text for m in sent if m.kind == "briefing" and m.chat_id == "staff"]
        [group] = [m.text for m in sent if m.kind == "briefing" and m.chat_id == "group"]
        lines = staff.splitlines()
        at_line = lines.index("待结案 2 件（尚无回访满意的，发送「待结案」查看）")
        assert lines[at_line + 1] == (
            "其中回访久未回复 1 件、已撤回 1 件，发送「结案 未回复」一并结案"
        )
        assert "结案" not in group


async def test_a_withdrawal_is_listed_and_closed_as_one(desk: Desk) -> None:
    """A report its reporter withdrew is never visited: 待结案 said 未回访 (a visit still to
    come) and 结案 未回复 recorded 回访无应答 for it; its count and its close are said apart
    from the visits unanswered."""
    await desk.h.say("resident1", LIGHT)  # #1
    await desk.h.say("resident1", "撤回 1 已经自己修好了")
    await resolved(desk, "resident2", DOG, 2, hours=1)
    await desk.sweep_at(at(days=1, hours=5))  # never written privately: cannot be visited
    listed = reply(await desk.h.say("staff1", "待结案", chat="staff")).splitlines()
    assert listed[1].startswith("#1｜已撤回｜") and listed[1].endswith("｜无需回访｜1天5小时前撤回")
    desk.clock.now = START + WEEK + at(hours=2)
    listed = reply(await desk.h.say("staff1", "待结案", chat="staff")).splitlines()
    assert listed[-1] == (
        "回访超过 7天 未回复（或无法回访）的 1 件、已撤回的 1 件，发送「结案 未回复」一并结案。"
    )
    await desk.h.say("staff1", "/lang en", chat="staff")
    listed = reply(await desk.h.say("staff1", "/close", chat="staff")).splitlines()
    assert listed[-1] == (
        "1 unanswered for over 7d (or never visited), 1 withdrawn: send /close unanswered to "
        "close them."
    )
    await desk.h.say("staff1", "/lang zh", chat="staff")
    assert reply(await desk.h.say("staff1", "结案 未回复", chat="staff")) == (
        "已结案 1 件（回访超过 7天 未回复）：#2\n已结案 1 件（反映人已撤回，无需回访）：#1"
    )
    history = reply(await desk.h.say("staff1", "详情 1", chat="staff"))
    assert history.splitlines()[-1].endswith("staff1 结案 反映人已撤回，无需回访"), history
