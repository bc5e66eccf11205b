"""Pressing one case (督办 12 意见, 催办 12), through the harness on SQLite and PostgreSQL:
the centre's leadership or staff press a case with an instruction (领导督办); whoever is to
act on it is told privately, with what to send, and the history keeps it.  "督办 1 请三天内
办结" used to go unanswered in the staff room, and "督办 1" was told 「1」 is no area."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import Harness, HarnessAdapter
from bot.app import Bot
from bot.commands import Command, parse
from bot.workflow import Action
from tests.conftest import KeywordClassifier, StoreFactory, make_config, rows
from tests.test_departments import with_departments

GAMBLING = "楼下棋牌室天天聚众赌博"


@pytest.fixture
async def harness(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Harness]:
    config = with_departments(make_config(db_path))
    adapter = HarnessAdapter()
    async with Bot(config, [adapter], store=new_store(), classifier=KeywordClassifier()) as bot:
        yield Harness(bot, adapter)


def to(sent: list[Outbound], who: str) -> list[str]:
    return [m.text for m in sent if m.kind == "direct" and m.chat_id == who]


def reply(sent: list[Outbound]) -> str:
    [only] = [m.text for m in sent if m.kind == "reply"]
    return only


def test_the_words_for_it() -> None:
    assert parse("督办 12 请三天内办结") == Command(Action.URGE, 12, "请三天内办结")
    assert parse("催办12号") == Command(Action.URGE, 12)
    assert parse("/urge 12 今天必须回复") == Command(Action.URGE, 12, "今天必须回复")
    assert parse("督办") == Command(Action.OVERDUE)  # the list, as before
    assert parse("督办 DZ") == Command(Action.OVERDUE, None, "DZ")


async def test_the_holder_is_pressed_with_the_instruction(harness: Harness) -> None:
    await harness.say("resident1", GAMBLING)
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    await harness.say("police1", "认领 1", private=True)
    sent = await harness.say("admin1", "督办 1 请三天内办结并报结果", private=True)
    assert reply(sent) == "已督办工单 #1，已私信告知：police1。"
    assert to(sent, "police1") == [
        f"【督办】admin1 督办您负责的工单 #1：「请三天内办结并报结果」\n{GAMBLING}\n"
        "办结请发送「办结 1 办理结果」；如需更多时间，请发送「延期 1 5个工作日 原因」。"
    ]
    history = reply(await harness.say("staff1", "详情 1", chat="staff"))
    assert "admin1 督办 请三天内办结并报结果" in history


async def test_nobody_holding_it_those_who_take_it_up_are_pressed(harness: Harness) -> None:
    await harness.say("resident1", GAMBLING)  # #1, the grid's
    await harness.say("resident1", "楼道灯坏了一个月")  # #2, handed to the police
    await harness.say("staff1", "转办 2 派出所", chat="staff")
    sent = await harness.say("staff1", "催办 1", chat="staff")
    assert reply(sent) == "已督办工单 #1，已私信告知：worker1、worker2。"
    assert to(sent, "worker1") == [
        f"【督办】staff1 督办东镇的工单 #1（尚无人认领）\n{GAMBLING}\n请发送「认领 1」。"
    ]
    sent = await harness.say("staff1", "督办 2 今天之内认领", chat="staff")
    assert sorted(m.chat_id for m in sent if m.kind == "direct") == ["police1", "police2"]
    assert to(sent, "police1")[0].startswith(
        "【督办】staff1 督办转派出所办理的工单 #2（尚无人认领）：「今天之内认领」\n"
    )


async def test_who_may_and_which_cases(harness: Harness) -> None:
    await harness.say("resident1", GAMBLING)
    refused = reply(await harness.say("worker1", "督办 1 快点", private=True))
    assert refused == "您的身份（网格员）不能使用 /urge。"
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "办结 1 已劝散")
    done = reply(await harness.say("staff1", "督办 1", chat="staff"))
    assert done == "工单 #1 当前为「已办结」，不能督办。"
    assert reply(await harness.say("staff1", "督办 9", chat="staff")) == (
        "没有找到工单 #9，或您无权查看。"
    )
    # A resident's words that start so stay theirs: a report.
    sent = await harness.say("resident2", "督办 3 个月了还是没人管")
    assert any(m.kind == "ack" for m in sent)
    assert await rows(harness.bot.store, "SELECT COUNT(*) FROM tickets") == [(2,)]


async def test_in_the_residents_group_a_liaison_is_a_department(harness: Harness) -> None:
    """Typed in the group, the reply names a liaison who holds it only as 相关部门, as the
    group's other replies do (their name says which department has the case)."""
    await harness.say("resident1", GAMBLING)
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    await harness.say("police1", "认领 1", private=True)
    sent = await harness.say("staff1", "督办 1 抓紧")
    assert reply(sent) == "已督办工单 #1，已私信告知：相关部门。"
