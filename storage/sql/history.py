"""Each ticket's history (`ticket_events`): every claim, note, resolution and reminder,
written once (`add_event_once` by its once-key) and read back for one ticket or many.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from storage.base import EventRecord
from storage.sql.base import SQLBase
from storage.sql.common import Row, _chunks, _marks

_EVENT_COLUMNS = """e.id, e.ticket_id, e.actor_id, p.display_name AS actor_name, e.action,
                      e.at, e.payload"""


def _event(r: Row) -> EventRecord:
    return EventRecord(
        r["id"],
        r["ticket_id"],
        r["actor_id"],
        r["actor_name"],
        r["action"],
        r["at"],
        json.loads(r["payload"]),
    )


# The mediation sessions' events (调解: `bot.mediation.EVENTS`), as the partial index
# `ticket_events_mediation` (migration 0037) names them.
_MEDIATION_ACTIONS = "e.action IN ('mediation', 'mediation_cancelled', 'mediation_reminded')"

class HistorySQL(SQLBase):
    """The ticket_events table."""

    async def add_event(
        self, ticket_id: int, actor_id: int | None, action: str, at: str, payload: dict[str, Any]
    ) -> int:
        row = await self._one(
            "INSERT INTO ticket_events (ticket_id, actor_id, action, at, payload) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            (ticket_id, actor_id, action, at, json.dumps(payload, ensure_ascii=False)),
        )
        assert row is not None
        return int(row["id"])

    async def add_event_once(
        self,
        ticket_id: int,
        actor_id: int | None,
        action: str,
        at: str,
        payload: dict[str, Any],
        once_key: str,
    ) -> bool:
        row = await self._one(
            """INSERT INTO ticket_events (ticket_id, actor_id, action, at, payload, once_key)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (ticket_id, once_key) DO NOTHING
               RETURNING id""",
            (
                ticket_id,
                actor_id,
                action,
                at,
                json.dumps(payload, ensure_ascii=False),
                once_key,
            ),
        )
        return row is not None

    async def events(self, ticket_id: int) -> list[EventRecord]:
        rows = await self._all(
            f"""SELECT {_EVENT_COLUMNS}
                 FROM ticket_events e LEFT JOIN people p ON p.id = e.actor_id
                WHERE e.ticket_id = ? ORDER BY e.id""",
            (ticket_id,),
        )
        return [_event(r) for r in rows]

    async def events_among(
        self, ticket_ids: Sequence[int], actions: Sequence[str]
    ) -> list[EventRecord]:
        # Each ticket's events by `ticket_events_ticket` (ticket_id, id): a few dozen rows
        # a ticket, however big the table.
        found: list[EventRecord] = []
        for chunk in _chunks(ticket_ids):
            rows = await self._all(
                f"""SELECT {_EVENT_COLUMNS}
                     FROM ticket_events e LEFT JOIN people p ON p.id = e.actor_id
                    WHERE e.ticket_id IN ({_marks(chunk)}) AND e.action IN ({_marks(actions)})
                    ORDER BY e.ticket_id, e.id""",
                (*chunk, *actions),
            )
            found += [_event(r) for r in rows]
        return found

    async def mediation_events(
        self, statuses: Sequence[str], reporter_id: int | None = None
    ) -> list[EventRecord]:
        # From the few mediation events (`ticket_events_mediation`, migration 0037) to their
        # tickets, not from every open ticket to its history (`events_of_kind`: 182 ms at a
        # province's 64,000 open tickets, and every sweep reads these).  The actions are
        # written out as the index's condition is, or SQLite cannot tell it applies.
        rows = await self._all(
            f"""SELECT {_EVENT_COLUMNS}
                 FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
                 LEFT JOIN people p ON p.id = e.actor_id
                WHERE {_MEDIATION_ACTIONS} AND t.status IN ({_marks(statuses)})
                      {"" if reporter_id is None else "AND t.reporter_id = ?"}
                ORDER BY e.ticket_id, e.id""",
            (*statuses, *([] if reporter_id is None else [reporter_id])),
        )
        return [_event(r) for r in rows]

    async def events_of_kind(
        self, actions: Sequence[str], statuses: Sequence[str]
    ) -> list[EventRecord]:
        # From the tickets to their events (CROSS JOIN fixes SQLite's order; PostgreSQL
        # plans it as the join it is): the open tickets are few beside a province's
        # events, and each ticket's are found by `ticket_events_ticket`, no index more.
        rows = await self._all(
            f"""SELECT {_EVENT_COLUMNS}
                 FROM tickets t CROSS JOIN ticket_events e
                 LEFT JOIN people p ON p.id = e.actor_id
                WHERE e.ticket_id = t.id AND t.status IN ({_marks(statuses)})
                  AND e.action IN ({_marks(actions)})
                ORDER BY e.ticket_id, e.id""",
            (*statuses, *actions),
        )
        return [_event(r) for r in rows]
