-- The resolved tickets waiting to be closed (待结案: the list, 结案 满意, the briefing's line).
-- A centre that closes its cases holds a few weeks' resolved ones among years of closed
-- ones, millions at a province's scale; with no index led by `status` (tickets_queue is led
-- by `area`) every such read scanned the whole table.  Only resolved tickets are in this
-- one, as only major ones are in tickets_major.
CREATE INDEX tickets_resolved ON tickets (id) WHERE status = 'resolved';
