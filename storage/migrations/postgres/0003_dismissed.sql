-- Dismissal (PostgreSQL); the same as storage/migrations/sqlite/0003_dismissed.sql: a
-- ticket may end as 'dismissed', not a report after all.  PostgreSQL changes the CHECK in
-- place (checking the existing rows against the new one).
ALTER TABLE tickets
    DROP CONSTRAINT tickets_status_check,
    ADD CONSTRAINT tickets_status_check
        CHECK (status IN ('new', 'claimed', 'resolved', 'closed', 'reopened', 'dismissed'));
