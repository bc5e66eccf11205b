-- The same as storage/migrations/sqlite/0034_withdrawn_visits.sql.
UPDATE followups SET state = 'cancelled'
 WHERE state IN ('pending', 'unreachable', 'asked')
   AND ticket_id IN (SELECT id FROM tickets WHERE withdrawn = 1);
