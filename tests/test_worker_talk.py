"""The desk's own people talk in the intake group; what they declare (上报) is a report, and so
is any message of theirs an urgent safety rule fires on.  Through the real pipeline, both
engines."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.harness import CHANNEL, Harness
from bot.config import IntakeGroup
from tests.conftest import harness_with, make_config, rows, texts


async def tickets(h: Harness) -> list[tuple[int, str, str]]:
    """(id, reporter's user id, text) of every ticket."""
    found = await rows(
        h.bot.store,
        "SELECT t.id, p.user_id, t.text FROM tickets t JOIN people p ON p.id = t.reporter_id "
        "ORDER BY t.id",
    )
    return [(int(i), str(u), str(t)) for i, u, t in found]


async def dispositions(h: Harness) -> list[str]:
    found = await rows(h.bot.store, "SELECT disposition FROM inbound_messages ORDER BY id")
    return [str(d) for (d,) in found]


async def test_a_workers_talk_in_the_group_is_no_report(harness: Harness) -> None:
    """Each of these used to become a ticket."""
    for text in ("我这就过去看看", "1号已经处理好了", "大家注意，明天上午停水，请提前储水"):
        assert await harness.say("worker1", text) == []
    assert await harness.say("staff1", "各位网格员，今天下午三点开会") == []
    assert await tickets(harness) == []
    assert await dispositions(harness) == ["desk"] * 4
    # Not waiting among the chatter a worker may file either.
    assert texts(await harness.say("worker1", "未立案")) == ["没有未立案的群消息。"]


async def test_saying_they_will_handle_a_ticket_claims_it(harness: Harness) -> None:
    """"我来处理1号" was talk: the ticket stayed unclaimed and was escalated."""
    await harness.say("resident1", "楼道里堆满杂物，消防通道堵了")
    replies = await harness.say("worker1", "我来处理1号")
    assert texts(replies)[-1] == "工单 #1 已由 worker1 认领。"
    taken = await harness.say("worker2", "我来跟进 #1")
    assert texts(taken) == ["认领未成功：工单 #1 已由 worker1 认领。"]
    # "1号我来" is also "I will come on the 1st": talk, as before.
    assert await harness.say("worker2", "1号我来") == []


async def test_in_a_private_intake_point_the_worker_is_told(db_path: Path) -> None:
    """WeCom and the Official Account: every private chat is an intake point ("*"), where
    silence would leave a worker thinking their message was filed."""
    config = make_config(db_path)
    config.intake_groups.append(IntakeGroup(channel=CHANNEL, chat_id="*", area="DZ"))
    async with harness_with(config) as h:
        told = await h.say("worker1", "今天走访了三户", private=True)
        assert texts(told) == [
            "这条消息没有登记为工单。如需上报，请发送「上报：内容」；其他命令见 /help。"
        ]
        filed = await h.say("worker1", "上报：今天走访发现2户危房", private=True)
        assert "工单号 #1" in next(m for m in filed if m.kind == "ack").text


async def test_a_worker_declares_a_report(harness: Harness) -> None:
    replies = await harness.say("worker1", "上报：3号楼楼道堆满杂物，堵了消防通道")
    ack = next(m for m in replies if m.kind == "ack")
    assert "已登记上报，工单号 #1。" in ack.text and ack.chat_id == "group"
    assert await tickets(harness) == [(1, "worker1", "3号楼楼道堆满杂物，堵了消防通道")]
    # Declared, so filed even where the model sees chatter; a person picks the type.
    odd = next(m for m in await harness.say("worker1", "代报 收到") if m.kind == "ack")
    assert "工单号 #2" in odd.text and "类型：待工作人员确认" in odd.text
    # In a private chat, in the worker's own area; staff have none to file it under.
    private = await harness.say("worker1", "/report 西头路灯不亮", private=True)
    assert next(m for m in private if m.kind == "ack").chat_id == "worker1"
    assert (await tickets(harness))[-1] == (3, "worker1", "西头路灯不亮")
    refused = await harness.say("staff1", "上报：路灯不亮", private=True)
    assert texts(refused) == ["私聊上报需要您所属的网格；请在网格的群里发送「上报：内容」。"]


async def test_a_workers_report_is_acknowledged_to_them(harness: Harness) -> None:
    """The acknowledgement was a resident's: 网格员将尽快处理 and 查询 for progress, to the
    grid worker, and an urgent one 如有生命危险请立即拨打 110.  Theirs says what is theirs to
    do while nobody has taken it up; a resident's beside it is as it was."""
    [ack] = [m for m in await harness.say("worker1", "上报：3号楼楼道堆满杂物") if m.kind == "ack"]
    assert ack.text == (
        "已登记上报，工单号 #1。\n类型：邻里纠纷｜紧急程度：一般\n"
        "就地化解的，请发送「认领 1」，处理后「办结 1 结果」；"
        "需其他部门处理的，请「备注 1 情况」并请中心转办。"
    )
    assert [b.command for b in ack.buttons] == ["/claim 1"]
    [edit] = [m for m in await harness.say("worker1", "认领 1") if m.kind == "edit"]
    assert edit.text == (  # taken up: no more 认领 to send
        "已登记上报，工单号 #1。\n类型：邻里纠纷｜紧急程度：一般\n当前：处理中（worker1）"
    )
    danger = await harness.say("worker1", "上报：村口有人拿刀打人了")
    [urgent] = [m for m in danger if m.kind == "ack"]
    assert urgent.text.startswith(
        "【紧急】已登记上报，工单号 #2，已通知值班人员。"
        "现场有人身危险请先拨打 110 / 120 / 119，注意自身安全。\n"
    )
    assert "如有生命危险" not in urgent.text and "「认领 2」" in urgent.text
    resident = await harness.say("resident1", "楼上漏水")
    [theirs] = [m for m in resident if m.kind == "ack"]
    assert "网格员将尽快处理，发送「查询 3」可了解进度。" in theirs.text
    await harness.say("worker1", "/lang en")
    english = await harness.say("worker1", "/report 西头路灯不亮")
    assert next(m for m in english if m.kind == "ack").text.startswith(
        "Your report is filed as ticket #4."
    )


async def test_no_follow_up_visit_for_a_workers_own_report(harness: Harness) -> None:
    await harness.say("worker1", "上报：西头路灯不亮")
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "办结 1 已修好")
    [(visits,)] = await rows(harness.bot.store, "SELECT COUNT(*) FROM followups")
    assert visits == 0


async def test_a_danger_is_never_talk_and_a_reply_still_adds(harness: Harness) -> None:
    danger = await harness.say("worker1", "村口有人打人")  # an urgent rule fires
    assert "【紧急】" in next(m for m in danger if m.kind == "ack").text
    ack = next(m for m in await harness.say("resident1", "楼上漏水") if m.kind == "ack")
    report_id = ack.reply_to_message_id
    added = await harness.say("worker1", "已联系楼上住户，明早上门", reply_to=report_id)
    assert texts(added) == ["已补充到工单 #2。"]
    assert [t[0] for t in await tickets(harness)] == [1, 2]


async def test_a_residents_declaration_is_their_message(harness: Harness) -> None:
    replies = await harness.say("resident1", "上报：楼道灯坏了")
    assert "工单号 #1" in next(m for m in replies if m.kind == "ack").text
    assert await tickets(harness) == [(1, "resident1", "上报：楼道灯坏了")]
