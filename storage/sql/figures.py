"""The figures: /stats (`ticket_stats`), staff activity, resolutions, and the ledger
(台账) export's rows, which reproduce the medians /stats reports.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from storage.base import Activity, LedgerRow, Resolution, TicketStats
from storage.sql.base import SQLBase
from storage.sql.common import (
    _ASSISTED_BY,
    _CLAIMED_AT,
    _COUNTED,
    _DISMISSED,
    _MERGED,
    _OPEN,
    _RESOLVED_AT,
    _SECONDS_BETWEEN,
    _clock_start_of,
    _flag,
    _in_area,
    like_pattern,
)

# The ledger's 结案时间: the latest close, of a ticket closed now.
_CLOSED_AT = """CASE WHEN t.status = 'closed' THEN
                  (SELECT MAX(e.at) FROM ticket_events e
                    WHERE e.ticket_id = t.id AND e.action = 'close') END"""
# The session standing (调解), as `bot.mediation.current` reads it: the ticket's latest
# mediation event's payload if it set one, NULL if it called it off or there is none.
_MEDIATION = """(SELECT CASE WHEN m.action = 'mediation' THEN m.payload END
                   FROM ticket_events m
                  WHERE m.ticket_id = t.id AND m.action IN ('mediation', 'mediation_cancelled')
                  ORDER BY m.id DESC LIMIT 1)"""


def _mediation(payload: str | None) -> dict[str, str | None]:
    """The ledger row's session fields from `_MEDIATION`'s payload."""
    if not payload:
        return {}
    session = json.loads(payload)
    return {"mediation_at": session["at"], "mediation_place": session["place"]}


_DONE_STATUSES = ("resolved", "closed")
_DONE = "(" + ", ".join(f"'{status}'" for status in _DONE_STATUSES) + ")"


# The reporter's latest answer to a follow-up visit of ticket `t` (a ticket reopened by a
# 不满意 and resolved again is visited again: its last word counts).  Latest by the
# resolution it asks about, which the unique key (ticket_id, resolved_at) keeps in order:
# "ORDER BY f.id DESC" led PostgreSQL to walk the whole primary key backwards for every
# ticket (minutes at 200,000 tickets).
_RATING = """(SELECT f.rating FROM followups f
               WHERE f.ticket_id = t.id AND f.rating IS NOT NULL
               ORDER BY f.resolved_at DESC LIMIT 1)"""


# The ledger's dismissal columns: the latest dismissal, of a ticket that is dismissed now
# (one restored and never dismissed again shows none).
_DISMISSAL = f"""LEFT JOIN ticket_events d
                   ON t.status = '{_DISMISSED}'
                  AND d.id = (SELECT MAX(e.id) FROM ticket_events e
                               WHERE e.ticket_id = t.id AND e.action = 'dismiss')
                 LEFT JOIN people dp ON dp.id = d.actor_id"""


def _median_sql(dialect: str, until: str, only: str = "") -> str:
    """Median seconds from a ticket's receipt to `until`, over tickets received in
    [?, ?) that have reached it; also how many have.  `only` narrows the tickets (`t`)
    further; its parameters, if any, follow the two bounds.

    Window functions, which both engines have (SQLite >= 3.25), rank the durations in
    the database; the middle one (or the mean of the middle two) is all that comes back.
    `spans` is MATERIALIZED (both engines, SQLite >= 3.35) so each ticket's history is
    looked up once, not again for every later use of `ended`.
    """
    seconds = _SECONDS_BETWEEN[dialect].format(start="began", end="ended")
    return f"""WITH spans AS MATERIALIZED (
                   SELECT t.created_at AS began, {until} AS ended FROM tickets t
                    WHERE t.created_at >= ? AND t.created_at < ? {only}),
               durations AS (SELECT {seconds} AS d FROM spans WHERE ended IS NOT NULL),
               ranked AS (SELECT d, ROW_NUMBER() OVER (ORDER BY d) AS n,
                                 COUNT(*) OVER () AS total FROM durations)
               SELECT AVG(d) AS median, MAX(total) AS total FROM ranked
                WHERE n IN ((total + 1) / 2, (total + 2) / 2)"""


def _in_ledger(
    area: str | None, department: str | None, about_the_desk: bool = True
) -> tuple[str, tuple[str, ...]]:
    """`_in_area`'s condition for a ledger: a department's lists those handed to it (转办)
    and those it assists with (协办), as /stats counts both for it (`ticket_stats`).  Not
    `about_the_desk`: less the complaints about the desk's own people (作风反映), for a grid
    worker's, who is kept from them (`bot.workflow.kept_from`)."""
    where, params = _in_area(area, about_the_desk=about_the_desk)
    if department is None:
        return where, params
    assisted = _ASSISTED_BY.format("t.assisting")
    where += f" AND (t.department = ? OR (t.assisting <> '' AND {assisted}))"
    return where, (*params, department, like_pattern(f" {department} "))


def _float(value: Any) -> float | None:
    """A number from either driver (PostgreSQL may return Decimal), or None."""
    return None if value is None else float(value)


class FiguresSQL(SQLBase):
    """Statistics and the ledger."""

    async def ticket_stats(
        self,
        start: str,
        end: str,
        area: str | None = None,
        department: str | None = None,
        crowd: int = 5,
        about_the_desk: bool = True,
    ) -> TicketStats:
        # One row per (status, type, urgency, triage) combination that occurs: a few
        # hundred at most, however many tickets there are.
        in_area, params = _in_area(area, department, about_the_desk)
        groups = await self._all(
            f"""SELECT t.status, t.type, t.urgency, t.needs_triage, t.resolved_late,
                       t.department, t.settled, t.major, t.assisting, COUNT(*) AS n
                  FROM tickets t
                 WHERE t.created_at >= ? AND t.created_at < ? {in_area}
                 GROUP BY t.status, t.type, t.urgency, t.needs_triage, t.resolved_late,
                          t.department, t.settled, t.major, t.assisting""",
            (start, end, *params),
        )
        by_status: Counter[str] = Counter()
        by_type: Counter[str] = Counter()
        by_urgency: Counter[str] = Counter()
        timeliness: Counter[bool] = Counter()  # of the desk's resolutions standing: late?
        settlement: Counter[bool] = Counter()  # ... and settled (调处结果), where said
        major = resolved_major = 0  # marked major and difficult (重大疑难), and done
        by_department: Counter[str] = Counter()
        resolved_by_department: Counter[str] = Counter()
        by_assisting: Counter[str] = Counter()
        resolved_by_assisting: Counter[str] = Counter()
        triage = dismissed = merged = 0
        for group in groups:
            n = int(group["n"])
            if group["status"] == _DISMISSED:
                dismissed += n
                continue
            if group["status"] == _MERGED:
                merged += n
                continue
            by_status[group["status"]] += n
            by_type[group["type"]] += n
            by_urgency[group["urgency"]] += n
            triage += n if group["needs_triage"] else 0
            if group["status"] in _DONE_STATUSES and group["resolved_late"] is not None:
                timeliness[bool(group["resolved_late"])] += n
            if group["status"] in _DONE_STATUSES and group["settled"] is not None:
                settlement[bool(group["settled"])] += n
            if group["major"]:
                major += n
                resolved_major += n if group["status"] in _DONE_STATUSES else 0
            if group["department"] is not None:
                by_department[group["department"]] += n
                if group["status"] in _DONE_STATUSES:
                    resolved_by_department[group["department"]] += n
            for code in group["assisting"].split():
                by_assisting[code] += n
                resolved_by_assisting[code] += n if group["status"] in _DONE_STATUSES else 0
        # By area (when every area's are counted) and by source: a row per area and source
        # that occur, a few hundred at most (a province's grids).
        by_area: Counter[str] = Counter()
        resolved_by_area: Counter[str] = Counter()
        by_source: Counter[str] = Counter()
        for row in await self._all(
            f"""SELECT t.area, t.source, COUNT(*) AS n,
                       COUNT(CASE WHEN t.status IN {_DONE} THEN 1 END) AS done
                  FROM tickets t
                 WHERE t.created_at >= ? AND t.created_at < ? {_COUNTED} {in_area}
                 GROUP BY t.area, t.source""",
            (start, end, *params),
        ):
            by_source[row["source"]] += int(row["n"])
            if area is None and row["area"] is not None:
                by_area[row["area"]] += int(row["n"])
                resolved_by_area[row["area"]] += int(row["done"])
        claim = await self._one(
            _median_sql(self.dialect, _CLAIMED_AT, f"{_COUNTED} {in_area}"), (start, end, *params)
        )
        resolve = await self._one(
            _median_sql(self.dialect, _RESOLVED_AT, f"AND t.status IN {_DONE} {in_area}"),
            (start, end, *params),
        )
        settled = f"t.status IN {_DONE} AND t.settled = 1"
        involved = await self._one(
            f"""SELECT COUNT(CASE WHEN t.people_involved >= ? THEN 1 END) AS crowds,
                       COUNT(t.amount_involved) AS with_amount,
                       COALESCE(SUM(t.amount_involved), 0) AS amount,
                       COUNT(CASE WHEN {settled} THEN t.amount_involved END) AS settled_with,
                       COALESCE(SUM(CASE WHEN {settled} THEN t.amount_involved END), 0)
                           AS settled_amount
                  FROM tickets t
                 WHERE t.created_at >= ? AND t.created_at < ? {_COUNTED} {in_area}""",
            (crowd, start, end, *params),
        )
        assert involved is not None
        withdrawn = await self._one(
            f"""SELECT COUNT(*) AS n FROM tickets t
                 WHERE t.created_at >= ? AND t.created_at < ? AND t.status IN {_DONE} {in_area}
                   AND (SELECT e.action FROM ticket_events e
                         WHERE e.ticket_id = t.id AND e.action IN ('resolve', 'withdraw')
                         ORDER BY e.id DESC LIMIT 1) = 'withdraw'""",
            (start, end, *params),
        )
        # A department's (协办): the period's reports it assists with, another leading.
        assisted = None
        if department is not None:
            in_this_area, area_params = _in_area(area, about_the_desk=about_the_desk)
            assisted = await self._one(
                f"""SELECT COUNT(*) AS n, COUNT(CASE WHEN t.status IN {_DONE} THEN 1 END) AS done
                      FROM tickets t
                     WHERE t.created_at >= ? AND t.created_at < ? {_COUNTED} {in_this_area}
                       AND t.assisting <> '' AND {_ASSISTED_BY.format("t.assisting")}""",
                (start, end, *area_params, like_pattern(f" {department} ")),
            )
        # Each ticket's latest answer (as `_RATING`), by joining the answers rather than a
        # look-up for every ticket received (a third less on PostgreSQL).  CROSS JOIN: SQLite
        # then reads the period's tickets first (40 rather than 120 ms at 200,000 tickets);
        # PostgreSQL plans it as any join.  A merged ticket's reporter was asked about the
        # case's outcome like its own reporter (并案): their answer counts, as a resident's.
        ratings = await self._all(
            f"""SELECT f.rating, COUNT(*) AS n FROM tickets t CROSS JOIN followups f
                 WHERE f.ticket_id = t.id
                   AND t.created_at >= ? AND t.created_at < ? AND t.status <> '{_DISMISSED}'
                   {in_area}
                   AND f.rating IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM followups g
                                    WHERE g.ticket_id = f.ticket_id AND g.rating IS NOT NULL
                                      AND g.resolved_at > f.resolved_at)
                 GROUP BY f.rating""",
            (start, end, *params),
        )
        return TicketStats(
            received=sum(by_status.values()),
            by_status=dict(by_status),
            by_type=dict(by_type),
            by_urgency=dict(by_urgency),
            needs_triage=triage,
            claimed=int(claim["total"] or 0) if claim else 0,
            resolved=int(resolve["total"] or 0) if resolve else 0,
            median_claim_seconds=_float(claim["median"]) if claim else None,
            median_resolve_seconds=_float(resolve["median"]) if resolve else None,
            dismissed=dismissed,
            merged=merged,
            withdrawn=int(withdrawn["n"]) if withdrawn else 0,
            ratings={r["rating"]: int(r["n"]) for r in ratings},
            resolved_on_time=timeliness[False],
            resolved_late=timeliness[True],
            settled=settlement[True],
            unsettled=settlement[False],
            major=major,
            resolved_major=resolved_major,
            by_department=dict(by_department),
            resolved_by_department=dict(resolved_by_department),
            by_area=dict(by_area),
            resolved_by_area=dict(resolved_by_area),
            by_source=dict(by_source),
            crowds=int(involved["crowds"]),
            with_amount=int(involved["with_amount"]),
            amount=int(involved["amount"]),
            settled_with_amount=int(involved["settled_with"]),
            settled_amount=int(involved["settled_amount"]),
            by_assisting=dict(by_assisting),
            resolved_by_assisting=dict(resolved_by_assisting),
            assisted=int(assisted["n"]) if assisted else 0,
            resolved_assisted=int(assisted["done"]) if assisted else 0,
        )

    async def activity(self, start: str, end: str) -> Activity:
        received = await self._all(
            f"""SELECT t.urgency, COUNT(*) AS n FROM tickets t
                 WHERE t.created_at >= ? AND t.created_at < ? {_COUNTED}
                 GROUP BY t.urgency""",
            (start, end),
        )
        moved = await self._all(
            """SELECT CASE WHEN action = 'reopen' THEN 'reopen' ELSE 'resolve' END AS kind,
                      COUNT(DISTINCT ticket_id) AS n
                 FROM ticket_events
                WHERE action IN ('resolve', 'withdraw', 'reopen') AND at >= ? AND at < ?
                GROUP BY CASE WHEN action = 'reopen' THEN 'reopen' ELSE 'resolve' END""",
            (start, end),
        )
        ratings = await self._all(
            """SELECT rating, COUNT(*) AS n FROM followups
                WHERE rated_at >= ? AND rated_at < ? GROUP BY rating""",
            (start, end),
        )
        # How timely each resolution was is in its event (`bot.desk.casework`): the ticket's
        # own flag says only of its latest resolution.  Each ticket counts by its latest
        # resolution in the window, as /stats and /workload count it: one resolved late,
        # reopened and resolved again on its new clock is not late, nor settled when the
        # second outcome said not.
        latest = {r.ticket_id: r for r in await self.resolutions(start, end)}  # oldest first
        # A ticket whose case ended last there by its reporter's withdrawal (resolved late,
        # reopened, withdrawn) is neither: /stats counts a withdrawal in neither figure.
        for r in await self._all(
            """SELECT DISTINCT w.ticket_id FROM ticket_events w
                WHERE w.action = 'withdraw' AND w.at >= ? AND w.at < ?
                  AND NOT EXISTS (SELECT 1 FROM ticket_events o
                                   WHERE o.ticket_id = w.ticket_id AND o.id > w.id
                                     AND o.action = 'resolve' AND o.at < ?)""",
            (start, end, end),
        ):
            latest.pop(int(r["ticket_id"]), None)
        counts = {r["kind"]: int(r["n"]) for r in moved}
        return Activity(
            received={r["urgency"]: int(r["n"]) for r in received},
            resolved=counts.get("resolve", 0),
            resolved_late=sum(bool(r.late) for r in latest.values()),
            reopened=counts.get("reopen", 0),
            ratings={r["rating"]: int(r["n"]) for r in ratings},
            settled=sum(bool(r.settled) for r in latest.values()),
        )

    async def resolutions(
        self,
        start: str,
        end: str,
        area: str | None = None,
        department: str | None = None,
        about_the_desk: bool = True,
    ) -> list[Resolution]:
        in_area, params = _in_area(area, department, about_the_desk)
        rows = await self._all(
            f"""SELECT e.actor_id, t.created_at, e.at, e.payload, e.ticket_id, t.settled,
                       CASE WHEN t.status IN {_DONE} AND e.id = (
                           SELECT MAX(s.id) FROM ticket_events s
                            WHERE s.ticket_id = e.ticket_id
                              AND s.action IN ('resolve', 'withdraw')
                       ) THEN 1 ELSE 0 END AS standing,
                       CASE WHEN EXISTS (
                           SELECT 1 FROM ticket_events o
                            WHERE o.ticket_id = e.ticket_id AND o.id > e.id
                              AND o.action = 'reopen'
                       ) THEN 1 ELSE 0 END AS reopened
                  FROM ticket_events e
                  JOIN tickets t ON t.id = e.ticket_id
                 WHERE e.action = 'resolve' AND e.at >= ? AND e.at < ? {in_area}
                 ORDER BY e.id""",
            (start, end, *params),
        )
        resolutions = []
        for r in rows:
            payload = json.loads(r["payload"])
            settled = r["settled"] if r["standing"] else payload.get("settled")
            resolutions.append(
                Resolution(
                    r["actor_id"], r["created_at"], r["at"], payload.get("late"),
                    int(r["ticket_id"]), None if settled is None else bool(settled),
                    bool(r["reopened"]),
                )
            )
        return resolutions

    async def ledger_rows(
        self,
        start: str,
        end: str,
        after_id: int,
        limit: int,
        area: str | None = None,
        department: str | None = None,
        clock_starts: Sequence[str] = (),
        about_the_desk: bool = True,
    ) -> list[LedgerRow]:
        in_area, params = _in_ledger(area, department, about_the_desk)
        # An open ticket's clock start, for its deadline; no clock read for the rest.
        since = (
            f"CASE WHEN t.status IN {_OPEN} THEN {_clock_start_of(clock_starts, 't')} END"
            if clock_starts else "NULL"
        )
        rows = await self._all(
            f"""SELECT t.id, t.created_at, t.channel, t.chat_id, t.area,
                       COALESCE(NULLIF(r.display_name, ''), r.user_id) AS reporter,
                       t.text, t.type, t.urgency, t.needs_triage, t.status,
                       COALESCE(NULLIF(w.display_name, ''), w.user_id) AS worker,
                       {_CLAIMED_AT} AS claimed_at, {_RESOLVED_AT} AS resolved_at,
                       t.resolution,
                       (SELECT COUNT(*) FROM ticket_events e WHERE e.ticket_id = t.id) AS events,
                       d.at AS dismissed_at, d.payload AS dismissal,
                       COALESCE(NULLIF(dp.display_name, ''), dp.user_id) AS dismissed_by,
                       {_RATING} AS rating, t.resolve_limit, t.resolved_late, t.department,
                       t.settled, t.assisting, t.major, t.people_involved, t.amount_involved,
                       t.source, t.withdrawn, {_CLOSED_AT} AS closed_at, {since} AS since,
                       t.parts, t.anonymous, {_MEDIATION} AS mediation, t.rules
                  FROM tickets t JOIN people r ON r.id = t.reporter_id
                  LEFT JOIN people w ON w.id = t.assignee_id
                 {_DISMISSAL}
                 WHERE t.created_at >= ? AND t.created_at < ? AND t.id > ? {in_area}
                 ORDER BY t.id LIMIT ?""",
            (*clock_starts, start, end, after_id, *params, limit),
        )
        return [
            LedgerRow(
                id=r["id"],
                created_at=r["created_at"],
                channel=r["channel"],
                chat_id=r["chat_id"],
                area=r["area"],
                reporter=r["reporter"],
                text=r["text"],
                type=r["type"],
                urgency=r["urgency"],
                needs_triage=bool(r["needs_triage"]),
                status=r["status"],
                worker=r["worker"],
                claimed_at=r["claimed_at"],
                resolved_at=r["resolved_at"],
                resolution=r["resolution"],
                events=int(r["events"]),
                dismissed_at=r["dismissed_at"],
                dismissed_by=r["dismissed_by"],
                dismissal=json.loads(r["dismissal"]).get("text") if r["dismissal"] else None,
                rating=r["rating"],
                resolve_limit=r["resolve_limit"],
                resolved_late=_flag(r["resolved_late"]),
                handled_by=r["department"],
                settled=_flag(r["settled"]),
                assisting=tuple(r["assisting"].split()),
                major=bool(r["major"]),
                people_involved=r["people_involved"],
                amount_involved=r["amount_involved"],
                source=r["source"],
                withdrawn=bool(r["withdrawn"]),
                closed_at=r["closed_at"],
                since=r["since"],
                parts=r["parts"],
                anonymous=bool(r["anonymous"]),
                **_mediation(r["mediation"]),
                rules=tuple(json.loads(r["rules"])),
            )
            for r in rows
        ]
