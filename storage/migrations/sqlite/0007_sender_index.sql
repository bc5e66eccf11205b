-- A resident's private report (私下反映) is filed for the area of the intake group they last
-- wrote in (`Tx.latest_room_of`): their messages, newest first, without reading everyone's.
CREATE INDEX inbound_sender ON inbound_messages (sender_id, id);
