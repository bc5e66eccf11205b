"""Configuration: one TOML file, validated on load.

A mistake in the file stops the bot at start with one line naming the file and the key,
rather than surfacing as a strange reply weeks later.  Any string value written as
`${NAME}` is read from the environment, so tokens need not sit in the file.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import tomllib
import typing
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from bot import i18n
from bot.adapters.base import OUTBOUND_KINDS
from bot.workcal import Span, WorkCalendar, WorkingDays
from bot.workflow import Role
from classifier.taxonomy import DISPUTE_TYPES
from storage.base import ACQUIRE_TIMEOUT

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_DURATION = re.compile(r"(\d+)\s*([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_WORKING_DAYS = re.compile(r"(\d+)(?:wd|个?工作日)")
# A limit longer than this many working days (a year and a half) is a typo.
MAX_WORKING_DAYS = 366
# What an area's code may be: short, and typed after commands (/queue DZ, 统计 本月 DZ).
AREA_CODE = r"[A-Za-z0-9_]{1,16}"


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and why."""


def parse_duration(value: str) -> timedelta:
    """'90m', '2h', '1d12h' -> timedelta; "0" is no time at all."""
    text = value.replace(" ", "")
    if text == "0":
        return timedelta(0)
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a duration: {value!r} (use e.g. 30m, 2h, 3d)")
    try:
        return timedelta(
            **{_UNITS[u]: sum(int(n) for n, uu in parts if uu == u) for _, u in parts}
        )
    except OverflowError:  # "/extend 1 99999999999999h" ended the turn
        raise ValueError(f"not a duration: {value!r} (too long)") from None


@functools.lru_cache(maxsize=512)
def parse_limit(value: str) -> Span:
    """An SLA limit: calendar time ('30m', '4h', '3d', '1d12h'), run around the clock, or
    whole working days ('3wd', '3工作日', '3个工作日'), counted by the working-day calendar
    (bot.workcal).  Working days are never mixed with hours: a centre's 工作日 limit is a
    count of days, so '1wd12h' is refused rather than given a meaning nobody asked for."""
    match = _WORKING_DAYS.fullmatch(value.replace(" ", ""))
    if match is None:
        if "wd" in value or "工作日" in value:
            raise ValueError(f"not a limit: {value!r} (working days are whole: 3wd, 3工作日)")
        try:
            return parse_duration(value)
        except ValueError as exc:  # "15天": which of the two was meant is theirs to say
            if "too long" in str(exc):
                raise
            raise ValueError(
                f"not a limit: {value!r} (calendar time: 30m, 4h, 15d; working days: 15wd "
                "or 15工作日)"
            ) from None
    days = int(match.group(1))
    if not 1 <= days <= MAX_WORKING_DAYS:
        raise ValueError(f"working days must be 1 to {MAX_WORKING_DAYS}: {value!r}")
    return WorkingDays(days)


def format_limit(limit: Span) -> str:
    """A limit in the form `parse_limit` reads back ('20wd', '36h', '90m'): how a ticket's
    extended limit (延期) is stored."""
    if isinstance(limit, WorkingDays):
        return f"{limit.days}wd"
    seconds = int(limit.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


class _Model(BaseModel):
    # A number where text is meant is that text: WeCom's console shows `agent_id = 1000002`
    # and a hotline is written `12356` as readily as in quotes (both were refused with
    # "Input should be a valid string").  Text where a number is meant is read as one, as
    # "${PORT}" must be.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class Area(_Model):
    """A grid (网格) or township the centre routes work to."""

    code: str = Field(pattern=rf"^{AREA_CODE}$")
    name: str


class ChatRef(_Model):
    channel: str
    chat_id: str

    @field_validator("chat_id", mode="before")
    @classmethod
    def _chat_id_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class IntakeGroup(ChatRef):
    """A public-opinion collection group: its messages become tickets for `area`."""

    area: str
    title: str = ""


class PersonConfig(_Model):
    """A person whose role is known before they write (workers, staff, admins)."""

    channel: str
    user_id: str
    name: str = ""
    role: Role
    area: str | None = None

    @field_validator("user_id", mode="before")
    @classmethod
    def _user_id_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


def _positive_duration(value: str) -> str:
    if parse_duration(value) <= timedelta(0):
        raise ValueError(f"must be longer than zero: {value!r}")
    return value


_URGENCIES = ("urgent", "high", "normal", "low")


class _Limits(_Model):
    """A limit per urgency (unknown urgencies, e.g. an unclassified ticket, count as
    normal): calendar time, or whole working days (`parse_limit`)."""

    urgent: str
    high: str
    normal: str
    low: str

    @field_validator("urgent", "high", "normal", "low")
    @classmethod
    def _is_limit(cls, value: str) -> str:
        if isinstance(parse_limit(value), timedelta):
            _positive_duration(value)
        return value

    def limit(self, urgency: str) -> Span:
        value = getattr(self, urgency) if urgency in _URGENCIES else self.normal
        return parse_limit(value)


# Urgent and high tickets are about danger and harm that does not wait for Monday: their
# limits run around the clock.  Normal and low ones are the centre's everyday casework,
# whose handling limits (受理/办结时限) are counted in working days, so that a report filed
# before a weekend or 国庆 is not escalated while the centre is closed.
class SlaResolve(_Limits):
    """How long after acceptance a ticket may stay unresolved."""

    urgent: str = "4h"
    high: str = "1d"
    normal: str = "15wd"
    low: str = "30wd"


class Sla(_Limits):
    """How long a ticket may wait, by urgency, before supervision escalates it: to be
    claimed (these keys) and to be resolved (`[sla.resolve]`), both counted from when the
    ticket was filed, last reopened, handed to a department or sent back by one
    (`bot.workflow.CLOCK_STARTS`)."""

    urgent: str = "30m"
    high: str = "4h"
    normal: str = "3wd"
    low: str = "7wd"
    resolve: SlaResolve = Field(default_factory=SlaResolve)

    @model_validator(mode="after")
    def _resolve_after_claim(self) -> Sla:
        for urgency in _URGENCIES:
            claim, resolve = self.limit(urgency), self.resolve.limit(urgency)
            written = getattr(self.resolve, urgency), getattr(self, urgency)
            if isinstance(claim, WorkingDays):
                if isinstance(resolve, timedelta):
                    raise ValueError(
                        f"resolve.{urgency}: {written[0]!r} is calendar time, but the time "
                        f"to claim ({written[1]!r}) is in working days: write both in "
                        "working days"
                    )
                shorter = resolve.days < claim.days
            elif isinstance(resolve, WorkingDays):
                # n working days always outlast n calendar days (the starting day does not
                # count), so a time to claim of at most n days ends first.
                shorter = timedelta(days=resolve.days) < claim
            else:
                shorter = resolve < claim
            if shorter:
                raise ValueError(
                    f"resolve.{urgency}: {written[0]!r} is shorter than the time to claim "
                    f"({written[1]!r})"
                )
        return self

    def resolve_limit(self, urgency: str) -> Span:
        return self.resolve.limit(urgency)

    def in_working_days(self) -> list[WorkingDays]:
        """Every limit counted in working days (the calendar matters only if any is)."""
        limits = [self.limit(u) for u in _URGENCIES] + [self.resolve_limit(u) for u in _URGENCIES]
        return [limit for limit in limits if isinstance(limit, WorkingDays)]


class _SomeLimits(_Model):
    """Limits for some urgencies; the others are someone else's (`DepartmentSla`)."""

    urgent: str | None = None
    high: str | None = None
    normal: str | None = None
    low: str | None = None

    @field_validator("urgent", "high", "normal", "low")
    @classmethod
    def _is_limit(cls, value: str | None) -> str | None:
        return None if value is None else _Limits._is_limit(value)

    def over(self, limits: _Limits) -> dict[str, str]:
        """These limits, and `limits`' for the urgencies these leave out."""
        return {u: getattr(self, u) or getattr(limits, u) for u in _URGENCIES}


class DepartmentSla(_SomeLimits):
    """A department's own limits (`[departments.sla]`, `[departments.sla.resolve]`): to be
    claimed by its liaisons (签收) and resolved, counted from when a case was handed to it."""

    resolve: _SomeLimits = Field(default_factory=_SomeLimits)

    def laid_over(self, centre: Sla) -> Sla:
        """The department's limits where it has some, the centre's elsewhere: one whole
        `Sla`, checked as the centre's is (no time to resolve shorter than to claim)."""
        resolve = SlaResolve(**self.resolve.over(centre.resolve))
        return Sla(**self.over(centre), resolve=resolve)


class Department(_Model):
    """A department the centre hands cases to (转办: 派出所, 司法所, 人社局 …), whose liaisons
    (部门对接人, role `liaison` with this code as their area) take them up in the chat;
    `sla`: its own limits for some urgencies (签收 and 办结时限), the rest the centre's."""

    code: str = Field(pattern=rf"^{AREA_CODE}$")
    name: str
    sla: DepartmentSla | None = None


class Supervision(_Model):
    """The supervisor: a sweep every `interval` escalates tickets past their SLA."""

    interval: str = "1m"
    # Level k is reached at k times a limit; from level 2 the admins are told as well.
    levels: int = Field(default=2, ge=1, le=5)
    # Rooms for escalation notices; none: the staff chat.
    notify: list[ChatRef] = Field(default_factory=list)
    # The share of a claimed ticket's resolve limit after which its holder is reminded,
    # once, privately (临期提醒, bot.supervision); 0: never.
    remind_at: float = Field(default=0.8, ge=0, lt=1)
    # How long before a mediation session (调解) whoever holds the case (or the staff room)
    # is reminded of it, once (bot.mediation); "0": never.
    mediation_remind: str = "2h"

    @field_validator("interval")
    @classmethod
    def _is_interval(cls, value: str) -> str:
        return _positive_duration(value)

    @field_validator("mediation_remind")
    @classmethod
    def _is_lead(cls, value: str) -> str:
        parse_duration(value)
        return value

    @property
    def mediation_lead(self) -> timedelta:
        return parse_duration(self.mediation_remind)

    @property
    def every(self) -> timedelta:
        return parse_duration(self.interval)


class FollowUp(_Model):
    """Follow-up visits (回访): `delay` after a ticket is resolved, its reporter is asked
    privately whether they are satisfied ("0": at once).  A visit that would fall on an
    official holiday waits for the same time on the first day after it (bot.workcal), and
    one that would fall outside `hours` (local time, every day; "" for any hour) for their
    start (bot.followup.visit_time).  `unanswered_after`: how long a visit goes unanswered
    (asked, or never sendable since the resolution) before staff's 结案 未回复 closes its
    ticket (bot.desk.closing); nothing closes one by itself."""

    enabled: bool = True
    delay: str = "1d"
    hours: str = "09:00-20:00"
    unanswered_after: str = "7d"

    @field_validator("delay")
    @classmethod
    def _is_duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator("unanswered_after")
    @classmethod
    def _is_positive(cls, value: str) -> str:
        return _positive_duration(value)

    @field_validator("hours")
    @classmethod
    def _is_hours(cls, value: str) -> str:
        if value.strip() == "":
            return ""
        bad = f"not hours of the day: {value!r} (use 09:00-20:00, or \"\" for any hour)"
        parts = value.split("-")
        if len(parts) != 2 or "" in (p.strip() for p in parts):
            raise ValueError(bad)
        start, end = (_time_of_day(part) for part in parts)
        if not start < end:
            raise ValueError(bad + "; they end after they start, on the same day")
        return f"{start}-{end}"

    @property
    def wait(self) -> timedelta:
        return parse_duration(self.delay)

    @property
    def unanswered_wait(self) -> timedelta:
        return parse_duration(self.unanswered_after)

    @property
    def visiting_hours(self) -> tuple[time, time] | None:
        """When in the day a visit may be asked, [start, end); None: at any hour."""
        if not self.hours:
            return None
        start, end = self.hours.split("-")
        return time.fromisoformat(start), time.fromisoformat(end)


class Delivery(_Model):
    """The outbox (bot.outbox): a reply the platform cannot take now is retried for
    `give_up_after` from when it was queued, then parked for a person (`intake-bot db
    outbox`); /healthz reports delivery as stalled once a reply has waited
    `stalled_after`."""

    give_up_after: str = "24h"
    stalled_after: str = "10m"

    @field_validator("give_up_after", "stalled_after")
    @classmethod
    def _is_span(cls, value: str) -> str:
        return _positive_duration(value)

    @property
    def give_up(self) -> timedelta:
        return parse_duration(self.give_up_after)

    @property
    def stalled(self) -> timedelta:
        return parse_duration(self.stalled_after)


class Retention(_Model):
    """How long words are kept (bot.retention): those of logged messages that never became
    part of a ticket (chatter, commands, held reports), and those of the bot's own messages
    once sent.  0 keeps them."""

    message_days: int = Field(default=30, ge=0)
    sent_days: int = Field(default=30, ge=0)


class Briefing(_Model):
    """The daily briefing (每日简报): at `at` (the centre's local time) the staff rooms get
    the figures since the last one and the backlog now; on working days only, unless
    `working_days_only` is false (then every day).  `at = ""`: no briefing."""

    at: str = "08:30"
    working_days_only: bool = True
    # The month's first briefing brings the month just ended's figures (月度统计), /stats 上月
    # (every month ended since the briefing before: bot.briefing.months_closed).
    monthly: bool = True

    @field_validator("at")
    @classmethod
    def _is_time(cls, value: str) -> str:
        return _time_of_day(value)

    @property
    def time_of_day(self) -> time | None:
        """When it goes out each day; None when there is none."""
        return time.fromisoformat(self.at) if self.at else None


class Screening(_Model):
    """Dispute screening (矛盾纠纷排查): every working day each grid reports what its worker
    found, a dispute with 上报 or nothing with 零报告.  `daily`: the centre keeps this
    rule, so the briefing names the grids that did not report, and at `remind_at` (local
    time; "" for none) their workers are reminded; or keeps it only in its sensitive
    periods (`sensitive`).  The commands work either way."""

    daily: bool = False
    remind_at: str = "16:00"
    # Sensitive periods (敏感期重点排查: 春节, 两会, 国庆 …) when the rule holds even with
    # `daily` off: "2027-02-10..2027-02-20", written as [calendar] writes days.
    sensitive: list[str] = Field(default_factory=list)

    @field_validator("remind_at")
    @classmethod
    def _is_time(cls, value: str) -> str:
        return _time_of_day(value)

    @field_validator("sensitive", mode="before")
    @classmethod
    def _dates_as_text(cls, value: Any) -> Any:
        return _dates_as_text(value)

    @model_validator(mode="after")
    def _valid(self) -> Screening:
        _sensitive_days(tuple(self.sensitive))  # named here, if a date is wrong
        return self

    @property
    def kept(self) -> bool:
        """Whether the centre keeps the daily rule at all: every working day, or in its
        sensitive periods (`bot.screening.owed` says which days)."""
        return self.daily or bool(self.sensitive)

    def is_sensitive(self, day: date) -> bool:
        return day in _sensitive_days(tuple(self.sensitive))

    @property
    def reminder_time(self) -> time | None:
        """When a day's reminder goes out; None when there is none."""
        return time.fromisoformat(self.remind_at) if self.remind_at else None


@functools.cache
def _sensitive_days(entries: tuple[str, ...]) -> frozenset[date]:
    """The days of `[screening] sensitive`, read once per list of entries (a sweep asks
    every minute).  Ranges of up to 92 days: 两节两会 (New Year, Spring Festival, the
    sessions) run about two months."""
    return frozenset(_dates(list(entries), "sensitive", max_days=92))


def _time_of_day(value: str) -> str:
    """'8:30' as '08:30', '' as itself (none); anything else is refused, named."""
    if value.strip() == "":
        return ""
    if not re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        raise ValueError(f"not a time of day: {value!r} (use 08:30, or \"\" for none)")
    hours, minutes = (int(part) for part in value.strip().split(":"))
    if hours > 23 or minutes > 59:
        raise ValueError(f"not a time of day: {value!r} (use 08:30, or \"\" for none)")
    return f"{hours:02d}:{minutes:02d}"


_DATE_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?")
# A range of dates longer than this is a typo (国庆 and 春节 are eight or nine days).
_MAX_RANGE_DAYS = 31


def _dates_as_text(value: Any) -> Any:
    """TOML has dates of its own: holidays = [2027-01-01] reads as a date, not text."""
    if isinstance(value, list):
        return [v.isoformat() if isinstance(v, date) else v for v in value]
    return value


def _dates(entries: list[str], key: str, max_days: int = _MAX_RANGE_DAYS) -> set[date]:
    """'2027-01-01' and ranges '2027-10-01..2027-10-07' (both ends included) -> dates; a
    range longer than `max_days` is a typo."""
    found: set[date] = set()
    for i, entry in enumerate(entries):
        match = _DATE_RANGE.fullmatch(entry.replace(" ", ""))
        try:
            if match is None:
                raise ValueError
            first = date.fromisoformat(match.group(1))
            last = date.fromisoformat(match.group(2)) if match.group(2) else first
        except ValueError:
            raise ValueError(
                f"{key}[{i}]: not a date: {entry!r} (use 2027-01-01 or 2027-10-01..2027-10-07)"
            ) from None
        if not 0 <= (last - first).days < max_days:
            raise ValueError(f"{key}[{i}]: {entry!r} must run forwards, at most {max_days} days")
        found.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return found


class CalendarConfig(_Model):
    """The county's own days for limits in working days, over the official schedule (the
    package chinesecalendar; Monday to Friday for a year it does not know yet): a local
    holiday, or next year's State Council schedule before the package has it."""

    holidays: list[str] = Field(default_factory=list)  # days off
    working_days: list[str] = Field(default_factory=list)  # make-up working days (调休上班)

    @field_validator("holidays", "working_days", mode="before")
    @classmethod
    def _dates_as_text(cls, value: Any) -> Any:
        return _dates_as_text(value)

    @model_validator(mode="after")
    def _valid(self) -> CalendarConfig:
        both = _dates(self.holidays, "holidays") & _dates(self.working_days, "working_days")
        if both:
            raise ValueError(f"{min(both)} is both in holidays and in working_days")
        return self

    def build(self, timezone: str) -> WorkCalendar:
        return WorkCalendar(
            timezone, _dates(self.holidays, "holidays"), _dates(self.working_days, "working_days")
        )


class Intake(_Model):
    max_report_chars: int = Field(default=4000, ge=100, le=100_000)
    # Show ticket numbers with the area code in front (#DZ-12 rather than #12).
    area_prefix: bool = False
    # Offered under the acknowledgement of a message showing a risk of suicide or self-harm.
    crisis_hotline: str = Field(default="12356", min_length=1, max_length=40)
    # A reporter's repeat of a report they made in the last this-many days joins that open
    # ticket instead of opening another (`bot.repeats`); 0 files every message on its own.
    repeat_days: int = Field(default=7, ge=0, le=90)
    # A photo (or voice message, video, file) with no words, sent by a resident within this
    # many minutes of reporting in the same chat, is that report's evidence: added to its
    # open ticket, not filed as a ticket of its own (`bot.pipeline`).  0: every one is filed.
    evidence_minutes: int = Field(default=30, ge=0, le=1440)
    # A reporter's next messages within this many minutes of their report, in the same chat,
    # go on telling it ("他们昨晚十二点还在砸墙" after "楼上天天半夜装修"): added to its open
    # ticket, unless they start another matter ("另外，…") or name a new danger
    # (`bot.repeats.told_on`).  0: every message that is a report is filed on its own.
    follow_on_minutes: int = Field(default=10, ge=0, le=120)
    # A report like another resident's ticket (open or resolved) from the same group filed in
    # the last this-many minutes is flagged to the desk as maybe the same event (`bot.repeats`,
    # `same_event`): five neighbours reporting one fire are five tickets, linked.  0: off.
    same_event_minutes: int = Field(default=120, ge=0, le=1440)
    # Reports linked as one event (above) from this many residents raise it: tickets 一般 or
    # 较缓 become 较急 (rule `many_reporters`), and the staff room is told once, to watch for
    # a group dispute brewing (群体性事件苗头) (`bot.many_reporters`).  0: off.
    same_event_alert: int = Field(default=3, ge=0, le=100)
    # A resident who has reported this many tickets in the last hour has their further
    # reports logged, not filed (listed by /unfiled, filed with /file), unless the message is
    # urgent; the desk is told (`bot.pipeline`).  One person cannot flood the queue.  0: off.
    max_reports_per_hour: int = Field(default=10, ge=0, le=1000)
    # A resident may report privately, writing to the bot one to one (私下反映): filed for the
    # area of the intake group they last wrote in, answered only there, and never shown in a
    # group (`bot.pipeline`, `Desk`).  False: private messages are asked to go to the group.
    private_reports: bool = True
    # A report about the conduct of the desk's own people (作风反映: "网格员不作为", "村干部
    # 收了钱，处理不公") goes to the staff room only, and only staff claim and resolve it
    # unless they hand it on; the area's grid workers are not told (`bot.conduct`).  False:
    # such reports are filed like any other.
    about_the_desk: bool = True
    # A case involving this many people or more (涉及人数, read from the report or put right
    # with 涉及 12 30人) is a group dispute (群体性纠纷): counted apart in /stats.
    group_dispute_people: int = Field(default=5, ge=2, le=10_000)


_BOT_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_AES_KEY = re.compile(r"[A-Za-z0-9]{43}")


def _filled(value: str) -> str:
    """Text that must say something: a `${NAME}` set to nothing, or a key left as "", was
    only found out when the platform refused it."""
    if not value.strip():
        raise ValueError("empty")
    return value


def _aes_key(value: str) -> str:
    """An EncodingAESKey as WeCom's and the Official Account's consoles make it: 43 letters
    and digits.  A short or mistyped one started the bot and ended it at once with a
    traceback (an AssertionError of wechatpy's, or "Invalid base64-encoded string")."""
    if not _AES_KEY.fullmatch(value):
        raise ValueError(
            f"must be the 43 letters and digits the console shows (this one has {len(value)} "
            "characters)" + ("" if value.isalnum() else ", not all of them letters or digits")
        )
    return value


class TelegramConfig(_Model):
    token: str
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    bot_username: str | None = None
    # Outgoing limits (Telegram: about 30 messages/s overall, 20/min per group).  Tests
    # shrink the periods; operators should not need to touch them.
    overall_max_rate: float = Field(default=30, gt=0)
    overall_time_period: float = Field(default=1.0, gt=0)
    group_max_rate: int = Field(default=20, ge=2)
    group_time_period: float = Field(default=60.0, gt=0)
    # When a group is busy, waiting acknowledgements go out together, this many per message.
    ack_digest_max: int = Field(default=20, ge=1, le=30)

    @field_validator("token", mode="before")
    @classmethod
    def _is_token(cls, value: Any) -> Any:
        """BotFather's token ("123456789:AA…"), trimmed: an empty one ended the start in
        a traceback (InvalidToken), one with "bot" in front or a space was only refused by
        Telegram.  The token itself is never repeated in the message."""
        if not isinstance(value, str):
            return value
        token = value.strip()
        if not _BOT_TOKEN.fullmatch(token):
            raise ValueError(
                "not a bot token: BotFather gives one like 123456789:AAH…, digits, a colon, "
                "then letters, digits, - and _" + (" (this one is empty)" if not token else "")
            )
        return token

    @model_validator(mode="after")
    def _webhook_complete(self) -> TelegramConfig:
        """Webhook mode needs where Telegram posts and the secret it sends (checked at start
        before, as one line naming neither the file nor the keys' section)."""
        if self.mode != "webhook":
            return self
        if not self.webhook_url or not self.webhook_url.startswith("https://"):
            raise ValueError(
                "webhook_url: mode = 'webhook' needs the public https:// address Telegram "
                "posts to"
            )
        if not self.webhook_secret or not _WEBHOOK_SECRET.fullmatch(self.webhook_secret):
            raise ValueError(
                "webhook_secret: mode = 'webhook' needs a secret of 1 to 256 letters, digits, "
                "_ and - (Telegram's rule)"
            )
        return self


class WeComConfig(_Model):
    corp_id: str
    secret: str
    agent_id: str
    token: str
    encoding_aes_key: str
    api_base_url: str = "https://qyapi.weixin.qq.com/cgi-bin/"
    robot_webhook: str | None = None

    _filled = field_validator("corp_id", "secret", "agent_id", "token")(_filled)
    _aes_key = field_validator("encoding_aes_key")(_aes_key)


class NoticeTemplate(_Model):
    """A template message (模板消息) telling a resident that a message waits for them.

    An Official Account may write to someone only within 48 hours of their last message;
    a resolution notice or a follow-up visit days after the report is refused, and waits
    until they write again (bot.adapters.base.AwaitingContact).  A template message is not
    bound by the window, but says only what its fields hold; so it says which ticket, what
    happened, and to reply with anything, which opens the window and lets the full message
    go.  `fields` maps what the bot fills in onto the keys of the template the account
    chose in its console (类目模板: thing1, character_string2, phrase3, time4 …):
    ticket (its number), event (已办结, 待评价, 已并案), note (how to read it), time."""

    template_id: str
    fields: dict[Literal["ticket", "event", "note", "time"], str]
    # The kinds of message worth a template message: an outcome, a visit, a merge.
    kinds: list[str] = Field(default_factory=lambda: ["resolved", "followup", "merged"])
    url: str | None = None  # where tapping the message leads (none: it opens nothing)

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, kinds: list[str]) -> list[str]:
        """A misspelt kind ("resolve") matched no message: no template was ever sent."""
        for kind in kinds:
            if kind not in OUTBOUND_KINDS:
                near = difflib.get_close_matches(kind, OUTBOUND_KINDS, n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                raise ValueError(
                    f"unknown kind {kind!r}{hint}; kinds are {', '.join(OUTBOUND_KINDS)}"
                )
        return kinds


class OfficialAccountConfig(_Model):
    app_id: str
    secret: str
    token: str
    encoding_aes_key: str | None = None
    api_base_url: str = "https://api.weixin.qq.com/cgi-bin/"
    notice_template: NoticeTemplate | None = None

    _filled = field_validator("app_id", "secret", "token")(_filled)

    @field_validator("encoding_aes_key")
    @classmethod
    def _key_or_plain(cls, value: str | None) -> str | None:
        """None or "" (a `${NAME}` set to nothing) is plain mode (明文模式), as left out."""
        return _aes_key(value) if value else None


class ClassifierConfig(_Model):
    """Which model tags reports.  None: the model shipped with the package.  A retrained
    model (with the desk's /retag corrections) lives outside the package, named here."""

    model: str | None = None
    # Below this type confidence a ticket is flagged for triage (待人工研判: a person picks
    # the type).  Higher flags more and catches more of the model's wrong types (README,
    # classifier §6.2: on real questions 0.6 flags 39 % and catches 59 %, 0.8 flags 57 % and
    # catches 82 %); the shipped model's own is 0.6 (`classifier.runtime.TRIAGE_THRESHOLD`).
    triage_below: float = Field(default=0.6, ge=0.0, le=1.0)


class HttpConfig(_Model):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # Serve GET /healthz even when no channel needs callbacks (Telegram polling only);
    # with a webhook or WeChat it is served anyway, beside their callbacks.
    health: bool = False


@functools.lru_cache(maxsize=16)
def short_names(
    named: tuple[tuple[str, str], ...], whole: tuple[str, ...]
) -> Mapping[str, str]:
    """Each of `named`'s (name, code) names cut short: the code by each leading part of two
    characters or more that its name starts with and no other of `whole`'s names does.  Areas
    and departments alike (`Config._area_short_names`): "协办 5 司法" for 司法所 was told there
    is no such department.  Not a synonym (公安 is not 派出所): a start only.  Kept by the
    names: every message's parse asks (`Config.scope_names`), and a province's hundreds of
    grids make it a pass over every pair of names."""
    short: dict[str, str] = {}
    for name, code in named:
        if not name or any(c.isspace() for c in name):
            continue
        for end in range(2, len(name)):
            part = name[:end]
            if sum(other.startswith(part) for other in whole if other) == 1:
                short[part] = code
    return MappingProxyType(short)


class Config(_Model):
    language: Literal["zh", "en"] = "zh"
    timezone: str = "Asia/Shanghai"
    database: str = "intake.db"
    # PostgreSQL: seconds a caller waits for one of the pool's connections before it gets
    # `storage.base.StoreUnavailable` (a message being handled waits on, and says so).
    database_acquire_timeout: float = Field(default=ACQUIRE_TIMEOUT, gt=0, le=600)
    areas: list[Area] = Field(default_factory=list)
    departments: list[Department] = Field(default_factory=list)
    intake_groups: list[IntakeGroup] = Field(default_factory=list)
    staff_chat: ChatRef | None = None
    people: list[PersonConfig] = Field(default_factory=list)
    sla: Sla = Field(default_factory=Sla)
    supervision: Supervision = Field(default_factory=Supervision)
    followup: FollowUp = Field(default_factory=FollowUp)
    briefing: Briefing = Field(default_factory=Briefing)
    screening: Screening = Field(default_factory=Screening)
    delivery: Delivery = Field(default_factory=Delivery)
    retention: Retention = Field(default_factory=Retention)
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    intake: Intake = Field(default_factory=Intake)
    http: HttpConfig = Field(default_factory=HttpConfig)
    classifier: ClassifierConfig = Field(default_factory=ClassifierConfig)
    # Judgement and routing (研判分流): the department a dispute type usually goes to
    # ("neighbour" -> "司法所（人民调解）"), shown to the desk as a suggestion.
    routing: dict[str, str] = Field(default_factory=dict)
    telegram: TelegramConfig | None = None
    wecom: WeComConfig | None = None
    official_account: OfficialAccountConfig | None = None
    _work_calendar: WorkCalendar | None = PrivateAttr(default=None)
    _department_slas: dict[str, Sla] | None = PrivateAttr(default=None)

    @field_validator("database")
    @classmethod
    def _is_database(cls, value: str) -> str:
        """A file or a URL `storage.open_store` opens: "" was the current directory, and
        "sqlite://x.db" or "mysql://…" was refused only when the bot opened it."""
        if not value.strip():
            raise ValueError("empty (a SQLite file, e.g. intake.db, or a postgresql:// URL)")
        schemes = ("sqlite:///", "postgresql://", "postgres://")
        if "://" in value and not value.startswith(schemes):
            raise ValueError(
                f"{value.split('://')[0]}://: not a database this bot opens (a file path, "
                "sqlite:///PATH or postgresql://user:password@host/dbname)"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _is_zone(cls, value: str) -> str:
        """A zone the system knows: a wrong one ("asia/shanghai", "UTC+8") loaded, and the
        first export, briefing or deadline ended in ZoneInfoNotFoundError."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            if not zoneinfo.available_timezones():
                raise ValueError(
                    f"{value!r}: this system has no time zone database (pip install tzdata)"
                ) from None
            raise ValueError(
                f"unknown time zone {value!r} (an IANA name, such as Asia/Shanghai)"
            ) from None
        return value

    @model_validator(mode="after")
    def _areas_exist(self) -> Config:
        _once("areas", [(a.code,) for a in self.areas], "code {!r}")
        # Two grids of one name: 待办 东镇 and 统计 本月 东镇 meant the last listed, and every
        # list, notice and ledger named both alike.
        _once("areas", [(a.name,) for a in self.areas], "name {!r}")
        _once("departments", [(d.code,) for d in self.departments], "code {!r}")
        # One chat is one area's group (the first listed won, the second's area did
        # nothing); one account is one person (the last listed won).
        groups = [(g.channel, g.chat_id) for g in self.intake_groups]
        _once("intake_groups", groups, "{} chat {!r}")
        _once("people", [(p.channel, p.user_id) for p in self.people], "{} user {!r}")
        known = {a.code for a in self.areas}
        for i, group in enumerate(self.intake_groups):
            if group.area not in known:
                raise ValueError(f"intake_groups[{i}].area: unknown area {group.area!r}")
        departments = {d.code for d in self.departments}
        for i, code in enumerate(d.code for d in self.departments):
            if code in known:
                raise ValueError(f"departments[{i}].code: {code!r} is an area's code too")
        for i, person in enumerate(self.people):
            if person.role is Role.LIAISON:
                if person.area not in departments:
                    raise ValueError(
                        f"people[{i}].area: a liaison's area is a department's code "
                        f"(one of {', '.join(sorted(departments)) or 'none configured'})"
                    )
            elif person.area is not None and person.area not in known:
                raise ValueError(f"people[{i}].area: unknown area {person.area!r}")
        for i, handling in enumerate(self.departments):
            if handling.sla is not None:
                try:
                    handling.sla.laid_over(self.sla)
                except ValidationError as error:  # naming the urgency and why
                    why = "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())
                    raise ValueError(f"departments[{i}].sla: {why}") from None
        for type_, department in self.routing.items():
            if type_ not in DISPUTE_TYPES:
                raise ValueError(
                    f"routing.{type_}: not a dispute type (one of {', '.join(DISPUTE_TYPES)})"
                )
            if not department.strip():
                raise ValueError(f"routing.{type_}: empty department name")
        return self

    def department_for(self, type_: str) -> str | None:
        """The department `[routing]` suggests for a dispute type, if it names one."""
        return self.routing.get(type_)

    def is_public_group(self, channel: str, chat_id: str) -> bool:
        """Whether the chat is a residents' intake group (where the whole group reads what
        the bot says), not a private conversation or the staff's room."""
        return any(g.chat_id == chat_id for g in self.public_groups(channel))

    def public_groups(self, channel: str) -> list[IntakeGroup]:
        """The residents' intake groups on `channel` (not the "*" private intake point)."""
        return [g for g in self.intake_groups if g.channel == channel and g.chat_id != "*"]

    def privately_reported(self, channel: str, chat_id: str) -> bool:
        """Whether a ticket from this chat was a private report (私下反映): sent one to one on
        a channel whose residents otherwise report in groups.  (WeCom and the Official
        Account, whose intake is one to one by nature, have no groups to keep it from.)"""
        groups = self.public_groups(channel)
        return bool(groups) and all(g.chat_id != chat_id for g in groups)

    def intake_group(self, channel: str, chat_id: str, private: bool = False) -> IntakeGroup | None:
        """The intake group for a chat.  `chat_id = "*"` makes every *private* conversation
        on that channel an intake point (WeCom apps and Official Accounts have no group
        callbacks: each resident writes to the account one to one)."""
        for group in self.intake_groups:
            if group.channel == channel and group.chat_id == chat_id:
                return group
        if private:
            for group in self.intake_groups:
                if group.channel == channel and group.chat_id == "*":
                    return group
        return None

    @property
    def work_calendar(self) -> WorkCalendar:
        """The working-day calendar (one per config, so each year is worked out, and a
        year the package does not know is warned about, once)."""
        # Read from pydantic's store of private attributes directly: the sweep asks for
        # the calendar for every open ticket each minute, and attribute access through the
        # model costs ten times as much.
        private = self.__pydantic_private__
        assert private is not None
        calendar: WorkCalendar | None = private["_work_calendar"]
        if calendar is None:
            calendar = private["_work_calendar"] = self.calendar.build(self.timezone)
        return calendar

    @property
    def notify_rooms(self) -> list[ChatRef]:
        """Where supervision notices go: `[supervision] notify`, else the staff chat."""
        if self.supervision.notify:
            return list(self.supervision.notify)
        return [self.staff_chat] if self.staff_chat is not None else []

    @property
    def department_names(self) -> dict[str, str]:
        """Each department's name by its code, in the config's order."""
        return {d.code: d.name for d in self.departments}

    @property
    def area_names(self) -> dict[str, str]:
        """Each area's name by its code, in the config's order."""
        return {a.code: a.name for a in self.areas}

    def departments_for(self, type_: str) -> list[Department]:
        """The configured departments `[routing]`'s suggestion for a type names ("司法所（人民
        调解）、妇联" names 司法所): the ones a staff notice offers to hand it to in a tap."""
        suggestion = self.routing.get(type_, "")
        return [d for d in self.departments if d.name in suggestion]

    def department_name(self, code: str | None) -> str:
        for department in self.departments:
            if department.code == code:
                return department.name
        return code or ""

    def sla_for(self, department: str | None) -> Sla:
        """The limits a ticket runs on: those of the department it was handed to, where it
        has its own (`[departments.sla]`), else the centre's `[sla]`."""
        # Read as `work_calendar` is: the sweep asks for every open ticket each minute.
        private = self.__pydantic_private__
        assert private is not None
        slas: dict[str, Sla] | None = private["_department_slas"]
        if slas is None:
            slas = private["_department_slas"] = {
                d.code: d.sla.laid_over(self.sla) for d in self.departments if d.sla
            }
        return slas.get(department, self.sla) if department is not None else self.sla

    def department_list(self, codes: Iterable[str], lang: str | None) -> str:
        """Departments by name, as a line lists them ("派出所、司法所": those assisting, 协办)."""
        return i18n.joined((self.department_name(code) for code in codes), lang)

    def find_department(self, word: str) -> Department | None:
        """The department `word` names, by its code or its name (转办 12 PCS, 转办 12 派出所), or
        by the start of its name as an area is (协办 12 司法 for 司法所: `_short_names`)."""
        for department in self.departments:
            if word in (department.code, department.name):
                return department
        code = self._short_names([(d.name, d.code) for d in self.departments]).get(word)
        return next((d for d in self.departments if d.code == code), None)

    @property
    def area_words(self) -> dict[str, str]:
        """Each area's code by the words that name it, its code and its name (待办 DZ, 待办 东镇):
        staff think of 东镇, the config of DZ."""
        departments = {d.name for d in self.departments}  # a department's name is its own
        names = {a.name: a.code for a in self.areas if a.name and a.name not in departments}
        return dict(self._area_short_names()) | names | {a.code: a.code for a in self.areas}

    def _area_short_names(self) -> Mapping[str, str]:
        """Each area's name cut short, as staff say it (东镇 for 东镇第一网格): a leading part of
        two characters or more that one area's name starts with and no other area's nor any
        department's.  "统计 本月 东镇" in a centre whose grid is 东镇第一网格 went unanswered:
        a report to the parser, silence in the staff room.  Two grids 东镇第一网格 and 东镇第二
        网格 leave 东镇 to neither."""
        return self._short_names([(a.name, a.code) for a in self.areas])

    def _short_names(self, named: list[tuple[str, str]]) -> Mapping[str, str]:
        """Each of `named`'s (name, code) names cut short (`short_names`), against every
        area's and department's name."""
        whole = tuple(a.name for a in self.areas) + tuple(d.name for d in self.departments)
        return short_names(tuple(named), whole)

    @property
    def scope_names(self) -> frozenset[str]:
        """The names (not codes) of areas and departments, as one word: what a Chinese alias
        may take after it where it takes a code ("督办 派出所", "统计 本月 东镇"),
        `bot.commands.parse`'s `scope_names`; each also cut short (`_short_names`: 东镇, 司法)."""
        names = [a.name for a in self.areas] + [d.name for d in self.departments]
        names += list(self._area_short_names())
        names += list(self._short_names([(d.name, d.code) for d in self.departments]))
        return frozenset(n for n in names if n and not any(c.isspace() for c in n))

    def area_name(self, code: str | None) -> str:
        for area in self.areas:
            if area.code == code:
                return area.name
        return code or ""

    @property
    def channels(self) -> list[str]:
        return [
            name
            for name, section in (
                ("telegram", self.telegram),
                ("wecom", self.wecom),
                ("official_account", self.official_account),
            )
            if section is not None
        ]


# The channels a config file may name ("wechat" or "telegrm" for one of them made a group,
# a person or a room nobody could ever write from, and said nothing).  The test harness adds
# its own (tests/conftest.py).
CHANNELS: tuple[str, ...] = ("telegram", "wecom", "official_account", "console")


def _on_channels(config: Config) -> list[tuple[str, str]]:
    """Every room and person the config names, as (its key, its channel)."""
    named = [(f"intake_groups[{i}]", g.channel) for i, g in enumerate(config.intake_groups)]
    named += [(f"people[{i}]", p.channel) for i, p in enumerate(config.people)]
    if config.staff_chat is not None:
        named.append(("staff_chat", config.staff_chat.channel))
    named += [
        (f"supervision.notify[{i}]", r.channel) for i, r in enumerate(config.supervision.notify)
    ]
    return named


def no_duty_room(config: Config) -> str | None:
    """What is missing when the config names no staff room (`[staff_chat]`, `[supervision]
    notify`), said as the bot starts: new tickets, urgent ones included, and the centre's
    notices (a department's 退回, a withdrawal to check, escalations) go to no room, and an
    urgent report's acknowledgement can say only that its grid workers were told (已通知网格员,
    `bot.filing.alerted`), where it said 已通知值班人员.  Not an error: a county may run with
    its grid workers alone.  None when a room is configured that residents do not read:
    with residents' groups alone, a complaint about the desk's own people (作风反映,
    `intake.about_the_desk`) reaches no staff, since it is never told to such a group."""
    rooms = config.notify_rooms
    if any(not config.is_public_group(room.channel, room.chat_id) for room in rooms):
        return None
    if rooms:
        return (
            "[supervision] notify names only residents' intake groups: a complaint about the "
            "desk's own people (作风反映) is never told to such a group, so no staff room "
            "hears of it. Set [staff_chat] to the centre's duty group to change this"
        )
    return (
        "no [staff_chat] and no [supervision] notify: no staff room hears of new tickets, "
        "urgent ones included, nor of escalations and the centre's notices (a department's "
        "退回, a withdrawal to check); an urgent report is told only that its grid workers "
        "were alerted (已通知网格员), not a duty room. Set [staff_chat] to the centre's "
        "duty group to change this"
    )


def unserved(config: Config) -> list[str]:
    """Rooms and people on a platform the config does not set up (groups still Telegram's
    with only [wecom] written): nobody there is heard, nothing reaches them.  Not an error,
    since a config may be written ahead of a platform's keys; the bot says so as it starts."""
    return [
        f"{key} ({channel})" for key, channel in _on_channels(config)
        if channel not in (*config.channels, "console")
    ]


def _unknown_channel(config: Config) -> str | None:
    """The first room or person on a channel there is none of, named as its key."""
    for key, channel in _on_channels(config):
        if channel not in CHANNELS:
            return f"{key}.channel: unknown channel {channel!r} (one of {', '.join(CHANNELS)})"
    return None


def _once(key: str, entries: Sequence[tuple[str, ...]], what: str) -> None:
    """Each entry of a list once: the second of two alike is named, with the first.  Blank
    entries ("" for a name not given) are not compared."""
    seen: dict[tuple[str, ...], int] = {}
    for i, entry in enumerate(entries):
        if not any(part.strip() for part in entry):
            continue
        if entry in seen:
            raise ValueError(
                f"{key}[{i}]: {what.format(*entry)} is listed twice (also {key}[{seen[entry]}])"
            )
        seen[entry] = i


def _expand_env(value: Any, where: str) -> Any:
    if isinstance(value, dict):
        return {k: _expand_env(v, f"{where}.{k}" if where else k) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_env(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, str):

        def sub(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in os.environ:
                raise ConfigError(f"{where}: environment variable {name} is not set")
            return os.environ[name]

        return _ENV_REF.sub(sub, value)
    return value


def _read(path: Path) -> str:
    """The file's text: UTF-8, with or without the byte order mark Windows Notepad writes
    (a config edited there failed as "Invalid statement (at line 1, column 1)")."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: a directory, not a config file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}: line {line}: not UTF-8 text (save the file as UTF-8, not GBK)"
        ) from None


def _section(annotation: Any) -> type[BaseModel] | None:
    """The section a field holds, if it holds one: `Sla`, `TelegramConfig | None`,
    `list[Area]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for inner in typing.get_args(annotation):
        found = _section(inner)
        if found is not None:
            return found
    return None


def _fields_at(loc: tuple[int | str, ...]) -> list[str]:
    """The keys the section at `loc` may have (for "did you mean"), if it is one of ours."""
    model: type[BaseModel] | None = Config
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model is not None else None
        model = _section(field.annotation) if field is not None else None
    return list(model.model_fields) if model is not None else []


def _describe(error: Any) -> str:
    """One validation error as an operator reads it: the key, then what is wrong with it
    ("sla.urgent: not a duration: 'soon' (use e.g. 30m, 2h, 3d)")."""
    loc = tuple(error["loc"])
    key = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
    value = error.get("input")
    if error["type"] == "extra_forbidden":
        known = _fields_at(loc[:-1])
        near = difflib.get_close_matches(str(loc[-1]), known, n=1)
        what = "unknown section" if isinstance(value, dict | list) else "unknown key"
        hint = f" (did you mean {near[0]}?)" if near else (
            f" (keys here: {', '.join(known)})" if known else ""
        )
        return f"{key}: {what}{hint}"
    if error["type"] == "missing":
        return f"{key}: required, missing"
    message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if error["type"] != "value_error" and isinstance(value, str | int | float | bool):
        message += f" (got {value!r})"
    return f"{key}: {message}" if key else message


def _beside(config_file: Path, value: str) -> str:
    """A path the config file names, as read from the file's own directory (a relative one;
    an absolute one is as written): `database = "intake.db"` in /srv/intake/config.toml is
    /srv/intake/intake.db wherever the bot is started from, not a new, empty database in
    the directory of whoever started it.  Written as the way from the working directory
    there (conf/intake.db), so a config in it reads exactly as written.  A ~ first is the
    home directory (~/intake/tickets.db), as in a shell, not a directory named ~ there."""
    value = os.path.expanduser(value)
    if not value or Path(value).is_absolute():
        return value
    return str(config_file.parent / value)


def _paths_beside(config: Config, config_file: Path) -> None:
    """The config's file paths (`database`, a SQLite file, plain or sqlite:///; `[classifier]
    model`) read from `config_file`'s directory, ~ as the home directory (`_beside`)."""
    database = config.database
    if "://" not in database.removeprefix("sqlite:///") and database != ":memory:":
        scheme = "sqlite:///" if database.startswith("sqlite:///") else ""
        config.database = scheme + _beside(config_file, database.removeprefix(scheme))
    if config.classifier.model:
        config.classifier.model = _beside(config_file, config.classifier.model)


# The platforms' sections: their keys (tokens, secrets) only `run` uses.
CHANNEL_SECTIONS = ("telegram", "wecom", "official_account")


def load_config(path: str | Path, channels: bool = True) -> Config:
    """Read and validate a config file; ConfigError names the file and the bad key.  Its
    relative paths are from its own directory (`_paths_beside`).  `channels=False` (the
    `db` commands, which never reach a platform) leaves the platforms' sections out: their
    `${TELEGRAM_TOKEN}` and the like, set for the service alone, were required, and a
    backup from cron or a shell ended "environment variable … is not set"."""
    path = Path(path)
    try:
        raw = tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    if not channels:
        raw = {key: value for key, value in raw.items() if key not in CHANNEL_SECTIONS}
    try:
        config = Config.model_validate(_expand_env(raw, ""))
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    except ValidationError as exc:
        # A misspelt key first: it is why the key it stands for is missing.
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ConfigError(f"{path}: {_describe(errors[0])}{more}") from exc
    problem = _unknown_channel(config)
    if problem is not None:
        raise ConfigError(f"{path}: {problem}")
    _paths_beside(config, path)
    return config
