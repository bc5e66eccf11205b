"""Concurrency and restarts: commands racing on one ticket, the same message twice, two
processes on one database, and stopping in the middle of things; on both engines."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import asyncpg
import pytest

from bot.adapters.base import Inbound, InboundHandler, InboundJournal, Outbound, Person, Room
from bot.adapters.harness import CHANNEL, Harness, HarnessAdapter
from bot.app import Bot
from bot.clock import iso, utc_now
from bot.desk.rating import CORRECTABLE, correctable
from bot.outbox import LEASE, StoredRows
from storage import SQLiteStore
from storage.base import AlreadyFiled, NewTicket, TicketRecord
from storage.postgres import PostgresStore
from storage.sql import SQLTx
from tests.conftest import POSTGRES_DSN, KeywordClassifier, StoreFactory, make_config, rows
from tests.test_outbox import Clock

REPORT = "楼上邻居半夜装修，吵得老人睡不着"


def message(user: str, text: str, message_id: str, chat: str = "group") -> Inbound:
    return Inbound(Person(CHANNEL, user, user), Room(CHANNEL, chat), message_id, text)


class WatchedLock(asyncio.Lock):
    """The SQLite store's lock, saying when a task has to wait for it."""

    def __init__(self) -> None:
        super().__init__()
        self.contended = asyncio.Event()

    async def acquire(self) -> Literal[True]:
        if self.locked():
            self.contended.set()
        return await super().acquire()


async def until_done_or_blocked(task: asyncio.Task[Any], bot: Bot, holder: int | None) -> None:
    """Wait until `task` has finished, or waits for what the paused transaction holds: the
    SQLite store's lock, or (PostgreSQL) a lock of the backend `holder`."""
    store = bot.store
    if isinstance(store, SQLiteStore):
        assert isinstance(store._lock, WatchedLock)
        contended = asyncio.create_task(store._lock.contended.wait())
        await asyncio.wait({task, contended}, return_when=asyncio.FIRST_COMPLETED)
        contended.cancel()
        return
    assert isinstance(store, PostgresStore)
    await until_done_or_waiting_on(task, holder)


async def until_done_or_waiting_on(task: asyncio.Task[Any], holder: int | None) -> None:
    """PostgreSQL: wait until `task` has finished, or waits for a lock of backend `holder`."""
    conn = await asyncpg.connect(POSTGRES_DSN)
    try:
        query = "SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))"
        # A state of the server, which no event announces: polled.
        while not task.done() and not await conn.fetchval(query, holder):  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    finally:
        await conn.close()


async def race(bot: Bot, first: Inbound, second: Inbound, monkeypatch: pytest.MonkeyPatch) -> None:
    """`first` is handled up to its first read of a ticket and held there; `second` is
    handled meanwhile, until it finishes or waits for `first`; then `first` goes on."""
    if isinstance(bot.store, SQLiteStore):
        bot.store._lock = WatchedLock()
    original = SQLTx.ticket
    paused, go = asyncio.Event(), asyncio.Event()
    holder: list[int] = []
    handling: list[asyncio.Task[Any] | None] = [None]

    async def ticket(self: SQLTx, ticket_id: int, *args: Any, **kw: Any) -> TicketRecord | None:
        found = await original(self, ticket_id, *args, **kw)
        if asyncio.current_task() is handling[0] and not paused.is_set():
            if self.dialect == "postgres":
                row = await self._one("SELECT pg_backend_pid() AS pid")
                assert row is not None
                holder.append(int(row["pid"]))
            paused.set()
            await go.wait()
        return found

    monkeypatch.setattr(SQLTx, "ticket", ticket)
    async with asyncio.timeout(30):
        one = asyncio.create_task(bot.pipeline.handle(first))
        handling[0] = one
        await paused.wait()
        two = asyncio.create_task(bot.pipeline.handle(second))
        await until_done_or_blocked(two, bot, holder[0] if holder else None)
        go.set()
        await asyncio.gather(one, two)
    monkeypatch.setattr(SQLTx, "ticket", original)
    await bot.dispatcher.flush()


async def state(bot: Bot) -> tuple[str, str | None, list[str]]:
    """Ticket 1's status, who holds it, and its history's actions."""
    async with bot.store.read() as tx:
        ticket = await tx.ticket(1)
        assert ticket is not None
        holder = await tx.person(ticket.assignee_id) if ticket.assignee_id else None
        events = [e.action for e in await tx.events(1)]
    return ticket.status, holder.user_id if holder else None, events


async def test_an_assignment_read_before_a_claim_does_not_overwrite_it_unheard(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Staff's 指派 read the ticket unclaimed; a worker's 认领 committed meanwhile (another
    process, PostgreSQL); the assignment then went ahead on what it had read: the claimer
    was never told the case was taken from them, and its history said "from new"."""
    await harness.say("resident1", REPORT)
    before = len(harness.adapter.sent)
    await race(
        harness.bot,
        message("staff1", "指派 1 worker2", "a1", chat="staff"),
        message("worker1", "认领 1", "c1"),
        monkeypatch,
    )
    said = [m.text for m in harness.adapter.sent[before:] if m.kind != "edit"]
    assert await state(harness.bot) == ("claimed", "worker2", ["created", "assign"])
    assert "认领未成功：工单 #1 已由 worker2 认领。" in said


async def test_a_resolution_read_before_a_reassignment_is_refused(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """worker1's 办结 read the ticket as theirs; staff assigned it to worker2 meanwhile,
    and worker2 was told it was theirs; the resolution then went through on worker2's
    ticket, and set its holder back to worker1."""
    await harness.say("resident1", REPORT)
    await harness.say("worker1", "认领 1")
    before = len(harness.adapter.sent)
    await race(
        harness.bot,
        message("worker1", "办结 1 已调解", "r1"),
        message("staff1", "指派 1 worker2", "a1", chat="staff"),
        monkeypatch,
    )
    said = [m.text for m in harness.adapter.sent[before:] if m.kind != "edit"]
    assert await state(harness.bot) == ("resolved", "worker1", ["created", "claim", "resolve"])
    assert "工单 #1 当前为「已办结」，不能指派。" in said
    assert not any("指派给您" in text for text in said)


async def test_a_withdrawal_read_before_a_claim_is_not_lost_on_the_claimer(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reporter's 撤回 read the ticket unclaimed; a worker claimed it meanwhile and was
    told it was theirs; the withdrawal then ended it, and the worker heard nothing."""
    await harness.say("resident1", REPORT)
    before = len(harness.adapter.sent)
    await race(
        harness.bot,
        message("resident1", "撤回 1 我们自己谈好了", "w1"),
        message("worker1", "认领 1", "c1"),
        monkeypatch,
    )
    said = [m.text for m in harness.adapter.sent[before:] if m.kind != "edit"]
    assert await state(harness.bot) == ("resolved", None, ["created", "withdraw"])
    assert "工单 #1 当前为「已撤回」，不能认领。" in said
    assert "工单 #1 已由 worker1 认领。" not in said


async def test_a_double_tap_on_claim_is_not_told_it_failed(harness: Harness) -> None:
    """Two presses of one 认领 button, handled together: one claim, and the worker now
    holding it is not told in front of the group that their claim failed."""
    ack = (await harness.say("resident1", REPORT))[0]
    command = ack.buttons[0].command
    presses = [
        Inbound(
            Person(CHANNEL, "worker1", "worker1"),
            Room(CHANNEL, "group"),
            f"cb:{n}",
            command,
            is_button=True,
        )
        for n in range(2)
    ]
    before = len(harness.adapter.sent)
    await asyncio.gather(*(harness.bot.pipeline.handle(p) for p in presses))
    await harness.bot.dispatcher.flush()
    replies = sorted(m.text for m in harness.adapter.sent[before:] if m.kind == "reply")
    assert replies == ["工单 #1 已由 worker1 认领。", "工单 #1 已由您认领。"]
    assert (await state(harness.bot))[2] == ["created", "claim"]


async def test_a_write_cancelled_before_its_begin_ran_leaves_no_transaction_open(
    db_path: Path,
) -> None:
    """SQLite: a write cancelled while its BEGIN waited in aiosqlite's thread (the bot
    stopping in the middle of a message) was rolled back only if a transaction was open
    as it looked; the BEGIN ran after, and every later write failed with "cannot start a
    transaction within a transaction"."""
    async with SQLiteStore(db_path) as store:
        started, go = threading.Event(), threading.Event()

        def hold() -> int:  # keeps aiosqlite's thread busy, as a slow statement would
            started.set()
            go.wait(10)
            return 1

        await store.db.create_function("hold", 0, hold)
        holding = asyncio.create_task(store.db.execute("SELECT hold()"))
        await asyncio.to_thread(started.wait, 10)

        async def write() -> None:
            async with store.write() as tx:
                await tx.set_lang(1, "en")

        writing = asyncio.create_task(write())
        await asyncio.sleep(0)  # its BEGIN is queued behind hold()
        writing.cancel()
        await asyncio.sleep(0)  # its rollback is decided (and queued) before the BEGIN runs
        go.set()
        with pytest.raises(asyncio.CancelledError):
            await writing
        await holding
        async with store.write() as tx:  # "cannot start a transaction within a transaction"
            person = await tx.upsert_person(CHANNEL, "resident1", "r", "resident", None, "t")
        assert person.user_id == "resident1"


async def test_one_message_delivered_four_times_across_two_processes(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A platform's retries (Telegram's, WeChat's within its 5 s) reaching two processes
    at once: one ticket, one acknowledgement; and a resident's four reports of one matter
    at once: one ticket, the rest added to it."""
    config = make_config(db_path)
    adapters = [HarnessAdapter(), HarnessAdapter()]
    async with (
        Bot(config, [adapters[0]], new_store(), KeywordClassifier()) as one,
        Bot(config, [adapters[1]], new_store(), KeywordClassifier()) as two,
    ):
        bots = [one, two, one, two]
        same = message("resident1", REPORT, "m1")
        handled = await asyncio.gather(*(bot.pipeline.handle(same) for bot in bots))
        assert sorted(handled) == [False, False, False, True]
        said = [message("resident2", "村口垃圾堆了一个月没人清理", f"r{n}") for n in range(4)]
        await asyncio.gather(*(b.pipeline.handle(m) for b, m in zip(bots, said, strict=True)))
        await asyncio.gather(one.dispatcher.flush(), two.dispatcher.flush())
        acks = sorted(m.text[:10] for a in adapters for m in a.sent if m.kind == "ack")
        assert acks == ["已受理，工单号 #1", "已受理，工单号 #2"]
        events = "SELECT ticket_id, action FROM ticket_events ORDER BY id"
        assert sorted(await rows(one.store, events)) == [
            (1, "created"),
            (2, "addendum"),
            (2, "addendum"),
            (2, "addendum"),
            (2, "created"),
        ]


async def test_two_processes_deliver_each_reply_once(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Two processes on one database (a rolling restart; several on PostgreSQL) both read
    the same due rows, and each sent every one of them."""
    config = make_config(db_path)
    adapters = [HarnessAdapter(), HarnessAdapter()]
    async with (
        Bot(config, [adapters[0]], new_store(), KeywordClassifier()) as one,
        Bot(config, [adapters[1]], new_store(), KeywordClassifier()) as two,
    ):
        for n in range(10):
            await one.pipeline.handle(message(f"resident{n}", f"{REPORT}（{n}楼）", f"m{n}"))
        delivered = await asyncio.gather(one.dispatcher.flush(), two.dispatcher.flush())
        sent = [m.id for a in adapters for m in a.sent]
        assert sum(delivered) == len(sent) == len(set(sent)) == 20  # an ack, a staff notice


class Stalled(HarnessAdapter):
    """A platform that has taken the message and not answered yet; `answer` lets it."""

    def __init__(self) -> None:
        super().__init__()
        self.taken: list[str] = []
        self.sending = asyncio.Event()
        self.answer = asyncio.Event()
        self.on_send: Callable[[], Awaitable[None]] | None = None

    async def send(self, message: Outbound) -> str:
        self.taken.append(message.text)
        self.sending.set()
        if self.on_send is not None:
            await self.on_send()
        await self.answer.wait()
        return await super().send(message)


async def test_a_row_taken_by_a_process_that_died_goes_after_its_lease(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A process killed in the middle of a send leaves its row taken: the next process
    sends it once the lease has passed, not before (the other may still be sending it)."""
    config, clock = make_config(db_path), Clock()
    adapter = HarnessAdapter()
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), clock) as bot:
        await bot.pipeline.handle(message("resident1", REPORT, "m1"))
        now = iso(clock.now)
        assert await bot.store.claim_outbox(1, now, iso(clock.now + LEASE))  # and died
        assert not await bot.store.claim_outbox(1, now, iso(clock.now + LEASE))
        assert await bot.dispatcher.flush() == 1  # the staff notice, queued after it
        clock.now += LEASE
        assert await bot.dispatcher.flush() == 1
    assert [m.kind for m in adapter.sent] == ["staff", "ack"]


async def test_a_send_cut_off_is_given_back_at_once(db_path: Path, new_store: StoreFactory) -> None:
    """A send cancelled under way (a stop that could not wait) leaves no lease behind: its
    process sends it no more, so the next start sends it at once."""
    config, clock = make_config(db_path), Clock()
    stalled = Stalled()
    async with Bot(config, [stalled], new_store(), KeywordClassifier(), clock) as bot:
        await bot.pipeline.handle(message("resident1", REPORT, "m1"))
        delivery = asyncio.create_task(bot.dispatcher.flush())
        await stalled.sending.wait()
        delivery.cancel()
        with pytest.raises(asyncio.CancelledError):
            await delivery
    adapter = HarnessAdapter()
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), clock) as bot:
        assert await bot.dispatcher.flush() == 2
    assert [m.kind for m in adapter.sent] == ["ack", "staff"]


async def test_stopping_lets_the_send_under_way_finish(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The bot stopped while the platform was taking a reply: the send was cancelled, the
    row left unsent, and the reply sent again at the next start."""
    config = make_config(db_path)
    stalled, leave = Stalled(), asyncio.Event()

    async def stop_now() -> None:  # the stop comes while the platform has the reply
        leave.set()
        await asyncio.sleep(0)  # the bot begins to stop
        stalled.answer.set()

    async def running() -> None:
        async with Bot(config, [stalled], new_store(), KeywordClassifier()) as bot:
            bot.start_delivery()
            stalled.on_send = stop_now
            await bot.pipeline.handle(message("resident1", REPORT, "m1"))
            await leave.wait()

    async with asyncio.timeout(30):
        await running()
        adapter = HarnessAdapter()
        async with Bot(config, [adapter], new_store(), KeywordClassifier()) as bot:
            await bot.dispatcher.flush()
    taken = stalled.taken + [m.text for m in adapter.sent]
    assert len(taken) == len(set(taken)) == 2  # the ack and the staff notice, once each


class Platform(HarnessAdapter):
    """A channel adapter recording what happens to it, whose first send waits until the
    bot stops receiving (the platform answers meanwhile)."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []
        self.handle: InboundHandler | None = None
        self.sending = asyncio.Event()
        self.answer = asyncio.Event()

    async def start(self, handle: InboundHandler, journal: InboundJournal | None = None) -> None:
        self.handle = handle

    async def stop_receiving(self) -> None:
        self.events.append("receiving stopped")
        self.answer.set()

    async def stop(self) -> None:
        self.events.append("closed")

    def routes(self) -> list[Any]:
        return []

    async def send(self, message: Outbound) -> str:
        if "closed" in self.events:
            raise RuntimeError("the connection is closed")
        self.sending.set()
        await self.answer.wait()
        self.events.append(f"sent {message.kind}")
        return await super().send(message)


async def test_stopping_closes_the_platform_after_the_send_under_way(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The platforms' connections closed while a send was under way: it failed halfway
    (Telegram's client closed under it) and went again at the next start."""
    config = make_config(db_path)
    platform = Platform()
    async with asyncio.timeout(30):  # and nothing hangs: the database closes
        async with Bot(config, [platform], new_store(), KeywordClassifier()) as bot:
            ready = asyncio.Event()
            serving = asyncio.create_task(bot.serve([platform], ready))
            await ready.wait()
            assert platform.handle is not None
            await platform.handle(message("resident1", REPORT, "m1"))
            await platform.sending.wait()
            serving.cancel()
            with pytest.raises(asyncio.CancelledError):
                await serving
        assert platform.events == ["receiving stopped", "sent ack", "closed"]
        adapter = HarnessAdapter()
        async with Bot(config, [adapter], new_store(), KeywordClassifier()) as bot:
            await bot.dispatcher.flush()
    assert [m.kind for m in adapter.sent] == ["staff"]  # what was not sent yet; not the ack


async def test_a_message_cut_off_in_its_transaction_is_handled_whole_when_it_comes_again(
    db_path: Path, new_store: StoreFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed between storing the ticket and queueing its acknowledgement: nothing of it
    stays, the database closes, and the platform's redelivery files it once."""
    config = make_config(db_path)
    original, inside = SQLTx.create_ticket, asyncio.Event()

    async def create_ticket(self: SQLTx, ticket: Any) -> TicketRecord:
        made = await original(self, ticket)
        inside.set()
        await asyncio.Event().wait()  # until killed
        return made

    report = message("resident1", REPORT, "m1")
    async with asyncio.timeout(30):
        async with Bot(config, [HarnessAdapter()], new_store(), KeywordClassifier()) as bot:
            monkeypatch.setattr(SQLTx, "create_ticket", create_ticket)
            handling = asyncio.create_task(bot.pipeline.handle(report))
            await inside.wait()
            handling.cancel()
            with pytest.raises(asyncio.CancelledError):
                await handling
        monkeypatch.setattr(SQLTx, "create_ticket", original)
        adapter = HarnessAdapter()
        async with Bot(config, [adapter], new_store(), KeywordClassifier()) as bot:
            assert await rows(bot.store, "SELECT id FROM inbound_messages") == []
            assert await bot.pipeline.handle(report)
            await bot.dispatcher.flush()
    assert [m.kind for m in adapter.sent] == ["ack", "staff"]


async def test_ticket_numbers_do_not_skip(new_store: StoreFactory) -> None:
    """A filing rolled back (a message retried, a deadlock) gives its number to the next
    one, and filings in several transactions at once take consecutive numbers: a ledger
    whose numbers skip reads as tickets removed.  (PostgreSQL's identity column burned one
    in every rollback.)"""

    def report(n: int, person_id: int) -> NewTicket:
        return NewTicket(
            *("test", "group", f"m{n}", "DZ", person_id, REPORT, "neighbour", 0.9),
            *("normal", 0.8, (), False, "2026-12-01T00:00:00.000Z"),
        )

    async with new_store() as store, new_store() as other:
        async with store.write() as tx:
            person = await tx.upsert_person(CHANNEL, "resident1", "r", "resident", None, "t")
        with pytest.raises(RuntimeError, match="rolled back"):
            async with store.write() as tx:
                await tx.create_ticket(report(0, person.id))
                raise RuntimeError("rolled back")

        async def file(on: Any, n: int) -> int:
            async with on.write() as tx:
                ticket: TicketRecord = await tx.create_ticket(report(n, person.id))
                return ticket.id

        filed = await asyncio.gather(*(file((store, other)[n % 2], n) for n in range(1, 9)))
        assert sorted(filed) == list(range(1, 9))


@pytest.mark.parametrize("first_ends", ["committed", "rolled back"])
async def test_a_work_order_filed_by_another_import_meanwhile(
    new_store: StoreFactory, first_ends: str
) -> None:
    """Two `db import`s file one 12345 work order at once, neither having found it filed:
    the second's filing waits for the first's transaction.  That committed, the second is
    turned away with the first's ticket (`AlreadyFiled`, not the engine's unique-key
    error), its number given to nobody; that rolled back, the second files the order."""

    def order(person_id: int) -> NewTicket:
        return NewTicket(
            *("hotline", "12345", "A001", None, person_id, REPORT, "neighbour", 0.9),
            *("normal", 0.8, (), True, "2026-12-01T00:00:00.000Z"), source="hotline",
        )

    async with new_store() as store, new_store() as other:
        if isinstance(store, SQLiteStore):  # one process's imports wait for its lock
            other = store
            store._lock = WatchedLock()
        async with store.write() as tx:
            caller = await tx.upsert_person("hotline", "13812345678", "张三", "resident", None, "t")
        holding, end = asyncio.Event(), asyncio.Event()
        holder: list[int] = []

        async def first() -> int:
            async with store.write() as tx:
                ticket = await tx.create_ticket(order(caller.id))
                if isinstance(store, PostgresStore):
                    assert isinstance(tx, SQLTx)
                    row = await tx._one("SELECT pg_backend_pid() AS pid")
                    assert row is not None
                    holder.append(int(row["pid"]))
                holding.set()
                await end.wait()
                if first_ends == "rolled back":
                    raise RuntimeError(first_ends)
                return ticket.id

        async def second() -> int:
            async with other.write() as tx:
                return (await tx.create_ticket(order(caller.id))).id

        async with asyncio.timeout(30):
            one = asyncio.create_task(first())
            await holding.wait()
            two = asyncio.create_task(second())
            if isinstance(store, SQLiteStore):
                assert isinstance(store._lock, WatchedLock)
                await store._lock.contended.wait()
            else:
                await until_done_or_waiting_on(two, holder[0])
            assert not two.done()  # it waits for the first's transaction to end
            end.set()
            if first_ends == "committed":
                assert await one == 1
                with pytest.raises(AlreadyFiled) as turned_away:
                    await two
                assert turned_away.value.ticket == 1
            else:
                with pytest.raises(RuntimeError, match="rolled back"):
                    await one
                assert await two == 1
        assert await rows(store, "SELECT id, message_id FROM tickets") == [(1, "A001")]
        assert await rows(store, "SELECT last FROM ticket_numbers") == [(1,)]


async def words_rated(bot: Bot, adapter: HarnessAdapter) -> None:
    """#1 by resident1, resolved by worker1, its visit answered 「修好了」 (满意 read from
    words, which the reporter may correct once)."""
    h = Harness(bot, adapter)
    await h.say("resident1", REPORT)
    await h.say("resident1", "你好", private=True)
    await h.say("worker1", "认领 1")
    await h.say("worker1", "办结 1 已上门调解")
    read = await h.say("resident1", "修好了", private=True)
    assert read[0].text.startswith("已记录您对工单 #1 的评价：满意。")


async def test_two_corrections_at_once_apply_one(db_path: Path, new_store: StoreFactory) -> None:
    """A rating read from words is corrected once: two corrections handled at the same
    moment by two processes (a button and a typed answer) apply one, and the other is told
    it was rated already; one correction in the history.  End to end: here the sender's row
    (PostgreSQL) or the one writer (SQLite) orders the two already; the storage's own check,
    whatever the order, is the next two tests'."""
    config = make_config(db_path)
    adapters = [HarnessAdapter(), HarnessAdapter()]
    async with (
        Bot(config, [adapters[0]], new_store(), KeywordClassifier()) as one,
        Bot(config, [adapters[1]], new_store(), KeywordClassifier()) as two,
    ):
        await words_rated(one, adapters[0])
        await one.dispatcher.flush()
        before = [len(a.sent) for a in adapters]
        room, resident = Room(CHANNEL, "resident1", is_private=True), Person(CHANNEL, "resident1")
        said = [
            Inbound(resident, room, "c1", "基本满意 1"),
            Inbound(resident, room, "c2", "不满意 1 其实没修好"),
        ]
        await asyncio.gather(one.pipeline.handle(said[0]), two.pipeline.handle(said[1]))
        await asyncio.gather(one.dispatcher.flush(), two.dispatcher.flush())
        answers = [
            m.text for a, n in zip(adapters, before, strict=True) for m in a.sent[n:]
            if m.chat_id == "resident1"
        ]
        assert len(answers) == 2
        assert sum(t.startswith("您已评价过工单 #1") for t in answers) == 1
        [(rating, via)] = await rows(one.store, "SELECT rating, rated_via FROM followups")
        assert via == "correction" and rating in ("fair", "unsatisfied")
        async with one.store.read() as tx:
            rates = [e.payload for e in await tx.events(1) if e.action == "rate"]
        assert [(p["rating"], p["via"]) for p in rates] == [
            ("satisfied", "words"), (rating, "correction")
        ]


async def test_corrections_read_before_either_wrote_apply_one(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The check is the write: both processes read the rating as still correctable, then
    both correct it; one conditional update is applied (it was read-then-write, and both
    were)."""
    config = make_config(db_path)
    adapters = [HarnessAdapter(), HarnessAdapter()]
    async with (
        Bot(config, [adapters[0]], new_store(), KeywordClassifier()) as one,
        Bot(config, [adapters[1]], new_store(), KeywordClassifier()) as two,
    ):
        await words_rated(one, adapters[0])
        for bot in (one, two):
            async with bot.store.read() as tx:
                visit = await tx.latest_followup(1)
                assert visit is not None and correctable(visit)

        async def correct(bot: Bot, rating: str) -> bool:
            assert visit is not None
            async with bot.store.write() as tx:
                return await tx.correct_rating(visit.id, CORRECTABLE, rating, iso(utc_now()))

        won = await asyncio.gather(correct(one, "fair"), correct(two, "unsatisfied"))
        assert sorted(won) == [False, True]
        rating = "fair" if won[0] else "unsatisfied"
        assert await rows(one.store, "SELECT rating, rated_via FROM followups") == [
            (rating, "correction")
        ]


async def test_a_correction_waiting_for_another_finds_it_taken(
    db_path: Path, new_store: StoreFactory
) -> None:
    """PostgreSQL: the second correction waits for the first's row lock while it is not yet
    committed, and on its commit finds the row corrected: no second correction."""
    config = make_config(db_path)
    adapters = [HarnessAdapter(), HarnessAdapter()]
    async with (
        Bot(config, [adapters[0]], new_store(), KeywordClassifier()) as one,
        Bot(config, [adapters[1]], new_store(), KeywordClassifier()) as two,
    ):
        if not isinstance(one.store, PostgresStore):
            pytest.skip("SQLite writes one transaction at a time: nothing waits inside one")
        await words_rated(one, adapters[0])
        async with one.store.read() as tx:
            visit = await tx.latest_followup(1)
        assert visit is not None
        at = iso(utc_now())

        async def second() -> bool:
            async with two.store.write() as tx:
                return await tx.correct_rating(visit.id, CORRECTABLE, "unsatisfied", at)

        async with asyncio.timeout(30):
            async with one.store.write() as tx:
                assert await tx.correct_rating(visit.id, CORRECTABLE, "fair", at)
                row = await tx._one("SELECT pg_backend_pid() AS pid")
                assert row is not None
                waiting = asyncio.create_task(second())
                await until_done_or_blocked(waiting, two, int(row["pid"]))
                assert not waiting.done()  # it waits for this transaction
            assert await waiting is False
        assert await rows(one.store, "SELECT rating, rated_via FROM followups") == [
            ("fair", "correction")
        ]


async def test_two_processes_cannot_both_take_a_groups_last_place(
    new_store: StoreFactory,
) -> None:
    """Thirty sends into one group wanted at once by two processes, twenty a minute
    allowed: twenty are taken, whichever process asks; the rest are told to wait until the
    earliest of those is a minute old.  A send counts from when it was made (`stamp_sends`),
    not from when its place was taken."""
    async with new_store() as one, new_store() as two:
        chat, t0, t1 = "-1001", "2026-03-02T08:00:00.000Z", "2026-03-02T08:00:00.500Z"
        asked = [
            store.take_sends("telegram", chat, t0, 1, [("2026-03-02T07:59:00.000Z", 20)])
            for store in [one, two] * 15
        ]
        taken = await asyncio.gather(*asked)
        assert taken.count(None) == 20
        assert [t for t in taken if t is not None] == [[t0]] * 10
        await one.stamp_sends("telegram", chat, t0, t1, 20)
        # A minute after they were taken, not yet after they were made.
        later, since = "2026-03-02T08:01:00.100Z", "2026-03-02T08:00:00.100Z"
        assert await two.take_sends("telegram", chat, later, 1, [(since, 20)]) == [t1]
        assert await two.take_sends("telegram", "-2002", later, 1, [(since, 20)]) is None
        later, since = "2026-03-02T08:01:00.501Z", "2026-03-02T08:00:00.501Z"
        assert await two.take_sends("telegram", chat, later, 20, [(since, 20)]) is None


async def test_a_digests_rows_are_taken_like_the_row_the_outbox_hands_over(
    new_store: StoreFactory,
) -> None:
    """Rows waiting in one process's digest, due at its time: the digest takes those no
    other process took (one the other process is sending is left to it), the other process
    cannot take them while the digest is sent, and they are marked sent with it or given
    back, due when the digest waits until."""
    async with new_store() as one, new_store() as two:
        t0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
        async with one.write() as tx:
            ids = [
                await tx.enqueue(Outbound(CHANNEL, "-1001", f"#{n}", kind="ack"), iso(t0))
                for n in range(4)
            ]
        # The other process is sending the first; the last is put off by a millisecond.
        assert await two.claim_outbox(ids[0], iso(t0), iso(t0 + LEASE))
        await one.mark_failed(ids[3], "group rate limit", iso(t0 + timedelta(milliseconds=1)))
        clock = Clock()
        clock.now = t0
        digest = StoredRows(one, clock, LEASE)
        taken = await digest.take(ids)
        assert taken == set(ids[1:])
        for outbox_id in taken:  # the other process cannot take them meanwhile
            assert not await two.claim_outbox(outbox_id, iso(t0 + timedelta(seconds=5)), iso(t0))
        await digest.give_back([ids[1]], 3.0)  # the digest waits 3 s: so does its row
        await digest.sent({ids[2]: "55:2", ids[3]: "55:3"})
        due = await two.due_outbox(CHANNEL, iso(t0 + timedelta(seconds=3)), 10)
        assert [m.id for m in due] == [ids[1]]
        sent = "SELECT id, platform_message_id FROM outbox WHERE sent_at IS NOT NULL ORDER BY id"
        assert await rows(one, sent) == [(ids[2], "55:2"), (ids[3], "55:3")]


async def test_two_admins_demoting_each_other_at_once_leave_one(
    new_store: StoreFactory,
) -> None:
    """PostgreSQL: `/grant` reads the admins under a lock before demoting one (the last admin
    may not be).  Two admins demoting each other at once each read the other still admin,
    and both went.  The second now waits for the first, then reads it as it left them."""
    async with new_store() as one, new_store() as two:
        if not isinstance(one, PostgresStore):
            pytest.skip("SQLite writes one transaction at a time: nothing reads at once")
        at = iso(utc_now())
        async with one.write() as tx:
            a = await tx.upsert_person(CHANNEL, "a", "a", "admin", None, at)
            b = await tx.upsert_person(CHANNEL, "b", "b", "admin", None, at)

        async def second() -> list[int]:
            async with two.write() as tx:
                return [p.id for p in await tx.people_with_role("admin", lock=True)]

        async with asyncio.timeout(30):
            async with one.write() as tx:
                assert [p.id for p in await tx.people_with_role("admin", lock=True)] == [
                    a.id, b.id
                ]
                await tx.set_role(b.id, "staff", None)
                row = await tx._one("SELECT pg_backend_pid() AS pid")
                assert row is not None
                waiting = asyncio.create_task(second())
                await until_done_or_waiting_on(waiting, int(row["pid"]))
                assert not waiting.done()  # it waits for this transaction's demotion
            assert await waiting == [a.id]  # b is no admin now: a is the last


async def test_a_chats_record_keeps_a_minute_and_an_hour_at_once(
    new_store: StoreFactory,
) -> None:
    """WeCom's 30 a minute and 1,000 an hour to one member, kept in one record: a take
    that fits the hour but not the minute records nothing and names the minute's blocking
    send (and the hour's room as None); the minute's take does not forget the hour's sends."""
    async with new_store() as store:
        chat, early, t0 = "wangwg", "2026-03-02T07:30:00.000Z", "2026-03-02T08:00:00.000Z"
        minute, hour = "2026-03-02T07:59:00.000Z", "2026-03-02T07:00:00.000Z"
        assert await store.take_sends("wecom", chat, early, 970, [(hour, 1000)]) is None
        both = [(minute, 30), (hour, 1000)]
        assert await store.take_sends("wecom", chat, t0, 30, both) is None
        assert await store.take_sends("wecom", chat, t0, 1, both) == [t0, early]
        later = "2026-03-02T08:01:00.000Z"
        both = [("2026-03-02T08:00:00.500Z", 30), ("2026-03-02T07:01:00.000Z", 1000)]
        assert await store.take_sends("wecom", chat, later, 1, both) == [None, early]
