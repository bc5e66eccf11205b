-- How many parts of a row's text already went, where a platform sends a long text as
-- several messages (WeChat, 2048 bytes each) and a later part failed: a retry sends the
-- rest, not the whole text again (bot.adapters.base.PartlySent).  The row keeps the whole
-- text, what the person gets in all.
ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
