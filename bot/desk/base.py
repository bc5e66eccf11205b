"""What every family of commands at the desk stands on: the ticket a person may open, the
one way a ticket changes status (`DeskBase._move`), and the words that explain a refusal.

The desk is split by command family, one module each (`bot.desk.lookup`, `casework`,
`extend`, `people`, `triage`, `rating`, `figures`); each family is a `DeskBase`, and
`bot.desk.Desk` joins them.  Whatever two families need lives here, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from datetime import datetime

from bot import i18n
from bot.adapters.base import Button, Outbound, plain_name
from bot.clock import parse_iso
from bot.commands import USAGE_NAMES, command_word
from bot.config import Config
from bot.filing import alerted
from bot.privacy import (
    department_said,
    hidden_in,
    holder_said,
    reporter_named,
    residents_read,
    shown_in,
)
from bot.render import Renderer
from bot.supervision import deadlines, liaisons, overdue_among, working_on
from bot.turn import Turn, person_name
from bot.workcal import Span
from bot.workflow import (
    CLOCK_STARTS,
    RETAGGED,
    TRANSITIONS,
    Action,
    Role,
    Stage,
    Status,
    TicketView,
    about_the_desk,
    assists_only,
    can_see,
    dismissal_needs_staff,
    kept_from,
    may_act_on_ticket,
    refused_as_about_the_desk,
    restarts_clock,
)
from classifier import Classifier
from storage.base import ClockedTicket, Keep, PersonRecord, TicketRecord, Tx

LIST_LIMIT = 20

# The replies to routing a case (转办, 协办, 列为重大, and their answers when there is nothing to
# do) that a residents' intake group reads in a neutral form (`DeskBase._routed`): which
# department has a neighbour's case (the police?), who its liaisons are, and that the centre
# counts it major say what it is about.  The neutral forms take {ticket}, {number}, {status}
# and {main}.  Other routing replies only name the department, which becomes 相关部门.
PUBLIC_ROUTING = {
    "dispatched": "routed_public",
    "dispatched_nobody": "routed_public_nobody",
    "already_dispatched_held": "routed_public_already",
    "assist_asked": "assist_public",
    "assist_asked_nobody": "assist_public_nobody",
    "major_marked": "major_public",
    "major_already": "major_public",
    "major_unmarked": "major_public",
    "major_not": "major_public",
    "major_closed": "major_public_closed",
    "merge_carried": "merge_carried_public",
}


@dataclass(frozen=True)
class Scope:
    """Which tickets a list or a figure covers: one area's (None: every area's), those
    handed to one department (转办) now, or those of one area handed to one department;
    `name` says which in a reply (None: every area).  Not `about_the_desk`: less the
    complaints about the desk's own people (作风反映), for a grid worker's figures
    (`bot.workflow.counts_about_the_desk`)."""

    area: str | None
    department: str | None
    name: str | None = None
    about_the_desk: bool = True

    def holds(self, ticket: TicketRecord) -> bool:
        if self.department is not None and ticket.department != self.department:
            return False
        if not self.about_the_desk and about_the_desk(view(ticket)):
            return False
        return self.area in (None, ticket.area)


def view(ticket: TicketRecord) -> TicketView:
    return TicketView(
        ticket.id,
        Status(ticket.status),
        ticket.reporter_id,
        ticket.assignee_id,
        ticket.area,
        ticket.urgency,
        ticket.rules,
        ticket.department,
        ticket.assisting,
    )


async def record_labels(
    tx: Tx, ticket: TicketRecord, actor_id: int | None, action: str, type_: str, urgency: str,
    at: str,
) -> str | None:
    """The history's entry for `ticket`'s new labels (a person's "retag", 改标; the model's
    "typed", from a report told in parts), with those they replace.  At a new urgency, that
    urgency's deadlines run from now on (`RETAGGED`: escalated when missed), and a resolve
    limit granted on the old one lapses, in its kind (working days, or hours): an urgent case
    does not keep 20 working days, nor an ordinary one hours.  Returns the lapsed limit."""
    payload = {"type": type_, "urgency": urgency, "from": f"{ticket.type}/{ticket.urgency}"}
    lapsed = ticket.resolve_limit if urgency != ticket.urgency else None
    if lapsed is not None:
        await tx.set_resolve_limit(ticket.id, None, at)
        payload["lapsed"] = lapsed
    if urgency == ticket.urgency:
        await tx.add_event(ticket.id, actor_id, action, at, payload)
    else:
        await tx.add_event_once(ticket.id, actor_id, action, at, payload, f"{RETAGGED}{at}")
    return lapsed


def split_area(words: str, areas: Mapping[str, str]) -> tuple[str, str | None]:
    """`7d DZ`, `东镇 本月`, `DZ`: the words left for the period, and the code of the area
    the first or the last word names (`areas`: code by word, `Config.area_words`; None if
    neither names one)."""
    parts = words.split()
    for index in dict.fromkeys((len(parts) - 1, 0)) if parts else ():
        if parts[index] in areas:
            return " ".join(parts[:index] + parts[index + 1 :]), areas[parts[index]]
    return words.strip(), None


class DeskBase:
    """The settings and helpers every command family shares."""

    def __init__(
        self,
        renderer: Renderer,
        config: Config,
        classifier: Classifier,
        document_channels: Set[str] = frozenset(),
    ) -> None:
        self.render = renderer
        self.config = config
        self.classifier = classifier
        # Channels whose adapter can send a file (`bot.adapters.base.document_limit`).
        self.document_channels = document_channels
        self.area_names = config.area_names
        self.area_words = config.area_words  # by its code or its name: DZ, 东镇

    async def _visible(self, turn: Turn, number: int | None) -> TicketRecord | None:
        """The ticket if it exists and the actor may see it; otherwise say so (the same
        words either way, so a resident cannot probe which numbers exist).  Locked to the
        end of the message's transaction: what is decided on it is decided on it as it is.
        A worker kept from a report about the desk's own people (作风反映) that they would
        otherwise see is told that staff handle it, not that it does not exist: they may
        have read it in their group."""
        assert number is not None
        ticket = await turn.tx.ticket(number, lock=True)
        if ticket is not None and refused_as_about_the_desk(turn.actor, view(ticket)):
            turn.say("about_the_desk_staff_only", ticket=self.render.label(ticket))
            return None
        if ticket is None or not can_see(turn.actor, view(ticket)):
            turn.say("no_such_ticket", ticket=f"#{number}")
            return None
        return ticket

    def _in_public_group(self, turn: Turn) -> bool:
        """Whether the command came from a residents' intake group, where all read the reply."""
        room = turn.inbound.room
        return not room.is_private and residents_read(self.config, room.channel, room.chat_id)

    def _department_said(self, turn: Turn, code: str) -> str:
        """The department a case went to, as a reply may name it: in a residents' group only
        "a department" (which one says what the case is about, as /status there leaves out)."""
        return department_said(self.config, code, turn.lang, self._in_public_group(turn))

    def _routed(self, turn: Turn, key: str, **fields: object) -> str:
        """The reply `key` to routing a case, as the room may read it: in a residents' group
        its neutral form (`PUBLIC_ROUTING`), or, for one that only names the department (a
        {department} field), with 相关部门 for it; elsewhere as it is."""
        if not self._in_public_group(turn):
            return i18n.t(key, turn.lang, **fields)
        if "department" in fields:
            fields["department"] = i18n.name("department.concerned", turn.lang)
        text = i18n.t(PUBLIC_ROUTING.get(key, key), turn.lang, **fields)
        return text[:1].upper() + text[1:]  # "The department concerned no longer assists…"

    def _lead_said(self, turn: Turn, ticket: TicketRecord) -> str:
        """Who leads a case (`lead_name`), as the reply's room may name it: a department
        only as 相关部门 in a residents' group (`_department_said`)."""
        if ticket.department is not None:
            return self._department_said(turn, ticket.department)
        return self.lead_name(ticket, turn.lang)

    def _hidden(self, turn: Turn, channel: str, chat_id: str) -> bool:
        """Whether what came from `chat_id` is kept out of this reply's room (`hidden_in`)."""
        room = turn.inbound.room
        return hidden_in(self.config, room.channel, room.chat_id, channel, chat_id)

    def _shown(self, turn: Turn, ticket: TicketRecord) -> TicketRecord:
        """The ticket as the reply's room may show it (`bot.privacy.shown_in`)."""
        room = turn.inbound.room
        return shown_in(self.config, room.channel, room.chat_id, ticket, turn.lang)

    def _list_line(self, turn: Turn, ticket: TicketRecord, dated: bool = False) -> str:
        desk = turn.actor.role is not Role.RESIDENT
        line = self.render.list_line(self._shown(turn, ticket), turn.lang, dated, desk)
        # 重大疑难, first to see: the desk's agenda, not a residents' group's (as in /status).
        if ticket.major and turn.actor.role is not Role.RESIDENT and not self._in_public_group(
            turn
        ):
            line = i18n.t("major_flag", turn.lang) + line
        return line + self._handed_to(turn, ticket)

    def _handed_to(self, turn: Turn, ticket: TicketRecord) -> str:
        """（转派出所） after a list's line for a ticket handed to a department; "" for the
        grid's, for a resident (not told where the desk sent it), for a liaison (all
        theirs are their department's) and in a residents' group (which department has a
        case says what it is about, as /status there leaves out)."""
        if ticket.department is None or turn.actor.role in (Role.RESIDENT, Role.LIAISON):
            return ""
        if self._in_public_group(turn):
            return ""
        name = self.config.department_name(ticket.department)
        return i18n.t("dispatched_to", turn.lang, department=name)

    def lead_name(self, ticket: TicketRecord, lang: str | None) -> str:
        """Who leads a case (主办): the department it was handed to, else its area's grid."""
        if ticket.department is not None:
            return self.config.department_name(ticket.department)
        if ticket.area is None:
            return i18n.t("lead_centre", lang)
        area = self.config.area_name(ticket.area)
        if area.endswith("网格"):  # 东镇第一网格 is a grid's name: not …网格网格, …网格's grid
            return area
        return i18n.t("lead_grid", lang, area=area)

    def _tell_each(
        self,
        turn: Turn,
        people: Iterable[PersonRecord],
        ticket: TicketRecord,
        text: Callable[[str], str],
        buttons: Callable[[str], list[Button]] | None = None,
    ) -> None:
        """Tell each of `people` (a department's liaisons: they are not in the group)
        privately about `ticket`, in their language: `text(lang)`, under `buttons(lang)`."""
        for person in people:
            lang = person.lang or self.config.language
            turn.direct(person, text(lang), ticket.id, buttons(lang) if buttons else None)

    async def _tell_assisting(self, turn: Turn, ticket: TicketRecord, outcome: str) -> None:
        """The liaisons of the departments assisting with `ticket` (协办) are told its
        outcome: they worked on it too, and may be asked about it."""
        label = self.render.label(ticket)

        def text(lang: str) -> str:
            return i18n.t("assisted_resolved", lang, ticket=label, text=outcome)

        for code in ticket.assisting:
            self._tell_each(turn, await liaisons(turn.tx, code), ticket, text)

    def _reopened_fields(self, ticket: TicketRecord, lang: str) -> dict[str, str]:
        """What every notice of a reopened ticket names: its label, number and first words
        (to its resolver, its department's liaisons, the departments assisting)."""
        return {
            "ticket": self.render.label(ticket),
            "number": self.render.number(ticket),
            "summary": self.render.summary(ticket, lang),
        }

    @staticmethod
    def _reopened_reason(reason: str, lang: str) -> str:
        """The reporter's words on why, as such a notice quotes them ("" if none)."""
        return i18n.t("reopened_reason", lang, text=reason) if reason else ""

    async def _tell_assisting_reopened(
        self, turn: Turn, ticket: TicketRecord, reason: str
    ) -> None:
        """The liaisons of the departments assisting with a reopened `ticket` are told: they
        were told it was resolved (`_tell_assisting`), and took it for done."""
        def text(lang: str) -> str:
            why, lead = self._reopened_reason(reason, lang), self.lead_name(ticket, lang)
            fields = self._reopened_fields(ticket, lang)
            return i18n.t("assisted_reopened", lang, lead=lead, reason=why, **fields)

        for code in ticket.assisting:
            self._tell_each(turn, await liaisons(turn.tx, code), ticket, text)

    async def _tell_assisting_lead(self, turn: Turn, moved: TicketRecord) -> None:
        """The liaisons of the departments assisting with `moved` (协办) are told, once each,
        that another leads it now (转办 elsewhere, 退回 to the centre, 指派 to the grid or
        another department), and that they go on assisting: they would otherwise ask the old
        lead, or take the case for ended.  Not the new lead's own (its notice said so)."""
        label, number = self.render.label(moved), self.render.number(moved)

        def text(lang: str) -> str:
            return i18n.t(
                "assisted_lead", lang, ticket=label, number=number,
                summary=self.render.summary(moved, lang), lead=self.lead_name(moved, lang),
            )

        told = {turn.person.id}
        for code in moved.assisting:
            if code == moved.department:
                continue  # it leads now (`People._dispatch` ends its assisting)
            people = [p for p in await liaisons(turn.tx, code) if p.id not in told]
            told.update(p.id for p in people)
            self._tell_each(turn, people, moved, text)

    async def _reporter_lang(self, turn: Turn, ticket: TicketRecord) -> str:
        """The language to tell `ticket`'s reporter in: theirs (/lang), else the config's;
        never the sender's, who may read another (the reporter did not choose it)."""
        reporter = await turn.tx.person(ticket.reporter_id)
        return (reporter.lang if reporter else None) or self.config.language

    async def _tell_former_holder(
        self, turn: Turn, ticket: TicketRecord, moved: TicketRecord, to: str | None
    ) -> None:
        """Tell whoever had `ticket` (as it was before the move) that it went to `to`, or
        back to the queue (None): the worker or liaison who held it, who would otherwise
        keep working a case that is no longer theirs and answer for it; or, for a case
        waiting in a department's queue, that department's liaisons, who were asked to take
        it up and whose 认领 would now be refused as "not found"."""
        by, label = turn.actor.name, self.render.label(ticket)
        if ticket.status == Status.CLAIMED:
            former = ticket.assignee_id
            if former in (moved.assignee_id, turn.person.id) or former is None:
                return
            holder = await turn.tx.person(former)
            if holder is not None:
                lang = holder.lang or self.config.language
                text = (
                    i18n.t("taken_from_you", lang, by=by, ticket=label, to=to) if to
                    else i18n.t("returned_from_you", lang, by=by, ticket=label)
                )
                turn.direct(holder, text, ticket.id)
            return
        if ticket.department is None or moved.department == ticket.department:
            return
        department = self.config.department_name(ticket.department)

        def withdrawn(lang: str) -> str:
            return i18n.t(
                "dispatch_withdrawn", lang, by=by, ticket=label, to=to or "?",
                department=department,
            )

        told = [p for p in await liaisons(turn.tx, ticket.department) if p.id != turn.person.id]
        self._tell_each(turn, told, ticket, withdrawn)

    async def _working_on(self, turn: Turn, ticket: TicketRecord) -> list[PersonRecord]:
        """Who is working open `ticket` (`bot.supervision.working_on`)."""
        return await working_on(turn.tx, ticket)

    async def _tell_taken_over(
        self, turn: Turn, ticket: TicketRecord, key: str, text: str = ""
    ) -> None:
        """Staff claimed or resolved `ticket` (as it was before) over whoever was working it:
        the worker or liaison holding it, or, for a case waiting in a department's queue
        (转办), that department's liaisons, are told privately, in their language (`key`:
        {by}, {ticket}, {department}, {text}).  They kept chasing a case the centre had taken
        up or ended, as a reassignment, a merge or a dismissal never left them
        (`_tell_former_holder`).  Not the sender, nor the liaisons when one of their own took
        it up."""
        by, label = turn.actor.name, self.render.label(ticket)
        waiting_with = ticket.department if ticket.assignee_id is None else None
        if waiting_with is not None and self.liaison_area(turn.person) == waiting_with:
            return
        people = await self._working_on(turn, ticket)
        department = self.config.department_name(ticket.department) if ticket.department else ""

        def told(lang: str) -> str:
            said = i18n.t("comment_suffix", lang, text=text) if text else ""
            return i18n.t(key, lang, by=by, ticket=label, department=department, text=said)

        self._tell_each(turn, [p for p in people if p.id != turn.person.id], ticket, told)

    async def _holder_name(
        self, turn: Turn, ticket: TicketRecord, public: bool | None = None,
        lang: str | None = None,
    ) -> str | None:
        """Who holds the ticket, as the reply's room may name them (`holder_said`); `public`:
        whether that room is a residents' group, when it is not the command's own; `lang`:
        the language of the message it goes in, when that is not the sender's."""
        if ticket.assignee_id is None:
            return None
        holder = await turn.tx.person(ticket.assignee_id)
        if holder is None:
            return None
        public = self._in_public_group(turn) if public is None else public
        return holder_said(
            self.config, person_name(holder), holder.role, lang or turn.lang, public
        )

    async def _permitted(self, turn: Turn, action: Action, ticket: TicketRecord) -> bool:
        """Whether `action` may happen to the ticket now, by this person; if not, the reply
        says why (`_move` asks first, and so does a button that asks for words before
        acting, so that a refusal is not the answer to the words it asked for)."""
        label = self.render.label(ticket)
        sources = TRANSITIONS[action][0]
        if assists_only(turn.actor, view(ticket)):  # 协办: the lead claims and resolves
            turn.say("assist_only", ticket=label, lead=self._lead_said(turn, ticket))
            return False
        if ticket.status not in sources:
            if action is not Action.RESOLVE or not self._refused_as_handed_on(turn, ticket):
                await self._refuse(turn, ticket, action)
            return False
        if not may_act_on_ticket(turn.actor, action, view(ticket)):
            holder = await self._holder_name(turn, ticket)
            if kept_from(turn.actor, view(ticket)) and action is not Action.REOPEN:
                turn.say("about_the_desk_staff_only", ticket=label)  # its reporter, a worker
            elif action is Action.DISMISS and dismissal_needs_staff(view(ticket)):
                turn.say("dismiss_staff_only", ticket=label)
            elif action is Action.DISMISS and ticket.department:
                department = self._department_said(turn, ticket.department)
                turn.say("dismiss_dispatched", ticket=label, department=department)
            elif action is Action.RESTORE and ticket.merged_into is not None:
                # Merged, not dismissed: it is handled as part of the case it went into.
                main = await turn.tx.ticket(ticket.merged_into)
                main_label = self.render.label(main) if main else f"#{ticket.merged_into}"
                turn.say(
                    "restore_merged_staff_only", ticket=label, main=main_label,
                    number=self.render.number(ticket),
                )
            elif action is Action.RESTORE:
                turn.say("restore_staff_only", ticket=label)
            elif action is Action.REOPEN and ticket.reporter_id == turn.actor.id:
                # Their own help and the resolution notice offer 重开: the reason is the
                # closing (staff reopen a closed case), not who they are.
                turn.say("reopen_closed_staff_only", ticket=label)
            elif action is Action.REOPEN and turn.actor.role in (Role.GRID_WORKER, Role.LIAISON):
                # Staff reopen a case: the way to them, as a worker's 转办 is told (it was
                # "不能使用「重开」" with no way on).  A closed case takes no more notes.
                key = "reopen_by_staff" if ticket.status == Status.RESOLVED else (
                    "reopen_closed_by_staff"
                )
                turn.say(
                    key, ticket=label, number=self.render.number(ticket),
                    role=i18n.name(f"role.{turn.actor.role}", turn.lang),
                )
            elif action is Action.WITHDRAW:
                turn.say("withdraw_not_reporter", ticket=label)
            elif action is Action.CLAIM and ticket.department:
                department = self._department_said(turn, ticket.department)
                turn.say("claim_dispatched", ticket=label, department=department)
            elif holder and action in (Action.UNCLAIM, Action.RESOLVE, Action.DISMISS):
                turn.say("not_holder", ticket=label, holder=holder)
            else:
                turn.say(
                    "not_allowed",
                    role=i18n.name(f"role.{turn.actor.role}", turn.lang),
                    command=command_word(USAGE_NAMES[action], turn.lang),
                )
            return False
        return True

    async def _refuse_holders_work(
        self, turn: Turn, ticket: TicketRecord, claim_first: str
    ) -> None:
        """Why `turn.actor` may not do the holder's work on `ticket` (延期, 调解): they only
        assist (协办), someone else holds it, it waits with a department
        (`_refused_as_handed_on`), or nobody holds it yet (`claim_first`: the key that says
        to claim it first, with its number)."""
        label = self.render.label(ticket)
        holder = await self._holder_name(turn, ticket)
        if assists_only(turn.actor, view(ticket)):
            turn.say("assist_only", ticket=label, lead=self._lead_said(turn, ticket))
        elif holder:
            turn.say("not_holder", ticket=label, holder=holder)
        elif not self._refused_as_handed_on(turn, ticket):
            turn.say(claim_first, ticket=label, number=self.render.number(ticket))

    def _refused_as_handed_on(self, turn: Turn, ticket: TicketRecord) -> bool:
        """Refuse, saying where it went, the holder's work (办结, 延期) on a ticket waiting in
        a department's queue (转办) from someone who may not take it up there: the grid's
        workers, who still see it.  They were told `当前为「待认领」，不能办结` or to claim it
        first, which they may not: its liaisons do.  False (nothing said) otherwise."""
        claimable = Status(ticket.status) in TRANSITIONS[Action.CLAIM][0]
        if ticket.department is None or not claimable:
            return False
        if may_act_on_ticket(turn.actor, Action.CLAIM, view(ticket)):
            return False
        department = self._department_said(turn, ticket.department)
        turn.say("claim_dispatched", ticket=self.render.label(ticket), department=department)
        return True

    async def _move(
        self,
        turn: Turn,
        action: Action,
        ticket: TicketRecord,
        assignee_id: int | None,
        resolution: str | None = None,
        detail: dict[str, object] | None = None,
        merged_into: int | None = None,
        department: str | None | Keep = Keep.KEEP,
    ) -> TicketRecord | None:
        """Apply a status transition atomically, or explain why it cannot happen.
        `department`: the department it is handled by from now on (转办), None the area's."""
        if not await self._permitted(turn, action, ticket):
            return None
        sources, target = TRANSITIONS[action]
        moved = await turn.tx.transition(
            ticket.id, sorted(sources), target, turn.now, assignee_id, resolution, merged_into,
            department,
        )
        if moved is None:  # someone else moved it first (a ticket read without its lock)
            current = await turn.tx.ticket(ticket.id, lock=True)
            assert current is not None
            await self._refuse(turn, current, action)
            return None
        if restarts_clock(action):
            # A fresh clock gets the config's limits: more time granted for the last round
            # of work (延期) is not carried into the next, nor is how timely it was resolved.
            if moved.resolve_limit is not None:
                await turn.tx.set_resolve_limit(moved.id, None, turn.now)
                detail = {**(detail or {}), "lapsed": moved.resolve_limit}
            if (moved.resolved_late, moved.settled) != (None, None):
                await turn.tx.set_resolution_marks(moved.id, None, None)
            moved = replace(moved, resolve_limit=None, resolved_late=None, settled=None)
        # Ended by the reporter's withdrawal (撤回) stays said of it through its closing, and
        # no longer once reopened: what the acknowledgement, /status and the lists call it.
        withdrawn = action is Action.WITHDRAW or (
            moved.withdrawn and moved.status in (Status.RESOLVED, Status.CLOSED)
        )
        if withdrawn != moved.withdrawn:
            await turn.tx.set_withdrawn(moved.id, withdrawn)
            moved = replace(moved, withdrawn=withdrawn)
        lapsed = self._lapsed_extension(ticket, moved)
        if lapsed is not None:
            # Moved to a department (or back to the grid) with other limits: more time was
            # granted on the old one's, as a retag's, and is no measure of the new one's (a
            # grid given a department's 5 working days plus 3 would be chased at 8, not 15).
            await turn.tx.set_resolve_limit(moved.id, None, turn.now)
            moved = replace(moved, resolve_limit=None)
            detail = {**(detail or {}), "lapsed": lapsed}
        payload: dict[str, object] = {"from": ticket.status, "to": moved.status, **(detail or {})}
        if resolution:  # unless the detail has its own words (a merge's reason)
            payload.setdefault("text", resolution)
        await turn.tx.add_event(ticket.id, turn.person.id, action.value, turn.now, payload)
        if moved.department != ticket.department:
            await self._tell_assisting_lead(turn, moved)
        if (moved.status, moved.assignee_id) != (ticket.status, ticket.assignee_id):
            # What the acknowledgement shows changed.
            await self.refresh_ack(turn, moved)
        elif moved.department != ticket.department:
            # Handed on unclaimed (转办), or sent back to the centre (退回): where it stands
            # is as it was, but its buttons follow who works it (`ack_buttons`: none while a
            # department leads it, whose liaisons claim it from their notices), at once, not
            # at its next change, while the group's workers pressed 认领 only to be refused.
            # Nothing for the reporter to hear: the edit has no news, and one of the same
            # words goes as its buttons alone (`Tx.enqueue`), which WeChat does not send.
            await self.refresh_ack(turn, moved, news=False)
        return moved

    def _lapsed_extension(self, before: TicketRecord, after: TicketRecord) -> str | None:
        """The resolve limit staff granted `before` (延期) when `after` is handled where the
        limits are others (`[departments.sla]`): it lapses, as on a retag to another urgency;
        None if none was granted or it still stands."""
        if after.resolve_limit is None or after.department == before.department:
            return None
        old = self.config.sla_for(before.department).resolve_limit(before.urgency)
        new = self.config.sla_for(after.department).resolve_limit(after.urgency)
        return after.resolve_limit if old != new else None

    async def _case_told(
        self, turn: Turn, ticket: TicketRecord
    ) -> Callable[[str], dict[str, str]]:
        """What a department's liaison is told of a case handed to it or asked of it (转办,
        协办), in a language: where, what and how urgent ({case}), who reported it
        ({reporter}, whom they will contact; the name `/ticket` shows them, 匿名反映人 for an
        anonymous report: `bot.privacy.reporter_named`) and their words
        ({text}), as the grid's notice of a new report gives them.  The area was missing,
        and a county's police station could not tell which village "3栋2单元" was in."""
        reporter = await turn.tx.person(ticket.reporter_id)
        name = person_name(reporter) if reporter is not None else "?"

        def fields(lang: str) -> dict[str, str]:
            case = i18n.t(
                "department_case", lang, area=self.config.area_name(ticket.area),
                type=self.render.type_text(ticket, lang, desk=True),
                urgency=i18n.urgency_label(ticket.urgency, lang),
            )
            said = reporter_named(name, ticket.anonymous, Role.LIAISON, lang)
            return {"case": case, "reporter": said, "text": ticket.text[:500]}

        return fields

    def _kept_private(self, ticket: TicketRecord, lang: str) -> str:
        """The line that tells a department's liaison, handed or asked to assist with a
        report made one to one (私下反映), to keep its reporter out of their inquiries, as
        the grid's and the staff room's notices of it say; "" for any other."""
        if not self.config.privately_reported(ticket.channel, ticket.chat_id):
            return ""
        return "\n" + i18n.t("department_private_report", lang)

    async def _tell_department(
        self, turn: Turn, ticket: TicketRecord, reason: str, told: int | None = None
    ) -> None:
        """A department's reopened ticket is back in its queue: its liaisons are told, as
        when it was handed to them, with the reporter's words on why (`reason`), which the
        grid's workers read in the group (a department's people are not in it).  `told`:
        a liaison told already, with those words (the one who resolved it, of a 不满意)."""
        if ticket.department is None:
            return
        department = self.config.department_name(ticket.department)

        def text(lang: str) -> str:
            why, fields = self._reopened_reason(reason, lang), self._reopened_fields(ticket, lang)
            return i18n.t("reopened_department", lang, reason=why, department=department, **fields)

        people = [p for p in await liaisons(turn.tx, ticket.department) if p.id != told]
        self._tell_each(turn, people, ticket, text)

    async def _refuse(self, turn: Turn, ticket: TicketRecord, action: Action) -> None:
        """Explain why `action` cannot happen in the ticket's current status."""
        label = self.render.label(ticket)
        if action is Action.CLAIM and ticket.status == Status.CLAIMED and (
            ticket.assignee_id == turn.person.id
        ):
            # A double tap on 认领 is two presses: the second told the worker who now holds
            # it, in front of the group, that their claim had failed.
            turn.say("already_yours", ticket=label)
        elif action is Action.CLAIM and ticket.status == Status.CLAIMED:
            holder = await self._holder_name(turn, ticket)
            turn.say("already_claimed", ticket=label, holder=holder or "?")
        else:
            self._cannot(turn, label, ticket, action)

    @staticmethod
    def _cannot(turn: Turn, label: str, ticket: TicketRecord, action: Action) -> None:
        turn.say(
            "bad_transition",
            ticket=label,
            status=Renderer.status_name(ticket, turn.lang),
            action=i18n.name(f"action.{action}", turn.lang),
        )

    async def refresh_ack(self, turn: Turn, ticket: TicketRecord, news: bool = True) -> None:
        """Edit the acknowledgement in the group so it shows the ticket as it is now: who
        holds it, its status, its type and urgency, and the buttons for it.  `news`: False
        when where it stands is as the reporter last heard (news "", `Outbound.news`)."""
        ack_id = await turn.tx.sent_reply_for_ticket(ticket.id, "ack")
        if ack_id is None:
            return
        # In the reporter's language, not the sender's: a worker reading English who claimed
        # a report turned a Chinese reporter's acknowledgement into English.
        lang = await self._reporter_lang(turn, ticket)
        public = residents_read(self.config, ticket.channel, ticket.chat_id)
        holder = await self._holder_name(turn, ticket, public, lang)
        private = self.config.privately_reported(ticket.channel, ticket.chat_id)
        turn.edit(
            ack_id,
            Outbound(
                ticket.channel,
                ticket.chat_id,
                self.render.ack(
                    ticket, lang, holder, private, await alerted(turn.tx, self.config, ticket),
                    public,
                ),
                buttons=self.render.ack_buttons(ticket, lang, private),
                ticket_id=ticket.id,
                news=self.render.ack_news(ticket, lang, holder) if news else "",
            ),
        )

    def liaison_area(self, person: PersonRecord) -> str | None:
        """The department a ticket is handled by once `person` holds it: a liaison's own
        (their area is its code), None (the area's) for anyone else."""
        return person.area if person.role == Role.LIAISON else None

    def _named_scope(self, turn: Turn, word: str) -> tuple[str | None, str | None] | None:
        """(area, department code) that staff's `word` names, for /queue, /overdue and the
        resolved tickets waiting to be closed (待结案): a department or an area, by its code
        or name; None once the reply has said it names neither."""
        department = self.config.find_department(word)
        if department is not None:
            return None, department.code
        if word in self.area_words:
            return self.area_words[word], None
        turn.say("bad_area", value=word[:20], choices=self._area_choices(turn))
        return None

    def _scope_name(self, turn: Turn, area: str | None, department: str | None) -> str:
        """What a list's header calls its scope: a department's name, an area's, or 全部网格."""
        if department is not None:
            return self.config.department_name(department)
        return self.area_names.get(area, area) if area else i18n.t("all_areas", turn.lang)

    def _area_choices(self, turn: Turn, visible: Callable[[str], bool] = lambda _: True) -> str:
        """The codes a reader may name, each with its area's name: DZ（东镇第一网格）."""
        return self._choices(turn, ((a.code, a.name) for a in self.config.areas if visible(a.code)))

    def _department_choices(self, turn: Turn) -> str:
        """The departments a reader may name, each by its name first, as staff think of them,
        then its code: 派出所（PCS） (it was PCS（派出所））."""
        if not self.config.departments:
            return i18n.t("no_departments", turn.lang)
        return self._choices(turn, self.config.department_names.items(), "department_choice")

    @staticmethod
    def _choices(turn: Turn, named: Iterable[tuple[str, str]], key: str = "area_choice") -> str:
        """Codes with their names, as a reply lists them: DZ（东镇第一网格）、XC（西村网格）."""
        return i18n.joined(
            (i18n.t(key, turn.lang, code=code, name=name) for code, name in named), turn.lang
        )

    async def _find_person(
        self, turn: Turn, query: str, or_department: bool = False
    ) -> PersonRecord | None:
        """The one person `query` names: by their account id if one has it (an id is
        theirs alone, while anybody may take a display name, a worker's included), else by
        display name if only one has that.  `or_department`: a department would have done
        too (转办 12 人社局), so a name matching nobody is told which departments there are."""
        # A name as it was stored (`plain_name`): "【物业】王经理" is kept as "[物业]王经理".
        found = await turn.tx.find_people(turn.person.channel, plain_name(query))
        by_id = [p for p in found if p.user_id == query.removeprefix("@")]
        found = by_id or found
        if not found and or_department and self.config.departments:
            turn.say("unknown_assignee", name=query, departments=self._department_choices(turn))
            return None
        if not found:
            turn.say("unknown_person", name=query)
            return None
        if len(found) > 1:
            turn.say("ambiguous_person", name=query)
            return None
        return found[0]

    async def _tell_holder_or_staff(
        self, turn: Turn, about: TicketRecord, key: str, urgent: bool = False,
        quoted: str = "", **params: str
    ) -> None:
        """Message `key` privately to the worker holding `about`, in their language; to the
        staff chat, in the desk's, when nobody holds it.  `quoted`: someone's words, put in
        the `comment` field in the reader's quotation marks (：「…」, or : "…")."""
        holder = await turn.tx.person(about.assignee_id) if about.assignee_id else None

        def text(lang: str) -> str:
            comment = i18n.t("comment_suffix", lang, text=quoted) if quoted else ""
            return i18n.t(key, lang, comment=comment, **params)

        if holder is not None:
            turn.direct(holder, text(holder.lang or self.config.language), about.id)
        else:
            turn.to_staff(self.config, text(self.config.language), about.id, urgent=urgent)

    async def _late_by(
        self, turn: Turn, tickets: Sequence[TicketRecord], lang: str
    ) -> dict[int, str]:
        """How far past a deadline each of `tickets` is now, as `督办` finds them
        (`bot.supervision.overdue_among`), in `lang`'s words ("2个工作日"), by id; those in
        time are left out."""
        now, calendar = parse_iso(turn.now), self.config.work_calendar
        found = await overdue_among(turn.tx, tickets, now, self.config)
        return {
            number: self.render.duration(item.late(now, calendar), lang)
            for number, item in found.items()
        }

    async def _deadlines(
        self, turn: Turn, ticket: TicketRecord
    ) -> list[tuple[Stage, datetime, Span]]:
        """`ticket`'s deadlines running now, on its clock (`bot.supervision.deadlines`)."""
        clocked = await turn.tx.supervised_ticket(ticket.id, CLOCK_STARTS)
        if clocked is None:
            return []
        return deadlines(ClockedTicket(ticket, clocked.since), self.config)
