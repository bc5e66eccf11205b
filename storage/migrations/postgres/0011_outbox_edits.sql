-- The same as storage/migrations/sqlite/0011_outbox_edits.sql.
CREATE INDEX outbox_edits ON outbox (edit_of) WHERE edit_of IS NOT NULL;
