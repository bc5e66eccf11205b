"""Telegram, over python-telegram-bot's `Application`: updates in, neutral replies out.

This module only translates.  A Telegram update becomes an `Inbound` (or nothing), and an
`Outbound` from the outbox becomes `sendMessage` / `editMessageText` (an edit of the
buttons alone, `editMessageReplyMarkup`), or `sendDocument`
for a file (the ledger), uploaded from the file the outbox made for this attempt.  Which groups are
intake groups, who may claim what, and what to answer is decided by the core.

Choices worth knowing (the README's Telegram section has the operator's view):

* Polling is ours, not PTB's `Updater`: the Updater confirms a batch to Telegram (by
  asking for the next one) before the handlers have run, so a crash could lose reports.
  Our loop feeds each update to `Application.process_update` and only then moves the
  offset; a redelivered update is harmless because the pipeline dedupes on message id.
* Webhook mode serves one Starlette route on the shared HTTP server, checks
  `X-Telegram-Bot-Api-Secret-Token` on every request, and answers 200 only after the
  update was handled (so Telegram redelivers what we failed to store).
* Replies are never retried in here: a 429, 5xx or network error becomes
  `TemporaryFailure` and the outbox tries again later.  `AIORateLimiter` keeps the overall
  rate; `GroupPacer` keeps the per-group rate and folds waiting acknowledgements into one
  message (see `telegram_pacing`).  Given the outbox's `SendWindow` (`share_window`), a
  group send also takes its place in the database's record of the group's sends, so
  several processes delivering from one database keep the group's limit together; given
  its `CarriedRows` (`share_rows`), a digest takes its rows from the outbox for its send,
  so an acknowledgement waiting in one process's digest is not sent alone by another.
* An edited message becomes an `Inbound` with `edit_of` (the core adds the new version to
  the ticket the message belongs to, and does not run an edited command again); its id is
  the message's id and the edit's time, so each version is one message.
* A group that became a supergroup keeps the chat id written in the config as its
  identity; the adapter learns the new id (from the migration service message, from
  `ChatMigrated` on send, and by probing configured chats at start) and translates.
* In a forum (a supergroup with topics) a message's topic is its `thread_id`, and what
  the bot sends goes to the `thread_id` it is given (`message_thread_id`).  A topic that
  is closed to the bot or deleted is answered in the General topic instead; a closed
  General topic (admins close it to keep talk in topics) refuses what belongs to no
  topic, which waits in the outbox, retried, until it is reopened (`_general_refused`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import re
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    MessageOriginUser,
    ReplyParameters,
    Update,
    User,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import AIORateLimiter, Application, ContextTypes, ExtBot, TypeHandler
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot.adapters.base import (
    Attachment,
    AwaitingContact,
    Button,
    CarriedRows,
    DocumentTooLarge,
    Inbound,
    InboundHandler,
    InboundJournal,
    Outbound,
    PermanentFailure,
    Person,
    Room,
    SendWindow,
    Taken,
    TemporaryFailure,
)
from bot.adapters.telegram_pacing import Digest, GroupPacer, Plan, Send, SendDigest, Wait
from bot.commands import normalise
from bot.config import Config, TelegramConfig
from bot.privacy import mask_pii

log = logging.getLogger(__name__)

CHANNEL = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Only what we translate; everything else is not even fetched.
ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
# The Bot API takes uploads of up to 50 MB from a bot (a self-hosted Bot API server takes
# more; this adapter keeps to the public one's limit).
MAX_DOCUMENT_BYTES = 50_000_000
# Seconds to send a document's bytes: 50 MB at a county office's few hundred kB/s.
UPLOAD_TIMEOUT = 300.0
# "/cmd@SomeBot ..." (a command addressed to one bot in a group with several); a command's
# name may hold digits (/top10).  Matched on the text as the core reads it (`normalise`:
# ／ｃｌａｉｍ＠SomeBot, as a Chinese input method types it, is /claim@SomeBot there).
_ADDRESSED = re.compile(r"/[A-Za-z0-9_]+@(\w+)")
# Tickets from a digest answer to "<telegram message id>:<outbox id>".
DIGEST_SEPARATOR = ":"
DIGEST_BUTTONS_PER_ROW = 4
# How long polling keeps trying an update whose handling fails (storing it: a database
# restarting or locked), before it moves past it.
HANDLING_RETRY_FOR = 60.0
# Telegram's refusals of a forum topic: closed (only the group's admins may write there) or
# deleted, in the Bot API's words ("Bad Request: TOPIC_CLOSED", "message thread not found").
_TOPIC_CLOSED = "topic_closed"
_TOPIC_GONE = (_TOPIC_CLOSED, "topic_deleted", "thread not found")


def _topic_refused(exc: BadRequest, words: Sequence[str] = _TOPIC_GONE) -> bool:
    reason = str(exc).lower()
    return any(w in reason for w in words)


def _thread(thread_id: str | None) -> int | None:
    """Our thread id -> Telegram's `message_thread_id`."""
    return int(thread_id) if thread_id and thread_id.isdigit() else None


def retry_seconds(exc: RetryAfter) -> float:
    """`RetryAfter.retry_after` in seconds (PTB 22 warns when it is read as an int)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: int | timedelta = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _platform_message_id(ref: str | None) -> int | None:
    """Our message id string -> Telegram's integer (digest entries carry a suffix)."""
    if not ref:
        return None
    head = ref.split(DIGEST_SEPARATOR, 1)[0]
    return int(head) if head.lstrip("-").isdigit() else None


class TolerantBot(ExtBot[Any]):
    """An `ExtBot` that survives one malformed update in a `getUpdates` batch.

    PTB parses a whole batch at once; one update it cannot parse makes it drop the batch
    *without* moving the offset, so the bot would fetch the same broken batch forever.
    Here an update that does not parse is replaced by a bare one with the same
    `update_id`, which nothing handles and which moves the offset past it.
    """

    async def _post(self, endpoint: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, *args, **kwargs)
        if endpoint != "getUpdates" or not isinstance(result, list):
            return result
        cleaned: list[Any] = []
        for raw in result:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if not isinstance(update_id, int):
                log.warning("dropping an update without update_id: %.200r", raw)
                continue
            try:
                Update.de_json(raw, self)
            except Exception:
                log.warning("malformed update %s ignored: %.500r", update_id, raw)
                raw = {"update_id": update_id}
            cleaned.append(raw)
        return cleaned


class TelegramAdapter:
    """One bot account: receives from Telegram, delivers the outbox to Telegram."""

    channel = CHANNEL
    max_document_bytes = MAX_DOCUMENT_BYTES
    handling_retry_base = 0.2  # seconds before the first retry of an update that failed

    def __init__(self, config: Config, poll_timeout: int = 30) -> None:
        if config.telegram is None:
            raise ValueError("the config has no [telegram] section")
        self.config = config
        self.settings: TelegramConfig = config.telegram
        if self.settings.mode == "webhook" and not (
            self.settings.webhook_url and self.settings.webhook_secret
        ):
            raise ValueError("telegram.mode = 'webhook' needs webhook_url and webhook_secret")
        self.poll_timeout = poll_timeout
        limiter = AIORateLimiter(
            overall_max_rate=self.settings.overall_max_rate,
            overall_time_period=self.settings.overall_time_period,
            # The group limit is GroupPacer's job (it defers instead of sleeping); PTB's
            # limiter would block the whole outbox while one group waits.
            group_max_rate=0,
            max_retries=0,  # a 429 goes back to the outbox, which waits retry_after
        )
        bot = TolerantBot(
            token=self.settings.token,
            base_url=self.settings.base_url,
            base_file_url=self.settings.base_file_url,
            request=HTTPXRequest(connection_pool_size=8),
            get_updates_request=HTTPXRequest(
                connection_pool_size=1, read_timeout=poll_timeout + 10.0
            ),
            rate_limiter=limiter,
        )
        self.app: Application[Any, Any, Any, Any, Any, Any] = (
            Application.builder().bot(bot).updater(None).build()
        )
        self.app.add_handler(TypeHandler(Update, self._on_update))
        self.app.add_error_handler(self._on_error)
        self.pacer = GroupPacer(
            self.settings.group_max_rate,
            self.settings.group_time_period,
            self.settings.ack_digest_max,
        )
        # Every process's sends into a group (the outbox's database); None: this one's alone.
        self.window: SendWindow | None = None
        # The outbox rows a digest carries, taken from the outbox's database for its send;
        # None: this process is the only one delivering (they go when the outbox asks).
        self.rows: CarriedRows | None = None
        self._handle: InboundHandler | None = None
        self._receiving = True  # until `stop_receiving`
        self._username: str | None = self.settings.bot_username
        self._poller: asyncio.Task[None] | None = None
        self._offset: int | None = None
        self._failed: set[int] = set()  # update ids whose handling raised
        # Button presses answered (the latest 1000), and the answers under way.
        self._answered: OrderedDict[str, None] = OrderedDict()
        self._answering: set[asyncio.Task[None]] = set()
        # Supergroup migration: Telegram's current chat id <-> the configured one.
        self._canonical: dict[str, str] = {}
        self._current: dict[str, str] = {}
        # Chat -> until when Telegram asked us to hold off (429).
        self._paused: dict[str, float] = {}
        # Recent group messages, to say whose report a digest entry acknowledges.
        self._recent: OrderedDict[tuple[str, str], str] = OrderedDict()
        # Forums whose General topic refused us (closed), each logged once until it takes
        # a message again.
        self._general_closed: set[str] = set()
        # Digests we sent: Telegram message id -> {outbox id: (text, buttons, reference)}.
        self._digests: OrderedDict[str, dict[int, tuple[str, list[Button], str]]] = OrderedDict()

    def share_window(self, window: SendWindow) -> None:
        """Keep each group's limit with every process delivering from the same database
        (the outbox offers its record of the sends, `bot.outbox.StoredWindow`)."""
        self.window = window

    def share_rows(self, rows: CarriedRows) -> None:
        """Take a digest's rows for its send as the outbox takes the row it hands over, so
        no other process sends one of them too (`bot.outbox.StoredRows`)."""
        self.rows = rows

    @property
    def bot(self) -> ExtBot[Any]:
        bot: ExtBot[Any] = self.app.bot
        return bot

    # lifecycle ------------------------------------------------------------------------
    async def start(
        self, handle: InboundHandler, journal: InboundJournal | None = None
    ) -> None:
        """Connect (getMe), learn migrated chats, then poll or register the webhook.  No
        `journal`: Telegram is told an update arrived only once it is handled (the polling
        offset, the webhook's 200), and delivers it again otherwise."""
        self._handle = handle
        await self.app.initialize()
        await self.app.start()
        me = self.bot.bot
        self._username = me.username
        if not me.can_read_all_group_messages:
            log.warning(
                "Telegram privacy mode is on for @%s: in groups it only sees /commands and "
                "replies to its own messages, so plain-text reports are missed unless it is "
                "a group admin.  Turn it off in BotFather (/setprivacy -> Disable) and "
                "re-add the bot to the groups.",
                me.username,
            )
        await self._probe_chats()
        if self.settings.mode == "webhook":
            assert self.settings.webhook_url and self.settings.webhook_secret
            await self.bot.set_webhook(
                self.settings.webhook_url,
                secret_token=self.settings.webhook_secret,
                allowed_updates=list(ALLOWED_UPDATES),
            )
        else:
            await self.bot.delete_webhook()  # getUpdates refuses to work while one is set
            self._poller = asyncio.create_task(self._poll(), name="telegram-poll")

    async def stop_receiving(self) -> None:
        """Stop polling (confirming what was handled); in webhook mode, answer 503 from now
        on (Telegram delivers it again later).  The connection stays open for the outbox."""
        self._receiving = False
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
            if self._answering:  # a press's answer is quick, and then its spinner stops
                await asyncio.gather(*self._answering, return_exceptions=True)
            if self._offset is not None:
                # Tell Telegram what we handled, so a restart does not fetch it again.
                with contextlib.suppress(Exception):
                    await self.bot.get_updates(offset=self._offset, timeout=0, limit=1)

    async def stop(self) -> None:
        """Stop receiving and close the connections."""
        await self.stop_receiving()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()

    def routes(self) -> list[Any]:
        """The webhook endpoint (webhook mode only); polling needs no HTTP server."""
        if self.settings.mode != "webhook" or not self.settings.webhook_url:
            return []
        path = urlsplit(self.settings.webhook_url).path or "/telegram"
        return [Route(path, self._webhook, methods=["POST"])]

    async def _probe_chats(self) -> None:
        """Ask for every configured Telegram chat once: a group that became a supergroup
        while we were away answers with ChatMigrated, which tells us its new id."""
        chats = [g.chat_id for g in self.config.intake_groups if g.channel == CHANNEL]
        staff = self.config.staff_chat
        if staff is not None and staff.channel == CHANNEL:
            chats.append(staff.chat_id)
        for chat_id in chats:
            try:
                await self.bot.get_chat(int(chat_id))
            except ChatMigrated as exc:
                self._migrated(chat_id, str(exc.new_chat_id))
            except Exception as exc:  # a probe must never stop the bot from starting
                log.warning("configured Telegram chat %s is not reachable: %s", chat_id, exc)

    # receiving ------------------------------------------------------------------------
    async def _poll(self) -> None:
        """Long polling; the offset moves only past updates we have handled."""
        backoff = 1.0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=self._offset,
                    timeout=self.poll_timeout,
                    allowed_updates=list(ALLOWED_UPDATES),
                )
                backoff = 1.0
            except TimedOut:
                continue
            except RetryAfter as exc:
                await asyncio.sleep(retry_seconds(exc))
                continue
            except TelegramError as exc:  # network, 5xx, a webhook still set, bad token
                log.warning("getUpdates failed (%s); retrying in %.0fs", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            self._answer_presses(updates)
            for update in updates:
                await self._process_until_stored(update)
                self._offset = update.update_id + 1

    def _answer_presses(self, updates: Sequence[Update]) -> None:
        """Answer every button press of a fetched batch at once, each in a task of its
        own: the spinner on the presser's button stops now, not when the press's turn
        comes behind the batch's reports (1.6 s behind 150, and Telegram drops an answer
        that comes too late).  The answer says nothing (it never did: what the press did
        is the edited message and the reply, from the handling), so it may come first."""
        for update in updates:
            query = update.callback_query
            if query is None or query.id in self._answered:
                continue
            self._answered[query.id] = None
            while len(self._answered) > 1000:
                self._answered.popitem(last=False)
            task = asyncio.create_task(self._answer(query.id), name="telegram-answer")
            self._answering.add(task)
            task.add_done_callback(self._answering.discard)

    async def _answer(self, query_id: str) -> None:
        try:
            await self.bot.answer_callback_query(query_id)
        except TelegramError as exc:  # too late, or answered before a restart
            log.info("answering callback %s failed: %s", query_id, exc)

    async def _process_until_stored(self, update: Update) -> None:
        """Handle one update, trying again with back-off while storing it fails (a
        database down for a while), for up to `HANDLING_RETRY_FOR` seconds.  Later updates
        wait meanwhile (their order is kept); an update that fails for longer is a bug's,
        and is logged and dropped so that it cannot stop intake for good."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + HANDLING_RETRY_FOR
        delay = self.handling_retry_base
        tries = 0
        while True:
            await self.app.process_update(update)
            tries += 1
            if update.update_id not in self._failed:
                return
            self._failed.discard(update.update_id)
            if loop.time() + delay > give_up:
                log.error("Telegram update %s dropped after %d tries", update.update_id, tries)
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def _webhook(self, request: Request) -> Response:
        """One update from Telegram; 200 once stored, 500 so Telegram tries again."""
        given = request.headers.get(SECRET_HEADER, "")
        expected = self.settings.webhook_secret or ""
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return PlainTextResponse("forbidden", status_code=403)
        if self._handle is None or not self._receiving:
            return PlainTextResponse("starting" if self._receiving else "stopping", 503)
        try:
            update = Update.de_json(await request.json(), self.bot)
        except Exception:
            # Redelivering a body we cannot read would not help; take it and move on.
            log.warning("malformed webhook update ignored", exc_info=True)
            return PlainTextResponse("ignored")
        await self.app.process_update(update)
        if update.update_id in self._failed:
            self._failed.discard(update.update_id)
            return PlainTextResponse("failed", status_code=500)
        return PlainTextResponse("ok")

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Translate and hand to the pipeline (PTB calls this for every update)."""
        self._learn_migration(update)
        query = update.callback_query
        if query is not None and query.id not in self._answered:
            # Answer first (a webhook's press; polling answered its batch's on fetching it):
            # the spinner on the person's button stops at once; what the press did shows
            # up as the edited message and the reply.  Once: not again on a retry.
            self._answered[query.id] = None
            await self._answer(query.id)
        inbound = self.translate(update)
        if inbound is not None and self._handle is not None:
            await self._handle(inbound)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(update, Update):
            self._failed.add(update.update_id)
        log.error("handling Telegram update failed", exc_info=context.error)

    def _learn_migration(self, update: Update) -> None:
        message = update.message
        if message is None:
            return
        if message.migrate_to_chat_id:
            self._migrated(str(message.chat.id), str(message.migrate_to_chat_id))
        elif message.migrate_from_chat_id:
            self._migrated(str(message.migrate_from_chat_id), str(message.chat.id))

    def _migrated(self, old: str, new: str) -> None:
        canonical = self._canonical.get(old, old)
        if self._current.get(canonical) != new:
            log.warning(
                "Telegram group %s is now supergroup %s; it keeps its intake mapping "
                "(update the config's chat_id when convenient)",
                canonical,
                new,
            )
        self._canonical[new] = canonical
        self._current[canonical] = new

    def _platform_chat(self, chat_id: str) -> str:
        """Where a message for `chat_id` (configured or platform id) goes now."""
        canonical = self._canonical.get(chat_id, chat_id)
        return self._current.get(canonical, chat_id)

    def _room(self, chat: Chat) -> Room:
        chat_id = str(chat.id)
        return Room(
            CHANNEL,
            self._canonical.get(chat_id, chat_id),
            title=chat.title or "",
            is_private=chat.type == Chat.PRIVATE,
        )

    @staticmethod
    def _person(user: User) -> Person:
        return Person(CHANNEL, str(user.id), user.full_name)

    def _addressed_elsewhere(self, text: str) -> bool:
        """A command for another bot in the same group is not ours to answer."""
        match = _ADDRESSED.match(normalise(text))
        mine = self._username
        return bool(match and mine and match.group(1).lower() != mine.lower())

    def translate(self, update: Update) -> Inbound | None:
        """An update as a neutral message, or None for what we do not handle."""
        try:
            if update.callback_query is not None:
                return self._translate_press(update)
            if update.message is not None:
                return self._translate_message(update.message)
            if update.edited_message is not None:
                return self._translate_message(update.edited_message, edited=True)
        except Exception:  # an odd update must not stop the bot
            log.warning("could not translate update %s", update.update_id, exc_info=True)
        return None  # channel posts, member changes, polls, ...

    def _translate_press(self, update: Update) -> Inbound | None:
        query = update.callback_query
        assert query is not None
        if not query.data or query.message is None:
            return None  # inline-mode or game buttons: not ours
        pressed = query.message
        return Inbound(
            sender=self._person(query.from_user),
            room=self._room(pressed.chat),
            # Unique per press, so a redelivered update is deduped, while two presses
            # of the same button are two events.
            message_id=f"cb:{query.id}",
            text=query.data,
            is_button=True,
            # What the press says goes to the topic of the message pressed (one too old
            # for Telegram to show, `InaccessibleMessage`, says none).
            thread_id=_topic_of(pressed) if isinstance(pressed, Message) else None,
        )

    def _translate_message(self, message: Message, edited: bool = False) -> Inbound | None:
        if message.from_user is None or message.from_user.is_bot:
            return None  # channel posts; other bots (and our own echoes)
        if _not_a_persons_words(message):
            return None
        if edited and message.location is not None:
            # A location cannot be edited by hand: this is a live location moving, which
            # Telegram sends as an edit at every move for hours.
            return None
        text = message.text or message.caption or ""
        attachments = self._attachments(message)
        if not text.strip() and not attachments:
            return None  # stickers, dice, polls, service messages
        if self._addressed_elsewhere(text):
            return None
        reply_to = message.reply_to_message
        if reply_to is not None and reply_to.forum_topic_created is not None:
            reply_to = None  # in a forum topic every message "replies" to the topic opener
        room = self._room(message.chat)
        message_id = str(message.message_id)
        if not room.is_private and not edited:
            self._remember(room.chat_id, message_id, message.from_user, text)
        version = f"{message_id}:edit:{int(message.edit_date.timestamp())}" if (
            edited and message.edit_date is not None
        ) else message_id
        return Inbound(
            sender=self._person(message.from_user),
            room=room,
            message_id=version,
            text=text,
            reply_to_message_id=str(reply_to.message_id) if reply_to is not None else None,
            attachments=attachments,
            edit_of=message_id if edited else None,
            thread_id=_topic_of(message),
        )

    @staticmethod
    def _attachments(message: Message) -> tuple[Attachment, ...]:
        found: list[Attachment] = []
        if message.photo:
            found.append(Attachment("photo", message.photo[-1].file_id))  # the largest size
        if message.animation:
            found.append(Attachment("animation", message.animation.file_id))
        elif message.document:
            found.append(
                Attachment("document", message.document.file_id, message.document.file_name or "")
            )
        if message.voice:
            found.append(Attachment("voice", message.voice.file_id))
        if message.audio:
            found.append(Attachment("audio", message.audio.file_id, message.audio.title or ""))
        if message.video:
            found.append(Attachment("video", message.video.file_id))
        if message.video_note:
            found.append(Attachment("video", message.video_note.file_id, "video note"))
        if message.location:
            where = f"{message.location.latitude},{message.location.longitude}"
            note = message.venue.title if message.venue else ""
            found.append(Attachment("location", where, note))
        if message.contact:
            contact = message.contact
            name = " ".join(p for p in (contact.first_name, contact.last_name or "") if p)
            found.append(Attachment("contact", contact.phone_number, name))
        return tuple(found)

    def _remember(self, chat_id: str, message_id: str, user: User, text: str) -> None:
        name = user.full_name[:16]
        snippet = text.replace("\n", " ")
        snippet = snippet[:24] + "…" if len(snippet) > 24 else snippet
        self._recent[(chat_id, message_id)] = f"{name}：{snippet}" if snippet else name
        while len(self._recent) > 5000:
            self._recent.popitem(last=False)

    # sending --------------------------------------------------------------------------
    async def send(self, message: Outbound) -> str:
        """Deliver one outbox row; `TemporaryFailure` means "later, please"."""
        done = self.pacer.delivered(message.id)
        if done is not None:
            return done  # went out inside a digest
        chat = self._platform_chat(message.chat_id)
        self._check_paused(chat)
        if chat.startswith("-"):  # groups and supergroups have negative ids
            plan = self.pacer.plan(message, chat)
            if isinstance(plan, Wait):
                raise TemporaryFailure("group rate limit", retry_after=plan.seconds)
            if self.window is None:
                return await self._send_planned(message, plan)
            # This process's pacer said go; the group's sends by every process may not.
            taken = await self.window.take(
                CHANNEL, chat, _messages(message, plan),
                [(self.settings.group_max_rate, self.settings.group_time_period)],
            )
            if not isinstance(taken, Taken):
                self.pacer.hold(message, plan, taken, chat)
                raise TemporaryFailure("group rate limit (all processes)", retry_after=taken)
            try:
                return await self._send_planned(message, plan)
            finally:
                try:
                    await self.window.done(taken)
                except Exception:  # the send's outcome matters more; the place stays taken
                    log.warning("recording a send into %s failed", chat, exc_info=True)
        return await self._deliver(message)

    async def _send_planned(self, message: Outbound, plan: Plan) -> str:
        if isinstance(plan, SendDigest):
            return await self._send_digest(message, plan)
        assert isinstance(plan, Send)
        return await self._deliver(message)

    def _check_paused(self, chat: str) -> None:
        until = self._paused.get(chat)
        if until is None:
            return
        left = until - asyncio.get_running_loop().time()
        if left > 0:
            raise TemporaryFailure("Telegram asked us to wait", retry_after=left)
        del self._paused[chat]

    async def _deliver(self, message: Outbound) -> str:
        """One message (or edit), mapping Telegram's errors to the outbox's terms."""
        for _ in range(2):  # a second go only after learning a migrated chat id
            chat = self._platform_chat(message.chat_id)
            try:
                if message.document is not None:
                    return await self._send_document(chat, message)
                if message.edit_message_id:
                    return await self._edit(chat, message)
                return await self._send_new(
                    chat,
                    message.text,
                    message.buttons,
                    message.reply_to_message_id,
                    message.thread_id,
                )
            except ChatMigrated as exc:
                self._migrated(message.chat_id, str(exc.new_chat_id))
            except RetryAfter as exc:
                seconds = retry_seconds(exc)
                self._paused[chat] = asyncio.get_running_loop().time() + seconds
                raise TemporaryFailure(f"Telegram flood control: {exc}", seconds) from exc
            except Forbidden as exc:
                if chat.isdigit():
                    # A person's private chat (groups have negative ids): they never
                    # started one with the bot, or blocked it.  Once they write to it, it
                    # may write to them: the row waits for that.
                    raise AwaitingContact(f"Telegram: not until they write: {exc}") from exc
                raise PermanentFailure(f"Telegram refused the message: {exc}") from exc
            except BadRequest as exc:
                # Telegram rejects the request itself (an unknown chat, a bad edit):
                # retrying cannot help, so the row is parked with the reason.
                raise PermanentFailure(f"Telegram refused the message: {exc}") from exc
            except (TimedOut, NetworkError) as exc:
                if message.document is not None and "too large" in str(exc).lower():
                    # HTTP 413, from the Bot API server or a proxy in front of it.
                    raise DocumentTooLarge(f"Telegram refused the file: {exc}") from exc
                raise TemporaryFailure(f"Telegram unreachable: {exc}") from exc
        raise TemporaryFailure("chat migrated twice while sending")

    async def _send_new(
        self,
        chat: str,
        text: str,
        buttons: Sequence[Button] | Sequence[Sequence[Button]],
        reply_to: str | None,
        thread_id: str | None = None,
    ) -> str:
        """A new message, in forum topic `thread_id` if given; a topic closed to the bot
        or deleted since gets it in the General topic instead, not as a reply (the report
        it answers is in the topic).  Better read there than held until the topic opens.
        A closed General topic: `TemporaryFailure` (`_general_refused`)."""
        if _thread(thread_id) is not None:
            try:
                return await self._post(chat, text, buttons, reply_to, thread_id)
            except BadRequest as exc:
                if not _topic_refused(exc):
                    raise
                log.warning(
                    "Telegram chat %s: topic %s refuses the bot (%s); posting in the General "
                    "topic instead", chat, thread_id, exc,
                )
            reply_to = None
        try:
            return await self._post(chat, text, buttons, reply_to, None)
        except BadRequest as exc:
            if _topic_refused(exc, (_TOPIC_CLOSED,)):
                raise self._general_refused(chat, exc) from exc
            raise

    async def _post(
        self,
        chat: str,
        text: str,
        buttons: Sequence[Button] | Sequence[Sequence[Button]],
        reply_to: str | None,
        thread_id: str | None,
    ) -> str:
        chunks = _chunks(text)
        reply = _platform_message_id(reply_to)
        sent: Message | None = None
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            sent = await self.bot.send_message(
                chat_id=int(chat),
                text=chunk,
                message_thread_id=_thread(thread_id),
                reply_markup=_markup(buttons) if last else None,
                reply_parameters=(
                    ReplyParameters(message_id=reply, allow_sending_without_reply=True)
                    if reply is not None and index == 0
                    else None
                ),
            )
            if chat.startswith("-"):
                self.pacer.record(chat)
        assert sent is not None
        if thread_id is None:
            self._general_closed.discard(chat)
        return str(sent.message_id)

    def _general_refused(self, chat: str, exc: BadRequest) -> TemporaryFailure:
        """A forum's General topic is closed, and the message belongs to no topic (or its
        own refused it too): only the group's admins may write there.  Parking it would
        lose it to the group for good; it waits, retried, until the topic is reopened (or
        the bot is made an admin that may manage topics), as long as any outage."""
        chat_id = self._canonical.get(chat, chat)
        if chat not in self._general_closed:
            self._general_closed.add(chat)
            log.warning(
                "Telegram group %s is a forum whose General topic is closed to the bot: "
                "what belongs to no topic waits in the outbox until an admin reopens it, "
                "or makes the bot an admin that may manage topics (%s)", chat_id, exc,
            )
        return TemporaryFailure(
            f"Telegram: the General topic of forum {chat_id} is closed to the bot "
            f"(reopen it, or make the bot an admin that may manage topics): {exc}"
        )

    async def _send_document(self, chat: str, message: Outbound) -> str:
        """`sendDocument`, a multipart upload, with the text as its caption (a caption
        longer than Telegram allows goes first as a message of its own).  The bytes are
        read in a worker thread: at most the 50 MB limit, held for one upload."""
        document = message.document
        assert document is not None
        if document.path is not None:
            data = await asyncio.to_thread(Path(document.path).read_bytes)
        elif document.data is not None:
            data = document.data
        else:
            raise PermanentFailure(f"document {document.filename!r} has no bytes to send")
        upload = InputFile(data, filename=document.filename)
        upload.mimetype = document.mime_type
        caption: str | None = message.text or None
        reply = _platform_message_id(message.reply_to_message_id)
        if caption is not None and len(caption) > CAPTION_LIMIT:
            await self._send_new(
                chat, caption, [], message.reply_to_message_id, message.thread_id
            )
            caption, reply = None, None
        sent = await self.bot.send_document(
            chat_id=int(chat),
            document=upload,
            caption=caption,
            message_thread_id=_thread(message.thread_id),
            reply_parameters=(
                ReplyParameters(message_id=reply, allow_sending_without_reply=True)
                if reply is not None
                else None
            ),
            write_timeout=UPLOAD_TIMEOUT,
            read_timeout=UPLOAD_TIMEOUT,
        )
        if chat.startswith("-"):
            self.pacer.record(chat)
        return str(sent.message_id)

    async def _edit(self, chat: str, message: Outbound) -> str:
        target = message.edit_message_id
        assert target is not None
        if DIGEST_SEPARATOR in target:
            return await self._edit_digest_entry(chat, message, target)
        message_id = _platform_message_id(target)
        if message_id is None:
            if message.buttons_only:  # its words were said: nothing to say anew
                return target
            return await self._send_new(
                chat, message.text, message.buttons, None, message.thread_id
            )
        try:
            if message.buttons_only:
                await self.bot.edit_message_reply_markup(
                    chat_id=int(chat), message_id=message_id,
                    reply_markup=_markup(message.buttons),
                )
            else:
                await self.bot.edit_message_text(
                    chat_id=int(chat),
                    message_id=message_id,
                    text=_chunks(message.text)[0],
                    reply_markup=_markup(message.buttons),
                )
        except BadRequest as exc:
            reason = str(exc).lower()
            if "not modified" in reason:
                return target
            if "not found" in reason or "can't be edited" in reason:
                if message.buttons_only:  # the same words again would be noise
                    return target
                # Deleted, or too old to edit: say it as a new message instead.
                return await self._send_new(
                    chat, message.text, message.buttons, None, message.thread_id
                )
            raise
        if chat.startswith("-"):
            self.pacer.record(chat)
        return target

    # digests --------------------------------------------------------------------------
    async def _send_digest(self, message: Outbound, plan: SendDigest) -> str:
        """Several waiting acknowledgements for one group, as one message.  Its other
        rows are taken from the outbox first: one that another process took meanwhile
        (sent alone, or in a digest of its own) leaves this digest."""
        digest = plan.digest
        taken: set[int] = set()
        if self.rows is not None:
            others = [key for key in digest.items if key != message.id]
            taken = await self.rows.take(others)
            self.pacer.leave(digest, (key for key in others if key not in taken))
        try:
            ids = await self._post_digest(digest)
        except BaseException:
            if taken and self.rows is not None:  # they wait with the digest
                with contextlib.suppress(Exception):
                    left = max(digest.due - self.pacer.clock(), 0.0)
                    await self.rows.give_back(taken, left)
            raise
        self.pacer.digest_sent(digest, ids)
        if taken and self.rows is not None:
            try:
                await self.rows.sent({key: ids[key] for key in taken})
            except Exception:  # they stay taken; should this process get them, they went
                log.warning("marking a digest's rows sent failed", exc_info=True)
            else:
                for key in taken:
                    self.pacer.delivered(key)
        return self.pacer.delivered(message.id) or ids[message.id]

    async def _post_digest(self, digest: Digest) -> dict[int, str]:
        """Post the digest; its rows' platform ids."""
        items = sorted(digest.items.items())  # in the order the reports came
        chat = self._platform_chat(digest.chat_id)
        try:
            if len(items) == 1:
                only = items[0][1]
                platform_id = await self._send_new(
                    chat, only.text, only.buttons, only.reply_to_message_id, digest.thread_id
                )
                ids = {items[0][0]: platform_id}
            else:
                entries = {
                    key: (item.text, list(item.buttons), self._reference(item))
                    for key, item in items
                }
                platform_id = await self._send_new(
                    chat, *_render_digest(entries), None, digest.thread_id
                )
                ids = {key: f"{platform_id}{DIGEST_SEPARATOR}{key}" for key, _ in items}
                self._digests[platform_id] = entries
                while len(self._digests) > 2000:
                    self._digests.popitem(last=False)
        except ChatMigrated as exc:
            self._migrated(digest.chat_id, str(exc.new_chat_id))
            self.pacer.digest_failed(digest, 0.0)
            raise TemporaryFailure("chat migrated; sending to its new id", 0.0) from exc
        except RetryAfter as exc:
            seconds = retry_seconds(exc)
            self._paused[chat] = asyncio.get_running_loop().time() + seconds
            self.pacer.digest_failed(digest, seconds)
            raise TemporaryFailure(f"Telegram flood control: {exc}", seconds) from exc
        except TemporaryFailure:
            # A forum's closed General topic: the digest waits, as its rows do.
            self.pacer.digest_failed(digest, 0.0)
            raise
        except (Forbidden, BadRequest) as exc:
            # Removed from the group, or barred from writing there: each waiting row is
            # parked in turn when it comes for the digest, as a message of its own would be.
            self.pacer.digest_failed(digest, 0.0)
            raise PermanentFailure(f"Telegram refused the message: {exc}") from exc
        except (TimedOut, NetworkError) as exc:
            self.pacer.digest_failed(digest, 1.0)
            raise TemporaryFailure(f"Telegram unreachable: {exc}", 1.0) from exc
        return ids

    def _reference(self, item: Outbound) -> str:
        """Whose report an entry answers (we cannot reply to several messages at once)."""
        key = (item.chat_id, item.reply_to_message_id or "")
        found = self._recent.get(key)
        return "↩ " + mask_pii(found) if found else ""

    async def _edit_digest_entry(self, chat: str, message: Outbound, target: str) -> str:
        """Editing one ticket's entry re-renders the whole digest it lives in."""
        head, _, key_text = target.partition(DIGEST_SEPARATOR)
        entries = self._digests.get(head)
        key = int(key_text) if key_text.isdigit() else -1
        if entries is None or key not in entries:
            # Restarted since: we no longer know the other entries, and overwriting them
            # would lose them.  Post the new state as its own message instead (new buttons
            # alone: its words were said, and the same again would be noise).
            if message.buttons_only:
                return target
            return await self._send_new(
                chat, message.text, message.buttons, None, message.thread_id
            )
        entries[key] = (message.text, list(message.buttons), entries[key][2])
        text, buttons = _render_digest(entries)
        try:
            if message.buttons_only:
                await self.bot.edit_message_reply_markup(
                    chat_id=int(chat), message_id=int(head), reply_markup=_markup(buttons)
                )
            else:
                await self.bot.edit_message_text(
                    chat_id=int(chat),
                    message_id=int(head),
                    text=_chunks(text)[0],
                    reply_markup=_markup(buttons),
                )
        except BadRequest as exc:
            reason = str(exc).lower()
            if "not modified" in reason:
                return target
            if "not found" not in reason and "can't be edited" not in reason:
                raise
            # Deleted (an admin clearing a flood's messages), or too old to edit: this entry's
            # new state goes as a message of its own, as for an acknowledgement of one ticket;
            # it was parked as refused for good, unread.  The other entries' edits find the
            # digest forgotten and go the same way (above), without asking Telegram first.
            self._digests.pop(head, None)
            if message.buttons_only:
                return target
            return await self._send_new(
                chat, message.text, message.buttons, None, message.thread_id
            )
        if chat.startswith("-"):
            self.pacer.record(chat)
        return target


def _messages(message: Outbound, plan: Plan) -> int:
    """How many messages a planned group send makes (a text over Telegram's limit goes in
    pieces; a file's caption over its own limit goes first as a message)."""
    if isinstance(plan, SendDigest):
        items = list(plan.digest.items.values())
        return len(_chunks(items[0].text)) if len(items) == 1 else 1
    if message.document is not None:
        return 2 if len(message.text) > CAPTION_LIMIT else 1
    if message.edit_message_id:
        return 1
    return len(_chunks(message.text))


def _topic_of(message: Message) -> str | None:
    """The forum topic a message is in (None: the General topic, or a group without
    topics, where a reply's `message_thread_id` names its thread of replies, not a topic)."""
    if message.is_topic_message and message.message_thread_id:
        return str(message.message_thread_id)
    return None


def _not_a_persons_words(message: Message) -> bool:
    """A channel's post in its discussion group (an automatic forward, sent by the account
    "Telegram", which is not a bot), anything sent on behalf of a channel, and a bot's
    message someone forwarded (the bot's own acknowledgement, posted back): none is a
    person reporting, so none is translated."""
    if message.is_automatic_forward:
        return True
    sender_chat = message.sender_chat
    if sender_chat is not None and sender_chat.type == Chat.CHANNEL:
        return True
    origin = message.forward_origin
    return isinstance(origin, MessageOriginUser) and origin.sender_user.is_bot


def _render_digest(
    entries: dict[int, tuple[str, list[Button], str]],
) -> tuple[str, list[list[Button]]]:
    """Entries one under another; their buttons numbered ("认领 #12"), four to a row so
    that twenty entries make five rows rather than a screen of buttons."""
    blocks: list[str] = []
    keys: list[Button] = []
    for text, buttons, reference in entries.values():
        blocks.append(f"{reference}\n{text}" if reference else text)
        for button in buttons:
            argument = [a.lstrip("#") for a in button.command.split()[1:2]]
            # "认领" -> "认领 #12"; a label that names its ticket already ("并案 2→1") stays.
            numbered = argument and argument[0] not in button.label
            label = f"{button.label} #{argument[0]}" if numbered else button.label
            keys.append(Button(label, button.command))
    rows = [
        keys[i : i + DIGEST_BUTTONS_PER_ROW] for i in range(0, len(keys), DIGEST_BUTTONS_PER_ROW)
    ]
    return "\n\n".join(blocks), rows


def _markup(
    buttons: Sequence[Button] | Sequence[Sequence[Button]],
) -> InlineKeyboardMarkup | None:
    """Any Outbound buttons as an inline keyboard; callback_data is the command itself.

    A flat list becomes one row.  Commands over Telegram's 64-byte callback_data limit
    cannot be buttons; they are left out (and logged) rather than failing the message.
    """
    rows: list[list[InlineKeyboardButton]] = []
    flat = [b for b in buttons if isinstance(b, Button)]
    nested = [r for r in buttons if not isinstance(r, Button)]
    for row in ([flat] if flat else []) + [list(r) for r in nested]:
        keys = []
        for button in row:
            if len(button.command.encode()) > CALLBACK_DATA_LIMIT:
                log.warning("button %r dropped: command over 64 bytes", button.command)
                continue
            keys.append(InlineKeyboardButton(button.label, callback_data=button.command))
        if keys:
            rows.append(keys)
    return InlineKeyboardMarkup(rows) if rows else None


def _chunks(text: str) -> list[str]:
    """Telegram takes at most 4096 characters per message; split long texts at lines."""
    text = text or "…"
    if len(text) <= TEXT_LIMIT:
        return [text]
    chunks: list[str] = []
    while text:
        if len(text) <= TEXT_LIMIT:
            chunks.append(text)
            break
        cut = text.rfind("\n", 0, TEXT_LIMIT)
        cut = cut if cut > TEXT_LIMIT // 2 else TEXT_LIMIT
        chunks.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return chunks
