"""More time to resolve (延期): staff grant it, the worker holding the ticket asks for it,
staff may say no.  The arithmetic and the words of a refusal are `bot.extension`'s; here
the ticket is changed and people are told."""

from __future__ import annotations

from dataclasses import replace

from bot import extension, i18n
from bot.adapters.base import Outbound
from bot.clock import iso
from bot.commands import Command, CommandError, extension_of
from bot.config import format_limit
from bot.desk.base import DeskBase, view
from bot.privacy import department_said, holder_said, residents_read
from bot.supervision import limits
from bot.turn import Turn, person_name
from bot.workcal import Span, exceeds
from bot.workflow import (
    CLOCK_STARTS,
    EXTENDABLE,
    Action,
    Role,
    Stage,
    files_as_reported,
    grants_extension,
    may_act_on_ticket,
)
from storage.base import EventRecord, TicketRecord


class Extending(DeskBase):
    async def extend(self, turn: Turn, command: Command) -> None:
        """"延期 12 10个工作日 需做伤情鉴定": more time to resolve.  Staff grant it: the
        ticket's resolve limit becomes its current one plus that, supervision escalates
        against the new deadline, and the worker holding it is told.  The worker holding
        it asks: the staff room gets the request, with a button that grants it.  A reopened
        ticket starts again on the config's limits (`DeskBase._move`)."""
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        try:
            asked = extension_of(command.args)
        except CommandError as error:
            turn.say(error.key, **error.params, number=self.render.number(ticket))
            return
        label = self.render.label(ticket)
        pressed = asked.request is not None and grants_extension(turn.actor.role)
        if pressed and await self._answered_before(turn, ticket, asked.request):
            return
        if ticket.status not in EXTENDABLE:
            self._cannot(turn, label, ticket, Action.EXTEND)
            return
        if not may_act_on_ticket(turn.actor, Action.EXTEND, view(ticket)):
            await self._refuse_holders_work(turn, ticket, "extend_claim_first")
            return
        if asked.span is None and asked.grants_request:
            await self._grant_request(turn, ticket, asked.reason)
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

    async def _answered_before(
        self, turn: Turn, ticket: TicketRecord, request: int | None
    ) -> bool:
        """Whether the request a staff room's button answers (`request`, its event's id) no
        longer stands, and the presser has been told why: answered since (granted, refused),
        asked again, or the ticket moved (given back, reassigned, handed to a department,
        resolved...), so its asker holds it no more.  A press then grants or refuses nothing:
        pressed after 不同意, or after the case went to another worker, the old 同意 had
        extended it, and told the new holder of time they never asked for.  Staff who still
        mean to extend it type /extend."""
        events = await turn.tx.events(ticket.id)
        if not any(event.id == request and event.action == "extend_request" for event in events):
            turn.say("extend_none_waiting", ticket=self.render.label(ticket))  # not this one's
            return True
        assert request is not None
        ended = extension.superseded(events, request)
        if ended is None:
            return False
        name = ended.actor_name or ""
        if ended.actor_id is not None and self._in_public_group(turn):
            actor = await turn.tx.person(ended.actor_id)
            if actor is not None:
                name = holder_said(self.config, name, actor.role, turn.lang, True)
        turn.say(
            "extend_button_stale", ticket=self.render.label(ticket),
            number=self.render.number(ticket),
            action=i18n.name(f"action.{ended.action}", turn.lang), name=name,
            when=self.render.local_time(ended.at),
        )
        return True

    async def _waiting_request(self, turn: Turn, ticket: TicketRecord) -> EventRecord | None:
        """The holder's request staff have not answered, on the ticket's current clock; the
        reply says why there is none to answer."""
        label = self.render.label(ticket)
        if not grants_extension(turn.actor.role):
            turn.say("extend_decline_by_staff", ticket=label)
            return None
        clocked = await turn.tx.supervised_ticket(ticket.id, CLOCK_STARTS)
        events = await turn.tx.events(ticket.id)
        request = extension.pending_request(events, clocked.since) if clocked else None
        if request is None:
            turn.say("extend_none_waiting", ticket=label)
        return request

    async def _grant_request(self, turn: Turn, ticket: TicketRecord, reason: str) -> None:
        """"同意延期 12": staff grant the request waiting, the time it asked for, as its
        button does."""
        request = await self._waiting_request(turn, ticket)
        if request is not None:
            more, longer = extension.requested(request, limits(self.config, ticket)[Stage.RESOLVE])
            await self._grant_extension(turn, ticket, more, longer, reason)

    async def _decline_extension(self, turn: Turn, ticket: TicketRecord, reason: str) -> None:
        """"不同意延期 12 [why]": staff say no to the request waiting; the worker who asked is
        told, and the escalations stop repeating it (`bot.extension.pending_request`)."""
        label = self.render.label(ticket)
        request = await self._waiting_request(turn, ticket)
        if request is None:
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
        request = await turn.tx.add_event(
            ticket.id, turn.person.id, "extend_request", turn.now, payload
        )
        lang, number = self.config.language, self.render.number(ticket)

        def notice(residents: bool) -> str:
            """The request as a room reads it: one the residents read, not the reason,
            which is the desk's, nor the department's name (`bot.privacy.residents_read`)."""
            area = self.config.area_name(ticket.area)
            if ticket.department is not None:  # who asks: 东镇（转派出所）, as escalations say
                department = department_said(self.config, ticket.department, lang, residents)
                area += i18n.t("dispatched_to", lang, department=department)
            said = i18n.t("comment_suffix", lang, text=reason) if reason and not residents else ""
            return i18n.t(
                "extend_request_staff", lang, ticket=self.render.label(ticket),
                area=area,
                name=holder_said(self.config, turn.actor.name, turn.actor.role, lang, residents),
                by=self.render.duration(more, lang), limit=self.render.duration(limit, lang),
                reason=said, number=number, until=self.render.duration(longer, lang),
                until_code=until,
            )

        turn.say(
            "extend_requested", ticket=self.render.label(ticket),
            by=self.render.duration(more, turn.lang),
        )
        buttons = extension.buttons(number, longer, lang, request)
        # Where supervision reports (the staff chat by default): the deadline is theirs.
        turn.outgoing += [
            (
                Outbound(
                    room.channel, room.chat_id,
                    notice(residents_read(self.config, room.channel, room.chat_id)),
                    buttons=buttons, ticket_id=ticket.id, kind="staff",
                ),
                None,
            )
            for room in self.config.notify_rooms
        ]
