"""Dismissing a ticket as not a report (作废, 非报事, /dismiss) and bringing it back
(/reopen), through the harness on SQLite and PostgreSQL: who may, from which statuses,
what the group and the "reporter" see, supervision, follow-up visits and the training
example it leaves."""

from __future__ import annotations

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import Harness
from bot.supervision import SweepReport
from tests.conftest import rows
from tests.scenario import Unsure
from tests.test_supervision import (
    CLAIM_LATE,
    CLAIM_LATE_2,
    NORMAL,
    START,
    URGENT,
    Desk,
    at,
)

CHATTER = "小区门口新开了一家超市"  # filed by an unsure model: 需人工研判
WITHDRAWN = (
    "【已作废】经核实，这条消息不是报事，工单 #1 不再办理。"
    "如需反映问题，请直接在群里描述（时间、地点、涉及的人）。"
)


async def chatter(harness: Harness, text: str = CHATTER, user: str = "resident1") -> Outbound:
    """A piece of chatter the model filed as a ticket, flagged for triage; its ack."""
    pipeline = harness.bot.pipeline
    model, pipeline.classifier = pipeline.classifier, Unsure()
    try:
        replies = await harness.say(user, text)
    finally:
        pipeline.classifier = model
    return next(m for m in replies if m.kind == "ack")


async def examples(harness: Harness) -> list[tuple[str, str, str]]:
    return await harness.bot.store.training_examples()


async def test_a_worker_dismisses_chatter_in_their_area(harness: Harness) -> None:
    ack = await chatter(harness)
    assert "类型：待工作人员确认" in ack.text
    replies = await harness.say("worker1", "作废 1 群聊，不是报事")
    # The acknowledgement is edited to say so (no buttons left), the worker is answered,
    # and that is all: nothing to the "reporter" privately, nothing new in the group.
    assert [(m.kind, m.chat_id) for m in replies] == [("edit", "group"), ("reply", "group")]
    edit, reply = replies
    assert (edit.edit_message_id, edit.text, edit.buttons) == ("m1", WITHDRAWN, [])
    assert reply.text == (
        "工单 #1 已作废（非报事）：移出待办队列，不督办、不回访，统计中单列，并记入训练样本。"
        "如系误判，中心工作人员可发送「重开 1」恢复。"
    )
    assert (await harness.say("worker1", "待办"))[0].text == "没有待认领的工单。"
    status = (await harness.say("resident1", "查询 1"))[0].text
    assert status.startswith("工单 #1｜已作废｜非报事消息｜")
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.endswith("worker1 作废 群聊，不是报事")
    assert "需人工研判" not in (await harness.say("resident1", "我的"))[0].text
    # The desk's correction, as /retag would store it, for retraining.
    assert await examples(harness) == [(CHATTER, "not_a_report", "low")]
    events = await rows(harness.bot.store, "SELECT action, payload FROM ticket_events ORDER BY id")
    assert events[-1][0] == "dismiss" and '"to": "dismissed"' in events[-1][1]


async def test_the_withdrawn_acknowledgement_says_where_to_report(harness: Harness) -> None:
    """A report made one to one (私下反映), dismissed, told its reporter to describe a problem
    in the group: the place they had kept it from.  A worker's own 上报 is told to declare."""
    await harness.say("resident1", "收到")  # seen in the group first: their grid is known
    filed = await harness.say("resident1", "隔壁302天天晚上吵得孩子没法睡", private=True)  # #1
    assert any(m.kind == "ack" and m.chat_id == "resident1" for m in filed)
    model, harness.bot.pipeline.classifier = harness.bot.pipeline.classifier, Unsure()
    try:
        await harness.say("worker1", "上报：" + CHATTER)  # #2
    finally:
        harness.bot.pipeline.classifier = model
    [private] = [m for m in await harness.say("staff1", "作废 1", chat="staff") if m.kind == "edit"]
    assert private.chat_id == "resident1" and private.text == (
        "【已作废】经核实，这条消息不是报事，工单 #1 不再办理。"
        "如需反映问题，请在这里直接描述（时间、地点、涉及的人）。"
    )
    [own] = [m for m in await harness.say("worker1", "作废 2") if m.kind == "edit"]
    assert own.text == (
        "【已作废】经核实，这条不是报事，工单 #2 不再办理。如需上报，请发送「上报：内容」。"
    )


async def test_slash_form_and_the_other_alias(harness: Harness) -> None:
    await chatter(harness)
    await chatter(harness, "【转发】明天上午停水通知")
    assert "已作废" in (await harness.say("staff1", "/dismiss 1"))[-1].text
    assert "已作废" in (await harness.say("worker2", "非报事 #2 转发的通知"))[-1].text
    history = (await harness.say("staff1", "详情 1", chat="staff"))[0].text
    assert history.endswith("staff1 作废")  # no reason given, none shown
    assert len(await examples(harness)) == 2


async def test_the_holder_may_dismiss_others_may_not(harness: Harness) -> None:
    await chatter(harness)
    await harness.say("worker1", "认领 1")
    refused = await harness.say("worker2", "作废 1")
    assert [m.text for m in refused] == [
        "工单 #1 由 worker1 负责，只有负责人或管理人员可以操作。"
    ]
    done = await harness.say("worker1", "作废 1 闲聊")
    assert next(m for m in done if m.kind == "edit").text == WITHDRAWN
    # Nobody holds it any more: it is off the holder's list.
    assert "#1" not in (await harness.say("worker1", "我的"))[0].text


async def test_a_holder_from_another_area_may_dismiss(harness: Harness) -> None:
    await chatter(harness)
    await harness.say("staff1", "指派 1 westworker")
    assert "已作废" in (await harness.say("westworker", "作废 1"))[-1].text


async def test_no_resident_may_not_even_the_reporter(harness: Harness) -> None:
    await chatter(harness)
    for user in ("resident1", "resident2"):
        replies = await harness.say(user, "作废 1")
        assert [m.text for m in replies] == ["您的身份（居民）不能使用「作废」。"]
    assert (await harness.say("westworker", "作废 1"))[0].text == (
        "没有找到工单 #1，或您无权查看。"
    )
    assert "待认领" in (await harness.say("resident1", "查询 1"))[0].text
    assert await examples(harness) == []


async def test_urgent_or_flagged_tickets_are_for_staff_to_dismiss(harness: Harness) -> None:
    await harness.say("resident1", URGENT)  # #1 urgent, violence rule
    await harness.say("resident1", "我不想活了")  # #2 high, suicidal_ideation rule
    for number in (1, 2):
        refused = await harness.say("worker1", f"作废 {number}")
        assert [m.text for m in refused] == [
            f"工单 #{number} 为紧急或有风险提示，只有中心工作人员可以作废。"
        ]
    await harness.say("worker1", "认领 1")  # holding it does not change that
    assert "只有中心工作人员" in (await harness.say("worker1", "作废 1"))[0].text
    done = await harness.say("staff1", "作废 1 误报，已电话核实")
    # worker1 held it: told (rows of an urgent ticket go first, the reply after them)
    assert sorted(m.kind for m in done) == ["direct", "edit", "reply"]
    assert "已作废" in next(m.text for m in done if m.kind == "reply")
    await harness.say("worker1", "/lang en")
    assert (await harness.say("worker1", "/dismiss 2"))[0].text == (
        "Ticket #2 is urgent or raised a safety rule; only the centre's staff may dismiss it."
    )


async def test_only_open_tickets_may_be_dismissed(harness: Harness) -> None:
    for user in ("resident1", "resident2", "resident3"):  # one person's repeat would join #1
        await chatter(harness, user=user)
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "办结 1 已答复")
    await harness.say("worker1", "认领 2")
    await harness.say("worker1", "办结 2 已答复")
    await harness.say("staff1", "结案 2")
    await harness.say("worker1", "作废 3")
    for number, status in ((1, "已办结"), (2, "已结案"), (3, "已作废")):
        replies = await harness.say("staff1", f"作废 {number}")
        assert [m.text for m in replies] == [f"工单 #{number} 当前为「{status}」，不能作废。"]
    # Reopened (the reporter's, from resolved) is open again, and may be.
    await harness.say("resident1", "重开 1 还是没解决")
    assert "已作废" in (await harness.say("worker1", "作废 1"))[-1].text
    # Nothing else happens to a dismissed ticket.
    for text, verb in (("认领 3", "认领"), ("备注 3 看看", "备注"), ("办结 3 好了", "办结")):
        assert (await harness.say("worker1", text))[0].text == (
            f"工单 #3 当前为「已作废」，不能{verb}。"
        )
    assert (await harness.say("staff1", "指派 3 worker1"))[0].text == (
        "工单 #3 当前为「已作废」，不能指派。"
    )
    await harness.say("staff1", "/lang en")
    assert (await harness.say("staff1", "/dismiss 2"))[0].text == (
        "Ticket #2 is closed; it cannot be dismissed now."
    )


async def test_a_stale_claim_button_is_refused(harness: Harness) -> None:
    ack = await chatter(harness)
    await harness.say("worker1", "作废 1")
    pressed = await harness.press("worker2", ack)
    assert [m.text for m in pressed] == ["工单 #1 当前为「已作废」，不能认领。"]


async def test_staff_bring_a_dismissed_ticket_back(harness: Harness) -> None:
    ack = await chatter(harness)
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "作废 1 闲聊")
    for user in ("resident1", "worker1"):
        refused = await harness.say(user, "重开 1")
        assert [m.text for m in refused] == ["工单 #1 已作废，只有中心工作人员可以恢复。"]
    back = await harness.say("staff1", "重开 1 看错了，确是报事")
    assert [(m.kind, m.chat_id) for m in back] == [("edit", "group"), ("reply", "group")]
    edit, reply = back
    # The acknowledgement as it first was, Claim button and all; nobody holds it.
    assert (edit.text, edit.buttons) == (ack.text, ack.buttons)
    assert reply.text == "工单 #1 已恢复，回到待认领队列。"
    assert "#1｜待认领｜咨询/建议｜需人工研判" in (await harness.say("worker1", "待办"))[0].text
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text.splitlines()
    assert history[-2].endswith(" worker1 作废 闲聊")
    assert history[-1].endswith(" staff1 恢复 看错了，确是报事")
    # The not_a_report example is withdrawn: the desk now says it is a report.
    assert await examples(harness) == []
    assert "已由 worker2 认领" in (await harness.say("worker2", "认领 1"))[-1].text
    await harness.say("staff1", "/lang en")
    await harness.say("worker2", "退回 1")
    await harness.say("worker2", "作废 1")
    assert (await harness.say("staff1", "/reopen 1"))[-1].text == (
        "Ticket #1 restored: it is back in the queue."
    )


async def test_a_reply_to_a_withdrawn_ack_is_a_message_of_its_own(harness: Harness) -> None:
    await chatter(harness)
    await harness.say("worker1", "作废 1")
    # Chatter stays chatter: no ticket, no reply, not added to the dismissed ticket.
    assert await harness.say("resident1", "谢谢", reply_to="m1") == []
    # A report is a report: a ticket of its own.
    replies = await harness.say("resident1", "楼上漏水到我家了", reply_to="m1")
    assert "已受理，工单号 #2。" in next(m for m in replies if m.kind == "ack").text
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "漏水" not in history and "补充" not in history


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/dismiss", "用法：/dismiss 12 [原因]"),
        ("作废 abc", "「abc」不是有效的工单号"),
        ("/dismiss 99 闲聊", "没有找到工单 #99，或您无权查看。"),
        ("非报事 99", "没有找到工单 #99，或您无权查看。"),
    ],
)
async def test_bad_input(harness: Harness, text: str, expected: str) -> None:
    replies = await harness.say("worker1", text)
    assert len(replies) == 1 and expected in replies[0].text
    assert await examples(harness) == []


# Supervision and follow-up visits, on a clock ------------------------------------------


async def test_a_dismissed_ticket_is_not_supervised(desk: Desk) -> None:
    await desk.h.say("resident1", URGENT)
    await desk.h.say("resident1", NORMAL)
    report, _ = await desk.sweep_at(at(minutes=31))
    assert report.escalated == 1  # #1, urgent, unclaimed for 30 minutes
    await desk.h.say("staff1", "作废 1 误报")
    await desk.h.say("worker1", "认领 2")
    await desk.h.say("worker1", "作废 2 闲聊")
    report, sent = await desk.sweep_at(at(days=60))
    # Nothing escalated or sent (the old commands' words are erased: bot.retention).
    assert (report.escalated, report.asked, sent) == (0, 0, [])
    assert (await desk.h.say("staff1", "督办"))[0].text == "没有超时工单。"


async def test_bringing_back_keeps_the_clock_of_the_report(desk: Desk) -> None:
    """A restored ticket was never handled: its deadlines count from its filing, and
    what was escalated before is not escalated again (a reopening would start afresh)."""
    await desk.h.say("resident1", NORMAL)  # claim within 3 working days: by Wednesday
    desk.clock.now = START + at(days=1)
    await desk.h.say("worker1", "作废 1")
    desk.clock.now = START + at(days=2)
    await desk.h.say("staff1", "重开 1 确是报事")
    assert await desk.sweep_on(CLAIM_LATE - at(minutes=1)) == (SweepReport(), [])
    report, sent = await desk.sweep_on(CLAIM_LATE)
    assert report.escalated == 1
    assert "超时未认领｜一般｜时限 3个工作日，已等待 3个工作日" in sent[0].text
    overdue = (await desk.h.say("staff1", "/overdue"))[0].text
    assert "#1｜一般｜待认领｜超时未认领 不到1个工作日｜已等待 3个工作日" in overdue
    # Dismissed and brought back again: level 1 is on record, so only level 2 is news.
    await desk.h.say("worker1", "作废 1")
    await desk.h.say("staff1", "重开 1")
    report, sent = await desk.sweep_at(at(days=6))
    assert report == SweepReport() and sent == []
    report, sent = await desk.sweep_on(CLAIM_LATE_2)
    assert report.escalated == 1 and sent[0].text.startswith("【二级督办】工单 #1 超时未认领")


async def test_no_follow_up_visit_for_a_dismissed_ticket(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("resident1", "我的", private=True)  # reachable privately
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "办结 1 已答复")
    desk.clock.now = START + at(hours=2)
    await desk.h.say("resident1", "重开 1 不对")  # the visit it scheduled is not due yet
    await desk.h.say("staff1", "作废 1 居民确认只是闲聊")
    report, sent = await desk.sweep_at(at(days=2))
    assert report == SweepReport(cancelled=1) and sent == []
    assert not [m for m in desk.adapter.sent if m.chat_id == "resident1" and m.kind != "reply"]
    rated = await desk.h.say("resident1", "满意 1")
    assert [m.text for m in rated] == ["工单 #1 当前为「已作废」，不能评价。"]
    # A ticket dismissed while new never had a visit to cancel.
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("worker1", "作废 2")
    assert await rows(desk.bot.store, "SELECT COUNT(*) FROM followups WHERE ticket_id = 2") == [
        (0,)
    ]


async def test_whoever_worked_a_dismissed_case_is_told(departments: Harness) -> None:
    """Staff dismissing a case tell whoever was working it, privately: its holder, the
    liaisons of a department it waited with (转办) or assisted (协办).  They used to hear
    nothing, and went on with a case gone from their lists.  Not the one who dismissed it."""
    harness = departments
    await harness.say("resident1", NORMAL)  # #1
    await harness.say("worker1", "认领 1")
    await harness.say("staff1", "协办 1 派出所")
    done = await harness.say("staff1", "作废 1 误报，已电话核实")
    text = "staff1 已将工单 #1 作废（非报事）：「误报，已电话核实」，您无需再办理。"
    assert {(m.chat_id, m.text) for m in done if m.kind == "direct"} == {
        (user, text) for user in ("worker1", "police1", "police2")
    }
    # Waiting in a department's queue: its liaisons, each in their own language.
    await harness.say("police2", "/lang en", private=True)
    await harness.say("resident2", "三楼楼道的灯也不亮了，晚上黑乎乎的")  # #2
    await harness.say("staff1", "转办 2 派出所")
    done = await harness.say("admin1", "作废 2")
    assert {(m.chat_id, m.text) for m in done if m.kind == "direct"} == {
        ("police1", "admin1 已将工单 #2 作废（非报事），您无需再办理。"),
        ("police2", "admin1 dismissed ticket #2 as not a report; there is nothing more to do "
         "on it."),
    }
    # The holder dismissing their own: nobody else was on it.
    await harness.say("resident3", "小区门口的路灯坏了一个星期")  # #3
    await harness.say("worker1", "认领 3")
    assert [m.kind for m in await harness.say("worker1", "作废 3")] == ["edit", "reply"]
