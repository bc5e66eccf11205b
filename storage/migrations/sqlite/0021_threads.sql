-- The thread of its room a message was written in (a Telegram forum's topic, by its
-- message_thread_id); NULL: the room's main conversation, and every room without threads.
-- A ticket keeps its report's, and an outbox row says where in its chat it goes: a notice
-- about a ticket that answers no message (a status change, an escalation, a digest) goes
-- to the topic the report came from, not to the forum's General topic (bot.turn.enqueue).
ALTER TABLE inbound_messages ADD COLUMN thread_id TEXT;
ALTER TABLE tickets ADD COLUMN thread_id TEXT;
ALTER TABLE outbox ADD COLUMN thread_id TEXT;
