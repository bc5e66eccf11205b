"""The reporter's answer to a follow-up visit (回访): 满意 / 基本满意 / 不满意, numbered or
not.  The visits themselves are `bot.followup`'s."""

from __future__ import annotations

from collections.abc import Mapping

from bot import followup, i18n
from bot.clock import parse_iso
from bot.commands import RATINGS, Command
from bot.desk.base import DeskBase, view
from bot.filing import reports_about_the_desk
from bot.privacy import ABOUT_THE_DESK_WORDS
from bot.render import clip
from bot.turn import Turn, actor_of
from bot.workflow import (
    RATEABLE_FOLLOWUP,
    RATEABLE_TICKET,
    Action,
    FollowUpState,
    Rating,
    may_act_on_ticket,
    rating_reopens,
)
from storage.base import FollowUpRecord, PersonRecord, TicketRecord

# The first words of each report a bare "满意" with several visits waiting lists, so the
# reporter knows which number is which (a phone's line: "#6「楼上装修天天到半夜…」").
WHICH_CHARS = 12
# The ratings read from everyday words (`bot.visit_words`) that the reporter may correct,
# once, by answering in the question's own words (a button, 「满意 1」, a bare 「不满意，…」).
# A 不满意 read so stands, as any does: it has sent the case back to staff.
CORRECTABLE = (Rating.SATISFIED.value, Rating.FAIR.value)
# The "via" of an answer staff recorded from a phone call (电话回访, `Ratings.visit`): in its
# event only (the visit's row keeps `rated_via` for a rating the reporter may correct).
PHONE = "phone"


def correctable(visit: FollowUpRecord) -> bool:
    """Whether `visit`'s rating was read from everyday words and may still be corrected."""
    return (
        visit.state == FollowUpState.RATED and visit.rated_via == "words"
        and visit.rating in CORRECTABLE
    )


class Ratings(DeskBase):
    async def rate(self, turn: Turn, command: Command) -> None:
        """The reporter's answer to a follow-up visit: once per resolution; 不满意 reopens
        a resolved ticket (the reporter's /reopen) and tells staff either way."""
        if command.ticket is None:
            await self._rate_unnumbered(turn, command)
            return
        asked = await self._rating_asked(turn, command, "bad_rating")
        if asked is None:
            return
        ticket, rating, comment = asked
        label, number = self.render.label(ticket), self.render.number(ticket)
        if not may_act_on_ticket(turn.actor, Action.RATE, view(ticket)):
            turn.say("rate_not_reporter", ticket=label)
            return
        visit = await turn.tx.latest_followup(ticket.id)
        rated = visit is not None and visit.state == FollowUpState.RATED
        corrects = rated and visit is not None and correctable(visit)
        if rated and not corrects:
            self._rated_already(turn, ticket, rating, visit.rating if visit else None)
            return
        case = await followup.case_of(turn.tx, ticket)  # a merged ticket's: where it went
        if case.status not in RATEABLE_TICKET or case.withdrawn:  # withdrawn: nothing to rate
            self._cannot(turn, self.render.label(case), case, Action.RATE)
            return
        if visit is None or (visit.state not in RATEABLE_FOLLOWUP and not corrects):
            turn.say("rate_not_open", ticket=label)
            return
        # A rating read from words is corrected by answering again, once (`correctable`): one
        # conditional update, so of two corrections at once one is applied.
        via = "words" if command.in_words else "correction" if corrects else None
        if not await (
            turn.tx.correct_rating(visit.id, CORRECTABLE, rating.value, turn.now) if corrects
            else turn.tx.rate_followup(
                visit.id, sorted(RATEABLE_FOLLOWUP), rating.value, turn.now, via
            )
        ):
            # A second answer handled at the same moment (another process) won.
            winner = await turn.tx.latest_followup(ticket.id)
            self._rated_already(turn, ticket, rating, winner.rating if winner else None)
            return
        comment = comment.strip()
        payload = {
            "rating": rating.value, **({"text": comment} if comment else {}),
            **({"via": via} if via else {}),
            # The words it was read from, which the history quotes (`Renderer.history_line`).
            **({"said": turn.inbound.text.strip()} if command.in_words else {}),
            **self._about_the_desk(comment),
        }
        moved = await self._record_answer(turn, ticket, case, turn.person, rating, payload)
        named = i18n.name(f"rating.{rating}", turn.lang)
        read = i18n.t(
            "rate_read", turn.lang, ticket=label, rating=named,
            comment=i18n.t("rate_read_comment", turn.lang, text=comment) if comment else "",
        )
        if rating is not Rating.UNSATISFIED:
            if command.in_words:
                turn.reply(read + i18n.t("rate_read_correct", turn.lang, number=number))
            else:
                turn.say("rate_corrected" if corrects else "rate_thanks", ticket=label,
                         rating=named)
            return
        reopened = moved is not None
        department = moved is not None and moved.department is not None
        key = "rate_reopened_department" if department else (
            "rate_reopened" if reopened else "rate_flagged"
        )
        told = i18n.t(key, turn.lang, ticket=label)
        if command.in_words:  # how it was read, and that 不满意 stands
            told = f"{read}\n{told}\n{i18n.t('rate_read_stands', turn.lang)}"
        if ABOUT_THE_DESK_WORDS in payload:  # where their words about the desk went
            told += "\n" + i18n.t("rate_about_the_desk", turn.lang)
        turn.reply(told)
        await self._tell_unsatisfied(
            turn, ticket, case, turn.person, moved, comment, ABOUT_THE_DESK_WORDS in payload
        )

    async def _rating_asked(
        self, turn: Turn, command: Command, bad_rating: str
    ) -> tuple[TicketRecord, Rating, str] | None:
        """The ticket a rating is for, the rating and the words after it (`满意 12 很好`),
        from the reporter's answer or staff's record of a phone visit; None, the sender told
        why (`bad_rating`: the key for a word that is no rating), when there is none."""
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return None
        word, _, comment = command.args.partition(" ")
        rating = RATINGS.get(word.lower())
        if rating is None:
            turn.say(bad_rating, number=self.render.number(ticket))
            return None
        return ticket, rating, comment

    async def visit(self, turn: Turn, command: Command) -> None:
        """A visit staff made by phone (电话回访), written down as the reporter's own answer:
        a hotline caller's (`bot.hotline`: no chat at all), or a reporter's the bot cannot
        write to (never one to one, WeChat past its 48 hours).  Their visits sat in 待结案 as
        未回访 while staff phoned, with nowhere to put what was said: the figures (满意率),
        the ledger and 结案 满意 count it now, and 不满意 reopens or tells staff exactly as the
        reporter's would.  The history names who recorded it, and that it was by phone."""
        asked = await self._rating_asked(turn, command, "visit_bad_rating")
        if asked is None:
            return
        ticket, rating, comment = asked
        label, number = self.render.label(ticket), self.render.number(ticket)
        visit = await turn.tx.latest_followup(ticket.id)
        if visit is not None and visit.state == FollowUpState.RATED:
            self._visit_answered(turn, ticket, visit.rating)
            return
        case = await followup.case_of(turn.tx, ticket)  # a merged ticket's: where it went
        if (
            visit is None or visit.state not in RATEABLE_FOLLOWUP
            or case.status not in RATEABLE_TICKET or case.withdrawn
        ):
            turn.say("visit_not_waiting", ticket=label)
            return
        if not await turn.tx.rate_followup(
            visit.id, sorted(RATEABLE_FOLLOWUP), rating.value, turn.now, None
        ):  # the reporter's own answer (or a colleague's call) at the same moment won
            winner = await turn.tx.latest_followup(ticket.id)
            self._visit_answered(turn, ticket, winner.rating if winner else None)
            return
        reporter = await turn.tx.person(ticket.reporter_id)
        assert reporter is not None
        comment = comment.strip()
        payload = {
            "rating": rating.value, **({"text": comment} if comment else {}), "via": PHONE,
            **self._about_the_desk(comment),
        }
        moved = await self._record_answer(turn, ticket, case, reporter, rating, payload)
        outcome = ""
        if rating is Rating.UNSATISFIED:
            key = "visit_reopened" if moved is not None else "visit_flagged"
            outcome = "\n" + i18n.t(key, turn.lang, number=number)
        turn.reply(i18n.t(
            "visit_recorded", turn.lang, ticket=label,
            rating=i18n.name(f"rating.{rating}", turn.lang),
            comment=i18n.t("rate_read_comment", turn.lang, text=comment) if comment else "",
        ) + outcome)
        if rating is Rating.UNSATISFIED:
            await self._tell_unsatisfied(
                turn, ticket, case, reporter, moved, comment, ABOUT_THE_DESK_WORDS in payload
            )

    def _about_the_desk(self, comment: str) -> dict[str, object]:
        """The mark of a visit's answer whose words are about the desk's own people, as a
        report of them would be filed as one (`reports_about_the_desk`): "不满意，网格员态度
        恶劣，收了钱才办".  The rating counts as any; the words are the staff room's, kept
        from the grid and the departments (`bot.privacy.history_seen`, `_tell_unsatisfied`)."""
        if comment and reports_about_the_desk(comment, self.config):
            return {ABOUT_THE_DESK_WORDS: True}
        return {}

    def _visit_answered(self, turn: Turn, ticket: TicketRecord, rating: str | None) -> None:
        """One answer per resolution, the reporter's or the phone's: a second call's is not
        recorded over the first."""
        turn.say(
            "visit_answered", ticket=self.render.label(ticket),
            rating=i18n.name(f"rating.{rating}", turn.lang),
        )

    async def _record_answer(
        self,
        turn: Turn,
        ticket: TicketRecord,
        case: TicketRecord,
        reporter: PersonRecord,
        rating: Rating,
        payload: Mapping[str, object],
    ) -> TicketRecord | None:
        """What an answer to a visit does, whoever records it (the reporter, or staff who
        phoned them): its "rate" event, by whoever sends it; and 不满意 on a resolved ticket
        of its own reopens it, as the reporter's /reopen would (`rating_reopens`, asked of
        the reporter: staff may reopen a closed ticket, its reporter may not, so a phoned
        不满意 leaves a closed one closed, as theirs does).  The reopened ticket, or None."""
        await turn.tx.add_event(ticket.id, turn.person.id, "rate", turn.now, dict(payload))
        if case.id != ticket.id or not rating_reopens(rating, actor_of(reporter), view(ticket)):
            return None
        detail: dict[str, object] = {"via": "rate"}
        if payload.get("via") == PHONE:
            detail["by_phone"] = True
        return await self._move(turn, Action.REOPEN, ticket, None, detail=detail)

    async def _tell_unsatisfied(
        self,
        turn: Turn,
        ticket: TicketRecord,
        case: TicketRecord,
        reporter: PersonRecord,
        moved: TicketRecord | None,
        comment: str,
        about_the_desk: bool = False,
    ) -> None:
        """不满意: who worked the case hears it (`followup.unsatisfied_notices`), and a
        reopened one goes back to its department's liaisons and those assisting.
        `about_the_desk`: the comment is about the desk's own people (`_about_the_desk`), the
        staff room's to read; a department's liaisons, kept from such words
        (`kept_from_words_about_the_desk`), are told the case is back without them."""
        holder = await turn.tx.person(case.assignee_id) if case.assignee_id else None
        reason = "" if about_the_desk else comment
        if moved is not None and moved.department is not None:
            # A department's case goes back to its queue, not the grid's (`_tell_department`).
            await self._tell_department(turn, moved, reason, told=holder.id if holder else None)
        if moved is not None:
            await self._tell_assisting_reopened(turn, moved, reason)
        claims = moved is not None and holder is not None and may_act_on_ticket(
            actor_of(holder), Action.CLAIM, view(moved)
        )
        notices = followup.unsatisfied_notices(
            ticket, case, reporter, holder, comment, moved is not None, self.config,
            self.render, claims, about_the_desk,
        )
        turn.outgoing += [(m, None) for m in notices]

    async def _rate_unnumbered(self, turn: Turn, command: Command) -> None:
        """A bare "满意": the answer to the one visit waiting for the sender's rating.  With
        several, they are asked which; with none, in a group it is talk like any other (no
        reply), in a private chat they are told there is nothing to rate."""
        waiting = await turn.tx.tickets_awaiting_rating(  # or one read from words, to correct
            turn.person.id, sorted(RATEABLE_TICKET), sorted(RATEABLE_FOLLOWUP), limit=5,
            correctable=CORRECTABLE,
        )
        if len(waiting) == 1:
            number = waiting[0].id
            await self.rate(turn, Command(Action.RATE, number, command.args))
        elif waiting:
            rating = i18n.name(f"rating.{command.args.partition(' ')[0]}", turn.lang)
            lines = [await self._which_line(turn, t) for t in waiting]
            turn.say(
                "rate_which", tickets="\n".join(lines), rating=rating,
                number=self.render.number(waiting[0]),
            )
        elif turn.inbound.room.is_private:
            turn.say("rate_nothing_waiting")

    async def _which_line(self, turn: Turn, ticket: TicketRecord) -> str:
        """One visit waiting, as the reporter tells it from the others: its number, the first
        words of the report (as the room may show them: in a group, not a private report's)
        and the day of the resolution it asks about."""
        visit = await turn.tx.latest_followup(ticket.id)
        day = parse_iso(visit.resolved_at if visit else ticket.updated_at).astimezone(
            self.render.zone
        )
        words = self._shown(turn, ticket).text.replace("\n", " ")
        return i18n.t(
            "rate_which_line", turn.lang, ticket=self.render.label(ticket),
            summary=clip(words, WHICH_CHARS), month=i18n.name(f"month.{day.month}", turn.lang),
            day=day.day,
        )

    def _rated_already(
        self, turn: Turn, ticket: TicketRecord, answer: Rating, rating: str | None
    ) -> None:
        """One rating per resolution; a second 不满意 still means "not solved", so the reporter
        is told the way to say so that counts (重开), where they may use it."""
        text = i18n.t(
            "rate_already", turn.lang,
            ticket=self.render.label(ticket), rating=i18n.name(f"rating.{rating}", turn.lang),
        )
        if answer is Rating.UNSATISFIED and may_act_on_ticket(
            turn.actor, Action.REOPEN, view(ticket)
        ):
            text += "\n" + i18n.t("rate_reopen_hint", turn.lang, number=self.render.number(ticket))
        turn.reply(text)
