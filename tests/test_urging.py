"""Pressing for a case (催办, `bot.desk.urging`), through the harness on SQLite and
PostgreSQL: staff press whoever has a ticket (its holder, else the department it was
handed to, else its area's grid workers), privately, and its history keeps it."""

from __future__ import annotations

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import Harness
from bot.commands import parse
from bot.workflow import Action

LAMP = "楼道灯坏了一个月"


@pytest.fixture
def harness(departments: Harness) -> Harness:
    """This file's harness has the departments (`tests.conftest.with_departments`)."""
    return departments


def reply(sent: list[Outbound]) -> str:
    [only] = [m.text for m in sent if m.kind == "reply"]
    return only


def told(sent: list[Outbound]) -> dict[str, Outbound]:
    return {m.chat_id: m for m in sent if m.kind == "direct"}


async def test_an_unclaimed_ticket_presses_its_grid(harness: Harness) -> None:
    await harness.say("resident1", LAMP)
    sent = await harness.say("staff1", "催办 1 今天务必处理", chat="staff")
    assert reply(sent) == "已催办工单 #1，已私信通知：worker1、worker2。"
    notices = told(sent)
    assert sorted(notices) == ["worker1", "worker2"]  # not westworker, not the reporter
    assert notices["worker1"].text == (
        "【催办】staff1 催办工单 #1（东镇网格）：「今天务必处理」\n"
        f"{LAMP}\n尚无人认领，请尽快认领：「认领 1」。"
    )
    assert [(b.label, b.command) for b in notices["worker1"].buttons] == [("认领", "/claim 1")]
    history = reply(await harness.say("staff1", "详情 1", chat="staff"))
    assert "staff1 催办 今天务必处理" in history


async def test_a_claimed_ticket_presses_its_holder_only(harness: Harness) -> None:
    await harness.say("resident1", LAMP)
    await harness.say("worker1", "认领 1")
    sent = await harness.say("staff1", "督办 1", chat="staff")  # as staff also say it
    assert reply(sent) == "已催办工单 #1，已私信通知：worker1。"
    [notice] = told(sent).values()
    assert notice.text == (
        f"【催办】staff1 催办工单 #1（东镇网格）\n{LAMP}\n请抓紧办理，办结后发送「办结 1 结果」。"
    )
    assert notice.buttons == []
    assert [m.chat_id for m in sent if m.chat_id == "group"] == []  # the group is not told


async def test_a_department_case_presses_its_liaisons(harness: Harness) -> None:
    await harness.say("resident1", "楼下棋牌室天天聚众赌博")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    sent = await harness.say("staff1", "/urge 1", chat="staff")
    assert sorted(told(sent)) == ["police1", "police2"]
    assert told(sent)["police1"].text.startswith("【催办】staff1 催办工单 #1（派出所）\n")
    # Handed to a department nobody there can take up yet: said so, nobody told.
    await harness.say("resident2", "邻居吵架要我们评理")
    await harness.say("staff1", "转办 2 司法所", chat="staff")
    nobody = await harness.say("staff1", "催办 2", chat="staff")
    assert reply(nobody) == (
        "工单 #2（司法所）没有可以催办的人：无人认领，也没有网格员或部门对接人。"
        "可用「指派」交给具体的人。"
    )
    assert told(nobody) == {}


async def test_what_cannot_be_pressed(harness: Harness) -> None:
    await harness.say("resident1", LAMP)
    refused = reply(await harness.say("worker1", "催办 1"))
    assert refused == "您的身份（网格员）不能使用「催办」。"
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "办结 1 已换灯泡")
    done = reply(await harness.say("staff1", "催办 1", chat="staff"))
    assert done == "工单 #1 当前为「已办结」，无需催办。"
    # A resident's complaint in the same words is theirs, filed.
    sent = await harness.say("resident2", "督办 1 个月了都没人管")
    assert any(m.kind == "ack" for m in sent)


@pytest.mark.parametrize(
    ("text", "action", "args"),
    [
        ("催办 12 今天务必上门", Action.URGE, "今天务必上门"),
        ("督办 12", Action.URGE, ""),
        ("督办12号，尽快", Action.URGE, "尽快"),
        ("督办", Action.OVERDUE, ""),
        ("督办 DZ", Action.OVERDUE, "DZ"),
    ],
)
def test_the_words(text: str, action: Action, args: str) -> None:
    command = parse(text)
    assert command is not None and (command.action, command.args) == (action, args)


async def test_in_a_residents_group_a_liaison_is_only_a_department(harness: Harness) -> None:
    """Typed in the intake group, the reply named the liaison pressed (police1, 派出所张警官),
    which says which department has the case: the group reads 相关部门, as its other
    replies say of a liaison (`bot.privacy.holder_said`)."""
    await harness.say("resident1", LAMP)
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    sent = await harness.say("staff1", "催办 1 抓紧")
    assert reply(sent) == "已催办工单 #1，已私信通知：相关部门。"
    assert sorted(told(sent)) == ["police1", "police2"]
    await harness.say("police1", "认领 1", private=True)
    assert reply(await harness.say("staff1", "催办 1")) == "已催办工单 #1，已私信通知：相关部门。"
    # Out of the group, by name.
    named = reply(await harness.say("staff1", "催办 1", chat="staff"))
    assert named == "已催办工单 #1，已私信通知：police1。"
    # A department with nobody to press: not named there either.
    await harness.say("staff1", "转办 1 司法所", chat="staff")
    nobody = reply(await harness.say("staff1", "催办 1"))
    assert nobody.startswith("工单 #1（相关部门）没有可以催办的人") and "司法所" not in nobody
