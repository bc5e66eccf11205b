-- The same as storage/migrations/sqlite/0030_outbox_buttons_only.sql.
ALTER TABLE outbox ADD COLUMN buttons_only INTEGER NOT NULL DEFAULT 0;
