"""Pressing for a case (催办): staff tell whoever has a ticket to act on it now, with a word
of their own, and its history keeps that they did.

Supervision escalates a case once a deadline has passed.  A centre also presses before
that: the reporter has called again, a leader has asked, rain is forecast on a leaking
roof.  Staff used to do it by phone, off the record; typed "催办 12 今天务必上门" (or "督办
12 …"), it reaches the holder, else the department the case was handed to, else the area's
grid workers, privately, and is in /ticket's history.  The reporter is not told: it is the
desk pressing its own people."""

from __future__ import annotations

from bot import i18n
from bot.adapters.base import Button
from bot.commands import Command
from bot.desk.base import DeskBase
from bot.privacy import department_said, holder_said
from bot.supervision import grid_of, liaisons
from bot.turn import Turn, person_name
from bot.workflow import SUPERVISED, Status
from storage.base import PersonRecord, TicketRecord


class Urging(DeskBase):
    async def urge(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        label = self.render.label(ticket)
        if Status(ticket.status) not in SUPERVISED:
            status = self.render.status_name(ticket, turn.lang)
            turn.say("urge_not_open", ticket=label, status=status)
            return
        told = [p for p in await self._pressed(turn, ticket) if p.id != turn.person.id]
        # In a residents' group neither a department nor a liaison (张警官 says which) is
        # named: which department has a case says what it is about (`bot.privacy`).
        public = self._in_public_group(turn)
        if not told:
            lead = self.lead_name(ticket, turn.lang)
            if ticket.department is not None:
                lead = department_said(self.config, ticket.department, turn.lang, public)
            turn.say("urge_nobody", ticket=label, lead=lead)
            return
        words = command.args.strip()
        await turn.tx.add_event(
            ticket.id, turn.person.id, "urge", turn.now, {"text": words} if words else {}
        )
        number, claimed = self.render.number(ticket), ticket.status == Status.CLAIMED

        def text(lang: str) -> str:
            return i18n.t(
                "urge_notice_claimed" if claimed else "urge_notice_unclaimed", lang,
                by=turn.actor.name, ticket=label, area=self.lead_name(ticket, lang),
                summary=self.render.summary(ticket, lang), number=number,
                words=i18n.t("comment_suffix", lang, text=words) if words else "",
            )

        def buttons(lang: str) -> list[Button]:
            return [] if claimed else [Button(i18n.name("button.claim", lang), f"/claim {number}")]

        self._tell_each(turn, told, ticket, text, buttons)
        names = i18n.joined(
            dict.fromkeys(
                holder_said(self.config, person_name(p), p.role, turn.lang, public) for p in told
            ),
            turn.lang,
        )
        turn.say("urged", ticket=label, names=names)

    async def _pressed(self, turn: Turn, ticket: TicketRecord) -> list[PersonRecord]:
        """Who has the case: its holder; unclaimed, the department it was handed to (its
        liaisons), else its area's grid workers."""
        if ticket.status == Status.CLAIMED and ticket.assignee_id is not None:
            holder = await turn.tx.person(ticket.assignee_id)
            return [holder] if holder is not None else []
        if ticket.department is not None:
            return await liaisons(turn.tx, ticket.department)
        return await grid_of(turn.tx, ticket)
