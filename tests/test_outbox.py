"""The outbox: replies survive platform failures and restarts, and go out once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest

from bot.adapters.base import (
    AwaitingContact,
    Button,
    Inbound,
    Outbound,
    PartlySent,
    PermanentFailure,
    Person,
    Room,
    TemporaryFailure,
)
from bot.adapters.harness import CHANNEL, Harness, HarnessAdapter
from bot.app import Bot
from bot.clock import iso
from bot.config import ChatRef, IntakeGroup
from storage.base import AWAITING_CONTACT
from storage.postgres import PostgresStore
from tests.conftest import (
    KeywordClassifier,
    StoreFactory,
    harness_with,
    make_config,
    postgres_or_skip,
    rows,
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class FlakyAdapter(HarnessAdapter):
    """Fails the first `failures` sends, the way a platform outage would."""

    def __init__(self, failures: int, exc: Exception) -> None:
        super().__init__()
        self.failures = failures
        self.exc = exc
        self.tries = 0

    async def send(self, message: Outbound) -> str:
        self.tries += 1
        if self.failures > 0:
            self.failures -= 1
            raise self.exc
        return await super().send(message)


async def test_retry_after_is_honoured_and_delivery_is_once(
    db_path: Path, new_store: StoreFactory
) -> None:
    clock = Clock()
    adapter = FlakyAdapter(2, TemporaryFailure("429", retry_after=30))
    config = make_config(db_path)
    config.staff_chat = None
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), clock) as bot:
        h = Harness(bot, adapter)
        assert await h.say("resident1", "楼道灯坏了一个月") == []  # first try failed
        assert await bot.dispatcher.flush() == 0  # not due yet: retry_after is 30 s
        clock.now += timedelta(seconds=31)
        assert await bot.dispatcher.flush() == 0  # second failure
        clock.now += timedelta(seconds=31)
        assert await bot.dispatcher.flush() == 1
        assert await bot.dispatcher.flush() == 0
        assert len(adapter.sent) == 1 and adapter.tries == 3


async def test_unexpected_errors_back_off_then_park(db_path: Path, new_store: StoreFactory) -> None:
    clock = Clock()
    adapter = FlakyAdapter(100, RuntimeError("500 Internal Server Error"))
    config = make_config(db_path)
    config.staff_chat = None
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), clock) as bot:
        bot.dispatcher.give_up_after = timedelta(minutes=25)
        h = Harness(bot, adapter)
        await h.say("resident1", "路灯不亮")  # tried at once: 1
        for _ in range(5):
            clock.now += timedelta(minutes=10)
            await bot.dispatcher.flush()
        # Tried again at 10, 20 and 30 minutes; after the one at 30 the next would fall
        # beyond 25 minutes from the queueing: parked then, not retried forever.
        assert adapter.tries == 4
        [row] = await rows(bot.store, "SELECT last_error, sent_at, next_attempt_at FROM outbox")
        assert "500" in row[0] and row[1] is None  # kept, with its error, for a person
        assert row[2].startswith("9999")


async def test_an_outage_of_hours_delays_replies_and_loses_none(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Twelve tries used to park a reply after about 24 minutes of a platform's outage:
    its acknowledgement never went.  Now it is tried every `max_backoff` for a day."""
    clock = Clock()
    outage = timedelta(hours=3)
    adapter = FlakyAdapter(10_000, RuntimeError("502 Bad Gateway"))
    config = make_config(db_path)
    config.staff_chat = None
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), clock) as bot:
        await Harness(bot, adapter).say("resident1", "路灯不亮")
        began = clock.now
        while clock.now - began < outage:
            clock.now += timedelta(minutes=1)
            await bot.dispatcher.flush()
        assert adapter.sent == [] and 40 <= adapter.tries <= 60  # every 5 minutes, at most
        adapter.failures = 0  # the platform is back
        clock.now += timedelta(minutes=5)
        assert await bot.dispatcher.flush() == 1
        assert "已受理" in adapter.sent[0].text


async def test_edit_waits_for_the_message_it_edits(db_path: Path, new_store: StoreFactory) -> None:
    clock = Clock()
    adapter = FlakyAdapter(1, TemporaryFailure("down", retry_after=60))
    config = make_config(db_path)
    config.staff_chat = None
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), clock) as bot:
        h = Harness(bot, adapter)
        await h.say("resident1", "楼上漏水")  # the ack fails
        await h.say("worker1", "认领 1")  # the claim reply goes; the ack edit must wait
        assert [m.kind for m in adapter.sent] == ["reply"]
        # The delivery loop sleeps until the ack's retry: the edit, due since it was queued
        # but held back, made it spin (no pause) for the whole minute.
        assert await bot.store.next_attempt_at(["test"]) == iso(clock.now + timedelta(seconds=60))
        clock.now += timedelta(seconds=61)
        await bot.dispatcher.flush()
        assert [m.kind for m in adapter.sent] == ["reply", "ack", "edit"]
        assert adapter.sent[2].edit_message_id == "m2"


async def test_permanent_failure_parks_at_once(db_path: Path, new_store: StoreFactory) -> None:
    adapter = FlakyAdapter(100, PermanentFailure("Forbidden: bot was blocked by the user"))
    config = make_config(db_path)
    config.staff_chat = None
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), Clock()) as bot:
        await Harness(bot, adapter).say("resident1", "井盖丢了")
        assert await bot.dispatcher.flush() == 0
        assert adapter.tries == 1
        [row] = await rows(bot.store, "SELECT last_error, next_attempt_at FROM outbox")
        assert "blocked" in row[0] and row[1].startswith("9999")


async def test_platform_requested_waits_never_park(db_path: Path, new_store: StoreFactory) -> None:
    clock = Clock()
    adapter = FlakyAdapter(20, TemporaryFailure("flood control", retry_after=5))
    config = make_config(db_path)
    config.staff_chat = None
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), clock) as bot:
        bot.dispatcher.give_up_after = timedelta(seconds=10)
        await Harness(bot, adapter).say("resident1", "广场舞音响太吵")
        for _ in range(20):
            clock.now += timedelta(seconds=6)
            await bot.dispatcher.flush()
        assert len(adapter.sent) == 1 and adapter.tries == 21


async def test_delivery_loop_wakes_when_a_retry_falls_due(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The background loop sleeps until the next row is due, not a fixed poll interval."""
    import asyncio

    delivered = asyncio.Event()

    class Signalling(FlakyAdapter):
        async def send(self, message: Outbound) -> str:
            platform_id = await super().send(message)
            delivered.set()
            return platform_id

    adapter = Signalling(1, TemporaryFailure("busy", retry_after=0.2))
    config = make_config(db_path)
    config.staff_chat = None
    async with Bot(config, [adapter], new_store(), KeywordClassifier()) as bot:
        bot.start_delivery()  # its idle poll is 5 s; the retry is due in 0.2 s
        await Harness(bot, adapter).bot.pipeline.handle(
            Inbound(Person("test", "resident1"), Room("test", "group"), "x1", "垃圾站臭味大")
        )
        await asyncio.wait_for(delivered.wait(), timeout=3)
        assert adapter.tries == 2


async def test_a_document_row_keeps_what_the_file_is_never_its_bytes(
    new_store: StoreFactory,
) -> None:
    """The outbox keeps a document's name, type and source (how to make it) on both
    engines; bytes or a path are for one delivery attempt and are not stored.  Once the
    file is made, the row is rewritten to what was sent (here: a refusal, no file)."""
    import pytest

    from bot.adapters.base import Document

    at = "2026-11-29T01:00:00.000Z"
    source = '{"ledger": {"area": "DZ"}}'
    document = Document("台账.csv", "text/csv", source, path="/tmp/x.csv", data=b"abc")
    async with new_store() as store:
        async with store.write() as tx:
            outbox_id = await tx.enqueue(Outbound("test", "u1", "台账", document=document), at)
            await tx.enqueue(Outbound("test", "u1", "文字"), at)
            with pytest.raises(ValueError, match="no source"):
                await tx.enqueue(Outbound("test", "u1", "x", document=Document("a", "b")), at)
        first, text = await store.due_outbox("test", at, 10)
        assert first.document == Document("台账.csv", "text/csv", source)
        assert text.document is None
        await store.rewrite_outbox(outbox_id, "太大了", None)
        [again, _] = await store.due_outbox("test", at, 10)
        assert (again.text, again.document) == ("太大了", None)


async def test_an_urgent_report_reaches_the_duty_rooms_when_there_is_no_staff_chat(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The group reads 已通知值班人员 under an urgent ticket: with no staff chat configured
    (the demo has none), the supervision rooms are told, not nobody.  An ordinary ticket
    still gets no notice there."""
    config = make_config(db_path)
    config.staff_chat = None
    config.supervision.notify = [ChatRef(channel="test", chat_id="duty")]
    async with harness_with(config, new_store(), clock=Clock()) as h:
        urgent = await h.say("resident1", "村口有人打人了")
        [notice] = [m for m in urgent if m.chat_id == "duty"]
        assert notice.kind == "staff" and notice.text.startswith("新工单 #1｜东镇｜治安隐患｜紧急")
        ordinary = await h.say("resident2", "楼道灯坏了一个月")
        assert [m.chat_id for m in ordinary] == ["group"]


async def test_with_no_duty_room_an_urgent_acknowledgement_says_who_was_told(
    db_path: Path, new_store: StoreFactory
) -> None:
    """No staff chat and no notify room: the group read 已通知值班人员 under an urgent ticket
    although no duty room existed.  It says who was: the grid's workers, each told privately;
    nobody, where the grid has none (it promises nobody); to a worker's own 上报, that nobody
    on duty heard of it."""
    config = make_config(db_path)
    config.staff_chat = None
    config.people = [p for p in config.people if p.user_id != "westworker"]
    async with harness_with(config, new_store(), clock=Clock()) as h:
        urgent = await h.say("resident1", "村口有人打人了")
        [ack] = [m for m in urgent if m.kind == "ack"]
        assert ack.text.startswith(
            "【紧急】已受理，工单号 #1，已通知网格员。如有生命危险请立即拨打 110 / 120 / 119。"
        )
        assert sorted(m.chat_id for m in urgent if m.kind == "direct") == ["worker1", "worker2"]
        claimed = await h.say("worker1", "认领 1")
        [edited] = [m for m in claimed if m.kind == "edit"]  # re-rendered: still so
        assert edited.text.startswith("【紧急】已受理，工单号 #1，已通知网格员。")
        west = await h.say("resident2", "村口有人打人了", chat="west")
        [ack] = [m for m in west if m.kind == "ack"]
        assert ack.text.startswith(
            "【紧急】已受理，工单号 #2。如有生命危险请立即拨打 110 / 120 / 119。"
        )
        own = await h.say("worker2", "上报：村口有人打人了")
        [ack] = [m for m in own if m.kind == "ack"]
        assert ack.text.startswith(
            "【紧急】已登记上报，工单号 #3。中心未设值班群，未通知到值班人员，请电话报告中心。"
        )


class Refusing(HarnessAdapter):
    """A platform that refuses with `exc` (while it is set) every message, or only those to
    `chats`; it counts its tries."""

    def __init__(self, exc: Exception | None = None, chats: Collection[str] | None = None):
        super().__init__()
        self.exc, self.chats, self.tries = exc, chats, 0

    async def send(self, message: Outbound) -> str:
        self.tries += 1
        if self.exc is not None and (self.chats is None or message.chat_id in self.chats):
            raise self.exc
        return await super().send(message)


async def test_a_message_waits_for_its_recipient_to_write_first(
    db_path: Path, new_store: StoreFactory
) -> None:
    # As WeChat refuses 48 hours after a person's last message, and Telegram before they
    # open a chat with the bot.
    adapter = Refusing(AwaitingContact("not until worker1 writes"), {"worker1"})
    async with Bot(
        make_config(db_path), [adapter], new_store(), KeywordClassifier(), Clock()
    ) as bot:
        h = Harness(bot, adapter)
        await h.say("resident1", "楼上漏水")
        await h.say("staff1", "指派 1 worker1", chat="staff")  # worker1's notice: refused
        await bot.dispatcher.flush()
        waiting = "SELECT text FROM outbox WHERE sent_at IS NULL"
        [(notice,)] = await rows(bot.store, waiting)
        assert notice == "staff1 将工单 #1 指派给您：楼上漏水"
        [state] = await bot.store.outbox_state()
        assert (state.waiting, state.parked, state.awaiting) == (0, 0, 1)
        tries = adapter.tries
        assert await bot.dispatcher.flush() == 0 and adapter.tries == tries  # not retried
        # Talk in the group does not open their private chat; writing to the bot does.
        await h.say("worker1", "收到", chat="group")
        assert await rows(bot.store, waiting) == [(notice,)]
        adapter.exc = None
        sent = await h.say("worker1", "我的", private=True)
        assert [m.text for m in sent if m.text == notice] == [notice]
        assert await rows(bot.store, waiting) == []


class WritesWhileRefused(Refusing):
    """Refuses worker1's messages until they write; they write while the first is in flight."""

    def __init__(self) -> None:
        super().__init__(AwaitingContact("not until worker1 writes"), {"worker1"})
        self.meanwhile: Callable[[], Awaitable[None]] | None = None

    async def send(self, message: Outbound) -> str:
        if self.meanwhile is not None and message.chat_id == "worker1":
            arrives, self.meanwhile = self.meanwhile, None
            await arrives()  # their message opens the window, after this one was refused
            refusal, self.exc = self.exc, None
            assert refusal is not None
            raise refusal
        return await super().send(message)


async def test_a_message_refused_while_its_recipient_writes_does_not_wait_for_more(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Their message came in while the notice was being sent: it released nothing (the
    notice was not waiting yet), so the notice is due at once, not left for their next."""
    adapter, clock = WritesWhileRefused(), Clock()
    async with Bot(make_config(db_path), [adapter], new_store(), KeywordClassifier(), clock) as bot:
        h = Harness(bot, adapter)
        await h.say("resident1", "楼上漏水")
        writes = Inbound(
            Person(CHANNEL, "worker1", "worker1"), h.room("worker1", True), "w1", "我的"
        )

        async def meanwhile() -> None:
            clock.now += timedelta(seconds=1)  # a moment after the send began
            await bot.pipeline.handle(writes)

        adapter.meanwhile = meanwhile
        await h.say("staff1", "指派 1 worker1", chat="staff")  # the notice meets their message
        assert await rows(bot.store, "SELECT id FROM outbox WHERE sent_at IS NULL") == []
        assert "staff1 将工单 #1 指派给您：楼上漏水" in [m.text for m in adapter.sent]


UNSENT = "SELECT id, kind, edit_of, next_attempt_at LIKE '9999%' FROM outbox WHERE sent_at IS NULL"


async def test_an_edit_of_a_parked_message_becomes_its_text(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The group's acknowledgement was refused for good; the claim's edit of it would wait
    for it to be sent, and never go (a reply "waiting" for ever, to /healthz).  The parked
    acknowledgement says the new state instead, ready if it is ever sent again."""
    adapter = Refusing(PermanentFailure("Bad Request: chat not found"), {"group"})
    config = make_config(db_path)
    config.staff_chat = None
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), Clock()) as bot:
        h = Harness(bot, adapter)
        await h.say("resident1", "楼道灯坏了")
        await h.say("worker1", "认领 1", private=True)
        assert await rows(bot.store, UNSENT) == [(1, "ack", None, True)]
        [(text,)] = await rows(bot.store, "SELECT text FROM outbox WHERE id = 1")
        assert "当前：处理中（worker1）" in text
        [state] = await bot.store.outbox_state(["test"])
        assert (state.waiting, state.parked) == (0, 1)


async def test_edits_queued_while_retrying_wait_with_their_message(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The acknowledgement is being retried when the claim edits it; a day later it is
    parked, and the edit with it; sent again, both go, in order."""
    clock = Clock()
    adapter = Refusing(RuntimeError("502 Bad Gateway"), {"group"})
    config = make_config(db_path)
    config.staff_chat = None
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), clock) as bot:
        h = Harness(bot, adapter)
        await h.say("resident1", "楼道灯坏了")
        await h.say("worker1", "认领 1", private=True)
        assert [r[:3] for r in await rows(bot.store, UNSENT)] == [(1, "ack", None), (2, "edit", 1)]
        clock.now += timedelta(days=1, minutes=10)
        await bot.dispatcher.flush()
        assert await rows(bot.store, UNSENT) == [(1, "ack", None, True), (2, "edit", 1, True)]
        [state] = await bot.store.outbox_state(["test"])
        assert (state.waiting, state.parked) == (0, 2)
        adapter.exc = None
        assert (
            await bot.store.resend_parked(iso(clock.now - timedelta(days=2)), iso(clock.now)) == 2
        )
        assert await bot.dispatcher.flush() == 2
        assert [m.kind for m in adapter.sent if m.chat_id == "group"] == ["ack", "edit"]


async def test_only_the_latest_state_waits_for_a_recipient_who_must_write_first(
    db_path: Path, new_store: StoreFactory
) -> None:
    """WeChat's 48 hours: a private report's acknowledgement went out; the claim's edit of
    it, then the resolution's, were refused until the resident writes (WeChat cannot edit,
    so each is a message of its own).  Both waited, and when they wrote both went:
    当前：处理中 after 当前：已办结, news already out of date.  The later edit takes the
    waiting one's place: one message, the ticket as it is."""
    adapter = Refusing()
    config = make_config(db_path)
    config.intake_groups.append(IntakeGroup(channel=CHANNEL, chat_id="*", area="DZ"))
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), Clock()) as bot:
        h = Harness(bot, adapter)
        await h.say("resident1", "楼道灯坏了一个月", private=True)
        adapter.exc, adapter.chats = AwaitingContact("45015 past 48 hours"), {"resident1"}
        await h.say("worker1", "认领 1", private=True)
        await bot.dispatcher.flush()
        await h.say("worker1", "办结 1 已更换灯泡", private=True)
        await bot.dispatcher.flush()
        waiting = "SELECT kind, text FROM outbox WHERE sent_at IS NULL ORDER BY id"
        kinds = [kind for kind, _ in await rows(bot.store, waiting)]
        assert kinds == ["edit", "resolved"]
        [(_, edit)] = [r for r in await rows(bot.store, waiting) if r[0] == "edit"]
        assert edit.endswith("当前：已办结（worker1）")
        adapter.exc = None
        before = len(adapter.sent)
        await h.say("resident1", "谢谢", private=True)
        await bot.dispatcher.flush()
        told = [m for m in adapter.sent[before:] if m.chat_id == "resident1"]
        assert [m.kind for m in told] == ["edit", "resolved"]
        assert not any("处理中" in m.text for m in told)


async def test_the_desk_reads_what_has_not_reached_the_reporter(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A resolution notice waiting for a resident past WeChat's 48 hours: the worker and the
    staff asking after the ticket read nothing of it, and its history even said the
    follow-up visit had asked them.  `查询` and `详情` now say how many of the bot's messages to
    the reporter wait for them to write first; the resident's own `查询` does not (writing is
    what sends them), nor once they have gone."""
    adapter = Refusing()
    config = make_config(db_path)
    config.intake_groups.append(IntakeGroup(channel=CHANNEL, chat_id="*", area="DZ"))
    config.followup.delay = "0"
    config.followup.hours = ""
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), Clock()) as bot:
        h = Harness(bot, adapter)
        await h.say("resident1", "楼道灯坏了一个月", private=True)
        await h.say("worker1", "认领 1", private=True)
        adapter.exc, adapter.chats = AwaitingContact("45015 past 48 hours"), {"resident1"}
        await h.say("worker1", "办结 1 已更换灯泡", private=True)
        await bot.dispatcher.flush()
        # The resolution's notice and the follow-up question: not the acknowledgement's
        # new state, whose news the notice tells (WeChat sends none for it: `told_anew`).
        line = (
            "尚未送达反映人：2 条消息（须其先给机器人发消息，如公众号超过 48 小时未互动；"
            "其再发消息时自动补发）"
        )
        [status] = await h.say("worker1", "查询 1", private=True)
        assert status.text.endswith("\n" + line)
        [history] = await h.say("staff1", "详情 1", chat="staff")
        assert ("\n" + line + "\n") in history.text
        adapter.exc = None
        [own] = [m for m in await h.say("resident1", "查询 1", private=True) if m.kind == "reply"]
        assert "尚未送达" not in own.text
        await bot.dispatcher.flush()
        [status] = await h.say("worker1", "查询 1", private=True)
        assert "尚未送达" not in status.text


async def test_a_refusal_waits_for_the_recipients_message_in_flight(
    new_store: StoreFactory,
) -> None:
    """PostgreSQL, READ COMMITTED: the recipient's message is being handled (its transaction
    open: it released nothing, the notice was not waiting yet) when the notice's refusal is
    recorded.  The refusal waits for that transaction, then sees the message: the notice is
    due at once, not left for their next message.  (SQLite has one writer: no interleaving.)"""
    first, second = new_store(), new_store()
    if not isinstance(first, PostgresStore):
        pytest.skip("SQLite serialises writers: the two cannot interleave")
    assert isinstance(second, PostgresStore)
    tried, wrote = "2026-11-29T01:00:00.000Z", "2026-11-29T01:00:01.000Z"
    async with first, second:
        async with first.write() as tx:
            await tx.upsert_person(CHANNEL, "worker1", "worker1", "grid_worker", "DZ", tried)
            notice = Outbound(CHANNEL, "worker1", "指派给您：楼上漏水", kind="direct")
            outbox_id = await tx.enqueue(notice, tried)
        refusal: asyncio.Task[None] | None = None
        async with first.write() as tx:  # their message, handled
            person = await tx.upsert_person(CHANNEL, "worker1", "worker1", "resident", None, wrote)
            await tx.record_inbound(CHANNEL, "worker1", "w1", person.id, "我的", wrote)
            assert await tx.release_awaiting(CHANNEL, "worker1", wrote) == 0  # nothing waits
            refusal = asyncio.create_task(
                second.mark_failed(outbox_id, "refused", AWAITING_CONTACT, written_since=tried)
            )
            assert await blocked_or_done(refusal)
            assert not refusal.done()  # it waits for this transaction
        await refusal
        [(due,)] = await rows(first, f"SELECT next_attempt_at FROM outbox WHERE id = {outbox_id}")
        assert due == tried  # due now, not AWAITING_CONTACT


async def blocked_or_done(task: asyncio.Task[None]) -> bool:
    """Wait until `task` has finished or waits for the recipient's lock in PostgreSQL (read
    from the server's own view of its sessions: an event there is no callback for)."""
    dsn = await postgres_or_skip()
    conn = await asyncpg.connect(dsn)
    try:
        for _ in range(500):
            waiting = await conn.fetchval(
                """SELECT count(*) FROM pg_stat_activity
                    WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE OF p%'"""
            )
            if task.done() or waiting:
                return True
            await asyncio.sleep(0.01)
        return False
    finally:
        await conn.close()


class InParts(HarnessAdapter):
    """Sends a text line by line, as WeChat sends a long one in pieces; a line containing
    one of `failing` fails once with `exc`, after the lines before it went."""

    def __init__(self, exc: Exception, failing: set[str]) -> None:
        super().__init__()
        self.exc, self.failing = exc, failing
        self.lines: list[str] = []

    async def send(self, message: Outbound) -> str:
        sent = message.parts_sent
        for line in message.text.split("\n")[sent:]:
            if failed := {word for word in self.failing if word in line}:
                self.failing -= failed
                raise PartlySent(sent, self.exc) if sent > message.parts_sent else self.exc
            self.lines.append(line)
            sent += 1
        return await super().send(message)


PARTS = "SELECT text, parts_sent, sent_at IS NOT NULL, attempts FROM outbox WHERE id = 1"


async def test_a_text_sent_in_parts_is_retried_from_the_part_that_failed(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The acknowledgement's first line went, its second failed: the retry sends the
    second and third, not the first again (WeChat's reader got a long text's first pieces
    twice).  The row keeps its whole text, and the count of the parts that went."""
    clock = Clock()
    adapter = InParts(TemporaryFailure("500 Internal Server Error"), {"类型"})
    config = make_config(db_path)
    config.staff_chat = None
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), clock) as bot:
        h = Harness(bot, adapter)
        await h.say("resident1", "楼道灯坏了一个月")
        [(text, parts, sent, attempts)] = await rows(bot.store, PARTS)
        assert (parts, sent, attempts) == (1, False, 1)
        lines = text.split("\n")
        assert len(lines) == 3 and adapter.lines == lines[:1]
        clock.now += timedelta(minutes=5)
        assert await bot.dispatcher.flush() >= 1
        assert adapter.lines == lines  # each line once
        assert await rows(bot.store, PARTS) == [(text, 1, True, 2)]


async def test_the_rest_of_a_text_waits_for_its_recipient_and_an_edit_starts_it_again(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Refused after its first part until they write (WeChat's 48 hours): the rest goes when
    they do.  An edit folded into a row that waits says something else, so it goes whole."""
    clock = Clock()
    adapter = InParts(AwaitingContact("45015 response out of time limit"), {"第二段"})
    async with Bot(
        make_config(db_path), [adapter], new_store(), KeywordClassifier(), clock
    ) as bot:
        h = Harness(bot, adapter)
        notice = "第一段：工单 #1 已办结\n第二段：办理经过\n第三段：如仍未解决，可发送「重开 1」"
        async with bot.store.write() as tx:
            first = await tx.enqueue(Outbound(CHANNEL, "worker1", notice), iso(clock.now))
            second = await tx.enqueue(Outbound(CHANNEL, "worker1", notice), iso(clock.now))
        await bot.dispatcher.flush()
        parts = "SELECT id, parts_sent, sent_at IS NOT NULL FROM outbox ORDER BY id"
        assert await rows(bot.store, parts) == [(first, 1, False), (second, 0, True)]
        [state] = await bot.store.outbox_state([CHANNEL])
        assert state.awaiting == 1
        await h.say("worker1", "我的", private=True)  # they write: the rest of it goes
        lines = notice.split("\n")
        assert adapter.lines[:6] == lines[:1] + lines + lines[1:]
        assert (await rows(bot.store, parts))[0] == (first, 1, True)

        adapter.failing = {"第二段"}
        async with bot.store.write() as tx:
            third = await tx.enqueue(Outbound(CHANNEL, "worker1", notice), iso(clock.now))
        await bot.dispatcher.flush()
        assert (await rows(bot.store, parts))[-1] == (third, 1, False)
        edit = Outbound(CHANNEL, "worker1", "工单 #1 已重开", kind="edit")
        async with bot.store.write() as tx:  # it says something else now: whole
            assert await tx.enqueue(edit, iso(clock.now), edit_of=third) == third
        assert (await rows(bot.store, parts))[-1] == (third, 0, False)


async def test_an_edit_of_the_buttons_alone_is_queued_as_such(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The same words with other buttons (转办 takes the group's 认领 away): queued as the
    buttons alone (`buttons_only`), which Telegram edits alone and WeChat does not send, and
    not counted among what waits for its reader.  One folded into an edit that waits for its
    reader keeps that edit's news, still to be told; words that change make it whole again."""
    clock = Clock()
    adapter = HarnessAdapter()
    async with Bot(
        make_config(db_path), [adapter], new_store(), KeywordClassifier(), clock
    ) as bot:
        store, now = bot.store, iso(clock.now)
        claim, resolve = Button("认领", "/claim 1"), Button("办结", "/resolve 1")
        ack = Outbound(CHANNEL, "resident1", "已受理 #1", buttons=[claim], kind="ack")

        def edit(text: str, buttons: list[Button], news: str) -> Outbound:
            return Outbound(CHANNEL, "resident1", text, buttons=buttons, news=news)

        async with store.write() as tx:
            ack_id = await tx.enqueue(ack, now)
        await store.mark_sent(ack_id, "m1", now)
        async with store.write() as tx:
            handed = await tx.enqueue(edit("已受理 #1", [], ""), now, edit_of=ack_id)
            # The same again changes nothing: not queued.
            assert await tx.enqueue(edit("已受理 #1", [], ""), now, edit_of=ack_id) == handed
            claimed = await tx.enqueue(
                edit("已受理 #1\n当前：处理中", [resolve], "进展：处理中"), now, edit_of=ack_id
            )
        fields = "SELECT id, buttons_only, news FROM outbox WHERE edit_of IS NOT NULL ORDER BY id"
        assert await rows(store, fields) == [(handed, 1, ""), (claimed, 0, "进展：处理中")]
        # One edit of a message at a time, in order (the later waits for the earlier).
        due = await store.due_outbox(CHANNEL, now, 10)
        assert [(m.id, m.buttons_only, m.edit_message_id) for m in due] == [(handed, True, "m1")]
        await store.mark_sent(handed, "m1", now)
        due = await store.due_outbox(CHANNEL, now, 10)
        assert [(m.id, m.buttons_only, m.edit_message_id) for m in due] == [(claimed, False, "m1")]

        await store.mark_failed(claimed, "45015", AWAITING_CONTACT)
        async with store.write() as tx:
            # Its buttons alone change while it waits: it keeps its news and stays whole.
            assert await tx.enqueue(
                edit("已受理 #1\n当前：处理中", [], ""), now, edit_of=ack_id
            ) == claimed
            assert await tx.awaiting_by_chat() == [(CHANNEL, "resident1", 1)]
        assert await rows(store, fields) == [(handed, 1, ""), (claimed, 0, "进展：处理中")]
        [(buttons,)] = await rows(store, f"SELECT buttons FROM outbox WHERE id = {claimed}")
        assert buttons == "[]"

        # A buttons-only edit waiting is not said to wait; new words make it whole.
        await store.mark_sent(claimed, "m1", now)
        async with store.write() as tx:
            latest = await tx.enqueue(edit("已受理 #1\n当前：处理中", [resolve], ""), now, ack_id)
        await store.mark_failed(latest, "45015", AWAITING_CONTACT)
        async with store.write() as tx:
            assert await tx.awaiting_by_chat() == []
            assert await tx.enqueue(
                edit("已受理 #1\n当前：已办结", [], "进展：已办结"), now, ack_id
            ) == latest
            assert await tx.awaiting_by_chat() == [(CHANNEL, "resident1", 1)]
        assert (await rows(store, fields))[-1] == (latest, 0, "进展：已办结")


class FailingEdits(HarnessAdapter):
    """A platform whose next `failures` edits fail as a network error does (no retry_after:
    the outbox backs off)."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    async def send(self, message: Outbound) -> str:
        if message.edit_message_id and self.failures > 0:
            self.failures -= 1
            raise TemporaryFailure("Telegram unreachable: httpx.ReadError")
        return await super().send(message)


def edits_of(adapter: HarnessAdapter, target: str) -> list[str]:
    return [m.text for m in adapter.sent if m.edit_message_id == target]


async def test_an_acknowledgements_edits_go_in_the_order_they_were_made(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The claim's edit of the acknowledgement failed (a network error: retried after a
    back-off); the resolution's edit, queued meanwhile, went first, and the claim's retry
    put 处理中 and its 办结 button back on a resolved ticket (seen in a surge against the
    fake Bot API).  A later edit of one message waits for the earlier ones."""
    clock = Clock()
    adapter = FailingEdits(1)
    config = make_config(db_path)
    config.staff_chat = None
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), clock) as bot:
        h = Harness(bot, adapter)
        [ack] = await h.say("resident1", "楼道灯坏了")
        assert ack.kind == "ack"  # sent as m1
        await h.say("worker1", "认领 1", private=True)  # its edit fails: back in 2 s
        await h.say("worker1", "办结 1 已更换灯泡", private=True)
        assert edits_of(adapter, "m1") == []  # the resolution's edit waits for the claim's
        # Held back, it is not "due": the delivery loop sleeps until the claim's retry
        # (it counted the held edit, long due, and spun without a pause).
        due = await bot.store.next_attempt_at(["test"])
        assert due == iso(clock.now + timedelta(seconds=2))
        clock.now += timedelta(seconds=3)
        await bot.dispatcher.flush()
        claimed, resolved = edits_of(adapter, "m1")
        assert "处理中" in claimed and "已办结" in resolved  # the last word is the latest state
        assert await rows(bot.store, UNSENT) == []


async def test_an_edit_held_back_by_a_parked_edit_still_goes(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Only an earlier edit still to go holds a later one back: one refused for good
    (parked) does not keep the message's later state from being shown."""
    clock = Clock()
    adapter = Refusing(PermanentFailure("Bad Request: message can't be edited"), {"group"})
    config = make_config(db_path)
    config.staff_chat = None
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), clock) as bot:
        h = Harness(bot, adapter)
        adapter.exc = None
        await h.say("resident1", "楼道灯坏了")
        adapter.exc = PermanentFailure("Bad Request: message can't be edited")
        await h.say("worker1", "认领 1", private=True)  # its edit is parked
        adapter.exc = None
        await h.say("worker1", "办结 1 已更换灯泡", private=True)
        [resolved] = edits_of(adapter, "m1")
        assert "已办结" in resolved


async def test_rows_about_an_urgent_ticket_are_read_first(harness: Harness) -> None:
    """A surge's backlog: the urgent report's acknowledgement (【紧急】…110 / 120 / 119) and
    its staff notice were read after every row queued before them (by id), so in a busy
    group they waited behind all of them.  Now rows about a ticket that is urgent when they
    are read come first (its urgency then: raised by the desk since, its rows follow at
    once), the others in the order they were queued; an edit still waits for its message."""
    store = harness.bot.store
    for n in range(3):
        await harness.bot.pipeline.handle(inbound(f"r{n}", f"第{n}号：楼上漏水"))
    await harness.bot.pipeline.handle(inbound("fire", "3栋着火了"))
    await harness.bot.pipeline.handle(inbound("r9", "门口垃圾没人清"))
    [(urgent_id,)] = await rows(store, "SELECT id FROM tickets WHERE urgency = 'urgent'")
    queued = await rows(store, "SELECT id, ticket_id FROM outbox ORDER BY id")
    now = iso(datetime.now(UTC))

    due = await store.due_outbox(CHANNEL, now, 100)
    about_urgent = [i for i, ticket in queued if ticket == urgent_id]
    others = [i for i, ticket in queued if ticket != urgent_id]
    assert len(about_urgent) >= 2  # the acknowledgement and the staff notice
    assert [m.id for m in due] == about_urgent + others
    assert [m.urgent for m in due] == [True] * len(about_urgent) + [False] * len(others)
    # Within a batch smaller than the backlog too (the dispatcher reads 100 at a time).
    assert [m.id for m in await store.due_outbox(CHANNEL, now, 2)] == about_urgent[:2]

    # Raised to urgent by the desk after its rows were queued: they go next.
    raised = queued[0][1]
    async with store.write() as tx:
        await tx.retag(raised, "neighbour", "urgent", now)
    due = await store.due_outbox(CHANNEL, now, 100)
    first = [m.ticket_id for m in due if m.urgent]
    assert set(first) == {urgent_id, raised} and len(first) == len(about_urgent) + sum(
        1 for _, ticket in queued if ticket == raised
    )
    assert [m.id for m in due if not m.urgent] == sorted(m.id for m in due if not m.urgent)

    # An edit of the urgent acknowledgement waits for it, however urgent.
    ack = about_urgent[0]
    async with store.write() as tx:
        edit = await tx.enqueue(
            Outbound(CHANNEL, "group", "【紧急】已受理\n当前：处理中", ticket_id=urgent_id),
            now,
            edit_of=ack,
        )
    assert edit not in [m.id for m in await store.due_outbox(CHANNEL, now, 100)]
    await store.mark_sent(ack, "m1", now)
    due = await store.due_outbox(CHANNEL, now, 100)
    assert due[0].urgent and edit in [m.id for m in due if m.urgent]


def inbound(message_id: str, text: str, user: str = "resident1") -> Inbound:
    return Inbound(
        sender=Person(CHANNEL, user, user),
        room=Room(CHANNEL, "group"),
        message_id=message_id,
        text=text,
    )


async def test_due_answers_are_the_replies_to_callbacks_still_open(
    new_store: StoreFactory,
) -> None:
    """`due_answers`, on both engines: the due rows of the channel replying to one of the
    waiting (chat, message); not another chat's reply to a message of that id, not a reply
    to another message, no edit, no file, nothing not yet due or sent."""
    from bot.adapters.base import Document

    at, later = "2026-11-29T01:00:00.000Z", "2026-11-29T01:05:00.000Z"
    waiting = [("c1", "m1"), ("c3", "m9")]

    def reply(
        chat: str, to: str | None, text: str = "回复", document: Document | None = None
    ) -> Outbound:
        return Outbound("wecom", chat, text, reply_to_message_id=to, document=document)

    async with new_store() as store:
        async with store.write() as tx:
            wanted = await tx.enqueue(reply("c1", "m1"), at)
            await tx.enqueue(reply("c1", "m2"), at)
            await tx.enqueue(reply("c2", "m1"), at)
            await tx.enqueue(reply("c1", None), at)
            await tx.enqueue(reply("c1", "m1", text="改"), at, edit_of=wanted)
            file = Document("台账.csv", "text/csv", '{"ledger": {}}')
            await tx.enqueue(reply("c1", "m1", document=file), at)
            other = Outbound("official_account", "c1", "别的渠道", reply_to_message_id="m1")
            await tx.enqueue(other, at)
            second = await tx.enqueue(reply("c1", "m1", text="第二条"), at)
            await tx.enqueue(reply("c1", "m1", text="稍后"), later)
        assert [m.id for m in await store.due_answers("wecom", waiting, at)] == [wanted, second]
        assert await store.due_answers("wecom", [], at) == []
        await store.mark_sent(wanted, "passive-1", at)
        assert [m.id for m in await store.due_answers("wecom", waiting, at)] == [second]
