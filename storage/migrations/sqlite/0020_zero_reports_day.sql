-- The screening reads a period's zero reports by day (bot.screening.grid_days); the key
-- (area, day) serves one grid's, and a province's grids make millions of rows a year.
CREATE INDEX zero_reports_day ON zero_reports (day);
