-- The same as storage/migrations/sqlite/0009_resolved_late.sql.
ALTER TABLE tickets ADD COLUMN resolved_late INTEGER;
