"""我的 (/mine) marks the tickets a worker holds, or their department assists with, that are
past a deadline (【已超期 1小时】), lists them first and counts them in the header, as 督办
finds them (an extension, 延期, included): a worker reading their list could not tell what
to do first.  Residents are never told the desk's deadlines.  And 本网格待认领 N 件 is
counted by the database (`Tx.queue_count`), on both engines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.workcal import WorkingDays
from storage.base import Keep
from tests.conftest import StoreFactory, make_config
from tests.test_assisting import with_judicial_office
from tests.test_extend import due
from tests.test_supervision import NORMAL, START, URGENT, Desk, at, started

ANOTHER_URGENT = "小卖部门口有人打人了，还拿着棍子"


@pytest.fixture
async def liaisons(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Desk]:
    """The desk with 派出所 (police1, police2) and 司法所 (judicial1)."""
    async for d in started(with_judicial_office(make_config(db_path)), new_store):
        yield d


async def mine(desk: Desk, user: str, private: bool = True) -> str:
    [reply] = await desk.h.say(user, "我的", private=private)
    return reply.text


async def overdue_list(desk: Desk) -> str:
    [reply] = await desk.h.say("staff1", "督办", chat="staff")
    return reply.text


async def test_an_overdue_held_ticket_is_marked_and_listed_first(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)  # #1: 15 working days to be resolved
    await desk.h.say("worker1", "认领 1")
    desk.clock.now = due(desk, WorkingDays(15)) - at(hours=1)
    assert await mine(desk, "worker1") == "您负责的工单：\n#1｜处理中｜一般｜楼道灯坏了一个月"
    # Two working days on, an urgent case: the most urgent, it was listed first.  Now the
    # late one is, marked with how late, as 督办 says it.
    desk.clock.now = due(desk, WorkingDays(17)) - at(hours=1)
    await desk.h.say("resident1", URGENT)  # #2: 4 hours to be resolved
    await desk.h.say("worker1", "认领 2")
    assert await mine(desk, "worker1") == (
        "您负责的工单（超期 1 件）：\n"
        "【已超期 1个工作日】#1｜处理中｜一般｜楼道灯坏了一个月\n"
        "#2｜处理中｜紧急｜村口有人打人了"
    )
    assert "超时未办结 1个工作日" in await overdue_list(desk)
    # Both late: both marked, in the order read (the most urgent first).
    desk.clock.now = due(desk, WorkingDays(17)) + at(hours=3, minutes=30)
    assert await mine(desk, "worker1") == (
        "您负责的工单（超期 2 件）：\n"
        "【已超期 30分钟】#2｜处理中｜紧急｜村口有人打人了\n"
        "【已超期 2个工作日】#1｜处理中｜一般｜楼道灯坏了一个月"
    )
    listed = await overdue_list(desk)
    assert "超时未办结 30分钟" in listed and "超时未办结 2个工作日" in listed
    # Resolved, it is no longer held, nor counted.
    await desk.h.say("worker1", "办结 2 已上门劝阻，双方已和解", private=True)
    assert await mine(desk, "worker1") == (
        "您负责的工单（超期 1 件）：\n【已超期 2个工作日】#1｜处理中｜一般｜楼道灯坏了一个月"
    )


async def test_an_extended_ticket_is_late_only_past_its_new_deadline(desk: Desk) -> None:
    await desk.h.say("resident1", URGENT)  # #1 and #2: 4 hours to be resolved
    await desk.h.say("resident1", ANOTHER_URGENT)
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "认领 2")
    await desk.h.say("staff1", "延期 1 2小时 等派出所出警记录", chat="staff")  # #1: 6 hours
    desk.clock.now = START + at(hours=4, minutes=30)
    assert await mine(desk, "worker1") == (
        "您负责的工单（超期 1 件）：\n"
        f"【已超期 30分钟】#2｜处理中｜紧急｜{ANOTHER_URGENT}\n"
        f"#1｜处理中｜紧急｜{URGENT}"
    )
    desk.clock.now = START + at(hours=6, minutes=45)
    assert await mine(desk, "worker1") == (
        "您负责的工单（超期 2 件）：\n"
        f"【已超期 45分钟】#1｜处理中｜紧急｜{URGENT}\n"
        f"【已超期 2小时45分钟】#2｜处理中｜紧急｜{ANOTHER_URGENT}"
    )


async def test_a_liaisons_assisting_ticket_is_marked(liaisons: Desk) -> None:
    desk = liaisons
    await desk.h.say("resident1", URGENT)
    await desk.h.say("resident1", ANOTHER_URGENT)
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "认领 2")
    await desk.h.say("staff1", "延期 1 3小时", chat="staff")  # #1: 7 hours
    for number in (1, 2):
        await desk.h.say("staff1", f"协办 {number} 司法所 请派调解员参与", chat="staff")
    desk.clock.now = START + at(hours=5)
    assert await mine(desk, "judicial1") == (
        "本部门协办中（超期 1 件）：\n"
        f"【已超期 1小时】#2｜处理中｜紧急｜{ANOTHER_URGENT}\n"
        f"#1｜处理中｜紧急｜{URGENT}"
    )
    # Another department's liaison reads none of it.
    assert await mine(desk, "police1") == "暂无记录。"


async def test_the_mark_in_english(desk: Desk) -> None:
    await desk.h.say("resident1", URGENT)
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "/lang en", private=True)
    desk.clock.now = START + at(days=1, hours=5, minutes=10)
    [english] = await desk.h.say("worker1", "mine", private=True)
    assert english.text == (
        f"Tickets you hold (1 overdue):\n[overdue 1d 1h] #1 | claimed | Urgent | {URGENT}"
    )


async def test_residents_never_read_a_deadline(desk: Desk) -> None:
    await desk.h.say("resident1", URGENT)
    await desk.h.say("worker1", "认领 1")
    desk.clock.now = START + at(hours=5)
    assert await mine(desk, "worker1") == (
        f"您负责的工单（超期 1 件）：\n【已超期 1小时】#1｜处理中｜紧急｜{URGENT}"
    )
    # The reporter's own 我的 is as it was: the desk's deadlines are not theirs.
    assert await mine(desk, "resident1") == f"您反映的问题：\n#1｜处理中｜紧急｜{URGENT}"
    # Nor does a worker's 我的 asked in a residents' group say it there.
    assert await mine(desk, "worker1", private=False) == (
        f"您负责的工单：\n#1｜处理中｜紧急｜{URGENT}"
    )


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
