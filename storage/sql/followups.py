"""Follow-up visits (回访): the question a reporter is asked after a resolution, when
it is due and sent, and the rating the answer gave (or a staff correction of it).
"""

from __future__ import annotations

from collections.abc import Sequence

from storage.base import FollowUpRecord, TicketRecord
from storage.sql.base import SQLBase
from storage.sql.common import _MERGED, _TICKET_COLUMNS, Row, _marks, _ticket

_FOLLOWUP_COLUMNS = (
    "id, ticket_id, resolved_at, due_at, state, swept_at, rating, rated_at, rated_via"
)
# followups.rated_via: a rating read from everyday words, and one corrected since.
_WORDS, _CORRECTED = "words", "correction"


def _followup(row: Row) -> FollowUpRecord:
    return FollowUpRecord(*(row[key] for key in _FOLLOWUP_COLUMNS.split(", ")))


class FollowupsSQL(SQLBase):
    """The followups table."""

    async def schedule_followup(self, ticket_id: int, resolved_at: str, due_at: str) -> None:
        await self._run(
            """INSERT INTO followups (ticket_id, resolved_at, due_at) VALUES (?, ?, ?)
               ON CONFLICT (ticket_id, resolved_at) DO NOTHING""",
            (ticket_id, resolved_at, due_at),
        )

    async def due_followups(self, now: str, limit: int) -> list[FollowUpRecord]:
        rows = await self._all(
            f"""SELECT {_FOLLOWUP_COLUMNS} FROM followups
                WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?""",
            (now, limit),
        )
        return [_followup(r) for r in rows]

    async def postpone_followup(self, followup_id: int, due_at: str) -> bool:
        row = await self._one(
            """UPDATE followups SET due_at = ?
                WHERE id = ? AND state = 'pending' RETURNING id""",
            (due_at, followup_id),
        )
        return row is not None

    async def latest_followup(self, ticket_id: int) -> FollowUpRecord | None:
        row = await self._one(
            f"SELECT {_FOLLOWUP_COLUMNS} FROM followups WHERE ticket_id = ? "
            "ORDER BY id DESC LIMIT 1",
            (ticket_id,),
        )
        return _followup(row) if row else None

    async def tickets_awaiting_rating(
        self, reporter_id: int, ticket_states: Sequence[str], followup_states: Sequence[str],
        limit: int, correctable: Sequence[str] = (),
    ) -> list[TicketRecord]:
        corrects = (
            f" OR f.state = 'rated' AND f.rated_via = ? AND f.rating IN ({_marks(correctable)})"
            if correctable else ""
        )
        rows = await self._all(
            f"""SELECT {_TICKET_COLUMNS} FROM tickets
                 WHERE reporter_id = ?
                   AND (CASE WHEN status = '{_MERGED}'
                             THEN (SELECT c.status FROM tickets c WHERE c.id = tickets.merged_into)
                             ELSE status END) IN ({_marks(ticket_states)})
                   AND EXISTS (SELECT 1 FROM followups f
                                WHERE f.id = (SELECT MAX(g.id) FROM followups g
                                               WHERE g.ticket_id = tickets.id)
                                  AND (f.state IN ({_marks(followup_states)}){corrects}))
                 ORDER BY id DESC LIMIT ?""",
            (
                reporter_id, *ticket_states, *followup_states,
                *((_WORDS, *correctable) if correctable else ()), limit,
            ),
        )
        return [_ticket(r) for r in rows]

    async def sweep_followup(
        self, followup_id: int, to_state: str, at: str, from_state: str = "pending"
    ) -> bool:
        row = await self._one(
            """UPDATE followups SET state = ?, swept_at = ?
                WHERE id = ? AND state = ? RETURNING id""",
            (to_state, at, followup_id, from_state),
        )
        return row is not None

    async def rate_followup(
        self, followup_id: int, from_states: Sequence[str], rating: str, at: str,
        via: str | None = None,
    ) -> bool:
        row = await self._one(
            f"""UPDATE followups SET state = 'rated', rating = ?, rated_at = ?, rated_via = ?
                 WHERE id = ? AND state IN ({_marks(from_states)}) RETURNING id""",
            (rating, at, via, followup_id, *from_states),
        )
        return row is not None

    async def correct_rating(
        self, followup_id: int, from_ratings: Sequence[str], rating: str, at: str
    ) -> bool:
        # The condition is on the row itself: a second correction waits for the first's lock
        # (PostgreSQL re-reads the row then; SQLite writes one at a time) and finds it taken.
        row = await self._one(
            f"""UPDATE followups SET rating = ?, rated_at = ?, rated_via = ?
                 WHERE id = ? AND state = 'rated' AND rated_via = ?
                   AND rating IN ({_marks(from_ratings)}) RETURNING id""",
            (rating, at, _CORRECTED, followup_id, _WORDS, *from_ratings),
        )
        return row is not None
