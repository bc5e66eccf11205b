"""Keeping a message before its platform is told it arrived (a WeChat callback).

WeChat waits 5 s for a callback's answer, and after `success` it never sends that message
again; so the callback answers before the message is handled (`bot.adapters.
wechat_callback`).  A stop in the middle of the handling (the bot lets it run on for 5 s,
then cuts it off) rolled the message back, and nothing brought it again: it was lost.  Now
the endpoint keeps the message here first, one small transaction, and answers `success`
only once it is kept (otherwise 500: WeChat sends it again); the message is forgotten once
handled.  One that a stop or a crash left kept is handled at the next start (`replay`),
before anything new comes in.  The pipeline's unique key (channel, chat, message id) makes
one whose handling had committed after all (forgetting it is a transaction of its own)
count once: filed once, acknowledged once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timedelta

from bot.adapters.base import Attachment, Inbound, InboundHandler, Person, Room
from bot.clock import iso, utc_now
from storage.base import Store

log = logging.getLogger(__name__)

# How long a kept message may wait before another process takes it as left behind: a
# message is handled within seconds, and a stop cuts one off after 5.
LEFT_BEHIND = timedelta(minutes=5)


def encode(inbound: Inbound) -> str:
    """A message as it is kept: the adapter's translation, as JSON."""
    return json.dumps(asdict(inbound), ensure_ascii=False)


def decode(text: str) -> Inbound:
    data = json.loads(text)
    data["sender"] = Person(**data["sender"])
    data["room"] = Room(**data["room"])
    data["attachments"] = tuple(Attachment(**a) for a in data.get("attachments", ()))
    return Inbound(**data)


class Journal:
    """The messages kept until handled (`Store` table inbound_journal), and the callbacks'
    signed nonces used lately (table callback_nonces: `use_callback`)."""

    def __init__(
        self, store: Store, handle: InboundHandler, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.store = store
        self.handle = handle
        self.clock = clock

    async def keep(self, inbound: Inbound) -> None:
        """Keep `inbound` (nothing if it is kept already: WeChat's retry of it)."""
        room = inbound.room
        async with self.store.write() as tx:
            await tx.journal_inbound(
                room.channel, room.chat_id, inbound.message_id, encode(inbound),
                iso(self.clock()),
            )

    async def forget(self, inbound: Inbound) -> None:
        """`inbound` is handled (or was seen before): no longer kept."""
        room = inbound.room
        async with self.store.write() as tx:
            await tx.clear_journal(room.channel, room.chat_id, inbound.message_id)

    async def use_callback(
        self,
        channel: str,
        nonce: str,
        timestamp: int,
        signature: str,
        digest: str,
        forget_before: int,
    ) -> str | None:
        """A callback's signed nonce, timestamp and signature used (`InboundJournal`): None
        the first time, else the digest of the message they first came with.  One small
        transaction, which also forgets those past the replay window."""
        async with self.store.write() as tx:
            await tx.forget_callbacks(forget_before)
            return await tx.use_callback(channel, nonce, timestamp, signature, digest)

    async def replay(self, left_for: timedelta | None = None) -> int:
        """Handle the messages a stop or a crash left kept, oldest first; how many were.
        One whose handling fails again (the database is down) stays kept, for the next
        try.  `left_for`: only those kept at least that long ago, which no process is still
        handling (`run_replays`)."""
        before = iso(self.clock() - left_for) if left_for is not None else None
        async with self.store.read() as tx:
            kept = await tx.journaled(before)
        if kept:
            log.warning("handling %d message(s) received before the last stop", len(kept))
        for text in kept:
            try:
                inbound = decode(text)
            except (ValueError, TypeError, KeyError):
                log.error("a kept message cannot be read, and stays kept: %s", text[:500])
                continue
            try:
                await self.handle(inbound)
            except Exception:
                log.exception("kept message %s failed again; it stays kept", inbound.message_id)
                continue
            await self.forget(inbound)
        return len(kept)

    async def run_replays(self, every: timedelta = LEFT_BEHIND) -> None:
        """Every `every`, handle what was kept longer ago than that: a message left by a
        process that stopped while another ran on (a rolling restart), which only the next
        start would otherwise handle.  Handling one a second time is harmless: the
        pipeline's unique key makes it count once."""
        while True:
            await asyncio.sleep(every.total_seconds())
            try:
                await self.replay(left_for=every)
            except Exception:  # the database is down: the next round tries again
                log.exception("handling kept messages failed; trying again in %s", every)
