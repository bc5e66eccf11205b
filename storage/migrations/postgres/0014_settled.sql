-- The same as storage/migrations/sqlite/0014_settled.sql.
ALTER TABLE tickets ADD COLUMN settled INTEGER;
