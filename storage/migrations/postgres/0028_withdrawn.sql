-- The same as storage/migrations/sqlite/0028_withdrawn.sql.
ALTER TABLE tickets ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET withdrawn = 1
 WHERE status IN ('resolved', 'closed')
   AND (SELECT e.action FROM ticket_events e
         WHERE e.ticket_id = tickets.id AND e.action IN ('resolve', 'withdraw')
         ORDER BY e.id DESC LIMIT 1) = 'withdraw';
