-- The same as storage/migrations/sqlite/0025_resolved_index.sql.
CREATE INDEX tickets_resolved ON tickets (id) WHERE status = 'resolved';
