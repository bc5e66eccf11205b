"""A backend for tests: people speak in code, the bot's replies come back as objects.

Like errbot's `test` backend, it drives the real pipeline, store and outbox; only the
platform is replaced by a list.  `say()` returns exactly what the bot sent in response.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.adapters.base import Attachment, Inbound, Outbound, Person, Room
from bot.app import Bot

CHANNEL = "test"


@dataclass
class HarnessAdapter:
    """Records every message the bot sends; ids are "m1", "m2", ...

    A document is kept with its bytes (`document.data`): the file it was made in is
    deleted once the send returns, as on every platform.
    """

    channel: str = CHANNEL
    sent: list[Outbound] = field(default_factory=list)
    max_document_bytes: int | None = 50_000_000  # as Telegram's; tests set it lower
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def send(self, message: Outbound) -> str:
        document = message.document
        if document is not None and document.path is not None:
            data = await asyncio.to_thread(Path(document.path).read_bytes)
            message = replace(message, document=replace(document, path=None, data=data))
        self.sent.append(message)
        return message.edit_message_id or f"m{next(self._ids)}"


class Harness:
    """Talk to a started `Bot` as named people, in named rooms."""

    def __init__(self, bot: Bot, adapter: HarnessAdapter, id_prefix: str = "u") -> None:
        """`id_prefix` keeps message ids unique when a second harness reuses a database."""
        self.bot = bot
        self.adapter = adapter
        self.id_prefix = id_prefix
        self._message_ids = itertools.count(1)

    def room(self, chat_id: str, private: bool = False) -> Room:
        return Room(CHANNEL, chat_id, is_private=private)

    async def say(
        self,
        user: str,
        text: str,
        chat: str = "group",
        *,
        private: bool = False,
        reply_to: str | None = None,
        attachments: tuple[Attachment, ...] = (),
        message_id: str | None = None,
        is_button: bool = False,
        edit_of: str | None = None,
        thread_id: str | None = None,
    ) -> list[Outbound]:
        """Send one message and return what the bot delivered because of it (`edit_of`: it
        is a new version of that message, as Telegram delivers an edit; `thread_id`: it is
        written in that thread of the room, as in a Telegram forum's topic)."""
        inbound = Inbound(
            sender=Person(CHANNEL, user, user),
            room=Room(CHANNEL, user if private else chat, is_private=private),
            message_id=message_id or f"{self.id_prefix}{next(self._message_ids)}",
            text=text,
            reply_to_message_id=reply_to,
            attachments=attachments,
            is_button=is_button,
            edit_of=edit_of,
            thread_id=thread_id,
        )
        return await self.deliver(inbound)

    async def deliver(self, inbound: Inbound) -> list[Outbound]:
        before = len(self.adapter.sent)
        await self.bot.pipeline.handle(inbound)
        await self.bot.dispatcher.flush()
        return self.adapter.sent[before:]

    async def press(self, user: str, message: Outbound, index: int = 0) -> list[Outbound]:
        """Press a button under a message the bot sent (in a private chat if it was sent
        privately: a person's private chat id is their user id)."""
        button = message.buttons[index]
        return await self.say(
            user,
            button.command,
            chat=message.chat_id,
            private=message.chat_id == user,
            is_button=True,
            message_id=f"{self.id_prefix}press{next(self._message_ids)}",
            thread_id=message.thread_id,  # under a message in a thread, pressed there
        )
