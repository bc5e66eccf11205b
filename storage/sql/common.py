"""What several parts of `SQLTx` share: the ticket and person columns, the row
converters, conditions and expressions, and the few spellings that differ by engine.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

from bot.adapters.base import Document
from classifier.rules import ABOUT_THE_DESK
from storage.base import TicketRecord

# A result row: sqlite3.Row and asyncpg.Record both index by column name.
Row = Any

_TICKET_COLUMNS = (
    "id, channel, chat_id, message_id, area, reporter_id, text, type, type_confidence, urgency, "
    "urgency_confidence, rules, needs_triage, status, assignee_id, resolution, created_at, "
    "updated_at, merged_into, resolve_limit, resolved_late, department, settled, assisting, "
    "major, people_involved, amount_involved, source, thread_id, withdrawn, parts, anonymous"
)
_PERSON_COLUMNS = "id, channel, user_id, display_name, role, area, lang"


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


# Open tickets: the ones still being worked (supervised), as a SQL list.
_OPEN = "('new', 'claimed', 'reopened')"


# Dismissed tickets were not reports, merged ones (并案) the same case told again: /stats
# counts both apart, in none of its figures.
_DISMISSED = "dismissed"
_MERGED = "merged"
_COUNTED = f"AND t.status NOT IN ('{_DISMISSED}', '{_MERGED}')"


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


def like_pattern(term: str) -> str:
    """`term` as a LIKE pattern that matches it anywhere, its own `%`, `_` and `\\` taken
    literally (the statements say ESCAPE '\\')."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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
        anonymous=bool(row["anonymous"]),
    )


# Ids per statement when a list of them is a parameter each: well under both engines'
# limits (SQLite 32,766, PostgreSQL 32,767 parameters).
_ID_CHUNK = 500


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + _ID_CHUNK] for i in range(0, len(ids), _ID_CHUNK)]


def not_about_the_desk(rules: str = "t.rules") -> tuple[str, tuple[str]]:
    """The condition (on a `rules` column, the JSON list of the rules that fired) and its
    parameter that leaves out the complaints about the desk's own people (作风反映): what the
    grid's workers are kept from (`bot.workflow.kept_from`) is neither in their queue nor in
    their figures and ledger."""
    return f"{rules} NOT LIKE ?", (f'%"{ABOUT_THE_DESK}"%',)


def _in_area(
    area: str | None, department: str | None = None, about_the_desk: bool = True
) -> tuple[str, tuple[str, ...]]:
    """The condition (on tickets `t`) and its parameters for one area, and for those handed
    to one department (转办); none for every area's.  Not `about_the_desk`: less the
    complaints about the desk's own people (`not_about_the_desk`)."""
    where, params = ("", ()) if area is None else ("AND t.area = ?", (area,))
    if department is not None:
        where, params = f"{where} AND t.department = ?", (*params, department)
    if not about_the_desk:
        condition, pattern = not_about_the_desk()
        where, params = f"{where} AND {condition}", (*params, *pattern)
    return where, params


def _marks(values: Sequence[object]) -> str:
    """`?, ?, ?` for an IN list (the values themselves are always parameters)."""
    return ", ".join("?" for _ in values)


def _clock_start_of(actions: Sequence[str], table: str) -> str:
    """`_clock_start` of the ticket `table` names (the table, or its alias in a query)."""
    return f"""COALESCE((SELECT MAX(e.at) FROM ticket_events e
                         WHERE e.ticket_id = {table}.id AND e.action IN ({_marks(actions)})),
                        {table}.created_at)"""


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
