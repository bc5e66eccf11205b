-- The same as storage/migrations/sqlite/0012_outbox_erased.sql.
ALTER TABLE outbox ADD COLUMN erased_at TEXT;
CREATE INDEX outbox_unerased ON outbox (sent_at) WHERE erased_at IS NULL;
