"""Several ticket numbers in one command ("结案 2 4", "认领 4、5"): the first was acted on and
the rest dropped unsaid, so a worker believed they held #5 while it escalated unclaimed, and
staff believed #4 closed.  Now nothing is done and the sender is told to send each."""

from __future__ import annotations

import pytest

from bot.commands import Command, CommandError, parse
from bot.workflow import Action
from tests.test_supervision import Desk

RUBBISH = "垃圾站三天没人清运，臭气熏天"
DOG = "邻居家的狗整夜叫，吵得睡不着"


@pytest.mark.parametrize(
    ("text", "each"),
    [
        ("认领 4 5", "「认领 4」「认领 5」"),
        ("认领 4、5", "「认领 4」「认领 5」"),
        ("结案 2,4", "「结案 2」「结案 4」"),
        ("结案 #2 #4", "「结案 #2」「结案 #4」"),
        ("详情 3，7，9", "「详情 3」「详情 7」「详情 9」"),
        ("催办 4 和 5", "「催办 4」「催办 5」"),
        ("/close 2 4", "「/close 2」「/close 4」"),
        ("claim 4 5", "「claim 4」「claim 5」"),
    ],
)
def test_several_numbers_are_refused_with_each_command(text: str, each: str) -> None:
    with pytest.raises(CommandError) as raised:
        parse(text)
    assert raised.value.key == "one_ticket_each"
    assert raised.value.params["each"] == each


@pytest.mark.parametrize(
    ("text", "command"),
    [
        # Words after the number that start with one are still the command's words.
        ("办结 2 3栋已处理", Command(Action.RESOLVE, 2, "3栋已处理")),
        ("备注 2 10点上门", Command(Action.NOTE, 2, "10点上门")),
        # Commands whose second number is theirs.
        ("并案 2 4", Command(Action.MERGE, 2, "4")),
    ],
)
def test_a_number_in_the_words_is_not_another_ticket(text: str, command: Command) -> None:
    assert parse(text) == command


async def test_nothing_is_claimed_and_the_worker_is_told(desk: Desk) -> None:
    await desk.h.say("resident1", RUBBISH)
    await desk.h.say("resident2", DOG)
    sent = await desk.h.say("worker1", "认领 1 2")
    [told] = [m.text for m in sent if m.kind == "reply"]
    assert told == (
        "一条消息只能写一个工单号，这次写了 #1、#2，都未处理。请分别发送：「认领 1」「认领 2」"
    )
    queue = "\n".join(m.text for m in await desk.h.say("worker1", "待办"))
    assert "#1｜待认领" in queue and "#2｜待认领" in queue


async def test_a_resident_is_refused_as_for_one_number(desk: Desk) -> None:
    """"认领 1 2" from a resident was filed as a report of theirs (a desk word they may not
    use, read as their words); it is refused as "认领 1" is."""
    await desk.h.say("resident1", RUBBISH)
    for private in (False, True):
        sent = await desk.h.say("resident2", "认领 1 2", private=private)
        assert [m.text for m in sent] == ["您的身份（居民）不能使用「认领」。"]
    queue = "\n".join(m.text for m in await desk.h.say("worker1", "待办"))
    assert "#2" not in queue
