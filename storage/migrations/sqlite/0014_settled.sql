-- Whether the desk's resolution settled the dispute (调处结果, for the 化解成功率 a centre
-- reports): 1 settled (化解成功), 0 not settled (未化解: the parties sent to court,
-- arbitration or another channel), NULL when the worker's outcome said neither (a hazard
-- fixed, a tip passed on), the ticket is not resolved, or it was resolved before this
-- version.  Read from the outcome's first words (bot.commands.settlement_of); cleared when
-- the ticket is reopened, like resolved_late.
ALTER TABLE tickets ADD COLUMN settled INTEGER;
