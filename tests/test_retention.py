"""How long the words of logged messages are kept (`bot.retention`, `[retention]
message_days`), on SQLite and PostgreSQL: chatter, commands and held reports lose their
words after 30 days, once a day, by the supervision sweep; tickets and their history keep
theirs; an erased message is neither listed nor filed."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot import retention
from bot.adapters.base import Outbound
from bot.adapters.harness import CHANNEL
from bot.clock import iso
from bot.config import Intake, Retention
from storage import SQLiteStore
from storage.base import PARKED
from tests.conftest import StoreFactory, make_config, rows
from tests.test_supervision import NORMAL, START, Desk, started

ERASED = """SELECT m.id, m.disposition, m.text, m.erased_at IS NOT NULL
              FROM inbound_messages m ORDER BY m.id"""


async def test_old_words_are_erased_and_tickets_keep_theirs(desk: Desk) -> None:
    await desk.h.say("resident1", "谢谢")  # message 1: chatter
    await desk.h.say("resident1", NORMAL)  # message 2: ticket #1
    await desk.h.say("worker1", "认领 1")  # message 3: a command
    report, _ = await desk.sweep_on(START + timedelta(days=29))
    assert report.erased == 0
    assert [r[3] for r in await rows(desk.bot.store, ERASED)] == [False, False, False]
    # Thirty days on, the next day's first sweep erases what never became a ticket.
    report, _ = await desk.sweep_on(START + timedelta(days=30, minutes=1))
    assert report.erased == 2
    assert await rows(desk.bot.store, ERASED) == [
        (1, "chatter", "", True),
        (2, "ticket", NORMAL, False),
        (3, "command", "", True),
    ]
    assert await rows(desk.bot.store, "SELECT text FROM tickets") == [(NORMAL,)]
    # Once a day: the day's later sweeps do not look again.
    await desk.h.say("resident2", "收到")  # message 4 (at day 30: kept for 30 days more)
    report, _ = await desk.sweep_on(START + timedelta(days=30, hours=5))
    assert report.erased == 0
    # Not listed for the desk, and /file names why it cannot be filed.
    listing = await desk.h.say("worker1", "未立案")
    assert "消息 1" not in listing[0].text and "收到" in listing[0].text
    [reply] = await desk.h.say("worker1", "立案 1")
    assert reply.text == "消息 1 已超过保存期限（30 天），内容已按规定删除，无法立案。"
    # A later day's run starts after what is erased already, and finds what has aged since.
    report, _ = await desk.sweep_on(START + timedelta(days=61))
    kept = await rows(
        desk.bot.store, "SELECT id, disposition FROM inbound_messages WHERE erased_at IS NULL"
    )
    assert kept == [(2, "ticket")]
    assert report.erased == 3  # message 4 ("收到") and the two commands since (未立案, 立案 1)


async def test_a_held_report_loses_its_words(db_path: Path, new_store: StoreFactory) -> None:
    config = make_config(db_path)
    limited = config.model_copy(
        update={"intake": Intake(max_reports_per_hour=1, follow_on_minutes=0)}
    )
    async for desk in started(limited, new_store):
        await desk.h.say("resident1", NORMAL)  # filed
        await desk.h.say("resident1", "楼下垃圾又堆满了")  # over the hourly limit: held
        await desk.sweep_on(START + timedelta(days=31))
        assert await rows(desk.bot.store, ERASED) == [
            (1, "ticket", NORMAL, False),
            (2, "held", "", True),
        ]


async def test_zero_days_keeps_every_word(db_path: Path, new_store: StoreFactory) -> None:
    keep = make_config(db_path).model_copy(update={"retention": Retention(message_days=0)})
    async for desk in started(keep, new_store):
        await desk.h.say("resident1", "谢谢")
        report, _ = await desk.sweep_on(START + timedelta(days=400))
        assert report.erased == 0
        assert await rows(desk.bot.store, "SELECT text FROM inbound_messages") == [("谢谢",)]


async def test_erasing_goes_in_batches(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first run over a year of groups does not hold the database in one long write."""
    monkeypatch.setattr(retention, "BATCH", 2)
    for text in ("谢谢", "收到", "好的", "谢谢", "收到"):
        await desk.h.say("resident1", text)
    erased = await retention.erase_old_messages(
        desk.bot.store, START + timedelta(days=31), desk.bot.config
    )
    assert erased == 5
    assert await rows(desk.bot.store, "SELECT COUNT(*) FROM inbound_messages WHERE text = ''") == [
        (5,)
    ]


def test_every_disposition_is_either_kept_or_erased() -> None:
    """A new kind of logged message cannot keep its words for ever by being forgotten."""
    import re

    source = "".join(
        path.read_text(encoding="utf-8") for path in Path(retention.__file__).parent.rglob("*.py")
    )
    written = set(re.findall(r'return "(\w+)", (?:None|ticket\.id|ticket_id)', source))
    written |= set(re.findall(r'disposition(?:, ticket_id)? = "(\w+)"', source))
    written |= set(re.findall(r'mark_inbound\(\w+, "(\w+)"', source))
    assert {"chatter", "desk", "held", "ticket"} <= written  # the patterns still find them
    assert written <= set(retention.ERASED) | set(retention.KEPT)


SENT = "SELECT id, text = '', erased_at IS NOT NULL FROM outbox ORDER BY id"


async def test_the_bots_own_messages_lose_their_words_once_sent_long_ago(desk: Desk) -> None:
    """What the bot said is a copy: a worker's private view of a ticket shows the phone
    number unmasked, and the ticket keeps it anyway.  A message that never went keeps its
    words (it still has to go), and an old acknowledgement can still be edited."""
    await desk.h.say("resident1", NORMAL + "，电话13912345678")  # #1: its acknowledgement, m1
    [shown] = await desk.h.say("worker1", "详情 1", private=True)
    assert "13912345678" in shown.text
    async with desk.bot.store.write() as tx:  # a reply that was refused and parked
        parked = await tx.enqueue(Outbound(CHANNEL, "resident2", "您的工单已办结"), iso(START))
    await desk.bot.store.mark_failed(parked, "blocked", PARKED)
    sent = [r for r in await rows(desk.bot.store, SENT) if r[0] != parked]
    assert sent and not any(r[1] or r[2] for r in sent)
    report, _ = await desk.sweep_on(START + timedelta(days=29))
    assert report.erased_sent == 0
    report, _ = await desk.sweep_on(START + timedelta(days=30, minutes=1))
    assert report.erased_sent == len(sent)
    after = {r[0]: r[1:] for r in await rows(desk.bot.store, SENT)}
    assert after.pop(parked) == (False, False)
    # Those sent at the start are erased; the sweeps' escalations and briefings since, not.
    assert {i for i, state in after.items() if state == (True, True)} == {r[0] for r in sent}
    assert await rows(desk.bot.store, "SELECT text FROM tickets") == [
        (NORMAL + "，电话13912345678",)
    ]
    # The acknowledgement's words are gone; the group's copy is still edited when it moves.
    edits = [m for m in await desk.h.say("worker1", "认领 1") if m.kind == "edit"]
    assert [m.edit_message_id for m in edits] == ["m1"] and "处理中" in edits[0].text
    # A later day erases what was sent since and has aged in its turn, and nothing twice.
    waiting = len(await rows(desk.bot.store, "SELECT id FROM outbox WHERE erased_at IS NULL"))
    report, _ = await desk.sweep_on(START + timedelta(days=61, minutes=1))
    assert report.erased_sent == waiting - 1  # all but the parked one
    kept = await rows(desk.bot.store, "SELECT id, sent_at FROM outbox WHERE erased_at IS NULL")
    assert (parked, None) in kept  # and what the day's own sweep has just sent
    # An edit's news (what WeChat sends of it) is its words too.
    news = "SELECT news IS NULL FROM outbox WHERE kind = 'edit'"
    assert await rows(desk.bot.store, news) == [(True,)]
    assert all(sent_at >= iso(START + timedelta(days=61)) for i, sent_at in kept if i != parked)


async def test_zero_sent_days_keeps_what_the_bot_said(
    db_path: Path, new_store: StoreFactory
) -> None:
    keep = make_config(db_path).model_copy(update={"retention": Retention(sent_days=0)})
    async for desk in started(keep, new_store):
        await desk.h.say("resident1", NORMAL)
        report, _ = await desk.sweep_on(START + timedelta(days=400))
        assert report.erased_sent == 0 and report.erased == 0
        assert all(not r[1] for r in await rows(desk.bot.store, SENT))


async def test_erasing_sent_words_goes_in_batches(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retention, "BATCH", 2)
    for text in (NORMAL, "楼下垃圾又堆满了", "路灯坏了一个星期"):
        await desk.h.say("resident1", text)
    total = len(await rows(desk.bot.store, SENT))
    assert total >= 3
    erased = await retention.erase_old_sent(
        desk.bot.store, START + timedelta(days=31), desk.bot.config
    )
    assert erased == total
    assert await rows(desk.bot.store, "SELECT COUNT(*) FROM outbox WHERE erased_at IS NULL") == [
        (0,)
    ]


async def test_erasing_reads_by_the_disposition_index(tmp_path: Path) -> None:
    """A province's inbound log holds tens of millions of rows: each batch seeks by
    (disposition, id) from where the last one ended, never scanning what was erased
    before (plans, not times, are checked here)."""
    import sqlite3

    from storage import SQLiteStore
    from storage.sql import ERASE_BATCH, ERASE_SENT_BATCH, LAST_ERASED

    async with SQLiteStore(tmp_path / "plan.db"):
        pass
    with sqlite3.connect(tmp_path / "plan.db") as db:
        plans = [
            [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, args)]
            for sql, args in (
                (LAST_ERASED, ("chatter",)),
                (ERASE_BATCH, ("chatter", 0, "9", 5)),
                (ERASE_SENT_BATCH, ("9", 5)),
            )
        ]
    assert plans == [
        ["SEARCH inbound_messages USING INDEX inbound_disposition (disposition=?)"],
        ["SEARCH inbound_messages USING INDEX inbound_disposition (disposition=? AND id>?)"],
        # Only the rows not erased yet are in this index: the years erased are never read.
        ["SEARCH outbox USING INDEX outbox_unerased (sent_at<?)"],
    ]


async def test_erased_words_are_gone_from_the_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The words are overwritten in the file, not only unlinked from their row, with a
    SQLite built with secure_delete off (its default; Debian's is built with it on, as
    this machine's may be, so the test turns it off as such a build has it); and the
    write-ahead log no longer holds the pages as they were."""
    connect = aiosqlite.connect

    def default_build(*args: Any, **kwargs: Any) -> aiosqlite.Connection:
        connection = connect(*args, **kwargs)
        connection._connector = partial(_insecure, connection._connector)
        return connection

    monkeypatch.setattr("storage.sqlite.aiosqlite.connect", default_build)
    path = tmp_path / "erase.db"
    config = make_config(path)
    old = START - timedelta(days=400)
    async with SQLiteStore(path) as store:
        async with store.write() as tx:
            person = await tx.upsert_person(CHANNEL, "r1", "张三", "resident", None, iso(old))
            for n in range(200):
                text = f"我的电话是139{n:08d}，住幸福路{n}号"
                inbound = await tx.record_inbound(CHANNEL, "group", f"m{n}", person.id, text,
                                                  iso(old))
                assert inbound is not None
                await tx.mark_inbound(inbound, "chatter" if n % 2 else "ticket", None)
        assert await retention.erase_old(store, START, config) == (100, 0)
        # Read while the store is open: closing the last connection checkpoints the log.
        wal = path.with_name(path.name + "-wal")
        data = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"13900000000" in data  # a message that became a ticket keeps its words
    assert re.findall(rb"139\d{7}[13579]", data) == []


def _insecure(connector: Any) -> sqlite3.Connection:
    connection: sqlite3.Connection = connector()
    connection.execute("PRAGMA secure_delete = OFF")
    return connection
