"""Forum topics end to end: the real PTB client against the fake Bot API's forums.

A supergroup with topics (`is_forum`) carries each message's topic as its
`message_thread_id`.  A reply lands in its message's topic, but what the bot sent that
answers no message went to the General topic; and a forum whose General topic is closed
(only admins may write there) refuses it.
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

import pytest

from bot.adapters.base import Outbound, TemporaryFailure
from bot.adapters.telegram import TelegramAdapter
from tests.fake_telegram import FakeTelegram, SentMessage, user
from tests.test_telegram import (
    GROUP,
    RESIDENT,
    WORKER,
    acks,
    make_config,
    running,
    sent_where,
    settled,
)

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def outbox(db: Path) -> list[tuple[str | None, str | None, str | None]]:
    """(thread_id, last_error, sent_at) of each outbox row."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT thread_id, last_error, sent_at FROM outbox ORDER BY id"
        ).fetchall()


def notice_of(fake: FakeTelegram, words: str) -> SentMessage | None:
    """The group's notice of a ticket whose resolution says `words`."""
    return sent_where(fake, GROUP, lambda t: words in t and "工单 #" in t)


def refusals(fake: FakeTelegram) -> list[int]:
    """The statuses of the refused sendMessage calls."""
    return [status for _, status in fake.method_calls("sendMessage") if status == 400]


async def test_what_the_bot_says_about_a_report_stays_in_its_topic(
    fake: FakeTelegram,
    tmp_path: Path,
) -> None:
    fake.forum(GROUP)
    water = fake.open_topic(GROUP, "停水停电")
    noise = fake.open_topic(GROUP, "噪音扰民")
    config = make_config(tmp_path / "t.db", fake)
    async with running(config):
        report = fake.say(GROUP, RESIDENT, "三栋停水两天了", thread=water)
        [ack] = await fake.wait_for(lambda: acks(fake))
        assert ack.thread == water and ack.reply_to == report["message"]["message_id"]
        # The worker taps 认领: the line saying so answers no message (a press is none).
        fake.press(WORKER, ack)
        claimed = await fake.wait_for(lambda: sent_where(fake, GROUP, lambda t: "认领。" in t))
        assert claimed.reply_to is None
        assert claimed.thread == water  # it went to the General topic
        # The acknowledgement deleted meanwhile, the worker resolves from another topic:
        # the acknowledgement's new state is sent anew, and the notice, in the report's.
        fake.sent.remove(ack)
        fake.say(GROUP, WORKER, "/resolve@IntakeBot 1 已恢复供水", thread=noise)
        anew = await fake.wait_for(
            lambda: sent_where(fake, GROUP, lambda t: t.startswith("已受理") and "已办结" in t)
        )
        assert anew.thread == water and anew.reply_to is None
        said = await fake.wait_for(lambda: sent_where(fake, GROUP, lambda t: "已恢复供水" in t))
        assert said.thread == water
        assert {m.thread for m in fake.chat_log(GROUP)} == {water}


async def test_a_busy_forum_folds_acknowledgements_per_topic(
    fake: FakeTelegram,
    tmp_path: Path,
) -> None:
    """A digest answers no message: it goes to its acknowledgements' topic, one digest for
    each topic, never one for the whole forum in the General topic."""
    fake.forum(GROUP)
    topics = [fake.open_topic(GROUP, name) for name in ("东区", "西区")]
    config = make_config(tmp_path / "t.db", fake, group_max_rate=5, group_time_period=1.0)
    async with running(config, fast_retries=False):
        for n in range(12):
            fake.say(GROUP, user(6000 + n, f"居民{n}"), f"第{n}号：噪音扰民", thread=topics[n % 2])
        everyone = {f"/claim {i}" for i in range(1, 13)}
        await fake.wait_for(
            lambda: {c for m in fake.chat_log(GROUP) for c in m.commands()} >= everyone,
            seconds=15,
        )
    folded = [m for m in fake.chat_log(GROUP) if len(m.commands()) > 1]
    assert folded, "the burst was folded into digests"
    for message in fake.chat_log(GROUP):
        for command in message.commands():
            ticket = int(command.split()[1])  # tickets are filed in the order sent
            assert message.thread == topics[(ticket - 1) % 2], (command, message.text)


async def test_a_closed_topic_is_answered_in_general(
    fake: FakeTelegram,
    tmp_path: Path,
) -> None:
    """Admins closed the report's topic (or deleted it): a notice about its ticket is read
    in the General topic rather than refused for good."""
    fake.forum(GROUP)
    closed, deleted = fake.open_topic(GROUP, "已处理"), fake.open_topic(GROUP, "旧话题")
    db = tmp_path / "t.db"
    config = make_config(db, fake)
    async with running(config) as bot:
        fake.say(GROUP, RESIDENT, "楼下烧烤油烟太大", thread=closed)
        fake.say(GROUP, RESIDENT, "路灯坏了", thread=deleted)
        await fake.wait_for(lambda: len(acks(fake)) == 2)
        fake.close_topic(GROUP, closed)
        fake.delete_topic(GROUP, deleted)
        fake.say(WORKER["id"], WORKER, "/resolve 1 已劝导")
        fake.say(WORKER["id"], WORKER, "/resolve 2 已修好")
        for words in ("已劝导", "已修好"):
            notice = await fake.wait_for(functools.partial(notice_of, fake, words))
            assert notice.thread is None and notice.reply_to is None
        await settled(bot, db)
    assert all(row[2] is not None for row in outbox(db))  # all sent, none parked


async def test_a_closed_general_topic_keeps_the_message_until_it_reopens(
    fake: FakeTelegram,
    tmp_path: Path,
) -> None:
    """A forum whose General topic only admins may write in: what belongs to no topic is
    refused (TOPIC_CLOSED).  It was parked at once as a refusal for good, and the group
    never heard; it waits, retried, with the reason, and goes once the topic reopens."""
    fake.forum(GROUP)
    db = tmp_path / "t.db"
    config = make_config(db, fake)
    async with running(config) as bot:
        fake.say(GROUP, RESIDENT, "小区门口的井盖丢了")  # in the General topic, still open
        await fake.wait_for(lambda: acks(fake))
        fake.close_topic(GROUP)
        fake.say(WORKER["id"], WORKER, "/resolve 1 已补上井盖")
        await fake.wait_for(lambda: len(refusals(fake)) >= 2)  # tried, and tried again
        waiting = [row for row in outbox(db) if row[2] is None]
        assert len(waiting) == 1
        error = waiting[0][1] or ""
        assert "General topic" in error and "closed" in error and "Topic_closed" in error
        fake.reopen_topic(GROUP)
        notice = await fake.wait_for(lambda: sent_where(fake, GROUP, lambda t: "已补上井盖" in t))
        assert notice.thread is None
        await settled(bot, db)
    assert [m.text for m in fake.chat_log(GROUP)].count(notice.text) == 1


async def test_a_closed_general_topic_is_a_wait_not_a_refusal(
    fake: FakeTelegram,
    tmp_path: Path,
) -> None:
    """Through the adapter alone: a message for no topic, one whose own topic is closed
    too, and a digest of acknowledgements all wait (`TemporaryFailure`), naming the
    closed General topic."""
    fake.forum(GROUP)
    topic = fake.open_topic(GROUP, "话题")
    fake.close_topic(GROUP)
    fake.close_topic(GROUP, topic)
    adapter = TelegramAdapter(make_config(tmp_path / "t.db", fake))
    now = [1000.0]
    adapter.pacer.clock = lambda: now[0]
    await adapter.app.initialize()

    def message(n: int, kind: str = "ack", thread: int | None = None) -> Outbound:
        out = Outbound("telegram", str(GROUP), f"第{n}条", id=n, kind=kind)
        out.thread_id = None if thread is None else str(thread)
        return out

    try:
        # The group's burst goes at once: two replies, two acknowledgements.
        for out in (message(1, "reply"), message(2, "reply", topic), message(3), message(4)):
            with pytest.raises(TemporaryFailure, match="General topic of forum"):
                await adapter.send(out)
        with pytest.raises(TemporaryFailure, match="group rate limit"):
            await adapter.send(message(5))  # waits in a digest for the group's next slot
        now[0] += 60.0
        with pytest.raises(TemporaryFailure, match="General topic of forum"):
            await adapter.send(message(5))  # the digest, of one
        with pytest.raises(TemporaryFailure, match="General topic of forum"):
            await adapter.send(message(6))  # it waits open: now of two
    finally:
        await adapter.app.shutdown()
    assert not fake.sent
    tried, status = fake.method_calls("sendMessage")[-1]
    assert status == 400 and "第5条" in tried["text"] and "第6条" in tried["text"]
    assert "message_thread_id" not in tried
