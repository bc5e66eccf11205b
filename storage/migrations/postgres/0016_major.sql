-- The same as storage/migrations/sqlite/0016_major.sql.
ALTER TABLE tickets ADD COLUMN major INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tickets_major ON tickets (id) WHERE major = 1;
