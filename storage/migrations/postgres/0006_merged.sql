-- Merging (并案); the same as storage/migrations/sqlite/0006_merged.sql: one more status,
-- 'merged', and the ticket it went into.
ALTER TABLE tickets
    DROP CONSTRAINT tickets_status_check,
    ADD CONSTRAINT tickets_status_check
        CHECK (status IN ('new', 'claimed', 'resolved', 'closed', 'reopened', 'dismissed',
                          'merged')),
    ADD COLUMN merged_into BIGINT REFERENCES tickets(id);
CREATE INDEX tickets_merged_into ON tickets (merged_into) WHERE merged_into IS NOT NULL;
