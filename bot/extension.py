"""More time to resolve a ticket (延期): what may be asked for, the request waiting, and the
staff room's buttons.

Staff grant an extension and the worker holding the ticket asks them (`Desk.extend`,
`bot.workflow.grants_extension`); a request nobody has answered comes back with the
ticket's escalation (`bot.supervision`).  A limit grows in its own kind: working days by
working days, a limit around the clock by hours or days, since a day added to "15 working
days" could mean either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot import i18n
from bot.adapters.base import Button
from bot.commands import Extension
from bot.config import MAX_WORKING_DAYS, format_limit, parse_limit
from bot.workcal import Span, WorkingDays, exceeds, lengthened
from bot.workflow import EXTENSION_REQUEST_ENDS, ends_extension_request
from storage.base import EventRecord, TicketRecord


@dataclass(frozen=True)
class TimeAsked:
    """A request for more time (延期) by the worker holding a ticket, that staff have not
    answered: how much more, and the resolve limit granting it makes.  `role`: the asker's
    now (their person record's), so a residents' group can be told a liaison's as 相关部门
    (`bot.privacy.holder_said`), as the escalations there read the asker's."""

    ticket: TicketRecord
    asker: str
    more: Span
    until: Span
    role: str = ""


def lengthen(limit: Span, asked: Extension) -> Span | None:
    """The limit `asked` makes of `limit` (`asked.span` more, or `asked.span` in all), or
    None when the two are of different kinds."""
    assert asked.span is not None
    longer = asked.span if asked.until else lengthened(limit, asked.span)
    return longer if longer is not None and type(longer) is type(limit) else None


def refusal(limit: Span, longer: Span | None, asked: Extension) -> str | None:
    """Why the limit cannot become `longer` (a catalogue key), or None if it may."""
    if longer is None:
        return "extend_in_working_days" if isinstance(limit, WorkingDays) else "extend_in_hours"
    more = exceeds(longer, limit)
    if asked.until and (more.days <= 0 if isinstance(more, WorkingDays) else not more):
        return "extend_already"  # a second press of the staff room's button, say
    if longer.days > MAX_WORKING_DAYS:  # whole days, working or not: a typo, 100 for 10
        return "extend_too_long"
    return None


# The events a request and its answer leave in a ticket's history: asked, granted, refused.
EVENTS = ("extend_request", "extend", "extend_declined")
# What `pending_request` reads of a ticket's history: those, and the moves that end a request.
HISTORY = (*EVENTS, *sorted(EXTENSION_REQUEST_ENDS))


def pending_request(events: Sequence[EventRecord], since: str) -> EventRecord | None:
    """The holder's request that staff have not answered, on the clock started at `since`:
    the latest request since then and after the latest answer (granted, or refused) and the
    latest move of the ticket, which ends it (`bot.workflow.ends_extension_request`: its asker
    holds it no more)."""
    pending: EventRecord | None = None
    for event in events:
        if event.action == "extend_request" and event.at >= since:
            pending = event
        elif event.action in EVENTS or ends_extension_request(event.action):
            pending = None
    return pending


def requested(request: EventRecord, limit: Span) -> tuple[Span, Span]:
    """What a request waiting asks for: how much more, and the resolve limit `limit` (the
    one in force) would become."""
    more = parse_limit(str(request.payload.get("by")))
    return more, lengthened(limit, more) or limit


def buttons(number: str, until: Span, lang: str | None, request: int) -> list[Button]:
    """The staff room's buttons under a request: one grants it, to the limit asked for
    rather than by the time asked for, so a second press extends nothing; one says no.  Each
    names the request (`request`, its event's id): a press answers that request only, not
    one answered since, nor one its asker no longer holds the case for (`superseded`)."""
    return [
        Button(
            i18n.t("extend_button", lang),
            f"/extend {number} ={format_limit(until)} req={request}",
        ),
        Button(i18n.t("extend_no_button", lang), f"/extend {number} no req={request}"),
    ]


def superseded(events: Sequence[EventRecord], request: int) -> EventRecord | None:
    """What ended the request whose event is `request`: the first answer (granted, refused),
    newer request or move of the ticket after it (`pending_request`), or None if none did."""
    after = False
    for event in events:
        if event.id == request:
            after = True
        elif after and (event.action in EVENTS or ends_extension_request(event.action)):
            return event
    return None
