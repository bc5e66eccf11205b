"""The SQLite implementation of `storage.base.Store`, over aiosqlite.

One connection, one asyncio lock: SQLite has one writer anyway, and serialising in the
process means a write never meets "database is locked".  Writes start with BEGIN
IMMEDIATE so a transaction that reads and then writes cannot be upgraded too late.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from bot.adapters.base import Attachment, Button, Outbound
from storage.base import EventRecord, InboundRecord, NewTicket, PersonRecord, TicketRecord

_TICKET_COLUMNS = (
    "id, channel, chat_id, message_id, area, reporter_id, text, type, type_confidence, urgency, "
    "urgency_confidence, rules, needs_triage, status, assignee_id, resolution, created_at, "
    "updated_at"
)
_PERSON_COLUMNS = "id, channel, user_id, display_name, role, area, lang"
# Queue order: most urgent first.  Unknown urgencies (e.g. "unclassified") sort with normal.
_URGENCY_ORDER = "CASE urgency WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'low' THEN 3 ELSE 2 END"


def migrations() -> list[tuple[int, str]]:
    """(version, sql) for every file in storage/migrations, in order."""
    found = []
    for item in resources.files("storage.migrations").iterdir():
        if item.name.endswith(".sql"):
            found.append((int(item.name.split("_", 1)[0]), item.read_text(encoding="utf-8")))
    return sorted(found)


def _ticket(row: sqlite3.Row) -> TicketRecord:
    return TicketRecord(
        id=row["id"],
        channel=row["channel"],
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        area=row["area"],
        reporter_id=row["reporter_id"],
        text=row["text"],
        type=row["type"],
        type_confidence=row["type_confidence"],
        urgency=row["urgency"],
        urgency_confidence=row["urgency_confidence"],
        rules=tuple(json.loads(row["rules"])),
        needs_triage=bool(row["needs_triage"]),
        status=row["status"],
        assignee_id=row["assignee_id"],
        resolution=row["resolution"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _person(row: sqlite3.Row) -> PersonRecord:
    return PersonRecord(
        id=row["id"],
        channel=row["channel"],
        user_id=row["user_id"],
        display_name=row["display_name"],
        role=row["role"],
        area=row["area"],
        lang=row["lang"],
    )


_INBOUND_SELECT = """SELECT m.id, m.channel, m.chat_id, m.platform_message_id, m.sender_id,
           COALESCE(NULLIF(p.display_name, ''), p.user_id) AS sender_name, m.text,
           m.received_at, m.disposition
      FROM inbound_messages m JOIN people p ON p.id = m.sender_id"""


def _inbound(row: sqlite3.Row) -> InboundRecord:
    return InboundRecord(*(row[key] for key in row.keys()))  # noqa: SIM118 (sqlite3.Row)


def _outbound(row: sqlite3.Row) -> Outbound:
    return Outbound(
        id=row["id"],
        channel=row["channel"],
        chat_id=row["chat_id"],
        text=row["text"],
        reply_to_message_id=row["reply_to_message_id"],
        buttons=[Button(label, command) for label, command in json.loads(row["buttons"])],
        edit_message_id=row["edit_message_id"],
        ticket_id=row["ticket_id"],
        kind=row["kind"],
        attempts=row["attempts"],
    )


class SQLiteTx:
    """`storage.base.Tx` on one aiosqlite connection; see that protocol for the contract."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        async with self._db.execute(sql, params) as cursor:
            row: sqlite3.Row | None = await cursor.fetchone()
            return row

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        async with self._db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    # people -------------------------------------------------------------------------
    async def person(self, person_id: int) -> PersonRecord | None:
        row = await self._one(f"SELECT {_PERSON_COLUMNS} FROM people WHERE id = ?", (person_id,))
        return _person(row) if row else None

    async def person_by_platform(self, channel: str, user_id: str) -> PersonRecord | None:
        row = await self._one(
            f"SELECT {_PERSON_COLUMNS} FROM people WHERE channel = ? AND user_id = ?",
            (channel, user_id),
        )
        return _person(row) if row else None

    async def upsert_person(
        self, channel: str, user_id: str, display_name: str, role: str, area: str | None, at: str
    ) -> PersonRecord:
        # A new person gets `role`/`area`; a known one keeps theirs and only their name
        # is refreshed (people rename themselves; roles change only through /grant).
        row = await self._one(
            f"""INSERT INTO people (channel, user_id, display_name, role, area, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (channel, user_id) DO UPDATE SET
                    display_name = CASE WHEN excluded.display_name = '' THEN display_name
                                        ELSE excluded.display_name END
                RETURNING {_PERSON_COLUMNS}""",
            (channel, user_id, display_name, role, area, at),
        )
        assert row is not None
        return _person(row)

    async def find_people(self, channel: str, query: str) -> list[PersonRecord]:
        query = query.removeprefix("@")
        rows = await self._all(
            f"""SELECT {_PERSON_COLUMNS} FROM people
                WHERE channel = ? AND (user_id = ? OR display_name = ?) ORDER BY id""",
            (channel, query, query),
        )
        return [_person(r) for r in rows]

    async def set_role(self, person_id: int, role: str, area: str | None) -> None:
        await self._db.execute(
            "UPDATE people SET role = ?, area = COALESCE(?, area) WHERE id = ?",
            (role, area, person_id),
        )

    async def set_lang(self, person_id: int, lang: str) -> None:
        await self._db.execute("UPDATE people SET lang = ? WHERE id = ?", (lang, person_id))

    # inbound ------------------------------------------------------------------------
    async def record_inbound(
        self, channel: str, chat_id: str, message_id: str, sender_id: int, text: str, at: str
    ) -> int | None:
        row = await self._one(
            """INSERT INTO inbound_messages
                   (channel, chat_id, platform_message_id, sender_id, text, received_at)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (channel, chat_id, platform_message_id) DO NOTHING
               RETURNING id""",
            (channel, chat_id, message_id, sender_id, text, at),
        )
        return int(row["id"]) if row else None

    async def mark_inbound(self, inbound_id: int, disposition: str, ticket_id: int | None) -> None:
        await self._db.execute(
            "UPDATE inbound_messages SET disposition = ?, ticket_id = ? WHERE id = ?",
            (disposition, ticket_id, inbound_id),
        )

    async def inbound_message(self, inbound_id: int) -> InboundRecord | None:
        row = await self._one(f"{_INBOUND_SELECT} WHERE m.id = ?", (inbound_id,))
        return _inbound(row) if row else None

    async def messages_with_disposition(
        self, disposition: str, limit: int
    ) -> list[InboundRecord]:
        rows = await self._all(
            f"{_INBOUND_SELECT} WHERE m.disposition = ? ORDER BY m.id DESC LIMIT ?",
            (disposition, limit),
        )
        return [_inbound(r) for r in rows]

    async def ticket_for_message(self, channel: str, chat_id: str, message_id: str) -> int | None:
        row = await self._one(
            """SELECT ticket_id FROM outbox
                WHERE channel = ? AND chat_id = ? AND platform_message_id = ?
                  AND ticket_id IS NOT NULL
               UNION ALL
               SELECT ticket_id FROM inbound_messages
                WHERE channel = ? AND chat_id = ? AND platform_message_id = ?
                  AND ticket_id IS NOT NULL
               LIMIT 1""",
            (channel, chat_id, message_id, channel, chat_id, message_id),
        )
        return int(row["ticket_id"]) if row else None

    # tickets ------------------------------------------------------------------------
    async def create_ticket(self, ticket: NewTicket) -> TicketRecord:
        row = await self._one(
            f"""INSERT INTO tickets (channel, chat_id, message_id, area, reporter_id, text, type,
                    type_confidence, urgency, urgency_confidence, rules, needs_triage,
                    created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                RETURNING {_TICKET_COLUMNS}""",
            (
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
            ),
        )
        assert row is not None
        return _ticket(row)

    async def ticket(self, ticket_id: int) -> TicketRecord | None:
        row = await self._one(f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,))
        return _ticket(row) if row else None

    async def transition(
        self,
        ticket_id: int,
        from_statuses: Sequence[str],
        to_status: str,
        at: str,
        assignee_id: int | None,
        resolution: str | None = None,
    ) -> TicketRecord | None:
        marks = ", ".join("?" for _ in from_statuses)
        row = await self._one(
            f"""UPDATE tickets SET status = ?, assignee_id = ?, updated_at = ?,
                       resolution = COALESCE(?, resolution)
                WHERE id = ? AND status IN ({marks})
                RETURNING {_TICKET_COLUMNS}""",
            (to_status, assignee_id, at, resolution, ticket_id, *from_statuses),
        )
        return _ticket(row) if row else None

    async def retag(self, ticket_id: int, type: str, urgency: str, at: str) -> None:
        await self._db.execute(
            """UPDATE tickets SET type = ?, urgency = ?, type_confidence = 1.0,
                   urgency_confidence = 1.0, needs_triage = 0, updated_at = ? WHERE id = ?""",
            (type, urgency, at, ticket_id),
        )

    async def add_event(
        self, ticket_id: int, actor_id: int | None, action: str, at: str, payload: dict[str, Any]
    ) -> None:
        await self._db.execute(
            "INSERT INTO ticket_events (ticket_id, actor_id, action, at, payload) "
            "VALUES (?, ?, ?, ?, ?)",
            (ticket_id, actor_id, action, at, json.dumps(payload, ensure_ascii=False)),
        )

    async def events(self, ticket_id: int) -> list[EventRecord]:
        rows = await self._all(
            """SELECT e.id, e.ticket_id, e.actor_id, p.display_name AS actor_name, e.action,
                      e.at, e.payload
                 FROM ticket_events e LEFT JOIN people p ON p.id = e.actor_id
                WHERE e.ticket_id = ? ORDER BY e.id""",
            (ticket_id,),
        )
        return [
            EventRecord(
                r["id"],
                r["ticket_id"],
                r["actor_id"],
                r["actor_name"],
                r["action"],
                r["at"],
                json.loads(r["payload"]),
            )
            for r in rows
        ]

    async def add_attachments(
        self, ticket_id: int, inbound_id: int, attachments: Sequence[Attachment]
    ) -> None:
        await self._db.executemany(
            "INSERT INTO attachments (ticket_id, inbound_id, kind, ref, note) "
            "VALUES (?, ?, ?, ?, ?)",
            [(ticket_id, inbound_id, a.kind, a.ref, a.note) for a in attachments],
        )

    async def attachments(self, ticket_id: int) -> list[Attachment]:
        rows = await self._all(
            "SELECT kind, ref, note FROM attachments WHERE ticket_id = ? ORDER BY id", (ticket_id,)
        )
        return [Attachment(r["kind"], r["ref"], r["note"]) for r in rows]

    async def tickets_reported_by(self, person_id: int, limit: int) -> list[TicketRecord]:
        rows = await self._all(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE reporter_id = ? ORDER BY id DESC LIMIT ?",
            (person_id, limit),
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

    async def queue(self, area: str | None, limit: int) -> list[TicketRecord]:
        rows = await self._all(
            f"""SELECT {_TICKET_COLUMNS} FROM tickets
                WHERE status IN ('new', 'reopened') AND (? IS NULL OR area = ?)
                ORDER BY {_URGENCY_ORDER}, created_at, id LIMIT ?""",
            (area, area, limit),
        )
        return [_ticket(r) for r in rows]

    async def add_training_example(
        self, ticket_id: int, text: str, type: str, urgency: str, actor_id: int, at: str
    ) -> None:
        await self._db.execute(
            """INSERT INTO training_examples (ticket_id, text, type, urgency, actor_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (ticket_id, text, type, urgency, actor_id, at),
        )

    # outbox -------------------------------------------------------------------------
    async def enqueue(self, message: Outbound, at: str, edit_of: int | None = None) -> int:
        row = await self._one(
            """INSERT INTO outbox (channel, chat_id, kind, text, buttons, reply_to_message_id,
                   edit_of, ticket_id, created_at, next_attempt_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            (
                message.channel,
                message.chat_id,
                message.kind,
                message.text,
                json.dumps([[b.label, b.command] for b in message.buttons], ensure_ascii=False),
                message.reply_to_message_id,
                edit_of,
                message.ticket_id,
                at,
                at,
            ),
        )
        assert row is not None
        return int(row["id"])

    async def sent_reply_for_ticket(self, ticket_id: int, kind: str) -> int | None:
        row = await self._one(
            "SELECT id FROM outbox WHERE ticket_id = ? AND kind = ? AND edit_of IS NULL "
            "ORDER BY id DESC LIMIT 1",
            (ticket_id, kind),
        )
        return int(row["id"]) if row else None


class SQLiteStore:
    """A ticket database in one SQLite file (WAL, foreign keys on)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        if self._db is not None:
            return
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(self.path, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA foreign_keys = ON")
            await db.execute("PRAGMA synchronous = NORMAL")
            await db.execute("PRAGMA busy_timeout = 5000")
        except BaseException:
            await db.close()
            raise
        self._db = db
        await self.migrate()

    async def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()

    async def __aenter__(self) -> SQLiteStore:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("store is not open")
        return self._db

    async def schema_version(self) -> int:
        async with self.db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        async with self._lock:
            current = await self.schema_version()
            for version, sql in migrations():
                if version <= current:
                    continue
                # executescript commits as it goes, so each migration carries its own
                # BEGIN/COMMIT and bumps user_version inside it: all or nothing.
                await self.db.executescript(
                    f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {int(version)};\nCOMMIT;"
                )
                current = version
            return current

    @asynccontextmanager
    async def write(self) -> AsyncIterator[SQLiteTx]:
        async with self._lock:
            await self.db.execute("BEGIN IMMEDIATE")
            try:
                yield SQLiteTx(self.db)
            except BaseException:
                await self.db.execute("ROLLBACK")
                raise
            await self.db.execute("COMMIT")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[SQLiteTx]:
        async with self._lock:
            yield SQLiteTx(self.db)

    async def due_outbox(self, channel: str, now: str, limit: int) -> list[Outbound]:
        async with (
            self._lock,
            self.db.execute(
                """SELECT o.*, ref.platform_message_id AS edit_message_id
                 FROM outbox o LEFT JOIN outbox ref ON ref.id = o.edit_of
                WHERE o.channel = ? AND o.sent_at IS NULL AND o.next_attempt_at <= ?
                  AND (o.edit_of IS NULL OR ref.sent_at IS NOT NULL)
                ORDER BY o.id LIMIT ?""",
                (channel, now, limit),
            ) as cursor,
        ):
            return [_outbound(r) for r in await cursor.fetchall()]

    async def mark_sent(self, outbox_id: int, platform_message_id: str, at: str) -> None:
        async with self._lock:
            await self.db.execute(
                """UPDATE outbox SET sent_at = ?, platform_message_id = ?,
                       attempts = attempts + 1, last_error = NULL WHERE id = ?""",
                (at, platform_message_id, outbox_id),
            )

    async def mark_failed(self, outbox_id: int, error: str, next_attempt_at: str) -> None:
        async with self._lock:
            await self.db.execute(
                """UPDATE outbox SET attempts = attempts + 1, last_error = ?,
                       next_attempt_at = ? WHERE id = ?""",
                (error[:500], next_attempt_at, outbox_id),
            )

    async def training_examples(self) -> list[tuple[str, str, str]]:
        async with (
            self._lock,
            self.db.execute(
                "SELECT text, type, urgency FROM training_examples ORDER BY id"
            ) as cursor,
        ):
            return [(r["text"], r["type"], r["urgency"]) for r in await cursor.fetchall()]

    async def backup(self, path: Path) -> None:
        """Copy the live database with SQLite's online backup API (safe while running)."""
        target = Path(path)
        if await asyncio.to_thread(target.exists):
            raise FileExistsError(f"backup target {target} already exists")
        async with aiosqlite.connect(target) as dest:
            await self.db.backup(dest)
