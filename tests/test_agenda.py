"""The sweep's agenda (bot.supervision.Agenda): between full reads, a sweep reads only the
tickets that changed or whose moment has come, and still escalates and reminds exactly as
reading them all would.  Through the harness on SQLite and PostgreSQL, and the store's
narrow reads on both."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.supervision import FULL_CHECK_EVERY, Agenda, SweepReport, next_moment
from bot.workflow import CLOCK_STARTS, SUPERVISED
from storage import SQLiteStore
from storage.base import ClockedTicket, TicketRecord, stamp_of
from tests.conftest import make_config
from tests.test_supervision import NORMAL, START, URGENT, Desk, at, local, started

STATUSES = sorted(SUPERVISED)
# Normal reports, each about something else (the same words again would join one ticket).
OTHERS = (NORMAL, "小区门口的井盖松了", "垃圾桶满了没人收")


class Reads:
    """Counts the full ticket rows each sweep reads, by wrapping the store's transactions."""

    def __init__(self, desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
        self.full: list[int] = []  # rows read by `supervised` (every open ticket)
        self.among: list[list[int]] = []  # ids read by `supervised_among`
        store = desk.bot.store
        real_read = store.read

        def read() -> Any:
            context = real_read()
            outer = self

            class Counting:
                async def __aenter__(self) -> Any:
                    tx = await context.__aenter__()
                    real_supervised, real_among = tx.supervised, tx.supervised_among

                    async def supervised(*args: Any) -> list[ClockedTicket]:
                        found = await real_supervised(*args)
                        outer.full.append(len(found))
                        return found

                    async def among(ids: Any, *args: Any) -> list[ClockedTicket]:
                        outer.among.append(list(ids))
                        return await real_among(ids, *args)

                    monkeypatch.setattr(tx, "supervised", supervised)
                    monkeypatch.setattr(tx, "supervised_among", among)
                    return tx

                async def __aexit__(self, *exc: Any) -> Any:
                    return await context.__aexit__(*exc)

            return Counting()

        monkeypatch.setattr(store, "read", read)


async def test_between_full_reads_a_sweep_reads_only_what_changed_or_is_due(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    await desk.h.say("resident1", URGENT)  # #1: claim within 30 minutes
    for text in OTHERS:
        await desk.h.say("resident1", text)  # #2-#4: 3 working days
    reads = Reads(desk, monkeypatch)
    assert (await desk.sweep_at(at(minutes=1)))[0].escalated == 0
    assert reads.full == [4] and reads.among == []  # the first sweep reads them all
    await desk.sweep_at(at(minutes=2))
    assert reads.among == [[]]  # nothing changed, nothing due: no ticket row read
    desk.clock.now = START + at(minutes=3)
    await desk.h.say("worker1", "认领 3")
    await desk.sweep_at(at(minutes=4))
    assert reads.among[-1] == [3]  # claimed since: read again, and planned anew
    report, sent = await desk.sweep_at(at(minutes=31))  # #1's claim deadline has come
    assert reads.among[-1] == [1] and report.escalated == 1
    assert [m.kind for m in sent] == ["escalation", "direct", "direct"]  # the room, the grid
    await desk.sweep_at(at(minutes=32))
    assert reads.among[-1] == []  # on record, and its next level is at 60 minutes
    assert (await desk.sweep_at(at(minutes=60)))[0].escalated == 1  # level 2, when due
    assert reads.full == [4]
    await desk.sweep_at(at(minutes=1) + FULL_CHECK_EVERY)  # an hour on: all again
    assert reads.full == [4, 4]


async def test_a_change_in_the_same_millisecond_is_still_seen(desk: Desk) -> None:
    """A retag written with the very time the ticket was filed (two changes within one
    millisecond) leaves updated_at as it was; the stamp carries the urgency too."""
    await desk.h.say("resident1", NORMAL)
    assert await desk.sweep_at(at(minutes=1)) == (SweepReport(), [])
    async with desk.bot.store.read() as tx:
        ticket = await tx.ticket(1)
    assert ticket is not None
    async with desk.bot.store.write() as tx:
        await tx.retag(1, "public_order", "urgent", ticket.updated_at)
    report, sent = await desk.sweep_at(at(minutes=31))  # urgent: 30 minutes to claim
    assert report.escalated == 1 and "超时未认领" in sent[0].text


async def test_a_ticket_that_leaves_supervision_is_forgotten(desk: Desk) -> None:
    await desk.h.say("resident1", URGENT)
    await desk.sweep_at(at(minutes=1))
    desk.clock.now = START + at(minutes=2)
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "办结 1 已处理")
    assert 1 in desk.bot.supervisor.agenda
    assert await desk.sweep_at(at(minutes=31)) == (SweepReport(), [])
    assert 1 not in desk.bot.supervisor.agenda


def test_next_moment_is_the_next_level_or_reminder(db_path: Path) -> None:
    config = make_config(db_path)
    config.supervision.remind_at = 0.8

    def ticket(status: str, urgency: str, assignee: int | None) -> ClockedTicket:
        record = TicketRecord(
            1, "test", "group", "m1", "DZ", 1, "x", "neighbour", 0.9, urgency, 0.9, (),
            False, status, assignee, None, "2026-11-29T01:00:00.000Z",
            "2026-11-29T01:00:00.000Z",
        )  # fmt: skip
        return ClockedTicket(record, "2026-11-29T01:00:00.000Z")

    new_urgent = ticket("new", "urgent", None)
    assert next_moment(new_urgent, START, config) == START + at(minutes=30)
    assert next_moment(new_urgent, START + at(minutes=30), config) == START + at(minutes=60)
    # Past both levels of the claim deadline: the resolve deadline (4 hours) is next.
    assert next_moment(new_urgent, START + at(minutes=90), config) == START + at(hours=4)
    assert next_moment(new_urgent, START + at(hours=8), config) is None  # all levels passed
    held = ticket("claimed", "urgent", 7)  # reminded at 0.8 of 4 hours
    assert next_moment(held, START, config) == START + at(hours=3, minutes=12)
    # 15 working days from Sunday 29 November: 12 are used up at the end of 15 December, so
    # the reminder is at 09:00 on the 16th, with the last three days left.
    normal = ticket("claimed", "normal", 7)
    assert next_moment(normal, START, config) == local(2026, 12, 16, 9)
    # The stamp: what a change to the ticket changes.
    assert stamp_of(held.ticket) != stamp_of(normal.ticket)


def test_the_agenda_reads_all_again_every_hour_and_when_the_clock_goes_back() -> None:
    agenda = Agenda()
    assert agenda.wants_full(START)
    agenda.plan([], START, make_config(Path("unused.db")), full=True)
    assert not agenda.wants_full(START + timedelta(minutes=59))
    assert agenda.wants_full(START + FULL_CHECK_EVERY)
    assert agenda.wants_full(START - timedelta(seconds=1))


async def test_the_narrow_reads_on_both_engines(desk: Desk) -> None:
    for text in (URGENT, *OTHERS[:2]):
        await desk.h.say("resident1", text)
    await desk.h.say("worker1", "认领 2")
    async with desk.bot.store.read() as tx:
        stamps = await tx.supervised_stamps(STATUSES)
        every = await tx.supervised(STATUSES, CLOCK_STARTS)
        some = await tx.supervised_among([3, 1, 99], STATUSES, CLOCK_STARTS)
        keys = await tx.once_keys(STATUSES, [1])
    assert stamps == {item.ticket.id: stamp_of(item.ticket) for item in every}
    assert [item.ticket.id for item in some] == [1, 3]  # 99: no such ticket
    assert some[0] == every[0]
    assert keys == set()


# What a random month is made of; claims weigh more, so reminders (of held tickets) happen.
STEPS = ("urgent", "normal", "claim", "claim", "claim", "resolve", "reopen", "retag", "more")


def counting(decides: Callable[[datetime], bool], seen: list[object]) -> Callable[..., bool]:
    """`Agenda.wants_full` that also notes in `seen` which way each sweep read."""

    def wants_full(now: datetime) -> bool:
        full = decides(now)
        seen.append("full" if full else "agenda")
        return full

    return wants_full


async def replay(db: Path, seed: int, every_sweep_full: bool) -> list[object]:
    """A random fortnight of a desk (reports, claims, resolutions, reopenings, retags, more
    time) with a sweep after every step and whenever work falls due between them; what the
    sweeps reported and sent."""
    config = make_config(db)
    config.supervision.remind_at = 0.8  # reminders too
    rng = random.Random(seed)
    seen: list[object] = []
    async for desk in started(config, lambda: SQLiteStore(db)):
        agenda = desk.bot.supervisor.agenda
        decides = (lambda now: True) if every_sweep_full else agenda.wants_full
        agenda.wants_full = counting(decides, seen)  # type: ignore[method-assign]
        now, filed = START, 0
        for _ in range(60):
            later = now + timedelta(minutes=rng.choice((1, 7, 29, 31, 90, 240, 1440)))
            # Sweep when work falls due on the way (as the console's /wait does), so the
            # sweeps meet reminders and every level, not only what a step's moment finds.
            for moment in await desk.bot.supervisor.due_moments(now, later):
                report, sent = await desk.sweep_on(moment)
                seen += [report, *((m.kind, m.chat_id, m.text) for m in sent)]
            now = desk.clock.now = later
            number = rng.randint(1, filed) if filed else 0
            step = rng.choice(STEPS)
            if step in ("urgent", "normal") or not filed:
                filed += 1
                text = f"{filed}号楼有人打人了" if step == "urgent" else f"{filed}号楼道灯坏了"
                await desk.h.say("resident1", text)
            elif step == "claim":
                await desk.h.say(rng.choice(("worker1", "worker2")), f"认领 {number}")
            elif step == "resolve":
                await desk.h.say("staff1", f"办结 {number} 已处理", chat="staff")
            elif step == "reopen":
                await desk.h.say("resident1", f"重开 {number} 又坏了")
            elif step == "retag":
                urgency = rng.choice(("紧急", "一般", "较急"))
                await desk.h.say("staff1", f"改标 {number} 邻里 {urgency}", chat="staff")
            else:
                await desk.h.say("staff1", f"延期 {number} 5个工作日", chat="staff")
            report, sent = await desk.sweep_on(now)
            seen.append(report)
            seen += [(m.kind, m.chat_id, m.text) for m in sent]
    return seen


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_the_agenda_sweeps_as_reading_every_ticket_would(tmp_path: Path, seed: int) -> None:
    with_agenda = await replay(tmp_path / "agenda.db", seed, every_sweep_full=False)
    every_time = await replay(tmp_path / "full.db", seed, every_sweep_full=True)
    # Many sweeps read through the agenda, and every one did what reading all would have.
    assert with_agenda.count("agenda") >= 40 and every_time.count("agenda") == 0
    assert [x for x in with_agenda if x not in ("full", "agenda")] == [
        x for x in every_time if x not in ("full", "agenda")
    ]
    escalated = sum(r.escalated for r in with_agenda if isinstance(r, SweepReport))
    reminded = sum(r.reminded for r in with_agenda if isinstance(r, SweepReport))
    assert escalated >= 5 and reminded >= 1  # the month had work for the sweeps
