"""Stopping the bot loses no message: a WeChat message answered `success` and cut off by a
stop is kept and handled at the next start (`bot.journal`), and a request stuck when the
HTTP server closes is cut off after `bot.http.SHUTDOWN_GRACE` instead of holding the stop.

WeChat callbacks are signed and encrypted with wechatpy's real crypto, as in
tests/test_wechat.py; blocked handling waits on an asyncio.Event, never a sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

import bot.adapters.wechat_callback as wechat_callback
from bot.adapters.base import Attachment, Inbound, Outbound, Person, Room
from bot.adapters.harness import Harness
from bot.adapters.wechat import WeComAdapter
from bot.app import Bot
from bot.config import Config
from bot.http import build_app
from bot.journal import LEFT_BEHIND, decode, encode
from bot.pipeline import Pipeline
from storage import SQLiteStore, Store
from tests.conftest import StoreFactory, port_of, rows
from tests.fake_telegram import FakeTelegram
from tests.fake_wechat import FakeWeChat, running_server
from tests.test_supervision import Desk
from tests.test_wechat import (
    AGENT_ID,
    CORP_ID,
    RESIDENT,
    FakeClassifier,
    Posted,
    make_config,
    message_xml,
    wecom_encrypt,
)

ACK = "已受理，工单号 #1。"
_ids = itertools.count(8_000_000_001)


def callback(text: str) -> Posted:
    """A resident's WeCom message, encrypted and signed as WeCom sends it."""
    inner = message_xml(CORP_ID, RESIDENT, Content=text, MsgId=next(_ids), AgentID=int(AGENT_ID))
    return wecom_encrypt(inner)


async def post(http: httpx.AsyncClient, base: str, posted: Posted) -> httpx.Response:
    return await http.post(base + posted.path, params=posted.params, content=posted.body)


def to_resident(fake: FakeWeChat) -> list[Any]:
    """What the reporter was sent, apart from anything sent to anyone else."""
    return [c for c in fake.sent("message/send") if c.to == RESIDENT]


async def count(store: Store, table: str, where: str = "") -> int:
    [(n,)] = await rows(store, f"SELECT count(*) FROM {table} {where}")
    return int(n)


def acks(sent: list[Outbound]) -> list[str]:
    return [m.text.splitlines()[0] for m in sent if m.kind == "ack"]


class Blocked:
    """`Pipeline.handle` held at its start until `gate` opens (`entered`: it got there)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.entered = asyncio.Event()
        self.gate = asyncio.Event()
        self.monkeypatch = monkeypatch
        self.original = handle = Pipeline.handle

        async def blocked(pipeline: Pipeline, inbound: Inbound) -> bool:
            self.entered.set()
            await self.gate.wait()
            return await handle(pipeline, inbound)

        monkeypatch.setattr(Pipeline, "handle", blocked)

    def undo(self) -> None:
        self.monkeypatch.setattr(Pipeline, "handle", self.original)


@contextlib.asynccontextmanager
async def opened(store: Store) -> AsyncIterator[Store]:
    """The database as it is between two runs."""
    await store.open()
    try:
        yield store
    finally:
        await store.close()


@contextlib.asynccontextmanager
async def serving(config: Config, store: Store) -> AsyncIterator[tuple[Bot, str]]:
    """A Bot with the WeCom adapter behind the HTTP app, run by `Bot.serve` (a start
    replays what the journal kept); stopped as `intake-bot run` stops it, by cancelling."""
    adapter = WeComAdapter(config, passive_wait=0.5, timeout=5.0)
    async with Bot(config, [adapter], store=store, classifier=FakeClassifier()) as bot:
        app = build_app(adapter.routes(), config.http.max_body_bytes)
        async with running_server(app) as base:
            ready = asyncio.Event()
            task = asyncio.create_task(bot.serve([adapter], ready))
            async with asyncio.timeout(10):
                await ready.wait()
            try:
                yield bot, base
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


async def test_a_wechat_message_cut_off_by_a_stop_is_handled_at_the_next_start(
    tmp_path: Path, new_store: StoreFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The callback answered `success`, so WeChat never sends the message again; the stop
    cut its handling off.  It was kept before the answer, so the next start on the same
    database files it: once, acknowledged once (through the API: the callback is long
    closed), and a late resend of it changes nothing."""
    monkeypatch.setattr(wechat_callback, "STOP_GRACE", 0.1)  # what the stop waits before cutting
    fake = FakeWeChat()
    posted = callback("楼上邻居每天半夜装修，噪音很大")
    async with running_server(fake.app()) as api, httpx.AsyncClient(timeout=10) as http:
        config = make_config(tmp_path, api)
        blocked = Blocked(monkeypatch)
        async with serving(config, new_store()) as (_, base):
            answer = asyncio.create_task(post(http, base, posted))
            await blocked.entered.wait()
            # The passive wait is over before the stop: WeChat has its "success".
            response = await answer
            assert (response.status_code, response.text) == (200, "success")
        # Stopped with the message still being handled: nothing of it stored but the copy.
        blocked.undo()
        async with opened(new_store()) as store:
            assert await count(store, "inbound_messages") == 0
            assert await count(store, "inbound_journal") == 1
        store = new_store()
        async with serving(config, store) as (_, base):
            assert await count(store, "tickets") == 1
            await fake.wait_for(lambda: len(to_resident(fake)) == 1)
            [ack] = to_resident(fake)
            assert ack.to == RESIDENT and ack.content.startswith(ACK)
            # WeChat would not send it again; if it did, it is the same message.
            response = await post(http, base, posted)
            assert (response.status_code, response.text) == (200, "success")
            assert await count(store, "tickets") == 1
            assert await count(store, "inbound_messages") == 1
            assert await count(store, "outbox", "WHERE kind = 'ack'") == 1
        async with opened(new_store()) as store:
            assert await count(store, "inbound_journal") == 0
    assert len(to_resident(fake)) == 1


async def test_a_message_not_kept_in_time_is_answered_500_and_handled_all_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database does not take the copy within the passive wait: "success" would be a
    promise nothing keeps, so WeChat is answered 500 and sends the message again.  The
    handling goes on meanwhile, as it did before there was a journal: one ticket, one
    acknowledgement, whichever copy gets there first."""
    fake = FakeWeChat()
    posted = callback("村口的桥栏杆断了")
    async with running_server(fake.app()) as api, httpx.AsyncClient(timeout=10) as http:
        config = make_config(tmp_path, api)
        async with serving(config, SQLiteStore(Path(config.database))) as (bot, base):
            gate, keep = asyncio.Event(), bot.journal.keep

            async def slow_keep(inbound: Inbound) -> None:
                await gate.wait()
                await keep(inbound)

            monkeypatch.setattr(bot.journal, "keep", slow_keep)
            response = await post(http, base, posted)
            assert (response.status_code, response.text) == (500, "temporary error")
            assert await count(bot.store, "inbound_messages") == 0
            gate.set()
            await fake.wait_for(lambda: len(to_resident(fake)) == 1)
            assert to_resident(fake)[0].content.startswith(ACK)
            response = await post(http, base, posted)  # WeChat's resend
            assert (response.status_code, response.text) == (200, "success")
            assert await count(bot.store, "tickets") == 1
            assert await count(bot.store, "outbox", "WHERE kind = 'ack'") == 1
        async with opened(SQLiteStore(Path(config.database))) as store:
            assert await count(store, "inbound_journal") == 0


async def test_a_kept_message_is_handled_once_whether_or_not_it_was_before(
    harness: Harness,
) -> None:
    """What a start finds kept: one message whose handling had committed (the process died
    before forgetting it), one cut off before it did.  Each is filed and acknowledged once,
    and neither stays kept."""
    bot = harness.bot

    def said(message_id: str, text: str) -> Inbound:
        resident = Person(harness.room("group").channel, "resident1", "resident1")
        return Inbound(resident, harness.room("group"), message_id, text)

    done, cut = said("j1", "楼道里堆满了杂物"), said("j2", "小区门口的路灯坏了")
    for inbound in (done, cut):
        await bot.journal.keep(inbound)
    assert acks(await harness.deliver(done)) == [ACK]
    assert await bot.journal.replay() == 2
    await bot.dispatcher.flush()
    assert acks(harness.adapter.sent) == [ACK, "已受理，工单号 #2。"]
    assert await count(bot.store, "tickets") == 2
    assert await count(bot.store, "inbound_journal") == 0
    assert await bot.journal.replay() == 0


async def test_a_message_another_process_left_kept_is_handled_after_a_while(desk: Desk) -> None:
    """A rolling restart: the old process stops with a message kept while the new one runs
    on.  The new one takes it up once it has been kept `LEFT_BEHIND` (a message is handled
    within seconds), not at its own next start; one kept a moment ago is someone's now."""
    room = desk.h.room("group")
    left = Inbound(Person(room.channel, "resident1", "resident1"), room, "j9", "小区门口的路灯坏了")
    await desk.bot.journal.keep(left)
    desk.clock.now += LEFT_BEHIND - timedelta(seconds=1)
    assert await desk.bot.journal.replay(left_for=LEFT_BEHIND) == 0
    desk.clock.now += timedelta(seconds=2)
    assert await desk.bot.journal.replay(left_for=LEFT_BEHIND) == 1
    assert await count(desk.bot.store, "tickets") == 1
    assert await count(desk.bot.store, "inbound_journal") == 0


def test_a_kept_message_reads_back_as_the_adapter_made_it() -> None:
    inbound = Inbound(
        Person("wecom", RESIDENT, "张大妈"),
        Room("wecom", RESIDENT, "张大妈", is_private=True),
        "7000000001",
        "门口积水，见图",
        reply_to_message_id="6999",
        attachments=(Attachment("photo", "media-1", "积水"), Attachment("location", "30.5,114.3")),
        is_button=False,
        edit_of=None,
        thread_id="t1",
    )
    assert decode(encode(inbound)) == inbound


async def test_a_request_stuck_when_the_server_closes_does_not_hold_the_stop(
    tmp_path: Path,
    fake: FakeTelegram,
    served: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Telegram webhook update whose handling waits for a database that does not answer:
    the stop cuts the request off after `SHUTDOWN_GRACE` (Telegram delivers the update
    again, to the next start) instead of waiting for it until systemd kills the process.
    Run through `bot.channels.serve`, what `intake-bot run` runs."""
    import bot.channels
    from tests.test_telegram import GROUP, tickets
    from tests.test_telegram import RESIDENT as TELEGRAM_RESIDENT
    from tests.test_telegram import make_config as telegram_config

    monkeypatch.setattr(bot.http, "SHUTDOWN_GRACE", 1)
    monkeypatch.setattr("bot.app.load_default", FakeClassifier)
    db = tmp_path / "t.db"
    config = telegram_config(
        db, fake, mode="webhook", webhook_url="https://x.org/hook", webhook_secret="s"
    )
    stuck = Blocked(monkeypatch)  # never let through
    ready = asyncio.Event()
    serving = asyncio.create_task(bot.channels.serve(config, ready))
    async with asyncio.timeout(10):
        await ready.wait()
    hook = f"http://127.0.0.1:{port_of(served[0])}/hook"
    update = {
        "update_id": 90,
        "message": fake.message(GROUP, TELEGRAM_RESIDENT, "电动车在楼道充电"),
    }
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s"}
    async with httpx.AsyncClient(timeout=30) as http:
        request = asyncio.create_task(http.post(hook, json=update, headers=headers))
        await stuck.entered.wait()
        loop = asyncio.get_running_loop()
        stopping = loop.time()
        serving.cancel()
        async with asyncio.timeout(10):  # unbounded, the stop never ended
            with contextlib.suppress(asyncio.CancelledError):
                await serving
        took = loop.time() - stopping
        response = await request
    assert bot.http.SHUTDOWN_GRACE <= took < bot.http.SHUTDOWN_GRACE + 4
    assert response.status_code == 500  # not 200: Telegram delivers it again
    assert tickets(db) == []


async def test_the_bots_stop_comes_before_the_http_servers(
    tmp_path: Path, served: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bot.channels.serve` stops the bot first (a message being handled finishes inside
    the grace, on an open database) and the HTTP server after it, whose bound then cuts
    off only what is stuck."""
    import bot.channels

    monkeypatch.setattr("bot.app.load_default", FakeClassifier)
    stopping = asyncio.Event()
    stop_handling = wechat_callback.CallbackEndpoint.stop_handling

    async def stop_seen(
        endpoint: wechat_callback.CallbackEndpoint, grace: float | None = None
    ) -> None:
        stopping.set()
        await stop_handling(endpoint, grace)

    monkeypatch.setattr(wechat_callback.CallbackEndpoint, "stop_handling", stop_seen)
    fake = FakeWeChat()
    async with running_server(fake.app()) as api, httpx.AsyncClient(timeout=10) as http:
        config = make_config(tmp_path, api)
        blocked = Blocked(monkeypatch)
        ready = asyncio.Event()
        serving = asyncio.create_task(bot.channels.serve(config, ready))
        async with asyncio.timeout(10):
            await ready.wait()
        base = f"http://127.0.0.1:{port_of(served[0])}"
        answer = asyncio.create_task(post(http, base, callback("小区的下水道堵了")))
        await blocked.entered.wait()
        assert (await answer).text == "success"
        serving.cancel()
        await stopping.wait()
        assert not served[0].should_exit  # the server is left alone until the bot has stopped
        blocked.gate.set()  # the message finishes inside the stop's grace
        with contextlib.suppress(asyncio.CancelledError):
            await serving
    async with opened(SQLiteStore(Path(config.database))) as store:
        assert await count(store, "tickets") == 1
        assert await count(store, "inbound_journal") == 0
        assert await count(store, "outbox", "WHERE kind = 'ack'") == 1
