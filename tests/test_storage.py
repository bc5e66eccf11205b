"""The SQLite store: migrations, the audit trail, redelivery, backup."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import asyncpg
import pytest

from bot.adapters.harness import Harness
from storage import SQLiteStore, Store, open_store
from storage.postgres import PostgresStore
from storage.sql import migrations
from tests.conftest import StoreFactory, rows


async def test_migrations_apply_once_and_set_version(tmp_path: Path) -> None:
    latest = max(version for version, _ in migrations("sqlite"))
    async with SQLiteStore(tmp_path / "a.db") as store:
        assert await store.schema_version() == latest
        assert await store.migrate() == latest  # idempotent
    with sqlite3.connect(tmp_path / "a.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"tickets", "ticket_events", "inbound_messages", "people", "outbox"} <= tables


async def execute(store: Store, sql: str) -> None:
    if isinstance(store, PostgresStore):
        async with store.pool.acquire() as conn:
            await conn.execute(sql)
    else:
        assert isinstance(store, SQLiteStore)
        await store.db.execute(sql)


async def test_events_are_append_only(harness: Harness) -> None:
    await harness.say("resident1", "隔壁烧垃圾，烟很大")
    store = harness.bot.store
    for statement in ("UPDATE ticket_events SET action = 'x'", "DELETE FROM ticket_events"):
        with pytest.raises((sqlite3.IntegrityError, asyncpg.RaiseError), match="append-only"):
            await execute(store, statement)
    assert await rows(store, "SELECT action FROM ticket_events") == [("created",)]


async def test_postgres_migrations_apply_once(new_store: StoreFactory) -> None:
    latest = max(version for version, _ in migrations("postgres"))
    store = new_store()
    async with store:
        assert await store.migrate() == latest
        assert await store.migrate() == latest


async def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    async with SQLiteStore(tmp_path / "fk.db") as store:
        with pytest.raises(sqlite3.IntegrityError):
            async with store.write() as tx:
                await tx.add_event(999, None, "note", "2026-01-01T00:00:00.000Z", {})
        async with store.read() as tx:
            assert await tx.events(999) == []  # the failed transaction left nothing


async def test_a_failed_commit_does_not_leave_the_transaction_open(tmp_path: Path) -> None:
    """A COMMIT that fails (a full disk, an I/O error; here a deferred foreign key, the
    one failure SQLite reliably leaves open) is rolled back: the next write starts.  It
    was left open, and every write after it failed with "cannot start a transaction
    within a transaction" until the bot was restarted."""
    async with SQLiteStore(tmp_path / "c.db") as store:
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            async with store.write() as tx:
                await tx._run("PRAGMA defer_foreign_keys = ON")  # checked at COMMIT
                await tx.add_event(999, None, "note", "2026-01-01T00:00:00.000Z", {})
        async with store.write() as tx:
            person = await tx.upsert_person("t", "1", "a", "resident", None, "2026-01-01T00:00Z")
        async with store.read() as tx:
            assert await tx.person(person.id) is not None
            assert await tx.events(999) == []


async def test_record_inbound_is_unique(tmp_path: Path) -> None:
    async with SQLiteStore(tmp_path / "u.db") as store, store.write() as tx:
        person = await tx.upsert_person("t", "1", "a", "resident", None, "2026-01-01T00:00:00Z")
        first = await tx.record_inbound("t", "c", "m1", person.id, "x", "2026-01-01T00:00:00Z")
        second = await tx.record_inbound("t", "c", "m1", person.id, "x", "2026-01-01T00:00:01Z")
        other_chat = await tx.record_inbound("t", "d", "m1", person.id, "x", "2026-01-01T00:00Z")
    assert first is not None and second is None and other_chat is not None


async def test_backup_while_open(tmp_path: Path) -> None:
    async with SQLiteStore(tmp_path / "live.db") as store:
        async with store.write() as tx:
            await tx.upsert_person("t", "1", "张", "resident", None, "2026-01-01T00:00:00Z")
        target = tmp_path / "copy.db"
        await store.backup(target)
        with sqlite3.connect(target) as db:
            assert db.execute("SELECT display_name FROM people").fetchone()[0] == "张"
        with pytest.raises(FileExistsError):
            await store.backup(target)


def test_postgres_backup_says_use_pg_dump(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="pg_dump"):
        asyncio.run(PostgresStore("postgresql://x@127.0.0.1/x").backup(tmp_path / "b"))


def test_open_store_urls(tmp_path: Path) -> None:
    assert isinstance(open_store(f"sqlite:///{tmp_path}/x.db"), SQLiteStore)
    assert isinstance(open_store("postgresql://u@127.0.0.1/db"), PostgresStore)
    with pytest.raises(ValueError, match="unsupported database URL"):
        open_store("mysql://localhost/x")
