-- How a follow-up visit's rating stands (回访): NULL, answered in the question's words (a
-- button, 「满意 1」); 'words', read from everyday words ("修好了", bot/visit_words.py), which
-- the reporter may correct once; 'correction', so corrected.  The correction is one
-- conditional update of this row (from 'words' to 'correction'), so two at once apply one.
-- Visits rated before this version: their ticket's latest rating's `via`, for the latest
-- visit of each ticket (only that one may be corrected).
ALTER TABLE followups ADD COLUMN rated_via TEXT CHECK (rated_via IN ('words', 'correction'));
UPDATE followups SET rated_via = (
        SELECT json_extract(e.payload, '$.via') FROM ticket_events e
         WHERE e.ticket_id = followups.ticket_id AND e.action = 'rate'
         ORDER BY e.id DESC LIMIT 1)
 WHERE state = 'rated'
   AND id = (SELECT MAX(g.id) FROM followups g WHERE g.ticket_id = followups.ticket_id)
   AND (SELECT json_extract(e.payload, '$.via') FROM ticket_events e
         WHERE e.ticket_id = followups.ticket_id AND e.action = 'rate'
         ORDER BY e.id DESC LIMIT 1) IN ('words', 'correction');
