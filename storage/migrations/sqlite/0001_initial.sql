-- Initial schema.  Times are UTC ISO-8601 strings ("2026-11-29T09:30:00.123Z"), which sort
-- as text and read the same in SQLite and in any other engine.

CREATE TABLE people (
    id            INTEGER PRIMARY KEY,
    channel       TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    display_name  TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL DEFAULT 'resident'
                  CHECK (role IN ('resident', 'grid_worker', 'staff', 'admin')),
    area          TEXT,
    lang          TEXT,
    created_at    TEXT NOT NULL,
    UNIQUE (channel, user_id)
);

CREATE TABLE tickets (
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
                        CHECK (status IN ('new', 'claimed', 'resolved', 'closed', 'reopened')),
    assignee_id         INTEGER REFERENCES people(id),
    resolution          TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX tickets_queue ON tickets (area, status, created_at);
CREATE INDEX tickets_reporter ON tickets (reporter_id);
CREATE INDEX tickets_assignee ON tickets (assignee_id, status);

-- Append-only audit trail: a ticket's whole history can be told from these rows.
CREATE TABLE ticket_events (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
    actor_id    INTEGER REFERENCES people(id),
    action      TEXT NOT NULL,
    at          TEXT NOT NULL,
    payload     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;

-- Every message the bot accepted, once: a redelivered update hits the unique key.
CREATE TABLE inbound_messages (
    id                   INTEGER PRIMARY KEY,
    channel              TEXT NOT NULL,
    chat_id              TEXT NOT NULL,
    platform_message_id  TEXT NOT NULL,
    sender_id            INTEGER REFERENCES people(id),
    text                 TEXT NOT NULL,
    received_at          TEXT NOT NULL,
    disposition          TEXT NOT NULL DEFAULT 'pending',  -- ticket, addendum, command, chatter, rejected, ignored
    ticket_id            INTEGER REFERENCES tickets(id),
    UNIQUE (channel, chat_id, platform_message_id)
);
CREATE INDEX inbound_disposition ON inbound_messages (disposition, id);

CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
    inbound_id  INTEGER REFERENCES inbound_messages(id),
    kind        TEXT NOT NULL,
    ref         TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attachments_ticket ON attachments (ticket_id);

-- Replies and notifications not yet delivered.  A row is written in the same transaction
-- as the change it reports, so a crash or an outage loses none.
CREATE TABLE outbox (
    id                   INTEGER PRIMARY KEY,
    channel              TEXT NOT NULL,
    chat_id              TEXT NOT NULL,
    kind                 TEXT NOT NULL DEFAULT 'reply',
    text                 TEXT NOT NULL,
    buttons              TEXT NOT NULL DEFAULT '[]',
    reply_to_message_id  TEXT,
    edit_of              INTEGER REFERENCES outbox(id),  -- edit the message this row sent
    ticket_id            INTEGER REFERENCES tickets(id),
    created_at           TEXT NOT NULL,
    next_attempt_at      TEXT NOT NULL,
    attempts             INTEGER NOT NULL DEFAULT 0,
    last_error           TEXT,
    sent_at              TEXT,
    platform_message_id  TEXT
);
CREATE INDEX outbox_due ON outbox (channel, sent_at, next_attempt_at);
CREATE INDEX outbox_sent_message ON outbox (channel, chat_id, platform_message_id);
CREATE INDEX outbox_ticket ON outbox (ticket_id, kind);

-- Corrections from the desk (/retag), kept as training examples for the classifier.
CREATE TABLE training_examples (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER REFERENCES tickets(id),
    text        TEXT NOT NULL,
    type        TEXT NOT NULL,
    urgency     TEXT NOT NULL,
    actor_id    INTEGER REFERENCES people(id),
    created_at  TEXT NOT NULL
);
