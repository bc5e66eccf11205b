"""Major and difficult cases (重大疑难): disputes that may lead to a mass incident or a grave
public-security problem, or that have resisted every mediation, which a county centre
takes to its regular and special joint meetings (会商) and counts apart in its reports.

Staff mark a case (列为重大 12 why) and take the mark off (取消重大 12); 重大疑难 alone lists
the open ones, the meeting's agenda.  The admins (the centre's leadership) are told when a
case is marked, and are told of its missed deadlines from the first (领导督办,
`bot.workflow.notifies_admins`).  /stats, the briefing, /ticket and the ledger show it."""

from __future__ import annotations

from bot import i18n
from bot.commands import MAJOR_OFF, Command
from bot.desk.base import LIST_LIMIT, DeskBase
from bot.turn import Turn
from bot.workflow import SUPERVISED, Role, Status


class Majors(DeskBase):
    async def major(self, turn: Turn, command: Command) -> None:
        if command.ticket is None:
            await self._majors(turn)
            return
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        label = self.render.label(ticket)
        first, _, rest = command.args.partition(" ")
        if first.lower() in MAJOR_OFF:
            if await turn.tx.set_major(ticket.id, False, turn.now) is None:
                turn.reply(self._routed(turn, "major_not", ticket=label))
                return
            payload = {"text": rest.strip()} if rest.strip() else {}
            await turn.tx.add_event(ticket.id, turn.person.id, "major_off", turn.now, payload)
            turn.reply(self._routed(turn, "major_unmarked", ticket=label))
            return
        if Status(ticket.status) not in SUPERVISED:
            status = self.render.status_name(ticket, turn.lang)
            turn.reply(self._routed(turn, "major_closed", ticket=label, status=status))
            return
        if await turn.tx.set_major(ticket.id, True, turn.now) is None:
            turn.reply(self._routed(turn, "major_already", ticket=label))
            return
        reason = command.args.strip()
        payload = {"text": reason} if reason else {}
        await turn.tx.add_event(ticket.id, turn.person.id, "major", turn.now, payload)
        number = self.render.number(ticket)
        turn.reply(self._routed(turn, "major_marked", ticket=label, number=number))
        for admin in await turn.tx.people_with_role(Role.ADMIN.value):
            if admin.id == turn.person.id:
                continue
            lang = admin.lang or self.config.language
            text = i18n.t(
                "major_notice", lang, by=turn.actor.name, ticket=label,
                area=self.config.area_name(ticket.area), summary=self.render.summary(ticket, lang),
                reason=i18n.t("comment_suffix", lang, text=reason) if reason else "",
            )
            turn.direct(admin, text, ticket.id)

    async def _majors(self, turn: Turn) -> None:
        """The open major cases, oldest first, each with who leads it.  Not in a residents'
        group: the list is the desk's agenda, and every line of it says what a residents'
        group is never told: that the desk judged a case major (a list line there has no
        【重大疑难】, a mark made there is answered 已记录), which department leads it (相关部门
        there, `PUBLIC_ROUTING`), and other groups' and private reports' cases."""
        if self._in_public_group(turn):
            turn.say("majors_in_private")
            return
        found = await turn.tx.major_tickets(LIST_LIMIT)
        if not found:
            turn.say("majors_none")
            return
        lines = [i18n.t("majors_header", turn.lang)]
        for ticket in found:
            lead = self.lead_name(ticket, turn.lang)
            line = self.render.list_line(self._shown(turn, ticket), turn.lang)  # no flag here
            lines.append(line + i18n.t("major_lead", turn.lang, lead=lead))
        turn.reply("\n".join(lines))
