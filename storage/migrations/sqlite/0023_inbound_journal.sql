-- A message its platform was told had arrived before it was handled (a WeChat callback
-- answered "success": bot.journal), kept here as the adapter translated it until its
-- handling has committed.  One a stop (or a crash) left unhandled is handled at the next
-- start, where the unique key of inbound_messages makes it count once.
CREATE TABLE inbound_journal (
    id                   INTEGER PRIMARY KEY,
    channel              TEXT NOT NULL,
    chat_id              TEXT NOT NULL,
    platform_message_id  TEXT NOT NULL,
    message              TEXT NOT NULL,  -- the Inbound, as JSON
    received_at          TEXT NOT NULL,
    UNIQUE (channel, chat_id, platform_message_id)
);
