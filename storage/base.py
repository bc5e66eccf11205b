"""The storage interface the workflow talks to, and the records it returns.

Each method of `Tx` is one statement or a small group of them; the workflow composes them
inside `Store.write()`, so everything one message changes commits (or fails) together.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from bot.adapters.base import Attachment, Document, Outbound

# An outbox row given up on (permanently refused, or too many failures) is rescheduled to
# this far-future time: kept, with its last error, for a person to look at.
PARKED = "9999-12-31T00:00:00.000Z"
# An outbox row waiting for its recipient to write first (`AwaitingContact`): sent once
# they do (`Tx.release_awaiting`).  Before PARKED, so "< AWAITING_CONTACT" is every row
# with a real time.
AWAITING_CONTACT = "9999-12-30T00:00:00.000Z"
# Bounds for "no limit" in time-range queries: stored times are ISO-8601 text, so these
# sort before and after every real one (and keep the statements free of optional clauses).
BEGINNING = "0001-01-01T00:00:00.000Z"
END_OF_TIME = "9999-12-31T23:59:59.999Z"


# Seconds a caller waits for a pooled PostgreSQL connection, by default
# (`Config.database_acquire_timeout`).
ACQUIRE_TIMEOUT = 10.0


class StoreUnavailable(Exception):
    """The database gave no connection in time (PostgreSQL: every pooled connection busy,
    or a new one not opened, within `database_acquire_timeout`).  Nothing was read or
    written: the caller may try again (`Pipeline.handle` does, for as long as it takes,
    since the message it holds is stored nowhere else)."""


class AlreadyFiled(Exception):
    """A hotline work order's number was filed meanwhile, by another import of the same
    orders (`intake-bot db import` run twice at once): its ticket, `ticket`.  Raised by
    `Tx.create_ticket` in place of the engine's unique-key error, so that the caller's
    transaction rolls back (its ticket number given to nobody) and the import reports the
    order as already imported rather than stopping."""

    def __init__(self, ticket: int) -> None:
        super().__init__(f"already filed as #{ticket}")
        self.ticket = ticket


@dataclass(frozen=True)
class PersonRecord:
    id: int
    channel: str
    user_id: str
    display_name: str
    role: str
    area: str | None
    lang: str | None


def told(text: str, parts: str) -> str:
    """A report as told: its words, then each part told after it (补充), one a line.  Most
    reports have no parts: their words as they are (read for each of the newest 500 tickets
    a report is compared with, `bot.repeats.same_event`)."""
    if not parts:
        return text
    return "\n".join(w for w in (text, *parts.split("\n")) if w.strip())


@dataclass(frozen=True)
class TicketRecord:
    id: int
    channel: str
    chat_id: str
    message_id: str
    area: str | None
    reporter_id: int
    text: str
    type: str
    type_confidence: float
    urgency: str
    urgency_confidence: float
    rules: tuple[str, ...]
    needs_triage: bool
    status: str
    assignee_id: int | None
    resolution: str | None
    created_at: str
    updated_at: str
    merged_into: int | None = None  # the ticket it was merged into (并案), while merged
    # The resolve limit staff granted it (延期), in the config's form ('20wd'); None: the
    # config's for its urgency.
    resolve_limit: str | None = None
    # Resolved after its resolve deadline (按期办结: False on time); None unless the desk
    # resolved it on its present clock.
    resolved_late: bool | None = None
    # The department it was handed to (转办), a `[[departments]]` code; None: the area's.
    department: str | None = None
    # The desk's resolution settled the dispute (调处结果: 化解成功), or did not (未化解); None
    # unless it is resolved now and its outcome said which.
    settled: bool | None = None
    # The departments asked to assist (协办), by code, in the order asked; the lead (主办) is
    # `department`, or the area's grid.
    assisting: tuple[str, ...] = ()
    major: bool = False  # a major, difficult case (重大疑难), for the joint meetings
    # The people (涉及人数) and money in yuan (涉及金额) the case involves; None: not said.
    people_involved: int | None = None
    amount_involved: int | None = None
    # Where the report came from (信息来源): 'group', 'private', 'grid', 'desk' (`Source`).
    source: str = "group"
    # The thread of its chat the report was written in (`Inbound.thread_id`); None: the
    # chat's main conversation.
    thread_id: str | None = None
    # Ended by its reporter's withdrawal (撤回): resolved so (its status is 'resolved' as a
    # desk's resolution is), or closed after; False once reopened.  What it is called then.
    withdrawn: bool = False
    # The parts of the report its reporter told after it (补充), one a line, in order: "楼上",
    # "漏水" after "我要举报" (`Tx.add_part`); "" if none.
    parts: str = ""
    # Reported anonymously (匿名反映): its reporter is named to staff and admins only
    # (`bot.privacy.names_reporter`).
    anonymous: bool = False

    @property
    def told(self) -> str:
        return told(self.text, self.parts)


class Keep(Enum):
    """A value left as it is (`Tx.transition`'s department), or not filtered on (`Tx.queue`)."""

    KEEP = "keep"


@dataclass(frozen=True)
class NewTicket:
    channel: str
    chat_id: str
    message_id: str
    area: str | None
    reporter_id: int
    text: str
    type: str
    type_confidence: float
    urgency: str
    urgency_confidence: float
    rules: tuple[str, ...]
    needs_triage: bool
    created_at: str
    people_involved: int | None = None  # as the report says them (`bot.involved`)
    amount_involved: int | None = None
    source: str = "group"  # where it came from (信息来源, `bot.workflow.Source`)
    thread_id: str | None = None  # the thread of its chat (`Inbound.thread_id`)
    anonymous: bool = False  # 匿名反映 (`TicketRecord.anonymous`)


@dataclass(frozen=True)
class InboundRecord:
    """A logged group message (used to file chatter as a ticket after all)."""

    id: int
    channel: str
    chat_id: str
    platform_message_id: str
    sender_id: int
    sender_name: str
    text: str
    received_at: str
    disposition: str
    erased_at: str | None = None  # its words erased then ([retention], bot.retention)
    thread_id: str | None = None  # the thread of its chat (`Inbound.thread_id`)


@dataclass(frozen=True)
class EventRecord:
    id: int
    ticket_id: int
    actor_id: int | None
    actor_name: str | None
    action: str
    at: str
    payload: dict[str, Any]


# What a ticket's deadlines depend on, besides its clock start (which only a move of its
# status changes): status, last change, urgency, granted resolve limit, holder.
Stamp = tuple[str, str, str, str | None, int | None]


def stamp_of(ticket: TicketRecord) -> Stamp:
    return (
        ticket.status, ticket.updated_at, ticket.urgency, ticket.resolve_limit,
        ticket.assignee_id,
    )


@dataclass(frozen=True)
class ClockedTicket:
    """A supervised ticket and when its clock started (filed, or last reopened)."""

    ticket: TicketRecord
    since: str


@dataclass(frozen=True)
class TicketSearch:
    """What `Tx.search_tickets` looks for, and in whose view (`bot.workflow.search_scope`).

    Every term must occur (case-insensitive, as a substring: Chinese has no spaces to split
    words on, and "漏水" must find "楼上漏水了") in the report, its outcome, a text in its
    history (notes, additions, reasons) or the reporter's name."""

    terms: tuple[str, ...]
    area: str | None = None  # None: every area
    # With `area`: that person's own tickets (held or reported) count too, wherever they are:
    # what a grid worker may open (`bot.workflow.can_see`).
    or_person: int | None = None
    limit: int = 20
    # Instead of an area: the tickets handed to this department (转办) or that it assists
    # with (协办), and with `or_person` that person's own: what a department's liaison may
    # open.
    department: str | None = None
    # Whether the reporter of an anonymous report (匿名反映) may be searched by name: only
    # for those it is named to (`bot.privacy.names_reporter`), whom it would not betray.
    anonymous_named: bool = True
    # The mark of the events whose words the searcher is kept from (a visit's 不满意 whose
    # comment is about the desk's own people, `bot.privacy.ABOUT_THE_DESK_WORDS`): their
    # text finds nothing, since a ticket found by "收了钱" tells a grid worker what its
    # history leaves out for them.  None: every event's text is searched.
    words_kept: str | None = None


@dataclass(frozen=True)
class FollowUpRecord:
    """One follow-up visit (回访): the question about one resolution of a ticket."""

    id: int
    ticket_id: int
    resolved_at: str
    due_at: str
    state: str
    swept_at: str | None
    rating: str | None
    rated_at: str | None
    # How the rating stands: None, answered in the question's words; "words", read from
    # everyday words (`bot.visit_words`), which the reporter may correct once; "correction".
    rated_via: str | None = None


@dataclass(frozen=True)
class AwaitingClosure:
    """A resolved ticket not yet closed (待结案), as the list of them shows it: when the
    resolution that stands was made, and how the follow-up visit (回访) about that
    resolution stands.  A visit about an earlier resolution (the ticket reopened since) is
    none of it: the reporter's word on another outcome."""

    ticket: TicketRecord
    resolved_at: str
    visit: str | None  # that visit's state (`FollowUpState`); None: none was scheduled
    rating: str | None  # its answer (`Rating`), once answered


class ClosureCounts(NamedTuple):
    """How many resolved tickets wait to be closed (待结案, `Tx.awaiting_closure_counts`),
    how many of those had their visit answered with one of the ratings asked about, and how
    many went unanswered since before the moment asked about (0 when none was), of which
    `withdrawn` were withdrawals (never visited: 结案 未回复 says them apart)."""

    waiting: int
    rated: int
    unanswered: int = 0
    withdrawn: int = 0


@dataclass(frozen=True)
class TicketStats:
    """Tickets received in a period, counted by the database (see `Tx.ticket_stats`).

    A ticket dismissed as not a report (chatter the classifier filed) was never a case:
    it is counted in `dismissed` and in none of the other figures, so the centre's
    received, resolved share and medians are about reports only.  A ticket merged into
    another (并案) is the same case told again: counted in `merged` and, like a dismissed
    one, in none of the others, so five reports of one fire are one case received.
    """

    received: int
    by_status: dict[str, int]
    by_type: dict[str, int]
    by_urgency: dict[str, int]
    needs_triage: int  # still waiting for a person to confirm the type
    claimed: int  # claimed or assigned at least once
    resolved: int  # resolved or closed now
    median_claim_seconds: float | None  # received -> first claim or assignment
    median_resolve_seconds: float | None  # received -> latest resolution, resolved ones
    dismissed: int  # dismissed as not a report now
    # Merged into another ticket now (并案): other tellings of a case counted once, apart.
    merged: int = 0
    withdrawn: int = 0  # of `resolved`: ended by the reporter's withdrawal (撤回), not the desk
    # The follow-up visits' answers (回访评价): each ticket's latest answer, by rating.
    ratings: dict[str, int] = field(default_factory=dict)
    # Of `resolved`, those the desk resolved by their resolve deadline and after it (按期办结;
    # withdrawals and resolutions from before this was recorded are in neither).
    resolved_on_time: int = 0
    resolved_late: int = 0
    # Of `resolved`, those whose outcome said the dispute was settled, or was not (调处结果:
    # 化解成功 / 未化解); the rest said neither.
    settled: int = 0
    unsettled: int = 0
    # Marked major and difficult now (重大疑难), and of those the resolved or closed.
    major: int = 0
    resolved_major: int = 0
    # Those with a department now (转办), by its code, and of those the resolved or closed.
    by_department: dict[str, int] = field(default_factory=dict)
    resolved_by_department: dict[str, int] = field(default_factory=dict)
    # When every area's are counted, by area's code, and of those the resolved or closed
    # (empty when one area's are): how the centre's grids or townships compare.
    by_area: dict[str, int] = field(default_factory=dict)
    resolved_by_area: dict[str, int] = field(default_factory=dict)
    # By where they came from (信息来源: group, private, desk).
    by_source: dict[str, int] = field(default_factory=dict)
    # Those naming `crowd` people or more (涉及人数: 群体性纠纷, `Tx.ticket_stats`' argument).
    crowds: int = 0
    # The money involved (涉及金额, yuan): how many name a sum and its total; and of the
    # disputes settled (化解成功), the same ("化解涉及金额", the figure a centre reports).
    with_amount: int = 0
    amount: int = 0
    settled_with_amount: int = 0
    settled_amount: int = 0
    # Those other departments were asked to assist with now (协办), by each one's code, and
    # of those the resolved or closed (a ticket with two assisting counts for each).
    by_assisting: dict[str, int] = field(default_factory=dict)
    resolved_by_assisting: dict[str, int] = field(default_factory=dict)
    # With `department`: the period's reports (of the area, if one) it assists with now,
    # another leading them, and of those the resolved or closed; in none of the figures
    # above, which are of those handed to it.
    assisted: int = 0
    resolved_assisted: int = 0


@dataclass(frozen=True)
class Activity:
    """What happened at the desk in a window of time (`Tx.activity`), for the daily
    briefing: unlike `TicketStats`, which follows the tickets received in a period, this
    counts the work done in it, whenever its tickets came in."""

    received: dict[str, int]  # tickets filed in the window, by urgency (none dismissed now)
    resolved: int  # tickets resolved (or withdrawn by their reporter) in the window
    # Of the tickets the desk resolved in the window, those whose latest resolution there
    # came after the resolve deadline (按期办结, as /stats and /workload count them); none
    # whose case ended last there by its reporter's withdrawal (counted in neither).
    resolved_late: int
    reopened: int  # tickets reopened in the window
    ratings: dict[str, int]  # follow-up visits answered in the window, by rating
    settled: int = 0  # ... and those whose latest resolution there settled the dispute


@dataclass(frozen=True)
class ZeroReport:
    """A grid's zero report (零报告) for a local day: its worker screened it and found no
    dispute (`bot.screening`)."""

    area: str
    day: str  # the local date, 2026-12-02
    person_id: int
    person_name: str
    at: str
    note: str = ""


@dataclass(frozen=True)
class ScreeningFind:
    """A grid worker's report as their grid's screening find (`bot.screening`)."""

    area: str
    day: str  # the local date
    ticket_id: int
    person_id: int
    at: str


@dataclass(frozen=True)
class OutboxState:
    """One channel's undelivered rows (`Store.outbox_state`): for /healthz and `intake-bot
    db outbox`."""

    channel: str
    waiting: int  # to be sent, now or at their retry time
    oldest_waiting: str | None  # when the longest-waiting of them was queued
    parked: int  # given up on, each with its last error, until sent again by a person
    last_error: str | None  # the newest parked row's
    awaiting: int = 0  # for people who must write first (WeChat's 48 hours, a Telegram block)


@dataclass(frozen=True)
class Resolution:
    """One resolution recorded in a window (`Tx.resolutions`): who, and the ticket's
    receipt, so the time it took can be told."""

    worker_id: int | None
    received_at: str
    resolved_at: str
    # After the resolve deadline in force then (按期办结)?  None: not recorded (older ones).
    late: bool | None = None
    ticket_id: int = 0
    # The dispute settled (调处结果)?  None: not said.  The ticket's own mark while this is its
    # standing resolution (so 调处结果 12 … said afterwards counts), else what it said then
    # (reopened since, or ended since by its reporter's withdrawal).
    settled: bool | None = None
    # The ticket was reopened after it (重开, 不满意 at the follow-up visit, staff's), at any
    # time since: a resolution that did not hold.
    reopened: bool = False


@dataclass(frozen=True)
class LedgerRow:
    """One ticket as the centre's ledger (台账) lists it: the ticket plus facts from its
    history, with people already turned into names."""

    id: int
    created_at: str
    channel: str
    chat_id: str
    area: str | None
    reporter: str
    text: str
    type: str
    urgency: str
    needs_triage: bool
    status: str
    worker: str | None
    claimed_at: str | None  # first claim or assignment
    resolved_at: str | None  # latest resolution
    resolution: str | None
    events: int
    # The dismissal that stands (None unless the ticket is dismissed now): when, by whom,
    # and the reason given, if any.
    dismissed_at: str | None
    dismissed_by: str | None
    dismissal: str | None
    rating: str | None = None  # the latest answer to a follow-up visit (回访评价)
    resolve_limit: str | None = None  # the resolve limit staff granted (延期), if any
    resolved_late: bool | None = None  # after its resolve deadline (按期办结), if measured
    handled_by: str | None = None  # the department it was handed to (转办), its code
    settled: bool | None = None  # the dispute settled by the resolution (调处结果), if said
    assisting: tuple[str, ...] = ()  # the departments assisting (协办), by code
    major: bool = False  # marked major and difficult (重大疑难) now
    people_involved: int | None = None  # 涉及人数, if said
    amount_involved: int | None = None  # 涉及金额 in yuan, if said
    source: str = "group"  # where it came from (信息来源)
    withdrawn: bool = False  # ended by its reporter's withdrawal (撤回), as it stands
    closed_at: str | None = None  # the latest close (结案), of a ticket closed now
    # An open ticket's clock start (`ClockedTicket.since`), when `Tx.ledger_rows` was given
    # the events that start it; None otherwise.
    since: str | None = None
    parts: str = ""  # the parts of the report told after it (`TicketRecord.parts`)
    anonymous: bool = False  # 匿名反映: its reporter named to staff only (`bot.privacy`)
    # The mediation session standing (调解, `bot.mediation`): when (UTC ISO) and where.
    mediation_at: str | None = None
    mediation_place: str | None = None
    # The rules that fired (`TicketRecord.rules`): a complaint about the desk's own people
    # (作风反映) is suggested no department (`bot.filing.suggested_for`).
    rules: tuple[str, ...] = ()

    @property
    def told(self) -> str:
        return told(self.text, self.parts)


class Tx(Protocol):
    """Operations inside one transaction."""

    # people
    async def person(self, person_id: int) -> PersonRecord | None: ...
    async def person_by_platform(self, channel: str, user_id: str) -> PersonRecord | None: ...
    async def upsert_person(
        self, channel: str, user_id: str, display_name: str, role: str, area: str | None, at: str
    ) -> PersonRecord: ...
    async def find_people(self, channel: str, query: str) -> list[PersonRecord]: ...
    async def people_with_role(self, role: str, lock: bool = False) -> list[PersonRecord]:
        """`lock`: the transaction decides on them (the last admin, `/grant`), so another
        that would waits until it ends, then reads them as it left them (PostgreSQL; SQLite
        has one writer)."""
        ...
    async def people_page(
        self, role: str, area: str | None, limit: int
    ) -> tuple[list[PersonRecord], int]:
        """The first `limit` people of `role` (of `area` only, if given: a grid's code, or
        a department's for liaisons), by area then name, and how many there are in all."""
        ...
    async def set_role(
        self, person_id: int, role: str, area: str | None, keep_area: bool = True
    ) -> None:
        """`area` None keeps the one they have, unless not `keep_area`: then none."""
        ...
    async def set_lang(self, person_id: int, lang: str) -> None: ...

    # inbound messages
    async def record_inbound(
        self,
        channel: str,
        chat_id: str,
        message_id: str,
        sender_id: int,
        text: str,
        at: str,
        thread_id: str | None = None,
    ) -> int | None:
        """Store a message once (`thread_id`: the thread of the chat it was written in);
        None if this (channel, chat, message id) was seen before."""
        ...

    async def mark_inbound(
        self, inbound_id: int, disposition: str, ticket_id: int | None
    ) -> None: ...

    async def journal_inbound(
        self, channel: str, chat_id: str, message_id: str, message: str, at: str
    ) -> None:
        """Keep a message (`message`: the adapter's `Inbound` as JSON, `bot.journal`) until
        it is handled; nothing if it is kept already."""
        ...

    async def clear_journal(self, channel: str, chat_id: str, message_id: str) -> None:
        """Forget a kept message: it is handled (or was seen before)."""
        ...

    async def journaled(self, kept_before: str | None = None) -> list[str]:
        """The kept messages (JSON), oldest first: a stop leaves a few at most;
        `kept_before`: only those kept before that time (ISO)."""
        ...

    async def use_callback(
        self, channel: str, nonce: str, timestamp: int, signature: str, digest: str
    ) -> str | None:
        """Remember a WeChat callback's use of its signed (nonce, timestamp, signature), with
        `digest`, the digest of the message it carried; None if this is their first use,
        else the digest their first use carried (a retry carries the same)."""
        ...

    async def forget_callbacks(self, stamped_before: int) -> None:
        """Forget the callbacks whose timestamp is before `stamped_before` (seconds since
        the epoch): past the replay window, they are refused anyway."""
        ...

    async def inbound_message(self, inbound_id: int) -> InboundRecord | None: ...
    async def messages_with_disposition(
        self, dispositions: Sequence[str], limit: int
    ) -> list[InboundRecord]:
        """The latest logged messages with one of these dispositions whose words are
        kept, newest first."""
        ...

    async def last_erased(self, disposition: str) -> int:
        """The id of the newest message with this disposition whose words were erased (0:
        none): every one before it received before the cutoff has been erased too."""
        ...

    async def erase_messages(
        self, disposition: str, after: int, before: str, at: str, limit: int
    ) -> list[int]:
        """Erase the words of the first `limit` messages with this disposition after id
        `after` received before `before` (recording `at`); their ids, in order."""
        ...

    async def erase_sent(self, before: str, at: str, limit: int) -> int:
        """Erase the words of the first `limit` messages the bot sent before `before`
        (oldest first, recording `at`); how many."""
        ...

    async def latest_room_of(
        self, sender_id: int, channel: str, chat_ids: Sequence[str]
    ) -> str | None:
        """Of `chat_ids` on `channel`, the one `sender_id` last wrote in (None: none of them)."""
        ...

    async def release_awaiting(self, channel: str, chat_id: str, now: str) -> int:
        """Make the rows waiting for this chat's person to write first due at `now`: they
        just did; how many."""
        ...

    async def messages_held_since(self, sender_id: int, since: str) -> int:
        """How many of the sender's messages received at or after `since` were held back
        by the hourly limit on reports (disposition "held")."""
        ...

    async def ticket_for_message(self, channel: str, chat_id: str, message_id: str) -> int | None:
        """The ticket a platform message belongs to (a report, or the bot's reply about it)."""
        ...

    async def awaiting_by_chat(self) -> list[tuple[str, str, int]]:
        """(channel, chat, how many) of the messages waiting for their recipient to write
        first (AWAITING_CONTACT)."""
        ...

    async def awaiting_about(self, ticket_id: int, channel: str, chat_id: str) -> int:
        """How many messages about a ticket wait for the person of a private chat to write
        first (AWAITING_CONTACT)."""
        ...

    async def logged_message_id(self, channel: str, chat_id: str, message_id: str) -> int | None:
        """Our number for a platform message the bot logged (what /file takes), if any."""
        ...

    async def has_private_chat(self, channel: str, user_id: str) -> bool:
        """Whether this person has ever written to the bot one to one (their private chat
        id is their user id), i.e. whether the bot may write to them first."""
        ...

    # tickets
    async def create_ticket(self, ticket: NewTicket) -> TicketRecord:
        """Raises `AlreadyFiled` for a hotline work order whose number has a ticket
        (migration 0036), one a concurrent import committed after this one looked; on
        PostgreSQL after waiting for that import's transaction to end, whose rollback
        lets this one file it after all."""
        ...

    async def hotline_ticket(self, platform: str, number: str) -> int | None:
        """The ticket filed for a hotline platform's work order (工单编号), if one was: what
        makes a second import of the same file file nothing twice (migration 0036)."""
        ...

    async def ticket(self, ticket_id: int, lock: bool = False) -> TicketRecord | None:
        """`lock`: the transaction decides on what it reads and may change it (a command at
        the desk); on PostgreSQL the row is locked until the commit, so another message's
        change waits rather than slipping in between (SQLite's writes are serial anyway)."""
        ...

    async def transition(
        self,
        ticket_id: int,
        from_statuses: Sequence[str],
        to_status: str,
        at: str,
        assignee_id: int | None,
        resolution: str | None = None,
        merged_into: int | None = None,
        department: str | None | Keep = Keep.KEEP,
    ) -> TicketRecord | None:
        """Atomically move a ticket if its status is one of `from_statuses`; else None.

        `resolution` replaces the stored outcome when given.  `merged_into` is set with the
        move to "merged" and cleared by any other; leaving "merged" also clears the outcome
        the merge wrote ("已并入工单 #7"), which is no outcome of a ticket on its own again.
        `department` (转办) is set with the move when given, None clearing it."""
        ...

    async def merged_tickets(self, ticket_id: int) -> list[TicketRecord]:
        """The tickets merged into `ticket_id` now (并案), oldest first."""
        ...

    async def set_resolve_limit(self, ticket_id: int, limit: str | None, at: str) -> None:
        """Give the ticket its own resolve limit (延期), or None to go back to the config's."""
        ...

    async def set_resolution_marks(
        self, ticket_id: int, late: bool | None, settled: bool | None
    ) -> None:
        """Record how the desk's resolution went: after the resolve deadline or not (按期办结),
        the dispute settled or not (调处结果); None: not measured or not said, and both None
        after a reopening."""
        ...

    async def set_withdrawn(self, ticket_id: int, withdrawn: bool) -> None:
        """Mark the ticket as ended by its reporter's withdrawal (撤回), or no longer (reopened)."""
        ...

    async def set_anonymous(self, ticket_id: int) -> None:
        """Mark the ticket anonymous (匿名反映) from now on, at its reporter's word after it was
        filed (`bot.desk.anonymity`).  Never undone: a reporter who asked for it is not to be
        named again to those who handle it by anyone's mistake."""
        ...

    async def set_assisting(
        self, ticket_id: int, department: str, assisting: bool, at: str
    ) -> TicketRecord | None:
        """Ask `department` to assist with the ticket (协办), or (`assisting` False) no longer;
        the ticket as it is now, or None when that was so already (or there is no ticket)."""
        ...

    async def tickets_assisted_by(self, department: str, limit: int) -> list[TicketRecord]:
        """Open tickets `department` assists with (协办), most urgent first."""
        ...

    async def set_major(self, ticket_id: int, major: bool, at: str) -> TicketRecord | None:
        """Mark the ticket major and difficult (重大疑难), or no longer; the ticket as it is
        now, or None when it was so already (or there is no ticket)."""
        ...

    async def set_involved(
        self, ticket_id: int, people: int | None | Keep, amount: int | None | Keep, at: str
    ) -> TicketRecord | None:
        """Put right the people and the money the case involves (涉及人数, 涉及金额); `Keep`
        leaves one as it is.  The ticket as it is now, or None when there is no ticket."""
        ...

    async def major_tickets(self, limit: int) -> list[TicketRecord]:
        """Open tickets marked major and difficult (重大疑难), oldest first: the agenda of
        the centre's joint meeting (会商)."""
        ...

    async def set_area(
        self, ticket_id: int, area: str, at: str, clear_triage: bool
    ) -> TicketRecord | None:
        """Give the ticket its area (划归网格); `clear_triage`: out of triage too, which it was
        in only for want of an area.  The ticket as it is now, or None (no such ticket)."""
        ...

    async def retag(
        self, ticket_id: int, type: str, urgency: str, at: str, rules: Sequence[str] | None = None
    ) -> None:
        """A person's labels (confidence 1, out of triage); `rules`, if given, replace the
        ticket's (`STAFF_URGENT` kept with a person's 紧急)."""
        ...
    async def typed_from_words(
        self,
        ticket_id: int,
        type: str,
        type_confidence: float,
        urgency: str,
        urgency_confidence: float,
        rules: Sequence[str],
        at: str,
    ) -> TicketRecord | None:
        """The model's labels for a ticket still awaiting triage, read again on more of its
        words (`bot.pipeline`, a report told in parts): out of triage, with the model's
        confidences (not a person's 1).  Only while it still awaits triage: None, and nothing
        changed, once a person has set its labels (/retag clears the flag)."""
        ...
    async def add_part(self, ticket_id: int, text: str) -> TicketRecord | None:
        """Add `text` to the parts of the report told after it (`TicketRecord.parts`); the
        ticket as it is then (None: no such ticket)."""
        ...
    async def add_event(
        self, ticket_id: int, actor_id: int | None, action: str, at: str, payload: dict[str, Any]
    ) -> int:
        """Append an event to the ticket's history; its id (a staff room's 延期 buttons
        name the request they answer)."""
        ...
    async def add_event_once(
        self,
        ticket_id: int,
        actor_id: int | None,
        action: str,
        at: str,
        payload: dict[str, Any],
        once_key: str,
    ) -> bool:
        """Append an event unless one with this key is already on the ticket; True if
        this call appended it (the one winner, even across processes)."""
        ...

    async def events(self, ticket_id: int) -> list[EventRecord]: ...
    async def events_among(
        self, ticket_ids: Sequence[int], actions: Sequence[str]
    ) -> list[EventRecord]:
        """The events named in `actions` on the tickets of `ticket_ids`, by ticket then in
        order: a few tickets' links to each other (疑似同一事件), read by the ticket."""
        ...

    async def tickets_among(self, ticket_ids: Sequence[int]) -> list[TicketRecord]:
        """The tickets of `ticket_ids` that exist, by id."""
        ...

    async def raise_urgency(
        self, ticket_id: int, urgency: str, rules: Sequence[str], at: str
    ) -> None:
        """Set a ticket's urgency and the rules that raised it (a raise the desk's records
        call for, not the text: `bot.many_reporters`)."""
        ...

    async def mediation_events(
        self, statuses: Sequence[str], reporter_id: int | None = None
    ) -> list[EventRecord]:
        """The mediation sessions' events (调解, `bot.mediation.EVENTS`) on the tickets in
        `statuses`, by ticket then in order: what every supervision sweep reads.  With
        `reporter_id`, on that person's tickets alone (the sessions they may answer)."""
        ...

    async def events_of_kind(
        self, actions: Sequence[str], statuses: Sequence[str]
    ) -> list[EventRecord]:
        """Every event named in `actions` on the tickets in `statuses`, by ticket then in
        order (the requests for more time staff have not answered, for the briefing)."""
        ...

    async def supervised(
        self, statuses: Sequence[str], clock_starts: Sequence[str]
    ) -> list[ClockedTicket]:
        """Tickets in `statuses`, each with the time of its latest `clock_starts` event."""
        ...

    async def supervised_ticket(
        self, ticket_id: int, clock_starts: Sequence[str]
    ) -> ClockedTicket | None: ...
    async def supervised_among(
        self, ticket_ids: Sequence[int], statuses: Sequence[str], clock_starts: Sequence[str]
    ) -> list[ClockedTicket]:
        """`supervised` for the tickets of `ticket_ids` only (those still in `statuses`)."""
        ...

    async def supervised_stamps(self, statuses: Sequence[str]) -> dict[int, Stamp]:
        """Each ticket in `statuses` with what its deadlines depend on (`Stamp`): a narrow
        read of every open ticket, to tell which changed since the sweep last looked."""
        ...

    async def once_keys(
        self, statuses: Sequence[str], ticket_ids: Sequence[int] | None = None
    ) -> set[tuple[int, str]]:
        """(ticket, key) of every once-only event on tickets in `statuses` (of `ticket_ids`
        only, when given)."""
        ...

    async def add_attachments(
        self, ticket_id: int, inbound_id: int, attachments: Sequence[Attachment]
    ) -> None: ...
    async def move_attachments(self, from_ticket: int, to_ticket: int) -> None:
        """Give `from_ticket`'s attachments to `to_ticket` (each keeps the message it came
        in): pictures filed on their own, then folded into the report they show."""
        ...

    async def attachments(self, ticket_id: int) -> list[Attachment]: ...
    async def tickets_reported_by(self, person_id: int, limit: int) -> list[TicketRecord]: ...
    async def tickets_reported_since(self, person_id: int, since: str) -> int:
        """How many tickets `person_id` reported at or after `since`."""
        ...

    async def recent_tickets_in_room(
        self, channel: str, chat_id: str, type_: str | None, since: str, look_back: int,
        limit: int,
    ) -> list[TicketRecord]:
        """Up to `limit` tickets of one type (any: None) from one room filed at or after `since`,
        newest first, among the desk's newest `look_back`: a bounded look back by id (the
        primary key), however large the table."""
        ...

    async def tickets_held_by(self, person_id: int, limit: int) -> list[TicketRecord]: ...
    async def awaiting_closure(
        self,
        area: str | None,
        department: str | None,
        limit: int,
        ratings: Sequence[str] = (),
        unanswered_before: str | None = None,
    ) -> list[AwaitingClosure]:
        """Resolved tickets not yet closed (待结案), the earliest resolution first: `area`'s
        (None: every area's), with `department` only those handed to it (转办); with
        `ratings`, only those whose visit about the resolution that stands was answered
        with one of them; with `unanswered_before` (a moment), only those whose visit went
        unanswered since before it: asked (state asked) before it, or never sent (the
        reporter unreachable one to one, the visit cancelled, or none scheduled) for a
        resolution made before it.  Never one whose visit is still to be asked, or answered."""
        ...

    async def awaiting_closure_counts(
        self,
        area: str | None,
        department: str | None,
        ratings: Sequence[str],
        unanswered_before: str | None = None,
    ) -> ClosureCounts:
        """How many resolved tickets wait to be closed (as `awaiting_closure` scopes them),
        how many of those had their visit answered with one of `ratings`, and how many went
        unanswered since before `unanswered_before` (as `awaiting_closure` reads it)."""
        ...

    async def queue(
        self, area: str | None, limit: int, department: str | None | Keep = Keep.KEEP
    ) -> list[TicketRecord]:
        """Unclaimed tickets (new, reopened), most urgent first, then oldest: `area`'s
        (None: every area's), and with `department` only that department's (None: the
        grid's own, handed to no department and not about the desk's own people, 作风反映;
        `Keep.KEEP`, the default: whoever's)."""
        ...

    async def queue_count(self, area: str | None, department: str | None | Keep = Keep.KEEP) -> int:
        """How many tickets `queue` would list with no limit (scoped as it scopes them)."""
        ...

    async def search_tickets(self, search: TicketSearch) -> list[TicketRecord]:
        """Up to `search.limit` tickets that contain every term, newest first."""
        ...

    async def add_training_example(
        self, ticket_id: int, text: str, type: str, urgency: str, actor_id: int, at: str
    ) -> None: ...
    async def withdraw_training_examples(self, ticket_id: int, type: str) -> int:
        """Delete the ticket's examples labelled `type` (the desk has changed its mind:
        a dismissed ticket brought back is no longer chatter); how many there were.
        Corrections are a working set for retraining; the history is in ticket_events."""
        ...

    # follow-up visits
    async def schedule_followup(self, ticket_id: int, resolved_at: str, due_at: str) -> None: ...
    async def due_followups(self, now: str, limit: int) -> list[FollowUpRecord]:
        """Pending follow-ups due by `now`, earliest first."""
        ...

    async def postpone_followup(self, followup_id: int, due_at: str) -> bool:
        """Move a pending follow-up to `due_at` (found due when it may not be asked: a
        holiday), so the sweep does not read it again until then; False if it is no longer
        pending."""
        ...

    async def latest_followup(self, ticket_id: int) -> FollowUpRecord | None: ...
    async def tickets_awaiting_rating(
        self, reporter_id: int, ticket_states: Sequence[str], followup_states: Sequence[str],
        limit: int, correctable: Sequence[str] = (),
    ) -> list[TicketRecord]:
        """The reporter's tickets in `ticket_states` whose latest follow-up is in
        `followup_states`, newest first: what a bare "满意" may answer.  A merged ticket
        (并案) is taken by the state of the case it went into, which its visit asks about.
        With `correctable` (ratings), also those whose latest follow-up was rated one of them
        from everyday words and not corrected since (`correct_rating`)."""
        ...

    async def sweep_followup(
        self, followup_id: int, to_state: str, at: str, from_state: str = "pending"
    ) -> bool:
        """Move a follow-up on from `from_state` (pending: to asked, unreachable, cancelled;
        unreachable: to asked); False if another sweep got to it first, so the question goes
        out once."""
        ...

    async def rate_followup(
        self, followup_id: int, from_states: Sequence[str], rating: str, at: str,
        via: str | None = None,
    ) -> bool:
        """Record the answer if the follow-up is in one of `from_states`; False if it
        was answered (or cancelled) already.  `via`: "words", read from everyday words."""

    async def correct_rating(
        self, followup_id: int, from_ratings: Sequence[str], rating: str, at: str
    ) -> bool:
        """Correct a rating read from everyday words as one of `from_ratings`, once: one
        conditional update (rated_via from "words" to "correction"), so of two corrections
        at once (two processes) exactly one is applied; False for the other, and once the
        rating was corrected or was not read from words."""

    # statistics and the ledger (tickets received in [start, end), ISO-8601 UTC)
    async def ticket_stats(
        self,
        start: str,
        end: str,
        area: str | None = None,
        department: str | None = None,
        crowd: int = 5,
        about_the_desk: bool = True,
    ) -> TicketStats:
        """Counts and medians computed by the database, not by loading tickets; of one
        area's tickets, or (None) of every area's; with `department`, only those handed to
        it (转办) now (and, apart, those it assists with, 协办).  `crowd`: the people
        involved that make a group dispute (群体性).  Not `about_the_desk`: less the
        complaints about the desk's own people (作风反映), for a grid worker's figures."""
        ...

    async def ledger_rows(
        self,
        start: str,
        end: str,
        after_id: int,
        limit: int,
        area: str | None = None,
        department: str | None = None,
        clock_starts: Sequence[str] = (),
        about_the_desk: bool = True,
    ) -> list[LedgerRow]:
        """The next `limit` ledger rows with ids above `after_id`, by id (a batch); of one
        area's tickets, or (None) of every area's; with `department`, only those handed to
        it (转办) now and those it assists with now (协办).  `clock_starts`: the events that
        start a ticket's clock (as `supervised`'s), for an open ticket's `since`.  Not
        `about_the_desk`: less the complaints about the desk's own people (作风反映)."""
        ...

    async def activity(self, start: str, end: str) -> Activity:
        """Counts of what happened in [start, end), every area."""
        ...

    async def resolutions(
        self,
        start: str,
        end: str,
        area: str | None = None,
        department: str | None = None,
        about_the_desk: bool = True,
    ) -> list[Resolution]:
        """Every resolution recorded in [start, end), oldest first (a reopened ticket resolved
        again has two), of one area's tickets or (None) of every area's; with `department`, of those
        handed to it (转办) now.  Not `about_the_desk`: less the complaints about the desk's
        own people (作风反映), as `ticket_stats`."""
        ...

    # the daily briefing
    async def briefing_sent(self, day: str) -> bool: ...
    async def last_briefing_end(self) -> str | None:
        """Where the latest briefing's figures ended: where the next one's begin."""
        ...

    async def record_briefing(self, day: str, starts: str, ends: str, at: str) -> bool:
        """Record that `day`'s briefing goes out; False if it was recorded already (by
        another process, or before a restart), so it is sent once."""
        ...

    # dispute screening (矛盾纠纷排查, bot.screening)
    async def record_zero_report(
        self, area: str, day: str, person_id: int, at: str, note: str
    ) -> bool:
        """Record `area`'s zero report for `day`; False if the day has one already."""
        ...

    async def note_zero_report(self, area: str, day: str, note: str) -> None:
        """Set the note of `area`'s zero report for `day`: a second 零报告 with what the
        screening covered ("零报告 已走访12户") adds it to the first rather than losing it."""
        ...

    async def zero_reports(self, first_day: str, last_day: str) -> list[ZeroReport]:
        """The zero reports of the days from `first_day` to `last_day`, both included."""
        ...

    async def record_screening_find(
        self, area: str, day: str, ticket_id: int, person_id: int, at: str
    ) -> None:
        """Record a grid worker's report (上报) as `area`'s screening find of `day`."""
        ...

    async def screening_finds(self, first_day: str, last_day: str) -> list[ScreeningFind]:
        """The finds of the days from `first_day` to `last_day` (both included), none whose
        ticket is dismissed now."""
        ...

    async def record_screening_reminder(self, day: str, at: str) -> bool:
        """Record that `day`'s reminder goes out; False if it was recorded already."""
        ...

    # notices of failed messages (bot.failures)
    async def last_failure_notice(self, lock: bool = False) -> tuple[int, str] | None:
        """The latest notice of messages whose handling failed: the newest failed message
        it covered (an inbound message id) and when it was sent; None: none ever was.
        `lock`: the transaction will decide on it whether to send a notice, so no other
        may decide until it ends (PostgreSQL; SQLite has one writer)."""
        ...

    async def failed_after(self, after_id: int, before_id: int | None = None) -> tuple[int, int]:
        """How many messages with ids after `after_id` (and before `before_id`) are kept as
        failed (disposition "failed"), and the newest one's id (0: none)."""
        ...

    async def record_failure_notice(self, through_id: int, at: str, messages: int) -> bool:
        """Record a notice covering the failed messages up to `through_id`; False if one
        was recorded already (another process's sweep sent it)."""
        ...

    # outbox
    async def enqueue(self, message: Outbound, at: str, edit_of: int | None = None) -> int:
        """Queue `message` (an edit of outbox row `edit_of`, if given); its row id.  An edit
        of a row that was never sent and is parked or waiting for its recipient replaces
        that row's text and buttons instead (that row's id); so does one whose earlier edit
        of the same row waits for its recipient (that edit's id).  An edit that changes
        nothing is not queued (the id of the version it repeats); one that changes only the
        buttons is queued as such (`Outbound.buttons_only`)."""
        ...

    async def sent_reply_for_ticket(self, ticket_id: int, kind: str) -> int | None:
        """The outbox id of the latest `kind` message about a ticket (to edit it)."""
        ...


class Store(Protocol):
    """A ticket database."""

    async def open(self, migrate: bool = True) -> None:
        """Connect and apply pending migrations (not with `migrate=False`: a backup copies
        the database as it is, and a bot still running on it knows only that schema)."""
        ...

    async def close(self) -> None: ...
    async def __aenter__(self) -> Store:
        """`open`, then the store: `async with` closes it whatever happens (an exception left
        aiosqlite's thread alive, and the process hung)."""
        ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def migrate(self) -> int:
        """Apply pending migrations; return the schema version."""
        ...

    def write(self) -> AbstractAsyncContextManager[Tx]:
        """A write transaction (committed on exit, rolled back on an exception)."""
        ...

    def read(self) -> AbstractAsyncContextManager[Tx]: ...

    # outbox delivery happens outside message transactions
    async def due_outbox(self, channel: str, now: str, limit: int) -> list[Outbound]: ...
    async def due_answers(
        self, channel: str, waiting: Sequence[tuple[str, str]], now: str
    ) -> list[Outbound]:
        """The due rows of `channel` that reply to one of the `waiting` (chat id, message
        id), in the order they were queued: what may answer a callback still open (a
        WeChat passive reply).  No edits (they wait for their message), no files."""
        ...

    async def claim_outbox(self, outbox_id: int, now: str, until: str) -> bool:
        """Take a due row for one delivery attempt: it is due again at `until` (if the
        process sending it dies meanwhile), unless marked sent or failed before.  False if
        it is not due now: another process took it (or sent it) since it was read."""
        ...

    async def release_outbox(self, outbox_id: int, until: str, due: str) -> None:
        """Give back a row taken until `until` whose send was cut off: due at `due`, unless
        it was marked sent or failed since (or taken again)."""
        ...

    async def mark_sent(self, outbox_id: int, platform_message_id: str, at: str) -> None: ...
    async def claim_outbox_rows(
        self, outbox_ids: Sequence[int], now: str, until: str
    ) -> list[int]:
        """`claim_outbox` for rows one message carries (a digest), in one transaction:
        the ids taken."""
        ...

    async def release_outbox_rows(self, outbox_ids: Sequence[int], until: str, due: str) -> None:
        """`release_outbox` for rows one message was to carry, in one transaction."""
        ...

    async def mark_rows_sent(self, platform_ids: Mapping[int, str], at: str) -> None:
        """`mark_sent` for rows one message carried, in one transaction."""
        ...

    async def mark_parts_sent(self, outbox_id: int, parts: int) -> None:
        """Record that the first `parts` messages of a row sent in several went (the rest
        failed, `bot.adapters.base.PartlySent`): its next attempt sends the others."""
        ...

    async def take_sends(
        self, channel: str, chat_id: str, now: str, count: int, windows: Sequence[tuple[str, int]]
    ) -> list[str | None] | None:
        """Record `count` sends into a chat at `now` if, for each window (since, limit), with
        those recorded after `since` (by every process) they are at most `limit`, and return
        None; else record nothing and return, window by window, the time of the recorded send
        that must be `since` old before they fit (None: that window has room).  One
        transaction: two processes cannot both take the last place."""
        ...

    async def stamp_sends(
        self, channel: str, chat_id: str, taken: str, at: str, count: int
    ) -> None:
        """Move `count` sends recorded at `taken` (`take_sends`) to `at`, when they were
        made: the platform had them by then at the latest."""
        ...

    async def rewrite_outbox(self, outbox_id: int, text: str, document: Document | None) -> None:
        """Record what a row really sends, once its document was made: the caption with
        the file's figures, or (document None) the text that replaced a file too large
        to send, so a retry sends that text and the row says what the person got."""
        ...

    async def mark_failed(
        self,
        outbox_id: int,
        error: str,
        next_attempt_at: str,
        count: bool = True,
        written_since: str | None = None,
    ) -> None:
        """Reschedule a row; `count=False` for a wait the platform asked for.  A row set to
        wait for its recipient (AWAITING_CONTACT) whose recipient has written one to one
        since `written_since` (when the send began) is due at once instead."""
        ...

    async def next_attempt_at(self, channels: Sequence[str]) -> str | None:
        """When the earliest undelivered, unparked row is due (None if there is none)."""
        ...

    async def outbox_state(self, channels: Sequence[str] | None = None) -> list[OutboxState]:
        """The undelivered rows of each of `channels` (None: every channel that has any,
        reading the whole outbox, for the maintenance command)."""
        ...

    async def resend_parked(self, since: str, now: str, channel: str | None = None) -> int:
        """Make the parked rows queued since `since` (of one channel, or all) due again
        at `now`, their retries counted afresh; how many."""
        ...

    async def training_examples(self) -> list[tuple[str, str, str]]: ...
    def ledger(
        self,
        start: str,
        end: str,
        batch: int = 500,
        area: str | None = None,
        department: str | None = None,
        clock_starts: Sequence[str] = (),
        about_the_desk: bool = True,
    ) -> AsyncIterator[LedgerRow]:
        """Every ledger row in [start, end) (of one area, or of all; with `department`,
        `clock_starts` and `about_the_desk`, as `Tx.ledger_rows`), fetched `batch` rows at a
        time, each batch in its own short read, so an export never holds all tickets (or a
        lock) at once."""
        ...

    async def backup(self, path: Path) -> None: ...

    async def drop_erased_copies(self) -> None:
        """After words were erased (`bot.retention`): rid the engine's own files of the old
        copies it still keeps, where it can do so without stopping the bot."""
        ...
