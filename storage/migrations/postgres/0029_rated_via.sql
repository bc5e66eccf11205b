-- The same as storage/migrations/sqlite/0029_rated_via.sql.
ALTER TABLE followups ADD COLUMN rated_via TEXT CHECK (rated_via IN ('words', 'correction'));
UPDATE followups SET rated_via = (
        SELECT e.payload::jsonb ->> 'via' FROM ticket_events e
         WHERE e.ticket_id = followups.ticket_id AND e.action = 'rate'
         ORDER BY e.id DESC LIMIT 1)
 WHERE state = 'rated'
   AND id = (SELECT MAX(g.id) FROM followups g WHERE g.ticket_id = followups.ticket_id)
   AND (SELECT e.payload::jsonb ->> 'via' FROM ticket_events e
         WHERE e.ticket_id = followups.ticket_id AND e.action = 'rate'
         ORDER BY e.id DESC LIMIT 1) IN ('words', 'correction');
