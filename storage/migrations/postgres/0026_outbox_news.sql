-- The same as storage/migrations/sqlite/0026_outbox_news.sql.
ALTER TABLE outbox ADD COLUMN news TEXT;
