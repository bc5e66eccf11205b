"""A department's liaison (部门对接人) end to end, through the harness on SQLite and
PostgreSQL: what they are told when a case is handed to them (转办) or asked of them (协办),
and what becomes of their request for more time (延期) once the case leaves them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import Harness
from tests.conftest import StoreFactory, harness_with, make_config
from tests.test_assisting import with_judicial_office


@pytest.fixture
async def harness(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Harness]:
    async with harness_with(with_judicial_office(make_config(db_path)), new_store()) as started:
        yield started


def to(sent: list[Outbound], who: str) -> list[str]:
    return [m.text for m in sent if m.kind == "direct" and m.chat_id == who]


def reply(sent: list[Outbound]) -> str:
    [only] = [m.text for m in sent if m.kind == "reply"]
    return only


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
