"""Handing a ticket to a department (转办, 吹哨报到), through the harness on SQLite and
PostgreSQL: staff hand it on, the department's liaisons (部门对接人) are told, claim and
resolve it or send it back; what they may see; supervision tells them when nobody there
took it up; /grant and the config name departments by code."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.adapters.base import Outbound
from bot.adapters.harness import CHANNEL, Harness, HarnessAdapter
from bot.app import Bot
from bot.cli import main
from bot.config import Briefing, ChatRef, Config, Department, DepartmentSla, PersonConfig
from bot.ledger import COLUMNS, LedgerFormat
from bot.workflow import Role
from tests.conftest import (
    KeywordClassifier,
    StoreFactory,
    harness_with,
    make_config,
    rows,
    with_departments,
)
from tests.test_assisting import with_judicial_office
from tests.test_ledger import database_url, read_csv, write_config
from tests.test_supervision import ROOM_AND_GRID, START, URGENT, Desk, at, local, started


@pytest.fixture
def harness(departments: Harness) -> Harness:
    """This file's harness has the departments (`tests.conftest.with_departments`)."""
    return departments


@pytest.fixture
async def desk(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Desk]:
    async for started_desk in started(with_departments(make_config(db_path)), new_store):
        yield started_desk


def by_kind(replies: list[Outbound], kind: str) -> list[Outbound]:
    return [m for m in replies if m.kind == kind]


async def test_a_department_not_set_up_is_answered_with_those_that_are(harness: Harness) -> None:
    """"转办 1 人社局" where the county set up no such department: the staff member is
    told which there are, not only to use a person's name."""
    await harness.say("resident1", "工地老板欠了我们三个月工资")
    [reply] = await harness.say("staff1", "转办 1 人社局", chat="staff")
    assert reply.text == (
        "没有「人社局」这个部门，也没有叫这个名字的人员。可转办的部门："
        "派出所（PCS）、司法所（SFS）；交给人员请用对方的用户名或显示名。"
    )
    assert await rows(harness.bot.store, "SELECT department FROM tickets") == [(None,)]


async def test_a_wrong_department_is_answered_alike_and_a_start_of_one_names_it(
    harness: Harness,
) -> None:
    """"转办 5 公安" and "协办 5 司法" listed PCS（派出所） codes first, each in its own words;
    now both begin 没有「…」这个部门 and list 派出所（PCS）.  司法, the start of 司法所 and of
    no other name, names it; 公安 is no start of 派出所 and is not guessed at."""
    await harness.say("resident1", "楼下棋牌室天天聚众赌博")  # #1
    [assigned] = by_kind(await harness.say("staff1", "转办 1 公安", chat="staff"), "reply")
    assert assigned.text == (
        "没有「公安」这个部门，也没有叫这个名字的人员。可转办的部门：派出所（PCS）、司法所（SFS）；"
        "交给人员请用对方的用户名或显示名。"
    )
    [assisted] = by_kind(await harness.say("staff1", "协办 1 公安", chat="staff"), "reply")
    assert assisted.text == "没有「公安」这个部门。可协办的部门：派出所（PCS）、司法所（SFS）。"
    await harness.say("staff1", "/lang en", chat="staff")
    [english] = by_kind(await harness.say("staff1", "/assist 1 police", chat="staff"), "reply")
    assert english.text == (
        "There is no department 'police'. Departments that can assist: 派出所 (PCS), 司法所 (SFS)."
    )
    await harness.say("staff1", "/lang zh", chat="staff")
    replies = await harness.say("staff1", "转办 1 派出", chat="staff")
    assert by_kind(replies, "reply")[0].text.startswith("已将工单 #1 转派出所办理")
    replies = await harness.say("staff1", "协办 1 司法", chat="staff")
    assert by_kind(replies, "reply")[0].text.startswith("已请司法所协办工单 #1")
    assert await rows(harness.bot.store, "SELECT department, assisting FROM tickets") == [
        ("PCS", "SFS")
    ]


async def test_a_number_glued_to_whom_it_goes_to(harness: Harness) -> None:
    """"转办5派出所" was told 「5派出所」 is no ticket number; the number glued to a
    department's or a person's name is the number, then the name.  From a resident it is
    still their words: filed, not refused."""
    await harness.say("resident1", "楼下棋牌室天天聚众赌博")  # #1
    await harness.say("resident2", "邻居装修噪音太大")  # #2
    replies = await harness.say("staff1", "转办1派出所 请核实是否涉赌", chat="staff")
    assert by_kind(replies, "reply")[0].text == (
        "已将工单 #1 转派出所办理，已私信通知对接人：police1、police2。"
    )
    assert "中心意见：请核实是否涉赌" in by_kind(replies, "direct")[0].text
    replies = await harness.say("staff1", "协办1司法所", chat="staff")
    assert by_kind(replies, "reply")[0].text.startswith("已请司法所协办工单 #1")
    replies = await harness.say("staff1", "派给2worker1", chat="staff")
    assert by_kind(replies, "reply")[0].text == "工单 #2 已指派给 worker1。"
    assert await rows(
        harness.bot.store, "SELECT id, department, assisting FROM tickets ORDER BY id"
    ) == [(1, "PCS", "SFS"), (2, None, "")]
    # A resident's "转给3王五看看" is theirs: a report, as it was.
    [ack] = by_kind(await harness.say("resident3", "转给3王五看看"), "ack")
    assert ack.text.startswith("已受理，工单号 #3。")


async def test_staff_hand_a_ticket_to_a_department_and_its_liaisons_take_it_up(
    harness: Harness,
) -> None:
    [ack] = by_kind(await harness.say("resident1", "楼下棋牌室天天聚众赌博"), "ack")  # #1
    assert [b.command for b in ack.buttons] == ["/claim 1"]
    replies = await harness.say("staff1", "转办 1 派出所 请核实是否涉赌", chat="staff")
    # The group's acknowledgement reads the same, and loses its 认领 at once (the police's
    # liaisons claim it from their notices): its buttons alone are edited.
    [edit] = by_kind(replies, "edit")
    assert (edit.chat_id, edit.edit_message_id, edit.text) == ("group", "m1", ack.text)
    assert edit.buttons == [] and edit.buttons_only and edit.news == ""
    [reply] = by_kind(replies, "reply")
    assert reply.text == "已将工单 #1 转派出所办理，已私信通知对接人：police1、police2。"
    notices = by_kind(replies, "direct")
    assert [m.chat_id for m in notices] == ["police1", "police2"]
    assert [(b.label, b.command) for b in notices[0].buttons] == [("认领", "/claim 1")]
    assert notices[0].text == (
        # Where, what and how urgent, and who reported it: whom to call, in which village.
        "【转办】staff1 将工单 #1（东镇｜邻里纠纷｜一般）转派出所办理\n"
        "resident1：楼下棋牌室天天聚众赌博\n中心意见：请核实是否涉赌\n"
        "认领请发送「认领 1」；不属于本部门职责请发送「退回 1 原因」。"
    )
    assert await rows(harness.bot.store, "SELECT status, assignee_id, department FROM tickets") == [
        ("new", None, "PCS")
    ]
    # The grid's queue leaves it out; the department's and the centre's list it.
    assert (await harness.say("worker1", "待办"))[0].text == "没有待认领的工单。"
    police_queue = (await harness.say("police1", "待办", private=True))[0].text
    assert police_queue == "待认领工单（派出所）：\n#1｜待认领｜一般｜楼下棋牌室天天聚众赌博"
    assert "（转派出所）" in (await harness.say("staff1", "待办", chat="staff"))[0].text
    # A grid worker may not take it up, but may add what they know.
    [refused] = await harness.say("worker1", "认领 1")
    # In the group all read it, and which department has a case says what it is about.
    assert refused.text == "工单 #1 已转相关部门办理，由其对接人认领；可发送「备注」补充情况。"
    [told] = await harness.say("worker1", "认领 1", private=True)
    assert told.text == "工单 #1 已转派出所办理，由其对接人认领；可发送「备注」补充情况。"
    await harness.say("worker1", "备注 1 棋牌室老板姓孙")
    # A liaison claims it (the button under the notice) and resolves it; the reporter is
    # told in the group.
    claimed = await harness.press("police1", notices[0])
    assert by_kind(claimed, "reply")[0].text.startswith("工单 #1 已由 police1 认领")
    # The group's acknowledgement offers its workers no 办结 they may not use.
    [ack] = by_kind(claimed, "edit")
    assert ack.text.endswith("当前：处理中（相关部门）") and ack.buttons == []
    resolved = await harness.say("police1", "办结 1 已查处，棋牌室停业整顿", private=True)
    [told] = [m for m in resolved if m.chat_id == "group" and m.kind == "resolved"]
    assert "已查处，棋牌室停业整顿" in told.text
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "\n承办部门：派出所\n" in history
    assert "staff1 转办 → 派出所 请核实是否涉赌" in history
    assert "worker1 备注 棋牌室老板姓孙" in history and "police1 办结" in history
    # The ledger's last column names it (the suggestion by type stays in its own).
    writer = LedgerFormat(harness.bot.config, "zh", masked=True)
    async with harness.bot.store.read() as tx:
        [row] = await tx.ledger_rows("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z", 0, 10)
    column = COLUMNS.index("handled_by")
    assert writer.header()[column] == "承办部门" and writer.cells(row)[column] == "派出所"
    # Reopened by its reporter, it is back in the department's queue, and its liaisons
    # hear of it (they are not in the group, where the acknowledgement says so).
    reopened = await harness.say("resident1", "重开 1 又开始赌了")
    assert [(m.chat_id, m.text) for m in by_kind(reopened, "direct")] == [
        (liaison, "【重开】转派出所办理的工单 #1 已被重新打开，回到本部门待认领队列："
         "楼下棋牌室天天聚众赌博\n重开原因：又开始赌了\n认领请发送「认领 1」。")
        for liaison in ("police1", "police2")
    ]  # fmt: skip
    # The reporter reads which department has it privately, never in the group.
    assert "承办部门：派出所" in (await harness.say("resident1", "查询 1", private=True))[0].text
    assert "承办部门" not in (await harness.say("resident1", "查询 1"))[0].text


def platform_id(harness: Harness, message: Outbound) -> str:
    """The id the harness gave a message it sent ("m3"): edits take none."""
    sent = [m for m in harness.adapter.sent if m.kind != "edit"]
    return f"m{next(i for i, m in enumerate(sent, 1) if m is message)}"


async def test_a_liaison_answers_the_notice_by_replying_to_it(harness: Harness) -> None:
    await harness.say("resident1", "有人在河边电鱼")
    replies = await harness.say("staff1", "转办 1 派出所", chat="staff")
    notice = next(m for m in by_kind(replies, "direct") if m.chat_id == "police2")
    replied = await harness.say("police2", "退回 不归我们管", private=True,
                                reply_to=platform_id(harness, notice))  # fmt: skip
    assert by_kind(replied, "reply")[0].text == "工单 #1 已退回综治中心，中心将重新研判分流。"
    replies = await harness.say("staff1", "转办 1 派出所", chat="staff")
    notice = next(m for m in by_kind(replies, "direct") if m.chat_id == "police1")
    claimed = await harness.say("police1", "认领", private=True,
                                reply_to=platform_id(harness, notice))  # fmt: skip
    # What next: a liaison works one to one, where no acknowledgement shows a 办结 button.
    assert by_kind(claimed, "reply")[0].text == (
        "工单 #1 已由 police1 认领。\n办结请发送「办结 1 办理结果」，进展请发送「备注 1 内容」。"
    )


async def test_a_liaisons_words_in_reply_to_the_notice_are_a_note(harness: Harness) -> None:
    """"收到，明天去现场" in reply to the 转办 notice, one to one: the ticket's, as a reply
    under a ticket's message in the group is; it was answered 这条消息不是命令，没有登记 and
    lost.  Only from someone who may note it: a resident's reply is what it always was."""
    await harness.say("resident1", "有人在河边电鱼")
    replies = await harness.say("staff1", "转办 1 派出所", chat="staff")
    notice = next(m for m in by_kind(replies, "direct") if m.chat_id == "police1")
    noted = await harness.say("police1", "收到，明天去现场", private=True,
                              reply_to=platform_id(harness, notice))  # fmt: skip
    assert [m.text for m in by_kind(noted, "reply")] == ["已为工单 #1 添加备注。"]
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "police1 备注 收到，明天去现场" in history
    # Without a reply it is still no command.
    [talk] = await harness.say("police1", "明天去现场", private=True)
    assert "不是命令" in talk.text


async def test_a_queue_named_is_ones_own_or_refused(harness: Harness) -> None:
    """A liaison's "待办 司法所" or "待办 DZ", and a grid worker's "待办 XC", listed their own
    queue, and an empty one read 没有待认领的工单 as if the one named had none.  They are told
    whose queue they may see.  In the residents' group a liaison's own reads 相关部门, as
    every list there leaves the department out."""
    await harness.say("resident1", "有人在河边电鱼")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    for typed in ("待办 司法所", "待办 DZ", "待办 东镇"):
        [refused] = await harness.say("police1", typed, private=True)
        assert refused.text == "部门对接人只能查看本部门（派出所）的待认领工单。", typed
    [own] = await harness.say("police1", "待办 派出所", private=True)
    assert own.text.startswith("待认领工单（派出所）：\n#1｜")
    [refused] = await harness.say("worker1", "待办 XC", private=True)
    assert refused.text == "网格员只能查看本网格（东镇）的待认领工单。"
    [in_group] = await harness.say("police1", "待办")
    assert in_group.text.startswith("待认领工单（相关部门）：\n#1｜")


async def test_a_liaison_sees_only_what_was_handed_to_their_department(harness: Harness) -> None:
    await harness.say("resident1", "楼道灯坏了一个月")  # #1, the grid's
    await harness.say("resident1", "有人在河边电鱼")  # #2
    await harness.say("staff1", "转办 2 PCS", chat="staff")
    for typed in ("查询 1", "认领 1", "详情 1", "备注 1 看看", "办结 1 好了"):
        [reply] = await harness.say("police1", typed, private=True)
        assert reply.text == "没有找到工单 #1，或您无权查看。", typed
    for typed in ("未立案", "作废 2"):
        [reply] = await harness.say("police1", typed, private=True)
        assert "（部门对接人）不能使用" in reply.text, typed
    [reply] = await harness.say("police1", "指派 2 worker1", private=True)  # out of PCS
    assert reply.text.startswith("部门对接人只能把工单指派给本部门（派出所）的对接人。")
    # Workloads and supervision are the centre's: a liaison is told where their cases and
    # their department's figures are (`tests/test_liaison_figures.py`).
    for typed in ("工作量", "工作量 本月", "督办"):
        [reply] = await harness.say("police1", typed, private=True)
        assert reply.text.endswith(
            "工作量和督办由综治中心汇总。本部门的统计请发送「统计」，台账请发送「导出台账」；"
            "本部门的工单请发送「待办」（待认领）、「我的」（在办、协办）或「查找 词」查看。"
        ), typed
    assert "#2" in (await harness.say("police1", "详情 2", private=True))[0].text
    # A search finds what was handed to the department, and nothing of the grid's.
    found = (await harness.say("police1", "查找 电鱼", private=True))[0].text
    assert found.startswith("含“电鱼”的工单（派出所，以及您经手的工单）") and "#2" in found
    [none] = await harness.say("police1", "查找 楼道灯", private=True)
    assert none.text.startswith("没有找到") and "派出所" in none.text
    [refused] = await harness.say("police1", "查找 楼道灯 DZ", private=True)
    assert refused.text == "部门对接人只能查找转给本部门（派出所）的工单和自己经手的工单。"
    # Another department's liaison sees nothing of it.
    await harness.say("resident2", "收到")
    await harness.say("admin1", "/grant resident2 liaison 司法所")
    [reply] = await harness.say("resident2", "查询 2", private=True)
    assert reply.text == "没有找到工单 #2，或您无权查看。"
    help_text = (await harness.say("police1", "帮助", private=True))[0].text
    assert help_text.startswith("您是部门对接人") and "/unfiled" not in help_text


async def test_a_department_sends_a_ticket_back_with_its_reason(harness: Harness) -> None:
    [ack] = by_kind(await harness.say("resident1", "隔壁装修噪音太大"), "ack")
    [handed] = by_kind(await harness.say("staff1", "转办 1 派出所", chat="staff"), "edit")
    assert handed.buttons == []
    [usage] = await harness.say("police1", "退回 1", private=True)
    assert usage.text == "用法：/unclaim 12 原因（退回 12 不属于本部门职责）"
    replies = await harness.say("police1", "退回 1 属于邻里纠纷，不属于本部门职责", private=True)
    assert by_kind(replies, "reply")[0].text == "工单 #1 已退回综治中心，中心将重新研判分流。"
    # Back with the grid: the group's acknowledgement offers its workers 认领 again, in the
    # same words (the reporter hears nothing of it).
    [edit] = by_kind(replies, "edit")
    assert (edit.text, edit.buttons, edit.buttons_only) == (ack.text, ack.buttons, True)
    [staff] = [m for m in replies if m.chat_id == "staff"]
    assert staff.text == (
        "【部门退回】派出所 police1 退回工单 #1：属于邻里纠纷，不属于本部门职责\n"
        "请重新研判：转办其他部门（转办 1 部门）或交网格员办理（指派 1 某人）。"
    )
    assert await rows(harness.bot.store, "SELECT status, department FROM tickets") == [
        ("new", None)
    ]
    # police2 was asked to take it up too: told, as after staff move it elsewhere (their 认领
    # under the notice used to be answered "not found" with no word before).
    assert [(m.chat_id, m.text) for m in by_kind(replies, "direct")] == [
        ("police2", "police1 已将转派出所办理的工单 #1 退回综治中心："
         "「属于邻里纠纷，不属于本部门职责」，派出所无需再认领。")
    ]
    # Out of the department: its liaisons no longer see it; the grid takes it up again.
    assert (await harness.say("police1", "查询 1", private=True))[
        0
    ].text == "没有找到工单 #1，或您无权查看。"
    assert "#1" in (await harness.say("worker1", "待办"))[0].text
    claimed = await harness.say("worker1", "认领 1")
    assert by_kind(claimed, "reply")[0].text.startswith("工单 #1 已由 worker1 认领")
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "police1 部门退回 派出所 属于邻里纠纷，不属于本部门职责" in history


async def test_what_the_centre_must_act_on_reaches_the_duty_rooms_without_a_staff_chat(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Only a new ticket's announcement is kept to urgent ones there: a department sending a
    case back (退回) told its liaison 中心将重新研判分流, so the centre must hear of it.  A
    duty room the residents read gets no such notice: it holds a department's reasons."""
    config = with_departments(make_config(db_path))
    config.staff_chat = None
    config.supervision.notify = [
        ChatRef(channel="test", chat_id="duty"), ChatRef(channel="test", chat_id="group")
    ]
    async with harness_with(config, new_store()) as h:
        await h.say("resident1", "隔壁装修噪音太大")
        await h.say("staff1", "转办 1 派出所", private=True)
        declined = await h.say("police1", "退回 1 属于邻里纠纷", private=True)
        [notice] = [m for m in declined if m.chat_id not in ("police1", "police2")
                    and m.kind != "edit"]
        assert (notice.chat_id, notice.kind) == ("duty", "staff")
        assert notice.text.startswith("【部门退回】派出所 police1 退回工单 #1：属于邻里纠纷")


async def test_a_liaison_who_gives_back_a_held_ticket_leaves_it_with_the_department(
    harness: Harness,
) -> None:
    await harness.say("resident1", "有人在河边电鱼")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    await harness.say("police1", "认领 1", private=True)
    replies = await harness.say("police1", "退回 1 今天出差", private=True)
    # Which queue, and how to send it to the centre instead: a liaison who found it is not
    # the department's ("退回 1 不属于本所职责") read only 已退回待认领队列 and left it in
    # their own department's queue, to be escalated to them as unclaimed.
    assert by_kind(replies, "reply")[0].text == (
        "工单 #1 已退回派出所待认领队列，本部门对接人可再认领。"
        "如不属于本部门职责，请再发送「退回 1 原因」，退回综治中心重新分流。"
    )
    assert [m for m in replies if m.chat_id == "staff"] == []  # the centre is not told
    assert await rows(harness.bot.store, "SELECT status, department FROM tickets") == [
        ("new", "PCS")
    ]
    assert "#1" in (await harness.say("police2", "待办", private=True))[0].text
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "police1 退回 今天出差" in history


async def test_assigning_to_a_person_moves_the_ticket_with_them(harness: Harness) -> None:
    await harness.say("resident1", "有人在河边电鱼")
    await harness.say("worker1", "认领 1")
    moved = await harness.say("staff1", "转办 1 派出所", chat="staff")  # worker1 is told
    assert [m.text for m in by_kind(moved, "direct") if m.chat_id == "worker1"] == [
        "staff1 已将您负责的工单 #1 转交派出所，您无需再办理。"
    ]
    await harness.say("staff1", "指派 1 police2", chat="staff")  # a liaison: their department
    assert await rows(harness.bot.store, "SELECT department FROM tickets") == [("PCS",)]
    assert "#1" in (await harness.say("police1", "详情 1", private=True))[0].text
    moved = await harness.say("staff1", "指派 1 worker1", chat="staff")  # the grid's again
    assert [m.text for m in by_kind(moved, "direct") if m.chat_id == "police2"] == [
        "staff1 已将您负责的工单 #1 转交 worker1，您无需再办理。"
    ]
    assert await rows(harness.bot.store, "SELECT department FROM tickets") == [(None,)]
    assert (await harness.say("police1", "详情 1", private=True))[
        0
    ].text == "没有找到工单 #1，或您无权查看。"


async def test_a_department_asked_to_take_a_case_up_is_told_when_it_goes_elsewhere(
    harness: Harness,
) -> None:
    """Its liaisons were each asked to claim it; taken elsewhere before anyone there did,
    they are told, instead of finding "not found" when they press 认领."""
    await harness.say("resident1", "楼下棋牌室天天聚众赌博")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    moved = await harness.say("staff1", "指派 1 worker1", chat="staff")
    told = {m.chat_id: m.text for m in by_kind(moved, "direct")}
    assert told.pop("worker1").startswith("staff1 将工单 #1 指派给您")
    assert told == dict.fromkeys(
        ("police1", "police2"),
        "staff1 已将转派出所办理的工单 #1 改由worker1办理，派出所无需再认领。",
    )
    await harness.say("staff1", "转办 1 派出所", chat="staff")  # held by worker1: told, as before
    moved = await harness.say("staff1", "转办 1 司法所", chat="staff")
    assert {m.chat_id: m.text for m in by_kind(moved, "direct")} == dict.fromkeys(
        ("police1", "police2"),
        "staff1 已将转派出所办理的工单 #1 改由司法所办理，派出所无需再认领。",
    )
    # One of them claims it: only the holder hears of the next move, as any holder.
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    await harness.say("police1", "认领 1", private=True)
    moved = await harness.say("staff1", "指派 1 worker1", chat="staff")
    assert sorted(m.chat_id for m in by_kind(moved, "direct")) == ["police1", "worker1"]


async def test_a_holder_whose_ticket_staff_give_back_is_told(harness: Harness) -> None:
    """Staff's 退回 of a ticket someone holds: its holder is told it is no longer theirs,
    as they are when staff assign it elsewhere; a worker's own 退回 tells nobody."""
    await harness.say("resident1", "楼道灯坏了")
    await harness.say("worker1", "认领 1")
    returned = await harness.say("staff1", "退回 1", chat="staff")
    assert [(m.chat_id, m.text) for m in by_kind(returned, "direct")] == [
        ("worker1", "staff1 已将您负责的工单 #1 退回待认领队列，您无需再办理。")
    ]
    await harness.say("worker1", "认领 1")
    assert by_kind(await harness.say("worker1", "退回 1"), "direct") == []


async def test_bad_input_when_handing_on(harness: Harness) -> None:
    await harness.say("resident1", "隔壁装修噪音太大")
    [nobody] = by_kind(await harness.say("staff1", "转办 1 司法所", chat="staff"), "reply")
    assert nobody.text == (
        "已将工单 #1 转司法所办理，但司法所还没有对接人，没有人收到通知。"
        "请管理员先授权对接人：授权 某人 liaison SFS"
    )
    [again] = await harness.say("staff1", "/assign 1 SFS", chat="staff")
    assert again.text == "工单 #1 已在司法所的待认领队列中。"
    [unknown] = await harness.say("staff1", "转办 1 教育局", chat="staff")
    assert "教育局" in unknown.text  # neither a department nor a person
    [worker] = await harness.say("worker1", "转办 1 派出所")
    assert worker.text.startswith("您的身份（网格员）不能使用「指派」「转办」")
    await harness.say("staff1", "办结 1 已调解", chat="staff")
    [done] = await harness.say("staff1", "转办 1 派出所", chat="staff")
    assert "已办结" in done.text and await rows(
        harness.bot.store, "SELECT status, department FROM tickets"
    ) == [("resolved", "SFS")]


async def test_grant_names_the_department(harness: Harness) -> None:
    await harness.say("resident2", "收到")  # known once they have written
    [granted] = await harness.say("admin1", "授权 resident2 liaison 派出所")
    assert granted.text == "resident2 的身份已设为「部门对接人」，对接部门：派出所。"
    assert await rows(
        harness.bot.store, "SELECT role, area FROM people WHERE user_id = 'resident2'"
    ) == [("liaison", "PCS")]
    for typed in ("/grant resident1 liaison", "/grant resident1 liaison DZ"):
        [refused] = await harness.say("admin1", typed)
        assert refused.text.endswith("部门：派出所（PCS）、司法所（SFS）。"), typed
    [area] = await harness.say("admin1", "/grant resident1 grid_worker PCS")
    assert "PCS" in area.text and "网格" in area.text  # a department is no grid
    # Out of the department, the department's code is no area of theirs: a resident's
    # private reports would be filed to it.
    await harness.say("admin1", "/grant resident2 resident")
    assert await rows(
        harness.bot.store, "SELECT role, area FROM people WHERE user_id = 'resident2'"
    ) == [("resident", None)]
    await harness.say("admin1", "/grant resident2 liaison SFS")
    await harness.say("admin1", "/grant resident2 liaison")  # refused: which department?
    await harness.say("admin1", "/grant resident2 staff")
    assert await rows(
        harness.bot.store, "SELECT role, area FROM people WHERE user_id = 'resident2'"
    ) == [("staff", None)]


async def test_supervision_tells_the_liaisons_when_nobody_there_took_it_up(desk: Desk) -> None:
    await desk.h.say("resident1", URGENT)  # claim within 30 minutes
    await desk.h.say("staff1", "转办 1 派出所", chat="staff")
    _, sent = await desk.sweep_at(at(minutes=31))
    assert [(m.chat_id, m.kind) for m in sent] == [
        ("staff", "escalation"),
        ("police1", "direct"),
        ("police2", "direct"),
    ]
    assert "东镇（转派出所）｜无人认领" in sent[0].text
    overdue = (await desk.h.say("staff1", "督办", chat="staff"))[0].text
    assert overdue.splitlines()[1].endswith("（转派出所）")
    # Staff may name the department, as an area, in /overdue and /queue.
    overdue = (await desk.h.say("staff1", "/overdue 派出所", chat="staff"))[0].text
    assert overdue.startswith("超时工单（派出所")
    assert (await desk.h.say("staff1", "督办 SFS", chat="staff"))[0].text == "没有超时工单。"
    queue = (await desk.h.say("staff1", "待办 PCS", chat="staff"))[0].text
    assert queue.startswith("待认领工单（派出所）：\n#1")
    [bad] = await desk.h.say("staff1", "/queue 北村", chat="staff")
    assert bad.text.startswith("「北村」")
    assert sent[1].text == (
        "【一级督办】转派出所办理的工单 #1 超时未认领（紧急，时限 30分钟，已等待 31分钟），"
        "尚无人认领；请发送「认领 1」。\n村口有人打人了"
    )


async def test_handing_on_and_sending_back_start_the_clock(desk: Desk) -> None:
    """Whoever a case reaches gets their full limits from then: the grid missed its 30
    minutes, the department's start when it is handed on, the grid's again when sent back."""
    await desk.h.say("resident1", URGENT)  # claim within 30 minutes
    _, sent = await desk.sweep_at(at(minutes=31))
    assert [(m.chat_id, m.kind) for m in sent] == ROOM_AND_GRID
    desk.clock.now = START + at(minutes=40)
    await desk.h.say("staff1", "转办 1 派出所", chat="staff")
    _, sent = await desk.sweep_at(at(minutes=69))
    assert sent == []  # the department has had it 29 minutes
    _, sent = await desk.sweep_at(at(minutes=71))
    assert [(m.chat_id, m.kind) for m in sent] == [
        ("staff", "escalation"),
        ("police1", "direct"),
        ("police2", "direct"),
    ]
    assert "（紧急，时限 30分钟，已等待 31分钟）" in sent[1].text
    desk.clock.now = START + at(minutes=80)
    await desk.h.say("police1", "退回 1 不属于派出所职责", private=True)
    _, sent = await desk.sweep_at(at(minutes=109))
    assert sent == []
    _, sent = await desk.sweep_at(at(minutes=111))  # back with the grid: its workers are told
    assert [(m.chat_id, m.kind) for m in sent] == [
        ("staff", "escalation"), ("worker1", "direct"), ("worker2", "direct")
    ]  # fmt: skip
    assert "东镇｜无人认领" in sent[0].text
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.count("督办") == 3  # every leg's missed deadline stays on the record


async def test_handing_a_case_again_to_the_department_that_has_it_is_refused(
    desk: Desk,
) -> None:
    """转办 to the department a case is with would start its clock again: a late case made
    new.  Refused, saying who there holds it; its deadlines run on.  A case it resolved is
    not "in its queue": the reply names its status."""
    await desk.h.say("resident1", URGENT)  # resolve within 4 hours
    await desk.h.say("staff1", "转办 1 派出所", chat="staff")
    desk.clock.now = START + at(minutes=10)
    await desk.h.say("police1", "认领 1", private=True)
    desk.clock.now = START + at(hours=3, minutes=50)
    [reply] = await desk.h.say("staff1", "转办 1 派出所 抓紧办理", chat="staff")
    assert reply.text == (
        "工单 #1 已由派出所办理（police1 在办），不再重复转办，办理时限照常计算。"
        "如需换人办理，请发送「指派 1 姓名」。"
    )
    assert await rows(desk.bot.store, "SELECT status, department FROM tickets") == [
        ("claimed", "PCS")
    ]
    _, sent = await desk.sweep_at(at(hours=4, minutes=1))  # 4 hours from the first 转办
    assert [(m.chat_id, m.kind) for m in sent] == [("staff", "escalation"), ("police1", "direct")]
    assert "超时未办结" in sent[1].text
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.count("转办") == 1
    await desk.h.say("staff1", "/lang en", chat="staff")
    [english] = await desk.h.say("staff1", "/assign 1 PCS", chat="staff")
    assert english.text == (
        "Ticket #1 is already with 派出所 (police1 holds it); it is not handed to it again, "
        "and its deadlines run on. To give it to someone else, send /assign 1 name."
    )
    await desk.h.say("staff1", "/lang zh", chat="staff")
    await desk.h.say("police1", "办结 1 已处置", private=True)
    [done] = await desk.h.say("staff1", "转办 1 派出所", chat="staff")
    assert done.text == "工单 #1 当前为「已办结」，不能转办。"


async def test_a_department_with_limits_of_its_own(db_path: Path, new_store: StoreFactory) -> None:
    """派出所 takes up a normal case within 2 hours of being handed it (the centre allows
    the grid 3 working days); its other limits are the centre's."""
    config = with_departments(make_config(db_path))
    config.departments[0].sla = DepartmentSla(normal="2h")
    async for desk in started(config, new_store):
        await desk.h.say("resident1", "楼道灯坏了一个月")  # normal: the grid's 3 working days
        await desk.h.say("resident1", "有人在河边电鱼")
        await desk.h.say("staff1", "转办 2 派出所", chat="staff")
        _, sent = await desk.sweep_at(at(hours=2, minutes=1))
        assert [(m.chat_id, m.kind) for m in sent] == [
            ("staff", "escalation"),
            ("police1", "direct"),
            ("police2", "direct"),
        ]
        assert all("#2" in m.text and "#1" not in m.text for m in sent)
        assert "（一般，时限 2小时，已等待 2小时1分钟）" in sent[1].text
        await desk.h.say("police1", "认领 2", private=True)
        lines = (await desk.h.say("staff1", "/ticket 2", chat="staff"))[0].text
        assert "15个工作日" in lines  # its time to resolve is the centre's


def test_a_departments_limits_are_checked_with_the_centres() -> None:
    with pytest.raises(ValidationError, match=r"departments\[1\]\.sla: resolve\.normal: '1h'"):
        Config(
            departments=[
                Department(code="PCS", name="派出所", sla=DepartmentSla(normal="2h")),
                Department(
                    code="SFS",
                    name="司法所",
                    sla=DepartmentSla.model_validate({"resolve": {"normal": "1h"}}),
                ),
            ]
        )
    config = Config.model_validate(
        {"departments": [{"code": "PCS", "name": "派出所", "sla": {"high": "1h"}}]}
    )
    assert (config.sla_for("PCS").high, config.sla_for("PCS").urgent) == ("1h", "30m")
    assert config.sla_for("SFS") is config.sla_for(None) is config.sla


async def test_the_staff_notice_offers_the_suggested_department(
    db_path: Path, new_store: StoreFactory
) -> None:
    config = with_departments(make_config(db_path))
    config.routing = {"public_order": "派出所", "neighbour": "司法所（人民调解）、妇联"}
    async with harness_with(config, new_store()) as harness:
        filed = await harness.say("resident1", "村口有人打人了")  # public_order
        [notice] = [m for m in filed if m.chat_id == "staff"]
        assert [(b.label, b.command) for b in notice.buttons] == [("转办派出所", "/assign 1 PCS")]
        # The words say what the button does, for a platform without buttons (WeChat).
        assert notice.text.endswith("\n建议承办：派出所（转办请发送「转办 1 派出所」）")
        pressed = await harness.press("staff1", notice)
        assert by_kind(pressed, "reply")[0].text.startswith("已将工单 #1 转派出所办理")
        filed = await harness.say("resident1", "楼道灯坏了一个月")  # neighbour: 司法所 named
        [notice] = [m for m in filed if m.chat_id == "staff"]
        assert [b.command for b in notice.buttons] == ["/assign 2 SFS"]
        assert notice.text.endswith(
            "\n建议承办：司法所（人民调解）、妇联（转办请发送「转办 2 司法所」）"
        )


async def test_workload_counts_what_waits_in_each_department(desk: Desk) -> None:
    for text in (URGENT, "楼道灯坏了一个月", "有人在河边电鱼"):
        await desk.h.say("resident1", text)
    await desk.h.say("staff1", "转办 1 派出所", chat="staff")
    await desk.h.say("staff1", "转办 3 派出所", chat="staff")
    desk.clock.now = desk.clock.now + at(minutes=31)  # #1's claim limit has passed
    text = (await desk.h.say("staff1", "工作量", chat="staff"))[0].text
    assert text.endswith("\n无人认领：1 件\n转派出所待认领：2 件（超时 1）")
    await desk.h.say("police1", "认领 1", private=True)
    text = (await desk.h.say("staff1", "工作量", chat="staff"))[0].text
    assert "\npolice1：在办 1 件｜办结 0 件\n" in text  # claimed in time: not late
    assert text.endswith("\n无人认领：1 件\n转派出所待认领：1 件")


async def test_staff_name_areas_and_departments_as_they_know_them(harness: Harness) -> None:
    """Where a command takes an area's or a department's code it takes its name too, in
    the Chinese words as with the slash: 待办 派出所, 督办 东镇, 授权 … 西村, 网格 东镇."""
    await harness.say("resident1", "楼下棋牌室天天聚众赌博")  # #1, DZ
    await harness.say("resident2", "西村村口的路灯坏了", chat="west")  # #2, XC
    await harness.say("staff1", "转办 1 派出所", chat="staff")

    async def said(user: str, text: str, chat: str = "staff") -> str:
        return (await harness.say(user, text, chat=chat))[0].text

    by_name = await said("staff1", "待办 派出所")
    assert by_name == await said("staff1", "/queue PCS")
    assert by_name.startswith("待认领工单（派出所）：\n#1｜")
    east = await said("staff1", "待办 东镇")
    assert east == await said("staff1", "/queue DZ")
    assert "#2" not in east
    assert "#2" in await said("staff1", "/queue 西村")
    assert await said("staff1", "督办 派出所") == await said("staff1", "/overdue PCS")
    # /grant: an area by its name is stored as its code.
    await harness.say("resident3", "收到")
    granted = await said("admin1", "授权 resident3 grid_worker 西村")
    assert granted == "resident3 的身份已设为「网格员」，网格：西村。"
    assert await rows(harness.bot.store, "SELECT area FROM people WHERE user_id = 'resident3'") == [
        ("XC",)
    ]
    # An unknown name is named in the reply, as an unknown code is.
    assert (await said("staff1", "/queue 南镇")).startswith("「南镇」不是网格的名称或代码。")


async def test_workload_of_one_department_lists_its_liaisons(desk: Desk) -> None:
    """`/workload PCS` (or its name): the department's liaisons' cases and what waits
    there; a grid worker may not ask, and a department nobody answers for says so."""
    for text in (URGENT, "楼道灯坏了一个月", "有人在河边电鱼", "棋牌室聚众赌博"):
        await desk.h.say("resident1", text)
    for number in (1, 3, 4):
        await desk.h.say("staff1", f"转办 {number} 派出所", chat="staff")
    await desk.h.say("police1", "认领 3", private=True)
    await desk.h.say("police1", "办结 3 已劝离", private=True)
    await desk.h.say("police2", "认领 4", private=True)
    desk.clock.now = desk.clock.now + at(minutes=31)  # #1's claim limit has passed
    text = (await desk.h.say("staff1", "工作量 PCS", chat="staff"))[0].text
    assert text.startswith("部门对接人工作量（派出所，")
    assert text.splitlines()[1:] == [
        "police2：在办 1 件｜办结 0 件",
        "police1：在办 0 件｜办结 1 件（用时中位数 0秒）",
        "转派出所待认领：1 件（超时 1）",  # not the grid's #2
    ]
    by_name = (await desk.h.say("staff1", "/workload 本月 派出所", chat="staff"))[0].text
    assert by_name.splitlines()[1:] == text.splitlines()[1:]  # this month's, not 30 days'
    assert by_name.startswith("部门对接人工作量（派出所，2026-11-01 至 2026-11-30）")
    assert (await desk.h.say("staff1", "工作量 本月 派出所", chat="staff"))[0].text == by_name
    refused = (await desk.h.say("worker1", "/workload PCS", private=True))[0].text
    assert refused == "网格员只能查看本网格（东镇）的统计。"
    nobody = (await desk.h.say("staff1", "/workload SFS", chat="staff"))[0].text
    assert nobody.splitlines()[1:] == ["该部门没有对接人。", "转司法所待认领：0 件"]


async def test_stats_of_one_department(harness: Harness) -> None:
    for text in ("有人在河边电鱼", "棋牌室聚众赌博", "隔壁装修噪音太大"):
        await harness.say("resident1", text)
    for number in (1, 2):
        await harness.say("staff1", f"转办 {number} 派出所", chat="staff")
    await harness.say("police1", "认领 1", private=True)
    await harness.say("police1", "办结 1 调解成功，双方道歉", private=True)
    text = (await harness.say("staff1", "/stats 派出所", chat="staff"))[0].text
    assert text.startswith("工单统计（派出所，")
    assert "\n受理 2 件，已办结 1 件，办结率 50.0%\n" in text
    assert "\n调处结果：化解成功 1 件，未化解 0 件；化解成功率 100.0%" in text
    assert (await harness.say("staff1", "统计 PCS", chat="staff"))[0].text == text
    refused = (await harness.say("worker1", "统计 PCS", private=True))[0].text
    assert refused == "网格员只能查看本网格（东镇）的统计。"


async def test_stats_count_each_departments_cases(harness: Harness) -> None:
    for text in ("有人在河边电鱼", "棋牌室聚众赌博", "隔壁装修噪音太大"):
        await harness.say("resident1", text)
    for number in (1, 2):
        await harness.say("staff1", f"转办 {number} 派出所", chat="staff")
    await harness.say("staff1", "转办 3 SFS", chat="staff")
    await harness.say("police1", "认领 1", private=True)
    await harness.say("police1", "办结 1 已劝离", private=True)
    text = (await harness.say("staff1", "统计", chat="staff"))[0].text
    assert "\n转办部门：派出所 2（已办结 1）｜司法所 1（已办结 0）" in text
    # Sent back, a ticket is the grid's again and counted with no department.
    await harness.say("resident2", "收到")
    await harness.say("admin1", "/grant resident2 liaison SFS")
    await harness.say("resident2", "退回 3 不属于本部门职责", private=True)
    text = (await harness.say("staff1", "统计", chat="staff"))[0].text
    assert text.endswith("\n转办部门：派出所 2（已办结 1）")


async def test_a_departments_ledger(harness: Harness, tmp_path: Path) -> None:
    harness.bot.documents.directory = str(tmp_path)
    for text in ("有人在河边电鱼", "棋牌室聚众赌博", "隔壁装修噪音太大"):
        await harness.say("resident1", text)
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    await harness.say("staff1", "转办 2 PCS", chat="staff")
    sent = await harness.say("staff1", "导出台账 PCS", private=True)
    [ledger] = [m.document for m in sent if m.kind == "document"]
    assert ledger is not None and ledger.data is not None
    assert ledger.filename.startswith("台账-PCS-")
    lines = ledger.data.decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["1", "2"]
    # 承办部门, then 调处结果, 协办部门, 重大疑难 and 涉及人数、金额, empty; 信息来源; not closed,
    # due to be resolved (办结期限, 15 working days from the handing over), not overdue; no
    # mediation session (调解时间, 调解地点); and a department's ledger's own last column,
    # 主办/协办 (`tests/test_assisting.py`)
    assert lines[0].endswith(",信息来源,结案时间,办结期限,超期,调解时间,调解地点,主办/协办")
    due = r",派出所,,,,,,民情群,,\d{4}-\d\d-\d\d \d\d:\d\d,,,,主办"
    assert all(re.search(due + "$", line) for line in lines[1:]), lines
    # A grid worker's ledger is their area's; a department's is the centre's.
    [refused] = await harness.say("worker1", "导出台账 PCS", private=True)
    assert "东镇" in refused.text and refused.kind == "reply"


async def test_one_areas_tickets_with_a_department(desk: Desk) -> None:
    """A department and an area named together (统计 本月 DZ 派出所) count that area's
    tickets handed to it, and every reply says so: the header read 派出所 alone over one
    area's figures, and /workload counted the cases held in every area beside the
    resolutions of one.  (The desk's clock stands still: a median of 0 s is exact.)"""
    harness = desk.h
    await harness.say("resident1", "小区里有人聚众赌博")  # #1, 东镇
    await harness.say("resident3", "村口棋牌室赌博", chat="west")  # #2, 西村
    await harness.say("resident3", "村里有人偷电瓶车", chat="west")  # #3, 西村
    for number in (1, 2, 3):
        await harness.say("staff1", f"转办 {number} 派出所", chat="staff")
    await harness.say("police1", "认领 2", private=True)  # 西村's
    await harness.say("police1", "认领 3", private=True)
    await harness.say("police1", "办结 3 已立案侦查", private=True)
    stats = (await harness.say("staff1", "统计 本月 DZ 派出所", chat="staff"))[0].text
    assert stats.splitlines()[0].startswith("工单统计（东镇转派出所，")
    assert stats.splitlines()[1] == "受理 1 件，已办结 0 件，办结率 0.0%"
    workload = (await harness.say("staff1", "工作量 本月 派出所 DZ", chat="staff"))[0].text
    assert workload.splitlines()[0].startswith("部门对接人工作量（东镇转派出所，")
    assert workload.splitlines()[1:] == [
        "police1：在办 0 件｜办结 0 件",  # holds 西村's #2, resolved 西村's #3: not here
        "police2：在办 0 件｜办结 0 件",
        "转派出所待认领：1 件",
    ]
    west = (await harness.say("staff1", "工作量 本月 XC 派出所", chat="staff"))[0].text
    assert west.splitlines()[1:] == [
        "police1：在办 1 件｜办结 1 件（用时中位数 0秒）",
        "police2：在办 0 件｜办结 0 件",
        "转派出所待认领：0 件",
    ]
    sent = await harness.say("staff1", "导出台账 本月 DZ 派出所", private=True)
    [ledger] = [m for m in sent if m.kind == "document"]
    assert ledger.text.startswith("台账：东镇转派出所，") and "共 1 件" in ledger.text
    await harness.say("staff1", "/lang en", chat="staff")
    english = (await harness.say("staff1", "/stats month DZ PCS", chat="staff"))[0].text
    assert english.splitlines()[0].startswith("Tickets received in 东镇 handed to 派出所, ")


async def test_db_export_of_one_department(
    harness: Harness, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for text in ("有人在河边电鱼", "隔壁装修噪音太大"):
        await harness.say("resident1", text)
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    config = write_config(tmp_path / "c.toml", database_url(harness.bot.store))
    with config.open("a", encoding="utf-8") as file:
        file.write('[[departments]]\ncode = "PCS"\nname = "派出所"\n')
    out = tmp_path / "pcs.csv"
    argv = ["db", "export", "--config", str(config), "--department", "PCS", str(out)]
    assert await asyncio.to_thread(main, argv) == 0
    assert [row[0] for row in read_csv(out)[1:]] == ["1"]
    argv[5] = "SFS"
    assert await asyncio.to_thread(main, argv) == 2
    assert "unknown department 'SFS' (department codes: PCS)" in capsys.readouterr().err


async def test_the_briefing_names_what_waits_in_each_department(
    db_path: Path, new_store: StoreFactory
) -> None:
    config = with_departments(make_config(db_path))
    config.briefing = Briefing(at="08:30")
    async for desk in started(config, new_store):
        for text in (URGENT, "有人在河边电鱼", "隔壁装修噪音太大"):
            await desk.h.say("resident1", text)
        await desk.h.say("staff1", "转办 1 派出所", chat="staff")
        await desk.h.say("staff1", "转办 2 PCS", chat="staff")
        _, sent = await desk.sweep_on(local(2026, 11, 30, 8, 30))  # Monday's briefing
        [briefing] = [m.text.splitlines() for m in sent if m.kind == "briefing"]
        assert briefing[2:4] == [
            "在办 3 件：待认领 3 件，处理中 0 件，其中紧急 1 件",
            "转派出所待认领：2 件（超时 1）",  # the urgent one: 30 minutes to be claimed
        ]


async def test_the_config_moves_a_liaison_out_of_their_department(
    db_path: Path, new_store: StoreFactory
) -> None:
    config = with_departments(make_config(db_path))
    async with Bot(config, [HarnessAdapter()], new_store(), KeywordClassifier()):
        pass
    config.people[-1] = PersonConfig(channel=CHANNEL, user_id="police2", role=Role.STAFF)
    async with Bot(config, [HarnessAdapter()], new_store(), KeywordClassifier()) as bot:
        assert await rows(
            bot.store, "SELECT role, area FROM people WHERE user_id LIKE 'police%' ORDER BY id"
        ) == [("liaison", "PCS"), ("staff", None)]


def test_the_config_names_each_liaisons_department(db_path: Path) -> None:
    config = make_config(db_path).model_dump()
    config["departments"] = [{"code": "PCS", "name": "派出所"}]
    config["people"].append({"channel": CHANNEL, "user_id": "p", "role": "liaison"})
    with pytest.raises(ValueError, match=r"people\[5\].area: a liaison's area is a department"):
        Config.model_validate(config)
    config["people"][-1]["area"] = "PCS"
    assert Config.model_validate(config).department_name("PCS") == "派出所"
    config["departments"].append({"code": "DZ", "name": "东镇派出所"})
    with pytest.raises(ValueError, match=r"departments\[1\].code: 'DZ' is an area's code"):
        Config.model_validate(config)


async def test_the_grid_is_told_where_a_handed_on_case_went_not_to_claim_it(
    harness: Harness,
) -> None:
    """办结 and 延期 from a grid worker on a case waiting in a department's queue were refused
    as `工单 #1 当前为「待认领」，不能办结。` and
    `…还没有人认领。认领后（「认领 1」）可以申请延期。`:
    advice to claim what only the department's liaisons may.  They are told where it went,
    as 认领 is; the Resolve button (no outcome) too."""
    await harness.say("resident1", "楼下棋牌室天天聚众赌博")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    told = "工单 #1 已转派出所办理，由其对接人认领；可发送「备注」补充情况。"
    for typed in ("办结 1 已劝离", "/resolve 1", "延期 1 5个工作日 等调查"):
        assert [m.text for m in await harness.say("worker1", typed, private=True)] == [told]
    [in_group] = await harness.say("worker2", "办结 1 已劝离")
    assert in_group.text == "工单 #1 已转相关部门办理，由其对接人认领；可发送「备注」补充情况。"
    await harness.say("worker1", "/lang en", private=True)
    [english] = await harness.say("worker1", "/extend 1 5wd", private=True)
    assert english.text == (
        "Ticket #1 was handed to 派出所; its liaisons take it up. You can still add a note (/note)."
    )
    assert await rows(harness.bot.store, "SELECT status, assignee_id FROM tickets") == [
        ("new", None)
    ]
    # Its liaisons are still told to claim it first, which they may.
    [liaison] = await harness.say("police1", "延期 1 5个工作日", private=True)
    assert liaison.text == "工单 #1 还没有人认领。认领后（「认领 1」）可以申请延期。"


async def test_the_grid_does_not_dismiss_what_the_centre_handed_to_a_department(
    harness: Harness,
) -> None:
    """The grid triages its group (作废); once staff judged a ticket a case and handed it on
    (研判分流), a grid worker's 作废 would take it out of the department's queue and from
    supervision. They add what they know (备注); staff decide."""
    await harness.say("resident1", "楼下棋牌室天天聚众赌博")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    [refused] = await harness.say("worker1", "作废 1 群聊", private=True)
    assert refused.text == "工单 #1 已转派出所办理，是否作废由中心工作人员决定。"
    [in_group] = await harness.say("worker1", "作废 1 群聊")
    assert in_group.text == "工单 #1 已转相关部门办理，是否作废由中心工作人员决定。"
    assert await rows(harness.bot.store, "SELECT status, department FROM tickets") == [
        ("new", "PCS")
    ]
    done = await harness.say("staff1", "作废 1 群聊", chat="staff")
    assert "已作废" in next(m for m in done if m.kind == "reply").text
    # The department it waited with is told; its liaisons' 认领 would now be refused.
    assert {m.chat_id for m in done if m.kind == "direct"} == {"police1", "police2"}


async def test_a_list_in_the_group_does_not_say_where_a_case_went(harness: Harness) -> None:
    """/status in a residents' group leaves out the department and the major mark (which
    department has a case says what it is about); a list read out there does too."""
    await harness.say("resident1", "楼下棋牌室天天聚众赌博")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    await harness.say("staff1", "列为重大 1 涉赌涉黑", chat="staff")
    [line] = (await harness.say("staff1", "待办 DZ"))[0].text.splitlines()[1:]
    assert line == "#1｜待认领｜一般｜楼下棋牌室天天聚众赌博"
    [line] = (await harness.say("staff1", "待办 DZ", chat="staff"))[0].text.splitlines()[1:]
    assert line == "【重大疑难】#1｜待认领｜一般｜楼下棋牌室天天聚众赌博（转派出所）"


async def test_a_liaison_holding_cases_is_not_moved_out_of_their_department(
    harness: Harness,
) -> None:
    """A case handed to 派出所 is held there: a liaison moved to 司法所, or made a grid
    worker, would take it out of 派出所's reach (their colleagues could not claim it, nor
    would its escalations reach them).  They hand over first, as before becoming a resident;
    a worker made a liaison likewise, with the grid's.  Moves that strand nothing pass."""
    await harness.say("resident1", "有人在河边电鱼")
    await harness.say("resident1", "楼道灯坏了一个月")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    await harness.say("police1", "认领 1", private=True)
    for typed in ("授权 police1 liaison 司法所", "/grant police1 grid_worker DZ",
                  "/grant police1 staff"):  # fmt: skip
        [refused] = await harness.say("admin1", typed)
        assert refused.text == (
            "police1 还负责原岗位的 1 件工单（#1），改任前请先转交：「转交全部 police1 接手人」。"
        ), typed
    [refused] = await harness.say("admin1", "/grant police1 resident")
    assert refused.text.startswith("police1 还负责 1 件工单（#1），改为居民前")
    granted = await harness.say("admin1", "/grant police1 liaison PCS")  # the same: it stays
    assert granted[0].text.startswith("police1 的身份已设为「部门对接人」")
    await harness.say("worker1", "认领 2")
    [refused] = await harness.say("admin1", "/grant worker1 liaison 派出所")
    assert refused.text.startswith("worker1 还负责原岗位的 1 件工单（#2）")
    assert (await harness.say("admin1", "/grant worker1 staff"))[0].text.startswith(
        "worker1 的身份已设为「中心工作人员」"
    )
    await harness.say("staff1", "转交全部 police1 police2", chat="staff")
    assert (await harness.say("admin1", "授权 police1 liaison 司法所"))[0].text == (
        "police1 的身份已设为「部门对接人」，对接部门：司法所。注意：配置文件的 [[people]] "
        "把此人设为「部门对接人」，对接部门：派出所，机器人重启时会恢复为该身份；要长期更改，"
        "请同时修改配置文件。"
    )
    assert await rows(
        harness.bot.store,
        "SELECT t.department, p.user_id FROM tickets t JOIN people p ON p.id = t.assignee_id",
    ) == [("PCS", "police2"), (None, "worker1")]


async def test_unsatisfied_with_a_departments_case(harness: Harness) -> None:
    """不满意 at the follow-up sends a department's case back to its queue, not the grid's:
    the reporter is told the department takes it up again (not which: they may answer in
    the group), staff read whose queue it is in, and the liaisons why it came back; the one
    who resolved it once, with the reporter's words."""
    await harness.say("resident1", "楼下棋牌室天天聚众赌博")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    await harness.say("police1", "办结 1 已查处", private=True)
    sent = await harness.say("resident1", "不满意 1 晚上还在赌")
    assert by_kind(sent, "reply")[0].text == (
        "感谢反馈，很抱歉问题没有解决好。工单 #1 已重新打开，承办部门会再次处理，综治中心也已知悉。"
    )
    [staff] = [m.text for m in sent if m.chat_id == "staff"]
    assert staff.endswith("办理人：police1。工单已重新打开，回到派出所待认领队列，已通知其对接人。")
    assert [(m.chat_id, m.text) for m in by_kind(sent, "direct")] == [
        ("police2", "【重开】转派出所办理的工单 #1 已被重新打开，回到本部门待认领队列："
         "楼下棋牌室天天聚众赌博\n重开原因：晚上还在赌\n认领请发送「认领 1」。"),
        ("police1", staff + "\n再次认领请发送「认领 1」。"),
    ]  # fmt: skip
    assert await rows(harness.bot.store, "SELECT status, department FROM tickets") == [
        ("reopened", "PCS")
    ]


async def test_unsatisfied_tells_a_resolver_since_moved_elsewhere_no_claim(
    harness: Harness,
) -> None:
    """The one who resolved a department's case and has since moved to another department
    is told of the 不满意, but not to claim it again: it is not theirs to take up."""
    await harness.say("resident1", "楼下棋牌室天天聚众赌博")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    await harness.say("police1", "办结 1 已查处", private=True)
    await harness.say("admin1", "/grant police1 liaison SFS")
    sent = await harness.say("resident1", "不满意 1 晚上还在赌")
    [told] = [m.text for m in by_kind(sent, "direct") if m.chat_id == "police1"]
    assert told.endswith("回到派出所待认领队列，已通知其对接人。")


async def test_an_extension_on_a_departments_limit_lapses_when_the_case_leaves_it(
    db_path: Path, new_store: StoreFactory
) -> None:
    """派出所 resolves a normal case in 5 working days; staff gave it 3 more (8).  Assigned
    to the grid, whose limit is 15, the case is not chased at 8: the extension was granted
    on a limit that no longer applies (as on a retag).  Between two of 派出所's liaisons it
    stands."""
    config = with_departments(make_config(db_path))
    config.departments[0].sla = DepartmentSla.model_validate({"resolve": {"normal": "5wd"}})
    async for desk in started(config, new_store):
        await desk.h.say("resident1", "有人在河边电鱼")
        await desk.h.say("staff1", "转办 1 派出所", chat="staff")
        await desk.h.say("police1", "认领 1", private=True)
        await desk.h.say("staff1", "延期 1 3个工作日", chat="staff")
        await desk.h.say("staff1", "指派 1 police2", chat="staff")
        ticket = (await desk.h.say("staff1", "详情 1", chat="staff"))[0].text
        assert "（时限 8个工作日，已延期）" in ticket
        [reply] = by_kind(await desk.h.say("staff1", "指派 1 worker1", chat="staff"), "reply")
        assert reply.text == (
            "工单 #1 已指派给 worker1。原延期的办结时限（8个工作日）不再适用，按承办方的时限督办。"
        )
        ticket = (await desk.h.say("staff1", "详情 1", chat="staff"))[0].text
        assert "（时限 15个工作日）" in ticket and "已延期" not in ticket
        assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [(None,)]


async def test_an_extension_lapses_when_the_case_is_handed_on_or_sent_back(
    harness: Harness,
) -> None:
    """转办 starts a new clock with the department's limits (here the centre's own 15
    working days): the 5 days granted the grid on its clock lapse, and staff are told so.
    A department's 退回 starts the grid's again: more time granted meanwhile lapses too."""
    await harness.say("resident1", "有人在河边电鱼")
    await harness.say("worker1", "认领 1")
    await harness.say("staff1", "延期 1 5个工作日 等水利站核实", chat="staff")
    [reply] = by_kind(await harness.say("staff1", "转办 1 派出所", chat="staff"), "reply")
    assert reply.text == (
        "已将工单 #1 转派出所办理，已私信通知对接人：police1、police2。"
        "原延期的办结时限（20个工作日）不再适用，按承办方的时限督办。"
    )
    ticket = (await harness.say("staff1", "详情 1", chat="staff"))[0].text
    assert "（时限 15个工作日）" in ticket and "已延期" not in ticket
    await harness.say("staff1", "延期 1 3个工作日", chat="staff")
    assert await rows(harness.bot.store, "SELECT resolve_limit FROM tickets") == [("18wd",)]
    await harness.say("police1", "退回 1 不属于派出所职责", private=True)
    assert await rows(harness.bot.store, "SELECT resolve_limit, department FROM tickets") == [
        (None, None)
    ]


async def test_a_liaisons_request_for_more_time_says_where_the_case_is(harness: Harness) -> None:
    """Staff read a department's request as they read its escalations: 东镇（转派出所）."""
    await harness.say("resident1", "有人在河边电鱼")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    await harness.say("police1", "认领 1", private=True)
    asked = await harness.say("police1", "延期 1 5个工作日 等鉴定", private=True)
    [notice] = by_kind(asked, "staff")
    assert notice.text.startswith(
        "【延期申请】工单 #1｜东镇（转派出所）｜police1 申请延长办结时限 5个工作日"
    )
    [declined] = by_kind(await harness.say("staff1", "不同意延期 1 先按时限办", chat="staff"),
                         "direct")  # fmt: skip
    assert (declined.chat_id, declined.text) == (
        "police1",
        "您对工单 #1 的延期申请未获同意（staff1）：「先按时限办」。请按原时限办理。",
    )


async def test_a_residents_group_names_a_liaison_holder_only_as_a_department(
    harness: Harness,
) -> None:
    """A liaison's name (张警官, 派出所李所长) says which department has the case, which a
    residents' group never reads: the group's acknowledgement, a claim typed there and
    /status there name them 相关部门; the staff room and their own chat by name."""
    await harness.say("resident1", "楼下棋牌室天天聚众赌博")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    claimed = await harness.say("police1", "认领 1")
    assert by_kind(claimed, "reply")[0].text == "工单 #1 已由相关部门认领。"
    [card] = by_kind(claimed, "edit")
    assert card.text.endswith("\n当前：处理中（相关部门）")
    [status] = await harness.say("resident1", "查询 1")
    assert "负责人：相关部门" in status.text and "police1" not in status.text
    [status] = await harness.say("resident1", "查询 1", private=True)
    assert "负责人：police1" in status.text
    [staff] = await harness.say("staff1", "查询 1", chat="staff")
    assert "负责人：police1" in staff.text
    resolved = await harness.say("police1", "办结 1 已查处", private=True)
    [card] = by_kind(resolved, "edit")
    assert card.chat_id == "group" and card.text.endswith("\n当前：已办结（相关部门）")
    # A grid worker holding a case is named in the group as before.
    await harness.say("resident1", "楼道灯坏了")
    claimed = await harness.say("worker1", "认领 2")
    assert by_kind(claimed, "reply")[0].text == "工单 #2 已由 worker1 认领。"


async def test_routing_typed_in_a_residents_group_does_not_name_the_department(
    harness: Harness,
) -> None:
    """转办, 协办 and 列为重大 typed by staff in a residents' intake group: the group reads
    only that a department concerned has the case (the police, or the judicial office, say
    what a neighbour's case is about), no liaisons' names, and no "major"; the liaisons and
    the admins are told as from the staff chat, and the staff chat reads the full replies."""
    await harness.say("resident1", "楼下棋牌室天天聚众赌博")  # #1, in "group"
    group_texts: list[str] = []

    async def in_group(typed: str) -> list[Outbound]:
        replies = await harness.say("staff1", typed)
        group_texts.extend(m.text for m in replies if m.chat_id == "group")
        return replies

    replies = await in_group("转办 1 派出所 请核实")
    assert [m.text for m in by_kind(replies, "reply")] == ["已将工单 #1 转相关部门办理。"]
    notices = by_kind(replies, "direct")  # the liaisons are told which, as ever
    assert [m.chat_id for m in notices] == ["police1", "police2"]
    assert "转派出所办理" in notices[0].text
    [again] = await in_group("转办 1 派出所")
    assert again.text == "工单 #1 已在相关部门的待认领队列中。"
    [assist] = await in_group("协办 1 司法所")  # SFS has no liaison
    assert assist.text == (
        "已请相关部门协办工单 #1，但该部门还没有对接人，没有人收到通知；"
        "请在工作群或私聊发送「详情 1」查看。"
    )
    [already] = await in_group("协办 1 司法所")
    assert already.text == "相关部门已在协办工单 #1。"
    marked = await in_group("列为重大 1 涉及多户")
    assert [m.text for m in by_kind(marked, "reply")] == ["已收到，工单 #1 已记录。"]
    assert [m.chat_id for m in by_kind(marked, "direct")] == ["admin1"]  # the leadership knows
    assert [m.text for m in await in_group("列为重大 1")] == ["已收到，工单 #1 已记录。"]
    await harness.say("police1", "认领 1", private=True)
    [held] = await in_group("转办 1 派出所")
    assert held.text == "工单 #1 已由相关部门办理，不再重复转办，办理时限照常计算。"
    assigned = await in_group("指派 1 police2")
    assert [m.text for m in by_kind(assigned, "reply")] == ["工单 #1 已指派给相关部门。"]
    assert [m.text for m in await in_group("取消协办 1 司法所")] == [
        "已取消相关部门对工单 #1 的协办。"
    ]
    for text in group_texts:
        assert not any(word in text for word in ("派出所", "司法所", "police", "重大")), text
    # The staff chat reads the full replies.
    [full] = await harness.say("staff1", "协办 1 司法所", chat="staff")
    assert full.text.startswith("已请司法所协办工单 #1（主办：派出所），但司法所还没有对接人")
    [full] = await harness.say("staff1", "取消重大 1", chat="staff")
    assert full.text == "已取消工单 #1 的重大疑难标记。"
    await harness.say("staff1", "/lang en", chat="staff")
    [english] = await harness.say("staff1", "/assist 1 -SFS")
    assert english.text == "The department concerned no longer assists with ticket #1."


async def test_a_liaison_assigns_only_within_their_department(harness: Harness) -> None:
    """指派 by a liaison: to a colleague of their department (or themselves) it is theirs
    to do, and the ticket stays the department's; to a grid worker (the grid's, then) or
    another department it would leave the department's queue unseen by the centre, so it is
    refused, pointing at 退回.  Staff keep assigning anywhere."""
    await harness.say("resident1", "楼下棋牌室天天聚众赌博")  # #1
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    refusal = (
        "部门对接人只能把工单指派给本部门（派出所）的对接人。工单 #1 如不属于本部门职责，"
        "请发送「退回 1 原因」退回综治中心，由中心重新分派。"
    )
    for typed in ("指派 1 worker1", "派给 1 worker2", "转办 1 司法所", "转办 1 派出所"):
        [reply] = await harness.say("police1", typed, private=True)
        assert reply.text == refusal, typed
    assert await rows(harness.bot.store, "SELECT status, assignee_id, department FROM tickets") == [
        ("new", None, "PCS")
    ]
    replies = await harness.say("police1", "指派 1 police2", private=True)
    assert by_kind(replies, "reply")[0].text == "工单 #1 已指派给 police2。"
    assert [m.chat_id for m in by_kind(replies, "direct")] == ["police2"]
    [(status, department)] = await rows(
        harness.bot.store, "SELECT status, department FROM tickets"
    )
    assert (status, department) == ("claimed", "PCS")
    # A ticket the department does not have is not theirs to assign.
    await harness.say("resident1", "小区门口垃圾没人清理")  # #2, the grid's
    [reply] = await harness.say("police1", "指派 2 police2", private=True)
    assert reply.text == "没有找到工单 #2，或您无权查看。"
    # In English, and in a residents' group without the department's name.
    await harness.say("police2", "/lang en", private=True)
    [reply] = await harness.say("police2", "/assign 1 worker1")
    assert reply.text == (
        "A liaison assigns tickets only to their own department's (the department concerned) "
        "liaisons. If ticket #1 is not your department's, send /unclaim 1 with the reason: the "
        "centre routes it again."
    )
    # Staff assign anywhere: to the grid.
    replies = await harness.say("staff1", "指派 1 worker1", chat="staff")
    assert by_kind(replies, "reply")[0].text == "工单 #1 已指派给 worker1。"
    assert await rows(harness.bot.store, "SELECT department FROM tickets WHERE id = 1") == [
        (None,)
    ]


async def test_the_only_liaison_who_gives_back_a_held_ticket_sends_it_to_the_centre(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A department of one liaison: "退回 1 不属于本所职责" on the ticket they hold left it in
    their own queue, with nobody but themselves to claim it, and they had to send it back a
    second time.  With a reason, it goes to the centre at once; without one, to the queue."""
    config = with_judicial_office(make_config(db_path))
    async with harness_with(config, new_store()) as h:
        await h.say("resident1", "隔壁两家为宅基地界线吵了好几年")
        await h.say("staff1", "转办 1 司法所", chat="staff")
        await h.say("judicial1", "认领 1", private=True)
        reason = "退回 1 属于土地权属争议，应由自然资源所处理"
        replies = await h.say("judicial1", reason, private=True)
        assert by_kind(replies, "reply")[0].text == "工单 #1 已退回综治中心，中心将重新研判分流。"
        [notice] = [m for m in replies if m.chat_id == "staff"]
        assert notice.text.startswith("【部门退回】司法所 judicial1 退回工单 #1：属于土地权属争议")
        assert await rows(h.bot.store, "SELECT status, department FROM tickets") == [
            ("new", None)
        ]
        # Without a reason there is nothing to tell the centre: back to the department's queue.
        await h.say("staff1", "转办 1 司法所", chat="staff")
        await h.say("judicial1", "认领 1", private=True)
        back = await h.say("judicial1", "退回 1", private=True)
        assert by_kind(back, "reply")[0].text.startswith("工单 #1 已退回司法所待认领队列")
        assert await rows(h.bot.store, "SELECT status, department FROM tickets") == [
            ("new", "SFS")
        ]
