"""The daily briefing (每日简报): each working morning the staff rooms get one message with
what came in and what was done since the last briefing, and the backlog now.

Why: supervision tells the desk about one late ticket at a time, and /stats answers when
asked; a centre's day starts with the totals (the morning's 研判), and Monday's must cover
the weekend.  The figures come from the database (`Tx.activity`) and from the open tickets
the supervision sweep reads anyway.  Each local day's briefing is recorded once
(`briefings`), so a restart or a second process sharing the database does not send it
twice, and the next one starts where the last one ended: no hour is counted twice or lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import i18n, screening
from bot.adapters.base import Outbound
from bot.clock import iso, parse_iso
from bot.config import Config, format_limit
from bot.extension import TimeAsked
from bot.period import Period, month_of, parse_period
from bot.privacy import holder_said, residents_read
from bot.render import Renderer
from bot.stats import counts_line, rating_pairs, render_stats
from bot.turn import enqueue
from bot.workcal import Span
from bot.workflow import Status
from bot.workload import Waiting, waiting_line
from classifier.taxonomy import URGENCIES
from storage.base import (
    Activity,
    ClockedTicket,
    ClosureCounts,
    Store,
    TicketRecord,
    TicketStats,
    Tx,
)

# A database's first briefing goes out only if on time (within this of its moment);
# later, it is recorded without a message: a bot first started at 15:00 (or the console
# demo, which starts at the time it is run) would otherwise open with a day's zeros.  It covers the
# day before it; every later one starts where the one before it ended.
_FIRST_ON_TIME = timedelta(minutes=10)
_FIRST_COVERS = timedelta(days=1)
# The requests for more time a briefing lists one by one (a county has a handful).
TIME_ASKED_LISTED = 10
# The months' figures (月度统计) one briefing brings at most: the latest, after a bot was
# down for longer than a year.
MONTHS_CAUGHT_UP = 12


# No resolved ticket waiting to be closed (待结案).
_NONE_TO_CLOSE = ClosureCounts(0, 0, 0)


@dataclass(frozen=True)
class Backlog:
    """The open tickets at the moment of the briefing."""

    unclaimed: int  # new or reopened: nobody holds them
    claimed: int
    urgent: int  # of the open ones
    overdue: int  # past a deadline now (the list is /overdue)
    # When each overdue ticket missed its first deadline (ISO), and the most overdue one
    # with the deadline it missed and by how much: a quiet morning read 超时 1 件 day after
    # day, the same words whether it went late last night or a week ago.
    overdue_since: tuple[str, ...] = ()
    longest: tuple[TicketRecord, str, Span] | None = None
    # Requests for more time (延期) staff have not answered: the escalation repeats one only
    # once its deadline is missed, and the morning is when the desk decides.
    time_asked: tuple[TimeAsked, ...] = ()
    # The desk's people the bot cannot write to until they write to it (a Telegram bot
    # cannot start a chat), with how many messages wait for them: assignments, escalations
    # and reminders they have not had.  Said until they write.
    unreachable: tuple[tuple[str, int], ...] = ()
    # Tickets handed to a department (转办) that nobody there has taken up, by department:
    # the centre chases those with the department.
    departments: tuple[Waiting, ...] = ()
    major: int = 0  # open major and difficult cases (重大疑难), the joint meeting's agenda
    # Resolved tickets waiting to be closed (待结案), and of those the ones whose visit was
    # answered 满意 or 基本满意, which 结案 满意 closes together (`bot.desk.closing`), and
    # those whose visit went unanswered for `[followup] unanswered_after` (结案 未回复).
    to_close: int = 0
    to_close_rated: int = 0
    to_close_unanswered: int = 0
    to_close_withdrawn: int = 0  # of the unanswered, withdrawals: never visited

    @classmethod
    def of(
        cls,
        open_tickets: Sequence[ClockedTicket],
        overdue: int,
        time_asked: Sequence[TimeAsked] = (),
        unreachable: Sequence[tuple[str, int]] = (),
        departments: Sequence[Waiting] = (),
        to_close: ClosureCounts = _NONE_TO_CLOSE,
        overdue_since: Sequence[str] = (),
        longest: tuple[TicketRecord, str, Span] | None = None,
    ) -> Backlog:
        """`to_close`: how many resolved tickets wait to be closed, how many of those were
        answered 满意 or 基本满意, and how many went unanswered (`Tx.awaiting_closure_counts`)."""
        statuses = [Status(item.ticket.status) for item in open_tickets]
        return cls(
            unclaimed=sum(s in (Status.NEW, Status.REOPENED) for s in statuses),
            claimed=sum(s is Status.CLAIMED for s in statuses),
            urgent=sum(item.ticket.urgency == "urgent" for item in open_tickets),
            overdue=overdue,
            overdue_since=tuple(overdue_since),
            longest=longest,
            time_asked=tuple(sorted(time_asked, key=lambda asked: asked.ticket.id)),
            unreachable=tuple(unreachable),
            departments=tuple(w for w in departments if w.department is not None),
            major=sum(item.ticket.major for item in open_tickets),
            to_close=to_close.waiting,
            to_close_rated=to_close.rated,
            to_close_unanswered=to_close.unanswered,
            to_close_withdrawn=to_close.withdrawn,
        )

    def for_residents(self, config: Config) -> Backlog:
        """The backlog as a notify room the residents read is told it (`residents_read`):
        no department that has cases (which says what they are about; an escalation there
        says 相关部门, `bot.privacy.department_said`); a liaison asking for more time only as
        相关部门, whose name says the same (`holder_said`: a grid worker is named, as the
        group's notices name them); and neither the desk's people the bot cannot reach nor
        the cases waiting to be closed (待结案, with the staff's command that closes them),
        which are the desk's business."""
        asked = tuple(
            replace(a, asker=holder_said(config, a.asker, a.role, config.language, True))
            for a in self.time_asked
        )
        return replace(
            self, departments=(), unreachable=(), time_asked=asked, to_close=0,
            to_close_rated=0, to_close_unanswered=0, to_close_withdrawn=0,
        )


def moment(day: date, config: Config) -> datetime | None:
    """When `day`'s briefing is due, or None: there is none that day (briefings off, no
    staff room to send it to, or not a working day when only those have one)."""
    at = config.briefing.time_of_day
    if at is None or not config.notify_rooms:
        return None
    calendar = config.work_calendar
    if config.briefing.working_days_only and not calendar.is_working_day(day):
        return None
    return calendar.midnight(day) + timedelta(hours=at.hour, minutes=at.minute)


def due_day(
    now: datetime,
    config: Config,
    moment_of: Callable[[date, Config], datetime | None] = moment,
) -> date | None:
    """The local day whose briefing is due at `now`: today, once its moment has passed;
    or whose other daily event is, `moment_of` giving a day's."""
    today = config.work_calendar.local_date(now)
    at = moment_of(today, config)
    return today if at is not None and now >= at else None


def moments_between(
    after: datetime,
    until: datetime,
    config: Config,
    moment_of: Callable[[date, Config], datetime | None] = moment,
) -> list[datetime]:
    """Every briefing moment in (after, until] (the console demo's /wait stops at each);
    or every moment of another daily event, `moment_of` giving a day's."""
    calendar = config.work_calendar
    day, last = calendar.local_date(after), calendar.local_date(until)
    found = []
    while day <= last:
        at = moment_of(day, config)
        if at is not None and after < at <= until:
            found.append(at)
        day += timedelta(days=1)
    return found


async def send(
    store: Store, day: date, now: datetime, config: Config, render: Renderer, backlog: Backlog
) -> bool:
    """Record `day`'s briefing and queue it for the staff rooms, in one transaction; False
    if it was recorded already (or is a late first one, recorded only)."""
    due = moment(day, config)
    assert due is not None, "only a day with a briefing is sent one"
    async with store.write() as tx:
        last = await tx.last_briefing_end()
        starts = last or iso(due - _FIRST_COVERS)
        if not await tx.record_briefing(day.isoformat(), starts, iso(due), iso(now)):
            return False
        if last is None and now - due > _FIRST_ON_TIME:
            return False  # the first, and late: the next one starts from here
        activity = await tx.activity(starts, iso(due))
        screened = await screening.briefing_lines(tx, starts, iso(due), config)
        # (kind, the desk's text, a residents' group's: `Backlog.for_residents`).
        texts = [
            ("briefing", *(
                render_briefing(day, starts, activity, shown, render, config.language, screened)
                for shown in (backlog, backlog.for_residents(config))
            ))
        ]
        if last is not None and config.briefing.monthly:
            for month in months_closed(parse_iso(last), due, render.zone):
                desk, public = await _month_closed(tx, month, due, config, render)
                texts.append(("monthly", desk, public))
        rooms = config.notify_rooms
        out = [
            (
                Outbound(
                    r.channel, r.chat_id,
                    public if residents_read(config, r.channel, r.chat_id) else text, kind=kind,
                ),
                None,
            )
            for kind, text, public in texts
            for r in rooms
        ]
        await enqueue(tx, config, out, iso(now))
    return True


def months_closed(since: datetime, until: datetime, zone: ZoneInfo) -> list[Period]:
    """The months that ended in (since, until], oldest first (the latest
    `MONTHS_CAUGHT_UP`): those whose figures (月度统计) the briefing covering that span
    brings.  Usually none, or the month before its day; after a bot was down across more
    than one month's end, each of them, so none is skipped."""
    month, found = month_of(since.astimezone(zone).date(), zone), []
    while month.end <= until:
        found.append(month)
        month = month_of(month.end.astimezone(zone).date(), zone)
    return found[-MONTHS_CAUGHT_UP:]


async def _month_closed(
    tx: Tx, month: Period, due: datetime, config: Config, render: Renderer
) -> tuple[str, str]:
    """The figures of `month` (月度统计), brought by the first briefing after it ended: a
    centre reports its month (受理、办结、化解成功率 …) and this is the morning it does.  As
    the desk reads them, and as a residents' group does: without the departments' lines
    (转办部门, 协办部门), as its /stats there."""
    crowd = config.intake.group_dispute_people
    found = await tx.ticket_stats(*month.bounds(), crowd=crowd)
    before = await tx.ticket_stats(*month.previous(render.zone).bounds(), crowd=crowd)
    without = replace(found, by_department={}, resolved_by_department={}, by_assisting={},
                      resolved_by_assisting={})
    desk = await _month_text(tx, month, due, config, render, found, before)
    return desk, await _month_text(tx, month, due, config, render, without, before)


async def _month_text(
    tx: Tx,
    month: Period,
    due: datetime,
    config: Config,
    render: Renderer,
    found: TicketStats,
    before: TicketStats,
) -> str:
    crowd = config.intake.group_dispute_people
    lang = config.language
    names = config.department_names
    figures = render_stats(
        found, month, render.zone, lang, departments=names, crowd=crowd, areas=config.area_names,
        before=before,
    )
    first = month.start.astimezone(render.zone).date()
    header = i18n.t("briefing_month", lang, year=first.year, month=first.month)
    screened = await screening.month_line(tx, month, due, config)
    if screened:
        figures += "\n" + screened
    if month == parse_period("上月", due, render.zone):
        ledger = i18n.t("briefing_month_ledger", lang)
    else:  # an earlier one, after a bot was down across more than one month's end
        ledger = i18n.t("briefing_month_ledger_of", lang, year=first.year, month=first.month)
    return header + "\n" + figures + "\n" + ledger


def render_briefing(
    day: date,
    since: str,
    activity: Activity,
    backlog: Backlog,
    render: Renderer,
    lang: str | None,
    screened: Sequence[str] = (),
) -> str:
    """The briefing's text, in the reader's language; `screened`: the lines of the grids'
    screening of the days it covers (`bot.screening.briefing_lines`)."""
    weekday = i18n.name(f"weekday.{day.weekday()}", lang)
    received = sum(activity.received.values())
    # Only the urgencies that occurred: a morning's glance, not /stats' comparable rows.
    urgencies = [
        (i18n.urgency_label(u, lang), activity.received[u])
        for u in URGENCIES
        if activity.received.get(u)
    ]
    by_urgency = counts_line("briefing_by_urgency", urgencies, lang) if received else ""
    count_late = activity.resolved_late
    late = i18n.t("briefing_resolved_late", lang, count=count_late) if count_late else ""
    if activity.settled:
        late += i18n.t("briefing_settled", lang, count=activity.settled)
    lines = [
        i18n.t("briefing_header", lang, day=day.isoformat(), weekday=weekday),
        i18n.t(
            "briefing_since",
            lang,
            since=render.local_time(since),
            received=received,
            by_urgency=by_urgency,
            resolved=activity.resolved,
            late=late,
            reopened=activity.reopened,
        ),
    ]
    answered = sum(activity.ratings.values())
    if answered:
        ratings = rating_pairs(activity.ratings, lang)
        lines.append(counts_line("briefing_ratings", ratings, lang, count=answered))
    lines.append(
        i18n.t(
            "briefing_backlog",
            lang,
            open=backlog.unclaimed + backlog.claimed,
            unclaimed=backlog.unclaimed,
            claimed=backlog.claimed,
            urgent=backlog.urgent,
        )
    )
    lines += [waiting_line(wait, lang) for wait in backlog.departments]
    lines.append(overdue_line(backlog, since, render, lang))
    if backlog.major:
        lines.append(i18n.t("briefing_major", lang, count=backlog.major))
    if backlog.to_close:
        key = "briefing_to_close" if backlog.to_close_rated else "briefing_to_close_unrated"
        lines.append(i18n.t(key, lang, count=backlog.to_close, rated=backlog.to_close_rated))
    if backlog.to_close_unanswered:
        withdrawn = backlog.to_close_withdrawn
        what = i18n.counted(
            lang, ("briefing_unanswered_part", backlog.to_close_unanswered - withdrawn),
            ("briefing_withdrawn_part", withdrawn),
        )
        lines.append(i18n.t("briefing_to_close_unanswered", lang, what=what))
    lines += screened
    lines += time_asked_lines(backlog.time_asked, render, lang)
    if backlog.unreachable:
        lines.append(counts_line("briefing_unreachable", backlog.unreachable, lang))
    return "\n".join(lines)


def overdue_line(backlog: Backlog, since: str, render: Renderer, lang: str | None) -> str:
    """How many are past a deadline, how many of those went late since the last briefing
    (`since`), and the most overdue one, how far past: what changed overnight, and what
    has waited longest."""
    if not backlog.overdue:
        return i18n.t("briefing_none_overdue", lang)
    if backlog.longest is None:
        return i18n.t("briefing_overdue", lang, count=backlog.overdue)
    start = parse_iso(since)
    new = sum(parse_iso(due) > start for due in backlog.overdue_since)
    ticket, stage, late = backlog.longest
    return i18n.t(
        "briefing_overdue_detail", lang, count=backlog.overdue, new=new,
        ticket=render.label(ticket), stage=i18n.name(f"stage.{stage}", lang),
        late=render.duration(late, lang),
    )


def time_asked_lines(
    waiting: Sequence[TimeAsked], render: Renderer, lang: str | None
) -> list[str]:
    """The requests for more time waiting, each with the words that answer it."""
    if not waiting:
        return []
    lines = [i18n.t("briefing_time_asked", lang, count=len(waiting))]
    for asked in waiting[:TIME_ASKED_LISTED]:
        lines.append(
            i18n.t(
                "briefing_time_asked_line", lang, ticket=render.label(asked.ticket),
                name=asked.asker, by=render.duration(asked.more, lang),
                number=render.number(asked.ticket), until=render.duration(asked.until, lang),
                until_code=format_limit(asked.until),
            )
        )
    if len(waiting) > TIME_ASKED_LISTED:
        more = len(waiting) - TIME_ASKED_LISTED
        lines.append(i18n.t("briefing_time_asked_more", lang, count=more))
    return lines

