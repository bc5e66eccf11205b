"""One message's worth of work: who is speaking, where, and what to send back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot import i18n
from bot.adapters.base import Button, Document, Inbound, Outbound
from bot.config import Config
from bot.privacy import mask_pii, residents_read
from bot.workflow import HOTLINE_CHANNEL, Actor, Role
from storage.base import PersonRecord, TicketRecord, Tx


def actor_of(person: PersonRecord) -> Actor:
    return Actor(person.id, person_name(person), Role(person.role), person.area)


def person_name(person: PersonRecord) -> str:
    return person.display_name or person.user_id


@dataclass
class Turn:
    """Everything a handler needs; handlers add to `outgoing`, the pipeline enqueues it."""

    tx: Tx
    person: PersonRecord
    inbound: Inbound
    inbound_id: int
    lang: str
    now: str
    outgoing: list[tuple[Outbound, int | None]] = field(default_factory=list)

    @property
    def actor(self) -> Actor:
        return actor_of(self.person)

    def reply(
        self,
        text: str,
        buttons: list[Button] | None = None,
        kind: str = "reply",
        ticket_id: int | None = None,
    ) -> None:
        """Answer in the chat the message came from (in its thread), as a reply to it."""
        room = self.inbound.room
        self.outgoing.append(
            (
                Outbound(
                    channel=room.channel,
                    chat_id=room.chat_id,
                    text=text,
                    reply_to_message_id=None if self.inbound.is_button else self.inbound.message_id,
                    buttons=buttons or [],
                    ticket_id=ticket_id,
                    kind=kind,
                    thread_id=self.inbound.thread_id,
                ),
                None,
            )
        )

    def say(self, key: str, **params: object) -> None:
        self.reply(i18n.t(key, self.lang, **params))

    def to_ticket_chat(
        self, ticket: TicketRecord, text: str, kind: str, buttons: list[Button] | None = None
    ) -> None:
        """Post in the group the ticket came from, under the original report (in its
        thread: a reply to a report since deleted goes there all the same)."""
        self.outgoing.append(
            (
                Outbound(
                    ticket.channel,
                    ticket.chat_id,
                    text,
                    reply_to_message_id=ticket.message_id,
                    buttons=buttons or [],
                    ticket_id=ticket.id,
                    kind=kind,
                    thread_id=ticket.thread_id,
                ),
                None,
            )
        )

    def to_staff(
        self,
        config: Config,
        text: str,
        ticket_id: int | None,
        urgent: bool = False,
        buttons: list[Button] | None = None,
        announcement: bool = False,
    ) -> None:
        """A notice in the staff chat.  With none configured, it goes to the rooms supervision
        notices go to (`Config.notify_rooms`), except a new ticket's `announcement` that is
        not urgent (one under every report is what a staff chat is for): what the centre
        must act on (a department's 退回, a withdrawal to check) would otherwise reach
        nobody, and an urgent ticket's group was told 已通知值班人员.  A notify room the
        residents read (an intake group) is told only that an urgent ticket needs the duty
        staff: the notice holds the report's words and its reporter, a private report's
        too (`residents_read`), and nothing else is theirs to read."""
        if config.staff_chat is not None:
            rooms = [config.staff_chat]
        else:
            rooms = config.notify_rooms if urgent or not announcement else []
        for room in rooms:
            said, keys = text, list(buttons or [])
            if residents_read(config, room.channel, room.chat_id):
                if ticket_id is None or not urgent:
                    continue
                said = i18n.t("staff_urgent_in_group", config.language, ticket=f"#{ticket_id}")
                keys = []
            self.outgoing.append(
                (
                    Outbound(
                        room.channel, room.chat_id, said, ticket_id=ticket_id, kind="staff",
                        buttons=keys,
                    ),
                    None,
                )
            )

    def direct(
        self,
        person: PersonRecord,
        text: str,
        ticket_id: int | None = None,
        buttons: list[Button] | None = None,
    ) -> None:
        """A private message: on every platform we serve, a person's private chat id is
        their user id (Telegram private chats, WeCom app messages, OA customer messages)."""
        message = Outbound(
            person.channel, person.user_id, text, ticket_id=ticket_id, kind="direct",
            buttons=list(buttons or []),
        )
        self.outgoing.append((message, None))

    def send_document(
        self, document: Document, caption: str, to: PersonRecord | None = None
    ) -> None:
        """A file: in this (private) chat as a reply to the request, or to `to`'s private
        chat.  Never to a group: files the bot sends hold residents' data."""
        room = self.inbound.room
        if to is None:
            assert room.is_private, "documents go to private chats only"
            channel, chat_id, reply_to = room.channel, room.chat_id, self.inbound.message_id
        else:
            channel, chat_id, reply_to = to.channel, to.user_id, None
        self.outgoing.append(
            (
                Outbound(
                    channel,
                    chat_id,
                    caption,
                    reply_to_message_id=None if self.inbound.is_button else reply_to,
                    kind="document",
                    document=document,
                ),
                None,
            )
        )

    def edit(self, of_outbox_id: int, message: Outbound) -> None:
        """Edit a message the bot sent earlier (e.g. the acknowledgement's state line)."""
        message.kind = "edit"
        # Only the message's last state matters: one turn that moves a ticket twice (claimed
        # and resolved at once) sends one edit, not two in a row.  One without news (a
        # hand-over that left where it stands as it was) keeps the news of the one before.
        earlier = [m for m, of in self.outgoing if of == of_outbox_id]
        if earlier and message.news == "":
            message.news = earlier[-1].news
        self.outgoing[:] = [(m, of) for m, of in self.outgoing if of != of_outbox_id]
        self.outgoing.append((message, of_outbox_id))


async def enqueue(
    tx: Tx, config: Config, outgoing: Sequence[tuple[Outbound, int | None]], at: str
) -> None:
    """Write messages to the outbox in the caller's transaction (a message turn, or a
    supervision sweep), masking phone and ID numbers in anything bound for an intake
    group: every resident reads those; and sending a notice about a ticket to the thread
    its report came from (`thread_of`).  Nothing for a hotline work order's caller or its
    platform (`HOTLINE_CHANNEL`): no adapter serves them; its ack is not sent, and its visit
    is the staff's to make by phone (`bot.followup.ask`)."""
    told_anew(outgoing)
    for message, edit_of in outgoing:
        if message.channel == HOTLINE_CHANNEL:  # a hotline caller's: phoned, never written to
            continue
        if config.intake_group(message.channel, message.chat_id) is not None:
            message.text = mask_pii(message.text, (config.intake.crisis_hotline,))
        if message.thread_id is None and message.reply_to_message_id is None:
            message.thread_id = await thread_of(tx, message)
        await tx.enqueue(message, at, edit_of)


def told_anew(outgoing: Sequence[tuple[Outbound, int | None]]) -> None:
    """An edit whose news the same turn tells its chat in a message of its own: news "",
    which a platform that cannot edit (WeChat, where the news goes as a message) sends not
    at all.  The reporter heard 进展：已办结 just before the resolution's notice, and 进展：
    已撤回 / 已重开 after the answer to their own 撤回, 重开 or 不满意.  An edit (Telegram's)
    is made all the same: the acknowledgement in the group shows the ticket as it is."""
    for message, edit_of in outgoing:
        if edit_of is None or message.news is None:
            continue
        if any(
            of is None
            and (other.channel, other.chat_id) == (message.channel, message.chat_id)
            and (other.ticket_id == message.ticket_id or other.reply_to_message_id is not None)
            for other, of in outgoing
        ):
            message.news = ""


async def thread_of(tx: Tx, message: Outbound) -> str | None:
    """Where in its room a message that answers no message goes: one about a ticket, to
    the chat its report came from, in the thread it was written in (a status change, an
    escalation, an edit of the acknowledgement that may have to be sent anew).  They went
    to a Telegram forum's General topic, away from the report and its acknowledgement.
    Anything else: the room's main conversation (None)."""
    if message.ticket_id is None:
        return None
    ticket = await tx.ticket(message.ticket_id)
    if ticket is None or (ticket.channel, ticket.chat_id) != (message.channel, message.chat_id):
        return None
    return ticket.thread_id
