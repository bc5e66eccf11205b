"""The SQLite store: migrations, the audit trail, redelivery, backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.adapters.harness import Harness
from storage import SQLiteStore, open_store
from storage.sqlite import migrations


async def test_migrations_apply_once_and_set_version(tmp_path: Path) -> None:
    latest = max(version for version, _ in migrations())
    async with SQLiteStore(tmp_path / "a.db") as store:
        assert await store.schema_version() == latest
        assert await store.migrate() == latest  # idempotent
    with sqlite3.connect(tmp_path / "a.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"tickets", "ticket_events", "inbound_messages", "people", "outbox"} <= tables


async def test_events_are_append_only(harness: Harness) -> None:
    await harness.say("resident1", "隔壁烧垃圾，烟很大")
    db = harness.bot.store.db  # type: ignore[attr-defined]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        await db.execute("UPDATE ticket_events SET action = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        await db.execute("DELETE FROM ticket_events")


async def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    async with SQLiteStore(tmp_path / "fk.db") as store:
        with pytest.raises(sqlite3.IntegrityError):
            async with store.write() as tx:
                await tx.add_event(999, None, "note", "2026-01-01T00:00:00.000Z", {})
        async with store.read() as tx:
            assert await tx.events(999) == []  # the failed transaction left nothing


async def test_record_inbound_is_unique(tmp_path: Path) -> None:
    async with SQLiteStore(tmp_path / "u.db") as store, store.write() as tx:
        person = await tx.upsert_person("t", "1", "a", "resident", None, "2026-01-01T00:00:00Z")
        first = await tx.record_inbound("t", "c", "m1", person.id, "x", "2026-01-01T00:00:00Z")
        second = await tx.record_inbound("t", "c", "m1", person.id, "x", "2026-01-01T00:00:01Z")
        other_chat = await tx.record_inbound("t", "d", "m1", person.id, "x", "2026-01-01T00:00Z")
    assert first is not None and second is None and other_chat is not None


async def test_backup_while_open(harness: Harness, tmp_path: Path) -> None:
    await harness.say("resident1", "楼下饭店油烟太大")
    target = tmp_path / "copy.db"
    await harness.bot.store.backup(target)
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT text FROM tickets").fetchone()[0] == "楼下饭店油烟太大"
    with pytest.raises(FileExistsError):
        await harness.bot.store.backup(target)


def test_open_store_urls(tmp_path: Path) -> None:
    assert isinstance(open_store(f"sqlite:///{tmp_path}/x.db"), SQLiteStore)
    with pytest.raises(ValueError, match="unsupported database URL"):
        open_store("mysql://localhost/x")
