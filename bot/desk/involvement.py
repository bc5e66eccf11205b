"""The people and the money a case involves (涉及人数, 涉及金额): columns of a centre's
dispute ledger and figures of its reports ("化解涉及金额").  The bot reads them from the
report when it is filed (`bot.involved`); whoever works the case puts them right, since a
report says "好几十个工人" or nothing at all: 涉及 12 30人 5万元."""

from __future__ import annotations

from bot import i18n
from bot.commands import INVOLVED_CLEAR, Command
from bot.desk.base import DeskBase, view
from bot.involved import InvolvedError, parse_involved
from bot.render import involved_text
from bot.turn import Turn
from bot.workflow import NOTE_ALLOWED, Action, may_act_on_ticket
from storage.base import Keep


class Involvement(DeskBase):
    async def involved(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        label = self.render.label(ticket)
        if ticket.status not in NOTE_ALLOWED:  # a closed case's record is final, as for 备注
            status = self.render.status_name(ticket, turn.lang)
            turn.say("involved_closed", ticket=label, status=status)
            return
        if not may_act_on_ticket(turn.actor, Action.INVOLVED, view(ticket)):
            # Only an assisting department's liaison sees a ticket they may not touch (协办):
            # the lead's figures are the lead's to put right; they add what they know.
            turn.say("assist_only", ticket=label, lead=self._lead_said(turn, ticket))
            return
        words = command.args.strip()
        if words.lower() in INVOLVED_CLEAR:
            people: int | None | Keep = None
            amount: int | None | Keep = None
        else:
            try:
                figures = parse_involved(words)
            except InvolvedError as error:
                turn.say("involved_bad_word", value=error.word[:20],
                         usage=i18n.usage("involved", turn.lang))
                return
            people = Keep.KEEP if figures.people is None else figures.people
            amount = Keep.KEEP if figures.amount is None else figures.amount
        changed = await turn.tx.set_involved(ticket.id, people, amount, turn.now)
        assert changed is not None  # it was just read, in this transaction
        payload = {"people": changed.people_involved, "amount": changed.amount_involved}
        await turn.tx.add_event(ticket.id, turn.person.id, "involved", turn.now, payload)
        if self._in_public_group(turn):  # the desk's figures, as /status leaves them out there
            turn.say("involved_set_here", ticket=label, number=self.render.number(ticket))
            return
        now = involved_text(changed.people_involved, changed.amount_involved, turn.lang)
        turn.say("involved_set", ticket=label, figures=now)
