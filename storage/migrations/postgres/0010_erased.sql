-- The same as storage/migrations/sqlite/0010_erased.sql.
ALTER TABLE inbound_messages ADD COLUMN erased_at TEXT;
