"""How long the bot keeps what residents say in passing (保存期限).

The bot logs every message of an intake group, so that a worker can file a report the
classifier took for chatter (/unfiled, /file).  Most of that is a village's everyday talk:
names, family matters, phone numbers, none of it a report.  The personal information
protection law asks that it be kept no longer than its purpose needs, and its purpose,
a second look by the desk, is served within days.  So the words of a logged message that
never became part of a ticket are erased `[retention] message_days` after it came in.

What is kept: tickets, their history and additions (the centre's records, 台账), and each
message's row without its words (who wrote where, and when: whether the bot may write to
them privately, which group a private report belongs to).

The bot's own messages are copies: an acknowledgement, a ticket's details shown to a
worker one to one (phone numbers unmasked), an escalation quoting a report.  Once sent,
nothing reads their words again (the outbox reads only what waits to be sent; an edit or a
reply finds a message by the platform's id), so they are erased `[retention] sent_days`
after they went.  A message not sent yet (parked, or waiting for its recipient to write)
keeps its words: it still has to go.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import iso
from bot.config import Config
from storage.base import Store

# A message whose words became a ticket's, or were added to one: kept as the ticket is.
KEPT = ("ticket", "addendum")
# Every other disposition `bot.pipeline` records: residents' talk kept out of the queue,
# the desk's own talk, held reports, commands, messages ignored or refused, any a crash
# left half-handled, and those whose handling failed (`Pipeline.handle`) and nobody filed.
# Named rather than "all but KEPT" so the (disposition, id) index finds them;
# tests/test_retention.py checks the two lists cover every disposition written.
ERASED = ("chatter", "desk", "held", "command", "ignored", "rejected", "pending", "failed")
# Rows erased per transaction: a first run over a year of a province's groups does not
# hold the database for one long write.
BATCH = 5_000


async def erase_old_messages(store: Store, now: datetime, config: Config) -> int:
    """Erase the words due for erasing at `now`; how many messages.

    Each disposition is walked in id order (the order messages came in) from the newest
    one already erased, so a day's run reads the days it erases and the days it keeps,
    not the years erased before."""
    days = config.retention.message_days
    if not days:
        return 0
    before, at = iso(now - timedelta(days=days)), iso(now)
    erased = 0
    for disposition in ERASED:
        async with store.read() as tx:
            after = await tx.last_erased(disposition)
        while True:
            async with store.write() as tx:
                ids = await tx.erase_messages(disposition, after, before, at, BATCH)
            erased += len(ids)
            if len(ids) < BATCH:
                break
            after = ids[-1]
    return erased


async def erase_old_sent(store: Store, now: datetime, config: Config) -> int:
    """Erase the words of the bot's messages sent `[retention] sent_days` before `now`;
    how many.  Oldest first, by an index of the rows not erased yet, so a day's run reads
    what it keeps and what is due."""
    days = config.retention.sent_days
    if not days:
        return 0
    before, at = iso(now - timedelta(days=days)), iso(now)
    erased = 0
    while True:
        async with store.write() as tx:
            batch = await tx.erase_sent(before, at, BATCH)
        erased += batch
        if batch < BATCH:
            return erased


async def erase_old(store: Store, now: datetime, config: Config) -> tuple[int, int]:
    """The day's erasing: residents' words logged in passing, then the bot's own sent
    words; then the engine is rid of the copies it keeps (SQLite's write-ahead log).
    How many of each were erased."""
    messages = await erase_old_messages(store, now, config)
    sent = await erase_old_sent(store, now, config)
    if messages or sent:
        await store.drop_erased_copies()
    return messages, sent

