-- A report its reporter withdrew (撤回) is not visited (回访, bot.followup): its visit is
-- cancelled, and a rating of it refused (已撤回，不能评价).  Before version 28 a ticket
-- resolved, reopened and then withdrawn kept its first resolution's visit, which the sweep
-- still asked: 结案 then warned 已回访，反映人尚未答复 of an answer 满意 would refuse, while
-- 待结案 read 无需回访.  Such visits still open are cancelled as the sweep now cancels them.
UPDATE followups SET state = 'cancelled'
 WHERE state IN ('pending', 'unreachable', 'asked')
   AND ticket_id IN (SELECT id FROM tickets WHERE withdrawn = 1);
