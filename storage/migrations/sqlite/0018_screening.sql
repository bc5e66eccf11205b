-- Dispute screening (矛盾纠纷排查): each working day every grid reports what its worker
-- found, a dispute by 上报 (a ticket) or nothing, by a zero report (零报告).  One row per
-- grid and local day: the first to report it, when, and what they added ("已走访12户").
-- A grid with neither on a working day has not reported (bot.screening).
CREATE TABLE zero_reports (
    area       TEXT NOT NULL,
    day        TEXT NOT NULL,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    at         TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (area, day)
);
-- The day's reminder to the workers of the grids not yet reported went out (once a day,
-- whichever process swept first).
CREATE TABLE screening_reminders (
    day      TEXT PRIMARY KEY,
    sent_at  TEXT NOT NULL
);
