-- The daily briefing; the same as storage/migrations/sqlite/0005_briefings.sql.
CREATE TABLE briefings (
    day      TEXT PRIMARY KEY,
    starts   TEXT NOT NULL,
    ends     TEXT NOT NULL,
    sent_at  TEXT NOT NULL
);
CREATE INDEX ticket_events_at ON ticket_events (at);
