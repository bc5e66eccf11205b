"""What `bot.desk_hints` reads from a desk member's plain words about one ticket: "1号办好了",
"3号需要派出所处理", "5号我来处理"; and what it does not (a question, two tickets, a
building's number)."""

from __future__ import annotations

import pytest

from bot.desk_hints import Said, read
from bot.workflow import Action


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("1号办好了", Said(Action.RESOLVE, 1)),
        ("#1 已经处理好了", Said(Action.RESOLVE, 1)),
        ("1号调解成功了", Said(Action.RESOLVE, 1)),
        ("1 号办完了", Said(Action.RESOLVE, 1)),
        ("工单12已化解", Said(Action.RESOLVE, 12)),
        ("第3号解决了，双方已和解", Said(Action.RESOLVE, 3)),
        ("5号我处理好了", Said(Action.RESOLVE, 5)),
        ("3号需要派出所处理", Said(Action.DISPATCH, 3, "派出所")),
        ("3号转给司法所", Said(Action.DISPATCH, 3, "司法所")),
        ("把3号移交给PCS吧", Said(Action.DISPATCH, 3, "PCS")),
        ("3号应由司法来调解", Said(Action.DISPATCH, 3, "司法")),
        ("5号我来处理", Said(Action.CLAIM, 5)),
        ("5号我去看看", Said(Action.CLAIM, 5)),
        ("2号我认领了", Said(Action.CLAIM, 2)),
        ("好的，#5 我来跟，下午过去", Said(Action.CLAIM, 5)),
        ("5号交给我吧", Said(Action.CLAIM, 5)),
        # Not a claim that it was done, nor one ticket, nor a ticket at all.
        ("1号办好了吗？", None),
        ("1号办好了没", None),
        ("1号办好了吧", None),
        ("1号还没办好", None),
        ("1号没有处理好", None),
        ("3号需要派出所处理吗", None),
        ("1号和2号办好了", None),
        ("1号办好了，2号明天去", None),
        ("3号楼办好了", None),
        ("3号楼漏水", None),
        ("1号处理", None),
        ("1号我来", None),  # also "I will come on the 1st"
        ("办好了", None),
    ],
)
def test_what_is_read_from_the_words(text: str, said: Said | None) -> None:
    assert read(text) == said
