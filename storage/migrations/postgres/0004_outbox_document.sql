-- A reply may be a file (the ledger); the same as
-- storage/migrations/sqlite/0004_outbox_document.sql.
ALTER TABLE outbox ADD COLUMN document TEXT;
