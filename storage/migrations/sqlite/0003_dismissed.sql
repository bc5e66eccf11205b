-- Dismissal: a ticket may end as 'dismissed', not a report after all (group chatter the
-- classifier filed; bot/workflow.py has the rules).  One more value in the status CHECK.
--
-- SQLite cannot change a constraint in place, so `tickets` is rebuilt as SQLite's manual
-- prescribes (https://sqlite.org/lang_altertable.html#otheralter): a new table, every row
-- copied with its number, the old table dropped, the new one renamed, its indexes made
-- again.  The tables that refer to tickets name it, not the old table, so they refer to
-- the new one once renamed; the store runs migrations with foreign keys off and checks
-- them all before this commits (storage/sqlite.py).

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
                                          'dismissed')),
    assignee_id         INTEGER REFERENCES people(id),
    resolution          TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
INSERT INTO tickets_new (id, channel, chat_id, message_id, area, reporter_id, text, type,
                         type_confidence, urgency, urgency_confidence, rules, needs_triage,
                         status, assignee_id, resolution, created_at, updated_at)
SELECT id, channel, chat_id, message_id, area, reporter_id, text, type, type_confidence,
       urgency, urgency_confidence, rules, needs_triage, status, assignee_id, resolution,
       created_at, updated_at
  FROM tickets;
-- Ticket numbers are what people type: numbering carries on where the old table's
-- AUTOINCREMENT counter stood, so no number is ever given out twice.
UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'tickets')
 WHERE name = 'tickets_new';
DROP TABLE tickets;
ALTER TABLE tickets_new RENAME TO tickets;
CREATE INDEX tickets_queue ON tickets (area, status, created_at);
CREATE INDEX tickets_reporter ON tickets (reporter_id);
CREATE INDEX tickets_assignee ON tickets (assignee_id, status);
