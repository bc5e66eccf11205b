"""A department's liaison (部门对接人) end to end, through the harness on SQLite and
PostgreSQL: what they are told when a case is handed to them (转办) or asked of them (协办),
and what becomes of their request for more time (延期) once the case leaves them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.harness import Harness
from bot.supervision import time_asked
from bot.workflow import CLOCK_STARTS, SUPERVISED
from tests.conftest import StoreFactory, harness_with, make_config
from tests.test_assisting import reply, to, with_judicial_office


@pytest.fixture
async def harness(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Harness]:
    async with harness_with(with_judicial_office(make_config(db_path)), new_store()) as started:
        yield started


async def waiting(harness: Harness) -> list[int]:
    """The tickets whose request for more time waits on staff, as the morning briefing and
    the escalations read them."""
    async with harness.bot.store.read() as tx:
        clocked = await tx.supervised(sorted(SUPERVISED), CLOCK_STARTS)
        return [asked.ticket.id for asked in await time_asked(tx, clocked, harness.bot.config)]


async def test_a_liaison_is_told_where_what_and_who_reported(harness: Harness) -> None:
    """The 转办 and 协办 notices gave the words alone: not the village ("3栋2单元" where?),
    the type and urgency, nor whom to call, all of which the grid's notice of a new report
    gives; a report made one to one keeps its caution."""
    words = "楼下棋牌室天天聚众赌博，就在3栋2单元门口"
    await harness.say("resident1", words)
    handed = await harness.say("staff1", "转办 1 派出所 请核实", chat="staff")
    [notice] = to(handed, "police1")
    assert notice.splitlines()[:3] == [
        "【转办】staff1 将工单 #1（东镇｜邻里纠纷｜一般）转派出所办理",
        f"resident1：{words}",
        "中心意见：请核实",
    ]
    await harness.say("resident2", "网格 DZ", private=True)
    await harness.say("resident2", "我老公经常打我，我不敢在群里说", private=True)
    asked = await harness.say("staff1", "协办 2 司法所", chat="staff")
    [notice] = to(asked, "judicial1")
    lines = notice.splitlines()
    assert lines[0].startswith("【协办】staff1 请司法所协助办理工单 #2（东镇｜")
    assert lines[0].endswith("；主办：东镇网格）")
    assert lines[1:3] == [
        "resident2：我老公经常打我，我不敢在群里说",
        "私下反映：反映人未在群里公开，办理中请勿向他人透露反映人。",
    ]
    # A long report is not cut at 200 characters, as it was: the grid's notice gives 500.
    long = "邻居家装修噪音太大，" * 30
    await harness.say("resident1", long)
    [notice] = to(await harness.say("staff1", "转办 3 派出所", chat="staff"), "police1")
    assert notice.splitlines()[1] == f"resident1：{long}"


async def test_a_request_for_more_time_ends_when_its_asker_no_longer_holds_the_case(
    harness: Harness,
) -> None:
    """A liaison asked for more time, then gave the case back (退回): the request kept coming
    back in the morning briefing and each escalation, with a button to grant it, while the
    case waited in the queue or another department led it."""
    await harness.say("resident1", "邻居家的狗天天半夜叫")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    await harness.say("police1", "认领 1", private=True)
    await harness.say("police1", "延期 1 3个工作日 等双方到场", private=True)
    assert await waiting(harness) == [1]
    back = await harness.say("police1", "退回 1", private=True)
    assert reply(back).startswith("工单 #1 已退回派出所待认领队列")
    assert await waiting(harness) == []
    answer = reply(await harness.say("staff1", "同意延期 1", chat="staff"))
    assert answer == "工单 #1 没有待批复的延期申请。"
    # Assigned to a colleague, likewise: whoever holds it asks again.
    await harness.say("police1", "认领 1", private=True)
    await harness.say("police1", "延期 1 3个工作日", private=True)
    assert await waiting(harness) == [1]
    await harness.say("staff1", "指派 1 police2", chat="staff")
    assert await waiting(harness) == []
    # A request of the one holding it still waits, and is granted.
    await harness.say("police2", "延期 1 2个工作日", private=True)
    assert await waiting(harness) == [1]
    granted = reply(await harness.say("staff1", "同意延期 1", chat="staff"))
    assert granted.startswith("工单 #1 的办结时限已延长 2个工作日")
