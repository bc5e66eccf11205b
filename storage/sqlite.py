"""The SQLite implementation of `storage.base.Store`, over aiosqlite.

One connection, one asyncio lock: SQLite has one writer anyway, and serialising in the
process means a write never meets "database is locked".  Writes start with BEGIN
IMMEDIATE so a transaction that reads and then writes cannot be upgraded too late.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import aiosqlite

from storage.sql import SQLStore, SQLTx, migrations

log = logging.getLogger(__name__)


def statements(script: str) -> list[str]:
    """The statements of a migration file, one by one (a trigger's body whole; comments
    and a `;` inside a string or a comment split nothing), by SQLite's own tokenizer."""
    found, start = [], 0
    for end, char in enumerate(script, 1):
        if char == ";" and sqlite3.complete_statement(script[start:end]):
            found.append(script[start:end].strip())
            start = end
    rest = script[start:].strip()  # a last statement without its `;`, or a comment
    return [*found, rest] if rest else found


class SQLiteTx(SQLTx):
    """The shared statements on one aiosqlite connection."""

    dialect = "sqlite"

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        async with self._db.execute(sql, params) as cursor:
            row: sqlite3.Row | None = await cursor.fetchone()
            return row

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        async with self._db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        await self._db.execute(sql, params)

    async def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        await self._db.executemany(sql, rows)


class SQLiteStore(SQLStore):
    """A ticket database in one SQLite file (WAL, foreign keys on)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def open(self, migrate: bool = True) -> None:
        if self._db is not None:
            return
        if not migrate and not await asyncio.to_thread(self.path.exists):
            raise FileNotFoundError(f"no database at {self.path}")
        # The directory is not made: a mistyped one (/srv/intake-bt/intake.db) opened a new,
        # empty database there, and the bot ran on it as if every ticket were gone.
        # (A stat, as before: a thread for it outlived a failed start, `test_migrations`.)
        if not self.path.parent.is_dir():
            raise FileNotFoundError(
                f"no directory {self.path.parent} for the database {self.path.name} "
                "(make it first, or correct the path)"
            )
        db = await aiosqlite.connect(self.path, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            # First: switching a file to WAL takes its lock, and without a timeout a second
            # process opening it at the same moment fails at once ("database is locked").
            await db.execute("PRAGMA busy_timeout = 5000")
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA foreign_keys = ON")
            await db.execute("PRAGMA synchronous = NORMAL")
            # Erased words (bot.retention) are overwritten, not left readable in the file's
            # free space: SQLite's default is off; Debian's build, not every one, has it on.
            await db.execute("PRAGMA secure_delete = ON")
        except BaseException:
            await db.close()
            raise
        self._db = db
        if not migrate:
            return
        try:
            await self.migrate()
        except BaseException:
            # Closed, or its thread (not a daemon) keeps the process from exiting: a start
            # whose migration failed hung instead of exiting for systemd to restart it.
            await self.close()
            raise

    async def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()

    async def __aenter__(self) -> SQLiteStore:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("store is not open")
        return self._db

    async def schema_version(self) -> int:
        async with self.db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        async with self._lock:
            current = await self.schema_version()
            pending = [(v, sql) for v, sql in migrations("sqlite") if v > current]
            if not pending:
                return current
            # SQLite cannot change a constraint in place: a migration that must (a new
            # status in a CHECK) rebuilds the table, which SQLite's manual says to do with
            # foreign keys off, checking them before the commit.  The pragma does nothing
            # inside a transaction, so it is set around the migrations.
            await self.db.execute("PRAGMA foreign_keys = OFF")
            try:
                for version, sql in pending:
                    await self._apply(version, sql)
            finally:
                await self.db.execute("PRAGMA foreign_keys = ON")
            return await self.schema_version()

    async def _apply(self, version: int, sql: str) -> None:
        """One migration, all or nothing: its statements, a foreign-key check, the new
        user_version and the commit in one transaction; nothing if the database is past it.

        The version is read again under the write lock: another process starting on the
        same file may have applied the migration since this one first looked.  Applying it
        again rebuilt `tickets` as an old migration left it (the newer columns' data gone)
        and set the version back."""
        try:
            await self.db.execute("BEGIN IMMEDIATE")
            if await self.schema_version() >= version:
                await self.db.execute("ROLLBACK")
                return
            # Statement by statement, in this transaction (executescript would commit it
            # first, letting another process in between the look and the change).
            for statement in statements(sql):
                await self.db.execute(statement)
            async with self.db.execute("PRAGMA foreign_key_check") as cursor:
                broken = [tuple(row) for row in await cursor.fetchall()]
            if broken:
                raise RuntimeError(f"migration {version} breaks foreign keys: {broken[:5]}")
            await self.db.execute(f"PRAGMA user_version = {int(version)}")
            await self.db.execute("COMMIT")
        except BaseException:
            await self._roll_back()  # a ROLLBACK that fails too must not hide why
            raise

    @asynccontextmanager
    async def write(self) -> AsyncIterator[SQLiteTx]:
        async with self._lock:
            try:
                await self.db.execute("BEGIN IMMEDIATE")  # cancelled, it still runs
                yield SQLiteTx(self.db)
                await self.db.execute("COMMIT")
            except BaseException:
                await self._roll_back()
                raise

    async def _roll_back(self) -> None:
        """End a failed write, its COMMIT's failure included (a full disk, an I/O error):
        such a COMMIT may leave the transaction open, and every later write then failed
        with "cannot start a transaction within a transaction" until a restart.  SQLite
        may have rolled it back already, which is no further error.

        Sent whether or not the connection is in a transaction as this looks: a write
        cancelled (the bot stopping) while its `BEGIN IMMEDIATE` waited in aiosqlite's
        thread was not in one yet, and was not rolled back; the BEGIN ran after, and every
        later write failed the same way, the outbox's marking of what it had just sent
        included.  The thread runs statements in order: the ROLLBACK comes after it.  A
        BEGIN that fails (busy past the timeout) leaves none open: "no transaction"."""
        with suppress(sqlite3.OperationalError):  # "no transaction is active"
            await self.db.execute("ROLLBACK")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[SQLiteTx]:
        async with self._lock:
            yield SQLiteTx(self.db)

    async def drop_erased_copies(self) -> None:
        """secure_delete overwrites erased words in the database file, but the write-ahead
        log still holds the pages as they were until a checkpoint copies it back, and its
        file keeps them after that until it is written over.  A TRUNCATE checkpoint does
        both: the log's pages go into the database, and the log file is cut to nothing."""
        async with self._lock, self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
            busy, _, _ = tuple(await cursor.fetchone() or (0, 0, 0))
        if busy:  # another process was reading (an export): the next day's run tries again
            log.warning("the write-ahead log could not be emptied of erased words: busy")

    async def backup(self, path: Path) -> None:
        """Copy the live database with SQLite's online backup API (safe while running)."""
        target = Path(path)
        if await asyncio.to_thread(target.exists):
            raise FileExistsError(f"backup target {target} already exists")
        if not await asyncio.to_thread(target.parent.is_dir):  # it ended in a traceback
            raise FileNotFoundError(f"{target}: there is no directory {target.parent}")
        async with aiosqlite.connect(target) as dest:
            await self.db.backup(dest)
