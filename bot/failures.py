"""Telling the staff room of messages whose handling failed (`Pipeline._keep_failed`), without
a notice per message.

A step that fails for every message (a query or the model broken by a deploy) posted one
notice per message in the staff room, chatter included, for as long as it lasted.  Now the
first failure after a quiet spell is told at once, with its words; the failures after it are
counted, and the sweep (`Supervisor.sweep`) posts one notice of how many, once the last notice
is `EVERY` old: at most one notice per window however many fail, each message still listed by
/unfiled.  A danger (an urgent safety rule fires on it) is told at once whatever the window,
with the count of those waiting.

What was told is recorded (`failure_notices`): each notice covers every failed message up to
an id, so a restart neither loses the count nor tells it twice, and a second process's sweep
finds the summary sent.  Failed messages kept before any notice was recorded (before this
table) are listed by /unfiled, not counted.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot import i18n
from bot.adapters.base import Outbound
from bot.clock import iso, parse_iso
from bot.config import Config
from bot.turn import enqueue
from storage.base import Store, Tx

# At most one notice of failed messages in this long, dangers apart.
EVERY = timedelta(minutes=30)


async def tell_at_once(tx: Tx, now: datetime, inbound_id: int, danger: bool) -> int | None:
    """Whether the staff room hears now of failed message `inbound_id` (a notice is recorded
    for it): None if it waits for the next summary, else how many failed before it and were
    not told yet (the notice says so too)."""
    last = await tx.last_failure_notice(lock=True)
    if last is not None and not danger and parse_iso(last[1]) > now - EVERY:
        return None
    earlier = 0
    if last is not None:
        earlier, _ = await tx.failed_after(last[0], before_id=inbound_id)
    await tx.record_failure_notice(inbound_id, iso(now), earlier + 1)
    return earlier


async def _untold(tx: Tx, now: datetime, lock: bool = False) -> tuple[int, int] | None:
    """(how many, newest id) of the failed messages no notice covered, if a summary of them
    is due at `now`; else None.  `lock`: deciding to send it (`Tx.last_failure_notice`)."""
    last = await tx.last_failure_notice(lock)
    if last is None or parse_iso(last[1]) > now - EVERY:
        return None
    count, newest = await tx.failed_after(last[0])
    return (count, newest) if count else None


async def summarise(store: Store, now: datetime, config: Config) -> int:
    """Post one notice of the failed messages not told yet, if the last notice is `EVERY`
    old; how many it counted (0: none was due)."""
    staff = config.staff_chat
    if staff is None:
        return 0
    async with store.read() as tx:  # most sweeps: nothing failed, no write transaction
        if await _untold(tx, now) is None:
            return 0
    async with store.write() as tx:
        due = await _untold(tx, now, lock=True)
        if due is None or not await tx.record_failure_notice(due[1], iso(now), due[0]):
            return 0
        text = i18n.t("failed_more_staff", config.language, count=due[0])
        notice = Outbound(staff.channel, staff.chat_id, text, kind="staff")
        await enqueue(tx, config, [(notice, None)], iso(now))
    return due[0]


async def summary_due(store: Store) -> datetime | None:
    """When the next summary is due, if failed messages wait for one (the console's /wait
    sweeps then)."""
    async with store.read() as tx:
        last = await tx.last_failure_notice()
        if last is None or not (await tx.failed_after(last[0]))[0]:
            return None
    return parse_iso(last[1]) + EVERY
