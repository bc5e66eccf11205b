"""The statistics and ledger queries themselves, on SQLite and PostgreSQL.

The data is made through the real pipeline (tests/scenario.py); these tests check what
the store computes from it, before any rendering.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import SQLiteStore
from storage.base import BEGINNING, END_OF_TIME
from storage.sql import _CLAIMED_AT, _RATING, _RESOLVED_AT, _median_sql
from tests.conftest import Timed
from tests.scenario import a_fortnight, chatter_dismissed

NOVEMBER = ("2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z")


async def test_ticket_stats_are_counted_by_the_database(timed: Timed) -> None:
    await a_fortnight(timed)
    async with timed.harness.bot.store.read() as tx:
        found = await tx.ticket_stats(*NOVEMBER)
        everything = await tx.ticket_stats(BEGINNING, END_OF_TIME)
        nothing = await tx.ticket_stats("2027-01-01T00:00:00.000Z", "2027-02-01T00:00:00.000Z")
    assert (found.received, found.claimed, found.resolved, found.needs_triage) == (5, 4, 2, 0)
    assert found.dismissed == 0
    assert found.by_status == {"new": 1, "claimed": 1, "resolved": 1, "closed": 1, "reopened": 1}
    assert found.by_type == {"neighbour": 4, "public_order": 1}
    assert found.by_urgency == {"normal": 4, "urgent": 1}
    assert found.median_claim_seconds == pytest.approx(25 * 60, abs=0.01)
    assert found.median_resolve_seconds == pytest.approx(3 * 3600, abs=0.01)
    # With September's ticket (claimed after 1 min, resolved after 2): an odd count of
    # claims (1, 10, 20, 30, 50 min) and of resolutions (2 min, 2 h, 4 h).
    assert (everything.received, everything.claimed, everything.resolved) == (6, 5, 3)
    assert everything.median_claim_seconds == pytest.approx(20 * 60, abs=0.01)
    assert everything.median_resolve_seconds == pytest.approx(2 * 3600, abs=0.01)
    assert (nothing.received, nothing.claimed, nothing.resolved) == (0, 0, 0)
    assert nothing.by_status == {} and nothing.median_claim_seconds is None
    assert nothing.median_resolve_seconds is None


async def test_ticket_stats_of_one_area(timed: Timed) -> None:
    await a_fortnight(timed)
    async with timed.harness.bot.store.read() as tx:
        east = await tx.ticket_stats(*NOVEMBER, area="DZ")
        west = await tx.ticket_stats(*NOVEMBER, area="XC")
        nowhere = await tx.ticket_stats(*NOVEMBER, area="NOPE")
    # East: #2-#5.  Claims 10, 30, 50 min; resolutions 2 h and 4 h.
    assert (east.received, east.claimed, east.resolved) == (4, 3, 2)
    assert east.by_status == {"new": 1, "claimed": 1, "resolved": 1, "closed": 1}
    assert east.by_type == {"neighbour": 3, "public_order": 1}
    assert east.median_claim_seconds == pytest.approx(30 * 60, abs=0.01)
    assert east.median_resolve_seconds == pytest.approx(3 * 3600, abs=0.01)
    # West: #6, assigned after 20 min, resolved and reopened: claimed, not resolved now.
    assert (west.received, west.claimed, west.resolved) == (1, 1, 0)
    assert west.by_status == {"reopened": 1}
    assert west.median_claim_seconds == pytest.approx(20 * 60, abs=0.01)
    assert west.median_resolve_seconds is None
    assert (nowhere.received, nowhere.by_status, nowhere.median_claim_seconds) == (0, {}, None)


async def test_ledger_rows_come_in_batches_with_their_history(timed: Timed) -> None:
    await a_fortnight(timed)
    store = timed.harness.bot.store
    async with store.read() as tx:
        first = await tx.ledger_rows(*NOVEMBER, after_id=0, limit=2)
        second = await tx.ledger_rows(*NOVEMBER, after_id=first[-1].id, limit=2)
    assert [r.id for r in first] == [2, 3] and [r.id for r in second] == [4, 5]
    rows = {row.id: row async for row in store.ledger(*NOVEMBER, batch=2)}
    assert list(rows) == [2, 3, 4, 5, 6]  # September's #1 is outside the range

    urgent = rows[3]
    assert (urgent.reporter, urgent.worker, urgent.status) == ("resident2", "worker2", "closed")
    assert (urgent.type, urgent.urgency, urgent.area) == ("public_order", "urgent", "DZ")
    assert urgent.created_at == "2026-11-02T02:00:00.000Z"
    assert urgent.claimed_at == "2026-11-02T02:30:00.000Z"
    assert urgent.resolved_at == "2026-11-02T06:00:00.000Z"
    assert (urgent.resolution, urgent.events) == ("派出所已处置", 4)  # created/claim/resolve/close

    # Claimed, given back and claimed by someone else: the first claim, the current holder.
    passed_on = rows[4]
    assert (passed_on.claimed_at, passed_on.worker) == ("2026-11-02T03:50:00.000Z", "worker2")
    assert passed_on.resolved_at is None and passed_on.events == 4

    untouched = rows[5]
    assert (untouched.worker, untouched.claimed_at, untouched.events) == (None, None, 1)

    # Resolved, then reopened by the reporter with a note: the old outcome stays on record.
    reopened = rows[6]
    assert (reopened.status, reopened.worker, reopened.chat_id) == ("reopened", None, "west")
    assert reopened.resolved_at == "2026-11-02T06:20:00.000Z"
    assert (reopened.resolution, reopened.events) == ("已疏通", 5)


async def test_dismissed_tickets_are_counted_apart_by_the_database(timed: Timed) -> None:
    await a_fortnight(timed)
    await chatter_dismissed(timed)  # #7 flagged and claimed after 10 min, #8; both dismissed
    store = timed.harness.bot.store
    async with store.read() as tx:
        found = await tx.ticket_stats(*NOVEMBER)
        east = await tx.ticket_stats(*NOVEMBER, area="DZ")
        west = await tx.ticket_stats(*NOVEMBER, area="XC")
    assert (found.received, found.claimed, found.resolved, found.needs_triage) == (5, 4, 2, 0)
    assert found.dismissed == 2 and "dismissed" not in found.by_status
    assert found.by_type == {"neighbour": 4, "public_order": 1}  # not consumer, the guess
    assert found.median_claim_seconds == pytest.approx(25 * 60, abs=0.01)  # not #7's 10 min
    assert (east.received, east.dismissed, west.dismissed) == (4, 2, 0)

    rows = {row.id: row async for row in store.ledger(*NOVEMBER)}
    assert list(rows) == [2, 3, 4, 5, 6, 7, 8]  # the ledger lists every ticket
    claimed = rows[7]
    assert (claimed.status, claimed.worker, claimed.needs_triage) == ("dismissed", None, True)
    assert claimed.claimed_at == "2026-11-02T11:10:00.000Z"
    assert claimed.dismissed_at == "2026-11-02T11:20:00.000Z"
    assert (claimed.dismissed_by, claimed.dismissal) == ("worker1", "群聊，不是报事")
    assert (rows[8].dismissed_by, rows[8].dismissal) == ("staff1", None)
    assert rows[6].dismissed_at is rows[6].dismissed_by is rows[6].dismissal is None


async def test_ledger_rows_of_one_area(timed: Timed) -> None:
    """`/export DZ` and `db export --area DZ`: the same condition as /stats' one area."""
    await a_fortnight(timed)
    store = timed.harness.bot.store
    east = [row.id async for row in store.ledger(*NOVEMBER, batch=2, area="DZ")]
    west = [row.id async for row in store.ledger(*NOVEMBER, area="XC")]
    nowhere = [row.id async for row in store.ledger(*NOVEMBER, area="NOPE")]
    assert (east, west, nowhere) == ([2, 3, 4, 5], [6], [])


async def test_per_ticket_look_ups_use_the_tickets_own_index(tmp_path: Path) -> None:
    """SQLite plans without statistics: an index on ticket_events led by `action` was once
    taken for "the ticket's latest resolve" and read every such event for each ticket
    (/stats over 3,000 tickets: 2.4 s instead of 20 ms).  The plans, not the time, are
    checked here; bench/bench_reports.py measures the time."""
    async with SQLiteStore(tmp_path / "plan.db"):
        pass
    with sqlite3.connect(tmp_path / "plan.db") as db:
        for until in (_CLAIMED_AT, _RESOLVED_AT):
            sql = _median_sql("sqlite", until, "AND t.status <> 'dismissed'")
            plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, ("0", "9"))]
            looked_up = [step for step in plan if step.startswith(("SEARCH e", "SCAN e"))]
            assert looked_up == ["SEARCH e USING INDEX ticket_events_ticket (ticket_id=?)"]
        rating = f"SELECT {_RATING} FROM tickets t"
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + rating)]
        assert "SEARCH f USING INDEX sqlite_autoindex_followups_1 (ticket_id=?)" in plan
