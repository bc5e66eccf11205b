"""/workload (工作量): each grid worker's cases, checked against the month of tickets in
tests/scenario.py on both engines: held and overdue now, resolved in the period (each
ticket once), the median time from receipt to their resolution, how many came after the
deadline and how many were reopened since."""

from __future__ import annotations

from bot.adapters.base import Inbound, Person, Room
from bot.adapters.harness import CHANNEL
from bot.commands import Command, parse
from bot.workflow import Action
from tests.conftest import Timed
from tests.scenario import a_fortnight


def test_the_words_for_it() -> None:
    assert parse("工作量") == Command(Action.WORKLOAD)
    assert parse("工作量 本月 DZ") == Command(Action.WORKLOAD, None, "本月 DZ")
    assert parse("/workload 7d") == Command(Action.WORKLOAD, None, "7d")
    assert parse("工作量太大了，网格员都忙不过来") is None  # words of a report


async def test_every_area_for_the_last_30_days(timed: Timed) -> None:
    await a_fortnight(timed)
    reply = await timed.say("staff1", "工作量", days=2)
    assert reply.splitlines() == [
        "网格员工作量（全部网格，2026-10-05 09:00 至 2026-11-04 09:00）：",
        "worker2：在办 1 件｜办结 1 件（用时中位数 4小时0分钟）（超期办结 1）",
        "westworker：在办 0 件｜办结 1 件（用时中位数 1小时20分钟）（被重开 1）",  # #6, reopened
        "worker1：在办 0 件｜办结 1 件（用时中位数 2小时0分钟）",
        "无人认领：2 件",
    ]


async def test_one_area_a_month_and_what_is_overdue(timed: Timed) -> None:
    await a_fortnight(timed)
    # 27 November: #4 (held by worker2, 15 working days to be resolved) and #5 (nobody
    # holds it, 3 to be claimed) are past their deadlines.
    reply = await timed.say("worker1", "工作量 本月", days=25)
    assert reply.splitlines() == [
        "网格员工作量（东镇，2026-11-01 至 2026-11-30）：",
        # #3, urgent, resolved at its 4 hours exactly: after the deadline (tests/scenario.py).
        "worker2：在办 1 件（超时 1）｜办结 1 件（用时中位数 4小时0分钟）（超期办结 1）",
        "worker1：在办 0 件｜办结 1 件（用时中位数 2小时0分钟）",
        "无人认领：1 件（超时 1）",
    ]
    # A grid worker sees their own area's only; September's resolution is its own month's.
    assert await timed.say("worker1", "工作量 本月 XC", days=25) == (
        "网格员只能查看本网格（东镇）的统计。"
    )
    september = await timed.say("staff1", "工作量 2026-09 DZ", days=25)
    assert "worker1：在办 0 件｜办结 1 件（用时中位数 2分钟）" in september.splitlines()


async def test_in_english_and_refused_to_residents(timed: Timed) -> None:
    await a_fortnight(timed)
    await timed.say("staff1", "/lang en", days=2)
    reply = await timed.say("staff1", "/workload XC", days=2)
    assert reply.splitlines() == [
        "Grid workers' cases (西村, 2026-10-05 09:00 to 2026-11-04 09:00):",
        "westworker: holding 0 | resolved 1 (median 1 h 20 min) (1 reopened)",
        "Unclaimed: 1",
    ]
    assert await timed.say("resident1", "/workload", days=2) == (
        "您的身份（居民）不能使用「工作量」。"
    )


async def test_settled_disputes_beside_each_workers_resolutions(timed: Timed) -> None:
    """化解成功 beside a worker's resolutions: a mediation that held, as the outcome said or
    as said afterwards; a result taken back no longer counts."""
    await timed.say("resident1", "隔壁装修天天半夜砸墙")
    await timed.say("resident1", "楼上养狗整夜叫吵得睡不着")
    for number in (1, 2):
        await timed.say("worker1", f"认领 {number}")
    await timed.say("worker1", "办结 1 调解成功，双方约定晚上不施工")
    await timed.say("worker1", "办结 2 已上门劝说")
    line = "worker1：在办 0 件｜办结 2 件（用时中位数 0秒）"
    assert line + "（化解成功 1）" in (await timed.say("staff1", "工作量 本月")).splitlines()
    await timed.say("worker1", "调处结果 2 化解成功")
    assert line + "（化解成功 2）" in (await timed.say("staff1", "工作量 本月")).splitlines()
    await timed.say("staff1", "调处结果 1 清除")
    await timed.say("staff1", "调处结果 2 清除")
    assert line in (await timed.say("staff1", "工作量 本月")).splitlines()
    await timed.say("staff1", "/lang en")
    await timed.say("worker1", "调处结果 2 化解成功")
    english = (await timed.say("staff1", "/workload month")).splitlines()
    assert "worker1: holding 0 | resolved 2 (median 0 s) (1 settled)" in english


async def test_a_mediation_reopened_then_withdrawn_counts_as_it_was(timed: Timed) -> None:
    """Reopened, then ended by its reporter (撤回): the worker's mediation counts as it was
    said then, and the result later said of the withdrawal is not theirs."""
    await timed.say("resident1", "隔壁装修天天半夜砸墙")
    await timed.say("worker1", "认领 1")
    await timed.say("worker1", "办结 1 调解不成，已告知可向法院起诉")
    await timed.say("resident1", "重开 1")
    await timed.say("resident1", "撤回 1 我们自己谈好了")
    await timed.say("staff1", "调处结果 1 化解成功")  # of the withdrawal's end
    line = "worker1：在办 0 件｜办结 1 件（用时中位数 0秒）（被重开 1）"
    assert line in (await timed.say("staff1", "工作量 本月")).splitlines()  # not settled


async def test_a_ticket_resolved_again_counts_once_and_says_it_was_reopened(
    timed: Timed,
) -> None:
    """Resolved, reopened by its reporter (不满意), resolved again by the same worker: one
    ticket to their credit, not two resolutions, timed and judged by the latest, and
    counted as reopened (被重开: a resolution of theirs did not hold).  A colleague who
    resolved a ticket after it was reopened counts it too, as one that held."""
    await timed.say("resident1", "隔壁装修天天半夜砸墙")  # #1
    await timed.say("resident1", "楼上养狗整夜叫吵得睡不着")  # #2
    for number in (1, 2):
        await timed.say("worker1", f"认领 {number}")
    await timed.say("worker1", "办结 1 已上门劝说", hours=1)
    await timed.say("worker1", "办结 2 已上门劝说", hours=1)
    await timed.say("resident1", "不满意 1 晚上还在砸", hours=2)
    await timed.say("resident1", "重开 2 狗还在叫", hours=2)
    await timed.say("worker1", "认领 1", hours=3)
    await timed.say("worker1", "办结 1 调解成功，双方约定晚上不施工", hours=4)
    await timed.say("staff1", "指派 2 worker2", hours=4)
    await timed.say("worker2", "办结 2 已协调物业处理", hours=5)
    reply = (await timed.say("staff1", "工作量 本月", hours=6)).splitlines()
    # worker1: #1 at 4 hours (its latest), #2 at 1 hour: a median of 2 hours 30 minutes.
    assert reply[1:3] == [
        "worker1：在办 0 件｜办结 2 件（用时中位数 2小时30分钟）（被重开 2）（化解成功 1）",
        "worker2：在办 0 件｜办结 1 件（用时中位数 5小时0分钟）",
    ]
    await timed.say("staff1", "/lang en", hours=6)
    english = (await timed.say("staff1", "/workload month", hours=6)).splitlines()
    assert english[1] == (
        "worker1: holding 0 | resolved 2 (median 2 h 30 min) (2 reopened) (1 settled)"
    )


async def test_one_persons_workload_and_what_they_hold(timed: Timed) -> None:
    """"工作量 王网格员": an admin checking on someone, or seeing what they hold before a
    hand-over, was told "not a command" privately and nothing in a group.  Their line, in
    their area's figures, and the tickets they hold."""
    await a_fortnight(timed)
    reply = await timed.say("staff1", "工作量 worker2", days=25)
    assert reply.splitlines() == [
        "worker2 的工作量（东镇，2026-10-28 09:00 至 2026-11-27 09:00）：",
        "worker2：在办 1 件（超时 1）｜办结 1 件（用时中位数 4小时0分钟）（超期办结 1）",
        "在办工单：#4（超时）",
    ]
    month = await timed.say("staff1", "工作量 本月 worker1", days=25)
    assert month.splitlines()[1:] == [
        "worker1：在办 0 件｜办结 1 件（用时中位数 2小时0分钟）",
        "在办工单：无",
    ]
    # By the display name an admin knows them by, in Chinese.
    wang = Person(CHANNEL, "w9", "王网格员")
    await timed.harness.deliver(Inbound(wang, Room(CHANNEL, "group"), "m-w9", "大家好"))
    await timed.say("admin1", "/grant w9 grid_worker DZ", chat="staff", days=25)
    await timed.harness.deliver(Inbound(wang, Room(CHANNEL, "group"), "m-w9b", "认领 5"))
    named = await timed.say("admin1", "工作量 王网格员", chat="staff", days=25)
    assert named.splitlines()[0].startswith("王网格员 的工作量（东镇，")
    assert named.splitlines()[2] == "在办工单：#5（超时）"
    # Another area's worker is not a grid worker's to look at; a resident's words are theirs.
    assert await timed.say("worker1", "工作量 westworker", days=25) == (
        "网格员只能查看本网格（东镇）的统计。"
    )
    assert "不能使用" not in await timed.say("resident1", "工作量 王网格员", days=25)
