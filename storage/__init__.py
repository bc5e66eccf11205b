"""Ticket storage: one `Store` interface (`storage.base`), one implementation per engine."""

from storage.base import ACQUIRE_TIMEOUT, Store
from storage.sqlite import SQLiteStore

__all__ = ["Store", "SQLiteStore", "open_store"]


def open_store(url: str, acquire_timeout: float = ACQUIRE_TIMEOUT) -> Store:
    """The store for a database URL or a plain path.

    `intake.db` or `sqlite:///var/intake.db` -> SQLite; `postgresql://user@host/db` ->
    PostgreSQL (imported only then, so SQLite users need no PostgreSQL driver loaded),
    whose callers wait at most `acquire_timeout` seconds for a pooled connection.
    """
    if url.startswith(("postgresql://", "postgres://")):
        from storage.postgres import PostgresStore

        return PostgresStore(url, acquire_timeout=acquire_timeout)
    if url.startswith("sqlite:///"):
        return SQLiteStore(url.removeprefix("sqlite:///"))
    if "://" in url:
        raise ValueError(
            f"unsupported database URL {url!r}: use a file path, sqlite:///PATH or postgresql://"
        )
    return SQLiteStore(url)
