"""`SQLStore`: the delivery calls every engine's store makes the same way, each in a
short transaction of its own.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager

from bot.adapters.base import Document, Outbound
from storage.base import LedgerRow, OutboxState
from storage.sql.tx import SQLTx


class SQLStore(ABC):
    """What every engine's store does the same way: delivery calls in short transactions."""

    @abstractmethod
    def write(self) -> AbstractAsyncContextManager[SQLTx]: ...

    @abstractmethod
    def read(self) -> AbstractAsyncContextManager[SQLTx]: ...

    async def due_outbox(self, channel: str, now: str, limit: int) -> list[Outbound]:
        async with self.read() as tx:
            return await tx.due_outbox(channel, now, limit)

    async def due_answers(
        self, channel: str, waiting: Sequence[tuple[str, str]], now: str
    ) -> list[Outbound]:
        async with self.read() as tx:
            return await tx.due_answers(channel, waiting, now)

    async def claim_outbox(self, outbox_id: int, now: str, until: str) -> bool:
        async with self.write() as tx:
            return await tx.claim_outbox(outbox_id, now, until)

    async def release_outbox(self, outbox_id: int, until: str, due: str) -> None:
        async with self.write() as tx:
            await tx.release_outbox(outbox_id, until, due)

    async def mark_sent(self, outbox_id: int, platform_message_id: str, at: str) -> None:
        async with self.write() as tx:
            await tx.mark_sent(outbox_id, platform_message_id, at)

    async def claim_outbox_rows(
        self, outbox_ids: Sequence[int], now: str, until: str
    ) -> list[int]:
        async with self.write() as tx:
            return [i for i in outbox_ids if await tx.claim_outbox(i, now, until)]

    async def release_outbox_rows(self, outbox_ids: Sequence[int], until: str, due: str) -> None:
        async with self.write() as tx:
            for outbox_id in outbox_ids:
                await tx.release_outbox(outbox_id, until, due)

    async def mark_rows_sent(self, platform_ids: Mapping[int, str], at: str) -> None:
        async with self.write() as tx:
            for outbox_id, platform_id in platform_ids.items():
                await tx.mark_sent(outbox_id, platform_id, at)

    async def mark_parts_sent(self, outbox_id: int, parts: int) -> None:
        async with self.write() as tx:
            await tx.mark_parts_sent(outbox_id, parts)

    async def take_sends(
        self, channel: str, chat_id: str, now: str, count: int, windows: Sequence[tuple[str, int]]
    ) -> list[str | None] | None:
        async with self.write() as tx:
            return await tx.take_sends(channel, chat_id, now, count, windows)

    async def stamp_sends(
        self, channel: str, chat_id: str, taken: str, at: str, count: int
    ) -> None:
        async with self.write() as tx:
            await tx.stamp_sends(channel, chat_id, taken, at, count)

    async def rewrite_outbox(self, outbox_id: int, text: str, document: Document | None) -> None:
        async with self.write() as tx:
            await tx.rewrite_outbox(outbox_id, text, document)

    async def mark_failed(
        self,
        outbox_id: int,
        error: str,
        next_attempt_at: str,
        count: bool = True,
        written_since: str | None = None,
    ) -> None:
        async with self.write() as tx:
            await tx.mark_failed(outbox_id, error, next_attempt_at, count, written_since)

    async def next_attempt_at(self, channels: Sequence[str]) -> str | None:
        async with self.read() as tx:
            return await tx.next_attempt_at(channels)

    async def outbox_state(self, channels: Sequence[str] | None = None) -> list[OutboxState]:
        async with self.read() as tx:
            return await tx.outbox_state(channels)

    async def resend_parked(self, since: str, now: str, channel: str | None = None) -> int:
        async with self.write() as tx:
            return await tx.resend_parked(since, now, channel)

    async def training_examples(self) -> list[tuple[str, str, str]]:
        async with self.read() as tx:
            return await tx.training_examples()

    async def ledger(
        self,
        start: str,
        end: str,
        batch: int = 500,
        area: str | None = None,
        department: str | None = None,
        clock_starts: Sequence[str] = (),
        about_the_desk: bool = True,
    ) -> AsyncIterator[LedgerRow]:
        # Keyset batches (id > the last one seen), each in its own short read: nothing
        # holds every ticket in memory, and on SQLite the bot's writes are not held up
        # behind one long export.  A ticket that changes between batches shows the state
        # it had when its batch was read.
        after = 0
        while True:
            async with self.read() as tx:
                rows = await tx.ledger_rows(
                    start, end, after, batch, area, department, clock_starts, about_the_desk
                )
            for row in rows:
                yield row
            if len(rows) < batch:
                return
            after = rows[-1].id
