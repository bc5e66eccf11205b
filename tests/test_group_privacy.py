"""What a residents' group may read of tickets it did not report (the authorization audit):
a worker or staff member asking there reads out only that group's own reports. Another
group's (another grid's residents never saw it) reads as a private report does: its words
left out of /queue, /mine and /overdue, absent from /search and /unfiled, and /status and
/ticket refused."""

from __future__ import annotations

from bot.adapters.harness import Harness
from tests.conftest import rows

REPORT = "我家隔壁刘某天天半夜砸墙"  # filed in the DZ group ("group")
WORD = "砸墙"  # searched for
SECRET = "刘某"  # never read out in the XC group


async def test_another_groups_ticket_is_not_read_out_in_a_residents_group(
    harness: Harness,
) -> None:
    await harness.say("resident1", REPORT)  # #1, from the DZ group
    await harness.say("resident1", "收到")  # chatter, logged for 未立案
    await harness.say("worker1", "认领 1", private=True)
    # worker1 (DZ) and staff1 asking in the XC group ("west"), whose residents read the reply.
    for user, typed in (
        ("worker1", "待办 DZ"),
        ("worker1", "我的"),
        ("worker1", f"查找 {WORD}"),
        ("worker1", "/status 1"),
        ("worker1", "未立案"),
        ("staff1", "待办 DZ"),
        ("staff1", f"/search {WORD}"),
        ("staff1", "查询 1"),
        ("staff1", "改标 1 邻里纠纷 较急"),
    ):
        replies = await harness.say(user, typed, chat="west")
        read_out = [m.text for m in replies if m.chat_id == "west"]
        assert read_out, f"{user} {typed}: no reply"
        leaked = [t for t in read_out if SECRET in t or "收到" in t or "邻里纠纷" in t]
        assert leaked == [], (user, typed)
    mine = (await harness.say("worker1", "我的", chat="west"))[0].text
    assert mine == "您负责的工单：\n#1｜处理中｜较急｜（其他群反映）"
    status = (await harness.say("worker1", "查询 1", chat="west"))[0].text
    assert status == "工单 #1 不是在本群反映的，不在这里显示，请私聊机器人查看。"
    # The group it came from, and one to one, read it as before.
    assert SECRET in (await harness.say("worker1", "我的"))[0].text
    assert SECRET in (await harness.say("worker1", "我的", private=True))[0].text


async def test_a_tickets_history_is_not_read_out_in_its_own_group(harness: Harness) -> None:
    """/ticket's history holds the desk's notes, every addition and who did what: the group
    read the report and its acknowledgement, not that."""
    await harness.say("resident1", REPORT)
    await harness.say("worker1", "备注 1 刘某有精神病史，需社区医生陪同", private=True)
    for user in ("worker1", "staff1"):
        for typed in ("详情 1", "/ticket 1"):
            [reply] = await harness.say(user, typed)
            assert reply.chat_id == "group"
            assert reply.text == (
                "工单 #1 的全部记录（含处理经过）不在群里显示，请私聊机器人发送「详情 1」查看。"
            )
    # One to one and in the staff room it reads as before.
    assert "精神病史" in (await harness.say("worker1", "详情 1", private=True))[0].text
    assert "精神病史" in (await harness.say("staff1", "详情 1", chat="staff"))[0].text


async def test_working_a_ticket_another_room_reported_is_answered_one_to_one(
    harness: Harness,
) -> None:
    """ "办结 2 已上门劝阻，刘某表示不再聚赌" typed in the residents' group about a private
    report was answered there with its outcome; now the worker reads the reply one to one
    and the group only that it went there."""
    await harness.say("resident1", REPORT)  # #1, in the group: its area is known
    await harness.say("resident1", "楼下有人天天聚赌", private=True)  # #2, privately
    for typed in ("认领 2", "备注 2 刘某家里有老人", "办结 2 已上门劝阻，刘某表示不再聚赌"):
        sent = await harness.say("worker1", typed)
        in_group = [m.text for m in sent if m.chat_id == "group"]
        assert in_group == ["工单 #2 不是在本群反映的，回复已私信发给您；请勿在群里提及其内容。"], (
            typed
        )
        aside = [m.text for m in sent if m.chat_id == "worker1"]
        assert aside, typed
    assert "已办结" in aside[0]
    # Someone who may not see it is told "not found" where they asked, as before: no word
    # that it exists elsewhere.
    [refused] = await harness.say("westworker", "认领 2", chat="west")
    assert (refused.chat_id, refused.text) == ("west", "没有找到工单 #2，或您无权查看。")
    # The group's own report is answered there, as before.
    sent = await harness.say("worker1", "认领 1")
    assert [m.text for m in sent if m.kind == "reply"] == ["工单 #1 已由 worker1 认领。"]


async def test_a_notice_to_a_report_of_the_group_is_not_taken_aside(harness: Harness) -> None:
    """A report of the group merged into a private one (the same den): resolving the private
    one in the group answers the worker one to one, but the notice to the group's reporter,
    under their report, is theirs: it went to the worker instead, and they never heard."""
    await harness.say("resident1", REPORT)  # #1, in the group: its area is known
    await harness.say("resident1", "楼下有人天天聚赌", private=True)  # #2, privately
    await harness.say("resident2", "楼下棋牌室天天聚赌到半夜")  # #3, in the group
    await harness.say("staff1", "并案 3 2", chat="staff")
    await harness.say("worker1", "认领 2")
    sent = await harness.say("worker1", "办结 2 已上门劝阻")
    in_group = [(m.kind, m.text) for m in sent if m.chat_id == "group"]
    assert in_group == [
        # The private report's outcome is written about it: read one to one (test_merge.py).
        (
            "resolved",
            "您反映的问题（工单 #3，已并入工单 #2）已办结，"
            "办理结果请私聊机器人发送「查询 3」查看。",
        ),
        ("reply", "工单 #2 不是在本群反映的，回复已私信发给您；请勿在群里提及其内容。"),
    ], sent
    aside = [m.text for m in sent if m.chat_id == "worker1"]
    assert not any("工单 #3" in text for text in aside), aside


async def test_filing_a_message_of_the_group_is_answered_there(harness: Harness) -> None:
    """立案 N names a logged message, not a ticket: with a private report numbered N too,
    filing the group's own message N was answered one to one, and the group told that
    工单 #N (the private report) was not reported there."""
    await harness.say("resident1", "收到")  # chatter in the group, not filed
    [[number]] = await rows(harness.bot.store, "SELECT MAX(id) FROM inbound_messages")
    for i in range(int(number)):  # the private report to be #N
        report = f"楼下有人天天聚赌，第{i + 1}次反映"
        ack = (await harness.say("resident1", report, private=True))[0]
    assert ack.text.startswith(f"已受理，工单号 #{number}。"), ack.text
    sent = await harness.say("worker1", f"立案 {number}")
    in_group = [m.text for m in sent if m.chat_id == "group" and m.kind == "reply"]
    assert in_group == [f"消息 {number} 已立案为工单 #{int(number) + 1}。"], sent
    assert not any(m.chat_id == "worker1" for m in sent), sent
