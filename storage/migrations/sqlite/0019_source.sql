-- Where a report came from (信息来源, a column of a centre's ledger and a line of its
-- figures): a resident in an intake group ('group'), a resident one to one ('private'), a
-- grid worker's own report ('grid': 上报, what a patrol or the day's screening found), or
-- another of the desk's people ('desk': a walk-in or a call written down by staff, a
-- department's liaison).  Set when the ticket is filed (bot.filing.source_of).  Tickets
-- from before are read off their reporter's role as it is now, and their chat.
ALTER TABLE tickets ADD COLUMN source TEXT NOT NULL DEFAULT 'group';
UPDATE tickets SET source = 'grid'
 WHERE reporter_id IN (SELECT id FROM people WHERE role = 'grid_worker');
UPDATE tickets SET source = 'desk'
 WHERE reporter_id IN (SELECT id FROM people WHERE role NOT IN ('resident', 'grid_worker'));
UPDATE tickets SET source = 'private'
 WHERE source = 'group'
   AND chat_id = (SELECT p.user_id FROM people p WHERE p.id = tickets.reporter_id);
-- A grid worker's report that is a day's screening find (bot.screening): a ticket filed,
-- or one added to (the same dispute found again).  The grid and the local day as they
-- were then; a find whose ticket is dismissed since (作废) no longer counts.  Reports
-- from before this version are not in it.
CREATE TABLE screening_finds (
    id         INTEGER PRIMARY KEY,
    area       TEXT NOT NULL,
    day        TEXT NOT NULL,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
    person_id  INTEGER NOT NULL REFERENCES people (id),
    at         TEXT NOT NULL
);
CREATE INDEX screening_finds_day ON screening_finds (day);
