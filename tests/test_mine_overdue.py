"""我的 (/mine): 本网格待认领 N 件 is counted by the database (`Tx.queue_count`), on both
engines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.base import Keep
from tests.conftest import StoreFactory, make_config
from tests.test_assisting import with_judicial_office
from tests.test_supervision import NORMAL, URGENT, Desk, started

ANOTHER_URGENT = "小卖部门口有人打人了，还拿着棍子"


@pytest.fixture
async def liaisons(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Desk]:
    """The desk with 派出所 (police1, police2) and 司法所 (judicial1)."""
    async for d in started(with_judicial_office(make_config(db_path)), new_store):
        yield d


async def mine(desk: Desk, user: str, private: bool = True) -> str:
    [reply] = await desk.h.say(user, "我的", private=private)
    return reply.text


async def test_the_unclaimed_are_counted_by_the_database(liaisons: Desk) -> None:
    """`Tx.queue_count` counts what `Tx.queue` lists, scope by scope, on either engine."""
    desk = liaisons
    for text in (NORMAL, URGENT, ANOTHER_URGENT):
        await desk.h.say("resident1", text)  # #1-#3, 东镇
    await desk.h.say("resident2", "西村水渠被人堵了", chat="west")  # #4, 西村
    await desk.h.say("staff1", "转办 2 派出所", chat="staff")
    await desk.h.say("worker1", "认领 3")
    scopes: list[tuple[str | None, str | None | Keep]] = [
        ("DZ", None), ("DZ", Keep.KEEP), ("XC", None), (None, "PCS"), (None, "SFS"),
        (None, Keep.KEEP), (None, None),
    ]  # fmt: skip
    async with desk.bot.store.read() as tx:
        counted = [await tx.queue_count(area, department) for area, department in scopes]
        listed = [len(await tx.queue(area, 100, department)) for area, department in scopes]
    assert counted == listed == [1, 2, 1, 1, 0, 3, 2]
    # 我的 says it as before.
    assert await mine(desk, "worker1") == (
        f"您负责的工单：\n#3｜处理中｜紧急｜{ANOTHER_URGENT}\n本网格待认领 1 件，发送「待办」查看。"
    )
    assert await mine(desk, "police1") == "本部门待认领 1 件，发送「待办」查看。"
