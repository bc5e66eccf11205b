"""How long the words of logged messages are kept (`bot.retention`, `[retention]
message_days`), on SQLite and PostgreSQL: chatter, commands and held reports lose their
words after 30 days, once a day, by the supervision sweep; tickets and their history keep
theirs; an erased message is neither listed nor filed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot import retention
from bot.config import Intake, Retention
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
    limited = config.model_copy(update={"intake": Intake(max_reports_per_hour=1)})
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


async def test_erasing_reads_by_the_disposition_index(tmp_path: Path) -> None:
    """A province's inbound log holds tens of millions of rows: each batch seeks by
    (disposition, id) from where the last one ended, never scanning what was erased
    before (plans, not times, are checked here)."""
    import sqlite3

    from storage import SQLiteStore
    from storage.sql import ERASE_BATCH, LAST_ERASED

    async with SQLiteStore(tmp_path / "plan.db"):
        pass
    with sqlite3.connect(tmp_path / "plan.db") as db:
        plans = [
            [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, args)]
            for sql, args in ((LAST_ERASED, ("chatter",)), (ERASE_BATCH, ("chatter", 0, "9", 5)))
        ]
    assert plans == [
        ["SEARCH inbound_messages USING INDEX inbound_disposition (disposition=?)"],
        ["SEARCH inbound_messages USING INDEX inbound_disposition (disposition=? AND id>?)"],
    ]
