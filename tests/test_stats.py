"""/stats: numbers checked against tickets made through the real pipeline, on both engines.

A settable clock stands in for time (the `timed` fixture), so each ticket is claimed and
resolved a known number of minutes after it was received and the medians can be worked
out by hand (tests/scenario.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.ledger import COLUMNS, LedgerFormat
from bot.period import parse_period
from bot.stats import render_stats
from classifier import Classification
from storage.base import BEGINNING, END_OF_TIME, TicketStats
from tests.conftest import Timed
from tests.scenario import a_fortnight, chatter_dismissed

ZONE = ZoneInfo("Asia/Shanghai")


async def test_stats_for_the_last_30_days(timed: Timed) -> None:
    await a_fortnight(timed)
    reply = await timed.say("staff1", "/stats", days=2)
    assert reply.splitlines() == [
        "工单统计（2026-10-05 09:00 至 2026-11-04 09:00 受理）：",
        "受理 5 件，已办结 2 件，办结率 40.0%",
        "按状态：待认领 1｜处理中 1｜已办结 1｜已结案 1｜已重开 1",
        "按类型：邻里纠纷 4｜治安隐患 1",
        "按紧急程度：紧急 1｜较急 0｜一般 4｜咨询/建议 0",
        "认领用时中位数：25分钟（已认领 4 件）",
        "办结用时中位数：3小时0分钟（已办结 2 件）",
        "按期办结 1 件，超期办结 1 件；按期办结率 50.0%",
        "按网格：东镇 4（已办结 2）｜西村 1（已办结 0）",
    ]


async def test_stats_over_a_range_that_includes_september(timed: Timed) -> None:
    await a_fortnight(timed)
    reply = await timed.say("admin1", "统计 2026-09-01..2026-11-30", days=2)
    lines = reply.splitlines()
    assert lines[0] == "工单统计（2026-09-01 至 2026-11-30 受理）："
    assert lines[1] == "受理 6 件，已办结 3 件，办结率 50.0%"
    # Claims: 1, 10, 20, 30, 50 min -> 20 min.  Resolutions: 2 min, 2 h, 4 h -> 2 h.
    # #1 and #2 well inside their 15 working days; #3 at its 4 hours exactly: late.
    assert lines[-4:] == [
        "认领用时中位数：20分钟（已认领 5 件）",
        "办结用时中位数：2小时0分钟（已办结 3 件）",
        "按期办结 2 件，超期办结 1 件；按期办结率 66.7%",
        "按网格：东镇 5（已办结 3）｜西村 1（已办结 0）",
    ]


async def test_stats_for_one_month_and_an_empty_one(timed: Timed) -> None:
    await a_fortnight(timed)
    september = await timed.say("staff1", "统计 2026-09", days=2)
    assert "受理 1 件，已办结 1 件，办结率 100.0%" in september
    assert "认领用时中位数：1分钟（已认领 1 件）" in september
    empty = await timed.say("staff1", "/stats 2026-10", days=2)
    assert empty.splitlines() == [
        "工单统计（2026-10-01 至 2026-10-31 受理）：",
        "该时段没有受理工单。",
        "环比：受理 -100.0%（上期 2026-09-01 至 2026-09-30 受理 1 件）",
    ]
    this_month = await timed.say("staff1", "统计 本月", days=2)
    assert this_month.splitlines() == [  # as shown in the README
        "工单统计（2026-11-01 至 2026-11-30 受理）：",
        "受理 5 件，已办结 2 件，办结率 40.0%",
        "按状态：待认领 1｜处理中 1｜已办结 1｜已结案 1｜已重开 1",
        "按类型：邻里纠纷 4｜治安隐患 1",
        "按紧急程度：紧急 1｜较急 0｜一般 4｜咨询/建议 0",
        "认领用时中位数：25分钟（已认领 4 件）",
        "办结用时中位数：3小时0分钟（已办结 2 件）",
        "按期办结 1 件，超期办结 1 件；按期办结率 50.0%",
        "按网格：东镇 4（已办结 2）｜西村 1（已办结 0）",
    ]


async def test_dismissed_tickets_are_counted_apart(timed: Timed) -> None:
    """Chatter dismissed as not a report is no case: not received, not in any status,
    type or urgency, not awaiting triage, and its claim is not in the median; it gets a
    line of its own, so the figures stay about reports and nothing is hidden."""
    await a_fortnight(timed)
    await chatter_dismissed(timed)  # #7 (flagged, claimed after 10 min) and #8
    this_month = await timed.say("staff1", "统计 本月", days=2)
    assert this_month.splitlines() == [
        "工单统计（2026-11-01 至 2026-11-30 受理）：",
        "受理 5 件，已办结 2 件，办结率 40.0%",
        "按状态：待认领 1｜处理中 1｜已办结 1｜已结案 1｜已重开 1",
        "按类型：邻里纠纷 4｜治安隐患 1",
        "按紧急程度：紧急 1｜较急 0｜一般 4｜咨询/建议 0",
        "认领用时中位数：25分钟（已认领 4 件）",
        "办结用时中位数：3小时0分钟（已办结 2 件）",
        "按期办结 1 件，超期办结 1 件；按期办结率 50.0%",
        "按网格：东镇 4（已办结 2）｜西村 1（已办结 0）",
        "另有 2 件作废（非报事），不计入以上各项",
    ]
    west = await timed.say("staff1", "统计 本月 XC", days=2)
    assert "作废" not in west  # both were in 东镇
    await timed.say("staff1", "/lang en")
    english = await timed.say("staff1", "/stats 2026-11-02 DZ", days=2)
    assert english.splitlines()[1] == "Received 4, resolved 2 (50.0%)"
    assert english.splitlines()[-2:] == [
        "Resolved by the deadline: 1, after it: 1; on time 50.0%",
        "Also 2 dismissed as not a report, counted in none of the above",
    ]


async def test_a_period_with_only_dismissed_tickets(timed: Timed) -> None:
    await chatter_dismissed(timed)
    reply = await timed.say("worker1", "统计 本月", days=1)
    assert reply.splitlines() == [
        "工单统计（东镇，2026-11-01 至 2026-11-30 受理）：",
        "该时段没有受理工单。",
        "另有 2 件作废（非报事），不计入以上各项",
    ]


async def test_stats_in_english_with_unclaimed_tickets_only(timed: Timed) -> None:
    await timed.say("resident1", "noise from the flat above every night")
    await timed.say("staff1", "/lang en")
    reply = await timed.say("staff1", "/stats 7d", hours=1)
    assert reply.splitlines() == [
        "Tickets received 2026-10-26 10:00 to 2026-11-02 10:00:",
        "Received 1, resolved 0 (0.0%)",
        "By status: new 1 | claimed 0 | resolved 0 | closed 0 | reopened 0",
        "By type: Neighbour dispute 1",
        "By urgency: Urgent 0 | High 0 | Normal 1 | Low 0",
        "Median time to claim: n/a (0 claimed)",
        "Median time to resolve: n/a (0 resolved)",
        "By area: 东镇 1 (0 resolved) | 西村 0 (0 resolved)",
    ]


async def test_stats_counts_tickets_awaiting_triage_and_multi_day_medians(timed: Timed) -> None:
    class Unsure:
        def classify(self, text: str) -> Classification:
            return Classification("consumer", 0.3, "low", 0.6, needs_triage=True)

    timed.harness.bot.pipeline.classifier = Unsure()
    await timed.say("resident1", "那个事情你们管不管")
    await timed.say("worker1", "认领 1", days=1, hours=2)
    await timed.say("worker1", "办结 1 已答复", days=3, hours=5, seconds=30)
    reply = await timed.say("staff1", "/stats", days=4)
    assert "待人工研判：1 件" in reply and "按类型：消费/产品质量 1" in reply
    assert "按紧急程度：紧急 0｜较急 0｜一般 0｜咨询/建议 1" in reply
    assert "认领用时中位数：1天2小时（已认领 1 件）" in reply
    assert "办结用时中位数：3天5小时（已办结 1 件）" in reply


EAST_NOVEMBER = [
    "工单统计（东镇，2026-11-01 至 2026-11-30 受理）：",
    "受理 4 件，已办结 2 件，办结率 50.0%",
    "按状态：待认领 1｜处理中 1｜已办结 1｜已结案 1｜已重开 0",
    "按类型：邻里纠纷 3｜治安隐患 1",
    "按紧急程度：紧急 1｜较急 0｜一般 3｜咨询/建议 0",
    "认领用时中位数：30分钟（已认领 3 件）",
    "办结用时中位数：3小时0分钟（已办结 2 件）",
    "按期办结 1 件，超期办结 1 件；按期办结率 50.0%",
]


async def test_stats_for_one_area(timed: Timed) -> None:
    await a_fortnight(timed)
    # The area's code after the period or before it, typed or as a slash command.
    for text in ("统计 本月 DZ", "统计 DZ 本月", "/stats 2026-11-01..2026-11-30 DZ"):
        assert (await timed.say("staff1", text, days=2)).splitlines() == EAST_NOVEMBER
    west = await timed.say("admin1", "/stats 2026-11-01 2026-11-30 XC", days=2)
    assert west.splitlines() == [
        "工单统计（西村，2026-11-01 至 2026-11-30 受理）：",
        "受理 1 件，已办结 0 件，办结率 0.0%",
        "按状态：待认领 0｜处理中 0｜已办结 0｜已结案 0｜已重开 1",
        "按类型：邻里纠纷 1",
        "按紧急程度：紧急 0｜较急 0｜一般 1｜咨询/建议 0",
        "认领用时中位数：20分钟（已认领 1 件）",
        "办结用时中位数：暂无（已办结 0 件）",
    ]
    # The area alone: the last 30 days there (September's #1 is older).
    east = await timed.say("staff1", "统计 DZ", days=2)
    assert east.splitlines()[0] == "工单统计（东镇，2026-10-05 09:00 至 2026-11-04 09:00 受理）："
    assert east.splitlines()[1:] == EAST_NOVEMBER[1:]
    await timed.say("staff1", "/lang en")
    english = await timed.say("staff1", "/stats 2026-09 DZ", days=2)
    assert english.splitlines()[:2] == [
        "Tickets received in 东镇, 2026-09-01 to 2026-09-30:",
        "Received 1, resolved 1 (100.0%)",
    ]


async def test_grid_workers_see_their_own_areas_figures_only(timed: Timed) -> None:
    """A grid worker may open every ticket of their area, so its figures tell them
    nothing they could not count themselves; another area's would."""
    await a_fortnight(timed)
    assert (await timed.say("worker1", "统计 本月", days=2)).splitlines() == EAST_NOVEMBER
    assert (await timed.say("worker2", "/stats 本月 DZ", days=2)).splitlines() == EAST_NOVEMBER
    west = await timed.say("westworker", "/stats 本月", days=2)
    assert west.startswith("工单统计（西村，2026-11-01 至 2026-11-30 受理）：\n受理 1 件")
    for text in ("/stats 本月 XC", "统计 XC", "/stats 7d XC"):
        assert await timed.say("worker1", text, days=2) == "网格员只能查看本网格（东镇）的统计。"


async def test_residents_are_refused(timed: Timed) -> None:
    await timed.say("resident1", "楼道堆满杂物")
    for text in ("/stats", "统计", "统计 本月", "统计 本月 DZ"):
        assert await timed.say("resident1", text) == "您的身份（居民）不能使用「统计」。"


async def test_an_unknown_area_is_named(timed: Timed) -> None:
    await timed.say("resident1", "楼道堆满杂物")
    choices = "可选：DZ（东镇）、XC（西村）。"
    assert await timed.say("staff1", "统计 本月 NOPE") == f"「NOPE」不是网格的名称或代码。{choices}"
    assert await timed.say("staff1", "/stats dz 7d") == f"「dz」不是网格的名称或代码。{choices}"
    # An area's name is as good as its code (as with /queue and /overdue), in either form.
    by_code = await timed.say("staff1", "/stats 本月 DZ")
    assert by_code.startswith("工单统计（东镇，")
    assert await timed.say("staff1", "/stats 本月 东镇") == by_code
    assert await timed.say("staff1", "统计 本月 东镇") == by_code
    assert await timed.say("staff1", "统计 东镇 本月") == by_code
    # A grid worker is offered the one area they may ask about.
    assert await timed.say("worker1", "/stats 本月 XX") == (
        "「XX」不是网格的名称或代码。可选：DZ（东镇）。"
    )
    # One word that is neither a period nor a code could be meant as either.
    assert await timed.say("staff1", "/stats fortnight") == (
        "看不懂「fortnight」：既不是时间段，也不是网格代码。用法：/stats [7d | 今天 | 本周 | "
        "上周 | 本月 | 上月 | 10月 | 上季度 | 今年 | 2026-11 | 2026-11-01..2026-11-30] [网格代码]；"
        "网格代码：DZ（东镇）、XC（西村）。"
    )
    # With a known area, the period is what is wrong.
    bad_day = await timed.say("staff1", "/stats 2026-02-30 DZ")
    assert bad_day.startswith("看不懂时间段「2026-02-30」。用法：")
    await timed.say("staff1", "/lang en")
    assert await timed.say("staff1", "/stats month NOPE") == (
        "'NOPE' is not an area's name or code. Choose one of: DZ (东镇), XC (西村)."
    )


async def test_a_bad_period_is_explained(timed: Timed) -> None:
    reply = await timed.say("staff1", "/stats 2026-02-30")
    assert reply.startswith("看不懂时间段「2026-02-30」。用法：/stats [7d | 今天 | 本周")
    # A time the bot does not know, after 统计 and a space, is explained too: it used to be
    # filed as a report (and "统计 上周", before 上周 was a period, as an urgent one).
    assert (await timed.say("staff1", "统计 下季度")).startswith(
        "看不懂「下季度」：既不是时间段，也不是网格代码。用法：/stats"
    )
    quarter = await timed.say("staff1", "统计 上季度")  # a period since it is asked for
    assert quarter.startswith("工单统计（2026-07-01 至 2026-09-30 受理）"), quarter
    last_week = await timed.say("staff1", "统计 上周")
    assert last_week.startswith("工单统计（2026-10-26 至 2026-11-01 受理）")
    # Words after 统计 that are no period make a report, not a command.
    assert "已受理，工单号 #1。" in await timed.say("resident1", "统计一下我们楼有几户")


async def test_the_last_week_or_month_in_words(timed: Timed) -> None:
    """"统计 最近一周" was told 看不懂「最近一周」; the last week or month in words is the
    rolling window 7d or 30d is, for /stats, /workload and /export alike."""
    await a_fortnight(timed)
    week = await timed.say("staff1", "统计 最近一周", days=2)
    assert week.startswith("工单统计（2026-10-28 09:00 至 2026-11-04 09:00 受理）"), week
    assert week == await timed.say("staff1", "/stats 7d", days=2)
    assert await timed.say("staff1", "统计 近一个月 DZ", days=2) == await timed.say(
        "staff1", "/stats 30d DZ", days=2
    )
    assert await timed.say("staff1", "工作量 近一周", days=2) == await timed.say(
        "staff1", "/workload 7d", days=2
    )
    exported = await timed.harness.say("staff1", "导出台账 本年度", private=True)
    [ledger] = [m.document for m in exported if m.document is not None]
    assert ledger.filename == "台账-2026-01-01至2026-12-31.csv"
    # Still a report from a resident who writes on after the period.
    assert "已受理" in await timed.say("resident1", "统计 最近一周有人打架", days=2)


async def test_the_follow_up_answers_and_the_satisfaction_rate(timed: Timed) -> None:
    """满意率: satisfied or fair, of the tickets answered.  Each ticket counts once, by its
    reporter's latest answer: a 不满意 that reopened it counts until the answer to the next
    resolution replaces it.  The ledger's last column shows the same answer."""
    await a_fortnight(timed)
    await timed.say("resident1", "满意 2", hours=12)
    await timed.say("resident2", "基本满意 3", hours=12)  # closed: still answered
    await timed.say("resident1", "满意 1", hours=12)  # September: outside the 30 days
    await timed.say("westworker", "认领 6", chat="west", hours=13)
    await timed.say("westworker", "办结 6 再次疏通", chat="west", hours=14)
    await timed.say("resident3", "不满意 6 还是堵", chat="west", hours=15)  # reopens it

    def ratings_line(reply: str) -> str:
        return reply.splitlines()[-1]

    reply = await timed.say("staff1", "/stats", days=2)
    assert ratings_line(reply) == (
        "回访评价 3 件：满意 1｜基本满意 1｜不满意 1；满意率 66.7%（满意与基本满意）"
    )
    await timed.say("westworker", "认领 6", chat="west", hours=16)
    await timed.say("westworker", "办结 6 换了涵管", chat="west", hours=17)
    await timed.say("resident3", "满意 6", chat="west", hours=18)
    reply = await timed.say("staff1", "/stats", days=2)
    assert ratings_line(reply) == (
        "回访评价 3 件：满意 2｜基本满意 1｜不满意 0；满意率 100.0%（满意与基本满意）"
    )
    assert ratings_line(await timed.say("staff1", "统计 本月 XC", days=2)).startswith(
        "回访评价 1 件：满意 1｜基本满意 0｜不满意 0；满意率 100.0%"
    )
    await timed.say("staff1", "/lang en", days=2)
    assert ratings_line(await timed.say("staff1", "/stats", days=2)) == (
        "Follow-up answers: 3 — satisfied 2 | fair 1 | unsatisfied 0; satisfaction 100.0%"
        " (satisfied or fair)"
    )
    writer = LedgerFormat(timed.harness.bot.config, "zh")
    async with timed.harness.bot.store.read() as tx:
        rows = await tx.ledger_rows(BEGINNING, END_OF_TIME, 0, 10)
    answers = {row.id: writer.cells(row)[COLUMNS.index("rating")] for row in rows}
    assert answers == {1: "满意", 2: "满意", 3: "基本满意", 4: "", 5: "", 6: "满意"}


async def test_no_answers_no_line(timed: Timed) -> None:
    await a_fortnight(timed)
    reply = await timed.say("staff1", "/stats", days=2)
    assert not any(line.startswith("回访评价") for line in reply.splitlines())


def test_the_by_area_line() -> None:
    """Every area in the config's order, zeros too; a province's many: the busiest 20, and
    how many more there are; one area configured: no line."""
    names = {f"A{i:02d}": f"网格{i}" for i in range(25)}
    counts = {f"A{i:02d}": i + 1 for i in range(25)}  # A24 busiest, A00 quietest
    stats = TicketStats(
        received=sum(counts.values()),
        by_status={"new": sum(counts.values())},
        by_type={"neighbour": sum(counts.values())},
        by_urgency={"normal": sum(counts.values())},
        needs_triage=0,
        claimed=0,
        resolved=0,
        median_claim_seconds=None,
        median_resolve_seconds=None,
        dismissed=0,
        by_area=counts,
        resolved_by_area={"A24": 3},
    )
    month = parse_period("2026-11", datetime(2026, 11, 30, tzinfo=ZONE), ZONE)
    [line] = [
        x
        for x in render_stats(stats, month, ZONE, "zh", areas=names).splitlines()
        if x.startswith("按网格")
    ]
    items = line.removeprefix("按网格：").split("；")[0].split("｜")
    assert items[0] == "网格5 6（已办结 0）" and items[-1] == "网格24 25（已办结 3）"
    assert len(items) == 20
    assert line.endswith("；另有 5 个网格")
    two = {"A00": "东镇", "A01": "西村"}
    both = render_stats(replace(stats, by_area={"A01": 2}), month, ZONE, "en", areas=two)
    assert "By area: 东镇 0 (0 resolved) | 西村 2 (0 resolved)" in both.splitlines()
    one = render_stats(stats, month, ZONE, "zh", areas={"A00": "东镇"})
    assert "按网格" not in one


async def test_against_the_period_before(timed: Timed) -> None:
    """环比: the reports received against the period just before, and the type that rose
    most, once the period is over; a month still running is not compared."""
    await timed.say("resident1", "楼上漏水把我家天花板泡了", days=-20)  # October
    await timed.say("resident2", "隔壁装修天天吵到半夜", days=-19)
    await timed.say("resident1", "楼道里堆满了杂物没人清", days=0)  # November
    await timed.say("resident2", "邻居家的狗天天乱叫", days=1)
    await timed.say("resident3", "村口有人打人了", days=2)
    running = await timed.say("staff1", "统计 本月", days=3)
    assert "环比" not in running
    november = await timed.say("staff1", "统计 上月", days=30)
    assert november.splitlines()[2] == (
        "环比：受理 +50.0%（上期 2026-10-01 至 2026-10-31 受理 2 件）；增加最多：治安隐患 +1"
    )
    # Nothing before to compare with: no line.
    assert "环比" not in await timed.say("staff1", "统计 2026-10", days=30)
    await timed.say("staff1", "/lang en")
    english = await timed.say("staff1", "/stats last-month", days=30)
    assert english.splitlines()[2] == (
        "Against the period before (2026-10-01 to 2026-10-31): received +50.0% (then 2); "
        "largest rise: Public order (fights, gambling, theft, fraud) +1"
    )


async def test_against_the_period_before_when_none_came_in(timed: Timed) -> None:
    """环比 of a period over with no reports, after one with some: the line says so (-100%),
    as the README has it whenever the period before had reports; none when neither had."""
    await timed.say("resident1", "楼上漏水把我家天花板泡了", days=-20)  # October, 东镇
    await timed.say("resident2", "隔壁装修天天吵到半夜", days=-19)
    november = await timed.say("staff1", "统计 上月", days=30)
    assert november.splitlines() == [
        "工单统计（2026-11-01 至 2026-11-30 受理）：",
        "该时段没有受理工单。",
        "环比：受理 -100.0%（上期 2026-10-01 至 2026-10-31 受理 2 件）",
    ]
    assert "环比" not in await timed.say("staff1", "统计 上月 XC", days=30)
    await timed.say("staff1", "/lang en")
    english = await timed.say("staff1", "/stats last-month DZ", days=30)
    assert english.splitlines()[1:] == [
        "No tickets were received in this period.",
        "Against the period before (2026-10-01 to 2026-10-31): received -100.0% (then 2)",
    ]


def test_a_share_is_never_rounded_to_all_or_none() -> None:
    """A county's year: 1,999 of 2,000 resolved on time read 按期办结率 100.0% beside 超期办结
    1 件 (and one settled of 2,001, 0.0%).  A share reads 100.0% or 0.0% only when it is."""
    stats = TicketStats(
        received=2001,
        by_status={"resolved": 2000, "new": 1},
        by_type={"neighbour": 2001},
        by_urgency={"normal": 2001},
        needs_triage=0,
        claimed=2000,
        resolved=2000,
        median_claim_seconds=600.0,
        median_resolve_seconds=7200.0,
        dismissed=0,
        resolved_on_time=1999,
        resolved_late=1,
        settled=1,
        unsettled=2000,
        ratings={"satisfied": 1999, "unsatisfied": 1},
    )
    month = parse_period("去年", datetime(2027, 1, 4, tzinfo=ZONE), ZONE)
    lines = render_stats(stats, month, ZONE, "zh").splitlines()
    assert "受理 2001 件，已办结 2000 件，办结率 99.9%" in lines
    assert "按期办结 1999 件，超期办结 1 件；按期办结率 99.9%" in lines
    assert "调处结果：化解成功 1 件，未化解 2000 件；化解成功率 0.1%" in lines
    assert lines[-1].endswith("满意率 99.9%（满意与基本满意）")
    whole = replace(stats, resolved_on_time=2000, resolved_late=0, settled=0)
    lines = render_stats(whole, month, ZONE, "en").splitlines()
    assert "Resolved by the deadline: 2000, after it: 0; on time 100.0%" in lines
    assert "Disputes settled: 0, not settled: 2000; settled 0.0%" in lines
