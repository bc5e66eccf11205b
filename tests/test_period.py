"""Periods for /stats and the ledger export: what people type, in the centre's local days."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.period import PeriodError, day_bounds, parse_day, parse_period
from storage.base import BEGINNING, END_OF_TIME

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2026-12-01 01:30 in Shanghai is still 30 November in UTC: local days must win.
NOW = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("", "2026-10-31T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        ("7d", "2026-11-23T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        ("7天", "2026-11-23T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        ("30D", "2026-10-31T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        ("本月", "2026-11-30T16:00:00.000Z", "2026-12-31T16:00:00.000Z"),
        ("month", "2026-11-30T16:00:00.000Z", "2026-12-31T16:00:00.000Z"),
        ("上月", "2026-10-31T16:00:00.000Z", "2026-11-30T16:00:00.000Z"),
        ("last-month", "2026-10-31T16:00:00.000Z", "2026-11-30T16:00:00.000Z"),
        ("2026-02", "2026-01-31T16:00:00.000Z", "2026-02-28T16:00:00.000Z"),
        ("2026-12", "2026-11-30T16:00:00.000Z", "2026-12-31T16:00:00.000Z"),
        ("2026-11-05", "2026-11-04T16:00:00.000Z", "2026-11-05T16:00:00.000Z"),
        ("2026-11-01..2026-11-30", "2026-10-31T16:00:00.000Z", "2026-11-30T16:00:00.000Z"),
        ("2026/11/01 ~ 2026/11/30", "2026-10-31T16:00:00.000Z", "2026-11-30T16:00:00.000Z"),
        ("2026-11-01至2026-11-30", "2026-10-31T16:00:00.000Z", "2026-11-30T16:00:00.000Z"),
        ("2026-11-01 2026-11-02", "2026-10-31T16:00:00.000Z", "2026-11-02T16:00:00.000Z"),
        ("近7天", "2026-11-23T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        ("最近30天", "2026-10-31T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        # Named periods are whole local days: NOW is Tuesday 1 December 01:30 in Shanghai.
        ("今天", "2026-11-30T16:00:00.000Z", "2026-12-01T16:00:00.000Z"),
        ("yesterday", "2026-11-29T16:00:00.000Z", "2026-11-30T16:00:00.000Z"),
        ("本周", "2026-11-29T16:00:00.000Z", "2026-12-06T16:00:00.000Z"),
        ("上周", "2026-11-22T16:00:00.000Z", "2026-11-29T16:00:00.000Z"),
        ("Last-Week", "2026-11-22T16:00:00.000Z", "2026-11-29T16:00:00.000Z"),
        ("上个月", "2026-10-31T16:00:00.000Z", "2026-11-30T16:00:00.000Z"),
        ("今年", "2025-12-31T16:00:00.000Z", "2026-12-31T16:00:00.000Z"),
        ("去年", "2024-12-31T16:00:00.000Z", "2025-12-31T16:00:00.000Z"),
        ("2026年11月", "2026-10-31T16:00:00.000Z", "2026-11-30T16:00:00.000Z"),
        ("2026年11月5日", "2026-11-04T16:00:00.000Z", "2026-11-05T16:00:00.000Z"),
        ("2026年11月1日至2026年11月3号", "2026-10-31T16:00:00.000Z", "2026-11-03T16:00:00.000Z"),
        # A year, a month named without its year (the latest: 12月 is this one, 1月 this
        # January), a quarter: how a centre's reports are asked for.
        ("2025", "2024-12-31T16:00:00.000Z", "2025-12-31T16:00:00.000Z"),
        ("2026年", "2025-12-31T16:00:00.000Z", "2026-12-31T16:00:00.000Z"),
        ("11月", "2026-10-31T16:00:00.000Z", "2026-11-30T16:00:00.000Z"),
        ("12月", "2026-11-30T16:00:00.000Z", "2026-12-31T16:00:00.000Z"),
        ("1月", "2025-12-31T16:00:00.000Z", "2026-01-31T16:00:00.000Z"),
        ("本季度", "2026-09-30T16:00:00.000Z", "2026-12-31T16:00:00.000Z"),
        ("上季度", "2026-06-30T16:00:00.000Z", "2026-09-30T16:00:00.000Z"),
        ("last-quarter", "2026-06-30T16:00:00.000Z", "2026-09-30T16:00:00.000Z"),
        # The last weeks or months as staff say them: a rolling window, a week 7 days and a
        # month 30 ("统计 最近一周" was told it is no period).
        ("最近一周", "2026-11-23T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        ("近一周", "2026-11-23T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        ("最近7天", "2026-11-23T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        ("最近七天", "2026-11-23T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        ("近两周", "2026-11-16T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        ("过去一个星期", "2026-11-23T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        ("最近一个月", "2026-10-31T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        ("近一个月", "2026-10-31T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        ("近3个月", "2026-09-01T17:30:00.000Z", "2026-11-30T17:30:00.001Z"),
        # ... and calendar ones by more of their names.
        ("这周", "2026-11-29T16:00:00.000Z", "2026-12-06T16:00:00.000Z"),
        ("上个礼拜", "2026-11-22T16:00:00.000Z", "2026-11-29T16:00:00.000Z"),
        ("这个月", "2026-11-30T16:00:00.000Z", "2026-12-31T16:00:00.000Z"),
        ("上一个月", "2026-10-31T16:00:00.000Z", "2026-11-30T16:00:00.000Z"),
        ("本年度", "2025-12-31T16:00:00.000Z", "2026-12-31T16:00:00.000Z"),
        ("上年度", "2024-12-31T16:00:00.000Z", "2025-12-31T16:00:00.000Z"),
    ],
)
def test_periods(text: str, start: str, end: str) -> None:
    assert parse_period(text, NOW, SHANGHAI).bounds() == (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "0d",
        "99999d",
        "2026-13",
        "2026-02-30",
        "2026-11-30..2026-11-01",
        "7 weeks",
        "下季度",
        "13月",
        "0月",
        "9999",
        "12345",
        "近",
        "前年",
        "近零天",
        "最近一百五十个月",  # 4500 days: past ten years
        "最近几天",
        # Past what a datetime holds, once a day is added or the zone taken off (they were an
        # OverflowError, which ended the turn), and ranges longer than ten years.
        "9999-12-31",
        "9999-12",
        "0001-01-01..2026-01-01",
        "2026-01-01..9999-12-30",
        "2016-01-01..2026-12-31",
    ],
)
def test_bad_periods(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text, NOW, SHANGHAI)


def test_descriptions_are_local() -> None:
    month = parse_period("上月", NOW, SHANGHAI)
    assert month.describe(SHANGHAI) == ("2026-11-01", "2026-11-30")
    rolling = parse_period("7d", NOW, SHANGHAI)
    assert rolling.describe(SHANGHAI) == ("2026-11-24 01:30", "2026-12-01 01:30")


def test_export_day_bounds() -> None:
    assert parse_day("2026/11/05") == date(2026, 11, 5)
    with pytest.raises(PeriodError):
        parse_day("11/05/2026")
    first, last = date(2026, 11, 1), date(2026, 11, 30)
    assert day_bounds(first, last, SHANGHAI) == (
        "2026-10-31T16:00:00.000Z",
        "2026-11-30T16:00:00.000Z",
    )
    assert day_bounds(None, last, SHANGHAI) == (BEGINNING, "2026-11-30T16:00:00.000Z")
    assert day_bounds(first, None, SHANGHAI) == ("2026-10-31T16:00:00.000Z", END_OF_TIME)
    with pytest.raises(PeriodError):
        day_bounds(last, first, SHANGHAI)
    with pytest.raises(PeriodError):  # `intake-bot db export --to 9999-12-31`
        parse_day("9999-12-31")


@pytest.mark.parametrize(
    ("text", "before"),
    [
        ("上月", ("2026-10-01", "2026-10-31")),  # a month: the month before, whatever its length
        ("2026-03", ("2026-02-01", "2026-02-28")),
        ("2026-09-01..2026-11-30", ("2026-06-01", "2026-08-31")),  # three months: three before
        ("去年", ("2024-01-01", "2024-12-31")),
        ("上季度", ("2026-04-01", "2026-06-30")),  # a quarter: the quarter before
        ("上周", ("2026-11-16", "2026-11-22")),  # not whole months: as long, just before
        ("昨天", ("2026-11-29", "2026-11-29")),
        ("2026-11-05..2026-11-20", ("2026-10-20", "2026-11-04")),  # 16 days
    ],
)
def test_the_period_before(text: str, before: tuple[str, str]) -> None:
    period = parse_period(text, NOW, SHANGHAI)
    assert period.previous(SHANGHAI).describe(SHANGHAI) == before
    assert period.previous(SHANGHAI).end == period.start  # next to it: no ticket twice


def test_a_period_is_over_when_it_has_ended() -> None:
    assert parse_period("上月", NOW, SHANGHAI).over(NOW)
    assert parse_period("7d", NOW, SHANGHAI).over(NOW)  # a rolling window ends now
    assert not parse_period("本月", NOW, SHANGHAI).over(NOW)
    assert not parse_period("今天", NOW, SHANGHAI).over(NOW)
