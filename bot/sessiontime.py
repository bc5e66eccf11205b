"""When a mediation session (调解) is, as a worker types it after the ticket's number:
"明天下午3点 人民调解室", "3月5日 14:00 村委会", "下周一上午十点半 司法调解室",
"2026-03-05 14:00 people's mediation room".  The time comes first; the rest of the line is
the place.

Hand-written rather than a date library from PyPI: the forms are few and a centre's own
(今天/明天/后天, 周三/星期三/下周一, 3月5日/3.5, 上午/下午/晚上 + 3点/3点半/十点/15:00), each
must be read relative to the desk's clock in the centre's time zone, and what is not
understood must be refused with a reason, never guessed at (dateparser, the candidate,
reads "3.5" and "周三" by its own rules and would put a resident at the wrong door on a
wrong day without a word).

A bare hour from 1 to 6 with no 上午/下午 is the afternoon: nobody is called in to a
mediation room at three in the morning, and "3点" is what workers write for 15:00.
今晚/今早/明早/明晚 are the day and its part in one word (今晚8点: today, 20:00).  晚上12点 is
the midnight that ends the evening named, 00:00 of the next day (今晚12点 said at 23:50 is
ten minutes off, not passed at noon).  A day part with no hour (周六上午, 今天下午) is refused
asking for the hour: a default hour would call the parties in at a time nobody chose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.involved import chinese_number


class SessionTimeError(Exception):
    """The words name no time we can read; `key` is the catalogue message naming why."""

    def __init__(self, key: str, value: str = "") -> None:
        super().__init__(key)
        self.key = key
        self.value = value


@dataclass(frozen=True)
class SessionTime:
    at: datetime  # aware, in the zone of the clock it was read against
    place: str


_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_WEEKDAYS |= {str(n): n - 1 for n in range(1, 8)}
_RELATIVE = {
    "今天": 0, "今日": 0, "today": 0, "明天": 1, "明日": 1, "tomorrow": 1, "后天": 2,
}
_ZH_DIGITS = "零〇一二两三四五六七八九十"
# The day and its part in one word: 今晚 is 今天晚上.
_DAY_AND_PART = re.compile(r"(?P<day>今|明)(?P<part>早|晚)上?")
_PARTS = {"早": "早上", "晚": "晚上"}
_DATE = re.compile(
    r"(?P<rel>今天|今日|明天|明日|后天|(?i:today|tomorrow))"
    r"|(?P<next>下个?)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7])"
    r"|(?P<y>\d{4})(?:-|/|年)(?P<ym>\d{1,2})(?:-|/|月)(?P<yd>\d{1,2})[日号]?"
    r"|(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?"
    r"|(?P<dm>\d{1,2})\.(?P<dd>\d{1,2})(?!\d)"
)
_PERIOD = r"(?P<period>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上)"
_TIME = re.compile(
    rf"{_PERIOD}?\s*(?:"
    r"(?P<hh>\d{1,2})[:：](?P<mm>\d{2})(?:\s*(?P<ampm>(?i:am|pm)))?"
    rf"|(?P<h>\d{{1,2}}|[{_ZH_DIGITS}]{{1,3}})\s*[点时]"
    rf"(?:(?P<half>半)|(?P<quarter>一刻)|(?P<min>\d{{1,2}}|[{_ZH_DIGITS}]{{1,3}})分?)?"
    r"|(?P<eh>\d{1,2})\s*(?P<eampm>(?i:am|pm))"
    r")"
)
_AFTERNOON = {"下午", "傍晚", "晚上"}
_PERIOD_ALONE = re.compile(_PERIOD)


def parse_session(words: str, now: datetime) -> SessionTime:
    """The session's moment and place in `words`, read against `now` (aware, in the
    centre's zone: the desk's clock).  Raises SessionTimeError: no time of day
    ("mediation_no_time"), a day part with no hour ("mediation_no_hour"), a day or hour
    that does not exist ("mediation_bad_time"), one already past ("mediation_past"), or no
    place after it ("mediation_no_place")."""
    text = words.strip()
    short = _DAY_AND_PART.match(text)
    if short is not None:  # 今晚8点: read as 今天晚上8点
        text = f"{short['day']}天{_PARTS[short['part']]}{text[short.end():]}"
    day, text = _day(text, now.date())
    text = text.lstrip(" ,，、")
    found = _TIME.match(text)
    if found is None:
        part = _PERIOD_ALONE.match(text)
        if part is not None:  # 周六上午: which hour of it is not for us to pick
            raise SessionTimeError("mediation_no_hour", _named(words, text, part.end()))
        raise SessionTimeError("mediation_no_time", words.strip()[:20])
    clock, next_day = _clock(found)
    place = text[found.end():].strip(" ,，、:：;；。")
    moment = datetime.combine(day or now.date(), clock, now.tzinfo) + timedelta(days=next_day)
    if moment <= now:
        raise SessionTimeError("mediation_past", words[: len(words) - len(place)].strip()[:30])
    if not place:
        raise SessionTimeError("mediation_no_place")
    return SessionTime(moment, place)


def _named(words: str, text: str, end: int) -> str:
    """What the worker wrote up to `end` of `text` (what is left of `words` once its day is
    read, 今晚 spelled out as 今天晚上), in their own words: what follows is theirs as typed."""
    words = words.strip()
    return words[: len(words) - len(text[end:])].strip()[:20]


def _day(text: str, today: date) -> tuple[date | None, str]:
    """The day named at the start of `text` (None: none named, so today), and the rest."""
    found = _DATE.match(text)
    if found is None:
        return None, text
    rest, g = text[found.end():], found.groupdict()
    try:
        if g["rel"]:
            return today + timedelta(days=_RELATIVE[g["rel"].lower()]), rest
        if g["wd"]:
            weekday = _WEEKDAYS[g["wd"]]
            if g["next"]:  # 下周一: the Monday of next week, whatever today is
                monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
                return monday + timedelta(days=weekday), rest
            return today + timedelta(days=(weekday - today.weekday()) % 7), rest
        if g["y"]:
            return date(int(g["y"]), int(g["ym"]), int(g["yd"])), rest
        month, day = (g["m"], g["d"]) if g["m"] else (g["dm"], g["dd"])
        named = date(today.year, int(month), int(day))
        # A day with no year is the next one of that name: "3月5日" said in December.
        return (named if named >= today else date(today.year + 1, int(month), int(day))), rest
    except ValueError:
        raise SessionTimeError("mediation_bad_time", found.group()[:20]) from None


def _number(text: str | None) -> int:
    if not text:
        return 0
    value = int(text) if text.isdigit() else chinese_number(text)
    if not isinstance(value, int):
        raise SessionTimeError("mediation_bad_time", text)
    return value


def _clock(found: re.Match[str]) -> tuple[time, int]:
    """The time of day `found` names, and 1 if it falls on the next day (晚上12点)."""
    g = found.groupdict()
    period, ampm = g["period"], (g["ampm"] or g["eampm"] or "").lower()
    hour = _number(g["hh"] or g["h"] or g["eh"])
    minute = _number(g["mm"] or g["min"]) + (30 if g["half"] else 15 if g["quarter"] else 0)
    later = period in _AFTERNOON or ampm == "pm"
    next_day = int(period == "晚上" and hour == 12)  # midnight, ending that evening
    if next_day:
        hour = 0
    elif later and hour < 12 or period == "中午" and hour < 6:  # 中午1点: 13:00, 中午12点: 12:00
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    elif period is None and not ampm and g["hh"] is None and 1 <= hour <= 6:
        hour += 12  # "3点": the afternoon (see the module's docstring)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise SessionTimeError("mediation_bad_time", found.group().strip()[:20])
    return time(hour, minute), next_day
