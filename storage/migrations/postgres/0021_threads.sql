-- The same as storage/migrations/sqlite/0021_threads.sql.
ALTER TABLE inbound_messages ADD COLUMN thread_id TEXT;
ALTER TABLE tickets ADD COLUMN thread_id TEXT;
ALTER TABLE outbox ADD COLUMN thread_id TEXT;
