-- The same as storage/migrations/sqlite/0020_zero_reports_day.sql.
CREATE INDEX zero_reports_day ON zero_reports (day);
