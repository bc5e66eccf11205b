"""Dispute screening (矛盾纠纷排查): every working day each grid says what its worker found.

A county's grid workers walk their grid daily and report what they find; under the
"zero report" rule (零报告制度) a day with nothing found is reported too, so that silence
means a report not made, not a quiet grid.  A dispute found is reported as the desk
reports anything (上报, a ticket with the worker as reporter); nothing found is a zero
report (零报告, `Tx.record_zero_report`).  A grid has reported a day when it has either.

Staff read who has (排查情况, any period: a day's names, a month's rate), the briefing
names the grids that had not by the end of the day before, and at `[screening] remind_at`
the workers of a grid not yet reported are reminded.  The last two only on the days the
centre keeps the rule (`[screening] daily`, or its `sensitive` periods: 敏感期重点排查); the
commands work everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot import i18n
from bot.adapters.base import Button, Outbound
from bot.clock import iso, parse_iso
from bot.config import Config
from bot.period import Period
from bot.turn import enqueue, person_name
from bot.workflow import Role
from storage.base import PersonRecord, Store, Tx, ZeroReport

# The days a grid missed that a period's line names one by one; past this, a count.
MISSED_LISTED = 5
# The grids the briefing names as not reported; past this (a province), a count.
MISSING_LISTED = 20


@dataclass(frozen=True)
class GridDay:
    """One grid's screening on one local day."""

    area: str
    day: date
    zero: ZeroReport | None  # its zero report, if it made one
    found: int  # the disputes its workers reported that day (上报): what the screening found

    @property
    def reported(self) -> bool:
        return self.zero is not None or self.found > 0


async def grid_days(
    tx: Tx, areas: Sequence[str], days: Sequence[date], config: Config
) -> list[GridDay]:
    """Each of `areas` on each of `days` (in order), by day then area."""
    if not days:
        return []
    zeros = await tx.zero_reports(days[0].isoformat(), days[-1].isoformat())
    by_key = {(z.area, z.day): z for z in zeros}
    filed = await finds_by_day(tx, days[0], days[-1])
    return [
        GridDay(a, day, by_key.get((a, day.isoformat())), filed[a, day])
        for day in days
        for a in areas
    ]


async def finds_by_day(tx: Tx, first: date, last: date) -> Counter[tuple[str, date]]:
    """How many disputes each area's workers reported (上报) on each local day from `first`
    to `last` (a ticket once a day, however often it was added to): one read for them all."""
    finds = await tx.screening_finds(first.isoformat(), last.isoformat())
    once = {(f.area, f.day, f.ticket_id) for f in finds}
    return Counter((area, date.fromisoformat(day)) for area, day, _ in once)


async def by_worker(
    tx: Tx, period: Period, config: Config, area: str | None = None
) -> dict[int, tuple[int, int]]:
    """Each grid worker's screening in a period, for /workload (网格员考核): the disputes
    they reported (上报: each ticket once, however often they added to it) and the days
    they made a zero report; of one grid's (None: every grid's).  Made within the period
    (a rolling window starts mid-day), by person id; only those with either.  A zero
    report staff wrote down for a worker counts for the grid, not for a worker."""
    first, last = period.local_days(config.work_calendar.zone)
    start, end = period.bounds()
    finds = [
        f for f in await tx.screening_finds(first.isoformat(), last.isoformat())
        if start <= f.at < end and area in (None, f.area)
    ]
    reported = Counter(person for person, _ in {(f.person_id, f.ticket_id) for f in finds})
    # A zero report's maker is a grid worker who made their grid's, or staff writing down
    # one phoned in, whose own screening it is not (they are listed when they hold or
    # resolved one of the grid's tickets).  Staff are left out, not grid workers kept in:
    # a worker since moved to a department keeps the days they reported.
    roles = (Role.STAFF, Role.ADMIN)
    desk = {p.id for role in roles for p in await tx.people_with_role(role.value)}
    zeros = Counter(
        z.person_id for z in await tx.zero_reports(first.isoformat(), last.isoformat())
        if start <= z.at < end and area in (None, z.area) and z.person_id not in desk
    )
    return {p: (reported[p], zeros[p]) for p in reported.keys() | zeros.keys()}


def owed(day: date, config: Config) -> bool:
    """Whether the grids owe `day`'s screening report: each working day where the centre
    keeps the rule daily, and every day of a sensitive period (敏感期: a holiday too, when
    the centre asks for the report all the more)."""
    screening = config.screening
    daily = screening.daily and config.work_calendar.is_working_day(day)
    return daily or screening.is_sensitive(day)


def counted(day: date, config: Config) -> bool:
    """Whether a period's view (排查情况) counts `day`: the days owed where the centre keeps
    the rule, else its working days (the commands work either way)."""
    if config.screening.kept:
        return owed(day, config)
    return config.work_calendar.is_working_day(day)


async def record_find(tx: Tx, ticket_id: int, person: PersonRecord, now: str,
                      config: Config) -> None:
    """A grid worker's report, filed or added to a ticket: their grid's screening find of
    the day (for a worker with no grid, that of the ticket: where it was reported)."""
    area = person.area
    if area is None:
        ticket = await tx.ticket(ticket_id)
        area = ticket.area if ticket is not None else None
    if area is None:
        return
    day = config.work_calendar.local_date(parse_iso(now))
    await tx.record_screening_find(area, day.isoformat(), ticket_id, person.id, now)


def days_of(period: Period, now: datetime, config: Config) -> list[date]:
    """The days a period asks about: one day as it is (a Saturday's reports may be asked
    for), a longer period's days that count (`counted`) up to today (a grid owes none for
    a day still to come)."""
    calendar = config.work_calendar
    first, last = period.local_days(calendar.zone)
    if first == last:
        return [first]
    last = min(last, calendar.local_date(now))
    count = (last - first).days + 1
    every = (first + timedelta(days=n) for n in range(max(count, 0)))
    return [day for day in every if counted(day, config)]


def day_label(day: date, lang: str | None) -> str:
    """12月2日（星期三）, "Wednesday 2 Dec": how a centre names the day a screening is for."""
    month = i18n.name(f"month.{day.month}", lang)
    return i18n.t("screening_day", lang, month=month, day=day.day,
                  weekday=i18n.name(f"weekday.{day.weekday()}", lang))


def render_day(
    found: Sequence[GridDay],
    day: date,
    workers: dict[str, list[str]],
    config: Config,
    lang: str | None,
    public: bool = False,
) -> str:
    """One day's screening, a line per grid: who made its zero report, or how many it
    reported, or that it has not (with its workers' names, whom to ask).  `public`: in a
    residents' group, without the names and the notes."""
    done = sum(g.reported for g in found)
    lines = [i18n.t("screening_header", lang, day=day_label(day, lang), done=done,
                    total=len(found))]
    if not config.work_calendar.is_working_day(day):
        lines[0] += i18n.t("screening_day_off", lang)
    names = config.area_names
    for grid in found:
        name = names.get(grid.area, grid.area)
        parts = []
        if grid.zero is not None and public:
            parts.append(i18n.t("screening_zero_public", lang))
        elif grid.zero is not None:
            note = i18n.t("comment_suffix", lang, text=grid.zero.note) if grid.zero.note else ""
            at = parse_iso(grid.zero.at).astimezone(config.work_calendar.zone)
            parts.append(i18n.t("screening_zero", lang, name=grid.zero.person_name,
                                time=at.strftime("%H:%M"), note=note))
        if grid.found:
            parts.append(i18n.t("screening_found", lang, count=grid.found))
        if not parts and public:
            parts.append(i18n.t("screening_missing_public", lang))
        elif not parts:
            who = i18n.joined(workers.get(grid.area, []), lang) or i18n.t(
                "screening_no_worker", lang
            )
            parts.append(i18n.t("screening_missing", lang, workers=who))
        what = i18n.t("screening_parts_sep", lang).join(parts)
        lines.append(i18n.t("screening_line", lang, area=name, what=what))
    return "\n".join(lines)


def render_days(
    found: Sequence[GridDay],
    days: Sequence[date],
    today: date,
    config: Config,
    lang: str | None,
) -> str:
    """A longer period's screening, a line per grid: the working days it reported, how,
    and the ones it missed (报送率).  Today counts once reported: until the day is over, a
    grid that has not is not late."""
    if not days:
        return i18n.t("screening_no_days", lang)
    waiting = any(g.day == today and not g.reported for g in found)
    header = i18n.t("screening_period", lang, first=days[0].isoformat(),
                    last=days[-1].isoformat(), count=len(days),
                    today=i18n.t("screening_period_today", lang) if waiting else "")
    lines = [header]
    names = config.area_names
    for area, theirs in _by_area(found).items():
        mine = [g for g in theirs if g.reported or g.day != today]
        missed = [g.day for g in mine if not g.reported]
        shown = (f"{d.month:02d}-{d.day:02d}" for d in missed[:MISSED_LISTED])
        listed = i18n.joined(shown, lang)
        if len(missed) > MISSED_LISTED:
            listed += i18n.t("screening_missed_more", lang, count=len(missed) - MISSED_LISTED)
        lines.append(i18n.t(
            "screening_rate", lang, area=names.get(area, area),
            done=len(mine) - len(missed), total=len(mine),
            zero=sum(g.zero is not None for g in mine), found=sum(g.found > 0 for g in mine),
            missed=i18n.t("screening_missed", lang, days=listed) if missed else "",
        ))
    return "\n".join(lines)


async def briefing_lines(tx: Tx, since: str, until: str, config: Config) -> list[str]:
    """For the briefing: each working day it covers whose screening is over (the days
    before the briefing's own), how many grids reported and which did not."""
    if not config.areas:
        return []
    calendar = config.work_calendar
    first = calendar.local_date(parse_iso(since))
    last = calendar.local_date(parse_iso(until)) - timedelta(days=1)
    every = (first + timedelta(days=n) for n in range((last - first).days + 1))
    days = [d for d in every if owed(d, config)]
    areas = [a.code for a in config.areas]
    names = config.area_names
    found = await grid_days(tx, areas, days, config)
    lang = config.language
    lines = []
    for day in days:
        missing = [names[g.area] for g in found if g.day == day and not g.reported]
        if missing:
            listed = i18n.joined(missing[:MISSING_LISTED], lang)
            if len(missing) > MISSING_LISTED:
                more = len(missing) - MISSING_LISTED
                listed += i18n.t("screening_missing_more", lang, count=more)
            text = i18n.t("briefing_screening", lang, day=day_label(day, lang),
                          done=len(areas) - len(missing), total=len(areas), missing=listed)
        else:
            text = i18n.t("briefing_screening_all", lang, day=day_label(day, lang),
                          total=len(areas))
        lines.append(text)
    return lines


async def month_line(tx: Tx, month: Period, now: datetime, config: Config) -> str | None:
    """For the month's figures: each grid's working days reported of the month's (报送率),
    of the days the centre kept the rule; None when it kept it on none."""
    if not config.screening.kept or not config.areas:
        return None
    days = days_of(month, now, config)
    if not days:
        return None
    areas = [a.code for a in config.areas]
    names = config.area_names
    found = _by_area(await grid_days(tx, areas, days, config))
    lang = config.language
    items = i18n.t("stats_sep", lang).join(
        i18n.t("screening_month_item", lang, area=names[area],
               done=sum(g.reported for g in found.get(area, ())), total=len(days))
        for area in areas
    )
    return i18n.t("screening_month", lang, items=items)


def _by_area(found: Sequence[GridDay]) -> dict[str, list[GridDay]]:
    """Each grid's days, grids in the order first met: one pass over a province's."""
    grouped: dict[str, list[GridDay]] = {}
    for grid in found:
        grouped.setdefault(grid.area, []).append(grid)
    return grouped


def reminder_moment(day: date, config: Config) -> datetime | None:
    """When `day`'s reminder is due, or None: none that day (no report owed then, no
    time set, or no grids)."""
    at = config.screening.reminder_time
    if at is None or not config.areas or not owed(day, config):
        return None
    calendar = config.work_calendar
    return calendar.midnight(day) + timedelta(hours=at.hour, minutes=at.minute)


async def remind(store: Store, day: date, now: datetime, config: Config) -> int:
    """Record `day`'s reminder and queue one to each grid worker of a grid that has not
    reported yet, in one transaction; how many were queued (0: sent already, by another
    process or before a restart, or every grid has reported)."""
    async with store.write() as tx:
        if not await tx.record_screening_reminder(day.isoformat(), iso(now)):
            return 0
        areas = [a.code for a in config.areas]
        missing = {g.area for g in await grid_days(tx, areas, [day], config) if not g.reported}
        workers = await tx.people_with_role(Role.GRID_WORKER.value)
        names = config.area_names
        out = []
        for worker in workers:
            if worker.area not in missing:
                continue
            lang = worker.lang or config.language
            text = i18n.t("screening_reminder", lang, day=day_label(day, lang),
                          area=names[worker.area])
            # One tap where the platform has buttons (Telegram, the console): nothing found.
            command = f"/zero {worker.area} {day.isoformat()}"  # that day's, not a later one
            zero = Button(i18n.name("button.zero", lang), command)
            note = Outbound(worker.channel, worker.user_id, text, buttons=[zero], kind="direct")
            out.append((note, None))
        await enqueue(tx, config, out, iso(now))
    return len(out)


async def workers_by_area(tx: Tx) -> dict[str, list[str]]:
    """The grid workers' names by the area they work (the people to ask about a grid)."""
    found: dict[str, list[str]] = {}
    for worker in await tx.people_with_role(Role.GRID_WORKER.value):
        if worker.area is not None:
            found.setdefault(worker.area, []).append(person_name(worker))
    return found
