"""Threads of a room (a Telegram forum's topics), through the harness on SQLite and
PostgreSQL: what answers a message goes to its thread, and a notice about a ticket that
answers no message goes to the thread its report was written in, not to the room's main
conversation (Telegram's General topic)."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.base import Outbound
from bot.adapters.harness import CHANNEL, Harness
from bot.config import ChatRef
from tests.conftest import StoreFactory, make_config, rows
from tests.test_supervision import URGENT, at, started


def where(sent: list[Outbound]) -> list[tuple[str, str, str | None]]:
    """(chat, kind, thread) of each message sent."""
    return [(m.chat_id, m.kind, m.thread_id) for m in sent]


async def test_answers_and_notices_stay_in_the_reports_thread(harness: Harness) -> None:
    sent = await harness.say("resident1", "楼道灯坏了一个月", thread_id="7")
    assert where(sent) == [("group", "ack", "7"), ("staff", "staff", None)]
    ack = sent[0]
    # A button under the acknowledgement, pressed in its thread: the claim's line answers
    # no message (a press is none), and the acknowledgement's edit carries the thread too
    # (sent anew if the acknowledgement is gone).
    sent = await harness.press("worker1", ack)
    assert where(sent) == [("group", "edit", "7"), ("group", "reply", "7")]
    assert sent[1].reply_to_message_id is None and "认领" in sent[1].text
    # Resolved from a private chat: the group's notice goes to the report's thread.
    sent = await harness.say("worker1", "办结 1 已修好", private=True)
    assert sorted(where(sent)) == [
        ("group", "edit", "7"),
        ("group", "resolved", "7"),
        ("worker1", "reply", None),
    ]
    # A report in the main conversation stays there.
    sent = await harness.say("resident2", "小区门口垃圾三天没人清运")
    assert where(sent) == [("group", "ack", None), ("staff", "staff", None)]
    sent = await harness.say("worker1", "认领 2", thread_id="7")  # typed in another thread
    assert where(sent) == [("group", "edit", None), ("group", "reply", "7")]
    tickets = await rows(harness.bot.store, "SELECT id, thread_id FROM tickets ORDER BY id")
    assert tickets == [(1, "7"), (2, None)]


async def test_a_logged_message_filed_later_keeps_its_thread(harness: Harness) -> None:
    """立案 files a message the classifier took for chatter: its ticket is of the thread the
    message was written in, wherever the worker typed the command."""
    await harness.say("resident1", "收到", thread_id="9")
    [number] = await rows(harness.bot.store, "SELECT MAX(id) FROM inbound_messages")
    sent = await harness.say("worker1", f"立案 {number[0]}")
    acks = [m for m in sent if m.kind == "ack"]
    assert where(acks) == [("group", "ack", "9")]
    assert await rows(harness.bot.store, "SELECT thread_id FROM tickets") == [("9",)]
    sent = await harness.say("worker1", "认领 1", private=True)
    assert ("group", "edit", "9") in where(sent)


async def test_an_escalation_to_the_reports_group_goes_to_its_thread(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Supervision's notice to a residents' group (`[supervision] notify`) answers no
    message: it went to the forum's General topic, away from the report."""
    config = make_config(db_path)
    assert config.staff_chat is not None
    config.supervision.notify = [ChatRef(channel=CHANNEL, chat_id="group"), config.staff_chat]
    async for desk in started(config, new_store):
        await desk.h.say("resident1", URGENT, thread_id="12")
        report, sent = await desk.sweep_at(at(minutes=31))
        assert report.escalated == 1
        assert sorted(where(sent)) == [
            ("group", "escalation", "12"),
            ("staff", "escalation", None),
            ("worker1", "direct", None),
            ("worker2", "direct", None),
        ]
