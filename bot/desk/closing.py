"""Closing resolved cases (结案): one by hand (结案 12), or together, at a county's scale.

A county takes a thousand reports a month; the centre's workflow is 办结 (resolved), then
the follow-up visit (回访: 满意 / 基本满意 / 不满意, `bot.followup`), then 结案 (closed,
archived).  Closing stays staff's decision (a 不满意 on a closed case does not reopen it), but
one ticket at a time, with nothing listing those waiting, nobody would.  So 待结案 (结案 or
/close alone) lists the resolved tickets with how their visit stands, and 结案 满意 (/close
satisfied) closes those whose reporter answered 满意 or 基本满意 (`bot.workflow.CLOSES_ON`),
each exactly as 结案 12 closes one (`Closing._close`).

About two reporters in five never answer the visit, so those would wait in 待结案 for
ever: 结案 未回复 (/close unanswered) closes the ones whose visit went unanswered for
`[followup] unanswered_after` (asked that long ago, or never sendable and resolved that
long ago; `Tx.awaiting_closure`), each close recording why (回访无应答 in its history).
Still staff's decision, sent by them: nothing closes a ticket by itself."""

from __future__ import annotations

from bot import i18n
from bot.clock import iso, parse_iso
from bot.commands import CLOSE_RATED, CLOSE_UNANSWERED, Command
from bot.desk.base import LIST_LIMIT, DeskBase
from bot.turn import Turn
from bot.workflow import CLOSES_ON, Action, FollowUpState, visit_standing
from storage.base import TicketRecord

# 待结案 lists `LIST_LIMIT` tickets, as the other lists do, and says how many more there are.
# The most tickets one 结案 满意 (or 结案 未回复) closes (each a transition, an event and an edited
# acknowledgement, in the message's transaction); the rest by sending it again, as told.
CLOSE_MAX = 300
# The labels its reply names (#3、#5、…), then 等.
LABELS_LISTED = 20
_RATINGS = sorted(CLOSES_ON)


class Closing(DeskBase):
    async def close(self, turn: Turn, command: Command) -> None:
        """结案 12 closes one resolved ticket; with no number, 结案 满意 [scope] closes those
        answered 满意 or 基本满意, 结案 未回复 [scope] those whose visit went unanswered, and
        otherwise (结案, 待结案 [scope]) the list."""
        if command.ticket is None:
            first, _, scope = command.args.partition(" ")
            if first in (CLOSE_RATED, CLOSE_UNANSWERED):
                await self._close_batch(turn, first, scope.strip())
            else:
                await self._to_close(turn, command.args.strip())
            return
        ticket = await self._visible(turn, command.ticket)
        if ticket and await self._close(turn, ticket):
            text = i18n.t("closed", turn.lang, ticket=self.render.label(ticket))
            turn.reply(text + await self._visit_note(turn, ticket))

    async def _visit_note(self, turn: Turn, ticket: TicketRecord) -> str:
        """结案 12 before the visit (办结 → 回访 → 结案) still closes: staff decide.  But it
        closed at once, unsaid, a case resolved minutes earlier, so the reply now says what
        it skipped ("" when nothing): a visit still to be asked of a reporter the bot can
        write to will not be (`bot.workflow.followup_outcome` cancels it when due; until then
        the reporter may still type 满意 12); one asked and not yet answered may still be
        answered, and a 不满意 then goes to staff without reopening the ticket."""
        visit = await turn.tx.latest_followup(ticket.id)
        if visit is None:
            return ""
        if visit.state == FollowUpState.ASKED:
            return "\n" + i18n.t("closed_visit_asked", turn.lang)
        if visit.state != FollowUpState.PENDING:
            return ""
        reporter = await turn.tx.person(ticket.reporter_id)
        if reporter is None or not await turn.tx.has_private_chat(
            reporter.channel, reporter.user_id
        ):
            return ""  # it could not have been asked (the reporter never wrote one to one)
        return "\n" + i18n.t("closed_visit_pending", turn.lang)

    async def _close(
        self, turn: Turn, ticket: TicketRecord, detail: dict[str, object] | None = None
    ) -> TicketRecord | None:
        """The one way a ticket is closed, by hand or together with others: the transition,
        its "close" event by the staff member (what /ticket, the ledger and /stats read) and
        the group's acknowledgement edited to 已结案 (`DeskBase._move`)."""
        return await self._move(turn, Action.CLOSE, ticket, ticket.assignee_id, detail=detail)

    def _scope(self, turn: Turn, words: str) -> tuple[str | None, str | None] | None:
        """(area, department) the words name, (None, None) for every area's; None once the
        reply has said they name neither."""
        return self._named_scope(turn, words.split()[0]) if words else (None, None)

    def _unanswered_before(self, turn: Turn) -> str:
        """The moment before which a visit asked, or a resolution whose visit could not be
        sent, has gone unanswered long enough for 结案 未回复 (`[followup] unanswered_after`)."""
        return iso(parse_iso(turn.now) - self.config.followup.unanswered_wait)

    async def _to_close(self, turn: Turn, words: str) -> None:
        """The resolved tickets not yet closed, the earliest resolution first, each with how
        its visit stands and how long ago it was resolved; then how many 结案 满意 and
        结案 未回复 would close."""
        scope = self._scope(turn, words)
        if scope is None:
            return
        area, department = scope
        where = self._scope_name(turn, area, department)
        found = await turn.tx.awaiting_closure(area, department, LIST_LIMIT)
        if not found:
            turn.say("to_close_empty", area=where)
            return
        counts = await turn.tx.awaiting_closure_counts(
            area, department, _RATINGS, self._unanswered_before(turn)
        )
        now = parse_iso(turn.now)
        lines = [i18n.t("to_close_header", turn.lang, area=where, count=counts.waiting)]
        for item in found:
            since = self.render.duration(now - parse_iso(item.resolved_at), turn.lang)
            visit = i18n.name(f"visit.{visit_standing(item.visit, item.rating)}", turn.lang)
            # A withdrawal is never visited (`bot.followup`): not a visit still to come.
            key = "to_close_line_withdrawn" if item.ticket.withdrawn else "to_close_line"
            line = self._list_line(turn, item.ticket)
            lines.append(i18n.t(key, turn.lang, line=line, visit=visit, since=since))
        if counts.waiting > len(found):
            lines.append(i18n.t("to_close_more", turn.lang, count=counts.waiting - len(found)))
        if counts.rated:
            command = self._batch_command(turn, CLOSE_RATED, words)
            lines.append(i18n.t("to_close_hint", turn.lang, count=counts.rated, command=command))
        if counts.unanswered:
            lines.append(
                i18n.t(
                    "to_close_unanswered_hint", turn.lang,
                    what=i18n.counted(
                        turn.lang,
                        ("to_close_unanswered_part", counts.unanswered - counts.withdrawn),
                        ("to_close_withdrawn_part", counts.withdrawn),
                        after=self._unanswered_after(turn),
                    ),
                    command=self._batch_command(turn, CLOSE_UNANSWERED, words),
                )
            )
        turn.reply("\n".join(lines))

    async def _close_batch(self, turn: Turn, batch: str, words: str) -> None:
        """Close every resolved ticket (of the scope) of `batch`, the earliest resolution
        first, at most `CLOSE_MAX`: for `CLOSE_RATED` those whose visit about the resolution
        that stands was answered 满意 or 基本满意; for `CLOSE_UNANSWERED` those whose visit
        went unanswered (`_unanswered_before`).  Never one not yet visited (its question still
        to be sent) or answered 不满意; neither batch closes the other's."""
        scope = self._scope(turn, words)
        if scope is None:
            return
        area, department = scope
        rated = batch == CLOSE_RATED
        kind = "rated" if rated else "unanswered"  # its messages' keys, its closes' "via"
        ratings = _RATINGS if rated else []
        before = None if rated else self._unanswered_before(turn)
        limit = CLOSE_MAX
        found = await turn.tx.awaiting_closure(area, department, limit + 1, ratings, before)
        closed: list[TicketRecord] = []
        for item in found[:limit]:
            # Locked as it is now: one changed since the list was read (reopened, say) is
            # left for the next time, rather than closed on what it was.
            ticket = await turn.tx.ticket(item.ticket.id, lock=True)
            if ticket is None or ticket.updated_at != item.ticket.updated_at:
                continue
            # A withdrawal had no visit to answer: its close says so, not 回访无应答.
            via = "withdrawn" if ticket.withdrawn and not rated else kind
            if await self._close(turn, ticket, {"via": via}):
                closed.append(ticket)
        where = self._scope_name(turn, area, department)
        after = "" if rated else self._unanswered_after(turn)
        if not closed:
            turn.say(f"closed_{kind}_none", area=where, after=after)
            return
        # Withdrawals went unvisited, not unanswered: said apart, not as 回访未回复.
        withdrawn = [t for t in closed if t.withdrawn and not rated]
        visited = [t for t in closed if t not in withdrawn]
        lines = [
            i18n.t(key, turn.lang, count=len(some), tickets=self._listed(turn, some), after=after)
            for key, some in ((f"closed_{kind}", visited), ("closed_withdrawn", withdrawn))
            if some
        ]
        if len(found) > limit:
            counts = await turn.tx.awaiting_closure_counts(area, department, ratings, before)
            left = counts.rated if rated else counts.unanswered
            command = self._batch_command(turn, batch, words)
            lines.append(
                i18n.t(f"closed_{kind}_more", turn.lang, count=left, command=command, after=after)
            )
        turn.reply("\n".join(lines))

    def _listed(self, turn: Turn, tickets: list[TicketRecord]) -> str:
        """#2、#5、#9, the first `LABELS_LISTED` and 等 after them."""
        labels = [self.render.label(t) for t in tickets]
        listed = i18n.joined(labels[:LABELS_LISTED], turn.lang)
        if len(labels) > LABELS_LISTED:
            listed = i18n.t("labels_more", turn.lang, tickets=listed)
        return listed

    def _unanswered_after(self, turn: Turn) -> str:
        """`[followup] unanswered_after` as people say it (7天, 7d)."""
        return self.render.duration(self.config.followup.unanswered_wait, turn.lang)

    @staticmethod
    def _batch_command(turn: Turn, batch: str, words: str) -> str:
        """结案 满意 (or 结案 未回复), with the scope the reader named (结案 满意 DZ), in their
        language."""
        scope = f" {words.split()[0]}" if words else ""
        key = "close_rated_command" if batch == CLOSE_RATED else "close_unanswered_command"
        return i18n.t(key, turn.lang, scope=scope)
