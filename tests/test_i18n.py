"""Every sentence exists in both languages and takes the same fields in each."""

from __future__ import annotations

import string

import pytest

from bot import i18n


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_catalogue_is_complete_and_consistent() -> None:
    for key, (zh, en) in i18n.CATALOGUE.items():
        assert zh and en, key
        assert fields(zh) == fields(en), key
    for table in (i18n.HELP, i18n.NAMES):
        for key, (zh, en) in table.items():
            assert zh and en, key


def test_chinese_is_the_default() -> None:
    assert i18n.t("lang_set", None) == "已切换为中文。"
    assert i18n.t("lang_set", "en") == "Language set to English."


def test_help_grows_with_role() -> None:
    resident = i18n.help_text("resident", "zh")
    worker = i18n.help_text("grid_worker", "zh")
    admin = i18n.help_text("admin", "zh")
    assert "/claim" not in resident and "/claim" in worker
    assert "/grant" in admin and "/grant" not in worker


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_staff_help_lists_each_command_once_as_staff_use_it(lang: str) -> None:
    """Staff read their own /stats (every area), not the grid worker's as well (their area)."""
    lines = i18n.help_text("staff", lang).splitlines()
    commands = [line.split()[0] for line in lines if line.startswith("/")]
    # /assign has two lines of staff's own: to a person, to a department.
    assert {c for c in commands if commands.count(c) > 1} == {"/assign"}
    stats = [line for line in lines if line.startswith("/stats")]
    assert len(stats) == 1 and ("全部网格" in stats[0] or "every area" in stats[0])
    assert any(line.startswith("/claim") for line in lines)  # the worker's own stay


def test_every_safety_rule_has_a_name() -> None:
    from classifier import rules

    for rule in rules.RULES:
        assert f"rule.{rule.name}" in i18n.NAMES, rule.name


def test_chinese_sets_a_name_off_with_spaces_but_not_its_own_words() -> None:
    """A person's name is spaced (worker1 would run into the characters); 相关部门, said of
    a liaison in a residents' group, is Chinese of the catalogue's own and takes none: "由
    相关部门 负责" read as a typo.  English keeps its spaces; so does a space between two
    placeholders (an area, then who)."""
    some = i18n.Phrase(i18n.name("department.some", "zh"))
    assert i18n.t("claimed", "zh", ticket="#1", name="worker1") == "工单 #1 已由 worker1 认领。"
    assert i18n.t("claimed", "zh", ticket="#1", name=some) == "工单 #1 已由相关部门认领。"
    assert i18n.t("not_holder", "zh", ticket="#1", holder=some).startswith("工单 #1 由相关部门负责")
    english = i18n.Phrase(i18n.name("department.some", "en"))
    claimed = i18n.t("claimed", "en", ticket="#1", name=english)
    assert claimed == "Ticket #1 claimed by a department."
    notice = i18n.t(
        "unclaimed_notice", "zh", area="东镇", name=some, ticket="#1", reason="r", number="1"
    )
    assert notice.startswith("【网格员退回】东镇 相关部门退回工单 #1：r")
