-- Major and difficult cases (重大疑难: a dispute that may lead to a mass incident or a
-- grave public-security problem, or that has resisted every mediation), which staff list
-- for the centre's joint meetings (会商) and count apart; 1 while so marked.  Who marked it,
-- when and why are in its history.  The partial index serves the list of open ones.
ALTER TABLE tickets ADD COLUMN major INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tickets_major ON tickets (id) WHERE major = 1;
