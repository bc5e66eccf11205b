-- The staff room's notices of messages whose handling failed (bot.failures): the first
-- failure after a quiet spell is told at once, those after it counted in one summary a
-- window later.  Each notice covers every failed message up to `through_id` (an
-- inbound_messages id) that no earlier notice covered; a second process's sweep finds the
-- summary recorded and does not send it again.
CREATE TABLE failure_notices (
    through_id  INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    messages    INTEGER NOT NULL
);
