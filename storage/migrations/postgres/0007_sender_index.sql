-- The same as storage/migrations/sqlite/0007_sender_index.sql.
CREATE INDEX inbound_sender ON inbound_messages (sender_id, id);
