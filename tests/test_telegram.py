"""The Telegram adapter end to end: real PTB `Application`, real Bot, local fake Bot API.

Every test starts `tests/fake_telegram.FakeTelegram` on 127.0.0.1 (ephemeral port), points
the adapter at it with `telegram.base_url`, and plays residents and workers by queueing
updates the way Telegram would.  Nothing sleeps for a fixed time: tests wait for the fake
to see the call they expect.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import signal
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.adapters.base import (
    AwaitingContact,
    Button,
    Inbound,
    Outbound,
    PermanentFailure,
    TemporaryFailure,
)
from bot.adapters.telegram import TelegramAdapter
from bot.app import Bot
from bot.clock import iso, utc_now
from bot.config import (
    Area,
    ChatRef,
    Config,
    Department,
    Intake,
    IntakeGroup,
    PersonConfig,
    TelegramConfig,
)
from bot.http import build_app
from bot.workflow import Role
from classifier import Classification
from tests.conftest import StoreFactory, rows
from tests.fake_telegram import DROP, FakeTelegram, SentMessage, user

# PTB itself reads RetryAfter.retry_after as an int, which v22 flags as deprecated.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

GROUP = -1001  # the intake group for area DZ
OTHER = -2002  # a group the bot is in but which is not an intake group
STAFF = -3003
RESIDENT = user(1001, "张大妈")
WORKER = user(2001, "王网格员")
STAFFER = user(3001, "刘主任")


class FixedClassifier:
    """Everything is a normal neighbour dispute, except obvious chatter."""

    def classify(self, text: str) -> Classification:
        if text.strip() in {"哈哈", "好的", "收到"}:
            return Classification("not_a_report", 0.99, "low", 0.9)
        return Classification("neighbour", 0.9, "normal", 0.8)


def make_config(db: Path, fake: FakeTelegram, staff: bool = False, **telegram: Any) -> Config:
    # Telegram's per-group minute, shortened so that pacing costs tests fractions of a
    # second (the burst test sets its own).
    telegram.setdefault("group_time_period", 3.0)
    return Config(
        database=str(db),
        areas=[Area(code="DZ", name="东镇第一网格")],
        intake_groups=[IntakeGroup(channel="telegram", chat_id=str(GROUP), area="DZ")],
        # One sender's reports in a row are each a ticket here, as the platform's tests
        # count them (joining them is tests/test_repeats.py's).
        intake=Intake(follow_on_minutes=0),
        staff_chat=ChatRef(channel="telegram", chat_id=str(STAFF)) if staff else None,
        people=[
            PersonConfig(
                channel="telegram",
                user_id=str(WORKER["id"]),
                name="王网格员",
                role=Role.GRID_WORKER,
                area="DZ",
            ),
            PersonConfig(
                channel="telegram", user_id=str(STAFFER["id"]), name="刘主任", role=Role.STAFF
            ),
        ],
        telegram=TelegramConfig(
            token=fake.token,
            base_url=fake.base_url,
            base_file_url=fake.base_file_url,
            **telegram,
        ),
    )


@contextlib.asynccontextmanager
async def running(config: Config, fast_retries: bool = True) -> AsyncIterator[Bot]:
    """The real Bot with the real Telegram adapter, serving until the block ends."""
    adapter = TelegramAdapter(config, poll_timeout=2)
    async with Bot(config, [adapter], classifier=FixedClassifier()) as bot:
        if fast_retries:
            # Exponential back-off is the dispatcher's business; a test only needs to see
            # that retries happen, not wait 2, 4, 8 s for them.
            bot.dispatcher.max_backoff = 0.5
        # The outbox looks for due retries every second; a quarter of that keeps tests
        # of 429s and deferred messages short without changing what they show.
        bot.dispatcher.run = functools.partial(bot.dispatcher.run, idle=0.25)  # type: ignore[method-assign]
        task = asyncio.create_task(bot.serve([adapter]))
        try:
            yield bot
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def acks(fake: FakeTelegram, chat: int = GROUP) -> list[SentMessage]:
    return [m for m in fake.chat_log(chat) if any(c.startswith("/claim") for c in m.commands())]


def claims(fake: FakeTelegram, chat: int = GROUP) -> set[str]:
    return {c for m in fake.chat_log(chat) for c in m.commands() if c.startswith("/claim")}


def outbox_unsent(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0])


async def settled(bot: Bot, db: Path, seconds: float = 15.0) -> None:
    """Wait until every outbox row is marked sent.  The last step (marking) makes no API
    call the fake could signal, so this polls the database."""
    async with asyncio.timeout(seconds):
        while outbox_unsent(db):
            await bot.dispatcher.flush()
            await asyncio.sleep(0.05)


def tickets(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, chat_id, area, status, text FROM tickets").fetchall()


async def handled(fake: FakeTelegram, update: dict[str, Any]) -> None:
    """Wait until the bot confirmed `update` (our poller confirms only handled updates)."""
    await fake.wait_for(lambda: fake.confirmed > update["update_id"])


def sent_where(fake: FakeTelegram, chat: int, pred: Callable[[str], bool]) -> SentMessage | None:
    return next((m for m in fake.chat_log(chat) if pred(m.text)), None)


# --------------------------------------------------------------------------------------
async def test_report_claim_resolve_status_end_to_end(fake: FakeTelegram, tmp_path: Path) -> None:
    config = make_config(tmp_path / "t.db", fake)
    async with running(config) as bot:
        report = fake.say(GROUP, RESIDENT, "楼上邻居天天半夜装修，噪音太大了，电话13812345678")
        report_id = report["message"]["message_id"]

        # 1. The acknowledgement answers the report and carries a Claim button.
        [ack] = await fake.wait_for(lambda: acks(fake))
        assert ack.reply_to == report_id
        assert "#1" in ack.text
        assert ack.commands() == ["/claim 1"]
        assert fake.webhook is None  # polling: the webhook was removed first

        # 2. A resident taps Claim: answered, refused by the core, nothing edited.
        fake.press(RESIDENT, ack)
        refused = await fake.wait_for(lambda: sent_where(fake, GROUP, lambda t: "不能使用" in t))
        assert "「认领」" in refused.text and ack.edits == 0

        # 3. The worker taps Claim: the press is answered, the ack edited to show him.
        press = fake.press(WORKER, ack)
        await fake.wait_for(lambda: press["callback_query"]["id"] in fake.answered)
        await fake.wait_for(lambda: ack.edits >= 1)
        assert "王网格员" in ack.text
        assert ack.commands() == ["/resolve 1"]
        claimed = await fake.wait_for(lambda: sent_where(fake, GROUP, lambda t: "已由" in t))
        assert "王网格员" in claimed.text

        # 4. He resolves by command, addressed to the bot as groups require.
        fake.say(GROUP, WORKER, "/resolve@IntakeBot 1 已上门调解，联系电话13987654321")
        notice = await fake.wait_for(lambda: sent_where(fake, GROUP, lambda t: "已上门调解" in t))
        assert "139****4321" in notice.text and "13987654321" not in notice.text
        await fake.wait_for(lambda: ack.edits >= 2 and not ack.commands())

        # 5. The resident asks for the status in a private chat: the full text is there.
        fake.say(RESIDENT["id"], RESIDENT, "/status 1")
        [status] = await fake.wait_for(lambda: fake.chat_log(RESIDENT["id"]))
        assert "已办结" in status.text and "13987654321" in status.text
        await bot.dispatcher.flush()  # waits for a send in flight to be recorded
        assert outbox_unsent(tmp_path / "t.db") == 0

    assert [t[3] for t in tickets(tmp_path / "t.db")] == ["resolved"]


async def test_a_command_in_reply_to_the_acknowledgement_takes_its_ticket(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """Telegram's reply is how a worker points at a message: "/resolve@IntakeBot 已调解" (or
    "认领") in reply to the acknowledgement needs no number."""
    config = make_config(tmp_path / "t.db", fake)
    async with running(config):
        fake.say(GROUP, RESIDENT, "楼上邻居天天半夜装修，噪音太大了")
        [ack] = await fake.wait_for(lambda: acks(fake))
        fake.say(GROUP, WORKER, "认领", reply_to=ack.message_id)
        await fake.wait_for(lambda: ack.edits >= 1 and ack.commands() == ["/resolve 1"])
        fake.say(GROUP, WORKER, "/resolve@IntakeBot 已上门调解", reply_to=ack.message_id)
        notice = await fake.wait_for(lambda: sent_where(fake, GROUP, lambda t: "已上门调解" in t))
        assert "#1" in notice.text
    assert [t[3] for t in tickets(tmp_path / "t.db")] == ["resolved"]


async def test_redelivered_update_and_press_make_one_ticket_and_one_claim(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    config = make_config(tmp_path / "t.db", fake)
    async with running(config):
        first = fake.say(GROUP, RESIDENT, "小区门口垃圾三天没人清运")
        [ack] = await fake.wait_for(lambda: acks(fake))
        # Telegram redelivers the same message (e.g. after a lost confirmation).
        again = fake.push({"message": first["message"]})
        await handled(fake, again)
        press = fake.press(WORKER, ack)
        await fake.wait_for(lambda: ack.edits >= 1)
        repeat = fake.push({"callback_query": press["callback_query"]})
        await handled(fake, repeat)
        # One more report proves the queue moved on past both redeliveries.
        fake.say(GROUP, RESIDENT, "楼道灯坏了一个月")
        await fake.wait_for(lambda: any("/claim 2" in m.commands() for m in acks(fake)))
    assert len(tickets(tmp_path / "t.db")) == 2
    claims = [m for m in fake.chat_log(GROUP) if "认领" in m.text and "王网格员" in m.text]
    assert len(claims) == 1
    assert "已认领" not in "".join(m.text for m in fake.chat_log(GROUP) if m is not ack)


async def test_a_press_is_answered_when_fetched_not_behind_the_reports_before_it(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """A press behind a surge's reports in one `getUpdates` batch was answered when its
    turn came (1.6 s behind 150 reports against the fake), its spinner turning all the
    while, and Telegram drops an answer that comes too late.  Now every press of a batch is
    answered on fetching it, empty as it always was (what the press did is the edited
    message and the reply), while the handling keeps the batch's order and takes the press
    once."""
    adapter = TelegramAdapter(make_config(tmp_path / "t.db", fake), poll_timeout=2)
    raw = {**fake._sent_by_bot(GROUP, 900), "text": "已受理，工单号 #1。"}
    keys = [[{"text": "认领", "callback_data": "/claim 1"}]]
    markup = {"inline_keyboard": keys}
    ack = SentMessage(GROUP, 900, raw["text"], None, keys, raw={**raw, "reply_markup": markup})
    reports = [fake.say(GROUP, user(5000 + n, f"居民{n}"), f"第{n}号反映") for n in range(30)]
    press = fake.press(WORKER, ack)
    cid = press["callback_query"]["id"]
    handled_ids: list[str] = []
    answered_before_the_first_was_handled: list[bool] = []

    async def handle(inbound: Inbound) -> bool:
        handled_ids.append(inbound.message_id)
        if len(handled_ids) == 1:  # the batch's first report: its handling waits for it
            with contextlib.suppress(TimeoutError):
                await fake.wait_for(lambda: cid in fake.answered, 3)
            answered_before_the_first_was_handled.append(cid in fake.answered)
        return True

    await adapter.start(handle)
    try:
        await handled(fake, press)
    finally:
        await adapter.stop()
    assert answered_before_the_first_was_handled == [True]
    assert fake.answered.count(cid) == 1  # not again when its turn came
    expected = [str(r["message"]["message_id"]) for r in reports] + [f"cb:{cid}"]
    assert handled_ids == expected  # in order, the press once


async def test_unlisted_group_and_other_bots_are_ignored_and_an_edit_joins_its_ticket(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    config = make_config(tmp_path / "t.db", fake)
    async with running(config):
        fake.say(OTHER, RESIDENT, "这个群里的报事不该被受理")
        fake.say(OTHER, RESIDENT, "/help")
        fake.say(GROUP, RESIDENT, "/help@SomeOtherBot")
        report = fake.say(GROUP, RESIDENT, "邻居家的狗整夜叫")
        edited = dict(report["message"], text="邻居家的狗整夜叫，已经一周了", edit_date=1)
        fake.push({"edited_message": edited})
        # Private chats are served: a resident's report there is filed privately for their
        # group's area (私下反映), and /mine and the staff commands work there.
        fake.say(RESIDENT["id"], RESIDENT, "我要反映问题，隔壁天天聚众赌博")
        fake.say(WORKER["id"], WORKER, "/mine")
        fake.say(STAFFER["id"], STAFFER, "/queue")
        last = fake.say(GROUP, RESIDENT, "/help@IntakeBot")
        await handled(fake, last)
        await fake.wait_for(lambda: len(fake.chat_log(GROUP)) >= 3)
        [private_ack] = await fake.wait_for(lambda: fake.chat_log(RESIDENT["id"]))
        # The grid worker is told of the private report (#2), and answered /mine.
        await fake.wait_for(lambda: len(fake.chat_log(WORKER["id"])) >= 2)
        notice, mine = sorted(fake.chat_log(WORKER["id"]), key=lambda m: "私下反映" not in m.text)
        assert notice.text.startswith("【私下反映】新工单 #2｜") and notice.commands()
        assert "【私下反映】" not in mine.text
        [queue] = await fake.wait_for(lambda: fake.chat_log(STAFFER["id"]))
    assert "#1" in queue.text  # the staff member sees the open ticket
    assert fake.chat_log(OTHER) == []
    group = fake.chat_log(GROUP)
    # the ack, the edit's place in the ticket, and the one /help addressed to us
    assert len(group) == 3
    assert group[1].text == "已将修改后的内容补充到工单 #1。"
    # The private report is ticket #2, for the group's area, answered only one to one and
    # with no button a resident could press; the group (three messages above) saw nothing.
    assert [t[:3] for t in tickets(tmp_path / "t.db")] == [(1, "-1001", "DZ"), (2, "1001", "DZ")]
    assert "工单号 #2" in private_ack.text and "私下反映" in private_ack.text
    assert private_ack.commands() == []
    # The ticket keeps what was reported and acknowledged; the new version is in its history.
    assert tickets(tmp_path / "t.db")[0][4] == "邻居家的狗整夜叫"
    with contextlib.closing(sqlite3.connect(tmp_path / "t.db")) as db:
        [(payload,)] = db.execute("SELECT payload FROM ticket_events WHERE action = 'addendum'")
    assert "已经一周了" in payload and '"via": "edit"' in payload
    assert "群" in fake.chat_log(RESIDENT["id"])[0].text


async def test_media_become_attachments_and_odd_updates_do_no_harm(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    config = make_config(db, fake)
    photo = [
        {"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90},
        {"file_id": "PHOTO-big", "file_unique_id": "b", "width": 1280, "height": 960},
    ]
    async with running(config):
        fake.say(GROUP, RESIDENT, None, photo=photo, caption="下水道堵了，污水漫到路上")
        fake.say(
            GROUP,
            RESIDENT,
            None,
            document={"file_id": "DOC-1", "file_unique_id": "d", "file_name": "合同.pdf"},
            caption="开发商不按合同交房",
        )
        fake.say(
            GROUP,
            RESIDENT,
            None,
            voice={"file_id": "VOICE-1", "file_unique_id": "v", "duration": 7},
        )
        fake.say(
            GROUP,
            RESIDENT,
            None,
            video={
                "file_id": "VIDEO-1",
                "file_unique_id": "w",
                "width": 1,
                "height": 1,
                "duration": 3,
            },
        )
        fake.say(GROUP, RESIDENT, None, location={"latitude": 31.23, "longitude": 121.47})
        fake.say(
            GROUP,
            RESIDENT,
            None,
            contact={"phone_number": "13812345678", "first_name": "李", "last_name": "师傅"},
        )
        # Things we do not handle, and things that are simply broken.
        fake.say(
            GROUP,
            RESIDENT,
            None,
            sticker={
                "file_id": "S",
                "file_unique_id": "s",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            },
        )
        fake.say(GROUP, RESIDENT, None, new_chat_members=[RESIDENT])
        fake.push(
            {
                "channel_post": {
                    "message_id": 1,
                    "date": 1,
                    "chat": {"id": -5, "type": "channel"},
                    "text": "x",
                }
            }
        )
        fake.push({"my_chat_member": {"chat": fake.chat(GROUP), "from": RESIDENT, "date": 1}})
        fake.push({"poll": {"id": "p"}})
        fake.push({"message": "not an object"})
        fake.push({"message": {"message_id": "NaN", "chat": 7}})
        fake.push({"callback_query": {"id": "cbx", "from": RESIDENT, "chat_instance": "c"}})
        fake.push({"no_update_id_here": True, "update_id": "x"})
        last = fake.say(GROUP, RESIDENT, "最后一条：路灯不亮")
        await handled(fake, last)
        await fake.wait_for(lambda: claims(fake) >= {f"/claim {i}" for i in range(1, 4)})

    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT t.text, a.kind, a.ref, a.note FROM attachments a "
            "JOIN tickets t ON t.id = a.ticket_id ORDER BY a.id"
        ).fetchall()
    assert [(kind, ref) for _, kind, ref, _ in rows] == [
        ("photo", "PHOTO-big"),
        ("document", "DOC-1"),
        ("voice", "VOICE-1"),
        ("video", "VIDEO-1"),
        ("location", "31.23,121.47"),
        ("contact", "13812345678"),
    ]
    assert rows[0][0] == "下水道堵了，污水漫到路上"  # the caption is the text
    assert rows[1][3] == "合同.pdf"
    # The voice message, video, location and contact sent without words right after the
    # second report are its evidence (README, 补充材料), not tickets of their own.
    assert {text for text, *_ in rows[1:]} == {"开发商不按合同交房"}
    assert len(tickets(db)) == 3


async def test_429_and_5xx_storms_deliver_every_reply_exactly_once(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    config = make_config(db, fake)
    fake.fail("sendMessage", 429, times=1, retry_after=1)
    fake.fail("sendMessage", 502, times=3)
    fake.fail("sendMessage", 500, times=2)
    fake.fail("editMessageText", 502, times=2)
    fake.fail("editMessageText", 429, times=1, retry_after=1)
    fake.fail("sendMessage", DROP, times=2)  # the connection breaks mid-response
    async with running(config) as bot:
        for n in range(6):
            fake.say(GROUP, RESIDENT, f"第{n}件事：楼下商铺占道经营")
        everyone = {f"/claim {i}" for i in range(1, 7)}
        await fake.wait_for(lambda: claims(fake) >= everyone, seconds=20)
        first = acks(fake)[0]
        number = first.commands()[0].split()[1]
        fake.press(WORKER, first)
        await fake.wait_for(lambda: first.edits >= 1, seconds=20)
        await settled(bot, db)
    statuses = [status for _, status in fake.method_calls("sendMessage")]
    assert 429 in statuses and 502 in statuses and 500 in statuses and DROP in statuses
    # RetryAfter honoured: nothing was sent to the group within retry_after of a 429.
    group_calls = [
        (at, status)
        for (method, params, status), at in zip(fake.calls, fake.call_times, strict=True)
        if method in ("sendMessage", "editMessageText") and int(params["chat_id"]) == GROUP
    ]
    for at, status in group_calls:
        if status == 429:
            assert not [t for t, _ in group_calls if at < t < at + 0.99]
    assert 502 in [status for _, status in fake.method_calls("editMessageText")]
    commands = [c for m in fake.chat_log(GROUP) for c in m.commands()]
    # Every ticket acknowledged exactly once (the claimed one's button became Resolve).
    expected = [f"/resolve {number}"] + sorted(everyone - {f"/claim {number}"})
    assert sorted(commands) == sorted(expected)
    claimed = [m for m in fake.chat_log(GROUP) if m.text.startswith("工单") and "认领" in m.text]
    assert len(claimed) == 1


async def test_unsent_replies_go_out_after_a_restart(fake: FakeTelegram, tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    config = make_config(db, fake)
    fake.fail("sendMessage", 502, times=10_000)
    async with running(config):
        report = fake.say(GROUP, RESIDENT, "停水两天了，也没有通知")
        await handled(fake, report)
        await fake.wait_for(lambda: len(fake.method_calls("sendMessage")) >= 1)
    assert fake.chat_log(GROUP) == [] and outbox_unsent(db) == 1
    fake.faults.clear()
    async with running(config) as bot:
        [ack] = await fake.wait_for(lambda: acks(fake))
        assert ack.reply_to == report["message"]["message_id"]
        await settled(bot, db)
    assert len(tickets(db)) == 1  # the report was not handled twice
    assert len(acks(fake)) == 1


async def test_a_burst_of_200_reports_is_acknowledged_within_the_group_limit(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """Telegram's 20 messages a minute per group, scaled to 20 per 2 s (30 times faster):
    200 reports queued at once (the bot takes them in as fast as it can store them) all
    get acknowledged exactly once, in digests, in the intake group and in the staff
    chat, and the fake (enforcing the same limit) never has to refuse a message."""
    db = tmp_path / "t.db"
    period = 2.0
    config = make_config(db, fake, staff=True, group_max_rate=20, group_time_period=period)
    fake.group_limit = (20, period)
    async with running(config, fast_retries=False) as bot:
        for n in range(200):
            fake.say(GROUP, user(5000 + n, f"居民{n}"), f"第{n}号反映：小区停车位被长期占用")
        everyone = {f"/claim {i}" for i in range(1, 201)}
        await fake.wait_for(
            lambda: {c for m in fake.chat_log(GROUP) for c in m.commands()} >= everyone,
            seconds=25,
        )
        await settled(bot, db)
    commands = [c for m in fake.chat_log(GROUP) for c in m.commands()]
    assert sorted(commands) == sorted(everyone)  # each exactly once
    # The staff chat got all 200 new-ticket notices too, folded the same way.
    staff_text = "\n".join(m.text for m in fake.chat_log(STAFF))
    assert all(staff_text.count(f"新工单 #{i}｜") == 1 for i in range(1, 201))
    assert fake.limit_violations == 0
    messages = fake.chat_log(GROUP)
    # Digests, not one message per report, and never over the limit in any window.  How many
    # messages exactly depends on how fast this machine feeds the reports in (the scaled
    # "minute" is 2 s; a loaded 2-core machine once needed 149 for the staff chat), so that
    # figure is checked with a fake clock instead, in
    # test_telegram_units.test_200_reports_in_a_minute_at_telegrams_real_limits.
    for chat in (GROUP, STAFF):
        assert len(fake.chat_log(chat)) < 200, chat
        times = fake.all_send_times[chat]
        assert all(sum(1 for t in times if start <= t < start + period) <= 20 for start in times)
    digest = next(m for m in messages if len(m.commands()) > 1)
    assert "↩ 居民" in digest.text  # each entry says whose report it answers
    assert all(label.startswith("认领 #") for row in digest.buttons for label in [row[0]["text"]])


PERIOD = 2.0  # the two-process tests' "minute", scaled as in the burst test


@asynccontextmanager
async def two_processes(
    fake: FakeTelegram, db_path: Path, new_store: StoreFactory
) -> AsyncIterator[tuple[Bot, Bot, list[Counted]]]:
    """Two bots, each with its own Telegram adapter, delivering from one database into the
    fake's group limited to 20 a `PERIOD`; on leaving, every outbox row is marked sent."""
    config = make_config(db_path, fake, group_max_rate=20, group_time_period=PERIOD)
    fake.group_limit = (20, PERIOD)
    adapters = [Counted(config), Counted(config)]
    async with (
        Bot(config, [adapters[0]], new_store(), FixedClassifier()) as one,
        Bot(config, [adapters[1]], new_store(), FixedClassifier()) as two,
    ):
        for adapter in adapters:
            await adapter.app.initialize()
        try:
            yield one, two, adapters
            unsent = "SELECT id FROM outbox WHERE sent_at IS NULL"
            async with asyncio.timeout(15):  # the marking makes no API call: polled
                while await rows(one.store, unsent):  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
        finally:
            for adapter in adapters:
                await adapter.app.shutdown()


def within_the_limit(fake: FakeTelegram) -> bool:
    times = fake.all_send_times[GROUP]
    return all(sum(1 for t in times if start <= t < start + PERIOD) <= 20 for start in times)


async def test_two_processes_keep_one_groups_limit_together(
    fake: FakeTelegram, db_path: Path, new_store: StoreFactory
) -> None:
    """Two processes delivering from one database (several on PostgreSQL; a rolling
    restart) into one group: each pacer let through its own 20 a minute, so together they
    sent up to 40 and Telegram refused the rest with 429s.  Now each send takes its place
    in the database's record of the group's sends.  The minute scaled to 2 s, as in the
    burst test; replies (one message each) and acknowledgements (folded into digests)."""
    replies = [f"第{n}条回复" for n in range(40)]
    acknowledged = [f"已受理，工单号 #{n}。" for n in range(1, 41)]
    async with two_processes(fake, db_path, new_store) as (one, two, adapters):
        async with one.store.write() as tx:
            now = iso(utc_now())
            for reply, ack in zip(replies, acknowledged, strict=True):
                await tx.enqueue(Outbound("telegram", str(GROUP), reply), now)
                await tx.enqueue(Outbound("telegram", str(GROUP), ack, kind="ack"), now)
        one.start_delivery()
        two.start_delivery()

        def all_said() -> bool:
            said = "\n".join(m.text for m in fake.chat_log(GROUP))
            return all(t in said for t in replies + acknowledged)

        await fake.wait_for(all_said, 30)
    assert fake.limit_violations == 0  # no 429
    assert within_the_limit(fake)
    texts = [m.text for m in fake.chat_log(GROUP)]
    assert sorted(t for t in texts if t in replies) == sorted(replies)  # each exactly once
    assert len(texts) < 80  # acknowledgements were folded into digests
    assert all(a.delivered for a in adapters)  # both processes sent into the group


async def test_two_processes_acknowledge_each_report_once(
    fake: FakeTelegram, db_path: Path, new_store: StoreFactory
) -> None:
    """Two processes delivering a burst of acknowledgements into one group: each shows
    once, alone or in one digest.  A digest was the process's own, so the other process
    took a row waiting in it when its retry fell due and sent it alone (or in a digest of
    its own), and the group read that acknowledgement twice.  The minute scaled to 2 s."""
    acknowledged = [f"已受理，工单号 #{n}。" for n in range(1, 121)]
    async with two_processes(fake, db_path, new_store) as (one, two, adapters):
        one.start_delivery()
        two.start_delivery()
        # In waves, as reports come: each wave finds digests open in both processes.
        for wave in range(0, len(acknowledged), 20):
            async with one.store.write() as tx:
                now = iso(utc_now())
                for ack in acknowledged[wave : wave + 20]:
                    await tx.enqueue(Outbound("telegram", str(GROUP), ack, kind="ack"), now)
            (one if wave % 40 else two).dispatcher.wake()
            await asyncio.sleep(0.2)  # reports arriving over time, not an event

        def all_said() -> bool:
            said = "\n".join(m.text for m in fake.chat_log(GROUP))
            return all(a in said for a in acknowledged)

        await fake.wait_for(all_said, 60)
    said = "\n".join(m.text for m in fake.chat_log(GROUP))
    twice = [a for a in acknowledged if said.count(a) != 1]
    assert twice == []
    assert fake.limit_violations == 0
    assert within_the_limit(fake)
    assert len(fake.chat_log(GROUP)) < len(acknowledged)  # folded into digests
    assert all(a.delivered for a in adapters)  # both processes sent into the group


class Counted(TelegramAdapter):
    """Counts the rows it delivered."""

    delivered = 0

    async def send(self, message: Outbound) -> str:
        platform_id = await super().send(message)
        self.delivered += 1
        return platform_id


async def a_digest(fake: FakeTelegram) -> tuple[SentMessage, str]:
    """Twelve reports at once into a group paced at 5 a second: a digest of their
    acknowledgements, and the number of its second entry."""
    for n in range(12):
        fake.say(GROUP, user(6000 + n, f"居民{n}"), f"第{n}号：噪音扰民")
    everyone = {f"/claim {i}" for i in range(1, 13)}
    await fake.wait_for(
        lambda: {c for m in fake.chat_log(GROUP) for c in m.commands()} >= everyone, seconds=15
    )
    digest = next(m for m in fake.chat_log(GROUP) if len(m.commands()) > 1)
    return digest, digest.commands()[1].split()[1]


async def test_digest_entry_edit_keeps_the_other_entries(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    config = make_config(db, fake, group_max_rate=5, group_time_period=1.0)
    async with running(config, fast_retries=False):
        digest, number = await a_digest(fake)
        fake.press(WORKER, digest, 1)
        await fake.wait_for(lambda: digest.edits >= 1, seconds=10)
    assert f"/resolve {number}" in digest.commands()
    others = [c for c in digest.commands() if c.startswith("/claim")]
    assert len(others) == len(digest.commands()) - 1  # the other entries are still there
    assert "王网格员" in digest.text


async def test_a_deleted_digests_entry_is_edited_as_a_new_message(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """An admin deletes a digest of acknowledgements (a flood's clean-up); a worker then
    claims one of its tickets.  Telegram answers the edit "message to edit not found": the
    ticket's new state is posted as a message of its own, as for a deleted acknowledgement
    of one ticket.  It was parked as refused for good, and the group never read it."""
    db = tmp_path / "t.db"
    config = make_config(db, fake, group_max_rate=5, group_time_period=1.0)
    async with running(config, fast_retries=False) as bot:
        digest, number = await a_digest(fake)
        fake.sent.remove(digest)
        fake.say(GROUP, WORKER, f"/claim@IntakeBot {number}")
        anew = await fake.wait_for(
            lambda: sent_where(
                fake, GROUP, lambda t: t.startswith(f"已受理，工单号 #{number}。") and "处理中" in t
            ),
            seconds=10,
        )
        assert anew.commands() == [f"/resolve {number}"] and anew.reply_to is None
        await settled(bot, db)
    edits = fake.method_calls("editMessageText")
    assert [status for _, status in edits] == [400]  # tried once, then said anew
    with sqlite3.connect(db) as conn:
        failed = "SELECT count(*) FROM outbox WHERE last_error IS NOT NULL"
        assert conn.execute(failed).fetchone() == (0,)  # nothing parked, nothing retried


async def test_a_hand_over_edits_the_acknowledgements_buttons_alone(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """转办 takes 认领 off the group's acknowledgement at once (the department's liaisons
    claim it; a grid worker's press was refused), and a department's 退回 puts it back: each
    an editMessageReplyMarkup, its words untouched, not an editMessageText."""
    config = make_config(tmp_path / "t.db", fake)
    config.departments = [Department(code="PCS", name="派出所")]
    police = user(4001, "张警官")
    config.people.append(
        PersonConfig(
            channel="telegram", user_id=str(police["id"]), role=Role.LIAISON, area="PCS"
        )
    )
    async with running(config) as bot:
        fake.say(GROUP, RESIDENT, "楼下棋牌室天天聚众赌博")
        [ack] = await fake.wait_for(lambda: acks(fake))
        words = ack.text
        fake.say(STAFFER["id"], STAFFER, "转办 1 派出所")
        await fake.wait_for(lambda: ack.edits >= 1)
        assert (ack.text, ack.commands()) == (words, [])
        [(params, status)] = fake.method_calls("editMessageReplyMarkup")
        assert (int(params["chat_id"]), int(params["message_id"]), status) == (
            GROUP, ack.message_id, 200,
        )
        assert "reply_markup" not in params  # none: the keyboard is taken away

        fake.say(police["id"], police, "退回 1 不属于本所职责")
        await fake.wait_for(lambda: ack.edits >= 2)
        assert (ack.text, ack.commands()) == (words, ["/claim 1"])
        assert len(fake.method_calls("editMessageReplyMarkup")) == 2
        assert fake.method_calls("editMessageText") == []
        await settled(bot, tmp_path / "t.db")


async def test_group_to_supergroup_migration_keeps_the_mapping(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    config = make_config(db, fake)
    supergroup = -1000000001001
    async with running(config):
        fake.say(GROUP, RESIDENT, "井盖丢了，很危险")
        await fake.wait_for(lambda: acks(fake, GROUP))
        # Telegram: a service message in the old group, another in the new supergroup.
        fake.migrated[GROUP] = supergroup
        fake.say(GROUP, RESIDENT, None, migrate_to_chat_id=supergroup)
        fake.say(supergroup, RESIDENT, None, kind="supergroup", migrate_from_chat_id=GROUP)
        fake.say(supergroup, RESIDENT, "路口红绿灯坏了", kind="supergroup")
        [ack] = await fake.wait_for(lambda: acks(fake, supergroup))
        assert "/claim 2" in ack.commands()
        # A reply about the old ticket goes to the supergroup too.
        fake.say(supergroup, WORKER, "/claim@IntakeBot 1", kind="supergroup")
        await fake.wait_for(
            lambda: sent_where(fake, supergroup, lambda t: "#1" in t and "认领" in t)
        )
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT chat_id, area FROM tickets ORDER BY id").fetchall()
    assert rows == [(str(GROUP), "DZ"), (str(GROUP), "DZ")]  # one group, one area


async def test_migration_while_offline_is_found_at_start(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    supergroup = -1000000001001
    fake.migrated[GROUP] = supergroup
    config = make_config(tmp_path / "t.db", fake)
    async with running(config):
        fake.say(supergroup, RESIDENT, "楼道堆满杂物，消防通道堵了", kind="supergroup")
        await fake.wait_for(lambda: acks(fake, supergroup))
    assert tickets(tmp_path / "t.db")[0][1:3] == (str(GROUP), "DZ")


async def test_privacy_mode_on_still_serves_commands_and_replies(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeTelegram(privacy_mode=True)
    await fake.start()
    try:
        config = make_config(tmp_path / "t.db", fake)
        with caplog.at_level(logging.WARNING, "bot.adapters.telegram"):
            async with running(config):
                assert fake.say(GROUP, RESIDENT, "这条普通消息机器人收不到") == {}
                fake.say(GROUP, RESIDENT, "/help@IntakeBot")
                [help_reply] = await fake.wait_for(lambda: fake.chat_log(GROUP))
                # A reply to the bot's message does reach it, and is taken as a report.
                fake.say(GROUP, RESIDENT, "物业不给修电梯", reply_to=help_reply.message_id)
                await fake.wait_for(lambda: acks(fake))
        assert any("privacy mode is on" in r.getMessage() for r in caplog.records)
    finally:
        await fake.stop()


async def test_webhook_checks_the_secret_on_every_request(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    config = make_config(
        db,
        fake,
        mode="webhook",
        webhook_url="https://bot.example.org/telegram/hook",
        webhook_secret="s3cret-token",
    )
    adapter = TelegramAdapter(config)
    [route] = adapter.routes()
    app = build_app([route], config.http.max_body_bytes)
    transport = httpx.ASGITransport(app=app)
    update = {"update_id": 77, "message": fake.message(GROUP, RESIDENT, "电动车在楼道充电")}
    async with (
        Bot(config, [adapter], classifier=FixedClassifier()) as bot,
        httpx.AsyncClient(transport=transport, base_url="http://test") as client,
    ):
        bot.start_delivery()
        await adapter.start(bot.pipeline.handle)
        try:
            assert fake.webhook is not None
            assert fake.webhook["url"] == "https://bot.example.org/telegram/hook"
            assert fake.webhook["secret_token"] == "s3cret-token"
            hook = "/telegram/hook"
            assert (await client.post(hook, json=update)).status_code == 403
            bad = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
            assert (await client.post(hook, json=update, headers=bad)).status_code == 403
            good = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
            assert (await client.post(hook, content=b"{not json", headers=good)).status_code == 200
            assert (await client.post(hook, json=update, headers=good)).status_code == 200
            assert (await client.post(hook, json=update, headers=good)).status_code == 200
            await fake.wait_for(lambda: acks(fake))
        finally:
            await adapter.stop()
    assert len(tickets(db)) == 1


async def test_a_webhook_that_stopped_receiving_still_sends_what_waits(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """Stopping is in two steps (`Bot.serve`): receiving stops (an update is answered 503,
    for Telegram to deliver again to the next start), then, after the outbox's send under
    way, the connection closes; closed at once, that send failed halfway."""
    db = tmp_path / "t.db"
    config = make_config(
        db, fake, mode="webhook", webhook_url="https://x.org/hook", webhook_secret="s"
    )
    adapter = TelegramAdapter(config)
    [route] = adapter.routes()
    transport = httpx.ASGITransport(app=build_app([route], config.http.max_body_bytes))
    update = {"update_id": 78, "message": fake.message(GROUP, RESIDENT, "电动车在楼道充电")}
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s"}
    async with (
        Bot(config, [adapter], classifier=FixedClassifier()) as bot,
        httpx.AsyncClient(transport=transport, base_url="http://test") as client,
    ):
        await adapter.start(bot.pipeline.handle)
        try:
            await adapter.stop_receiving()
            assert (await client.post("/hook", json=update, headers=headers)).status_code == 503
            assert tickets(db) == []
            ack = Outbound("telegram", str(GROUP), "已受理，工单号 #1。", kind="ack")
            assert await adapter.send(ack)  # the connection is still open
        finally:
            await adapter.stop()
    assert [m.text for m in fake.chat_log(GROUP)] == ["已受理，工单号 #1。"]


async def test_any_outbound_buttons_render_as_callback_buttons(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """The supervision feature's rating buttons need nothing Telegram-specific."""
    config = make_config(tmp_path / "t.db", fake)
    adapter = TelegramAdapter(config)
    await adapter.app.initialize()
    try:
        rating = [Button(f"{'★' * n}", f"/rate 12 {n}") for n in range(1, 6)]
        long = Button("too long", "/note 12 " + "很" * 30)
        message_id = await adapter.send(
            Outbound(
                "telegram",
                str(RESIDENT["id"]),
                "请为处理结果打分",
                buttons=[*rating, long],
                kind="direct",
            )
        )
    finally:
        await adapter.app.shutdown()
    [sent] = fake.chat_log(RESIDENT["id"])
    assert message_id == str(sent.message_id)
    assert sent.commands() == [f"/rate 12 {n}" for n in range(1, 6)]  # the 64-byte one is left out


async def test_a_person_who_must_write_first_is_waited_for(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """Telegram's 403 for a person's private chat (never opened, or the bot blocked) means
    "not until they write": the outbox keeps the message for then.  A 403 in a group (the
    bot removed) is a refusal for good."""
    config = make_config(tmp_path / "t.db", fake)
    adapter = TelegramAdapter(config)
    await adapter.app.initialize()
    try:
        fake.fail("sendMessage", 403, times=2)
        with pytest.raises(AwaitingContact, match="can't initiate conversation"):
            await adapter.send(Outbound("telegram", str(RESIDENT["id"]), "工单 #1 已办结"))
        with pytest.raises(PermanentFailure) as refused:
            await adapter.send(Outbound("telegram", str(GROUP), "工单 #1 已办结"))
        assert not isinstance(refused.value, AwaitingContact)
    finally:
        await adapter.app.shutdown()


async def test_a_digest_refused_for_good_is_parked_not_retried_for_a_day(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """The bot removed from a group (403) or barred from writing there (400) while
    acknowledgements wait in a digest: that is a refusal for good, as for any other
    message to the group.  It escaped as a bare Telegram error, which the outbox retries
    with back-off for a day."""
    config = make_config(tmp_path / "t.db", fake)
    adapter = TelegramAdapter(config)
    now = [1000.0]
    adapter.pacer.clock = lambda: now[0]
    await adapter.app.initialize()
    try:

        def ack(n: int) -> Outbound:
            return Outbound("telegram", str(GROUP), f"已受理，工单号 #{n}。", id=n, kind="ack")

        for n in range(1, 5):  # the burst goes out at once
            await adapter.send(ack(n))
        with pytest.raises(TemporaryFailure):  # waits for the digest's slot
            await adapter.send(ack(5))
        now[0] += 60.0
        fake.fail("sendMessage", 403)
        with pytest.raises(PermanentFailure, match="Forbidden"):
            await adapter.send(ack(5))
        fake.fail("sendMessage", 400)  # the next joins the digest and meets the same end
        with pytest.raises(PermanentFailure):
            await adapter.send(ack(6))
    finally:
        await adapter.app.shutdown()


def write_run_config(fake: FakeTelegram, tmp_path: Path, db_name: str) -> Path:
    """The config file `intake-bot run --config F` gets: one intake group, the fake server."""
    config_file = tmp_path / "bot.toml"
    config_file.write_text(
        f"""
database = "{(tmp_path / db_name).as_posix()}"
[[areas]]
code = "DZ"
name = "东镇第一网格"
[[intake_groups]]
channel = "telegram"
chat_id = "{GROUP}"
area = "DZ"
[telegram]
token = "${{TEST_TELEGRAM_TOKEN}}"
base_url = "{fake.base_url}"
base_file_url = "{fake.base_file_url}"
""",
        encoding="utf-8",
    )
    return config_file


async def test_intake_bot_run_serves_telegram(
    fake: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `intake-bot run --config F` runs, against the fake server."""
    from bot import channels

    config_file = write_run_config(fake, tmp_path, "run.db")
    monkeypatch.setenv("TEST_TELEGRAM_TOKEN", fake.token)
    monkeypatch.setattr("bot.app.load_default", FixedClassifier)
    from bot.config import load_config

    ready = asyncio.Event()
    task = asyncio.create_task(channels.serve(load_config(config_file), ready))
    try:
        await asyncio.wait_for(ready.wait(), 10)
        fake.say(GROUP, RESIDENT, "村口的路灯坏了半个月")
        [ack] = await fake.wait_for(lambda: acks(fake))
        assert ack.commands() == ["/claim 1"]
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@pytest.mark.parametrize(
    ("stop", "exit_code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 0)],  # Ctrl-C; systemd's or docker's stop
)
async def test_intake_bot_run_command_against_the_fake(
    fake: FakeTelegram, tmp_path: Path, stop: signal.Signals, exit_code: int
) -> None:
    """The real command line, real default classifier, in its own process; stopped by a
    signal, it shuts down cleanly: the database closed (SQLite removes its write-ahead
    log then; a killed process leaves it behind)."""
    config_file = write_run_config(fake, tmp_path, "cli.db")
    env = dict(os.environ, TEST_TELEGRAM_TOKEN=fake.token)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", "--config", str(config_file), env=env
    )
    try:
        fake.say(GROUP, RESIDENT, "楼上邻居天天半夜装修，噪音太大了，老人睡不着")
        [ack] = await fake.wait_for(lambda: acks(fake), seconds=20)
        assert ack.commands() == ["/claim 1"]
        assert "#1" in ack.text
    finally:
        process.send_signal(stop)
        code = await asyncio.wait_for(process.wait(), 10)
    assert code == exit_code  # stopped as asked, not crashed
    assert (tmp_path / "cli.db").exists() and not (tmp_path / "cli.db-wal").exists()


async def test_a_token_telegram_refuses_is_one_line_without_the_token(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """A revoked or mistyped token (of BotFather's shape) ended `intake-bot run` in
    python-telegram-bot's traceback, whose last line holds the token; Telegram out of reach
    likewise.  Now each is one line, exit 2, and the token is not in it."""
    config_file = write_run_config(fake, tmp_path, "refused.db")
    env = dict(os.environ, TEST_TELEGRAM_TOKEN="987654:NOT-the-fakes-token")

    async def run() -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", "--config", str(config_file), env=env,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await asyncio.wait_for(process.communicate(), 60)
        return await process.wait(), err.decode("utf-8")

    code, err = await run()
    assert code == 2
    assert err.endswith(
        "intake-bot: error: telegram.token: Telegram refused the token (revoked, or not this "
        "bot's): copy it again from BotFather\n"
    )
    assert "Traceback" not in err and "NOT-the-fakes-token" not in err
    unreachable = config_file.read_text(encoding="utf-8").replace(
        fake.base_url, "http://127.0.0.1:1/bot"
    )
    config_file.write_text(unreachable, encoding="utf-8")
    code, err = await run()
    assert code == 2
    assert "intake-bot: error: cannot reach Telegram at http://127.0.0.1:1/bot: " in err
    assert "Traceback" not in err and "NOT-the-fakes-token" not in err


async def test_a_failed_handling_is_retried_not_lost(fake: FakeTelegram, tmp_path: Path) -> None:
    """If storing an update fails (database busy, a bug), polling tries it again before
    moving on, and a webhook answers 500 so that Telegram redelivers it."""
    db = tmp_path / "t.db"
    config = make_config(db, fake)
    adapter = TelegramAdapter(config, poll_timeout=2)
    failures = [RuntimeError("database is locked")] * 2

    async with Bot(config, [adapter], classifier=FixedClassifier()) as bot:

        async def flaky(inbound: Any) -> bool:
            if failures:
                raise failures.pop()
            return await bot.pipeline.handle(inbound)

        bot.start_delivery()
        await adapter.start(flaky)
        try:
            fake.say(GROUP, RESIDENT, "下水道返臭，一楼没法住人")
            [ack] = await fake.wait_for(lambda: acks(fake))
            assert failures == []
            # The webhook path: the same failure is a 500 for Telegram to retry.
            failures.append(RuntimeError("database is locked"))
            adapter.settings = adapter.settings.model_copy(
                update={
                    "mode": "webhook",
                    "webhook_url": "https://x.org/hook",
                    "webhook_secret": "s",
                }
            )
            app = build_app(adapter.routes(), 65536)
            update = {"update_id": 900, "message": fake.message(GROUP, RESIDENT, "电梯困人了")}
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s"}
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://test"
            ) as client:
                assert (await client.post("/hook", json=update, headers=headers)).status_code == 500
                assert (await client.post("/hook", json=update, headers=headers)).status_code == 200
        finally:
            await adapter.stop()
    assert len(tickets(db)) == 2


async def test_a_database_down_for_a_while_loses_no_report(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """Storing fails for longer than a blip (a PostgreSQL failover, SQLite locked by a
    backup): polling keeps trying the update, with back-off, before it moves Telegram's
    offset past it.  It used to give up after three tries in 0.6 s, and the report was
    gone."""
    db = tmp_path / "t.db"
    config = make_config(db, fake)
    adapter = TelegramAdapter(config, poll_timeout=2)
    adapter.handling_retry_base = 0.01  # the back-off's first step; a test need not wait
    failures = [RuntimeError("database is locked")] * 8
    async with Bot(config, [adapter], classifier=FixedClassifier()) as bot:

        async def down_for_a_while(inbound: Any) -> bool:
            if failures:
                raise failures.pop()
            return await bot.pipeline.handle(inbound)

        await adapter.start(down_for_a_while)
        try:
            report = fake.say(GROUP, RESIDENT, "小区门口的路灯坏了半个月")
            await handled(fake, report)
        finally:
            await adapter.stop()
    assert failures == [] and [t[4] for t in tickets(db)] == ["小区门口的路灯坏了半个月"]


async def test_overall_rate_is_limited_by_aioratelimiter(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """30 messages/s overall in production; here 10 per 0.5 s, so 30 private messages
    cannot all go out in less than (30 - 10) / 20 = 1 s from when they were handed over.
    (Measured from then, not from the first to arrive: on a loaded machine the first
    request may reach the server late, which shortened that span and failed the test.)"""
    config = make_config(tmp_path / "t.db", fake, overall_max_rate=10, overall_time_period=0.5)
    adapter = TelegramAdapter(config)
    await adapter.app.initialize()
    handed_over = time.monotonic()
    try:
        await asyncio.gather(
            *(
                adapter.send(Outbound("telegram", str(10_000 + n), f"消息 {n}", id=n + 1))
                for n in range(30)
            )
        )
    finally:
        await adapter.app.shutdown()
    times = [
        t for (m, _, _), t in zip(fake.calls, fake.call_times, strict=True) if m == "sendMessage"
    ]
    assert len(times) == 30
    assert max(times) - handed_over >= 0.9


async def test_a_file_refused_as_too_large_becomes_the_words_that_say_so(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """A proxy before a self-hosted Bot API server (nginx takes 1 MB by default) or the
    server itself refuses the upload with HTTP 413, under the bot's own limit: the file is
    not made and sent again for hours; the asker is told at once, in their words, and the
    row keeps what they got."""
    db = tmp_path / "t.db"
    config = make_config(db, fake, staff=True)
    spool = tmp_path / "spool"
    spool.mkdir()
    fake.max_upload = 10  # bytes: every ledger is larger
    async with running(config) as bot:
        bot.documents.directory = str(spool)
        fake.say(GROUP, RESIDENT, "楼上漏水把我家天花板泡坏了")
        await fake.wait_for(lambda: acks(fake))
        fake.say(STAFFER["id"], STAFFER, "导出台账")
        told = await fake.wait_for(
            lambda: sent_where(fake, STAFFER["id"], lambda t: "文件过大拒收" in t)
        )
        await settled(bot, db)
    assert told.text.startswith("台账文件被Telegram以文件过大拒收，未能发送。")
    assert [status for _, status in fake.method_calls("sendDocument")] == [413]
    assert list(spool.iterdir()) == []
    with sqlite3.connect(db) as conn:
        [(text, document, sent_at)] = conn.execute(
            "SELECT text, document, sent_at FROM outbox WHERE text LIKE '%拒收%'"
        ).fetchall()
    assert document is None and sent_at is not None and "拒收" in text


async def test_export_sends_the_ledger_as_a_document_privately(
    fake: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/export end to end: PTB's real client uploads the file (multipart sendDocument) to
    the asker's private chat, never to a group; a failed upload is retried from the
    outbox with the file made again; every file made is deleted; and what arrives is
    byte for byte what `intake-bot db export` writes from the same database."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from bot.cli import main

    db = tmp_path / "t.db"
    config = make_config(db, fake, staff=True)
    spool = tmp_path / "spool"
    spool.mkdir()
    today = datetime.now(ZoneInfo(config.timezone)).date()
    first, last = today - timedelta(days=1), today + timedelta(days=1)
    period = f"{first}..{last}"

    def documents(chat: int) -> list[SentMessage]:
        return [m for m in fake.chat_log(chat) if m.document is not None]

    async with running(config) as bot:
        bot.documents.directory = str(spool)
        fake.say(GROUP, RESIDENT, "楼上漏水把我家天花板泡坏了，我电话13812345678")
        await fake.wait_for(lambda: acks(fake))
        # In the staff group, from someone the bot may not write to privately yet.
        fake.say(STAFF, STAFFER, "/export@IntakeBot")
        await fake.wait_for(lambda: sent_where(fake, STAFF, lambda t: "只能私聊发送" in t))
        # Privately; the first upload fails (502) and is tried again.
        fake.fail("sendDocument", 502)
        request = fake.say(STAFFER["id"], STAFFER, f"导出台账 {period}")
        [sent] = await fake.wait_for(lambda: documents(STAFFER["id"]))
        # In the group again, now that there is a private chat: it goes there.
        fake.say(STAFF, STAFFER, f"/export@IntakeBot {period} xlsx")
        await fake.wait_for(lambda: sent_where(fake, STAFF, lambda t: "已私信发给您" in t))
        await fake.wait_for(lambda: len(documents(STAFFER["id"])) == 2)
        await settled(bot, db)

    assert [status for _, status in fake.method_calls("sendDocument")] == [502, 200, 200]
    assert documents(GROUP) == [] and documents(STAFF) == []
    assert list(spool.iterdir()) == []
    coming = sent_where(fake, STAFFER["id"], lambda t: t.startswith("正在生成台账"))
    assert coming is not None and sent.reply_to == request["message"]["message_id"]
    assert sent.text == (f"台账：全部网格，{first} 至 {last} 受理，共 1 件。电话、身份证号已隐去。")
    upload = sent.document
    assert upload is not None
    assert (upload.filename, upload.content_type) == (f"台账-{first}至{last}.csv", "text/csv")
    assert sent.raw["document"]["file_size"] == len(upload.data)
    xlsx = documents(STAFFER["id"])[1].document
    assert xlsx is not None and xlsx.filename.endswith(".xlsx") and xlsx.data[:2] == b"PK"

    monkeypatch.setenv("TEST_TELEGRAM_TOKEN", fake.token)
    config_file = write_run_config(fake, tmp_path, "t.db")
    out = tmp_path / "cli.csv"
    argv = ["db", "export", "--config", str(config_file), "--from", str(first)]
    assert await asyncio.to_thread(main, [*argv, "--to", str(last), str(out)]) == 0
    assert upload.data == out.read_bytes()
    assert b"138****5678" in upload.data and b"13812345678" not in upload.data


async def test_a_live_locations_moves_are_not_edits_of_the_report(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """Telegram delivers every move of a shared live location as an `edited_message` (for
    up to eight hours, as often as the phone moves).  The location joins the report once;
    its moves are not a person editing what they wrote, so they add nothing and say nothing
    (they used to post 已将修改后的内容补充到工单 #1 into the group at every move)."""
    db = tmp_path / "t.db"
    config = make_config(db, fake)
    async with running(config) as bot:
        fake.say(GROUP, RESIDENT, "河边有人电鱼，我在现场跟着")
        await fake.wait_for(lambda: acks(fake))
        where = {"latitude": 31.23, "longitude": 121.47, "live_period": 3600}
        live = fake.say(GROUP, RESIDENT, None, location=where)
        for n in range(1, 6):
            moved = where | {"latitude": 31.23 + n / 1000, "heading": 90}
            fake.push({"edited_message": live["message"] | {"location": moved, "edit_date": n}})
        last = fake.say(GROUP, RESIDENT, "/help@IntakeBot")
        await handled(fake, last)
        await settled(bot, db)
    texts = [m.text for m in fake.chat_log(GROUP)]
    assert len(texts) == 3, texts  # the ack, the location's place in the ticket, the help
    assert "工单 #1" in texts[1] and not any("修改后" in t for t in texts)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        [(refs,)] = conn.execute("SELECT count(*) FROM attachments WHERE kind = 'location'")
    assert refs == 1


async def test_a_linked_channels_posts_and_forwarded_bot_messages_are_not_reports(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """An intake group that is a channel's discussion group gets each channel post as an
    automatic forward, from the account "Telegram" (777000, not a bot) on behalf of the
    channel; a resident may forward the bot's own acknowledgement back into the group.
    Neither is a resident's report (both used to be filed as tickets).  A resident's
    forward of a person's message is theirs to report."""
    db = tmp_path / "t.db"
    config = make_config(db, fake)
    service = {"id": 777000, "is_bot": False, "first_name": "Telegram"}
    channel = {"id": -1009990001, "type": "channel", "title": "东镇综治中心"}
    from_channel = {"type": "channel", "chat": channel, "message_id": 5, "date": 1}
    bot_user = {"id": 42, "is_bot": True, "first_name": "Intake", "username": "IntakeBot"}
    async with running(config) as bot:
        fake.say(
            GROUP,
            service,
            "【通知】本周六开展矛盾纠纷排查，请各网格员做好准备",
            is_automatic_forward=True,
            sender_chat=channel,
            forward_origin=from_channel,
        )
        # Someone posting as a channel: Telegram's placeholder sender is a bot already.
        channel_bot = {"id": 136817688, "is_bot": True, "first_name": "Channel"}
        fake.say(GROUP, channel_bot, "频道身份发的消息", sender_chat=channel)
        fake.say(
            GROUP,
            RESIDENT,
            "已受理，工单号 #7。\n类型：邻里纠纷｜紧急程度：一般\n网格员将尽快处理",
            forward_origin={"type": "user", "sender_user": bot_user, "date": 1},
        )
        neighbour = {"type": "user", "sender_user": user(1002, "李大爷"), "date": 1}
        fake.say(GROUP, RESIDENT, "隔壁装修把承重墙打了", forward_origin=neighbour)
        last = fake.say(GROUP, RESIDENT, "/help@IntakeBot")
        await handled(fake, last)
        await settled(bot, db)
    assert [t[4] for t in tickets(db)] == ["隔壁装修把承重墙打了"]
    with contextlib.closing(sqlite3.connect(db)) as conn:
        [(stored,)] = conn.execute("SELECT count(*) FROM inbound_messages")
    assert stored == 2  # the neighbour's forwarded words and /help


async def test_a_command_with_digits_for_another_bot_is_not_ours(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """Telegram's command names may hold digits (/top10, /report2): one addressed to
    another bot is ignored like any other, not answered 不认识的命令 (nor filed)."""
    db = tmp_path / "t.db"
    config = make_config(db, fake)
    async with running(config) as bot:
        fake.say(GROUP, RESIDENT, "/report2@OtherBot 楼上漏水")
        fake.say(GROUP, RESIDENT, "/top10@OtherBot")
        last = fake.say(GROUP, RESIDENT, "/help@IntakeBot")
        await handled(fake, last)
        await settled(bot, db)
    [help_reply] = fake.chat_log(GROUP)
    assert "OtherBot" not in help_reply.text and tickets(db) == []



def crafted_press(
    fake: FakeTelegram, sender: dict[str, Any], message: SentMessage, data: str
) -> dict[str, Any]:
    """A press whose callback_data the presser's client made up (Telegram does not check it
    against the button's)."""
    query = {"id": f"crafted-{data}", "from": sender, "chat_instance": f"ci{message.chat_id}",
             "data": data, "message": message.raw}
    return fake.push({"callback_query": query})


async def test_a_made_up_press_is_refused_as_the_command_and_files_nothing(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """callback_data is the command itself, so a client's made-up one is read as the command
    it names, with the presser's rights (a resident's worker action, another bot's address, a
    grant) and never as their words (a report, the number out of range of a resident's 认领)."""
    db = tmp_path / "t.db"
    async with running(make_config(db, fake)):
        fake.say(GROUP, RESIDENT, "楼上邻居天天半夜装修，噪音太大了")
        [ack] = await fake.wait_for(lambda: acks(fake))
        made_up = ("/resolve 1 已办结", "/claim@OtherBot 1", f"/grant {RESIDENT['id']} admin",
                   "认领 99999999999999999999", "楼上有人打人了")
        for data in made_up:
            await handled(fake, crafted_press(fake, RESIDENT, ack, data))
        await fake.wait_for(lambda: len(fake.chat_log(GROUP)) >= 5)
        assert [m.text for m in fake.chat_log(GROUP)][1:] == [
            "您的身份（居民）不能使用「办结」。", "您的身份（居民）不能使用「认领」。",
            "您的身份（居民）不能使用「授权」。",
            "「99999999999999999999」不是有效的工单号，工单号是数字，例如 12 或 #12。",
        ]
        assert ack.edits == 0
    assert [t[3] for t in tickets(db)] == ["new"]
