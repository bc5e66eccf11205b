"""Training examples for the classifier: the desk's corrections (/retag, a dismissal
as chatter), kept for `intake-bot train`, and withdrawn when the desk changes its mind (a
dismissed ticket brought back).
"""

from __future__ import annotations

from storage.sql.base import SQLBase


class TrainingSQL(SQLBase):
    """The training_examples table."""

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

    async def training_examples(self) -> list[tuple[str, str, str]]:
        rows = await self._all("SELECT text, type, urgency FROM training_examples ORDER BY id")
        return [(r["text"], r["type"], r["urgency"]) for r in rows]
