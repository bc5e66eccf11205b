"""Mediation sessions (调解): the parties called in to a mediation room (人民调解室, 行政调解室,
司法调解室) or a village's office at a set time.

A session is no row of its own: it is the ticket's latest "mediation" event (its payload's
`at`, UTC ISO, and `place`), unless a "mediation_cancelled" came after it.  Setting it again
moves it (a new event; the old time stays in the history).  `[supervision]
mediation_remind` before it, the sweep reminds whoever works the case (its holder; nobody
holding one handed to a department, its liaisons; else the notify rooms) once, with a
"mediation_reminded" event whose once-only key names the session's event, so a restart or
a second process never reminds twice and a moved session is reminded anew.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot import i18n
from bot.adapters.base import Outbound
from bot.clock import iso, parse_iso
from bot.config import Config
from bot.privacy import residents_read
from bot.render import Renderer
from bot.turn import enqueue
from bot.workflow import MEDIATION_ALLOWED
from classifier.rules import ABOUT_THE_DESK
from storage.base import EventRecord, PersonRecord, Store, TicketRecord, Tx

SET, CANCELLED, REMINDED = "mediation", "mediation_cancelled", "mediation_reminded"
EVENTS = (SET, CANCELLED, REMINDED)


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
    by_ticket: dict[int, list[EventRecord]] = {}
    for event in events:
        by_ticket.setdefault(event.ticket_id, []).append(event)
    sessions = {}
    for ticket_id, history in by_ticket.items():
        session = current(history)
        reminded = {e.payload.get("session") for e in history if e.action == REMINDED}
        if session is not None and session.event_id not in reminded:
            sessions[ticket_id] = session
    return sessions


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
    people = await working_on(tx, ticket)

    def text(lang: str | None, residents: bool = False) -> str:
        if residents:  # a residents' group: not when nor where the parties meet, nor what
            return i18n.t("mediation_reminder_public", lang, ticket=render.label(ticket),
                          number=render.number(ticket))
        return i18n.t(
            "mediation_reminder", lang, ticket=render.label(ticket),
            when=render.local_time(session.at), place=session.place,
            summary=render.summary(ticket, lang),
        ).rstrip()

    if people:
        outgoing = [
            Outbound(p.channel, p.user_id, text(p.lang or config.language),
                     ticket_id=ticket_id, kind="direct")
            for p in people
        ]
    else:  # nobody works it: the staff who arranged it, where supervision reports
        # Not a residents' group of one about the desk's own people (作风反映), as its
        # escalations are not: its grid workers read the group (`Notices.build_event`).
        kept = ABOUT_THE_DESK in ticket.rules
        outgoing = [
            Outbound(room.channel, room.chat_id, text(config.language, public),
                     ticket_id=ticket_id, kind="staff")
            for room in config.notify_rooms
            if not ((public := residents_read(config, room.channel, room.chat_id)) and kept)
        ]
    await enqueue(tx, config, [(m, None) for m in outgoing], iso(now))
    return 1
