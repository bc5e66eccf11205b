"""Supervision (督办): finding tickets past their SLA and escalating each breach once, and
reminding the holder before the resolve deadline comes (临期提醒);
the same periodic sweep asks the follow-up visits that have fallen due (bot.followup) and
sends the daily briefing when its time has come (bot.briefing), tells the staff room how
many more messages failed to be handled since its last notice of them (bot.failures), and
once a day erases the words of old messages that never became part of a ticket, and of the
bot's own messages once sent long enough ago (bot.retention).

A sweep runs every `[supervision] interval` in the running bot (and is called directly by
tests, on an injected clock).  It reads the supervised tickets, works out which deadlines
each has missed (`bot.workflow.breaches`), and for every breach not yet on record opens a
write transaction that records an `escalated` event with a once-only key and queues the
notices with it.  The key makes the database, not this process's memory, decide that a
breach is escalated once: a second sweep, a restart or a second process sharing the
database finds the event there and stays quiet.

Tickets linked as one event (疑似同一事件, `bot.many_reporters.one_event`) are escalated each on
its own clock and keys, but their notices name one another with the one 并案 that would join
them, and those late at the same deadline and level in one sweep go to each staff room as
one notice (`escalate_event`, `together`).  Nothing is merged: staff judge that.

A sweep records its escalations and reminders in one write transaction (`_BATCH` tickets at
most) and queues their notices with them, so what one reader is told of several late
tickets in it (a person who acts on them, privately; a staff room; an admin) goes as one
message listing them, most urgent first (`Told`, `arrange`), the once-only keys and the
history lines as they were.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bot import briefing, extension, failures, followup, i18n, mediation, retention, screening
from bot.adapters.base import Button, Outbound
from bot.clock import iso, parse_iso, utc_now
from bot.config import ChatRef, Config, format_limit, parse_limit
from bot.many_reporters import one_event
from bot.privacy import department_said, holder_said, residents_read, shown_in
from bot.render import Renderer, clip
from bot.turn import enqueue, person_name
from bot.workcal import Span, WorkCalendar, WorkingDays, exceeds
from bot.workflow import (
    CLOCK_STARTS,
    CLOSES_ON,
    EXTENDABLE,
    MEDIATION_ALLOWED,
    STAGES,
    SUPERVISED,
    Action,
    Breach,
    FollowUpState,
    Role,
    Stage,
    Status,
    breaches,
    may,
    more_urgent,
    next_level_due,
    notifies_admins,
    retagged_at,
    retagged_by_ticket,
    urgency_rank,
)
from bot.workload import waiting
from classifier.rules import ABOUT_THE_DESK
from storage.base import (
    ClockedTicket,
    EventRecord,
    PersonRecord,
    Stamp,
    Store,
    TicketRecord,
    Tx,
    stamp_of,
)

log = logging.getLogger(__name__)
_SUPERVISED = sorted(SUPERVISED)


@dataclass(frozen=True)
class Overdue:
    """A ticket that has missed at least one deadline."""

    ticket: TicketRecord
    since: str  # its clock start (filed, or last reopened)
    breaches: tuple[Breach, ...]

    @property
    def first(self) -> Breach:
        """The deadline missed first (claiming, for a ticket nobody has claimed)."""
        return min(self.breaches, key=lambda b: b.due)

    @property
    def first_due(self) -> datetime:
        return self.first.due

    @property
    def stage(self) -> Stage:
        return self.first.stage

    def waited(self, now: datetime, calendar: WorkCalendar) -> Span:
        """How long since the clock started, in the kind of the deadline missed first
        (calendar time, or its working days that have ended), so the two compare."""
        return calendar.between(parse_iso(self.since), now, self.first.limit)

    def late(self, now: datetime, calendar: WorkCalendar) -> Span:
        """How far past its earliest missed deadline, in the same kind ("most overdue"
        sorts by that deadline, `first_due`)."""
        return late_by(self.since, now, self.first.limit, calendar)


def late_by(since: str, now: datetime, limit: Span, calendar: WorkCalendar) -> Span:
    """How far past `limit`, counted from the clock start `since`, `now` is: calendar time,
    or the working days that have ended (`Overdue.late`, the ledger's 超期)."""
    return exceeds(calendar.between(parse_iso(since), now, limit), limit)


def limits(config: Config, ticket: TicketRecord) -> dict[Stage, Span]:
    """The ticket's deadlines: its urgency's in the config (its department's own, if it was
    handed to one that has them), and the resolve limit staff granted it instead (延期) if
    they did."""
    return limits_of(config, ticket.urgency, ticket.department, ticket.resolve_limit)


def limits_of(
    config: Config, urgency: str, department: str | None, resolve_limit: str | None
) -> dict[Stage, Span]:
    """`limits` of a ticket of `urgency`, handed to `department` (None: the area's), with
    the resolve limit staff granted it (延期, None: none): what the ledger has of a ticket."""
    sla = config.sla_for(department)
    resolve = parse_limit(resolve_limit) if resolve_limit else sla.resolve_limit(urgency)
    return {Stage.CLAIM: sla.limit(urgency), Stage.RESOLVE: resolve}


def deadlines(item: ClockedTicket, config: Config) -> list[tuple[Stage, datetime, Span]]:
    """The deadlines running now (none once the ticket is resolved): stage, when it falls
    due (level 1 of `breaches`), and its limit (an extension, 延期, included)."""
    ticket = item.ticket
    return deadlines_of(Status(ticket.status), item.since, limits(config, ticket), config)


def deadlines_of(
    status: Status, since: str, running: Mapping[Stage, Span], config: Config
) -> list[tuple[Stage, datetime, Span]]:
    """`deadlines` of a ticket in `status` whose clock started at `since`, on the limits
    `running` (`limits_of`)."""
    start = parse_iso(since)
    return [
        (stage, config.work_calendar.after(start, running[stage]), running[stage])
        for stage in STAGES.get(status, ())
    ]


def overdue_of(item: ClockedTicket, now: datetime, config: Config, levels: int) -> Overdue | None:
    ticket = item.ticket
    missed = breaches(
        Status(ticket.status),
        parse_iso(item.since),
        now,
        limits(config, ticket),
        levels,
        config.work_calendar,
    )
    return Overdue(ticket, item.since, tuple(missed)) if missed else None


def find_overdue(
    clocked: Sequence[ClockedTicket], now: datetime, config: Config, levels: int = 1
) -> list[Overdue]:
    """The overdue tickets among `clocked`, most overdue first."""
    found = [o for o in (overdue_of(c, now, config, levels) for c in clocked) if o]
    return sorted(found, key=lambda o: (o.first_due, o.ticket.id))


def sendable(missed: Sequence[Breach], now: datetime, calendar: WorkCalendar) -> list[Breach]:
    """The breaches among `missed` whose escalation may go out at `now`.  A deadline in
    working days falls due at 00:00 of a working day (`bot.workcal`), so its escalations
    go out on working days only; one that came due while the bot was down, found on a
    weekend or a holiday, waits for 00:00 of the next working day (`held_until`), as a
    deadline falling then would.  Deadlines around the clock go out at any time."""
    if calendar.is_working_day(calendar.local_date(now)):
        return list(missed)
    return [b for b in missed if not isinstance(b.limit, WorkingDays)]


def held_until(now: datetime, calendar: WorkCalendar) -> datetime:
    """When escalations held at `now` (`sendable`) go out: 00:00 of the next working day."""
    return calendar.midnight(calendar.nth_working_day_after(calendar.local_date(now), 1))


async def supervised_now(tx: Tx) -> list[ClockedTicket]:
    return await tx.supervised(_SUPERVISED, CLOCK_STARTS)


async def overdue_among(
    tx: Tx, tickets: Sequence[TicketRecord], now: datetime, config: Config
) -> dict[int, Overdue]:
    """Those of `tickets` past a deadline at `now`, by id, as `督办` finds them (level 1,
    an extension, 延期, included): a few tickets' clocks read, not every open ticket's."""
    clocked = await tx.supervised_among([t.id for t in tickets], _SUPERVISED, CLOCK_STARTS)
    return {o.ticket.id: o for o in find_overdue(clocked, now, config)}


async def time_asked(
    tx: Tx, clocked: Sequence[ClockedTicket], config: Config
) -> list[extension.TimeAsked]:
    """The requests for more time waiting on staff among the open tickets `clocked` (each
    on its current clock: a request before a reopening was for another round of work),
    each with its asker's role."""
    by_id = {item.ticket.id: item for item in clocked}
    history: dict[int, list[EventRecord]] = {}
    for event in await tx.events_of_kind(extension.HISTORY, sorted(EXTENDABLE)):
        history.setdefault(event.ticket_id, []).append(event)
    found = []
    for ticket_id, events in history.items():
        item = by_id.get(ticket_id)
        request = extension.pending_request(events, item.since) if item else None
        if item is None or request is None:
            continue
        limit = limits(config, item.ticket)[Stage.RESOLVE]
        more, until = extension.requested(request, limit)
        # The asker's role now, as an escalation reads it (a liaison: 相关部门 in a group).
        asker = await tx.person(request.actor_id) if request.actor_id is not None else None
        role = asker.role if asker is not None else ""
        found.append(
            extension.TimeAsked(item.ticket, request.actor_name or "", more, until, role)
        )
    return found


async def liaisons(tx: Tx, department: str) -> list[PersonRecord]:
    """The people who take up what the centre hands `department` (部门对接人)."""
    return [p for p in await tx.people_with_role(Role.LIAISON.value) if p.area == department]


async def working_on(tx: Tx, ticket: TicketRecord) -> list[PersonRecord]:
    """Who is working open `ticket`: the worker or liaison holding it (a held ticket is a
    claimed one), or, nobody holding it, the liaisons of the department whose queue it
    waits in (转办); nobody else."""
    if ticket.assignee_id is not None:
        holder = await tx.person(ticket.assignee_id)
        return [holder] if holder is not None else []
    if ticket.department is not None:
        return await liaisons(tx, ticket.department)
    return []


async def area_workers(tx: Tx, area: str) -> list[PersonRecord]:
    """The grid workers who take up what is reported in `area` (网格员)."""
    return [p for p in await tx.people_with_role(Role.GRID_WORKER.value) if p.area == area]


async def grid_of(tx: Tx, ticket: TicketRecord) -> list[PersonRecord]:
    """The grid workers who take up `ticket` while nobody holds it, and are told of it: its
    area's (`area_workers`).  None for a report about the desk's own people (作风反映),
    which is the centre's: the worker it names is never told of it (`kept_from`)."""
    if ticket.area is None or ABOUT_THE_DESK in ticket.rules:
        return []
    return await area_workers(tx, ticket.area)


async def unreachable_desk(tx: Tx) -> list[tuple[str, int]]:
    """The desk's people with messages waiting for them to write to the bot first, and how
    many: (name, count).  Residents' waiting messages are not the desk's to chase."""
    found = []
    for channel, chat_id, count in await tx.awaiting_by_chat():
        # A person's private chat id is their user id on every platform we serve.
        person = await tx.person_by_platform(channel, chat_id)
        if person is not None and person.role != Role.RESIDENT:
            found.append((person_name(person), count))
    return found


@dataclass(frozen=True)
class Escalation:
    """One newly recorded breach of one ticket, with what its notices say of it: who holds
    it, their request for more time (延期) waiting on staff, who gave it back (退回) on this
    clock, and the roles of those people (`bot.privacy.holder_said`)."""

    ticket: TicketRecord
    breach: Breach
    since: str
    holder: PersonRecord | None
    request: EventRecord | None
    given_back: str | None
    given_back_by: int | None
    roles: Mapping[int, str]

    @property
    def holder_name(self) -> str | None:
        return person_name(self.holder) if self.holder else None


def together(cases: Sequence[Escalation]) -> list[list[Escalation]]:
    """`cases` as their notices go out: those at the same deadline and level (one event's
    tickets, escalated in one pass) in one notice, in the order they came.  One with a
    request for more time goes alone: its notice's buttons answer that request."""
    groups: dict[object, list[Escalation]] = {}
    for case in cases:
        key = case.ticket.id if case.request else (case.breach.stage, case.breach.level)
        groups.setdefault(key, []).append(case)
    return list(groups.values())


def same_event_line(
    render: Renderer, event: Sequence[TicketRecord], told: Collection[int], lang: str | None,
    merge: bool,
) -> str:
    """The line naming the open tickets linked as one event (疑似同一事件, `event`, in id
    order) to the tickets a notice tells of (`told`): '' when there are none.  `merge`: for a
    reader who may merge (staff), with the one 并案 that would make them one case
    (`merge_suggestion`)."""
    others = [t for t in event if t.id not in told]
    if len(event) < 2 or not (others or merge):
        return ""
    tickets = i18n.joined((render.label(t) for t in others), lang)
    if not merge:
        return i18n.t("escalation_linked_names", lang, tickets=tickets)
    merges = merge_suggestion(render, event, lang)
    if not others:
        return i18n.t("escalation_linked_together", lang, merges=merges)
    return i18n.t("escalation_linked", lang, tickets=tickets, merges=merges)


def merge_suggestion(render: Renderer, event: Sequence[TicketRecord], lang: str | None) -> str:
    """The one 并案 that makes one event's tickets (`event`, two or more, in id order) one
    case, in the reader's words: all the others into the most urgent, the earliest of
    those, as `merge_refusal` allows ("「并案 2 3 4 到 1」", "/merge 2 3 4 into 1").  Past
    `_MOST_MERGED` others, the first of them and "etc": the command as written still works,
    and the next notice or list names those left."""
    main = event[0]
    for ticket in event[1:]:
        if more_urgent(ticket.urgency, main.urgency):
            main = ticket
    others = [render.number(t) for t in event if t.id != main.id]
    form = i18n.t(
        "merge_into_form", lang, main=render.number(main),
        tickets=" ".join(others[:_MOST_MERGED]),
    )
    command = i18n.t("escalation_linked_merge", lang, merge=form)
    if len(others) > _MOST_MERGED:
        command += i18n.t("escalation_linked_etc", lang)
    return command


# The most tickets one suggested 并案 names: a flooded bridge's thirty reports are one
# command, but a line of thirty numbers is not read; ten fit a phone's line or two.
_MOST_MERGED = 10


async def open_event(tx: Tx, ticket_id: int) -> list[TicketRecord]:
    """The open (supervised) tickets linked to `ticket_id` as one event (疑似同一事件, or
    merged into one of them: `bot.many_reporters.one_event`), itself included, by id; []
    when it has none."""
    event = [t for t in await one_event(tx, ticket_id) if Status(t.status) in SUPERVISED]
    return event if len(event) > 1 else []


class Notices:
    """The escalation notices for one breach: staff rooms, the holder, and (from level 2)
    every admin, each in the reader's language; for one event's tickets escalated together,
    one notice to each room and admin (`build_event`)."""

    def __init__(self, config: Config, render: Renderer) -> None:
        self.config = config
        self.render = render

    def _fields(
        self, ticket: TicketRecord, breach: Breach, since: str, now: datetime, lang: str | None
    ) -> dict[str, object]:
        return {
            "level": i18n.name(f"level.{breach.level}", lang),
            "ticket": self.render.label(ticket),
            "number": self.render.number(ticket),
            "stage": i18n.name(f"stage.{breach.stage}", lang),
            "urgency": i18n.urgency_label(ticket.urgency, lang),
            "limit": self.render.duration(breach.limit, lang),
            "waited": self.render.duration(
                self.config.work_calendar.between(parse_iso(since), now, breach.limit), lang
            ),
        }

    def _where_and_who(
        self, ticket: TicketRecord, holder: str | None, lang: str | None,
        given_back: str | None, public: bool,
    ) -> dict[str, object]:
        area = self.config.area_name(ticket.area)
        if ticket.department is not None:
            department = department_said(self.config, ticket.department, lang, public)
            area += i18n.t("dispatched_to", lang, department=department)
        if holder is None and given_back is not None:
            holder_text = i18n.t("holder_given_back", lang, name=given_back)
        else:
            holder_text = self.render.holder_text(holder, lang)
        summary = self.render.summary(ticket, lang)
        return {"area": area, "holder": holder_text, "summary": summary}

    def for_staff(
        self,
        ticket: TicketRecord,
        breach: Breach,
        since: str,
        now: datetime,
        holder: str | None,
        lang: str | None,
        given_back: str | None = None,
        public: bool = False,
    ) -> str:
        """`given_back`: who gave the ticket back (退回) on this clock, when nobody holds it:
        a case claimed in time and given back after its time to be claimed has run out is
        late to be claimed at once (unclaiming restarts nothing), and "无人认领" alone would
        read as though nobody had ever taken it up.  `public`: for a residents' group
        (`bot.privacy.residents_read`), which reads no department's name."""
        return i18n.t(
            "escalation",
            lang,
            **self._where_and_who(ticket, holder, lang, given_back, public),
            **self._fields(ticket, breach, since, now, lang),
        )

    def asked_for_time(
        self, ticket: TicketRecord, request: EventRecord, lang: str | None, name: str | None = None
    ) -> tuple[str, list[Button]]:
        """The line saying the holder has asked for more time (延期) and staff have not
        answered, and the button that agrees: a missed deadline is when staff look.  `name`:
        the asker as the room may name them (`bot.privacy.holder_said`), else their name."""
        more, until = extension.requested(request, limits(self.config, ticket)[Stage.RESOLVE])
        number = self.render.number(ticket)
        line = i18n.t(
            "escalation_extension_asked", lang,
            name=name if name is not None else request.actor_name or "",
            by=self.render.duration(more, lang), number=number,
            until=self.render.duration(until, lang), until_code=format_limit(until),
        )
        return line, extension.buttons(number, until, lang, request.id)

    async def read(
        self, tx: Tx, ticket: TicketRecord, breach: Breach, since: str
    ) -> Escalation:
        """What the notices of `breach` say of the ticket's people, read in `tx`."""
        holder = await tx.person(ticket.assignee_id) if ticket.assignee_id else None
        events = await tx.events(ticket.id)
        request = extension.pending_request(events, since)
        given_back, given_back_by = None, None
        if holder is None:  # the latest giving back on this clock, if any
            for event in events:
                if event.action == Action.UNCLAIM.value and event.at >= since:
                    given_back, given_back_by = event.actor_name or "?", event.actor_id
        # Who holds it, asked for time or gave it back, as a room may name them: a
        # department's liaison is 相关部门 where residents read it (`bot.privacy.holder_said`).
        roles = {holder.id: holder.role} if holder is not None else {}
        for actor_id in (given_back_by, request.actor_id if request else None):
            if actor_id is not None and (person := await tx.person(actor_id)) is not None:
                roles[actor_id] = person.role
        return Escalation(
            ticket, breach, since, holder, request, given_back, given_back_by, roles
        )

    def _named(
        self, case: Escalation, name: str | None, actor_id: int | None, lang: str | None,
        public: bool,
    ) -> str | None:
        if name is None or actor_id is None or actor_id not in case.roles:
            return name
        return holder_said(self.config, name, case.roles[actor_id], lang, public)

    def _staff_text(
        self,
        cases: Sequence[Escalation],
        now: datetime,
        lang: str | None,
        event: Sequence[TicketRecord] = (),
        room: ChatRef | None = None,
        major: bool = False,
    ) -> tuple[str, list[Button], str]:
        """What a staff room (`room`) or an admin (None) reads of `cases`, one event's tickets
        at one deadline and level (`together`): one ticket's notice as it always read, or
        one notice listing them all; with the line naming the event's other open tickets
        (`event`) and the 并案 that would join them.  A residents' group is given one case
        (it learns nothing of other reports, nor their numbers) and no such line.  With it,
        the notice's lines should the sweep tell the reader of several (`arrange`): a line
        for each ticket, what staff act on (how late, who holds it), and the same 并案 line;
        `major`: for an admin, saying which are major cases (领导督办)."""
        public = room is not None and residents_read(self.config, room.channel, room.chat_id)
        texts, buttons, lines = [], list[Button](), []
        calendar = self.config.work_calendar
        for case in cases:
            ticket = case.ticket
            if room is not None:
                ticket = shown_in(self.config, room.channel, room.chat_id, ticket, lang)
            holder = self._named(case, case.holder_name, ticket.assignee_id, lang, public)
            given_back = self._named(case, case.given_back, case.given_back_by, lang, public)
            if len(cases) == 1:
                text = self.for_staff(
                    ticket, case.breach, case.since, now, holder, lang, given_back, public
                )
            else:
                text = i18n.t(
                    "escalation_linked_item", lang,
                    **self._where_and_who(ticket, holder, lang, given_back, public),
                    **self._fields(ticket, case.breach, case.since, now, lang),
                )
            if case.request is not None:
                asker = self._named(
                    case, case.request.actor_name or "", case.request.actor_id, lang, public
                )
                asked, buttons = self.asked_for_time(case.ticket, case.request, lang, asker)
                text += asked
            texts.append(text)
            where = self._where_and_who(ticket, holder, lang, given_back, public)
            late = late_by(case.since, now, case.breach.limit, calendar)
            line = i18n.t(
                "fold_escalation_staff", lang, **self._fields(ticket, case.breach, case.since,
                                                              now, lang),
                area=where["area"], holder=where["holder"],
                summary=clip(str(where["summary"]), FOLD_WORDS),
                late=self.render.duration(late, lang),
            )
            line += i18n.t("fold_major", lang) if major and ticket.major else ""
            # Staff work a 作风反映 themselves (`bot.workflow.kept_from`): said, as its notice
            # does, lest a grid worker be chased for it.
            line += i18n.t("fold_about_the_desk", lang) if ABOUT_THE_DESK in ticket.rules else ""
            lines.append(line)
        first = cases[0]
        if len(cases) > 1:
            header = i18n.t(
                "escalation_linked_header", lang,
                count=len(cases),
                tickets=i18n.joined((self.render.label(c.ticket) for c in cases), lang),
                **self._fields(first.ticket, first.breach, first.since, now, lang),
            )
            texts.insert(0, header)
        told = {c.ticket.id for c in cases}
        line = "" if public else same_event_line(self.render, event, told, lang, merge=True)
        text = "\n".join(texts)
        lines += [line] if line else []
        return (f"{text}\n{line}" if line else text), buttons, "\n".join(lines)

    async def build(
        self, tx: Tx, ticket: TicketRecord, breach: Breach, since: str, now: datetime
    ) -> list[Outbound]:
        """The notices of one ticket's breach, as if it were linked to no other."""
        return await self.build_event(tx, [await self.read(tx, ticket, breach, since)], [], now)

    async def build_event(
        self, tx: Tx, cases: Sequence[Escalation], event: Sequence[TicketRecord], now: datetime
    ) -> list[Outbound]:
        """The notices of `cases` (one group of `together`: one ticket's breach, or one
        event's tickets at one deadline and level), `event`: the open tickets linked with
        them as one event ([] for none).  Each staff room and each admin reads one notice of
        them all; the people who act on each ticket are told of their own.  Those to a staff
        room or an admin are `Told` too, to be folded with the sweep's others to the same
        reader (`arrange`); a residents' group's are not (it reads each ticket alone)."""
        lang = self.config.language
        rank = min(case_rank(case, self.config.work_calendar) for case in cases)
        out: list[Outbound] = []
        for room in self.config.notify_rooms:
            public = residents_read(self.config, room.channel, room.chat_id)
            # A residents' group reads each ticket alone: not that others reported it too;
            # and none about the desk's own people (作风反映), whose grid workers read the
            # group and are told of it nowhere (`grid_of`): 无人认领 there asks them to.
            apart = [[c] for c in cases if ABOUT_THE_DESK not in c.ticket.rules]
            for group in apart if public else [cases]:
                text, buttons, line = self._staff_text(group, now, lang, event, room)
                filed = group[0].ticket.id
                if public:
                    out.append(Outbound(
                        room.channel, room.chat_id, text, ticket_id=filed,
                        kind="escalation", buttons=buttons,
                    ))
                    continue
                out.append(Told(
                    room.channel, room.chat_id, text, ticket_id=filed, kind="escalation",
                    buttons=buttons, line=line, lang=lang, rank=rank,
                    about=tuple(c.ticket.id for c in group), header=STAFF_FOLD,
                ))
        reached: dict[int, set[int]] = {}
        for case in cases:
            reached[case.ticket.id] = set()
            out += await self._to_actors(tx, case, event, now, reached[case.ticket.id])
        for admin in await self._admins(tx, cases):
            admin_lang = admin.lang or lang
            theirs = [
                c for c in cases
                if notifies_admins(c.breach.level, c.ticket.major, _unheld(c))
                and admin.id not in reached[c.ticket.id]
            ]
            if not theirs:
                continue
            note, _, line = self._staff_text(theirs, now, admin_lang, event, major=True)
            for case in theirs:
                if case.ticket.major:  # why the leadership hears of it from the first level
                    number = self.render.number(case.ticket)
                    note += "\n" + i18n.t("escalation_major", admin_lang, number=number)
            if any(case.request for case in theirs):
                # A request for more time waits on staff: its notice, with what was asked,
                # read alone, as the room's with its buttons.
                out.append(_direct(admin.channel, admin.user_id, note, theirs[0].ticket.id))
                continue
            out.append(Told(
                admin.channel, admin.user_id, note, ticket_id=theirs[0].ticket.id,
                kind="direct", line=line, lang=admin_lang, rank=rank,
                about=tuple(c.ticket.id for c in theirs), header=STAFF_FOLD,
            ))
        return out

    async def _admins(self, tx: Tx, cases: Sequence[Escalation]) -> list[PersonRecord]:
        if not any(notifies_admins(c.breach.level, c.ticket.major, _unheld(c)) for c in cases):
            return []
        return await tx.people_with_role(Role.ADMIN.value)

    async def _to_actors(
        self, tx: Tx, case: Escalation, event: Sequence[TicketRecord], now: datetime,
        told_to: set[int],
    ) -> list[Outbound]:
        """The private notices of one ticket's breach to those who act on it; adds to
        `told_to` whom it told.  Each names the tickets linked with it as one event; the 并案
        that joins them only to a reader who may merge (staff)."""
        ticket, breach, since, holder = case.ticket, case.breach, case.since, case.holder
        lang = self.config.language
        # Who acts on it: its holder; nobody holding a ticket handed to a department, its
        # liaisons, as a holder would; nobody holding one of an area's, its grid workers (an
        # urgent case sat unclaimed for an hour with only the staff room told).
        # Each with the report's first words: four notices of "工单 #1" in a private chat
        # said nothing of what it was.  Nobody holding it past its time to be resolved, they
        # say that (`_resolve`), not 尚无人认领 as its claim deadline's levels did.
        key, actors, department = "escalation_holder", [holder] if holder else [], ""
        if holder is None and ticket.department is not None:
            key, actors = "escalation_department", await liaisons(tx, ticket.department)
            department = self.config.department_name(ticket.department)
        elif holder is None and ticket.area is not None:
            key, actors = "escalation_area", await grid_of(tx, ticket)
        if _unheld(case) and key != "escalation_holder":
            key += "_resolve"
        calendar = self.config.work_calendar
        rank = case_rank(case, calendar)
        late = late_by(since, now, breach.limit, calendar)
        out: list[Outbound] = []
        for actor in actors:
            actor_lang = actor.lang or lang
            fields = self._fields(ticket, breach, since, now, actor_lang)
            area = self.config.area_name(ticket.area)
            summary = self.render.summary(ticket, actor_lang)
            note = i18n.t(key, actor_lang, department=department, area=area, summary=summary,
                          **fields)
            merge = may(Role(actor.role), Action.MERGE)
            line = same_event_line(self.render, event, {ticket.id}, actor_lang, merge)
            if line:
                note += "\n" + line
            act = "fold_act_resolve" if holder is not None else "fold_act_claim"
            short = i18n.t(
                "fold_escalation", actor_lang, **fields, summary=clip(summary, FOLD_WORDS),
                late=self.render.duration(late, actor_lang),
                act=i18n.t(act, actor_lang, number=fields["number"]),
            )
            out.append(told(actor, note, ticket, short, actor_lang, rank))
            told_to.add(actor.id)
        return out


def _unheld(case: Escalation) -> bool:
    """Nobody holds it past its time to be resolved."""
    return case.holder is None and case.breach.stage is Stage.RESOLVE


def _direct(channel: str, user_id: str, text: str, ticket_id: int) -> Outbound:
    # A person's private chat id is their user id on every platform we serve.
    return Outbound(channel, user_id, text, ticket_id=ticket_id, kind="direct")


# Where a notice stands in a sweep's queue: its ticket's urgency (urgent first), then the
# deadline it is about (earliest, so the latest, first), then the ticket's number.
Rank = tuple[int, datetime, int]


def rank_of(ticket: TicketRecord, due: datetime) -> Rank:
    return (urgency_rank(ticket.urgency), due, ticket.id)


def case_rank(case: Escalation, calendar: WorkCalendar) -> Rank:
    """An escalation's place in the queue: its ticket's, at the deadline it is about."""
    return rank_of(case.ticket, calendar.after(parse_iso(case.since), case.breach.limit))


# The header of a staff room's or an admin's folded notices (`Told.header`): not "您有",
# as to one who acts on them, but how many were escalated.
STAFF_FOLD = "fold_header_staff"


@dataclass
class Told(Outbound):
    """A notice a sweep may fold with others to the same reader (`arrange`): a private one
    of one ticket to one person who acts on it (its holder, the grid workers or liaisons
    who are to take it up), an escalation or a reminder (临期提醒); or an escalation to a
    staff room or an admin, of one ticket or one event's (`about`, when more than the one
    it is filed under).  With its place in the sweep's order (`rank`), its line or lines
    (`line`, in the reader's `lang`) and the folded message's header (`header`)."""

    line: str = ""
    lang: str | None = None
    rank: Rank = field(default_factory=lambda: (0, datetime.min, 0))
    about: tuple[int, ...] = ()
    header: str = "fold_header"

    @property
    def tickets(self) -> tuple[int, ...]:
        """The tickets it tells of."""
        return self.about or ((self.ticket_id,) if self.ticket_id is not None else ())


def told(
    person: PersonRecord, text: str, ticket: TicketRecord, line: str, lang: str | None,
    rank: Rank,
) -> Told:
    # A person's private chat id is their user id on every platform we serve.
    return Told(
        person.channel, person.user_id, text, ticket_id=ticket.id, kind="direct",
        line=line, lang=lang, rank=rank,
    )


# The most tickets one folded notice lists: past that, another (a typhoon's grid worker
# with forty late cases reads two messages, not one no phone shows whole).
FOLD_MOST = 20
# The first words of a report in a folded notice's line.
FOLD_WORDS = 16


def arrange(ranked: Sequence[tuple[Rank, Outbound]]) -> list[Outbound]:
    """A sweep's notices as they are queued: every destination's, the staff room's too, in
    order of `Rank` (urgency, then deadline: an urgent case sat under ten normal ones when
    they went by deadline alone); the ones of several tickets to one reader (`Told`: one
    person privately, a staff room, an admin) folded into one message at the place of the
    most urgent, a header saying how many and that the most urgent come first, then a line
    for each (one event's tickets, one notice to the staff (`together`), are its lines
    together), most urgent first and then the latest; one ticket's alone as it always read
    (its two deadlines missed at once, after an outage: its two notices, as before), and so
    is one event's notice alone.  A typhoon night's forty escalations were forty messages
    in the staff room.  A notice with buttons is never folded (its buttons answer its
    ticket: a request for more time's 同意/不同意), and a residents' group's are not `Told`:
    it reads each ticket alone (`bot.privacy.residents_read`)."""
    ordered = sorted(ranked, key=lambda r: r[0])  # stable: a ticket's room notice first
    foldable: dict[tuple[str, str, str], list[Told]] = {}
    for _, message in ordered:
        if isinstance(message, Told) and not message.buttons:
            where = (message.channel, message.chat_id, message.header)
            foldable.setdefault(where, []).append(message)
    out: list[Outbound] = []
    done: set[tuple[str, str, str]] = set()
    for _, message in ordered:
        if not isinstance(message, Told) or message.buttons:
            out.append(message)
            continue
        where = (message.channel, message.chat_id, message.header)
        notes = foldable[where]
        if len(notes) < 2 or len({t for note in notes for t in note.tickets}) < 2:
            out.append(message)
        elif where not in done:  # at the place of its most urgent ticket
            done.add(where)
            out += _folded(notes)
    return out


def _folded(notes: Sequence[Told]) -> list[Outbound]:
    first = notes[0]
    lang, count = first.lang, len({t for note in notes for t in note.tickets})
    parts = [notes[i:i + FOLD_MOST] for i in range(0, len(notes), FOLD_MOST)]
    out = []
    for number, part in enumerate(parts, 1):
        which = i18n.t("fold_part", lang, part=number, parts=len(parts)) if len(parts) > 1 else ""
        header = i18n.t(first.header, lang, count=count, part=which)
        text = "\n".join([header, *(note.line for note in part)])
        out.append(Outbound(
            first.channel, first.chat_id, text, ticket_id=part[0].ticket_id, kind=first.kind
        ))
    return out


# What a sweep knew of a ticket when it read its once-only keys: the ticket's stamp then,
# and the time of its latest retag among those keys (`retagged_at`; '' for none).
Seen = tuple[Stamp, str]


async def _retagged(tx: Tx, ticket: TicketRecord, seen: Seen | None) -> str:
    """The time of the ticket's latest retag: what the sweep read with its keys, if the
    ticket is as it was then (a retag changes its urgency and its last change, so its
    stamp); else read again, in this transaction."""
    if seen is not None and seen[0] == stamp_of(ticket):
        return seen[1]
    return retagged_at(key for _, key in await tx.once_keys(_SUPERVISED, [ticket.id]))


async def record_breaches(
    tx: Tx, ticket_id: int, now: datetime, config: Config, seen: Seen | None = None
) -> tuple[ClockedTicket, int, list[Breach]] | None:
    """Record every breach of one ticket not yet on record: the ticket as read again, how
    many were recorded, and the breach to tell of for each deadline (its highest newly
    missed level); None when it has nothing to record.

    Runs inside a write transaction and reads the ticket again first: it may have been
    claimed or resolved since the sweep looked.  One notice per deadline, so a bot that was
    down for days does not send a pile of them.  `seen`: what the sweep read of it (its
    keys are not read again unless it changed).
    """
    item = await tx.supervised_ticket(ticket_id, CLOCK_STARTS)
    if item is None:
        return None
    overdue = overdue_of(item, now, config, config.supervision.levels)
    due = sendable(overdue.breaches, now, config.work_calendar) if overdue else []
    if overdue is None or not due:
        return None
    at = iso(now)
    retagged = await _retagged(tx, item.ticket, seen)
    recorded = 0
    newest: dict[Stage, Breach] = {}
    for breach in due:
        payload: dict[str, object] = {"stage": breach.stage.value, "level": breach.level}
        if isinstance(breach.limit, WorkingDays):
            payload["limit_working_days"] = breach.limit.days
        else:
            payload["limit"] = int(breach.limit.total_seconds())
        payload["due"] = iso(breach.due)
        key = breach.once_key(item.since, item.ticket.resolve_limit, retagged)
        if await tx.add_event_once(ticket_id, None, "escalated", at, payload, key):
            recorded += 1
            newest[breach.stage] = breach  # breaches come in rising level per stage
    return item, recorded, list(newest.values())


async def escalate_event(
    tx: Tx,
    ticket_id: int,
    now: datetime,
    config: Config,
    notices: Notices,
    pending: Mapping[int, Seen | None],
) -> tuple[int, list[Outbound], list[int]]:
    """Escalate one ticket and, with it, the tickets linked with it as one event (疑似同一
    事件) that this sweep has to escalate too (`pending`: those tickets, with what the sweep
    read of each): (breaches recorded, notices to send, the tickets escalated)."""
    event = await open_event(tx, ticket_id)
    ids = sorted({ticket_id, *(t.id for t in event if t.id in pending)})
    recorded, ranked = await escalate_many(tx, ids, now, config, notices, pending)
    return recorded, arrange(ranked), ids


async def escalate_many(
    tx: Tx,
    ids: Sequence[int],
    now: datetime,
    config: Config,
    notices: Notices,
    pending: Mapping[int, Seen | None],
) -> tuple[int, list[tuple[Rank, Outbound]]]:
    """Record every breach not yet on record of the tickets `ids` (`pending`: what the sweep
    read of each): (breaches recorded, their notices, each with its place in the queue).

    Each ticket's breaches are recorded on it, with its own once-only keys, as if alone, in
    id order (two processes' writes take them alike); only the notices are joined
    (`together`): one event's tickets at the same deadline and level go to each staff room
    as one notice, and every notice names the event's other open tickets with the 并案 that
    would join them.  Nothing is merged: staff judge that.
    """
    recorded, cases = 0, dict[int, list[Escalation]]()
    for each in sorted(ids):
        found = await record_breaches(tx, each, now, config, pending.get(each))
        if found is None:
            continue
        item, count, newest = found
        recorded += count
        cases[each] = [await notices.read(tx, item.ticket, b, item.since) for b in newest]
    ranked: list[tuple[Rank, Outbound]] = []
    seen: set[int] = set()
    calendar = config.work_calendar
    for each in sorted(cases):
        if each in seen:
            continue
        event = await open_event(tx, each)
        mates = sorted({each, *(t.id for t in event if t.id in cases)})
        seen.update(mates)
        for group in together([case for mate in mates for case in cases[mate]]):
            rank = min(case_rank(c, calendar) for c in group)
            for message in await notices.build_event(tx, group, event, now):
                ranked.append((message.rank if isinstance(message, Told) else rank, message))
    return recorded, ranked


async def escalate_ticket(
    tx: Tx,
    ticket_id: int,
    now: datetime,
    config: Config,
    notices: Notices,
    seen: Seen | None = None,
) -> tuple[int, list[Outbound]]:
    """Record every breach of one ticket not yet on record: (how many, notices to send);
    its notices name the tickets linked with it as one event (`escalate_event`)."""
    recorded, out, _ = await escalate_event(tx, ticket_id, now, config, notices, {ticket_id: seen})
    return recorded, out


# Reminders (临期提醒) ------------------------------------------------------------------
#
# Supervision escalates a deadline once it is missed; by then the reporter has waited too
# long and the staff room has the worker's name in a 督办 notice.  A worker with twenty
# cases does not keep each one's deadline in mind, so at `[supervision] remind_at` of the
# resolve limit used up (0.8: a fifth of it left) the holder is told privately, once, with
# the words that resolve it and those that ask for more time (延期).  Claimed tickets only:
# an unclaimed one has nobody to remind, and its claim deadline is escalated to the staff
# who assign.  A limit in working days is reminded at 09:00 (the centre's time) of the first
# working day that leaves the rest of it, not at the midnight the count turns over; one
# around the clock at its share.

# When a working-day reminder is sent, on its day.
MORNING = time(9, 0)


def reminder_moments(item: ClockedTicket, config: Config) -> tuple[datetime, datetime] | None:
    """(when to remind, the deadline) for a claimed ticket; None when there is nothing to
    remind of (unclaimed, reminders off, or a limit too short to have a share before it)."""
    share = config.supervision.remind_at
    if not share or item.ticket.status != Status.CLAIMED or item.ticket.assignee_id is None:
        return None
    since, calendar = parse_iso(item.since), config.work_calendar
    limit = limits(config, item.ticket)[Stage.RESOLVE]
    due = calendar.after(since, limit)
    if isinstance(limit, WorkingDays):
        used = int(limit.days * share)
        if used < 1:
            return None  # a one-day limit: its one day is the whole of it
        day = calendar.local_date(calendar.after(since, WorkingDays(used)))
        remind = datetime.combine(day, MORNING, calendar.zone)
    else:
        remind = since + limit * share
    return (remind, due) if remind < due else None


def reminder_key(item: ClockedTicket, retagged: str = "") -> str:
    """One reminder for each deadline: of this clock (a reopening starts another), of the
    limit in force (an extension, 延期, is a new deadline to be reminded of) and of the
    urgency (a retag to another one too: `bot.workflow.RETAGGED`)."""
    key = f"reminded:{item.since}:{item.ticket.resolve_limit or ''}"
    return f"{key}@{retagged}" if retagged else key


def reminders_due(
    now: datetime, config: Config, clocked: Sequence[ClockedTicket], done: set[tuple[int, str]]
) -> dict[int, Seen]:
    """The tickets among `clocked` whose holder is to be reminded at `now` and was not yet
    (`done`: the once-only keys on record), with what the sweep read of each."""
    retagged = retagged_by_ticket(done)
    due = {}
    for item in clocked:
        moments = reminder_moments(item, config)
        if moments is None or not moments[0] <= now < moments[1]:
            continue
        again = retagged.get(item.ticket.id, "")
        if (item.ticket.id, reminder_key(item, again)) not in done:
            due[item.ticket.id] = (stamp_of(item.ticket), again)
    return due


async def remind_ticket(
    tx: Tx, ticket_id: int, now: datetime, config: Config, render: Renderer, seen: Seen
) -> Told | None:
    """Record and queue one reminder, reading the ticket again first: it may have been
    resolved or handed on since the sweep looked (`seen`: what the sweep read of it)."""
    item = await tx.supervised_ticket(ticket_id, CLOCK_STARTS)
    due = reminder_moments(item, config) if item else None
    if item is None or due is None or not due[0] <= now < due[1]:
        return None
    ticket = item.ticket
    assert ticket.assignee_id is not None
    holder = await tx.person(ticket.assignee_id)
    payload: dict[str, object] = {"due": iso(due[1])}
    retagged = await _retagged(tx, ticket, seen)
    if holder is None or not await tx.add_event_once(
        ticket.id, None, "reminded", iso(now), payload, reminder_key(item, retagged)
    ):
        return None
    lang = holder.lang or config.language
    limit = limits(config, ticket)[Stage.RESOLVE]
    # How much more to ask for, as an example, in the limit's own kind: an urgent case is
    # not given working days.
    more: Span = WorkingDays(5) if isinstance(limit, WorkingDays) else timedelta(hours=2)
    number = render.number(ticket)
    # Their own request waiting on staff (延期申请): told to ask for more time, they asked
    # again, and the staff room read a second request.
    request = extension.pending_request(await tx.events(ticket.id), item.since)
    if request is not None and request.actor_id == holder.id:
        asked, _ = extension.requested(request, limit)
        more_time = i18n.t("reminder_asked", lang, by=render.duration(asked, lang))
    else:
        more_time = i18n.t(
            "reminder_more", lang, number=number,
            more=render.duration(more, lang) if i18n.lang_index(lang) == 0 else format_limit(more),
        )
    text = i18n.t(
        "reminder", lang, ticket=render.label(ticket), number=number,
        urgency=i18n.urgency_label(ticket.urgency, lang), due=render.local_time(iso(due[1])),
        limit=render.duration(limit, lang), summary=render.summary(ticket, lang),
        more_time=more_time,
    )
    # Linked with others as one event: whoever holds one may be working the others' event.
    merge = may(Role(holder.role), Action.MERGE)
    line = same_event_line(render, await open_event(tx, ticket.id), {ticket.id}, lang, merge)
    if line:
        text += "\n" + line
    short = i18n.t(
        "fold_reminder", lang, ticket=render.label(ticket),
        urgency=i18n.urgency_label(ticket.urgency, lang), due=render.local_time(iso(due[1])),
        summary=clip(render.summary(ticket, lang), FOLD_WORDS),
        act=i18n.t("fold_act_resolve", lang, number=number),
    )
    return told(holder, text, ticket, short, lang, rank_of(ticket, due[1]))


# The agenda (what each sweep reads) ---------------------------------------------------
#
# A province keeps tens of thousands of tickets open, and reading every one and working out
# its deadlines each minute took seconds (README, Performance).  Almost all of them need
# nothing from a given sweep: their next deadline is days away.  So the supervisor keeps,
# for each open ticket, the next moment a sweep has work for it and what its deadlines
# depend on (`storage.base.Stamp`); a sweep then reads every open ticket's stamp only (a
# narrow read), and the full row of the tickets that changed since it looked (in this
# process or another: claimed, reopened, retagged, given more time) or whose moment has
# come.  Those it checks as before.  Every `FULL_CHECK_EVERY` it reads them all again, as
# at start, so nothing the stamps could miss (a change written within the same
# millisecond as the one before it, a row edited by hand) waits longer than that.

FULL_CHECK_EVERY = timedelta(hours=1)

# The most tickets a sweep escalates or reminds of in one write transaction: a sweep after
# a long outage, or the first after an upgrade, may find thousands late, and messages wait
# on the write meanwhile; a typhoon night's tens are one.  Each person is told of a batch's
# tickets in one message (`arrange`), so past it a few more.
_BATCH = 200


def next_moment(item: ClockedTicket, after: datetime, config: Config) -> datetime | None:
    """The first moment after `after` at which a sweep has work for this ticket: one of
    its deadlines reaching a level (`breaches`), or its reminder (临期提醒)."""
    due = next_level_due(
        Status(item.ticket.status), parse_iso(item.since), after, limits(config, item.ticket),
        config.supervision.levels, config.work_calendar,
    )
    moments = [] if due is None else [due]
    calendar = config.work_calendar
    if not calendar.is_working_day(calendar.local_date(after)):
        # A deadline in working days already missed is escalated on the next working day
        # if not before (`sendable`): it needs that day's first sweep.
        missed = overdue_of(item, after, config, config.supervision.levels)
        if missed and any(isinstance(b.limit, WorkingDays) for b in missed.breaches):
            moments.append(held_until(after, calendar))
    reminder = reminder_moments(item, config)
    if reminder is not None and reminder[0] > after:
        moments.append(reminder[0])
    return min(moments, default=None)


class Agenda:
    """When each supervised ticket next needs a sweep, as of what it was when last read."""

    def __init__(self) -> None:
        self._next: dict[int, tuple[Stamp, datetime | None]] = {}
        self._full_at: datetime | None = None  # when every ticket was last read

    def __contains__(self, ticket_id: object) -> bool:
        return ticket_id in self._next

    def wants_full(self, now: datetime) -> bool:
        """Read every open ticket: at start, every `FULL_CHECK_EVERY`, and when the clock
        went back (the console demo's, or a corrected system clock)."""
        full = self._full_at
        return full is None or not full <= now < full + FULL_CHECK_EVERY

    def to_check(self, stamps: Mapping[int, Stamp], now: datetime) -> list[int]:
        """The tickets among `stamps` (every supervised ticket's) a sweep at `now` must
        read: new to it, changed since it was read, or whose moment has come.  Tickets no
        longer supervised are forgotten."""
        for gone in self._next.keys() - stamps.keys():
            del self._next[gone]
        return sorted(
            ticket_id
            for ticket_id, stamp in stamps.items()
            if (entry := self._next.get(ticket_id)) is None
            or entry[0] != stamp
            or (entry[1] is not None and entry[1] <= now)
        )

    def plan(
        self, checked: Sequence[ClockedTicket], now: datetime, config: Config, full: bool
    ) -> None:
        """Note what `checked` were when read and their next moments after `now`, once a
        sweep has done what they needed; `full`: they are every supervised ticket."""
        if full:
            self._next, self._full_at = {}, now
        for item in checked:
            entry = (stamp_of(item.ticket), next_moment(item, now, config))
            self._next[item.ticket.id] = entry


@dataclass
class SweepReport:
    """What one sweep did (logged, and read by tests)."""

    escalated: int = 0  # breaches recorded
    reminded: int = 0  # holders reminded of a deadline drawing near (临期提醒)
    mediation_reminded: int = 0  # mediation sessions drawing near, reminded (bot.mediation)
    asked: int = 0  # follow-up questions sent
    unreachable: int = 0  # follow-ups that could not be sent privately
    cancelled: int = 0  # follow-ups for tickets reopened before they were due
    briefed: bool = False  # the daily briefing went out (bot.briefing)
    screening_reminded: int = 0  # grid workers reminded of the day's screening (bot.screening)
    erased: int = 0  # messages whose words were erased ([retention], bot.retention)
    erased_sent: int = 0  # the bot's sent messages whose words were erased (the same)
    failed: int = 0  # failed messages counted in a notice to the staff room (bot.failures)


class Supervisor:
    """The periodic sweep: escalations, then the follow-up visits that are due."""

    def __init__(
        self,
        store: Store,
        config: Config,
        render: Renderer,
        clock: Callable[[], datetime] = utc_now,
        on_outbox: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        self.on_outbox = on_outbox or (lambda: None)
        self.render = render
        self.notices = Notices(config, render)
        # When the last sweep finished (/healthz: a sweep that keeps failing is a
        # supervision that has stopped escalating).
        self.last_sweep: datetime | None = None
        # The local day old messages were last erased on: once a day is enough.
        self._erased_on: date | None = None
        # ... and the one the screening reminder was last sent (or found sent) for: the
        # write that records it is once a day, not once a sweep all evening.
        self._screening_on: date | None = None
        self.agenda = Agenda()

    async def to_check(
        self, now: datetime, full: bool
    ) -> tuple[list[ClockedTicket], set[tuple[int, str]]]:
        """The open tickets a sweep at `now` checks (`full`: every one; else those the
        agenda names) and their once-only keys on record, in one read for both."""
        async with self.store.read() as tx:
            if full:
                return await supervised_now(tx), await tx.once_keys(_SUPERVISED)
            stamps = await tx.supervised_stamps(_SUPERVISED)
            ids = self.agenda.to_check(stamps, now)
            clocked = await tx.supervised_among(ids, _SUPERVISED, CLOCK_STARTS)
            return clocked, await tx.once_keys(_SUPERVISED, ids) if ids else set()

    async def sweep(self) -> SweepReport:
        now = self.clock()
        full = self.agenda.wants_full(now)
        clocked, done = await self.to_check(now, full)
        report = SweepReport()
        report.escalated, report.reminded = await self.escalate(now, clocked, done)
        # Only once what they needed was done: a sweep that fails reads them again.
        await asyncio.to_thread(self.agenda.plan, clocked, now, self.config, full)
        report.mediation_reminded = await mediation.remind_due(
            self.store, now, self.config, self.render, working_on
        )
        settled = await followup.ask_due(self.store, now, self.config, self.render)
        report.asked = settled[FollowUpState.ASKED]
        report.unreachable = settled[FollowUpState.UNREACHABLE]
        report.cancelled = settled[FollowUpState.CANCELLED]
        day = briefing.due_day(now, self.config)
        if day is not None:
            report.briefed = await self.brief(day, now)
        screening_day = briefing.due_day(now, self.config, screening.reminder_moment)
        if screening_day is not None and screening_day != self._screening_on:
            report.screening_reminded = await screening.remind(
                self.store, screening_day, now, self.config
            )
            self._screening_on = screening_day
        report.failed = await failures.summarise(self.store, now, self.config)
        today = self.config.work_calendar.local_date(now)
        if self._erased_on != today:
            report.erased, report.erased_sent = await retention.erase_old(
                self.store, now, self.config
            )
            self._erased_on = today
        if (
            report.escalated or report.reminded or report.mediation_reminded or report.asked
            or report.briefed
            or report.screening_reminded or report.failed
        ):
            self.on_outbox()
        self.last_sweep = self.clock()
        return report

    async def brief(self, day: date, now: datetime) -> bool:
        """Send `day`'s briefing unless it went out already, with the backlog as this
        sweep sees it (after its escalations)."""
        async with self.store.read() as tx:
            if await tx.briefing_sent(day.isoformat()):
                return False
            clocked = await supervised_now(tx)
            asked = await time_asked(tx, clocked, self.config)
            unreachable = await unreachable_desk(tx)
            unanswered = iso(now - self.config.followup.unanswered_wait)
            to_close = await tx.awaiting_closure_counts(
                None, None, sorted(CLOSES_ON), unanswered
            )
        overdue = find_overdue(clocked, now, self.config)
        departments = waiting(clocked, overdue, self.config.department_names)
        calendar = self.config.work_calendar
        longest = (
            (overdue[0].ticket, overdue[0].stage.value, overdue[0].late(now, calendar))
            if overdue else None
        )
        backlog = briefing.Backlog.of(
            clocked, len(overdue), asked, unreachable, departments, to_close,
            [iso(o.first_due) for o in overdue], longest,
        )
        return await briefing.send(self.store, day, now, self.config, self.render, backlog)

    async def escalate(
        self, now: datetime, clocked: Sequence[ClockedTicket], done: set[tuple[int, str]]
    ) -> tuple[int, int]:
        """Escalate every breach of `clocked` not on record yet, and remind the holders whose
        deadline draws near not reminded yet (`done`: the once-only keys of the supervised
        tickets): (breaches recorded, holders reminded).  Recorded in one write transaction
        with their notices (`_BATCH` tickets to one), queued most urgent first and one
        message to each person privately (`arrange`)."""
        levels = self.config.supervision.levels
        retagged = retagged_by_ticket(done)
        # Working out every open ticket's deadlines is pure Python, seconds for a province's
        # tens of thousands: in a thread, so messages keep being answered meanwhile.
        found = await asyncio.to_thread(find_overdue, clocked, now, self.config, levels)
        pending: dict[int, Seen | None] = {}
        order: dict[int, Rank] = {}
        for overdue in found:
            limit, number = overdue.ticket.resolve_limit, overdue.ticket.id
            again = retagged.get(number, "")
            due = sendable(overdue.breaches, now, self.config.work_calendar)
            keys = {(number, b.once_key(overdue.since, limit, again)) for b in due}
            if keys <= done:
                continue  # all on record (or held): no write transaction at all
            pending[number] = (stamp_of(overdue.ticket), again)
            order[number] = rank_of(overdue.ticket, overdue.first_due)
        reminders = await asyncio.to_thread(reminders_due, now, self.config, clocked, done)
        for item in clocked:
            moments = reminder_moments(item, self.config) if item.ticket.id in reminders else None
            if moments is not None and item.ticket.id not in order:
                order[item.ticket.id] = rank_of(item.ticket, moments[1])
        # The most urgent batches first; in each, the tickets in id order (two processes'
        # writes take them alike).
        ids = sorted(pending.keys() | reminders.keys(), key=lambda i: order[i])
        recorded = reminded = 0
        for start in range(0, len(ids), _BATCH):
            batch = sorted(ids[start:start + _BATCH])
            async with self.store.write() as tx:
                count, ranked = await escalate_many(
                    tx, [i for i in batch if i in pending], now, self.config, self.notices,
                    pending,
                )
                notes = [
                    await remind_ticket(tx, each, now, self.config, self.render, reminders[each])
                    for each in batch if each in reminders
                ]
                ranked += [(note.rank, note) for note in notes if note is not None]
                await enqueue(tx, self.config, [(m, None) for m in arrange(ranked)], iso(now))
            recorded += count
            reminded += sum(note is not None for note in notes)
        return recorded, reminded

    async def due_moments(self, after: datetime, until: datetime) -> list[datetime]:
        """The moments in (after, until] at which a sweep would find new work: a deadline
        reaching one of its levels, or a follow-up visit falling due; earliest first.

        The console demo's /wait sweeps at each of them, so skipping a day ahead shows
        what a running bot would have sent during that day, level by level, rather than
        the one notice per deadline of a bot that was down all day.  A sweep changes no
        ticket's status or clock, so the moments can all be worked out before the first.
        """
        levels = self.config.supervision.levels
        async with self.store.read() as tx:
            clocked = await supervised_now(tx)
            visits = await tx.due_followups(iso(until), followup.BATCH)
            sessions = mediation.standing(
                await tx.mediation_events(sorted(MEDIATION_ALLOWED))
            )
        moments = {
            breach.due
            for overdue in find_overdue(clocked, until, self.config, levels)
            for breach in overdue.breaches
        }
        # A visit's time as scheduled, or as a sweep would move it (one scheduled before
        # the config's visiting hours changed, say).
        moments.update(followup.visit_time(parse_iso(v.due_at), self.config) for v in visits)
        reminders = (reminder_moments(item, self.config) for item in clocked)
        moments.update(r[0] for r in reminders if r is not None)
        lead = self.config.supervision.mediation_lead
        if lead:
            moments.update(parse_iso(s.at) - lead for s in sessions.values())
        moments.update(briefing.moments_between(after, until, self.config))
        reminders_due = briefing.moments_between(
            after, until, self.config, screening.reminder_moment
        )
        moments.update(reminders_due)
        summary = await failures.summary_due(self.store)
        if summary is not None:
            moments.add(summary)
        return sorted(m for m in moments if after < m <= until)

    async def run(self) -> None:
        """Sweep every `[supervision] interval` until cancelled; a failed sweep is logged
        and the next one tries again (nothing is lost: the work is read from the DB)."""
        pause = self.config.supervision.every.total_seconds()
        while True:
            try:
                report = await self.sweep()
                if report != SweepReport():
                    log.info("supervision sweep: %s", report)
            except Exception:
                log.exception("supervision sweep failed")
            await asyncio.sleep(pause)
