-- The same as storage/migrations/sqlite/0018_screening.sql.
CREATE TABLE zero_reports (
    area       TEXT NOT NULL,
    day        TEXT NOT NULL,
    person_id  BIGINT NOT NULL REFERENCES people (id),
    at         TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (area, day)
);
CREATE TABLE screening_reminders (
    day      TEXT PRIMARY KEY,
    sent_at  TEXT NOT NULL
);
