"""Figures for the desk: /stats, /workload and the ledger (/export), each for a period and
an area or a department the asker may see (`bot.workflow.may_see_stats`,
`may_export_ledger`): a department's liaison their own department's."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot import i18n, screening
from bot.adapters.base import plain_name
from bot.clock import parse_iso
from bot.commands import Command
from bot.desk.base import DeskBase, Scope, split_area, view
from bot.export import LedgerRequest, department_scope
from bot.ledger import Format, xlsx_available
from bot.period import Period, PeriodError, parse_period
from bot.privacy import department_said, holder_said
from bot.stats import render_stats
from bot.supervision import find_overdue, supervised_now
from bot.turn import Turn, person_name
from bot.workflow import (
    Role,
    Status,
    can_see,
    counts_about_the_desk,
    may_export_ledger,
    may_see_stats,
    stats_department,
    stats_scope,
)
from bot.workload import loads, render_workload, waiting
from storage.base import PersonRecord, TicketStats

# A word with a letter in it (any script) may be meant as an area; "30" or "2026-13" not.
_LETTER = re.compile(r"[^\W\d_]")

# /export's format words, and words asking for what it will not do (a format it cannot
# make, numbers in full), each answered by name rather than as a bad period.
EXPORT_FORMATS: dict[str, Format] = {"csv": "csv", "xlsx": "xlsx", "excel": "xlsx"}
OTHER_FORMATS = frozenset(
    {"xls", "pdf", "doc", "docx", "txt", "tsv", "json", "html", "ods", "wps", "et", "zip"}
)
UNMASKED_WORDS = frozenset({"unmasked", "--unmasked", "明文", "不打码", "完整号码"})


class Figures(DeskBase):
    async def stats(self, turn: Turn, command: Command) -> None:
        """Counts and medians for the tickets received in a period (default 30 days), of
        the area named by its code (as /queue and /overdue take it), else of every area —
        or of a grid worker's own: `bot.workflow` says whose figures a person may see.
        Staff may name a department instead (code or name): the tickets handed to it; a
        department's liaison gets their own department's."""
        asked = self._figures_asked(turn, command, "stats")
        if asked is None:
            return
        period, scope = asked
        crowd = self.config.intake.group_dispute_people
        async def counted(start: str, end: str) -> TicketStats:
            return await turn.tx.ticket_stats(
                start, end, scope.area, scope.department, crowd, scope.about_the_desk
            )

        found = await counted(*period.bounds())
        before = None
        if period.over(parse_iso(turn.now)):  # 环比: a period still running is not compared
            before = await counted(*period.previous(self.render.zone).bounds())
        if self._in_public_group(turn):  # which departments have cases says what they are
            found = replace(found, by_department={}, resolved_by_department={},
                            by_assisting={}, resolved_by_assisting={})
        names = self.config.department_names
        text = render_stats(
            found, period, self.render.zone, turn.lang, scope.name, names, crowd, self.area_names,
            before,
        )
        turn.reply(text)

    def _figures_asked(
        self, turn: Turn, command: Command, usage: str
    ) -> tuple[Period, Scope] | None:
        """The period and scope a request for figures names: an area by its code, or a
        department by its code or name, else the asker's (`stats_scope`: every area for
        staff; `stats_department`: a liaison's department); or None, the asker told why not
        (a period the bot does not know, figures that are not theirs to see)."""
        parts = command.args.split()
        named = [d for d in map(self.config.find_department, parts) if d is not None]
        department = named[0] if named else None
        if department is not None:
            parts.remove(department.code if department.code in parts else department.name)
        words, area = split_area(" ".join(parts), self.area_words)
        try:
            period = parse_period(words, parse_iso(turn.now), self.render.zone)
        except PeriodError:
            self._bad_period_words(turn, words, usage)
            return None
        area = area or (None if department else stats_scope(turn.actor))
        code = department.code if department else stats_department(turn.actor)
        if not may_see_stats(turn.actor, area, code):
            self._not_theirs(turn, "stats_own_area", "stats_own_department")
            return None
        counted = counts_about_the_desk(turn.actor)  # a grid worker's: less 作风反映
        if code is not None:
            public = self._in_public_group(turn)
            name = department_scope(self.config, code, area, turn.lang, public)
            return period, Scope(area, code, name, counted)
        area_name = self.config.area_name(area) if area else None
        return period, Scope(area, None, area_name, counted)

    def _not_theirs(self, turn: Turn, area_key: str, department_key: str) -> None:
        """Tell the asker whose figures or ledger they may have: a grid worker their area's
        (`area_key`), a department's liaison their department's (`department_key`)."""
        own = turn.actor.area
        if turn.actor.role is Role.LIAISON:
            turn.say(department_key, department=self.config.department_name(own))
        else:
            turn.say(area_key, area=self.config.area_name(own))

    async def workload(self, turn: Turn, command: Command) -> None:
        """Each grid worker's cases in an area (or all): held now, overdue now, resolved in
        a period (default 30 days) and how fast (`bot.workload`).  Whose figures a person
        may see is /stats' rule: a grid worker their own area's.  Named a department,
        staff get its liaisons' (部门对接人) cases: those handed to it.  Named a person
        (工作量 王网格员), that person's line and the tickets they hold."""
        person, words = await self._person_named(turn, command.args)
        if person is not None:
            await self._workload_of(turn, person, words)
            return
        asked = self._figures_asked(turn, command, "workload")
        if asked is None:
            return
        period, scope = asked
        resolutions = await turn.tx.resolutions(
            *period.bounds(), scope.area, scope.department, scope.about_the_desk
        )
        open_tickets = [c for c in await supervised_now(turn.tx) if scope.holds(c.ticket)]
        overdue = find_overdue(open_tickets, parse_iso(turn.now), self.config)
        if scope.department is None:
            role, home = Role.GRID_WORKER, scope.area
            departments = self.config.department_names
        else:
            role, home = Role.LIAISON, scope.department
            departments = {scope.department: self.config.department_name(scope.department)}
        workers = [
            p for p in await turn.tx.people_with_role(role.value)
            if home is None or p.area in (None, home)
        ]
        # In a residents' group neither a department's name nor a liaison's (张警官, which
        # says the same) is read out (`bot.privacy.department_said`, `holder_said`).
        public = scope.department is None and self._in_public_group(turn)
        if public:
            departments = {}
        names = {p.id: person_name(p) for p in workers}
        others = {c.ticket.assignee_id for c in open_tickets} | {r.worker_id for r in resolutions}
        for person_id in sorted(i for i in others if i is not None and i not in names):
            person = await turn.tx.person(person_id)
            if person is not None and not (public and person.role == Role.LIAISON.value):
                names[person_id] = person_name(person)
        # The grid workers' screening (矛盾纠纷排查): what they found and their zero reports.
        screened = None
        if scope.department is None:
            screened = await screening.by_worker(turn.tx, period, self.config, scope.area)
        text = render_workload(
            loads(names, open_tickets, overdue, resolutions, screened),
            waiting(open_tickets, overdue, departments, grid=scope.department is None),
            period,
            self.render.zone,
            turn.lang,
            scope.name,
            liaisons=scope.department is not None,
        )
        turn.reply(text)

    async def _person_named(self, turn: Turn, words: str) -> tuple[PersonRecord | None, str]:
        """The one person a word of `words` names (by account id, else by a display name
        only one has), and the other words; (None, `words`) when none does.  A word that
        names an area or a department is that, not a person."""
        parts = words.split()
        for index, word in enumerate(parts):
            if word in self.area_words or self.config.find_department(word) is not None:
                continue
            found = await turn.tx.find_people(turn.person.channel, plain_name(word))
            found = [p for p in found if p.user_id == word.removeprefix("@")] or found
            if len(found) == 1:
                return found[0], " ".join(parts[:index] + parts[index + 1 :])
        return None, words

    async def _workload_of(self, turn: Turn, person: PersonRecord, words: str) -> None:
        """One person's workload line, counted wherever they work (as a hand-over moves
        whatever they hold), and the tickets they hold, each marked if past a deadline:
        what an admin checks before 转交全部.  Asked of the person's area or department
        as for its figures (`may_see_stats`): a grid worker their own area's colleagues."""
        name, role = person_name(person), Role(person.role)
        if role is Role.RESIDENT:
            turn.say("workload_not_worker", name=name)
            return
        try:
            period = parse_period(words, parse_iso(turn.now), self.render.zone)
        except PeriodError:
            self._bad_period_words(turn, words, "workload")
            return
        liaison = role is Role.LIAISON and person.area is not None
        area = None if liaison or role is not Role.GRID_WORKER else person.area
        department = person.area if liaison else None
        if not may_see_stats(turn.actor, area, department):
            self._not_theirs(turn, "stats_own_area", "stats_own_department")
            return
        public = self._in_public_group(turn)
        home: str | None = self.config.area_name(area) if area else None
        if department is not None:
            home = department_said(self.config, department, turn.lang, public)
        resolutions = [
            r for r in await turn.tx.resolutions(*period.bounds(), None, None)
            if r.worker_id == person.id
        ]
        held = [
            c for c in await supervised_now(turn.tx)
            if c.ticket.assignee_id == person.id and c.ticket.status == Status.CLAIMED
            and can_see(turn.actor, view(c.ticket))
        ]
        overdue = find_overdue(held, parse_iso(turn.now), self.config)
        shown = holder_said(self.config, name, person.role, turn.lang, public)
        text = render_workload(
            loads({person.id: shown}, held, overdue, resolutions), [], period,
            self.render.zone, turn.lang, home, person=shown,
        )
        late = {o.ticket.id for o in overdue}
        tickets = i18n.joined(
            (
                self.render.label(c.ticket) + (i18n.t("held_late", turn.lang) if c.ticket.id
                                               in late else "")
                for c in held
            ),
            turn.lang,
        ) or i18n.t("held_none", turn.lang)
        turn.reply(text + "\n" + i18n.t("held_tickets", turn.lang, tickets=tickets))

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
        if turn.actor.role is Role.LIAISON:  # no area is theirs to name: only the period
            turn.say("bad_period", value=words[:40], usage=i18n.usage(command, turn.lang))
            return
        visible = may_see or (lambda code: may_see_stats(turn.actor, code))
        choices = self._area_choices(turn, visible)
        for index in dict.fromkeys((len(parts) - 1, 0)) if len(parts) > 1 else ():
            rest = " ".join(parts[:index] + parts[index + 1 :])
            if _LETTER.search(parts[index]) and self._is_period(turn, rest):
                turn.say("bad_area", value=parts[index][:20], choices=choices)
                return
        if len(parts) == 1 and _LETTER.search(parts[0]):
            usage = i18n.usage(command, turn.lang)
            turn.say(neither, value=parts[0][:20], usage=usage, choices=choices)
            return
        turn.say("bad_period", value=words[:40], usage=i18n.usage(command, turn.lang))

    async def export(self, turn: Turn, command: Command) -> None:
        """The ledger (台账) of a period (default 30 days), of an area named by its code or
        of every area (a grid worker: their own), or of a department (a liaison: their own,
        and no other), as a CSV or XLSX file.

        It is sent only in a private chat, to the person who asked: in a group every
        member would get residents' names, words and (masked) numbers.  Asked in a group,
        it goes to the asker's private chat if the bot may write there (Telegram lets a
        bot write first only to someone who has written to it one to one), and the group
        is told just that; otherwise they are asked to write privately first.  Masked
        always (`bot.workflow.may_export_ledger` says why).  The file itself is made when
        the reply is delivered (`bot.export`); here the request is checked and queued."""
        fmt: Format = "csv"
        rest: list[str] = []
        department = None
        for word in command.args.split():
            low = word.lower()
            if low in UNMASKED_WORDS:
                turn.say("export_unmasked")
                return
            if low in EXPORT_FORMATS:
                fmt = EXPORT_FORMATS[low]
            elif (named := self.config.find_department(word)) is not None:
                department = named
            elif low.lstrip(".") in OTHER_FORMATS:
                turn.say("bad_export_format", value=word[:20])
                return
            else:
                rest.append(word)
        words, area = split_area(" ".join(rest), self.area_words)
        try:
            period = parse_period(words, parse_iso(turn.now), self.render.zone)
        except PeriodError:

            def visible(code: str) -> bool:
                return may_export_ledger(turn.actor, code)

            self._bad_period_words(turn, words, "export", "bad_export_word", visible)
            return
        area = area or stats_scope(turn.actor)
        code = department.code if department else stats_department(turn.actor)
        if not may_export_ledger(turn.actor, area, code):
            self._not_theirs(turn, "export_own_area", "export_own_department")
            return
        channel = turn.person.channel
        if channel not in self.document_channels:
            turn.say("export_no_files", channel=i18n.name(f"channel.{channel}", turn.lang))
            return
        if fmt == "xlsx" and not xlsx_available():
            turn.say("export_no_xlsx")
            return
        first, last = period.describe(self.render.zone)
        # A grid worker's leaves out the complaints about the desk's own people (作风反映):
        # its rows name their reporter and words, which the grid is kept from (`kept_from`).
        about_the_desk = counts_about_the_desk(turn.actor)
        request = LedgerRequest(
            *period.bounds(), first, last, area, fmt, turn.lang, code, about_the_desk
        )
        about = {"scope": request.scope(self.config), "first": first, "last": last}
        caption = i18n.t("export_queued", turn.lang, **about)
        if turn.inbound.room.is_private:
            turn.say("export_coming", format=fmt.upper(), **about)
            turn.send_document(request.document(), caption)
        elif await turn.tx.has_private_chat(channel, turn.person.user_id):
            # Which department's ledger says what its cases are: not to a residents' group.
            scope = request.scope(self.config, self._in_public_group(turn))
            turn.say("export_sent_privately", **about | {"scope": scope})
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
