-- The same as storage/migrations/sqlite/0036_hotline_numbers.sql.
CREATE UNIQUE INDEX tickets_hotline_number ON tickets (chat_id, message_id)
    WHERE channel = 'hotline';
