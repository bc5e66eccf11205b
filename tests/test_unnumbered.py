"""Commands typed without their number: alone ("认领", "查询"), they are answered instead of
passing as chatter; as a reply to a ticket's message (its acknowledgement, the report),
they mean that ticket, and "立案" in reply to a logged message files it.  Through the real
pipeline, both engines."""

from __future__ import annotations

from bot.adapters.harness import Harness
from tests.conftest import rows, texts

REPORT = "楼上天天半夜装修，吵得老人睡不着"


async def test_a_command_word_alone_is_answered(harness: Harness) -> None:
    await harness.say("resident1", REPORT)  # #1, acknowledged as m1
    mine = texts(await harness.say("resident1", "查询"))
    assert len(mine) == 1 and "#1" in mine[0] and "楼上天天半夜装修" in mine[0]
    assert texts(await harness.say("resident1", "/status")) == mine
    assert texts(await harness.say("worker1", "认领")) == ["用法：认领 12"]
    assert texts(await harness.say("worker1", "办结")) == ["用法：办结 12 办理结果"]
    assert texts(await harness.say("worker1", "立案")) == ["用法：立案 34"]
    # Words after the command word, with no reply to say which ticket: as before, talk.
    assert await harness.say("worker1", "备注 明天上午有人来") == []
    status = await harness.say("resident1", "查询 1")
    assert "待认领" in status[0].text


async def test_a_reply_to_the_acknowledgement_names_the_ticket(harness: Harness) -> None:
    await harness.say("resident1", REPORT)  # #1: m1
    await harness.say("resident2", "小区门口的路灯坏了一个星期")  # #2: m3 (m2: the staff room's)
    claimed = await harness.say("worker1", "认领", reply_to="m1")
    assert "工单 #1 已由 worker1 认领。" in texts(claimed)
    resolved = await harness.say("worker1", "办结：已上门调解", reply_to="m1")
    assert any(m.kind == "resolved" and "已上门调解" in m.text for m in resolved)
    async with harness.bot.store.read() as tx:
        first, second = await tx.ticket(1), await tx.ticket(2)
    assert first is not None and second is not None
    assert (first.status, first.resolution) == ("resolved", "已上门调解")
    assert second.status == "new"
    # A command that needs words still needs them.
    assert texts(await harness.say("worker1", "备注", reply_to="m3")) == ["用法：备注 12 内容"]
    noted = await harness.say("worker1", "备注 已电话联系", reply_to="m3")
    assert texts(noted) == ["已为工单 #2 添加备注。"]


async def test_a_residents_reply_is_theirs_to_make(harness: Harness) -> None:
    await harness.say("resident1", REPORT)  # #1: m1
    asked = texts(await harness.say("resident1", "查询", reply_to="m1"))
    assert len(asked) == 1 and asked[0].startswith("工单 #1｜待认领")
    # Not a command of theirs: what they add to their report, as before.
    added = await harness.say("resident1", "备注 我家电话换了", reply_to="m1")
    assert texts(added) == ["已补充到工单 #1。"]
    # Someone else's ticket stays someone else's, reply or not.
    other = texts(await harness.say("resident2", "查询", reply_to="m1"))
    assert other == ["没有找到工单 #1，或您无权查看。"]
    taken_back = await harness.say("resident1", "撤回 已经自己解决了", reply_to="m1")
    assert any("撤回" in m.text for m in taken_back)
    async with harness.bot.store.read() as tx:
        ticket = await tx.ticket(1)
    assert ticket is not None and ticket.status == "resolved"


async def test_filing_a_message_by_replying_to_it(harness: Harness) -> None:
    assert await harness.say("resident1", "谢谢", message_id="talk1") == []  # chatter
    filed = texts(await harness.say("worker1", "立案", reply_to="talk1"))
    assert "消息 1 已立案为工单 #1。" in filed
    assert await rows(harness.bot.store, "SELECT text FROM tickets") == [("谢谢",)]


async def test_an_edited_reply_is_not_run_again(harness: Harness) -> None:
    await harness.say("resident1", REPORT)  # #1: m1
    await harness.say("worker1", "认领", reply_to="m1", message_id="w1")
    await harness.say("worker1", "退回", reply_to="m1", message_id="w2")
    assert await harness.say("worker1", "认领", message_id="w3", edit_of="w2") == []
    async with harness.bot.store.read() as tx:
        ticket = await tx.ticket(1)
    assert ticket is not None and ticket.status == "new"
