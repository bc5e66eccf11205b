-- What an edit says as a message of its own on a platform that cannot edit (WeChat): the
-- acknowledgement's new state in a line, not the whole acknowledgement again.  NULL: the
-- whole text (bot.adapters.base.Outbound.news).
ALTER TABLE outbox ADD COLUMN news TEXT;
