-- The same as storage/migrations/sqlite/0013_department.sql: a ticket's department (转办),
-- and the role of a department's liaison.  PostgreSQL changes the CHECK in place.
ALTER TABLE tickets ADD COLUMN department TEXT;
CREATE INDEX tickets_department ON tickets (department, status, created_at)
    WHERE department IS NOT NULL;
ALTER TABLE people
    DROP CONSTRAINT people_role_check,
    ADD CONSTRAINT people_role_check
        CHECK (role IN ('resident', 'grid_worker', 'liaison', 'staff', 'admin'));
