"""Ticket storage: one `Store` interface (`storage.base`), one implementation per engine."""

from storage.base import Store
from storage.sqlite import SQLiteStore

__all__ = ["Store", "SQLiteStore", "open_store"]


def open_store(url: str) -> Store:
    """The store for a database URL or plain path (`sqlite:///var/intake.db`, `intake.db`)."""
    if url.startswith("sqlite:///"):
        return SQLiteStore(url.removeprefix("sqlite:///"))
    if "://" in url:
        raise ValueError(f"unsupported database URL {url!r}: only sqlite:/// is implemented")
    return SQLiteStore(url)
