-- How many people a case involves (涉及人数: persons, or households counted one each) and how
-- much money (涉及金额, whole yuan): columns of a centre's dispute ledger, and the figures it
-- reports ("化解涉及金额"); a crowd of thirty unpaid workers is not a quarrel between two
-- neighbours.  Read from the report when it is filed (bot.involved), put right by the desk
-- with 涉及 12 30人 5万元; NULL when nobody said.
ALTER TABLE tickets ADD COLUMN people_involved INTEGER;
ALTER TABLE tickets ADD COLUMN amount_involved INTEGER;
