"""The hourly limit on one resident's reports (`intake.max_reports_per_hour`), through the
harness on SQLite and PostgreSQL with a settable clock: past it, reports are recorded and
not filed, the sender and the staff room are told once, an urgent message is always filed,
the desk can file a held message, and the next hour starts afresh."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import T0, Clock, StoreFactory, Timed, harness_with, make_config, rows

LIMIT = 3
HELD_REPLY = (
    "您一小时内已反映 3 件事，这条消息已记录，暂不另行立案，网格员会查看后处理。"
    "如有危险请立即拨打 110。"
)


@pytest.fixture
async def desk(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Timed]:
    config = make_config(db_path)
    config.intake.max_reports_per_hour = LIMIT
    clock = Clock(T0, T0)
    async with harness_with(config, new_store(), clock=clock) as h:
        yield Timed(h, clock)


def report(n: int) -> str:
    """Distinct reports (a number each, so none is taken for a repeat of another)."""
    return f"{n}号楼门口的垃圾堆了好几天没人清"


async def tickets(desk: Timed) -> int:
    return int((await rows(desk.harness.bot.store, "SELECT COUNT(*) FROM tickets"))[0][0])


async def test_past_the_limit_reports_are_recorded_not_filed(desk: Timed) -> None:
    for n in range(LIMIT):
        assert "已受理" in await desk.say("resident1", report(n), minutes=n)
    assert await tickets(desk) == LIMIT
    desk.clock.at(minutes=5)
    replies = await desk.harness.say("resident1", report(10))
    # The sender is answered in the group, under the message; the staff room is told who,
    # and which message to file if it should be.
    assert [(m.chat_id, m.text) for m in replies if m.chat_id == "group"] == [("group", HELD_REPLY)]
    [staff] = [m.text for m in replies if m.chat_id == "staff"]
    assert staff.startswith("resident1 一小时内已反映 3 件，其后的消息暂不立案，记入「未立案」")
    assert "发送「立案 4」登记" in staff and report(10) in staff
    # A second held message: recorded, and nobody is told again.
    assert await desk.harness.say("resident1", report(11)) == []
    assert await tickets(desk) == LIMIT
    held = await rows(
        desk.harness.bot.store,
        "SELECT id, disposition FROM inbound_messages WHERE disposition = 'held' ORDER BY id",
    )
    assert held == [(4, "held"), (5, "held")]
    # Another resident is not affected.
    assert "已受理" in await desk.say("resident2", report(20), minutes=6)


async def test_an_urgent_message_is_always_filed(desk: Timed) -> None:
    for n in range(LIMIT):
        await desk.say("resident1", report(n), minutes=n)
    reply = await desk.say("resident1", "楼下着火了", minutes=10)
    assert "工单号 #4" in reply
    assert await tickets(desk) == LIMIT + 1


async def test_a_message_any_safety_rule_fires_on_is_always_filed(desk: Timed) -> None:
    """A typhoon night: a resident reports their flooded house line by line, the limit
    holds the next message, and then they write that they cannot go on.  Suicidal ideation
    is a safety rule of level 较急, not 紧急: it was held, and the staff room had been told
    only of the first held message."""
    for n in range(LIMIT):
        await desk.say("resident1", report(n), minutes=n)
    assert (await desk.say("resident1", report(10), minutes=5)).startswith(HELD_REPLY)
    reply = await desk.say("resident1", "家里全淹了，我不想活了", minutes=6)
    assert "工单号 #4" in reply and HELD_REPLY not in reply
    assert "新工单 #4" in reply  # and the staff room has it, as any report
    assert await tickets(desk) == LIMIT + 1
    # The next ordinary report is still held, and nobody is told again.
    assert await desk.say("resident1", report(11), minutes=7) == ""
    assert await tickets(desk) == LIMIT + 1


async def test_the_desk_sees_and_files_held_messages(desk: Timed) -> None:
    for n in range(LIMIT + 1):
        await desk.say("resident1", report(n), minutes=n)
    unfiled = await desk.say("worker1", "未立案", minutes=10)
    assert f"resident1（超出每小时上限，暂缓立案）：{report(LIMIT)}" in unfiled
    assert "消息 4 已立案为工单 #4。" in await desk.say("worker1", "立案 4", minutes=11)
    assert await tickets(desk) == LIMIT + 1
    assert await desk.say("worker1", "未立案", minutes=12) == "没有未立案的群消息。"


async def test_the_next_hour_starts_afresh(desk: Timed) -> None:
    for n in range(LIMIT + 1):
        await desk.say("resident1", report(n), minutes=n)
    assert await tickets(desk) == LIMIT
    # The window is the last hour: past it, reports are filed again (the 4th at minute 3 was
    # held) ...
    for n in range(LIMIT):
        assert "已受理" in await desk.say("resident1", report(40 + n), minutes=64 + n)
    # ... and the next one over the limit is held with a new notice, the last held message
    # being more than an hour old.
    told = await desk.say("resident1", report(50), minutes=67)
    assert told.startswith(HELD_REPLY) and "（第一条为 8 号" in told
    assert await tickets(desk) == 2 * LIMIT


async def test_the_desks_own_reports_are_not_limited(desk: Timed) -> None:
    for n in range(LIMIT + 2):
        assert "已登记上报" in await desk.say("worker1", f"上报：{report(n)}", minutes=n)
    assert await tickets(desk) == LIMIT + 2


async def test_off_when_zero(db_path: Path, new_store: StoreFactory) -> None:
    config = make_config(db_path)  # conftest turns it off for every other test
    assert config.intake.max_reports_per_hour == 0
    clock = Clock(T0, T0)
    async with harness_with(config, new_store(), clock=clock) as h:
        desk = Timed(h, clock)
        for n in range(LIMIT + 2):
            assert "已受理" in await desk.say("resident1", report(n), minutes=n)


async def test_in_english(desk: Timed) -> None:
    await desk.say("resident1", "/lang en")
    for n in range(LIMIT):
        await desk.say("resident1", report(n), minutes=n)
    assert (await desk.say("resident1", report(9), minutes=5)).startswith(
        "You have reported 3 matters in the last hour."
    )


async def test_a_filed_message_names_its_reporter_in_the_history(desk: Timed) -> None:
    """A held message filed by the desk (立案) is the resident's report, but its history
    reads `worker1 登记 <the resident's words>`: 详情 named whoever filed it and never whom
    to call.  It names the reporter; a report filed by its own sender needs no such line."""
    for n in range(LIMIT + 1):
        await desk.say("resident1", report(n), minutes=n)
    await desk.say("worker1", "立案 4", minutes=11)
    filed = await desk.say("staff1", "详情 4", chat="staff", minutes=12)
    assert "反映人：resident1" in filed.splitlines()
    assert f"worker1 登记 {report(LIMIT)}" in filed
    assert "反映人：" not in await desk.say("staff1", "详情 1", chat="staff", minutes=13)
