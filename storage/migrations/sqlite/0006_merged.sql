-- Merging (并案): a ticket that tells again another's event is handled as part of it
-- (bot/workflow.py has the rules).  One more value in the status CHECK, 'merged', and
-- `merged_into`, the ticket it went into, while it is merged (cleared when brought back).
--
-- SQLite cannot change a constraint in place: `tickets` is rebuilt as in
-- 0003_dismissed.sql (a new table, every row copied with its number, the numbering carried
-- on, the old table dropped, the new one renamed, its indexes made again).
CREATE TABLE tickets_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    channel             TEXT NOT NULL,
    chat_id             TEXT NOT NULL,
    message_id          TEXT NOT NULL,                -- the report's platform message id
    area                TEXT,
    reporter_id         INTEGER NOT NULL REFERENCES people(id),
    text                TEXT NOT NULL,
    type                TEXT NOT NULL,
    type_confidence     REAL NOT NULL DEFAULT 0,
    urgency             TEXT NOT NULL,
    urgency_confidence  REAL NOT NULL DEFAULT 0,
    rules               TEXT NOT NULL DEFAULT '[]',   -- JSON list of safety rules that fired
    needs_triage        INTEGER NOT NULL DEFAULT 0,
    status              TEXT NOT NULL DEFAULT 'new'
                        CHECK (status IN ('new', 'claimed', 'resolved', 'closed', 'reopened',
                                          'dismissed', 'merged')),
    assignee_id         INTEGER REFERENCES people(id),
    resolution          TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    merged_into         INTEGER REFERENCES tickets(id)
);
INSERT INTO tickets_new (id, channel, chat_id, message_id, area, reporter_id, text, type,
                         type_confidence, urgency, urgency_confidence, rules, needs_triage,
                         status, assignee_id, resolution, created_at, updated_at)
SELECT id, channel, chat_id, message_id, area, reporter_id, text, type, type_confidence,
       urgency, urgency_confidence, rules, needs_triage, status, assignee_id, resolution,
       created_at, updated_at
  FROM tickets;
UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'tickets')
 WHERE name = 'tickets_new';
DROP TABLE tickets;
ALTER TABLE tickets_new RENAME TO tickets;
CREATE INDEX tickets_queue ON tickets (area, status, created_at);
CREATE INDEX tickets_reporter ON tickets (reporter_id);
CREATE INDEX tickets_assignee ON tickets (assignee_id, status);
-- A case's merged tickets (to tell their reporters its outcome), without an entry for each
-- of the tickets never merged.
CREATE INDEX tickets_merged_into ON tickets (merged_into) WHERE merged_into IS NOT NULL;
