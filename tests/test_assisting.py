"""Assisting (协办), through the harness on SQLite and PostgreSQL: staff ask a department
to help with a case another leads; its liaisons are told, may open and note the ticket but
not claim or resolve it, find it in /mine and 查找, and are told the outcome; staff
withdraw the request; handing the case to the assisting department makes it the lead."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import CHANNEL, Harness, HarnessAdapter
from bot.app import Bot
from bot.cli import main
from bot.config import Config, PersonConfig
from bot.ledger import COLUMNS, LedgerFormat
from bot.workflow import Action, Actor, Role, Status, TicketView, may_act_on_ticket
from tests.conftest import (
    KeywordClassifier,
    StoreFactory,
    harness_with,
    make_config,
    rows,
    with_departments,
)
from tests.test_ledger import database_url, read_csv, write_config

NOT_FOUND = "没有找到工单 #1，或您无权查看。"
REPORT = "隔壁两家为排水沟吵了半年，今天又差点动手"


def with_judicial_office(config: Config) -> Config:
    """The departments of `with_departments`, and the judicial office's liaison judicial1."""
    config = with_departments(config)
    config.people.append(
        PersonConfig(channel=CHANNEL, user_id="judicial1", role=Role.LIAISON, area="SFS")
    )
    return config


@pytest.fixture
async def harness(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Harness]:
    async with harness_with(with_judicial_office(make_config(db_path)), new_store()) as started:
        yield started


def to(sent: list[Outbound], who: str) -> list[str]:
    return [m.text for m in sent if m.kind == "direct" and m.chat_id == who]


def reply(sent: list[Outbound]) -> str:
    [only] = [m.text for m in sent if m.kind == "reply"]
    return only


async def test_an_assisting_department_helps_and_hears_the_outcome(harness: Harness) -> None:
    await harness.say("resident1", REPORT)
    sent = await harness.say("staff1", "协办 1 司法所 请派调解员参与", chat="staff")
    assert reply(sent) == "已请司法所协办工单 #1（主办：东镇网格），已通知：judicial1。"
    assert to(sent, "judicial1") == [
        "【协办】staff1 请司法所协助办理工单 #1（东镇｜邻里纠纷｜一般；主办：东镇网格）\n"
        f"resident1：{REPORT}\n"
        "中心意见：请派调解员参与\n"
        "发送「详情 1」查看全部记录，「备注 1 内容」反馈协办情况；办结后会告知您结果。"
    ]
    assert to(sent, "police1") == []  # another department's liaisons are not told
    assert await rows(harness.bot.store, "SELECT assisting, department FROM tickets") == [
        ("SFS", None)
    ]
    # The assisting liaison reads and notes it, lists and finds it, but neither claims,
    # resolves nor sends it back: the grid leads.
    history = reply(await harness.say("judicial1", "详情 1", private=True))
    assert "\n协办部门：司法所\n" in history
    assert "staff1 请协办 司法所 请派调解员参与" in history
    await harness.say("judicial1", "备注 1 已约双方周五到司法所", private=True)
    mine = reply(await harness.say("judicial1", "我的", private=True))
    assert mine.startswith("本部门协办中：\n#1｜待认领｜")
    found = reply(await harness.say("judicial1", "查找 排水沟", private=True))
    assert "#1" in found
    only = (
        "工单 #1 由东镇网格主办，本部门协办：可查看（详情）、补充情况（备注），办结后会告知结果。"
    )
    for typed in ("认领 1", "办结 1 调解成功", "退回 1 不归我们管", "延期 1 5个工作日 等鉴定"):
        assert reply(await harness.say("judicial1", typed, private=True)) == only
    # Another department's liaison cannot open it at all.
    assert reply(await harness.say("police1", "详情 1", private=True)) == NOT_FOUND
    # The grid worker resolves it; the assisting liaison is told the outcome.
    await harness.say("worker1", "认领 1")
    sent = await harness.say("worker1", "办结 1 调解成功，双方共同出资修排水沟")
    assert to(sent, "judicial1") == ["本部门协办的工单 #1 已办结：调解成功，双方共同出资修排水沟"]
    staff_view = reply(await harness.say("staff1", "/ticket 1", chat="staff"))
    assert "judicial1 备注 已约双方周五到司法所" in staff_view
    # The ledger names the assisting department.
    writer = LedgerFormat(harness.bot.config, "zh", masked=True)
    async with harness.bot.store.read() as tx:
        [row] = await tx.ledger_rows("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z", 0, 10)
    column = COLUMNS.index("assisting")
    assert (writer.header()[column], writer.cells(row)[column]) == ("协办部门", "司法所")
    # Resolved, no department is asked any more.
    closed = reply(await harness.say("staff1", "协办 1 PCS", chat="staff"))
    assert closed == "工单 #1 当前为「已办结」，不再请部门协办。"


async def test_withdrawn_the_department_no_longer_sees_it(harness: Harness) -> None:
    await harness.say("resident1", REPORT)
    await harness.say("staff1", "/assist 1 SFS", chat="staff")
    again = reply(await harness.say("staff1", "/assist 1 司法所", chat="staff"))
    assert again == "司法所已在协办工单 #1。"
    sent = await harness.say("staff1", "取消协办 1 司法所", chat="staff")
    assert reply(sent) == "已取消司法所对工单 #1 的协办。"
    assert to(sent, "judicial1") == ["工单 #1 不再需要司法所协办（staff1）。"]
    assert await rows(harness.bot.store, "SELECT assisting FROM tickets") == [("",)]
    assert reply(await harness.say("judicial1", "详情 1", private=True)) == NOT_FOUND
    assert reply(await harness.say("judicial1", "我的", private=True)) == "暂无记录。"
    not_now = reply(await harness.say("staff1", "/assist 1 -SFS", chat="staff"))
    assert not_now == "司法所没有在协办工单 #1。"
    history = reply(await harness.say("staff1", "/ticket 1", chat="staff"))
    assert "staff1 取消协办 司法所" in history


async def test_two_departments_and_the_lead(harness: Harness) -> None:
    """Both assist, in the order asked; the lead cannot also assist; handed to one of
    them, that one leads and no longer assists."""
    await harness.say("resident1", REPORT)
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    lead = reply(await harness.say("staff1", "协办 1 PCS", chat="staff"))
    assert lead == "工单 #1 由派出所主办，无需再请其协办。"
    await harness.say("staff1", "协办 1 SFS", chat="staff")
    assert await rows(harness.bot.store, "SELECT assisting, department FROM tickets") == [
        ("SFS", "PCS")
    ]
    status = reply(await harness.say("judicial1", "查询 1", private=True))
    assert "\n承办部门：派出所\n协办部门：司法所" in status
    await harness.say("staff1", "转办 1 司法所", chat="staff")
    assert await rows(harness.bot.store, "SELECT assisting, department FROM tickets") == [
        ("", "SFS")
    ]
    await harness.say("staff1", "协办 1 派出所", chat="staff")
    await harness.say("resident2", "收到")  # now a person the desk knows
    await harness.say("admin1", "/grant resident2 liaison PCS")
    assert await rows(harness.bot.store, "SELECT assisting FROM tickets") == [("PCS",)]
    # police1, police2 and resident2 are PCS's liaisons now: all see it.
    assert "#1" in reply(await harness.say("resident2", "我的", private=True))


async def test_stats_count_the_departments_assisting(harness: Harness) -> None:
    """/stats counts the period's reports each department assists with (协办部门), beside
    those handed to each (转办部门); a department's own figures end with the cases it
    assists with, which another leads and none of its figures count."""
    await harness.say("resident1", REPORT)  # #1, the grid's
    await harness.say("resident1", "有人在河边电鱼")  # #2, handed to the police
    await harness.say("resident3", "村里两户为宅基地争执", chat="west")  # #3, 西村's grid
    await harness.say("staff1", "转办 2 派出所", chat="staff")
    for number, department in ((1, "司法所"), (1, "派出所"), (2, "司法所"), (3, "SFS")):
        await harness.say("staff1", f"协办 {number} {department}", chat="staff")
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "办结 1 调解成功，两家各让一步")
    everyone = reply(await harness.say("staff1", "统计", chat="staff"))
    assert (
        "\n转办部门：派出所 1（已办结 0）\n协办部门：派出所 1（已办结 1）｜司法所 3（已办结 1）\n"
        in (everyone + "\n")
    )
    assert "本部门协办" not in everyone
    judicial = reply(await harness.say("staff1", "统计 司法所", chat="staff"))
    assert judicial.splitlines()[1:] == [
        "该时段没有受理工单。",  # it leads none
        "本部门协办：3 件（已办结 1），由其他单位主办，不计入以上各项",
    ]
    west = reply(await harness.say("staff1", "统计 XC SFS", chat="staff"))
    assert west.endswith("\n本部门协办：1 件（已办结 0），由其他单位主办，不计入以上各项")
    police = reply(await harness.say("staff1", "统计 派出所", chat="staff")).splitlines()
    assert police[1] == "受理 1 件，已办结 0 件，办结率 0.0%"  # #2, which it leads
    assert police[-3:] == [
        "转办部门：派出所 1（已办结 0）",
        "协办部门：司法所 1（已办结 0）",  # on #2
        "本部门协办：1 件（已办结 1），由其他单位主办，不计入以上各项",  # #1
    ]
    await harness.say("staff1", "取消协办 1 派出所", chat="staff")
    await harness.say("staff1", "/lang en", chat="staff")
    english = reply(await harness.say("staff1", "/stats", chat="staff"))
    assert "\nAssisted by departments: 司法所 3 (1 resolved)" in english
    police_en = reply(await harness.say("staff1", "/stats PCS", chat="staff"))
    assert "Assisting" not in police_en  # no longer asked to


async def test_a_departments_ledger_lists_the_cases_it_assists_with(
    harness: Harness, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A department's ledger (导出台账 司法所, and `db export --department`) lists the cases it
    assists with beside those handed to it, each marked in a last column 主办/协办, and its
    caption says how many of each: the same as /stats for that department (受理, 本部门协办).
    A dismissed one keeps its row, counted apart, as /stats leaves it out."""
    harness.bot.documents.directory = str(tmp_path)
    await harness.say("resident1", REPORT)  # #1, the grid's
    await harness.say("resident1", "有人在河边电鱼")  # #2, handed to the police
    await harness.say("resident3", "村里两户为宅基地争执", chat="west")  # #3, 西村's grid
    await harness.say("resident2", "楼上漏水淹了我家厨房")  # #4, dismissed below
    await harness.say("staff1", "转办 2 派出所", chat="staff")
    for number, department in ((1, "司法所"), (1, "派出所"), (2, "司法所"), (4, "SFS")):
        await harness.say("staff1", f"协办 {number} {department}", chat="staff")
    await harness.say("staff1", "作废 4 重复反映", chat="staff")

    async def ledger(words: str) -> tuple[str, list[list[str]]]:
        sent = await harness.say("staff1", f"导出台账 {words}", private=True)
        [message] = [m for m in sent if m.kind == "document"]
        assert message.document is not None and message.document.data is not None
        text = message.document.data.decode("utf-8-sig")
        return message.text, list(csv.reader(io.StringIO(text)))

    caption, table = await ledger("司法所")
    assert "，共 2 件（主办 0 件、协办 2 件；另列作废 1 件，不计入件数，与统计一致）。" in caption
    assert table[0][-1] == "主办/协办" and len(table[0]) == len(COLUMNS) + 1
    assert [(row[0], row[-1]) for row in table[1:]] == [("1", "协办"), ("2", "协办"), ("4", "协办")]
    judicial = reply(await harness.say("staff1", "统计 司法所", chat="staff")).splitlines()
    assert judicial[1:] == [
        "该时段没有受理工单。", "本部门协办：2 件（已办结 0），由其他单位主办，不计入以上各项"
    ]
    caption, table = await ledger("派出所")
    assert "，共 2 件（主办 1 件、协办 1 件）。" in caption
    assert [(row[0], row[-1]) for row in table[1:]] == [("1", "协办"), ("2", "主办")]
    police = reply(await harness.say("staff1", "统计 派出所", chat="staff")).splitlines()
    assert police[1] == "受理 1 件，已办结 0 件，办结率 0.0%"
    assert police[-1] == "本部门协办：1 件（已办结 0），由其他单位主办，不计入以上各项"
    # Of one area: 西村's grid leads #3, nobody assists; 东镇's #1 is not 西村's.
    caption, table = await ledger("XC 司法所")
    assert "，共 0 件。" in caption and table[1:] == []
    # Every area's ledger is as before: no such column.
    _, table = await ledger("")
    assert len(table[0]) == len(COLUMNS) and len(table) == 5
    # `db export --department` writes the same rows, and says the same.
    config = write_config(tmp_path / "c.toml", database_url(harness.bot.store))
    with config.open("a", encoding="utf-8") as file:
        file.write('[[departments]]\ncode = "PCS"\nname = "派出所"\n')
        file.write('[[departments]]\ncode = "SFS"\nname = "司法所"\n')
    out = tmp_path / "sfs.csv"
    argv = ["db", "export", "--config", str(config), "--department", "SFS", str(out)]
    assert await asyncio.to_thread(main, argv) == 0
    _, table = await ledger("司法所")
    group = COLUMNS.index("group")  # the file's config titles the group: all else alike
    assert [row[:group] + row[group + 1 :] for row in read_csv(out)] == [
        row[:group] + row[group + 1 :] for row in table
    ]
    assert capsys.readouterr().out == (
        f"3 tickets written to {out} (csv): 2 received as /stats counts them "
        "(0 handed to it, 2 it assists with), 1 dismissed\n"
    )
    await harness.say("staff1", "/lang en", private=True)
    sent = await harness.say("staff1", "/export SFS", private=True)
    [english] = [m for m in sent if m.kind == "document"]
    assert english.document is not None and english.document.data is not None
    assert ", 2 tickets (0 handed to it, 2 it assists with; plus 1 dismissed listed but not " \
        "counted, as in the statistics). " in english.text
    header, first = english.document.data.decode("utf-8-sig").splitlines()[:2]
    assert header.endswith(",Lead or assisting") and first.endswith(",assisting")


async def test_who_may_ask_and_what_is_refused(harness: Harness) -> None:
    await harness.say("resident1", REPORT)
    worker = reply(await harness.say("worker1", "协办 1 SFS"))
    assert worker == "您的身份（网格员）不能使用「协办」。"
    unknown = reply(await harness.say("staff1", "协办 1 信访办", chat="staff"))
    assert unknown == "没有「信访办」这个部门。可协办的部门：派出所（PCS）、司法所（SFS）。"
    bare = reply(await harness.say("staff1", "协办 1", chat="staff"))
    assert "/assist 12 SFS" in bare
    assert await rows(harness.bot.store, "SELECT assisting FROM tickets") == [("",)]


async def test_no_liaison_yet(db_path: Path, new_store: StoreFactory) -> None:
    config = with_departments(make_config(db_path, language="en"))
    async with harness_with(config, new_store()) as harness:
        await harness.say("resident1", REPORT)
        sent = await harness.say("staff1", "/assist 1 SFS", chat="staff")
        assert reply(sent) == (
            "Asked 司法所 to assist with ticket #1 (led by 东镇's grid), but 司法所 has no "
            "liaison yet, so nobody was told. An admin grants one: /grant someone liaison SFS"
        )
        assert not [m for m in sent if m.kind == "direct"]


async def test_codes_are_matched_whole_and_literally(harness: Harness) -> None:
    """The column holds codes between spaces; `_` in a code is no LIKE wildcard and "PS" is
    not part of "PS2", in adding, removing and finding."""
    await harness.say("resident1", REPORT)
    store, at = harness.bot.store, "2026-11-02T01:00:00Z"
    async with store.write() as tx:
        assert await tx.set_assisting(1, "PXS", True, at) is not None
        assert await tx.set_assisting(1, "P_S", False, at) is None  # not there: no match
        added = await tx.set_assisting(1, "P_S", True, at)
        assert added is not None and added.assisting == ("PXS", "P_S")
        assert await tx.set_assisting(1, "PS", False, at) is None
        assert [t.id for t in await tx.tickets_assisted_by("P_S", 10)] == [1]
        assert await tx.tickets_assisted_by("PS", 10) == []
        removed = await tx.set_assisting(1, "PXS", False, at)
        assert removed is not None and removed.assisting == ("P_S",)
        assert await tx.tickets_assisted_by("PXS", 10) == []


async def test_an_area_named_as_a_grid_is_not_called_one_twice(
    db_path: Path, new_store: StoreFactory
) -> None:
    config = with_departments(make_config(db_path))
    config.areas[0].name = "东镇第一网格"
    async with harness_with(config, new_store()) as harness:
        await harness.say("resident1", REPORT)
        sent = await harness.say("staff1", "协办 1 派出所", chat="staff")
        assert reply(sent).startswith("已请派出所协办工单 #1（主办：东镇第一网格），")


def test_what_an_assisting_liaison_may_do() -> None:
    """Read and note only, unless the ticket is also theirs some other way: they hold it,
    reported it, or their department leads it."""
    liaison = Actor(7, "李所长", Role.LIAISON, "SFS")
    assisted = TicketView(1, Status.NEW, 3, None, "DZ", "normal", (), None, ("SFS",))
    allowed = [a for a in Action if may_act_on_ticket(liaison, a, assisted)]
    assert allowed == [Action.NOTE, Action.TICKET]
    reported = replace(assisted, reporter_id=7, status=Status.CLAIMED, assignee_id=5)
    assert may_act_on_ticket(liaison, Action.WITHDRAW, reported)
    held = replace(assisted, status=Status.CLAIMED, assignee_id=7)
    assert may_act_on_ticket(liaison, Action.RESOLVE, held)
    led = replace(assisted, department="SFS")
    assert may_act_on_ticket(liaison, Action.CLAIM, led)
    elsewhere = replace(assisted, assisting=("PCS",))
    assert not may_act_on_ticket(liaison, Action.NOTE, elsewhere)


async def test_with_no_departments_configured(db_path: Path, new_store: StoreFactory) -> None:
    config = make_config(db_path)
    async with harness_with(config, new_store()) as harness:
        await harness.say("resident1", REPORT)
        refused = reply(await harness.say("staff1", "协办 1 司法所", chat="staff"))
        assert refused == (
            "没有「司法所」这个部门。可协办的部门：（尚未配置部门：见配置文件的 [[departments]]）。"
        )


async def test_a_merge_carries_the_marks_to_the_case_it_joins(harness: Harness) -> None:
    """A ticket merged into another (并案) leaves the queue; the departments assisting with
    it and its major mark go on with the case it joins, the departments told where."""
    await harness.say("resident1", REPORT)  # #1, the case
    await harness.say("resident2", "排水沟的事两家吵得很凶，昨天还推搡了")  # #2, the same
    await harness.say("staff1", "转办 1 派出所", chat="staff")  # the police lead #1
    await harness.say("staff1", "协办 2 司法所", chat="staff")
    await harness.say("staff1", "协办 2 派出所", chat="staff")  # #1's lead already
    await harness.say("staff1", "列为重大 2 两家积怨很深", chat="staff")
    sent = await harness.say("staff1", "并案 2 1", chat="staff")
    replies = [m.text for m in sent if m.kind == "reply"]
    assert replies[-1] == "工单 #1 随并案接续：列为重大疑难；司法所协办。"
    assert to(sent, "judicial1") == [
        "本部门协办的工单 #2 已并入工单 #1（同一事件），请继续协办 #1：" + REPORT
    ]
    assert to(sent, "police1") == []  # they lead #1: nothing to carry
    assert await rows(
        harness.bot.store, "SELECT id, status, major, assisting FROM tickets ORDER BY id"
    ) == [(1, "new", 1, "SFS"), (2, "merged", 1, "SFS PCS")]
    history = reply_to(await harness.say("staff1", "/ticket 1", chat="staff"))
    assert "staff1 列为重大疑难 随工单 #2 并案" in history
    assert "staff1 请协办 司法所 随工单 #2 并案" in history
    # The department may now open the case it assists with.
    assert reply_to(await harness.say("judicial1", "/ticket 1", private=True)) != NOT_FOUND
    # A second merge into the same case carries nothing new, and says nothing of it.
    await harness.say("resident3", "排水沟两家又吵起来了，有人拿了铁锹")  # #3
    await harness.say("staff1", "协办 3 司法所", chat="staff")
    sent = await harness.say("staff1", "并案 3 1", chat="staff")
    assert not any("随并案接续" in m.text for m in sent)
    assert to(sent, "judicial1") == []


def reply_to(sent: list[Outbound]) -> str:
    [only] = [m.text for m in sent if m.kind == "reply"]
    return only


async def test_a_department_taken_out_of_the_config_is_no_longer_asked(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A department the centre no longer lists still assists where it was asked (its
    liaisons, in the database, still open the ticket), until staff end it by its code."""
    config = with_judicial_office(make_config(db_path))
    adapter = HarnessAdapter()
    async with Bot(config, [adapter], new_store(), KeywordClassifier()) as bot:
        harness = Harness(bot, adapter)
        await harness.say("resident1", REPORT)
        await harness.say("staff1", "协办 1 司法所", chat="staff")
    config = with_departments(make_config(db_path))
    config.departments = config.departments[:1]  # 司法所 is gone
    adapter = HarnessAdapter()
    async with Bot(config, [adapter], new_store(), KeywordClassifier()) as bot:
        harness = Harness(bot, adapter, id_prefix="v")
        assert "协办部门：SFS" in reply(await harness.say("staff1", "/ticket 1", chat="staff"))
        sent = await harness.say("staff1", "取消协办 1 SFS", chat="staff")
        assert reply(sent) == "已取消SFS对工单 #1 的协办。"
        assert to(sent, "judicial1") == ["工单 #1 不再需要SFS协办（staff1）。"]
        assert await rows(bot.store, "SELECT assisting FROM tickets") == [("",)]
        assert reply(await harness.say("judicial1", "详情 1", private=True)) == NOT_FOUND
        # Asking it anew is refused as for any department the config does not list.
        refused = reply(await harness.say("staff1", "协办 1 SFS", chat="staff"))
        assert refused == "没有「SFS」这个部门。可协办的部门：派出所（PCS）。"


async def test_a_private_reports_department_is_told_to_keep_the_reporter_out_of_it(
    harness: Harness,
) -> None:
    """A report made one to one (私下反映: 家暴, a neighbour feared) handed to a department or
    asked of one: its liaisons read that it was, as the grid's notice and the staff room's
    say; their notice gave the words and the reporter with no word of it."""
    await harness.say("resident1", "网格 DZ", private=True)
    await harness.say("resident1", "我老公经常打我，我不敢在群里说", private=True)
    caution = "\n私下反映：反映人未在群里公开，办理中请勿向他人透露反映人。"
    handed = await harness.say("staff1", "转办 1 派出所", chat="staff")
    [notice] = to(handed, "police1")
    claim = "\n认领请发送「认领 1」；不属于本部门职责请发送「退回 1 原因」。"
    assert notice.endswith(caution + claim)
    asked = await harness.say("staff1", "协办 1 司法所", chat="staff")
    [notice] = to(asked, "judicial1")
    assert caution in notice
    # A group's report: nothing of the kind.
    await harness.say("resident2", REPORT)
    handed = await harness.say("staff1", "转办 2 派出所", chat="staff")
    assert all("私下反映" not in t for t in to(handed, "police1"))


async def test_an_assisting_department_is_told_when_the_case_is_reopened(
    harness: Harness,
) -> None:
    """Told 已办结, the assisting liaison took the case for done; reopened by its reporter
    (重开, or 不满意 at the follow-up visit) it is open again, and they were not told."""
    await harness.say("resident1", REPORT)
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    await harness.say("staff1", "协办 1 司法所", chat="staff")
    await harness.say("police1", "办结 1 已警告双方", private=True)
    sent = await harness.say("resident1", "不满意 1 今天又吵起来了")
    assert to(sent, "judicial1") == [
        f"本部门协办的工单 #1 已重新打开（主办：派出所）：{REPORT}\n"
        "重开原因：今天又吵起来了\n如有新情况，请发送「备注 1 内容」。"
    ]
    await harness.say("police1", "认领 1", private=True)
    await harness.say("police1", "办结 1 已调解", private=True)
    sent = await harness.say("resident1", "重开 1")
    assert to(sent, "judicial1") == [
        f"本部门协办的工单 #1 已重新打开（主办：派出所）：{REPORT}\n"
        "如有新情况，请发送「备注 1 内容」。"
    ]


async def test_an_assisting_department_is_told_when_another_leads(harness: Harness) -> None:
    """转办 elsewhere, 退回 to the centre, 指派 to the grid: the assisting department (协办)
    is told who leads now and that it still assists, once each liaison; not when the lead
    stays (assigned within it), nor, handed the case itself, twice."""
    await harness.say("resident1", REPORT)
    await harness.say("staff1", "协办 1 司法所", chat="staff")  # led by the grid

    def lead_changed(lead: str) -> list[str]:
        return [
            f"本部门协办的工单 #1 已改由{lead}主办：{REPORT}\n"
            "本部门继续协办，如有情况请发送「备注 1 内容」。"
        ]

    sent = await harness.say("staff1", "转办 1 派出所", chat="staff")
    assert to(sent, "judicial1") == lead_changed("派出所")
    sent = await harness.say("police1", "退回 1 属于民事纠纷，不归派出所", private=True)
    assert to(sent, "judicial1") == lead_changed("东镇网格")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    for who, typed in (("police1", "认领 1"), ("police1", "指派 1 police2")):
        sent = await harness.say(who, typed, private=True)
        assert to(sent, "judicial1") == [], typed  # PCS leads on
    sent = await harness.say("staff1", "指派 1 worker1", chat="staff")
    assert to(sent, "judicial1") == lead_changed("东镇网格")
    assert to(sent, "police2") == ["staff1 已将您负责的工单 #1 转交 worker1，您无需再办理。"]
    await harness.say("judicial1", "/lang en", private=True)
    sent = await harness.say("staff1", "转办 1 派出所", chat="staff")
    assert to(sent, "judicial1") == [
        f"Ticket #1, which your department assists with, is now led by 派出所: {REPORT}\n"
        "Your department still assists; send /note 1 text with anything new."
    ]
    # Handed the case itself, it leads: its liaison reads the one notice that says so.
    sent = await harness.say("staff1", "转办 1 司法所", chat="staff")
    [notice] = to(sent, "judicial1")
    assert notice.startswith(
        "[Handed on] staff1 handed ticket #1 (东镇 | Neighbour dispute | Normal) to 司法所\n"
    )
    assert await rows(harness.bot.store, "SELECT assisting, department FROM tickets") == [
        ("", "SFS")
    ]
