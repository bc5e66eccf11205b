"""The reporter's answer to a follow-up visit (回访): 满意 / 基本满意 / 不满意, numbered or
not.  The visits themselves are `bot.followup`'s."""

from __future__ import annotations

from bot import followup, i18n
from bot.clock import parse_iso
from bot.commands import RATINGS, Command
from bot.desk.base import DeskBase, view
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
from storage.base import FollowUpRecord, TicketRecord

# The first words of each report a bare "满意" with several visits waiting lists, so the
# reporter knows which number is which (a phone's line: "#6「楼上装修天天到半夜…」").
WHICH_CHARS = 12
# The ratings read from everyday words (`bot.visit_words`) that the reporter may correct,
# once, by answering in the question's own words (a button, 「满意 1」, a bare 「不满意，…」).
# A 不满意 read so stands, as any does: it has sent the case back to staff.
CORRECTABLE = (Rating.SATISFIED.value, Rating.FAIR.value)


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
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        label, number = self.render.label(ticket), self.render.number(ticket)
        word, _, comment = command.args.partition(" ")
        rating = RATINGS.get(word.lower())
        if rating is None:
            turn.say("bad_rating", number=number)
            return
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
        }
        await turn.tx.add_event(ticket.id, turn.person.id, "rate", turn.now, payload)
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
        holder = await turn.tx.person(case.assignee_id) if case.assignee_id else None
        moved = None
        if case.id == ticket.id and rating_reopens(rating, turn.actor, view(ticket)):
            moved = await self._move(turn, Action.REOPEN, ticket, None, detail={"via": "rate"})
        reopened = moved is not None
        department = moved is not None and moved.department is not None
        key = "rate_reopened_department" if department else (
            "rate_reopened" if reopened else "rate_flagged"
        )
        told = i18n.t(key, turn.lang, ticket=label)
        if command.in_words:  # how it was read, and that 不满意 stands
            told = f"{read}\n{told}\n{i18n.t('rate_read_stands', turn.lang)}"
        turn.reply(told)
        if moved is not None and moved.department is not None:
            # A department's case goes back to its queue, not the grid's (`_tell_department`).
            await self._tell_department(turn, moved, comment, told=holder.id if holder else None)
        if moved is not None:
            await self._tell_assisting_reopened(turn, moved, comment)
        claims = moved is not None and holder is not None and may_act_on_ticket(
            actor_of(holder), Action.CLAIM, view(moved)
        )
        notices = followup.unsatisfied_notices(
            ticket, case, turn.person, holder, comment, reopened, self.config, self.render,
            claims,
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
