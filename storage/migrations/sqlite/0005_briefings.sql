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
-- Its count of tickets resolved and reopened in a window (and /workload's resolutions)
-- reads the history by time, not every event ever recorded.  On `at` alone: an index
-- starting with `action` was taken by SQLite's planner for the per-ticket look-ups of
-- /stats and the ledger ("the ticket's latest resolve"), which then read every event of
-- that action for each ticket (2.4 s instead of 20 ms for /stats over 3,000 tickets).
CREATE INDEX ticket_events_at ON ticket_events (at);
