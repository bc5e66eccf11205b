-- The same as storage/migrations/sqlite/0035_anonymous.sql.
ALTER TABLE tickets ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
