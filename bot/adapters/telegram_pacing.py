"""Pacing replies into Telegram groups, and folding waiting acknowledgements together.

Telegram allows a bot about 20 messages a minute into one group.  A burst of reports (200
in a minute after a flood or a mass dispute) would, one acknowledgement each, take ten
minutes to acknowledge and push every other reply in that group behind it.  So:

* Every group send (new message or edit) takes a slot from a per-group GCRA schedule: a
  small burst goes out at once, then one every `period / max_rate` seconds.  A hard
  sliding-window cap (never more than `max_rate` in any `period`) sits on top, because a
  delayed schedule can otherwise bunch up.
* A message that has to wait is not slept on (that would hold up the outbox for every
  other chat); `plan()` says how long to wait, the adapter raises `TemporaryFailure` with
  that delay, and the outbox brings the row back on time.  A waiting row keeps its slot,
  so it is deferred once, not once per pass.
* The schedule and the cap count this process's sends.  Several processes delivering from
  one database keep the group's limit together through the database's record of the
  group's sends (`SendWindow`): the adapter takes its place there once `plan()` says go,
  and a message with none waits (`hold`) as if its own slot were later.
* Acknowledgements that have to wait join one *digest* per group: at the digest's slot
  they go out as one message listing each report with its own buttons.  A digest is this
  process's: the adapter takes its rows from the outbox for the send (`CarriedRows`), and
  one another process took meanwhile leaves it (`leave`), so no acknowledgement shows
  twice.  At 20 messages a
  minute and digests of up to 20, 200 reports spread over a minute are all acknowledged
  within about 4 seconds each (see `test_200_reports_in_a_minute_at_telegrams_real_limits`)
  instead of one by one over ten minutes.

Messages about an urgent ticket (`Outbound.urgent`: the 【紧急】 acknowledgement with its
110 / 120 / 119 line, the staff room's urgent notice) go first: one that must wait takes
the earliest slot a waiting message of the group holds, and those behind it move one slot
later each, in their order; so it waits for the next slot, not for the backlog.  Urgent
acknowledgements that must wait fold into a digest of their own, never with the others
(alone, it is sent as a reply to its report).  Nothing starves: a waiting message gives way
to at most `MAX_OVERTAKEN` urgent ones, and each slot is still one message, so the limits
hold as before.

The staff chat's new-ticket notices (kind "staff") and supervision's notices to staff
rooms ("escalation", "feedback") are folded the same way.  In a forum (a group with
topics) each topic has digests of its own: the rate is the group's, but a digest goes to
one topic, its messages' (`Outbound.thread_id`).  Nothing here
knows about tickets: an acknowledgement is an `Outbound` of kind "ack", and the digest is
made of the texts and buttons the core already rendered.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.adapters.base import Outbound

# What may wait in a digest: acknowledgements in intake groups and new-ticket notices in
# the staff chat (both come one per report, so a burst of reports is a burst of these),
# and supervision's notices to staff rooms (one per overdue ticket: the first sweep after
# an outage, or after upgrading a database full of old open tickets, sends a burst).
DIGESTIBLE = frozenset({"ack", "staff", "escalation", "feedback"})
# How many urgent messages a waiting one gives way to, at most: beyond that it keeps its
# slot (at Telegram's limits a slot is 4 s, so a normal message waits at most 20 s more).
MAX_OVERTAKEN = 5
# A row that comes back this early counts as on time (clock and timestamp rounding).
EPSILON = 0.01
# Telegram's text limit is 4096.  Each entry adds a reference line ("↩ name：words",
# at most 44 characters, see TelegramAdapter._remember) and separators.
DIGEST_CHARS = 3900
ENTRY_OVERHEAD = 48


def _digestible(message: Outbound) -> bool:
    """May wait in a digest: a new message of a kind that comes one per report."""
    return message.kind in DIGESTIBLE and not message.edit_message_id and message.id > 0


@dataclass
class Digest:
    """Waiting acknowledgements for one group (one topic of a forum), sent together at
    `due`."""

    chat_id: str
    due: float
    items: dict[int, Outbound] = field(default_factory=dict)  # outbox id -> ack, in order
    chars: int = 0
    sent: bool = False
    thread_id: str | None = None  # the forum topic it goes to; None: the main conversation
    urgent: bool = False  # of urgent messages only (they go first)
    overtaken: int = 0  # urgent messages it gave way to


@dataclass
class Send:
    """Send this message now (it holds a slot)."""


@dataclass
class Wait:
    """Not yet: bring it back after `seconds`."""

    seconds: float


@dataclass
class SendDigest:
    """Send the digest this message belongs to now."""

    digest: Digest


Plan = Send | Wait | SendDigest


@dataclass
class _Chat:
    tat: float = 0.0  # GCRA "theoretical arrival time"
    sent: deque[float] = field(default_factory=deque)  # actual send times, last `period`
    # Digests still taking messages, by topic and urgency.
    open_digests: dict[tuple[str | None, bool], Digest] = field(default_factory=dict)
    digests: list[Digest] = field(default_factory=list)  # waiting to be sent
    reserved: set[int] = field(default_factory=set)  # its rows waiting for their slot


class GroupPacer:
    """Decides, for each group message, whether it may go now (see the module docstring).

    `max_rate` messages per `period` seconds per chat; `burst` of them back to back.
    """

    def __init__(
        self,
        max_rate: int,
        period: float,
        digest_max: int = 20,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_rate = max_rate
        self.period = period
        self.digest_max = digest_max
        self.clock = clock
        self.burst = max(1, max_rate // 5)
        # One slot of margin so network jitter cannot push max_rate + 1 into a window.
        self.interval = period / max(1, max_rate - self.burst - 1)
        self._chats: dict[str, _Chat] = {}
        self._reserved: dict[int, float] = {}  # outbox id -> slot time
        self._overtaken: dict[int, int] = {}  # reserved outbox id -> urgent ones let by
        self._urgent: set[int] = set()  # reserved outbox ids of urgent messages
        self._digest_of: dict[int, Digest] = {}  # outbox id -> the digest it waits in
        self._delivered: OrderedDict[int, str] = OrderedDict()  # outbox id -> platform id

    def _chat(self, chat_id: str) -> _Chat:
        return self._chats.setdefault(chat_id, _Chat())

    def _reserve(self, chat: _Chat, now: float) -> float:
        """Take the next GCRA slot; returns when it is (<= now: at once)."""
        tat = max(chat.tat, now)
        slot = tat - (self.burst - 1) * self.interval
        chat.tat = tat + self.interval
        return max(slot, now)

    def _cap_wait(self, chat: _Chat, now: float) -> float:
        """Seconds until the sliding-window cap allows one more send."""
        while chat.sent and chat.sent[0] <= now - self.period:
            chat.sent.popleft()
        if len(chat.sent) < self.max_rate:
            return 0.0
        return chat.sent[-self.max_rate] + self.period - now + EPSILON

    def delivered(self, outbox_id: int) -> str | None:
        """The platform id of a row that already went out inside a digest."""
        return self._delivered.pop(outbox_id, None)

    def plan(self, message: Outbound, chat_id: str | None = None) -> Plan:
        """What to do with a message for a group chat, now.  `chat_id` is the chat it
        goes to if that differs from `message.chat_id` (a migrated group)."""
        now = self.clock()
        chat_id = chat_id or message.chat_id
        chat = self._chat(chat_id)
        key = message.id
        digest = self._digest_of.get(key)
        if digest is not None:
            return self._due(chat, digest, now)
        if key in self._reserved:
            slot = self._reserved[key]
            if slot > now + EPSILON:
                return Wait(slot - now)
            wait = self._cap_wait(chat, now)
            if wait > 0:
                return Wait(wait)
            self._unreserve(chat, key)
            return Send()
        is_ack = _digestible(message)
        urgent = message.urgent
        open_digest = chat.open_digests.get((message.thread_id, urgent))
        if is_ack and open_digest is not None and self._fits(open_digest, message):
            self._join(open_digest, message)
            return self._due(chat, open_digest, now)
        slot = self._reserve(chat, now)
        if slot <= now + EPSILON and (not is_ack or open_digest is None):
            wait = self._cap_wait(chat, now)
            if wait <= 0:
                return Send()
            slot = now + wait
        if urgent:
            slot = self._overtake(chat, slot, now)
        if is_ack:
            digest = self._open(chat, chat_id, slot, message)
            return self._due(chat, digest, now)
        if key > 0:
            self._hold_slot(chat, key, slot, urgent)
        return Wait(slot - now)

    def _open(self, chat: _Chat, chat_id: str, due: float, message: Outbound) -> Digest:
        digest = Digest(chat_id, due, thread_id=message.thread_id, urgent=message.urgent)
        chat.open_digests[(message.thread_id, message.urgent)] = digest
        chat.digests.append(digest)
        self._join(digest, message)
        return digest

    def _hold_slot(self, chat: _Chat, key: int, slot: float, urgent: bool) -> None:
        self._reserved[key] = slot
        chat.reserved.add(key)
        if urgent:
            self._urgent.add(key)

    def _unreserve(self, chat: _Chat, key: int) -> None:
        self._reserved.pop(key, None)
        self._overtaken.pop(key, None)
        self._urgent.discard(key)
        chat.reserved.discard(key)

    def _overtake(self, chat: _Chat, slot: float, now: float) -> float:
        """An urgent message that must wait: the earliest slot it may take.  It goes after
        the waiting urgent ones and after any that gave way `MAX_OVERTAKEN` times already,
        before the others; the slots of those and its own `slot` are dealt out again, the
        earliest to it, then to them in their order (none moves earlier).  The number of
        slots does not change: the limits hold as they did."""
        chat.digests = [d for d in chat.digests if not d.sent and d.items]
        chat.reserved &= self._reserved.keys()
        # (slot, digest or row): what waits in this group for a slot to come, in slot order.
        waiting: list[tuple[float, Digest | int]] = [
            (d.due, d) for d in chat.digests if d.due > now + EPSILON
        ] + [(self._reserved[k], k) for k in chat.reserved if self._reserved[k] > now + EPSILON]
        waiting.sort(key=lambda w: w[0])
        first = 0
        for index, (_, holder) in enumerate(waiting):
            if isinstance(holder, Digest):
                barrier = holder.urgent or holder.overtaken >= MAX_OVERTAKEN
            else:
                given_way = self._overtaken.get(holder, 0)
                barrier = holder in self._urgent or given_way >= MAX_OVERTAKEN
            if barrier:
                first = index + 1
        behind = waiting[first:]
        if not behind:
            return slot
        slots = sorted([at for at, _ in behind] + [slot])
        for (_, holder), later in zip(behind, slots[1:], strict=True):
            if isinstance(holder, Digest):
                holder.due = later
                holder.overtaken += 1
            else:
                self._reserved[holder] = later
                self._overtaken[holder] = self._overtaken.get(holder, 0) + 1
        return slots[0]

    def hold(
        self, message: Outbound, plan: Plan, seconds: float, chat_id: str | None = None
    ) -> None:
        """`plan` said go, but the group's sends by every process (`SendWindow`) leave no
        room for `seconds`: the message keeps its place until then.  A digest waits whole
        and stays open (acknowledgements queued meanwhile join it); an acknowledgement
        opens one, as when its own slot is later."""
        due = self.clock() + seconds
        if isinstance(plan, SendDigest):
            plan.digest.due = due
            return
        chat_id = chat_id or message.chat_id
        chat = self._chat(chat_id)
        if _digestible(message) and (message.thread_id, message.urgent) not in chat.open_digests:
            self._open(chat, chat_id, due, message)
        elif message.id > 0:
            self._hold_slot(chat, message.id, due, message.urgent)

    def _fits(self, digest: Digest, message: Outbound) -> bool:
        return len(digest.items) < self.digest_max and (
            digest.chars + len(message.text) + ENTRY_OVERHEAD <= DIGEST_CHARS
        )

    def _join(self, digest: Digest, message: Outbound) -> None:
        digest.items[message.id] = message
        digest.chars += len(message.text) + ENTRY_OVERHEAD
        self._digest_of[message.id] = digest

    def _due(self, chat: _Chat, digest: Digest, now: float) -> Plan:
        if digest.due > now + EPSILON:
            return Wait(digest.due - now)
        wait = self._cap_wait(chat, now)
        if wait > 0:
            digest.due = now + wait
            return Wait(wait)
        return SendDigest(digest)

    def record(self, chat_id: str, count: int = 1) -> None:
        """Count sends that actually reached Telegram (the cap counts these)."""
        chat = self._chat(chat_id)
        now = self.clock()
        chat.sent.extend([now] * count)

    def digest_sent(self, digest: Digest, platform_ids: dict[int, str]) -> None:
        """The digest went out: its rows are delivered with these platform ids."""
        digest.sent = True
        chat = self._chat(digest.chat_id)
        if chat.open_digests.get((digest.thread_id, digest.urgent)) is digest:
            del chat.open_digests[(digest.thread_id, digest.urgent)]
        chat.digests = [d for d in chat.digests if d is not digest]
        for key in digest.items:
            self._digest_of.pop(key, None)
        self._delivered.update(platform_ids)
        while len(self._delivered) > 10_000:  # rows the outbox never asked for again
            self._delivered.popitem(last=False)

    def leave(self, digest: Digest, outbox_ids: Iterable[int]) -> None:
        """These rows are no longer the digest's: another process took them (and sends
        them alone or in a digest of its own)."""
        for key in outbox_ids:
            item = digest.items.pop(key, None)
            if item is not None:
                digest.chars -= len(item.text) + ENTRY_OVERHEAD
            if self._digest_of.get(key) is digest:
                del self._digest_of[key]

    def digest_failed(self, digest: Digest, retry_after: float) -> None:
        """Sending failed: everyone in it waits `retry_after` (no storm of retries).  It
        stays open, so the next attempt carries acknowledgements queued meanwhile too."""
        digest.due = self.clock() + retry_after
