"""Correcting the classifier from the chat: /retag, and /unfiled and /file for the
messages it kept out of the queue.  Each correction is stored as a training example."""

from __future__ import annotations

from collections.abc import Mapping

from bot import i18n
from bot.adapters.base import Button
from bot.commands import Command
from bot.config import parse_limit
from bot.desk.base import LIST_LIMIT, DeskBase, record_labels, split_area
from bot.filing import (
    Report,
    as_a_report,
    file_ticket,
    resident_area,
    tell_the_grid_of_routing,
)
from bot.render import clip
from bot.supervision import grid_of, liaisons
from bot.turn import Turn
from bot.workflow import NO_AREA, Role, Status, chooses_own_area
from classifier.rules import STAFF_URGENT, rule_urgency
from classifier.taxonomy import TYPES, URGENCIES, type_from_words, urgency_from_words
from storage.base import InboundRecord, TicketRecord

# Logged messages /unfiled lists and /file may file: taken for chatter, held back by the
# hourly limit on one resident's reports, or kept when handling them failed (`bot.pipeline`).
UNFILED = ("chatter", "held", "failed")
# What /unfiled says beside a message that was not simply taken for chatter.
_FLAGS = {"held": "unfiled_held_flag", "failed": "unfiled_failed_flag"}


class Triage(DeskBase):
    async def retag(self, turn: Turn, command: Command) -> None:
        parts = command.args.split()
        if len(parts) != 2:
            turn.say("usage", usage=i18n.usage("retag", turn.lang))
            return
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        # Staff type what they read: the labels of the acknowledgement, or the codes.
        type_, urgency = type_from_words(parts[0]), urgency_from_words(parts[1])
        if type_ is None:
            turn.say("bad_label", value=parts[0], choices=self._label_choices(turn, TYPES))
            return
        if urgency is None:
            turn.say("bad_label", value=parts[1], choices=self._label_choices(turn, URGENCIES))
            return
        # A person's 紧急 where no urgent rule fired is theirs, not the model's alone: the
        # acknowledgement announces it (【紧急】), not 值班人员会尽快核实 (`model_alone_urgent`).
        rules = [r for r in ticket.rules if r != STAFF_URGENT]
        if urgency == "urgent" and rule_urgency(tuple(rules)) != "urgent":
            rules.append(STAFF_URGENT)
        await turn.tx.retag(ticket.id, type_, urgency, turn.now, rules)
        await turn.tx.add_training_example(  # the report as told, with its parts (补充)
            ticket.id, ticket.told, type_, urgency, turn.person.id, turn.now
        )
        lapsed = await record_labels(
            turn.tx, ticket, turn.person.id, "retag", type_, urgency, turn.now
        )
        note = ""
        if lapsed is not None:
            limit = self.render.duration(parse_limit(lapsed), turn.lang)
            note = i18n.t("retag_extension_lapsed", turn.lang, limit=limit)
        if self._hidden(turn, ticket.channel, ticket.chat_id):
            # A private report's labels (婚姻家庭｜紧急 …) are not for the residents' group,
            # nor another group's.
            private = self.config.privately_reported(ticket.channel, ticket.chat_id)
            key = "retagged_private" if private else "retagged_elsewhere"
            turn.say(key, ticket=self.render.label(ticket))  # nor how long it was given
        else:
            turn.reply(i18n.t(
                "retagged",
                turn.lang,
                ticket=self.render.label(ticket),
                type=i18n.type_label(type_, turn.lang),
                urgency=i18n.urgency_label(urgency, turn.lang),
            ) + note)
        # The group's acknowledgement names the type and urgency: it says the corrected ones
        # (it used to keep 待人工研判 until the next claim or release edited it).
        retagged = await turn.tx.ticket(ticket.id)
        assert retagged is not None
        await self.refresh_ack(turn, retagged)
        if urgency == "urgent" and ticket.urgency != "urgent":
            await self._tell_of_danger(turn, retagged)

    async def route(self, turn: Turn, command: Command) -> None:
        """Give a ticket its area (划归网格: 划归 12 东镇): a work order whose address named no
        grid was filed with none (`bot.hotline`), and could only be assigned to a person; it
        was in no grid's queue, nor in any area's figures or the ledger's area column.  Out
        of triage too when it was in it for want of an area alone (`NO_AREA`), and, while
        it waits to be claimed, told to the grid's workers as a report made one to one is
        (`tell_the_grid_of_routing`).  Another grid's ticket is moved the same way."""
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        word = command.args.split()[0]
        area = self.area_words.get(word)
        if area is None:
            turn.say("bad_area", value=word[:20], choices=self._area_choices(turn))
            return
        label, name = self.render.label(ticket), self.config.area_name(area)
        if area == ticket.area:
            turn.say("route_same", ticket=label, area=name)
            return
        clears = ticket.needs_triage and await self._in_triage_for_no_area(turn, ticket)
        routed = await turn.tx.set_area(ticket.id, area, turn.now, clears)
        assert routed is not None  # read under its lock (`_visible`)
        await turn.tx.add_event(
            ticket.id, turn.person.id, "route", turn.now,
            {"from": ticket.area, "to": area, "area_name": name},
        )
        waiting = routed.status in (Status.NEW, Status.REOPENED) and routed.department is None
        told = waiting and bool(await grid_of(turn.tx, routed))
        if told:
            await tell_the_grid_of_routing(turn, routed, self.render, self.config)
        turn.reply(
            i18n.t("routed", turn.lang, ticket=label, area=name)
            + (i18n.t("routed_triage", turn.lang) if clears else "")
            + (i18n.t("routed_told", turn.lang) if told else "")
        )
        if clears:  # an acknowledgement reading 待人工研判 says the type now
            await self.refresh_ack(turn, routed, news=False)

    @staticmethod
    async def _in_triage_for_no_area(turn: Turn, ticket: TicketRecord) -> bool:
        """Whether `ticket` awaits triage only because it was filed with no area: a work
        order whose address named none, of a type the model was sure of (`bot.hotline`)."""
        events = [e for e in await turn.tx.events(ticket.id) if e.action == NO_AREA]
        return ticket.area is None and bool(events) and not events[-1].payload.get("unsure")

    async def _tell_of_danger(self, turn: Turn, ticket: TicketRecord) -> None:
        """A person's 紧急 (改标) reaches those who act on the ticket at once, privately: its
        holder; else the liaisons of the department it was handed to; else its grid's
        workers, with 认领.  The acknowledgement read 【紧急】 while they heard nothing until
        the first escalation, half an hour on."""
        if ticket.assignee_id is not None:
            holder = await turn.tx.person(ticket.assignee_id)
            people = [holder] if holder is not None else []
        elif ticket.department is not None:
            people = await liaisons(turn.tx, ticket.department)
        else:
            people = await grid_of(turn.tx, ticket)
        number = self.render.number(ticket)
        claim = ticket.assignee_id is None
        for person in (p for p in people if p.id != turn.person.id):
            lang = person.lang or self.config.language
            text = i18n.t(
                "retagged_urgent_notice", lang, by=turn.actor.name,
                ticket=self.render.label(ticket), area=self.config.area_name(ticket.area),
                text=self.render.quoted_report(ticket, ticket.told, lang),
            )
            if claim:
                text += "\n" + i18n.t("claim_to_take_up", lang, number=number)
            buttons = [Button(i18n.name("button.claim", lang), f"/claim {number}")] if claim else []
            turn.direct(person, text, ticket.id, buttons=buttons)

    @staticmethod
    def _label_choices(turn: Turn, labels: Mapping[str, tuple[str, str]]) -> str:
        """The labels /retag takes, as the reader knows them: 邻里纠纷（neighbour）…"""
        if i18n.lang_index(turn.lang) == 0:
            return "、".join(f"{zh}（{code}）" for code, (zh, _) in labels.items())
        return ", ".join(labels)

    async def unfiled(self, turn: Turn, command: Command) -> None:
        logged = await turn.tx.messages_with_disposition(UNFILED, 200)
        mine = [m for m in logged if await self._in_my_area(turn, m)][:LIST_LIMIT]
        if not mine:
            turn.say("unfiled_empty")
            return
        lines = [i18n.t("unfiled_header", turn.lang)]
        for m in mine:
            text, flag = clip(m.text, 40), _FLAGS.get(m.disposition)
            flags = i18n.t(flag, turn.lang) if flag else ""
            if await self._area_of(turn, m) is None:  # staff's alone (`_in_my_area`)
                flags += i18n.t("unfiled_no_area_flag", turn.lang)
            lines.append(
                i18n.t(
                    "unfiled_line",
                    turn.lang,
                    number=m.id,
                    time=self.render.local_time(m.received_at),
                    sender=m.sender_name,
                    flag=flags,
                    text=text,
                )
            )
        turn.reply("\n".join(lines))

    async def file(self, turn: Turn, command: Command) -> None:
        """File a logged group message as a ticket after all (the classifier was wrong)."""
        assert command.ticket is not None
        message = await turn.tx.inbound_message(command.ticket)
        if (
            message is None
            or message.disposition not in UNFILED
            or not await self._in_my_area(turn, message)
        ):
            turn.say("no_such_message", number=str(command.ticket))
            return
        area = await self._area_of(turn, message)
        if area is None:  # a resident who had not chosen their grid: staff name it
            _, area = split_area(command.args, self.area_words)
            if area is None:
                turn.say("file_which_area", number=str(command.ticket),
                         areas=self._area_choices(turn))
                return
        if message.erased_at is not None:  # its words are gone: nothing left to file
            days = self.config.retention.message_days
            turn.say("message_erased", number=str(command.ticket), days=days)
            return
        reporter = await turn.tx.person(message.sender_id)
        assert reporter is not None
        # Classified inline: a rare, deliberate command, and one message costs milliseconds.
        classification = as_a_report(self.classifier.classify(message.text))
        report = Report(
            message.channel,
            message.chat_id,
            message.platform_message_id,
            message.id,
            reporter,
            message.text,
            area,
            thread_id=message.thread_id,
        )
        ticket = await file_ticket(
            turn, report, classification, self.render, self.config, actor_id=turn.person.id
        )
        await turn.tx.mark_inbound(message.id, "ticket", ticket.id)
        turn.say("filed", number=str(message.id), ticket=self.render.label(ticket))

    async def _area_of(self, turn: Turn, message: InboundRecord) -> str | None:
        """The area a logged message was sent to, as the pipeline would have filed it: its
        group's; on a "*" intake point (every private chat on a channel: only messages from
        intake rooms are logged as chatter or held) the sender's chosen grid, else the
        point's; for a private report (私下反映) the sender's (`filing.resident_area`)."""
        group = self.config.intake_group(message.channel, message.chat_id, private=True)
        if group is None and not self.config.privately_reported(message.channel, message.chat_id):
            return None
        sender = await turn.tx.person(message.sender_id)
        if sender is None or not chooses_own_area(Role(sender.role)):
            return group.area if group is not None else None
        return await resident_area(turn.tx, self.config, sender, message.channel, group)

    async def _in_my_area(self, turn: Turn, message: InboundRecord) -> bool:
        """Whether the worker may list or file the message: in their area, and, asked in a
        residents' group, not sent privately (its words would be read out there).  Staff's
        alone when its area is not known (a resident one to one who had not chosen their
        grid, whose message then failed): it was in nobody's list, and so lost."""
        if self._hidden(turn, message.channel, message.chat_id):
            return False
        desk = turn.actor.role in (Role.STAFF, Role.ADMIN)
        area = await self._area_of(turn, message)
        if area is None:
            return desk and self._reported_here(message)
        return desk or turn.actor.area in (None, area)

    def _reported_here(self, message: InboundRecord) -> bool:
        """Whether `message` came to an intake point or as a private report, whose messages
        are the desk's to file (`_area_of` is None for these only when the area is unknown)."""
        channel, chat = message.channel, message.chat_id
        return self.config.intake_group(channel, chat, private=True) is not None or (
            self.config.privately_reported(channel, chat)
        )
