"""Queuing the bot's replies (`outbox`) in the transaction that decided them: a reply
is queued with its decision or not at all, and `delivery` sends it later.
"""

from __future__ import annotations

import json

from bot.adapters.base import Outbound
from storage.base import AWAITING_CONTACT, PARKED
from storage.sql.base import SQLBase
from storage.sql.common import _document_json


class OutboxSQL(SQLBase):
    """Writing to the outbox."""

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
