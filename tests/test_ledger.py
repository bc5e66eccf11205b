"""`intake-bot db export`: the ledger (台账) as Excel opens it, on SQLite and PostgreSQL.

Tickets are made through the real pipeline (tests/scenario.py plus two awkward reports),
then the real command line exports them from the database the bot wrote.
"""

from __future__ import annotations

import asyncio
import csv
import re
from collections.abc import AsyncIterator
from pathlib import Path
from unittest import mock

import pytest
from openpyxl import load_workbook

import bot.clock
import bot.ledger
from bot.adapters.harness import CHANNEL
from bot.cli import main
from bot.config import DepartmentSla, IntakeGroup
from bot.ledger import COLUMNS, LedgerFormat, ledger_rows, write_ledger
from storage import SQLiteStore, Store
from storage.base import BEGINNING, END_OF_TIME, LedgerRow
from storage.postgres import PostgresStore
from tests.conftest import (
    T0,
    Clock,
    StoreFactory,
    Timed,
    harness_with,
    make_config,
    with_departments,
)
from tests.scenario import a_fortnight, chatter_dismissed

HEADER = [
    "工单号",
    "受理时间",
    "渠道",
    "网格",
    "来源群",
    "反映人",
    "反映内容",
    "纠纷类型",
    "待人工研判",
    "紧急程度",
    "状态",
    "网格员",
    "认领时间",
    "办结时间",
    "办理结果",
    "记录数",
    "作废时间",
    "作废人",
    "作废原因",
    "建议承办部门",
    "回访评价",
    "延期后办结时限",
    "按期办结",
    "承办部门",
    "调处结果",
    "协办部门",
    "重大疑难",
    "涉及人数",
    "涉及金额（元）",
    "信息来源",
    "结案时间",
    "办结期限",
    "超期",
    "调解时间",
    "调解地点",
]
# Ticket #3 of the scenario, as the ledger lists it (local times, Chinese labels).
CLOSED_ROW = [
    "3",
    "2026-11-02 10:00",
    "test",
    "东镇",
    "东镇民情群",
    "resident2",
    "村口有人打人了",
    "治安隐患",
    "",
    "紧急",
    "已结案",
    "worker2",
    "2026-11-02 10:30",
    "2026-11-02 14:00",
    "派出所已处置",
    "4",
    "",
    "",
    "",
    "",  # the test config has no [routing]
    "",  # no follow-up answer
    "",  # no extension
    "否",  # urgent, resolved at its 4 hours exactly: late (tests/scenario.py)
    "",  # handed to no department
    "",  # its outcome says neither settled nor not (调处结果)
    "",  # no department assisted (协办)
    "",  # not marked major (重大疑难)
    "",  # no people named (涉及人数)
    "",  # no money named (涉及金额)
    "民情群",  # a resident, in the group (信息来源)
    "2026-11-02 15:00",  # closed (结案时间)
    "",  # no deadline running once resolved (办结期限)
    "",  # nor overdue (超期): 按期办结 says how it went
    "",  # no mediation session (调解时间)
    "",  # nor its place (调解地点)
]
PHONE, ID_CARD = "13812345678", "110101199003071234"
AWKWARD = f'他说"明天再说", 可是已经拖了三个月，\n电话{PHONE}，身份证{ID_CARD}'
FORMULA = '=HYPERLINK("http://example.com","点我")楼道漏水'


def write_config(path: Path, database: str) -> Path:
    """The test bot's areas and groups, as an operator's config file would have them."""
    path.write_text(
        f"""
database = "{database}"
[[areas]]
code = "DZ"
name = "东镇"
[[areas]]
code = "XC"
name = "西村"
[[intake_groups]]
channel = "test"
chat_id = "group"
area = "DZ"
title = "东镇民情群"
[[intake_groups]]
channel = "test"
chat_id = "west"
area = "XC"
""",
        encoding="utf-8",
    )
    return path


def database_url(store: Store) -> str:
    """Where the bot's store lives, as a config's `database` names it."""
    if isinstance(store, PostgresStore):
        # asyncpg passes unknown DSN parameters on as server settings.
        return f"{store.dsn}?search_path={store.schema}"
    assert isinstance(store, SQLiteStore)
    return str(store.path)


async def export(timed: Timed, tmp_path: Path, out: str, *options: str) -> Path:
    """`db export` run now by the test's clock (the bot's, `bot.clock`), which the ledger's
    超期 is measured at, as /export's is at the bot's."""
    config = write_config(tmp_path / "c.toml", database_url(timed.harness.bot.store))
    target = tmp_path / out
    argv = ["db", "export", "--config", str(config), *options, str(target)]
    with mock.patch.object(bot.clock, "utc_now", timed.clock):
        assert await asyncio.to_thread(main, argv) == 0
    return target


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


async def month_with_awkward_reports(timed: Timed) -> None:
    await a_fortnight(timed)  # tickets #1 (September) to #6 (2 November)
    await timed.say(f"张三{PHONE[:3]}99998888", AWKWARD, days=1)  # #7, 3 November
    await timed.say("resident1", FORMULA, days=1, minutes=5)  # #8


async def test_csv_ledger_for_excel(
    timed: Timed,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await month_with_awkward_reports(timed)
    monkeypatch.setattr(bot.ledger, "BATCH", 3)  # several batches through the writer
    path = await export(timed, tmp_path, "台账.csv")
    assert "8 tickets written to" in capsys.readouterr().out
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    assert PHONE.encode() not in raw and ID_CARD.encode() not in raw
    rows = read_csv(path)
    assert rows[0] == HEADER and len(rows) == 9
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 9)]
    assert rows[3] == CLOSED_ROW
    assert rows[2][HEADER.index("按期办结")] == "是"  # #2, resolved in 2 of its 15 working days
    reopened = rows[6]
    assert reopened[3:5] == ["西村", "west"] and reopened[10:] == [
        "已重开",
        "",
        "2026-11-02 13:20",
        "",  # open again: the earlier resolution is in its history, not its row
        "",
        "5",
        "",
        "",
        "",
        "",
        "",
        "",
        "",  # reopened: its next resolution will be measured
        "",
        "",
        "",
        "",
        "",
        "",
        "民情群",
        "",
        "2026-11-24 00:00",  # 15 working days from its reopening, as /ticket 6 says
        "",
        "",  # no mediation session (调解时间, 调解地点)
        "",
    ]
    awkward = rows[7]
    # Comma, quotes and line break survive; the numbers are masked as in a group chat.
    assert awkward[6] == AWKWARD.replace(PHONE, "138****5678").replace(
        ID_CARD, "1101**********1234"
    )
    assert awkward[5] == "张三138****8888"  # a phone number in a display name, too
    assert rows[8][6] == "'" + FORMULA  # never a live formula in Excel


async def test_dismissed_tickets_are_listed_with_who_and_why(timed: Timed, tmp_path: Path) -> None:
    """The ledger lists every ticket: a dismissed one says so in its status and in its
    last three columns, so filtering out 已作废 reproduces /stats' figures."""
    await a_fortnight(timed)
    await chatter_dismissed(timed)  # #7 claimed by worker1, dismissed by them; #8 by staff
    rows = read_csv(await export(timed, tmp_path, "台账.csv", "--from", "2026-11-01"))
    by_number = {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    claimed = by_number["7"]
    # What the desk judged it, not the model's guess (消费/产品质量, flagged for triage).
    assert (claimed["状态"], claimed["纠纷类型"], claimed["待人工研判"]) == (
        "已作废",
        "非报事消息",
        "",
    )
    assert (claimed["网格员"], claimed["认领时间"], claimed["办结时间"]) == (
        "",
        "2026-11-02 19:10",
        "",
    )
    assert [claimed["作废时间"], claimed["作废人"], claimed["作废原因"]] == [
        "2026-11-02 19:20",
        "worker1",
        "群聊，不是报事",
    ]
    staff = by_number["8"]
    assert [staff["状态"], staff["作废人"], staff["作废原因"]] == ["已作废", "staff1", ""]
    assert by_number["6"]["作废时间"] == ""  # the others have none
    english = read_csv(await export(timed, tmp_path, "en.csv", "--lang", "en"))
    assert english[0][-19:] == [
        "Dismissed",
        "Dismissed by",
        "Why dismissed",
        "Suggested department",
        "Follow-up answer",
        "Extended limit",
        "On time",
        "Handled by",
        "Dispute settled",
        "Assisting",
        "Major case",
        "People involved",
        "Money involved (yuan)",
        "Source",
        "Closed",
        "Resolve by",
        "Overdue",
        "Mediation at",
        "Mediation place",
    ]
    assert english[7][10] == "dismissed"


async def test_the_ledgers_rows_reproduce_the_stats(
    timed: Timed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Filtering 状态 to leave out 已作废 and 已并案 gives the tickets /stats counts as
    received; of those, 已办结 and 已结案 its resolved, and 按期办结 是 / 否 its on time / late.
    db export says so as it ends, as /export's caption does."""
    await a_fortnight(timed)
    await chatter_dismissed(timed)  # #7, #8 dismissed
    await timed.say("resident3", "楼道灯坏了好几天", hours=12)  # #9
    await timed.say("resident2", "我们楼的楼道灯一直不亮", hours=12, minutes=5)  # #10
    await timed.say("staff1", "并案 10 9", chat="staff", hours=13)
    stats = await timed.say("staff1", "统计 2026-11", days=2)
    assert "受理 6 件，已办结 2 件" in stats and "按期办结 1 件，超期办结 1 件" in stats
    assert "另有 2 件作废" in stats and "另有 1 件并案" in stats
    rows = read_csv(await export(timed, tmp_path, "台账.csv", "--from", "2026-11-01",
                                 "--to", "2026-11-30"))
    cases = [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]
    assert len(cases) == 9
    assert capsys.readouterr().out.endswith(
        "(csv): 6 received as /stats counts them, 2 dismissed, 1 merged\n"
    )
    received = [c for c in cases if c["状态"] not in ("已作废", "已并案")]
    assert len(received) == 6
    done = [c for c in received if c["状态"] in ("已办结", "已结案")]
    assert len(done) == 2
    assert sorted(c["按期办结"] for c in done) == ["否", "是"]


async def test_date_filters_are_local_days(timed: Timed, tmp_path: Path) -> None:
    await month_with_awkward_reports(timed)
    one_day = await export(timed, tmp_path, "a.csv", "--from", "2026-11-02", "--to", "2026-11-02")
    assert [row[0] for row in read_csv(one_day)[1:]] == ["2", "3", "4", "5", "6"]
    since = await export(timed, tmp_path, "b.csv", "--from", "2026-11-03")
    assert [row[0] for row in read_csv(since)[1:]] == ["7", "8"]
    until = await export(timed, tmp_path, "c.csv", "--to", "2026-10-31")
    assert [row[1] for row in read_csv(until)[1:]] == ["2026-09-03 09:00"]
    empty = await export(timed, tmp_path, "d.csv", "--from", "2027-01-01")
    assert read_csv(empty) == [HEADER]


async def test_unmasked_export_keeps_the_numbers_and_warns(
    timed: Timed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await month_with_awkward_reports(timed)
    path = await export(timed, tmp_path, "full.csv", "--unmasked", "--from", "2026-11-03")
    assert read_csv(path)[1][6] == AWKWARD
    assert "is unmasked" in capsys.readouterr().err


async def test_xlsx_ledger(timed: Timed, tmp_path: Path) -> None:
    await month_with_awkward_reports(timed)
    path = await export(timed, tmp_path, "台账.xlsx")  # the format follows the suffix
    book = load_workbook(path)
    sheet = book["台账"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER and len(rows) == 9
    # Empty text is an empty cell; the number of events is a number.
    events = COLUMNS.index("events")
    assert rows[3] == [
        int(value) if i in (0, events) else value or None for i, value in enumerate(CLOSED_ROW)
    ]
    # The ticket number is a number (it was text: Excel sorted #10 before #2, and flagged
    # each cell as a number stored as text).
    assert [row[0] for row in rows[1:]] == list(range(1, 9))
    # #6, reopened, has no 办结时间 or 办理结果 in the workbook either.
    reopened = dict(zip(HEADER, rows[6], strict=True))
    assert (reopened["状态"], reopened["办结时间"], reopened["办理结果"]) == ("已重开", None, None)
    awkward = str(rows[7][6])
    assert "138****5678" in awkward and "\n" in awkward
    formula = sheet.cell(row=9, column=COLUMNS.index("text") + 1)
    assert (formula.value, formula.data_type) == (FORMULA, "s")  # text, not a formula
    assert sheet.freeze_panes == "A2"


async def test_english_headings(timed: Timed, tmp_path: Path) -> None:
    await a_fortnight(timed)
    path = await export(timed, tmp_path, "ledger.csv", "--lang", "en", "--from", "2026-11-01")
    rows = read_csv(path)
    assert rows[0][:3] == ["Ticket", "Received", "Channel"]
    assert rows[2][7:11] == [
        "Public order (fights, gambling, theft, fraud)",
        "",
        "Urgent",
        "closed",
    ]


def test_export_refuses_an_existing_file_and_bad_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(write_config(tmp_path / "c.toml", str(tmp_path / "x.db")))
    (tmp_path / "old.csv").write_text("keep me", encoding="utf-8")
    assert main(["db", "export", "--config", config, str(tmp_path / "old.csv")]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "old.csv").read_text(encoding="utf-8") == "keep me"
    new = str(tmp_path / "new.csv")
    assert main(["db", "export", "--config", config, "--from", "2026-02-30", new]) == 2
    assert main(["db", "export", "--config", config, "--from", "11/05/2026", new]) == 2
    backwards = ["--from", "2026-11-30", "--to", "2026-11-01"]
    assert main(["db", "export", "--config", config, *backwards, new]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 3 and all(e.startswith("intake-bot: error: ") for e in errors)
    assert not (tmp_path / "new.csv").exists()


def row(**changes: object) -> LedgerRow:
    fields: dict[str, object] = dict(
        id=1,
        created_at="2026-11-02T01:00:00.000Z",
        channel="wecom",
        chat_id="zhangsan",
        area="DZ",
        reporter="zhangsan",
        text="楼上漏水",
        type="neighbour",
        urgency="normal",
        needs_triage=False,
        status="new",
        worker=None,
        claimed_at=None,
        resolved_at=None,
        resolution=None,
        events=1,
        dismissed_at=None,
        dismissed_by=None,
        dismissal=None,
    )
    return LedgerRow(**{**fields, **changes})  # type: ignore[arg-type]


def test_one_to_one_intake_points_are_not_named_by_the_residents_id(tmp_path: Path) -> None:
    config = make_config(tmp_path / "x.db")
    config.intake_groups.append(IntakeGroup(channel="wecom", chat_id="*", area="DZ"))
    cells = LedgerFormat(config, "zh").cells(row(needs_triage=True))
    assert cells[COLUMNS.index("channel")] == "企业微信"
    assert cells[COLUMNS.index("group")] == "一对一会话"
    assert cells[COLUMNS.index("needs_triage")] == "是"
    config.intake.area_prefix = True
    assert LedgerFormat(config, "en").cells(row())[0] == "DZ-1"


def test_a_private_report_is_not_named_by_the_residents_chat_id(tmp_path: Path) -> None:
    """私下反映 on a channel with groups: the ticket's chat is the resident's own (their
    Telegram user id, their WeChat openid), which a masked ledger must not carry."""
    config = make_config(tmp_path / "x.db")
    private = row(channel=CHANNEL, chat_id="998877665", source="private")
    assert LedgerFormat(config, "zh").cells(private)[COLUMNS.index("group")] == "一对一会话"
    # A group the config no longer lists is still named by its id: not a person's.
    gone = row(channel=CHANNEL, chat_id="-100123", source="group")
    assert LedgerFormat(config, "zh").cells(gone)[COLUMNS.index("group")] == "-100123"


def test_only_a_standing_resolution_has_its_time_and_outcome(tmp_path: Path) -> None:
    """办结时间 and 办理结果 are those of the resolution that stands: a ticket reopened (or
    dismissed or merged after a reopening) is not resolved, whatever it once was; a merged
    one's outcome still says where it went."""
    ledger = LedgerFormat(make_config(tmp_path / "x.db"), "zh")
    resolved_at, outcome = COLUMNS.index("resolved_at"), COLUMNS.index("resolution")
    once = {"resolved_at": "2026-11-02T06:20:00.000Z", "resolution": "已疏通"}

    def shown(status: str, **changes: object) -> tuple[object, object]:
        cells = ledger.cells(row(status=status, **{**once, **changes}))
        return cells[resolved_at], cells[outcome]

    assert shown("resolved") == shown("closed") == ("2026-11-02 14:20", "已疏通")
    for status in ("reopened", "claimed", "new", "dismissed"):
        assert shown(status) == ("", ""), status
    assert shown("merged", resolution="已并入工单 #1") == ("", "已并入工单 #1")


async def test_a_failed_export_leaves_no_file(tmp_path: Path) -> None:
    async def breaks_midway() -> AsyncIterator[LedgerRow]:
        yield row()
        raise ConnectionError("database went away")

    target = tmp_path / "ledger.csv"
    ledger = LedgerFormat(make_config(tmp_path / "x.db"), "zh")
    with pytest.raises(ConnectionError):
        await write_ledger(breaks_midway(), target, "csv", ledger)
    left = await asyncio.to_thread(lambda: list(tmp_path.iterdir()))
    assert left == []  # neither the ledger nor its .partial


async def test_one_areas_ledger(
    timed: Timed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await a_fortnight(timed)
    west = read_csv(await export(timed, tmp_path, "xc.csv", "--area", "XC"))
    assert [(row[0], row[3]) for row in west[1:]] == [("6", "西村")]
    config = str(write_config(tmp_path / "c2.toml", database_url(timed.harness.bot.store)))
    argv = ["db", "export", "--config", config, "--area", "东镇", str(tmp_path / "x.csv")]
    assert await asyncio.to_thread(main, argv) == 2
    assert "unknown area '东镇' (area codes: DZ, XC)" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_a_ledger_over_the_size_limit_stops_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """A CSV stops at the first batch past the limit; an XLSX is measured once zipped."""
    monkeypatch.setattr(bot.ledger, "BATCH", 10)
    read: list[int] = []

    async def many() -> AsyncIterator[LedgerRow]:
        for number in range(1, 2_001):
            read.append(number)
            yield row(id=number, text="楼上漏水" * 20)

    ledger = LedgerFormat(make_config(tmp_path / "x.db"), "zh")
    target = tmp_path / f"ledger.{fmt}"
    with pytest.raises(bot.ledger.LedgerTooLarge) as caught:
        await write_ledger(many(), target, fmt, ledger, max_bytes=20_000)  # type: ignore[arg-type]
    assert caught.value.limit == 20_000
    if fmt == "csv":
        assert len(read) < 100  # ~250 bytes a row: it stopped near 20 kB, not at 2,000 rows
    assert await asyncio.to_thread(lambda: list(tmp_path.iterdir())) == []
    small = await write_ledger(many_of(3), target, fmt, ledger, max_bytes=20_000)  # type: ignore[arg-type]
    assert small.rows == 3 and target.stat().st_size <= 20_000


async def many_of(count: int) -> AsyncIterator[LedgerRow]:
    for number in range(1, count + 1):
        yield row(id=number)


def by_number(path: Path) -> dict[str, dict[str, str]]:
    """A CSV ledger's rows by ticket number, each by its Chinese heading."""
    return {row[0]: dict(zip(HEADER, row, strict=True)) for row in read_csv(path)[1:]}


def deadline_said(ticket_reply: str) -> str:
    """The resolve deadline `/ticket N` states (`办结期限：… 前（时限 …）`)."""
    found = re.search(r"办结期限：(.+?) 前（", ticket_reply)
    assert found is not None, ticket_reply
    return found.group(1)


async def test_closing_deadlines_and_overdue(timed: Timed, tmp_path: Path) -> None:
    """结案时间 for a closed ticket; 办结期限 for an open one, the very deadline /ticket states
    (an extension, 延期, moving it); 超期 for an open one past it when the ledger is written,
    by the bot's clock, in 我的's words; a resolved ticket has neither."""
    await a_fortnight(timed)
    timed.clock.at(days=1)  # Tuesday 3 November, 09:00
    rows = by_number(await export(timed, tmp_path, "a.csv"))
    closing = ("结案时间", "办结期限", "超期")
    assert [rows["3"][c] for c in closing] == ["2026-11-02 15:00", "", ""]  # 结案 3 at 15:00
    for resolved in ("1", "2"):  # resolved, not closed: 按期办结 says how it went
        assert [rows[resolved][c] for c in (*closing, "按期办结")] == ["", "", "", "是"]
    untouched = await timed.say("staff1", "/ticket 5", chat="staff", days=1)
    assert rows["5"]["办结期限"] == deadline_said(untouched) == "2026-11-24 00:00"
    assert rows["5"]["超期"] == ""  # within its 15 working days
    # #4, held by worker2, gets 5 working days more (20 in all).
    await timed.say("staff1", "延期 4 5个工作日", chat="staff", days=1, minutes=1)
    extended = await timed.say("staff1", "/ticket 4", chat="staff", days=1, minutes=2)
    assert deadline_said(extended) == "2026-12-01 00:00"
    # A month on (Wednesday 2 December): 21 working days have ended since 2 November.
    timed.clock.at(days=30)
    later = by_number(await export(timed, tmp_path, "b.csv"))
    assert [later["5"][c] for c in closing] == ["", "2026-11-24 00:00", "已超期 6个工作日"]
    assert [later["4"][c] for c in ("延期后办结时限", "办结期限", "超期")] == [
        "20个工作日",
        "2026-12-01 00:00",
        "已超期 1个工作日",
    ]
    mine = "\n".join(m.text for m in await timed.harness.say("worker2", "我的", private=True))
    assert "【已超期 1个工作日】#4" in mine  # the same words, the same reckoning
    assert [later["3"][c] for c in closing] == ["2026-11-02 15:00", "", ""]
    assert [later["2"][c] for c in closing] == ["", "", ""]
    english = read_csv(await export(timed, tmp_path, "en.csv", "--lang", "en"))
    assert english[5][-5:-2] == ["", "2026-11-24 00:00", "overdue 6 working days"]


async def test_a_departments_deadline_is_its_own(db_path: Path, new_store: StoreFactory) -> None:
    """A case handed to a department (转办) runs on the department's limits from then, as
    /ticket states it; a department's ledger still ends with 主办/协办."""
    config = with_departments(make_config(db_path))
    config.departments[0].sla = DepartmentSla.model_validate({"resolve": {"normal": "5wd"}})
    clock = Clock(T0, T0)
    async with harness_with(config, new_store(), clock=clock) as harness:
        await harness.say("resident1", "楼道灯坏了一个月")  # #1, ordinary: 15 working days
        clock.at(days=1)
        await harness.say("staff1", "转办 1 派出所", chat="staff")  # its clock starts again
        [told] = await harness.say("staff1", "/ticket 1", chat="staff")
        assert "（时限 5个工作日）" in told.text
        clock.at(days=9)  # Wednesday 11 November, 09:00: 5 working days ended on the 10th
        store = harness.bot.store
        rows = [r async for r in ledger_rows(store, BEGINNING, END_OF_TIME, department="PCS")]
        ledger = LedgerFormat(config, "zh", department="PCS", now=clock())
        assert ledger.columns[-4:] == ("overdue", "mediation_at", "mediation_place", "part")
        [cells] = [ledger.cells(row) for row in rows]
        assert cells[-5:] == [deadline_said(told.text), "已超期 不到1个工作日", "", "", "主办"]
        assert deadline_said(told.text) == "2026-11-11 00:00"  # from the handing over
