-- The mediation sessions' events (调解, `bot.mediation`), which every supervision sweep
-- reads (`Tx.mediation_events`): a few rows among a province's millions of events, found
-- without reading every open ticket's history.
CREATE INDEX ticket_events_mediation ON ticket_events (ticket_id, id)
    WHERE action IN ('mediation', 'mediation_cancelled', 'mediation_reminded');
