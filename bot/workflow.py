"""The workflow rules: ticket statuses, transitions, roles and who may do what.

This is the one place these rules live.  Adapters, commands and storage ask here; none of
them decides on its own whether an action is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.workcal import Span, WorkCalendar
from classifier.rules import ABOUT_THE_DESK, DESK_RULES


class Status(StrEnum):
    NEW = "new"
    CLAIMED = "claimed"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    DISMISSED = "dismissed"  # not a report after all (chatter filed as a ticket): no case
    MERGED = "merged"  # another reporter's telling of a ticket's event (并案): handled there


class Role(StrEnum):
    RESIDENT = "resident"
    GRID_WORKER = "grid_worker"
    # A department's liaison (部门对接人): works the tickets the centre hands their
    # department (转办), whatever the area; their `area` is the department's code.
    LIAISON = "liaison"
    STAFF = "staff"
    ADMIN = "admin"


class Source(StrEnum):
    """Where a report came from (信息来源): a column of the centre's ledger and a line of
    its figures, which set the residents' whistle beside the grid's own patrols."""

    GROUP = "group"  # a resident, in an intake group (民情群)
    PRIVATE = "private"  # a resident, one to one (私聊反映; WeCom and the Official Account)
    GRID = "grid"  # a grid worker's own report (上报): a patrol's or the day's screening's find
    # The desk's other people: a walk-in or a call staff wrote down, a department's liaison.
    DESK = "desk"
    # A work order (工单) the city's 12345 hotline or a platform like it assigned to the
    # county, imported from its file (`intake-bot db import`, `bot.hotline`).
    HOTLINE = "hotline"


# The channel of a hotline work order and of its caller: no adapter serves it, so nothing
# is ever sent on it (`bot.turn.enqueue`); the caller is phoned, not written to.
HOTLINE_CHANNEL = "hotline"
# The event of a work order filed with no area (`bot.hotline`): why it awaits triage, which
# giving it its area (划归网格) ends, unless the model was unsure of it too ("unsure").
NO_AREA = "no_area"


class Action(StrEnum):
    """Everything a person can do; each command maps to exactly one action (and /reopen
    of a dismissed ticket to RESTORE, see `reopening`)."""

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
    OVERDUE = "overdue"  # tickets past their SLA (supervision)
    RATE = "rate"  # the reporter's answer to the follow-up visit (回访)
    STATS = "stats"  # counts and medians for a period
    DISMISS = "dismiss"  # not a report after all (chatter the classifier filed)
    RESTORE = "restore"  # bring a dismissed ticket back: /reopen on one
    EXPORT = "export"  # the ledger (台账) of a period, as a file, privately
    REPORT = "report"  # a worker's own report (上报): their other group messages are talk
    WITHDRAW = "withdraw"  # the reporter takes their report back (撤回): settled, or not wanted
    SEARCH = "search"  # find tickets by words in them (查找)
    WORKLOAD = "workload"  # each grid worker's cases held and resolved (工作量)
    MERGE = "merge"  # one event reported twice: handle this ticket as part of another (并案)
    AREA = "area"  # a resident's own grid, for what they report one to one (网格)
    EXTEND = "extend"  # more time to resolve (延期): staff grant it, the holder asks for it
    HANDOVER = "handover"  # every ticket one worker holds, to another (转交全部)
    # Reached through /assign when its words name a department, not a person (转办 12 派出所).
    DISPATCH = "dispatch"  # hand a ticket to a department, whose liaisons take it up
    # Reached through /unclaim by a liaison on a ticket nobody holds (退回 12 原因).
    DECLINE = "decline"  # a department sends a ticket back: not theirs to handle
    ASSIST = "assist"  # ask a department to assist (协办), or no longer, while another leads
    SETTLED = "settled"  # say afterwards whether a resolution settled the dispute (调处结果)
    # Mark a case major and difficult (重大疑难), or no longer; with no number, list them.
    MAJOR = "major"
    INVOLVED = "involved"  # put right the people and money a case involves (涉及人数, 金额)
    # Dispute screening (矛盾纠纷排查, `bot.screening`): a grid's worker found no dispute
    # today (零报告); and which grids have reported a day's screening (排查情况).
    ZERO_REPORT = "zero_report"
    SCREENING = "screening"
    URGE = "urge"  # press whoever has a case to act on it now (催办), before supervision would
    PEOPLE = "people"  # who the desk's people are, their roles and areas (人员)
    MEDIATE = "mediate"  # call the parties to a mediation session, a time and a place (调解)
    # Staff write down the answer to a visit they made by phone (电话回访): a hotline caller's,
    # or a reporter's the bot cannot write to.  Recorded as the reporter's own answer is.
    VISIT = "visit"
    # Give a ticket its area (划归网格): one filed with none (a work order whose address named
    # no grid), or with the wrong one; it then reaches that grid's queue and figures.
    ROUTE = "route"
    # The reporter makes their own ticket anonymous (匿名反映) after filing it: from then on
    # it is read as one reported so (`bot.privacy.names_reporter`).
    ANONYMOUS = "anonymous"


_WORKERS = frozenset({Role.GRID_WORKER, Role.STAFF, Role.ADMIN})
# Who works a ticket they may see: the desk, and a department's liaisons (their
# department's tickets).  Triage of the groups (未立案, 作废), the workloads and supervision
# stay the desk's: a liaison sees only what was handed to their department, and of the
# figures and the ledger only their department's (`may_see_stats`).
_CASEWORKERS = _WORKERS | {Role.LIAISON}
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
    Action.RATE: _EVERYONE,  # only the reporter, checked per ticket
    Action.WITHDRAW: _EVERYONE,  # only the reporter, checked per ticket
    Action.ANONYMOUS: _EVERYONE,  # only the reporter, checked per ticket
    # Anyone may ask; only a resident chooses (`chooses_own_area`): a worker's area is what
    # they may see, set by an admin (/grant).
    Action.AREA: _EVERYONE,
    Action.QUEUE: _CASEWORKERS,
    Action.CLAIM: _CASEWORKERS,
    Action.UNCLAIM: _CASEWORKERS,
    Action.NOTE: _CASEWORKERS,
    Action.RESOLVE: _CASEWORKERS,
    Action.UNFILED: _WORKERS,
    Action.FILE: _WORKERS,
    Action.CLOSE: _STAFF,
    Action.TICKET: _CASEWORKERS,  # full details on request (unmasked in a private chat)
    # A liaison: their department's tickets, to its liaisons (`may_assign_to`).
    Action.ASSIGN: _STAFF | {Role.LIAISON},
    # A worker leaving, on leave or moved: what they hold goes on, as one assignment each.
    Action.HANDOVER: _STAFF,
    Action.DISPATCH: _STAFF,  # the centre's routing call (研判分流), as assigning is
    Action.DECLINE: frozenset({Role.LIAISON}),
    Action.ASSIST: _STAFF,  # who works a case with whom is the centre's call, as routing is
    Action.SETTLED: _CASEWORKERS,  # whoever resolved it, or staff (`may_act_on_ticket`)
    Action.MAJOR: _STAFF,  # the centre's call, for its joint meetings (会商)
    Action.URGE: _STAFF,  # the centre presses its grid and departments, as it supervises
    Action.INVOLVED: _CASEWORKERS,  # whoever works the case knows its figures, as for 备注
    # Whoever holds the case calls the parties in, or staff (`may_act_on_ticket`).
    Action.MEDIATE: _CASEWORKERS,
    # A grid's own worker (`may_report_screening`); staff for a worker who phoned it in.
    Action.ZERO_REPORT: _WORKERS,
    Action.SCREENING: _WORKERS,  # a grid worker: their own area's (`may_see_stats`)
    Action.RETAG: _STAFF,
    # Judging two reports one event is the centre's routing call, as assigning is.
    Action.MERGE: _STAFF,
    Action.OVERDUE: _STAFF,
    # A grid worker: their own area's figures; a liaison their department's (`may_see_stats`).
    Action.STATS: _CASEWORKERS,
    Action.DISMISS: _WORKERS,  # a grid worker: in their area, or held (`may_act_on_ticket`)
    Action.RESTORE: _STAFF,
    # A grid worker: their own area's ledger; a liaison their department's (`may_export_ledger`).
    Action.EXPORT: _CASEWORKERS,
    # The desk's: a resident's tickets are all in /mine, and "查找 …" from a resident is read
    # as a message of theirs (a lost dog, a missing person), never swallowed as a search.
    Action.SEARCH: _CASEWORKERS,  # what the searcher may open, as `can_see` (`search_scope`)
    Action.WORKLOAD: _WORKERS,  # a grid worker: their own area's (`may_see_stats`)
    # Staff grant more time; the worker holding the ticket asks them (`grants_extension`).
    Action.EXTEND: _CASEWORKERS,
    Action.GRANT: frozenset({Role.ADMIN}),
    # Who holds which role and area: staff route cases to them, admins grant them.  Only
    # ever listed one to one (`bot.desk.people`): names and accounts are person data.
    Action.PEOPLE: _STAFF,
    # Anyone: a resident's "上报：…" is filed as any message of theirs is (`files_as_reported`).
    Action.REPORT: _EVERYONE,
    # The centre phones its callers, and its figures count what they said (满意率).
    Action.VISIT: _STAFF,
    Action.ROUTE: _STAFF,  # which grid a case is the routing call (研判分流), as assigning is
}


def chooses_own_area(role: Role) -> bool:
    """Whether a person may set their own area (网格 DZ): a resident's is only where what they
    report one to one is filed; a worker's decides which tickets they see (`can_see`), so
    only an admin sets it."""
    return role is Role.RESIDENT


def keeps_area(old: Role, new: Role) -> bool:
    """Whether a person given `new` role in place of `old` keeps their area when none is
    named.  A liaison's is a department's code and anyone else's a grid's: the one is no
    use as the other (a resident's private reports would be filed to a department), so a
    move into or out of `liaison` drops it."""
    return (old is Role.LIAISON) == (new is Role.LIAISON)


def holds_after_grant(old: Role, new: Role, area: str | None, ticket: TicketView) -> bool:
    """Whether a person given `new` role (and `area`, a department's code for a liaison) in
    place of `old` may go on holding `ticket`.  A resident holds nothing.  A ticket is held
    where it is handled (assigning follows the person): a liaison's are their department's,
    anyone else's the grid's, so a liaison moved to another department, or out of `liaison`,
    would hold cases the centre handed to their old one, out of its colleagues' reach; and
    someone made a liaison would hold the grid's.  Hand them over first (转交全部).  Other
    moves change no department: nothing is stranded."""
    if new is Role.RESIDENT:
        return False
    if Role.LIAISON not in (old, new):
        return True
    return ticket.department == (area if new is Role.LIAISON else None)


def files_as_reported(role: Role) -> bool:
    """Whether this role's messages in an intake group are reports unless they are commands.

    Residents' are.  The desk's own people talk in the group all day — "我来处理1号",
    "大家注意，明天上午停水" — and each of those used to become a ticket (the first one an
    urgent one); their reports are the ones they declare (`上报 …`, /report), or those an
    urgent safety rule fires on, since a danger is never let pass as talk
    (`bot.pipeline.Pipeline`)."""
    return role is Role.RESIDENT

# Status changes: action -> (statuses it may start from, status it leads to).
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status]] = {
    Action.CLAIM: (frozenset({Status.NEW, Status.REOPENED}), Status.CLAIMED),
    Action.ASSIGN: (frozenset({Status.NEW, Status.REOPENED, Status.CLAIMED}), Status.CLAIMED),
    Action.UNCLAIM: (frozenset({Status.CLAIMED}), Status.NEW),
    # To the department's queue, unclaimed: any of its liaisons takes it up.  A reopened
    # ticket handed on is new work for the department (its clock ran from the reopening).
    Action.DISPATCH: (frozenset({Status.NEW, Status.REOPENED, Status.CLAIMED}), Status.NEW),
    # Back to the area's queue, as it was before it was handed on.
    Action.DECLINE: (frozenset({Status.NEW, Status.REOPENED}), Status.NEW),
    Action.RESOLVE: (frozenset({Status.CLAIMED}), Status.RESOLVED),
    Action.CLOSE: (frozenset({Status.RESOLVED}), Status.CLOSED),
    Action.REOPEN: (frozenset({Status.RESOLVED, Status.CLOSED}), Status.REOPENED),
    # Open tickets only.  A resolved or closed one has a history with its reporter (an
    # outcome they were told, a follow-up visit) which a dismissal would rewrite; to set
    # such a record straight (chatter somebody "resolved"), staff reopen it first, and
    # the reopening stays on record too.
    Action.DISMISS: (
        frozenset({Status.NEW, Status.REOPENED, Status.CLAIMED}),
        Status.DISMISSED,
    ),
    # An open ticket only: one already resolved or closed had its own outcome.
    Action.MERGE: (
        frozenset({Status.NEW, Status.REOPENED, Status.CLAIMED}),
        Status.MERGED,
    ),
    # Back to the queue as it came in: nobody handled it, so nobody holds it.  A merged
    # ticket comes back the same way, on its own again (a merge judged wrong).
    Action.RESTORE: (frozenset({Status.DISMISSED, Status.MERGED}), Status.NEW),
    # The reporter's "we settled it ourselves" ends the case as resolved, with the reporter's
    # words as the outcome; they may reopen it (/reopen) if it comes back.
    Action.WITHDRAW: (
        frozenset({Status.NEW, Status.REOPENED, Status.CLAIMED}),
        Status.RESOLVED,
    ),
}

# The events of a status change (`DeskBase._move` records each by its action): each ends
# a request for more time waiting on staff (`ends_extension_request`).
EXTENSION_REQUEST_ENDS = frozenset(action.value for action in TRANSITIONS)

# Notes may be added while a ticket is open; a closed ticket's record is final.
# A mediation session (调解) is arranged, moved or called off while the case is open: once it
# is resolved the parties have nothing to be called in for.
MEDIATION_ALLOWED = frozenset({Status.NEW, Status.CLAIMED, Status.REOPENED})
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
    urgency: str
    rules: tuple[str, ...]  # the safety rules that fired when it was classified
    department: str | None = None  # handed to this department (转办); None: the area's
    assisting: tuple[str, ...] = ()  # departments asked to assist (协办)


def may(role: Role, action: Action) -> bool:
    return role in PERMISSIONS[action]


def can_see(actor: Actor, ticket: TicketView) -> bool:
    """Residents see only what they reported; workers their area or their own cases; a
    department's liaisons what was handed to it or it assists with (协办: they add what they
    know, 备注; only the lead claims and resolves), and their own cases.  Not a report about
    the desk's own people, unless it is theirs (`kept_from`)."""
    if kept_from(actor, ticket) and ticket.reporter_id != actor.id:
        return False
    return _sees(actor, ticket)


def about_the_desk(ticket: TicketView) -> bool:
    """A report about the conduct of the desk's own people (作风反映, `bot.conduct`)."""
    return ABOUT_THE_DESK in ticket.rules


def kept_from(actor: Actor, ticket: TicketView) -> bool:
    """Whether `actor` is kept from working `ticket`, a report about the desk's own people
    (作风反映): it is the centre's.  The grid's workers would otherwise claim and resolve a
    complaint about themselves or a colleague, and a department's liaisons are no judges of
    the grid either.  Staff work it, and may hand it on by their own decision: to a person,
    who then holds it, or to a department (转办, 协办), whose liaisons then take it up.
    Its reporter, a worker too perhaps, may still follow their report (查询) as anyone may."""
    if actor.role not in (Role.GRID_WORKER, Role.LIAISON) or not about_the_desk(ticket):
        return False
    if ticket.assignee_id == actor.id:
        return False
    handed = ticket.department == actor.area or actor.area in ticket.assisting
    return not (actor.role is Role.LIAISON and handed)


def kept_from_words_about_the_desk(actor: Actor) -> bool:
    """Whether `actor` is kept from words about the desk's own people said into a ticket
    that is not a 作风反映: the comment of a visit's 不满意 (`bot.desk.rating`), which is the
    visit's answer and stays on the grid's ticket.  Read as those words would be had they
    been filed apart, as a resident's other such words are (`bot.filing.takes_in`): a
    作风反映 nobody holds yet, handed to no department (`kept_from`), the staff room's.  Not
    the holder's of the ticket they were said into: it is likely whom they are about."""
    complaint = TicketView(0, Status.NEW, 0, None, None, "", (ABOUT_THE_DESK,))
    return kept_from(actor, complaint)


def refused_as_about_the_desk(actor: Actor, ticket: TicketView) -> bool:
    """Whether `actor` would see `ticket` but for its being about the desk (`kept_from`):
    told so, rather than that there is no such ticket, when they ask for it (a 认领 pressed
    under its report in the group, their area's ticket number)."""
    return kept_from(actor, ticket) and _sees(actor, ticket)


def _sees(actor: Actor, ticket: TicketView) -> bool:
    """`can_see`, the rule of areas, departments and cases alone."""
    if actor.role in _STAFF:
        return True
    if actor.role is Role.LIAISON:
        return (
            ticket.assignee_id == actor.id
            or ticket.reporter_id == actor.id
            or (ticket.department is not None and ticket.department == actor.area)
            or actor.area in ticket.assisting
        )
    if actor.role is Role.GRID_WORKER:
        return (
            ticket.assignee_id == actor.id
            or ticket.reporter_id == actor.id
            or actor.area is None
            or ticket.area == actor.area
        )
    return ticket.reporter_id == actor.id


def reply_reaches(actor: Actor, ticket: TicketView, in_its_chat: bool) -> bool:
    """Whether a message sent in reply to one of `ticket`'s messages may join it (be added to
    it, or be named to the desk as the same event).  In the chat it was reported in, anyone's
    may: its members read the report, and a neighbour's details under the acknowledgement
    are what replies are for.  Elsewhere only the words of someone who may open it
    (`can_see`): a notice about a private report, or another group's, posted where residents
    read it (a `[supervision] notify` room) is no way into that ticket."""
    return in_its_chat or can_see(actor, ticket)


def stats_scope(actor: Actor) -> str | None:
    """The area /stats counts when none is named: a grid worker's own; None (every area,
    the centre's totals) for staff and admins, and for a liaison (`stats_department`)."""
    return actor.area if actor.role is Role.GRID_WORKER else None


def stats_department(actor: Actor) -> str | None:
    """The department /stats and /export count when none is named: a liaison's own (the
    tickets handed to it and those it assists with, in every area); None for anyone else."""
    return actor.area if actor.role is Role.LIAISON else None


def counts_about_the_desk(actor: Actor) -> bool:
    """Whether the figures (/stats, /workload) and the ledger `actor` asks for count the
    complaints about the desk's own people (作风反映): not a grid worker's, whose area's they
    are and who is kept from them (`kept_from`); even a count says one was made and of what
    type and urgency.  Staff's do, and a liaison's: their department's are those handed to
    it or it assists with, which its liaisons work (`kept_from`)."""
    return actor.role is not Role.GRID_WORKER


def may_see_stats(actor: Actor, area: str | None, department: str | None = None) -> bool:
    """Figures for `area` (None: every area) go to whoever may see every ticket counted in
    them, as `can_see` decides: staff and admins any area and the totals; a grid worker
    their own area's, which sum up tickets they can open one by one anyway (one with no
    area sees every ticket, so every figure).  Another area's are not theirs to see.  A
    department's (those handed to it, 转办, and those it assists with, 协办) span every
    area: staff's and admins', who chase the departments, and the department's own
    liaisons', each of whose tickets they may open.  A liaison sees no other figures: not
    another department's, nor an area's (most of its tickets are the grid's), nor one
    area's share of their own ("统计 DZ" from them would read as either): whatever they
    name, they are given their department's as staff hold it to them, or told whose they
    may see."""
    if actor.role in _STAFF:
        return True
    if actor.role is Role.LIAISON:
        return area is None and department is not None and department == actor.area
    if department is not None:
        return False
    return actor.role is Role.GRID_WORKER and actor.area in (None, area)


def may_report_screening(actor: Actor, area: str) -> bool:
    """Whether `actor` may give `area`'s screening result (零报告): the grid's own worker
    (one with no area works every grid), or staff, writing down what a worker phoned in.
    Another grid's result is its worker's to give."""
    if actor.role in _STAFF:
        return True
    return actor.role is Role.GRID_WORKER and actor.area in (None, area)


@dataclass(frozen=True)
class SearchScope:
    """Which tickets a search reads: `area`'s (None: every area), and with `or_person`, that
    person's own (held or reported) wherever they are."""

    area: str | None
    or_person: int | None = None
    department: str | None = None  # instead of an area: those handed to it (a liaison's)


def search_scope(actor: Actor, named_area: str | None) -> SearchScope | None:
    """What `actor` searches when they name `named_area` (or none): exactly the tickets
    `can_see` lets them open, so a search never lists one they could not.  Staff and admins:
    the area named, or all.  A grid worker: their area, and their own cases elsewhere (one
    with no area: all); naming another area is refused (None)."""
    if actor.role in _STAFF:
        return SearchScope(named_area)
    if actor.role is Role.LIAISON:  # their department's, and their own cases
        return None if named_area is not None else SearchScope(None, actor.id, actor.area)
    if actor.role is not Role.GRID_WORKER:
        return None
    if actor.area is None:
        return SearchScope(named_area)
    if named_area not in (None, actor.area):
        return None
    return SearchScope(actor.area, actor.id)


def may_export_ledger(actor: Actor, area: str | None, department: str | None = None) -> bool:
    """The ledger of `area` (None: every area) goes to whoever may see its figures
    (`may_see_stats`), because each of its rows is a ticket that reader may open one by
    one (`can_see`): staff and admins any area or all; a grid worker their own area's,
    the 网格台账 they keep anyway.  The file is always masked as a group reads it (the
    phone and ID numbers /ticket shows in a private chat are not in it): in a chat
    nobody, admins included, gets an unmasked ledger, since a file sent there lives on
    the platform's servers and every device it reaches and is forwarded with one tap;
    an unmasked copy is `intake-bot db export --unmasked`, on the server.  A department's
    ledger (各部门台账) spans every area: staff's and admins', and its own liaisons', who
    get the same file staff do (masked, the reporter by the name /ticket shows them) and
    no other."""
    return may_see_stats(actor, area, department)


def assists_only(actor: Actor, ticket: TicketView) -> bool:
    """`actor` is a liaison of a department assisting with `ticket` (协办), and neither its
    lead's, its holder nor its reporter: they read it and add what they know (备注),
    nothing more."""
    return (
        actor.role is Role.LIAISON
        and actor.area in ticket.assisting
        and ticket.department != actor.area
        and actor.id not in (ticket.assignee_id, ticket.reporter_id)
    )


def assigns_anywhere(role: Role) -> bool:
    """Whether this role gives tickets to anyone, and hands them to any department (指派,
    转办): the centre's routing call (研判分流), its staff's.  A liaison's is narrower
    (`may_assign_to`)."""
    return role in _STAFF


def may_assign_to(actor: Actor, role: Role | None, area: str | None) -> bool:
    """Whether `actor` may give a ticket they may assign (`may_act_on_ticket`) to a person
    of `role` and `area`, or (`role` None) hand it to the department `area` (转办).  Staff:
    to anyone.  A department's liaison: to a liaison of their own department (a colleague,
    or themselves), since a ticket follows the person it is given to (a grid worker's is
    the grid's, another department's liaison's that department's): given to anyone else, it
    would leave the department's queue with no word to the centre, whose routing call that
    is.  A case not theirs they send back (退回), and the centre routes it again."""
    if assigns_anywhere(actor.role):
        return True
    return actor.role is Role.LIAISON and role is Role.LIAISON and area == actor.area


def may_act_on_ticket(actor: Actor, action: Action, ticket: TicketView) -> bool:
    """Ticket-level permission.  It includes the role-level one (`may`), so an action no
    command names (RESTORE, reached through /reopen) is checked for the role too."""
    if not may(actor.role, action) or not can_see(actor, ticket):
        return False
    if assists_only(actor, ticket) and action not in (Action.NOTE, Action.TICKET):
        return False
    if action in (Action.RATE, Action.WITHDRAW, Action.ANONYMOUS):
        # The follow-up asks the person who reported; nobody may answer for them.  Only they
        # may take their report back (staff end a case with /resolve or /dismiss), or ask
        # that their name be kept from those who handle it (匿名反映).
        return ticket.reporter_id == actor.id
    if actor.role in _STAFF:
        return True
    if kept_from(actor, ticket) and action is not Action.REOPEN:  # its reporter's, below
        return False
    if action in (Action.UNCLAIM, Action.RESOLVE, Action.EXTEND, Action.SETTLED, Action.MEDIATE):
        return ticket.assignee_id == actor.id
    if action is Action.CLAIM:
        # A ticket handed to a department is its liaisons' to take up; the area's grid
        # workers still see it (and may add what they know: 备注).
        return ticket.department == (actor.area if actor.role is Role.LIAISON else None)
    if action in (Action.DECLINE, Action.ASSIGN):
        # A liaison gives their department's tickets to its people (`may_assign_to`).
        return ticket.department is not None and ticket.department == actor.area
    if action is Action.REOPEN:
        return ticket.reporter_id == actor.id and ticket.status is Status.RESOLVED
    if action is Action.DISMISS:
        # A grid worker triages their area's group: what came in there, unless someone
        # holds it (then it is the holder's call), and a ticket they hold anywhere.  Not one
        # the centre handed to a department (转办): staff judged it a case, and a dismissal
        # would take it from the department's queue and from supervision.
        if dismissal_needs_staff(ticket) or ticket.department is not None:
            return False
        if ticket.status is Status.CLAIMED:
            return ticket.assignee_id == actor.id
        return actor.area is None or ticket.area == actor.area
    return True


def may_now(actor: Actor, action: Action, ticket: TicketView) -> bool:
    """Whether `actor`'s command for `action` on `ticket` would be carried out as the ticket
    stands: allowed them (`may_act_on_ticket`), from its status (`TRANSITIONS`; a note's
    `NOTE_ALLOWED`).  /resolve of a ticket nobody holds counts for whoever may claim it: it
    is claimed for them first (`bot.desk.casework`).  What a desk member's plain words are
    answered with (`bot.desk_hints`) names a command only if it would work for them, so a
    hint never names a ticket they may not see nor one another holds."""
    if action is Action.NOTE:
        return ticket.status in NOTE_ALLOWED and may_act_on_ticket(actor, action, ticket)
    if action is Action.RESOLVE and next_status(Action.CLAIM, ticket.status) is not None:
        return may(actor.role, action) and may_act_on_ticket(actor, Action.CLAIM, ticket)
    allowed = next_status(action, ticket.status) is not None
    return allowed and may_act_on_ticket(actor, action, ticket)


def dismissal_needs_staff(ticket: TicketView) -> bool:
    """An urgent ticket, or one a safety rule fired on: what the classifier would not let
    go as chatter on its own (classifier/rules.py), one grid worker may not either.  Staff
    decide; a mistaken dismissal there would hide a person in danger from supervision.
    Not the rules of the desk's records (`DESK_RULES`: 多人反映): chatter three residents
    posted alike is chatter still, which the grid worker may say."""
    return ticket.urgency == "urgent" or bool(set(ticket.rules) - DESK_RULES)


def withdrawal_needs_a_worker(ticket: TicketView, merged_in: bool = False) -> bool:
    """An urgent ticket, or one a safety rule fired on, is not ended by its reporter's word:
    a person in danger may be pressed to take a report back (a beaten wife, a threatened
    neighbour).  Nor is one other reporters' tickets were merged into (`merged_in`): their
    event is not settled because one of them says so.  The withdrawal is recorded and the
    desk told; a worker checks, then resolves."""
    return merged_in or dismissal_needs_staff(ticket)


# Merging (并案) ---------------------------------------------------------------------------

# What a ticket may be merged into: a case the desk is on, or one it has resolved (the
# later reporter is then told its outcome at once).  Not a closed case (staff reopen it
# first), a dismissed one (not a report) or a merged one (merge into where it went).
MERGE_TARGETS = frozenset({Status.NEW, Status.CLAIMED, Status.REOPENED, Status.RESOLVED})
_URGENCY_ORDER = {"urgent": 0, "high": 1, "normal": 2, "low": 3}


def merge_refusal(ticket: TicketView, into: TicketView) -> str | None:
    """Why `ticket` may not be merged into `into` (a catalogue key), or None if it may.

    A merged ticket leaves the queue and supervision and is handled as part of `into`, so
    `into` must still be a case, and at least as urgent: merging a danger into an ordinary
    case would hide it behind the slower deadlines (merge the other way, or /retag first).
    Unknown urgencies ("unclassified") count as normal."""
    if ticket.id == into.id:
        return "merge_same"
    if into.status not in MERGE_TARGETS:
        return "merge_bad_target"
    if more_urgent(ticket.urgency, into.urgency):
        return "merge_more_urgent"
    return None


def more_urgent(urgency: str, than: str) -> bool:
    """Whether `urgency` ranks above `than` (unknown urgencies count as normal)."""
    return urgency_rank(urgency) < urgency_rank(than)


def urgency_rank(urgency: str) -> int:
    """0 for urgent, then high, normal (and unknown urgencies), low: what sorts first."""
    return _URGENCY_ORDER.get(urgency, 2)


def reopening(status: Status) -> Action:
    """What /reopen does: a dismissed or merged ticket is brought back (RESTORE), others
    reopened.

    Bringing back is not reopening: the report was never handled, so its deadlines keep
    counting from when it was filed (a "restore" event is no clock start, see
    CLOCK_STARTS); dismissing and restoring cannot hide that it is late."""
    return Action.RESTORE if status in (Status.DISMISSED, Status.MERGED) else Action.REOPEN


def awaits_triage(status: Status, needs_triage: bool) -> bool:
    """The model was unsure of the type and no person has judged it yet.  Dismissing a
    ticket as not a report is such a judgement (/retag is the other; it clears the flag)."""
    return needs_triage and status is not Status.DISMISSED


# A reply to a ticket's messages adds to the ticket, unless it was dismissed: the group
# was told it is withdrawn, so a reply there is a message of its own (a report makes a
# ticket of its own; chatter stays chatter), not a note on a ticket nobody will read.
# A merged ticket's replies go to the ticket it was merged into (`bot.pipeline`).
TAKES_ADDENDA = frozenset(Status) - {Status.DISMISSED}
# A reporter's repeat of a report (`bot.repeats`) joins their ticket while the desk is on it,
# or once it is resolved, when the reporter is told that saying it again is what 重开 is for.
# Not once closed (only staff reopen those) or dismissed.
TAKES_REPEATS = frozenset({Status.NEW, Status.CLAIMED, Status.REOPENED, Status.RESOLVED})


def next_status(action: Action, current: Status) -> Status | None:
    """The status `action` leads to from `current`, or None if it may not happen now."""
    sources, target = TRANSITIONS[action]
    return target if current in sources else None


# Supervision ------------------------------------------------------------------------------


class Stage(StrEnum):
    """A deadline a ticket has to meet.  Both count from the ticket's clock start, in
    calendar time or in working days, as the limit is written (bot.workcal)."""

    CLAIM = "claim"  # someone must claim it within the [sla] limit
    RESOLVE = "resolve"  # it must be resolved within the [sla.resolve] limit


# Which deadlines run in which status.  An unclaimed ticket can miss both; a claimed one
# has met its claim deadline; resolved and closed tickets are no longer supervised, and
# dismissed ones never were cases.
STAGES: dict[Status, tuple[Stage, ...]] = {
    Status.NEW: (Stage.CLAIM, Stage.RESOLVE),
    Status.REOPENED: (Stage.CLAIM, Stage.RESOLVE),
    Status.CLAIMED: (Stage.RESOLVE,),
}
SUPERVISED = frozenset(STAGES)

# Events that (re)start a ticket's clock: filing it, reopening it (a reopened ticket is
# new work, with fresh deadlines), and the centre's routing of it to a department (转办) or
# a department's sending it back (退回): whoever it reaches could not act on it before, and
# gets their full limits (a department's own, `[departments.sla]`), as a case handed on is
# chased where it is now.  Claiming, unclaiming, assigning or restoring a dismissed ticket
# do not restart it, so handing a ticket between people, or out of the queue and back,
# cannot hide that it is late; the history keeps every leg.
CLOCK_STARTS = ("created", Action.REOPEN.value, Action.DISPATCH.value, Action.DECLINE.value)


def restarts_clock(action: Action) -> bool:
    """Whether `action` starts the ticket's clock again (`CLOCK_STARTS`): then the config's
    limits apply afresh, and any extension granted before (延期) lapses."""
    return action.value in CLOCK_STARTS


# Tickets that have a resolve deadline, the one an extension (延期) moves.
EXTENDABLE = frozenset(status for status, stages in STAGES.items() if Stage.RESOLVE in stages)


def ends_extension_request(action: str) -> bool:
    """Whether an event of `action` ends a request for more time (延期申请) that staff have
    not answered.  The request is its asker's, about the round of work they hold: once the
    ticket moves (given back to the queue, 退回; assigned, handed to a department or sent back
    by one; resolved, reopened), its asker no longer holds it, and the request kept coming
    back in each escalation and morning briefing, with a button to grant it, on a case
    another department now led.  Whoever holds it next asks again if it needs longer."""
    return action in EXTENSION_REQUEST_ENDS


def grants_extension(role: Role) -> bool:
    """Whether this role's /extend grants more time, rather than asking for it.  A deadline
    is the centre's commitment to the reporter, so staff move it, as they assign; the
    worker holding the ticket knows when a case needs longer (an appraisal, a court date)
    and asks them."""
    return role in _STAFF


@dataclass(frozen=True)
class Breach:
    """A missed deadline: level k means k times the stage's limit has passed."""

    stage: Stage
    level: int
    limit: Span  # calendar time, or working days
    due: datetime

    def once_key(self, since: str, resolve_limit: str | None = None, retagged: str = "") -> str:
        """Names this breach for the database, so it is escalated exactly once: the same
        stage and level of the same clock (a reopened ticket starts a new one).  A resolve
        deadline that staff extended (延期, `resolve_limit`) is a new one: missed, it is
        escalated again, even at a level the old one reached."""
        key = f"escalated:{self.stage}:{self.level}:{since}"
        if self.stage is Stage.RESOLVE and resolve_limit:
            key += f":{resolve_limit}"
        if retagged:  # the deadlines of another urgency (`RETAGGED`)
            key += f"@{retagged}"
        return key


# A retag to another urgency gives the ticket that urgency's deadlines: new ones, as an
# extension's is, escalated when missed even at a level an old one reached (an urgent
# ticket escalated twice in its first hour, then judged ordinary, is escalated again when
# its working days run out).  The history is append-only, so the old escalations stay on
# record: the retag's event carries a once-only key, `RETAGGED` and its time, and the keys
# of the escalations and the reminder after it name that time (`retagged`).
RETAGGED = "deadlines:"


def retagged_at(keys: Iterable[str]) -> str:
    """The time of the latest retag to another urgency among a ticket's once-only keys;
    '' if it never had one (so the keys of a ticket never retagged are as they were)."""
    return retagged_by_ticket((0, key) for key in keys).get(0, "")


def retagged_by_ticket(done: Iterable[tuple[int, str]]) -> dict[int, str]:
    """`retagged_at` of each ticket among (ticket id, once-only key) pairs."""
    found: dict[int, str] = {}
    for ticket_id, key in done:
        if key.startswith(RETAGGED):
            found[ticket_id] = max(found.get(ticket_id, ""), key.removeprefix(RETAGGED))
    return found


def breaches(
    status: Status,
    since: datetime,
    now: datetime,
    limits: Mapping[Stage, Span],
    levels: int,
    calendar: WorkCalendar,
) -> list[Breach]:
    """Every deadline the ticket has missed by `now`, each level separately (`level_due`)."""
    found: list[Breach] = []
    for stage in STAGES.get(status, ()):
        limit = limits[stage]
        for level in range(1, levels + 1):
            due = level_due(since, limit, level, calendar)
            if now < due:
                break
            found.append(Breach(stage, level, limit, due))
    return found


def next_level_due(
    status: Status,
    since: datetime,
    after: datetime,
    limits: Mapping[Stage, Span],
    levels: int,
    calendar: WorkCalendar,
) -> datetime | None:
    """The first moment after `after` at which one of the ticket's deadlines reaches a
    level, from which `breaches` finds it; None once every level of each has passed."""
    found = []
    for stage in STAGES.get(status, ()):
        for level in range(1, levels + 1):
            due = level_due(since, limits[stage], level, calendar)
            if due > after:
                found.append(due)
                break
    return min(found, default=None)


def level_due(since: datetime, limit: Span, level: int, calendar: WorkCalendar) -> datetime:
    """When level `level` of a deadline falls due: `level` times its limit after the clock
    started, k x 30 minutes around the clock, or k x 3 working days (the ticket is late from
    00:00 of the working day after its 3k-th, so never while the centre is closed:
    `bot.workcal`)."""
    return calendar.after(since, level * limit)


def notifies_admins(level: int, major: bool = False, unheld: bool = False) -> bool:
    """Level 1 goes to the staff rooms and the holder; from level 2 the admins are told
    too, because the staff have let it sit through a whole further limit.  A major case
    (重大疑难) is the leadership's from its first missed deadline (领导督办), and so is one
    whose time to be resolved is up with nobody holding it (`unheld`): its claim deadline
    has long gone, and a level 1 the admins never heard of read as the case calming down
    after its claim deadline's level 2 had reached them."""
    return major or unheld or level >= 2


# Follow-up visits (回访) -----------------------------------------------------------------


class Rating(StrEnum):
    SATISFIED = "satisfied"
    FAIR = "fair"
    UNSATISFIED = "unsatisfied"


class FollowUpState(StrEnum):
    PENDING = "pending"  # scheduled at resolution; asked when due
    ASKED = "asked"  # the question went to the reporter privately
    UNREACHABLE = "unreachable"  # the reporter has no private chat with the bot
    CANCELLED = "cancelled"  # the ticket was reopened (or resolved again) before it was due
    RATED = "rated"


# A resolution can be rated while its ticket stays resolved or closed, once.  The reporter
# may also answer before being asked (typing 满意 12), or when the question could not be
# sent; then no question is sent later.
RATEABLE_TICKET = frozenset({Status.RESOLVED, Status.CLOSED})
RATEABLE_FOLLOWUP = frozenset(
    {FollowUpState.PENDING, FollowUpState.ASKED, FollowUpState.UNREACHABLE}
)


def rating_reopens(rating: Rating, actor: Actor, ticket: TicketView) -> bool:
    """不满意 on a resolved ticket is the reporter reopening it (退回重办), as /reopen would
    be.  A closed ticket stays closed (closing is staff's decision): staff are told and
    decide; so are they when the rating reopens the ticket."""
    return rating is Rating.UNSATISFIED and may_act_on_ticket(actor, Action.REOPEN, ticket)


def followup_outcome(
    status: Status, latest: bool, reachable: bool, withdrawn: bool = False
) -> FollowUpState:
    """What a due follow-up becomes.  It asks about one resolution: if the ticket has been
    reopened since (or resolved again, which scheduled a newer visit), it is cancelled; so
    it is once the case is closed (结案 comes after the visit: one closed first is not
    visited, and a merged ticket's visit goes with its case's), and once its reporter
    withdrew it after reopening it (撤回): there is no resolution of the desk's to be
    satisfied with.  The bot may only write first to someone who has written to it one to
    one (Telegram refuses otherwise); a reporter who only ever wrote in a group is
    unreachable."""
    if status is not Status.RESOLVED or not latest or withdrawn:
        return FollowUpState.CANCELLED
    return FollowUpState.ASKED if reachable else FollowUpState.UNREACHABLE


# Closing (结案) ----------------------------------------------------------------------------

# The answers to a follow-up visit on which staff close resolved cases together (结案 满意):
# the reporter's satisfied word on the outcome that stands is the centre's standard for
# archiving a case.  不满意 reopens a resolved ticket (`rating_reopens`); a case whose visit
# is unanswered, not yet asked or not sendable waits for staff to close it one by one, or
# together once it has gone unanswered for `[followup] unanswered_after` (结案 未回复: asked
# that long ago, or never sendable and resolved that long ago; `Tx.awaiting_closure`).
CLOSES_ON = frozenset({Rating.SATISFIED, Rating.FAIR})


def visit_standing(state: str | None, rating: str | None) -> str:
    """How the follow-up visit about a resolution stands, as the list of resolved tickets
    waiting to be closed (待结案) says it: its answer once answered; "asked" while the
    question waits for one; "none" when no question went out (not due yet, the reporter
    not reachable one to one, or no visit at all: visits off, a report of the desk's own)."""
    if state == FollowUpState.RATED and rating in {r.value for r in Rating}:
        return str(rating)
    if state == FollowUpState.ASKED:
        return "asked"
    return "none"
