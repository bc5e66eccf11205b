"""Mediation sessions (调解): "调解 12 明天下午3点 人民调解室" calls the parties in.  Whoever
holds the case, or staff, sets it; the reporter is told privately when and where, and told
again when it moves (the same command again) or is called off (取消调解 12).  The session
is the ticket's history (`bot.mediation`); the sweep reminds before it."""

from __future__ import annotations

from datetime import datetime

from bot import i18n, mediation
from bot.clock import iso, parse_iso
from bot.commands import MEDIATION_OFF, Command
from bot.desk.base import DeskBase, view
from bot.sessiontime import SessionTimeError, parse_session
from bot.turn import Turn
from bot.workflow import HOTLINE_CHANNEL, MEDIATION_ALLOWED, Action, may_act_on_ticket
from storage.base import TicketRecord


class Mediating(DeskBase):
    async def mediate(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        label, number = self.render.label(ticket), self.render.number(ticket)
        if ticket.status not in MEDIATION_ALLOWED:
            status = self.render.status_name(ticket, turn.lang)
            turn.say("mediation_not_open", ticket=label, status=status)
            return
        if not may_act_on_ticket(turn.actor, Action.MEDIATE, view(ticket)):
            await self._refuse_holders_work(turn, ticket, "mediation_claim_first")
            return
        standing = mediation.current(await turn.tx.events(ticket.id))
        if command.args.strip().lower() in MEDIATION_OFF:
            await self._call_off(turn, ticket, standing)
            return
        now = parse_iso(turn.now).astimezone(self.config.work_calendar.zone)
        try:
            session = parse_session(command.args, now)
        except SessionTimeError as error:
            turn.say(error.key, value=error.value, number=number)
            return
        at = iso(session.at)
        payload: dict[str, object] = {"at": at, "place": session.place}
        if standing is not None:
            payload |= {"was_at": standing.at, "was_place": standing.place}
        await turn.tx.add_event(ticket.id, turn.person.id, mediation.SET, turn.now, payload)
        when = self.render.local_time(at)
        was = self.render.local_time(standing.at) if standing else ""
        moved = standing is not None
        told = await self._tell_reporter(
            turn, ticket, "mediation_reporter_moved" if moved else "mediation_reporter",
            when=when, place=session.place, was=was,
        )
        said = i18n.t("mediation_moved" if moved else "mediation_set", turn.lang, ticket=label,
                      when=when, place=session.place, was=was)
        turn.reply(said + self._off_day(session.at, turn.lang) + told)

    def _off_day(self, at: datetime, lang: str) -> str:
        """A note that the session falls on a day the centre is closed (an official or the
        county's own holiday, or a weekend not made a working day): accepted, as a Saturday
        mediation may be meant (the parties work in the week), but said, since one typed
        with the wrong day would call them in to a locked room.  "" on a working day."""
        calendar = self.config.work_calendar
        day = calendar.local_date(at)
        if calendar.is_working_day(day):
            return ""
        return i18n.t("mediation_holiday" if calendar.is_holiday(day) else "mediation_weekend",
                      lang)

    async def _call_off(
        self, turn: Turn, ticket: TicketRecord, standing: mediation.Session | None
    ) -> None:
        label = self.render.label(ticket)
        if standing is None:
            turn.say("mediation_none", ticket=label)
            return
        payload = {"at": standing.at, "place": standing.place}
        await turn.tx.add_event(ticket.id, turn.person.id, mediation.CANCELLED, turn.now, payload)
        when = self.render.local_time(standing.at)
        told = await self._tell_reporter(
            turn, ticket, "mediation_reporter_cancelled", when=when, place=standing.place,
            unreached="mediation_reporter_unreached_cancelled",
            hotline="mediation_reporter_hotline_cancelled",
        )
        said = i18n.t("mediation_cancelled", turn.lang, ticket=label, when=when,
                      place=standing.place)
        turn.reply(said + told)

    async def _tell_reporter(
        self, turn: Turn, ticket: TicketRecord, key: str,
        unreached: str = "mediation_reporter_unreached",
        hotline: str = "mediation_reporter_hotline", **params: str,
    ) -> str:
        """Tell the reporter, privately and in their language: where and when to come is
        theirs, not the group's.  One the bot cannot write to first is for the worker to
        phone, with what `unreached` says to tell them (a session called off is not a time
        and place to give): one who never wrote to it one to one; or a hotline's caller
        (`hotline`), who phoned the 12345 line and never could, so "never wrote to the bot"
        would puzzle the worker: their number is in the ticket's note.  What the reply adds
        about it ("" when the reporter is the sender)."""
        reporter = await turn.tx.person(ticket.reporter_id)
        if reporter is None or reporter.id == turn.person.id:
            return ""
        if reporter.channel == HOTLINE_CHANNEL:
            return i18n.t(hotline, turn.lang, platform=ticket.chat_id)
        if not await turn.tx.has_private_chat(reporter.channel, reporter.user_id):
            return i18n.t(unreached, turn.lang)
        lang = reporter.lang or self.config.language
        text = i18n.t(key, lang, ticket=self.render.label(ticket), **params)
        turn.direct(reporter, text, ticket.id)
        return i18n.t("mediation_reporter_told", turn.lang)
