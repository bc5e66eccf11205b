"""A grid worker giving a case back with a reason (退回 3 需要派出所处理): the centre, which
alone transfers cases, is told why.  It used to go back to the grid's queue and nobody
else heard of it until it escalated unclaimed."""

from __future__ import annotations

from bot.adapters.harness import Harness


async def test_a_grid_workers_reason_for_giving_back_reaches_the_staff_room(
    harness: Harness,
) -> None:
    await harness.say("resident1", "对门的偷了我家电动车，还威胁我")
    await harness.say("worker1", "认领 1")
    replies = await harness.say("worker1", "退回1 需要派出所处理")
    [reply] = [m for m in replies if m.chat_id == "group" and m.kind == "reply"]
    assert reply.text == "工单 #1 已退回待认领队列，退回原因已告知中心。"
    [staff] = [m for m in replies if m.chat_id == "staff"]
    assert staff.text == (
        "【网格员退回】东镇 worker1 退回工单 #1：需要派出所处理\n"
        "已回到本网格待认领队列；如需转办，请发送「转办 1 部门」或「指派 1 某人」。"
    )
    assert "#1" in (await harness.say("worker2", "待办"))[0].text


async def test_giving_back_without_a_reason_or_by_staff_tells_no_one_else(
    harness: Harness,
) -> None:
    """No reason, nothing for the centre to act on: a colleague may take it from the queue.
    Staff giving it back are the centre themselves (its holder is told, as before)."""
    await harness.say("resident1", "楼道里堆满杂物")
    await harness.say("worker1", "认领 1")
    replies = await harness.say("worker1", "退回 1")
    assert [(m.chat_id, m.text) for m in replies if m.kind != "edit"] == [
        ("group", "工单 #1 已退回待认领队列。")
    ]
    await harness.say("worker1", "认领 1")
    replies = await harness.say("staff1", "退回 1 另派", chat="staff")
    assert not any("【网格员退回】" in m.text for m in replies)


async def test_the_staff_notice_is_in_english_for_an_english_desk(harness: Harness) -> None:
    harness.bot.config.language = "en"
    await harness.say("resident1", "对门的偷了我家电动车")
    await harness.say("worker1", "认领 1")
    replies = await harness.say("worker1", "/unclaim 1 a case for the police")
    [staff] = [m for m in replies if m.chat_id == "staff"]
    assert staff.text.startswith("[Given back] worker1 (东镇) gave ticket #1 back: a case")
