-- The same as storage/migrations/sqlite/0031_ticket_parts.sql.
ALTER TABLE tickets ADD COLUMN parts TEXT NOT NULL DEFAULT '';
UPDATE tickets SET parts = COALESCE((
        SELECT string_agg(e.payload::jsonb ->> 'text', chr(10) ORDER BY e.id)
          FROM ticket_events e
         WHERE e.ticket_id = tickets.id AND e.action = 'addendum'
           AND e.payload::jsonb ->> 'via' = 'follow_on'), '')
 WHERE id IN (SELECT ticket_id FROM ticket_events
               WHERE action = 'addendum' AND payload::jsonb ->> 'via' = 'follow_on');
