"""The lists staff work from: resolved tickets waiting to be closed (待结案), the
queue of tickets nobody holds, /search, and the supervision sweep's open tickets with their
clocks and the reminders already sent (`once_keys`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storage.base import (
    AwaitingClosure,
    ClockedTicket,
    ClosureCounts,
    Keep,
    Stamp,
    TicketRecord,
    TicketSearch,
)
from storage.sql.base import SQLBase
from storage.sql.common import (
    _ASSISTED_BY,
    _CONTAINS,
    _EVENT_TEXT,
    _RESOLVED_AT,
    _TICKET_COLUMNS,
    _URGENCY_ORDER,
    _chunks,
    _clock_start_of,
    _in_area,
    _marks,
    _ticket,
    like_pattern,
    not_about_the_desk,
)

# The resolved tickets waiting to be closed (待结案), each with the time of the resolution that
# stands and the follow-up visit about it (`visit_id`: none about an earlier resolution, which
# a reopened ticket's old visit asked about).  `status = 'resolved'` is written out, not a
# parameter: only so do both engines use the partial index on it (migration 0025), which
# holds a county's few resolved tickets among its many closed ones.  `{where}`: the scope's
# condition on `t` (`_in_area`).
_AWAITING_CLOSURE = f"""WITH waiting AS MATERIALIZED (
        SELECT {_TICKET_COLUMNS}, COALESCE({_RESOLVED_AT}, t.updated_at) AS done_at
          FROM tickets t WHERE t.status = 'resolved' {{where}}),
    visited AS MATERIALIZED (
        SELECT w.*, (SELECT f.id FROM followups f
                      WHERE f.ticket_id = w.id AND f.resolved_at >= w.done_at
                      ORDER BY f.resolved_at DESC LIMIT 1) AS visit_id
          FROM waiting w)"""


# A waiting ticket (`v`) whose visit (`f`, none if NULL) went unanswered since before a
# moment (`Tx.awaiting_closure`'s `unanswered_before`): asked before it (`swept_at`: when the
# question went out, the first time or late, once the reporter wrote one to one), or never
# sent (the reporter unreachable, the visit cancelled, none scheduled: visits off, a report
# of the desk's own) for a resolution made before it.  Pending (still to be asked) and rated
# visits are neither.  Its parameters: `_unanswered_params`.
_UNANSWERED = """((f.state = ? AND f.swept_at <= ?)
                 OR ((f.id IS NULL OR f.state IN (?, ?)) AND v.done_at <= ?))"""


def _unanswered_params(before: str) -> tuple[str, ...]:
    """`_UNANSWERED`'s parameters: the followups table's states (`FollowUpState`) and the
    moment."""
    return ("asked", before, "unreachable", "cancelled", before)


def awaiting_closure_sql(where: str, ratings: int, unanswered: bool = False) -> str:
    """The list of resolved tickets waiting to be closed, the earliest resolution first,
    with their visits' state and answer: of the scope `where` (`_in_area`'s condition, its
    parameters first), with `ratings` > 0 only those whose visit was answered with one of
    that many ratings (their parameters next), with `unanswered` only those whose visit went
    unanswered (`_UNANSWERED`, its parameters next); the limit last."""
    rated = f"AND f.rating IN ({_marks(range(ratings))})" if ratings else ""
    since = f"AND {_UNANSWERED}" if unanswered else ""
    return f"""{_AWAITING_CLOSURE.format(where=where)}
        SELECT v.*, f.state AS visit_state, f.rating AS visit_rating
          FROM visited v LEFT JOIN followups f ON f.id = v.visit_id
         WHERE 1 = 1 {rated} {since}
         ORDER BY v.done_at, v.id LIMIT ?"""


def _queue_scope(area: str | None, department: str | None | Keep) -> tuple[str, list[Any]]:
    """The condition (on tickets) and its parameters for a queue (`Tx.queue`): the tickets
    nobody holds, `area`'s (None: every area's), and with `department` only that
    department's (None: the grid's own, handed to no department and not about the desk's
    own people, 作风反映, which the grid is kept from; `Keep.KEEP`: whoever's)."""
    where, params = "status IN ('new', 'reopened')", list[Any]()
    if area is not None:
        where, params = f"{where} AND area = ?", [area]
    if department is None:
        condition, pattern = not_about_the_desk("rules")
        where += f" AND department IS NULL AND {condition}"
        params.extend(pattern)
    elif not isinstance(department, Keep):
        where += " AND department = ?"
        params.append(department)
    return where, params


def _clock_start(actions: Sequence[str]) -> str:
    """A ticket's clock start: its latest event among `actions`, else its filing time."""
    return f"{_clock_start_of(actions, 'tickets')} AS since"


class QueuesSQL(SQLBase):
    """Work lists: closure, queue, search, supervision."""

    async def awaiting_closure(
        self,
        area: str | None,
        department: str | None,
        limit: int,
        ratings: Sequence[str] = (),
        unanswered_before: str | None = None,
    ) -> list[AwaitingClosure]:
        where, params = _in_area(area, department)
        since = () if unanswered_before is None else _unanswered_params(unanswered_before)
        rows = await self._all(
            awaiting_closure_sql(where, len(ratings), unanswered_before is not None),
            (*params, *ratings, *since, limit),
        )
        return [
            AwaitingClosure(_ticket(r), r["done_at"], r["visit_state"], r["visit_rating"])
            for r in rows
        ]

    async def awaiting_closure_counts(
        self,
        area: str | None,
        department: str | None,
        ratings: Sequence[str],
        unanswered_before: str | None = None,
    ) -> ClosureCounts:
        where, params = _in_area(area, department)
        rated = f"f.rating IN ({_marks(ratings)})" if ratings else "1 = 0"
        unanswered = "1 = 0" if unanswered_before is None else _UNANSWERED
        since = () if unanswered_before is None else _unanswered_params(unanswered_before)
        row = await self._one(
            f"""{_AWAITING_CLOSURE.format(where=where)}
                SELECT COUNT(*) AS waiting,
                       COALESCE(SUM(CASE WHEN {rated} THEN 1 ELSE 0 END), 0) AS rated,
                       COALESCE(SUM(CASE WHEN {unanswered} THEN 1 ELSE 0 END), 0) AS unanswered,
                       COALESCE(SUM(CASE WHEN {unanswered} AND v.withdrawn = 1 THEN 1 ELSE 0 END),
                                0) AS withdrawn
                  FROM visited v LEFT JOIN followups f ON f.id = v.visit_id""",
            (*params, *ratings, *since, *since),
        )
        if row is None:
            return ClosureCounts(0, 0, 0)
        return ClosureCounts(int(row["waiting"]), int(row["rated"]), int(row["unanswered"]),
                             int(row["withdrawn"]))

    async def queue(
        self, area: str | None, limit: int, department: str | None | Keep = Keep.KEEP
    ) -> list[TicketRecord]:
        where, params = _queue_scope(area, department)
        rows = await self._all(
            f"""SELECT {_TICKET_COLUMNS} FROM tickets WHERE {where}
                ORDER BY {_URGENCY_ORDER}, created_at, id LIMIT ?""",
            [*params, limit],
        )
        return [_ticket(r) for r in rows]

    async def queue_count(self, area: str | None, department: str | None | Keep = Keep.KEEP) -> int:
        where, params = _queue_scope(area, department)
        row = await self._one(
            f"SELECT COUNT(*) AS n FROM tickets WHERE {where}",
            params,
        )
        return int(row["n"]) if row else 0

    async def search_tickets(self, search: TicketSearch) -> list[TicketRecord]:
        # Newest first by the primary key, so a common word stops at the first `limit`
        # matches; a word found nowhere reads the whole table (README, Performance).
        like = _CONTAINS[self.dialect]
        event_text = _EVENT_TEXT[self.dialect]
        # An anonymous report (匿名反映) is not found by its reporter's name but by staff.
        named = "" if search.anonymous_named else "t.anonymous = 0 AND "
        # Not the words of an event marked as kept from the searcher (`words_kept`): its
        # mark is a key of the payload, found as the rules' marks are (`not_about_the_desk`).
        kept = f" AND NOT {like.format('e.payload')}" if search.words_kept else ""
        # One pass over the history per word (IN), not a look-up per ticket (EXISTS): a
        # word found nowhere costs 40 instead of 65 ms at 20,000 tickets (bench_reports).
        one_term = f"""({like.format("t.text")}
            OR {like.format("COALESCE(t.resolution, '')")}
            OR {named}EXISTS (SELECT 1 FROM people p WHERE p.id = t.reporter_id
                          AND {like.format("p.display_name")})
            OR t.id IN (SELECT e.ticket_id FROM ticket_events e
                         WHERE {like.format("e.payload")} AND {like.format(event_text)}{kept}))"""
        # Whose tickets first: the cheap test, before any text is read.
        where: list[str] = []
        params: list[Any] = []
        if search.department is not None:
            where.append(
                f"""(t.department = ? OR t.assignee_id = ? OR t.reporter_id = ?
                     OR {_ASSISTED_BY.format("t.assisting")})"""
            )
            params += [search.department, search.or_person, search.or_person]
            params.append(like_pattern(f" {search.department} "))
        elif search.area is not None and search.or_person is not None:
            where.append("(t.area = ? OR t.assignee_id = ? OR t.reporter_id = ?)")
            params += [search.area, search.or_person, search.or_person]
        elif search.area is not None:
            where.append("t.area = ?")
            params.append(search.area)
        where += [one_term] * len(search.terms)
        for term in search.terms:
            pattern = like_pattern(term)
            # The raw JSON first (half the time of parsing every payload); it holds the
            # text as written unless the term has a character JSON escapes.
            raw = "%" if any(c in term for c in '"\\') or not term.isprintable() else pattern
            params += [pattern, pattern, pattern, raw, pattern]
            if search.words_kept:
                params.append(like_pattern(f'"{search.words_kept}"'))
        rows = await self._all(
            f"""SELECT {_TICKET_COLUMNS} FROM tickets t WHERE {" AND ".join(where)}
                ORDER BY t.id DESC LIMIT ?""",
            (*params, search.limit),
        )
        return [_ticket(r) for r in rows]

    async def supervised(
        self, statuses: Sequence[str], clock_starts: Sequence[str]
    ) -> list[ClockedTicket]:
        rows = await self._all(
            f"""SELECT {_TICKET_COLUMNS}, {_clock_start(clock_starts)} FROM tickets
                WHERE status IN ({_marks(statuses)}) ORDER BY id""",
            (*clock_starts, *statuses),
        )
        return [ClockedTicket(_ticket(r), r["since"]) for r in rows]

    async def supervised_ticket(
        self, ticket_id: int, clock_starts: Sequence[str]
    ) -> ClockedTicket | None:
        row = await self._one(
            f"SELECT {_TICKET_COLUMNS}, {_clock_start(clock_starts)} FROM tickets WHERE id = ?",
            (*clock_starts, ticket_id),
        )
        return ClockedTicket(_ticket(row), row["since"]) if row else None

    async def supervised_among(
        self, ticket_ids: Sequence[int], statuses: Sequence[str], clock_starts: Sequence[str]
    ) -> list[ClockedTicket]:
        found: list[ClockedTicket] = []
        for chunk in _chunks(ticket_ids):
            rows = await self._all(
                f"""SELECT {_TICKET_COLUMNS}, {_clock_start(clock_starts)} FROM tickets
                    WHERE id IN ({_marks(chunk)}) AND status IN ({_marks(statuses)})
                    ORDER BY id""",
                (*clock_starts, *chunk, *statuses),
            )
            found += [ClockedTicket(_ticket(r), r["since"]) for r in rows]
        return found

    async def supervised_stamps(self, statuses: Sequence[str]) -> dict[int, Stamp]:
        rows = await self._all(
            f"""SELECT id, status, updated_at, urgency, resolve_limit, assignee_id FROM tickets
                WHERE status IN ({_marks(statuses)})""",
            tuple(statuses),
        )
        return {
            int(r["id"]): (
                r["status"], r["updated_at"], r["urgency"], r["resolve_limit"], r["assignee_id"]
            )
            for r in rows
        }

    async def once_keys(
        self, statuses: Sequence[str], ticket_ids: Sequence[int] | None = None
    ) -> set[tuple[int, str]]:
        sql = f"""SELECT e.ticket_id, e.once_key FROM ticket_events e
                    JOIN tickets t ON t.id = e.ticket_id
                   WHERE e.once_key IS NOT NULL AND t.status IN ({_marks(statuses)})"""
        if ticket_ids is None:
            rows = await self._all(sql, tuple(statuses))
            return {(int(r["ticket_id"]), r["once_key"]) for r in rows}
        found: set[tuple[int, str]] = set()
        for chunk in _chunks(ticket_ids):
            rows = await self._all(
                f"{sql} AND e.ticket_id IN ({_marks(chunk)})", (*statuses, *chunk)
            )
            found |= {(int(r["ticket_id"]), r["once_key"]) for r in rows}
        return found
