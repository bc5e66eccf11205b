"""Delivering the outbox: every reply is written to the database first and sent from here.

A platform outage, a 429 or a crash between "stored" and "sent" therefore costs a delay,
never a reply.  Rows are sent in the order they were written, one channel at a time;
a failed row is retried with exponential back-off up to `max_backoff` (or after the
platform's retry_after) for as long as `give_up_after` from when it was queued (a day by
default: an outage of hours delays the acknowledgements, it does not lose them), then it
is parked with its last error for a person to look at (`intake-bot db outbox`, which can
send parked rows again once the cause is fixed).  A refusal for good (an unknown chat, a
bad request) is parked at once.  A message to someone the platform lets the bot write to
only after they write (WeChat's 48 hours, a Telegram user who blocked the bot) waits for
that: the pipeline releases it when they next write one to one.

Several processes may deliver from one database (PostgreSQL; a rolling restart): a row is
taken for each attempt (`Store.claim_outbox`), so one process sends it.  The take lasts
`lease` (a file's `document_lease`): should the process die in the middle of the send,
the row goes again once that has passed (a send cut off by a cancellation gives it back
at once).  Asked to stop (`stop`), the dispatcher finishes the send it is in the middle of
and starts no other: a send cut off halfway may have reached the platform, and was sent
again at the next start.  A platform's per-chat limit (Telegram's 20 a minute into a
group) is kept by those processes together: the dispatcher offers an adapter that paces
chats the database's record of every process's sends into them (`StoredWindow`).  An
adapter that sends several rows as one message (Telegram's digests) takes each of them
as the dispatcher takes a row and marks them sent (`StoredRows`): a row waiting in one
process's digest is not sent alone by another.

A row carrying a document (the ledger) holds what the file is, not the file: `documents`
makes it just before the send (up to the adapter's size limit) and deletes it after, and
the row is rewritten to what was sent (the caption with the file's figures, or the text
that replaced a file too large for the platform).

A text a platform sends as several messages (WeChat's 2048 bytes) whose later piece
failed is retried from that piece: the adapter says how many went (`PartlySent`), the row
keeps the count (`parts_sent`) beside its whole text, and the adapter skips that many.

A reply a platform can hand back in the HTTP answer to the message it answers (WeChat's
passive reply, waited for 3 s) is sent before anything else, across channels and in the
middle of a flush: before each send the dispatcher asks the adapters which callbacks wait
(`waiting_replies`) and delivers the due rows answering them (`Store.due_answers`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import Protocol

from bot.adapters.base import (
    Adapter,
    AwaitingContact,
    DocumentTooLarge,
    Outbound,
    PartlySent,
    PermanentFailure,
    Taken,
    TemporaryFailure,
    document_limit,
)
from bot.clock import iso, parse_iso, utc_now
from storage.base import AWAITING_CONTACT, PARKED, Store

log = logging.getLogger(__name__)

# How long a row being sent is kept from other processes (and from this one's next pass):
# longer than a send takes (the platforms' calls time out within seconds, a long text is a
# few of them), short enough that a row whose sender died goes again soon.  A file is made
# first, then uploaded (Telegram's upload may take 5 minutes).
LEASE = timedelta(minutes=2)
DOCUMENT_LEASE = timedelta(minutes=15)


class Documents(Protocol):
    """Makes the file of an outbox row's document for one delivery attempt."""

    def ready(
        self, message: Outbound, limit: int | None
    ) -> AbstractAsyncContextManager[Outbound]:
        """`message` with its document's file made (at most `limit` bytes; None: the
        platform takes no files), or with the text to send instead; the file is removed
        when the block ends."""
        ...

    def refused(self, message: Outbound) -> str:
        """The words to send instead of the document the platform refused as too large."""
        ...


class StoredWindow:
    """`SendWindow` on the outbox's database and clock: the chat's sends, by every process
    delivering from the database, in the last of each limit's `period`, one record a chat
    (`Store.take_sends`)."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    # Added to the platform's period: a send is recorded when it is taken (and stamped when
    # it is done), while the platform counts it when it arrives, a request's latency later,
    # which is not the same for every send.  Two processes sharing a group sent a 21st
    # message 3 ms inside the (scaled) minute of the first.  At Telegram's 60 s this is a
    # rounding error.
    MARGIN = 0.05

    async def take(
        self, channel: str, chat_id: str, count: int, limits: Sequence[tuple[int, float]]
    ) -> Taken | float:
        now = self.clock()
        at = iso(now)
        periods = [period + self.MARGIN for _, period in limits]
        windows = [
            (iso(now - timedelta(seconds=period)), limit)
            for (limit, _), period in zip(limits, periods, strict=True)
        ]
        blocking = await self.store.take_sends(channel, chat_id, at, count, windows)
        if blocking is None:
            return Taken(channel, chat_id, at, count)
        # Until the last window to free a place has: times are to the millisecond, so a
        # hundredth more, and the retry finds it gone.
        waits = [
            (parse_iso(oldest) - now).total_seconds() + period
            for oldest, period in zip(blocking, periods, strict=True)
            if oldest is not None
        ]
        return max(max(waits), 0.0) + 0.01

    async def done(self, taken: Taken) -> None:
        await self.store.stamp_sends(
            taken.channel, taken.chat_id, taken.at, iso(self.clock()), taken.count
        )


class StoredRows:
    """`CarriedRows` on the outbox's database and clock: the rows are taken for the send as
    the dispatcher takes the row it hands over (`Store.claim_outbox`, for `lease`), and
    marked sent or given back after, each in one transaction.  A row waiting in this
    process's digest was given back due when the digest is (to the millisecond, on two
    clocks): one due within `SLACK` is taken; another process's take lasts minutes."""

    SLACK = timedelta(seconds=1)

    def __init__(self, store: Store, clock: Callable[[], datetime], lease: timedelta) -> None:
        self.store = store
        self.clock = clock
        self.lease = lease
        self._until: dict[int, str] = {}  # rows taken -> until when

    async def take(self, outbox_ids: Collection[int]) -> set[int]:
        if not outbox_ids:
            return set()
        now = self.clock()
        until = iso(now + self.lease)
        taken = await self.store.claim_outbox_rows(list(outbox_ids), iso(now + self.SLACK), until)
        self._until.update(dict.fromkeys(taken, until))
        return set(taken)

    async def give_back(self, outbox_ids: Collection[int], seconds: float) -> None:
        by_until: dict[str, list[int]] = {}
        for outbox_id in outbox_ids:
            until = self._until.pop(outbox_id, None)
            if until is not None:
                by_until.setdefault(until, []).append(outbox_id)
        due = iso(self.clock() + timedelta(seconds=seconds))
        for until, ids in by_until.items():
            await self.store.release_outbox_rows(ids, until, due)

    async def sent(self, platform_ids: Mapping[int, str]) -> None:
        for outbox_id in platform_ids:
            self._until.pop(outbox_id, None)
        # Unmarked, they would go again when their lease ends: a busy database (SQLite
        # shared by two processes) is tried again while they are still this process's.
        for pause in (0.5, 2.0, None):
            try:
                await self.store.mark_rows_sent(platform_ids, iso(self.clock()))
                return
            except Exception:
                if pause is None:
                    raise
                log.warning("marking %d sent rows failed; again", len(platform_ids))
                await asyncio.sleep(pause)


class Dispatcher:
    def __init__(
        self,
        store: Store,
        adapters: Mapping[str, Adapter],
        clock: Callable[[], datetime] = utc_now,
        give_up_after: timedelta = timedelta(days=1),
        max_backoff: float = 300.0,
        batch: int = 100,
        documents: Documents | None = None,
        lease: timedelta = LEASE,
        document_lease: timedelta = DOCUMENT_LEASE,
    ) -> None:
        self.store = store
        self.adapters = adapters
        self.documents = documents
        self.clock = clock
        self.give_up_after = give_up_after
        self.max_backoff = max_backoff
        self.batch = batch
        self.lease = lease
        self.document_lease = document_lease
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        # An adapter that paces chats (Telegram's groups) counts every process's sends, and
        # one that sends several rows at once (a digest) takes each as this takes a row.
        window = StoredWindow(store, clock)
        for adapter in adapters.values():
            share = getattr(adapter, "share_window", None)
            if share is not None:
                share(window)
            share_rows = getattr(adapter, "share_rows", None)
            if share_rows is not None:
                share_rows(StoredRows(store, clock, lease))
        # Adapters whose callbacks wait for their reply (WeChat's passive reply).
        self._awaiting: list[tuple[str, Adapter, Callable[[], Collection[tuple[str, str]]]]] = []
        for channel, adapter in adapters.items():
            waiting = getattr(adapter, "waiting_replies", None)
            if callable(waiting):
                self._awaiting.append((channel, adapter, waiting))
        self._stopping = False

    def wake(self) -> None:
        """Called by the pipeline after it queued something."""
        self._wake.set()

    def stop(self) -> None:
        """Start no other send: the one under way finishes (and is marked sent), `run`
        returns, and what waits stays in the outbox for the next start."""
        self._stopping = True
        self._wake.set()

    async def flush(self) -> int:
        """Send everything that is due now; return how many were delivered."""
        delivered = 0
        async with self._lock:
            for channel, adapter in self.adapters.items():
                while not self._stopping:
                    due = await self.store.due_outbox(channel, iso(self.clock()), self.batch)
                    if not due:
                        break
                    sent_now = 0
                    for message in due:
                        if self._stopping:
                            break
                        # A reply a callback waits for goes before the next row (it may
                        # be this very row, sent then, or one of another channel).
                        sent_now += await self._answer_waiting()
                        if await self._deliver(adapter, message.id, message):
                            sent_now += 1
                    delivered += sent_now
                    if sent_now == 0:
                        break  # what is left waits for its retry time
        return delivered

    async def _answer_waiting(self) -> int:
        """Deliver the due rows that answer a callback still open (WeChat's passive reply,
        the only answer an Official Account without the customer-service permission has),
        whatever channel and row the flush is at: behind a surge's notices, paced by
        WeCom's per-chat limits, they missed the callback's 3 s.  Nothing is read while no
        callback waits.  Each row is taken (`_deliver`) as any other, so the flush's own
        pass over it finds it sent; it may overtake older rows to the same chat, though
        never an edit of it (edits wait for their message)."""
        delivered = 0
        for channel, adapter, waiting in self._awaiting:
            if self._stopping or not (keys := list(waiting())):
                continue
            for message in await self.store.due_answers(channel, keys, iso(self.clock())):
                if self._stopping:
                    break
                if await self._deliver(adapter, message.id, message):
                    delivered += 1
        return delivered

    @contextlib.asynccontextmanager
    async def _made(self, adapter: Adapter, message: Outbound) -> AsyncIterator[Outbound]:
        """The message as the adapter gets it: a document's file made for this attempt."""
        if message.document is None or self.documents is None:
            yield message
            return
        async with self.documents.ready(message, document_limit(adapter)) as made:
            await self.store.rewrite_outbox(message.id, made.text, made.document)
            yield made

    async def _deliver(self, adapter: Adapter, outbox_id: int, message: Outbound) -> bool:
        """Take the row, then send it (`_attempt`); True if it was delivered."""
        now = self.clock()
        tried_at = iso(now)
        lease = self.lease if message.document is None else self.document_lease
        until = iso(now + lease)
        try:
            if not await self.store.claim_outbox(outbox_id, tried_at, until):
                return False  # another process took it since it was read
            return await self._attempt(adapter, outbox_id, message, tried_at)
        except asyncio.CancelledError:
            # Cut off (a stop that could not wait): this process sends it no more, so it is
            # due at once, not after the lease only a crash has to wait out.
            with contextlib.suppress(Exception):
                await self.store.release_outbox(outbox_id, until, tried_at)
            raise

    async def _attempt(
        self, adapter: Adapter, outbox_id: int, message: Outbound, tried_at: str
    ) -> bool:
        try:
            try:
                async with self._made(adapter, message) as made:
                    platform_id = await adapter.send(made)
            except PartlySent as partial:
                # A long text's first pieces went: the retry (or the send once they write)
                # starts from the first that did not, not from the start again.
                await self.store.mark_parts_sent(outbox_id, partial.sent)
                raise partial.failure from partial.failure.__cause__
        except TemporaryFailure as exc:
            await self._retry_later(message, str(exc), exc.retry_after)
            return False
        except AwaitingContact as exc:
            log.info("outbox %s waits for its recipient to write first: %s", outbox_id, exc)
            await self.store.mark_failed(
                outbox_id, str(exc), AWAITING_CONTACT, written_since=tried_at
            )
            return False
        except PermanentFailure as exc:
            if isinstance(exc, DocumentTooLarge) and self.documents is not None:
                # The same file would be refused again: the row becomes the words that say
                # so, sent at once (the file is made no more).
                log.warning("outbox %s: file refused as too large: %s", outbox_id, exc)
                await self.store.rewrite_outbox(outbox_id, self.documents.refused(message), None)
                await self.store.mark_failed(outbox_id, str(exc), tried_at, count=False)
                return False
            log.error("outbox %s refused for good: %s", outbox_id, exc)
            await self.store.mark_failed(outbox_id, str(exc), PARKED)
            return False
        except Exception as exc:  # a platform library can raise anything; never lose the row
            log.warning("sending outbox %s failed: %r", outbox_id, exc)
            await self._retry_later(message, repr(exc), None)
            return False
        await self.store.mark_sent(outbox_id, platform_id, iso(self.clock()))
        return True

    async def _retry_later(self, message: Outbound, error: str, retry_after: float | None) -> None:
        if retry_after is not None:
            # The platform said when: a wait, not a failure, so it does not count.
            later = self.clock() + timedelta(seconds=retry_after)
            await self.store.mark_failed(message.id, error, iso(later), count=False)
            return
        attempts = message.attempts + 1
        later = self.clock() + timedelta(seconds=min(2.0 ** min(attempts, 30), self.max_backoff))
        if message.queued_at and later - parse_iso(message.queued_at) > self.give_up_after:
            log.error("outbox %s parked after %d attempts: %s", message.id, attempts, error)
            await self.store.mark_failed(message.id, error, PARKED)
            return
        await self.store.mark_failed(message.id, error, iso(later))

    async def run(self, idle: float = 5.0) -> None:
        """Deliver forever: on every wake-up, and when the next retry falls due (at the
        latest every `idle` seconds, in case another process queued something), until
        `stop`."""
        while not self._stopping:
            pause = idle
            try:
                await self.flush()
                due = await self.store.next_attempt_at(list(self.adapters))
                if due is not None:
                    wait = (parse_iso(due) - self.clock()).total_seconds()
                    pause = min(idle, max(wait, 0.0))
            except Exception:  # keep delivering; the rows stay in the outbox
                log.exception("outbox flush failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=pause)
            self._wake.clear()
