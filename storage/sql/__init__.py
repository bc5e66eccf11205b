"""The SQL shared by every engine: the `Tx` operations, written once.

Both engines run exactly these statements (ANSI SQL plus `ON CONFLICT` and `RETURNING`,
which SQLite >= 3.35 and PostgreSQL share), so behaviour cannot drift between them.
Times are ISO-8601 UTC text in both, which sorts correctly and reads the same everywhere.

`SQLTx` is composed of one mixin per part of the workflow, each in its own module of this
package (people, messages, tickets, history, queues, followups, figures, routines, outbox,
delivery, training); `base` holds the four primitives they share and the engine's `dialect`,
`common` the columns, row converters and expressions several of them use, `tx` the composed
class and `store` `SQLStore`, the delivery calls every engine's store makes the same way.
"""

from __future__ import annotations

from storage.sql.common import _CLAIMED_AT, _RESOLVED_AT, Row, like_pattern, migrations
from storage.sql.figures import _RATING, _median_sql
from storage.sql.messages import ERASE_BATCH, ERASE_SENT_BATCH, LAST_ERASED
from storage.sql.queues import awaiting_closure_sql
from storage.sql.store import SQLStore
from storage.sql.tx import SQLTx

__all__ = [
    "ERASE_BATCH",
    "ERASE_SENT_BATCH",
    "LAST_ERASED",
    "Row",
    "SQLStore",
    "SQLTx",
    "_CLAIMED_AT",
    "_RATING",
    "_RESOLVED_AT",
    "_median_sql",
    "awaiting_closure_sql",
    "like_pattern",
    "migrations",
]
