-- The same as storage/migrations/sqlite/0022_failure_notices.sql.
CREATE TABLE failure_notices (
    through_id  BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    messages    INTEGER NOT NULL
);
