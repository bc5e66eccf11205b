-- A reply may be a file (the ledger, 台账, sent by /export): the outbox row keeps what
-- the file is and how to make it, as JSON {"filename", "mime_type", "source"}; NULL for
-- a text message.  The bytes are never stored: they are made when the row is delivered
-- (bot/export.py), so a database holds no second copy of residents' reports and any
-- process sharing it can deliver the row.  Adding a nullable column rewrites no row.
ALTER TABLE outbox ADD COLUMN document TEXT;
