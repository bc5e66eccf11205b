"""Dispute screening (矛盾纠纷排查), on SQLite and PostgreSQL: a grid's worker makes its zero
report (零报告) or reports what they found (上报); staff read who has, for a day or a
period (排查情况); the grids that had not are named in the next briefing and their workers
reminded in the afternoon, where the centre keeps the rule ([screening] daily)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import CHANNEL
from bot.briefing import moments_between
from bot.commands import Command, parse
from bot.config import Area, Briefing, Config, IntakeGroup, Screening
from bot.period import parse_period
from bot.screening import by_worker, reminder_moment
from bot.workflow import Action
from tests.conftest import StoreFactory, make_config, rows
from tests.test_supervision import Desk, local, started

MONDAY = local(2026, 11, 30, 10, 0)
FOUND = "上报：村东头两户因为宅基地边界吵起来了"


def screening_config(
    db: Path, daily: bool = True, remind_at: str = "16:00", sensitive: tuple[str, ...] = ()
) -> Config:
    return make_config(db).model_copy(
        update={
            "briefing": Briefing(at="08:30"),
            "screening": Screening(daily=daily, remind_at=remind_at, sensitive=list(sensitive)),
        }
    )


@pytest.fixture
async def desk(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Desk]:
    async for d in started(screening_config(db_path), new_store):
        yield d


def reply(sent: list[Outbound]) -> str:
    [only] = [m.text for m in sent if m.kind == "reply"]
    return only


async def say(desk: Desk, user: str, text: str, chat: str = "group") -> str:
    return reply(await desk.h.say(user, text, chat=chat))


async def test_a_day_of_screening(desk: Desk) -> None:
    desk.clock.now = MONDAY
    assert await say(desk, "worker1", "零报告 已走访12户，未发现矛盾纠纷") == (
        "已记录：东镇11月30日（星期一）零报告。"
    )
    # Once a grid and day: the second worker of the grid is told who made it (in the
    # residents' group, only that it was made).
    desk.clock.now = MONDAY + timedelta(minutes=5)
    assert await say(desk, "worker2", "今日零报告。") == "东镇11月30日（星期一）的零报告已报送。"
    told = await desk.h.say("worker2", "零报告", private=True)
    assert [m.text for m in told if m.kind == "reply"] == [
        "东镇11月30日（星期一）的零报告已由worker1于 10:00 报送。"
    ]
    # A grid whose worker reported a dispute today has reported: no zero report after it.
    ack = (await desk.h.say("westworker", FOUND, chat="west"))[0]
    assert ack.text.startswith("已登记上报，工单号 #1。")
    assert await say(desk, "westworker", "零报告", chat="west") == (
        "西村11月30日（星期一）已上报 1 件，已算作当天的排查报送，无需零报告。"
    )
    assert await rows(desk.bot.store, "SELECT area, day, note FROM zero_reports") == [
        ("DZ", "2026-11-30", "已走访12户，未发现矛盾纠纷")
    ]
    assert (await say(desk, "staff1", "排查情况", chat="staff")).splitlines() == [
        "11月30日（星期一）矛盾纠纷排查报送：已报 2/2 个网格",
        "东镇：零报告（worker1 10:00：「已走访12户，未发现矛盾纠纷」）",
        "西村：上报 1 件",
    ]
    # A worker sees their own grid's; the English reply says the same.
    assert await say(desk, "westworker", "/screening", chat="west") == (
        "11月30日（星期一）矛盾纠纷排查报送：已报 1/1 个网格\n西村：上报 1 件"
    )
    await desk.h.say("staff1", "/lang en", chat="staff")
    assert (await say(desk, "staff1", "/screening today DZ", chat="staff")).splitlines() == [
        "Dispute screening, Monday 30 Nov: 1 of 1 area reported",
        '东镇: zero report (worker1, 10:00: "已走访12户，未发现矛盾纠纷")',
    ]


async def test_a_week_and_the_grids_that_did_not_report(desk: Desk) -> None:
    desk.clock.now = MONDAY
    await desk.h.say("worker1", "零报告")
    desk.clock.now = local(2026, 12, 1, 9, 0)  # Tuesday: nobody
    desk.clock.now = local(2026, 12, 2, 11, 0)  # Wednesday: the west grid found a dispute
    await desk.h.say("westworker", FOUND, chat="west")
    today = (await say(desk, "staff1", "排查情况 今天", chat="staff")).splitlines()
    assert today == [
        "12月2日（星期三）矛盾纠纷排查报送：已报 1/2 个网格",
        "东镇：未报送（网格员：worker1、worker2）",
        "西村：上报 1 件",
    ]
    # This week so far: its working days up to today, each grid's rate and its missed days.
    assert (await say(desk, "staff1", "排查情况 本周", chat="staff")).splitlines() == [
        "矛盾纠纷排查报送 2026-11-30 至 2026-12-02（3 个工作日，今天尚未报送的网格不计今天）：",
        "东镇：已报 1/2 天（零报告 1 天，上报 0 天）；未报：12-01",
        "西村：已报 1/3 天（零报告 0 天，上报 1 天）；未报：11-30、12-01",
    ]
    # A Sunday asked for by its date is shown, and said to be no working day.
    sunday = await say(desk, "staff1", "/screening 2026-11-29 XC", chat="staff")
    assert sunday.splitlines()[0] == (
        "11月29日（星期日）矛盾纠纷排查报送：已报 0/1 个网格（休息日）"
    )
    # A dismissed report (not a dispute after all) is no screening report.
    await desk.h.say("staff1", "作废 1 测试", chat="staff")
    assert "西村：未报送（网格员：westworker）" in await say(
        desk, "staff1", "排查情况", chat="staff"
    )


async def test_who_may(desk: Desk) -> None:
    desk.clock.now = MONDAY
    assert await say(desk, "resident1", "/zero") == "您的身份（居民）不能使用「零报告」。"
    # In words, a resident's "零报告…" is a message like any other of theirs: a complaint here.
    sent = await desk.h.say("resident1", "零报告，你们天天零报告，楼下天天有人赌博没人管")
    assert sent[0].text.startswith("已受理，工单号 #1。")
    assert await say(desk, "resident1", "排查情况") == "您的身份（居民）不能使用「排查情况」。"
    assert await say(desk, "westworker", "零报告 东镇", chat="west") == (
        "只有东镇的网格员或中心工作人员可以报送该网格的排查情况。"
    )
    assert await say(desk, "worker1", "排查情况 西村") == "网格员只能查看本网格（东镇）的统计。"
    # Staff name the grid (there are two; in a grid's group, that one); then they may write
    # down what a worker phoned in.
    assert await say(desk, "staff1", "零报告", chat="staff") == (
        "请写明哪个网格：零报告 网格名称或代码 [说明]。可选：DZ（东镇）、XC（西村）。"
    )
    assert await say(desk, "staff1", "零报告 西村 网格员电话报送", chat="staff") == (
        "已记录：西村11月30日（星期一）零报告。"
    )
    assert await rows(desk.bot.store, "SELECT area, note FROM zero_reports") == [
        ("XC", "网格员电话报送")
    ]
    assert await say(desk, "staff1", "/screening 2026-13-01", chat="staff") == (
        "看不懂时间段「2026-13-01」。用法：/screening [今天 | 昨天 | 本周 | 本月 | 2026-12-01 "
        "| …] [网格代码]"
    )
    # Shapes that are not commands stay what they were: a resident's words are a report.
    sent = await desk.h.say("resident1", "排查情况怎么样没人管，楼下天天有人赌博")
    assert sent[0].text.startswith("已受理，工单号 #2。")
    assert await say(desk, "staff1", "零报告") == "已记录：东镇11月30日（星期一）零报告。"
    # A day still to come has no screening yet.
    assert await say(desk, "staff1", "/screening 2026-12-25", chat="staff") == (
        "12月25日（星期五）还没到。"
    )


async def test_the_reminder_and_the_briefing(desk: Desk) -> None:
    desk.clock.now = MONDAY
    await desk.h.say("westworker", FOUND, chat="west")
    report, sent = await desk.sweep_on(local(2026, 11, 30, 15, 59))
    assert report.screening_reminded == 0
    report, sent = await desk.sweep_on(local(2026, 11, 30, 16, 0))
    assert report.screening_reminded == 2
    reminders = sorted((m.chat_id, m.text) for m in sent if m.kind == "direct")
    text = (
        "11月30日（星期一）东镇还没有报送矛盾纠纷排查情况：发现矛盾纠纷请发送「上报：内容」，"
        "没有发现请发送「零报告」（可附排查情况，如「零报告 已走访12户」）。"
    )
    assert reminders == [("worker1", text), ("worker2", text)]
    [button] = next(m for m in sent if m.chat_id == "worker1").buttons
    # Once a day, however many sweeps.
    report, sent = await desk.sweep_on(local(2026, 11, 30, 16, 5))
    assert report.screening_reminded == 0 and [m for m in sent if m.kind == "direct"] == []
    # Tuesday's briefing names the grid that never reported Monday.
    desk.clock.now = local(2026, 11, 30, 17, 0)
    report, sent = await desk.sweep_on(local(2026, 12, 1, 8, 30))
    [briefing] = [m.text for m in sent if m.kind == "briefing"]
    assert "\n11月30日（星期一）排查报送：已报 1/2 个网格，未报送：东镇" in briefing
    # Every grid reported Tuesday: Wednesday's says so.
    desk.clock.now = local(2026, 12, 1, 10, 0)
    await desk.h.say("worker1", "零报告")
    await desk.h.say("westworker", "零报告", chat="west")
    report, sent = await desk.sweep_on(local(2026, 12, 1, 16, 0))
    assert report.screening_reminded == 0
    report, sent = await desk.sweep_on(local(2026, 12, 2, 8, 30))
    [briefing] = [m.text for m in sent if m.kind == "briefing"]
    assert "\n12月1日（星期二）排查报送：2 个网格全部报送" in briefing
    # The reminder's button is Monday's: pressed on Wednesday it records nothing.
    assert (button.label, button.command) == ("零报告", "/zero DZ 2026-11-30")
    pressed = await desk.h.say("worker2", button.command, private=True, is_button=True)
    assert [m.text for m in pressed if m.kind == "reply"] == [
        "这条提醒是11月30日（星期一）的，零报告只能报送当天的：今天未发现矛盾纠纷，请发送「零报告」。"
    ]
    made = "SELECT z.day, p.user_id FROM zero_reports z JOIN people p ON p.id = z.person_id"
    assert ("2026-12-02", "worker2") not in await rows(desk.bot.store, made)


async def test_the_reminders_button_on_its_day(desk: Desk) -> None:
    report, sent = await desk.sweep_on(local(2026, 11, 30, 16, 0))
    [button] = next(m for m in sent if m.chat_id == "worker2").buttons
    pressed = await desk.h.say("worker2", button.command, private=True, is_button=True)
    assert [m.text for m in pressed if m.kind == "reply"] == [
        "已记录：东镇11月30日（星期一）零报告。"
    ]
    made = "SELECT z.day, z.note, p.user_id FROM zero_reports z JOIN people p ON p.id = z.person_id"
    assert await rows(desk.bot.store, made) == [("2026-11-30", "", "worker2")]


async def test_the_console_waits_for_the_reminder(db_path: Path) -> None:
    config = screening_config(db_path)
    found = moments_between(local(2026, 11, 28), local(2026, 12, 2), config, reminder_moment)
    # Monday and Tuesday at 16:00; not the weekend.
    assert found == [local(2026, 11, 30, 16), local(2026, 12, 1, 16)]
    assert (
        moments_between(
            local(2026, 11, 28),
            local(2026, 12, 2),
            screening_config(db_path, daily=False),
            reminder_moment,
        )
        == []
    )


async def test_without_the_rule_no_reminder_no_briefing_line(
    db_path: Path, new_store: StoreFactory
) -> None:
    async for desk in started(screening_config(db_path, daily=False), new_store):
        desk.clock.now = MONDAY
        report, sent = await desk.sweep_on(local(2026, 11, 30, 16, 0))
        assert report.screening_reminded == 0
        report, sent = await desk.sweep_on(local(2026, 12, 1, 8, 30))
        [briefing] = [m.text for m in sent if m.kind == "briefing"]
        assert "排查报送" not in briefing
        # The commands work all the same.
        assert await say(desk, "worker1", "零报告") == "已记录：东镇12月1日（星期二）零报告。"


async def test_what_counts_as_a_grids_report(desk: Desk) -> None:
    """Only a grid worker's own report, as they were when they made it; a dispute found
    again the next day (added to its ticket) counts for that day."""
    desk.clock.now = MONDAY
    # Staff writing down a walk-in for 东镇 is no screening of 东镇's.
    await desk.h.say("staff1", "代报 李大爷来电反映家门口被堆放杂物")  # #1, in 东镇's group
    # A resident made a grid worker later does not turn their old reports into screening.
    await desk.h.say("resident1", "村西头有人在河边电鱼")  # #2
    desk.clock.now = local(2026, 12, 1, 10, 0)
    await desk.h.say("admin1", "授权 resident1 grid_worker DZ", chat="staff")
    monday = await say(desk, "staff1", "排查情况 2026-11-30", chat="staff")
    assert monday.splitlines()[1:] == [
        "东镇：未报送（网格员：worker1、worker2、resident1）",
        "西村：未报送（网格员：westworker）",
    ]
    # Tuesday: westworker reports a dispute; Wednesday they report it again, still going on.
    await desk.h.say("westworker", FOUND, chat="west")  # #3
    desk.clock.now = local(2026, 12, 2, 10, 0)
    again = await desk.h.say(
        "westworker", "上报：村东头两户宅基地边界的事还在吵，又动手推搡了", chat="west"
    )
    assert [m.text for m in again if m.kind == "reply"][0].startswith("您已反映过此事")
    week = await say(desk, "staff1", "排查情况 本周 西村", chat="staff")
    assert week.splitlines()[1] == "西村：已报 2/3 天（零报告 0 天，上报 2 天）；未报：11-30"
    # Where each came from (信息来源), in /stats and the ledger.
    stats = await say(desk, "staff1", "统计 本周", chat="staff")
    assert "按来源：民情群 1｜网格员上报 1｜工作人员登记 1" in stats.splitlines()
    assert await rows(desk.bot.store, "SELECT id, source FROM tickets ORDER BY id") == [
        (1, "desk"),
        (2, "group"),
        (3, "grid"),
    ]
    # The desk reads it in the ticket's history too.
    history = await say(desk, "staff1", "详情 3", chat="staff")
    assert "\n信息来源：网格员上报\n" in history
    assert "\n信息来源：工作人员登记\n" in await say(desk, "staff1", "详情 1", chat="staff")


async def test_a_second_zero_report_adds_its_note(desk: Desk) -> None:
    """What the screening covered, said in a second 零报告 (the first was sent bare, or by
    the grid's other worker), is added to the day's note, not lost; said again, it is not
    added twice, and a bare second one adds nothing."""
    desk.clock.now = MONDAY
    assert await say(desk, "worker1", "零报告") == "已记录：东镇11月30日（星期一）零报告。"
    added = "已将说明补充到东镇11月30日（星期一）的零报告。"
    assert await say(desk, "worker1", "零报告 已走访12户") == added
    assert await say(desk, "worker2", "零报告 3组已走访，无纠纷") == added
    assert await say(desk, "worker2", "零报告 3组已走访，无纠纷") == (
        "东镇11月30日（星期一）的零报告已报送。"
    )
    assert await say(desk, "worker1", "零报告") == "东镇11月30日（星期一）的零报告已报送。"
    made = "SELECT user_id, note FROM zero_reports z JOIN people p ON p.id = z.person_id"
    # worker2's named: the day's note is shown as its reporter's (worker1 10:00：「…」).
    note = "已走访12户；worker2：3组已走访，无纠纷"
    assert await rows(desk.bot.store, made) == [("worker1", note)]
    listing = await say(desk, "staff1", "排查情况 东镇", chat="staff")
    assert f"「{note}」" in listing
    for words in ("走访", "排查", "巡查"):  # each note is cut at 200, the day's at 500
        await say(desk, "worker1", "零报告 " + words * 150)
    [(note,)] = await rows(desk.bot.store, "SELECT note FROM zero_reports")
    day = "已走访12户；worker2：3组已走访，无纠纷；"
    assert note == (day + "走访" * 100 + "；" + "排查" * 100 + "；" + "巡查" * 100)[:500]


async def test_in_a_residents_group(desk: Desk) -> None:
    """排查情况 typed in a residents' group says who has reported, not who works the grid
    nor what the notes say; staff's 零报告 there is that group's grid's."""
    desk.clock.now = MONDAY
    await desk.h.say("staff1", "零报告 网格员电话报送，张三家和李四家的事已调解")
    assert await say(desk, "staff1", "排查情况") == (
        "11月30日（星期一）矛盾纠纷排查报送：已报 1/2 个网格\n东镇：零报告\n西村：未报送"
    )


def test_the_ways_a_zero_report_is_written() -> None:
    names = {"东镇"}
    for text, args in [
        ("零报告", ""),
        ("今日零报告。", ""),
        ("今日排查零报告", ""),
        ("零报告，", ""),
        ("零报告（已走访12户）", "已走访12户"),
        ("零报告；已走访12户", "已走访12户"),
        ("零报告已走访12户", "已走访12户"),
        ("零报告 未发现矛盾纠纷", "未发现矛盾纠纷"),
        ("东镇网格今日零报告", "东镇"),
        ("DZ 零报告 走访5户", "DZ 走访5户"),
    ]:
        assert parse(text, names) == Command(Action.ZERO_REPORT, None, args), text
    # Not a zero report: a question about it, a reminder to others, who has reported,
    # another word before it.
    for talk in [
        "零报告要几点前报？",
        "东镇零报告没交？",
        "零报告已经报了吗",
        "零报告（谁没报？）",
        "零报告没报的抓紧报",
        "今天零报告没报的请抓紧",
        "零报告未报的网格请抓紧",
        "零报告、上报都要按时",
        "西村零报告没报",
        "零报告制度是什么",
        "村里零报告",
    ]:
        assert parse(talk, names) is None, talk
    assert parse("零报告情况", names) == Command(Action.SCREENING, None, "")


async def test_the_months_figures_carry_each_grids_rate(desk: Desk) -> None:
    await desk.sweep_on(local(2026, 11, 30, 8, 30))  # the database's first briefing
    desk.clock.now = MONDAY
    await desk.h.say("worker1", "零报告")
    report, sent = await desk.sweep_on(local(2026, 12, 1, 8, 30))
    [monthly] = [m.text for m in sent if m.kind == "monthly"]
    # November 2026 has 21 working days; 东镇 reported one of them.
    assert "\n矛盾纠纷排查报送：东镇 1/21 天｜西村 0/21 天\n" in monthly


async def test_a_find_is_the_workers_grids(desk: Desk) -> None:
    """A grid worker's report counts for their grid, wherever they typed it; their word
    added to a resident's ticket is no find, even where a safety rule fires on it."""
    desk.clock.now = MONDAY
    await desk.h.say("resident1", "村口有人打人了")  # #1, 东镇
    await desk.h.say("worker1", "已到现场，打人的已被派出所带走", reply_to="u1")
    added = "SELECT ticket_id FROM ticket_events WHERE action = 'addendum'"
    assert await rows(desk.bot.store, added) == [(1,)]  # added to the resident's ticket
    await desk.h.say("worker1", "上报：西村桥头两户因为占道吵起来了", chat="west")  # #2
    today = (await say(desk, "staff1", "排查情况", chat="staff")).splitlines()
    assert today[1:] == ["东镇：上报 1 件", "西村：未报送（网格员：westworker）"]
    found = "SELECT area, ticket_id FROM screening_finds"
    assert await rows(desk.bot.store, found) == [("DZ", 2)]


async def test_one_to_one_intake_files_a_workers_report_in_their_grid(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Where every private chat is an intake point for one grid of several (WeCom, the
    Official Account: chat_id "*"), a grid worker's 上报 is their own grid's."""
    config = screening_config(db_path)
    point = IntakeGroup(channel=CHANNEL, chat_id="*", area="DZ")
    config = config.model_copy(update={"intake_groups": [point]})
    async for desk in started(config, new_store):
        desk.clock.now = MONDAY
        await desk.h.say("westworker", FOUND, private=True)
        stored = "SELECT t.area, f.area FROM tickets t JOIN screening_finds f ON f.ticket_id = t.id"
        assert await rows(desk.bot.store, stored) == [("XC", "XC")]


async def test_each_workers_screening_in_their_workload(desk: Desk) -> None:
    """网格员考核: /workload says what each grid worker's screening found and the days they
    made the zero report."""
    desk.clock.now = MONDAY
    await desk.h.say("worker1", "零报告")
    desk.clock.now = local(2026, 12, 1, 10, 0)
    await desk.h.say("worker1", "上报：村东头两户因为宅基地边界吵起来了")
    desk.clock.now = local(2026, 12, 2, 10, 0)
    lines = (await say(desk, "staff1", "工作量 本周 东镇", chat="staff")).splitlines()
    assert "worker1：在办 0 件｜办结 0 件｜排查：上报 1 件，零报告 1 天" in lines
    assert "worker2：在办 0 件｜办结 0 件" in lines


async def test_a_zero_report_staff_wrote_down_is_no_screening_of_theirs(desk: Desk) -> None:
    """A zero report phoned in and written down by staff counts for the grid, not for a
    worker: staff listed in /workload (they resolved one of the grid's tickets) are not
    credited with the grid's zero report."""
    desk.clock.now = MONDAY
    await desk.h.say("resident1", "西村两家为鸡吵架", chat="west")  # #1
    await desk.h.say("staff1", "指派 1 staff1", chat="staff")
    await desk.h.say("staff1", "办结 1 调解成功", chat="staff")
    await say(desk, "staff1", "零报告 西村 网格员电话报送", chat="staff")
    lines = (await say(desk, "staff1", "工作量 本周 西村", chat="staff")).splitlines()
    assert "staff1：在办 0 件｜办结 1 件（用时中位数 0秒）（化解成功 1）" in lines
    assert "westworker：在办 0 件｜办结 0 件" in lines
    # The grid has reported all the same.
    assert "西村：零报告" in await say(desk, "staff1", "排查情况 西村", chat="staff")


async def test_a_sensitive_period_only(db_path: Path, new_store: StoreFactory) -> None:
    """A centre that asks for the daily report only in its sensitive periods (敏感期): the
    reminder and the briefing's line on those days, none on the others."""
    config = screening_config(db_path, daily=False, sensitive=("2026-11-30..2026-11-30",))
    async for desk in started(config, new_store):
        await desk.sweep_on(local(2026, 11, 30, 8, 30))  # the first briefing
        report, _ = await desk.sweep_on(local(2026, 11, 30, 16, 0))
        assert report.screening_reminded == 3  # Monday: every grid's workers
        _, sent = await desk.sweep_on(local(2026, 12, 1, 8, 30))
        [tuesday] = [m.text for m in sent if m.kind == "briefing"]
        assert "\n11月30日（星期一）排查报送：已报 0/2 个网格，未报送：东镇、西村" in tuesday
        # The month's rate counts the period's days only (November: one).
        [monthly] = [m.text for m in sent if m.kind == "monthly"]
        assert "\n矛盾纠纷排查报送：东镇 0/1 天｜西村 0/1 天\n" in monthly
        report, _ = await desk.sweep_on(local(2026, 12, 1, 16, 0))
        assert report.screening_reminded == 0  # Tuesday: not in the period
        _, sent = await desk.sweep_on(local(2026, 12, 2, 8, 30))
        [wednesday] = [m.text for m in sent if m.kind == "briefing"]
        assert "排查报送" not in wednesday


async def test_a_periods_screening_is_read_by_day(tmp_path: Path) -> None:
    """A province's grids make millions of zero reports a year: a period's are found by
    their day, as its finds are, not by reading them all (SQLite's plans)."""
    from storage import SQLiteStore

    async with SQLiteStore(tmp_path / "plan.db") as store:
        for table, index in (
            ("zero_reports", "zero_reports_day"),
            ("screening_finds", "screening_finds_day"),
        ):
            sql = f"EXPLAIN QUERY PLAN SELECT * FROM {table} WHERE day >= ? AND day <= ?"
            async with store.db.execute(sql, ("2026-11-01", "2026-11-30")) as cursor:
                plan = " ".join(str(tuple(row)) for row in await cursor.fetchall())
            assert f"USING INDEX {index}" in plan, plan


async def test_the_briefing_names_at_most_twenty_grids(
    db_path: Path, new_store: StoreFactory
) -> None:
    config = screening_config(db_path)
    more = [Area(code=f"G{i:02d}", name=f"第{i}网格") for i in range(23)]
    config = config.model_copy(update={"areas": config.areas + more})
    async for desk in started(config, new_store):
        await desk.sweep_on(local(2026, 11, 30, 8, 30))
        _, sent = await desk.sweep_on(local(2026, 12, 1, 8, 30))
        [briefing] = [m.text for m in sent if m.kind == "briefing"]
        [line] = [x for x in briefing.splitlines() if "排查报送" in x]
        assert line.startswith(
            "11月30日（星期一）排查报送：已报 0/25 个网格，未报送：东镇、西村、第0网格"
        )
        assert line.endswith("第17网格等，另 5 个网格")


async def test_a_sensitive_period_over_a_weekend(db_path: Path, new_store: StoreFactory) -> None:
    """A sensitive period (敏感期) owes the report on its days off too: the reminder on
    Saturday, and Monday's briefing names Saturday and Sunday."""
    config = screening_config(db_path, daily=False, sensitive=("2026-12-04..2026-12-06",))
    async for desk in started(config, new_store):
        await desk.sweep_on(local(2026, 12, 4, 8, 30))  # the first briefing (Friday)
        report, _ = await desk.sweep_on(local(2026, 12, 5, 16, 0))
        assert report.screening_reminded == 3  # Saturday
        desk.clock.now = local(2026, 12, 6, 9, 0)
        await desk.h.say("worker1", "零报告")  # Sunday, 东镇
        _, sent = await desk.sweep_on(local(2026, 12, 7, 8, 30))  # Monday
        [monday] = [m.text for m in sent if m.kind == "briefing"]
        lines = [x for x in monday.splitlines() if "排查报送" in x]
        assert lines == [
            "12月4日（星期五）排查报送：已报 0/2 个网格，未报送：东镇、西村",
            "12月5日（星期六）排查报送：已报 0/2 个网格，未报送：东镇、西村",
            "12月6日（星期日）排查报送：已报 1/2 个网格，未报送：西村",
        ]
        # The period's view counts the days owed, not every working day of the week.
        week = await say(desk, "staff1", "排查情况 2026-11-30..2026-12-06 东镇", chat="staff")
        assert week.splitlines()[1] == (
            "东镇：已报 1/3 天（零报告 1 天，上报 0 天）；未报：12-04、12-05"
        )


async def test_workload_counts_the_area_and_the_period_asked_for(desk: Desk) -> None:
    """/workload's screening: of the grid asked for, made within the period (a rolling
    window starts mid-day), each dispute once however often it was added to."""
    desk.clock.now = local(2026, 11, 30, 8, 0)
    await desk.h.say("worker1", "零报告")  # 08:00 Monday: before the window below
    desk.clock.now = local(2026, 12, 1, 10, 0)
    await desk.h.say("worker1", "上报：村东头两户因为宅基地边界吵起来了")
    desk.clock.now = local(2026, 12, 2, 10, 0)
    await desk.h.say("worker1", "上报：村东头两户宅基地边界的事还在吵，又动手推搡了")
    desk.clock.now = local(2026, 12, 2, 11, 0)
    await desk.h.say("westworker", "零报告", chat="west")
    lines = (await say(desk, "staff1", "工作量 2d 东镇", chat="staff")).splitlines()
    # Since Monday 11:00: Monday 08:00's zero report is out; #1 added to on Wednesday: once.
    assert "worker1：在办 0 件｜办结 0 件｜排查：上报 1 件，零报告 0 天" in lines
    assert not any(line.startswith("westworker") for line in lines)
    west = (await say(desk, "staff1", "工作量 2d 西村", chat="staff")).splitlines()
    assert "westworker：在办 0 件｜办结 0 件｜排查：上报 0 件，零报告 1 天" in west


async def test_a_workers_zero_reports_stay_theirs_after_they_change_role(desk: Desk) -> None:
    """A worker who has since left the grid (made a resident again) keeps the days they
    reported in the assessment; only staff, who write down what was phoned in, are left
    out."""
    desk.clock.now = MONDAY
    await say(desk, "westworker", "零报告 已走访12户", chat="west")
    [granted] = await desk.h.say("admin1", "/grant westworker resident", chat="staff")
    assert "居民" in granted.text
    config = desk.h.bot.config
    week = parse_period("本周", desk.clock.now, config.work_calendar.zone)
    async with desk.h.bot.store.read() as tx:
        counts = await by_worker(tx, week, config, "XC")
        [westworker] = [
            p for p in await tx.people_with_role("resident") if p.user_id == "westworker"
        ]
    assert counts == {westworker.id: (0, 1)}
