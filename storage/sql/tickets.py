"""The tickets themselves: filing one, its status changes (`transition`), the facts
staff set on it (limit, marks, 转办 and 协办, major case, parts told later, new labels),
its attachments, and the look-ups of a person's or a room's tickets.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.adapters.base import Attachment
from storage.base import AlreadyFiled, Keep, NewTicket, TicketRecord
from storage.sql.base import SQLBase
from storage.sql.common import (
    _ASSISTED_BY,
    _MERGED,
    _OPEN,
    _TICKET_COLUMNS,
    _URGENCY_ORDER,
    _chunks,
    _marks,
    _ticket,
    like_pattern,
)


def _bit(value: bool | None) -> int | None:
    """The other way: a record's flag as its nullable 0/1 column."""
    return None if value is None else int(value)


class TicketsSQL(SQLBase):
    """The tickets table and its attachments."""

    async def create_ticket(self, ticket: NewTicket) -> TicketRecord:
        # The next number from one counter row, in this transaction (migration 0024): none
        # skipped by a filing rolled back, none given twice; on PostgreSQL the row's lock
        # makes a second process filing at once wait the few milliseconds to this commit.
        number = await self._one("UPDATE ticket_numbers SET last = last + 1 RETURNING last")
        assert number is not None
        row = await self._one(
            f"""INSERT INTO tickets (id, channel, chat_id, message_id, area, reporter_id, text,
                    type, type_confidence, urgency, urgency_confidence, rules, needs_triage,
                    created_at, updated_at, people_involved, amount_involved, source, thread_id,
                    anonymous)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (chat_id, message_id) WHERE channel = 'hotline' DO NOTHING
                RETURNING {_TICKET_COLUMNS}""",
            (
                number["last"],
                ticket.channel,
                ticket.chat_id,
                ticket.message_id,
                ticket.area,
                ticket.reporter_id,
                ticket.text,
                ticket.type,
                ticket.type_confidence,
                ticket.urgency,
                ticket.urgency_confidence,
                json.dumps(list(ticket.rules), ensure_ascii=False),
                int(ticket.needs_triage),
                ticket.created_at,
                ticket.created_at,
                ticket.people_involved,
                ticket.amount_involved,
                ticket.source,
                ticket.thread_id,
                int(ticket.anonymous),
            ),
        )
        if row is None:
            # A hotline order filed since the caller looked (`hotline_ticket`): another
            # import's, committed; PostgreSQL's READ COMMITTED shows it to this statement.
            earlier = await self.hotline_ticket(ticket.chat_id, ticket.message_id)
            assert earlier is not None
            raise AlreadyFiled(earlier)
        return _ticket(row)

    async def hotline_ticket(self, platform: str, number: str) -> int | None:
        # By the partial unique index `tickets_hotline_number` (migration 0036).
        row = await self._one(
            """SELECT id FROM tickets
                WHERE channel = 'hotline' AND chat_id = ? AND message_id = ?""",
            (platform, number),
        )
        return int(row["id"]) if row else None

    async def ticket(self, ticket_id: int, lock: bool = False) -> TicketRecord | None:
        # Under READ COMMITTED a command read the ticket, another message's transaction
        # (PostgreSQL handles several at once, in one process or more) claimed, assigned or
        # resolved it and committed, and the command's conditional update, which checks the
        # status alone, went ahead on what it had read: a claim overwritten by an assignment
        # nobody heard of, a resolution of a ticket just assigned to another.  The lock an
        # UPDATE takes (not FOR UPDATE: an event's foreign key check still passes), taken at
        # the read instead.
        locked = " FOR NO KEY UPDATE" if lock and self.dialect == "postgres" else ""
        row = await self._one(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE id = ?{locked}", (ticket_id,)
        )
        return _ticket(row) if row else None

    async def transition(
        self,
        ticket_id: int,
        from_statuses: Sequence[str],
        to_status: str,
        at: str,
        assignee_id: int | None,
        resolution: str | None = None,
        merged_into: int | None = None,
        department: str | None | Keep = Keep.KEEP,
    ) -> TicketRecord | None:
        marks = ", ".join("?" for _ in from_statuses)
        keep = department is Keep.KEEP
        # `status` on the right of SET is the status before the move.
        row = await self._one(
            f"""UPDATE tickets SET status = ?, assignee_id = ?, updated_at = ?,
                       resolution = CASE WHEN status = '{_MERGED}' THEN CAST(? AS TEXT)
                                         ELSE COALESCE(?, resolution) END,
                       merged_into = ?,
                       department = CASE WHEN ? THEN department ELSE CAST(? AS TEXT) END
                WHERE id = ? AND status IN ({marks})
                RETURNING {_TICKET_COLUMNS}""",
            (to_status, assignee_id, at, resolution, resolution, merged_into, keep,
             None if isinstance(department, Keep) else department, ticket_id, *from_statuses),
        )
        return _ticket(row) if row else None

    async def merged_tickets(self, ticket_id: int) -> list[TicketRecord]:
        rows = await self._all(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE merged_into = ? ORDER BY id",
            (ticket_id,),
        )
        return [_ticket(row) for row in rows]

    async def set_resolve_limit(self, ticket_id: int, limit: str | None, at: str) -> None:
        await self._run(
            "UPDATE tickets SET resolve_limit = ?, updated_at = ? WHERE id = ?",
            (limit, at, ticket_id),
        )

    async def set_resolution_marks(
        self, ticket_id: int, late: bool | None, settled: bool | None
    ) -> None:
        await self._run(
            "UPDATE tickets SET resolved_late = ?, settled = ? WHERE id = ?",
            (_bit(late), _bit(settled), ticket_id),
        )

    async def set_withdrawn(self, ticket_id: int, withdrawn: bool) -> None:
        await self._run(
            "UPDATE tickets SET withdrawn = ? WHERE id = ?", (int(withdrawn), ticket_id)
        )

    async def set_anonymous(self, ticket_id: int) -> None:
        await self._run("UPDATE tickets SET anonymous = 1 WHERE id = ?", (ticket_id,))

    async def set_assisting(
        self, ticket_id: int, department: str, assisting: bool, at: str
    ) -> TicketRecord | None:
        listed = _ASSISTED_BY.format("assisting")
        if assisting:
            change, where = "TRIM(assisting || ' ' || ?)", f"NOT {listed}"
            value = department
        else:
            change, where = "TRIM(REPLACE(' ' || assisting || ' ', ?, ' '))", listed
            value = f" {department} "
        rows = await self._all(
            f"""UPDATE tickets SET assisting = {change}, updated_at = ?
                 WHERE id = ? AND {where} RETURNING {_TICKET_COLUMNS}""",
            (value, at, ticket_id, like_pattern(f" {department} ")),
        )
        return _ticket(rows[0]) if rows else None

    async def tickets_assisted_by(self, department: str, limit: int) -> list[TicketRecord]:
        rows = await self._all(
            f"""SELECT {_TICKET_COLUMNS} FROM tickets
                WHERE status IN {_OPEN} AND assisting <> ''
                  AND {_ASSISTED_BY.format("assisting")}
                ORDER BY {_URGENCY_ORDER}, created_at LIMIT ?""",
            (like_pattern(f" {department} "), limit),
        )
        return [_ticket(r) for r in rows]

    async def set_major(self, ticket_id: int, major: bool, at: str) -> TicketRecord | None:
        rows = await self._all(
            f"""UPDATE tickets SET major = ?, updated_at = ? WHERE id = ? AND major <> ?
                RETURNING {_TICKET_COLUMNS}""",
            (int(major), at, ticket_id, int(major)),
        )
        return _ticket(rows[0]) if rows else None

    async def set_involved(
        self, ticket_id: int, people: int | None | Keep, amount: int | None | Keep, at: str
    ) -> TicketRecord | None:
        sets: list[str] = ["updated_at = ?"]
        params: list[object] = [at]
        for column, value in (("people_involved", people), ("amount_involved", amount)):
            if not isinstance(value, Keep):
                sets.append(f"{column} = ?")  # one of the two names above, never input
                params.append(value)
        rows = await self._all(
            f"""UPDATE tickets SET {", ".join(sets)} WHERE id = ?
                RETURNING {_TICKET_COLUMNS}""",
            (*params, ticket_id),
        )
        return _ticket(rows[0]) if rows else None

    async def major_tickets(self, limit: int) -> list[TicketRecord]:
        rows = await self._all(
            f"""SELECT {_TICKET_COLUMNS} FROM tickets
                WHERE major = 1 AND status IN {_OPEN}
                ORDER BY id LIMIT ?""",
            (limit,),
        )
        return [_ticket(r) for r in rows]

    async def set_area(
        self, ticket_id: int, area: str, at: str, clear_triage: bool
    ) -> TicketRecord | None:
        triage = "0" if clear_triage else "needs_triage"
        rows = await self._all(
            f"""UPDATE tickets SET area = ?, needs_triage = {triage}, updated_at = ?
                 WHERE id = ? RETURNING {_TICKET_COLUMNS}""",
            (area, at, ticket_id),
        )
        return _ticket(rows[0]) if rows else None

    async def retag(
        self, ticket_id: int, type: str, urgency: str, at: str, rules: Sequence[str] | None = None
    ) -> None:
        hits = None if rules is None else json.dumps(list(rules), ensure_ascii=False)
        await self._run(
            """UPDATE tickets SET type = ?, urgency = ?, type_confidence = 1.0,
                   urgency_confidence = 1.0, needs_triage = 0, rules = COALESCE(?, rules),
                   updated_at = ? WHERE id = ?""",
            (type, urgency, hits, at, ticket_id),
        )

    async def typed_from_words(
        self,
        ticket_id: int,
        type: str,
        type_confidence: float,
        urgency: str,
        urgency_confidence: float,
        rules: Sequence[str],
        at: str,
    ) -> TicketRecord | None:
        rows = await self._all(
            f"""UPDATE tickets SET type = ?, type_confidence = ?, urgency = ?,
                   urgency_confidence = ?, rules = ?, needs_triage = 0, updated_at = ?
                 WHERE id = ? AND needs_triage = 1 RETURNING {_TICKET_COLUMNS}""",
            (
                type, type_confidence, urgency, urgency_confidence,
                json.dumps(list(rules), ensure_ascii=False), at, ticket_id,
            ),
        )
        return _ticket(rows[0]) if rows else None

    async def raise_urgency(
        self, ticket_id: int, urgency: str, rules: Sequence[str], at: str
    ) -> None:
        await self._run(
            "UPDATE tickets SET urgency = ?, rules = ?, updated_at = ? WHERE id = ?",
            (urgency, json.dumps(list(rules), ensure_ascii=False), at, ticket_id),
        )

    async def add_part(self, ticket_id: int, text: str) -> TicketRecord | None:
        row = await self._one(
            f"""UPDATE tickets SET parts = CASE WHEN parts = '' THEN ? ELSE parts || ? END
                 WHERE id = ? RETURNING {_TICKET_COLUMNS}""",
            (text, "\n" + text, ticket_id),
        )
        return _ticket(row) if row else None

    async def tickets_among(self, ticket_ids: Sequence[int]) -> list[TicketRecord]:
        found: list[TicketRecord] = []
        for chunk in _chunks(ticket_ids):
            rows = await self._all(
                f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE id IN ({_marks(chunk)}) ORDER BY id",
                tuple(chunk),
            )
            found += [_ticket(r) for r in rows]
        return found

    async def add_attachments(
        self, ticket_id: int, inbound_id: int, attachments: Sequence[Attachment]
    ) -> None:
        await self._run_many(
            "INSERT INTO attachments (ticket_id, inbound_id, kind, ref, note) "
            "VALUES (?, ?, ?, ?, ?)",
            [(ticket_id, inbound_id, a.kind, a.ref, a.note) for a in attachments],
        )

    async def move_attachments(self, from_ticket: int, to_ticket: int) -> None:
        await self._run(
            "UPDATE attachments SET ticket_id = ? WHERE ticket_id = ?", (to_ticket, from_ticket)
        )

    async def attachments(self, ticket_id: int) -> list[Attachment]:
        rows = await self._all(
            "SELECT kind, ref, note FROM attachments WHERE ticket_id = ? ORDER BY id", (ticket_id,)
        )
        return [Attachment(r["kind"], r["ref"], r["note"]) for r in rows]

    async def tickets_reported_since(self, person_id: int, since: str) -> int:
        row = await self._one(
            "SELECT COUNT(*) AS n FROM tickets WHERE reporter_id = ? AND created_at >= ?",
            (person_id, since),
        )
        return int(row["n"]) if row else 0

    async def tickets_reported_by(self, person_id: int, limit: int) -> list[TicketRecord]:
        rows = await self._all(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE reporter_id = ? ORDER BY id DESC LIMIT ?",
            (person_id, limit),
        )
        return [_ticket(r) for r in rows]

    async def recent_tickets_in_room(
        self, channel: str, chat_id: str, type_: str | None, since: str, look_back: int,
        limit: int,
    ) -> list[TicketRecord]:
        # The newest ids as a range of the primary key (ids only grow), not a sort.
        of_type, args = ("AND type = ?", (type_,)) if type_ is not None else ("", ())
        rows = await self._all(
            f"""SELECT {_TICKET_COLUMNS} FROM tickets
                 WHERE id > (SELECT COALESCE(MAX(id), 0) FROM tickets) - ?
                   AND channel = ? AND chat_id = ? {of_type} AND created_at >= ?
                 ORDER BY id DESC LIMIT ?""",
            (look_back, channel, chat_id, *args, since, limit),
        )
        return [_ticket(r) for r in rows]

    async def tickets_held_by(self, person_id: int, limit: int) -> list[TicketRecord]:
        rows = await self._all(
            f"""SELECT {_TICKET_COLUMNS} FROM tickets
                WHERE assignee_id = ? AND status = 'claimed'
                ORDER BY {_URGENCY_ORDER}, created_at LIMIT ?""",
            (person_id, limit),
        )
        return [_ticket(r) for r in rows]
