-- The edits of one outbox row, found when that row is parked or left waiting for its
-- recipient (their edits wait with it: `Tx.mark_failed`).  Partial: most rows edit
-- nothing.
CREATE INDEX outbox_edits ON outbox (edit_of) WHERE edit_of IS NOT NULL;
