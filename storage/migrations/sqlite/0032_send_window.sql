-- What every process delivering from this database sent into a chat lately
-- (bot.outbox.StoredWindow): the times of its sends within the platform's latest window
-- (Telegram: 20 a minute into a group), oldest first, space-separated ISO text.  A send is
-- recorded before it is made, in the transaction that checks there is room for it, so
-- processes together keep the chat's limit; at most the limit's count of times is kept.
CREATE TABLE send_window (
    channel  TEXT NOT NULL,
    chat_id  TEXT NOT NULL,
    sent     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (channel, chat_id)
);
