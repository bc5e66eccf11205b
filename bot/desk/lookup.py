"""Reading tickets: /status, /mine, /queue, /overdue, 查找 and 详情, and /help.  Nothing here
changes a ticket; what a reader may see is `bot.workflow.can_see` and `bot.privacy`."""

from __future__ import annotations

from bot import i18n, mediation
from bot.clock import iso, parse_iso
from bot.commands import Command, command_named, search_terms
from bot.desk.base import LIST_LIMIT, DeskBase, Scope, split_area, view
from bot.filing import suggested_for
from bot.many_reporters import events_of
from bot.privacy import (
    ABOUT_THE_DESK_WORDS,
    case_outcome_for,
    department_said,
    hidden_key,
    history_seen,
    names_reporter,
    outcome_aside,
    reporter_named,
)
from bot.render import involved_text
from bot.supervision import find_overdue, merge_suggestion, supervised_now
from bot.turn import Turn, person_name
from bot.workflow import (
    RATEABLE_TICKET,
    SUPERVISED,
    Action,
    Role,
    Stage,
    Status,
    can_see,
    kept_from_words_about_the_desk,
    may,
    search_scope,
)
from storage.base import Keep, TicketRecord, TicketSearch

# Words one search may take (each must occur in a ticket it finds).
SEARCH_TERMS_LIMIT = 5


class Lookup(DeskBase):
    async def help(self, turn: Turn, command: Command) -> None:
        """The commands for the sender's role; with a command's word or alias after it
        ("帮助 授权", "/help grant"), how that one is written, in the sender's language (any
        other word: the whole help)."""
        named = command_named(command.args.split()[0]) if command.args.strip() else None
        line = i18n.command_help(named, turn.actor.role, turn.lang) if named else None
        if line is not None:
            turn.say("usage", usage=line)
            return
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
            turn.say(hidden_key(self.config, ticket.channel, ticket.chat_id),
                     ticket=self.render.label(ticket))
            return
        public = self._in_public_group(turn)
        holder = await self._holder_name(turn, ticket)
        desk = turn.actor.role is not Role.RESIDENT
        text = self.render.status(ticket, turn.lang, holder, public, desk=desk and not public)
        if not public:  # which department has it says what it is about: not to a group
            text += self._handling_lines(turn, ticket) + await self._unreached_line(turn, ticket)
            text += await self._session_line(turn, ticket)
        turn.reply(text + await self._merged_line(turn, ticket))

    async def _session_line(self, turn: Turn, ticket: TicketRecord) -> str:
        """The mediation session standing (调解: when and where the parties are called in),
        as a line, "" if none: its reporter, told once privately, asks 查询 to find it again.
        Never in a group, where whoever reads it would learn where the parties meet."""
        session = mediation.current(await turn.tx.events(ticket.id))
        if session is None:
            return ""
        when = self.render.local_time(session.at)
        return "\n" + i18n.t("mediation_line", turn.lang, when=when, place=session.place)

    async def _unreached_line(self, turn: Turn, ticket: TicketRecord) -> str:
        """For the desk's people, how many of the bot's messages about the ticket wait for
        its reporter to write first (a resolution notice past WeChat's 48 hours): asked by
        the reporter, "" (their writing sends them), and "" when none wait."""
        if turn.actor.role is Role.RESIDENT:
            return ""
        reporter = await turn.tx.person(ticket.reporter_id)
        if reporter is None:
            return ""
        count = await turn.tx.awaiting_about(ticket.id, reporter.channel, reporter.user_id)
        return "\n" + i18n.t("unreached_reporter", turn.lang, count=count) if count else ""

    def _handling_lines(self, turn: Turn, ticket: TicketRecord) -> str:
        """Whether the desk counts a ticket major (重大疑难) and the people and money it
        involves (涉及: neither said to its reporter), the department it was handed to
        (转办), those assisting (协办) and whether its resolution settled the dispute
        (调处结果), each as a line of its own ("" if none): who handles it and how it
        ended, so never said in a group."""
        desk = turn.actor.role is not Role.RESIDENT
        text = "\n" + i18n.t("major_now", turn.lang) if desk and ticket.major else ""  # agenda
        people, amount = ticket.people_involved, ticket.amount_involved
        if desk and (people is not None or amount is not None):  # the desk's reading of it
            figures = involved_text(people, amount, turn.lang)
            text += "\n" + i18n.t("involved_now", turn.lang, figures=figures)
        if ticket.department is not None:
            name = self.config.department_name(ticket.department)
            text += "\n" + i18n.t("department_now", turn.lang, department=name)
        if ticket.assisting:
            names = self.config.department_list(ticket.assisting, turn.lang)
            text += "\n" + i18n.t("assisting_now", turn.lang, departments=names)
        if ticket.settled is not None:
            result = i18n.settlement_label(ticket.settled, turn.lang)
            text += "\n" + i18n.t("settled_now", turn.lang, result=result)
        return text

    async def _merged_line(self, turn: Turn, ticket: TicketRecord) -> str:
        """For a merged ticket, where its event is handled and how far that has got, with
        the outcome once there is one: its reporter cannot open the other ticket, and this
        is all of it they are told (not its report, nor who made it)."""
        main = await turn.tx.ticket(ticket.merged_into) if ticket.merged_into else None
        if main is None:
            return ""
        state = self.render.status_name(main, turn.lang)
        text = "\n" + i18n.t("merged_line", turn.lang, main=self.render.label(main), status=state)
        # Another reporter's withdrawal is theirs (已撤回 says it), not an outcome to pass on.
        if not (main.resolution and main.status in RATEABLE_TICKET and not main.withdrawn):
            return text
        room = turn.inbound.room
        if not room.is_private and outcome_aside(self.config, room.channel, room.chat_id, main):
            number = self.render.number(ticket)
            return text + "\n" + i18n.t("merged_outcome_aside", turn.lang, number=number)
        outcome = case_outcome_for(
            self.config, i18n.outcome_in(main.resolution, turn.lang),
            can_see(turn.actor, view(main)),
        )
        return text + "\n" + i18n.t("status_resolution", turn.lang, text=outcome)

    async def mine(self, turn: Turn, command: Command) -> None:
        """What the sender holds, what their department assists with (a liaison's) and what
        they reported, `LIST_LIMIT` of each, with a line saying so where there are more (a
        list cut off unsaid reads as all of them)."""
        lines: list[str] = []
        if turn.actor.role is not Role.RESIDENT:
            held = await turn.tx.tickets_held_by(turn.person.id, LIST_LIMIT + 1)
            lines += await self._desk_section(turn, "mine_held", held)
        if turn.actor.role is Role.LIAISON and turn.actor.area is not None:
            assisted = await turn.tx.tickets_assisted_by(turn.actor.area, LIST_LIMIT + 1)
            lines += await self._desk_section(turn, "mine_assisting", assisted)
        lines += await self._queue_waiting(turn)
        reported = await self._reported_shown(turn)
        lines += self._mine_section(turn, "mine_reported", reported, "mine_more_recent")
        turn.reply("\n".join(lines) if lines else i18n.t("mine_empty", turn.lang))

    async def _queue_waiting(self, turn: Turn) -> list[str]:
        """For a liaison, how many of their department's tickets wait unclaimed; for a grid
        worker, their area's (less those handed to a department, as their 待办): a line
        pointing to 待办, none when none wait.  我的 lists what one holds, so a liaison whose
        department had a case waiting for them read 暂无记录 and thought there was none.
        Counted by the database, scoped as 待办 lists them; past `LIST_LIMIT` it says 超过
        (待办 lists that many)."""
        area, role = turn.actor.area, turn.actor.role
        if area is None or role not in (Role.LIAISON, Role.GRID_WORKER):
            return []
        if role is Role.LIAISON:
            waiting = await turn.tx.queue_count(None, department=area)
        else:
            waiting = await turn.tx.queue_count(area, None)
        if not waiting:
            return []
        key = "mine_queue_department" if role is Role.LIAISON else "mine_queue_area"
        if waiting > LIST_LIMIT:
            return [i18n.t(f"{key}_more", turn.lang, count=LIST_LIMIT)]
        return [i18n.t(key, turn.lang, count=waiting)]

    async def _reported_shown(self, turn: Turn) -> list[TicketRecord]:
        """The sender's reports, newest first, `LIST_LIMIT` + 1 of those this room may list.
        In a residents' group, not even that the sender reported something privately: the
        ack promised 不会在群里公开, and a numbered line under their name would say who
        did.  (A pointer to the private chat only for those with one would say it too.)  So
        those are left out, and more read in their place: one among the first read left a
        long list one short of saying it was cut off."""
        limit = LIST_LIMIT + 1
        while True:
            reported = await turn.tx.tickets_reported_by(turn.person.id, limit)
            if not self._in_public_group(turn):
                return reported
            shown = [t for t in reported if not self._hidden(turn, t.channel, t.chat_id)]
            if len(shown) > LIST_LIMIT or len(reported) < limit:
                return shown
            limit *= 2

    async def _desk_section(
        self, turn: Turn, header: str, tickets: list[TicketRecord]
    ) -> list[str]:
        """A part of 我的 that is the desk's work (held, assisting): those past a deadline
        first (then most urgent, oldest, as read), each marked with how late, as `督办` finds
        them (`bot.supervision.overdue_among`): a worker's list said nothing of which to do
        first.  Not in a residents' group, which is never told the desk's deadlines."""
        marks: dict[int, str] = {}
        if tickets and not self._in_public_group(turn):
            for number, span in (await self._late_by(turn, tickets, turn.lang)).items():
                marks[number] = i18n.t("mine_overdue_flag", turn.lang, late=span)
        tickets = sorted(tickets, key=lambda t: t.id not in marks)  # stable: the rest as read
        return self._mine_section(turn, header, tickets, "mine_more_urgent", marks)

    def _mine_section(
        self, turn: Turn, header: str, tickets: list[TicketRecord], more: str,
        marks: dict[int, str] | None = None,
    ) -> list[str]:
        """One part of 我的: its header and up to `LIST_LIMIT` lines of the `LIST_LIMIT` + 1
        read, then the `more` line if that one more was there; nothing for none.  `marks`:
        a mark to put before a ticket's line (已超期), by id, counted in the header."""
        if not tickets:
            return []
        marks = marks or {}
        shown = tickets[:LIST_LIMIT]
        late = sum(t.id in marks for t in shown)
        lines = [i18n.t(f"{header}_overdue", turn.lang, count=late) if late
                 else i18n.t(header, turn.lang)]
        lines += [marks.get(t.id, "") + self._list_line(turn, t) for t in shown]
        if len(tickets) > LIST_LIMIT:
            lines.append(i18n.t(more, turn.lang, count=LIST_LIMIT))
        return lines

    async def queue(self, turn: Turn, command: Command) -> None:
        """Unclaimed tickets: a grid worker's area's, less those handed to a department (its
        liaisons take them up); a liaison's department's; staff any area's, or all."""
        area = turn.actor.area
        department = area if turn.actor.role is Role.LIAISON else None
        if command.args and turn.actor.role in (Role.STAFF, Role.ADMIN):
            named = self._named_scope(turn, command.args.split()[0])
            if named is None:
                return
            area, department = named
        elif command.args and self._names_another_queue(turn, command.args.split()[0]):
            return
        # One more than is listed, to say that there are more (it was cut off unsaid).
        if department is not None:
            tickets = await turn.tx.queue(None, LIST_LIMIT + 1, department=department)
        else:
            # A grid worker's queue leaves out what was handed on; staff see it all.
            handled_by = None if turn.actor.role is Role.GRID_WORKER else Keep.KEEP
            tickets = await turn.tx.queue(area, LIST_LIMIT + 1, handled_by)
        # Less what the reader is kept from, a report about the desk's own (作风反映, `kept_from`).
        tickets = [t for t in tickets if can_see(turn.actor, view(t))]
        area_text = self._scope_name(turn, area, department)
        if department is not None:  # which department says what the case is about
            public = self._in_public_group(turn)
            area_text = department_said(self.config, department, turn.lang, public)
        if not tickets:
            turn.say("queue_empty")
            return
        lines = [i18n.t("queue_header", turn.lang, area=area_text)]
        shown = tickets[:LIST_LIMIT]
        marks, hint = await self._linked(turn, shown)
        lines += [self._list_line(turn, t) + marks.get(t.id, "") for t in shown]
        if len(tickets) > LIST_LIMIT:
            lines.append(i18n.t("queue_more", turn.lang, count=LIST_LIMIT))
        turn.reply("\n".join(lines + hint))

    async def _linked(
        self, turn: Turn, shown: list[TicketRecord]
    ) -> tuple[dict[int, str], list[str]]:
        """For a list the desk reads (待办, 督办): after each ticket linked with others as one
        event (疑似同一事件, `bot.many_reporters`), the others still open, and, for a reader
        who may merge (staff), a last line with the 并案 that would make each event one case
        (all into the most urgent, the earliest of those, as `merge_refusal` allows).  None
        in a residents' group, which is not to learn that others reported the same (nor for
        a resident).  Only the listed tickets' links are read."""
        if turn.actor.role is Role.RESIDENT or self._in_public_group(turn) or not shown:
            return {}, []
        events = await events_of(turn.tx, [t.id for t in shown])
        marks: dict[int, str] = {}
        merges: dict[frozenset[int], str] = {}  # an event's tickets: its 并案
        for ticket in shown:
            event = [
                t for t in events.get(ticket.id, [])
                if Status(t.status) in SUPERVISED and can_see(turn.actor, view(t))
            ]
            others = [t for t in event if t.id != ticket.id]
            if not others:
                continue
            names = i18n.joined((self.render.label(t) for t in others), turn.lang)
            marks[ticket.id] = i18n.t("escalation_linked_names", turn.lang, tickets=names)
            # Once for each event, whichever of its tickets were listed.
            merges.setdefault(frozenset(t.id for t in event), merge_suggestion(
                self.render, sorted(event, key=lambda t: t.id), turn.lang
            ))
        if not merges or not may(turn.actor.role, Action.MERGE):
            return marks, []
        hint = i18n.t("list_merge_hint", turn.lang, merges=i18n.joined(merges.values(), turn.lang))
        return marks, [hint]

    def _names_another_queue(self, turn: Turn, word: str) -> bool:
        """Whether a grid worker's or liaison's `word` names an area or a department whose
        queue is not theirs; if so they are told whose they may see.  ("待办 司法所" from
        the police's liaison listed the police's own, and an empty one read as if the
        judicial office had none.)"""
        department = self.config.find_department(word)
        code = department.code if department else self.area_words.get(word)
        own = turn.actor.area
        if code is None or own is None or code == own:
            return False
        if turn.actor.role is Role.LIAISON:
            name = self.config.department_name(own)
            turn.say("queue_own_department", department=name)
        else:
            turn.say("queue_own_area", area=self.config.area_name(own))
        return True

    async def overdue(self, turn: Turn, command: Command) -> None:
        """Tickets past a deadline now (level 1 or beyond, escalated yet or not), most
        overdue first; staff may name an area, or a department (those handed to it)."""
        named = self._named_scope(turn, command.args.split()[0]) if command.args else (None, None)
        if named is None:
            return
        area, department = named
        now = parse_iso(turn.now)
        scope = Scope(area, department)
        clocked = [c for c in await supervised_now(turn.tx) if scope.holds(c.ticket)]
        found = find_overdue(clocked, now, self.config)
        if not found:
            turn.say("overdue_empty")
            return
        area_text = self._scope_name(turn, area, department)
        lines = [i18n.t("overdue_header", turn.lang, area=area_text, count=len(found))]
        marks, hint = await self._linked(turn, [item.ticket for item in found[:LIST_LIMIT]])
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
                + self._handed_to(turn, item.ticket)
                + marks.get(item.ticket.id, "")
            )
        if len(found) > LIST_LIMIT:
            lines.append(i18n.t("overdue_more", turn.lang, count=len(found) - LIST_LIMIT))
        turn.reply("\n".join(lines + hint))

    async def search(self, turn: Turn, command: Command) -> None:
        """Tickets with every word in them, newest first: "查找 3栋 漏水", "查找 13812345678",
        "查找 张大妈 DZ".  With 26,000 cases in three years a ticket number is rarely at
        hand when a resident phones about "the leak at block 3"; the desk finds it by what
        was said, in the report, its outcome, its notes and additions, or the reporter's name.
        Only what the searcher may open (`bot.workflow.search_scope`)."""
        words, area = split_area(command.args, self.area_words)
        terms = search_terms(words)
        if not terms and area is not None:  # "查找 东镇" alone: the words, not the area
            words, area = command.args, None
            terms = search_terms(words)
        if not terms:
            turn.say("usage", usage=i18n.usage("search", turn.lang))
            return
        if len(terms) > SEARCH_TERMS_LIMIT:
            turn.say("search_too_many", limit=SEARCH_TERMS_LIMIT)
            return
        scope = search_scope(turn.actor, area)
        if scope is None:
            own = turn.actor.area
            if turn.actor.role is Role.LIAISON:
                turn.say("search_own_department", department=self.config.department_name(own))
            else:
                turn.say("search_own_area", area=self.config.area_name(own))
            return
        found = await turn.tx.search_tickets(
            TicketSearch(
                terms, scope.area, scope.or_person, LIST_LIMIT + 1, scope.department,
                anonymous_named=names_reporter(True, turn.actor.role),
                words_kept=(
                    ABOUT_THE_DESK_WORDS if kept_from_words_about_the_desk(turn.actor) else None
                ),
            )
        )
        # The scope is `can_see` written as SQL; this keeps a slip there from showing a ticket.
        found = [t for t in found if can_see(turn.actor, view(t))]
        # A private report's words are not found where they would be read out either.
        found = [t for t in found if not self._hidden(turn, t.channel, t.chat_id)]
        shown = "、".join(terms) if turn.lang != "en" else " ".join(terms)
        where = self.config.area_name(scope.area) if scope.area else i18n.t("all_areas", turn.lang)
        if scope.department is not None:
            where = self.config.department_name(scope.department)
        if scope.or_person is not None:  # a grid worker's own cases elsewhere are found too
            where += i18n.t("search_own_cases", turn.lang)
        # In a residents' group, said every time (never only when something was left out,
        # which would tell the group a private report holds the words): "没有找到" there read
        # as none anywhere, while the private report with them was one message away.
        only_here = [i18n.t("search_group_only", turn.lang)] if self._in_public_group(turn) else []
        if not found:
            turn.reply("\n".join([i18n.t("search_empty", turn.lang, terms=shown, area=where)]
                                 + only_here))
            return
        lines = [i18n.t("search_header", turn.lang, terms=shown, area=where)]
        lines += [self._list_line(turn, t, dated=True) for t in found[:LIST_LIMIT]]
        if len(found) > LIST_LIMIT:
            lines.append(i18n.t("search_more", turn.lang, count=LIST_LIMIT))
        turn.reply("\n".join(lines + only_here))

    async def ticket(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        if self._hidden(turn, ticket.channel, ticket.chat_id):  # its whole history, read out
            turn.say(hidden_key(self.config, ticket.channel, ticket.chat_id),
                     ticket=self.render.label(ticket))
            return
        if self._in_public_group(turn):
            # The history is the desk's: its notes, every addition, who did what.  The group
            # read the report and its acknowledgement, never that (nor, masked or not, its
            # residents' other words).
            label, number = self.render.label(ticket), self.render.number(ticket)
            turn.say("ticket_in_private", ticket=label, number=number)
            return
        lines = [
            i18n.t("history_header", turn.lang, ticket=self.render.label(ticket)),
            self.render.status(
                ticket, turn.lang, await self._holder_name(turn, ticket), desk=True
            )
            + self._handling_lines(turn, ticket),
        ]
        department = suggested_for(ticket, self.config)  # none for a 作风反映
        if department and ticket.status != Status.DISMISSED:
            lines.append(i18n.t("department_line", turn.lang, department=department))
        source = i18n.name(f"source.{ticket.source}", turn.lang)
        lines.append(i18n.t("source_line", turn.lang, source=source))  # the ledger's 信息来源
        unreached = await self._unreached_line(turn, ticket)
        if unreached:
            lines.append(unreached.lstrip("\n"))
        # What its reporter did is theirs, 匿名反映人 where they are not to be named.
        events = history_seen(ticket, await turn.tx.events(ticket.id), turn.actor, turn.lang)
        # A message filed by someone else (立案 of a held one) reads `刘主任 登记 <the
        # resident's words>`: who said them, and whom to call, was nowhere in it.
        filed = next((e for e in events if e.action == "created"), None)
        if filed is not None and filed.actor_id != ticket.reporter_id:
            reporter = await turn.tx.person(ticket.reporter_id)
            if reporter is not None:
                name = reporter_named(
                    person_name(reporter), ticket.anonymous, turn.actor.role, turn.lang
                )
                lines.append(i18n.t("reporter_line", turn.lang, name=name))
        lines += await self._deadline_lines(turn, ticket)
        session = mediation.current(events)
        if session is not None:  # where and when the parties are called in (调解)
            when = self.render.local_time(session.at)
            lines.append(i18n.t("mediation_line", turn.lang, when=when, place=session.place))
        lines += [self.render.history_line(e, turn.lang) for e in events]
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
