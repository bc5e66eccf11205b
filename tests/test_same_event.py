"""Several residents reporting one event (`bot.repeats.same_event`), through the harness on
SQLite and PostgreSQL: each report is filed, and the desk sees the later ones linked to the
first, in the staff room's notice and in /ticket; the group is not told who else reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.base import Outbound
from bot.repeats import seconded
from classifier import Classification
from tests.conftest import KeywordClassifier, StoreFactory, harness_with, make_config
from tests.test_outbox import Clock
from tests.test_supervision import START, Desk, at, started

LINKED = "疑似与工单 #1 为同一事件（另一位居民刚反映），请一并核实处理"


def staff_notice(replies: list[Outbound]) -> str:
    [notice] = [m.text for m in replies if m.chat_id == "staff"]
    return notice


async def test_a_second_residents_report_of_one_event_is_linked(desk: Desk) -> None:
    await desk.h.say("resident1", "村口着火了")
    desk.clock.now = START + at(minutes=10)
    second = await desk.h.say("resident2", "村口那边着火了，烟很大！")
    assert LINKED in staff_notice(second)
    ack = next(m for m in second if m.kind == "ack")
    assert "#2" in ack.text and "#1" not in ack.text  # the group learns nothing of it
    history = (await desk.h.say("staff1", "/ticket 2", chat="staff"))[0].text
    assert "系统 疑似同一事件 #1" in history
    # and the first ticket's names the second, for whoever holds it
    assert "系统 疑似同一事件 #2" in (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text


@pytest.mark.parametrize(
    ("second", "minutes"),
    [
        ("5栋着火了", 10),  # another building: a number the first report does not have
        ("楼道灯坏了一个月", 10),  # another type (the stand-in model: neighbour)
        ("村口那边着火了，烟很大！", 121),  # past intake.same_event_minutes
    ],
)
async def test_not_linked(desk: Desk, second: str, minutes: int) -> None:
    await desk.h.say("resident1", "3栋着火了" if second.startswith("5栋") else "村口着火了")
    desk.clock.now = START + at(minutes=minutes)
    assert "疑似" not in staff_notice(await desk.h.say("resident2", second))


async def test_off_when_set_to_zero(db_path: Path, new_store: StoreFactory) -> None:
    config = make_config(db_path)
    config.intake.same_event_minutes = 0
    async for desk in started(config, new_store):
        await desk.h.say("resident1", "村口着火了")
        assert "疑似" not in staff_notice(await desk.h.say("resident2", "村口那边着火了"))


class OpenerDeaf(KeywordClassifier):
    """As the model reads a "me too": chatter, whatever follows it."""

    def classify(self, text: str) -> Classification:
        if text.startswith(("我也", "这个事我也", "+1")):
            return Classification("not_a_report", 0.95, "low", 0.9)
        return super().classify(text)


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("这个事我也遇到了，消防通道一直被堵", "消防通道一直被堵"),
        ("我家也是，天花板也被泡了", "天花板也被泡了"),
        ("+1 我们楼也停水了", "我们楼也停水了"),
        ("同样的问题：3栋电梯也坏了", "3栋电梯也坏了"),
        ("我也是", None),
        ("+1", None),
        ("我也遇到了，是的", None),  # too few words of its own
        ("同感！！", None),
        ("消防通道一直被堵", None),  # no opener: the model's call stands
    ],
)
def test_what_a_seconding_message_says(text: str, rest: str | None) -> None:
    assert seconded(text) == rest


async def test_a_report_seconded_in_words_is_filed_and_linked(
    db_path: Path, new_store: StoreFactory
) -> None:
    """"这个事我也遇到了，消防通道一直被堵" was logged as chatter, unanswered: the resident's
    report is its words after the "me too", linked to the one it seconds."""
    config = make_config(db_path)
    async with harness_with(config, new_store(), classifier=OpenerDeaf(), clock=Clock()) as h:
        await h.say("resident1", "小区物业把消防通道占了停车")
        second = await h.say("resident2", "这个事我也遇到了，消防通道一直被堵")
        ack = next(m for m in second if m.kind == "ack")
        assert ack.text.startswith("已受理，工单号 #2。")
        assert LINKED in staff_notice(second)
        assert await h.say("resident2", "我也是") == []  # a "me too" alone stays chatter


async def test_resolving_one_names_the_other_left_open_to_its_resolver(desk: Desk) -> None:
    """A neighbour reported the same blocked drain: the worker resolved one, and the other
    waited unclaimed until it was escalated, its reporter told nothing.  The resolver is
    told privately (the group is never told the two are linked), of what they could
    resolve too (`bot.workflow.may_now`)."""
    await desk.h.say("resident1", "小区门口的下水道堵了，污水流到路上")
    desk.clock.now = START + at(minutes=10)
    await desk.h.say("resident2", "小区门口下水道堵了好几天了，臭死了")
    await desk.h.say("worker1", "认领 1")
    done = await desk.h.say("worker1", "办结 1 已联系市政疏通")
    assert [m.text for m in done if m.chat_id == "worker1"] == [
        "与工单 #1 疑似同一事件的 #2 尚未办结：如确属同一件事，请一并办结（「办结 2 处理结果」）。"
    ]
    assert not any("#2" in m.text for m in done if m.chat_id == "group")
    # Resolved too: nothing is left open, nothing said.
    again = await desk.h.say("worker1", "办结 2 已联系市政疏通")
    assert [m for m in again if m.chat_id == "worker1"] == []
