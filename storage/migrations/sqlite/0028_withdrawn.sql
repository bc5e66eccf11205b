-- 1 while a ticket stands ended by its reporter's withdrawal (撤回): resolved so, or closed
-- after that.  Its status is 'resolved' as a desk's resolution is (the workflow is the same),
-- but the group's acknowledgement, /status and the lists say 已撤回, not 已办结: the group
-- would otherwise read that the centre resolved it.  Cleared when the ticket is reopened.
-- Tickets withdrawn before this version: those whose latest ending was a withdrawal.
ALTER TABLE tickets ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET withdrawn = 1
 WHERE status IN ('resolved', 'closed')
   AND (SELECT e.action FROM ticket_events e
         WHERE e.ticket_id = tickets.id AND e.action IN ('resolve', 'withdraw')
         ORDER BY e.id DESC LIMIT 1) = 'withdraw';
