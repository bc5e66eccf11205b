-- The same as storage/migrations/sqlite/0017_involved.sql (an amount may pass 2^31 yuan).
ALTER TABLE tickets ADD COLUMN people_involved INTEGER;
ALTER TABLE tickets ADD COLUMN amount_involved BIGINT;
