"""A month at the desk, told through the real pipeline at known times (see `a_fortnight`).

/stats and the ledger export are both checked against it, so the figures one reports and
the rows the other lists can be worked out by hand from this timetable.
"""

from __future__ import annotations

import re

from classifier import Classification
from tests.conftest import Timed


async def a_fortnight(desk: Timed) -> None:
    """Five tickets in November and one in September, through every status.

    Times are offsets from T0 (09:00 Shanghai, 2 November 2026).  Time to first claim:
    #2 10 min, #3 30 min, #4 50 min, #6 20 min -> median 25 min.  Time to the latest
    resolution of tickets resolved or closed now: #2 2 h, #3 4 h -> median 3 h.  #6 was
    resolved and then reopened, so it is not resolved now and is left out.  By the resolve
    deadline (按期办结): #1 and #2 on time (15 working days), #3 late (urgent: 4 hours, and
    resolved at 4 hours exactly, when supervision counts it missed).
    """
    await desk.say("resident1", "九月份的老问题：楼道灯坏了", days=-60)  # #1
    await desk.say("worker1", "认领 1", days=-60, minutes=1)
    await desk.say("worker1", "办结 1 已修好", days=-60, minutes=2)

    await desk.say("resident1", "楼上天天半夜装修，吵得睡不着", minutes=0)  # #2
    await desk.say("worker1", "认领 2", minutes=10)
    await desk.say("worker1", "办结 2 已上门调解", hours=2)

    await desk.say("resident2", "村口有人打人了", hours=1)  # #3, urgent
    await desk.say("worker2", "认领 3", hours=1, minutes=30)
    await desk.say("worker2", "办结 3 派出所已处置", hours=5)
    await desk.say("staff1", "结案 3", hours=6)

    await desk.say("resident1", "隔壁狗天天叫", hours=2)  # #4
    await desk.say("worker1", "认领 4", hours=2, minutes=50)
    await desk.say("worker1", "退回 4", hours=3)
    await desk.say("worker2", "认领 4", hours=9)  # a later claim: the first one counts

    await desk.say("resident2", "垃圾桶满了没人收", hours=3)  # #5, untouched
    assert await desk.say("resident1", "收到", hours=3, minutes=1) == ""  # chatter: no ticket

    await desk.say("resident3", "西村水渠被邻居堵了", chat="west", hours=4)  # #6
    await desk.say("staff1", "指派 6 westworker", hours=4, minutes=20)
    await desk.say("westworker", "办结 6 已疏通", hours=5, minutes=20)
    await desk.say("resident3", "重开 6 又堵了", chat="west", hours=8)


class Unsure:
    """The model when it cannot tell a message's type: flagged for triage (需人工研判)."""

    def classify(self, text: str) -> Classification:
        return Classification("consumer", 0.3, "low", 0.6, needs_triage=True)


async def chatter_dismissed(desk: Timed) -> None:
    """Two pieces of chatter filed as tickets on 2 November (#7 and #8 after `a_fortnight`),
    both dismissed: the first claimed by worker1 after 10 min and dismissed by them with
    a reason, the second dismissed by staff."""
    pipeline = desk.harness.bot.pipeline
    model, pipeline.classifier = pipeline.classifier, Unsure()
    heat = await desk.say("resident1", "今天好热啊大家注意防暑", hours=10)
    notice = await desk.say("resident2", "【转发】明天上午停水通知", hours=10, minutes=5)
    pipeline.classifier = model
    first, second = (int(re.findall(r"#(\d+)", ack)[0]) for ack in (heat, notice))
    await desk.say("worker1", f"认领 {first}", hours=10, minutes=10)
    await desk.say("worker1", f"作废 {first} 群聊，不是报事", hours=10, minutes=20)
    await desk.say("staff1", f"/dismiss {second}", hours=11)
