"""/workload (工作量): each grid worker's cases, for the centre's assessment of its workers
(网格员考核) and for seeing who is sitting on tickets.

Per person: the tickets they hold now and how many of those are past a deadline, and the
tickets they resolved in a period, each once, at their latest resolution of it there, with
the median time from receipt to that resolution, how many of those came after their resolve
deadline (超期办结) and how many were reopened after a resolution of theirs (被重开): a
ticket resolved, reopened and resolved again is one ticket, not two resolutions to their
credit.
Unlike /stats, which follows the tickets received in a period, this counts the work done in
it, as the briefing does.  The store gives the rows (`Tx.resolutions`, the open tickets);
this module only counts them and says them in the reader's language.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot import i18n
from bot.clock import parse_iso
from bot.period import Period
from bot.stats import duration
from bot.workflow import Status
from storage.base import ClockedTicket, Resolution

if TYPE_CHECKING:  # bot.supervision's briefing counts what waits in each department here
    from bot.supervision import Overdue


@dataclass(frozen=True)
class WorkerLoad:
    name: str
    holding: int  # claimed by them now
    late: int  # of those, past a deadline now
    resolved: int  # tickets they resolved in the period, each once, at their latest there
    median_seconds: float | None  # receipt -> that resolution, over those
    resolved_late: int = 0  # of those, after the resolve deadline in force then (超期办结)
    settled: int = 0  # of those, disputes settled (化解成功: a worker's mediations that held)
    found: int = 0  # disputes their screening found in the period (上报, bot.screening)
    zero_days: int = 0  # days they made their grid's zero report (零报告) in the period
    # Of those tickets, how many were reopened after a resolution of theirs in the period
    # (被重开: it did not hold), resolved again since or not.
    reopened: int = 0


def loads(
    names: Mapping[int, str],
    open_tickets: Sequence[ClockedTicket],
    overdue: Iterable[Overdue],
    resolutions: Iterable[Resolution],
    screened: Mapping[int, tuple[int, int]] | None = None,
) -> list[WorkerLoad]:
    """One row for each person in `names` (an area's grid workers, and anyone else who holds
    or resolved one of its tickets), busiest first.  `screened`: each worker's disputes
    found and zero-report days in the period (`bot.screening.by_worker`)."""
    screened = screened or {}
    holding = Counter(
        c.ticket.assignee_id for c in open_tickets if c.ticket.status == Status.CLAIMED
    )
    late = Counter(o.ticket.assignee_id for o in overdue if o.ticket.status == Status.CLAIMED)
    # Each worker's tickets once: their latest resolution of each (`resolutions` come oldest
    # first), and whether any of theirs was reopened afterwards.
    latest: dict[tuple[int, int], Resolution] = {}
    reopened: set[tuple[int, int]] = set()
    for r in resolutions:
        if r.worker_id is not None:
            latest[(r.worker_id, r.ticket_id)] = r
            if r.reopened:
                reopened.add((r.worker_id, r.ticket_id))
    reopened_by = Counter(worker for worker, _ in reopened)
    spans: dict[int, list[float]] = {}
    resolved_late: Counter[int] = Counter()
    settled: Counter[int] = Counter()
    for (worker, _), r in latest.items():
        seconds = (parse_iso(r.resolved_at) - parse_iso(r.received_at)).total_seconds()
        spans.setdefault(worker, []).append(seconds)
        resolved_late[worker] += bool(r.late)
        settled[worker] += bool(r.settled)
    rows = [
        WorkerLoad(
            name,
            holding[person],
            late[person],
            len(spans.get(person, [])),
            statistics.median(spans[person]) if spans.get(person) else None,
            resolved_late[person],
            settled[person],
            *screened.get(person, (0, 0)),
            reopened_by[person],
        )
        for person, name in names.items()
    ]
    return sorted(rows, key=lambda w: (-w.holding, -w.late, -w.resolved, w.name))


@dataclass(frozen=True)
class Waiting:
    """Tickets nobody holds: the grid's (`department` None), or those handed to a
    department (转办) that nobody there has taken up, which the centre chases there."""

    department: str | None  # its name
    count: int
    late: int  # of those, past a deadline now


def waiting(
    open_tickets: Sequence[ClockedTicket],
    overdue: Iterable[Overdue],
    names: Mapping[str, str],
    grid: bool = True,
) -> list[Waiting]:
    """The grid's unclaimed tickets (always a line, if only to say none), then each
    department's with some, by the config's order of departments (`names`: code -> name).
    Without the `grid`'s (a department's figures), each department's, even at none."""
    count = Counter(c.ticket.department for c in open_tickets if c.ticket.status != Status.CLAIMED)
    late = Counter(o.ticket.department for o in overdue if o.ticket.status != Status.CLAIMED)
    found = [Waiting(None, count[None], late[None])] if grid else []
    found += [
        Waiting(name, count[code], late[code])
        for code, name in names.items()
        if count[code] or not grid
    ]
    return found


def render_workload(
    rows: Sequence[WorkerLoad],
    unclaimed: Sequence[Waiting],
    period: Period,
    zone: ZoneInfo,
    lang: str | None,
    area: str | None,
    liaisons: bool = False,
    person: str | None = None,
) -> str:
    """`area`: the name of the one area counted; None when every area is.  `liaisons`: the
    rows are a department's liaisons (部门对接人), `area` its name.  `person`: the one
    person asked about (工作量 王网格员), `area` where they work."""
    start, end = period.describe(zone)
    where = area or i18n.t("all_areas", lang)
    header = "workload_header_department" if liaisons else "workload_header"
    if person is not None:
        lines = [i18n.t("workload_header_person", lang, name=person, area=where, start=start,
                        end=end)]
    else:
        lines = [i18n.t(header, lang, area=where, start=start, end=end)]
    for row in rows:
        late = i18n.t("workload_late", lang, count=row.late) if row.late else ""
        median = (
            i18n.t("workload_median", lang, median=duration(row.median_seconds, lang))
            if row.median_seconds is not None
            else ""
        )
        if row.resolved_late:
            median += i18n.t("workload_resolved_late", lang, count=row.resolved_late)
        if row.reopened:
            median += i18n.t("workload_reopened", lang, count=row.reopened)
        if row.settled:
            median += i18n.t("workload_settled", lang, count=row.settled)
        if row.found or row.zero_days:  # their screening (矛盾纠纷排查), for 网格员考核
            median += i18n.t("workload_screened", lang, found=row.found, zero=row.zero_days)
        lines.append(
            i18n.t(
                "workload_line",
                lang,
                name=row.name,
                holding=row.holding,
                late=late,
                resolved=row.resolved,
                median=median,
            )
        )
    if not rows:
        lines.append(i18n.t("workload_no_liaison" if liaisons else "workload_nobody", lang))
    for wait in unclaimed:
        lines.append(waiting_line(wait, lang))
    return "\n".join(lines)


def waiting_line(wait: Waiting, lang: str | None) -> str:
    """无人认领：3 件 for the grid's; 转派出所待认领：2 件（超时 1）, a department's tickets
    nobody there has taken up."""
    late = i18n.t("workload_late", lang, count=wait.late) if wait.late else ""
    if wait.department is None:
        return i18n.t("workload_unclaimed", lang, count=wait.count, late=late)
    return i18n.t(
        "workload_department", lang, department=wait.department, count=wait.count, late=late
    )
