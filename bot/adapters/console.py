"""Chat with the bot in a terminal: the embedded default, no accounts needed.

You speak as any person of the demo cast (`/as worker1`), in the intake group, in the
centre's staff room (`/staff`) or in a private chat with the bot.  Without a terminal (a
pipe or a file), each line is one message and the transcript is printed, so a whole session
can be scripted.

A document the bot sends (the ledger, /export) is saved in `export_dir` and its path
printed, the way a chat app would offer the file for download.

The supervisor's sweep (escalations, follow-up visits) runs here as in `intake-bot run`:
at the start, after every message, and in a terminal every `[supervision] interval`.  Real
deadlines are 30 minutes to 30 days, so `/wait 2h` moves the demo's clock on and sweeps
at every moment something fell due on the way.  In a script the clock stands still
between lines, so a script replays the same way on a slow machine as on a fast one.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import itertools
import logging
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.adapters.base import Inbound, Outbound, Person, Room
from bot.app import DEMO_GROUP, DEMO_STAFF, Bot
from bot.clock import iso, utc_now
from bot.config import parse_duration

log = logging.getLogger(__name__)

CHANNEL = "console"
BOT_NAME = {"zh": "综治助手", "en": "Intake bot"}
STAFF_ROOM = {"zh": "中心群", "en": "staff room"}
# Messages the bot sends to one person privately (notices, follow-up questions).
PRIVATE_KINDS = ("direct", "followup")
# /wait moves the clock at most this far at once: past every deadline's last level
# (30 days x 5), and far short of a typo that would overflow a date.
MAX_WAIT = timedelta(days=366)

HELP = {
    "zh": (
        "控制台命令：/as 用户名或姓名 切换身份｜/who 查看演示人员｜/private 私聊机器人｜"
        "/staff 到中心群｜/group 回到群聊｜/reply m3 文字 回复某条消息｜/tap m3 按下消息下的按钮｜"
        "/wait 2h 拨快演示时钟（看督办、回访）｜/quit 退出"
    ),
    "en": (
        "Console commands: /as NAME switch person | /who list the cast | /private chat "
        "with the bot | /staff the centre's staff room | /group back to the group | "
        "/reply m3 TEXT reply to a message | "
        "/tap m3 press its button | /wait 2h move the demo clock on (escalations, "
        "follow-ups) | /quit"
    ),
}
# What /wait says, in the demo's language (console-only words, like HELP above).
CLOCK = {
    "zh": {
        "moved": "[演示时钟] 拨快 {span}：{start} → {until}",
        "at": "[演示时钟] {at}",
        "quiet": "[演示时钟] 没有到期的督办或回访。",
        "unreachable": (
            "[演示时钟] {count} 件回访未发出：反映人没有私聊过机器人（可先 /private 说句话），"
            "工单记录里有说明。"
        ),
        "usage": "用法：/wait 2h（时长如 30m、2h、1d、1d12h，最多 366d）",
        "fixed": "这个会话的时钟不能拨动。",
    },
    "en": {
        "moved": "[demo clock] forward {span}: {start} → {until}",
        "at": "[demo clock] {at}",
        "quiet": "[demo clock] no escalation or follow-up fell due.",
        "unreachable": (
            "[demo clock] {count} follow-up visit(s) not sent: the reporter has never written "
            "to the bot privately (try /private first); the ticket's history says so."
        ),
        "usage": "Usage: /wait 2h (a span such as 30m, 2h, 1d, 1d12h; at most 366d)",
        "fixed": "This session's clock cannot be moved.",
    },
}


@dataclass
class ConsoleClock:
    """The demo's time: now (or, for a script, the moment it started, standing still)
    plus however far /wait has moved it on."""

    start: datetime = field(default_factory=utc_now)
    frozen: bool = False
    offset: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return (self.start if self.frozen else utc_now()) + self.offset

    def move_to(self, moment: datetime) -> None:
        """Set the time to `moment`, never back: stored times only go forward."""
        self.offset += max(moment - self(), timedelta(0))


@dataclass
class ConsoleAdapter:
    """Prints what the bot sends; message ids are "m" + the outbox row id."""

    out: TextIO
    lang: str = "zh"
    color: bool = False
    names: dict[str, str] = field(default_factory=dict)  # user id -> display name
    authors: dict[str, str] = field(default_factory=dict)  # message id -> author name
    buttons: dict[str, list[str]] = field(default_factory=dict)  # message id -> commands
    labels: dict[str, list[str]] = field(default_factory=dict)  # message id -> their labels
    rooms: dict[str, str] = field(default_factory=dict)  # message id -> its chat (buttons)
    channel: str = CHANNEL
    # Printed before the next message sent (once): when a /wait step's notices happened.
    heading: str | None = None
    # Where documents are saved (the demo: beside its database); as large as Telegram's.
    export_dir: Path = field(default_factory=lambda: Path("intake-exports"))
    max_document_bytes: int | None = 50_000_000

    def _paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    async def send(self, message: Outbound) -> str:
        if self.heading is not None:
            print(self.heading, file=self.out)
            self.heading = None
        bot = self._paint(BOT_NAME[self.lang], "1;36")
        zh = self.lang == "zh"
        if message.edit_message_id:
            message_id = message.edit_message_id
            head = f"{bot} {'更新了' if zh else 'edited'} [{message_id}]"
            if message.buttons_only:  # the same words: the buttons alone are shown
                head = f"{bot} {'更新了按钮' if zh else 'edited the buttons of'} [{message_id}]"
        else:
            message_id = f"m{message.id}"
            if message.document is not None:
                who = self.names.get(message.chat_id, message.chat_id)
                head = f"{bot} [{message_id}] {'文件' if zh else 'file'} → {who}"
            elif message.kind in PRIVATE_KINDS:
                who = self.names.get(message.chat_id, message.chat_id)
                head = f"{bot} [{message_id}] {'私信' if zh else 'private'} → {who}"
            else:
                head = f"{bot} [{message_id}]"
                if message.chat_id == DEMO_STAFF:
                    head += f" → {STAFF_ROOM[self.lang]}"
                if message.reply_to_message_id in self.authors:
                    who = self.authors[message.reply_to_message_id]
                    head += f" {'回复' if zh else 'replying to'} {who}"
        said = [] if message.buttons_only else message.text.splitlines()
        lines = [f"  {head}:"] + [f"    {line}" for line in said]
        if message.buttons_only and not message.buttons:
            lines.append("    " + ("（已无按钮）" if zh else "(no buttons now)"))
        if message.document is not None:
            lines.append(f"    {await self._save(message)}")
        if message.buttons:
            buttons = "  ".join(f"[{b.label}]" for b in message.buttons)
            hint = f"/tap {message_id}"
            lines.append("    " + self._paint(buttons, "1;33") + f"  ({hint})")
        print("\n".join(lines), file=self.out, flush=True)
        if message.buttons:
            self.buttons[message_id] = [b.command for b in message.buttons]
            self.labels[message_id] = [b.label for b in message.buttons]
            self.rooms[message_id] = message.chat_id
        elif message.edit_message_id:  # its buttons are gone: /tap presses none of them
            self.buttons.pop(message_id, None)
            self.labels.pop(message_id, None)
        return message_id

    async def _save(self, message: Outbound) -> str:
        """Keep the document (its own file is deleted once this returns) and say where."""
        document = message.document
        assert document is not None
        target = await asyncio.to_thread(_free_name, self.export_dir, document.filename)
        if document.path is not None:
            await asyncio.to_thread(shutil.copyfile, document.path, target)
        else:
            await asyncio.to_thread(target.write_bytes, document.data or b"")
        size = (await asyncio.to_thread(target.stat)).st_size
        kb = f"{size / 1000:.1f} KB"
        if self.lang == "zh":
            return f"{self._paint('[文件]', '1;33')} {document.filename}（{kb}）已保存到 {target}"
        return f"{self._paint('[file]', '1;33')} {document.filename} ({kb}) saved to {target}"


def _free_name(folder: Path, filename: str) -> Path:
    """`folder/filename`, or `name (2).csv` and so on if that is taken."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / filename
    stem, suffix, number = target.stem, target.suffix, 2
    while target.exists():
        target = folder / f"{stem} ({number}){suffix}"
        number += 1
    return target


@dataclass
class ConsoleSession:
    """Reads lines, turns them into messages from the current speaker, prints replies."""

    bot: Bot
    adapter: ConsoleAdapter
    speaker: str = "resident1"
    room: str = "group"  # where the speaker talks: "group", "staff" (the staff room), "private"
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    # Message ids must stay unique across runs on the same database file.
    _run: str = field(default_factory=lambda: str(time.time_ns()))

    @property
    def out(self) -> TextIO:
        return self.adapter.out

    def _prompt(self) -> str:
        who = self.adapter.names.get(self.speaker, self.speaker)
        zh = self.adapter.lang == "zh"
        place = {
            "private": "私聊" if zh else "private", "staff": STAFF_ROOM[self.adapter.lang],
        }.get(self.room, "民情群" if zh else "group")
        return f"[{place}] {who}({self.speaker}) > "

    def _room(self, chat: str | None = None) -> Room:
        """The room the speaker talks in; for a button, `chat` is where its message is: it
        is pressed there, whichever room the speaker was typing in."""
        room = {DEMO_GROUP: "group", DEMO_STAFF: "staff", self.speaker: "private"}.get(
            chat or "", self.room
        )
        if room == "private":
            return Room(CHANNEL, self.speaker, is_private=True)
        if room == "staff":
            return Room(CHANNEL, DEMO_STAFF, title=STAFF_ROOM["zh"])
        return Room(CHANNEL, DEMO_GROUP, title="demo")

    def _person(self, wanted: str) -> str | None:
        """The cast member `/as` names: by user id, or by the name the transcript shows
        (王网格员), or by the start of it when only one name starts so (王网格)."""
        names = self.adapter.names
        if wanted in names:
            return wanted
        exact = [uid for uid, name in names.items() if name and name == wanted]
        starting = [uid for uid, name in names.items() if wanted and name.startswith(wanted)]
        found = exact or starting
        return found[0] if len(found) == 1 else None

    async def line(self, text: str) -> bool:
        """Handle one typed line; False when the person asked to quit."""
        text = text.strip("\n")
        word, _, rest = text.strip().partition(" ")
        zh = self.adapter.lang == "zh"
        if word in ("/quit", "/exit"):
            return False
        if word == "/as":
            who = self._person(rest.strip())
            if who is None:
                known = "，".join(f"{uid}（{name}）" for uid, name in self.adapter.names.items())
                msg = (
                    f"没有这个人：{rest}。可选：{known}"
                    if zh
                    else f"No such person: {rest}. Known: {known}"
                )
                print(msg, file=self.out)
            else:
                self.speaker = who
            return True
        if word == "/who":
            for uid, name in self.adapter.names.items():
                print(f"  {uid}: {name}", file=self.out)
            return True
        if word in ("/private", "/group", "/staff"):
            self.room = word[1:]
            return True
        if word == "/console":
            print(HELP[self.adapter.lang], file=self.out)
            return True
        if word == "/wait":
            await self.wait(rest)
            return True
        reply_to, is_button, pressed_in = None, False, None
        if word == "/reply":
            reply_to, _, text = rest.strip().partition(" ")
        elif word == "/tap":
            target, _, index = rest.strip().partition(" ")
            command = self.adapter.buttons.get(target, [])
            number = self._button(target, index.strip())
            if not command:
                print("那条消息没有按钮。" if zh else "That message has no button.", file=self.out)
                return True
            if number is None:
                labels = self.adapter.labels.get(target, [])
                choices = "  ".join(f"[{label}]" for label in labels)
                example = f"/tap {target} 2" + (" 或 " if zh else " or ")
                example += f"/tap {target} {labels[-1]}"
                print(
                    f"那条消息没有这个按钮：{choices}（{example}）" if zh
                    else f"That message has no such button: {choices} ({example})",
                    file=self.out,
                )
                return True
            text, is_button = command[number], True
            pressed_in = self.adapter.rooms.get(target)
        message_id = f"{self._run}-{next(self._counter)}"
        self.adapter.authors[message_id] = self.adapter.names.get(self.speaker, self.speaker)
        await self.bot.pipeline.handle(
            Inbound(
                sender=Person(CHANNEL, self.speaker, self.adapter.names.get(self.speaker, "")),
                room=self._room(pressed_in),
                message_id=message_id,
                text=text,
                reply_to_message_id=reply_to,
                is_button=is_button,
            )
        )
        await self.bot.dispatcher.flush()
        await self.sweep()  # e.g. a /retag to urgent may have put a ticket past its limit
        return True

    def _button(self, target: str, index: str) -> int | None:
        """Which of `target`'s buttons `/tap` names: none named, its first; a number from 1,
        or a label ("/tap m8 不满意"), which used to press the first button (满意) unsaid."""
        labels = self.adapter.labels.get(target, [])
        if not index:
            return 0
        if index.isdigit():
            number = int(index) - 1
            return number if 0 <= number < len(labels) else None
        wanted = index.strip("[]【】 ")
        return labels.index(wanted) if wanted in labels else None

    async def sweep(self, heading: str | None = None) -> int:
        """One supervision sweep, its notices printed (after `heading`, if there are
        any); how much it found: breaches recorded, visits asked or found unreachable."""
        report = await self.bot.supervisor.sweep()
        self.adapter.heading = heading
        try:
            await self.bot.dispatcher.flush()
        finally:
            self.adapter.heading = None
        if report.unreachable:
            self._clock_says("unreachable", count=report.unreachable)
        return report.escalated + report.asked + report.unreachable

    def _clock_text(self, key: str, **params: object) -> str:
        return CLOCK[self.adapter.lang][key].format(**params)

    def _clock_says(self, key: str, **params: object) -> None:
        print(self._clock_text(key, **params), file=self.out, flush=True)

    async def wait(self, span_text: str) -> None:
        """`/wait 2h`: move the clock on, sweeping at each moment on the way when a
        deadline level or a follow-up fell due (and at the end), in order, no sleeping."""
        clock = self.bot.clock
        if not isinstance(clock, ConsoleClock):
            self._clock_says("fixed")
            return
        try:
            span = parse_duration(span_text.strip().removeprefix("+"))
        except (ValueError, OverflowError):  # not a span, or more days than a date holds
            span = timedelta(0)
        if not timedelta(0) < span <= MAX_WAIT:
            self._clock_says("usage")
            return
        render, lang = self.bot.pipeline.render, self.adapter.lang
        start = clock()
        until = start + span
        self._clock_says(
            "moved",
            span=render.duration(span, lang),
            start=render.local_time(iso(start)),
            until=render.local_time(iso(until)),
        )
        found = 0
        for moment in dict.fromkeys([*await self.bot.supervisor.due_moments(start, until), until]):
            clock.move_to(moment)
            found += await self.sweep(self._clock_text("at", at=render.local_time(iso(moment))))
        if not found:
            self._clock_says("quiet")

    async def _sweep_every_interval(self) -> None:
        """In a terminal, sweep as `intake-bot run` does, so notices arrive while the
        person is reading; a failed sweep is logged and the next one tries again."""
        pause = self.bot.config.supervision.every.total_seconds()
        while True:
            await asyncio.sleep(pause)
            try:
                # The notices start on a line of their own, then the prompt is shown again.
                if await self.sweep(heading=""):
                    print(self._prompt(), end="", file=self.out, flush=True)
            except Exception:
                log.exception("supervision sweep failed")

    async def run(self, stdin: TextIO, interactive: bool) -> None:
        print(HELP[self.adapter.lang], file=self.out, flush=True)
        await self.sweep()  # tickets a previous session left past their deadlines
        ticker = asyncio.create_task(self._sweep_every_interval()) if interactive else None
        try:
            await self._read(stdin, interactive)
        finally:
            if ticker is not None:
                ticker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await ticker

    async def _read(self, stdin: TextIO, interactive: bool) -> None:
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
    if stdin is None:
        stdin = sys.stdin
        if isinstance(stdin, io.TextIOWrapper):
            # A bad byte is read as one U+FFFD whatever the locale's error handler: "strict"
            # would end the session, "surrogateescape" hands on a lone surrogate.
            stdin.reconfigure(errors="replace")
    session = ConsoleSession(bot, adapter)
    await bot.dispatcher.flush()  # anything a previous run left undelivered
    await session.run(stdin, interactive=stdin.isatty())
