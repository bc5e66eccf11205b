-- The departments asked to assist with a ticket (协办) while another leads it (主办: the
-- department it was handed to, or its area's grid): their codes, each between single
-- spaces ('SFS XFB'; '' for none).  Their liaisons may open and note the ticket and are
-- told its outcome; only the lead claims and resolves it.  A text column rather than a
-- table: a ticket has a few at most, they load with the ticket for every permission check
-- (bot.workflow.can_see), and one UPDATE adds or removes one atomically on both engines.
ALTER TABLE tickets ADD COLUMN assisting TEXT NOT NULL DEFAULT '';
