"""Time periods for statistics, and the day bounds of a ledger export.

People ask for a period the way a centre talks about its work: the last N days (`7d`,
`7天`, `近7天`), weeks or months (`最近一周`, `近两周`, `近一个月`: a week is 7 days, a month
30), today or yesterday (`今天`, `昨天`), this or last week (`本周`, `上周`; a
week starts on Monday), this or last month (`本月`, `上月`, `month`, `last-month`), this or
last quarter (`本季度`, `上季度`), this or last year (`今年`, `去年`), a year (`2025`, `2025年`), a
month (`2026-11`, `2026年11月`, or `10月`: the latest October), a day (`2026-11-05`,
`2026年11月5日`) or a range of days (`2026-11-01..2026-11-30`; `~` and `至` work too).  Days
are the centre's local days (`timezone` in the config); the bounds handed to storage are UTC
ISO text, as times are stored.  A period is half-open, [start, end), so consecutive months
never count a ticket twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import iso
from bot.involved import chinese_number
from storage.base import BEGINNING, END_OF_TIME

DEFAULT_DAYS = 30
MAX_DAYS = 3660  # ten years: anything longer is a typo
# The years a date may name: 9999-12-31's next midnight, or 0001-01-01's in UTC, is past what
# a datetime holds, and "/stats 9999-12-31" used to end the turn with an OverflowError.
YEARS = range(1900, 3000)

# The periods with a name, each a set of the words for it (English words are lower-cased
# before they are looked up).
_TODAY = {"今天", "今日", "today"}
_YESTERDAY = {"昨天", "昨日", "yesterday"}
_THIS_WEEK = {"本周", "这周", "这一周", "本星期", "这星期", "这个星期", "week", "this-week"}
_LAST_WEEK = {"上周", "上一周", "上星期", "上个星期", "上礼拜", "上个礼拜", "last-week", "lastweek"}
_THIS_MONTH = {"本月", "这个月", "这月", "当月", "month", "this-month"}
_LAST_MONTH = {"上月", "上个月", "上一个月", "last-month", "lastmonth"}
_THIS_QUARTER = {"本季度", "这个季度", "本季", "quarter", "this-quarter"}
_LAST_QUARTER = {"上季度", "上个季度", "上季", "last-quarter", "lastquarter"}
_THIS_YEAR = {"今年", "本年", "本年度", "今年度", "year", "this-year"}
_LAST_YEAR = {"去年", "上年", "上一年", "上年度", "去年度", "last-year", "lastyear"}
_NAMED = _TODAY | _YESTERDAY | _THIS_WEEK | _LAST_WEEK | _THIS_MONTH | _LAST_MONTH
_NAMED |= _THIS_QUARTER | _LAST_QUARTER | _THIS_YEAR | _LAST_YEAR

# What a period looks like, loosely: enough for "统计 本月" or "统计 7d" to be taken as a
# command while "统计一下我们楼有几户" stays a report.  `parse_period` decides validity.
_TOKEN = r"[0-9A-Za-z./\-年月日号]+"
_CHINESE_NAMES = "|".join(sorted((w for w in _NAMED if not w.isascii()), key=len, reverse=True))
# The last N days, weeks or months in words, as staff say them ("最近一周", "近一周", "近两周",
# "最近一个月", "过去3个月", "最近七天"; "统计 最近一周" was told it is no period): a rolling
# window as `7d` is, a week 7 days and a month 30 (as `近30天`).
_RECENT = re.compile(
    r"(?:近|最近|过去)(\d{1,5}|[一二两三四五六七八九十百]{1,4})\s*个?(天|日|周|星期|礼拜|月)"
)
_RECENT_DAYS = {"天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7, "月": 30}
SHAPE = re.compile(
    rf"(?:{_CHINESE_NAMES}|(?:近|最近|过去)?\d+\s*[天日]|{_RECENT.pattern}"
    rf"|{_TOKEN}(?:\s*(?:~|～|至|到|\s)\s*{_TOKEN})?)?"
)

_DAYS_BACK = re.compile(r"(?:近|最近|过去)?(\d{1,5})\s*(?:d|days?|天|日)")
_DAY = r"(\d{4})(?:[-/]|年)(\d{1,2})(?:[-/]|月)(\d{1,2})[日号]?"
_ONE_DAY = re.compile(_DAY)
_MONTH = re.compile(r"(\d{4})(?:[-/]|年)(\d{1,2})月?")
_YEAR = re.compile(r"(\d{4})年?")  # a year: 2025, 2025年
_MONTH_ONLY = re.compile(r"(\d{1,2})月")  # a month without its year: the latest one, 10月
_RANGE = re.compile(rf"{_DAY}\s*(?:\.\.|~|～|至|到|\s)\s*{_DAY}")


class PeriodError(ValueError):
    """The text is not a period this module understands (or an empty one)."""


@dataclass(frozen=True)
class Period:
    """[start, end) as aware datetimes."""

    start: datetime
    end: datetime

    def bounds(self) -> tuple[str, str]:
        """The period as storage compares it: ISO-8601 UTC text."""
        return iso(self.start), iso(self.end)

    def whole_days(self, zone: ZoneInfo) -> bool:
        """Whether the period is made of whole local days (not a rolling window)."""
        return _is_midnight(self.start.astimezone(zone)) and _is_midnight(self.end.astimezone(zone))

    def describe(self, zone: ZoneInfo) -> tuple[str, str]:
        """First and last local day ("2026-11-01", "2026-11-30") when the period is made
        of whole days; otherwise the first and last minute, as a rolling window is."""
        start, end = self.start.astimezone(zone), self.end.astimezone(zone)
        if self.whole_days(zone):
            return start.date().isoformat(), (end.date() - timedelta(days=1)).isoformat()
        last = end - timedelta(milliseconds=1)
        return start.strftime("%Y-%m-%d %H:%M"), last.strftime("%Y-%m-%d %H:%M")

    def local_days(self, zone: ZoneInfo) -> tuple[date, date]:
        """The first and the last local day the period touches."""
        last = self.end - timedelta(microseconds=1)
        return self.start.astimezone(zone).date(), last.astimezone(zone).date()

    def over(self, now: datetime) -> bool:
        """Whether the period has ended by `now` (a rolling window ends with it)."""
        return self.end <= now + timedelta(milliseconds=1)

    def previous(self, zone: ZoneInfo) -> Period:
        """The period just before, for a comparison (环比): as many calendar months before
        one made of whole months (上月 before 本月, last year before this one), else the
        same length of time before it (the 30 days before the last 30)."""
        start, end = self.start.astimezone(zone), self.end.astimezone(zone)
        if not (self.whole_days(zone) and start.day == end.day == 1):  # not whole months
            return Period(self.start - (self.end - self.start), self.start)
        months = (end.year - start.year) * 12 + end.month - start.month
        first = start.date()
        for _ in range(months):
            first = (first - timedelta(days=1)).replace(day=1)
        return Period(_midnight(first, zone), self.start)


def _is_midnight(moment: datetime) -> bool:
    return moment.time() == time(0)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _day(year: str, month: str, day: str) -> date:
    try:
        if int(year) not in YEARS:
            raise ValueError(f"year {year} is out of range")
        return date(int(year), int(month), int(day))
    except ValueError as exc:
        raise PeriodError(f"not a date: {year}-{month}-{day}") from exc


def _month_start(year: int, month: int) -> date:
    try:
        if year not in YEARS:
            raise ValueError(f"year {year} is out of range")
        return date(year, month, 1)
    except ValueError as exc:
        raise PeriodError(f"not a month: {year}-{month}") from exc


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _days(first: date, last: date, zone: ZoneInfo) -> Period:
    """Whole local days `first` to `last`, both included."""
    if last < first:
        raise PeriodError(f"{last} is before {first}")
    return Period(_midnight(first, zone), _midnight(last + timedelta(days=1), zone))


def month_of(day: date, zone: ZoneInfo) -> Period:
    """The calendar month `day` is in, as whole local days."""
    first = day.replace(day=1)
    return _days(first, _next_month(first) - timedelta(days=1), zone)


def parse_period(text: str, now: datetime, zone: ZoneInfo) -> Period:
    """The period `text` names, as of `now`; raises PeriodError.

    A rolling window ("7d", and the default: the last 30 days) ends just after `now`, so
    a ticket stored in the same millisecond still counts.
    """
    words = text.strip().lower()
    until_now = now + timedelta(milliseconds=1)
    if not words:
        return Period(now - timedelta(days=DEFAULT_DAYS), until_now)
    if match := _DAYS_BACK.fullmatch(words):
        days = int(match.group(1))
        if not 1 <= days <= MAX_DAYS:
            raise PeriodError(f"days must be 1 to {MAX_DAYS}")
        return Period(now - timedelta(days=days), until_now)
    if match := _RECENT.fullmatch(words):
        count = chinese_number(match.group(1))
        days = count * _RECENT_DAYS[match.group(2)] if isinstance(count, int) else 0
        if not 1 <= days <= MAX_DAYS:
            raise PeriodError(f"days must be 1 to {MAX_DAYS}")
        return Period(now - timedelta(days=days), until_now)
    local = now.astimezone(zone).date()
    if words in _NAMED:
        return _named(words, local, zone)
    if match := _RANGE.fullmatch(words):
        first, last = _day(*match.group(1, 2, 3)), _day(*match.group(4, 5, 6))
        if (last - first).days >= MAX_DAYS:
            raise PeriodError(f"a period is at most {MAX_DAYS} days")
        return _days(first, last, zone)
    if match := _ONE_DAY.fullmatch(words):
        day = _day(*match.group(1, 2, 3))
        return _days(day, day, zone)
    if match := _MONTH.fullmatch(words):
        return month_of(_month_start(int(match.group(1)), int(match.group(2))), zone)
    if match := _YEAR.fullmatch(words):
        year = int(match.group(1))
        _month_start(year, 1)  # a year a date can hold
        return _days(date(year, 1, 1), date(year, 12, 31), zone)
    if match := _MONTH_ONLY.fullmatch(words):
        month = int(match.group(1))  # this year's, or last year's when it is still to come
        year = local.year if month <= local.month else local.year - 1
        return month_of(_month_start(year, month), zone)
    raise PeriodError(f"not a period: {text!r}")


def _named(words: str, local: date, zone: ZoneInfo) -> Period:
    """The calendar period a name gives, as whole local days (today's week, month or year in
    full, as a ledger of "本月" is the whole month)."""
    if words in _TODAY or words in _YESTERDAY:
        day = local - timedelta(days=1 if words in _YESTERDAY else 0)
        return _days(day, day, zone)
    if words in _THIS_WEEK or words in _LAST_WEEK:
        monday = local - timedelta(days=local.weekday() + (7 if words in _LAST_WEEK else 0))
        return _days(monday, monday + timedelta(days=6), zone)
    if words in _THIS_MONTH or words in _LAST_MONTH:
        first = local.replace(day=1)
        if words in _LAST_MONTH:
            first = (first - timedelta(days=1)).replace(day=1)
        return _days(first, _next_month(first) - timedelta(days=1), zone)
    if words in _THIS_QUARTER or words in _LAST_QUARTER:
        first = local.replace(month=(local.month - 1) // 3 * 3 + 1, day=1)
        if words in _LAST_QUARTER:
            first = (first - timedelta(days=1)).replace(day=1)
            first = first.replace(month=(first.month - 1) // 3 * 3 + 1)
        last = _next_month(_next_month(first))  # the quarter's third month
        return _days(first, _next_month(last) - timedelta(days=1), zone)
    year = local.year - (1 if words in _LAST_YEAR else 0)
    return _days(date(year, 1, 1), date(year, 12, 31), zone)


def parse_day(text: str) -> date:
    """A date as the command line takes it: 2026-11-05, 2026/11/05 or 2026年11月5日."""
    match = _ONE_DAY.fullmatch(text.strip())
    if not match:
        raise PeriodError(f"not a date: {text!r} (use YYYY-MM-DD)")
    return _day(*match.group(1, 2, 3))


def day_bounds(first: date | None, last: date | None, zone: ZoneInfo) -> tuple[str, str]:
    """Storage bounds for local days `first` to `last` (both included); either may be
    left open."""
    if first is not None and last is not None:
        return _days(first, last, zone).bounds()
    start = iso(_midnight(first, zone)) if first else BEGINNING
    end = iso(_midnight(last + timedelta(days=1), zone)) if last else END_OF_TIME
    return start, end
