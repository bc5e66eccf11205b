"""Many residents reporting one event raise it (多人反映): an early warning of a group
dispute (群体性事件苗头), which the county centre is to spot early.

Reports linked as one event (疑似同一事件, `bot.repeats.same_event`) are still filed one by
one, each 一般 perhaps.  When the reports of one event come from `intake.same_event_alert`
residents or more, its tickets that are 一般 or 较缓 (and still open) become 较急, as a safety
rule raises a ticket: recorded with its rules (`MANY_REPORTERS`, shown to the desk as
风险提示：多人反映) and in each one's history (`系统 多人反映 3 人，升为较急`), with that
urgency's deadlines from then on (`bot.workflow.RETAGGED`).  Never lowered: an urgent one
stays urgent.  The staff room is told once per event; a later reporter's ticket is raised
with it, without a second notice.  The group and the reporters are told nothing: they are
not to learn who else reported.

An event is the tickets its `same_event` events (and 并案's `merge`, `merge_in`) join, read
by the ticket (`ticket_events_ticket`): a few rows a ticket, however big the table.  Filings
run one at a time (each takes the ticket counter's row until it commits,
`Tx.create_ticket`), so two reports of one event never both find it untold.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import i18n
from bot.adapters.base import Button
from bot.config import Config
from bot.render import Renderer
from bot.turn import Turn
from bot.workflow import RETAGGED, Status, more_urgent
from classifier.rules import MANY_REPORTERS
from storage.base import TicketRecord, Tx

#: The events that join the tickets of one event, and the payload's key naming the other.
_LINKS = {"same_event": "ticket", "merge_in": "ticket", "merge": "into"}
#: The event a raise is recorded with; on the event's first ticket, that the desk was told.
_TOLD = "many_reporters"
#: The most tickets read as one event: past that, one event is a crowd, told already.
_MOST_TICKETS = 100
#: The urgency an event many residents report is raised to, and those it raises.
RAISED_TO = "high"
_RAISES = frozenset({"normal", "low"})
#: The tickets a raise applies to: those the desk is still to handle.
_OPEN = frozenset({Status.NEW, Status.CLAIMED, Status.REOPENED})


async def one_event(tx: Tx, ticket_id: int) -> list[TicketRecord]:
    """The tickets linked to `ticket_id` as one event, itself included, by id."""
    seen, frontier = {ticket_id}, [ticket_id]
    while frontier and len(seen) < _MOST_TICKETS:
        found = {
            other
            for e in await tx.events_among(frontier, sorted(_LINKS))
            if isinstance(other := e.payload.get(_LINKS[e.action]), int)
        }
        frontier = sorted(found - seen)[: _MOST_TICKETS - len(seen)]
        seen.update(frontier)
    return await tx.tickets_among(sorted(seen))


async def events_of(tx: Tx, ticket_ids: Sequence[int]) -> dict[int, list[TicketRecord]]:
    """Each of `ticket_ids`' event (as `one_event` reads it), itself included, by id; a
    ticket linked to none is left out.  For a list (待办): the links are followed from all
    the listed tickets at once, a query a step, not a walk a ticket, and no further than
    `_MOST_TICKETS` beyond them."""
    seen, frontier = set(ticket_ids), sorted(set(ticket_ids))
    most = len(seen) + _MOST_TICKETS
    joined: dict[int, int] = {}  # union-find: a ticket to one of its event's

    def root(ticket: int) -> int:
        while joined.get(ticket, ticket) != ticket:
            ticket = joined[ticket]
        return ticket

    while frontier and len(seen) < most:
        found: set[int] = set()
        for e in await tx.events_among(frontier, sorted(_LINKS)):
            other = e.payload.get(_LINKS[e.action])
            if isinstance(other, int):
                found.add(other)
                joined[root(other)] = root(e.ticket_id)
        frontier = sorted(found - seen)[: most - len(seen)]
        seen.update(frontier)
    if not joined:
        return {}
    tickets = await tx.tickets_among(sorted(seen))
    events: dict[int, list[TicketRecord]] = {}
    for ticket in tickets:
        events.setdefault(root(ticket.id), []).append(ticket)
    return {
        ticket_id: events[root(ticket_id)]
        for ticket_id in ticket_ids if len(events.get(root(ticket_id), [])) > 1
    }


async def raise_if_many(turn: Turn, ticket: TicketRecord, render: Renderer, config: Config) -> None:
    """After `ticket` was filed linked to another resident's as one event: raise the event
    if enough residents reported it (see the module)."""
    least = config.intake.same_event_alert
    if not least:
        return
    tx = turn.tx
    tickets = await one_event(tx, ticket.id)
    reporters = {t.reporter_id for t in tickets}
    if len(reporters) < least:
        return
    first = tickets[0]
    told = any(e.action == _TOLD for e in await tx.events_among([first.id], [_TOLD]))
    count = len(reporters)
    # Told already: only this report's ticket is raised with the rest, no notice again.
    raising = [
        t for t in ([ticket] if told else tickets)
        if t.urgency in _RAISES and Status(t.status) in _OPEN
    ]
    for each in raising:
        await _raise(tx, each, count, turn.now)
    if told:
        return
    raised = {t.id for t in raising}
    if first.id not in raised:  # the mark that the desk was told, on the event's first ticket
        await tx.add_event(first.id, None, _TOLD, turn.now, {"count": count})
    _tell_staff(turn, ticket, first, len(tickets), count, raised, render, config)


async def _raise(tx: Tx, ticket: TicketRecord, count: int, at: str) -> None:
    """Raise one ticket as a rule would, with that urgency's deadlines from now on."""
    rules = [*ticket.rules, MANY_REPORTERS] if MANY_REPORTERS not in ticket.rules else ticket.rules
    await tx.raise_urgency(ticket.id, RAISED_TO, rules, at)
    payload: dict[str, object] = {"count": count, "from": ticket.urgency, "urgency": RAISED_TO}
    if ticket.resolve_limit is not None:
        # More time granted on the old urgency's limit, in its kind, lapses, as at a retag.
        await tx.set_resolve_limit(ticket.id, None, at)
        payload["lapsed"] = ticket.resolve_limit
    await tx.add_event_once(ticket.id, None, _TOLD, at, payload, f"{RETAGGED}{at}")


def _tell_staff(
    turn: Turn,
    ticket: TicketRecord,
    first: TicketRecord,
    reports: int,
    count: int,
    raised: set[int],
    render: Renderer,
    config: Config,
) -> None:
    """One notice to the staff room (never a residents' group: `Turn.to_staff`), with the
    merge to suggest: this report into the first, the less urgent into the more urgent
    (`merge_refusal`), as they are now."""
    lang = config.language
    now = {t.id: RAISED_TO if t.id in raised else t.urgency for t in (ticket, first)}
    pair = (ticket, first)
    if more_urgent(now[ticket.id], now[first.id]):
        pair = (first, ticket)
    merge = " ".join(render.number(t) for t in pair)
    urgency = i18n.urgency_label(RAISED_TO, lang)
    text = i18n.t(
        "many_reporters_staff",
        lang,
        ticket=render.label(first),
        count=reports,
        type=i18n.type_label(first.type, lang),
        reporters=count,
        raised=i18n.t("many_reporters_raised", lang, urgency=urgency) if raised else "",
        merge=merge,
    )
    label = i18n.t("merge_button", lang, ticket=render.number(pair[0]), main=render.number(pair[1]))
    turn.to_staff(config, text, first.id, buttons=[Button(label, f"/merge {merge}")])
