-- The same as storage/migrations/sqlite/0032_send_window.sql.
CREATE TABLE send_window (
    channel  TEXT NOT NULL,
    chat_id  TEXT NOT NULL,
    sent     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (channel, chat_id)
);
