"""Working a case: claim, release, resolve, reopen, dismiss (作废), withdraw (撤回), merge
(并案) and note (closing: `bot.desk.closing`).  Each moves the ticket through
`DeskBase._move`, so the rules of `bot.workflow.TRANSITIONS` are checked in one place, and
tells whoever should know."""

from __future__ import annotations

from bot import followup, i18n
from bot.clock import parse_iso
from bot.commands import SETTLED_CLEAR, Command, CommandError, merge_plan, settlement_of
from bot.desk.base import DeskBase, view
from bot.many_reporters import one_event
from bot.privacy import case_outcome_for, holder_said, outcome_aside
from bot.supervision import liaisons
from bot.turn import Turn
from bot.workflow import (
    NOTE_ALLOWED,
    SUPERVISED,
    TRANSITIONS,
    Action,
    Role,
    Stage,
    Status,
    may_act_on_ticket,
    may_now,
    merge_refusal,
    reopening,
    withdrawal_needs_a_worker,
)
from classifier import NOT_A_REPORT
from storage.base import TicketRecord

# How the corpus labels chatter (classifier/data): a dismissal is stored as that example.
CHATTER_URGENCY = "low"


class Casework(DeskBase):
    async def claim(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if ticket and await self._move(turn, Action.CLAIM, ticket, turn.person.id):
            await self._tell_taken_over(turn, ticket, "claimed_over_department")
            public = self._in_public_group(turn)
            name = holder_said(self.config, turn.actor.name, turn.actor.role, turn.lang, public)
            text = i18n.t("claimed", turn.lang, ticket=self.render.label(ticket), name=name)
            if turn.actor.role is Role.LIAISON and turn.inbound.room.is_private:
                # One to one, where no acknowledgement shows a 办结 button: what next.
                text += "\n" + i18n.t(
                    "claimed_next", turn.lang, number=self.render.number(ticket)
                )
            turn.reply(text)

    async def unclaim(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        if turn.actor.role is Role.LIAISON and ticket.status != Status.CLAIMED:
            await self._decline(turn, ticket, command.args)
            return
        alone = turn.actor.role is Role.LIAISON and await self._only_liaison(turn, ticket)
        detail: dict[str, object] = {"text": command.args} if command.args else {}
        if moved := await self._move(turn, Action.UNCLAIM, ticket, None, detail=detail):
            if alone and command.args and moved.department is not None:
                # Nobody else in the department to take it up: the reason is for the centre,
                # where it went only when sent back again (a round trip of the liaison's own).
                await self._decline(turn, moved, command.args)
            elif turn.actor.role is Role.LIAISON and moved.department is not None:
                # Their department's queue, not the centre's: say so, and how to send it there.
                turn.reply(self._routed(
                    turn, "unclaimed_department", ticket=self.render.label(ticket),
                    department=self.config.department_name(moved.department),
                    number=self.render.number(ticket),
                ))
            elif turn.actor.role is Role.GRID_WORKER and command.args:
                # "退回 3 需要派出所处理": only the centre transfers (转办), and it never heard
                # the reason; the case sat in the grid's queue until it escalated unclaimed.
                label = self.render.label(ticket)
                turn.say("unclaimed_told", ticket=label)
                notice = i18n.t(
                    "unclaimed_notice", self.config.language, ticket=label,
                    area=self.config.area_name(ticket.area), name=turn.actor.name,
                    reason=command.args, number=self.render.number(ticket),
                )
                turn.to_staff(self.config, notice, ticket.id, urgent=ticket.urgency == "urgent")
            else:
                turn.say("unclaimed", ticket=self.render.label(ticket))
            await self._tell_former_holder(turn, ticket, moved, None)  # staff gave it back

    async def _event_left_open(self, turn: Turn, ticket: TicketRecord) -> None:
        """After a resolution, the open tickets linked to it as one event (疑似同一事件: a
        neighbour reported the same blocked drain) that its resolver could resolve too: named
        to them, with the command.  They resolved one and the other waited, unclaimed, until
        it was escalated, its reporter told nothing.  Privately when asked in a residents'
        group, which is never told that two reports are linked."""
        others = [
            t for t in await one_event(turn.tx, ticket.id)
            if t.id != ticket.id and Status(t.status) in SUPERVISED
            and may_now(turn.actor, Action.RESOLVE, view(t))
        ]
        if not others:
            return
        text = i18n.t(
            "resolved_event_open", turn.lang, ticket=self.render.label(ticket),
            tickets=i18n.joined((self.render.label(t) for t in others), turn.lang),
            number=self.render.number(others[0]),
        )
        if self._in_public_group(turn):
            turn.direct(turn.person, text, ticket.id)
        else:
            turn.reply(text)

    @staticmethod
    async def _only_liaison(turn: Turn, ticket: TicketRecord) -> bool:
        """Whether the sender is the only liaison of the department leading `ticket`."""
        if ticket.department is None:
            return False
        others = [p for p in await liaisons(turn.tx, ticket.department) if p.id != turn.person.id]
        return not others

    async def _decline(self, turn: Turn, ticket: TicketRecord, reason: str) -> None:
        """A liaison's "退回 12 原因" on a ticket handed to their department that nobody there
        holds: not theirs to handle.  It goes back to its area's queue, and the centre is
        told why, to judge again (another department, or the grid).  The reason is required:
        the centre cannot route it better without it."""
        if not reason:
            turn.say("usage", usage=i18n.usage("decline", turn.lang))
            return
        department = self.config.department_name(ticket.department)
        moved = await self._move(
            turn, Action.DECLINE, ticket, None,
            detail={"department": ticket.department, "department_name": department,
                    "text": reason},
            department=None,
        )
        if not moved:
            return
        label = self.render.label(ticket)
        turn.say("declined", ticket=label)
        notice = i18n.t(
            "declined_notice", self.config.language, department=department,
            name=turn.actor.name, ticket=label, number=self.render.number(ticket),
            reason=reason,
        )
        turn.to_staff(self.config, notice, ticket.id, urgent=ticket.urgency == "urgent")
        # The department's other liaisons were asked to take it up: their 认领 would now be
        # refused as "not found", as after staff move it elsewhere (`_tell_former_holder`).
        code = ticket.department or ""
        others = [p for p in await liaisons(turn.tx, code) if p.id != turn.person.id]

        def told(lang: str) -> str:
            return i18n.t(
                "declined_colleagues", lang, name=turn.actor.name, ticket=label,
                department=department, comment=i18n.t("comment_suffix", lang, text=reason),
            )

        self._tell_each(turn, others, ticket, told)

    async def resolve(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        claims_first = ticket.status in TRANSITIONS[Action.CLAIM][0] and may_act_on_ticket(
            turn.actor, Action.CLAIM, view(ticket)
        )
        if not command.args:
            # Typed without an outcome, or the Resolve button: ask for the outcome, which
            # the reporter will be told, of someone who may resolve it; anyone else was
            # asked for it, and refused only once they had written it.
            action = Action.CLAIM if claims_first else Action.RESOLVE
            if await self._permitted(turn, action, ticket):
                turn.say("resolve_prompt", number=self.render.number(ticket))
            return
        before = ticket
        if claims_first:
            # A grid worker who went and settled a case nobody had claimed reports the outcome
            # straight away; they are the one who handled it, so it is claimed for them first
            # (both steps on the record) rather than refused with "claim it first".
            claimed = await self._move(turn, Action.CLAIM, ticket, turn.person.id)
            if not claimed:
                return
            ticket = claimed
        # 按期办结: on time or late against the resolve deadline in force (an extension too),
        # kept on the ticket (/stats, the ledger) and on this resolution (/workload).
        deadlines = await self._deadlines(turn, ticket)
        due = [when for stage, when, _ in deadlines if stage is Stage.RESOLVE]
        late = bool(due) and parse_iso(turn.now) >= due[0]
        # 调处结果: settled or not, as the outcome's first words say (化解成功率 in /stats).
        settled = settlement_of(command.args)
        detail: dict[str, object] = {"late": late}
        if settled is not None:
            detail["settled"] = settled
        moved = await self._move(
            turn, Action.RESOLVE, ticket, ticket.assignee_id, command.args, detail=detail
        )
        if not moved:
            return
        await turn.tx.set_resolution_marks(moved.id, late, settled)
        if before.status == Status.CLAIMED:
            await self._tell_taken_over(turn, before, "resolved_over_holder", command.args)
        else:
            await self._tell_taken_over(turn, before, "resolved_over_department", command.args)
        lang = await self._reporter_lang(turn, ticket)
        label, number = self.render.label(ticket), self.render.number(ticket)
        quoted = self.render.quoted_resolution(ticket, command.args, lang)
        notice = i18n.t("resolved_reporter", lang, ticket=label, number=number, text=quoted)
        room = turn.inbound.room
        if (room.channel, room.chat_id) != (ticket.channel, ticket.chat_id):
            turn.say("resolved", ticket=label, text=command.args)
        turn.to_ticket_chat(moved, notice, kind="resolved")
        await self._event_left_open(turn, moved)
        merged = await self._tell_merged(turn, moved, command.args)
        await self._tell_assisting(turn, moved, command.args)
        for resolved in (moved, *merged):  # each reporter is visited, after their notice
            asked = await followup.schedule(turn.tx, resolved, turn.now, self.config, self.render)
            turn.outgoing += [(m, None) for m in asked]

    async def settled(self, turn: Turn, command: Command) -> None:
        """"调处结果 12 化解成功" (/settled 12 settled): whether a resolution settled the
        dispute, said afterwards by whoever resolved it, or by staff, when its outcome did
        not say so in its first words (or said it wrong)."""
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        cleared = command.args.strip().lower() in SETTLED_CLEAR
        settled = None if cleared else settlement_of(command.args)
        if settled is None and not cleared:
            turn.say("usage", usage=i18n.usage("settled", turn.lang))
            return
        label = self.render.label(ticket)
        if ticket.status not in (Status.RESOLVED, Status.CLOSED):
            status = self.render.status_name(ticket, turn.lang)
            turn.say("settled_not_resolved", ticket=label, status=status)
            return
        if not may_act_on_ticket(turn.actor, Action.SETTLED, view(ticket)):
            holder = await self._holder_name(turn, ticket)
            turn.say("not_holder", ticket=label, holder=holder or "?")
            return
        await turn.tx.set_resolution_marks(ticket.id, ticket.resolved_late, settled)
        payload = {"settled": settled}
        await turn.tx.add_event(ticket.id, turn.person.id, "settled", turn.now, payload)
        result = i18n.settlement_label(settled, turn.lang)
        turn.say("settled_recorded" if not cleared else "settled_cleared", ticket=label,
                 result=result)

    async def _tell_merged(
        self, turn: Turn, main: TicketRecord, outcome: str
    ) -> list[TicketRecord]:
        """The reporters of the tickets merged into `main` (并案) are told its outcome, each
        under their own ticket's number, where they reported it; those tickets.  Not one of
        main's own reporter's (their pictures sent before the words, or a report made twice):
        they are told, and visited, once.  So is another resident who made several of them
        (the flood at the bridge posted three times, in other words each time): under their
        first; they were told three times and asked three times how they were served."""
        merged: dict[int, TicketRecord] = {}
        for ticket in sorted(await turn.tx.merged_tickets(main.id), key=lambda t: t.id):
            if ticket.reporter_id != main.reporter_id:
                merged.setdefault(ticket.reporter_id, ticket)
        for ticket in merged.values():
            lang = await self._reporter_lang(turn, ticket)
            labels = {"ticket": self.render.label(ticket), "main": self.render.label(main)}
            if outcome_aside(self.config, ticket.channel, ticket.chat_id, main):
                notice = i18n.t(
                    "merged_resolved_aside", lang, number=self.render.number(ticket), **labels
                )
            else:
                notice = i18n.t(
                    "merged_resolved_reporter", lang,
                    text=case_outcome_for(self.config, outcome, False), **labels,
                )
            turn.to_ticket_chat(ticket, notice, kind="resolved")
        return list(merged.values())

    async def reopen(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if ticket and reopening(Status(ticket.status)) is Action.RESTORE:
            await self._restore(turn, ticket, command.args)
        elif ticket and (moved := await self._move(turn, Action.REOPEN, ticket, None, None)):
            if command.args:
                await turn.tx.add_event(
                    ticket.id, turn.person.id, "note", turn.now, {"text": command.args}
                )
            turn.say("reopened", ticket=self.render.label(ticket))
            await self._tell_department(turn, moved, command.args)
            await self._tell_resolver(turn, ticket, command.args)
            await self._tell_assisting_reopened(turn, moved, command.args)

    async def _tell_resolver(self, turn: Turn, ticket: TicketRecord, reason: str) -> None:
        """The grid worker who resolved a reopened ticket is told privately, with why: it
        is back in the queue, and they know the case.  (A department's liaisons all are,
        `_tell_department`; a 不满意 answer tells them its own way, `bot.followup`.)"""
        holder_id = ticket.assignee_id
        if ticket.department is not None or holder_id is None or holder_id == turn.person.id:
            return
        holder = await turn.tx.person(holder_id)
        if holder is None:
            return
        key = "reopened_withdrawn_holder" if ticket.withdrawn else "reopened_holder"

        def text(lang: str) -> str:
            fields = self._reopened_fields(ticket, lang)
            return i18n.t(key, lang, reason=self._reopened_reason(reason, lang), **fields)

        self._tell_each(turn, [holder], ticket, text)

    async def _restore(self, turn: Turn, ticket: TicketRecord, reason: str) -> None:
        """/reopen of a dismissed ticket: staff bring it back to the queue as it came in,
        its deadlines counting from its filing (`bot.workflow.reopening`).  The training
        example its dismissal stored is withdrawn: the desk now says it is a report."""
        detail: dict[str, object] | None = {"text": reason} if reason else None
        if await self._move(turn, Action.RESTORE, ticket, None, detail=detail):
            await turn.tx.withdraw_training_examples(ticket.id, NOT_A_REPORT)
            turn.say("restored", ticket=self.render.label(ticket))

    async def dismiss(self, turn: Turn, command: Command) -> None:
        """Withdraw a ticket that is not a report after all (group chatter the classifier
        filed): out of the queue, supervision and /overdue, no follow-up visit, counted
        apart by /stats.  The group's acknowledgement is edited to say so, and that is
        all the group sees; the "reporter" reported nothing, so nobody tells them
        privately.  The text becomes a training example labelled as chatter, as /retag
        would store it: the desk's corrections are what retraining learns from."""
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        merged = await turn.tx.merged_tickets(ticket.id)
        if merged and ticket.status in TRANSITIONS[Action.DISMISS][0]:
            numbers = i18n.joined((self.render.label(t) for t in merged), turn.lang)
            turn.say("dismiss_has_merged", ticket=self.render.label(ticket), merged=numbers)
            return
        reason: dict[str, object] | None = {"text": command.args} if command.args else None
        if not await self._move(turn, Action.DISMISS, ticket, None, detail=reason):
            return
        await turn.tx.add_training_example(
            ticket.id, ticket.text, NOT_A_REPORT, CHATTER_URGENCY, turn.person.id, turn.now
        )
        turn.say("dismissed", ticket=self.render.label(ticket), number=self.render.number(ticket))
        await self._tell_dismissed(turn, ticket, command.args)

    async def _tell_dismissed(self, turn: Turn, ticket: TicketRecord, reason: str) -> None:
        """Who was working `ticket` (as it was before it was dismissed) is told it is no case:
        its holder, or the liaisons of the department whose queue it waited in (转办), and
        those of the departments assisting with it (协办), whom its outcome would have
        reached.  Staff dismissing a case someone held left them chasing it, the case gone
        from their /mine without a word, as an assignment, a merge or a withdrawal never
        does.  Not the one who dismissed it."""
        people = {p.id: p for p in await self._working_on(turn, ticket)}
        for code in ticket.assisting:
            for person in await liaisons(turn.tx, code):
                people.setdefault(person.id, person)
        people.pop(turn.person.id, None)
        label, by = self.render.label(ticket), turn.actor.name

        def text(lang: str) -> str:
            comment = i18n.t("comment_suffix", lang, text=reason) if reason else ""
            return i18n.t("dismissed_notice", lang, by=by, ticket=label, comment=comment)

        self._tell_each(turn, people.values(), ticket, text)

    async def withdraw(self, turn: Turn, command: Command) -> None:
        """The reporter takes their report back: "撤回 1 我们两家自己协商好了".  The case ends
        as resolved with their words as its outcome (no follow-up visit: there is nothing to
        rate), and the worker holding it is told privately, so nobody keeps chasing a
        settled dispute.  An urgent or safety-flagged ticket stays open: the withdrawal is
        recorded and the desk told, and a worker checks before resolving it
        (`bot.workflow.withdrawal_needs_a_worker`)."""
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        label, reason = self.render.label(ticket), command.args.strip()
        lang = self.config.language
        merged_in = bool(await turn.tx.merged_tickets(ticket.id))
        if ticket.status in TRANSITIONS[Action.WITHDRAW][0] and withdrawal_needs_a_worker(
            view(ticket), merged_in
        ) and may_act_on_ticket(turn.actor, Action.WITHDRAW, view(ticket)):
            await turn.tx.add_event(
                ticket.id, turn.person.id, "withdraw_request", turn.now,
                {"text": reason} if reason else {},
            )
            turn.say("withdraw_checked", ticket=label)
            await self._tell_holder_or_staff(
                turn, ticket, "withdraw_request_notice", urgent=True, ticket=label, quoted=reason
            )
            return
        outcome = i18n.t("withdrawn_outcome", lang, text=reason) if reason else i18n.t(
            "withdrawn_outcome_bare", lang
        )
        moved = await self._move(turn, Action.WITHDRAW, ticket, ticket.assignee_id, outcome)
        if not moved:
            return
        turn.say("withdrawn", ticket=label, number=self.render.number(ticket))
        if ticket.assignee_id is not None:
            await self._tell_holder_or_staff(
                turn, ticket, "withdrawn_notice", ticket=label, quoted=reason
            )

    async def merge(self, turn: Turn, command: Command) -> None:
        """"并案 12 7": ticket 12 tells again the event ticket 7 is about (five neighbours, one
        fire), so it is handled as part of 7.  Each report was filed and acknowledged; now 12
        leaves the queue and supervision (its deadlines would escalate a case the desk is
        already on), is counted once in /stats, and its reporter is told where it went and,
        when 7 is resolved, the outcome.  `bot.workflow.merge_refusal` says what may go where;
        /reopen on 12 undoes it."""
        try:
            others, number, reason = merge_plan(command.args)
        except CommandError as error:
            if error.key == "usage":
                turn.say("usage", usage=i18n.usage("merge", turn.lang))
            else:
                turn.say(error.key, **error.params)
            return
        if others:
            assert command.ticket is not None
            await self._merge_several([command.ticket, *others], number, reason, turn)
            return
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        main = await self._visible(turn, number)
        if main:
            await self._merge_one(turn, ticket, main, reason, alone=True)

    async def _merge_several(
        self, numbers: list[int], into: int, reason: str, turn: Turn
    ) -> None:
        """"并案 2 3 4 到 1": each ticket merged as "并案 2 1" merges it (`_merge_one`: the same
        permissions, notices, visits and history), in the message's one transaction, and one
        reply: those merged, then each refused with the reason a merge of it alone is given."""
        main = await self._visible(turn, into)
        if not main:
            return
        merged: list[TicketRecord] = []
        refused: list[str] = []
        carried: list[str] = []
        for number in dict.fromkeys(numbers):
            start = len(turn.outgoing)
            ticket = await self._visible(turn, number)
            done = ticket is not None and await self._merge_one(turn, ticket, main, reason)
            said = self._take_replies(turn, start)
            if done and ticket is not None:
                merged.append(ticket)
                carried += said
            else:
                refused += said
        main_label = self.render.label(main)
        lines: list[str] = []
        if merged:
            lines.append(i18n.t(
                "merged_several", turn.lang, main=main_label, count=len(merged),
                tickets=i18n.joined((self.render.label(t) for t in merged), turn.lang),
            ))
        if refused:
            lines.append(i18n.t("merge_refused_several", turn.lang))
            # Once each: a sender who may not merge is told so once, not for every ticket.
            lines += (i18n.t("merge_refused_line", turn.lang, text=text)
                      for text in dict.fromkeys(refused))
        turn.reply("\n".join([*lines, *carried]))

    def _take_replies(self, turn: Turn, start: int) -> list[str]:
        """The texts of the replies to the sender added to `turn.outgoing` since `start`,
        taken out of it (a merge of several answers once, `_merge_several`)."""
        room = turn.inbound.room
        here = (room.channel, room.chat_id)
        taken = [
            m for m, of in turn.outgoing[start:]
            if of is None and m.kind == "reply" and (m.channel, m.chat_id) == here
        ]
        turn.outgoing[start:] = [(m, of) for m, of in turn.outgoing[start:] if m not in taken]
        return [m.text for m in taken]

    async def _merge_one(
        self, turn: Turn, ticket: TicketRecord, main: TicketRecord, reason: str,
        alone: bool = False,
    ) -> bool:
        """Merge `ticket` into `main`, or say why not; whether it was merged.  `alone`: the
        command's only ticket, whose reply says what a merge does and how to undo it."""
        label, main_label = self.render.label(ticket), self.render.label(main)
        refusal = merge_refusal(view(ticket), view(main))
        if refusal is not None:
            turn.say(
                refusal, ticket=label, main=main_label,
                status=self.render.status_name(main, turn.lang),
                urgency=i18n.urgency_label(ticket.urgency, turn.lang),
                main_urgency=i18n.urgency_label(main.urgency, turn.lang),
            )
            return False
        lang = self.config.language
        detail: dict[str, object] = {"label": main_label, "into": main.id, "text": reason}
        outcome = i18n.t("merged_outcome", lang, main=main_label)
        moved = await self._move(
            turn, Action.MERGE, ticket, None, outcome, detail=detail, merged_into=main.id
        )
        if not moved:
            return False
        await turn.tx.add_event(
            main.id, turn.person.id, "merge_in", turn.now, {"label": label, "ticket": ticket.id}
        )
        if alone:
            turn.say("merged", ticket=label, main=main_label, number=self.render.number(ticket))
        await self._carry_marks(turn, ticket, main)
        reporter_lang = await self._reporter_lang(turn, ticket)
        if main.status == Status.RESOLVED and main.withdrawn:
            # Ended by its own reporter's withdrawal: not an outcome the desk reached, and
            # none to visit this reporter about.
            notice = i18n.t(
                "merged_reporter_withdrawn", reporter_lang, ticket=label, main=main_label
            )
        elif main.status == Status.RESOLVED and main.resolution:
            notice = i18n.t(
                "merged_reporter_resolved", reporter_lang, ticket=label, main=main_label,
                text=i18n.t("merged_outcome_aside", reporter_lang, number=self.render.number(moved))
                if outcome_aside(self.config, moved.channel, moved.chat_id, main)
                else case_outcome_for(
                    self.config, main.resolution, moved.reporter_id == main.reporter_id
                ),
            )
        else:
            notice = i18n.t(
                "merged_reporter", reporter_lang, ticket=label, main=main_label,
                number=self.render.number(ticket),
            )
        turn.to_ticket_chat(moved, notice, kind="merged")
        if main.status == Status.RESOLVED and not main.withdrawn and (
            moved.reporter_id != main.reporter_id
            and not any(
                t.reporter_id == moved.reporter_id and t.id != moved.id
                for t in await turn.tx.merged_tickets(main.id)
            )
        ):
            # Its reporter is visited as the case's were (its own reporter already is, and so
            # is one whose other report of it went into the case before).
            asked = await followup.schedule(turn.tx, moved, turn.now, self.config, self.render)
            turn.outgoing += [(m, None) for m in asked]
        if ticket.assignee_id is not None and ticket.assignee_id != turn.person.id:
            await self._tell_holder_or_staff(
                turn, ticket, "merged_holder_notice", ticket=label, main=main_label
            )
        return True

    async def _carry_marks(self, turn: Turn, ticket: TicketRecord, main: TicketRecord) -> None:
        """What the desk said of the merged ticket goes on with the case: a major mark (重大疑难)
        and the departments asked to assist (协办) are laid on `main`, while it is open, or the
        joint meeting's list and the departments' access would end with a ticket nobody works.
        The departments are told where the case went; the admins knew of the mark already."""
        if Status(main.status) not in SUPERVISED:
            return
        label, main_label = self.render.label(ticket), self.render.label(main)
        payload = {"text": i18n.t("carried_from", self.config.language, ticket=label)}
        carried: list[str] = []

        def text(lang: str) -> str:
            return i18n.t(
                "assist_merged", lang, ticket=label, main=main_label,
                summary=self.render.summary(main, lang),
            )

        if ticket.major and await turn.tx.set_major(main.id, True, turn.now) is not None:
            await turn.tx.add_event(main.id, turn.person.id, "major", turn.now, payload)
            carried.append(i18n.t("carried_major", turn.lang))
        for code in ticket.assisting:
            if code == main.department:
                continue  # it leads the case now
            changed = await turn.tx.set_assisting(main.id, code, True, turn.now)
            if changed is None:
                continue  # it assists there already
            name = self.config.department_name(code)
            detail = {"department": code, "department_name": name} | payload
            await turn.tx.add_event(main.id, turn.person.id, "assist", turn.now, detail)
            carried.append(i18n.t("carried_assisting", turn.lang, department=name))
            self._tell_each(turn, await liaisons(turn.tx, code), main, text)
        if carried:
            marks = i18n.t("marks_separator", turn.lang).join(carried)
            turn.reply(self._routed(turn, "merge_carried", main=main_label, marks=marks))

    async def note(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        if ticket.status not in NOTE_ALLOWED:
            self._cannot(turn, self.render.label(ticket), ticket, Action.NOTE)
            return
        await turn.tx.add_event(ticket.id, turn.person.id, "note", turn.now, {"text": command.args})
        turn.say("noted", ticket=self.render.label(ticket))
