"""WeChat's limits and refusals as the outbox meets them, on SQLite and on PostgreSQL.

wechatpy's real clients send to the fake API of `tests.fake_wechat` (`running_world`), and
the rows are delivered by the bot's own outbox (`Dispatcher.flush`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.base import Outbound
from bot.clock import iso
from storage.base import PARKED
from tests.conftest import StoreFactory, rows
from tests.test_wechat import RESIDENT, World, running_world, sent_to


@pytest.fixture
async def world(tmp_path: Path, new_store: StoreFactory) -> AsyncIterator[World]:
    async with running_world(tmp_path, store=new_store()) as w:
        yield w


async def queue(world: World, *messages: Outbound) -> list[int]:
    """Queue rows as the pipeline does (not woken: the test flushes)."""
    now = iso(world.bot.dispatcher.clock())
    async with world.bot.store.write() as tx:
        return [await tx.enqueue(message, now) for message in messages]


async def unsent(world: World) -> list[tuple[str, str, str]]:
    """(chat, when due, last error) of the rows not sent, in order."""
    found = await rows(
        world.bot.store,
        "SELECT chat_id, next_attempt_at, COALESCE(last_error, '') FROM outbox"
        " WHERE sent_at IS NULL ORDER BY id",
    )
    return [(str(c), str(d), str(e)) for c, d, e in found]


async def test_a_server_address_wecom_refuses_parks_the_replies_with_the_fix(
    world: World,
) -> None:
    """60020 (the server's IP is not among the app's 企业可信IP) needs an operator: the row
    is parked at once, its refusal naming the setting and the command that sends it again,
    and `db outbox --resend` (`resend_parked`) sends it once the address is added."""
    await queue(world, Outbound("wecom", RESIDENT, "工单 #1 已受理"))
    world.fake.fail_next = [60020]
    await world.bot.dispatcher.flush()
    [(chat, due, error)] = await unsent(world)
    assert (chat, due) == (RESIDENT, PARKED)
    assert "60020" in error and "企业可信IP" in error and "db outbox --resend" in error
    assert sent_to(world, RESIDENT) == []
    now = iso(world.bot.dispatcher.clock())
    assert await world.bot.store.resend_parked("2000-01-01T00:00:00.000Z", now, "wecom") == 1
    await world.bot.dispatcher.flush()
    assert await unsent(world) == []
    assert [c.content for c in sent_to(world, RESIDENT)] == ["工单 #1 已受理"]
