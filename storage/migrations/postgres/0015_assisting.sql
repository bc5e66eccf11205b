-- The same as storage/migrations/sqlite/0015_assisting.sql.
ALTER TABLE tickets ADD COLUMN assisting TEXT NOT NULL DEFAULT '';
