"""The whole loop through the test harness: report, acknowledge, claim, resolve, status."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.base import Inbound, Person, Room
from bot.adapters.harness import Harness, HarnessAdapter
from bot.app import Bot
from classifier import Classification
from tests.conftest import KeywordClassifier, StoreFactory, harness_with, make_config, rows


async def test_report_claim_resolve_status(harness: Harness) -> None:
    replies = await harness.say("resident1", "楼上天天半夜装修，吵得睡不着", message_id="r1")
    ack = next(m for m in replies if m.kind == "ack")
    assert "#1" in ack.text and "邻里纠纷" in ack.text
    assert ack.reply_to_message_id == "r1"
    assert [b.command for b in ack.buttons] == ["/claim 1"]
    staff = next(m for m in replies if m.kind == "staff")
    assert staff.chat_id == "staff" and "#1" in staff.text

    pressed = await harness.press("worker1", ack)
    edit = next(m for m in pressed if m.kind == "edit")
    assert edit.edit_message_id == "m1"  # the acknowledgement itself is edited
    assert "worker1" in edit.text and [b.command for b in edit.buttons] == ["/resolve 1"]
    assert any("已由 worker1 认领" in m.text for m in pressed)

    done = await harness.say("worker1", "办结 1 已上门调解，双方达成一致")
    notice = next(m for m in done if m.kind == "resolved")
    assert notice.reply_to_message_id == "r1" and "已上门调解，双方达成一致" in notice.text
    assert next(m for m in done if m.kind == "edit").buttons == []

    status = await harness.say("resident1", "查询 1")
    assert len(status) == 1
    assert "已办结" in status[0].text and "已上门调解" in status[0].text


async def test_reply_to_acknowledgement_adds_to_ticket(harness: Harness) -> None:
    first = await harness.say("resident1", "小区门口垃圾堆了一周没人清")
    ack = next(m for m in first if m.kind == "ack")
    more = await harness.say("resident1", "今天又多了两车建筑垃圾", reply_to="m1")
    assert [m.text for m in more] == ["已补充到工单 #1。"]
    history = await harness.say("staff1", "/ticket 1", chat="staff")
    assert "今天又多了两车建筑垃圾" in history[0].text
    assert ack.ticket_id == 1
    # A reply to the report itself (not the bot) also lands on the ticket.
    again = await harness.say("resident1", "门口那堆也没清", reply_to="u1")
    assert [m.text for m in again] == ["已补充到工单 #1。"]


async def test_another_residents_report_in_reply_is_a_ticket_of_theirs(
    harness: Harness,
) -> None:
    """Added to someone else's ticket, they read `已补充到工单 #1。`, then `没有找到工单 #1`
    when they asked, and were never told the outcome nor visited.  Filed as their own and
    linked to it as the same event (the desk may merge them); their chatter, thanks and
    photos still join it."""
    await harness.say("resident1", "小区门口垃圾堆了一周没人清")
    filed = await harness.say("resident2", "还有旁边的垃圾桶也倒了", reply_to="m1")
    ack = next(m for m in filed if m.kind == "ack")
    assert "工单号 #2" in ack.text
    [staff] = [m for m in filed if m.chat_id == "staff"]
    assert "疑似与工单 #1 为同一事件" in staff.text and "并案 2 1" in staff.text
    assert (await harness.say("resident2", "查询 2"))[0].text.startswith("工单 #2｜待认领")
    thanks = await harness.say("resident2", "谢谢", reply_to="m1")
    assert [m.text for m in thanks] == ["已补充到工单 #1。"]
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "旁边的垃圾桶" not in history and "疑似同一事件 #2" in history


async def test_a_neighbour_pressing_on_a_ticket_in_reply_joins_it(harness: Harness) -> None:
    """Another resident's "还是没人管" or "人在不在，赶紧来处理" (the classifier finds no
    matter in it, 其他, and calls it urgent) under someone's open ticket joins it, as before:
    filed as a report of their own, each was a ticket about nothing, an urgent one escalated
    within the hour."""
    await harness.say("resident1", "小区门口垃圾堆了一周没人清")
    for nudge in ("还是没人管", "人在不在，赶紧来处理"):
        replies = await harness.say("resident2", nudge, reply_to="m1")
        assert [m.text for m in replies] == ["已补充到工单 #1。"], nudge
    assert await rows(harness.bot.store, "SELECT id FROM tickets") == [(1,)]


async def test_a_danger_in_reply_to_an_acknowledgement_is_filed_on_its_own(
    harness: Harness,
) -> None:
    """It used to be added to the leak (`已补充到工单 #1。`): no urgent ticket, nobody alerted."""
    await harness.say("resident1", "楼上漏水滴到我家", message_id="r1")
    replies = await harness.say("resident1", "楼上那家人下来打人了", reply_to="r1")
    ack = next(m for m in replies if m.kind == "ack")
    assert "工单号 #2" in ack.text and "【紧急】" in ack.text
    assert any(m.chat_id == "staff" and "#2" in m.text for m in replies)
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "打人" not in history
    # Into an urgent ticket, a danger is the same matter said again: it is added; another
    # resident's is a report of theirs, linked to it.
    more = await harness.say("resident1", "村口有人打人了，还在打", reply_to="u1")
    assert [m.text for m in more] == ["已补充到工单 #2。"]
    other = await harness.say("resident2", "村口有人打人了，还在打", reply_to="u1")
    assert "工单号 #3" in next(m for m in other if m.kind == "ack").text


async def test_a_reply_to_a_finished_ticket_is_not_left_where_nobody_reads_it(
    harness: Harness,
) -> None:
    """Added to a resolved or closed ticket, it was `已补充到工单 #1。` and nothing more: "还是没
    解决" under the resolution notice left the case resolved and its worker unaware, and a new
    matter under an old acknowledgement was never filed."""
    await harness.say("resident1", "楼上漏水滴到我家", message_id="r1")
    await harness.say("worker1", "认领 1")
    done = await harness.say("worker1", "办结 1 已协调楼上修好")
    notice = next(m for m in done if m.kind == "resolved")
    assert "重开 1" in notice.text
    # The reporter says, under the notice, that it is not solved: told how to reopen, and
    # the worker who resolved it hears of it.
    under = f"m{[m for m in harness.adapter.sent if m.kind != 'edit'].index(notice) + 1}"
    again = await harness.say("resident1", "还是没解决", reply_to=under)
    assert [(m.chat_id, m.text) for m in again] == [
        ("group", "您反映的问题（工单 #1）已办结，这条消息已补充到该工单。"
                  "如问题仍未解决，请发送「重开 1 原因」，网格员会重新处理。"),
        ("worker1", "您负责的工单 #1 的反映人再次反映：还是没解决"),
    ]
    # A new matter under the old acknowledgement is a report of its own, by anyone.
    new = await harness.say("resident1", "隔壁天天半夜唱歌", reply_to="r1")
    assert "已受理，工单号 #2。" in next(m for m in new if m.kind == "ack").text
    other = await harness.say("resident2", "我家门口天天有人倒垃圾", reply_to="r1")
    assert "已受理，工单号 #3。" in next(m for m in other if m.kind == "ack").text
    # Thanks are still kept with the case.
    thanks = await harness.say("resident1", "谢谢", reply_to="r1")
    assert [m.text for m in thanks] == ["已补充到工单 #1。"]
    # Closed, only staff reopen it: the reporter's "still" is filed as a report of its own.
    await harness.say("staff1", "结案 1", chat="staff")
    closed = await harness.say("resident1", "还是漏水", reply_to="r1")
    assert "已受理，工单号 #4。" in next(m for m in closed if m.kind == "ack").text
    # The desk reads what "还是漏水" is about: the ticket it was sent under.
    [desk] = [m.text for m in closed if m.chat_id == "staff"]
    assert "（发送时回复的是工单 #1，该工单已结案）" in desk
    [first] = [m.text for m in new if m.chat_id == "staff"]
    assert "（发送时回复的是工单 #1，该工单已办结）" in first
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "唱歌" not in history and "倒垃圾" not in history and "还是漏水" not in history

async def test_urgent_report_says_so_and_records_rule(harness: Harness) -> None:
    replies = await harness.say("resident1", "村口有人拿刀打人了快来")
    ack = next(m for m in replies if m.kind == "ack")
    assert "【紧急】" in ack.text and "风险提示：暴力冲突" in ack.text
    queue = await harness.say("worker1", "/queue")
    assert "紧急" in queue[0].text
    status = await harness.say("worker1", "查询 1")
    assert "风险提示：暴力冲突" in status[0].text


async def test_a_danger_reported_in_the_group_reaches_its_grid_privately_at_once(
    harness: Harness,
) -> None:
    """A group that chats all day is muted on many phones: a danger a rule names reaches the
    grid's workers one to one as it is filed, with 认领; supervision's first word came at 30
    minutes.  Not the model's urgent alone, nor an ordinary report (read in the group)."""
    replies = await harness.say("resident1", "村口有人拿刀打人了快来")
    direct = [m for m in replies if m.kind == "direct"]
    assert [m.chat_id for m in direct] == ["worker1", "worker2"]
    assert direct[0].text == (
        "【紧急】新工单 #1｜东镇｜治安隐患｜紧急（群内反映）\nresident1：村口有人拿刀打人了快来\n"
        "请立即核实处置，认领请发送「认领 1」。"
    )
    assert [(b.label, b.command) for b in direct[0].buttons] == [("认领", "/claim 1")]
    for quiet in ("人在不在，赶紧来处理", "楼道灯坏了一个月"):
        assert [m for m in await harness.say("resident2", quiet) if m.kind == "direct"] == []
    # The westworker's grid hears nothing of DZ's danger.
    assert all(m.chat_id != "westworker" for m in replies)


async def test_an_urgent_call_no_rule_explains_is_acknowledged_as_being_checked(
    harness: Harness,
) -> None:
    """The model alone called it urgent: the group is told it will be checked, not that an
    emergency was declared; the desk handles it as urgent all the same."""
    replies = await harness.say("resident1", "人在不在，赶紧来处理")
    ack = next(m for m in replies if m.kind == "ack")
    assert "【紧急】" not in ack.text and "已通知值班人员" not in ack.text
    assert "#1" in ack.text and "值班人员会尽快核实" in ack.text and "110 / 120 / 119" in ack.text
    staff = next(m for m in replies if m.kind == "staff")
    assert "紧急" in staff.text
    assert staff.text.endswith("（紧急为模型判断，未命中安全规则，请先核实）")
    queue = await harness.say("worker1", "/queue")
    assert "紧急" in queue[0].text
    rule = await harness.say("resident2", "村口有人拿刀打人了快来")  # a rule: the banner
    assert next(m for m in rule if m.kind == "ack").text.startswith("【紧急】")
    # Staff read why: the rule that fired, and no model-only note.
    staff = next(m for m in rule if m.kind == "staff")
    assert staff.text.endswith("风险提示：暴力冲突") and "模型判断" not in staff.text


async def test_staff_setting_it_urgent_is_announced_as_an_emergency(harness: Harness) -> None:
    """Staff's 改标 … 紧急 is a person's judgement, not the model's alone: the group's
    acknowledgement turns to 【紧急】, where it read 值班人员会尽快核实 (a check already made);
    the desk reads why.  Set back, the mark goes with it."""
    await harness.say("resident1", "楼上漏水三天了")  # #1, neighbour normal
    retagged = await harness.say("staff1", "改标 1 邻里 紧急", chat="staff")
    ack = next(m for m in retagged if m.kind == "edit")
    assert ack.text.startswith("【紧急】已受理，工单号 #1，已通知值班人员。")
    assert "人工研判" not in ack.text  # the desk's record, not the group's
    status = await harness.say("staff1", "查询 1", chat="staff")
    assert "风险提示：经人工研判为紧急" in status[0].text
    assert await rows(harness.bot.store, "SELECT urgency, rules FROM tickets") == [
        ("urgent", '["staff_urgent"]')
    ]
    retagged = await harness.say("staff1", "改标 1 邻里 一般", chat="staff")
    ack = next(m for m in retagged if m.kind == "edit")
    assert ack.text.startswith("已受理，工单号 #1。\n类型：邻里纠纷｜紧急程度：一般")
    assert await rows(harness.bot.store, "SELECT urgency, rules FROM tickets") == [
        ("normal", "[]")
    ]
    # The model's urgent, set 紧急 by staff, is theirs too; a rule's needs no mark.
    await harness.say("resident2", "人在不在，赶紧来处理")  # #2
    await harness.say("staff1", "改标 2 其他 紧急", chat="staff")
    await harness.say("resident2", "村口有人拿刀打人了快来")  # #3
    await harness.say("staff1", "改标 3 治安 紧急", chat="staff")
    marks = await rows(harness.bot.store, "SELECT id, rules FROM tickets WHERE id > 1")
    assert [(n, "staff_urgent" in r) for n, r in marks] == [(2, True), (3, False)]


async def test_staff_setting_it_urgent_tells_those_who_act_on_it_at_once(
    harness: Harness,
) -> None:
    """The acknowledgement read 【紧急】, and the grid's workers heard nothing until the first
    escalation: unclaimed, they are told privately with 认领; held, its holder alone."""
    await harness.say("resident1", "楼上漏水三天了")  # #1, neighbour normal
    retagged = await harness.say("staff1", "改标 1 邻里 紧急", chat="staff")
    told = {m.chat_id: m for m in retagged if m.kind == "direct"}
    assert sorted(told) == ["worker1", "worker2"]
    assert told["worker1"].text == (
        "【紧急】staff1 将工单 #1（东镇）改为紧急，请立即核实处置：\n楼上漏水三天了\n"
        "认领请发送「认领 1」。"
    )
    assert [b.command for b in told["worker1"].buttons] == ["/claim 1"]
    # Already urgent: nothing more.  Set back and held, then urgent again: the holder only.
    assert not [m for m in await harness.say("staff1", "改标 1 邻里 紧急", chat="staff")
                if m.kind == "direct"]
    await harness.say("staff1", "改标 1 邻里 一般", chat="staff")
    await harness.say("worker2", "认领 1")
    again = await harness.say("staff1", "改标 1 邻里 紧急", chat="staff")
    [holder] = [m for m in again if m.kind == "direct"]
    assert holder.chat_id == "worker2" and holder.buttons == []
    assert "认领" not in holder.text


async def test_crisis_ack_offers_the_hotline_and_does_not_label_the_writer(
    harness: Harness,
) -> None:
    """The group reads the acknowledgement: no "suicidal thoughts" label there, a hotline."""
    replies = await harness.say("resident1", "欠了一屁股债，真的不想活了")
    ack = next(m for m in replies if m.kind == "ack")
    assert "心理援助热线 12356" in ack.text and "110 / 120" in ack.text
    assert "轻生" not in ack.text and "风险提示" not in ack.text
    # Nor is the label in a worker's 查询 in the group, which all read under the same
    # number; one to one the worker sees why.
    status = await harness.say("worker1", "查询 1")
    assert "轻生" not in status[0].text and "心理援助热线 12356" in status[0].text
    status = await harness.say("worker1", "查询 1", private=True)
    assert "风险提示：轻生念头" in status[0].text


async def test_crisis_hotline_is_configurable(db_path: Path) -> None:
    config = make_config(db_path, language="en")
    config.intake.crisis_hotline = "0371-12345678"
    async with harness_with(config) as h:
        replies = await h.say("resident1", "I 不想活 any more")
        ack = next(m for m in replies if m.kind == "ack")
        assert "helpline 0371-12345678" in ack.text


async def test_chatter_makes_no_ticket_and_no_reply(harness: Harness) -> None:
    assert await harness.say("resident1", "收到") == []
    assert await harness.say("resident1", "👍👍🙏") == []
    mine = await harness.say("resident1", "我的")
    assert mine[0].text == "暂无记录。"


async def test_attachments_are_kept_on_the_ticket(harness: Harness) -> None:
    from bot.adapters.base import Attachment

    photo = Attachment("photo", "file-abc")
    replies = await harness.say("resident1", "", attachments=(photo,))
    assert any(m.kind == "ack" for m in replies)  # a photo alone is a report
    history = await harness.say("staff1", "/ticket 1", chat="staff")
    assert "photo:file-abc" in history[0].text


async def test_restart_keeps_tickets_events_and_outbox(
    db_path: Path, new_store: StoreFactory
) -> None:
    adapter = HarnessAdapter()
    config = make_config(db_path)
    async with Bot(config, [adapter], store=new_store(), classifier=KeywordClassifier()) as bot:
        h = Harness(bot, adapter)
        await h.say("resident1", "隔壁狗天天叫")
        await h.say("worker1", "认领 1")
        await h.say("worker1", "备注 1 已电话联系双方")
        # Queued but never delivered: the process "dies" before the dispatcher runs.
        late = Inbound(Person("test", "resident1"), h.room("group"), "late", "查询 1")
        assert await bot.pipeline.handle(late)
    adapter2 = HarnessAdapter()
    async with Bot(config, [adapter2], store=new_store(), classifier=KeywordClassifier()) as bot:
        h2 = Harness(bot, adapter2, id_prefix="again")
        await bot.dispatcher.flush()
        assert len(adapter2.sent) == 1 and "处理中" in adapter2.sent[0].text
        history = (await h2.say("staff1", "/ticket 1", chat="staff"))[0].text
        for fragment in ("隔壁狗天天叫", "认领", "已电话联系双方"):
            assert fragment in history


async def test_english_replies_by_config(db_path: Path) -> None:
    config = make_config(db_path, language="en")
    async with harness_with(config) as h:
        replies = await h.say("resident1", "noise from upstairs every night")
        ack = next(m for m in replies if m.kind == "ack")
        assert ack.text.startswith("Received. Ticket #1.")
        assert (await h.say("resident1", "/lang zh"))[0].text == "已切换为中文。"
        assert (await h.say("resident1", "/mine"))[0].text.startswith("您反映的问题")


async def test_worker_files_a_message_taken_for_chatter(harness: Harness) -> None:
    assert await harness.say("resident1", "收到", message_id="chat-1") == []
    listing = await harness.say("worker1", "未立案")
    assert "消息 1｜" in listing[0].text and "resident1：收到" in listing[0].text
    assert "没有未立案" in (await harness.say("westworker", "/unfiled"))[0].text  # other area
    filed = await harness.say("worker1", "立案 1")
    ack = next(m for m in filed if m.kind == "ack")
    assert ack.chat_id == "group" and ack.reply_to_message_id == "chat-1"
    assert "消息 1 已立案为工单 #1。" in [m.text for m in filed]
    # The resident who wrote it is the reporter; the worker who filed it is in the history.
    assert "待认领" in (await harness.say("resident1", "查询 1"))[0].text
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "worker1 登记 收到" in history
    assert "没有找到未立案的消息 1" in (await harness.say("worker1", "立案 1"))[0].text


async def test_area_prefixed_ticket_numbers(db_path: Path) -> None:
    config = make_config(db_path)
    config.intake.area_prefix = True
    async with harness_with(config) as h:
        ack = next(m for m in await h.say("resident1", "路灯坏了") if m.kind == "ack")
        assert "工单号 #DZ-1" in ack.text and "查询 DZ-1" in ack.text
        assert ack.buttons[0].command == "/claim DZ-1"
        claimed = [m.text for m in await h.say("worker1", "认领 #DZ-1")]
        assert "工单 #DZ-1 已由 worker1 认领。" in claimed


async def test_buttons_say_what_they_do_in_either_language(harness: Harness) -> None:
    """A button is an action to take ("Claim"), not the history's past tense ("claimed")."""
    ack = next(m for m in await harness.say("resident1", "楼上漏水") if m.kind == "ack")
    assert [b.label for b in ack.buttons] == ["认领"]
    await harness.say("resident2", "/lang en")
    ack = next(
        m
        for m in await harness.say("resident2", "water leaking from upstairs 楼上漏水")
        if m.kind == "ack"
    )
    assert [b.label for b in ack.buttons] == ["Claim"]
    edit = next(m for m in await harness.press("worker1", ack) if m.kind == "edit")
    assert [b.label for b in edit.buttons] == ["Resolve"]


async def test_resolve_button_asks_for_the_outcome(harness: Harness) -> None:
    ack = next(m for m in await harness.say("resident1", "楼道堆放杂物") if m.kind == "ack")
    edit = next(m for m in await harness.press("worker1", ack) if m.kind == "edit")
    prompt = await harness.press("worker1", edit)  # the Resolve button
    assert [m.text for m in prompt] == [
        "请发送「办结 1 办理结果」，写明如何解决的，结果会告知反映人。"
        "调解纠纷的，请以「调解成功」或「调解不成」开头，计入化解成功率。"
    ]
    assert "处理中" in (await harness.say("resident1", "查询 1"))[0].text
    # Pressed by someone who may not resolve it, the refusal comes first: they were asked
    # for the outcome, and refused only once they had written it.
    [refused] = await harness.press("worker2", edit)
    assert refused.text == "工单 #1 由 worker1 负责，只有负责人或管理人员可以操作。"
    [refused] = await harness.press("resident1", edit)
    assert refused.text == "您的身份（居民）不能使用「办结」。"
    # A ticket nobody holds: whoever may claim it is asked (it is claimed as it is resolved).
    await harness.say("resident1", "楼道灯坏了")
    prompt = await harness.say("worker2", "办结 2")
    assert prompt[0].text.startswith("请发送「办结 2 办理结果」")


async def test_unsure_type_is_not_presented_as_fact(db_path: Path) -> None:
    class Unsure:
        def classify(self, text: str) -> Classification:
            return Classification("consumer", 0.31, "normal", 0.7, needs_triage=True)

    async with harness_with(make_config(db_path), classifier=Unsure()) as h:
        replies = await h.say("resident1", "那个事情你们管不管")
        ack = next(m for m in replies if m.kind == "ack")
        assert "类型：待工作人员确认" in ack.text and "消费" not in ack.text
        staff = next(m for m in replies if m.kind == "staff")
        assert "消费" in staff.text and "需人工研判" in staff.text  # staff see the guess
        assert "需人工研判" in (await h.say("worker1", "/queue"))[0].text
        await h.say("staff1", "/retag 1 neighbour normal")
        assert "邻里纠纷" in (await h.say("resident1", "查询 1"))[0].text


async def test_chatter_from_a_one_to_one_intake_point_can_be_filed(db_path: Path) -> None:
    """WeCom/Official Account style: every private chat is an intake point ("*")."""
    from bot.config import IntakeGroup

    config = make_config(db_path)
    config.intake_groups.append(IntakeGroup(channel="test", chat_id="*", area="DZ"))
    async with harness_with(config) as h:
        assert await h.say("resident1", "谢谢", private=True) == []
        # Not from the residents' group, where a private message is never read out.
        assert "没有找到未立案的消息 1" in (await h.say("worker1", "立案 1"))[0].text
        filed = await h.say("worker1", "立案 1", private=True)
        assert "消息 1 已立案为工单 #1。" in [m.text for m in filed]
        ack = next(m for m in filed if m.kind == "ack")
        assert ack.chat_id == "resident1"  # back to the resident's own conversation


class _TwoRules:
    """A high ticket two safety rules fired on: what an English reply lists."""

    def classify(self, text: str) -> Classification:
        return Classification("public_order", 0.9, "high", 0.9, ("weapon", "violence"))


async def test_english_replies_name_the_urgency_and_list_without_chinese_marks(
    db_path: Path,
) -> None:
    """ "Urgency: High", as the Chinese says 较急, not the taxonomy's definition; and a list
    joined with commas, not 、."""
    config = make_config(db_path, language="en")
    async with harness_with(config, classifier=_TwoRules()) as h:
        ack = next(m for m in await h.say("resident1", "a man with a knife") if m.kind == "ack")
        assert "Urgency: High\n" in ack.text and "escalating" not in ack.text
        assert "Safety rules: weapon, violence" in ack.text
        ticket = (await h.say("staff1", "/ticket 1", chat="staff"))[0].text
        assert "High" in ticket and "escalating" not in ticket and "、" not in ticket


async def test_a_group_not_served_is_logged_once_with_its_id(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """How a centre setting the bot up learns a new group's id: its first message is logged
    (nothing stored, nothing said), the ones after it are not."""
    caplog.set_level("WARNING", logger="bot.pipeline")
    room = Room("test", "-100777", title="南村民情群")
    for n in range(2):
        inbound = Inbound(Person("test", "resident1", "resident1"), room, f"n-{n}", "路灯坏了")
        assert await harness.deliver(inbound) == []
    logged = [r.getMessage() for r in caplog.records if "-100777" in r.getMessage()]
    assert len(logged) == 1 and "南村民情群" in logged[0] and "[[intake_groups]]" in logged[0]
    assert await rows(harness.bot.store, "SELECT id FROM inbound_messages") == []
