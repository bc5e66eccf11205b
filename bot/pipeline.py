"""The intake pipeline: one inbound message in, one transaction, replies in the outbox.

    platform update -> adapter -> Inbound -> Pipeline.handle -> outbox -> dispatcher -> adapter

Classification runs before the transaction (in a worker thread: jieba is CPU-bound and
would block the event loop), everything else inside it, so a crash between "ticket
stored" and "acknowledgement queued" cannot happen.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Set
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot import desk_hints, failures, followup, i18n, mediation, screening
from bot.adapters.base import Inbound, plain_name
from bot.clock import iso, parse_iso, utc_now
from bot.commands import (
    PROGRESS_QUESTION_MAX_CHARS,
    SPECS,
    Command,
    CommandError,
    Unnumbered,
    bare_usage,
    command_word,
    is_greeting,
    normalise,
    parse,
    rating_with_comment,
    unnumbered,
)
from bot.config import Config, IntakeGroup
from bot.desk import Desk, view
from bot.desk.base import record_labels
from bot.desk.rating import CORRECTABLE
from bot.filing import (
    Report,
    as_a_report,
    file_ticket,
    on_its_side,
    one_event_apart,
    reports_about_the_desk,
    resident_area,
    suggested_department,
    takes_in,
    tell_the_grid_of_danger,
)
from bot.many_reporters import raise_if_many
from bot.privacy import anonymous_request
from bot.render import Renderer
from bot.repeats import (
    Likeness,
    awaits_its_words,
    likeness,
    only_asks,
    presses,
    repeated_ticket,
    same_event,
    seconded,
    settled_ticket,
    told_on,
    typed_by_parts,
)
from bot.supervision import working_on
from bot.turn import Turn, enqueue
from bot.visit_words import everyday_rating
from bot.workflow import (
    MEDIATION_ALLOWED,
    RATEABLE_FOLLOWUP,
    RATEABLE_TICKET,
    SUPERVISED,
    TAKES_ADDENDA,
    TAKES_REPEATS,
    TRANSITIONS,
    Action,
    Role,
    Status,
    chooses_own_area,
    files_as_reported,
    keeps_area,
    may,
    may_now,
    reply_reaches,
)
from classifier import NOT_A_REPORT, Classification, Classifier
from classifier.rules import ABOUT_THE_DESK, fired_rules, model_alone_urgent, rule_urgency
from classifier.taxonomy import OTHER
from classifier.text import normalize_for_rules
from storage.base import Store, StoreUnavailable, TicketRecord

log = logging.getLogger(__name__)

# How many of the desk's newest tickets are looked at for another resident's report of the
# same event: a county's last weeks, a province's last hour or so (ids, not times: cheap).
_SAME_EVENT_LOOK_BACK = 500
# ... and of those, the newest this many of the room's, of any type (one event is told as
# several: `bot.repeats.same_event`; a busy group files a few an hour, and a typhoon night's
# flood of reports is bounded here, not by the window).  Each is read whole: 40 cost a
# report about 1 ms more CPU than 20 (bench_pipeline's flood of one room).
_SAME_EVENT_CANDIDATES = 20
# How many of the sender's latest tickets are looked at for one their message repeats.
_REPEAT_CANDIDATES = 20
# The holder hears of a reporter's repeats at most once in this long.
_REPEAT_NOTICE_EVERY = timedelta(hours=1)
# A burst of pictures after a report is acknowledged once in this long (`_evidence`).
_EVIDENCE_SAID_EVERY = timedelta(minutes=10)
# A reporter saying their matter again in a group is answered (您已反映过此事…) once in this
# long for a ticket (`_addendum`): five posts of it on a typhoon night were five replies.
REPEAT_SAID_EVERY = timedelta(minutes=10)
# A message whose handling raised is tried this many times, this many seconds apart, before
# it is kept as "failed" (`Pipeline.handle`).
_ATTEMPTS = 2
_RETRY_AFTER = 0.2
# The longest pause between tries while the database gives no connection (`_when_stored`).
_UNAVAILABLE_PAUSE = 5.0
# A message with none of these has no words to act on (emoji, stickers, "。。。").
_WORDS = re.compile(r"[\w\u4e00-\u9fff]")


def _private_answer(role: Role, has_words: bool, resident: bool) -> str:
    """What a private message that is neither a command nor filed is answered with.  A
    resident is told where reports go; one of the desk's own people, whose private chat is
    for commands, was told the same ("请在所在网格的群里反映问题") and is pointed at /help."""
    if not has_words:
        return "empty_report"
    if not files_as_reported(role):
        return "desk_private_not_command"
    return "report_in_group_first" if resident else "report_in_group"


def _has_words(text: str) -> bool:
    return bool(_WORDS.search(text))


def _new_danger(classification: Classification | None, ticket: TicketRecord) -> bool:
    """Whether an urgent safety rule fires on a message about `ticket` that is not urgent:
    a new danger ("他下来打人了" in reply to a leak's acknowledgement, or an edit adding it)
    is filed on its own, with everything an urgent ticket gets, as a repeat is
    (`bot.repeats.repeated_ticket`); added to the leak, nobody was alerted."""
    danger = classification is not None and rule_urgency(classification.rules) == "urgent"
    return danger and ticket.urgency != "urgent"


def _reply_joins(
    turn: Turn,
    ticket: TicketRecord,
    classification: Classification | None,
    text: str,
    talk: bool,
    theirs: bool = True,
) -> str | None:
    """How a reply to one of `ticket`'s messages joins it: "addendum" (details, a photo, a
    thanks: as replies always have), "repeat" (its reporter saying a resolved matter is not
    settled: told that 重开 is how, its holder told, as a repeat is), "related" (another
    resident's report about it: a ticket of their own, linked to it as the same event), or
    not at all: None, a message of its own, or "report", one to file.  A resident's report
    in reply to a ticket the desk has finished with (resolved, closed) was added to it, the
    sender read `已补充到工单 #1。`, and nobody ever read it: "还是没解决" under the
    resolution notice left the ticket resolved, and a new matter under an old
    acknowledgement was never filed.  `theirs`: the sender reported it (or a ticket merged
    into it); another resident's report added to it left them told `已补充到工单 #1。` and
    then `没有找到工单 #1` when they asked, never told the outcome nor visited.  Not a
    neighbour pressing on it ("还是没人管", "什么时候来修") nor one the classifier finds no
    matter in ("赶紧处理一下吧", read as 其他 and often urgent): those join it, as they always
    did; filed, each was a ticket about nothing, an urgent one escalated within the hour."""
    if _new_danger(classification, ticket):
        return None
    status = Status(ticket.status)
    if talk or classification is None:
        return "addendum"  # the desk's own words, a photo
    if status not in (Status.RESOLVED, Status.CLOSED):
        other = not theirs and turn.actor.role is Role.RESIDENT
        danger = rule_urgency(classification.rules) == "urgent"
        matter = classification.type not in (NOT_A_REPORT, OTHER) and not presses(text)
        # "我家也是 路灯不亮好几天了": their own home's trouble, though the model finds no type
        seconds = classification.type == OTHER and seconded(text) is not None
        if other and (danger or matter or seconds):
            return "related"
        return "addendum"  # an open ticket's details, a neighbour's thanks or "我也看到了"
    said_again = presses(text) or repeated_ticket(text, classification, [ticket]) is not None
    if said_again and ticket.reporter_id == turn.person.id:
        return "repeat" if status is Status.RESOLVED else "report"
    return "addendum" if classification.type == NOT_A_REPORT else None


def _desk_words(command: Command, inbound: Inbound) -> bool:
    """A desk command that, from a resident, is a message like any other of theirs:
    "上报：…" (in any form: residents' messages are reports anyway), and "查找 …" and
    "零报告 …" in words, as residents write too ("查找 走失老人，穿蓝色外套" is a report, and
    "零报告，你们天天零报告，楼下天天有人赌博" a complaint); and any other command of the
    desk's typed in words with a sentence after its number (`_number_in_words`: "结案 2 年了
    赔偿还没到位", "合并 2 3 个村的水渠一直没人修"), which was refused as the command and
    never filed, where "结案 2 已调解" still is.  A slash command is meant as one, and a
    resident is told it is not theirs."""
    if command.action is Action.REPORT:
        return True
    if normalise(inbound.text).startswith("/"):
        return False
    if command.action in (Action.SEARCH, Action.ZERO_REPORT):
        return True
    return not may(Role.RESIDENT, command.action) and _number_in_words(inbound)


# A command's word, then a number with a sentence after it where a ticket's number goes:
# "办结3年了房产证还没办下来", "查询3号楼停电什么时候恢复", and after a space, a measure word
# first ("结案 2 年了赔偿还没到位", "退回 2 千块押金物业一直不给") or after two numbers ("合并 2 3
# 个村的水渠一直没人修"): five Chinese characters, with what separates words between them.
# Not a few words ("查询 3栋的事" is told what a ticket number is, as "查询 abc" is; "结案 2
# 已调解" is /close), nor a number written as a ticket's is ("结案 #2 …", "结案 2，…").
_REF_IN_WORDS = r"第?\d+号?"
_NUMBER_IN_WORDS = re.compile(
    rf"[\u4e00-\u9fff]+\s*{_REF_IN_WORDS}(?:(?:\s*[到至]\s*|\s+){_REF_IN_WORDS})*\s*"
    r"[\u4e00-\u9fff](?:[\s,，、。.…!！?？~～:：;；]*[\u4e00-\u9fff]){4}"
)
# The same in English, whose command names are read without their slash too ("claim 12",
# `bot.commands`): "File 2 complaints about the KTV…", "Claim 5000 yuan deposit the landlord
# never returned" were refused as /file and /claim and never filed.  Three words or more after
# the number(s); not fewer ("close 2 settled" is /close), nor a number written as a ticket's.
_EN_NUMBER_IN_WORDS = re.compile(
    r"[A-Za-z]+(?:\s+\d+)+\s+[A-Za-z][\w'’-]*(?:[\s,.;:!?]+[A-Za-z0-9][\w'’-]*){2}"
)


def _number_in_words(inbound: Inbound) -> bool:
    """Whether the message is a command's word and a number with a sentence after it
    (`_NUMBER_IN_WORDS`, `_EN_NUMBER_IN_WORDS`): from a resident, their words, not a command."""
    text = normalise(inbound.text)
    return bool(_NUMBER_IN_WORDS.match(text) or _EN_NUMBER_IN_WORDS.match(text))


def _desk_word(inbound: Inbound, error: CommandError) -> bool:
    """Whether `error` came from a command's word typed in words that a resident's message
    may start with, not as a slash command: a desk command's word without its arguments
    ("延期", "认领"), or with words where its number goes ("办结3年了房产证还没办下来", "退回2000元
    押金…"), or a resident's own command's word with a building's number there ("查询3号楼停电
    什么时候恢复": `_number_in_words`).  From a resident that is a message like any other of
    theirs, read as a report or chatter: not answered with the desk's usage line in front of
    the group, nor told that 「3年了房产证还没办下来」 is no ticket number while the report is
    never filed.  ("查询 abc" is still told what a ticket number is.)"""
    name = error.params.get("command")
    if name not in SPECS or normalise(inbound.text).startswith("/"):
        return False
    if error.key == "one_ticket_each":  # "认领 1 2": a command's shape, answered as one
        return False
    if not may(Role.RESIDENT, SPECS[str(name)].action):
        return True
    return error.key == "bad_ticket_number" and _number_in_words(inbound)


def _names_danger(text: str, classification: Classification | None) -> bool:
    """Whether an urgent safety rule fires on a message: read again from its words when the
    classifier did not get to it (the rules are plain patterns, and may well work when what
    failed was the model)."""
    if classification is not None:
        return rule_urgency(classification.rules) == "urgent"
    try:
        return rule_urgency(fired_rules(normalize_for_rules(text))) == "urgent"
    except Exception:
        log.exception("reading the safety rules on a failed message failed too")
        return False


@dataclass(frozen=True)
class Failure:
    """What `Pipeline._failure` makes of a message whose handling failed."""

    disposition: str  # "failed" (kept for /unfiled and /file), "command" or "ignored"
    say: str | None  # what its sender is told (an `i18n` key), if anything
    danger: bool = False  # an urgent safety rule fires on it: the staff room hears at once


@dataclass(frozen=True)
class Reading:
    """What `Pipeline._read` made of a message before its transaction."""

    inbound: Inbound  # an edit reads as a reply to the message it edits
    command: Command | None
    error: CommandError | None
    stale: bool  # an edit that is not filed again: logged, nothing done
    declared: str | None  # the text of a worker's "上报：…"
    text: str  # what is filed if it is a report
    classification: Classification | None
    anonymous: bool = False  # it began 匿名反映 / "anonymous:", stripped from `text`


async def seed_people(store: Store, config: Config, now: str) -> None:
    """Give the people named in the config their roles (the config is authoritative
    for them; everyone else starts as a resident and changes only through /grant): at the
    bot's start, and before work orders are imported (`bot.hotline`), whose grid workers are
    told of them.  Their names as a platform's enter (`plain_name`): "【物业】王经理" kept as
    written was found by no name typed to 指派 or 授权, which are read so."""
    async with store.write() as tx:
        for p in config.people:
            name = plain_name(p.name)
            person = await tx.upsert_person(p.channel, p.user_id, name, p.role, p.area, now)
            keep = keeps_area(Role(person.role), p.role)
            await tx.set_role(person.id, p.role, p.area, keep)


class Pipeline:
    def __init__(
        self,
        store: Store,
        config: Config,
        classifier: Classifier,
        clock: Callable[[], datetime] = utc_now,
        on_outbox: Callable[[], None] | None = None,
        document_channels: Set[str] = frozenset(),
    ) -> None:
        self.store = store
        self.config = config
        self.classifier = classifier
        self.clock = clock
        self.on_outbox = on_outbox or (lambda: None)
        self.render = Renderer(
            config.timezone, config.intake.area_prefix, config.intake.crisis_hotline
        )
        self.desk = Desk(self.render, config, classifier, document_channels)
        self._unknown_rooms: set[tuple[str, str]] = set()  # each logged once (`_is_known_room`)

    async def seed_people(self) -> None:
        await seed_people(self.store, self.config, iso(self.clock()))

    def _is_known_room(self, inbound: Inbound) -> bool:
        """Whether the message comes from a chat the config serves.  The first message of
        any other group is logged with its id: that is how a centre setting the bot up learns
        the id to put in `[[intake_groups]]` (Telegram's getUpdates answers nothing while the
        bot itself is polling)."""
        room = inbound.room
        staff_rooms = [self.config.staff_chat, *self.config.supervision.notify]
        known = (
            room.is_private
            or self.config.intake_group(room.channel, room.chat_id) is not None
            or any(
                (staff.channel, staff.chat_id) == (room.channel, room.chat_id)
                for staff in staff_rooms
                if staff is not None
            )
        )
        if not known and (room.channel, room.chat_id) not in self._unknown_rooms:
            self._unknown_rooms.add((room.channel, room.chat_id))
            log.warning(
                "ignoring messages from %s chat %s (%s): not an intake group, nor the staff "
                "chat; to serve it, add [[intake_groups]] channel = %r, chat_id = %r",
                room.channel, room.chat_id, room.title or "no title", room.channel, room.chat_id,
            )
        return known

    def _intake_point(self, inbound: Inbound) -> tuple[IntakeGroup | None, bool]:
        """The intake point a message came to (a group, or a "*" point one to one), and
        whether it may be a private report: one to one on a channel whose residents report in
        groups, if the sender turns out to be a resident whose area is known (`home_area`)."""
        room = inbound.room
        group = self.config.intake_group(room.channel, room.chat_id, room.is_private)
        private_report = group is None and room.is_private and self.config.intake.private_reports
        return group, private_report

    async def handle(self, inbound: Inbound) -> bool:
        """Process one message; False if it was ignored or already seen.

        A step that raises twice (a bug, bad data a step cannot read) used to
        roll the message back with everything else: the platform tried again, failed the
        same way, and gave up, so the report was lost and its sender heard nothing.  Now the
        message is kept as "failed" (/unfiled lists it, /file files it) and whom it concerns
        told (`_failure`); only when even that cannot be stored (the database is down) does
        the error reach the platform, which then delivers the message again.  A database
        that gives no connection in time (`StoreUnavailable`) is no fault of the message: it
        is waited for, however long, as it was before the wait had a bound (`_when_stored`)."""
        if not self._is_known_room(inbound):
            return False  # not ours: store nothing from groups we do not serve
        group, private_report = self._intake_point(inbound)
        read: Reading | None = None  # the last reading that succeeded: what the message is

        async def step(message: Inbound) -> bool:
            nonlocal read
            read = await self._read(message, group is not None or private_report)
            return await self._handle(read, group, private_report)

        for attempt in range(_ATTEMPTS):
            try:
                return await self._when_stored(step, inbound)
            except Exception:
                log.exception("handling message %s failed", inbound.message_id)
                if attempt + 1 < _ATTEMPTS:
                    await asyncio.sleep(_RETRY_AFTER)  # a busy database, a dropped connection
                elif not await self._keep_failed(inbound, read):
                    raise
        return True

    async def _when_stored(
        self, step: Callable[[Inbound], Awaitable[bool]], inbound: Inbound
    ) -> bool:
        """`step(inbound)`, tried again while the database gives no connection in time.
        The message may be held nowhere else: a platform's redelivery is not to be counted
        on (Telegram's polling moves past an update that keeps failing, WeChat's callbacks
        are answered before the message is stored, and one the database would not keep in
        time, `bot.journal`, lives only here), so it waits here, saying so."""
        pause = _RETRY_AFTER
        while True:
            try:
                return await step(inbound)
            except StoreUnavailable as exc:
                log.warning("message %s waits for the database: %s", inbound.message_id, exc)
            await asyncio.sleep(pause)
            pause = min(pause * 2, _UNAVAILABLE_PAUSE)

    async def _keep_failed(self, inbound: Inbound, read: Reading | None) -> bool:
        """Log a message whose handling failed (`read`: what `_read` made of it, if it got
        that far) and tell whom it concerns (`_failure`); False if that cannot be stored
        either."""
        try:
            return await self._when_stored(lambda m: self._store_failed(m, read), inbound)
        except Exception:
            log.exception("keeping failed message %s failed too", inbound.message_id)
            return False

    async def _store_failed(self, inbound: Inbound, read: Reading | None) -> bool:
        group, private_report = self._intake_point(inbound)
        async with self.store.write() as tx:
            now = iso(self.clock())
            sender = inbound.sender
            person = await tx.upsert_person(
                sender.channel, sender.user_id, sender.display_name, "resident", None, now
            )
            room = inbound.room
            inbound_id = await tx.record_inbound(
                room.channel, room.chat_id, inbound.message_id, person.id, inbound.text, now,
                inbound.thread_id,
            )
            if inbound_id is None:
                return True  # stored before the failure (it came after the commit)
            lang = person.lang or self.config.language
            turn = Turn(tx, person, inbound, inbound_id, lang, now)
            failure = self._failure(inbound, read, Role(person.role), group, private_report)
            await tx.mark_inbound(inbound_id, failure.disposition, None)
            if failure.say is not None:
                turn.say(failure.say)
            if failure.disposition == "failed":
                await self._tell_staff(turn, failure.danger)
            await enqueue(tx, self.config, turn.outgoing, now)
        self.on_outbox()
        return True

    async def _tell_staff(self, turn: Turn, danger: bool) -> None:
        """The staff room's notice of a failed message: at once if it is the first in a
        while, or a danger, with the count of those not told yet; otherwise it is counted in
        the next summary (`bot.failures`): a step failing for every message posted a notice
        per message."""
        now = parse_iso(turn.now)
        earlier = await failures.tell_at_once(turn.tx, now, turn.inbound_id, danger)
        if earlier is None:
            return
        lang, text = self.config.language, turn.inbound.text
        lines = [i18n.t(
            "failed_report_staff", lang, name=turn.actor.name, number=turn.inbound_id,
            text=text[:200],
        )]
        if earlier:
            lines.append(i18n.t("failed_more_staff", lang, count=earlier))
        minutes = int(failures.EVERY.total_seconds() // 60)
        lines.append(i18n.t("failed_grouped_staff", lang, minutes=minutes))
        turn.to_staff(self.config, "\n".join(lines), None, urgent=danger)

    def _failure(
        self,
        inbound: Inbound,
        read: Reading | None,
        role: Role,
        group: IntakeGroup | None,
        private_report: bool,
    ) -> Failure:
        """What a message whose handling failed is kept as, and what its sender is told.

        A command: "command", told it was not done.  A message that could not have been a
        report here (an edit that is not filed again, talk in the staff room, a message one
        to one where nothing is filed: `private_reports` off, or one of the desk's own people
        not declaring a report) stays what it would have been, "ignored", and is answered
        as it would have been.  Anything else is "failed": kept for /unfiled and /file, the
        staff room told.  Its sender is told in a private chat (they wrote to the bot); in a
        group only if it is likely a report: declared (上报), a danger a safety rule names,
        or a resident's message the classifier read as a report.  Most of a group's messages
        are chatter ("收到", "谢谢"), and a step failing for every message posted an apology
        under each of them, for every resident to read."""
        room = inbound.room
        command, declared, stale, classification = self._failed_reading(inbound, read, role)
        if command:
            return Failure("command", "failed_command")
        if stale:
            return Failure("ignored", None)
        if not (declared or group is not None or private_report and files_as_reported(role)):
            if not room.is_private or inbound.edit_of is not None:
                return Failure("ignored", None)
            has_words = _has_words(inbound.text) or bool(inbound.attachments)
            return Failure("ignored", _private_answer(role, has_words, resident=False))
        text = read.text if read is not None else inbound.text
        report = (
            classification is not None
            and classification.type != NOT_A_REPORT
            and files_as_reported(role)
        )
        danger = _names_danger(text, classification) or (
            report and classification is not None and classification.urgency == "urgent"
        )
        told = room.is_private or declared or danger or report
        return Failure("failed", "failed_report" if told else None, danger)

    def _failed_reading(
        self, inbound: Inbound, read: Reading | None, role: Role
    ) -> tuple[bool, bool, bool, Classification | None]:
        """(a command?, a declared report (上报)?, an edit not filed again?, its
        classification) of a message whose handling failed: from `read` if `_read` got that
        far, else from its words alone (the classifier, or a read of the store, is what
        failed)."""
        if read is not None:
            command = read.error is not None or (
                read.command is not None and read.declared is None
            )
            return command, read.declared is not None, read.stale, read.classification
        try:
            parsed = parse(inbound.text, self.config.scope_names)
        except CommandError as error:
            if role is Role.RESIDENT and _desk_word(inbound, error):
                return False, False, False, None  # a message like any other of theirs
            return True, False, False, None
        except Exception:
            return False, False, False, None
        if parsed is not None and parsed.loose and not may(role, parsed.action):
            return False, False, False, None  # words of theirs, only shaped like a command
        if parsed is not None and _desk_words(parsed, inbound):
            if role is Role.RESIDENT:
                return False, False, False, None  # a message like any other of theirs
            if parsed.action is Action.REPORT:
                return False, True, False, None
        if parsed is None and inbound.room.is_private and is_greeting(inbound.text):
            return True, False, False, None  # answered with /help
        return parsed is not None, False, False, None

    async def _handle(
        self, read: Reading, group: IntakeGroup | None, private_report: bool
    ) -> bool:
        inbound, command, error = read.inbound, read.command, read.error
        declared, classification, text = read.declared, read.classification, read.text

        async with self.store.write() as tx:
            now = iso(self.clock())
            sender = inbound.sender
            person = await tx.upsert_person(
                sender.channel, sender.user_id, sender.display_name, "resident", None, now
            )
            inbound_id = await tx.record_inbound(
                inbound.room.channel,
                inbound.room.chat_id,
                inbound.message_id,
                person.id,
                inbound.text,
                now,
                inbound.thread_id,
            )
            if inbound_id is None:
                return False  # a redelivery: already handled
            turn = Turn(tx, person, inbound, inbound_id, person.lang or self.config.language, now)
            disposition, ticket_id = "command", None
            if read.stale:
                disposition = "ignored"
            elif error is not None:
                await self._explain(turn, error)
            elif command is not None and declared is None:
                await self.desk.run(turn, command)
            elif read.anonymous and not self._anonymous_possible(turn, read, group):
                disposition = "chatter" if group is not None else "ignored"
            elif group is None and declared is None:
                has_words = _has_words(inbound.text) or bool(inbound.attachments)
                # A resident's private report (私下反映), filed for their group's area; one
                # never seen in a group of a county with several is asked to say something
                # there first.  (The desk's own people declare their reports: 上报.)
                resident = private_report and files_as_reported(turn.actor.role)
                home = None
                if resident and has_words:
                    home = await resident_area(tx, self.config, person, inbound.room.channel, None)
                if home is not None:
                    disposition, ticket_id = await self._intake(
                        turn, home, classification, text, anonymous=read.anonymous
                    )
                else:
                    disposition = "ignored"
                    if await self._desk_hint(turn, inbound.text):
                        pass  # "1号办好了" one to one, or in the staff room: its command
                    elif inbound.room.is_private and inbound.edit_of is None:  # answered once
                        turn.say(_private_answer(turn.actor.role, has_words, resident))
            else:
                area = group.area if group is not None else person.area
                if group is not None and chooses_own_area(turn.actor.role):
                    area = await resident_area(tx, self.config, person, group.channel, group)
                elif group is not None and group.chat_id == "*" and (
                    turn.actor.role is Role.GRID_WORKER and person.area is not None
                ):
                    # A grid worker's 上报 one to one (WeCom, the Official Account): their
                    # grid's, not the intake point's (which is one grid of several).
                    area = person.area
                # The desk's own people talking in the group, unless they said it is a report
                # or an urgent safety rule fired (a danger is never let pass as talk).
                talk = declared is None and not files_as_reported(Role(person.role)) and not (
                    classification and rule_urgency(classification.rules) == "urgent"
                )
                if area is None:
                    turn.say("report_needs_area")
                else:
                    disposition, ticket_id = await self._intake(
                        turn, area, classification, text, declared is not None, talk,
                        anonymous=read.anonymous and inbound.room.is_private,
                    )
                    # What a grid worker reports (上报), or a danger they filed, is their grid's
                    # screening find; not their word added to a resident's ticket.
                    found = disposition == "ticket" or declared is not None and (
                        disposition == "addendum"
                    )
                    if found and ticket_id is not None and turn.actor.role is Role.GRID_WORKER:
                        await screening.record_find(tx, ticket_id, person, now, self.config)
            await tx.mark_inbound(inbound_id, disposition, ticket_id)
            released = 0
            if inbound.room.is_private:
                late = await followup.ask_unreached(tx, person, now, self.config, self.render)
                turn.outgoing += [(m, None) for m in late]
                # What the platform would not let the bot tell them until they wrote: a
                # resolution notice past WeChat's 48 hours, say (`AwaitingContact`).
                room = inbound.room
                released = await tx.release_awaiting(room.channel, room.chat_id, now)
            await enqueue(tx, self.config, turn.outgoing, now)
        if turn.outgoing or released:
            self.on_outbox()
        return True

    @staticmethod
    def _anonymous_possible(turn: Turn, read: Reading, group: IntakeGroup | None) -> bool:
        """Whether a message asking to report anonymously (匿名反映) goes on to be filed, or
        was answered here.  In a residents' group everyone, the grid's workers too, read it
        under its sender's name: nothing is left to keep, and a ticket naming them is what
        they asked not to have.  So it is not filed (it stays in 未立案 for the desk to file),
        and they are told to write to the bot one to one.  A danger a safety rule names is
        filed all the same, as in any group message: none is let pass.  One to one, the
        marker with no report after it is answered with an example.  Either way `read.text`
        is the report without the marker."""
        inbound, words = turn.inbound, _has_words(read.text) or bool(turn.inbound.attachments)
        danger = read.classification is not None and (
            rule_urgency(read.classification.rules) == "urgent"
        )
        if not inbound.room.is_private:
            if group is None or danger or not files_as_reported(turn.actor.role):
                return True
            if inbound.edit_of is None:  # answered once
                turn.say("anonymous_in_group")
            return False
        if words:
            return True
        turn.say("anonymous_empty")
        return False

    async def _desk_hint(self, turn: Turn, text: str) -> bool:
        """Whether a desk member's words about one ticket ("1号办好了", "3号需要派出所处理",
        "5号我来处理": `bot.desk_hints`) were answered with the command that does it.  Talk
        to the bot otherwise, left alone, they believed it done while nothing was.  Not
        carried out (no outcome for the reporter, "我去看看" is not surely a claim); answered
        only if the command would work for them (`may_now`), so nobody learns of a ticket
        they may not see.  A grid worker or liaison cannot hand a ticket on (转办 is staff's):
        told to note where it should go, if they may note it.  Never a resident's words, nor
        an edit (answered once)."""
        if files_as_reported(turn.actor.role) or turn.inbound.edit_of is not None:
            return False
        said = desk_hints.read(text)
        ticket = await turn.tx.ticket(said.ticket) if said is not None else None
        if said is None or ticket is None:
            return False
        seen, actor = view(ticket), turn.actor
        label, number = self.render.label(ticket), self.render.number(ticket)
        if said.action is not Action.DISPATCH:
            if not may_now(actor, said.action, seen):
                return False
            key = "desk_hint_claim" if said.action is Action.CLAIM else "desk_hint_resolve"
            turn.say(key, ticket=label, number=number)
            return True
        department = self.config.find_department(said.department)
        if department is None or department.code == ticket.department:
            return False
        if may_now(actor, Action.DISPATCH, seen):
            key = "desk_hint_dispatch"
        elif may_now(actor, Action.NOTE, seen):
            key = "desk_hint_dispatch_note"
        else:
            return False
        turn.say(key, ticket=label, number=number, department=department.name)
        return True

    async def _read(self, inbound: Inbound, intake: bool) -> Reading:
        """What the message is, decided before its transaction (the classifier runs in a
        thread, outside it).  `intake`: the room is an intake point."""
        command: Command | None = None
        error: CommandError | None = None
        try:
            command = parse(inbound.text, self.config.scope_names)
        except CommandError as exc:
            error = exc
        # A press is the command its button carries, whoever made up its data (a client may
        # send any callback_data): never a resident's words read as a report or a rating.
        # No button files a report ("/report …" pressed is nothing).
        words = not inbound.is_button
        if not words and command is not None and command.action is Action.REPORT:
            command = None
        if error is not None and words and await self._residents_words(inbound, error):
            error = None  # "延期？" about a flat handed over late: theirs to say, not a command
        if inbound.reply_to_message_id and inbound.edit_of is None:
            # "认领" (or "办结 已调解") in reply to a ticket's message means that ticket.
            loose = unnumbered(inbound.text)
            number = await self._replied_number(inbound, loose) if loose else None
            if loose and number is not None:
                try:
                    command, error = loose.for_number(number), None
                except CommandError as exc:  # "备注" alone: the note's words are missing
                    command, error = None, error or exc  # said in the sender's words
        if (
            command is None and error is None and inbound.room.is_private
            and inbound.reply_to_message_id and inbound.edit_of is None
            and _has_words(inbound.text)
        ):
            # The desk's words in reply to a ticket's notice, one to one ("收到，明天去现场"
            # under a 转办 notice): a note on it, as a reply under its messages in the group
            # joins it.  It was answered "not a command" and lost.  Not a resident's.
            as_note = Unnumbered("note", inbound.text.strip())
            number = await self._replied_number(inbound, as_note)
            if number is not None:
                command = as_note.for_number(number)
        # An edited message (Telegram) is a new version of one already handled: never run as
        # a command again (an edited "认领 1" must not claim twice), nor answered again where
        # nothing is filed; otherwise read as a reply to the original, so it joins the ticket
        # that message belongs to, or, if the original was not filed, is a message of its own.
        stale = inbound.edit_of is not None and (
            command is not None or error is not None or not intake
        )
        if stale:
            command, error = None, None
        if inbound.edit_of is not None:
            inbound = replace(inbound, reply_to_message_id=inbound.edit_of)
        # "上报：…" from the desk's own people is a report of that text; from a resident it is
        # a message like any other of theirs.
        declared: str | None = None
        if command is not None and command.loose and not may(
            await self._role(inbound), command.action
        ):
            command = None  # "授权 委托书怎么写": words of theirs, only shaped like a command
        if command is not None and _desk_words(command, inbound):
            if await self._role(inbound) is Role.RESIDENT:
                command = command if inbound.is_button else None
            elif command.action is Action.REPORT:
                declared = command.args
        # "不满意，钱还没到手": the answer to a visit if one waits for the sender's rating,
        # else a report ("不满意，物业天天乱收费"), and always a report if a danger is in it.
        fresh = command is None and error is None and inbound.edit_of is None and words
        rated = rating_with_comment(inbound.text) if fresh else None
        # "还行吧，就是来得有点慢": the answer to the one visit waiting, in everyday words.
        worded = (
            everyday_rating(inbound.text)
            if fresh and rated is None and inbound.room.is_private else None
        )
        if fresh and inbound.room.is_private:
            # "你好" to the bot: what it does, where it was told to report in the group.
            command = Command(Action.HELP) if is_greeting(inbound.text) else None
        text = inbound.text if declared is None else declared
        # "匿名反映：村东头聚赌" (`bot.privacy.anonymous_request`): the words after the marker
        # are the report, classified and filed without it.
        said = anonymous_request(text) if command is None and error is None else None
        text = text if said is None or declared is not None else said
        anonymous = said is not None and declared is None
        classification: Classification | None = None
        is_report = error is None and not stale and words and (
            declared is not None or command is None and intake
        )
        fits = len(text) <= self.config.intake.max_report_chars
        if (is_report or rated is not None or worded is not None) and fits and _has_words(text):
            classification = await asyncio.to_thread(self.classifier.classify, text)
        if (
            classification is not None and declared is None and not classification.rules
            and is_greeting(text)
        ):
            # "@综治助手 在吗", "机器人你好" in a group: a greeting, chatter as "你好" is, whatever
            # the model makes of it (it called the first urgent: a ticket about nothing,
            # escalated in 30 minutes).  Not where a safety rule fires.
            classification = None
        danger = classification is not None and rule_urgency(classification.rules) == "urgent"
        if rated is not None and not danger and await self._visits_waiting(inbound, True):
            command, classification = rated, None
        if worded is not None and not danger:
            visited = await self._visits_waiting(inbound, False)
            if visited:
                # With two waiting, which one the words answer is not known: asked which, as
                # a bare 满意 is (`Ratings._rate_unnumbered`); it was filed, or had no reply.
                rating, comment = worded
                args = f"{rating.value} {comment}".strip()
                number = visited[0] if len(visited) == 1 else None
                command = Command(Action.RATE, number, args, in_words=True)
                classification = None
        return Reading(inbound, command, error, stale, declared, text, classification, anonymous)

    async def _residents_words(self, inbound: Inbound, error: CommandError) -> bool:
        """A desk command's word that a command could not be read from, typed in words by a
        resident, who may not use it (`_desk_word`): a message of theirs."""
        return _desk_word(inbound, error) and await self._role(inbound) is Role.RESIDENT

    async def _explain(self, turn: Turn, error: CommandError) -> None:
        name = str(error.params.get("command"))
        if error.key == "one_ticket_each" and not may(turn.actor.role, SPECS[name].action):
            # "认领 1 2" from a resident: refused as "认领 1" is, not told to send each.
            role = i18n.name(f"role.{turn.actor.role}", turn.lang)
            turn.say("not_allowed", role=role, command=command_word(name, turn.lang))
        elif error.key == "usage":
            usage = error.params.get("usage") or i18n.usage(error.params["command"], turn.lang)
            word = error.params.get("word")  # a bare command word ("撤回"): `bare_usage`
            only = await self._the_one_it_fits(turn, name) if word else None
            if only is not None:  # "撤回" alone: "撤回 1 原因", their own ticket's number
                usage = bare_usage(str(word), name, only)
            turn.say("usage", usage=usage)
        else:
            turn.say(error.key, **error.params)

    async def _the_one_it_fits(self, turn: Turn, name: str) -> int | None:
        """A resident's one ticket that their command word alone ("撤回", "重开") would act
        on now, if they have exactly one: its usage line shows its number, not "12", which a
        villager with ticket #1 read as a number to copy."""
        action = SPECS[name].action if name in SPECS else None
        if turn.actor.role is not Role.RESIDENT or action not in (Action.WITHDRAW, Action.REOPEN):
            return None
        room = turn.inbound.room
        theirs = [  # in a group, never the number of a report made privately (私下反映)
            t for t in await turn.tx.tickets_reported_by(turn.person.id, _REPEAT_CANDIDATES)
            if room.is_private or (t.channel, t.chat_id) == (room.channel, room.chat_id)
        ]
        fits = [t.id for t in theirs if may_now(turn.actor, action, view(t))]
        return fits[0] if len(fits) == 1 else None

    async def _replied_number(self, inbound: Inbound, loose: Unnumbered) -> int | None:
        """The ticket (for /file, the logged message) the message replies to, when it is
        one the sender's role has that command for.  A resident's "备注 …" in reply to their
        own acknowledgement adds to their report, as before: /note is not theirs."""
        assert inbound.reply_to_message_id is not None
        room, replied = inbound.room, inbound.reply_to_message_id
        if not may(await self._role(inbound), loose.action):
            return None
        async with self.store.read() as tx:
            if loose.name == "file":
                return await tx.logged_message_id(room.channel, room.chat_id, replied)
            return await tx.ticket_for_message(room.channel, room.chat_id, replied)

    async def _role(self, inbound: Inbound) -> Role:
        """The sender's role as stored (someone never seen before is a resident)."""
        async with self.store.read() as tx:
            person = await tx.person_by_platform(inbound.sender.channel, inbound.sender.user_id)
        return Role(person.role) if person is not None else Role.RESIDENT

    async def _visits_waiting(self, inbound: Inbound, corrections: bool) -> list[int]:
        """The tickets whose follow-up visit waits for the sender's rating, at most two: any
        for a rating command (`Desk.rate` picks which), exactly one for a rating in words
        (with two, which one the words answer is not known: `_visit_answered_in_words`).
        `corrections`: also those whose rating was read from words and may still be
        corrected (`bot.desk.rating.CORRECTABLE`), resolved or closed since: 「不满意，其实没修好」
        after 「修好了」 is the correction, not a new report.  Not for words again: 「挺好的」
        after 「修好了」 corrects nothing."""
        async with self.store.read() as tx:
            person = await tx.person_by_platform(inbound.sender.channel, inbound.sender.user_id)
            if person is None:
                return []
            waiting = await tx.tickets_awaiting_rating(
                person.id, sorted(RATEABLE_TICKET), sorted(RATEABLE_FOLLOWUP), limit=2,
                correctable=CORRECTABLE if corrections else (),
            )
        return [t.id for t in waiting]

    async def _intake(
        self,
        turn: Turn,
        area: str,
        classification: Classification | None,
        text: str,
        declared: bool = False,
        talk: bool = False,
        anonymous: bool = False,
    ) -> tuple[str, int | None]:
        """A report: add to a ticket, open one, or let it pass as chatter.  `declared`: the
        sender said it is one (上报), so the classifier's chatter is overruled, as by /file.
        `talk`: a worker's message, which adds to a ticket it replies to and is otherwise
        left alone (disposition "desk").  `anonymous`: asked to be made so (匿名反映): a
        ticket of its own, or words added to one of the sender's anonymous ones, never to
        one that names them.  A resident's words about the desk's own people (作风反映) are
        likewise added to no ticket but a 作风反映 (`bot.filing.takes_in`): not as a reply,
        a part told on, a repeat nor a visit's answer; filed, the staff room's alone."""
        tx, inbound = turn.tx, turn.inbound
        room = inbound.room
        limit = self.config.intake.max_report_chars
        if len(text) > limit:
            # Kept in inbound_messages (nothing accepted is lost); the reporter is asked to split.
            turn.say("too_long", length=len(text), limit=limit)
            return "rejected", None
        about_the_desk = reports_about_the_desk(text, self.config)
        replied_to: TicketRecord | None = None  # named to the desk if filed on its own
        related_to: TicketRecord | None = None  # another's ticket a reply reports about
        if inbound.reply_to_message_id:
            ticket_id = await tx.ticket_for_message(
                room.channel, room.chat_id, inbound.reply_to_message_id
            )
            ticket = await tx.ticket(ticket_id) if ticket_id is not None else None
            in_its_chat = ticket is not None and (ticket.channel, ticket.chat_id) == (
                room.channel, room.chat_id
            )
            if ticket is not None and not reply_reaches(turn.actor, view(ticket), in_its_chat):
                ticket = None  # a message of its own (`bot.workflow.reply_reaches`)
            theirs = ticket is not None and ticket.reporter_id == turn.person.id
            if ticket is not None:
                # Merged (并案): what its reporter adds belongs where the event is handled.
                ticket = await followup.case_of(tx, ticket)
                theirs = theirs or ticket.reporter_id == turn.person.id
            if (
                ticket is not None
                and Status(ticket.status) in TAKES_ADDENDA
                and (text.strip() or inbound.attachments)
            ):
                # Their "去不了" quoting the session's notice: its answer, as unquoted.
                declined = (
                    None if talk or about_the_desk or classification is None
                    else await self._session_declined_in_words(
                        turn, text, classification, replied=ticket
                    )
                )
                if declined is not None:
                    return await self._cannot_come(turn, *declined, text)
                # A 作风反映 under the grid's acknowledgement: a report of its own, the ticket
                # it replied to named to staff (a worker's own words, `talk`, join as ever).
                joins = (
                    _reply_joins(turn, ticket, classification, text, talk, theirs)
                    if talk or takes_in(ticket, about_the_desk) else None
                )
                replied_to = ticket
                if joins == "related":  # named to the desk as the same event, not as a reply
                    related_to, replied_to = ticket, None
                if joins == "addendum":
                    return await self._addendum(turn, ticket, text)
                if joins == "repeat":
                    assert classification is not None
                    return await self._addendum(turn, ticket, text, repeat=classification)
                if joins == "report" and classification is not None:
                    # "还是没解决" about a closed case: only staff reopen it; a report of its own.
                    classification = as_a_report(classification)
        if talk:
            if await self._desk_hint(turn, text):
                return "desk", None
            if room.is_private:  # in a group the bot does not talk back; here, silence misleads
                turn.say("talk_not_filed")
            return "desk", None
        if classification is None and not inbound.attachments:
            # Empty or emoji-only: in a group this is chatter, and the bot stays quiet.
            return "chatter", None
        here = await self._own_tickets_here(turn)
        if anonymous:
            here = [t for t in here if t.anonymous]
        if inbound.attachments and not _has_words(text):
            just_reported = self._ticket_just_reported(turn, here)
            if just_reported is not None:
                return await self._evidence(turn, just_reported)
        if classification is None:
            classification = await asyncio.to_thread(self.classifier.classify, text)
        mine = self._recent_own_tickets(turn, text, here)
        # What the message may be added to (a 作风反映 joins no ticket of the grid's).
        joinable = [t for t in mine if takes_in(t, about_the_desk)]
        visited = await self._visit_answered_in_words(turn, text, classification)
        case = await followup.case_of(tx, visited) if visited is not None else None
        if visited is not None and case is not None and takes_in(case, about_the_desk):
            return await self._addendum(
                turn, case, text, repeat=classification, shown=visited, visit=True
            )
        declined = (
            None if about_the_desk  # a 作风反映 is filed, the staff room's (`takes_in`)
            else await self._session_declined_in_words(turn, text, classification)
        )
        if declined is not None:
            return await self._cannot_come(turn, *declined, text)
        settled = settled_ticket(text, classification, joinable)
        if settled is not None:
            return await self._settled(turn, settled, text)
        cases = await self._merged_cases(turn, text, here, mine)
        merged = [t for t in here if t.id in cases and takes_in(cases[t.id], about_the_desk)]
        repeated = repeated_ticket(text, classification, joinable + merged)
        if repeated is not None:
            case = cases.get(repeated.id)
            if case is not None:  # their report, merged: said again, it joins the case
                return await self._addendum(
                    turn, case, text, repeat=classification, shown=repeated
                )
            return await self._addendum(turn, repeated, text, repeat=classification)
        # Not a reply about another ticket: that one is what it is about ("related", or a
        # report under a finished case), not the report the sender just made.
        about_another = replied_to is not None or related_to is not None
        told_on_here = [t for t in here if takes_in(t, about_the_desk)]
        follow_on = (
            self._told_on(turn, text, classification, told_on_here)  # not `mine`: repeat_days's
            if not declared and not about_another else None
        )
        if follow_on is not None:
            return await self._addendum(
                turn, follow_on, text, repeat=classification, follow_on=True
            )
        if declared:
            classification = as_a_report(classification)
        elif classification.type == NOT_A_REPORT and not inbound.attachments:
            # "这个事我也遇到了，消防通道一直被堵": the words after the "me too", if a report, are
            # this report (and `_same_event` links it to the one it seconds).
            rest = seconded(text)
            if rest is None:
                return "chatter", None
            classification = await asyncio.to_thread(self.classifier.classify, rest)
            if classification.type == NOT_A_REPORT:
                return "chatter", None
        elif classification.type == NOT_A_REPORT:
            # A picture (a file, a place) with no report in words, filed as it may be all
            # there is: its type is for a person to judge.  It was filed typed 非报事消息,
            # and the resident who sent a photo of the flood read that in its acknowledgement.
            classification = as_a_report(classification)
        if await self._over_hourly_limit(turn, classification):
            return await self._hold(turn, text)
        report = Report(
            room.channel,
            room.chat_id,
            inbound.message_id,
            turn.inbound_id,
            turn.person,
            text,
            area,
            inbound.attachments,
            inbound.thread_id,
            anonymous,
        )
        related = related_to
        if one_event_apart(text, related, self.config):  # a reply's, across the 作风反映 line
            related = None
        related = related or await self._same_event(turn, classification, text, about_the_desk)
        pictures = self._pictures_just_sent(turn, here)
        ticket = await file_ticket(
            turn, report, classification, self.render, self.config, related=related,
            replying_to=replied_to,
        )
        if pictures is not None:
            await self._fold_in_pictures(turn, pictures, ticket)
        if related is not None:  # one event: reported by enough residents, it is raised
            await raise_if_many(turn, ticket, self.render, self.config)
        return "ticket", ticket.id

    def _told_on(
        self, turn: Turn, text: str, classification: Classification, here: list[TicketRecord]
    ) -> TicketRecord | None:
        """The sender's ticket from this chat (and thread of it) filed in the last
        `intake.follow_on_minutes` that this message goes on telling (`bot.repeats.told_on`)."""
        minutes = self.config.intake.follow_on_minutes
        if not minutes:
            return None
        since = iso(parse_iso(turn.now) - timedelta(minutes=minutes))
        return told_on(text, classification, here, since, turn.inbound.thread_id)

    async def _over_hourly_limit(self, turn: Turn, classification: Classification) -> bool:
        """Whether this resident has reported `intake.max_reports_per_hour` tickets in the
        last hour already.  One person posting dozens of "reports" (a grudge, a script, a
        quarrel carried into the group) would fill the queue and the staff room, and each
        ticket would be escalated.  Never an urgent message: a danger is filed, whoever sends
        it and however often, nor one a safety rule fires on at any level: "我不想活了" (自杀
        念头, 较急) from a resident whose flooded house they had reported line by line was held,
        and the staff room, told once an hour, named the first held message, not it.  Not the
        desk's own reports (上报), which a patrol may make by the dozen."""
        limit = self.config.intake.max_reports_per_hour
        if not limit or classification.urgency == "urgent" or classification.rules:
            return False
        if not files_as_reported(turn.actor.role):
            return False
        since = iso(parse_iso(turn.now) - timedelta(hours=1))
        return await turn.tx.tickets_reported_since(turn.person.id, since) >= limit

    async def _hold(self, turn: Turn, text: str) -> tuple[str, int | None]:
        """Log the report without filing it (disposition "held": /unfiled lists it, /file
        files it).  The sender and the staff room are told at the first held message in an
        hour, not at each: answering every message would flood the group in turn."""
        since = iso(parse_iso(turn.now) - timedelta(hours=1))
        if await turn.tx.messages_held_since(turn.person.id, since) == 0:
            limit = self.config.intake.max_reports_per_hour
            turn.say("held_reporter", count=limit)
            lang = self.config.language
            notice = i18n.t(
                "held_staff", lang, name=turn.actor.name, count=limit,
                number=turn.inbound_id, text=text[:200],
            )
            turn.to_staff(self.config, notice, None)
        return "held", None

    async def _same_event(
        self, turn: Turn, classification: Classification, text: str, about_the_desk: bool
    ) -> TicketRecord | None:
        """Another resident's ticket from this room, open or resolved (`TAKES_REPEATS`),
        filed in the last `intake.same_event_minutes`, that this report may tell again
        (`bot.repeats`), on its side of the 作风反映 line (`bot.filing.on_its_side`):
        `about_the_desk`, whether this report is one."""
        minutes = self.config.intake.same_event_minutes
        if not minutes or not _has_words(text):
            return None
        room = turn.inbound.room
        since = iso(parse_iso(turn.now) - timedelta(minutes=minutes))
        recent = await turn.tx.recent_tickets_in_room(
            room.channel, room.chat_id, None, since, _SAME_EVENT_LOOK_BACK,
            _SAME_EVENT_CANDIDATES,
        )
        others = [
            t
            for t in recent
            if t.reporter_id != turn.person.id and Status(t.status) in TAKES_REPEATS
            and on_its_side(t, about_the_desk)
        ]
        return same_event(text, classification, others)

    async def _visit_answered_in_words(
        self, turn: Turn, text: str, classification: Classification
    ) -> TicketRecord | None:
        """The one ticket a follow-up visit waits on the sender's answer to, when they write
        to the bot one to one, briefly, that it is still going on ("还是很吵", "又漏了") rather
        than press 不满意: that is their answer.  It was filed as a new ticket about nothing
        ("其他"), and the visit's ticket stayed resolved.  Not a danger (filed on its own),
        not when two visits wait (which one it answers is not known), and not another matter
        said with a "still" or "again" ("又有人在楼道里堆杂物" while a noise case's visit
        waits): the classifier reads it as a report of another type, and it shares no words
        with the ticket; added to the resolved case, it was never filed."""
        room = turn.inbound.room
        if not room.is_private or len(text) > PROGRESS_QUESTION_MAX_CHARS or not presses(text):
            return None
        if rule_urgency(classification.rules) == "urgent":
            return None
        awaiting = await turn.tx.tickets_awaiting_rating(
            turn.person.id, sorted(RATEABLE_TICKET), sorted(RATEABLE_FOLLOWUP), limit=2
        )
        if len(awaiting) != 1:
            return None
        visited = awaiting[0]
        if classification.type not in (NOT_A_REPORT, OTHER, visited.type) and (
            likeness(text, visited.text) is Likeness.NONE
        ):
            return None
        return visited

    async def _session_declined_in_words(
        self, turn: Turn, text: str, classification: Classification,
        replied: TicketRecord | None = None,
    ) -> tuple[TicketRecord, mediation.Session] | None:
        """The one ticket, and its session, that the sender's brief words one to one say they
        cannot come to ("我明天去不了", "那天没空，能不能改个时间"), as the session's notice
        asked them to: the sender reported it, and its session stands and has not begun.
        It was filed as a new ticket about nothing, and nobody working the case heard.  As
        `_visit_answered_in_words`: not a danger (filed on its own, an urgent one or any a
        safety rule fires on), not when two sessions stand for them (which one is not known),
        and not another matter that says so in passing (the classifier reads it as a report
        of another type, and it shares no words with the ticket).  `replied`: the case the
        words quote-reply to (the session's notice, say), which names the ticket: its session,
        if it is theirs and one stands, whatever else stands for them; added to it as a
        reply's details, nobody working the case heard.  None: not an answer to a session."""
        if not turn.inbound.room.is_private or not mediation.cannot_come(text):
            return None
        if classification.urgency == "urgent" or classification.rules:
            return None
        if replied is not None:
            theirs = replied.reporter_id == turn.person.id
            mediated = theirs and Status(replied.status) in MEDIATION_ALLOWED
            history = await turn.tx.events(replied.id) if mediated else []
            session = mediation.upcoming(history, turn.now)  # standing and not begun
            ticket = replied
        else:
            events = await turn.tx.mediation_events(sorted(MEDIATION_ALLOWED), turn.person.id)
            sessions = mediation.upcoming_each(events, turn.now)
            session = sessions[0] if len(sessions) == 1 else None
            found = await turn.tx.ticket(session.ticket_id) if session is not None else None
            if found is None:
                return None
            ticket = found
        if session is None or (
            classification.type not in (NOT_A_REPORT, OTHER, ticket.type)
            and likeness(text, ticket.text) is Likeness.NONE
        ):
            return None
        return ticket, session

    async def _cannot_come(
        self, turn: Turn, ticket: TicketRecord, session: mediation.Session, text: str
    ) -> tuple[str, int | None]:
        """Record on `ticket` that its reporter cannot come to `session`, tell whoever works
        the case as its reminder would (`bot.mediation.tell_cannot_come`: once an hour for a
        session, as a repeat's notice), and say so to the reporter: when it moves, they are
        told (`Mediating.mediate`).  With nobody to tell, they read that it is kept on the
        ticket for staff to see: "已转告办理人员" said of nobody was a promise unkept."""
        since = iso(parse_iso(turn.now) - _REPEAT_NOTICE_EVERY)  # as a repeat's notice
        answered = await mediation.tell_cannot_come(
            turn.tx, ticket, session, turn.person, text, turn.now, since, self.config,
            self.render, working_on,
        )
        turn.outgoing += [(message, None) for message in answered.outgoing]
        # Nobody to tell (no holder, no liaison, no notify room): kept, not "told".
        key = "mediation_cannot_come_ack" if answered.reached else "mediation_cannot_come_kept"
        turn.say(key, ticket=self.render.label(ticket),
                 when=self.render.local_time(session.at), place=session.place)
        return "addendum", ticket.id

    async def _own_tickets_here(self, turn: Turn) -> list[TicketRecord]:
        """The sender's latest tickets from this room, newest first: read once per message
        for what it may say again, show, or put words to."""
        room = turn.inbound.room
        return [
            t
            for t in await turn.tx.tickets_reported_by(turn.person.id, _REPEAT_CANDIDATES)
            if (t.channel, t.chat_id) == (room.channel, room.chat_id)
        ]

    def _recent_own_tickets(
        self, turn: Turn, text: str, here: list[TicketRecord]
    ) -> list[TicketRecord]:
        """Of the sender's tickets from this room, those open or resolved and active in the
        last `repeat_days`: what a message may say again (`bot.repeats`)."""
        days = self.config.intake.repeat_days
        if not days or not _has_words(text):
            return []
        since = iso(parse_iso(turn.now) - timedelta(days=days))
        return [t for t in here if Status(t.status) in TAKES_REPEATS and t.updated_at >= since]

    async def _merged_cases(
        self, turn: Turn, text: str, here: list[TicketRecord], mine: list[TicketRecord]
    ) -> dict[int, TicketRecord]:
        """The sender's tickets from this room merged (并案) into a case the desk is still on,
        active in the last `repeat_days`, by id, each with that case: said again, their report joins
        the case.  Left out, it was filed as a second ticket (or, short, taken for chatter),
        the very duplicate the merge had put away.  Not when the case is theirs already
        (pictures folded into their words), nor once it is resolved: 重开 of a merged ticket
        is staff's, so that is a report of its own."""
        days = self.config.intake.repeat_days
        if not days or not _has_words(text):
            return {}
        since = iso(parse_iso(turn.now) - timedelta(days=days))
        theirs = {t.id for t in mine}
        found: dict[int, TicketRecord] = {}
        for t in here:
            if t.merged_into in theirs:
                continue
            case = await followup.case_of(turn.tx, t)  # itself unless merged
            if case is not t and Status(case.status) in SUPERVISED and case.updated_at >= since:
                found[t.id] = case
        return found

    def _newest_here(self, turn: Turn, here: list[TicketRecord]) -> TicketRecord | None:
        """The sender's newest ticket from this chat if they filed it in the last
        `evidence_minutes`: what pictures and words sent as separate messages belong to.
        In its thread only (a Telegram forum's topic; None the main conversation): a photo
        posted in another topic is about whatever that topic is, as with `told_on`."""
        minutes = self.config.intake.evidence_minutes
        thread = [t for t in here if t.thread_id == turn.inbound.thread_id]
        if not minutes or not thread:
            return None
        since = iso(parse_iso(turn.now) - timedelta(minutes=minutes))
        return thread[0] if thread[0].created_at >= since else None

    def _ticket_just_reported(self, turn: Turn, here: list[TicketRecord]) -> TicketRecord | None:
        """The open ticket a photo sent without words right after a report shows (people
        send the words, then the pictures, as separate messages; a Telegram album is one
        message per picture)."""
        ticket = self._newest_here(turn, here)
        return ticket if ticket is not None and Status(ticket.status) in SUPERVISED else None

    def _pictures_just_sent(self, turn: Turn, here: list[TicketRecord]) -> TicketRecord | None:
        """The other order: a ticket of the sender's pictures alone, untouched since, that
        the words they now send are about (`_fold_in_pictures`)."""
        ticket = self._newest_here(turn, here)
        if ticket is None or ticket.status != Status.NEW or _has_words(ticket.text):
            return None
        return ticket

    async def _fold_in_pictures(
        self, turn: Turn, pictures: TicketRecord, ticket: TicketRecord
    ) -> None:
        """Pictures first, words after: the words were filed as a ticket of their own, with
        everything a report gets (its type and urgency read from them); the pictures' ticket
        goes into it (并案) with its attachments, so the desk has one case, not two.  No
        reporter is told: it is one person's one report."""
        tx, lang = turn.tx, self.config.language
        sources, merged = TRANSITIONS[Action.MERGE]
        main, label = self.render.label(ticket), self.render.label(pictures)
        outcome = i18n.t("merged_outcome", lang, main=main)
        moved = await tx.transition(
            pictures.id, sorted(sources), merged, turn.now, None, outcome, ticket.id
        )
        if moved is None:
            return
        detail = {"label": main, "into": ticket.id, "via": "pictures"}
        await tx.add_event(pictures.id, None, Action.MERGE.value, turn.now, detail)
        await tx.add_event(
            ticket.id, None, "merge_in", turn.now, {"label": label, "ticket": pictures.id}
        )
        await tx.move_attachments(pictures.id, ticket.id)
        await self.desk.refresh_ack(turn, moved)
        notice = i18n.t("pictures_folded", lang, ticket=label, main=main)
        turn.to_staff(self.config, notice, ticket.id, urgent=ticket.urgency == "urgent")

    async def _evidence(self, turn: Turn, ticket: TicketRecord) -> tuple[str, int]:
        """A picture (or recording, or file) added to the ticket it follows.  Said once for a
        burst: an album of five photos gets one "已补充", not five, in a group all read."""
        tx, inbound = turn.tx, turn.inbound
        earlier = [e for e in await tx.events(ticket.id) if e.action == "addendum"]
        await tx.add_event(ticket.id, turn.person.id, "addendum", turn.now, {"via": "evidence"})
        await tx.add_attachments(ticket.id, turn.inbound_id, inbound.attachments)
        since = iso(parse_iso(turn.now) - _EVIDENCE_SAID_EVERY)
        if not any(e.payload.get("via") == "evidence" and e.at >= since for e in earlier):
            turn.say("evidence_added", ticket=self.render.label(ticket))
        return "addendum", ticket.id

    async def _settled(self, turn: Turn, ticket: TicketRecord, text: str) -> tuple[str, int]:
        """"不用了，我们自己协商好了" about the sender's one open ticket: kept in its history,
        the sender told how to withdraw it (撤回 N), the worker holding it told privately.
        Not withdrawn on these words: they name no ticket, and the command does."""
        await turn.tx.add_event(
            ticket.id, turn.person.id, "addendum", turn.now, {"text": text, "via": "settled"}
        )
        label, number = self.render.label(ticket), self.render.number(ticket)
        turn.say("settled_hint", ticket=label, number=number)
        holder = await turn.tx.person(ticket.assignee_id) if ticket.assignee_id else None
        if holder is not None:
            notice = i18n.t("settled_notice", holder.lang or self.config.language, ticket=label,
                            text=text[:200])
            turn.direct(holder, notice, ticket.id)
        return "addendum", ticket.id

    async def _addendum(
        self,
        turn: Turn,
        ticket: TicketRecord,
        text: str,
        repeat: Classification | None = None,
        shown: TicketRecord | None = None,
        visit: bool = False,
        follow_on: bool = False,
    ) -> tuple[str, int | None]:
        """Add the message to `ticket`; `repeat`: it says the ticket's matter again
        (`bot.repeats`), and this is how the classifier read it.  `shown`: the ticket the
        sender is told of, if not `ticket` (their own, merged into it: they may not read the
        case, and `查询` of theirs tells its progress).  `visit`: the answer, in words, to
        the follow-up visit that waits on it (told how to say 不满意).  `follow_on`: it goes
        on telling a report just made (told how to make it a report of its own)."""
        tx, inbound = turn.tx, turn.inbound
        payload: dict[str, object] = {"text": text}
        if repeat is not None:
            payload["via"] = "follow_on" if follow_on else "repeat"
        elif inbound.edit_of is not None:
            payload["via"] = "edit"
        danger = repeat is not None and bool(self._repeat_danger(ticket, text, repeat, follow_on))
        quiet = (
            repeat is not None and not (visit or follow_on or danger)
            and not inbound.room.is_private and await self._answered_lately(turn, ticket.id)
        )
        if repeat is not None and not (visit or follow_on or quiet or inbound.room.is_private):
            payload["group_reply"] = True  # what `_answered_lately` reads
        await tx.add_event(ticket.id, turn.person.id, "addendum", turn.now, payload)
        if inbound.attachments:
            await tx.add_attachments(ticket.id, turn.inbound_id, inbound.attachments)
        if follow_on:  # a part of the report; one too vague to type may be typed by them
            ticket = await tx.add_part(ticket.id, text) or ticket
            ticket = await self._typed_by_parts(turn, ticket) or ticket
        label = self.render.label(ticket)
        if repeat is None:
            turn.say("edit_addendum" if inbound.edit_of else "addendum", ticket=label)
            return "addendum", ticket.id
        named = shown or ticket
        number = self.render.number(named)
        # Who takes it up, as the reply says: of a 作风反映, the centre (综治中心), not the
        # grid worker it may well be about (`bot.workflow.kept_from`).
        by = "_centre" if ABOUT_THE_DESK in ticket.rules else ""
        if quiet:
            pass  # answered in a group minutes ago: kept on the ticket, not answered again
        elif visit:
            turn.say("repeat_visited", ticket=self.render.label(named), number=number)
        elif follow_on:
            turn.say(f"follow_on_addendum{by}", ticket=self.render.label(named), number=number)
        elif ticket.status == Status.RESOLVED:
            # Withdrawn (撤回) reads so, not 已办结: the centre did not resolve it.
            key = "repeat_withdrawn" if ticket.withdrawn else "repeat_resolved"
            turn.say(key + by, ticket=self.render.label(named), number=number)
        else:
            turn.say(f"repeat_addendum{by}", ticket=self.render.label(named), number=number)
        await self._repeat_to_staff(turn, ticket, text, repeat, follow_on)
        # The reporter is asking again: the worker holding it should know, as they would
        # have known from a second ticket's notice; once an hour, however often it is said.
        holder = await tx.person(ticket.assignee_id) if ticket.assignee_id else None
        since = iso(parse_iso(turn.now) - _REPEAT_NOTICE_EVERY)
        told = any(
            e.action == "addendum" and e.payload.get("via") == "repeat" and since <= e.at
            for e in (await tx.events(ticket.id))[:-1]  # the last is this message's own
        )
        if holder is not None and not told:
            notice = i18n.t("repeat_notice", holder.lang or self.config.language, ticket=label,
                            text=text[:200])
            turn.direct(holder, notice, ticket.id)
        return "addendum", ticket.id

    @staticmethod
    def _repeat_danger(
        ticket: TicketRecord, text: str, repeat: Classification, follow_on: bool
    ) -> str | None:
        """The staff room's notice of a danger a repeat tells (`_repeat_to_staff`), by its
        catalogue key; None: none.  With one, its reporter is answered in the group however
        lately they were."""
        if repeat.urgency == "urgent" and ticket.urgency != "urgent" and not only_asks(text):
            # The model alone sees danger in it (a rule would have kept it apart): staff judge.
            # Not in "啥时候来人啊", which names nothing: the staff room was asked to check it.
            return "repeat_possible_danger"
        if (
            follow_on and repeat.urgency == "urgent" and not only_asks(text)
            and model_alone_urgent(ticket.urgency, ticket.rules)
            and rule_urgency(repeat.rules) != "urgent"
        ):
            # "围墙那边", then "倒了压了两个人": the staff room read the first part alone, urgent
            # by the model and to be checked, and never the part that said what happened
            # (no rule fires on it, and the ticket was urgent already).
            return "follow_on_possible_danger"
        if rule_urgency(repeat.rules) == "urgent":
            # A danger said again, into an urgent ticket: it may be another one ("西头又着火了"
            # after "村口着火了"), and an unclaimed ticket has no holder to hear of it.
            return "repeat_danger"
        return None

    async def _answered_lately(self, turn: Turn, ticket_id: int) -> bool:
        """Whether a repeat of the ticket was answered in a group in the last
        `REPEAT_SAID_EVERY` (its event marked `group_reply`)."""
        since = iso(parse_iso(turn.now) - REPEAT_SAID_EVERY)
        return any(
            e.action == "addendum" and e.payload.get("group_reply") and since <= e.at
            for e in await turn.tx.events(ticket_id)
        )

    async def _repeat_to_staff(
        self, turn: Turn, ticket: TicketRecord, text: str, repeat: Classification,
        follow_on: bool,
    ) -> None:
        key = self._repeat_danger(ticket, text, repeat, follow_on)
        if key is None:
            return
        lang = self.config.language
        notice = i18n.t(
            key, lang, ticket=self.render.label(ticket),
            text=self.render.quoted_report(ticket, text, lang),
            urgency=i18n.urgency_label(ticket.urgency, lang),
        )
        turn.to_staff(self.config, notice, ticket.id, urgent=True)

    async def _typed_by_parts(self, turn: Turn, ticket: TicketRecord) -> TicketRecord | None:
        """A report too vague to type (待人工研判: "我要举报"), told on in parts: its words and
        the parts told so far, in order, read together, type it when the model is now sure
        of a type (`bot.repeats.typed_by_parts`), unless a person has judged it (改标, 作废).
        The type is set and the flag cleared, in its history (系统 按补充内容定类), its
        urgency raised if the words together call for more (never lowered: that urgency's
        deadlines from now on, as at a retag); the acknowledgement shows the type, and the
        staff room is told once, with the department to hand it to.  A danger by a rule on
        the words together reaches the grid as at filing.  None: left as it was."""
        tx = turn.tx
        events = await tx.events(ticket.id)
        if not awaits_its_words(ticket, [e.action for e in events]):
            return None
        said = await asyncio.to_thread(self.classifier.classify, ticket.told)
        labels = typed_by_parts(ticket, said)
        if labels is None:
            return None
        typed = await tx.typed_from_words(
            ticket.id, labels.type, labels.type_confidence, labels.urgency,
            labels.urgency_confidence, labels.rules, turn.now,
        )
        if typed is None:  # a person typed it meanwhile
            return None
        await record_labels(tx, ticket, None, "typed", typed.type, typed.urgency, turn.now)
        await self.desk.refresh_ack(turn, typed)
        lang = self.config.language
        notice = i18n.t(
            "typed_from_parts", lang, ticket=self.render.label(typed),
            type=i18n.type_label(typed.type, lang),
            urgency=i18n.urgency_label(typed.urgency, lang),
        )
        danger = rule_urgency(typed.rules) == "urgent" and rule_urgency(ticket.rules) != "urgent"
        if danger:
            notice += self.render.rules_line(typed, lang, public=False, desk=True)
        elif typed.urgency != ticket.urgency and model_alone_urgent(typed.urgency, typed.rules):
            notice += "\n" + i18n.t("staff_model_urgent", lang)
        line, buttons = suggested_department(typed, self.render, self.config, lang)
        turn.to_staff(
            self.config, notice + line, typed.id, urgent=typed.urgency == "urgent",
            buttons=buttons, announcement=True,
        )
        if danger:
            await tell_the_grid_of_danger(turn, typed, ticket.told, self.render, self.config)
        return typed
