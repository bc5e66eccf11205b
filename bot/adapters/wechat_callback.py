"""The callback side shared by WeCom (企业微信) and Official Account (公众号) endpoints.

WeChat's servers push every message to one URL of ours and wait at most 5 s for the HTTP
answer; without one they retry the same message up to three times.  This module does the
parts that are the same for both products and that must be right for safety:

* the replay window and the signature check (constant-time; wechatpy compares with `!=`
  and never looks at the timestamp), *before* anything is decrypted or stored;
* one use of each signed nonce: a callback's (nonce, timestamp, signature) is remembered
  in the database for the replay window (`InboundJournal.use_callback`), and used again
  with another message it is refused (a plain-mode Official Account signs the query alone,
  so whoever saw one callback's URL could post any message under it).  Used again with the
  same message it is WeChat's own retry, answered as before (the message's id makes it a
  duplicate);
* safe XML: a prolog with `<!DOCTYPE` / `<!ENTITY` is refused before any parser sees it
  (xmltodict refuses entity declarations today; this guard keeps it that way whatever its
  version), and every parser error is a 400, never a 500;
* the answer-within-5-s rule: the message is handed to the pipeline in a task of its own,
  the request waits a bounded time (`passive_wait`) for the pipeline's first reply to that
  message and returns it as a *passive reply*; otherwise it answers "success" and the reply
  goes out later through the outbox as an active API call.  Slow work (classification, a
  busy database) therefore never makes WeChat retry.  The outbox asks which callbacks wait
  (`waiting_replies`) before each send and delivers their replies first.
* "success" only for a message that is kept: the task first keeps the message in the
  journal (`bot.journal`), and forgets it once handled.  WeChat never sends a message
  answered "success" again, so one cut off by a stop is handled from the journal at the
  next start; one that could not be kept in time is answered 500, and WeChat sends it again.

The platform classes in `bot.adapters.wechat` supply what differs: which query parameters
carry the signature, how the body is decrypted and parsed, how a message becomes an
`Inbound`, and how a passive reply is rendered.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.parsers.expat import ExpatError

import xmltodict
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.adapters.base import Inbound, InboundHandler, InboundJournal, Outbound

log = logging.getLogger(__name__)

# How far a callback's timestamp may be from our clock.  WeChat signs the timestamp, so a
# captured request can only be replayed inside this window; inside it, each signed nonce is
# remembered, and serves one message only (the pipeline's inbound unique key makes a replay
# of an already-seen message a no-op).
REPLAY_WINDOW = 300.0
# How much longer than the window a used nonce is remembered: processes sharing the database
# may read clocks a little apart.
NONCE_MARGIN = 60.0
# How long a callback waits for the pipeline's reply before answering "success"; WeChat
# allows 5 s, and the rest is margin for network and decryption.
PASSIVE_WAIT = 3.0
# How long a stop lets the messages being handled finish before cutting them off (each is
# kept in the journal: one cut off is handled at the next start).
STOP_GRACE = 5.0
# A refused callback is logged once a minute for each kind of refusal (the rest counted).
REFUSAL_LOG_EVERY = 60.0
# WeChat's limit for one text message (reply or API) is 2048 bytes of UTF-8.
TEXT_LIMIT_BYTES = 2000

SUCCESS = "success"
# What may come before the root element and hold no declaration: a byte-order mark, space,
# the XML declaration and other processing instructions, comments.
_PROLOG = re.compile(r"\ufeff?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)


class CallbackRefused(Exception):
    """The request is refused with `status`; nothing from it is processed."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def sign(*parts: str) -> str:
    """WeChat's signature: SHA-1 of the sorted, concatenated parts (token first among them)."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def check_signature(given: str | None, *parts: str) -> None:
    """Refuse with 403 unless `given` is the signature of `parts` (constant-time compare)."""
    if not given or not hmac.compare_digest(given.lower().encode(), sign(*parts).encode()):
        raise CallbackRefused(403, "bad signature")


def check_timestamp(timestamp: str | None, now: float, window: float = REPLAY_WINDOW) -> str:
    """Refuse with 403 a missing, malformed or stale timestamp (a replayed request)."""
    if not timestamp or not timestamp.isdigit() or len(timestamp) > 12:
        raise CallbackRefused(403, "bad timestamp")
    if abs(now - int(timestamp)) > window:
        raise CallbackRefused(403, "timestamp outside the replay window")
    return timestamp


def guard_xml(body: bytes | str) -> str:
    """The body as text if it is a plain `<xml>` document; 400 otherwise.

    A DTD can only appear in the prolog (before the root element), and entity declarations
    only inside a DTD; refusing any `<!` markup there but comments rejects billion-laughs
    and external entity payloads before a parser could expand them.  Text inside the
    document, which WeChat wraps in CDATA, is left alone.
    """
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError as exc:
        raise CallbackRefused(400, "body is not UTF-8") from exc
    # The prolog is read as XML reads it (a "<xml" inside a comment or processing
    # instruction is not the root): whatever follows it must be the root element.
    prolog = _PROLOG.match(text)
    rest = text[prolog.end() :] if prolog else text
    if rest.startswith("<!"):
        raise CallbackRefused(400, "DTD or entity declarations are not accepted")
    if not rest.startswith("<xml"):
        raise CallbackRefused(400, "not a WeChat XML document")
    return text


def parse_xml(body: bytes | str) -> dict[str, Any]:
    """The fields of a WeChat `<xml>` document (guarded, then parsed with xmltodict)."""
    text = guard_xml(body)
    try:
        parsed = xmltodict.parse(text)
    except (ExpatError, ValueError) as exc:
        raise CallbackRefused(400, f"malformed XML: {exc}") from exc
    fields = parsed.get("xml") if isinstance(parsed, dict) else None
    if not isinstance(fields, dict):
        raise CallbackRefused(400, "malformed XML: no <xml> fields")
    return fields


def split_text(text: str, limit: int = TEXT_LIMIT_BYTES) -> list[str]:
    """Cut `text` into pieces of at most `limit` UTF-8 bytes, at line ends where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line.encode()) > limit:  # one line longer than a whole message
            cut = len(line)
            while len(line[:cut].encode()) > limit:
                cut = cut * 3 // 4
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:cut])
            line = line[cut:]
        if len((current + line).encode()) > limit:
            pieces.append(current)
            current = ""
        current += line
    if current or not pieces:
        pieces.append(current)
    # A piece of line ends alone (a blank line after a full piece) would be an empty text,
    # which WeChat refuses (44004): the row would fail after its first pieces went out.
    kept = [piece.rstrip("\n") for piece in pieces]
    return [piece for piece in kept if piece.strip()] or [""]


@dataclass(frozen=True)
class Signed:
    """What makes one callback: its signed nonce, timestamp and signature, and the digest of
    the message it carried (the body, or in encrypted mode the decrypted message, which the
    signature covers).  WeChat's retries repeat all four."""

    nonce: str
    timestamp: int
    signature: str
    digest: str


def signed(query: dict[str, str], signature: str, message: str) -> Signed:
    """The `Signed` of a verified callback whose `message` (XML) was signed by `signature`."""
    digest = hashlib.sha256(message.encode("utf-8")).hexdigest()
    return Signed(query["nonce"], int(query["timestamp"]), signature.lower(), digest)


@dataclass(frozen=True)
class Callback:
    """One verified, decrypted callback: the message, and how to answer it."""

    inbound: Inbound | None  # None: an event or message type the bot does not act on
    render_reply: Callable[[str], str]  # text -> response body (passive reply XML)
    signed: Signed | None = None  # None: not remembered (the nonce check is skipped)


class CallbackEndpoint:
    """The request/response cycle of a WeChat callback URL; subclasses do the crypto.

    `verify_get` answers the URL-verification handshake; `verify_post` checks, decrypts and
    translates a message.  Both raise `CallbackRefused` for anything not genuinely from
    WeChat.  The endpoint also plays the `send` side of passive replies: the adapter's
    `send` offers each outgoing message to `offer_passive` first.
    """

    channel: str

    def __init__(
        self, passive_wait: float = PASSIVE_WAIT, clock: Callable[[], float] = time.time
    ) -> None:
        self.passive_wait = passive_wait
        self.clock = clock
        self._handle: InboundHandler | None = None
        self._journal: InboundJournal | None = None
        # (chat id, message id) -> the open HTTP request waiting for the reply to it.
        self._waiting: dict[tuple[str, str], asyncio.Future[str]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        # (status, kind of reason) -> when last logged, how many refused since unlogged.
        self._refusals: dict[tuple[int, str], tuple[float, int]] = {}

    # to implement ---------------------------------------------------------------------
    def verify_get(self, query: dict[str, str]) -> str:
        raise NotImplementedError

    def verify_post(self, query: dict[str, str], body: bytes) -> Callback:
        raise NotImplementedError

    # lifecycle --------------------------------------------------------------------------
    def start_handling(
        self, handle: InboundHandler, journal: InboundJournal | None = None
    ) -> None:
        """Hand messages to `handle`; each kept in `journal` before it is answered
        "success" (None, in tests of the HTTP side alone: answered as if kept)."""
        self._handle = handle
        self._journal = journal

    async def stop_handling(self, grace: float | None = None) -> None:
        """Let messages already accepted finish for `grace` seconds (`STOP_GRACE`), then
        cut them off: they are kept, and handled at the next start."""
        grace = STOP_GRACE if grace is None else grace
        self._handle = None
        loop = asyncio.get_running_loop()
        end = loop.time() + grace
        # Again while there are any: a message handled in the wait forgets itself in a task
        # of its own.
        while (running := {t for t in self._tasks if not t.done()}) and loop.time() < end:
            await asyncio.wait(running, timeout=end - loop.time())
        pending = {t for t in self._tasks if not t.done()}
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    # HTTP --------------------------------------------------------------------------------
    async def endpoint(self, request: Request) -> Response:
        """The Starlette endpoint for GET (handshake) and POST (messages)."""
        query = dict(request.query_params)
        deadline = asyncio.get_running_loop().time() + self.passive_wait
        try:
            if request.method in ("GET", "HEAD"):
                return PlainTextResponse(self.verify_get(query))
            body = await request.body()
            callback = self.verify_post(query, body)
            if self._handle is None:
                # Not started yet (or stopping): WeChat will retry, and we will be ready.
                return PlainTextResponse("not ready", 503)
            if not await self._first_use(callback, deadline):
                return PlainTextResponse("temporary error", 500)
        except CallbackRefused as exc:
            self._log_refusal(exc)
            return PlainTextResponse(exc.reason, exc.status)
        if callback.inbound is None:
            return PlainTextResponse(SUCCESS)
        return await self._answer(callback, self._handle, deadline)

    async def _first_use(self, callback: Callback, deadline: float) -> bool:
        """Remember the callback's signed nonce; refuse it (403) if it came before with
        another message.  The same message again is WeChat's retry (it sends the very same
        request when our answer did not reach it in 5 s), handled as before: its message id
        makes it a duplicate, answered as one.  False: the database did not answer in time
        (500, and WeChat sends it again; had the nonce been remembered after all, the retry
        is the same message).  Without a journal (tests of the HTTP side alone): nothing
        remembered."""
        use, journal = callback.signed, self._journal
        if use is None or journal is None:
            return True
        loop = asyncio.get_running_loop()
        forget_before = int(self.clock() - REPLAY_WINDOW - NONCE_MARGIN)
        try:
            async with asyncio.timeout(max(0.0, deadline - loop.time())):
                first = await journal.use_callback(
                    self.channel, use.nonce, use.timestamp, use.signature, use.digest,
                    forget_before,
                )
        except Exception:
            log.warning("%s callback's nonce could not be remembered", self.channel, exc_info=True)
            return False
        if first is not None and not hmac.compare_digest(first, use.digest):
            raise CallbackRefused(403, "nonce used before with another message")
        return True

    def _log_refusal(self, exc: CallbackRefused) -> None:
        """A warning, as the bot logs by default (it was at INFO, which `intake-bot run` does
        not show: a clock out of the replay window or a token changed in the console refused
        every message unseen).  One a minute for each kind of refusal, saying how many more
        there were, so that a flood of forged requests does not flood the log."""
        kind = (exc.status, exc.reason.split(":")[0])
        now = time.monotonic()
        logged, more = self._refusals.get(kind, (None, 0))
        if logged is not None and now - logged < REFUSAL_LOG_EVERY:
            self._refusals[kind] = (logged, more + 1)
            return
        self._refusals[kind] = (now, 0)
        also = f" ({more} more like it since the last one logged)" if more else ""
        log.warning(
            "%s callback refused (%s): %s%s", self.channel, exc.status, exc.reason, also
        )

    async def _answer(
        self, callback: Callback, handle: InboundHandler, deadline: float
    ) -> Response:
        inbound = callback.inbound
        assert inbound is not None
        loop = asyncio.get_running_loop()
        key = (inbound.room.chat_id, inbound.message_id)
        slot: asyncio.Future[str] | None = None
        if key not in self._waiting:  # a retry while the first is open gets no passive slot
            slot = loop.create_future()
            self._waiting[key] = slot
        kept: asyncio.Future[bool] = loop.create_future()
        task: asyncio.Task[bool] = asyncio.ensure_future(
            self._take(inbound, handle, self._journal, kept)
        )
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        try:
            await asyncio.wait({task}, timeout=max(0.0, deadline - loop.time()))
            if task.done() and not task.cancelled() and task.exception() is not None:
                # Nothing was stored (the transaction rolled back): let WeChat retry.
                return PlainTextResponse("temporary error", 500)
            if slot is not None and task.done():
                # Even when this request's handle() saw a duplicate, the reply may still
                # come: a concurrent copy of the same message may be the one that stored it.
                await asyncio.wait({slot}, timeout=max(0.0, deadline - loop.time()))
            if slot is not None and slot.done() and not slot.cancelled():
                return Response(callback.render_reply(slot.result()), media_type="application/xml")
            handled = task.done() and not task.cancelled()
            if not handled and not (kept.done() and kept.result()):
                # Neither handled nor kept (the database slow or down, the bot stopping):
                # after "success" WeChat would never send it again.  The handling goes on.
                return PlainTextResponse("temporary error", 500)
            return PlainTextResponse(SUCCESS)
        finally:
            if slot is not None:
                # From here on the reply to this message goes out through the API.
                self._waiting.pop(key, None)
                slot.cancel()

    async def _take(
        self,
        inbound: Inbound,
        handle: InboundHandler,
        journal: InboundJournal | None,
        kept: asyncio.Future[bool],
    ) -> bool:
        """Keep the message (`kept`: whether it is), handle it, forget it.  Not kept, it is
        handled all the same, as it was before there was a journal: held in memory, while
        WeChat sends it again."""
        if journal is None:
            kept.set_result(True)
        else:
            try:
                await journal.keep(inbound)
            except Exception:
                log.warning(
                    "%s message %s could not be kept", self.channel, inbound.message_id,
                    exc_info=True,
                )
                kept.set_result(False)
            else:
                kept.set_result(True)
        handled = await handle(inbound)
        if journal is not None and kept.result():
            # Apart, so that the answer (a passive reply) does not wait for it.
            forget = asyncio.ensure_future(self._forget(journal, inbound))
            self._tasks.add(forget)
            forget.add_done_callback(self._tasks.discard)
        return handled

    async def _forget(self, journal: InboundJournal, inbound: Inbound) -> None:
        try:
            await journal.forget(inbound)
        except Exception:  # handled again at the next start, as a message seen before
            log.warning("%s message %s stays kept", self.channel, inbound.message_id, exc_info=True)

    def _finished(self, task: asyncio.Task[bool]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s message failed in the pipeline", self.channel, exc_info=task.exception())

    def waiting_replies(self) -> list[tuple[str, str]]:
        """The (chat id, message id) of every open callback still waiting for its reply: the
        outbox delivers the rows answering them before anything else (`Dispatcher`), or a
        backlog of other chats' notices would outlast the wait."""
        return [key for key, slot in self._waiting.items() if not slot.done()]

    def offer_passive(self, message: Outbound, text: str | None = None) -> str | None:
        """Hand `message` (or `text`, its first piece when it is too long for one WeChat
        message) to the open callback it answers, if any; return its id if taken.

        Only a reply to the very message whose request is still open qualifies, only the
        first one, and only text that fits one WeChat message; edits and files never do.
        """
        text = message.text if text is None else text
        if (
            message.reply_to_message_id is None
            or message.edit_message_id is not None
            or message.document is not None
        ):
            return None
        slot = self._waiting.get((message.chat_id, message.reply_to_message_id))
        if slot is None or slot.done() or len(text.encode()) > TEXT_LIMIT_BYTES:
            return None
        slot.set_result(text)
        return f"passive-{message.id}"
