"""The daily briefing (每日简报), on SQLite and PostgreSQL: at 08:30 on working days the
staff room gets what came in and was done since the last one, and the backlog now; once a
day however many sweeps or processes; Monday's covers the weekend; a late first one is
only recorded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import CHANNEL
from bot.briefing import MONTHS_CAUGHT_UP, moments_between, months_closed
from bot.clock import iso
from bot.config import Briefing, ChatRef, Config, ConfigError, load_config
from bot.supervision import SweepReport
from storage.base import AWAITING_CONTACT as AWAITING
from tests.conftest import StoreFactory, make_config, rows
from tests.test_supervision import NORMAL, START, URGENT, Desk, local, started

MONDAY = local(2026, 11, 30, 8, 30)  # the first working day after START (Sunday 09:00)


def config_with_briefing(db: Path, **briefing: Any) -> Config:
    config = make_config(db)
    return config.model_copy(update={"briefing": Briefing(**briefing)})


@pytest.fixture
async def desk(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Desk]:
    async for d in started(config_with_briefing(db_path), new_store):
        yield d


async def a_sunday(desk: Desk) -> None:
    """Two reports on Sunday at 09:00; the urgent one claimed, resolved and answered."""
    await desk.h.say("resident1", NORMAL)  # #1
    await desk.h.say("resident2", URGENT)  # #2
    await desk.h.say("worker1", "认领 2")
    await desk.h.say("worker1", "办结 2 已制止")
    await desk.h.say("resident2", "满意 2")


async def test_the_morning_briefing(desk: Desk) -> None:
    await a_sunday(desk)
    report, sent = await desk.sweep_on(MONDAY - timedelta(minutes=1))
    assert not report.briefed and [m for m in sent if m.kind == "briefing"] == []
    report, sent = await desk.sweep_on(MONDAY)
    assert report.briefed
    [briefing] = [m for m in sent if m.kind == "briefing"]
    assert briefing.chat_id == "staff"
    # The first one covers the day before it; #1 (normal, filed Sunday) is late from
    # Thursday, so nothing is overdue yet.
    assert briefing.text.splitlines() == [
        "【每日简报】2026-11-30（星期一）",
        "2026-11-29 08:30 以来：受理 2 件（紧急 1｜一般 1），办结 1 件，重开 0 件",
        "回访评价 1 件：满意 1｜基本满意 0｜不满意 0",
        "在办 1 件：待认领 1 件，处理中 0 件，其中紧急 0 件",
        "没有超时工单。",
        # #2, resolved and answered 满意, waits to be closed (待结案: tests/test_closing.py).
        "待结案 1 件（其中回访满意 1 件，发送「结案 满意」一并结案）",
    ]


async def test_the_months_first_briefing_brings_its_figures(desk: Desk) -> None:
    """1 December's briefing is followed by November's figures (月度统计), as /stats 上月
    gives them, once; not on the 2nd, nor with the first briefing a database sends."""
    await a_sunday(desk)  # 29 November
    _, sent = await desk.sweep_on(MONDAY)  # 30 November: the first briefing there is
    assert [m.kind for m in sent if m.kind in ("briefing", "monthly")] == ["briefing"]
    _, sent = await desk.sweep_on(MONDAY + timedelta(days=1))  # Tuesday 1 December
    [monthly] = [m for m in sent if m.kind == "monthly"]
    assert monthly.chat_id == "staff"
    lines = monthly.text.splitlines()
    assert lines[0] == "【月度统计】2026年11月"
    asked = (await desk.h.say("staff1", "统计 上月", chat="staff"))[0].text
    assert lines[1:-1] == asked.splitlines()
    assert lines[1] == "工单统计（2026-11-01 至 2026-11-30 受理）："
    assert lines[-1] == "上月台账：私聊机器人发送「导出台账 上月」。"
    _, sent = await desk.sweep_on(MONDAY + timedelta(days=2))
    assert [m.kind for m in sent if m.kind in ("briefing", "monthly")] == ["briefing"]


async def test_a_bot_down_across_two_months_ends_sends_both_months_figures(
    desk: Desk,
) -> None:
    """Briefed on Friday 30 October, then down until Tuesday 1 December: that morning's
    briefing brings October's figures and November's, oldest first, each once (it brought
    November's only, and October's were never sent)."""
    desk.clock.now = local(2026, 10, 30, 8)
    await desk.h.say("resident1", NORMAL)  # an October ticket
    assert (await desk.sweep_on(local(2026, 10, 30, 8, 30)))[0].briefed
    _, sent = await desk.sweep_on(local(2026, 12, 1, 8, 30))
    assert [m.kind for m in sent if m.kind in ("briefing", "monthly")] == [
        "briefing", "monthly", "monthly"
    ]
    october, november = (m.text.splitlines() for m in sent if m.kind == "monthly")
    assert (october[0], november[0]) == ("【月度统计】2026年10月", "【月度统计】2026年11月")
    asked = (await desk.h.say("staff1", "统计 2026-10", chat="staff"))[0].text
    assert october[1:-1] == asked.splitlines() and "受理 1 件" in asked
    assert october[-1] == "2026年10月台账：私聊机器人发送「导出台账 2026-10」。"
    assert november[-1] == "上月台账：私聊机器人发送「导出台账 上月」。"
    _, sent = await desk.sweep_on(local(2026, 12, 2, 8, 30))
    assert [m.kind for m in sent if m.kind in ("briefing", "monthly")] == ["briefing"]


def test_the_months_a_briefing_brings() -> None:
    """The months that ended since the briefing before: none, one, each of several (the
    latest twelve at most); a month that ended at the very moment of the one before was
    that one's."""
    zone = local(2026, 1, 1).tzinfo
    assert isinstance(zone, ZoneInfo)

    def firsts(since: datetime, until: datetime) -> list[str]:
        return [m.describe(zone)[0] for m in months_closed(since, until, zone)]

    assert firsts(local(2026, 11, 2, 8, 30), local(2026, 11, 3, 8, 30)) == []
    assert firsts(local(2026, 11, 30, 8, 30), local(2026, 12, 1, 8, 30)) == ["2026-11-01"]
    assert firsts(local(2026, 10, 30, 8, 30), local(2026, 12, 1, 8, 30)) == [
        "2026-10-01", "2026-11-01"
    ]
    assert firsts(local(2026, 11, 30), local(2026, 12, 1)) == ["2026-11-01"]
    assert firsts(local(2026, 12, 1), local(2026, 12, 2)) == []
    years = firsts(local(2024, 6, 3, 8, 30), local(2026, 12, 1, 8, 30))
    assert len(years) == MONTHS_CAUGHT_UP and years[0] == "2025-12-01"
    assert years[-1] == "2026-11-01"


async def test_no_monthly_figures_when_off(db_path: Path, new_store: StoreFactory) -> None:
    async for desk in started(config_with_briefing(db_path, monthly=False), new_store):
        await desk.sweep_on(MONDAY)
        _, sent = await desk.sweep_on(MONDAY + timedelta(days=1))
        assert [m.kind for m in sent if m.kind in ("briefing", "monthly")] == ["briefing"]


async def test_once_a_day_however_many_sweeps_and_processes(
    desk: Desk, db_path: Path, new_store: StoreFactory
) -> None:
    await desk.h.say("resident1", NORMAL)
    assert (await desk.sweep_on(MONDAY))[0].briefed
    assert not (await desk.sweep_on(MONDAY + timedelta(hours=3)))[0].briefed
    # A second process on the same database, sweeping the same morning: stays quiet.
    async for other in started(config_with_briefing(db_path), new_store):
        report, sent = await other.sweep_on(MONDAY + timedelta(minutes=1))
        assert report == SweepReport() and sent == []
    assert await rows(desk.bot.store, "SELECT day FROM briefings") == [("2026-11-30",)]


async def test_none_on_a_day_off_and_monday_covers_the_weekend(desk: Desk) -> None:
    friday = local(2026, 12, 4, 8, 30)
    assert (await desk.sweep_on(MONDAY))[0].briefed
    for day in range(1, 5):  # Tuesday to Friday
        assert (await desk.sweep_on(MONDAY + timedelta(days=day)))[0].briefed
    await desk.sweep_on(friday + timedelta(hours=2))
    desk.clock.now = local(2026, 12, 5, 10)  # Saturday
    await desk.h.say("resident1", NORMAL)
    for day in (5, 6):  # Saturday, Sunday: none
        report, sent = await desk.sweep_on(local(2026, 12, day, 9))
        assert not report.briefed and sent == []
    report, sent = await desk.sweep_on(local(2026, 12, 7, 8, 30))
    [briefing] = [m for m in sent if m.kind == "briefing"]
    assert briefing.text.splitlines()[:2] == [
        "【每日简报】2026-12-07（星期一）",
        "2026-12-04 08:30 以来：受理 1 件（一般 1），办结 0 件，重开 0 件",
    ]


async def test_every_day_when_not_only_working_days(db_path: Path, new_store: StoreFactory) -> None:
    config = config_with_briefing(db_path, at="07:00", working_days_only=False)
    async for desk in started(config, new_store):
        report, sent = await desk.sweep_on(local(2026, 11, 29, 7))  # Sunday
        # The desk's first briefing, on time: sent.
        assert report.briefed and sent[0].text.startswith("【每日简报】2026-11-29（星期日）")


async def test_a_late_first_briefing_is_only_recorded(desk: Desk) -> None:
    """A bot first started after the morning's moment (the console demo starts at 09:00)
    does not open with a day's zeros; the next briefing counts from that moment."""
    report, sent = await desk.sweep_on(MONDAY + timedelta(hours=5))
    assert not report.briefed and sent == []
    await desk.h.say("resident1", NORMAL)
    report, sent = await desk.sweep_on(MONDAY + timedelta(days=1))
    assert report.briefed
    assert sent[0].text.splitlines()[1] == (
        "2026-11-30 08:30 以来：受理 1 件（一般 1），办结 0 件，重开 0 件"
    )


async def test_overdue_and_reopened(desk: Desk) -> None:
    await desk.h.say("resident1", URGENT)  # #1, Sunday 09:00: late from 09:30
    await desk.h.say("resident2", NORMAL)  # #2
    await desk.h.say("worker1", "认领 2")
    await desk.h.say("worker1", "办结 2 已修好")
    await desk.h.say("resident2", "不满意 2 还是坏的")  # reopened
    report, sent = await desk.sweep_on(MONDAY)
    briefing = next(m for m in sent if m.kind == "briefing")
    assert briefing.text.splitlines()[1:] == [
        "2026-11-29 08:30 以来：受理 2 件（紧急 1｜一般 1），办结 1 件，重开 1 件",
        "回访评价 1 件：满意 0｜基本满意 0｜不满意 1",
        "在办 2 件：待认领 2 件，处理中 0 件，其中紧急 1 件",
        "超时 1 件（上次简报以来新增 1 件；超时最久：#1 超时未认领 23小时），"
        "发送「督办」查看。",
    ]


async def test_late_resolutions_and_the_requests_for_more_time_waiting(desk: Desk) -> None:
    """The morning says how many of the day's resolutions came after their deadline (按期
    办结), and lists the requests for more time (延期) staff have not answered, each with
    the words that grant or refuse it: the escalation repeats one only once it is late."""
    await desk.h.say("resident1", URGENT)  # #1: to be resolved within 4 hours
    await desk.h.say("resident2", NORMAL)  # #2
    await desk.h.say("resident3", NORMAL)  # #3
    for number in (1, 2, 3):
        await desk.h.say("worker1", f"认领 {number}")
    await desk.h.say("worker1", "申请延期 2 3个工作日 等鉴定结论")
    await desk.h.say("worker1", "申请延期 3 2个工作日")
    await desk.h.say("staff1", "不同意延期 3 先按原时限办", chat="staff")  # answered
    desk.clock.now = START + timedelta(hours=4)
    await desk.h.say("worker1", "办结 1 已制止")  # at its deadline: late
    _, sent = await desk.sweep_on(MONDAY)
    [briefing] = [m for m in sent if m.kind == "briefing"]
    lines = briefing.text.splitlines()
    assert lines[1] == (
        "2026-11-29 08:30 以来：受理 3 件（紧急 1｜一般 2），办结 1 件（其中超期 1 件），重开 0 件"
    )
    assert lines[-2:] == [
        "待批复的延期申请 1 件：",
        "#2｜worker1 申请延期 3个工作日：同意请发送「延期 2 至18个工作日」"
        "（或 /extend 2 =18wd），不同意发送「不同意延期 2」",
    ]
    # The words it gives grant it; the next morning has none waiting, nor a late one.
    sent = await desk.h.say("staff1", "延期 2 至18个工作日", chat="staff")
    assert "现为 18个工作日" in sent[0].text
    _, sent = await desk.sweep_on(MONDAY + timedelta(days=1))
    [briefing] = [m for m in sent if m.kind == "briefing"]
    assert "延期申请" not in briefing.text
    assert "办结 0 件，重开 0 件" in briefing.text


async def test_settled_disputes_are_counted(desk: Desk) -> None:
    """Of the day's resolutions, the disputes settled (化解成功), as the outcome said or as
    said afterwards (调处结果 12 …); one settled and then reopened counts as it was then."""
    for text in (NORMAL, "楼上养狗整夜叫吵得睡不着", "隔壁装修天天半夜砸墙"):
        await desk.h.say("resident1", text)
    for number in (1, 2, 3):
        await desk.h.say("worker1", f"认领 {number}")
    await desk.h.say("worker1", "办结 1 调解成功，双方约定晚上十点后不施工")
    await desk.h.say("worker1", "办结 2 已上门劝说")  # not said ...
    await desk.h.say("worker1", "调处结果 2 化解成功")  # ... then said
    await desk.h.say("worker1", "办结 3 调解不成，已告知可向法院起诉")
    await desk.h.say("staff1", "重开 1 双方又吵起来了", chat="staff")
    _, sent = await desk.sweep_on(MONDAY)
    [briefing] = [m for m in sent if m.kind == "briefing"]
    assert briefing.text.splitlines()[1] == (
        "2026-11-29 08:30 以来：受理 3 件（一般 3），办结 3 件（化解成功 2 件），重开 1 件"
    )



async def test_a_ticket_resolved_twice_counts_by_its_latest_resolution(desk: Desk) -> None:
    """Resolved late and settled, reopened, resolved again on its new clock and not settled,
    all in one briefing's span: the briefing says what /stats and /workload say of it,
    neither late nor settled (it counted any of its resolutions late or settled)."""
    await desk.h.say("resident1", URGENT)  # #1: 4 hours to resolve
    await desk.h.say("worker1", "认领 1")
    desk.clock.now = START + timedelta(hours=5)
    await desk.h.say("worker1", "办结 1 调解成功")  # late
    desk.clock.now = START + timedelta(hours=6)
    await desk.h.say("resident1", "重开 1 又打起来了")  # a new clock: 4 hours from here
    await desk.h.say("worker1", "认领 1")
    desk.clock.now = START + timedelta(hours=6, minutes=10)
    await desk.h.say("worker1", "办结 1 调解不成，已报警")
    _, sent = await desk.sweep_on(MONDAY)
    [briefing] = [m for m in sent if m.kind == "briefing"]
    assert briefing.text.splitlines()[1] == (
        "2026-11-29 08:30 以来：受理 1 件（紧急 1），办结 1 件，重开 1 件"
    )
    stats = (await desk.h.say("staff1", "统计 2026-11-29", chat="staff"))[0].text
    assert "按期办结 1 件，超期办结 0 件；按期办结率 100.0%" in stats
    assert "调处结果：化解成功 0 件，未化解 1 件；化解成功率 0.0%" in stats
    workload = (await desk.h.say("staff1", "工作量 2026-11-29 DZ", chat="staff"))[0].text
    assert "worker1：在办 0 件｜办结 1 件（用时中位数 6小时10分钟）（被重开 1）" in workload

async def test_a_late_resolution_reopened_and_withdrawn_is_not_late(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Resolved late, reopened and then withdrawn by its reporter, all in one briefing's
    span: the case ended last by the withdrawal, which /stats counts neither on time nor
    late, nor settled; the briefing said 其中超期 1 件 (the resolution before it)."""
    config = config_with_briefing(db_path)
    config.sla.resolve.normal = "2h"  # around the clock: late by 11:00
    async for desk in started(config, new_store):
        await desk.h.say("resident1", NORMAL)  # #1, not urgent: its reporter may withdraw it
        await desk.h.say("worker1", "认领 1")
        desk.clock.now = START + timedelta(hours=3)
        await desk.h.say("worker1", "办结 1 调解成功，已换灯")  # late, and settled
        desk.clock.now = START + timedelta(hours=4)
        await desk.h.say("resident1", "重开 1 灯又不亮了")
        desk.clock.now = START + timedelta(hours=4, minutes=10)
        await desk.h.say("resident1", "撤回 1 我们自己修好了")
        _, sent = await desk.sweep_on(MONDAY)
        [briefing] = [m for m in sent if m.kind == "briefing"]
        assert briefing.text.splitlines()[1] == (
            "2026-11-29 08:30 以来：受理 1 件（一般 1），办结 1 件，重开 1 件"
        )
        stats = (await desk.h.say("staff1", "统计 2026-11-29", chat="staff"))[0].text
        assert "受理 1 件，已办结 1 件，办结率 100.0%（其中反映人撤回 1 件）" in stats
        assert "按期办结" not in stats and "调处结果" not in stats
        # Withdrawn, then reopened and resolved again by the desk, in one span: the desk's
        # resolution is the latest, and counts.
        desk.clock.now = MONDAY + timedelta(hours=1)
        await desk.h.say("resident1", "重开 1 还是不亮")
        await desk.h.say("resident1", "撤回 1 算了")
        desk.clock.now = MONDAY + timedelta(hours=1, minutes=20)
        await desk.h.say("resident1", "重开 1 还是得修")  # resolve by 3:20 after
        await desk.h.say("worker1", "认领 1")
        desk.clock.now = MONDAY + timedelta(hours=4)
        await desk.h.say("worker1", "办结 1 调解成功，换了整条线路")  # late again
        _, sent = await desk.sweep_on(MONDAY + timedelta(days=1))
        [briefing] = [m for m in sent if m.kind == "briefing"]
        assert "办结 1 件（其中超期 1 件）（化解成功 1 件）" in briefing.text.splitlines()[1]


async def test_a_request_made_before_a_reopening_is_not_waiting(desk: Desk) -> None:
    """Reopened, a ticket starts again on the config's limits (`restarts_clock`): what its
    holder asked for in the last round is not a request for this one."""
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "申请延期 1 3个工作日")
    await desk.h.say("worker1", "办结 1 已调解")
    desk.clock.now = START + timedelta(hours=1)
    await desk.h.say("resident1", "不满意 1 没解决")  # reopened
    await desk.h.say("worker1", "认领 1")
    _, sent = await desk.sweep_on(MONDAY)
    [briefing] = [m for m in sent if m.kind == "briefing"]
    assert "延期申请" not in briefing.text
    assert "重开 1 件" in briefing.text  # it was reopened, and is held again


async def test_the_desks_people_who_must_write_first_are_named(desk: Desk) -> None:
    """A Telegram bot cannot start a chat: a worker who never opened one gets no assignment,
    escalation or reminder, and nobody knew.  The briefing says so until they write."""
    await desk.h.say("resident1", NORMAL)
    for chat, text in (("worker1", "指派"), ("worker1", "督办"), ("resident2", "回访")):
        async with desk.bot.store.write() as tx:  # as the outbox leaves them (AwaitingContact)
            waiting = await tx.enqueue(Outbound(CHANNEL, chat, text), iso(START))
        refused = "Forbidden: bot can't initiate conversation"
        await desk.bot.store.mark_failed(waiting, refused, AWAITING)
    _, sent = await desk.sweep_on(MONDAY)
    [briefing] = [m for m in sent if m.kind == "briefing"]
    assert briefing.text.splitlines()[-1] == (
        "私信未送达（条）：worker1 2。须本人先私聊机器人（Telegram 上打开机器人发送 /start），"
        "才能收到指派、督办和临期提醒。"
    )  # the resident's waiting visit is not the desk's to chase
    await desk.h.say("worker1", "我的", private=True)  # they write: the messages go
    _, sent = await desk.sweep_on(MONDAY + timedelta(days=1))
    [briefing] = [m for m in sent if m.kind == "briefing"]
    assert "私信未送达" not in briefing.text


async def test_in_english(db_path: Path, new_store: StoreFactory) -> None:
    config = config_with_briefing(db_path).model_copy(update={"language": "en"})
    async for desk in started(config, new_store):
        await desk.h.say("resident1", NORMAL)
        await desk.h.say("resident2", URGENT)
        await desk.h.say("worker1", "认领 2")
        desk.clock.now = START + timedelta(hours=5)
        await desk.h.say("worker1", "办结 2 调解成功")  # late, and settled
        _, sent = await desk.sweep_on(MONDAY)
        assert sent[0].text.splitlines() == [
            "[Daily briefing] 2026-11-30 (Monday)",
            "Since 2026-11-29 08:30: 2 received (Urgent 1 | Normal 1), 1 resolved"
            " (1 after the deadline) (1 settled), 0 reopened",  # it read "1 disputes settled"
            "Open: 1 — 1 unclaimed, 0 claimed; 0 of them urgent",
            "Nothing overdue.",
            "Waiting to be closed: 1 (none answered satisfied yet: /close lists them)",
        ]


def test_none_when_off_or_with_no_staff_room(db_path: Path) -> None:
    week = (MONDAY - timedelta(days=1), MONDAY + timedelta(days=6))  # to Sunday
    assert len(moments_between(*week, config_with_briefing(db_path))) == 5  # Monday to Friday
    assert moments_between(*week, config_with_briefing(db_path, at="")) == []
    roomless = config_with_briefing(db_path).model_copy(update={"staff_chat": None})
    assert moments_between(*week, roomless) == []
    elsewhere = roomless.model_copy(
        update={
            "supervision": roomless.supervision.model_copy(
                update={"notify": [ChatRef(channel="test", chat_id="leaders")]}
            )
        }
    )
    assert len(moments_between(*week, elsewhere)) == 5


@pytest.mark.parametrize(("value", "expected"), [("8:05", "08:05"), ("", ""), ("23:59", "23:59")])
def test_the_time_of_day_is_read(value: str, expected: str) -> None:
    assert Briefing(at=value).at == expected


@pytest.mark.parametrize("value", ["24:00", "8", "8.30", "morning", "08:60"])
def test_a_bad_time_of_day_is_named(tmp_path: Path, value: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f'[briefing]\nat = "{value}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"briefing\.at: .*not a time of day"):
        load_config(path)


async def test_a_residents_notify_room_reads_no_departments_name(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A `[supervision] notify` room the residents read gets the briefing and the month's
    figures without the departments that have cases (转派出所待认领, 转办部门, 协办部门): their
    names say what the cases are about, as an escalation there says 相关部门.  The staff room
    reads them."""
    from tests.conftest import with_departments

    config = with_departments(config_with_briefing(db_path))
    assert config.staff_chat is not None
    config.supervision.notify = [ChatRef(channel=CHANNEL, chat_id="group"), config.staff_chat]
    async for desk in started(config, new_store):
        await a_sunday(desk)
        await desk.h.say("staff1", "转办 1 派出所", chat="staff")
        await desk.h.say("staff1", "协办 1 司法所", chat="staff")
        await desk.sweep_on(MONDAY)
        _, sent = await desk.sweep_on(MONDAY + timedelta(days=1))  # with November's figures
        kinds = ("briefing", "monthly")
        group = [m for m in sent if m.kind in kinds and m.chat_id == "group"]
        staff = [m for m in sent if m.kind in kinds and m.chat_id == "staff"]
        assert [m.kind for m in group] == [m.kind for m in staff] == ["briefing", "monthly"]
        for message in group:
            for name in ("派出所", "司法所", "部门"):
                assert name not in message.text, message.text
        assert "转派出所待认领：1 件" in staff[0].text
        assert "转办部门：派出所 1（已办结 0）" in staff[1].text
        assert "协办部门：司法所 1（已办结 0）" in staff[1].text
        # All else alike.
        assert group[0].text.splitlines()[:3] == staff[0].text.splitlines()[:3]


async def test_a_residents_notify_room_reads_no_liaison_nor_who_cannot_be_reached(
    db_path: Path, new_store: StoreFactory
) -> None:
    """In a notify room the residents read, the briefing's requests for more time name a
    liaison who asked 相关部门, as the request's own notice there does (张警官 says which
    department has the case); a grid worker by name, as everywhere in the group.  The desk's
    people who cannot be reached (私信未送达) are the desk's business: not there.  The staff
    room reads both as before."""
    from tests.conftest import with_departments
    from tests.test_private_reports import group_notified

    config = group_notified(with_departments(config_with_briefing(db_path)))
    async for desk in started(config, new_store):
        await desk.h.say("resident1", "楼下棋牌室天天聚众赌博")  # #1
        await desk.h.say("resident2", NORMAL)  # #2
        await desk.h.say("staff1", "转办 1 派出所", chat="staff")
        await desk.h.say("police1", "认领 1", private=True)
        await desk.h.say("police1", "申请延期 1 3个工作日 需要调取监控", private=True)
        await desk.h.say("worker1", "认领 2")
        await desk.h.say("worker1", "申请延期 2 2个工作日")
        async with desk.bot.store.write() as tx:  # as the outbox leaves it (AwaitingContact)
            waiting = await tx.enqueue(Outbound(CHANNEL, "worker2", "指派"), iso(START))
        await desk.bot.store.mark_failed(waiting, "Forbidden: bot can't initiate", AWAITING)
        _, sent = await desk.sweep_on(MONDAY)
        [group] = [m.text for m in sent if m.kind == "briefing" and m.chat_id == "group"]
        [staff] = [m.text for m in sent if m.kind == "briefing" and m.chat_id == "staff"]
        assert "#1｜police1 申请延期 3个工作日" in staff
        assert "#2｜worker1 申请延期 2个工作日" in staff
        assert "私信未送达（条）：worker2 1。" in staff
        assert "police1" not in group and "#1｜相关部门申请延期 3个工作日" in group, group
        assert "#2｜worker1 申请延期 2个工作日" in group, group
        assert "私信未送达" not in group and "worker2" not in group, group
        # All else alike: the group's is the staff room's less its last line.
        assert group.splitlines() == [
            line.replace("police1 ", "相关部门") for line in staff.splitlines()[:-1]
        ]


async def test_a_quiet_morning_says_what_changed_in_the_overdue(desk: Desk) -> None:
    """Day after day a quiet morning read 超时 1 件，发送「督办」查看。, the same words whether the
    ticket went late overnight or a week ago: it says how many are new since the last
    briefing, and how far past its deadline the most overdue one is."""
    await desk.h.say("resident1", URGENT)  # #1, Sunday 09:00: late from 09:30
    _, sent = await desk.sweep_on(MONDAY)
    [monday] = [m for m in sent if m.kind == "briefing"]
    assert "超时 1 件（上次简报以来新增 1 件；超时最久：#1 超时未认领 23小时）" in monday.text
    _, sent = await desk.sweep_on(MONDAY + timedelta(days=1))
    [tuesday] = [m for m in sent if m.kind == "briefing"]
    assert tuesday.text.splitlines()[-1] == (
        "超时 1 件（上次简报以来新增 0 件；超时最久：#1 超时未认领 1天23小时），"
        "发送「督办」查看。"
    )
