"""Tickets linked as one event (疑似同一事件) are marked where the desk lists them (待办,
督办), through the harness on SQLite and PostgreSQL: staff read the 并案 that would make
each event one case, grid workers the mark alone (they cannot merge), and a residents' group
neither (it is not to learn who else reported)."""

from __future__ import annotations

from bot.adapters.harness import Harness
from bot.many_reporters import events_of
from tests.test_supervision import CLAIM_LATE, Desk

FIRE = "村口着火了"
FIRE_AGAIN = "村口那边着火了，烟很大！"
OTHER = "隔壁邻居天天半夜装修，吵得睡不着"


async def three_reports(harness: Harness) -> None:
    """#1 and #3 one event (a fire), #2 not linked."""
    await harness.say("resident1", FIRE)
    await harness.say("resident2", OTHER)
    await harness.say("resident3", FIRE_AGAIN)


def line_of(text: str, label: str) -> str:
    [line] = [line for line in text.split("\n") if line.startswith(label)]
    return line


async def test_staff_read_the_mark_and_the_merge(harness: Harness) -> None:
    await three_reports(harness)
    queue = (await harness.say("staff1", "待办", chat="staff"))[0].text
    assert line_of(queue, "#1｜").endswith("（与 #3 疑似同一事件）")
    assert line_of(queue, "#3｜").endswith("（与 #1 疑似同一事件）")
    assert "疑似同一事件" not in line_of(queue, "#2｜")
    # One hint, at the end, in the form that merges all of an event at once.
    assert queue.split("\n")[-1] == "疑似同一事件的工单，核实后可发送「并案 3 到 1」合并。"
    # ... which does.
    await harness.say("staff1", "并案 3 到 1", chat="staff")
    queue = (await harness.say("staff1", "待办", chat="staff"))[0].text
    assert "疑似同一事件" not in queue and "#3｜" not in queue


async def test_an_event_of_three_is_one_command(harness: Harness) -> None:
    await three_reports(harness)
    await harness.say("resident4", "村口着火了，快来人")  # #4, the same fire
    queue = (await harness.say("staff1", "待办", chat="staff"))[0].text
    marked = [line for line in queue.split("\n") if "疑似同一事件）" in line]
    assert len(marked) == 3
    assert line_of(queue, "#1｜").endswith("（与 #3、#4 疑似同一事件）")
    hint = queue.split("\n")[-1]
    assert hint.count("「并案") == 1
    main = next(n for n in (1, 3, 4) if f"到 {n}」" in hint)
    others = " ".join(str(n) for n in (1, 3, 4) if n != main)
    assert hint == f"疑似同一事件的工单，核实后可发送「并案 {others} 到 {main}」合并。"


async def test_in_english(harness: Harness) -> None:
    await three_reports(harness)
    await harness.say("staff1", "/lang en")
    queue = (await harness.say("staff1", "/queue", chat="staff"))[0].text
    assert line_of(queue, "#1").endswith("(maybe the same event as #3)")
    assert queue.split("\n")[-1] == (
        "Tickets that may be one event: once checked, send /merge 3 into 1 to merge them."
    )


async def test_a_grid_worker_reads_the_mark_without_the_merge(harness: Harness) -> None:
    await three_reports(harness)
    queue = (await harness.say("worker1", "待办", private=True))[0].text
    assert line_of(queue, "#1｜").endswith("（与 #3 疑似同一事件）")
    assert "并案" not in queue


async def test_a_residents_group_reads_no_link(harness: Harness) -> None:
    await three_reports(harness)
    for user in ("staff1", "worker1"):
        queue = (await harness.say(user, "待办"))[0].text  # in the intake group
        assert "#1｜" in queue and "#3｜" in queue
        assert "疑似同一事件" not in queue and "并案" not in queue


async def test_overdue_marks_them_too(desk: Desk) -> None:
    await three_reports(desk.h)
    await desk.sweep_on(CLAIM_LATE)
    text = (await desk.h.say("staff1", "督办", chat="staff"))[0].text
    assert "（与 #3 疑似同一事件）" in text
    assert text.split("\n")[-1] == "疑似同一事件的工单，核实后可发送「并案 3 到 1」合并。"


async def test_the_links_are_followed_from_the_listed_tickets(harness: Harness) -> None:
    for n, user in enumerate(("resident1", "resident2", "resident3", "resident4"), 1):
        await harness.say(user, f"{OTHER}（第{n}次）" if n % 2 else f"楼上漏水到我家了，第{n}家")
    async with harness.bot.store.write() as tx:
        # #1 linked with #2, and #2 merged into #3: one event, found from any of them.
        for this, other in ((1, 2), (2, 1)):
            await tx.add_event(
                this, None, "same_event", "2026-01-01T00:00:00.000Z", {"ticket": other}
            )
        await tx.add_event(2, None, "merge", "2026-01-01T00:00:00.000Z", {"into": 3})
        await tx.add_event(3, None, "merge_in", "2026-01-01T00:00:00.000Z", {"ticket": 2})
    async with harness.bot.store.read() as tx:
        found = await events_of(tx, [1, 3, 4])
    assert {k: [t.id for t in v] for k, v in found.items()} == {1: [1, 2, 3], 3: [1, 2, 3]}
