-- The parts of a report told after it (补充: "楼上", "漏水" after "我要举报"), in the order
-- told, one a line: what the report is, with its own words, for the lists' first words and
-- the ledger's 反映内容, which read "我要举报" alone.  `Tx.add_part` appends to it; filled
-- here from the history's follow-on additions (payload via = 'follow_on').
ALTER TABLE tickets ADD COLUMN parts TEXT NOT NULL DEFAULT '';
UPDATE tickets SET parts = COALESCE((
        SELECT group_concat(said, char(10)) FROM (
            SELECT json_extract(e.payload, '$.text') AS said FROM ticket_events e
             WHERE e.ticket_id = tickets.id AND e.action = 'addendum'
               AND json_extract(e.payload, '$.via') = 'follow_on'
             ORDER BY e.id)), '')
 WHERE id IN (SELECT ticket_id FROM ticket_events
               WHERE action = 'addendum' AND json_extract(payload, '$.via') = 'follow_on');
