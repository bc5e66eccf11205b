-- The daily briefing (每日简报) to the staff rooms: one row per local day it went out for,
-- so a restart or a second process sharing the database sends it once.  `starts` and
-- `ends` bound what its figures cover (UTC ISO text, as every time here); the next one
-- starts where this one ended, so Monday's covers the weekend.
CREATE TABLE briefings (
    day      TEXT PRIMARY KEY,
    starts   TEXT NOT NULL,
    ends     TEXT NOT NULL,
    sent_at  TEXT NOT NULL
);
-- Its count of tickets resolved and reopened in a window reads the history by action and
-- time, not every event ever recorded.
CREATE INDEX ticket_events_action_at ON ticket_events (action, at);
