-- More time to resolve a ticket (延期): the resolve limit staff granted it, replacing its
-- urgency's from the config, in the config's own form ('20wd', '36h').  NULL: the config's
-- limit.  Cleared when the ticket is reopened, whose fresh clock gets the config's limits.
ALTER TABLE tickets ADD COLUMN resolve_limit TEXT;
