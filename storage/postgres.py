"""The PostgreSQL implementation of `storage.base.Store`, over asyncpg.

For a province-scale deployment: several bot processes may share one database.  Nothing
here relies on being the only writer: claims are conditional updates, redeliveries hit a
unique key, and migrations take an advisory lock so two processes starting together do
not both apply them.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg

from storage.base import ACQUIRE_TIMEOUT, StoreUnavailable
from storage.sql import SQLStore, SQLTx, migrations

_PLACEHOLDER = re.compile(r"\?")
_MIGRATION_LOCK = 0x1A7A_4B07  # any constant; names this application's migration lock
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def numbered(sql: str) -> str:
    """`?` placeholders -> `$1, $2, …` (the shared SQL has no `?` inside literals)."""
    counter = iter(range(1, 10_000))
    return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


class PostgresTx(SQLTx):
    """The shared statements on one pooled asyncpg connection."""

    dialect = "postgres"

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return await self._conn.fetchrow(numbered(sql), *params)

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(await self._conn.fetch(numbered(sql), *params))

    async def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        await self._conn.execute(numbered(sql), *params)

    async def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        await self._conn.executemany(numbered(sql), rows)


class PostgresStore(SQLStore):
    """A ticket database in PostgreSQL (`postgresql://user@host:5432/db`).

    `schema` keeps the tables in their own schema (created if missing); tests use one
    schema per test so they can run in parallel against one server.  A caller waits at
    most `acquire_timeout` seconds for one of the pool's `max_connections`, then gets
    `StoreUnavailable`: under a stall (a lock held by a stuck process, a server that
    stopped answering) every caller used to wait for ever, the health check included.
    """

    def __init__(
        self,
        dsn: str,
        schema: str | None = None,
        max_connections: int = 10,
        acquire_timeout: float = ACQUIRE_TIMEOUT,
    ) -> None:
        if schema is not None and not _SCHEMA_NAME.match(schema):
            raise ValueError(f"bad schema name {schema!r}")
        if not acquire_timeout > 0:
            raise ValueError(f"acquire_timeout must be positive, not {acquire_timeout!r}")
        self.dsn = dsn
        self.schema = schema
        self.max_connections = max_connections
        self.acquire_timeout = acquire_timeout
        self._pool: asyncpg.Pool | None = None

    async def open(self, migrate: bool = True) -> None:
        if self._pool is not None:
            return
        settings = {}
        if self.schema:
            conn = await asyncpg.connect(self.dsn)
            try:
                # The name was checked against _SCHEMA_NAME: DDL takes no parameters.
                await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
            finally:
                await conn.close()
            settings["search_path"] = self.schema
        self._pool = await asyncpg.create_pool(
            self.dsn, min_size=1, max_size=self.max_connections, server_settings=settings
        )
        try:
            if migrate:
                await self.migrate()
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    async def __aenter__(self) -> PostgresStore:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("store is not open")
        return self._pool

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[asyncpg.Connection]:
        """A pooled connection, waited for at most `acquire_timeout` seconds (the wait
        covers opening a new one).  Only the wait is bounded: a TimeoutError from the
        caller's own work passes through as it is."""
        pool = self.pool
        try:
            conn = await pool.acquire(timeout=self.acquire_timeout)
        except TimeoutError:
            raise StoreUnavailable(
                f"no PostgreSQL connection within {self.acquire_timeout:g} s "
                f"(database_acquire_timeout): all {self.max_connections} of the pool's are "
                "in use, or a new one could not be opened; the database or a long "
                "transaction is stalling"
            ) from None
        try:
            yield conn
        finally:
            await pool.release(conn)

    async def schema_version(self) -> int:
        async with self._connection() as conn:
            exists = await conn.fetchval("SELECT to_regclass('schema_version') IS NOT NULL")
            if not exists:
                return 0
            return int(await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version"))

    async def migrate(self) -> int:
        async with self._connection() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
            await conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
            current = int(
                await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version")
            )
            for version, sql in migrations("postgres"):
                if version <= current:
                    continue
                await conn.execute(sql)
                await conn.execute("INSERT INTO schema_version (version) VALUES ($1)", version)
                current = version
            return current

    @asynccontextmanager
    async def write(self) -> AsyncIterator[PostgresTx]:
        async with self._connection() as conn, conn.transaction():
            yield PostgresTx(conn)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[PostgresTx]:
        async with self._connection() as conn:
            yield PostgresTx(conn)

    async def drop_erased_copies(self) -> None:
        """Nothing the bot can do while it runs: an updated row's old version stays until
        (auto)vacuum frees it, and its bytes until the space is reused; `VACUUM FULL`, which
        rewrites the tables, locks them (README, Retention)."""

    async def backup(self, path: Path) -> None:
        raise ValueError(
            "db backup copies SQLite files; for PostgreSQL use pg_dump (it is consistent "
            "while the bot runs)"
        )
