-- 1 for an edit whose text is the same as the version's before it: only its buttons change
-- (bot.adapters.base.Outbound.buttons_only), which Telegram edits alone and WeChat, where an
-- edit is a message to the reporter, does not send.  `Tx.enqueue` sets it.
ALTER TABLE outbox ADD COLUMN buttons_only INTEGER NOT NULL DEFAULT 0;
