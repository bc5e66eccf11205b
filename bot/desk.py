"""Carrying out commands: the desk where claims, notes and resolutions are recorded.

Every handler asks `bot.workflow` whether the actor may act, changes the ticket through
one conditional update (so two workers cannot both win a claim), appends an event, and
queues what people should be told.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Collection, Mapping, Set
from dataclasses import replace
from datetime import datetime

from bot import extension, followup, i18n
from bot.adapters.base import Outbound
from bot.clock import iso, parse_iso
from bot.commands import (
    RATINGS,
    USAGE_NAMES,
    Command,
    CommandError,
    extension_of,
    merge_target,
    search_terms,
)
from bot.config import Config, format_limit
from bot.export import LedgerRequest
from bot.filing import Report, as_a_report, file_ticket, resident_area
from bot.ledger import Format, xlsx_available
from bot.period import Period, PeriodError, parse_period
from bot.privacy import hidden_in, shown_in
from bot.render import Renderer, clip
from bot.stats import render_stats
from bot.supervision import deadlines, find_overdue, limits, supervised_now
from bot.turn import Turn, person_name
from bot.workcal import Span, exceeds
from bot.workflow import (
    CLOCK_STARTS,
    EXTENDABLE,
    NOTE_ALLOWED,
    RATEABLE_FOLLOWUP,
    RATEABLE_TICKET,
    TRANSITIONS,
    Action,
    FollowUpState,
    Rating,
    Role,
    Stage,
    Status,
    TicketView,
    can_see,
    chooses_own_area,
    dismissal_needs_staff,
    files_as_reported,
    grants_extension,
    may,
    may_act_on_ticket,
    may_export_ledger,
    may_see_stats,
    merge_refusal,
    rating_reopens,
    reopening,
    restarts_clock,
    search_scope,
    stats_scope,
    withdrawal_needs_a_worker,
)
from bot.workload import loads, render_workload
from classifier import NOT_A_REPORT, Classifier
from classifier.taxonomy import TYPES, URGENCIES, type_from_words, urgency_from_words
from storage.base import ClockedTicket, InboundRecord, PersonRecord, TicketRecord, TicketSearch

LIST_LIMIT = 20
# Logged messages /unfiled lists and /file may file: taken for chatter, or held back by the
# hourly limit on one resident's reports (`bot.pipeline`).
UNFILED = ("chatter", "held")
# Words one search may take (each must occur in a ticket it finds).
SEARCH_TERMS_LIMIT = 5
# How the corpus labels chatter (classifier/data): a dismissal is stored as that example.
CHATTER_URGENCY = "low"
# A word with a letter in it (any script) may be meant as an area; "30" or "2026-13" not.
_LETTER = re.compile(r"[^\W\d_]")
# /export's format words, and words asking for what it will not do (a format it cannot
# make, numbers in full), each answered by name rather than as a bad period.
EXPORT_FORMATS: dict[str, Format] = {"csv": "csv", "xlsx": "xlsx", "excel": "xlsx"}
OTHER_FORMATS = frozenset(
    {"xls", "pdf", "doc", "docx", "txt", "tsv", "json", "html", "ods", "wps", "et", "zip"}
)
UNMASKED_WORDS = frozenset({"unmasked", "--unmasked", "明文", "不打码", "完整号码"})


def view(ticket: TicketRecord) -> TicketView:
    return TicketView(
        ticket.id,
        Status(ticket.status),
        ticket.reporter_id,
        ticket.assignee_id,
        ticket.area,
        ticket.urgency,
        ticket.rules,
    )


def split_area(words: str, areas: Collection[str]) -> tuple[str, str | None]:
    """`7d DZ`, `DZ 本月`, `DZ`: the words left for the period, and the area whose code is
    the first or the last word (None if neither is one)."""
    parts = words.split()
    for index in dict.fromkeys((len(parts) - 1, 0)) if parts else ():
        if parts[index] in areas:
            return " ".join(parts[:index] + parts[index + 1 :]), parts[index]
    return words.strip(), None


# The most tickets one /handover moves (a worker holds a few dozen at most); the rest, if
# ever, by sending it again.
HANDOVER_MAX = 500


class Desk:
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
        self.area_names = {a.code: a.name for a in config.areas}
        self._handlers: dict[Action, Callable[[Turn, Command], Awaitable[None]]] = {
            Action.HELP: self.help,
            Action.STATUS: self.status,
            Action.MINE: self.mine,
            Action.QUEUE: self.queue,
            Action.CLAIM: self.claim,
            Action.UNCLAIM: self.unclaim,
            Action.NOTE: self.note,
            Action.RESOLVE: self.resolve,
            Action.CLOSE: self.close,
            Action.REOPEN: self.reopen,
            Action.TICKET: self.ticket,
            Action.ASSIGN: self.assign,
            Action.GRANT: self.grant,
            Action.RETAG: self.retag,
            Action.LANG: self.lang,
            Action.UNFILED: self.unfiled,
            Action.FILE: self.file,
            Action.OVERDUE: self.overdue,
            Action.RATE: self.rate,
            Action.STATS: self.stats,
            Action.DISMISS: self.dismiss,
            Action.WITHDRAW: self.withdraw,
            Action.EXPORT: self.export,
            Action.SEARCH: self.search,
            Action.WORKLOAD: self.workload,
            Action.MERGE: self.merge,
            Action.AREA: self.area,
            Action.EXTEND: self.extend,
            Action.HANDOVER: self.handover,
        }

    async def run(self, turn: Turn, command: Command) -> None:
        if not may(turn.actor.role, command.action):
            refusal = i18n.t(
                "not_allowed", turn.lang,
                role=i18n.name(f"role.{turn.actor.role}", turn.lang),
                command=f"/{USAGE_NAMES[command.action]}",
            )
            if command.action is Action.ASSIGN and turn.actor.role is Role.GRID_WORKER:
                # A worker who wants to pass a ticket on is told the way that is theirs.
                ticket = str(command.ticket) if command.ticket else "N"
                refusal += "\n" + i18n.t("assign_by_staff", turn.lang, ticket=ticket)
            turn.reply(refusal)
            return
        await self._handlers[command.action](turn, command)

    # helpers ------------------------------------------------------------------------
    async def _visible(self, turn: Turn, number: int | None) -> TicketRecord | None:
        """The ticket if it exists and the actor may see it; otherwise say so (the same
        words either way, so a resident cannot probe which numbers exist)."""
        assert number is not None
        ticket = await turn.tx.ticket(number)
        if ticket is None or not can_see(turn.actor, view(ticket)):
            turn.say("no_such_ticket", ticket=f"#{number}")
            return None
        return ticket

    def _in_public_group(self, turn: Turn) -> bool:
        """Whether the command came from a residents' intake group, where all read the reply."""
        room = turn.inbound.room
        return not room.is_private and self.config.is_public_group(room.channel, room.chat_id)

    def _hidden(self, turn: Turn, channel: str, chat_id: str) -> bool:
        """Whether what came from `chat_id` is kept out of this reply's room (`hidden_in`)."""
        room = turn.inbound.room
        return hidden_in(self.config, room.channel, room.chat_id, channel, chat_id)

    def _shown(self, turn: Turn, ticket: TicketRecord) -> TicketRecord:
        """The ticket as the reply's room may show it (`bot.privacy.shown_in`)."""
        room = turn.inbound.room
        return shown_in(self.config, room.channel, room.chat_id, ticket, turn.lang)

    def _list_line(self, turn: Turn, ticket: TicketRecord, dated: bool = False) -> str:
        return self.render.list_line(self._shown(turn, ticket), turn.lang, dated)

    async def _reporter_lang(self, turn: Turn, ticket: TicketRecord, default: str) -> str:
        """The language to tell `ticket`'s reporter in: theirs (/lang), else `default`."""
        reporter = await turn.tx.person(ticket.reporter_id)
        return (reporter.lang if reporter else None) or default

    async def _holder_name(self, turn: Turn, ticket: TicketRecord) -> str | None:
        if ticket.assignee_id is None:
            return None
        holder = await turn.tx.person(ticket.assignee_id)
        return person_name(holder) if holder else None

    async def _move(
        self,
        turn: Turn,
        action: Action,
        ticket: TicketRecord,
        assignee_id: int | None,
        resolution: str | None = None,
        detail: dict[str, object] | None = None,
        merged_into: int | None = None,
    ) -> TicketRecord | None:
        """Apply a status transition atomically, or explain why it cannot happen."""
        label = self.render.label(ticket)
        sources, target = TRANSITIONS[action]
        if ticket.status not in sources:
            await self._refuse(turn, ticket, action)
            return None
        if not may_act_on_ticket(turn.actor, action, view(ticket)):
            holder = await self._holder_name(turn, ticket)
            if action is Action.DISMISS and dismissal_needs_staff(view(ticket)):
                turn.say("dismiss_staff_only", ticket=label)
            elif action is Action.RESTORE:
                turn.say("restore_staff_only", ticket=label)
            elif action is Action.WITHDRAW:
                turn.say("withdraw_not_reporter", ticket=label)
            elif holder and action in (Action.UNCLAIM, Action.RESOLVE, Action.DISMISS):
                turn.say("not_holder", ticket=label, holder=holder)
            else:
                turn.say(
                    "not_allowed",
                    role=i18n.name(f"role.{turn.actor.role}", turn.lang),
                    command=f"/{USAGE_NAMES[action]}",
                )
            return None
        moved = await turn.tx.transition(
            ticket.id, sorted(sources), target, turn.now, assignee_id, resolution, merged_into
        )
        if moved is None:  # someone else moved it first (only possible across processes)
            current = await turn.tx.ticket(ticket.id)
            assert current is not None
            await self._refuse(turn, current, action)
            return None
        if restarts_clock(action):
            # A fresh clock gets the config's limits: more time granted for the last round
            # of work (延期) is not carried into the next, nor is how timely it was resolved.
            if moved.resolve_limit is not None:
                await turn.tx.set_resolve_limit(moved.id, None, turn.now)
            if moved.resolved_late is not None:
                await turn.tx.set_resolved_late(moved.id, None)
            moved = replace(moved, resolve_limit=None, resolved_late=None)
        payload: dict[str, object] = {"from": ticket.status, "to": moved.status, **(detail or {})}
        if resolution:  # unless the detail has its own words (a merge's reason)
            payload.setdefault("text", resolution)
        await turn.tx.add_event(ticket.id, turn.person.id, action.value, turn.now, payload)
        await self.refresh_ack(turn, moved)
        return moved

    async def _refuse(self, turn: Turn, ticket: TicketRecord, action: Action) -> None:
        """Explain why `action` cannot happen in the ticket's current status."""
        label = self.render.label(ticket)
        if action is Action.CLAIM and ticket.status == Status.CLAIMED:
            holder = await self._holder_name(turn, ticket)
            turn.say("already_claimed", ticket=label, holder=holder or "?")
        else:
            self._cannot(turn, label, ticket.status, action)

    @staticmethod
    def _cannot(turn: Turn, label: str, status: str, action: Action) -> None:
        turn.say(
            "bad_transition",
            ticket=label,
            status=i18n.name(f"status.{status}", turn.lang),
            action=i18n.name(f"action.{action}", turn.lang),
        )

    async def refresh_ack(self, turn: Turn, ticket: TicketRecord) -> None:
        """Edit the acknowledgement in the group so it shows the ticket as it is now: who
        holds it, its status, its type and urgency."""
        ack_id = await turn.tx.sent_reply_for_ticket(ticket.id, "ack")
        if ack_id is None:
            return
        lang = await self._reporter_lang(turn, ticket, turn.lang)
        holder = await self._holder_name(turn, ticket)
        private = self.config.privately_reported(ticket.channel, ticket.chat_id)
        turn.edit(
            ack_id,
            Outbound(
                ticket.channel,
                ticket.chat_id,
                self.render.ack(ticket, lang, holder, private),
                buttons=self.render.ack_buttons(ticket, lang, private),
                ticket_id=ticket.id,
            ),
        )

    def _area_choices(self, turn: Turn, visible: Callable[[str], bool] = lambda _: True) -> str:
        """The codes a reader may name, each with its area's name: DZ（东镇第一网格）."""
        return i18n.t("area_sep", turn.lang).join(
            i18n.t("area_choice", turn.lang, code=area.code, name=area.name)
            for area in self.config.areas
            if visible(area.code)
        )

    async def _find_person(self, turn: Turn, query: str) -> PersonRecord | None:
        found = await turn.tx.find_people(turn.person.channel, query)
        if not found:
            turn.say("unknown_person", name=query)
            return None
        if len(found) > 1:
            turn.say("ambiguous_person", name=query)
            return None
        return found[0]

    # handlers -----------------------------------------------------------------------
    async def help(self, turn: Turn, command: Command) -> None:
        room = turn.inbound.room
        here = room.is_private and self.config.intake_group(
            room.channel, room.chat_id, room.is_private
        ) is not None
        private = self.config.intake.private_reports and self.config.privately_reported(
            room.channel, turn.person.user_id  # a person's private chat id is their user id
        )
        turn.reply(i18n.help_text(turn.actor.role, turn.lang, here, private))

    async def status(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        if self._hidden(turn, ticket.channel, ticket.chat_id):  # its type and risks, too
            turn.say("private_ticket_here", ticket=self.render.label(ticket))
            return
        public = self._in_public_group(turn)
        holder = await self._holder_name(turn, ticket)
        text = self.render.status(ticket, turn.lang, holder, public)
        turn.reply(text + await self._merged_line(turn, ticket))

    async def _merged_line(self, turn: Turn, ticket: TicketRecord) -> str:
        """For a merged ticket, where its event is handled and how far that has got, with
        the outcome once there is one: its reporter cannot open the other ticket, and this
        is all of it they are told (not its report, nor who made it)."""
        main = await turn.tx.ticket(ticket.merged_into) if ticket.merged_into else None
        if main is None:
            return ""
        state = i18n.name(f"status.{main.status}", turn.lang)
        text = "\n" + i18n.t("merged_line", turn.lang, main=self.render.label(main), status=state)
        if main.resolution and main.status in RATEABLE_TICKET:
            text += "\n" + i18n.t("status_resolution", turn.lang, text=main.resolution)
        return text

    async def mine(self, turn: Turn, command: Command) -> None:
        lines: list[str] = []
        if turn.actor.role is not Role.RESIDENT:
            held = await turn.tx.tickets_held_by(turn.person.id, LIST_LIMIT)
            if held:
                lines.append(i18n.t("mine_held", turn.lang))
                lines += [self._list_line(turn, t) for t in held]
        reported = await turn.tx.tickets_reported_by(turn.person.id, LIST_LIMIT)
        if reported:
            lines.append(i18n.t("mine_reported", turn.lang))
            lines += [self._list_line(turn, t) for t in reported]
        turn.reply("\n".join(lines) if lines else i18n.t("mine_empty", turn.lang))

    async def queue(self, turn: Turn, command: Command) -> None:
        area = turn.actor.area
        if command.args and turn.actor.role in (Role.STAFF, Role.ADMIN):
            area = command.args.split()[0]
        tickets = await turn.tx.queue(area, LIST_LIMIT)
        if not tickets:
            turn.say("queue_empty")
            return
        area_text = self.area_names.get(area, area) if area else i18n.t("all_areas", turn.lang)
        lines = [i18n.t("queue_header", turn.lang, area=area_text)]
        turn.reply("\n".join(lines + [self._list_line(turn, t) for t in tickets]))

    async def overdue(self, turn: Turn, command: Command) -> None:
        """Tickets past a deadline now (level 1 or beyond, escalated yet or not), most
        overdue first; staff may name an area."""
        area = command.args.split()[0] if command.args else None
        if area is not None and area not in self.area_names:
            turn.say("bad_area", value=area[:20], choices=self._area_choices(turn))
            return
        now = parse_iso(turn.now)
        clocked = [c for c in await supervised_now(turn.tx) if area in (None, c.ticket.area)]
        found = find_overdue(clocked, now, self.config)
        if not found:
            turn.say("overdue_empty")
            return
        area_text = self.area_names[area] if area else i18n.t("all_areas", turn.lang)
        lines = [i18n.t("overdue_header", turn.lang, area=area_text, count=len(found))]
        for item in found[:LIST_LIMIT]:
            lines.append(
                self.render.overdue_line(
                    self._shown(turn, item.ticket),
                    item.stage,
                    item.late(now, self.config.work_calendar),
                    item.waited(now, self.config.work_calendar),
                    await self._holder_name(turn, item.ticket),
                    turn.lang,
                )
            )
        if len(found) > LIST_LIMIT:
            lines.append(i18n.t("overdue_more", turn.lang, count=len(found) - LIST_LIMIT))
        turn.reply("\n".join(lines))

    async def search(self, turn: Turn, command: Command) -> None:
        """Tickets with every word in them, newest first: "查找 3栋 漏水", "查找 13812345678",
        "查找 张大妈 DZ".  With 26,000 cases in three years a ticket number is rarely at
        hand when a resident phones about "the leak at block 3"; the desk finds it by what
        was said, in the report, its outcome, its notes and additions, or the reporter's name.
        Only what the searcher may open (`bot.workflow.search_scope`)."""
        words, area = split_area(command.args, self.area_names)
        terms = search_terms(words)
        if not terms:
            turn.say("usage", usage=i18n.USAGE["search"])
            return
        if len(terms) > SEARCH_TERMS_LIMIT:
            turn.say("search_too_many", limit=SEARCH_TERMS_LIMIT)
            return
        scope = search_scope(turn.actor, area)
        if scope is None:
            turn.say("search_own_area", area=self.config.area_name(turn.actor.area))
            return
        found = await turn.tx.search_tickets(
            TicketSearch(terms, scope.area, scope.or_person, LIST_LIMIT + 1)
        )
        # The scope is `can_see` written as SQL; this keeps a slip there from showing a ticket.
        found = [t for t in found if can_see(turn.actor, view(t))]
        # A private report's words are not found where they would be read out either.
        found = [t for t in found if not self._hidden(turn, t.channel, t.chat_id)]
        shown = "、".join(terms) if turn.lang != "en" else " ".join(terms)
        where = self.config.area_name(scope.area) if scope.area else i18n.t("all_areas", turn.lang)
        if scope.or_person is not None:  # a grid worker's own cases elsewhere are found too
            where += i18n.t("search_own_cases", turn.lang)
        if not found:
            turn.say("search_empty", terms=shown, area=where)
            return
        lines = [i18n.t("search_header", turn.lang, terms=shown, area=where)]
        lines += [self._list_line(turn, t, dated=True) for t in found[:LIST_LIMIT]]
        if len(found) > LIST_LIMIT:
            lines.append(i18n.t("search_more", turn.lang, count=LIST_LIMIT))
        turn.reply("\n".join(lines))

    async def claim(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if ticket and await self._move(turn, Action.CLAIM, ticket, turn.person.id):
            turn.say("claimed", ticket=self.render.label(ticket), name=turn.actor.name)

    async def unclaim(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if ticket and await self._move(turn, Action.UNCLAIM, ticket, None):
            turn.say("unclaimed", ticket=self.render.label(ticket))

    async def resolve(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        if not command.args:
            # Typed without an outcome, or the Resolve button: ask for the outcome, which
            # the reporter will be told.
            turn.say("resolve_prompt", number=self.render.number(ticket))
            return
        # 按期办结: on time or late against the resolve deadline in force (an extension too),
        # kept on the ticket (/stats, the ledger) and on this resolution (/workload).
        deadlines = await self._deadlines(turn, ticket)
        due = [when for stage, when, _ in deadlines if stage is Stage.RESOLVE]
        late = bool(due) and parse_iso(turn.now) >= due[0]
        moved = await self._move(
            turn, Action.RESOLVE, ticket, ticket.assignee_id, command.args, detail={"late": late}
        )
        if not moved:
            return
        await turn.tx.set_resolved_late(moved.id, late)
        lang = await self._reporter_lang(turn, ticket, turn.lang)
        label, number = self.render.label(ticket), self.render.number(ticket)
        notice = i18n.t("resolved_reporter", lang, ticket=label, number=number, text=command.args)
        room = turn.inbound.room
        if (room.channel, room.chat_id) != (ticket.channel, ticket.chat_id):
            turn.say("resolved", ticket=label, text=command.args)
        turn.to_ticket_chat(moved, notice, kind="resolved")
        merged = await self._tell_merged(turn, moved, command.args)
        for resolved in (moved, *merged):  # each reporter is visited, after their notice
            asked = await followup.schedule(turn.tx, resolved, turn.now, self.config, self.render)
            turn.outgoing += [(m, None) for m in asked]

    async def _tell_merged(
        self, turn: Turn, main: TicketRecord, outcome: str
    ) -> list[TicketRecord]:
        """The reporters of the tickets merged into `main` (并案) are told its outcome, each
        under their own ticket's number, where they reported it; those tickets.  Not one of
        main's own reporter's (their pictures sent before the words, or a report made twice):
        they are told, and visited, once."""
        merged = [
            ticket
            for ticket in await turn.tx.merged_tickets(main.id)
            if ticket.reporter_id != main.reporter_id
        ]
        for ticket in merged:
            lang = await self._reporter_lang(turn, ticket, self.config.language)
            notice = i18n.t(
                "merged_resolved_reporter", lang, ticket=self.render.label(ticket),
                main=self.render.label(main), text=outcome,
            )
            turn.to_ticket_chat(ticket, notice, kind="resolved")
        return merged

    async def close(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if ticket and await self._move(turn, Action.CLOSE, ticket, ticket.assignee_id):
            turn.say("closed", ticket=self.render.label(ticket))

    async def reopen(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if ticket and reopening(Status(ticket.status)) is Action.RESTORE:
            await self._restore(turn, ticket, command.args)
        elif ticket and await self._move(turn, Action.REOPEN, ticket, None, None):
            if command.args:
                await turn.tx.add_event(
                    ticket.id, turn.person.id, "note", turn.now, {"text": command.args}
                )
            turn.say("reopened", ticket=self.render.label(ticket))

    async def dismiss(self, turn: Turn, command: Command) -> None:
        """Withdraw a ticket that is not a report after all (group chatter the classifier
        filed): out of the queue, supervision and /overdue, no follow-up visit, counted
        apart by /stats.  The group's acknowledgement is edited to say so, and that is
        all the group sees; the "reporter" reported nothing, so nobody tells them
        privately.  The text becomes a training example labelled as chatter, as /retag
        would store it: the desk's corrections are what retraining learns from."""
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        merged = await turn.tx.merged_tickets(ticket.id)
        if merged and ticket.status in TRANSITIONS[Action.DISMISS][0]:
            numbers = "、".join(self.render.label(t) for t in merged)
            turn.say("dismiss_has_merged", ticket=self.render.label(ticket), merged=numbers)
            return
        reason: dict[str, object] | None = {"text": command.args} if command.args else None
        if not await self._move(turn, Action.DISMISS, ticket, None, detail=reason):
            return
        await turn.tx.add_training_example(
            ticket.id, ticket.text, NOT_A_REPORT, CHATTER_URGENCY, turn.person.id, turn.now
        )
        turn.say("dismissed", ticket=self.render.label(ticket), number=self.render.number(ticket))

    async def withdraw(self, turn: Turn, command: Command) -> None:
        """The reporter takes their report back: "撤回 1 我们两家自己协商好了".  The case ends
        as resolved with their words as its outcome (no follow-up visit: there is nothing to
        rate), and the worker holding it is told privately, so nobody keeps chasing a
        settled dispute.  An urgent or safety-flagged ticket stays open: the withdrawal is
        recorded and the desk told, and a worker checks before resolving it
        (`bot.workflow.withdrawal_needs_a_worker`)."""
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        label, reason = self.render.label(ticket), command.args.strip()
        lang = self.config.language
        comment = i18n.t("comment_suffix", lang, text=reason) if reason else ""
        merged_in = bool(await turn.tx.merged_tickets(ticket.id))
        if ticket.status in TRANSITIONS[Action.WITHDRAW][0] and withdrawal_needs_a_worker(
            view(ticket), merged_in
        ) and may_act_on_ticket(turn.actor, Action.WITHDRAW, view(ticket)):
            await turn.tx.add_event(
                ticket.id, turn.person.id, "withdraw_request", turn.now,
                {"text": reason} if reason else {},
            )
            turn.say("withdraw_checked", ticket=label)
            await self._tell_holder_or_staff(
                turn, ticket, "withdraw_request_notice", urgent=True, ticket=label, comment=comment
            )
            return
        outcome = i18n.t("withdrawn_outcome", lang, text=reason) if reason else i18n.t(
            "withdrawn_outcome_bare", lang
        )
        moved = await self._move(turn, Action.WITHDRAW, ticket, ticket.assignee_id, outcome)
        if not moved:
            return
        turn.say("withdrawn", ticket=label, number=self.render.number(ticket))
        if ticket.assignee_id is not None:
            await self._tell_holder_or_staff(
                turn, ticket, "withdrawn_notice", ticket=label, comment=comment
            )

    async def merge(self, turn: Turn, command: Command) -> None:
        """"并案 12 7": ticket 12 tells again the event ticket 7 is about (five neighbours, one
        fire), so it is handled as part of 7.  Each report was filed and acknowledged; now 12
        leaves the queue and supervision (its deadlines would escalate a case the desk is
        already on), is counted once in /stats, and its reporter is told where it went and,
        when 7 is resolved, the outcome.  `bot.workflow.merge_refusal` says what may go where;
        /reopen on 12 undoes it."""
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        try:
            number, reason = merge_target(command.args)
        except CommandError as error:
            if error.key == "usage":
                turn.say("usage", usage=i18n.USAGE["merge"])
            else:
                turn.say(error.key, **error.params)
            return
        main = await self._visible(turn, number)
        if not main:
            return
        label, main_label = self.render.label(ticket), self.render.label(main)
        refusal = merge_refusal(view(ticket), view(main))
        if refusal is not None:
            turn.say(
                refusal, ticket=label, main=main_label,
                status=i18n.name(f"status.{main.status}", turn.lang),
                urgency=i18n.urgency_label(ticket.urgency, turn.lang, short=True),
                main_urgency=i18n.urgency_label(main.urgency, turn.lang, short=True),
            )
            return
        lang = self.config.language
        detail: dict[str, object] = {"label": main_label, "into": main.id, "text": reason}
        outcome = i18n.t("merged_outcome", lang, main=main_label)
        moved = await self._move(
            turn, Action.MERGE, ticket, None, outcome, detail=detail, merged_into=main.id
        )
        if not moved:
            return
        await turn.tx.add_event(
            main.id, turn.person.id, "merge_in", turn.now, {"label": label, "ticket": ticket.id}
        )
        turn.say("merged", ticket=label, main=main_label, number=self.render.number(ticket))
        reporter_lang = await self._reporter_lang(turn, ticket, lang)
        if main.status == Status.RESOLVED and main.resolution:
            notice = i18n.t(
                "merged_reporter_resolved", reporter_lang, ticket=label, main=main_label,
                text=main.resolution,
            )
        else:
            notice = i18n.t(
                "merged_reporter", reporter_lang, ticket=label, main=main_label,
                number=self.render.number(ticket),
            )
        turn.to_ticket_chat(moved, notice, kind="merged")
        if main.status == Status.RESOLVED and moved.reporter_id != main.reporter_id:
            # Its reporter is visited as the case's were (its own reporter already is).
            asked = await followup.schedule(turn.tx, moved, turn.now, self.config, self.render)
            turn.outgoing += [(m, None) for m in asked]
        if ticket.assignee_id is not None and ticket.assignee_id != turn.person.id:
            await self._tell_holder_or_staff(
                turn, ticket, "merged_holder_notice", ticket=label, main=main_label
            )

    async def extend(self, turn: Turn, command: Command) -> None:
        """"延期 12 10个工作日 需做伤情鉴定": more time to resolve.  Staff grant it: the
        ticket's resolve limit becomes its current one plus that, supervision escalates
        against the new deadline, and the worker holding it is told.  The worker holding
        it asks: the staff room gets the request, with a button that grants it.  A reopened
        ticket starts again on the config's limits (`Desk._move`)."""
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        try:
            asked = extension_of(command.args)
        except CommandError as error:
            turn.say(error.key, **error.params, number=self.render.number(ticket))
            return
        label = self.render.label(ticket)
        if ticket.status not in EXTENDABLE:
            self._cannot(turn, label, ticket.status, Action.EXTEND)
            return
        if not may_act_on_ticket(turn.actor, Action.EXTEND, view(ticket)):
            holder = await self._holder_name(turn, ticket)
            if holder:
                turn.say("not_holder", ticket=label, holder=holder)
            else:
                turn.say("extend_claim_first", ticket=label, number=self.render.number(ticket))
            return
        if asked.span is None:
            await self._decline_extension(turn, ticket, asked.reason)
            return
        limit = limits(self.config, ticket)[Stage.RESOLVE]
        longer = extension.lengthen(limit, asked)
        refused = extension.refusal(limit, longer, asked)
        if refused is not None:
            turn.say(
                refused, ticket=label, number=self.render.number(ticket),
                limit=self.render.duration(limit, turn.lang),
                longer=self.render.duration(longer, turn.lang) if longer else "",
            )
            return
        assert longer is not None  # refusal() names why whenever it is None
        more = exceeds(longer, limit)
        if grants_extension(turn.actor.role):
            await self._grant_extension(turn, ticket, more, longer, asked.reason)
        else:
            await self._ask_for_extension(turn, ticket, more, limit, longer, asked.reason)

    async def _grant_extension(
        self, turn: Turn, ticket: TicketRecord, more: Span, longer: Span, reason: str
    ) -> None:
        stored = format_limit(longer)
        await turn.tx.set_resolve_limit(ticket.id, stored, turn.now)
        payload = {"by": format_limit(more), "limit": stored}
        if reason:
            payload["text"] = reason
        await turn.tx.add_event(ticket.id, turn.person.id, "extend", turn.now, payload)
        extended = replace(ticket, resolve_limit=stored)
        deadlines = await self._deadlines(turn, extended)
        due = next(when for stage, when, _ in deadlines if stage is Stage.RESOLVE)

        def told(key: str, lang: str | None) -> str:
            return i18n.t(
                key, lang, ticket=self.render.label(ticket), name=turn.actor.name,
                number=self.render.number(ticket),
                by=self.render.duration(more, lang), limit=self.render.duration(longer, lang),
                due=self.render.local_time(iso(due)),
            )

        turn.reply(told("extended", turn.lang))
        holder = await turn.tx.person(ticket.assignee_id) if ticket.assignee_id else None
        if holder is not None and holder.id != turn.person.id:
            turn.direct(holder, told("extended_holder", holder.lang or self.config.language))
        # The reporter is told the wait will be longer (延期告知), where they reported it:
        # not why (staff's words may name people), only when to expect an outcome.
        reporter = await turn.tx.person(ticket.reporter_id)
        if reporter is not None and files_as_reported(Role(reporter.role)):
            notice = told("extended_reporter", reporter.lang or self.config.language)
            turn.to_ticket_chat(ticket, notice, kind="extended")

    async def _decline_extension(self, turn: Turn, ticket: TicketRecord, reason: str) -> None:
        """"不同意延期 12 [why]": staff say no to the request waiting; the worker who asked is
        told, and the escalations stop repeating it (`bot.extension.pending_request`)."""
        label = self.render.label(ticket)
        if not grants_extension(turn.actor.role):
            turn.say("extend_decline_by_staff", ticket=label)
            return
        clocked = await turn.tx.supervised_ticket(ticket.id, CLOCK_STARTS)
        events = await turn.tx.events(ticket.id)
        request = extension.pending_request(events, clocked.since) if clocked else None
        if request is None:
            turn.say("extend_none_waiting", ticket=label)
            return
        payload = {"text": reason} if reason else {}
        await turn.tx.add_event(ticket.id, turn.person.id, "extend_declined", turn.now, payload)
        asker = await turn.tx.person(request.actor_id) if request.actor_id else None
        turn.say("extend_declined", ticket=label, name=person_name(asker) if asker else "")
        if asker is not None:
            lang = asker.lang or self.config.language
            why = i18n.t("comment_suffix", lang, text=reason) if reason else ""
            text = i18n.t(
                "extend_declined_holder", lang, ticket=label, name=turn.actor.name, reason=why
            )
            turn.direct(asker, text, ticket.id)

    async def _ask_for_extension(
        self,
        turn: Turn,
        ticket: TicketRecord,
        more: Span,
        limit: Span,
        longer: Span,
        reason: str,
    ) -> None:
        by, until = format_limit(more), format_limit(longer)
        payload = {"by": by}
        if reason:
            payload["text"] = reason
        await turn.tx.add_event(ticket.id, turn.person.id, "extend_request", turn.now, payload)
        lang, number = self.config.language, self.render.number(ticket)
        notice = i18n.t(
            "extend_request_staff", lang, ticket=self.render.label(ticket),
            area=self.config.area_name(ticket.area), name=turn.actor.name,
            by=self.render.duration(more, lang), limit=self.render.duration(limit, lang),
            reason=i18n.t("comment_suffix", lang, text=reason) if reason else "",
            number=number, until=self.render.duration(longer, lang), until_code=until,
        )
        turn.say(
            "extend_requested", ticket=self.render.label(ticket),
            by=self.render.duration(more, turn.lang),
        )
        buttons = extension.buttons(number, longer, lang)
        # Where supervision reports (the staff chat by default): the deadline is theirs.
        turn.outgoing += [
            (
                Outbound(
                    room.channel, room.chat_id, notice, buttons=buttons, ticket_id=ticket.id,
                    kind="staff",
                ),
                None,
            )
            for room in self.config.notify_rooms
        ]

    async def _tell_holder_or_staff(
        self, turn: Turn, about: TicketRecord, key: str, urgent: bool = False, **params: str
    ) -> None:
        """Message `key` privately to the worker holding `about`, in their language; to the
        staff chat, in the desk's, when nobody holds it."""
        holder = await turn.tx.person(about.assignee_id) if about.assignee_id else None
        if holder is not None:
            lang = holder.lang or self.config.language
            turn.direct(holder, i18n.t(key, lang, **params), about.id)
        else:
            text = i18n.t(key, self.config.language, **params)
            turn.to_staff(self.config, text, about.id, urgent=urgent)

    async def _restore(self, turn: Turn, ticket: TicketRecord, reason: str) -> None:
        """/reopen of a dismissed ticket: staff bring it back to the queue as it came in,
        its deadlines counting from its filing (`bot.workflow.reopening`).  The training
        example its dismissal stored is withdrawn: the desk now says it is a report."""
        detail: dict[str, object] | None = {"text": reason} if reason else None
        if await self._move(turn, Action.RESTORE, ticket, None, detail=detail):
            await turn.tx.withdraw_training_examples(ticket.id, NOT_A_REPORT)
            turn.say("restored", ticket=self.render.label(ticket))

    async def note(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        if ticket.status not in NOTE_ALLOWED:
            self._cannot(turn, self.render.label(ticket), ticket.status, Action.NOTE)
            return
        await turn.tx.add_event(ticket.id, turn.person.id, "note", turn.now, {"text": command.args})
        turn.say("noted", ticket=self.render.label(ticket))

    async def ticket(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        if self._hidden(turn, ticket.channel, ticket.chat_id):  # its whole history, read out
            turn.say("private_ticket_here", ticket=self.render.label(ticket))
            return
        lines = [
            i18n.t("history_header", turn.lang, ticket=self.render.label(ticket)),
            self.render.status(ticket, turn.lang, await self._holder_name(turn, ticket)),
        ]
        department = self.config.department_for(ticket.type)
        if department and ticket.status != Status.DISMISSED:
            lines.append(i18n.t("department_line", turn.lang, department=department))
        lines += await self._deadline_lines(turn, ticket)
        lines += [self.render.history_line(e, turn.lang) for e in await turn.tx.events(ticket.id)]
        attachments = await turn.tx.attachments(ticket.id)
        if attachments:
            items = ", ".join(f"{a.kind}:{a.ref}" for a in attachments)
            lines.append(i18n.t("attachments_line", turn.lang, items=items))
        turn.reply("\n".join(lines))

    async def _deadline_lines(self, turn: Turn, ticket: TicketRecord) -> list[str]:
        """When an open ticket must be claimed and resolved by, as supervision counts it: the
        worker reading its history sees the deadline before it is escalated."""
        lines = []
        for stage, due, limit in await self._deadlines(turn, ticket):
            extended = stage is Stage.RESOLVE and ticket.resolve_limit is not None
            lines.append(
                i18n.t(
                    f"deadline_{stage}", turn.lang, due=self.render.local_time(iso(due)),
                    limit=self.render.duration(limit, turn.lang),
                    extended=i18n.t("deadline_extended", turn.lang) if extended else "",
                )
            )
        return lines

    async def _deadlines(
        self, turn: Turn, ticket: TicketRecord
    ) -> list[tuple[Stage, datetime, Span]]:
        """`ticket`'s deadlines running now, on its clock (`bot.supervision.deadlines`)."""
        clocked = await turn.tx.supervised_ticket(ticket.id, CLOCK_STARTS)
        if clocked is None:
            return []
        return deadlines(ClockedTicket(ticket, clocked.since), self.config)

    async def assign(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        worker = await self._find_person(turn, command.args.split()[0])
        if not worker:
            return
        if worker.role == Role.RESIDENT:
            turn.say("assignee_not_worker", name=person_name(worker))
            return
        name = person_name(worker)
        if ticket.assignee_id == worker.id and ticket.status == Status.CLAIMED:
            # Already theirs: a second notice would read as a second task.
            turn.say("already_assigned", ticket=self.render.label(ticket), name=name)
            return
        if await self._move(turn, Action.ASSIGN, ticket, worker.id, detail={"assignee": name}):
            label = self.render.label(ticket)
            turn.say("assigned", ticket=label, name=person_name(worker))
            notice = i18n.t(
                "assigned_notice",
                worker.lang or turn.lang,
                by=turn.actor.name,
                ticket=label,
                text=ticket.text[:200],
            )
            turn.direct(worker, notice, ticket.id)

    async def handover(self, turn: Turn, command: Command) -> None:
        """"转交全部 张三 李四": every ticket 张三 holds goes to 李四, each as an assignment (its
        history says so, its acknowledgement is edited, its deadlines run on).  For a worker
        who leaves, goes on leave or moves; 李四 is told once, with the list."""
        names = command.args.split()
        if len(names) != 2:
            turn.say("usage", usage=i18n.USAGE["handover"])
            return
        giver = await self._find_person(turn, names[0])
        taker = await self._find_person(turn, names[1]) if giver else None
        if giver is None or taker is None:
            return
        if taker.role == Role.RESIDENT:
            turn.say("assignee_not_worker", name=person_name(taker))
            return
        if taker.id == giver.id:
            turn.say("handover_same", name=person_name(giver))
            return
        held = await turn.tx.tickets_held_by(giver.id, HANDOVER_MAX)
        moved = [
            ticket
            for ticket in held
            if await self._move(
                turn, Action.ASSIGN, ticket, taker.id,
                detail={"assignee": person_name(taker), "via": "handover"},
            )
        ]
        if not moved:
            turn.say("handover_none", name=person_name(giver))
            return
        labels = "、".join(self.render.label(t) for t in moved)
        turn.say(
            "handed_over", count=len(moved), giver=person_name(giver),
            taker=person_name(taker), tickets=labels,
        )
        lang = taker.lang or self.config.language
        notice = i18n.t(
            "handed_over_notice", lang, by=turn.actor.name, giver=person_name(giver),
            count=len(moved), tickets=labels,
        )
        turn.direct(taker, notice)

    async def area(self, turn: Turn, command: Command) -> None:
        """"网格 DZ": a resident chooses their grid, where what they report one to one is filed
        (私下反映, and every conversation on WeChat, which has no groups to tell it by).
        "网格" alone says which it is and lists the codes.  A worker is told theirs is set
        by an admin: it decides what they see."""
        if not chooses_own_area(turn.actor.role):
            turn.say("area_by_admin", area=self.config.area_name(turn.actor.area) or "-")
            return
        code = command.args.strip()
        choices = self._area_choices(turn)
        if not code:
            mine = turn.actor.area
            if mine is None and len(self.config.areas) == 1:  # nothing to choose
                mine = self.config.areas[0].code
            key = "area_yours" if mine else "area_none"
            turn.say(key, area=self.config.area_name(mine), choices=choices)
            return
        if code not in self.area_names:
            turn.say("bad_area", value=code[:20], choices=choices)
            return
        await turn.tx.set_role(turn.person.id, turn.person.role, code)
        turn.say("area_set", area=self.area_names[code])

    async def grant(self, turn: Turn, command: Command) -> None:
        parts = command.args.split()
        if len(parts) < 2:
            turn.say("usage", usage=i18n.USAGE["grant"])
            return
        choices = ", ".join(r.value for r in Role)
        if parts[1] not in {r.value for r in Role}:
            turn.say("bad_role", role=parts[1], choices=choices)
            return
        area = parts[2] if len(parts) > 2 else None
        if area is not None and area not in self.area_names:
            turn.say("bad_area", value=area[:20], choices=self._area_choices(turn))
            return
        person = await self._find_person(turn, parts[0])
        if person and parts[1] == Role.RESIDENT:
            held = await turn.tx.tickets_held_by(person.id, HANDOVER_MAX)
            if held:
                # A resident holds nothing: the tickets would sit with nobody to work them.
                turn.say(
                    "grant_holds_tickets", name=person_name(person), count=len(held),
                    tickets="、".join(self.render.label(t) for t in held[:10]),
                )
                return
        if person:
            await turn.tx.set_role(person.id, parts[1], area)
            granted = await turn.tx.person(person.id)
            assert granted is not None
            turn.say(
                "granted",
                name=person_name(person),
                role=i18n.name(f"role.{parts[1]}", turn.lang),
                area=self._granted_area(turn, Role(parts[1]), granted.area),
            )

    def _granted_area(self, turn: Turn, role: Role, area: str | None) -> str:
        """The area a /grant leaves the person with, said in the reply: without an area in
        the command they keep the one they had (a resident's chosen grid, say), and a grid
        worker with none sees every area's tickets.  Staff and admins see all anyway."""
        if role in (Role.STAFF, Role.ADMIN):
            return ""
        if area is None:
            return i18n.t("granted_no_area", turn.lang) if role is Role.GRID_WORKER else ""
        return i18n.t("granted_area", turn.lang, area=self.config.area_name(area))

    async def retag(self, turn: Turn, command: Command) -> None:
        parts = command.args.split()
        if len(parts) != 2:
            turn.say("usage", usage=i18n.USAGE["retag"])
            return
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        # Staff type what they read: the labels of the acknowledgement, or the codes.
        type_, urgency = type_from_words(parts[0]), urgency_from_words(parts[1])
        if type_ is None:
            turn.say("bad_label", value=parts[0], choices=self._label_choices(turn, TYPES))
            return
        if urgency is None:
            turn.say("bad_label", value=parts[1], choices=self._label_choices(turn, URGENCIES))
            return
        await turn.tx.retag(ticket.id, type_, urgency, turn.now)
        await turn.tx.add_training_example(
            ticket.id, ticket.text, type_, urgency, turn.person.id, turn.now
        )
        await turn.tx.add_event(
            ticket.id,
            turn.person.id,
            "retag",
            turn.now,
            {"type": type_, "urgency": urgency, "from": f"{ticket.type}/{ticket.urgency}"},
        )
        if self._hidden(turn, ticket.channel, ticket.chat_id):
            # A private report's labels (婚姻家庭｜紧急 …) are not for the residents' group.
            turn.say("retagged_private", ticket=self.render.label(ticket))
        else:
            turn.say(
                "retagged",
                ticket=self.render.label(ticket),
                type=i18n.type_label(type_, turn.lang),
                urgency=i18n.urgency_label(urgency, turn.lang),
            )
        # The group's acknowledgement names the type and urgency: it says the corrected ones
        # (it used to keep 待人工研判 until the next claim or release edited it).
        retagged = await turn.tx.ticket(ticket.id)
        assert retagged is not None
        await self.refresh_ack(turn, retagged)

    @staticmethod
    def _label_choices(turn: Turn, labels: Mapping[str, tuple[str, str]]) -> str:
        """The labels /retag takes, as the reader knows them: 邻里纠纷（neighbour）…"""
        if i18n.lang_index(turn.lang) == 0:
            return "、".join(f"{zh}（{code}）" for code, (zh, _) in labels.items())
        return ", ".join(labels)

    async def rate(self, turn: Turn, command: Command) -> None:
        """The reporter's answer to a follow-up visit: once per resolution; 不满意 reopens
        a resolved ticket (the reporter's /reopen) and tells staff either way."""
        if command.ticket is None:
            await self._rate_unnumbered(turn, command)
            return
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        label, number = self.render.label(ticket), self.render.number(ticket)
        word, _, comment = command.args.partition(" ")
        rating = RATINGS.get(word.lower())
        if rating is None:
            turn.say("bad_rating", number=number)
            return
        if not may_act_on_ticket(turn.actor, Action.RATE, view(ticket)):
            turn.say("rate_not_reporter", ticket=label)
            return
        visit = await turn.tx.latest_followup(ticket.id)
        if visit is not None and visit.state == FollowUpState.RATED:
            self._rated_already(turn, ticket, rating, visit.rating)
            return
        case = await followup.case_of(turn.tx, ticket)  # a merged ticket's: where it went
        if case.status not in RATEABLE_TICKET:
            self._cannot(turn, self.render.label(case), case.status, Action.RATE)
            return
        if visit is None or visit.state not in RATEABLE_FOLLOWUP:
            turn.say("rate_not_open", ticket=label)
            return
        states = sorted(RATEABLE_FOLLOWUP)
        if not await turn.tx.rate_followup(visit.id, states, rating.value, turn.now):
            # A second answer handled at the same moment (another process) won.
            winner = await turn.tx.latest_followup(ticket.id)
            self._rated_already(turn, ticket, rating, winner.rating if winner else None)
            return
        comment = comment.strip()
        payload = {"rating": rating.value, **({"text": comment} if comment else {})}
        await turn.tx.add_event(ticket.id, turn.person.id, "rate", turn.now, payload)
        if rating is not Rating.UNSATISFIED:
            turn.say("rate_thanks", ticket=label, rating=i18n.name(f"rating.{rating}", turn.lang))
            return
        holder = await turn.tx.person(case.assignee_id) if case.assignee_id else None
        reopened = (
            case.id == ticket.id
            and rating_reopens(rating, turn.actor, view(ticket))
            and bool(await self._move(turn, Action.REOPEN, ticket, None, detail={"via": "rate"}))
        )
        turn.say("rate_reopened" if reopened else "rate_flagged", ticket=label)
        notices = followup.unsatisfied_notices(
            ticket, case, turn.person, holder, comment, reopened, self.config, self.render
        )
        turn.outgoing += [(m, None) for m in notices]

    async def _rate_unnumbered(self, turn: Turn, command: Command) -> None:
        """A bare "满意": the answer to the one visit waiting for the sender's rating.  With
        several, they are asked which; with none, in a group it is talk like any other (no
        reply), in a private chat they are told there is nothing to rate."""
        waiting = await turn.tx.tickets_awaiting_rating(
            turn.person.id, sorted(RATEABLE_TICKET), sorted(RATEABLE_FOLLOWUP), limit=5
        )
        if len(waiting) == 1:
            number = waiting[0].id
            await self.rate(turn, Command(Action.RATE, number, command.args))
        elif waiting:
            rating = i18n.name(f"rating.{command.args.partition(' ')[0]}", turn.lang)
            turn.say(
                "rate_which",
                tickets="、".join(self.render.label(t) for t in waiting),
                rating=rating,
                number=self.render.number(waiting[0]),
            )
        elif turn.inbound.room.is_private:
            turn.say("rate_nothing_waiting")

    def _rated_already(
        self, turn: Turn, ticket: TicketRecord, answer: Rating, rating: str | None
    ) -> None:
        """One rating per resolution; a second 不满意 still means "not solved", so the reporter
        is told the way to say so that counts (重开), where they may use it."""
        text = i18n.t(
            "rate_already", turn.lang,
            ticket=self.render.label(ticket), rating=i18n.name(f"rating.{rating}", turn.lang),
        )
        if answer is Rating.UNSATISFIED and may_act_on_ticket(
            turn.actor, Action.REOPEN, view(ticket)
        ):
            text += "\n" + i18n.t("rate_reopen_hint", turn.lang, number=self.render.number(ticket))
        turn.reply(text)

    async def lang(self, turn: Turn, command: Command) -> None:
        choice = command.args.split()[0].lower()
        if choice not in i18n.LANGUAGES:
            turn.say("bad_language")
            return
        await turn.tx.set_lang(turn.person.id, choice)
        turn.lang = choice
        turn.say("lang_set")

    async def stats(self, turn: Turn, command: Command) -> None:
        """Counts and medians for the tickets received in a period (default 30 days), of
        the area named by its code (as /queue and /overdue take it), else of every area —
        or of a grid worker's own: `bot.workflow` says whose figures a person may see."""
        asked = self._figures_asked(turn, command, "stats")
        if asked is None:
            return
        period, area = asked
        found = await turn.tx.ticket_stats(*period.bounds(), area=area)
        name = self.config.area_name(area) if area else None
        turn.reply(render_stats(found, period, self.render.zone, turn.lang, name))

    def _figures_asked(
        self, turn: Turn, command: Command, usage: str
    ) -> tuple[Period, str | None] | None:
        """The period and area (None: every area) a request for figures names, the area
        defaulting to the asker's scope; or None, the asker told why not (a period the bot
        does not know, another area's figures for a grid worker)."""
        words, area = split_area(command.args, self.area_names)
        try:
            period = parse_period(words, parse_iso(turn.now), self.render.zone)
        except PeriodError:
            self._bad_period_words(turn, words, usage)
            return None
        area = area or stats_scope(turn.actor)
        if not may_see_stats(turn.actor, area):
            turn.say("stats_own_area", area=self.config.area_name(turn.actor.area))
            return None
        return period, area

    async def workload(self, turn: Turn, command: Command) -> None:
        """Each grid worker's cases in an area (or all): held now, overdue now, resolved in
        a period (default 30 days) and how fast (`bot.workload`).  Whose figures a person
        may see is /stats' rule: a grid worker their own area's."""
        asked = self._figures_asked(turn, command, "workload")
        if asked is None:
            return
        period, area = asked
        resolutions = await turn.tx.resolutions(*period.bounds(), area=area)
        open_tickets = [
            c for c in await supervised_now(turn.tx) if area in (None, c.ticket.area)
        ]
        overdue = find_overdue(open_tickets, parse_iso(turn.now), self.config)
        workers = [
            p for p in await turn.tx.people_with_role(Role.GRID_WORKER.value)
            if area is None or p.area in (None, area)
        ]
        names = {p.id: person_name(p) for p in workers}
        others = {c.ticket.assignee_id for c in open_tickets} | {r.worker_id for r in resolutions}
        for person_id in sorted(i for i in others if i is not None and i not in names):
            person = await turn.tx.person(person_id)
            if person is not None:
                names[person_id] = person_name(person)
        unclaimed = [c for c in open_tickets if c.ticket.status != Status.CLAIMED]
        late = sum(o.ticket.status != Status.CLAIMED for o in overdue)
        text = render_workload(
            loads(names, open_tickets, overdue, resolutions),
            len(unclaimed),
            late,
            period,
            self.render.zone,
            turn.lang,
            self.config.area_name(area) if area else None,
        )
        turn.reply(text)

    def _bad_period_words(
        self,
        turn: Turn,
        words: str,
        command: str = "stats",
        neither: str = "bad_stats_word",
        may_see: Callable[[str], bool] | None = None,
    ) -> None:
        """Name what is wrong: a word in an area's place that is no area's code (when the
        rest is a period), a word that is neither (`neither`), or the period."""
        parts = words.split()
        visible = may_see or (lambda code: may_see_stats(turn.actor, code))
        choices = self._area_choices(turn, visible)
        for index in dict.fromkeys((len(parts) - 1, 0)) if len(parts) > 1 else ():
            rest = " ".join(parts[:index] + parts[index + 1 :])
            if _LETTER.search(parts[index]) and self._is_period(turn, rest):
                turn.say("bad_area", value=parts[index][:20], choices=choices)
                return
        if len(parts) == 1 and _LETTER.search(parts[0]):
            usage = i18n.USAGE[command]
            turn.say(neither, value=parts[0][:20], usage=usage, choices=choices)
            return
        turn.say("bad_period", value=words[:40], usage=i18n.USAGE[command])

    async def export(self, turn: Turn, command: Command) -> None:
        """The ledger (台账) of a period (default 30 days), of an area named by its code or
        of every area (a grid worker: their own), as a CSV or XLSX file.

        It is sent only in a private chat, to the person who asked: in a group every
        member would get residents' names, words and (masked) numbers.  Asked in a group,
        it goes to the asker's private chat if the bot may write there (Telegram lets a
        bot write first only to someone who has written to it one to one), and the group
        is told just that; otherwise they are asked to write privately first.  Masked
        always (`bot.workflow.may_export_ledger` says why).  The file itself is made when
        the reply is delivered (`bot.export`); here the request is checked and queued."""
        fmt: Format = "csv"
        rest: list[str] = []
        for word in command.args.split():
            low = word.lower()
            if low in UNMASKED_WORDS:
                turn.say("export_unmasked")
                return
            if low in EXPORT_FORMATS:
                fmt = EXPORT_FORMATS[low]
            elif low.lstrip(".") in OTHER_FORMATS:
                turn.say("bad_export_format", value=word[:20])
                return
            else:
                rest.append(word)
        words, area = split_area(" ".join(rest), self.area_names)
        try:
            period = parse_period(words, parse_iso(turn.now), self.render.zone)
        except PeriodError:

            def visible(code: str) -> bool:
                return may_export_ledger(turn.actor, code)

            self._bad_period_words(turn, words, "export", "bad_export_word", visible)
            return
        area = area or stats_scope(turn.actor)
        if not may_export_ledger(turn.actor, area):
            turn.say("export_own_area", area=self.config.area_name(turn.actor.area))
            return
        channel = turn.person.channel
        if channel not in self.document_channels:
            turn.say("export_no_files", channel=i18n.name(f"channel.{channel}", turn.lang))
            return
        if fmt == "xlsx" and not xlsx_available():
            turn.say("export_no_xlsx")
            return
        first, last = period.describe(self.render.zone)
        request = LedgerRequest(*period.bounds(), first, last, area, fmt, turn.lang)
        about = {"scope": request.scope(self.config), "first": first, "last": last}
        caption = i18n.t("export_queued", turn.lang, **about)
        if turn.inbound.room.is_private:
            turn.say("export_coming", format=fmt.upper(), **about)
            turn.send_document(request.document(), caption)
        elif await turn.tx.has_private_chat(channel, turn.person.user_id):
            turn.say("export_sent_privately", **about)
            turn.send_document(request.document(), caption, to=turn.person)
        else:
            words = f" {command.args}" if command.args else ""
            turn.say("export_private_only", words=words[:60])

    def _is_period(self, turn: Turn, words: str) -> bool:
        try:
            parse_period(words, parse_iso(turn.now), self.render.zone)
        except PeriodError:
            return False
        return True

    # chatter the classifier kept out of the queue -----------------------------------
    async def _area_of(self, turn: Turn, message: InboundRecord) -> str | None:
        """The area a logged message was sent to, as the pipeline would have filed it: its
        group's; on a "*" intake point (every private chat on a channel: only messages from
        intake rooms are logged as chatter or held) the sender's chosen grid, else the
        point's; for a private report (私下反映) the sender's (`filing.resident_area`)."""
        group = self.config.intake_group(message.channel, message.chat_id, private=True)
        if group is None and not self.config.privately_reported(message.channel, message.chat_id):
            return None
        sender = await turn.tx.person(message.sender_id)
        if sender is None or not chooses_own_area(Role(sender.role)):
            return group.area if group is not None else None
        return await resident_area(turn.tx, self.config, sender, message.channel, group)

    async def _in_my_area(self, turn: Turn, message: InboundRecord) -> bool:
        """Whether the worker may list or file the message: in their area, and, asked in a
        residents' group, not sent privately (its words would be read out there)."""
        if self._hidden(turn, message.channel, message.chat_id):
            return False
        area = await self._area_of(turn, message)
        if area is None:
            return False
        return turn.actor.role in (Role.STAFF, Role.ADMIN) or turn.actor.area in (None, area)

    async def unfiled(self, turn: Turn, command: Command) -> None:
        logged = await turn.tx.messages_with_disposition(UNFILED, 200)
        mine = [m for m in logged if await self._in_my_area(turn, m)][:LIST_LIMIT]
        if not mine:
            turn.say("unfiled_empty")
            return
        lines = [i18n.t("unfiled_header", turn.lang)]
        for m in mine:
            text = clip(m.text, 40)
            lines.append(
                i18n.t(
                    "unfiled_line",
                    turn.lang,
                    number=m.id,
                    time=self.render.local_time(m.received_at),
                    sender=m.sender_name,
                    flag=i18n.t("unfiled_held_flag", turn.lang) if m.disposition == "held" else "",
                    text=text,
                )
            )
        turn.reply("\n".join(lines))

    async def file(self, turn: Turn, command: Command) -> None:
        """File a logged group message as a ticket after all (the classifier was wrong)."""
        assert command.ticket is not None
        message = await turn.tx.inbound_message(command.ticket)
        area = await self._area_of(turn, message) if message else None
        if (
            message is None
            or area is None
            or message.disposition not in UNFILED
            or not await self._in_my_area(turn, message)
        ):
            turn.say("no_such_message", number=str(command.ticket))
            return
        reporter = await turn.tx.person(message.sender_id)
        assert reporter is not None
        # Classified inline: a rare, deliberate command, and one message costs milliseconds.
        classification = as_a_report(self.classifier.classify(message.text))
        report = Report(
            message.channel,
            message.chat_id,
            message.platform_message_id,
            message.id,
            reporter,
            message.text,
            area,
        )
        ticket = await file_ticket(
            turn, report, classification, self.render, self.config, actor_id=turn.person.id
        )
        await turn.tx.mark_inbound(message.id, "ticket", ticket.id)
        turn.say("filed", number=str(message.id), ticket=self.render.label(ticket))

