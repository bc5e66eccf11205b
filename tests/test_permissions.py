"""Who may do what: the role x command matrix, and residents' privacy."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.adapters.base import Inbound, Person
from bot.adapters.harness import CHANNEL, Harness, HarnessAdapter
from bot.app import Bot
from bot.config import PersonConfig
from bot.workflow import Role
from tests.conftest import KeywordClassifier, make_config

COMMANDS = [
    "/help",
    "/status 1",
    "/mine",
    "/queue",
    "/claim 1",
    "/unclaim 1",
    "/note 1 上门了解",
    "/resolve 1 已调解",
    "/close 1",
    "/reopen 1",
    "/ticket 1",
    "/assign 1 worker2",
    "/grant resident2 grid_worker",
    "/retag 1 neighbour high",
    "/lang en",
    "/unfiled",
    "/file 1",
]
# Written out by hand (not read from bot.workflow) so the test can disagree with the code.
ALLOWED = {
    "resident1": {"/help", "/status 1", "/mine", "/reopen 1", "/lang en"},
    "worker1": {
        "/help",
        "/status 1",
        "/mine",
        "/reopen 1",
        "/lang en",
        "/queue",
        "/claim 1",
        "/unclaim 1",
        "/note 1 上门了解",
        "/resolve 1 已调解",
        "/unfiled",
        "/file 1",
    },
    "staff1": set(COMMANDS) - {"/grant resident2 grid_worker"},
    "admin1": set(COMMANDS),
}
DENIED_MARKER = "不能使用"


@pytest.mark.parametrize("user", list(ALLOWED))
@pytest.mark.parametrize("command", COMMANDS)
async def test_role_command_matrix(harness: Harness, user: str, command: str) -> None:
    await harness.say("resident1", "楼道里堆满杂物，消防通道堵了")  # ticket #1, resident1's
    replies = await harness.say(user, command)
    assert replies, f"{user} {command}: no reply"
    denied = any(DENIED_MARKER in m.text for m in replies)
    assert denied == (command not in ALLOWED[user]), f"{user} {command}: {replies[0].text}"


async def test_resident_cannot_see_or_touch_another_residents_ticket(harness: Harness) -> None:
    await harness.say("resident1", "我家被隔壁占了两米宅基地")
    missing = (await harness.say("resident2", "查询 999"))[0].text
    for attempt in ("查询 1", "/status 1", "/reopen 1"):
        replies = await harness.say("resident2", attempt)
        assert [m.text for m in replies] == [missing.replace("999", "1")]
        assert "宅基地" not in replies[0].text
    mine = await harness.say("resident2", "我的")
    assert mine[0].text == "暂无记录。"


async def test_worker_from_another_area_cannot_see_ticket(harness: Harness) -> None:
    await harness.say("resident1", "小区停水三天了")
    replies = await harness.say("westworker", "/claim 1")
    assert "没有找到工单 #1" in replies[0].text
    assert "小区停水" not in (await harness.say("westworker", "/queue"))[0].text


async def test_resident_cannot_press_the_claim_button(harness: Harness) -> None:
    ack = next(m for m in await harness.say("resident1", "楼上漏水") if m.kind == "ack")
    replies = await harness.press("resident2", ack)
    assert len(replies) == 1 and DENIED_MARKER in replies[0].text
    status = await harness.say("resident1", "查询 1")
    assert "待认领" in status[0].text


async def test_only_the_holder_or_staff_may_resolve(harness: Harness) -> None:
    await harness.say("resident1", "噪音扰民")
    await harness.say("worker1", "认领 1")
    refused = await harness.say("worker2", "办结 1 我来办")
    assert "由 worker1 负责" in refused[0].text
    assert any(m.kind == "resolved" for m in await harness.say("staff1", "办结 1 中心已处理"))


async def test_claim_race_has_exactly_one_winner(tmp_path: Path) -> None:
    config = make_config(tmp_path / "race.db")
    workers = [f"w{i}" for i in range(50)]
    config.people += [
        PersonConfig(channel=CHANNEL, user_id=w, role=Role.GRID_WORKER, area="DZ") for w in workers
    ]
    adapter = HarnessAdapter()
    async with Bot(config, [adapter], classifier=KeywordClassifier()) as bot:
        harness = Harness(bot, adapter)
        await harness.say("resident1", "两家因为排水沟吵起来了")
        before = len(adapter.sent)
        results = await asyncio.gather(
            *(
                bot.pipeline.handle(
                    Inbound(Person(CHANNEL, w, w), harness.room("group"), f"c-{w}", "/claim 1")
                )
                for w in workers
            )
        )
        assert all(results)
        await bot.dispatcher.flush()
        replies = [m for m in adapter.sent[before:] if m.kind == "reply"]
        async with bot.store.read() as tx:
            ticket = await tx.ticket(1)
            events = await tx.events(1)
        assert ticket is not None and ticket.assignee_id is not None
        holder = next(w for w in workers if f"已由 {w} 认领" in replies[0].text)
        winners = [m for m in replies if m.text == f"工单 #1 已由 {holder} 认领。"]
        losers = [m for m in replies if m.text == f"认领未成功：工单 #1 已由 {holder} 认领。"]
        assert len(winners) == 1 and len(losers) == 49
        assert [e.action for e in events].count("claim") == 1
