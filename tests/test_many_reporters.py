"""Many residents reporting one event raise it (多人反映, `bot.many_reporters`), through the
harness on SQLite and PostgreSQL: once `intake.same_event_alert` residents have reported
one event, its tickets 一般 or 较缓 become 较急 with the reason on record, and the staff room
is told once; the group and the reporters learn nothing of it."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.base import Outbound
from bot.adapters.harness import CHANNEL
from bot.config import ChatRef, Config
from classifier import Classification
from tests.conftest import KeywordClassifier, StoreFactory, harness_with, make_config
from tests.test_outbox import Clock
from tests.test_supervision import START, Desk, at, started

FIRST = "3栋楼下广场舞音响太吵了"
SECOND = "3栋楼下的广场舞音响每天都很吵"
THIRD = "3栋楼下广场舞吵得没法睡觉"
FOURTH = "3栋楼下跳广场舞音响声音太大了"
ALERT = "【多人反映】"
RAISED_LINE = "系统 多人反映 3 人，升为较急"


def alerts(replies: list[Outbound]) -> list[str]:
    return [m.text for m in replies if m.chat_id == "staff" and m.text.startswith(ALERT)]


async def history(desk: Desk, number: int) -> str:
    return (await desk.h.say("staff1", f"/ticket {number}", chat="staff"))[0].text


async def three_report(desk: Desk) -> list[Outbound]:
    """Three residents report one event, ten minutes apart: what the third report sent."""
    await desk.h.say("resident1", FIRST)
    desk.clock.now = START + at(minutes=10)
    await desk.h.say("resident2", SECOND)
    desk.clock.now = START + at(minutes=20)
    return await desk.h.say("resident3", THIRD)


async def test_three_residents_reporting_one_event_raise_it(desk: Desk) -> None:
    third = await three_report(desk)
    assert alerts(third) == [
        "【多人反映】工单 #1 等 3 件疑似同一事件（邻里纠纷），3 位居民反映，已升为较急；"
        "请注意是否有群体性苗头，一并核实处理。核实确属同一事件，可发送「并案 3 1」"
    ]
    [notice] = [m for m in third if m.text.startswith(ALERT)]
    assert notice.ticket_id == 1 and [b.command for b in notice.buttons] == ["/merge 3 1"]
    # The group reads its acknowledgement and nothing else; nobody is told privately.
    assert {m.chat_id for m in third} == {"group", "staff"}
    [ack] = [m for m in third if m.chat_id == "group"]
    assert ack.kind == "ack" and "多人" not in ack.text and "#1" not in ack.text
    for number in (1, 2, 3):
        text = await history(desk, number)
        assert "较急" in text and "风险提示：多人反映" in text, text
        assert RAISED_LINE in text
    # The reporter asking, in the group or one to one, is not told others reported.
    for private in (False, True):
        status = (await desk.h.say("resident1", "查询 1", private=private))[-1].text
        assert "#1" in status and "多人" not in status, status


async def test_a_fourth_reporter_is_raised_with_the_rest_without_a_second_notice(
    desk: Desk,
) -> None:
    await three_report(desk)
    desk.clock.now = START + at(minutes=30)
    fourth = await desk.h.say("resident4", FOURTH)
    assert alerts(fourth) == []
    text = await history(desk, 4)
    assert "风险提示：多人反映" in text and "系统 多人反映 4 人，升为较急" in text
    assert (await history(desk, 1)).count("系统 多人反映") == 1


async def test_two_reporters_raise_nothing(desk: Desk) -> None:
    await desk.h.say("resident1", FIRST)
    second = await desk.h.say("resident2", SECOND)
    assert alerts(second) == []
    text = await history(desk, 1)
    assert "多人反映" not in text and "一般" in text


async def test_off_when_set_to_zero(db_path: Path, new_store: StoreFactory) -> None:
    config = make_config(db_path)
    config.intake.same_event_alert = 0
    async for desk in started(config, new_store):
        assert alerts(await three_report(desk)) == []
        assert "多人反映" not in await history(desk, 1)
        assert "疑似同一事件" in await history(desk, 3)  # still linked


async def test_one_resident_reporting_again_counts_once(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Their second report is a ticket of its own here (repeats are not joined), linked to
    the other resident's: three tickets, two residents."""
    config = make_config(db_path)
    config.intake.repeat_days = 0
    async for desk in started(config, new_store):
        await desk.h.say("resident1", FIRST)
        await desk.h.say("resident2", SECOND)
        third = await desk.h.say("resident2", THIRD)
        assert "疑似与工单" in next(m.text for m in third if m.chat_id == "staff")
        assert alerts(third) == []
        assert "多人反映" not in await history(desk, 1)


class Quarrel(KeywordClassifier):
    """A quarrel is public order too, but not urgent: it links to a fight."""

    def classify(self, text: str) -> Classification:
        if "吵架" in text:
            return Classification("public_order", 0.9, "normal", 0.8)
        return super().classify(text)


async def test_an_urgent_ticket_stays_urgent(db_path: Path, new_store: StoreFactory) -> None:
    config = make_config(db_path)
    async with harness_with(config, new_store(), classifier=Quarrel(), clock=Clock()) as h:
        await h.say("resident1", "村口有人打人了")
        await h.say("resident2", "村口有人吵架好凶")
        third = await h.say("resident3", "村口有人在吵架")
        [notice] = [m.text for m in third if m.text.startswith(ALERT)]
        assert "3 位居民反映，已升为较急" in notice
        first = (await h.say("staff1", "/ticket 1", chat="staff"))[0].text
        assert "紧急" in first and "较急" not in first
        assert "系统 多人反映 3 人\n" in first + "\n" and "升为" not in first
        for number in (2, 3):
            text = (await h.say("staff1", f"/ticket {number}", chat="staff"))[0].text
            assert "系统 多人反映 3 人，升为较急" in text


async def test_english(db_path: Path, new_store: StoreFactory) -> None:
    config: Config = make_config(db_path, "en")
    async for desk in started(config, new_store):
        third = await three_report(desk)
        notices = [m.text for m in third if m.text.startswith("[Several reporters]")]
        assert notices == [
            "[Several reporters] Ticket #1 and others, 3 in all, may be one event (Neighbour "
            "dispute), reported by 3 residents; raised to High: watch for a group dispute "
            "brewing, and check them together. If they are one event, send /merge 3 1"
        ]
        text = await history(desk, 1)
        assert "several residents reported it" in text
        assert "reported by several residents: 3 residents, now High" in text


async def test_without_a_staff_chat_the_notice_goes_to_supervisions_rooms_never_a_group(
    db_path: Path, new_store: StoreFactory
) -> None:
    config = make_config(db_path)
    config.staff_chat = None
    config.supervision.notify = [ChatRef(channel=CHANNEL, chat_id=c) for c in ("group", "leaders")]
    async for desk in started(config, new_store):
        third = await three_report(desk)
        assert [m.chat_id for m in third if m.text.startswith(ALERT)] == ["leaders"]
        assert [m.kind for m in third if m.chat_id == "group"] == ["ack"]


async def test_a_grid_worker_may_still_dismiss_a_raised_ticket(desk: Desk) -> None:
    """多人反映 is the desk's reading, not a safety rule on the words: chatter three
    residents posted alike is the grid worker's to dismiss, as before."""
    await three_report(desk)
    assert "已作废" in (await desk.h.say("worker1", "作废 3"))[-1].text


async def test_a_report_merged_by_staff_is_one_of_the_event(desk: Desk) -> None:
    """Told otherwise, so not linked, but merged (并案) by staff: its reporter counts."""
    await desk.h.say("resident1", FIRST)
    second = await desk.h.say("resident2", "晚上音乐声音大睡不着")
    assert "疑似与工单" not in next(m.text for m in second if m.chat_id == "staff")
    await desk.h.say("staff1", "并案 2 1", chat="staff")
    third = await desk.h.say("resident3", THIRD)
    [notice] = alerts(third)
    assert "工单 #1 等 3 件" in notice and "3 位居民反映，已升为较急" in notice
    assert "升为较急" not in await history(desk, 2)  # merged: handled as part of #1
    assert RAISED_LINE in await history(desk, 1)
