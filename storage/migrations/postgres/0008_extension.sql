-- The same as storage/migrations/sqlite/0008_extension.sql.
ALTER TABLE tickets ADD COLUMN resolve_limit TEXT;
