"""`intake-bot db import`: a hotline's work orders (12345热线工单) filed as tickets, on
SQLite and PostgreSQL.

A bot on either engine (its grid workers known to the database, as they are once it has
run) and the real command line on its database, reading CSV (UTF-8 with a BOM, GB18030)
and XLSX files the test writes as the platform's export would be.
"""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
import threading
from datetime import datetime
from pathlib import Path
from unittest import mock

import pytest
from openpyxl import Workbook

import bot.app
import bot.clock
import bot.hotline
from bot.adapters.harness import CHANNEL
from bot.cli import main
from bot.config import Area, Config
from bot.hotline import area_of, note
from bot.hotline_file import WorkOrder
from classifier import Classification, Classifier
from tests.conftest import KeywordClassifier, Timed, rows
from tests.test_ledger import database_url, read_csv, write_config

HEADER = [
    "工单编号",
    "受理时间",
    "来电人",
    "联系电话",
    "事发地址",
    "诉求内容",
    "诉求类别",
    "所属区域",
    "承办意见",
]
ORDERS = [
    [
        "A001",
        "2026-11-01 08:30",
        "张三",
        "13812345678",
        "东镇幸福村3组",
        "楼上邻居天天半夜装修，吵得睡不着",
        "噪声扰民",
        "",
        "请核实",
    ],
    [
        "A002",
        "2026-11-01 09:10",
        "李四",
        "13900001111",
        "",
        "村口的路灯坏了好几天",
        "市政设施",
        "西村",
        "",
    ],
    ["A003", "2026-11-01 10:00", "", "", "", "隔壁养狗天天叫", "", "", ""],
    ["A004", "2026-11-01 10:30", "王五", "13700002222", "", "", "", "", ""],  # no content
]


def write_csv(path: Path, header: list[str], lines: list[list[str]], encoding: str) -> Path:
    out = io.StringIO()
    csv.writer(out).writerows([header, *lines])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


async def run(timed: Timed, tmp_path: Path, *argv: str, more_config: str = "") -> int:
    """The command line on the bot's database, at the test's clock, with the test model
    (and `more_config` after the config's areas and groups)."""
    config = write_config(tmp_path / "c.toml", database_url(timed.harness.bot.store))
    config.write_text(config.read_text(encoding="utf-8") + more_config, encoding="utf-8")
    with (
        mock.patch.object(bot.clock, "utc_now", timed.clock),
        mock.patch.object(bot.app, "load_classifier", lambda _: KeywordClassifier()),
    ):
        return await asyncio.to_thread(main, ["db", argv[0], "--config", str(config), *argv[1:]])


async def hotline_tickets(timed: Timed) -> list[tuple[object, ...]]:
    return await rows(
        timed.harness.bot.store,
        "SELECT id, chat_id, message_id, area, needs_triage, source, created_at FROM tickets "
        "ORDER BY id",
    )


async def test_utf8_csv_filed_routed_and_a_second_import_files_nothing(
    timed: Timed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_csv(tmp_path / "工单.csv", HEADER, ORDERS, "utf-8-sig")
    timed.clock.at(days=1)
    assert await run(timed, tmp_path, "import", str(file)) == 1  # a row rejected
    out = capsys.readouterr().out
    assert "line 5\tA004\trejected: no content (诉求内容)" in out
    assert "imported 3, already imported 0, rejected 1" in out
    now = bot.clock.iso(timed.clock.now)
    # Routed by the address (东镇幸福村), by the area column (西村), else for triage; each
    # supervised from the import, not the platform's 受理时间.
    assert await hotline_tickets(timed) == [
        (1, "12345", "A001", "DZ", 0, "hotline", now),
        (2, "12345", "A002", "XC", 0, "hotline", now),
        (3, "12345", "A003", None, 1, "hotline", now),
    ]
    store = timed.harness.bot.store
    sent = await rows(store, "SELECT channel, chat_id, ticket_id, text FROM outbox ORDER BY id")
    # The grid's workers are told privately, with the caller's name and phone to call back;
    # nothing is queued for the caller (no chat), nor for a ticket with no area's grid.
    told = {(chat, ticket) for channel, chat, ticket, _ in sent if channel == CHANNEL}
    assert {("worker1", 1), ("worker2", 1), ("westworker", 2)} <= told
    assert not [s for s in sent if s[0] == "hotline"]
    assert not [s for s in sent if s[1] in ("worker1", "worker2", "westworker") and s[2] == 3]
    notice = next(text for _, chat, ticket, text in sent if (chat, ticket) == ("worker1", 1))
    assert "楼上邻居天天半夜装修" in notice and "联系电话：13812345678" in notice
    assert "诉求类别：噪声扰民" in notice and "受理时间：2026-11-01 08:30" in notice
    # The callers are reporters on the hotline's channel, which no adapter serves.
    people = await rows(
        store,
        "SELECT channel, user_id, display_name FROM people WHERE channel = 'hotline' ORDER BY id",
    )
    assert people == [
        ("hotline", "13812345678", "张三"),
        ("hotline", "13900001111", "李四"),
        ("hotline", "12345:A003", "12345来电人"),
    ]

    assert await run(timed, tmp_path, "import", str(file)) == 1  # A004 is still rejected
    out = capsys.readouterr().out
    assert "line 2\tA001\talready imported as #1" in out
    assert "imported 0, already imported 3, rejected 1" in out
    assert len(await hotline_tickets(timed)) == 3
    assert len(await rows(store, "SELECT id FROM outbox")) == len(sent)


async def test_two_imports_at_once_file_each_order_once(
    timed: Timed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two `db import`s of one export at the same time, each on its own connection as two
    processes are: the second's look for A001 finds none, the first then files the whole
    file, and only then does the second file A001.  The number's unique index turns its
    insert away: it reports the order as already imported, the first's ticket, and goes on
    to file the one order (A005) only its file has, the next number, none skipped."""
    file = write_csv(tmp_path / "工单.csv", HEADER, ORDERS, "utf-8-sig")
    more = ["A005", "", "", "", "", "邻居漏水", "", "西村", ""]
    later = write_csv(tmp_path / "工单-2.csv", HEADER, [*ORDERS, more], "utf-8-sig")
    timed.clock.at(days=1)
    checked, first_done = threading.Event(), threading.Event()
    classify = bot.hotline.classified

    def held(order: WorkOrder, classifier: Classifier) -> Classification:
        """The second import, between its look for A001 (none) and its filing of it, waits
        for the first to file the whole file (every call after that one goes straight on)."""
        if not checked.is_set():
            checked.set()
            assert first_done.wait(timeout=60), "the first import never finished"
        return classify(order, classifier)

    async def first() -> int:
        assert await asyncio.to_thread(checked.wait, 60), "the second import never looked"
        try:
            return await run(timed, tmp_path, "import", str(file))
        finally:
            first_done.set()

    with mock.patch.object(bot.hotline, "classified", held):
        second = asyncio.create_task(run(timed, tmp_path, "import", str(later)))
        assert list(await asyncio.gather(first(), second)) == [1, 1]  # A004 rejected, no exception
    first_out, second_out = capsys.readouterr().out.split("rejected 1\n")[:2]
    assert "line 2\tA001\timported #1 (东镇; neighbour, normal)" in first_out
    assert first_out.endswith("imported 3, already imported 0, ")
    assert second_out.splitlines() == [
        "line 2\tA001\talready imported as #1",
        "line 3\tA002\talready imported as #2",
        "line 4\tA003\talready imported as #3",
        "line 5\tA004\trejected: no content (诉求内容)",
        "line 6\tA005\timported #4 (西村; neighbour, normal)",
        "imported 1, already imported 3, ",
    ]
    assert [(t[0], t[2]) for t in await hotline_tickets(timed)] == [
        (1, "A001"), (2, "A002"), (3, "A003"), (4, "A005"),
    ]
    store = timed.harness.bot.store
    assert await rows(store, "SELECT last FROM ticket_numbers") == [(4,)]
    told = await rows(store, "SELECT ticket_id, chat_id FROM outbox WHERE chat_id = 'worker1'")
    assert sorted(told) == [(1, "worker1")]  # A001's notice once, by the import that filed it


async def test_gb18030_english_headers_dry_run_then_ledger(
    timed: Timed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = ["Number", "Time", "Name", "Phone", "Address", "Content", "Remarks"]
    lines = [["H-9", "2026-11-02", "赵六", "13600003333", "西村二组", "邻居占用通道堆放杂物", "x"]]
    file = write_csv(tmp_path / "orders.csv", header, lines, "gb18030")
    with pytest.raises(UnicodeDecodeError):
        file.read_bytes().decode("utf-8")  # the test's file is what Excel writes in China
    assert await run(timed, tmp_path, "import", str(file), "--dry-run") == 0
    assert "would file 1, already imported 0, rejected 0 (dry run" in capsys.readouterr().out
    assert await hotline_tickets(timed) == []
    assert await run(timed, tmp_path, "import", str(file)) == 0
    assert [t[3] for t in await hotline_tickets(timed)] == ["XC"]
    (text,) = (await rows(timed.harness.bot.store, "SELECT text FROM tickets"))[0]
    assert (
        text == "邻居占用通道堆放杂物\n（12345工单 H-9；受理时间：2026-11-02；来电人：赵六；"
        "联系电话：13600003333；地址：西村二组）"
    )
    ledger = tmp_path / "台账.csv"
    assert await run(timed, tmp_path, "export", str(ledger)) == 0
    (row,) = read_csv(ledger)[1:]
    assert row[read_csv(ledger)[0].index("信息来源")] == "12345热线"


async def test_xlsx_of_another_platform_and_its_ledger(
    timed: Timed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["编号", "来电时间", "姓名", "电话", "地址", "内容", "街道"])
    sheet.append(
        [
            20261103001,
            datetime(2026, 11, 3, 14, 5),
            "钱七",
            "13500004444",
            "",
            "有人在河边打人",
            "东镇",
        ]
    )
    sheet.append([None, None, "孙八", "", "", "小区垃圾没人清运", ""])  # no number
    file = tmp_path / "orders.xlsx"
    book.save(file)
    assert await run(timed, tmp_path, "import", str(file), "--source", "民情e点通") == 1
    out = capsys.readouterr().out
    assert "line 3\t-\trejected: no work-order number (工单编号)" in out
    ((number, area, urgency, text),) = await rows(
        timed.harness.bot.store, "SELECT message_id, area, urgency, text FROM tickets"
    )
    assert (number, area, urgency) == ("20261103001", "DZ", "urgent")
    assert "受理时间：2026-11-03 14:05" in text
    ledger = tmp_path / "台账.xlsx"
    assert await run(timed, tmp_path, "export", str(ledger), "--format", "csv") == 0
    header, row = read_csv(ledger)
    assert row[header.index("信息来源")] == "民情e点通"


async def test_a_missing_required_column_is_named(
    timed: Timed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_csv(tmp_path / "x.csv", ["工单编号", "来电人"], [["A1", "张三"]], "utf-8")
    assert await run(timed, tmp_path, "import", str(file)) == 2
    err = capsys.readouterr().err
    assert "no column for content (诉求内容 / 内容 / 来电内容)" in err
    assert await hotline_tickets(timed) == []


async def test_the_visit_of_a_hotline_ticket_is_for_staff_to_phone(
    timed: Timed, tmp_path: Path
) -> None:
    file = write_csv(tmp_path / "工单.csv", HEADER, ORDERS[:1], "utf-8-sig")
    assert await run(timed, tmp_path, "import", str(file)) == 0
    harness = timed.harness
    await harness.say("worker1", "/claim 1", chat="group")
    await harness.say("worker1", "/resolve 1 已上门调解", chat="group")
    timed.clock.at(days=3)  # the visit is due a day after the resolution
    report = await harness.bot.supervisor.sweep()
    assert report.unreachable == 1 and report.asked == 0
    store = harness.bot.store
    events = await rows(
        store,
        "SELECT action, payload FROM ticket_events WHERE ticket_id = 1 "
        "AND action = 'followup_unreachable'",
    )
    assert events == [("followup_unreachable", '{"by_phone": true}')]
    history = "\n".join(m.text for m in await harness.say("staff1", "/ticket 1", chat="staff"))
    assert "请工作人员电话回访" in history


async def test_staff_record_the_hotline_callers_answer_by_phone(
    timed: Timed, tmp_path: Path
) -> None:
    """What the caller said on the phone is their answer (`回访 1 满意`): 待结案 reads it, and
    结案 满意 closes the ticket as it closes one its reporter rated in the chat."""
    file = write_csv(tmp_path / "工单.csv", HEADER, ORDERS[:1], "utf-8-sig")
    assert await run(timed, tmp_path, "import", str(file)) == 0
    await timed.say("worker1", "/claim 1")
    await timed.say("worker1", "/resolve 1 已上门调解")
    timed.clock.at(days=3)
    assert (await timed.harness.bot.supervisor.sweep()).unreachable == 1
    assert "未回访" in await timed.say("staff1", "待结案", chat="staff")
    assert await timed.say("staff1", "回访 1 基本满意", chat="staff") == (
        "已记录工单 #1 的电话回访：基本满意。"
    )
    assert "回访基本满意" in await timed.say("staff1", "待结案", chat="staff")
    assert await timed.say("staff1", "结案 满意", chat="staff") == (
        "已结案 1 件（回访满意或基本满意）：#1"
    )
    store = timed.harness.bot.store
    assert not [s for s in await rows(store, "SELECT channel FROM outbox") if s[0] == "hotline"]


async def test_a_work_order_with_no_area_is_routed_to_a_grid(
    timed: Timed, tmp_path: Path
) -> None:
    """划归 3 东镇: the order whose address named no grid (#3) reaches 东镇's queue, its workers
    are told as of a new report, and it is out of triage (it was in it for want of an area
    alone); the ledger's 网格 names it."""
    file = write_csv(tmp_path / "工单.csv", HEADER, ORDERS[:3], "utf-8-sig")
    assert await run(timed, tmp_path, "import", str(file)) == 0
    assert (await hotline_tickets(timed))[2][3:5] == (None, 1)
    assert "#3" not in await timed.say("worker1", "待办", chat="group")
    # Only staff route; an area they name must be one.
    assert (await timed.say("worker1", "划归 3 东镇", chat="group")).startswith(
        "您的身份（网格员）不能使用「划归」"
    )
    assert await timed.say("staff1", "划归 3 北村", chat="staff") == (
        "「北村」不是网格的名称或代码。可选：DZ（东镇）、XC（西村）。"
    )
    sent = await timed.harness.say("staff1", "划归 3 东镇", chat="staff")
    [answer] = [m.text for m in sent if m.kind == "reply"]
    assert answer == (
        "已将工单 #3 划归东镇。工单不再待人工研判（此前仅因未定网格）。"
        "已私信通知该网格的网格员认领。"
    )
    told = {m.chat_id: m.text for m in sent if m.kind == "direct"}
    assert set(told) == {"worker1", "worker2"}
    assert told["worker1"].startswith("【群众反映】新工单 #3｜东镇｜邻里纠纷｜一般\n")
    assert "隔壁养狗天天叫" in told["worker1"] and "认领请发送「认领 3」" in told["worker1"]
    assert (await hotline_tickets(timed))[2][3:5] == ("DZ", 0)
    assert "#3" in await timed.say("worker1", "待办", chat="group")
    history = await timed.say("staff1", "/ticket 3", chat="staff")
    assert "系统 待人工研判 工单未写明所属网格" in history and "staff1 划归网格 → 东镇" in history
    assert await timed.say("staff1", "/route 3 DZ", chat="staff") == "工单 #3 已属于东镇。"
    ledger = tmp_path / "台账.csv"
    assert await run(timed, tmp_path, "export", str(ledger)) == 0
    header, *lines = read_csv(ledger)
    assert lines[2][header.index("网格")] == "东镇"


async def test_routing_a_work_order_the_model_was_unsure_of_leaves_it_for_triage(
    timed: Timed, tmp_path: Path
) -> None:
    unsure = ["A9", "", "", "", "", "人在不在，楼下天天有人吵架", "", "", ""]
    file = write_csv(tmp_path / "工单.csv", HEADER, [unsure], "utf-8-sig")
    assert await run(timed, tmp_path, "import", str(file)) == 0
    sent = await timed.harness.say("staff1", "/route 1 XC", chat="staff")
    [answer] = [m.text for m in sent if m.kind == "reply"]
    assert answer == "已将工单 #1 划归西村。已私信通知该网格的网格员认领。"
    assert [m.chat_id for m in sent if m.kind == "direct"] == ["westworker"]
    assert (await hotline_tickets(timed))[0][3:5] == ("XC", 1)


def test_an_area_named_in_the_address_or_the_words() -> None:
    config = Config(
        areas=[
            Area(code="D1", name="东镇第一网格"),
            Area(code="D2", name="东镇第二网格"),
            Area(code="XC", name="西村网格"),
        ]
    )

    def order(area: str = "", address: str = "", content: str = "路灯坏了") -> WorkOrder:
        return WorkOrder(2, "A1", content, area=area, address=address)

    assert area_of(order(area="XC"), config) == "XC"  # a code in the area column
    assert area_of(order(area="西村"), config) == "XC"  # its short name
    assert area_of(order(address="东镇第二网格幸福路8号"), config) == "D2"
    assert area_of(order(content="西村村口的路灯坏了"), config) == "XC"
    assert area_of(order(address="东镇幸福路8号"), config) is None  # 东镇: two areas' start
    assert area_of(order(address="城关镇"), config) is None


def test_the_callers_name_in_the_note_is_the_name_their_person_has() -> None:
    """A file's cell may carry what no platform name may (the desk's 【】, a line break): the
    caller's person is named `plain_name`, and the note line under the words said the cell."""
    order = WorkOrder(2, "A1", "路灯坏了", name="【匿名】\n张三", phone="13800000000")
    line = note(order, "12345", None)
    assert "来电人：[匿名] 张三" in line and "【匿名】" not in line and "\n" not in line


def test_a_worker_added_to_the_config_since_the_bot_ran_is_told(tmp_path: Path) -> None:
    """The people of `[[people]]` are seeded before the import, as at the bot's start: a
    grid worker added to the config since (here: a database only migrated) was unknown to
    the database, and nobody was told of the work order."""
    config = write_config(tmp_path / "c.toml", str(tmp_path / "new.db"))
    config.write_text(
        config.read_text(encoding="utf-8")
        + '[[people]]\nchannel = "test"\nuser_id = "worker1"\nrole = "grid_worker"\n'
        'area = "DZ"\n',
        encoding="utf-8",
    )
    file = write_csv(tmp_path / "工单.csv", HEADER, ORDERS[:1], "utf-8-sig")
    assert main(["db", "migrate", "--config", str(config)]) == 0
    with mock.patch.object(bot.app, "load_classifier", lambda _: KeywordClassifier()):
        assert main(["db", "import", "--config", str(config), str(file)]) == 0
    with sqlite3.connect(tmp_path / "new.db") as db:
        told = db.execute("SELECT chat_id, ticket_id FROM outbox WHERE channel = 'test'").fetchall()
    assert ("worker1", 1) in told


# A complaint about the desk's own people (作风反映): staff's alone, not its grid's.
ABOUT_THE_DESK = ["A009", "", "赵六", "13600003333", "", "社区干部态度恶劣，骂人", "", "东镇", ""]


async def test_a_complaint_about_the_desk_with_no_staff_chat_is_named_in_the_summary(
    timed: Timed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no staff chat nor supervision room (this config has neither) it reaches nobody,
    as a chat report of it would but for its reporter's acknowledgement: the summary says so
    to the one who ran the import.  Its grid's workers are not told."""
    file = write_csv(tmp_path / "工单.csv", HEADER, [ORDERS[0], ABOUT_THE_DESK], "utf-8-sig")
    timed.clock.at(days=1)
    assert await run(timed, tmp_path, "import", str(file)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "line 2\tA001\timported #1 (东镇; neighbour, normal)"
    assert lines[1] == (
        "line 3\tA009\timported #2 (东镇; neighbour, normal); warning: nobody was told of it "
        "(no [staff_chat]): see /ticket 2"
    )
    sent = await rows(timed.harness.bot.store, "SELECT chat_id FROM outbox WHERE ticket_id = 2")
    assert sent == []


async def test_a_complaint_about_the_desk_goes_to_the_supervision_rooms(
    timed: Timed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no staff chat, where a chat report of it goes: the rooms supervision tells."""
    file = write_csv(tmp_path / "工单.csv", HEADER, [ABOUT_THE_DESK], "utf-8-sig")
    timed.clock.at(days=1)
    rooms = '[supervision]\nnotify = [{ channel = "test", chat_id = "leaders" }]\n'
    assert await run(timed, tmp_path, "import", str(file), more_config=rooms) == 0
    assert "warning" not in capsys.readouterr().out
    sent = await rows(
        timed.harness.bot.store, "SELECT chat_id, text FROM outbox WHERE ticket_id = 1"
    )
    assert [chat for chat, _ in sent] == ["leaders"]
    assert str(sent[0][1]).startswith("【作风反映】")
