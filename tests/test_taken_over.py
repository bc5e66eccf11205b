"""Staff claiming (认领) or resolving (办结) a case over whoever was working it: the worker or
liaison holding it, or the liaisons of the department whose queue it waited in (转办), are
told privately, in their language, as a reassignment or a dismissal tells them."""

from __future__ import annotations

from bot.adapters.base import Outbound
from bot.adapters.harness import Harness
from tests.conftest import rows


async def status(h: Harness, number: int) -> str:
    [(found,)] = await rows(h.bot.store, f"SELECT status FROM tickets WHERE id = {number}")
    return str(found)


def direct(sent: list[Outbound]) -> list[tuple[str, str]]:
    return [(m.chat_id, m.text) for m in sent if m.kind == "direct"]


async def test_staff_resolving_a_case_a_worker_holds_tells_the_worker(harness: Harness) -> None:
    await harness.say("resident1", "楼道灯坏了一个月")
    await harness.say("worker1", "认领 1")
    sent = await harness.say("staff1", "办结 1 已修好", chat="staff")
    assert direct(sent) == [("worker1", "staff1 已办结您负责的工单 #1：「已修好」，您无需再办理。")]
    # In the holder's language; the holder resolving their own is told nothing more.
    await harness.say("resident1", "邻居家狗天天叫")
    await harness.say("worker1", "认领 2")
    await harness.say("worker1", "/lang en")
    sent = await harness.say("admin1", "办结 2 已调解", chat="staff")
    assert direct(sent) == [
        ("worker1", 'admin1 resolved ticket #2, which you held: "已调解"; it is no longer yours.')
    ]
    await harness.say("resident1", "楼下有人乱扔垃圾")
    await harness.say("worker1", "认领 3")
    assert direct(await harness.say("worker1", "办结 3 已清理")) == []
    assert await status(harness, 3) == "resolved"


async def test_staff_taking_a_case_from_a_departments_queue_tell_its_liaisons(
    departments: Harness,
) -> None:
    h = departments
    await h.say("resident1", "楼道灯坏了一个月")
    await h.say("staff1", "转办 1 派出所", chat="staff")
    sent = await h.say("staff1", "认领 1", chat="staff")
    told = "staff1 已自行认领转派出所办理的工单 #1，派出所无需再认领。"
    assert direct(sent) == [("police1", told), ("police2", told)]
    await h.say("resident1", "邻居家狗天天叫")
    await h.say("staff1", "转办 2 派出所", chat="staff")
    await h.say("police2", "/lang en", private=True)
    sent = await h.say("staff1", "办结 2 已调解", chat="staff")
    assert direct(sent) == [
        ("police1", "staff1 已办结转派出所办理的工单 #2：「已调解」，派出所无需再认领。"),
        (
            "police2",
            'staff1 resolved ticket #2, handed to 派出所: "已调解"; 派出所 need not take it up.',
        ),
    ]
    # A liaison resolving their own department's case straight away: nobody else is told.
    await h.say("resident1", "楼下有人乱扔垃圾")
    await h.say("staff1", "转办 3 派出所", chat="staff")
    assert direct(await h.say("police1", "办结 3 已处理", private=True)) == []
    assert await status(h, 3) == "resolved"
