-- The same as storage/migrations/sqlite/0024_ticket_numbers.sql: it starts from the
-- identity's last value, so no number given out is given out again.
CREATE TABLE ticket_numbers (
    only_row  INTEGER PRIMARY KEY CHECK (only_row = 1),
    last      BIGINT NOT NULL
);
INSERT INTO ticket_numbers (only_row, last)
SELECT 1, GREATEST(
    COALESCE(pg_sequence_last_value(pg_get_serial_sequence('tickets', 'id')::regclass), 0),
    COALESCE((SELECT MAX(id) FROM tickets), 0)
);
