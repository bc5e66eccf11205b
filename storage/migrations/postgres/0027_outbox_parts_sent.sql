-- The same as storage/migrations/sqlite/0027_outbox_parts_sent.sql.
ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
