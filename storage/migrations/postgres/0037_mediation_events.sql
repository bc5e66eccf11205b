-- The same as storage/migrations/sqlite/0037_mediation_events.sql.
CREATE INDEX ticket_events_mediation ON ticket_events (ticket_id, id)
    WHERE action IN ('mediation', 'mediation_cancelled', 'mediation_reminded');
