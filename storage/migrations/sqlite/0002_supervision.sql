-- Supervision and follow-up visits.

-- An event that may happen only once per key (an escalation level of one deadline): the
-- unique index makes "record it unless it is there" one atomic statement, across sweeps,
-- restarts and processes.  NULL (every other event) never conflicts.  Adding a column
-- does not touch existing rows, so the table stays append-only.
ALTER TABLE ticket_events ADD COLUMN once_key TEXT;
CREATE UNIQUE INDEX ticket_events_once ON ticket_events (ticket_id, once_key);

-- One follow-up visit (回访) per resolution: scheduled when a ticket is resolved, asked
-- when due, answered once.  `state` moves only by conditional updates.
CREATE TABLE followups (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES tickets(id),
    resolved_at  TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'asked', 'unreachable', 'cancelled', 'rated')),
    swept_at     TEXT,                -- when the sweep asked, or found it could not
    rating       TEXT CHECK (rating IN ('satisfied', 'fair', 'unsatisfied')),
    rated_at     TEXT,
    UNIQUE (ticket_id, resolved_at)
);
CREATE INDEX followups_due ON followups (state, due_at);
