"""Pressing one case (督办 12 意见, 催办 12): the centre's leadership or staff tell whoever
is to act on an open case to get on with it, with an instruction (领导督办, 领导批示).  The
sweep escalates a case once a deadline is missed; this is the centre pressing one whenever
it chooses, a late one or one it worries about.  Whoever is to act is told privately: the
one who holds it, or, with nobody holding it, those who take it up (a department's
liaisons, an area's grid workers), each with what to send; the history keeps it."""

from __future__ import annotations

from bot import i18n
from bot.commands import Command
from bot.desk.base import DeskBase
from bot.privacy import holder_said
from bot.supervision import area_workers, liaisons, more_example
from bot.turn import Turn, person_name
from bot.workflow import SUPERVISED, Status
from storage.base import PersonRecord


class Urging(DeskBase):
    async def urge(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        label, number = self.render.label(ticket), self.render.number(ticket)
        if Status(ticket.status) not in SUPERVISED:
            status = i18n.name(f"status.{ticket.status}", turn.lang)
            turn.say("urge_closed", ticket=label, status=status)
            return
        note = command.args.strip()
        await turn.tx.add_event(
            ticket.id, turn.person.id, "urge", turn.now, {"text": note} if note else {}
        )
        holder = await turn.tx.person(ticket.assignee_id) if ticket.assignee_id else None
        told: list[PersonRecord]
        if holder is not None:
            told, key, where = [holder], "urge_holder", ""
        elif ticket.department is not None:
            told, key = await liaisons(turn.tx, ticket.department), "urge_department"
            where = self.config.department_name(ticket.department)
        else:
            told, key = await area_workers(turn.tx, ticket.area or ""), "urge_area"
            where = self.config.area_name(ticket.area)
        public = self._in_public_group(turn)
        names = [holder_said(self.config, person_name(p), p.role, turn.lang, public) for p in told]
        if not told:
            turn.say("urge_nobody", ticket=label, number=number)
        else:
            turn.say("urged", ticket=label, names=i18n.joined(dict.fromkeys(names), turn.lang))

        def text(lang: str) -> str:
            return i18n.t(
                key, lang, by=turn.actor.name, ticket=label, number=number, where=where,
                note=i18n.t("comment_suffix", lang, text=note) if note else "",
                summary=self.render.summary(ticket),
                more=more_example(self.config, ticket, self.render, lang),
            )

        self._tell_each(turn, told, ticket, text)
