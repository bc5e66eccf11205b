-- The last ticket number given out, in one row that a filing moves on in its own
-- transaction: a rolled-back filing gives its number back (PostgreSQL's identity burned
-- one in every rollback, and a ledger whose numbers skip reads as tickets removed), and a
-- number once committed is never given out again, even if its ticket were deleted by
-- hand (AUTOINCREMENT's promise, kept: it starts from that counter).
CREATE TABLE ticket_numbers (
    only_row  INTEGER PRIMARY KEY CHECK (only_row = 1),
    last      INTEGER NOT NULL
);
INSERT INTO ticket_numbers (only_row, last)
SELECT 1, MAX(
    COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'tickets'), 0),
    COALESCE((SELECT MAX(id) FROM tickets), 0)
);
