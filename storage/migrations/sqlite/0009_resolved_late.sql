-- Whether the desk resolved a ticket after its resolve deadline (按期办结): 1 late, 0 on
-- time, as supervision counted the deadline then (an extension, 延期, included).  NULL: not
-- resolved by the desk (open, withdrawn by its reporter, or resolved before this version).
-- Cleared when the ticket is reopened; its next resolution is measured on its new clock.
ALTER TABLE tickets ADD COLUMN resolved_late INTEGER;
