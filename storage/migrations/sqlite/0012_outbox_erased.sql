-- When the words of a message the bot sent were erased after `[retention] sent_days`
-- (bot.retention); NULL: kept.  The row stays (its platform id is what an edit of the
-- message, or a reply to it, is matched by).  The index holds only rows not yet erased,
-- so the daily run reads the days it keeps and what is due, never the years erased before.
ALTER TABLE outbox ADD COLUMN erased_at TEXT;
CREATE INDEX outbox_unerased ON outbox (sent_at) WHERE erased_at IS NULL;
