"""Several residents reporting one event (`bot.repeats.same_event`), through the harness on
SQLite and PostgreSQL: each report is filed, and the desk sees the later ones linked to the
first, in the staff room's notice and in /ticket; the group is not told who else reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import CHANNEL
from bot.repeats import same_event, seconded
from classifier import Classification
from storage.base import TicketRecord
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


def filed(text: str, said: Classification) -> TicketRecord:
    """A ticket another resident filed with `text`, as the model read it (`said`)."""
    return TicketRecord(
        1, CHANNEL, "group", "1", "DZ", 9, text, said.type, said.type_confidence, said.urgency,
        said.urgency_confidence, said.rules, said.needs_triage, "submitted", None, None,
        "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z",
    )


FIRE = Classification("other", 0.9, "urgent", 0.9, ("fire",))
TRAPPED_ORDER = Classification("public_order", 0.6, "urgent", 0.9, ("medical_emergency",))
TRAPPED_FAMILY = Classification("marriage_family", 0.5, "urgent", 0.9, ("medical_emergency",))
FLOODED = Classification("other", 0.7, "high", 0.8)
FLOODED_FLAT = Classification("property_management", 0.6, "high", 0.8)
FLOOD_RULE = Classification("other", 0.9, "urgent", 0.9, ("flooding",))
DANGER = Classification("other", 0.9, "urgent", 0.7)  # the model alone
DROWNING_ORDER = Classification("public_order", 0.5, "urgent", 0.9, ("medical_emergency",))
DROWNING_OTHER = Classification("other", 0.6, "urgent", 0.9, ("medical_emergency",))
FIGHT = Classification("public_order", 0.9, "urgent", 0.9, ("violence",))


@pytest.mark.parametrize(
    ("first", "second", "linked"),
    [
        # one fire: a safety rule on both and a place in common, whatever else is said
        (("村口那边起火了，烟很大", FIRE), ("村口王家的草垛烧起来了", FIRE), True),
        # the model typed the two differently; the rule and 三组 = 3组 make them one event
        (
            ("三组有人被困在屋里出不来", TRAPPED_ORDER),
            ("3组有老人被困，水到腰了", TRAPPED_FAMILY),
            True,
        ),
        # the same type, sharing only what happens (进水, 水了): two houses
        (("我家进水了，水到膝盖了", FLOODED), ("东头张家进水了", FLOODED), False),
        (("三组老李家房子进水了", FLOODED_FLAT), ("东头张家进水了", FLOODED), False),
        # who, not where: 老人 is no place
        (("河边有老人被困", TRAPPED_ORDER), ("山上有老人被困", TRAPPED_ORDER), False),
        # another numbered place, though a rule fired on both
        (("三组有人被困", TRAPPED_ORDER), ("5组有人被困", TRAPPED_ORDER), False),
        # one flooded bridge: the flooding rule on both, and 桥 (a place of one character)
        (("桥那边水漫上来了", FLOOD_RULE), ("大桥那里的水已经漫过桥面了", FLOOD_RULE), True),
        # urgent by the model alone, the same type, at one bridge
        (("桥上全是水，车过不去了", DANGER), ("河水涨了，快淹到桥了", DANGER), True),
        # one drowning: the river where its water is meant (河里, 河边), whatever the types
        (("河里有人落水了", DROWNING_ORDER), ("河边有个小孩掉下去了", DROWNING_OTHER), True),
        (("井盖没了有人掉下去了", DROWNING_OTHER), ("有人掉进井里了", DROWNING_ORDER), True),
        # 河南 is a province, not the river: two fights
        (("河南人在村口打架", FIGHT), ("河边有人打架", FIGHT), False),
        # urgent and the same type, sharing a word but no place: two people in crisis
        (("多少片安眠药能睡过去不醒", DANGER), ("那种农药喝多少才管用", DANGER), False),
        # different types and no rule in common: the model's types keep them apart
        (("村口王家的狗咬人了", FLOODED), ("村口王家进水了", FLOODED_FLAT), False),
    ],
)
def test_one_event_told_in_other_words(
    first: tuple[str, Classification], second: tuple[str, Classification], linked: bool
) -> None:
    """A typhoon night's reports (`bot.repeats.same_event`): what they name besides what is
    happening decides, and a safety rule fired on both stands for the model's type."""
    ticket = filed(*first)
    assert (same_event(second[0], second[1], [ticket]) is ticket) is linked


class Flooding(KeywordClassifier):
    """As the model read a typhoon's reports: one trapped family's in two types."""

    def classify(self, text: str) -> Classification:
        if "被困" in text or "困在" in text:
            return TRAPPED_FAMILY if "家" in text else TRAPPED_ORDER
        return super().classify(text)


async def test_a_report_of_another_type_is_linked_by_its_safety_rule(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The room's recent tickets of any type are looked at (`recent_tickets_in_room`)."""
    config = make_config(db_path)
    async with harness_with(config, new_store(), classifier=Flooding(), clock=Clock()) as h:
        await h.say("resident1", "三组有人被困在屋里出不来")
        await h.say("resident1", "小区门口的路灯坏了")  # another type, later: not the one
        second = await h.say("resident2", "三组老李家房子进水了，老人困在里面")
        assert LINKED in staff_notice(second)


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
