"""An area named by the start of its name, as staff say it: 东镇 for the grid 东镇第一网格.

In the demo (and any centre whose grids have long names) "统计 本月 东镇", "超期 东镇" and
"待办 东镇" in the staff room went unanswered: 东镇 was no configured name, so the parser
took each for a report, which the staff room keeps as talk.
"""

from __future__ import annotations

import pytest

from bot.commands import Command, parse
from bot.config import Area, Config, Department
from bot.workflow import Action


def _config(*areas: tuple[str, str]) -> Config:
    return Config(
        areas=[Area(code=code, name=name) for code, name in areas],
        departments=[Department(code="PCS", name="派出所"), Department(code="SFS", name="司法所")],
    )


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("统计 本月 东镇", Command(Action.STATS, None, "本月 东镇")),
        ("超期 东镇", Command(Action.OVERDUE, None, "东镇")),
        ("待办 东镇", Command(Action.QUEUE, None, "东镇")),
        ("待结案 东镇", Command(Action.CLOSE, None, "东镇")),
        ("导出台账 东镇", Command(Action.EXPORT, None, "东镇")),
    ],
)
def test_start_of_an_area_name_is_the_area(text: str, command: Command) -> None:
    config = _config(("DZ", "东镇第一网格"), ("XC", "西村网格"))
    assert parse(text, config.scope_names) == command
    assert config.area_words["东镇"] == "DZ"
    assert config.area_words["西村"] == "XC"
    # The whole name and the code still name it.
    assert config.area_words["东镇第一网格"] == "DZ"
    assert config.area_words["DZ"] == "DZ"


def test_a_start_two_areas_share_names_neither() -> None:
    config = _config(("D1", "东镇第一网格"), ("D2", "东镇第二网格"))
    assert "东镇" not in config.area_words
    assert "东镇" not in config.scope_names
    assert parse("统计 本月 东镇", config.scope_names) is None  # still words, not a guess
    assert config.area_words["东镇第一"] == "D1"


def test_a_start_a_department_shares_is_not_the_area() -> None:
    config = _config(("PX", "派出所辖区网格"))
    assert "派出所" not in config.area_words  # the department's name stays its own
    assert "派出" not in config.area_words
    assert config.area_words["派出所辖"] == "PX"
    # A single character is no name.
    assert "东" not in _config(("DZ", "东镇第一网格")).area_words


def test_a_department_by_the_start_of_its_name() -> None:
    """"协办 5 司法" was told there is no such department: 司法 starts 司法所 and nothing else,
    so it names it, as 东镇 names 东镇第一网格.  Never a synonym: 公安 is not 派出所."""
    config = _config(("DZ", "东镇第一网格"))
    department = config.find_department("司法")
    assert department is not None and department.code == "SFS"
    assert config.find_department("公安") is None
    assert config.find_department("司") is None  # a single character is no name
    assert "司法" in config.scope_names
    assert parse("待办 司法", config.scope_names) == Command(Action.QUEUE, None, "司法")
    assert parse("统计 本月 派出", config.scope_names) == Command(Action.STATS, None, "本月 派出")
    # A start an area shares is neither's.
    shared = _config(("PX", "派出所辖区网格"))
    assert shared.find_department("派出") is None
    assert shared.find_department("派出所") is not None
