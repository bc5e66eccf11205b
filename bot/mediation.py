"""Mediation sessions (调解): the parties called in to a mediation room (人民调解室, 行政调解室,
司法调解室) or a village's office at a set time.

A session is no row of its own: it is the ticket's latest "mediation" event (its payload's
`at`, UTC ISO, and `place`), unless a "mediation_cancelled" came after it.  Setting it again
moves it (a new event; the old time stays in the history).  `[supervision]
mediation_remind` before it, the sweep reminds whoever works the case (its holder; nobody
holding one handed to a department, its liaisons; else the notify rooms) once, with a
"mediation_reminded" event whose once-only key names the session's event, so a restart or
a second process never reminds twice and a moved session is reminded anew.

Whoever the reminder goes to (`addressed`) is also told when the reporter answers, one to
one, that they cannot come (`cannot_come`, read by `Pipeline._session_declined_in_words`):
the session's notice asked them to say so, and their "我明天去不了" was filed as a ticket of
its own, about nothing, which nobody working the case read.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot import i18n
from bot.adapters.base import Outbound
from bot.clock import iso, parse_iso
from bot.commands import PROGRESS_QUESTION_MAX_CHARS, normalise
from bot.config import Config
from bot.privacy import residents_read
from bot.render import Renderer
from bot.turn import enqueue
from bot.workflow import MEDIATION_ALLOWED
from classifier.rules import ABOUT_THE_DESK
from storage.base import EventRecord, PersonRecord, Store, TicketRecord, Tx

SET, CANCELLED, REMINDED = "mediation", "mediation_cancelled", "mediation_reminded"
EVENTS = (SET, CANCELLED, REMINDED)
# The reporter said they cannot come (not one of EVENTS: it neither sets nor calls off one).
CANNOT_COME = "mediation_cannot_come"

# A reporter saying they cannot come, or asking for another time: "我明天去不了", "来不了",
# "那天没空，能不能改个时间", "can't make it".  Not "出去不了" (a blocked way out, a report)
# nor "过不去": the going is theirs to the session, not out of a door.
_CANNOT_COME = re.compile(
    r"(?<![出进回上下过])(?:去|来|到|参加|赶)不(?:了|成)|赶不过(?:去|来)"
    r"|不能(?:去|来|到场|参加|按时)|没(?:有)?(?:空(?!调)|时间)"
    r"|(?:改|换)(?:个|一个|一下)?(?:时间|日子|天|期)|改到|推迟|延期|延后|往后推"
    r"|(?i:can\W?t (?:come|make it|attend)|cannot (?:come|make it|attend)|reschedule"
    r"|another (?:time|day))"
)


@dataclass(frozen=True)
class Session:
    event_id: int  # the "mediation" event that set it: its reminder's key
    ticket_id: int
    at: str  # UTC ISO, as times are stored
    place: str


def current(events: Sequence[EventRecord]) -> Session | None:
    """The session standing among one ticket's `events` (in order), None if none or called
    off."""
    latest = next((e for e in reversed(events) if e.action in (SET, CANCELLED)), None)
    if latest is None or latest.action != SET:
        return None
    return Session(latest.id, latest.ticket_id, str(latest.payload["at"]),
                   str(latest.payload["place"]))


def upcoming(events: Sequence[EventRecord], now: str) -> Session | None:
    """The session standing among one ticket's `events` that has not yet begun at `now`
    (UTC ISO): one held yesterday is no news to whoever takes the case today."""
    session = current(events)
    return session if session is not None and parse_iso(session.at) > parse_iso(now) else None


async def handed_on(tx: Tx, ticket_id: int, now: str) -> Session | None:
    """The session whoever is handed the case at `now` is told of (指派, 转交全部, 转办): the
    one standing and not yet begun (`upcoming`), theirs to hold now.  One rule for every
    way a case changes hands: 转办 named a session held yesterday as the department's to
    arrange."""
    return upcoming(await tx.events(ticket_id), now)


def cannot_come(text: str) -> bool:
    """Whether short `text` says its sender cannot come, or asks for another time
    (`_CANNOT_COME`).  A longer message carries more than that answer, and is read as the
    report it may be."""
    text = normalise(text)
    return 0 < len(text) <= PROGRESS_QUESTION_MAX_CHARS and bool(_CANNOT_COME.search(text))


def reminder_key(session: Session) -> str:
    return f"{REMINDED}:{session.event_id}"


def due(session: Session, now: datetime, config: Config) -> bool:
    """Whether `session`'s reminder falls due at `now`: within the lead before it, and not
    after it has begun (a session set an hour ahead with a two-hour lead is reminded at
    once, since the worker may not have it in mind)."""
    lead = config.supervision.mediation_lead
    at = parse_iso(session.at)
    return bool(lead) and at - lead <= now < at


def standing(events: Sequence[EventRecord]) -> dict[int, Session]:
    """Each ticket's standing session, not yet reminded, from `events` of several tickets
    (by ticket, in order)."""
    sessions = {}
    for ticket_id, history in _by_ticket(events).items():
        session = current(history)
        reminded = {e.payload.get("session") for e in history if e.action == REMINDED}
        if session is not None and session.event_id not in reminded:
            sessions[ticket_id] = session
    return sessions


def upcoming_each(events: Sequence[EventRecord], now: str) -> list[Session]:
    """Each ticket's session standing and not yet begun at `now`, from `events` of several
    tickets (by ticket, in order)."""
    found = (upcoming(history, now) for history in _by_ticket(events).values())
    return [session for session in found if session is not None]


def _by_ticket(events: Sequence[EventRecord]) -> dict[int, list[EventRecord]]:
    by_ticket: dict[int, list[EventRecord]] = {}
    for event in events:
        by_ticket.setdefault(event.ticket_id, []).append(event)
    return by_ticket


# Who works an open ticket now (`bot.supervision.working_on`, which imports this module:
# handed in by the sweep rather than imported back).
WorkingOn = Callable[[Tx, TicketRecord], Awaitable[list[PersonRecord]]]


async def remind_due(
    store: Store, now: datetime, config: Config, render: Renderer, working_on: WorkingOn
) -> int:
    """Remind of every open case's session whose time draws near (`due`), once each,
    whoever `working_on` names for it; how many were reminded.  One read of the open
    tickets' mediation events (`mediation_events`, by an index of those events alone: a
    province's tens of thousands of open tickets are not read for the few with a session),
    and a write only when one falls due."""
    if not config.supervision.mediation_lead:
        return 0
    statuses = sorted(MEDIATION_ALLOWED)
    async with store.read() as tx:
        sessions = standing(await tx.mediation_events(statuses))
    waiting = [s for s in sessions.values() if due(s, now, config)]
    reminded = 0
    for session in waiting:
        async with store.write() as tx:
            reminded += await _remind(tx, session.ticket_id, now, config, render, working_on)
    return reminded


async def _remind(
    tx: Tx, ticket_id: int, now: datetime, config: Config, render: Renderer,
    working_on: WorkingOn,
) -> int:
    """Record and queue one reminder, reading the ticket again: the session may have been
    moved or called off, or the case resolved or handed on, since the sweep looked.  To
    whoever works it now, privately: a case handed to a department (转办) waits for its
    liaisons, who arrange the session there, not for the staff room; nobody (no holder, no
    department or one with no liaison yet), to the notify rooms."""
    ticket = await tx.ticket(ticket_id)
    session = current(await tx.events(ticket_id))
    if ticket is None or ticket.status not in MEDIATION_ALLOWED or session is None:
        return 0
    if not due(session, now, config) or not await tx.add_event_once(
        ticket_id, None, REMINDED, iso(now), {"session": session.event_id},
        reminder_key(session),
    ):
        return 0

    def text(lang: str | None, residents: bool) -> str:
        if residents:  # a residents' group: not when nor where the parties meet, nor what
            return i18n.t("mediation_reminder_public", lang, ticket=render.label(ticket),
                          number=render.number(ticket))
        return i18n.t(
            "mediation_reminder", lang, ticket=render.label(ticket),
            when=render.local_time(session.at), place=session.place,
            summary=render.summary(ticket, lang),
        ).rstrip()

    outgoing = await addressed(tx, ticket, config, working_on, text)
    await enqueue(tx, config, [(m, None) for m in outgoing], iso(now))
    return 1


async def addressed(
    tx: Tx, ticket: TicketRecord, config: Config, working_on: WorkingOn,
    text: Callable[[str | None, bool], str],
) -> list[Outbound]:
    """What is said of `ticket`'s session (its reminder, the reporter's "cannot come"), to
    whoever works it now: privately to each of `working_on`'s people, in their language;
    nobody, to the notify rooms, where supervision reports (the staff who arranged it).
    `text(lang, residents)`: `residents` for a residents' group among them, which learns
    neither when nor where the parties meet, nor what anyone said of it."""
    people = await working_on(tx, ticket)
    if people:
        return [
            Outbound(p.channel, p.user_id, text(p.lang or config.language, False),
                     ticket_id=ticket.id, kind="direct")
            for p in people
        ]
    # Not a residents' group of one about the desk's own people (作风反映), as its
    # escalations are not: its grid workers read the group (`Notices.build_event`).  The
    # staff room, which works it, even when it is no notify room, as a visit's words about
    # the desk reach it (`bot.followup.unsatisfied_notices`): else, with residents' groups
    # alone to notify, nobody heard of its session.
    kept = ABOUT_THE_DESK in ticket.rules
    rooms = config.notify_rooms
    if kept and config.staff_chat is not None and config.staff_chat not in rooms:
        rooms = [*rooms, config.staff_chat]
    return [
        Outbound(room.channel, room.chat_id, text(config.language, public),
                 ticket_id=ticket.id, kind="staff")
        for room in rooms
        if not ((public := residents_read(config, room.channel, room.chat_id)) and kept)
    ]


@dataclass(frozen=True)
class Answered:
    """What a reporter's "cannot come" leads to (`tell_cannot_come`)."""

    outgoing: list[Outbound]  # to send now: empty when it was told lately, or nobody is
    reached: bool  # someone working the case has been told (now or lately), or none has


async def tell_cannot_come(
    tx: Tx, ticket: TicketRecord, session: Session, reporter: PersonRecord, said: str,
    now: str, since: str, config: Config, render: Renderer, working_on: WorkingOn,
) -> Answered:
    """Record on `ticket` that its reporter said they cannot come to `session` (their words
    `said`, in its history), and what tells whoever works the case, as its reminder would
    (`addressed`): the session is theirs to move (调解 12 …) or call off.  Told once since
    `since` for one session, as a reporter's repeats reach its holder (`Pipeline._addendum`):
    the third "去不了" in ten minutes is on the record, and one notice said it; a session
    moved since is another, and its answer is news.  Whether anyone was told is recorded
    ("told"): an answer nobody heard does not keep the next one from whoever holds it now."""
    lately = any(
        e.action == CANNOT_COME and e.payload.get("session") == session.event_id
        and e.payload.get("told", True) and since <= e.at
        for e in await tx.events(ticket.id)
    )
    label, number = render.label(ticket), render.number(ticket)

    def text(lang: str | None, residents: bool) -> str:
        if residents:  # neither the session nor the reporter's words (they wrote privately)
            return i18n.t("mediation_cannot_come_public", lang, ticket=label, number=number)
        return i18n.t(
            "mediation_cannot_come", lang, ticket=label, number=number,
            when=render.local_time(session.at), place=session.place, text=said[:200],
        )

    outgoing = [] if lately else await addressed(tx, ticket, config, working_on, text)
    await tx.add_event(ticket.id, reporter.id, CANNOT_COME, now,
                       {"text": said, "session": session.event_id, "told": bool(outgoing)})
    return Answered(outgoing, lately or bool(outgoing))
