"""The SQL shared by every engine: the `Tx` operations, written once.

Both engines run exactly these statements (ANSI SQL plus `ON CONFLICT` and `RETURNING`,
which SQLite >= 3.35 and PostgreSQL share), so behaviour cannot drift between them.
Times are ISO-8601 UTC text in both, which sorts correctly and reads the same everywhere.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from importlib import resources
from typing import Any, ClassVar

from bot.adapters.base import Attachment, Button, Document, Outbound
from storage.base import (
    AWAITING_CONTACT,
    PARKED,
    Activity,
    AwaitingClosure,
    ClockedTicket,
    ClosureCounts,
    EventRecord,
    FollowUpRecord,
    InboundRecord,
    Keep,
    LedgerRow,
    NewTicket,
    OutboxState,
    PersonRecord,
    Resolution,
    ScreeningFind,
    Stamp,
    TicketRecord,
    TicketSearch,
    TicketStats,
    ZeroReport,
)

# A result row: sqlite3.Row and asyncpg.Record both index by column name.
Row = Any

_TICKET_COLUMNS = (
    "id, channel, chat_id, message_id, area, reporter_id, text, type, type_confidence, urgency, "
    "urgency_confidence, rules, needs_triage, status, assignee_id, resolution, created_at, "
    "updated_at, merged_into, resolve_limit, resolved_late, department, settled, assisting, "
    "major, people_involved, amount_involved, source, thread_id, withdrawn, parts"
)
_PERSON_COLUMNS = "id, channel, user_id, display_name, role, area, lang"
# Any constant: names the lock under which a transaction decides on a notice of failed
# messages (`last_failure_notice`), as storage.postgres names the migrations' lock.
_FAILURE_NOTICE_LOCK = 0x1A7A_F417
# Queue order: most urgent first.  Unknown urgencies (e.g. "unclassified") sort with normal.
_URGENCY_ORDER = "CASE urgency WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'low' THEN 3 ELSE 2 END"

# Facts about ticket `t` read from its history.  Claimed: the first claim or assignment
# (how long residents waited for someone to take it up).  Resolved: the latest resolution
# (a reopened and re-resolved ticket counts from its final outcome), or the reporter's
# withdrawal, which ends a case as resolved (`bot.workflow`).  /stats and the
# ledger use the same two, so the ledger's columns reproduce the medians /stats reports.
_CLAIMED_AT = """(SELECT MIN(e.at) FROM ticket_events e
                   WHERE e.ticket_id = t.id AND e.action IN ('claim', 'assign'))"""
_RESOLVED_AT = """(SELECT MAX(e.at) FROM ticket_events e
                    WHERE e.ticket_id = t.id AND e.action IN ('resolve', 'withdraw'))"""
# The ledger's 结案时间: the latest close, of a ticket closed now.
_CLOSED_AT = """CASE WHEN t.status = 'closed' THEN
                  (SELECT MAX(e.at) FROM ticket_events e
                    WHERE e.ticket_id = t.id AND e.action = 'close') END"""
_DONE_STATUSES = ("resolved", "closed")
_DONE = "(" + ", ".join(f"'{status}'" for status in _DONE_STATUSES) + ")"
# Open tickets: the ones still being worked (supervised), as a SQL list.
_OPEN = "('new', 'claimed', 'reopened')"
# The reporter's latest answer to a follow-up visit of ticket `t` (a ticket reopened by a
# 不满意 and resolved again is visited again: its last word counts).  Latest by the
# resolution it asks about, which the unique key (ticket_id, resolved_at) keeps in order:
# "ORDER BY f.id DESC" led PostgreSQL to walk the whole primary key backwards for every
# ticket (minutes at 200,000 tickets).
_RATING = """(SELECT f.rating FROM followups f
               WHERE f.ticket_id = t.id AND f.rating IS NOT NULL
               ORDER BY f.resolved_at DESC LIMIT 1)"""
# Dismissed tickets were not reports, merged ones (并案) the same case told again: /stats
# counts both apart, in none of its figures.
_DISMISSED = "dismissed"
_MERGED = "merged"
_COUNTED = f"AND t.status NOT IN ('{_DISMISSED}', '{_MERGED}')"
# An outbox row that is a message to its reader: not an edit whose news is "", which a
# platform that cannot edit sends as nothing (`bot.turn.told_anew`): "2 条消息" waited for a
# resident who would get one; nor an edit of the buttons alone (`Outbound.buttons_only`).
_SAYS_SOMETHING = (
    "(edit_of IS NULL OR (buttons_only = 0 AND (news IS NULL OR news <> '')))"
)
# The ledger's dismissal columns: the latest dismissal, of a ticket that is dismissed now
# (one restored and never dismissed again shows none).
_DISMISSAL = f"""LEFT JOIN ticket_events d
                   ON t.status = '{_DISMISSED}'
                  AND d.id = (SELECT MAX(e.id) FROM ticket_events e
                               WHERE e.ticket_id = t.id AND e.action = 'dismiss')
                 LEFT JOIN people dp ON dp.id = d.actor_id"""

# What the engines spell differently.  Seconds between two stored (ISO text) times:
# SQLite's julianday() and PostgreSQL's timestamptz both read "…T…Z" as written.
_SECONDS_BETWEEN = {
    "sqlite": "((julianday({end}) - julianday({start})) * 86400.0)",
    "postgres": "CAST(EXTRACT(EPOCH FROM (CAST({end} AS TIMESTAMPTZ)"
    " - CAST({start} AS TIMESTAMPTZ))) AS DOUBLE PRECISION)",
}

# ... "contains", ignoring case: SQLite's LIKE ignores the case of ASCII letters (LOWER() on
# every row cost 40 % of a search), PostgreSQL has ILIKE.  The pattern is `like_pattern`'s.
_CONTAINS = {
    "sqlite": "{} LIKE ? ESCAPE '\\'",
    "postgres": "{} ILIKE ? ESCAPE '\\'",
}
# ... and the "text" of a history event's JSON payload (a note, an addition, a reason),
# so a search for "text" or "via" does not match every payload's keys.
_EVENT_TEXT = {
    "sqlite": "json_extract(e.payload, '$.text')",
    "postgres": "(CAST(e.payload AS JSONB) ->> 'text')",
}


# A ticket's assisting departments (协办) include the code given as a parameter
# (`like_pattern(f" {code} ")`): the column holds codes between single spaces.
_ASSISTED_BY = "(' ' || {} || ' ') LIKE ? ESCAPE '\\'"


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


def like_pattern(term: str) -> str:
    """`term` as a LIKE pattern that matches it anywhere, its own `%`, `_` and `\\` taken
    literally (the statements say ESCAPE '\\')."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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


def migrations(engine: str) -> list[tuple[int, str]]:
    """(version, sql) for every file in storage/migrations/<engine>, in order."""
    found = []
    for item in resources.files(f"storage.migrations.{engine}").iterdir():
        if item.name.endswith(".sql"):
            found.append((int(item.name.split("_", 1)[0]), item.read_text(encoding="utf-8")))
    return sorted(found)


def _flag(value: Any) -> bool | None:
    """A nullable 0/1 column as the records carry it: None stays "not recorded"."""
    return None if value is None else bool(value)


def _bit(value: bool | None) -> int | None:
    """The other way: a record's flag as its nullable 0/1 column."""
    return None if value is None else int(value)


def _ticket(row: Row) -> TicketRecord:
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
        merged_into=row["merged_into"],
        resolve_limit=row["resolve_limit"],
        resolved_late=_flag(row["resolved_late"]),
        department=row["department"],
        settled=_flag(row["settled"]),
        assisting=tuple(row["assisting"].split()),
        major=bool(row["major"]),
        people_involved=row["people_involved"],
        amount_involved=row["amount_involved"],
        source=row["source"],
        thread_id=row["thread_id"],
        withdrawn=bool(row["withdrawn"]),
        parts=row["parts"],
    )


# Ids per statement when a list of them is a parameter each: well under both engines'
# limits (SQLite 32,766, PostgreSQL 32,767 parameters).
_ID_CHUNK = 500


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + _ID_CHUNK] for i in range(0, len(ids), _ID_CHUNK)]


def _in_area(area: str | None, department: str | None = None) -> tuple[str, tuple[str, ...]]:
    """The condition (on tickets `t`) and its parameters for one area, and for those handed
    to one department (转办); none for every area's."""
    where, params = ("", ()) if area is None else ("AND t.area = ?", (area,))
    if department is not None:
        where, params = f"{where} AND t.department = ?", (*params, department)
    return where, params


def _queue_scope(area: str | None, department: str | None | Keep) -> tuple[str, list[Any]]:
    """The condition (on tickets) and its parameters for a queue (`Tx.queue`): the tickets
    nobody holds, `area`'s (None: every area's), and with `department` only that
    department's (None: only those handed to no department; `Keep.KEEP`: whoever's)."""
    where, params = "status IN ('new', 'reopened')", list[Any]()
    if area is not None:
        where, params = f"{where} AND area = ?", [area]
    if department is None:
        where += " AND department IS NULL"
    elif not isinstance(department, Keep):
        where += " AND department = ?"
        params.append(department)
    return where, params


def _in_ledger(area: str | None, department: str | None) -> tuple[str, tuple[str, ...]]:
    """`_in_area`'s condition for a ledger: a department's lists those handed to it (转办)
    and those it assists with (协办), as /stats counts both for it (`ticket_stats`)."""
    where, params = _in_area(area)
    if department is None:
        return where, params
    assisted = _ASSISTED_BY.format("t.assisting")
    where += f" AND (t.department = ? OR (t.assisting <> '' AND {assisted}))"
    return where, (*params, department, like_pattern(f" {department} "))


# Erasing old words (bot.retention), both by the (disposition, id) index: backwards past
# the kept days' rows to the newest erased one, then forwards from there a batch at a time,
# so no batch reads the rows erased before it.  (tests/test_retention.py checks the plans.)
LAST_ERASED = """SELECT id FROM inbound_messages
                  WHERE disposition = ? AND erased_at IS NOT NULL ORDER BY id DESC LIMIT 1"""
ERASE_BATCH = """SELECT id FROM inbound_messages
                  WHERE disposition = ? AND id > ? AND received_at < ? ORDER BY id LIMIT ?"""
# The bot's own sent messages, by the partial index of those not yet erased
# (`outbox_unerased`): oldest sent first, from the start of what is left.
ERASE_SENT_BATCH = """SELECT id FROM outbox
                       WHERE erased_at IS NULL AND sent_at < ? ORDER BY sent_at LIMIT ?"""


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


def _marks(values: Sequence[object]) -> str:
    """`?, ?, ?` for an IN list (the values themselves are always parameters)."""
    return ", ".join("?" for _ in values)


def _clock_start(actions: Sequence[str]) -> str:
    """A ticket's clock start: its latest event among `actions`, else its filing time."""
    return f"{_clock_start_of(actions, 'tickets')} AS since"


def _clock_start_of(actions: Sequence[str], table: str) -> str:
    """`_clock_start` of the ticket `table` names (the table, or its alias in a query)."""
    return f"""COALESCE((SELECT MAX(e.at) FROM ticket_events e
                         WHERE e.ticket_id = {table}.id AND e.action IN ({_marks(actions)})),
                        {table}.created_at)"""


_FOLLOWUP_COLUMNS = (
    "id, ticket_id, resolved_at, due_at, state, swept_at, rating, rated_at, rated_via"
)
# followups.rated_via: a rating read from everyday words, and one corrected since.
_WORDS, _CORRECTED = "words", "correction"


def _followup(row: Row) -> FollowUpRecord:
    return FollowUpRecord(*(row[key] for key in _FOLLOWUP_COLUMNS.split(", ")))
def _float(value: Any) -> float | None:
    """A number from either driver (PostgreSQL may return Decimal), or None."""
    return None if value is None else float(value)


def _person(row: Row) -> PersonRecord:
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
           m.received_at, m.disposition, m.erased_at, m.thread_id
      FROM inbound_messages m JOIN people p ON p.id = m.sender_id"""


def _inbound(row: Row) -> InboundRecord:
    return InboundRecord(*(row[key] for key in row.keys()))  # noqa: SIM118 (Row)


def _document_json(document: Document | None) -> str | None:
    """The outbox's `document` column: what the file is and how to make it, never its
    bytes (a document given only as bytes or a path could not be made again after a
    restart, so it cannot be queued)."""
    if document is None:
        return None
    if not document.source:
        raise ValueError(f"document {document.filename!r} has no source to make it from")
    stored = document.stored()
    return json.dumps(
        {"filename": stored.filename, "mime_type": stored.mime_type, "source": stored.source},
        ensure_ascii=False,
    )


def _document(value: str | None) -> Document | None:
    if not value:
        return None
    fields = json.loads(value)
    return Document(fields["filename"], fields["mime_type"], fields["source"])


def _outbound(row: Row) -> Outbound:
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
        queued_at=row["created_at"],
        document=_document(row["document"]),
        thread_id=row["thread_id"],
        news=row["news"],
        parts_sent=row["parts_sent"],
        buttons_only=bool(row["buttons_only"]),
    )


class SQLTx(ABC):
    """`storage.base.Tx` written once in the SQL both engines speak.

    Statements use `?` placeholders; an engine's subclass supplies the four primitives
    (and rewrites placeholders if its driver wants `$1`) and names its `dialect` for the
    few expressions the engines spell differently (`_SECONDS_BETWEEN`).
    """

    dialect: ClassVar[str]

    @abstractmethod
    async def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...

    @abstractmethod
    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @abstractmethod
    async def _run(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    async def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

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
                    display_name = CASE WHEN excluded.display_name = ''
                                        THEN people.display_name
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

    async def people_with_role(self, role: str, lock: bool = False) -> list[PersonRecord]:
        locked = " FOR UPDATE" if lock and self.dialect == "postgres" else ""
        rows = await self._all(
            f"SELECT {_PERSON_COLUMNS} FROM people WHERE role = ? ORDER BY id{locked}", (role,)
        )
        return [_person(r) for r in rows]

    async def people_page(
        self, role: str, area: str | None, limit: int
    ) -> tuple[list[PersonRecord], int]:
        where = "role = ? AND (CAST(? AS TEXT) IS NULL OR area = ?)"
        rows = await self._all(
            f"""SELECT {_PERSON_COLUMNS} FROM people WHERE {where}
                ORDER BY area IS NULL, area, display_name, id LIMIT ?""",
            (role, area, area, limit),
        )
        total = await self._one(
            f"SELECT COUNT(*) AS n FROM people WHERE {where}", (role, area, area)
        )
        return [_person(r) for r in rows], int(total["n"]) if total else 0

    async def set_role(
        self, person_id: int, role: str, area: str | None, keep_area: bool = True
    ) -> None:
        await self._run(
            """UPDATE people SET role = ?,
                      area = CASE WHEN ? THEN COALESCE(?, area) ELSE CAST(? AS TEXT) END
                WHERE id = ?""",
            (role, keep_area, area, area, person_id),
        )

    async def set_lang(self, person_id: int, lang: str) -> None:
        await self._run("UPDATE people SET lang = ? WHERE id = ?", (lang, person_id))

    # inbound ------------------------------------------------------------------------
    async def record_inbound(
        self,
        channel: str,
        chat_id: str,
        message_id: str,
        sender_id: int,
        text: str,
        at: str,
        thread_id: str | None = None,
    ) -> int | None:
        row = await self._one(
            """INSERT INTO inbound_messages
                   (channel, chat_id, platform_message_id, sender_id, text, received_at,
                    thread_id)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (channel, chat_id, platform_message_id) DO NOTHING
               RETURNING id""",
            (channel, chat_id, message_id, sender_id, text, at, thread_id),
        )
        return int(row["id"]) if row else None

    async def mark_inbound(self, inbound_id: int, disposition: str, ticket_id: int | None) -> None:
        await self._run(
            "UPDATE inbound_messages SET disposition = ?, ticket_id = ? WHERE id = ?",
            (disposition, ticket_id, inbound_id),
        )

    async def journal_inbound(
        self, channel: str, chat_id: str, message_id: str, message: str, at: str
    ) -> None:
        await self._run(
            """INSERT INTO inbound_journal
                   (channel, chat_id, platform_message_id, message, received_at)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (channel, chat_id, platform_message_id) DO NOTHING""",
            (channel, chat_id, message_id, message, at),
        )

    async def clear_journal(self, channel: str, chat_id: str, message_id: str) -> None:
        await self._run(
            """DELETE FROM inbound_journal
               WHERE channel = ? AND chat_id = ? AND platform_message_id = ?""",
            (channel, chat_id, message_id),
        )

    async def journaled(self, kept_before: str | None = None) -> list[str]:
        if kept_before is None:
            rows = await self._all("SELECT message FROM inbound_journal ORDER BY id")
        else:
            rows = await self._all(
                "SELECT message FROM inbound_journal WHERE received_at < ? ORDER BY id",
                (kept_before,),
            )
        return [str(r["message"]) for r in rows]

    async def use_callback(
        self, channel: str, nonce: str, timestamp: int, signature: str, digest: str
    ) -> str | None:
        # Insert or fail: two processes given the same callback at once both insert, and the
        # unique key makes the second wait for the first, then take nothing.
        row = await self._one(
            """INSERT INTO callback_nonces (channel, nonce, stamp, signature, digest)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (channel, nonce, stamp, signature) DO NOTHING RETURNING digest""",
            (channel, nonce, timestamp, signature, digest),
        )
        if row is not None:
            return None
        first = await self._one(
            """SELECT digest FROM callback_nonces
               WHERE channel = ? AND nonce = ? AND stamp = ? AND signature = ?""",
            (channel, nonce, timestamp, signature),
        )
        return str(first["digest"]) if first is not None else ""

    async def forget_callbacks(self, stamped_before: int) -> None:
        await self._run("DELETE FROM callback_nonces WHERE stamp < ?", (stamped_before,))

    async def inbound_message(self, inbound_id: int) -> InboundRecord | None:
        row = await self._one(f"{_INBOUND_SELECT} WHERE m.id = ?", (inbound_id,))
        return _inbound(row) if row else None

    async def messages_with_disposition(
        self, dispositions: Sequence[str], limit: int
    ) -> list[InboundRecord]:
        rows = await self._all(
            f"""{_INBOUND_SELECT} WHERE m.disposition IN ({_marks(dispositions)})
                  AND m.erased_at IS NULL
                ORDER BY m.id DESC LIMIT ?""",
            (*dispositions, limit),
        )
        return [_inbound(r) for r in rows]

    async def last_erased(self, disposition: str) -> int:
        row = await self._one(LAST_ERASED, (disposition,))
        return int(row["id"]) if row else 0

    async def erase_messages(
        self, disposition: str, after: int, before: str, at: str, limit: int
    ) -> list[int]:
        # The rows stay, their words go.
        rows = await self._all(
            f"""UPDATE inbound_messages SET text = '', erased_at = ?
                 WHERE id IN ({ERASE_BATCH}) RETURNING id""",
            (at, disposition, after, before, limit),
        )
        return sorted(int(r["id"]) for r in rows)

    async def erase_sent(self, before: str, at: str, limit: int) -> int:
        # The rows stay (an edit or a reply finds its message by the platform's id).
        rows = await self._all(
            f"""UPDATE outbox SET text = '', news = NULL, erased_at = ?
                 WHERE id IN ({ERASE_SENT_BATCH}) RETURNING id""",
            (at, before, limit),
        )
        return len(rows)

    async def latest_room_of(
        self, sender_id: int, channel: str, chat_ids: Sequence[str]
    ) -> str | None:
        if not chat_ids:
            return None
        # Newest first by the (sender_id, id) index: a person's messages are few.
        row = await self._one(
            f"""SELECT chat_id FROM inbound_messages
                 WHERE sender_id = ? AND channel = ? AND chat_id IN ({_marks(chat_ids)})
                 ORDER BY id DESC LIMIT 1""",
            (sender_id, channel, *chat_ids),
        )
        return str(row["chat_id"]) if row else None

    async def release_awaiting(self, channel: str, chat_id: str, now: str) -> int:
        # By `outbox_sent_message` (channel, chat_id, …): one person's rows.
        rows = await self._all(
            """UPDATE outbox SET next_attempt_at = ?
                WHERE channel = ? AND chat_id = ? AND sent_at IS NULL AND next_attempt_at = ?
            RETURNING id""",
            (now, channel, chat_id, AWAITING_CONTACT),
        )
        return len(rows)

    async def messages_held_since(self, sender_id: int, since: str) -> int:
        # By the (disposition, id) index: held messages are few.
        row = await self._one(
            """SELECT COUNT(*) AS n FROM inbound_messages
                WHERE disposition = 'held' AND sender_id = ? AND received_at >= ?""",
            (sender_id, since),
        )
        return int(row["n"]) if row else 0

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

    async def awaiting_by_chat(self) -> list[tuple[str, str, int]]:
        # By the partial index of rows not erased (unsent ones are in it, sent_at NULL).
        rows = await self._all(
            f"""SELECT channel, chat_id, COUNT(*) AS n FROM outbox
                WHERE sent_at IS NULL AND erased_at IS NULL AND next_attempt_at = ?
                  AND {_SAYS_SOMETHING}
                GROUP BY channel, chat_id ORDER BY channel, chat_id""",
            (AWAITING_CONTACT,),
        )
        return [(r["channel"], r["chat_id"], int(r["n"])) for r in rows]

    async def awaiting_about(self, ticket_id: int, channel: str, chat_id: str) -> int:
        # By `outbox_sent_message` (channel, chat_id, …): one person's rows.
        row = await self._one(
            f"""SELECT COUNT(*) AS n FROM outbox
                WHERE channel = ? AND chat_id = ? AND ticket_id = ? AND sent_at IS NULL
                  AND next_attempt_at = ? AND {_SAYS_SOMETHING}""",
            (channel, chat_id, ticket_id, AWAITING_CONTACT),
        )
        return int(row["n"]) if row else 0

    async def logged_message_id(self, channel: str, chat_id: str, message_id: str) -> int | None:
        row = await self._one(
            """SELECT id FROM inbound_messages
                WHERE channel = ? AND chat_id = ? AND platform_message_id = ?""",
            (channel, chat_id, message_id),
        )
        return int(row["id"]) if row else None

    async def has_private_chat(self, channel: str, user_id: str) -> bool:
        row = await self._one(
            "SELECT 1 AS found FROM inbound_messages WHERE channel = ? AND chat_id = ? LIMIT 1",
            (channel, user_id),
        )
        return row is not None

    # tickets ------------------------------------------------------------------------
    async def create_ticket(self, ticket: NewTicket) -> TicketRecord:
        # The next number from one counter row, in this transaction (migration 0024): none
        # skipped by a filing rolled back, none given twice; on PostgreSQL the row's lock
        # makes a second process filing at once wait the few milliseconds to this commit.
        number = await self._one("UPDATE ticket_numbers SET last = last + 1 RETURNING last")
        assert number is not None
        row = await self._one(
            f"""INSERT INTO tickets (id, channel, chat_id, message_id, area, reporter_id, text,
                    type, type_confidence, urgency, urgency_confidence, rules, needs_triage,
                    created_at, updated_at, people_involved, amount_involved, source, thread_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
            ),
        )
        assert row is not None
        return _ticket(row)

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

    async def add_event(
        self, ticket_id: int, actor_id: int | None, action: str, at: str, payload: dict[str, Any]
    ) -> None:
        await self._run(
            "INSERT INTO ticket_events (ticket_id, actor_id, action, at, payload) "
            "VALUES (?, ?, ?, ?, ?)",
            (ticket_id, actor_id, action, at, json.dumps(payload, ensure_ascii=False)),
        )

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

    async def tickets_among(self, ticket_ids: Sequence[int]) -> list[TicketRecord]:
        found: list[TicketRecord] = []
        for chunk in _chunks(ticket_ids):
            rows = await self._all(
                f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE id IN ({_marks(chunk)}) ORDER BY id",
                tuple(chunk),
            )
            found += [_ticket(r) for r in rows]
        return found

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
        self, channel: str, chat_id: str, type_: str, since: str, look_back: int, limit: int
    ) -> list[TicketRecord]:
        # The newest ids as a range of the primary key (ids only grow), not a sort.
        rows = await self._all(
            f"""SELECT {_TICKET_COLUMNS} FROM tickets
                 WHERE id > (SELECT COALESCE(MAX(id), 0) FROM tickets) - ?
                   AND channel = ? AND chat_id = ? AND type = ? AND created_at >= ?
                 ORDER BY id DESC LIMIT ?""",
            (look_back, channel, chat_id, type_, since, limit),
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
        # One pass over the history per word (IN), not a look-up per ticket (EXISTS): a
        # word found nowhere costs 40 instead of 65 ms at 20,000 tickets (bench_reports).
        one_term = f"""({like.format("t.text")}
            OR {like.format("COALESCE(t.resolution, '')")}
            OR EXISTS (SELECT 1 FROM people p WHERE p.id = t.reporter_id
                          AND {like.format("p.display_name")})
            OR t.id IN (SELECT e.ticket_id FROM ticket_events e
                         WHERE {like.format("e.payload")} AND {like.format(event_text)}))"""
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

    async def add_training_example(
        self, ticket_id: int, text: str, type: str, urgency: str, actor_id: int, at: str
    ) -> None:
        await self._run(
            """INSERT INTO training_examples (ticket_id, text, type, urgency, actor_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (ticket_id, text, type, urgency, actor_id, at),
        )

    async def withdraw_training_examples(self, ticket_id: int, type: str) -> int:
        rows = await self._all(
            "DELETE FROM training_examples WHERE ticket_id = ? AND type = ? RETURNING id",
            (ticket_id, type),
        )
        return len(rows)

    # follow-up visits ---------------------------------------------------------------
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

    # statistics and the ledger ------------------------------------------------------
    async def ticket_stats(
        self,
        start: str,
        end: str,
        area: str | None = None,
        department: str | None = None,
        crowd: int = 5,
    ) -> TicketStats:
        # One row per (status, type, urgency, triage) combination that occurs: a few
        # hundred at most, however many tickets there are.
        in_area, params = _in_area(area, department)
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
            in_this_area, area_params = _in_area(area)
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
        self, start: str, end: str, area: str | None = None, department: str | None = None
    ) -> list[Resolution]:
        in_area, params = _in_area(area, department)
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

    async def briefing_sent(self, day: str) -> bool:
        return await self._one("SELECT day FROM briefings WHERE day = ?", (day,)) is not None

    async def last_briefing_end(self) -> str | None:
        row = await self._one("SELECT MAX(ends) AS ends FROM briefings")
        return str(row["ends"]) if row is not None and row["ends"] is not None else None

    async def record_briefing(self, day: str, starts: str, ends: str, at: str) -> bool:
        row = await self._one(
            """INSERT INTO briefings (day, starts, ends, sent_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (day) DO NOTHING RETURNING day""",
            (day, starts, ends, at),
        )
        return row is not None

    async def record_zero_report(
        self, area: str, day: str, person_id: int, at: str, note: str
    ) -> bool:
        row = await self._one(
            """INSERT INTO zero_reports (area, day, person_id, at, note) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (area, day) DO NOTHING RETURNING day""",
            (area, day, person_id, at, note),
        )
        return row is not None

    async def note_zero_report(self, area: str, day: str, note: str) -> None:
        await self._run(
            "UPDATE zero_reports SET note = ? WHERE area = ? AND day = ?", (note, area, day)
        )

    async def zero_reports(self, first_day: str, last_day: str) -> list[ZeroReport]:
        rows = await self._all(
            """SELECT z.area, z.day, z.person_id,
                      COALESCE(NULLIF(p.display_name, ''), p.user_id) AS display_name, z.at, z.note
                 FROM zero_reports z JOIN people p ON p.id = z.person_id
                WHERE z.day >= ? AND z.day <= ? ORDER BY z.day, z.area""",
            (first_day, last_day),
        )
        return [
            ZeroReport(r["area"], r["day"], int(r["person_id"]), r["display_name"], r["at"],
                       r["note"])
            for r in rows
        ]

    async def record_screening_find(
        self, area: str, day: str, ticket_id: int, person_id: int, at: str
    ) -> None:
        await self._run(
            """INSERT INTO screening_finds (area, day, ticket_id, person_id, at)
               VALUES (?, ?, ?, ?, ?)""",
            (area, day, ticket_id, person_id, at),
        )

    async def screening_finds(self, first_day: str, last_day: str) -> list[ScreeningFind]:
        rows = await self._all(
            f"""SELECT f.area, f.day, f.ticket_id, f.person_id, f.at
                  FROM screening_finds f JOIN tickets t ON t.id = f.ticket_id
                 WHERE f.day >= ? AND f.day <= ? AND t.status <> '{_DISMISSED}'""",
            (first_day, last_day),
        )
        return [
            ScreeningFind(r["area"], r["day"], int(r["ticket_id"]), int(r["person_id"]), r["at"])
            for r in rows
        ]

    async def record_screening_reminder(self, day: str, at: str) -> bool:
        row = await self._one(
            """INSERT INTO screening_reminders (day, sent_at) VALUES (?, ?)
               ON CONFLICT (day) DO NOTHING RETURNING day""",
            (day, at),
        )
        return row is not None

    async def last_failure_notice(self, lock: bool = False) -> tuple[int, str] | None:
        if lock and self.dialect == "postgres":
            # Two messages failing at once in two transactions each read no recent notice
            # under READ COMMITTED, and each told the staff room at once: two notices where
            # the window allows one.  Taken until commit, so the second reads the first's.
            await self._run("SELECT pg_advisory_xact_lock(?)", (_FAILURE_NOTICE_LOCK,))
        row = await self._one(
            "SELECT through_id, at FROM failure_notices ORDER BY through_id DESC LIMIT 1"
        )
        return (int(row["through_id"]), str(row["at"])) if row else None

    async def failed_after(self, after_id: int, before_id: int | None = None) -> tuple[int, int]:
        # By the (disposition, id) index: failed messages are few.
        below, params = ("", [after_id]) if before_id is None else (" AND id < ?", [
            after_id, before_id
        ])
        row = await self._one(
            f"""SELECT COUNT(*) AS n, MAX(id) AS newest FROM inbound_messages
                 WHERE disposition = 'failed' AND id > ?{below}""",
            params,
        )
        if row is None or not row["n"]:
            return 0, 0
        return int(row["n"]), int(row["newest"])

    async def record_failure_notice(self, through_id: int, at: str, messages: int) -> bool:
        row = await self._one(
            """INSERT INTO failure_notices (through_id, at, messages) VALUES (?, ?, ?)
               ON CONFLICT (through_id) DO NOTHING RETURNING through_id""",
            (through_id, at, messages),
        )
        return row is not None

    async def ledger_rows(
        self,
        start: str,
        end: str,
        after_id: int,
        limit: int,
        area: str | None = None,
        department: str | None = None,
        clock_starts: Sequence[str] = (),
    ) -> list[LedgerRow]:
        in_area, params = _in_ledger(area, department)
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
                       t.parts
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
            )
            for r in rows
        ]

    # outbox -------------------------------------------------------------------------
    async def enqueue(self, message: Outbound, at: str, edit_of: int | None = None) -> int:
        buttons = json.dumps([[b.label, b.command] for b in message.buttons], ensure_ascii=False)
        buttons_only = False
        if edit_of is not None:
            # An edit that changes nothing (a withdrawn ticket closed: 已撤回 it was, 已撤回
            # it stays): not queued.  Where an edit goes as a message (WeChat) the reporter
            # was told 进展：已撤回 again; Telegram refuses it as not modified.
            latest = await self._one(
                """SELECT id, text, buttons FROM outbox WHERE id = ? OR edit_of = ?
                    ORDER BY id DESC LIMIT 1""",
                (edit_of, edit_of),
            )
            if latest is not None and (latest["text"], latest["buttons"]) == (
                message.text, buttons
            ):
                return int(latest["id"])
            # The same words with other buttons (a ticket handed to a department loses the
            # group's 认领): the buttons alone are edited, and a platform that cannot edit
            # (WeChat, where an edit is a message to the reporter) sends nothing.
            buttons_only = latest is not None and latest["text"] == message.text
            # An edit of a message that was never sent, and is not being sent (parked, or
            # waiting for its recipient to write): that message now says this instead.
            # An edit row would wait for it to be sent, and never go.
            folded = await self._one(
                """UPDATE outbox SET text = ?, buttons = ?, parts_sent = 0
                    WHERE id = ? AND sent_at IS NULL AND next_attempt_at IN (?, ?)
                RETURNING id""",
                (message.text, buttons, edit_of, PARKED, AWAITING_CONTACT),
            )
            if folded is not None:
                return int(folded["id"])
            # An earlier edit of it waiting for its recipient to write (WeChat's 48 hours,
            # where an edit goes as a message of its own): this one says the ticket as it is
            # now, so it takes that one's place; both went, the older news after the newer.
            # Only a waiting one: a due one may have been read for sending already.  New
            # buttons alone keep its news (and what it is): the news is still to be told.
            keeps = "" if buttons_only else ", news = ?, buttons_only = 0"
            news = () if buttons_only else (message.news,)
            folded = await self._one(
                f"""UPDATE outbox SET text = ?, buttons = ?{keeps}, parts_sent = 0
                    WHERE id = (SELECT MAX(id) FROM outbox
                                 WHERE edit_of = ? AND sent_at IS NULL AND next_attempt_at = ?)
                RETURNING id""",
                (message.text, buttons, *news, edit_of, AWAITING_CONTACT),
            )
            if folded is not None:
                return int(folded["id"])
        row = await self._one(
            """INSERT INTO outbox (channel, chat_id, kind, text, buttons, reply_to_message_id,
                   edit_of, ticket_id, created_at, next_attempt_at, document, thread_id,
                   news, buttons_only)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            (
                message.channel,
                message.chat_id,
                message.kind,
                message.text,
                buttons,
                message.reply_to_message_id,
                edit_of,
                message.ticket_id,
                at,
                at,
                _document_json(message.document),
                message.thread_id,
                message.news,
                int(buttons_only),
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

    # delivery (outside message transactions) ---------------------------------------
    async def due_outbox(self, channel: str, now: str, limit: int) -> list[Outbound]:
        rows = await self._all(
            """SELECT o.*, ref.platform_message_id AS edit_message_id
                 FROM outbox o LEFT JOIN outbox ref ON ref.id = o.edit_of
                WHERE o.channel = ? AND o.sent_at IS NULL AND o.next_attempt_at <= ?
                  AND (o.edit_of IS NULL OR ref.sent_at IS NOT NULL)
                ORDER BY o.id LIMIT ?""",
            (channel, now, limit),
        )
        return [_outbound(r) for r in rows]

    async def claim_outbox(self, outbox_id: int, now: str, until: str) -> bool:
        # Still due (parked and waiting rows sort after every time): not taken by another
        # process since it was read, nor sent, nor put off.
        row = await self._one(
            """UPDATE outbox SET next_attempt_at = ?
                WHERE id = ? AND sent_at IS NULL AND next_attempt_at <= ?
            RETURNING id""",
            (until, outbox_id, now),
        )
        return row is not None

    async def release_outbox(self, outbox_id: int, until: str, due: str) -> None:
        await self._run(
            """UPDATE outbox SET next_attempt_at = ?
                WHERE id = ? AND sent_at IS NULL AND next_attempt_at = ?""",
            (due, outbox_id, until),
        )

    async def mark_sent(self, outbox_id: int, platform_message_id: str, at: str) -> None:
        await self._run(
            """UPDATE outbox SET sent_at = ?, platform_message_id = ?,
                   attempts = attempts + 1, last_error = NULL WHERE id = ?""",
            (at, platform_message_id, outbox_id),
        )

    async def mark_parts_sent(self, outbox_id: int, parts: int) -> None:
        await self._run("UPDATE outbox SET parts_sent = ? WHERE id = ?", (parts, outbox_id))

    async def _send_times(self, channel: str, chat_id: str) -> list[str]:
        """A chat's recorded send times, its row locked until the transaction ends: the
        upsert takes the lock an update does (PostgreSQL; SQLite has one writer), so two
        processes cannot both read the same times and both take the last place."""
        row = await self._one(
            """INSERT INTO send_window (channel, chat_id, sent) VALUES (?, ?, '')
               ON CONFLICT (channel, chat_id) DO UPDATE SET sent = send_window.sent
            RETURNING sent""",
            (channel, chat_id),
        )
        assert row is not None
        return str(row["sent"]).split()

    async def take_sends(
        self, channel: str, chat_id: str, now: str, since: str, count: int, limit: int
    ) -> str | None:
        times = [t for t in await self._send_times(channel, chat_id) if t > since]
        over = len(times) + min(count, limit) - limit
        if over > 0:
            return times[over - 1]
        await self._run(
            "UPDATE send_window SET sent = ? WHERE channel = ? AND chat_id = ?",
            (" ".join(sorted(times + [now] * min(count, limit))), channel, chat_id),
        )
        return None

    async def stamp_sends(
        self, channel: str, chat_id: str, taken: str, at: str, count: int
    ) -> None:
        times = await self._send_times(channel, chat_id)
        for _ in range(count):
            if taken in times:  # gone if a long send (a file) outlived the window
                times.remove(taken)
            times.append(at)
        await self._run(
            "UPDATE send_window SET sent = ? WHERE channel = ? AND chat_id = ?",
            (" ".join(sorted(times)), channel, chat_id),
        )

    async def rewrite_outbox(self, outbox_id: int, text: str, document: Document | None) -> None:
        await self._run(
            "UPDATE outbox SET text = ?, document = ? WHERE id = ?",
            (text, _document_json(document), outbox_id),
        )

    async def mark_failed(
        self,
        outbox_id: int,
        error: str,
        next_attempt_at: str,
        count: bool = True,
        written_since: str | None = None,
    ) -> None:
        if next_attempt_at == AWAITING_CONTACT and written_since is not None:
            # They wrote to the bot while it was being sent: what they wrote released nothing
            # (this row was not waiting yet), so it is due now, not left for their next
            # message.  One to one only, as `release_awaiting` is called: a person's private
            # chat is their user id.
            if self.dialect == "postgres":
                # Wait for a message of theirs being handled now: its transaction holds their
                # person row from its first statement (`upsert_person`) until it commits, and
                # releases what waits then.  Without this lock, under READ COMMITTED neither
                # side saw the other (their message not committed yet, this row not waiting
                # yet) and this row waited for their next message.  SQLite has one writer.
                await self._run(
                    """SELECT p.id FROM people p JOIN outbox o
                            ON p.channel = o.channel AND p.user_id = o.chat_id
                        WHERE o.id = ? FOR UPDATE OF p""",
                    (outbox_id,),
                )
            wrote = await self._one(
                """SELECT 1 AS found FROM outbox o
                     JOIN inbound_messages m ON m.channel = o.channel AND m.chat_id = o.chat_id
                     JOIN people p ON p.id = m.sender_id AND p.user_id = o.chat_id
                    WHERE o.id = ? AND m.received_at > ? LIMIT 1""",
                (outbox_id, written_since),
            )
            if wrote is not None:
                next_attempt_at = written_since
        await self._run(
            """UPDATE outbox SET attempts = attempts + ?, last_error = ?,
                   next_attempt_at = ? WHERE id = ?""",
            (int(count), error[:500], next_attempt_at, outbox_id),
        )
        if next_attempt_at in (PARKED, AWAITING_CONTACT):
            # Its edits queued meanwhile cannot go before it does: they wait with it (and
            # are sent again with it, or released with it), not as replies waiting for ever.
            await self._run(
                """UPDATE outbox SET next_attempt_at = ?
                    WHERE edit_of = ? AND sent_at IS NULL""",
                (next_attempt_at, outbox_id),
            )

    async def next_attempt_at(self, channels: Sequence[str]) -> str | None:
        marks = ", ".join("?" for _ in channels)
        row = await self._one(
            f"""SELECT MIN(next_attempt_at) AS due FROM outbox
                WHERE sent_at IS NULL AND next_attempt_at < ? AND channel IN ({marks})""",
            [AWAITING_CONTACT, *channels],
        )
        return row["due"] if row else None

    async def outbox_state(self, channels: Sequence[str] | None = None) -> list[OutboxState]:
        # By `outbox_due` (channel, sent_at, …) when the channels are named: /healthz
        # asks often, and the outbox keeps every row it sent.
        where, params = ("", ()) if channels is None else (
            f"AND channel IN ({_marks(channels)})", tuple(channels)
        )
        rows = await self._all(
            f"""SELECT channel,
                       SUM(CASE WHEN next_attempt_at < ? THEN 1 ELSE 0 END) AS waiting,
                       MIN(CASE WHEN next_attempt_at < ? THEN created_at END) AS oldest,
                       SUM(CASE WHEN next_attempt_at = ? THEN 1 ELSE 0 END) AS parked,
                       MAX(CASE WHEN next_attempt_at = ? THEN id END) AS last_parked,
                       SUM(CASE WHEN next_attempt_at = ? THEN 1 ELSE 0 END) AS awaiting
                  FROM outbox WHERE sent_at IS NULL {where}
                 GROUP BY channel ORDER BY channel""",
            (AWAITING_CONTACT, AWAITING_CONTACT, PARKED, PARKED, AWAITING_CONTACT, *params),
        )
        found = []
        for r in rows:
            error = None
            if r["last_parked"] is not None:
                row = await self._one(
                    "SELECT last_error FROM outbox WHERE id = ?", (r["last_parked"],)
                )
                error = row["last_error"] if row else None
            found.append(
                OutboxState(
                    r["channel"], int(r["waiting"]), r["oldest"], int(r["parked"]), error,
                    int(r["awaiting"]),
                )
            )
        return found

    async def resend_parked(self, since: str, now: str, channel: str | None = None) -> int:
        one, params = ("", ()) if channel is None else ("AND channel = ?", (channel,))
        rows = await self._all(
            f"""UPDATE outbox SET next_attempt_at = ?, attempts = 0
                 WHERE sent_at IS NULL AND next_attempt_at = ? AND created_at >= ? {one}
             RETURNING id""",
            (now, PARKED, since, *params),
        )
        return len(rows)

    async def training_examples(self) -> list[tuple[str, str, str]]:
        rows = await self._all("SELECT text, type, urgency FROM training_examples ORDER BY id")
        return [(r["text"], r["type"], r["urgency"]) for r in rows]


class SQLStore(ABC):
    """What every engine's store does the same way: delivery calls in short transactions."""

    @abstractmethod
    def write(self) -> AbstractAsyncContextManager[SQLTx]: ...

    @abstractmethod
    def read(self) -> AbstractAsyncContextManager[SQLTx]: ...

    async def due_outbox(self, channel: str, now: str, limit: int) -> list[Outbound]:
        async with self.read() as tx:
            return await tx.due_outbox(channel, now, limit)

    async def claim_outbox(self, outbox_id: int, now: str, until: str) -> bool:
        async with self.write() as tx:
            return await tx.claim_outbox(outbox_id, now, until)

    async def release_outbox(self, outbox_id: int, until: str, due: str) -> None:
        async with self.write() as tx:
            await tx.release_outbox(outbox_id, until, due)

    async def mark_sent(self, outbox_id: int, platform_message_id: str, at: str) -> None:
        async with self.write() as tx:
            await tx.mark_sent(outbox_id, platform_message_id, at)

    async def claim_outbox_rows(
        self, outbox_ids: Sequence[int], now: str, until: str
    ) -> list[int]:
        async with self.write() as tx:
            return [i for i in outbox_ids if await tx.claim_outbox(i, now, until)]

    async def release_outbox_rows(self, outbox_ids: Sequence[int], until: str, due: str) -> None:
        async with self.write() as tx:
            for outbox_id in outbox_ids:
                await tx.release_outbox(outbox_id, until, due)

    async def mark_rows_sent(self, platform_ids: Mapping[int, str], at: str) -> None:
        async with self.write() as tx:
            for outbox_id, platform_id in platform_ids.items():
                await tx.mark_sent(outbox_id, platform_id, at)

    async def mark_parts_sent(self, outbox_id: int, parts: int) -> None:
        async with self.write() as tx:
            await tx.mark_parts_sent(outbox_id, parts)

    async def take_sends(
        self, channel: str, chat_id: str, now: str, since: str, count: int, limit: int
    ) -> str | None:
        async with self.write() as tx:
            return await tx.take_sends(channel, chat_id, now, since, count, limit)

    async def stamp_sends(
        self, channel: str, chat_id: str, taken: str, at: str, count: int
    ) -> None:
        async with self.write() as tx:
            await tx.stamp_sends(channel, chat_id, taken, at, count)

    async def rewrite_outbox(self, outbox_id: int, text: str, document: Document | None) -> None:
        async with self.write() as tx:
            await tx.rewrite_outbox(outbox_id, text, document)

    async def mark_failed(
        self,
        outbox_id: int,
        error: str,
        next_attempt_at: str,
        count: bool = True,
        written_since: str | None = None,
    ) -> None:
        async with self.write() as tx:
            await tx.mark_failed(outbox_id, error, next_attempt_at, count, written_since)

    async def next_attempt_at(self, channels: Sequence[str]) -> str | None:
        async with self.read() as tx:
            return await tx.next_attempt_at(channels)

    async def outbox_state(self, channels: Sequence[str] | None = None) -> list[OutboxState]:
        async with self.read() as tx:
            return await tx.outbox_state(channels)

    async def resend_parked(self, since: str, now: str, channel: str | None = None) -> int:
        async with self.write() as tx:
            return await tx.resend_parked(since, now, channel)

    async def training_examples(self) -> list[tuple[str, str, str]]:
        async with self.read() as tx:
            return await tx.training_examples()

    async def ledger(
        self,
        start: str,
        end: str,
        batch: int = 500,
        area: str | None = None,
        department: str | None = None,
        clock_starts: Sequence[str] = (),
    ) -> AsyncIterator[LedgerRow]:
        # Keyset batches (id > the last one seen), each in its own short read: nothing
        # holds every ticket in memory, and on SQLite the bot's writes are not held up
        # behind one long export.  A ticket that changes between batches shows the state
        # it had when its batch was read.
        after = 0
        while True:
            async with self.read() as tx:
                rows = await tx.ledger_rows(
                    start, end, after, batch, area, department, clock_starts
                )
            for row in rows:
                yield row
            if len(rows) < batch:
                return
            after = rows[-1].id
