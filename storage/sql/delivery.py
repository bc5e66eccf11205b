"""Delivering the outbox, outside message transactions (`SQLStore` runs each call in
a short one of its own): due rows, claims, sends and their rate limits, failures, parking
and resending, and the outbox's state for /health.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.adapters.base import Button, Document, Outbound
from storage.base import AWAITING_CONTACT, PARKED, OutboxState
from storage.sql.base import SQLBase
from storage.sql.common import Row, _document_json, _marks

URGENT = "urgent"  # tickets.urgency of a ticket whose messages go first


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
        urgent=bool(row["urgent"]),
    )


# Whether row `o` (joined to the row it edits, `ref`) may go once due: an edit waits for the
# message it edits to be sent, and for that message's edits queued before it that are still
# to go (retried, or being sent; not parked nor waiting for their recipient).  Each edit says
# the message's whole state, so an older one sent last put the older state back: a claim's
# edit retried after a network error undid the resolution's, sent meanwhile.  Its parameter
# is AWAITING_CONTACT.
_READY = """(o.edit_of IS NULL OR (ref.sent_at IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM outbox e WHERE e.edit_of = o.edit_of AND e.id < o.id
                   AND e.sent_at IS NULL AND e.next_attempt_at < ?)))"""


class DeliverySQL(SQLBase):
    """Reading and settling the outbox."""

    async def due_outbox(self, channel: str, now: str, limit: int) -> list[Outbound]:
        # Rows about an urgent ticket first (its urgency now: the desk may have raised or
        # lowered it since the row was queued), then in the order they were queued.  An
        # edit still waits for its message and that message's earlier edits (`_READY`).
        rows = await self._all(
            f"""SELECT o.*, ref.platform_message_id AS edit_message_id,
                       CASE WHEN t.urgency = ? THEN 1 ELSE 0 END AS urgent
                 FROM outbox o LEFT JOIN outbox ref ON ref.id = o.edit_of
                      LEFT JOIN tickets t ON t.id = o.ticket_id
                WHERE o.channel = ? AND o.sent_at IS NULL AND o.next_attempt_at <= ?
                  AND {_READY}
                ORDER BY urgent DESC, o.id LIMIT ?""",
            (URGENT, channel, now, AWAITING_CONTACT, limit),
        )
        return [_outbound(r) for r in rows]

    async def due_answers(
        self, channel: str, waiting: Sequence[tuple[str, str]], now: str
    ) -> list[Outbound]:
        # The due rows answering messages whose callback is still open (a WeChat passive
        # reply), read by chat (`outbox_sent_message` starts with channel, chat_id) and
        # matched to the message in hand: a few chats, a few rows.  Not an edit (it waits
        # for its message) nor a file (never passive; made only in its turn).
        chats = sorted({chat_id for chat_id, _ in waiting})
        if not chats:
            return []
        rows = await self._all(
            f"""SELECT o.*, NULL AS edit_message_id, 0 AS urgent FROM outbox o
                WHERE o.channel = ? AND o.chat_id IN ({_marks(chats)}) AND o.sent_at IS NULL
                  AND o.next_attempt_at <= ? AND o.reply_to_message_id IS NOT NULL
                  AND o.edit_of IS NULL AND o.document IS NULL
                ORDER BY o.id""",
            (channel, *chats, now),
        )
        wanted = set(waiting)
        return [
            _outbound(r) for r in rows if (r["chat_id"], r["reply_to_message_id"]) in wanted
        ]

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
        self, channel: str, chat_id: str, now: str, count: int, windows: Sequence[tuple[str, int]]
    ) -> list[str | None] | None:
        # The record keeps what the longest window still counts (WeCom's hour besides its
        # minute); a text of more pieces than a window allows takes all its places.
        times = sorted(t for t in await self._send_times(channel, chat_id)
                       if t > min(since for since, _ in windows))
        count = min(count, *(limit for _, limit in windows))
        blocking: list[str | None] = []
        for since, limit in windows:
            inside = [t for t in times if t > since]
            over = len(inside) + count - limit
            blocking.append(inside[over - 1] if over > 0 else None)
        if any(blocking):
            return blocking
        await self._run(
            "UPDATE send_window SET sent = ? WHERE channel = ? AND chat_id = ?",
            (" ".join(sorted(times + [now] * count)), channel, chat_id),
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
        # Only rows that may go when due (`_READY`): an edit held back by another row goes
        # in the flush that sends that row.  Counted, its time long past made the delivery
        # loop spin (no pause, hundreds of queries a second) while the row it waits for
        # waited for its turn in a group's pace or its retry.
        marks = ", ".join("?" for _ in channels)
        row = await self._one(
            f"""SELECT MIN(o.next_attempt_at) AS due
                 FROM outbox o LEFT JOIN outbox ref ON ref.id = o.edit_of
                WHERE o.sent_at IS NULL AND o.next_attempt_at < ? AND o.channel IN ({marks})
                  AND {_READY}""",
            [AWAITING_CONTACT, *channels, AWAITING_CONTACT],
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
