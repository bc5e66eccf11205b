"""Supervision through the harness: tickets past their SLA are escalated once per level,
to the staff rooms, the holder and (from level 2) the admins, on an injected clock."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import CHANNEL, Harness, HarnessAdapter
from bot.app import Bot
from bot.config import CalendarConfig, ChatRef, Config
from bot.render import Renderer
from bot.supervision import (
    SweepReport,
    escalate_ticket,
    merge_suggestion,
    same_event_line,
    supervised_now,
)
from bot.workcal import WorkCalendar, WorkingDays
from bot.workflow import Stage, Status, breaches
from storage.base import TicketRecord, stamp_of
from storage.sql import SQLTx
from tests.conftest import KeywordClassifier, StoreFactory, harness_with, make_config, rows
from tests.test_outbox import Clock

URGENT = "村口有人打人了"  # the keyword classifier: urgent (claim 30m, resolve 4h)
NORMAL = "楼道灯坏了一个月"  # normal (claim 3 working days, resolve 15)
ZONE = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in the centre's time zone (where working days begin at 00:00)."""
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


class Desk:
    """A started bot on a fake clock, with a harness to talk to it."""

    def __init__(self, bot: Bot, adapter: HarnessAdapter, clock: Clock, prefix: str = "u"):
        self.bot = bot
        self.clock = clock
        self.h = Harness(bot, adapter, id_prefix=prefix)
        self.adapter = adapter

    async def sweep_at(self, offset: timedelta) -> tuple[SweepReport, list[Outbound]]:
        """Set the clock to `offset` after the start, sweep, deliver; what was sent."""
        return await self.sweep_on(START + offset)

    async def sweep_on(self, moment: datetime) -> tuple[SweepReport, list[Outbound]]:
        """Set the clock to `moment`, sweep, deliver; what was sent."""
        self.clock.now = moment
        before = len(self.adapter.sent)
        report = await self.bot.supervisor.sweep()
        await self.bot.dispatcher.flush()
        return report, self.adapter.sent[before:]


START = Clock().now  # Sunday 29 November 2026, 09:00 in Shanghai
# A normal ticket filed then: Monday to Wednesday are its three working days to be
# claimed in, so it is late from 00:00 on Thursday; six are used up on Monday 7 December.
CLAIM_LATE = local(2026, 12, 3)
# An unclaimed ticket's escalation: the staff room, and privately the area's grid workers.
ROOM_AND_GRID = [("staff", "escalation"), ("worker1", "direct"), ("worker2", "direct")]
CLAIM_LATE_2 = local(2026, 12, 8)


async def started(config: Config, store: StoreFactory) -> AsyncIterator[Desk]:
    clock = Clock()
    async with harness_with(config, store(), clock=clock) as h:
        yield Desk(h.bot, h.adapter, clock)


def at(minutes: float = 0, hours: float = 0, days: float = 0) -> timedelta:
    return timedelta(minutes=minutes, hours=hours, days=days)


async def test_unclaimed_ticket_is_escalated_once_per_level(desk: Desk) -> None:
    await desk.h.say("resident1", URGENT)
    report, sent = await desk.sweep_at(at(minutes=29))
    assert report == SweepReport() and sent == []

    report, sent = await desk.sweep_at(at(minutes=31))
    assert report.escalated == 1
    # The staff room, and privately the area's grid workers, who are to take it up.
    assert [(m.chat_id, m.kind) for m in sent] == [
        ("staff", "escalation"), ("worker1", "direct"), ("worker2", "direct")
    ]  # fmt: skip
    first = "【一级督办】工单 #1 超时未认领｜紧急｜时限 30分钟，已等待 31分钟\n"
    assert sent[0].text.startswith(first)
    assert "东镇｜无人认领" in sent[0].text and URGENT in sent[0].text
    assert sent[1].text == sent[2].text == (
        "【一级督办】东镇的工单 #1 超时未认领（紧急，时限 30分钟，已等待 31分钟），尚无人认领；"
        f"请发送「认领 1」。\n{URGENT}"
    )  # with the report's words: "工单 #1" alone, in a private chat, said nothing of what

    for minutes in (32, 45, 59):  # later sweeps find it on record
        assert await desk.sweep_at(at(minutes=minutes)) == (SweepReport(), [])

    report, sent = await desk.sweep_at(at(minutes=61))  # 2 x 30m: level 2, admins too
    assert report.escalated == 1
    assert [(m.chat_id, m.kind) for m in sent] == [
        ("staff", "escalation"), ("worker1", "direct"), ("worker2", "direct"), ("admin1", "direct")
    ]  # fmt: skip
    assert all(m.text.startswith("【二级督办】") and "工单 #1 超时未认领" in m.text for m in sent)
    assert await desk.sweep_at(at(hours=3)) == (SweepReport(), [])  # levels = 2

    # 4h: the resolve deadline (an unclaimed ticket is unresolved too).
    report, sent = await desk.sweep_at(at(hours=4, minutes=1))
    assert report.escalated == 1 and "超时未办结" in sent[0].text
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.count("系统 督办") == 3
    assert "督办 超时未认领（一级）" in history and "督办 超时未认领（二级）" in history
    assert "督办 超时未办结（一级）" in history


async def test_an_urgent_case_nobody_claims_for_eight_hours(desk: Desk) -> None:
    """What each grid worker reads of an urgent fight nobody takes up: 30 minutes, an hour,
    4 hours, 8 hours, and nothing between.  At 4 hours its time to be resolved is up too:
    that is said (已过办结时限…至今仍无人认领), not 超时未办结…尚无人认领 as if one more
    claim reminder, and the admins hear it, who heard of the claim deadline's level 2 and
    of nothing more until 8 hours: a level 1 after a level 2 read as the case calming down."""
    await desk.h.say("resident1", URGENT)
    told: dict[str, list[str]] = {}
    levels = (at(minutes=30), at(hours=1), at(hours=4), at(hours=8), at(hours=12))
    for offset, following in zip(levels, levels[1:], strict=False):
        _, sent = await desk.sweep_at(offset)
        for m in sent:
            told.setdefault(m.chat_id, []).append(m.text)
        quiet = offset + at(minutes=15)
        while quiet < following:  # every quarter of an hour until the next: nothing
            assert await desk.sweep_at(quiet) == (SweepReport(), [])
            quiet += at(minutes=15)
    assert {who: len(texts) for who, texts in told.items()} == {
        "staff": 4, "worker1": 4, "worker2": 4, "admin1": 3,
    }  # fmt: skip
    assert told["worker1"] == told["worker2"]
    assert told["worker1"][2] == (
        "【一级督办】东镇的工单 #1 已过办结时限（紧急，时限 4小时，已等待 4小时），"
        f"至今仍无人认领；请立即发送「认领 1」并处置。\n{URGENT}"
    )
    assert told["worker1"][3].startswith("【二级督办】东镇的工单 #1 已过办结时限")
    # Each says something the one before did not: no two alike, each with the report.
    assert len(set(told["worker1"])) == 4 and all(URGENT in t for t in told["worker1"])
    assert told["admin1"][1].startswith("【一级督办】工单 #1 超时未办结｜紧急")
    await desk.h.say("worker1", "/lang en")
    desk.clock.now = START + at(hours=9)
    await desk.h.say("resident1", "村口又有人打人了")  # #2, the same ladder in English
    for offset in (at(hours=9, minutes=30), at(hours=10)):
        await desk.sweep_at(offset)
    _, sent = await desk.sweep_at(at(hours=13))
    [english] = [m.text for m in sent if m.chat_id == "worker1"]
    assert english.startswith(
        "[Escalation, level 1] Ticket #2 of 东镇 is past its time to be resolved"
    )


async def test_holder_is_told_when_the_resolve_deadline_passes(desk: Desk) -> None:
    await desk.h.say("resident1", URGENT)
    desk.clock.now = START + at(minutes=10)
    await desk.h.say("worker1", "认领 1")
    assert await desk.sweep_at(at(minutes=40)) == (SweepReport(), [])  # claimed in time

    report, sent = await desk.sweep_at(at(hours=4, minutes=5))
    assert report.escalated == 1
    assert [(m.chat_id, m.kind) for m in sent] == [("staff", "escalation"), ("worker1", "direct")]
    assert "负责人：worker1" in sent[0].text and "超时未办结" in sent[0].text
    assert sent[1].text == (
        "【一级督办】您负责的工单 #1 超时未办结（紧急，时限 4小时，已等待 4小时5分钟），"
        f"请尽快处理；办结请发送「办结 1 办理结果」。\n{URGENT}"
    )
    # Resolved: no longer supervised, whatever the clock says.
    await desk.h.say("worker1", "办结 1 已处理")
    report, sent = await desk.sweep_at(at(days=30))
    assert report.escalated == 0 and sent == []


async def test_a_late_bot_sends_one_notice_per_deadline(desk: Desk) -> None:
    """Down for a week: every level is recorded, but each deadline is announced once,
    at its highest level, instead of a pile of notices."""
    await desk.h.say("resident1", URGENT)
    report, sent = await desk.sweep_at(at(days=7))
    assert report.escalated == 4  # two levels of two deadlines, all on record
    rooms = [m.text.split("｜")[0] for m in sent if m.chat_id == "staff"]
    assert rooms == ["【二级督办】工单 #1 超时未认领", "【二级督办】工单 #1 超时未办结"]


async def test_a_ticket_given_back_late_is_escalated_at_once_saying_who_gave_it_back(
    desk: Desk,
) -> None:
    """Giving a ticket back (退回) restarts nothing: claimed in time and given back after its
    3 working days to be claimed, it is late to be claimed at once.  The notice says who
    gave it back, not only that nobody holds it, which read as though nobody ever had."""
    await desk.h.say("resident1", NORMAL)
    desk.clock.now = START + at(hours=1)
    await desk.h.say("worker1", "认领 1")
    assert await desk.sweep_on(CLAIM_LATE) == (SweepReport(), [])  # claimed in time
    desk.clock.now = local(2026, 12, 4, 10)
    await desk.h.say("worker1", "退回 1")
    report, sent = await desk.sweep_on(local(2026, 12, 4, 10, 1))
    assert report.escalated == 1
    assert [(m.chat_id, m.kind) for m in sent] == ROOM_AND_GRID
    assert sent[0].text.startswith("【一级督办】工单 #1 超时未认领｜一般｜时限 3个工作日")
    assert "\n东镇｜无人认领（worker1 已退回）\n" in sent[0].text
    await desk.h.say("admin1", "/lang en")
    _, sent = await desk.sweep_on(CLAIM_LATE_2)  # level 2: the admins too
    assert [(m.chat_id, m.kind) for m in sent] == [
        ("staff", "escalation"), ("worker1", "direct"), ("worker2", "direct"), ("admin1", "direct")
    ]  # fmt: skip
    assert "\n东镇｜无人认领（worker1 已退回）\n" in sent[0].text
    assert "\n东镇 | nobody holds it (given back by worker1)\n" in sent[3].text


async def test_reopening_starts_a_fresh_clock(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)
    assert (await desk.sweep_on(CLAIM_LATE))[0].escalated == 1
    desk.clock.now = START + at(days=4)
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "办结 1 已更换灯泡")
    desk.clock.now = START + at(days=5)  # Friday 4 December
    await desk.h.say("resident1", "重开 1 又坏了")
    report, sent = await desk.sweep_at(at(days=7))  # Sunday: no working day of the new clock
    assert report == SweepReport(cancelled=1) and sent == []  # the follow-up, too
    # Reopened on a Friday: Monday to Wednesday, late from Thursday 10 December.
    assert await desk.sweep_on(local(2026, 12, 9, 23, 59)) == (SweepReport(), [])
    report, sent = await desk.sweep_on(local(2026, 12, 10))
    assert report.escalated == 1
    assert "超时未认领｜一般｜时限 3个工作日，已等待 3个工作日" in sent[0].text


async def test_a_retag_to_another_urgency_is_escalated_on_its_own_deadlines(desk: Desk) -> None:
    """Taken for urgent, escalated at both levels, then judged ordinary (改标 … 一般): the
    normal deadlines are new ones, escalated when missed, though the urgent ones reached the
    same levels; the urgent escalations stay in the history.  (It used to sit unclaimed for
    good, with no escalation: their once-only keys were on record.)"""
    await desk.h.say("resident1", URGENT)
    assert (await desk.sweep_at(at(hours=1, minutes=5)))[0].escalated == 2
    await desk.h.say("staff1", "改标 1 邻里纠纷 一般")
    assert await desk.sweep_on(CLAIM_LATE - at(minutes=1)) == (SweepReport(), [])
    report, sent = await desk.sweep_on(CLAIM_LATE)
    assert report.escalated == 1
    assert "【一级督办】工单 #1 超时未认领｜一般｜时限 3个工作日，已等待 3个工作日" in sent[0].text
    report, sent = await desk.sweep_on(CLAIM_LATE_2)
    assert report.escalated == 1 and sent[0].text.startswith("【二级督办】工单 #1 超时未认领｜一般")
    assert await desk.sweep_on(CLAIM_LATE_2 + at(hours=1)) == (SweepReport(), [])
    history = await rows(
        desk.bot.store, "SELECT action FROM ticket_events WHERE action = 'escalated'"
    )
    assert len(history) == 4
    # Judged urgent again: the urgent deadlines, long missed, are escalated at once.
    await desk.h.say("staff1", "改标 1 治安隐患 紧急")
    report, sent = await desk.sweep_on(CLAIM_LATE_2 + at(hours=2))
    staff = [m.text.split("，")[0] for m in sent if m.chat_id == "staff"]
    assert staff == [
        "【二级督办】工单 #1 超时未认领｜紧急｜时限 30分钟",
        "【二级督办】工单 #1 超时未办结｜紧急｜时限 4小时",
    ]


async def test_a_sweep_reads_the_once_only_keys_once(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sweep reads the keys of the tickets it checks in one query, and escalating or
    reminding one of them does not read them again (it did, once per ticket)."""
    for text in (URGENT, "菜市场门口有人打人", "后山着火了"):
        await desk.h.say("resident1", text)
    asked: list[object] = []
    real = SQLTx.once_keys

    async def counted(self: SQLTx, *args: Any, **kwargs: Any) -> set[tuple[int, str]]:
        asked.append(args)
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(SQLTx, "once_keys", counted)
    report, _ = await desk.sweep_at(at(minutes=31))
    assert report.escalated == 3 and len(asked) == 1


async def test_a_retag_after_the_sweep_read_the_keys_is_read_again(desk: Desk) -> None:
    """A ticket retagged between the sweep's read and its write is escalated on the keys
    of its new deadlines, read again in the write (the sweep's are out of date)."""
    await desk.h.say("resident1", URGENT)
    assert (await desk.sweep_at(at(hours=1, minutes=5)))[0].escalated == 2
    async with desk.bot.store.read() as tx:
        [before] = await supervised_now(tx)
    await desk.h.say("staff1", "改标 1 邻里纠纷 一般")  # after the sweep read it, say
    supervisor = desk.bot.supervisor
    async with desk.bot.store.write() as tx:
        seen = (stamp_of(before.ticket), "")  # no retag, when the sweep read its keys
        count, out = await escalate_ticket(
            tx, 1, CLAIM_LATE, desk.bot.config, supervisor.notices, seen
        )
    assert count == 1 and "超时未认领｜一般" in out[0].text


async def test_unsupervised_and_unclassified_urgencies(desk: Desk) -> None:
    """A ticket whose urgency the config does not know is held to the normal limits."""
    await desk.h.say("resident1", NORMAL)
    async with desk.bot.store.write() as tx:
        await tx.retag(1, "neighbour", "unclassified", "2026-11-29T01:00:00.000Z")
    assert await desk.sweep_on(CLAIM_LATE - at(minutes=1)) == (SweepReport(), [])
    assert (await desk.sweep_on(CLAIM_LATE))[0].escalated == 1


@asynccontextmanager
async def two_processes(
    config: Config, new_store: StoreFactory, clock: Clock
) -> AsyncIterator[tuple[Bot, Bot, list[HarnessAdapter]]]:
    """Two bots on one database, as a second process (or a restart) would run, on one clock."""
    adapters = [HarnessAdapter(), HarnessAdapter()]
    async with (
        Bot(config, [adapters[0]], new_store(), KeywordClassifier(), clock) as one,
        Bot(config, [adapters[1]], new_store(), KeywordClassifier(), clock) as two,
    ):
        yield one, two, adapters


async def test_two_processes_escalate_a_breach_exactly_once(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Two bots on one database (a second process, or a restart) sweeping at the same
    moment: one event per level and one set of notices between them."""
    config = make_config(db_path)
    clock = Clock()
    async with two_processes(config, new_store, clock) as (one, two, adapters):
        await Harness(one, adapters[0]).say("resident1", URGENT)
        for offset in (at(minutes=31), at(minutes=61), at(minutes=62)):
            clock.now = START + offset
            reports = await asyncio.gather(*(b.supervisor.sweep() for b in [one, two] * 3))
            assert sum(r.escalated for r in reports) == (0 if offset == at(minutes=62) else 1)
        for bot in (one, two):
            await bot.dispatcher.flush()
        notices = [m for a in adapters for m in a.sent if m.kind in ("escalation", "direct")]
        levels = sorted(m.text[:6] for m in notices)
        # room + 2 workers; room + 2 workers + admin; the 2 workers' word of the danger at once
        assert levels == ["【一级督办】"] * 3 + ["【二级督办】"] * 4 + ["【紧急】新工"] * 2
        keyed = "SELECT once_key FROM ticket_events WHERE once_key IS NOT NULL"
        assert len(await rows(one.store, keyed)) == 2
    # A restart finds everything on record.
    async with Bot(config, [HarnessAdapter()], new_store(), KeywordClassifier(), clock) as again:
        assert await again.supervisor.sweep() == SweepReport()


async def test_notices_go_to_the_configured_rooms(db_path: Path, new_store: StoreFactory) -> None:
    config = make_config(db_path)
    config.supervision.notify = [
        ChatRef(channel=CHANNEL, chat_id="duty"),
        ChatRef(channel=CHANNEL, chat_id="leaders"),
    ]
    config.supervision.levels = 1
    async for desk in started(config, new_store):
        await desk.h.say("resident1", URGENT)
        report, sent = await desk.sweep_at(at(hours=2))
        assert report.escalated == 1  # levels = 1: no second level at 2x
        assert [m.chat_id for m in sent] == ["duty", "leaders", "worker1", "worker2"]
        # Staff can use their commands in a notify room.
        assert "工单 #1" in (await desk.h.say("staff1", "/ticket 1", chat="duty"))[0].text


async def test_the_running_bot_sweeps_on_its_own(desk: Desk) -> None:
    await desk.h.say("resident1", URGENT)
    desk.clock.now = START + at(hours=1)
    swept = asyncio.Event()
    real = desk.bot.supervisor.sweep

    async def sweep() -> SweepReport:
        report = await real()
        swept.set()
        return report

    desk.bot.supervisor.sweep = sweep  # type: ignore[method-assign]
    desk.bot.start_supervision()
    await asyncio.wait_for(swept.wait(), timeout=10)
    await desk.bot.dispatcher.flush()
    assert any(m.kind == "escalation" for m in desk.adapter.sent)


async def test_due_moments_are_when_a_sweep_would_find_work(desk: Desk) -> None:
    """What the console demo's /wait sweeps at: every level of every deadline, and every
    follow-up visit, that falls due in the window (its start excluded, its end included)."""
    await desk.h.say("resident1", URGENT)  # #1 at START: claim 30m/1h, resolve 4h/8h
    desk.clock.now = START + at(minutes=10)
    await desk.h.say("resident1", NORMAL)  # #2: claim 3d10m/6d10m, resolve 15d10m/30d10m
    await desk.h.say("worker1", "认领 2")
    await desk.h.say("worker1", "办结 2 已更换灯泡")  # a visit due a day later; no deadlines
    moments = await desk.bot.supervisor.due_moments(START, START + at(days=1, minutes=10))
    assert moments == [
        START + at(minutes=30),
        START + at(hours=1),
        START + at(hours=4),
        START + at(hours=8),
        START + at(days=1, minutes=10),  # the follow-up visit
    ]
    later = await desk.bot.supervisor.due_moments(START + at(hours=1), START + at(hours=8))
    assert later == [START + at(hours=4), START + at(hours=8)]
    await desk.h.say("worker1", "认领 1")  # claimed: only its resolve deadline is left
    claimed = await desk.bot.supervisor.due_moments(START, START + at(hours=8))
    assert claimed == [START + at(hours=4), START + at(hours=8)]


def test_breaches_by_status_and_level() -> None:
    limits = {Stage.CLAIM: at(minutes=30), Stage.RESOLVE: at(hours=4)}
    cal = WorkCalendar()
    found = breaches(Status.NEW, START, START + at(hours=1), limits, 3, cal)
    assert [(b.stage, b.level) for b in found] == [(Stage.CLAIM, 1), (Stage.CLAIM, 2)]
    assert found[1].due == START + at(hours=1)  # exactly at the limit counts as missed
    claimed = breaches(Status.CLAIMED, START, START + at(hours=9), limits, 3, cal)
    assert [(b.stage, b.level) for b in claimed] == [(Stage.RESOLVE, 1), (Stage.RESOLVE, 2)]
    assert breaches(Status.RESOLVED, START, START + at(days=99), limits, 3, cal) == []
    assert found[0].once_key("T") != claimed[0].once_key("T") != found[0].once_key("T2")


def test_breach_levels_in_working_days() -> None:
    """Level k at k times the limit, counted in working days: 3, 6, 9 of them."""
    limits = {Stage.CLAIM: WorkingDays(3), Stage.RESOLVE: WorkingDays(15)}
    filed = local(2025, 9, 30, 10)  # the eve of National Day 2025
    found = breaches(Status.NEW, filed, local(2025, 10, 21), limits, 3, WorkCalendar())
    assert [(b.stage, b.level, b.due) for b in found] == [
        # 9, 10 and (a make-up Saturday) 11 October; then 13-15; then 16, 17, 20.
        (Stage.CLAIM, 1, local(2025, 10, 13)),
        (Stage.CLAIM, 2, local(2025, 10, 16)),
        (Stage.CLAIM, 3, local(2025, 10, 21)),
    ]
    assert found[0].limit == WorkingDays(3) and found[2].limit == WorkingDays(3)


@pytest.mark.parametrize(
    ("span", "zh", "en"),
    [
        (at(days=2, hours=3, minutes=5), "2天3小时", "2d 3h"),
        (at(days=2, minutes=5), "2天", "2d"),
        (at(hours=4, minutes=5), "4小时5分钟", "4h 5m"),
        (at(minutes=45), "45分钟", "45m"),
        (timedelta(seconds=20), "不到1分钟", "under a minute"),
    ],
)
def test_durations_read_naturally(span: timedelta, zh: str, en: str) -> None:
    assert Renderer.duration(span, "zh") == zh
    assert Renderer.duration(span, "en") == en


@pytest.mark.parametrize(
    ("days", "zh", "en"),
    [
        (3, "3个工作日", "3 working days"),
        (1, "1个工作日", "1 working day"),
        (0, "不到1个工作日", "under a working day"),
    ],
)
def test_working_days_read_naturally(days: int, zh: str, en: str) -> None:
    assert Renderer.duration(WorkingDays(days), "zh") == zh
    assert Renderer.duration(WorkingDays(days), "en") == en


async def test_overdue_lists_most_overdue_first(desk: Desk) -> None:
    assert (await desk.h.say("staff1", "督办"))[0].text == "没有超时工单。"
    await desk.h.say("resident1", NORMAL)  # #1: claim within 3 working days
    await desk.h.say("resident1", URGENT)  # #2: claim by 30m, resolve by 4h
    await desk.h.say("resident2", "西村水渠堵了", chat="west")  # #3, area XC: as #1
    await desk.h.say("worker1", "认领 2")
    desk.clock.now = START + at(days=3, hours=2)  # Wednesday 11:00: #1 and #3 still in time
    listing = (await desk.h.say("staff1", "/overdue"))[0].text.splitlines()
    assert len(listing) == 2 and listing[1].startswith("#2｜")
    desk.clock.now = START + at(days=4, hours=2)  # Thursday 11:00
    await desk.h.say("resident2", "小区门口垃圾没人清")  # #4: filed just now, not late

    listing = (await desk.h.say("staff1", "/overdue"))[0].text.splitlines()
    assert listing[0] == "超时工单（全部网格，共 3 件，超时最久的在前）："
    assert listing[1] == (
        "#2｜紧急｜处理中｜超时未办结 3天22小时｜已等待 4天2小时｜负责人：worker1｜村口有人打人了"
    )
    # Working-day limits are told in working days: the three are used up, the fourth
    # (Thursday) under way.
    assert listing[2].startswith(
        "#1｜一般｜待认领｜超时未认领 不到1个工作日｜已等待 3个工作日｜无人认领｜"
    )
    assert listing[3].startswith("#3｜一般｜待认领｜超时未认领 不到1个工作日｜")
    assert len(listing) == 4

    west = (await desk.h.say("admin1", "/overdue XC"))[0].text.splitlines()
    assert west[0] == "超时工单（西村，共 1 件，超时最久的在前）：" and west[1].startswith("#3｜")
    # In Chinese with the area's code: the command, not a report (it used to be filed, urgent).
    assert (await desk.h.say("admin1", "督办 XC"))[0].text.splitlines() == west
    unknown = (await desk.h.say("staff1", "/overdue NOPE"))[0].text
    assert unknown == "「NOPE」不是网格的名称或代码。可选：DZ（东镇）、XC（西村）。"
    assert "不能使用「督办」" in (await desk.h.say("worker1", "督办"))[0].text


async def test_overdue_in_english_and_past_the_list_limit(desk: Desk) -> None:
    for n in range(22):
        await desk.h.say("resident1", f"{NORMAL}{n}")
    await desk.h.say("staff1", "/lang en")
    desk.clock.now = START + at(days=5)  # Friday: Monday to Thursday have ended
    listing = (await desk.h.say("staff1", "/overdue", private=True))[0].text.splitlines()
    assert listing[0] == "Overdue tickets (all areas, 22, most overdue first):"
    assert listing[1].startswith(
        "#1 | Normal | new | not claimed, 1 working day late | waiting 4 working days | "
    )
    assert listing[-1] == "2 more not shown."
    assert len(listing) == 22


# Working days (工作日) ---------------------------------------------------------------------


async def test_national_day_a_normal_ticket_waits_for_the_centre_to_reopen(desk: Desk) -> None:
    """Filed on 30 September 2025, the eve of the National Day and Mid-Autumn break (1-8
    October): the urgent ticket is escalated within the hour, holiday or not; the normal
    one not once during the break, and at 00:00 on Monday 13 October, its three working
    days (9, 10 and the make-up Saturday 11 October) used up."""
    desk.clock.now = local(2025, 9, 30, 10)
    await desk.h.say("resident1", URGENT)  # #1
    await desk.h.say("resident2", NORMAL)  # #2
    moments = await desk.bot.supervisor.due_moments(desk.clock.now, local(2025, 10, 20))
    assert moments == [
        local(2025, 9, 30, 10, 30),  # #1 claim, levels 1 and 2
        local(2025, 9, 30, 11),
        local(2025, 9, 30, 14),  # #1 resolve, levels 1 and 2
        local(2025, 9, 30, 18),
        local(2025, 10, 13),  # #2 claim, level 1 (3 working days)
        local(2025, 10, 16),  # level 2 (6: 13, 14 and 15 October)
    ]
    report, sent = await desk.sweep_on(local(2025, 10, 1, 10))
    assert report.escalated == 4 and all("工单 #1" in m.text for m in sent)
    for day in range(1, 13):  # every day of the break and the weekend after it
        assert await desk.sweep_on(local(2025, 10, day, 23, 59)) == (SweepReport(), [])

    report, sent = await desk.sweep_on(local(2025, 10, 13))
    assert report.escalated == 1
    assert [(m.chat_id, m.kind) for m in sent] == ROOM_AND_GRID
    assert sent[0].text.splitlines()[0] == (
        "【一级督办】工单 #2 超时未认领｜一般｜时限 3个工作日，已等待 3个工作日"
    )
    desk.clock.now = local(2025, 10, 14, 9)
    listing = (await desk.h.say("staff1", "/overdue"))[0].text.splitlines()
    assert listing[2].startswith(
        "#2｜一般｜待认领｜超时未认领 1个工作日｜已等待 4个工作日｜无人认领｜"
    )
    await desk.h.say("worker1", "认领 2")
    # Claimed: the resolve deadline is left, 15 working days, to 00:00 on 29 October.
    assert await desk.sweep_on(local(2025, 10, 28, 23, 59)) == (SweepReport(), [])
    report, sent = await desk.sweep_on(local(2025, 10, 29))
    assert report.escalated == 1
    assert sent[1].text == (
        "【一级督办】您负责的工单 #2 超时未办结（一般，时限 15个工作日，已等待 15个工作日），"
        "请尽快处理；办结请发送「办结 2 办理结果」。\n" + NORMAL
    )
    history = (await desk.h.say("staff1", "/ticket 2", chat="staff"))[0].text
    assert "系统 督办 超时未认领（一级）" in history and "超时未办结（一级）" in history


async def test_a_working_day_escalation_missed_while_down_waits_for_a_working_day(
    desk: Desk,
) -> None:
    """#1, normal, is late from 00:00 on Thursday 3 December; the bot, down from Wednesday,
    is back on Saturday morning: its escalation is not sent on the weekend (it used to be,
    by the first sweep back), but at 00:00 on Monday, when a deadline falling in the
    weekend would have been.  The urgent #2, filed on the Saturday, is escalated as ever."""
    await desk.h.say("resident1", NORMAL)
    assert await desk.sweep_on(local(2026, 12, 2, 12)) == (SweepReport(), [])
    desk.clock.now = local(2026, 12, 5, 9)
    await desk.h.say("resident2", URGENT)
    report, sent = await desk.sweep_on(local(2026, 12, 5, 9, 31))
    assert report.escalated == 1 and all("工单 #2" in m.text for m in sent)
    await desk.h.say("worker1", "认领 2")
    await desk.h.say("worker1", "办结 2 已制止")
    assert await desk.sweep_on(local(2026, 12, 6, 23, 30)) == (SweepReport(), [])
    # Still overdue for /overdue and the briefing: it is late, only not escalated yet.
    listing = (await desk.h.say("staff1", "/overdue"))[0].text
    assert "#1｜一般｜待认领｜超时未认领" in listing
    # Half an hour on, within the hour: the agenda brings it back, not only a full read.
    report, sent = await desk.sweep_on(local(2026, 12, 7))
    assert report.escalated == 1
    assert sent[0].text.splitlines()[0] == (
        "【一级督办】工单 #1 超时未认领｜一般｜时限 3个工作日，已等待 5个工作日"
    )
    assert await desk.sweep_on(local(2026, 12, 7, 0, 1)) == (SweepReport(), [])


async def test_working_day_escalation_in_english(desk: Desk) -> None:
    desk.clock.now = local(2025, 11, 14, 22)  # a Friday night: Monday is day 1
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("admin1", "/lang en")
    await desk.sweep_on(local(2025, 11, 20))  # level 1, Thursday
    report, sent = await desk.sweep_on(local(2025, 11, 25))  # level 2: 6 working days
    assert report.escalated == 1
    [admin] = [m for m in sent if m.chat_id == "admin1"]
    assert admin.text.splitlines()[0] == (
        "[Escalation, level 2] Ticket #1 not claimed in time | Normal | "
        "limit 3 working days, waiting 6 working days"
    )


async def test_a_limit_written_in_calendar_days_runs_around_the_clock(
    db_path: Path, new_store: StoreFactory
) -> None:
    """'3d' is still three days around the clock, weekends and holidays included: a
    centre that wants that writes it so."""
    config = make_config(db_path)
    config.sla.normal = "3d"
    config.sla.resolve.normal = "15d"
    async for desk in started(config, new_store):
        await desk.h.say("resident1", NORMAL)  # Sunday 09:00
        assert await desk.sweep_at(at(days=2, hours=23)) == (SweepReport(), [])
        report, sent = await desk.sweep_at(at(days=3, minutes=1))
        assert report.escalated == 1
        assert "超时未认领｜一般｜时限 3天，已等待 3天" in sent[0].text
        overdue = (await desk.h.say("staff1", "/overdue"))[0].text
        assert "#1｜一般｜待认领｜超时未认领 1分钟｜已等待 3天" in overdue


async def test_into_a_year_the_package_does_not_know(
    db_path: Path, new_store: StoreFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """Filed on Wednesday 30 December 2026: chinesecalendar 1.11 has no 2027, so Friday 1
    January would count (Monday to Friday) unless the county names it a holiday, as this
    one does in [calendar].  The start-up log warns of 2027, once."""
    config = make_config(db_path)
    config.calendar = CalendarConfig(holidays=["2027-01-01"])
    with caplog.at_level(logging.WARNING, logger="bot.workcal"):
        async for desk in started(config, new_store):
            warned = [r for r in caplog.records if "for 2027" in r.getMessage()]
            assert len(warned) == 1  # the deadlines of a ticket filed at START reach 2027
            assert "with 1 holiday(s) and 0 working day(s)" in warned[0].getMessage()
            desk.clock.now = local(2026, 12, 30, 10)
            await desk.h.say("resident1", NORMAL)
            # 31 December, Monday 4 and Tuesday 5 January: late from Wednesday the 6th.
            assert await desk.sweep_on(local(2027, 1, 5, 23, 59)) == (SweepReport(), [])
            report, sent = await desk.sweep_on(local(2027, 1, 6))
            assert report.escalated == 1 and "时限 3个工作日，已等待 3个工作日" in sent[0].text
    assert len([r for r in caplog.records if "for 2027" in r.getMessage()]) == 1


async def test_no_warning_when_the_deadlines_stay_in_known_years(
    db_path: Path, new_store: StoreFactory, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    clock.now = local(2025, 6, 2, 9)  # 60 working days on end in September 2025
    with caplog.at_level(logging.WARNING, logger="bot.workcal"):
        config = make_config(db_path)
        async with Bot(config, [HarnessAdapter()], new_store(), KeywordClassifier(), clock):
            pass
    assert "no official holiday schedule" not in caplog.text


# One event, several reporters (疑似同一事件): linked tickets' escalations ----------------

FIRE = "村口着火了"  # urgent, as URGENT; the second report is linked to it as one event
FIRE_AGAIN = "村口那边着火了，烟很大！"


async def two_reports_of_one_fire(desk: Desk) -> None:
    """#1 at the start, #2 ten minutes later, linked to it (`bot.repeats.same_event`)."""
    await desk.h.say("resident1", FIRE)
    desk.clock.now = START + at(minutes=10)
    second = await desk.h.say("resident2", FIRE_AGAIN)
    assert any("疑似与工单 #1 为同一事件" in m.text for m in second if m.chat_id == "staff")


async def test_one_events_tickets_late_together_are_one_notice(desk: Desk) -> None:
    """Two linked urgent tickets unclaimed past their claim limit, found in one sweep: the
    staff room reads one notice naming both, with the 并案 that would join them; each
    ticket's escalation is recorded on it, once."""
    await two_reports_of_one_fire(desk)
    report, sent = await desk.sweep_at(at(minutes=41))
    assert report.escalated == 2  # one breach recorded on each ticket
    [room] = [m for m in sent if m.chat_id == "staff"]
    assert room.kind == "escalation" and room.text == (
        "【一级督办】疑似同一事件的 2 件工单均超时未认领：#1、#2\n"
        f"工单 #1｜紧急｜时限 30分钟，已等待 41分钟\n东镇｜无人认领\n{FIRE}\n"
        f"工单 #2｜紧急｜时限 30分钟，已等待 31分钟\n东镇｜无人认领\n{FIRE_AGAIN}\n"
        "（核实确属同一事件，可发送「并案 2 到 1」合并）"
    )
    # The grid workers, who may not merge, read one message of both tickets (`arrange`),
    # the one late longest first, each with the command that takes it up.
    [worker1] = [m.text for m in sent if m.chat_id == "worker1"]
    assert worker1 == (
        "【督办汇总】您有 2 件工单需要处理（最紧急的在前）：\n"
        f"【一级督办】#1｜紧急｜超时未认领 11分钟｜{FIRE}｜「认领 1」\n"
        f"【一级督办】#2｜紧急｜超时未认领 1分钟｜{FIRE_AGAIN}｜「认领 2」"
    )
    assert "并案" not in worker1

    for minutes in (45, 59, 65):  # on record for both (#1's level 2 is at 60, #2's at 70)
        report, sent = await desk.sweep_at(at(minutes=minutes))
        assert report.escalated == (1 if minutes == 65 else 0)
        assert all("#2" not in m.text.split("\n")[0] for m in sent)
    for number in (1, 2):
        history = (await desk.h.say("staff1", f"/ticket {number}", chat="staff"))[0].text
        assert history.count("督办 超时未认领（一级）") == 1


async def test_linked_tickets_at_level_two_reach_each_admin_once(desk: Desk) -> None:
    await two_reports_of_one_fire(desk)
    await desk.sweep_at(at(minutes=41))
    report, sent = await desk.sweep_at(at(minutes=71))  # both past level 2 (60, 70)
    assert report.escalated == 2
    [room] = [m.text for m in sent if m.chat_id == "staff"]
    [admin] = [m.text for m in sent if m.chat_id == "admin1"]
    header = "【二级督办】疑似同一事件的 2 件工单均超时未认领：#1、#2\n"
    assert room.startswith(header) and admin.startswith(header)
    assert admin.endswith("（核实确属同一事件，可发送「并案 2 到 1」合并）")
    assert await desk.sweep_at(at(minutes=80)) == (SweepReport(), [])


async def test_a_linked_ticket_escalated_alone_names_the_other(desk: Desk) -> None:
    """Late at different sweeps, each ticket's notice is its own, as an unlinked one's,
    with the other named and the 并案 into the first report; merged, the line is gone."""
    await two_reports_of_one_fire(desk)
    _, sent = await desk.sweep_at(at(minutes=31))  # #1 only
    [room] = [m.text for m in sent if m.chat_id == "staff"]
    assert room == (
        "【一级督办】工单 #1 超时未认领｜紧急｜时限 30分钟，已等待 31分钟\n"
        f"东镇｜无人认领\n{FIRE}\n（与 #2 疑似同一事件，可发送「并案 2 到 1」合并）"
    )
    _, sent = await desk.sweep_at(at(minutes=41))  # #2 now
    [room] = [m.text for m in sent if m.chat_id == "staff"]
    assert room.startswith("【一级督办】工单 #2 超时未认领")
    assert room.endswith("（与 #1 疑似同一事件，可发送「并案 2 到 1」合并）")

    await desk.h.say("staff1", "并案 2 1", chat="staff")  # a person judged: one event
    _, sent = await desk.sweep_at(at(minutes=61))
    [room] = [m.text for m in sent if m.chat_id == "staff"]
    assert room.startswith("【二级督办】工单 #1 超时未认领") and "疑似" not in room


async def test_an_unlinked_tickets_notice_is_unchanged(desk: Desk) -> None:
    """An urgent report late alone: its notice as ever; two of different things late in one
    sweep: one folded notice, a line each, naming no event."""
    await desk.h.say("resident1", URGENT)
    report, sent = await desk.sweep_at(at(minutes=31))
    assert report.escalated == 1
    assert [m.text for m in sent if m.chat_id == "staff"] == [
        "【一级督办】工单 #1 超时未认领｜紧急｜时限 30分钟，已等待 31分钟\n"
        f"东镇｜无人认领\n{URGENT}",
    ]
    desk.clock.now = START + at(minutes=31)
    fire = "后山着火了"  # not like the first (another place): not linked
    await desk.h.say("resident2", fire)
    await desk.h.say("resident3", "菜市场有人打人", chat="west")  # another area
    report, sent = await desk.sweep_at(at(minutes=62))
    assert report.escalated == 3  # #1's second level, #2's and #3's first
    # The most urgent first: the same urgency, #1's deadline (level 1's, 30 minutes after it
    # was filed) came first.  Each line what staff act on: how late, where, who holds it.
    assert [m.text for m in sent if m.chat_id == "staff"] == [
        "【督办汇总】本次督办 3 件工单（最紧急的在前）：\n"
        f"【二级督办】#1｜紧急｜超时未认领 32分钟｜东镇｜无人认领｜{URGENT}\n"
        f"【一级督办】#2｜紧急｜超时未认领 1分钟｜东镇｜无人认领｜{fire}\n"
        "【一级督办】#3｜紧急｜超时未认领 1分钟｜西村｜无人认领｜菜市场有人打人",
    ]
    # The admins, told of #1's second level only: its notice as ever.
    [admin] = [m.text for m in sent if m.chat_id == "admin1"]
    assert admin.startswith("【二级督办】工单 #1 超时未认领｜紧急｜时限 30分钟，已等待 1小时2分钟")


async def test_a_residents_group_reads_each_linked_ticket_alone(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A notify room residents read (the intake group) is not told that others reported
    the same event: each ticket's notice alone, naming no other; the staff room one."""
    config = make_config(db_path)
    config.supervision.notify = [
        ChatRef(channel=CHANNEL, chat_id="staff"),
        ChatRef(channel=CHANNEL, chat_id="group"),
    ]
    async for desk in started(config, new_store):
        await two_reports_of_one_fire(desk)
        _, sent = await desk.sweep_at(at(minutes=41))
        assert len([m for m in sent if m.chat_id == "staff"]) == 1
        group = [m.text for m in sent if m.chat_id == "group"]
        assert [text.split("\n")[0] for text in group] == [
            "【一级督办】工单 #1 超时未认领｜紧急｜时限 30分钟，已等待 41分钟",
            "【一级督办】工单 #2 超时未认领｜紧急｜时限 30分钟，已等待 31分钟",
        ]
        assert not any("疑似" in text or "并案" in text for text in group)


FIRE_THIRD = "村口着火了，火很大"


async def test_a_sweeps_late_tickets_are_one_staff_room_message(desk: Desk) -> None:
    """Three reports of one fire and an unrelated case, late at one sweep: the staff room
    read an event notice and another; now one message, the event's tickets together with
    the one 并案 that joins them all, then the other case.  The admins, from level 2, the
    same in their own language; the 并案 suggested, typed, merges them."""
    await two_reports_of_one_fire(desk)
    desk.clock.now = START + at(minutes=20)
    await desk.h.say("resident3", FIRE_THIRD)  # #3, linked too
    await desk.h.say("resident4", "菜市场有人打人", chat="west")  # #4, another area
    report, sent = await desk.sweep_at(at(minutes=51))
    assert report.escalated == 4
    [room] = [m for m in sent if m.chat_id == "staff"]
    assert room.kind == "escalation" and room.ticket_id == 1 and room.text == (
        "【督办汇总】本次督办 4 件工单（最紧急的在前）：\n"
        f"【一级督办】#1｜紧急｜超时未认领 21分钟｜东镇｜无人认领｜{FIRE}\n"
        f"【一级督办】#2｜紧急｜超时未认领 11分钟｜东镇｜无人认领｜{FIRE_AGAIN}\n"
        f"【一级督办】#3｜紧急｜超时未认领 1分钟｜东镇｜无人认领｜{FIRE_THIRD}\n"
        "（核实确属同一事件，可发送「并案 2 3 到 1」合并）\n"
        "【一级督办】#4｜紧急｜超时未认领 1分钟｜西村｜无人认领｜菜市场有人打人"
    )
    await desk.h.say("admin1", "/lang en")
    _, sent = await desk.sweep_at(at(minutes=81))  # level 2 of all four: the admins too
    [again] = [m.text for m in sent if m.chat_id == "staff"]
    assert again.startswith("【督办汇总】本次督办 4 件工单（最紧急的在前）：\n【二级督办】#1｜")
    [admin] = [m for m in sent if m.chat_id == "admin1"]
    lines = admin.text.split("\n")
    assert admin.kind == "direct" and lines[0] == (
        "[Escalations] 4 tickets escalated (most urgent first):"
    )
    assert [line.split(" | ")[0] for line in lines[1:4]] == [
        f"[Escalation, level 2] #{n}" for n in (1, 2, 3)
    ]
    assert lines[1].endswith("not claimed in time, 51m late | 东镇 | nobody holds it | "
                             f"{FIRE}")
    assert lines[4] == "(if they are one event, send /merge 2 3 into 1)"
    assert lines[5].startswith("[Escalation, level 2] #4 | Urgent | ")

    replies = await desk.h.say("staff1", "/merge 2 3 into 1", chat="staff")
    [reply] = [m for m in replies if m.chat_id == "staff"]
    assert reply.text.startswith("已将 2 张工单并入工单 #1（并案）：#2、#3")
    merged = "SELECT id, merged_into FROM tickets ORDER BY id"
    assert await rows(desk.bot.store, merged) == [(1, None), (2, 1), (3, 1), (4, None)]


async def test_the_suggested_bulk_merge_works_as_typed_in_chinese(desk: Desk) -> None:
    """One event's three tickets late alone at one sweep: its one notice as it always read,
    the 并案 all of them into the first as one command; typed back, it merges them."""
    await two_reports_of_one_fire(desk)
    desk.clock.now = START + at(minutes=20)
    await desk.h.say("resident3", FIRE_THIRD)
    _, sent = await desk.sweep_at(at(minutes=51))
    [room] = [m.text for m in sent if m.chat_id == "staff"]
    assert room.startswith("【一级督办】疑似同一事件的 3 件工单均超时未认领：#1、#2、#3\n")
    assert room.endswith("\n（核实确属同一事件，可发送「并案 2 3 到 1」合并）")
    command = room.split("「")[-1].split("」")[0]
    assert command == "并案 2 3 到 1"
    await desk.h.say("staff1", command, chat="staff")
    merged = "SELECT id, merged_into FROM tickets ORDER BY id"
    assert await rows(desk.bot.store, merged) == [(1, None), (2, 1), (3, 1)]


async def test_a_notice_with_buttons_is_never_folded(desk: Desk) -> None:
    """Three tickets held, late to be resolved at one sweep, one with its holder's request
    for more time waiting: its room notice keeps its buttons and goes alone; the other two
    are one message.  The holder of two reads both in one (neither has buttons)."""
    await desk.h.say("resident1", URGENT)  # #1
    await desk.h.say("resident2", "后山着火了")  # #2, elsewhere: not linked
    await desk.h.say("resident3", "菜市场有人打人", chat="west")  # #3
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "认领 2")
    await desk.h.say("westworker", "认领 3")
    await desk.h.say("worker1", "申请延期 2 2小时 等消防出具结论")
    report, sent = await desk.sweep_at(at(hours=4, minutes=1))
    assert report.escalated == 3
    room = [m for m in sent if m.chat_id == "staff"]
    [asked] = [m for m in room if m.buttons]
    assert asked.ticket_id == 2 and asked.text.startswith("【一级督办】工单 #2 超时未办结")
    assert "worker1 已申请延期 2小时，尚未批复" in asked.text
    [folded] = [m.text for m in room if not m.buttons]
    assert folded.split("\n")[0] == "【督办汇总】本次督办 2 件工单（最紧急的在前）："
    assert [line.split("｜")[0] for line in folded.split("\n")[1:]] == [
        "【一级督办】#1", "【一级督办】#3"
    ]
    assert "｜负责人：worker1｜" in folded and "#2" not in folded
    [mine] = [m.text for m in sent if m.chat_id == "worker1"]
    assert mine.startswith("【督办汇总】您有 2 件工单需要处理（最紧急的在前）：")


def test_a_big_events_merge_names_the_first_ten_then_the_rest() -> None:
    """Fourteen reports of one flooded bridge, a normal one the first: the 并案 goes into the
    urgent one (the most urgent, the earliest of those), with the first ten others named in
    the reader's words and "etc"; each part of it is a command merging that many."""
    event = [
        TicketRecord(
            n, "test", "group", f"m{n}", "DZ", 1, "x", "other", 0.9,
            "urgent" if n in (3, 5) else "normal", 0.9, (), False, "new", None, None,
            "2026-11-29T01:00:00.000Z", "2026-11-29T01:00:00.000Z",
        )
        for n in range(1, 15)
    ]  # fmt: skip
    render = Renderer()
    others = "1 2 4 5 6 7 8 9 10 11"
    assert merge_suggestion(render, event, "zh") == f"「并案 {others} 到 3」等"
    assert merge_suggestion(render, event, "en") == f"/merge {others} into 3 (then the rest)"
    assert merge_suggestion(render, event[:2], "en") == "/merge 2 into 1"
    # As staff read it beside one of them: the others named, the one command.
    line = same_event_line(render, event[:3], {1}, "zh", merge=True)
    assert line == "（与 #2、#3 疑似同一事件，可发送「并案 1 2 到 3」合并）"


async def test_a_ticket_assigned_late_says_how_late_to_its_new_holder(desk: Desk) -> None:
    """指派 of a case already past its deadline told the worker only its words, and they took
    it in turn; now how far past it is, to do first.  One in time says nothing of it."""
    await desk.h.say("resident1", "楼道灯坏了一个星期了")  # #1, 一般: 15 working days
    await desk.h.say("resident2", "楼上漏水滴到我家了")  # #2
    [notice] = [
        m.text for m in await desk.h.say("staff1", "指派 2 worker2", chat="staff")
        if m.chat_id == "worker2"
    ]
    assert "超过办理期限" not in notice
    desk.clock.now = local(2026, 12, 23, 10)  # 15 working days from Monday 30 Nov: past
    [notice] = [
        m.text for m in await desk.h.say("staff1", "指派 1 worker1", chat="staff")
        if m.chat_id == "worker1"
    ]
    assert notice == (
        "staff1 将工单 #1 指派给您：楼道灯坏了一个星期了\n"
        "该工单已超过办理期限 2个工作日，请优先办理。"
    )


# A surge (a typhoon night): one message to each person who acts, most urgent first -----

LIGHT = "楼道灯坏了一个月"  # normal, as NORMAL
RUBBISH = "小区门口垃圾堆了一周没人清理"  # normal, another matter


async def test_a_surge_reaches_each_grid_worker_in_one_message(desk: Desk) -> None:
    """Two normal tickets and an urgent one, all late to be claimed at one sweep: each grid
    worker read three messages (a flooded grid's, fifty-one in two hours), the urgent one
    wherever it fell.  Now one, the urgent ticket first, then the one late longest; each
    ticket's escalation is still recorded on it, once."""
    await desk.h.say("resident1", LIGHT)  # #1, Sunday 09:00: late at 00:00 on Thursday
    await desk.h.say("resident2", RUBBISH)  # #2, the same
    desk.clock.now = CLAIM_LATE - at(minutes=40)
    await desk.h.say("resident3", URGENT)  # #3: late 10 minutes before them
    report, sent = await desk.sweep_on(CLAIM_LATE + at(minutes=1))
    assert report.escalated == 3
    for worker in ("worker1", "worker2"):
        [note] = [m for m in sent if m.chat_id == worker]
        assert note.kind == "direct" and note.buttons == []
        assert note.text == (
            "【督办汇总】您有 3 件工单需要处理（最紧急的在前）：\n"
            f"【一级督办】#3｜紧急｜超时未认领 11分钟｜{URGENT}｜「认领 3」\n"
            f"【一级督办】#1｜一般｜超时未认领 不到1个工作日｜{LIGHT}｜「认领 1」\n"
            f"【一级督办】#2｜一般｜超时未认领 不到1个工作日｜{RUBBISH}｜「认领 2」"
        )
    # The staff room reads one message too: the three unrelated cases, a line each.
    [room] = [m for m in sent if m.chat_id == "staff"]
    assert room.kind == "escalation" and room.buttons == []
    assert room.text == (
        "【督办汇总】本次督办 3 件工单（最紧急的在前）：\n"
        f"【一级督办】#3｜紧急｜超时未认领 11分钟｜东镇｜无人认领｜{URGENT}\n"
        f"【一级督办】#1｜一般｜超时未认领 不到1个工作日｜东镇｜无人认领｜{LIGHT}\n"
        f"【一级督办】#2｜一般｜超时未认领 不到1个工作日｜东镇｜无人认领｜{RUBBISH}"
    )
    for number in (1, 2, 3):
        history = (await desk.h.say("staff1", f"/ticket {number}", chat="staff"))[0].text
        assert history.count("督办 超时未认领（一级）") == 1
    keyed = "SELECT COUNT(*) FROM ticket_events WHERE once_key IS NOT NULL"
    assert await rows(desk.bot.store, keyed) == [(3,)]
    # On record: the next sweep sends nothing, folded or not.
    assert await desk.sweep_on(CLAIM_LATE + at(minutes=2)) == (SweepReport(), [])


async def test_one_late_ticket_reads_as_before_beside_another_persons(desk: Desk) -> None:
    """Folding is per person: worker1 holds #1 and is told of it alone, in the words they
    always read; the west's grid worker, told of #2 and #3, reads both in one message."""
    await desk.h.say("resident1", URGENT)  # #1
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("resident2", URGENT, chat="west")  # #2
    await desk.h.say("resident3", "西村桥头着火了", chat="west")  # #3
    _, sent = await desk.sweep_at(at(hours=4, minutes=1))
    [mine] = [m.text for m in sent if m.chat_id == "worker1"]
    assert mine.startswith("【一级督办】您负责的工单 #1 超时未办结（紧急，时限 4小时，")
    assert [m.text for m in sent if m.chat_id == "worker2"] == []  # #1 is held
    [theirs] = [m.text for m in sent if m.chat_id == "westworker"]
    assert theirs.startswith("【督办汇总】您有 2 件工单需要处理")
    assert "#2｜紧急｜超时未认领" in theirs and "#3｜紧急｜超时未认领" in theirs


async def test_a_sweeps_notices_go_urgent_first_then_by_deadline(desk: Desk) -> None:
    """Ten normal tickets late since Thursday and an urgent one late since minutes ago:
    the staff room read the urgent one's notice under the ten, as they went out by
    deadline alone.  Now urgent first, everywhere; then the earliest deadline: the room's
    and each grid worker's one folded message each."""
    for n in range(10):
        await desk.h.say(f"resident{n}", f"{n}号楼{LIGHT}")  # #1..#10, late at 00:00
    desk.clock.now = CLAIM_LATE - at(minutes=40)
    await desk.h.say("resident99", URGENT)  # #11, late at 23:50 on Wednesday
    report, sent = await desk.sweep_on(CLAIM_LATE + at(minutes=1))
    assert report.escalated == 11
    [room] = [m.text.split("\n") for m in sent if m.chat_id == "staff"]
    assert room[0] == "【督办汇总】本次督办 11 件工单（最紧急的在前）："
    assert room[1].startswith("【一级督办】#11｜紧急｜超时未认领 11分钟｜")
    assert [line.split("｜")[0] for line in room[2:]] == [
        f"【一级督办】#{n}" for n in range(1, 11)
    ]
    # In the queue as a whole: the room's folded notice, then the grid workers', each at
    # the place of its urgent line, and nothing else.
    assert [(m.chat_id, m.ticket_id) for m in sent] == [
        ("staff", 11), ("worker1", 11), ("worker2", 11)
    ]  # fmt: skip
    [fold] = [m.text for m in sent if m.chat_id == "worker1"]
    assert fold.split("\n")[1].startswith("【一级督办】#11｜紧急｜")
    assert fold.count("\n") == 11


async def test_more_than_twenty_tickets_for_one_person_are_in_parts(desk: Desk) -> None:
    for n in range(21):
        await desk.h.say(f"resident{n}", f"{n}号楼{LIGHT}")
    _, sent = await desk.sweep_on(CLAIM_LATE + at(minutes=1))
    parts = [m.text for m in sent if m.chat_id == "worker1"]
    assert [p.split("\n")[0] for p in parts] == [
        "【督办汇总】您有 21 件工单需要处理（最紧急的在前），第 1/2 条：",
        "【督办汇总】您有 21 件工单需要处理（最紧急的在前），第 2/2 条：",
    ]
    assert [p.count("\n") for p in parts] == [20, 1]
