"""Storage for supervision and follow-ups, on SQLite and PostgreSQL alike: once-only
events, clock starts, follow-up state moves, and who can be written to first."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import asyncpg
import pytest

from storage import SQLiteStore
from storage.base import NewTicket, Store
from storage.sql import migrations
from tests.conftest import StoreFactory, rows
from tests.test_storage import execute

T0 = "2026-11-29T01:00:00.000Z"
T1 = "2026-11-29T02:00:00.000Z"
T2 = "2026-11-29T03:00:00.000Z"
OPEN = ("new", "reopened", "claimed")
STARTS = ("created", "reopen")


async def seed(store: Store, tickets: int = 1) -> list[int]:
    """A resident and `tickets` tickets filed at T0 (with their 'created' events)."""
    ids = []
    async with store.write() as tx:
        person = await tx.upsert_person("test", "resident1", "张大妈", "resident", None, T0)
        for n in range(tickets):
            new = NewTicket(
                *("test", "group", f"r{n}", "DZ", person.id, "噪音", "neighbour", 0.9),
                *("normal", 0.8, (), False, T0),
            )
            ticket = await tx.create_ticket(new)
            await tx.add_event(ticket.id, person.id, "created", T0, {})
            ids.append(ticket.id)
    return ids


async def test_once_only_events(new_store: StoreFactory) -> None:
    async with new_store() as store:
        one, two = await seed(store, 2)
        async with store.write() as tx:
            assert await tx.add_event_once(one, None, "escalated", T1, {"level": 1}, "k1")
            assert not await tx.add_event_once(one, None, "escalated", T2, {"level": 1}, "k1")
            assert await tx.add_event_once(one, None, "escalated", T2, {"level": 2}, "k2")
            assert await tx.add_event_once(two, None, "escalated", T1, {"level": 1}, "k1")
            # Ordinary events (no key) never conflict with each other.
            await tx.add_event(one, None, "note", T1, {"text": "a"})
            await tx.add_event(one, None, "note", T1, {"text": "a"})
        async with store.read() as tx:
            actions = [e.action for e in await tx.events(one)]
            assert actions == ["created", "escalated", "escalated", "note", "note"]
            assert await tx.once_keys(OPEN) == {(one, "k1"), (one, "k2"), (two, "k1")}
            assert await tx.once_keys(("closed",)) == set()
        # Still append-only with the new column.
        with pytest.raises((sqlite3.IntegrityError, asyncpg.RaiseError), match="append-only"):
            await execute(store, "UPDATE ticket_events SET once_key = NULL")


async def test_once_only_event_has_one_winner_across_two_stores(new_store: StoreFactory) -> None:
    """Two processes (two stores, one database) racing to record the same breach."""
    async with new_store() as first, new_store() as second:
        (ticket,) = await seed(first)

        async def record(store: Store) -> bool:
            async with store.write() as tx:
                return await tx.add_event_once(ticket, None, "escalated", T1, {}, "same")

        results = await asyncio.gather(*(record(s) for s in [first, second] * 5))
        assert sorted(results) == [False] * 9 + [True]
        count = "SELECT count(*) FROM ticket_events WHERE once_key = 'same'"
        assert await rows(first, count) == [(1,)]


async def test_clock_starts_at_filing_then_at_the_latest_reopen(new_store: StoreFactory) -> None:
    async with new_store() as store:
        one, two = await seed(store, 2)
        async with store.write() as tx:
            await tx.add_event(one, None, "claim", T1, {})  # claiming does not restart it
            await tx.add_event(two, None, "reopen", T1, {})
            await tx.add_event(two, None, "reopen", T2, {})
            await tx.transition(two, ["new"], "resolved", T2, None)
        async with store.read() as tx:
            clocked = await tx.supervised(OPEN, STARTS)
            assert [(c.ticket.id, c.since) for c in clocked] == [(one, T0)]
            again = await tx.supervised_ticket(two, STARTS)
            assert again is not None and again.since == T2 and again.ticket.status == "resolved"
            assert await tx.supervised_ticket(999, STARTS) is None


async def test_followup_moves_once(new_store: StoreFactory) -> None:
    async with new_store() as store:
        (ticket,) = await seed(store)
        async with store.write() as tx:
            await tx.schedule_followup(ticket, T0, T1)
            await tx.schedule_followup(ticket, T0, T2)  # the same resolution: kept as it was
        async with store.read() as tx:
            assert await tx.due_followups(T0, 10) == []
            (due,) = await tx.due_followups(T1, 10)
            assert (due.ticket_id, due.state, due.due_at) == (ticket, "pending", T1)
        async with store.write() as tx:
            assert await tx.sweep_followup(due.id, "asked", T1)
            assert not await tx.sweep_followup(due.id, "unreachable", T1)
            assert await tx.due_followups(T2, 10) == []
            assert await tx.rate_followup(due.id, ["pending", "asked"], "fair", T2)
            assert not await tx.rate_followup(due.id, ["pending", "asked"], "satisfied", T2)
            latest = await tx.latest_followup(ticket)
        assert latest is not None
        assert (latest.state, latest.rating, latest.swept_at, latest.rated_at) == (
            "rated",
            "fair",
            T1,
            T2,
        )
        async with store.write() as tx:  # resolved again later: a new visit
            await tx.schedule_followup(ticket, T2, T2)
            newer = await tx.latest_followup(ticket)
        assert newer is not None and newer.id != latest.id and newer.state == "pending"


async def test_private_chat_and_people_by_role(new_store: StoreFactory) -> None:
    store = new_store()
    async with store, store.write() as tx:
        one = await tx.upsert_person("test", "resident1", "", "resident", None, T0)
        admin = await tx.upsert_person("test", "admin1", "", "admin", None, T0)
        await tx.record_inbound("test", "group", "g1", one.id, "在群里说话", T0)
        assert not await tx.has_private_chat("test", "resident1")
        await tx.record_inbound("test", "resident1", "p1", one.id, "查询 1", T0)
        assert await tx.has_private_chat("test", "resident1")
        assert not await tx.has_private_chat("other", "resident1")
        assert [p.id for p in await tx.people_with_role("admin")] == [admin.id]


async def test_a_version_1_database_is_upgraded_in_place(tmp_path: Path) -> None:
    """A county's existing database gains the new column and table; its history stays."""
    path = tmp_path / "old.db"
    (first, sql) = migrations("sqlite")[0]
    with sqlite3.connect(path) as db:
        db.executescript(f"{sql}\nPRAGMA user_version = {first};")
        db.execute(
            "INSERT INTO people (id, channel, user_id, created_at) VALUES (1, 'test', 'r', ?)",
            (T0,),
        )
        db.execute(
            "INSERT INTO tickets (id, channel, chat_id, message_id, reporter_id, text, type, "
            "urgency, created_at, updated_at) VALUES (1, 'test', 'g', 'm', 1, '噪音', "
            "'neighbour', 'normal', ?, ?)",
            (T0, T0),
        )
        db.execute(
            "INSERT INTO ticket_events (ticket_id, action, at) VALUES (1, 'created', ?)", (T0,)
        )
    async with SQLiteStore(path) as store:
        assert await store.schema_version() == max(v for v, _ in migrations("sqlite"))
        async with store.write() as tx:
            assert await tx.add_event_once(1, None, "escalated", T1, {}, "k")
            assert [e.action for e in await tx.events(1)] == ["created", "escalated"]
            assert await tx.latest_followup(1) is None
