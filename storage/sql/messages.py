"""What came in, and what waits on it: the log of inbound messages (each one's
disposition, the ticket it became), the journal that keeps a message from its callback's
answer until it is handled (replayed at the next start), callbacks taken once, replies
held until a resident writes one to one (`AWAITING_CONTACT`), and the retention job's
erasing of old words (`bot.retention`), both directions.
"""

from __future__ import annotations

from collections.abc import Sequence

from storage.base import AWAITING_CONTACT, InboundRecord
from storage.sql.base import SQLBase
from storage.sql.common import Row, _marks

# An outbox row that is a message to its reader: not an edit whose news is "", which a
# platform that cannot edit sends as nothing (`bot.turn.told_anew`): "2 条消息" waited for a
# resident who would get one; nor an edit of the buttons alone (`Outbound.buttons_only`).
_SAYS_SOMETHING = (
    "(edit_of IS NULL OR (buttons_only = 0 AND (news IS NULL OR news <> '')))"
)


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


_INBOUND_SELECT = """SELECT m.id, m.channel, m.chat_id, m.platform_message_id, m.sender_id,
           COALESCE(NULLIF(p.display_name, ''), p.user_id) AS sender_name, m.text,
           m.received_at, m.disposition, m.erased_at, m.thread_id
      FROM inbound_messages m JOIN people p ON p.id = m.sender_id"""


def _inbound(row: Row) -> InboundRecord:
    return InboundRecord(*(row[key] for key in row.keys()))  # noqa: SIM118 (Row)


class MessagesSQL(SQLBase):
    """Inbound messages, the journal, callbacks, held replies, retention."""

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
