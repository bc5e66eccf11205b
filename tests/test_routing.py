"""Judgement and routing (研判分流): `[routing]` suggests the department a dispute type goes
to, in the staff room's new-ticket notice, in /ticket and in the ledger; residents' views
and dismissed tickets show none."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.harness import Harness
from bot.ledger import COLUMNS, LedgerFormat
from tests.conftest import StoreFactory, harness_with, make_config

ROUTING = {"neighbour": "司法所（人民调解）", "public_order": "派出所"}


@pytest.fixture
async def harness(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Harness]:
    config = make_config(db_path)
    config.routing = dict(ROUTING)
    async with harness_with(config, new_store()) as started:
        yield started


async def test_the_desk_sees_the_suggested_department(harness: Harness) -> None:
    filed = await harness.say("resident1", "村口有人打人了")  # public_order, urgent
    [notice] = [m for m in filed if m.chat_id == "staff"]
    assert notice.text.endswith("\n建议承办：派出所")
    details = (await harness.say("worker1", "/ticket 1", private=True))[0].text
    assert "\n建议承办：派出所\n" in details
    # The resident's view is theirs: no internal suggestion in it.
    assert "建议承办" not in (await harness.say("resident1", "查询 1"))[0].text
    # Retagged, it follows the type; a type with no department shows none.
    await harness.say("staff1", "改标 1 邻里 一般")
    details = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "建议承办：司法所（人民调解）" in details
    await harness.say("staff1", "改标 1 医疗 一般")
    assert "建议承办" not in (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text


async def test_the_ledger_names_it_in_its_own_column(harness: Harness) -> None:
    await harness.say("resident1", "楼道灯坏了一个月")  # neighbour
    bot = harness.bot
    writer = LedgerFormat(bot.config, "zh", masked=True)
    column = COLUMNS.index("department")
    assert writer.header()[column] == "建议承办部门"
    async with bot.store.read() as tx:
        [row] = await tx.ledger_rows("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z", 0, 10)
    assert writer.cells(row)[column] == "司法所（人民调解）"
