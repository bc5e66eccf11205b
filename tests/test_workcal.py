"""The working-day calendar (bot.workcal): which days count, deadlines and waits in them.

Dates are checked against the package's own data (chinese_calendar), not against memory:
2025's National Day and Mid-Autumn break ran 1-8 October, with Sunday 28 September and
Saturday 11 October made working days (调休); 2026's Spring Festival break 15-23 February,
with Saturday 14 and Saturday 28 February made working days.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from bot.workcal import WorkCalendar, WorkingDays, exceeds

ZONE = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar("Asia/Shanghai")


def test_the_package_knows_2025s_national_day_and_its_make_up_days() -> None:
    """The facts the tests below lean on, as the package has them."""
    for day in days(date(2025, 10, 1), date(2025, 10, 8)):
        assert chinese_calendar.is_holiday(day), day
    assert chinese_calendar.is_workday(date(2025, 9, 28))  # a Sunday
    assert chinese_calendar.is_workday(date(2025, 10, 11))  # a Saturday
    for day in days(date(2026, 2, 15), date(2026, 2, 23)):
        assert chinese_calendar.is_holiday(day), day
    assert chinese_calendar.is_workday(date(2026, 2, 14))
    assert chinese_calendar.is_workday(date(2026, 2, 28))


def test_working_days_are_the_packages_for_the_years_it_knows(cal: WorkCalendar) -> None:
    for day in days(date(2025, 1, 1), date(2026, 12, 31)):
        assert cal.is_working_day(day) == chinese_calendar.is_workday(day), day
    assert cal.knows(2025) and cal.knows(2026)


def test_holidays_are_the_official_ones_not_weekends(cal: WorkCalendar) -> None:
    assert cal.is_holiday(date(2025, 10, 4))  # a Saturday inside the National Day break
    assert cal.is_holiday(date(2026, 2, 16))  # 除夕
    assert not cal.is_holiday(date(2025, 11, 15))  # a plain Saturday
    assert not cal.is_holiday(date(2025, 10, 11))  # a make-up working Saturday
    assert not cal.is_holiday(date(2025, 11, 17))


@pytest.mark.parametrize(
    ("filed", "limit", "late_from"),
    [
        # The filing day never counts, whatever the hour: Friday 08:00 and 22:00, and a
        # Saturday, all start counting on Monday; one working day is used up at 24:00 on
        # Monday, so the ticket is late from 00:00 on Tuesday.
        (local(2025, 11, 14, 8), 1, local(2025, 11, 18)),
        (local(2025, 11, 14, 22), 1, local(2025, 11, 18)),
        (local(2025, 11, 15, 10), 1, local(2025, 11, 18)),
        (local(2025, 11, 14, 0, 0), 1, local(2025, 11, 18)),  # midnight is that day too
        # Monday: Tuesday, Wednesday and Thursday are its three working days.
        (local(2025, 11, 17, 9), 3, local(2025, 11, 21)),
        # Tuesday: Wednesday to Friday; late from Monday 00:00, not over the weekend.
        (local(2025, 11, 18, 9), 3, local(2025, 11, 24)),
        # Tuesday 30 September, the eve of National Day: 9 and 10 October, then the
        # make-up Saturday the 11th; late from Monday the 13th (Sunday is no working day).
        (local(2025, 9, 30, 10), 3, local(2025, 10, 13)),
        # Filed during the holiday: the 9th is its first working day.
        (local(2025, 10, 3, 10), 1, local(2025, 10, 10)),
        (local(2025, 10, 3, 10), 3, local(2025, 10, 13)),
        # The make-up Sunday counts: Friday 26 September -> 28, 29, 30 September; the
        # next working day is 9 October (no escalation during the break).
        (local(2025, 9, 26, 15), 3, local(2025, 10, 9)),
        # Filed on the make-up Sunday itself: it does not count (it is the filing day).
        (local(2025, 9, 28, 15), 3, local(2025, 10, 10)),
        # Spring Festival 2026: filed on the make-up Saturday 14 February, counting
        # resumes on the 24th after nine days off.
        (local(2026, 2, 14, 11), 1, local(2026, 2, 25)),
        # Fifteen working days from 30 September 2025 (resolve, normal).
        (local(2025, 9, 30, 10), 15, local(2025, 10, 29)),
    ],
)
def test_deadlines(cal: WorkCalendar, filed: datetime, limit: int, late_from: datetime) -> None:
    due = cal.deadline(filed, limit)
    assert due == late_from
    assert cal.after(filed, WorkingDays(limit)) == late_from
    assert cal.is_working_day(due.date())  # late only once the centre is working
    assert cal.elapsed(filed, due) == limit


def test_elapsed_counts_the_working_days_that_have_ended(cal: WorkCalendar) -> None:
    filed = local(2025, 9, 30, 10)
    assert cal.elapsed(filed, filed) == 0
    assert cal.elapsed(filed, local(2025, 10, 8, 23, 59)) == 0  # the holiday
    assert cal.elapsed(filed, local(2025, 10, 9, 18)) == 0  # the first is under way
    assert cal.elapsed(filed, local(2025, 10, 10)) == 1
    assert cal.elapsed(filed, local(2025, 10, 12, 12)) == 3  # Sunday: the 11th has ended
    assert cal.elapsed(filed, local(2025, 10, 13)) == 3
    assert cal.elapsed(filed, local(2025, 10, 14)) == 4
    assert cal.elapsed(local(2025, 10, 14), filed) == 0  # backwards: nothing


def test_never_late_on_a_working_day_before_the_deadline(cal: WorkCalendar) -> None:
    """For every filing day of 2025 and 2026 and limits of 1 to 20 working days: at
    00:00 of every working day before the deadline fewer than the limit have ended, and
    at the deadline exactly the limit; the deadline is 00:00 of a working day."""
    for filed_day in days(date(2025, 1, 1), date(2026, 6, 30)):
        filed = local(filed_day.year, filed_day.month, filed_day.day, 15)
        for limit in (1, 3, 7, 15, 20):
            due = cal.deadline(filed, limit)
            assert due.timetz().replace(tzinfo=None).isoformat() == "00:00:00"
            assert cal.is_working_day(due.date())
            assert cal.elapsed(filed, due) == limit
            day = filed_day + timedelta(days=1)
            while day < due.date():
                if cal.is_working_day(day):
                    assert cal.elapsed(filed, local(day.year, day.month, day.day)) < limit
                day += timedelta(days=1)


def test_calendar_limits_run_around_the_clock(cal: WorkCalendar) -> None:
    filed = local(2025, 10, 1, 10)
    assert cal.after(filed, timedelta(minutes=30)) == local(2025, 10, 1, 10, 30)
    assert cal.between(filed, local(2025, 10, 2, 11), timedelta(hours=4)) == timedelta(hours=25)
    assert cal.between(filed, local(2025, 10, 9, 18), WorkingDays(3)) == WorkingDays(0)
    assert cal.between(filed, local(2025, 10, 10), WorkingDays(3)) == WorkingDays(1)
    assert exceeds(WorkingDays(4), WorkingDays(3)) == WorkingDays(1)
    assert exceeds(timedelta(hours=5), timedelta(hours=4)) == timedelta(hours=1)
    with pytest.raises(TypeError):
        exceeds(WorkingDays(4), timedelta(hours=4))
    assert 2 * WorkingDays(3) == WorkingDays(6)


def test_a_year_the_package_does_not_know_is_monday_to_friday_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Across the year end into 2027 (unknown to chinesecalendar 1.11): Friday 1 January
    2027 counts as a working day unless the county says otherwise; the warning is logged
    once, however often the year is consulted."""
    cal = WorkCalendar("Asia/Shanghai")
    with caplog.at_level(logging.WARNING, logger="bot.workcal"):
        # Wednesday 30 December 2026: 31 December, 1 January, Monday 4 January.
        assert cal.deadline(local(2026, 12, 30, 10), 3) == local(2027, 1, 5)
        assert cal.deadline(local(2026, 12, 31, 10), 3) == local(2027, 1, 6)
        assert cal.is_working_day(date(2027, 1, 1)) and not cal.knows(2027)
    warnings = [r.getMessage() for r in caplog.records if "2027" in r.getMessage()]
    assert len(warnings) == 1
    assert "no official holiday schedule for 2027" in warnings[0]
    assert "Monday to Friday" in warnings[0] and "[calendar]" in warnings[0]


def test_a_countys_own_dates(caplog: pytest.LogCaptureFixture) -> None:
    """Next year's schedule before the package has it, and a local holiday in a year it
    knows: the county's dates are laid over the official ones."""
    cal = WorkCalendar(
        "Asia/Shanghai",
        holidays=[date(2027, 1, 1), date(2025, 11, 19)],
        working_days=[date(2027, 1, 2), date(2025, 11, 15)],
    )
    with caplog.at_level(logging.WARNING, logger="bot.workcal"):
        assert not cal.is_working_day(date(2027, 1, 1)) and cal.is_holiday(date(2027, 1, 1))
        assert cal.is_working_day(date(2027, 1, 2))  # a Saturday
        # 31 December, Saturday 2 January, Monday 4 January.
        assert cal.deadline(local(2026, 12, 30, 10), 3) == local(2027, 1, 5)
    assert "with 1 holiday(s) and 1 working day(s) from [calendar]" in caplog.text
    # Monday 17 November 2025: Tuesday, Thursday (Wednesday is the local holiday), Friday.
    assert cal.deadline(local(2025, 11, 17, 9), 3) == local(2025, 11, 24)
    # Friday 14 November: the Saturday worked counts.
    assert cal.deadline(local(2025, 11, 14, 9), 1) == local(2025, 11, 17)
    with pytest.raises(ValueError, match="both a holiday and a working day"):
        WorkCalendar(holidays=[date(2027, 1, 1)], working_days=[date(2027, 1, 1)])


def test_past_holidays_keeps_the_time_of_day(cal: WorkCalendar) -> None:
    """When a follow-up visit is asked: not on an official holiday, weekends are fine."""
    assert cal.past_holidays(local(2025, 10, 1, 15)) == local(2025, 10, 9, 15)
    assert cal.past_holidays(local(2026, 2, 16, 19)) == local(2026, 2, 24, 19)  # 除夕 evening
    assert cal.past_holidays(local(2025, 11, 15, 15)) == local(2025, 11, 15, 15)  # Saturday
    assert cal.past_holidays(local(2025, 10, 11, 9)) == local(2025, 10, 11, 9)  # make-up


def test_a_calendar_with_no_working_days_is_refused_not_searched_for_ever() -> None:
    """A county's dates that by mistake leave no working day at all: an error, no hang."""
    every_day = [d for y in range(2030, 2052) for d in days(date(y, 1, 1), date(y, 12, 31))]
    with pytest.raises(ValueError, match="no working day in the 20 years"):
        WorkCalendar(holidays=every_day).deadline(local(2029, 12, 31, 9), 1)
    with pytest.raises(ValueError, match="at least 1"):
        WorkCalendar().nth_working_day_after(date(2025, 1, 1), 0)
