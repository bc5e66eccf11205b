"""Assisting (协办): staff ask a department to help with a case another leads (主办: the
department it was handed to, 转办, or its area's grid), as a centre does with a dispute
that needs the police and the judicial office at one table (联合调处).

The lead alone claims, resolves and answers for the deadlines; an assisting department's
liaisons may open the ticket and add what they know (备注), and are told its outcome.
Which tickets they may open is `bot.workflow.can_see`'s rule; this module records the
request, tells them, and withdraws it."""

from __future__ import annotations

from bot import i18n
from bot.commands import Command
from bot.config import Department
from bot.desk.base import DeskBase
from bot.supervision import liaisons
from bot.turn import Turn, person_name
from bot.workflow import SUPERVISED, Status
from storage.base import TicketRecord


class Assisting(DeskBase):
    async def assist(self, turn: Turn, command: Command) -> None:
        """"协办 12 司法所 意见" (/assist 12 SFS note) asks the department to assist;
        "取消协办 12 司法所" (/assist 12 -SFS) no longer."""
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        word, _, note = command.args.partition(" ")
        named = word.removeprefix("-")
        department = self.config.find_department(named)
        if word.startswith("-") and department is None and named in ticket.assisting:
            # A department taken out of the config still assists where it was asked (its
            # liaisons still open the ticket): staff end that by its code.
            department = Department(code=named, name=named)
        if department is None:
            choices = self._department_choices(turn)
            turn.say("assist_no_department", value=named[:20], choices=choices)
            return
        if word.startswith("-"):
            await self._withdraw(turn, ticket, department)
            return
        label, name = self.render.label(ticket), department.name
        if Status(ticket.status) not in SUPERVISED:
            status = self.render.status_name(ticket, turn.lang)
            turn.say("assist_closed", ticket=label, status=status)
            return
        if ticket.department == department.code:
            turn.reply(self._routed(turn, "assist_is_lead", ticket=label, department=name))
            return
        changed = await turn.tx.set_assisting(ticket.id, department.code, True, turn.now)
        if changed is None:
            turn.reply(self._routed(turn, "assist_already", ticket=label, department=name))
            return
        detail: dict[str, object] = {"department": department.code, "department_name": name}
        if note.strip():
            detail["text"] = note.strip()
        await turn.tx.add_event(ticket.id, turn.person.id, "assist", turn.now, detail)
        await self._tell_assistants(turn, changed, department, note.strip())

    async def _tell_assistants(
        self, turn: Turn, ticket: TicketRecord, department: Department, note: str
    ) -> None:
        """Each liaison of `department` is told privately what the case is and who leads it;
        the centre is told whom, or that nobody could be (no liaison yet)."""
        label, number = self.render.label(ticket), self.render.number(ticket)
        fields = {"ticket": label, "department": department.name}

        case = await self._case_told(turn, ticket)

        def text(lang: str) -> str:
            return i18n.t(
                "assist_notice", lang, by=turn.actor.name, lead=self.lead_name(ticket, lang),
                number=number, **case(lang),
                note=(i18n.t("dispatched_note", lang, note=note) if note else "")
                + self._kept_private(ticket, lang), **fields,
            )

        told = await liaisons(turn.tx, department.code)
        lead = self.lead_name(ticket, turn.lang)
        if not told:
            turn.reply(self._routed(
                turn, "assist_asked_nobody", lead=lead, code=department.code, number=number,
                **fields,
            ))
            return
        names = i18n.joined((person_name(p) for p in told), turn.lang)
        turn.reply(self._routed(turn, "assist_asked", lead=lead, names=names, **fields))
        self._tell_each(turn, told, ticket, text)

    async def _withdraw(self, turn: Turn, ticket: TicketRecord, department: Department) -> None:
        label, name = self.render.label(ticket), department.name
        changed = await turn.tx.set_assisting(ticket.id, department.code, False, turn.now)
        if changed is None:
            turn.reply(self._routed(turn, "unassist_not", ticket=label, department=name))
            return
        detail = {"department": department.code, "department_name": name}
        await turn.tx.add_event(ticket.id, turn.person.id, "unassist", turn.now, detail)
        turn.reply(self._routed(turn, "unassisted", ticket=label, department=name))

        def text(lang: str) -> str:
            return i18n.t(
                "unassist_notice", lang, ticket=label, department=name, by=turn.actor.name
            )

        self._tell_each(turn, await liaisons(turn.tx, department.code), ticket, text)
