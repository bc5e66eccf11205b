"""Chat with the bot in a terminal: the embedded default, no accounts needed.

You speak as any person of the demo cast (`/as worker1`), in the intake group or in a
private chat with the bot.  Without a terminal (a pipe or a file), each line is one
message and the transcript is printed, so a whole session can be scripted.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

from bot.adapters.base import Inbound, Outbound, Person, Room
from bot.app import DEMO_GROUP, Bot

CHANNEL = "console"
BOT_NAME = {"zh": "综治助手", "en": "Intake bot"}
# Messages the bot sends to one person privately (notices, follow-up questions).
PRIVATE_KINDS = ("direct", "followup")

HELP = {
    "zh": (
        "控制台命令：/as 用户名 切换身份｜/who 查看演示人员｜/private 私聊机器人｜/group 回到群聊｜"
        "/reply m3 文字 回复某条消息｜/tap m3 按下消息下的按钮｜/quit 退出"
    ),
    "en": (
        "Console commands: /as NAME switch person | /who list the cast | /private chat "
        "with the bot | /group back to the group | /reply m3 TEXT reply to a message | "
        "/tap m3 press its button | /quit"
    ),
}


@dataclass
class ConsoleAdapter:
    """Prints what the bot sends; message ids are "m" + the outbox row id."""

    out: TextIO
    lang: str = "zh"
    color: bool = False
    names: dict[str, str] = field(default_factory=dict)  # user id -> display name
    authors: dict[str, str] = field(default_factory=dict)  # message id -> author name
    buttons: dict[str, list[str]] = field(default_factory=dict)  # message id -> commands
    private: dict[str, str] = field(default_factory=dict)  # message id -> whose private chat
    channel: str = CHANNEL

    def _paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    async def send(self, message: Outbound) -> str:
        bot = self._paint(BOT_NAME[self.lang], "1;36")
        zh = self.lang == "zh"
        if message.edit_message_id:
            message_id = message.edit_message_id
            head = f"{bot} {'更新了' if zh else 'edited'} [{message_id}]"
        else:
            message_id = f"m{message.id}"
            if message.kind in PRIVATE_KINDS:
                who = self.names.get(message.chat_id, message.chat_id)
                head = f"{bot} [{message_id}] {'私信' if zh else 'private to'} → {who}"
            elif message.reply_to_message_id in self.authors:
                who = self.authors[message.reply_to_message_id]
                head = f"{bot} [{message_id}] {'回复' if zh else 'replying to'} {who}"
            else:
                head = f"{bot} [{message_id}]"
        lines = [f"  {head}:"] + [f"    {line}" for line in message.text.splitlines()]
        if message.buttons:
            buttons = "  ".join(f"[{b.label}]" for b in message.buttons)
            hint = f"/tap {message_id}"
            lines.append("    " + self._paint(buttons, "1;33") + f"  ({hint})")
        print("\n".join(lines), file=self.out, flush=True)
        if message.buttons:
            self.buttons[message_id] = [b.command for b in message.buttons]
            if message.kind in PRIVATE_KINDS:
                self.private[message_id] = message.chat_id
        return message_id


@dataclass
class ConsoleSession:
    """Reads lines, turns them into messages from the current speaker, prints replies."""

    bot: Bot
    adapter: ConsoleAdapter
    speaker: str = "resident1"
    private: bool = False
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    # Message ids must stay unique across runs on the same database file.
    _run: str = field(default_factory=lambda: str(time.time_ns()))

    @property
    def out(self) -> TextIO:
        return self.adapter.out

    def _prompt(self) -> str:
        who = self.adapter.names.get(self.speaker, self.speaker)
        zh = self.adapter.lang == "zh"
        place = ("私聊" if zh else "private") if self.private else ("民情群" if zh else "group")
        return f"[{place}] {who}({self.speaker}) > "

    def _room(self, private: bool = False) -> Room:
        if self.private or private:
            return Room(CHANNEL, self.speaker, is_private=True)
        return Room(CHANNEL, DEMO_GROUP, title="demo")

    async def line(self, text: str) -> bool:
        """Handle one typed line; False when the person asked to quit."""
        text = text.strip("\n")
        word, _, rest = text.strip().partition(" ")
        zh = self.adapter.lang == "zh"
        if word in ("/quit", "/exit"):
            return False
        if word == "/as":
            if rest.strip() not in self.adapter.names:
                known = ", ".join(self.adapter.names)
                msg = (
                    f"没有这个人：{rest}。可选：{known}"
                    if zh
                    else f"No such person: {rest}. Known: {known}"
                )
                print(msg, file=self.out)
            else:
                self.speaker = rest.strip()
            return True
        if word == "/who":
            for uid, name in self.adapter.names.items():
                print(f"  {uid}: {name}", file=self.out)
            return True
        if word in ("/private", "/group"):
            self.private = word == "/private"
            return True
        if word == "/console":
            print(HELP[self.adapter.lang], file=self.out)
            return True
        reply_to, is_button, pressed_private = None, False, False
        if word == "/reply":
            reply_to, _, text = rest.strip().partition(" ")
        elif word == "/tap":
            target, _, index = rest.strip().partition(" ")
            command = self.adapter.buttons.get(target, [])
            number = int(index) - 1 if index.strip().isdigit() else 0
            if not 0 <= number < len(command):
                print("那条消息没有按钮。" if zh else "That message has no button.", file=self.out)
                return True
            text, is_button = command[number], True
            # A button under a private message is pressed in that private chat.
            pressed_private = self.adapter.private.get(target) == self.speaker
        message_id = f"{self._run}-{next(self._counter)}"
        self.adapter.authors[message_id] = self.adapter.names.get(self.speaker, self.speaker)
        await self.bot.pipeline.handle(
            Inbound(
                sender=Person(CHANNEL, self.speaker, self.adapter.names.get(self.speaker, "")),
                room=self._room(pressed_private),
                message_id=message_id,
                text=text,
                reply_to_message_id=reply_to,
                is_button=is_button,
            )
        )
        await self.bot.dispatcher.flush()
        return True

    async def run(self, stdin: TextIO, interactive: bool) -> None:
        print(HELP[self.adapter.lang], file=self.out, flush=True)
        while True:
            if interactive:
                try:
                    text = await asyncio.to_thread(input, self._prompt())
                except EOFError:
                    break
            else:
                text = await asyncio.to_thread(stdin.readline)
                if not text:
                    break
                text = text.rstrip("\n")
                if not text.strip() or text.lstrip().startswith("#"):
                    continue  # blank lines and comments in a script
                print(self._prompt() + text, file=self.out, flush=True)
            if not await self.line(text):
                break


async def run_console(bot: Bot, adapter: ConsoleAdapter, stdin: TextIO | None = None) -> None:
    stdin = stdin or sys.stdin
    session = ConsoleSession(bot, adapter)
    await bot.dispatcher.flush()  # anything a previous run left undelivered
    await session.run(stdin, interactive=stdin.isatty())
