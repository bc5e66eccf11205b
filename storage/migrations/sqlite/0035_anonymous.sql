-- Anonymous reports (匿名反映): 1 when the reporter asked that their identity be kept from
-- those who handle the case (grid workers, a department's liaisons), who are often their
-- neighbours.  The reporter is still `reporter_id`, read by staff and admins, who answer for
-- it; who else reads it is `bot.privacy.names_reporter`.  (0035 was left to a change made
-- at the same time.)
ALTER TABLE tickets ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
