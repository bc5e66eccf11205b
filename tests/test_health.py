"""`GET /healthz` (`bot.health`) on SQLite and PostgreSQL, over real HTTP: healthy when
the database answers, replies go out and the sweep runs; 503 naming the problem when a
reply has waited too long, the sweep has stopped or the database is gone.  And the
outbox's maintenance reads (`Store.outbox_state`, `resend_parked`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from bot import health
from bot.adapters.base import AwaitingContact, PermanentFailure
from bot.adapters.harness import Harness
from bot.app import Bot
from bot.clock import iso
from bot.config import HttpConfig
from tests.conftest import KeywordClassifier, StoreFactory, make_config, port_of
from tests.fake_wechat import running_server
from tests.test_outbox import Clock, Refusing


class Running:
    def __init__(self, bot: Bot, adapter: Refusing, clock: Clock, url: str) -> None:
        self.bot, self.adapter, self.clock, self.url = bot, adapter, clock, url
        self.h = Harness(bot, adapter)

    async def get(self) -> tuple[int, dict[str, Any]]:
        async with httpx.AsyncClient(timeout=10) as http:
            response = await http.get(self.url + health.PATH)
        return response.status_code, response.json()


@pytest.fixture
async def running(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Running]:
    clock = Clock()
    adapter = Refusing()
    config = make_config(db_path)
    config.staff_chat = None
    async with Bot(config, [adapter], new_store(), KeywordClassifier(), clock) as bot:
        app = Starlette(routes=[health.route(bot)])
        async with running_server(app) as url:
            yield Running(bot, adapter, clock, url)


async def test_healthy_when_replies_go_and_the_sweep_runs(running: Running) -> None:
    await running.h.say("resident1", "楼道灯坏了一个月")
    await running.bot.supervisor.sweep()
    status, body = await running.get()
    assert status == 200
    assert body["status"] == "ok" and body["problems"] == []
    assert (body["database"], body["waiting"], body["parked"]) == ("ok", 0, 0)
    assert body["last_sweep"] == iso(running.clock.now)


async def test_a_reply_waiting_too_long_is_a_stalled_delivery(running: Running) -> None:
    running.adapter.exc = RuntimeError("502 Bad Gateway")
    await running.h.say("resident1", "楼道灯坏了一个月")  # its acknowledgement waits
    running.clock.now += timedelta(minutes=9)
    await running.bot.supervisor.sweep()
    status, body = await running.get()
    assert (status, body["waiting"], body["oldest_waiting_seconds"]) == (200, 1, 540)
    running.clock.now += timedelta(minutes=2)  # past [delivery] stalled_after, 10 minutes
    await running.bot.supervisor.sweep()
    status, body = await running.get()
    assert status == 503 and body["status"] == "unhealthy"
    assert body["problems"] == ["delivery: a reply has waited 660 s (test)"]
    assert "楼道" not in str(body)  # counts and times, never a message
    # The platform is back: the reply goes, and the bot is healthy again.
    running.adapter.exc = None
    running.clock.now += timedelta(minutes=5)
    assert await running.bot.dispatcher.flush() == 1
    await running.bot.supervisor.sweep()
    assert (await running.get())[0] == 200


@pytest.mark.parametrize(
    ("refusal", "parked", "awaiting"),
    [
        (PermanentFailure("Bad Request: chat not found"), 1, 0),  # for a person to look at
        (AwaitingContact("WeChat: not until they write again"), 0, 1),  # sent when they do
    ],
)
async def test_refused_replies_are_counted_not_judged(
    running: Running, refusal: Exception, parked: int, awaiting: int
) -> None:
    running.adapter.exc = refusal
    await running.h.say("resident1", "楼道灯坏了一个月")
    running.clock.now += timedelta(hours=1)
    await running.bot.supervisor.sweep()
    status, body = await running.get()
    assert (status, body["waiting"], body["parked"], body["awaiting"]) == (200, 0, parked, awaiting)


async def test_a_stopped_sweep_is_named(running: Running) -> None:
    await running.bot.supervisor.sweep()
    running.clock.now += timedelta(minutes=4)  # three 1-minute intervals and a minute: 4
    assert (await running.get())[0] == 200
    running.clock.now += timedelta(seconds=1)
    status, body = await running.get()
    assert status == 503
    assert body["problems"] == ["supervision: the last sweep finished 241 s ago"]


async def test_no_sweep_since_the_start_is_named(running: Running) -> None:
    running.clock.now += timedelta(minutes=5)
    status, body = await running.get()
    assert status == 503
    assert body["problems"] == ["supervision: no sweep has finished in the 300 s since the start"]


async def test_a_database_that_does_not_answer(running: Running) -> None:
    await running.bot.supervisor.sweep()
    await running.bot.store.close()
    status, body = await running.get()
    assert status == 503 and body["database"] == "error"
    assert body["problems"][0].startswith("database: ")
    await running.bot.store.open()  # for the fixture's own close


async def test_served_by_the_production_entry_point_without_callbacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, served: list[Any]
) -> None:
    """`[http] health = true`: the HTTP server starts for /healthz alone (Telegram polling
    needs no callbacks); without it, no server starts at all."""
    import bot.channels

    monkeypatch.setattr("bot.app.load_default", KeywordClassifier)
    config = make_config(tmp_path / "h.db")
    for serves in (False, True):
        config.http = HttpConfig(health=serves)
        ready = asyncio.Event()
        serving = asyncio.create_task(bot.channels.serve(config, ready))
        try:
            async with asyncio.timeout(10):
                await ready.wait()
            assert len(served) == int(serves)
            if serves:
                url = f"http://127.0.0.1:{port_of(served[0])}{health.PATH}"
                async with httpx.AsyncClient(timeout=10) as http:
                    response = await http.get(url)
                # Just started: the first sweep may not have finished; nothing waits.
                assert response.json()["database"] == "ok"
                assert response.json()["waiting"] == 0
        finally:
            serving.cancel()
            with pytest.raises(asyncio.CancelledError):
                await serving


async def test_outbox_state_and_sending_parked_rows_again(running: Running) -> None:
    store, clock = running.bot.store, running.clock
    running.adapter.exc = PermanentFailure("Unauthorized")  # a revoked token, say
    await running.h.say("resident1", "楼道灯坏了一个月")
    clock.now += timedelta(hours=2)
    await running.h.say("resident2", "垃圾站好几天没人清运了")
    [state] = await store.outbox_state()
    assert (state.channel, state.waiting, state.parked) == ("test", 0, 2)
    assert state.last_error == "Unauthorized"
    assert await store.outbox_state(["telegram"]) == []
    # The token is fixed; the rows of the last hour are sent again, the older one not.
    running.adapter.exc = None
    assert await store.resend_parked(iso(clock.now - timedelta(hours=1)), iso(clock.now)) == 1
    assert await running.bot.dispatcher.flush() == 1
    assert "垃圾站" not in running.adapter.sent[0].text  # an acknowledgement: no echo
    assert await store.resend_parked(iso(clock.now - timedelta(days=1)), iso(clock.now)) == 1
    assert await running.bot.dispatcher.flush() == 1
    assert await store.outbox_state() == []
