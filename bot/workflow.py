"""The workflow rules: ticket statuses, transitions, roles and who may do what.

This is the one place these rules live.  Adapters, commands and storage ask here; none of
them decides on its own whether an action is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    CLAIMED = "claimed"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"


class Role(StrEnum):
    RESIDENT = "resident"
    GRID_WORKER = "grid_worker"
    STAFF = "staff"
    ADMIN = "admin"


class Action(StrEnum):
    """Everything a person can do; each command maps to exactly one action."""

    HELP = "help"
    STATUS = "status"
    MINE = "mine"
    QUEUE = "queue"
    CLAIM = "claim"
    UNCLAIM = "unclaim"
    NOTE = "note"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    TICKET = "ticket"
    ASSIGN = "assign"
    GRANT = "grant"
    RETAG = "retag"
    LANG = "lang"
    UNFILED = "unfiled"  # list group messages the classifier took for chatter
    FILE = "file"  # turn one of them into a ticket
    STATS = "stats"  # counts and medians for a period


_WORKERS = frozenset({Role.GRID_WORKER, Role.STAFF, Role.ADMIN})
_STAFF = frozenset({Role.STAFF, Role.ADMIN})
_EVERYONE = frozenset(Role)

# Which roles may attempt an action at all.  Ticket-level checks (is it yours? is it in
# your area?) come after, in `may_act_on_ticket`.
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.HELP: _EVERYONE,
    Action.STATUS: _EVERYONE,
    Action.MINE: _EVERYONE,
    Action.LANG: _EVERYONE,
    Action.REOPEN: _EVERYONE,  # a reporter may reopen their own resolved ticket
    Action.QUEUE: _WORKERS,
    Action.CLAIM: _WORKERS,
    Action.UNCLAIM: _WORKERS,
    Action.NOTE: _WORKERS,
    Action.RESOLVE: _WORKERS,
    Action.UNFILED: _WORKERS,
    Action.FILE: _WORKERS,
    Action.CLOSE: _STAFF,
    Action.TICKET: _WORKERS,  # full details on request (unmasked in a private chat)
    Action.ASSIGN: _STAFF,
    Action.RETAG: _STAFF,
    Action.STATS: _STAFF,  # the centre's figures, not a grid's: staff supervise every area
    Action.GRANT: frozenset({Role.ADMIN}),
}

# Status changes: action -> (statuses it may start from, status it leads to).
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status]] = {
    Action.CLAIM: (frozenset({Status.NEW, Status.REOPENED}), Status.CLAIMED),
    Action.ASSIGN: (frozenset({Status.NEW, Status.REOPENED, Status.CLAIMED}), Status.CLAIMED),
    Action.UNCLAIM: (frozenset({Status.CLAIMED}), Status.NEW),
    Action.RESOLVE: (frozenset({Status.CLAIMED}), Status.RESOLVED),
    Action.CLOSE: (frozenset({Status.RESOLVED}), Status.CLOSED),
    Action.REOPEN: (frozenset({Status.RESOLVED, Status.CLOSED}), Status.REOPENED),
}

# Notes may be added while a ticket is open; a closed ticket's record is final.
NOTE_ALLOWED = frozenset({Status.NEW, Status.CLAIMED, Status.RESOLVED, Status.REOPENED})


@dataclass(frozen=True)
class Actor:
    """A known person with their role, as the workflow sees them."""

    id: int
    name: str
    role: Role
    area: str | None


@dataclass(frozen=True)
class TicketView:
    """The facts about a ticket that permission checks need."""

    id: int
    status: Status
    reporter_id: int
    assignee_id: int | None
    area: str | None


def may(role: Role, action: Action) -> bool:
    return role in PERMISSIONS[action]


def can_see(actor: Actor, ticket: TicketView) -> bool:
    """Residents see only what they reported; workers their area or their own cases."""
    if actor.role in _STAFF:
        return True
    if actor.role is Role.GRID_WORKER:
        return (
            ticket.assignee_id == actor.id
            or ticket.reporter_id == actor.id
            or actor.area is None
            or ticket.area == actor.area
        )
    return ticket.reporter_id == actor.id


def may_act_on_ticket(actor: Actor, action: Action, ticket: TicketView) -> bool:
    """Ticket-level permission, after `may` said the role may attempt the action."""
    if not can_see(actor, ticket):
        return False
    if actor.role in _STAFF:
        return True
    if action in (Action.UNCLAIM, Action.RESOLVE):
        return ticket.assignee_id == actor.id
    if action is Action.REOPEN:
        return ticket.reporter_id == actor.id and ticket.status is Status.RESOLVED
    return True


def next_status(action: Action, current: Status) -> Status | None:
    """The status `action` leads to from `current`, or None if it may not happen now."""
    sources, target = TRANSITIONS[action]
    return target if current in sources else None
