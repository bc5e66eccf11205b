"""PostgreSQL's pool held busy: a caller waits a bounded time for a connection, then gets
`StoreUnavailable` naming the problem; a message being handled waits on and is filed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from storage.base import StoreUnavailable
from storage.postgres import PostgresStore
from tests.conftest import (
    drop_schema,
    harness_with,
    make_config,
    postgres_or_skip,
    rows,
)


@contextlib.asynccontextmanager
async def small_pool(acquire_timeout: float) -> AsyncIterator[PostgresStore]:
    """A store of its own schema whose pool has two connections."""
    dsn = await postgres_or_skip()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    store = PostgresStore(dsn, schema=schema, max_connections=2, acquire_timeout=acquire_timeout)
    try:
        yield store
    finally:
        await drop_schema(dsn, schema)


@contextlib.asynccontextmanager
async def held(store: PostgresStore) -> AsyncIterator[list[Any]]:
    """Every connection of the pool taken (as by transactions stuck on a lock)."""
    taken = [await store.pool.acquire() for _ in range(store.max_connections)]
    try:
        yield taken
    finally:
        for conn in taken:
            await store.pool.release(conn)


class Signal(logging.Handler):
    """Sets an event when a log record contains `words`."""

    def __init__(self, words: str) -> None:
        super().__init__()
        self.words = words
        self.seen = asyncio.Event()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if self.words in message:
            self.messages.append(message)
            self.seen.set()


async def test_a_busy_pool_is_waited_for_a_bounded_time() -> None:
    """With every connection held, a read or write used to wait for ever; it waits
    `acquire_timeout` seconds and says why, and works again once one is free."""
    async with small_pool(acquire_timeout=0.2) as store, store:
        async with held(store):
            for begin in (store.write, store.read):
                with pytest.raises(StoreUnavailable) as refused:
                    async with asyncio.timeout(5):
                        async with begin():
                            pass
                said = str(refused.value)
                assert "0.2 s" in said and "database_acquire_timeout" in said
                assert "all 2 of the pool's are in use" in said
            assert not store.pool.get_idle_size()  # nothing leaked into the pool
        async with store.read() as tx:
            assert await tx.ticket(1) is None
        # Only the wait is bounded: a timeout in the caller's own work stays what it is.
        with pytest.raises(TimeoutError):
            async with store.read():
                raise TimeoutError("the caller's own")


async def test_a_message_waits_for_a_busy_pool_and_is_filed(tmp_path: Path) -> None:
    """A report that arrives while the pool is held busy is not lost: handling waits for
    the database (logging the pool's error), then files it as usual."""
    signal = Signal("waits for the database")
    logging.getLogger("bot.pipeline").addHandler(signal)
    try:
        async with small_pool(acquire_timeout=0.05) as store:
            config = make_config(tmp_path / "unused.db")
            async with harness_with(config, store) as harness:
                async with held(store):
                    said = asyncio.create_task(harness.say("resident1", "楼道里堆满了杂物"))
                    async with asyncio.timeout(10):
                        await signal.seen.wait()
                    assert not said.done()
                replies = await asyncio.wait_for(said, 10)
                assert [r.chat_id for r in replies] == ["group", "staff"]
                assert "#1" in replies[0].text
                assert await rows(store, "SELECT disposition FROM inbound_messages") == [
                    ("ticket",)
                ]
    finally:
        logging.getLogger("bot.pipeline").removeHandler(signal)
    assert "no PostgreSQL connection within 0.05 s" in signal.messages[0]
