-- A hotline work order (工单, `intake-bot db import`) is a ticket whose channel is 'hotline',
-- whose chat_id names the platform that assigned it (12345) and whose message_id is the
-- platform's own work-order number (工单编号), as a chat report's is its message's id.  One
-- ticket per number and platform: importing the same file again files nothing twice, and
-- two imports at once cannot both file one order (the second's insert fails, is rolled back).
CREATE UNIQUE INDEX tickets_hotline_number ON tickets (chat_id, message_id)
    WHERE channel = 'hotline';
