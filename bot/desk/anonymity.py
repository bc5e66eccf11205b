"""A report made anonymous after it was filed (匿名 12): its reporter, one to one, asks that
those who handle it no longer be told who reported it.  From then on it is read as a report
made anonymously is (`bot.privacy.names_reporter`); who read the name before keeps it."""

from __future__ import annotations

from bot import i18n
from bot.commands import Command
from bot.desk.base import DeskBase, view
from bot.supervision import liaisons, working_on
from bot.turn import Turn
from bot.workflow import Action, may_act_on_ticket
from storage.base import PersonRecord, TicketRecord

# The event the change leaves in the ticket's history (`Renderer.history_line`).
ANONYMOUS_EVENT = "anonymous"


class Anonymity(DeskBase):
    async def anonymous(self, turn: Turn, command: Command) -> None:
        """"匿名 12": the sender's own ticket 12 is anonymous from now on.  Only one to one:
        in a group everybody reads who asks (and so who reported it), as a group's 匿名反映
        is answered (`Pipeline._anonymous_possible`); nothing is looked up there.  Only its
        reporter (`bot.workflow.may_act_on_ticket`): anyone else is told, in the same words
        whether the ticket exists or not, that only their own reports may be made so; a
        resident cannot learn which numbers are someone's.  The reply says who read the name
        already, since that cannot be taken back."""
        assert command.ticket is not None
        number = str(command.ticket)
        if not turn.inbound.room.is_private:
            if turn.inbound.edit_of is None:  # answered once
                turn.say("anonymous_later_in_group", number=number)
            return
        ticket = await turn.tx.ticket(command.ticket, lock=True)
        if ticket is None or not may_act_on_ticket(turn.actor, Action.ANONYMOUS, view(ticket)):
            turn.say("anonymous_later_not_yours", ticket=f"#{number}")
            return
        label = self.render.label(ticket)
        if ticket.anonymous:
            turn.say("anonymous_later_already", ticket=label)
            return
        await turn.tx.set_anonymous(ticket.id)
        await turn.tx.add_event(ticket.id, turn.person.id, ANONYMOUS_EVENT, turn.now, {})
        # Who read the name already: everybody in the group it was reported in, or (one to
        # one) the grid workers told of it and whoever worked it since.
        in_group = self.config.is_public_group(ticket.channel, ticket.chat_id)
        seen = "anonymous_later_seen_group" if in_group else "anonymous_later_seen_private"
        turn.reply(
            i18n.t("anonymous_later_done", turn.lang, ticket=label)
            + "\n"
            + i18n.t(seen, turn.lang)
        )
        people = await self._told_of_anonymity(turn, ticket)
        self._tell_each(
            turn, people, ticket, lambda lang: i18n.t("anonymous_later_told", lang, ticket=label)
        )

    async def _told_of_anonymity(self, turn: Turn, ticket: TicketRecord) -> list[PersonRecord]:
        """Who is told, privately (never in a group), that `ticket`'s reporter asked to be
        anonymous: whoever works it (`bot.supervision.working_on`: its holder, or, nobody
        holding it, the liaisons of the department it waits with) and the liaisons of the
        departments assisting (协办).  They read the name before, in their notice or its
        history, and from now on the ticket no longer shows it, so the change itself says
        nothing; told, they know to keep it.  Not the reporter, should they hold it."""
        people = await working_on(turn.tx, ticket)
        for code in ticket.assisting:
            people += await liaisons(turn.tx, code)
        unique = {p.id: p for p in people if p.id != ticket.reporter_id}
        return list(unique.values())
