"""我的 (/mine) lists `LIST_LIMIT` tickets of each kind and says when there are more: a list
cut off unsaid reads as all of them (a resident with a long history thought their earliest
reports lost)."""

from __future__ import annotations

from bot.adapters.harness import Harness
from bot.desk.base import LIST_LIMIT

PLACES = "东南西北中"


def _report(i: int) -> str:
    """Reports distinct enough that none is taken for a repeat of another."""
    return f"{PLACES[i % 5]}区{i}号楼的住户{'反映' * (i % 3 + 1)}路灯坏了第{i}天"


async def test_a_long_list_says_it_is_cut_off(harness: Harness) -> None:
    for i in range(LIST_LIMIT + 1):
        ack, *_ = await harness.say("resident1", _report(i))
        assert f"#{i + 1}" in ack.text, ack.text
    [mine] = await harness.say("resident1", "我的", private=True)
    lines = mine.text.split("\n")
    assert lines[0] == "您反映的问题："
    assert len(lines) == LIST_LIMIT + 2
    assert lines[1].startswith(f"#{LIST_LIMIT + 1}｜")  # the latest first
    assert "#1｜" not in mine.text
    assert lines[-1] == f"（只列出最近的 {LIST_LIMIT} 件；更早的请发送“查询 工单号”。）"
    # The earliest is still there, as the line says.
    [status] = await harness.say("resident1", "查询 1", private=True)
    assert "#1" in status.text

    for i in range(1, LIST_LIMIT + 2):
        await harness.say("worker1", f"认领 {i}", private=True)
    [held] = await harness.say("worker1", "/mine", private=True)
    lines = held.text.split("\n")
    assert lines[0] == "您负责的工单："
    assert len(lines) == LIST_LIMIT + 2
    assert lines[-1] == f"（只列出最紧急、最早的 {LIST_LIMIT} 件，还有更多。）"


async def test_a_list_that_fits_has_no_more_line(harness: Harness) -> None:
    for i in range(LIST_LIMIT):
        await harness.say("resident1", _report(i))
    [mine] = await harness.say("resident1", "我的", private=True)
    assert len(mine.text.split("\n")) == LIST_LIMIT + 1
    assert "只列出" not in mine.text


async def test_english_words_without_a_slash_are_answered(harness: Harness) -> None:
    """Someone who chose English and typed "status 1", "claim 1" or "mine" got no answer at
    all: the words passed as talk the model cannot read."""
    await harness.say("resident1", "楼上邻居天天半夜装修")
    for user in ("resident1", "worker1"):
        await harness.say(user, "/lang en", private=True)
    [status] = await harness.say("resident1", "status 1", private=True)
    assert status.text.startswith("Ticket #1 | ")
    claimed = await harness.say("worker1", "claim 1")
    assert [m.text for m in claimed if m.kind == "reply"] == ["Ticket #1 claimed by worker1."]
    [mine] = await harness.say("worker1", "mine", private=True)
    assert mine.text.startswith("Tickets you hold:\n#1")
    # Words not in a command's shape stay words: here a report (the harness's model files
    # anything it does not know as one).
    filed = await harness.say("resident1", "close the road", private=True)
    assert filed[0].kind == "ack" and "Ticket #2" in filed[0].text


async def test_a_liaisons_mine_says_their_department_has_cases_unclaimed(
    departments: Harness,
) -> None:
    """police1's 我的 read 暂无记录 while a case handed to 派出所 waited unclaimed (待办 listed
    it): 我的 lists what one holds.  It now says how many wait, and where to see them."""
    harness = departments
    await harness.say("resident1", "有人在河边电鱼")
    await harness.say("resident1", "楼道灯坏了一个月")  # the grid's, not the department's
    [empty] = await harness.say("police1", "我的", private=True)
    assert empty.text == "暂无记录。"
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    [mine] = await harness.say("police1", "我的", private=True)
    assert mine.text == "本部门待认领 1 件，发送「待办」查看。"
    [queue] = await harness.say("police1", "待办", private=True)
    assert queue.text.startswith("待认领工单（派出所）：\n#1｜")
    # The grid worker's queue leaves out what was handed on, and so does the count.
    [grid] = await harness.say("worker1", "我的", private=True)
    assert grid.text == "本网格待认领 1 件，发送「待办」查看。"
    # Claimed, it is theirs: listed as held, and nothing waits.
    await harness.say("police1", "认领 1", private=True)
    [held] = await harness.say("police1", "我的", private=True)
    assert held.text.startswith("您负责的工单：\n#1｜") and "待认领" not in held.text
    [other] = await harness.say("police2", "/mine", private=True)
    assert other.text == "暂无记录。"
    await harness.say("police1", "/lang en", private=True)
    await harness.say("worker1", "认领 2", private=True)
    await harness.say("resident1", "小区门口的路灯坏了好几天了")
    await harness.say("staff1", "转办 3 派出所", chat="staff")
    [english] = await harness.say("police1", "mine", private=True)
    assert english.text.endswith("Your department has 1 unclaimed: send /queue to see them.")


async def test_a_grid_workers_mine_says_when_more_wait_than_the_queue_lists(
    harness: Harness,
) -> None:
    for i in range(LIST_LIMIT + 1):
        await harness.say("resident1", _report(i))
    [mine] = await harness.say("worker1", "我的", private=True)
    assert mine.text == f"本网格待认领超过 {LIST_LIMIT} 件，发送「待办」查看。"
    [resident] = await harness.say("resident1", "我的", private=True)
    assert "待认领超过" not in resident.text  # a resident has no queue


async def test_a_list_in_the_group_cut_off_by_a_private_report_says_so(
    harness: Harness,
) -> None:
    """In a residents' group the sender's private reports are left out of 我的; one read
    among the `LIST_LIMIT` + 1 left the list one short of saying there were more, so a
    resident with a long history read a cut list as all of it."""
    for i in range(LIST_LIMIT + 1):
        await harness.say("resident1", _report(i))
    ack, *_ = await harness.say("resident1", "我家楼下的烧烤摊每天晚上油烟很大", private=True)
    assert f"#{LIST_LIMIT + 2}" in ack.text, ack.text
    [mine] = await harness.say("resident1", "我的")
    lines = mine.text.split("\n")
    assert f"#{LIST_LIMIT + 2}｜" not in mine.text  # private: not in the group
    assert lines[1].startswith(f"#{LIST_LIMIT + 1}｜")
    assert len(lines) == LIST_LIMIT + 2
    assert lines[-1] == f"（只列出最近的 {LIST_LIMIT} 件；更早的请发送“查询 工单号”。）"
