"""WeChat's limits and refusals as the outbox meets them, on SQLite and on PostgreSQL.

wechatpy's real clients send to the fake API of `tests.fake_wechat` (`running_world`), and
the rows are delivered by the bot's own outbox (`Dispatcher.flush`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.base import Outbound, TemporaryFailure
from bot.adapters.wechat import QUOTA_RESET_ZONE, quota_wait
from bot.clock import iso
from storage.base import PARKED
from tests.conftest import StoreFactory, rows
from tests.test_wechat import OA_RESIDENT, RESIDENT, WORKER, World, running_world, sent_to


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


def shift(world: World, seconds: float) -> None:
    """Move the bot's and the adapters' clocks `seconds` past the real time."""
    world.wecom.clock = world.oa.clock = lambda: time.time() + seconds
    world.bot.dispatcher.clock = lambda: datetime.now(UTC) + timedelta(seconds=seconds)


async def test_a_spent_quota_costs_one_refused_call_not_one_per_row(world: World) -> None:
    """WeCom answers 45009 when the account's API calls are over a limit (its quota of the
    day, reset at midnight in Beijing).  Every due row of the round met it, one refused
    call each; now the first holds the account's API sends, and the rest wait, unsent and
    never parked, while the group robot (a webhook, no API call) and another account go."""
    await queue(
        world,
        Outbound("wecom", RESIDENT, "工单 #1 已受理"),
        Outbound("wecom", WORKER, "【群众反映】新工单 #1"),
        Outbound("wecom", "appchat:grid-dz", "网格群通知"),
        Outbound("wecom", "robot", "值班提醒"),
        Outbound("official_account", OA_RESIDENT, "工单 #2 已受理"),
        Outbound("wecom", RESIDENT, "工单 #1 进展：处理中"),
    )
    world.fake.quota_reached = {"message/send"}
    shift(world, 0)
    await world.bot.dispatcher.flush()
    assert len(world.fake.sent("refused:message/send")) == 1
    assert world.fake.sent("appchat/send") == []  # the same account's API: held too
    assert [c.content for c in world.fake.sent("webhook/send")] == ["值班提醒"]
    assert [c.to for c in world.fake.sent("message/custom/send")] == [OA_RESIDENT]
    waiting = await unsent(world)
    assert [chat for chat, _, _ in waiting] == [RESIDENT, WORKER, "appchat:grid-dz", RESIDENT]
    held = world.wecom._quota_until
    for _, due, _ in waiting:  # all due when the hold ends, a minute on
        assert due != PARKED and abs(datetime.fromisoformat(due).timestamp() - held) < 1
    # Still spent a minute later: one more refused call, and twice the wait.
    world.fake.quota_reached = {"message/send"}
    shift(world, 61)
    await world.bot.dispatcher.flush()
    assert len(world.fake.sent("refused:message/send")) == 2
    assert 119 < world.wecom._quota_until - (time.time() + 61) <= 120
    # Reset: what waited goes, in the order it was queued, nothing lost.
    world.fake.quota_reached = set()
    shift(world, 61 + 121)
    await world.bot.dispatcher.flush()
    assert await unsent(world) == []
    assert [(c.to, c.content) for c in world.fake.sent("message/send")] == [
        (RESIDENT, "工单 #1 已受理"),
        (WORKER, "【群众反映】新工单 #1"),
        (RESIDENT, "工单 #1 进展：处理中"),
    ]
    assert [c.content for c in world.fake.sent("appchat/send")] == ["网格群通知"]


def test_a_quotas_wait_doubles_but_ends_just_after_beijings_midnight() -> None:
    at = datetime(2026, 12, 3, 10, 0, tzinfo=QUOTA_RESET_ZONE).timestamp()
    assert [quota_wait(at, n) for n in (1, 2, 3)] == [60.0, 120.0, 240.0]
    late = datetime(2026, 12, 3, 23, 58, tzinfo=QUOTA_RESET_ZONE).timestamp()
    assert quota_wait(late, 1) == 60.0
    assert quota_wait(late, 3) == 3 * 60.0  # 00:01 in Beijing, not four minutes on
    assert quota_wait(at, 30) == 14 * 3600 + 60.0


async def test_a_member_gets_at_most_a_thousand_app_messages_an_hour(world: World) -> None:
    """WeCom drops an app's messages to one member past 1,000 an hour (answered ok, never
    shown), besides those past 30 a minute.  The chat's record of sends keeps both windows:
    with 999 sent half an hour ago, one more goes, and the next waits until the first of
    them is an hour old, asking nothing of WeChat; another member's hour is their own."""
    now = datetime.now(UTC)
    half_an_hour_ago = iso(now - timedelta(minutes=30))
    an_hour_ago = iso(now - timedelta(hours=1, minutes=1))
    assert (
        await world.bot.store.take_sends(
            "wecom", WORKER, half_an_hour_ago, 999, [(an_hour_ago, 1000)]
        )
        is None
    )
    await world.wecom.send(Outbound("wecom", WORKER, "【群众反映】新工单 #1000", id=1))
    with pytest.raises(TemporaryFailure) as full:
        await world.wecom.send(Outbound("wecom", WORKER, "【群众反映】新工单 #1001", id=2))
    assert "1000 in 3600 s" in str(full.value)
    assert 29 * 60 < (full.value.retry_after or 0) <= 30 * 60 + 1
    assert [c.content for c in sent_to(world, WORKER)] == ["【群众反映】新工单 #1000"]
    await world.wecom.send(Outbound("wecom", RESIDENT, "工单 #1 进展：处理中", id=3))
    assert len(sent_to(world, RESIDENT)) == 1


async def test_a_send_whose_answer_timed_out_is_not_shown_twice(world: World) -> None:
    """A WeCom app message whose answer did not come back within the timeout had often
    reached WeCom; the outbox tried it again and the member read it twice.  App texts now
    ask for WeCom's duplicate check (half an hour): the retry is answered ok, not shown
    again, and the row is sent.  The same words after the interval go again."""
    await queue(world, Outbound("wecom", RESIDENT, "工单 #1 已办结"))
    world.fake.stall_answer = stalled = asyncio.Event()
    world.wecom.client.timeout = 0.5
    shift(world, 0)
    try:
        await world.bot.dispatcher.flush()
    finally:
        stalled.set()
    world.fake.stall_answer = None
    [(_, _, error)] = await unsent(world)
    assert "Timeout" in error  # taken for an outage: retried
    assert [c.content for c in sent_to(world, RESIDENT)] == ["工单 #1 已办结"]
    shift(world, 3)  # the back-off after one failed try: 2 s
    await world.bot.dispatcher.flush()
    assert await unsent(world) == []
    assert [c.content for c in sent_to(world, RESIDENT)] == ["工单 #1 已办结"]
    assert len(world.fake.sent("duplicate:message/send")) == 1
    [call] = world.fake.sent("duplicate:message/send")
    assert (call.body["enable_duplicate_check"], call.body["duplicate_check_interval"]) == (
        1,
        1800,
    )
    # Past the interval the same words are news again.
    at = world.fake.clock()
    world.fake.clock = lambda: at + 1801
    await world.wecom.send(Outbound("wecom", RESIDENT, "工单 #1 已办结", id=99))
    assert len(sent_to(world, RESIDENT)) == 2
