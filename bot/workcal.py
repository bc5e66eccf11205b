"""Working days (工作日): the calendar that day-sized SLA limits are counted in.

County centres count their handling limits (受理/办结时限) in working days by the State
Council's holiday schedule: the official holidays are not working days, and the make-up
working days (调休上班), often a Saturday or a Sunday, are.  The schedule comes from the
package `chinesecalendar` (import name `chinese_calendar`), which carries each year's
published notice; a table kept by hand here would be one more thing to forget each
December.  The package knows the years up to its release and raises NotImplementedError
for later ones (the State Council publishes next year's schedule late in the year), so
for a year it does not know the calendar falls back to Monday to Friday and logs a
warning once per year; a county's own dates (`[calendar]` in the config: a local holiday,
or next year's schedule before the package has it) are laid over either.

The rules, in the centre's time zone (the README's "Working days" says the same):

* A ticket's working days are the working days *after* the day its clock started (filed,
  or reopened).  The starting day never counts, whatever the hour, as Chinese law counts
  periods in days (民法典 第二百零一条: 开始的当日不计入): a report filed on a Friday at
  08:00 or at 22:00 starts counting on Monday, and so does one filed on Saturday.
* A limit of N working days is used up at 24:00 of the Nth of them, and the ticket is late
  from the first moment the centre works again: 00:00 of the next working day.  Usually
  that is the very next day; after a Friday, or the last working day before a holiday, it
  is the day the centre reopens.  So no working-day deadline falls due while the centre
  is closed, and no escalation for one reaches a worker on a weekend or a holiday (one
  missed while the bot was down waits for the next working day: `bot.supervision.sendable`).
* How long a ticket has waited, in working days: how many of its working days have ended.
  At the moment it becomes late that is exactly N.

Limits written in calendar time ("30m", "4h", "3d") are unchanged: they run around the
clock from the moment the clock started, as 民法典 counts periods in hours.
"""

from __future__ import annotations

import functools
import logging
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

log = logging.getLogger(__name__)

# How far ahead a search for working days may go before the calendar is declared broken
# (a county's dates could, by mistake, make every day of a year a holiday).
_MAX_YEARS_AHEAD = 20


@dataclass(frozen=True, order=True)
class WorkingDays:
    """A limit counted in whole working days ("3wd", "3工作日"), not in calendar time."""

    days: int

    def __rmul__(self, times: int) -> WorkingDays:
        return WorkingDays(self.days * times)

    __mul__ = __rmul__


# A limit, or a time waited: calendar time, or whole working days.
Span = timedelta | WorkingDays


def exceeds(waited: Span, limit: Span) -> Span:
    """How far `waited` is past `limit`, both of one kind (what /overdue calls late)."""
    if isinstance(waited, WorkingDays) and isinstance(limit, WorkingDays):
        return WorkingDays(waited.days - limit.days)
    if isinstance(waited, timedelta) and isinstance(limit, timedelta):
        return waited - limit
    raise TypeError("a calendar time and working days do not compare")


def lengthened(limit: Span, by: Span) -> Span | None:
    """`limit` made longer by `by` (an extension, 延期), or None when the two are of different
    kinds: a limit in working days grows by working days, one around the clock by hours or
    days, since a day added to "15 working days" could mean either."""
    if isinstance(limit, WorkingDays) and isinstance(by, WorkingDays):
        return WorkingDays(limit.days + by.days)
    if isinstance(limit, timedelta) and isinstance(by, timedelta):
        return limit + by
    return None


@dataclass(frozen=True)
class _Year:
    """One year's working days (date ordinals: sorted to count, a set to ask) and its
    holidays, the county's own included."""

    working: tuple[int, ...]
    working_set: frozenset[int]
    holidays: frozenset[date]
    official: bool  # the package knows this year's schedule

    @classmethod
    def of(cls, working: Iterable[date], holidays: Iterable[date], official: bool) -> _Year:
        ordinals = tuple(sorted(d.toordinal() for d in working))
        return cls(ordinals, frozenset(ordinals), frozenset(holidays), official)


@functools.cache
def _official_year(year: int) -> dict[date, tuple[bool, bool]] | None:
    """Each day of `year`: (a working day, an official holiday) by the State Council's
    schedule, as the package has it; None if it has no schedule for that year.  Shared by
    every calendar in the process (the package's look-ups are slow-ish)."""
    try:
        return {day: _official(day) for day in _days_of(year)}
    except NotImplementedError:
        return None


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


def _official(day: date) -> tuple[bool, bool]:
    holiday, name = chinese_calendar.get_holiday_detail(day)
    # A make-up working day has a name too, but is no holiday; a weekend has no name.
    return bool(chinese_calendar.is_workday(day)), bool(holiday and name)


# How many deadlines a calendar keeps worked out (a few years of start days, each with a
# few limits; a county's open tickets use far fewer).
_DEADLINES_KEPT = 100_000


class WorkCalendar:
    """Which days are working days, and deadlines and waits counted in them.

    Each year is worked out once, when it is first needed (a sweep asks for every open
    ticket's deadlines every minute, so a deadline is a binary search, not a walk over
    days).
    """

    def __init__(
        self,
        timezone: str = "Asia/Shanghai",
        holidays: Iterable[date] = (),
        working_days: Iterable[date] = (),
    ) -> None:
        self.zone = ZoneInfo(timezone)
        self.extra_holidays = frozenset(holidays)
        self.extra_working_days = frozenset(working_days)
        both = self.extra_holidays & self.extra_working_days
        if both:
            raise ValueError(f"{min(both)} is both a holiday and a working day")
        self._years: dict[int, _Year] = {}
        # Deadlines by the start's local day and the count of days: a sweep asks for every
        # open ticket's each minute, and they share few days and fewer limits.
        self._deadlines: dict[tuple[date, int], datetime] = {}

    # Days -------------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        return day.toordinal() in self._year(day.year).working_set

    def is_holiday(self, day: date) -> bool:
        """An official holiday (春节, 国庆, … and the days taken in lieu), or one of the
        county's own; a plain weekend is not one."""
        return day in self._year(day.year).holidays

    def knows(self, year: int) -> bool:
        """Whether the official schedule of `year` is known (else: Monday to Friday)."""
        return self._year(year).official

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is None:
            cached = self._years[year] = self._build(year)
        return cached

    def _build(self, year: int) -> _Year:
        mine = {d for d in self.extra_holidays if d.year == year}
        theirs = {d for d in self.extra_working_days if d.year == year}
        official = _official_year(year)
        known = official is not None
        if official is None:
            log.warning(
                "chinesecalendar %s has no official holiday schedule for %d: counting its "
                "working days as Monday to Friday, with %d holiday(s) and %d working day(s) "
                "from [calendar] in the config.  Upgrade chinesecalendar once the State "
                "Council has published %d's schedule, or add it to [calendar].",
                chinese_calendar.__version__,
                year,
                len(mine),
                len(theirs),
                year,
            )
            official = {d: (d.weekday() < 5, False) for d in _days_of(year)}
        working = [
            d for d, (works, _) in official.items() if d in theirs or (works and d not in mine)
        ]
        holidays = {d for d, (_, off) in official.items() if off} | mine
        return _Year.of(working, holidays - theirs, official=known)

    # Counting ---------------------------------------------------------------------------

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def midnight(self, day: date) -> datetime:
        """00:00 of `day` in the centre's time zone."""
        return datetime.combine(day, time(0), tzinfo=self.zone)

    def nth_working_day_after(self, day: date, n: int) -> date:
        """The `n`th working day after `day` (not counting `day` itself); n >= 1."""
        if n < 1:
            raise ValueError(f"n must be at least 1, not {n}")
        year = day.year
        index = self._year(year)
        i = bisect_right(index.working, day.toordinal())
        while i + n > len(index.working):
            n -= len(index.working) - i
            year += 1
            if year > day.year + _MAX_YEARS_AHEAD:
                raise ValueError(f"no working day in the {_MAX_YEARS_AHEAD} years after {day}")
            index, i = self._year(year), 0
        return date.fromordinal(index.working[i + n - 1])

    def count_between(self, first: date, last: date) -> int:
        """How many working days there are from `first` to `last`, both included."""
        count = 0
        for year in range(first.year, last.year + 1):
            working = self._year(year).working
            low = bisect_left(working, first.toordinal())
            high = bisect_right(working, last.toordinal())
            count += max(high - low, 0)
        return count

    def deadline(self, start: datetime, days: int) -> datetime:
        """When a clock started at `start` is late for a limit of `days` working days:
        00:00 of the first working day after the `days`th working day after start's day."""
        day = self.local_date(start)
        found = self._deadlines.get((day, days))
        if found is None:
            last = self.nth_working_day_after(day, days)
            found = self.midnight(self.nth_working_day_after(last, 1))
            if len(self._deadlines) >= _DEADLINES_KEPT:
                self._deadlines.clear()
            self._deadlines[(day, days)] = found
        return found

    def elapsed(self, start: datetime, now: datetime) -> int:
        """How many of the working days after start's day have ended by `now`."""
        first = self.local_date(start) + timedelta(days=1)
        last = self.local_date(now) - timedelta(days=1)
        return self.count_between(first, last) if first <= last else 0

    def after(self, start: datetime, span: Span) -> datetime:
        """When a limit of `span`, counted from `start`, is reached."""
        if isinstance(span, WorkingDays):
            return self.deadline(start, span.days)
        return start + span

    def between(self, start: datetime, end: datetime, like: Span) -> Span:
        """The time from `start` to `end` in the kind of `like`: calendar time for a
        calendar limit, whole working days ended for a working-day one."""
        if isinstance(like, WorkingDays):
            return WorkingDays(self.elapsed(start, end))
        return end - start

    def past_holidays(self, moment: datetime) -> datetime:
        """`moment`, or the same local time on the first day after it that is no holiday
        (weekends do not count as holidays here): when a follow-up visit is asked."""
        local = moment.astimezone(self.zone)
        while self.is_holiday(local.date()):
            local = datetime.combine(local.date() + timedelta(days=1), local.timetz())
        return local
