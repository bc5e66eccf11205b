"""A department's liaison (部门对接人) asks for figures (统计) and the ledger (导出台账), through
the harness on SQLite and PostgreSQL: they get their own department's, as staff get them
for it (the tickets handed to it, 转办, and those it assists with, 协办), whatever scope they
name; another department or an area is refused with whose they may see."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import Harness
from tests.conftest import StoreFactory, harness_with, make_config
from tests.test_assisting import with_judicial_office

STATS_REFUSED = (
    "部门对接人只能查看本部门（派出所）的统计：请发送「统计」或「统计 本月」，不加网格或其他部门。"
)
EXPORT_REFUSED = (
    "部门对接人只能导出本部门（派出所）的台账：请发送「导出台账」或「导出台账 本月」，"
    "不加网格或其他部门。"
)


@pytest.fixture
async def harness(db_path: Path, new_store: StoreFactory, tmp_path: Path) -> AsyncIterator[Harness]:
    async with harness_with(with_judicial_office(make_config(db_path)), new_store()) as started:
        started.bot.documents.directory = str(tmp_path)
        yield started


def reply(sent: list[Outbound]) -> str:
    [only] = [m.text for m in sent if m.kind == "reply"]
    return only


def ledger_lines(sent: list[Outbound]) -> tuple[str, list[str]]:
    """The caption and the lines of the one ledger file among `sent`."""
    [message] = [m for m in sent if m.kind == "document"]
    assert message.document is not None and message.document.data is not None
    return message.text, message.document.data.decode("utf-8-sig").splitlines()


async def cases(harness: Harness) -> None:
    """#1 and #2 handed to the police (派出所), #1 resolved by police1; #3 to the judicial
    office (司法所); #4 the grid's own; #5 led by the judicial office, the police
    assisting (协办)."""
    for text in ("有人在河边电鱼", "棋牌室聚众赌博", "隔壁装修噪音太大", "楼道灯坏了一个月"):
        await harness.say("resident1", text)
    await harness.say("resident3", "两家为宅基地吵了半年", chat="west")  # #5, 西村
    for typed in ("转办 1 派出所", "转办 2 PCS", "转办 3 司法所", "转办 5 SFS", "协办 5 派出所"):
        await harness.say("staff1", typed, chat="staff")
    await harness.say("police1", "认领 1", private=True)
    await harness.say("police1", "办结 1 调解成功，已劝离", private=True)


async def test_a_liaison_gets_their_departments_figures(harness: Harness) -> None:
    await cases(harness)
    staff = reply(await harness.say("staff1", "统计 派出所", chat="staff"))
    own = reply(await harness.say("police1", "统计", private=True))
    assert own == staff  # exactly what staff get for the department
    lines = own.splitlines()
    assert lines[0].startswith("工单统计（派出所，")
    # #1 and #2 handed to it (not the judicial office's #3, nor the grid's #4), #1 resolved;
    # #5, which it assists with, on a line of its own.
    assert lines[1] == "受理 2 件，已办结 1 件，办结率 50.0%"
    assert "\n调处结果：化解成功 1 件，未化解 0 件；化解成功率 100.0%" in own
    assert lines[-3:] == [
        "按网格：东镇 2（已办结 1）｜西村 0（已办结 0）",
        "转办部门：派出所 2（已办结 1）",  # no other department's
        "本部门协办：1 件（已办结 0），由其他单位主办，不计入以上各项",
    ]
    # Naming their own department, by name or code, is the same; and any period words.
    for typed in ("统计 派出所", "统计 PCS", "/stats PCS"):
        assert reply(await harness.say("police1", typed, private=True)) == own, typed
    month = reply(await harness.say("police1", "统计 本月", private=True))
    assert month == reply(await harness.say("staff1", "统计 本月 PCS", chat="staff"))
    assert month.splitlines()[1] == "受理 2 件，已办结 1 件，办结率 50.0%"
    before = reply(await harness.say("police2", "统计 上月 派出所", private=True))
    assert before == reply(await harness.say("staff1", "统计 上月 PCS", chat="staff"))
    assert before.splitlines()[0].startswith("工单统计（派出所，")
    assert before.splitlines()[1] == "该时段没有受理工单。"
    # The judicial office's liaison gets theirs: #3 and #5 led, the police's none.
    judicial = reply(await harness.say("judicial1", "统计", private=True))
    assert judicial == reply(await harness.say("staff1", "统计 SFS", chat="staff"))
    assert judicial.splitlines()[1] == "受理 2 件，已办结 0 件，办结率 0.0%"


async def test_another_departments_or_an_areas_figures_are_refused(harness: Harness) -> None:
    await cases(harness)
    for typed in (
        "统计 司法所",
        "统计 SFS",
        "统计 本月 司法所",
        "统计 DZ",
        "统计 东镇",
        "统计 上月 XC",
        "统计 DZ 派出所",  # one area's share of their own: not theirs to name either
    ):
        assert reply(await harness.say("police1", typed, private=True)) == STATS_REFUSED, typed
    # A word that is no period is answered as one, with no areas offered to choose from.
    assert reply(await harness.say("police1", "统计 去年冬天", private=True)).startswith(
        "看不懂时间段「去年冬天」。用法：/stats"
    )
    # Workloads and supervision stay the centre's.
    assert "（部门对接人）不能使用「工作量」" in reply(
        await harness.say("police1", "工作量", private=True)
    )


async def test_a_liaisons_ledger_is_their_departments(harness: Harness) -> None:
    await cases(harness)
    caption, lines = ledger_lines(await harness.say("police1", "导出台账", private=True))
    # #1 and #2 it leads, #5 it assists with; nothing of the judicial office's or the grid's.
    assert [line.split(",")[0] for line in lines[1:]] == ["1", "2", "5"]
    assert lines[0].endswith(",主办/协办")
    assert [line.rsplit(",", 1)[1] for line in lines[1:]] == ["主办", "主办", "协办"]
    assert caption.startswith("台账：派出所，") and "共 3 件" in caption
    # The very file staff get for the department's ledger.
    staff_caption, staff_lines = ledger_lines(
        await harness.say("staff1", "导出台账 PCS", private=True)
    )
    assert (caption, lines) == (staff_caption, staff_lines)
    for typed in ("导出台账 派出所 本月", "/export PCS xlsx"):
        sent = await harness.say("police2", typed, private=True)
        assert [m.kind for m in sent] == ["reply", "document"], typed
    # Another department's, an area's, or every area's: refused.
    for typed in ("导出台账 司法所", "导出台账 SFS 本月", "导出台账 DZ", "/export XC csv"):
        [refused] = await harness.say("police1", typed, private=True)
        assert (refused.kind, refused.text) == ("reply", EXPORT_REFUSED), typed


async def test_a_private_report_in_a_liaisons_ledger(harness: Harness) -> None:
    """A report made one to one (私下反映) handed to the department: its ledger names it as
    such, not by the resident's chat, and masks the numbers in it, as staff's file does;
    what the department's notice and /ticket show its liaisons in full (the words, the
    reporter) is all the file holds of it."""
    await harness.say("resident1", "网格 DZ", private=True)
    await harness.say("resident1", "我老公经常打我，我不敢在群里说，电话13812345678", private=True)
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    _, lines = ledger_lines(await harness.say("police1", "导出台账", private=True))
    [row] = lines[1:]
    assert "13812345678" not in row and "138****5678" in row
    assert ",一对一会话," in row and ",resident1," in row
    _, staff_lines = ledger_lines(await harness.say("staff1", "导出台账 PCS", private=True))
    assert staff_lines == lines
    # Nothing "unmasked" for a liaison either.
    refused = reply(await harness.say("police1", "/export unmasked", private=True))
    assert refused.startswith("聊天中导出的台账一律隐去电话和身份证号")


async def test_residents_and_grid_workers_are_refused_as_before(harness: Harness) -> None:
    await cases(harness)
    for typed in ("统计", "导出台账"):
        refused = reply(await harness.say("resident1", typed, private=True))
        assert refused.startswith("您的身份（居民）不能使用「"), typed
    assert reply(await harness.say("worker1", "统计 PCS", private=True)) == (
        "网格员只能查看本网格（东镇）的统计。"
    )
    assert reply(await harness.say("worker1", "导出台账 派出所", private=True)) == (
        "网格员只能导出本网格（东镇）的台账。"
    )
    own = reply(await harness.say("worker1", "统计", private=True))
    assert own.startswith("工单统计（东镇，")


async def test_in_english(harness: Harness) -> None:
    await cases(harness)
    await harness.say("police1", "/lang en", private=True)
    own = reply(await harness.say("police1", "/stats", private=True))
    assert own.startswith("Tickets received in 派出所, ")
    assert own.splitlines()[1] == "Received 2, resolved 1 (50.0%)"
    assert own.endswith("\nAssisting: 1 (0 resolved), led by others, counted in none of the above")
    assert reply(await harness.say("police1", "/stats SFS", private=True)) == (
        "A liaison can see the statistics of their own department (派出所) only: send "
        "/stats, or /stats month, with no area or other department."
    )
    assert reply(await harness.say("police1", "/export DZ", private=True)) == (
        "A liaison can export the ledger of their own department (派出所) only: send "
        "/export, or /export month, with no area or other department."
    )
    caption, lines = ledger_lines(await harness.say("police1", "/export month", private=True))
    assert [line.split(",")[0] for line in lines[1:]] == ["1", "2", "5"]
    assert "派出所" in caption


async def test_asked_in_a_residents_group_the_department_is_not_named(harness: Harness) -> None:
    """A liaison who is also in an intake group asks there: the figures are given as the
    group may read them, the department as 相关部门 (`bot.privacy.department_said`), as
    their queue there says it; the ledger goes privately."""
    await cases(harness)
    text = reply(await harness.say("police1", "统计"))
    assert text.startswith("工单统计（相关部门，") and "派出所" not in text
    assert text.splitlines()[1] == "受理 2 件，已办结 1 件，办结率 50.0%"
    sent = await harness.say("police1", "导出台账")
    [told] = [m for m in sent if m.kind == "reply"]
    assert told.chat_id == "group" and "（相关部门，" in told.text and "派出所" not in told.text
    [ledger] = [m for m in sent if m.kind == "document"]
    assert ledger.chat_id == "police1" and "派出所" in ledger.text
