"""Upgrading a database in place: a county's version-2 database (supervision, before
dismissal) gains the 'dismissed' status on SQLite and PostgreSQL, and keeps every ticket,
its number, its history and everything that refers to it."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path

import asyncpg
import pytest

from storage import SQLiteStore, Store
from storage.base import NewTicket
from storage.postgres import PostgresStore
from storage.sql import migrations
from tests.conftest import drop_schema, harness_with, make_config, postgres_or_skip, rows, texts
from tests.test_storage import execute

T0 = "2026-11-29T01:00:00.000Z"
T1 = "2026-11-29T02:00:00.000Z"

# A version-2 database with three tickets, #3 deleted afterwards (so its number was given
# out), and a row in every table that refers to tickets.
OLD_DATA = [
    "INSERT INTO people (channel, user_id, display_name, created_at) "
    f"VALUES ('test', 'resident1', '张大妈', '{T0}')",
    *(
        "INSERT INTO tickets (channel, chat_id, message_id, area, reporter_id, text, type, "
        f"urgency, status, created_at, updated_at) VALUES ('test', 'group', 'm{n}', 'DZ', 1, "
        f"'噪音{n}', 'neighbour', 'normal', '{status}', '{T0}', '{T0}')"
        for n, status in ((1, "new"), (2, "resolved"), (3, "new"))
    ),
    "DELETE FROM tickets WHERE id = 3",
    f"INSERT INTO ticket_events (ticket_id, action, at) VALUES (1, 'created', '{T0}')",
    f"INSERT INTO ticket_events (ticket_id, action, at) VALUES (2, 'created', '{T0}')",
    "INSERT INTO inbound_messages (channel, chat_id, platform_message_id, sender_id, text, "
    f"received_at, disposition, ticket_id) VALUES ('test', 'group', 'm1', 1, '噪音1', '{T0}', "
    "'ticket', 1)",
    "INSERT INTO attachments (ticket_id, inbound_id, kind, ref) VALUES (1, 1, 'photo', 'f1')",
    "INSERT INTO outbox (channel, chat_id, kind, text, ticket_id, created_at, next_attempt_at) "
    f"VALUES ('test', 'group', 'ack', '已受理', 1, '{T0}', '{T0}')",
    "INSERT INTO training_examples (ticket_id, text, type, urgency, actor_id, created_at) "
    f"VALUES (2, '噪音2', 'neighbour', 'high', 1, '{T0}')",
    f"INSERT INTO followups (ticket_id, resolved_at, due_at) VALUES (2, '{T0}', '{T1}')",
]


async def check_upgraded(store: Store) -> None:
    """What the upgrade must keep and allow, on either engine."""
    assert await rows(store, "SELECT id, status FROM tickets ORDER BY id") == [
        (1, "new"),
        (2, "resolved"),
    ]
    # Where they came from, read off their reporter and chat (migration 19): a resident, in
    # the group.
    assert await rows(store, "SELECT DISTINCT source FROM tickets") == [("group",)]
    for table, count in {
        "ticket_events": 2,
        "inbound_messages": 1,
        "attachments": 1,
        "outbox": 1,
        "training_examples": 1,
        "followups": 1,
    }.items():
        assert await rows(store, f"SELECT COUNT(*) FROM {table}") == [(count,)], table
    async with store.write() as tx:
        # The resolved ticket waits to be closed (migration 25 indexes it), its resolution
        # dated by its last change (no resolve event on record), its visit not yet asked.
        [waiting] = await tx.awaiting_closure(None, None, 10)
        assert (waiting.ticket.id, waiting.resolved_at, waiting.visit) == (2, T0, "pending")
        assert await tx.awaiting_closure_counts(None, None, ["satisfied"]) == (1, 0, 0, 0)
        dismissed = await tx.transition(1, ["new"], "dismissed", T1, None)
        assert dismissed is not None and dismissed.status == "dismissed"
        # Number 3 was given out before the upgrade; it is not given out again.
        fresh = await tx.create_ticket(
            NewTicket(
                "test",
                "group",
                "m4",
                "DZ",
                1,
                "新的",
                "neighbour",
                0.9,
                "normal",
                0.9,
                (),
                False,
                T1,
            )
        )
        assert fresh.id == 4
        # 'merged' and the ticket it went into (migration 6).
        merged = await tx.transition(4, ["new"], "merged", T1, None, "已并入工单 #2", 2)
        assert merged is not None and (merged.status, merged.merged_into) == ("merged", 2)
        assert [t.id for t in await tx.merged_tickets(2)] == [4]
        # A ticket's own resolve limit (延期, migration 8): none before, kept once set.
        before = await tx.ticket(1)
        assert before is not None and before.resolve_limit is None
        assert before.resolved_late is None  # migration 9: not measured before it
        assert before.department is None  # migration 13: handed to no department
        assert before.settled is None  # migration 14: not said before it
        assert before.assisting == ()  # migration 15: no department assists
        assert [t.id for t in await tx.queue(None, 10, department="PCS")] == []
        await tx.set_resolve_limit(1, "20wd", T1)
        extended = await tx.ticket(1)
        assert extended is not None and extended.resolve_limit == "20wd"
    with pytest.raises(Exception, match="(?i)check"):
        await execute(store, "UPDATE tickets SET status = 'lost' WHERE id = 2")
    # Migration 13: a department's liaison is a role; the people kept their ids.
    await execute(store, "UPDATE people SET role = 'liaison', area = 'PCS' WHERE id = 1")
    with pytest.raises(Exception, match="(?i)check"):
        await execute(store, "UPDATE people SET role = 'boss' WHERE id = 1")
    with pytest.raises(Exception, match="(?i)foreign key"):
        await execute(
            store, f"INSERT INTO ticket_events (ticket_id, action, at) VALUES (99, 'x', '{T1}')"
        )
    with pytest.raises(Exception, match="append-only"):
        await execute(store, "DELETE FROM ticket_events")


def version_2_sqlite(path: Path) -> Path:
    """A SQLite file as version 2 left it (before `dismissed`), holding OLD_DATA."""
    with sqlite3.connect(path) as db:
        for version, sql in migrations("sqlite")[:2]:
            db.executescript(f"{sql}\nPRAGMA user_version = {version};")
        for statement in OLD_DATA:
            db.execute(statement)
    return path


async def test_a_version_2_sqlite_database_is_upgraded_in_place(tmp_path: Path) -> None:
    path = version_2_sqlite(tmp_path / "old.db")
    async with SQLiteStore(path) as store:
        assert await store.schema_version() == max(v for v, _ in migrations("sqlite"))
        await check_upgraded(store)
        assert await rows(store, "PRAGMA foreign_keys") == [(1,)]
        assert await rows(store, "PRAGMA foreign_key_check") == []
        indexes = await rows(
            store, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets'"
        )
        assert sorted(name for (name,) in indexes) == [
            "tickets_assignee",
            "tickets_department",
            "tickets_hotline_number",
            "tickets_major",
            "tickets_merged_into",
            "tickets_queue",
            "tickets_reporter",
            "tickets_resolved",
        ]


async def test_a_failed_sqlite_migration_changes_nothing(tmp_path: Path) -> None:
    """A migration that would leave a dangling reference is rolled back whole, and the
    database stays at its version, foreign keys on."""
    path = version_2_sqlite(tmp_path / "old.db")
    store = SQLiteStore(path)
    broken = "DELETE FROM tickets WHERE id = 1;"  # ticket_events, outbox … still refer to it
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "storage.sqlite.migrations", lambda engine: [*migrations(engine)[:2], (3, broken)]
        )
        with pytest.raises(RuntimeError, match="migration 3 breaks foreign keys"):
            await store.open()
    # The failed start closed its connection; the file is as it was.
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchall() == [(2,)]
        assert db.execute("SELECT id FROM tickets ORDER BY id").fetchall() == [(1,), (2,)]
    async with SQLiteStore(path) as store:  # the real migrations then apply
        assert await rows(store, "PRAGMA foreign_keys") == [(1,)]
        await check_upgraded(store)


async def test_two_processes_starting_on_one_old_sqlite_file_migrate_it_once(
    tmp_path: Path,
) -> None:
    """Three bot processes started together on a version-2 file (systemd, a cron'd
    `db migrate`): each migration is applied once.  Each read the version once, before
    taking the write lock, so a slow one applied migration 3 again after another had
    finished: `tickets` rebuilt as version 3 left it (every newer column and its data
    gone), the version set back to 3, and the next start failed for good."""
    path = version_2_sqlite(tmp_path / "old.db")
    stores = [SQLiteStore(path) for _ in range(3)]
    try:
        assert await asyncio.gather(*(store.open() for store in stores)) == [None] * 3
        latest = max(v for v, _ in migrations("sqlite"))
        for store in stores:
            assert await store.schema_version() == latest
        await check_upgraded(stores[0])
    finally:
        for store in stores:
            await store.close()
    with sqlite3.connect(tmp_path / "new.db") as fresh:
        for _, sql in migrations("sqlite"):
            fresh.executescript(sql)
        expected = fresh.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    with sqlite3.connect(path) as upgraded:
        got = upgraded.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    assert [name for name, _ in got] == [name for name, _ in expected]


async def test_a_start_whose_migration_fails_leaves_no_thread_behind(tmp_path: Path) -> None:
    """aiosqlite's thread is not a daemon: a store left open after its migration failed
    kept the process from exiting (`intake-bot run`, `db migrate` hung instead of exiting
    non-zero for systemd to restart it)."""
    path = tmp_path / "broken.db"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 2")  # says version 2, has no tables
    before = set(threading.enumerate())
    store = SQLiteStore(path)
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        await store.open()
    started = [thread for thread in threading.enumerate() if thread not in before]
    for thread in started:
        await asyncio.to_thread(thread.join, 5)
    assert [thread for thread in started if thread.is_alive()] == []
    with pytest.raises(RuntimeError, match="not open"):
        await store.schema_version()


def test_migration_files_split_into_their_statements() -> None:
    from storage.sqlite import statements

    assert statements("CREATE TABLE a (x TEXT DEFAULT ';'); -- b; c\nSELECT 1") == [
        "CREATE TABLE a (x TEXT DEFAULT ';');",
        "-- b; c\nSELECT 1",
    ]
    [first] = migrations("sqlite")[:1]
    triggers = [s for s in statements(first[1]) if "CREATE TRIGGER" in s]
    assert len(triggers) == 2 and all(s.endswith("END;") for s in triggers)


async def at_version(
    conn: asyncpg.Connection, schema: str, version: int, data: Sequence[str]
) -> None:
    """A new PostgreSQL schema as an older release left it: migrations 1 to `version`, then
    `data` (rows as that release wrote them)."""
    await conn.execute(f'CREATE SCHEMA "{schema}"')
    await conn.execute(f'SET search_path = "{schema}"')
    await conn.execute("CREATE TABLE schema_version (version INTEGER)")
    for number, sql in migrations("postgres")[:version]:
        await conn.execute(sql)
        await conn.execute("INSERT INTO schema_version (version) VALUES ($1)", number)
    for statement in data:
        await conn.execute(statement)


async def test_a_version_2_postgres_database_is_upgraded_in_place() -> None:
    dsn = await postgres_or_skip()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    conn = await asyncpg.connect(dsn)
    try:
        await at_version(conn, schema, 2, OLD_DATA)
        async with PostgresStore(dsn, schema=schema) as store:
            assert await store.schema_version() == max(v for v, _ in migrations("postgres"))
            await check_upgraded(store)
    finally:
        await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await conn.close()


# A version-27 database (before 'withdrawn', migration 28), as the bot of then wrote it:
# #1 resolved, reopened by its reporter and then withdrawn (撤回), whose first resolution's
# visit the sweep had asked; #2 the same, its visit not yet due; #3 resolved, visit asked.
def _event(ticket: int, actor: int, action: str, payload: str) -> str:
    return (
        "INSERT INTO ticket_events (ticket_id, actor_id, action, payload, at) "
        f"VALUES ({ticket}, {actor}, '{action}', '{payload}', '{T0}')"
    )


WITHDRAWN_DATA = [
    "INSERT INTO people (channel, user_id, display_name, role, area, created_at) VALUES "
    f"('test', 'resident1', '张大妈', 'resident', NULL, '{T0}'), "
    f"('test', 'worker1', '王网格员', 'grid_worker', 'DZ', '{T0}')",
    *(
        "INSERT INTO tickets (id, channel, chat_id, message_id, area, reporter_id, text, type, "
        "urgency, status, assignee_id, resolution, created_at, updated_at, source) VALUES "
        f"({n}, 'test', 'group', 'm{n}', 'DZ', 1, '电梯停运{n}', 'property_management', "
        f"'normal', 'resolved', 2, '{outcome}', '{T0}', '{T0}', 'group')"
        for n, outcome in ((1, "反映人撤回：不用管了"), (2, "反映人撤回：不用管了"), (3, "已修好"))
    ),
    "UPDATE ticket_numbers SET last = 3",
    *(
        statement
        for n in (1, 2, 3)
        for statement in (
            _event(n, 1, "created", '{"text": "电梯停运"}'),
            _event(n, 2, "claim", '{"from": "new", "to": "claimed"}'),
            _event(n, 2, "resolve", '{"from": "claimed", "to": "resolved", "text": "已修好"}'),
        )
    ),
    *(
        statement
        for n in (1, 2)
        for statement in (
            _event(n, 1, "reopen", '{"from": "resolved", "to": "reopened"}'),
            _event(n, 1, "withdraw", '{"from": "reopened", "to": "resolved", "text": "不用管了"}'),
        )
    ),
    "INSERT INTO followups (ticket_id, resolved_at, due_at, state, swept_at) VALUES "
    f"(1, '{T0}', '{T1}', 'asked', '{T1}'), (2, '{T0}', '2099-01-01T00:00:00.000Z', 'pending', "
    f"NULL), (3, '{T0}', '{T1}', 'asked', '{T1}')",
]


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
async def test_an_old_withdrawn_tickets_visit_is_cancelled_by_the_upgrade(
    engine: str, tmp_path: Path
) -> None:
    """Before version 28 a ticket resolved, reopened and withdrawn by its reporter kept its
    first resolution's visit, and the sweep asked it.  The bot now neither visits nor takes a
    rating of a withdrawal (已撤回，不能评价), so upgraded, 结案 1 warned 已回访，反映人尚未
    答复 of an answer that would be refused, while 待结案 read 无需回访: the upgrade cancels
    such visits (asked or still to come), and leaves another ticket's alone."""
    path = tmp_path / "old.db"
    config = make_config(path)
    schema = f"t_{uuid.uuid4().hex[:16]}"
    store: Store
    if engine == "sqlite":
        with sqlite3.connect(path) as db:
            for version, sql in migrations("sqlite")[:27]:
                db.executescript(f"{sql}\nPRAGMA user_version = {version};")
            for statement in WITHDRAWN_DATA:
                db.execute(statement)
        store = SQLiteStore(path)
    else:
        dsn = await postgres_or_skip()
        conn = await asyncpg.connect(dsn)
        try:
            await at_version(conn, schema, 27, WITHDRAWN_DATA)
        finally:
            await conn.close()
        store = PostgresStore(dsn, schema=schema)
    try:
        async with harness_with(config, store) as h:
            listed = texts(await h.say("staff1", "待结案", "staff"))[0]
            assert "#1｜已撤回" in listed and "无需回访" in listed and "已回访未答复" in listed
            assert texts(await h.say("resident1", "满意 1", private=True)) == [
                "工单 #1 当前为「已撤回」，不能评价。"
            ]
            assert texts(await h.say("staff1", "结案 1", "staff")) == ["工单 #1 已结案。"]
            assert await rows(h.bot.store, "SELECT ticket_id, state FROM followups ORDER BY 1") == [
                (1, "cancelled"),
                (2, "cancelled"),
                (3, "asked"),
            ]
            # The visit that stands (#3's) is still warned of, and still answered.
            [closed] = texts(await h.say("staff1", "结案 3", "staff"))
            assert "已回访，反映人尚未答复" in closed
            assert "满意" in texts(await h.say("resident1", "满意 3", private=True))[0]
            assert await rows(h.bot.store, "SELECT state FROM followups WHERE ticket_id = 3") == [
                ("rated",)
            ]
    finally:
        if engine == "postgres":
            await drop_schema(await postgres_or_skip(), schema)
