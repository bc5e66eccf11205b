-- When the words of a logged message that never became part of a ticket (chatter, a
-- command, a held report …) were erased after `[retention] message_days`
-- (bot.retention); NULL: kept.  The row stays: who wrote where, and when, is what the
-- pipeline still reads (whether the bot may write to them privately, which group a
-- private report belongs to).
ALTER TABLE inbound_messages ADD COLUMN erased_at TEXT;
