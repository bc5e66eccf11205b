-- Departments (转办, 吹哨报到).  A ticket may be handed to a department: a code of the
-- config's `[[departments]]`, whose liaisons (部门对接人) claim and resolve it; NULL: the
-- area's grid workers handle it.  Set by staff (/assign 12 PCS), cleared when the
-- department sends it back or staff assign it to someone outside it.  The index holds only
-- tickets handed on: a department's queue reads its own, however many the areas hold.
ALTER TABLE tickets ADD COLUMN department TEXT;
CREATE INDEX tickets_department ON tickets (department, status, created_at)
    WHERE department IS NOT NULL;

-- A person may be a department's liaison ('liaison', their `area` the department's code):
-- one more value in the role CHECK.  SQLite cannot change a constraint in place, so
-- `people` is rebuilt as 0003_dismissed.sql rebuilt `tickets`: every row copied with its
-- id (which the other tables refer to by the name `people`), the old table dropped, the
-- new one renamed.
CREATE TABLE people_new (
    id            INTEGER PRIMARY KEY,
    channel       TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    display_name  TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL DEFAULT 'resident'
                  CHECK (role IN ('resident', 'grid_worker', 'liaison', 'staff', 'admin')),
    area          TEXT,
    lang          TEXT,
    created_at    TEXT NOT NULL,
    UNIQUE (channel, user_id)
);
INSERT INTO people_new (id, channel, user_id, display_name, role, area, lang, created_at)
SELECT id, channel, user_id, display_name, role, area, lang, created_at FROM people;
DROP TABLE people;
ALTER TABLE people_new RENAME TO people;
