"""Platform-neutral people, rooms and messages.

Every adapter turns a platform update into an `Inbound` and an `Outbound` back into a
platform call; nothing else crosses the boundary.  The workflow never sees a Telegram or
WeChat object, and an adapter never sees a ticket rule.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from classifier.text import storable_text

# What a name may not carry, since the desk's notices put it at the start of a line and in
# the middle of sentences ("工单 #1 已由 王五 认领。"), read by staff as the bot's own words:
# line breaks and other control characters (a name "张三\n【督办】工单 #1 已超时" made a line of
# a staff notice that looked like the bot's escalation), direction overrides and isolates
# (a right-to-left override, U+202E, turned the rest of such a line around, to be read
# backwards) and invisible format characters (a name of zero width spaces showed as
# nothing).  Not the zero width joiner, which holds an emoji together.
_NAME_BREAKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_NAME_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb]"
)
# The desk's own notices are tagged 【督办】, 【私下反映】, 【群众反映】: a name never is.
_NAME_TAG_MARKS = str.maketrans("【】", "[]")
# Telegram's longest first name; a name past it (a crafted one, or a hotline file's) is cut.
NAME_LIMIT = 64


def plain_name(name: str) -> str:
    """`name` as the desk shows it: one line of visible text, without the desk's own tag
    brackets, at most `NAME_LIMIT` characters ("" when nothing visible is left, which the
    desk reads as no name and shows the account id).  Applied where a name enters
    (`Person`, a hotline order's caller) and to a name people type to find someone."""
    name = _NAME_INVISIBLE.sub("", storable_text(name))
    name = _NAME_BREAKS.sub(" ", name).strip().translate(_NAME_TAG_MARKS)
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…"


# What a message's words may not carry either: control characters other than tab and line
# breaks (a terminal's escapes, a bell) and the direction overrides, embeddings and isolates
# that reorder the text after them.  The desk quotes a report in its notices and lists; a
# right-to-left override (U+202E) in one turned the rest of the quoting line around: "理处即立
# 请" showed as "请立即处理".  The marks that only say a character's direction (U+200E,
# U+200F), which right-to-left writing uses, stay.  The invisible characters a copy carries
# that stand for nothing go too (a zero width space, a word joiner, a byte order mark, a soft
# hyphen): inside a word they hid it from every reading of the text, "王网\u200b格员收了钱"
# from the 作风反映 it is, "\u200b匿名反映：…" from its marker.  Not the zero width joiner,
# which holds an emoji together.
_STEERING = re.compile(
    "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
    "\u00ad\u180e\u200b\u2060-\u2064\ufeff]"
)


def plain_text(text: str) -> str:
    """`text` as it is kept (`storable_text`) without the characters that steer how the
    text after them is shown, or stand for nothing (`_STEERING`); every visible character
    is kept."""
    return _STEERING.sub("", storable_text(text))


@dataclass(frozen=True)
class Person:
    """Someone writing to the bot, as the platform identifies them."""

    channel: str
    user_id: str
    display_name: str = ""

    def __post_init__(self) -> None:
        # A name that is not valid Unicode could not be stored (see `Inbound`), and one
        # with line breaks or direction overrides would be misread in notices (`plain_name`).
        object.__setattr__(self, "display_name", plain_name(self.display_name))


@dataclass(frozen=True)
class Room:
    """A chat: an intake group, the staff group, or a private conversation."""

    channel: str
    chat_id: str
    title: str = ""
    is_private: bool = False


@dataclass(frozen=True)
class Attachment:
    """A reference to a file the platform keeps (we store the reference, not the bytes)."""

    kind: str  # photo, document, voice, video, location, contact, link ...
    ref: str  # platform file id, URL or "lat,lon"
    note: str = ""

    def __post_init__(self) -> None:
        # A file name or caption is stored and quoted too (see `Inbound`).
        object.__setattr__(self, "note", plain_text(self.note))


@dataclass(frozen=True)
class Inbound:
    """One message (or button press) from a platform, already translated."""

    sender: Person
    room: Room
    message_id: str
    text: str
    reply_to_message_id: str | None = None
    attachments: tuple[Attachment, ...] = ()
    # A button press: the adapter puts the button's command in `text` and the pressed
    # message's id in `message_id`, so it runs through the same command path as typing.
    is_button: bool = False
    # A new version of an earlier message (Telegram lets people edit what they sent): that
    # message's id.  `message_id` is then unique to this version, so each edit is one message.
    edit_of: str | None = None
    # The thread of the room it was written in, on platforms whose rooms have them (a
    # Telegram forum's topic); None: the room's main conversation.  Answers go there too.
    thread_id: str | None = None

    def __post_init__(self) -> None:
        # Here, where every platform's message becomes ours: a bad byte from a terminal, half
        # an emoji in JSON (a lone surrogate) or a NUL becomes U+FFFD instead of failing the
        # message's transaction, and the rest of the message is kept.  A character that would
        # reorder or hide the words after it where the desk quotes them goes (`plain_text`).
        object.__setattr__(self, "text", plain_text(self.text))


@dataclass(frozen=True)
class Button:
    """An inline button; pressing it sends `command` as if the person had typed it."""

    label: str
    command: str


@dataclass(frozen=True)
class Document:
    """A file sent as a document (so far: the ledger, 台账), with `Outbound.text` as its
    caption.

    The outbox keeps `filename`, `mime_type` and `source`: what the file is and how to
    make it (JSON the adapters never read, e.g. a ledger request).  The bytes themselves
    are made when the row is delivered and exist only for that attempt: `path` (a file
    the adapter reads and must not keep) or `data`.  A file of residents' reports, up to
    tens of megabytes, is then never copied into the database, any bot process sharing a
    PostgreSQL database can deliver it, and nothing is left to clean up after a crash
    but a temporary file (see `bot.export`).
    """

    filename: str
    mime_type: str
    source: str = ""
    path: str | None = None
    data: bytes | None = None

    def stored(self) -> Document:
        """What the outbox row keeps: the description, never the bytes."""
        return Document(self.filename, self.mime_type, self.source)


# What an outgoing message is (`Outbound.kind`), as the desk writes it: what an adapter and
# `[official_account.notice_template] kinds` choose by.
OUTBOUND_KINDS = (
    "reply",  # an answer to what someone said
    "ack",  # a report's acknowledgement (已受理，工单号 …)
    "edit",  # that acknowledgement edited as the ticket moves on
    "resolved", "merged", "extended",  # a ticket's outcome, merge or extension, told its chat
    "followup",  # the follow-up visit's question to the reporter (回访)
    "feedback",  # what came of their rating
    "direct",  # a notice to one person privately
    "staff", "escalation",  # to the staff room: a notice, an escalation (督办)
    "document",  # a file (the ledger)
)


@dataclass
class Outbound:
    """A reply or notification waiting in (or taken from) the outbox."""

    channel: str
    chat_id: str
    text: str
    id: int = 0
    reply_to_message_id: str | None = None
    buttons: list[Button] = field(default_factory=list)
    # When set, the adapter edits this platform message instead of sending a new one.
    edit_message_id: str | None = None
    ticket_id: int | None = None
    kind: str = "reply"  # one of OUTBOUND_KINDS
    attempts: int = 0
    queued_at: str | None = None  # when it was written to the outbox (read back from it)
    # A file to send, `text` being its caption (platforms without captions send the text
    # first); only ever to one person's private chat.
    document: Document | None = None
    # Where in the room (`Inbound.thread_id`): a thread of it, None its main conversation.
    # A reply goes to the thread of the message it answers; a notice about a ticket, to its
    # report's (`bot.turn.enqueue`).  Platforms without threads ignore it.
    thread_id: str | None = None
    # An edit's news in a line ("工单 #1｜…｜当前：处理中（王网格员）"), which a platform that
    # cannot edit (WeChat) sends instead of the whole edited text: the reporter was sent the
    # whole acknowledgement again at every claim and resolution.  None: the whole text.
    news: str | None = None
    # An edit whose text is the version's before it (`Tx.enqueue` sets it): only its buttons
    # change (a ticket handed to a department, 转办, loses the group's 认领 at once).  Telegram
    # edits the buttons alone (editMessageReplyMarkup); a platform without buttons (WeChat,
    # where an edit is a message to the reporter) sends nothing.
    buttons_only: bool = False
    # How many of the messages a platform sends this one as (WeChat: a text over 2048
    # bytes in pieces) went in an earlier attempt that failed after them (`PartlySent`):
    # the adapter sends the rest, not the whole text again.
    parts_sent: int = 0
    # About a ticket that is urgent now (read from the outbox with the row): it goes ahead
    # of the chat's other waiting messages (`DeliverySQL.due_outbox`, Telegram's pacer).
    urgent: bool = False


class Adapter(Protocol):
    """What the outbox dispatcher needs from a platform.

    An adapter that can send documents says how large one may be in
    `max_document_bytes` (the platform's upload limit); one without the attribute, or
    with None, cannot send files (see `document_limit`).
    """

    channel: str

    async def send(self, message: Outbound) -> str:
        """Deliver one message; return the platform's id for it.

        Raise `TemporaryFailure` to have the dispatcher retry later.
        """
        ...


def document_limit(adapter: object) -> int | None:
    """The largest document `adapter` may send, in bytes; None if it sends no files."""
    limit = getattr(adapter, "max_document_bytes", None)
    return limit if isinstance(limit, int) and limit > 0 else None


class PermanentFailure(Exception):
    """The platform refused the message for good (blocked, unknown chat, bad request):
    the outbox parks it with the reason at once instead of retrying."""


class AwaitingContact(PermanentFailure):
    """The platform lets the bot write to this person again only once they write to it:
    WeChat's 48 hours after their last message to an Official Account, a Telegram user
    who never opened a private chat with the bot or blocked it.  The outbox keeps the
    message until they write, then sends it (`Tx.release_awaiting`)."""


class DocumentTooLarge(PermanentFailure):
    """The platform (or a proxy before it: nginx takes 1 MB by default) refused a file as
    too large, below the adapter's own limit.  Retrying the same file cannot help: the
    outbox sends the words that say so instead (`Documents.refused`)."""


class PartlySent(Exception):
    """A message the platform takes as several (a long text in pieces) failed after the
    first `sent` of them went (counting those of earlier attempts).  The outbox records
    the count, so the retry sends only the rest (`Outbound.parts_sent`), and then deals
    with `failure` as if it had been raised alone."""

    def __init__(self, sent: int, failure: Exception) -> None:
        super().__init__(f"{sent} parts sent, then: {failure}")
        self.sent = sent
        self.failure = failure


class TemporaryFailure(Exception):
    """The platform could not take the message now; retry after `retry_after` seconds."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Taken:
    """Sends into a chat recorded in a `SendWindow` before they were made."""

    channel: str
    chat_id: str
    at: str  # when they were taken, as the window recorded it
    count: int


class SendWindow(Protocol):
    """What every process delivering from one database sent into a chat lately (the
    outbox's record, `bot.outbox.StoredWindow`), so that a platform's per-chat limit
    (Telegram: 20 a minute into a group) is kept by the processes together, not by each.
    The outbox offers it to an adapter that has `share_window(window)`."""

    async def take(
        self, channel: str, chat_id: str, count: int, limits: Sequence[tuple[int, float]]
    ) -> Taken | float:
        """Record `count` sends into the chat now, if then, for each (limit, period) of
        `limits`, no more than `limit` were made in the last `period` seconds (WeCom's 30 a
        minute and 1,000 an hour to a member); else record nothing and return the seconds
        until they would fit in every one."""
        ...

    async def done(self, taken: Taken) -> None:
        """The sends were made (or tried): they count from now, by when the platform had
        them (a send's time is taken before it, to keep the place)."""
        ...


class CarriedRows(Protocol):
    """Outbox rows one send carries besides the row it was handed (Telegram's digest of
    acknowledgements), taken for that send as the outbox takes the row it hands over: a row
    waiting in one process's digest is not sent by another process delivering from the
    same database, and one that process took is left out of the digest.  The outbox
    (`bot.outbox.StoredRows`) offers it to an adapter that has `share_rows(rows)`."""

    async def take(self, outbox_ids: Collection[int]) -> set[int]:
        """Take for this send the rows that are unsent and due (the same second); a row
        another process is sending, or has sent, is not taken.  The ids taken."""
        ...

    async def give_back(self, outbox_ids: Collection[int], seconds: float) -> None:
        """Not sent after all: the rows are due again in `seconds`."""
        ...

    async def sent(self, platform_ids: Mapping[int, str]) -> None:
        """Sent: each row with its platform message id."""
        ...


# What an adapter calls for every message it receives; False means "ignored or seen before".
InboundHandler = Callable[[Inbound], Awaitable[bool]]


class InboundJournal(Protocol):
    """Where an adapter that tells its platform a message arrived before the message is
    handled (a WeChat callback's `success`) keeps it first (`bot.journal`): a stop in the
    middle of the handling then loses nothing, for it is handled at the next start."""

    async def keep(self, inbound: Inbound) -> None: ...

    async def forget(self, inbound: Inbound) -> None: ...

    async def use_callback(
        self,
        channel: str,
        nonce: str,
        timestamp: int,
        signature: str,
        digest: str,
        forget_before: int,
    ) -> str | None:
        """Remember a callback's signed (nonce, timestamp, signature) for every process on
        the database, with `digest`, its message's; None on their first use, else the
        digest of the message their first use carried.  Those timestamped before
        `forget_before` (past the replay window) are forgotten."""
        ...


class ChannelAdapter(Adapter, Protocol):
    """A platform connection the app starts and stops.

    `routes()` lists HTTP endpoints (webhooks, WeChat callbacks) for the one shared HTTP
    server; an adapter that polls returns none.
    """

    async def start(
        self, handle: InboundHandler, journal: InboundJournal | None = None
    ) -> None:
        """Take messages from now on, each handed to `handle`; `journal` is for an adapter
        that answers its platform before the handling is done."""
        ...

    async def stop_receiving(self) -> None:
        """Take no new message; let those being handled finish.  The platform's connection
        stays open: the outbox may still be sending through it."""
        ...

    async def stop(self) -> None:
        """Stop receiving (if not yet) and close the platform's connection."""
        ...

    def routes(self) -> list[Any]: ...
