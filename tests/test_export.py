"""/export (导出台账): the ledger as a file, in a private chat, on SQLite and PostgreSQL.

Tickets are made through the real pipeline (tests/scenario.py); the file the bot sends is
compared byte for byte with what `intake-bot db export` writes for the same days from the
same database.  The harness keeps each document's bytes, since the file it was made in
is gone once the send returns.
"""

from __future__ import annotations

import asyncio
import io
import os
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

import bot.desk.figures
from bot.adapters.base import Document, Outbound, TemporaryFailure
from bot.adapters.harness import Harness, HarnessAdapter
from bot.app import Bot
from bot.export import PREFIX, LedgerFiles, LedgerRequest
from tests.conftest import T0, Clock, KeywordClassifier, StoreFactory, Timed, make_config, rows
from tests.scenario import a_fortnight, chatter_dismissed
from tests.test_ledger import HEADER, ID_CARD, PHONE, export, month_with_awkward_reports, read_csv

NOVEMBER_CAPTION = "台账：全部网格，2026-11-01 至 2026-11-30 受理，共 7 件。电话、身份证号已隐去。"


def documents(messages: list[Outbound]) -> list[Outbound]:
    return [m for m in messages if m.kind == "document"]


def spool(timed: Timed, tmp_path: Path) -> Path:
    """Make the bot's ledgers in a folder of the test's own, to see them cleaned up."""
    folder = tmp_path / "spool"
    folder.mkdir()
    timed.harness.bot.documents.directory = str(folder)
    return folder


async def a_month(timed: Timed) -> None:
    """The scenario's tickets (seven in November), named as the CLI's config names them."""
    await month_with_awkward_reports(timed)
    timed.harness.bot.config.intake_groups[0].title = "东镇民情群"
    timed.clock.at(days=3)


async def test_the_file_is_what_db_export_writes_and_is_sent_privately(
    timed: Timed, tmp_path: Path
) -> None:
    await a_month(timed)
    folder = spool(timed, tmp_path)
    replies = await timed.harness.say("staff1", "导出台账 2026-11", private=True)
    assert [m.kind for m in replies] == ["reply", "document"]
    coming, sent = replies
    assert coming.text == (
        "正在生成台账（全部网格，2026-11-01 至 2026-11-30 受理，CSV），完成后以文件发给您。"
        "电话、身份证号已隐去。"
    )
    assert (sent.chat_id, sent.reply_to_message_id) == ("staff1", coming.reply_to_message_id)
    assert sent.text == NOVEMBER_CAPTION
    document = sent.document
    assert document is not None and document.data is not None
    assert document.filename == "台账-2026-11-01至2026-11-30.csv"
    assert document.mime_type == "text/csv"
    cli = await export(timed, tmp_path, "cli.csv", "--from", "2026-11-01", "--to", "2026-11-30")
    assert document.data == cli.read_bytes()  # the same bytes as db export
    assert PHONE.encode() not in document.data and ID_CARD.encode() not in document.data
    assert [row[0] for row in read_csv(cli)[1:]] == [str(n) for n in range(2, 9)]
    # The row says what was sent; the file is gone.
    [(text, stored, sent_at)] = await rows(
        timed.harness.bot.store,
        "SELECT text, document, sent_at FROM outbox WHERE kind = 'document'",
    )
    assert text == NOVEMBER_CAPTION and sent_at is not None
    assert '"filename": "台账-2026-11-01至2026-11-30.csv"' in stored and "path" not in stored
    assert list(folder.iterdir()) == []


async def test_overdue_is_measured_at_the_bots_clock_in_both(timed: Timed, tmp_path: Path) -> None:
    """超期 is as at the bot's clock when the file is made, in the chat as by db export, so
    the two still give the same bytes; and it follows the clock, not the machine's."""
    await a_month(timed)
    timed.clock.at(days=30)  # Wednesday 2 December: 21 working days since 2 November
    [sent] = documents(await timed.harness.say("staff1", "导出台账 2026-11", private=True))
    assert sent.document is not None and sent.document.data is not None
    cli = await export(timed, tmp_path, "cli.csv", "--from", "2026-11-01", "--to", "2026-11-30")
    assert sent.document.data == cli.read_bytes()
    rows = {row[0]: dict(zip(HEADER, row, strict=True)) for row in read_csv(cli)[1:]}
    assert (rows["5"]["办结期限"], rows["5"]["超期"]) == ("2026-11-24 00:00", "已超期 6个工作日")
    assert rows["3"]["超期"] == "" and rows["3"]["结案时间"] == "2026-11-02 15:00"


async def test_one_area_as_xlsx_matches_db_export(timed: Timed, tmp_path: Path) -> None:
    await a_month(timed)
    [sent] = documents(await timed.harness.say("admin1", "/export xlsx DZ 本月", private=True))
    assert sent.document is not None and sent.document.data is not None
    assert sent.document.filename == "台账-DZ-2026-11-01至2026-11-30.xlsx"
    assert sent.document.mime_type.endswith("spreadsheetml.sheet")
    assert "东镇，2026-11-01 至 2026-11-30 受理，共 6 件" in sent.text
    options = ("--from", "2026-11-01", "--to", "2026-11-30", "--area", "DZ")
    cli = await export(timed, tmp_path, "cli.xlsx", *options)

    def cells(data: bytes) -> list[list[object]]:
        sheet = load_workbook(io.BytesIO(data))["台账"]
        return [[cell.value for cell in row] for row in sheet.iter_rows()]

    chat = cells(sent.document.data)
    assert chat == cells(cli.read_bytes())
    assert chat[0] == HEADER and [row[3] for row in chat[1:]] == ["东镇"] * 6


async def test_grid_workers_export_their_own_area(timed: Timed) -> None:
    """As /stats: their area by default, another area refused by name."""
    await a_month(timed)
    [own] = documents(await timed.harness.say("worker1", "导出台账 本月", private=True))
    assert own.document is not None and own.document.data is not None
    assert own.document.filename == "台账-DZ-2026-11-01至2026-11-30.csv"
    assert "西村" not in own.document.data.decode("utf-8-sig")
    refused = await timed.harness.say("worker1", "导出台账 本月 XC", private=True)
    assert [m.text for m in refused] == ["网格员只能导出本网格（东镇）的台账。"]
    [west] = documents(await timed.harness.say("westworker", "/export 2026-11", private=True))
    assert west.text.startswith("台账：西村，2026-11-01 至 2026-11-30 受理，共 1 件")


async def test_asked_in_a_group_it_goes_privately_or_not_at_all(timed: Timed) -> None:
    """The ledger is never posted in a group; the bot writes privately only to someone
    who has written to it privately (Telegram's rule), else asks them to."""
    await a_month(timed)
    first = await timed.harness.say("staff1", "导出台账 本月")
    assert [(m.chat_id, m.kind) for m in first] == [("group", "reply")]
    assert first[0].text == (
        "台账含居民个人信息，只能私聊发送，不在群里发送。请先私聊机器人（发送 /start），"
        "再在私聊中发送「导出台账 本月」。"
    )
    await timed.harness.say("staff1", "/start", private=True)
    again = await timed.harness.say("staff1", "导出台账 本月", chat="staff")
    assert [(m.chat_id, m.kind) for m in again] == [("staff", "reply"), ("staff1", "document")]
    assert again[0].text == (
        "台账含居民个人信息，不在群里发送，已私信发给您"
        "（全部网格，2026-11-01 至 2026-11-30 受理）。"
    )
    assert again[1].reply_to_message_id is None and again[1].text == NOVEMBER_CAPTION


async def test_the_caption_counts_what_stats_counts(timed: Timed) -> None:
    """共 N 件 is /stats' 受理 N 件: the dismissed and merged tickets keep their rows (状态
    已作废, 已并案) and the caption names them apart; it used to count them in."""
    await a_fortnight(timed)  # #2 to #6 in November
    await chatter_dismissed(timed)  # #7, #8 dismissed
    [sent] = documents(await timed.harness.say("staff1", "导出台账 2026-11", private=True))
    assert "，共 5 件（另列作废 2 件，不计入件数，与统计一致）。" in sent.text  # one kind apart
    await timed.say("resident3", "楼道灯坏了好几天", hours=12)  # #9
    await timed.say("resident2", "我们楼的楼道灯一直不亮", hours=12, minutes=5)  # #10
    await timed.say("staff1", "并案 10 9", chat="staff", hours=13)
    assert "\n受理 6 件，" in await timed.say("staff1", "统计 2026-11", days=2)
    [sent] = documents(await timed.harness.say("staff1", "导出台账 2026-11", private=True))
    assert sent.text == (
        "台账：全部网格，2026-11-01 至 2026-11-30 受理，共 6 件（另列作废 2 件、并案 1 件，"
        "不计入件数，与统计一致）。电话、身份证号已隐去。"
    )
    assert sent.document is not None and sent.document.data is not None
    assert len(sent.document.data.decode("utf-8-sig").splitlines()) == 1 + 9  # every ticket
    [west] = documents(await timed.harness.say("staff1", "/export 2026-11 XC", private=True))
    assert west.text.endswith("受理，共 1 件。电话、身份证号已隐去。")  # none apart: as before
    await timed.harness.say("staff1", "/lang en", private=True)
    [english] = documents(await timed.harness.say("staff1", "/export 2026-11", private=True))
    assert english.text == (
        "Ledger: all areas, received 2026-11-01 to 2026-11-30, 6 tickets (plus 2 dismissed, "
        "1 merged listed but not counted, as in the statistics). Phone and ID numbers are masked."
    )


async def test_english(timed: Timed) -> None:
    await a_month(timed)
    await timed.harness.say("staff1", "/lang en", private=True)
    coming, sent = await timed.harness.say("staff1", "/export 2026-11-02", private=True)
    assert coming.text.startswith("Making the ledger (all areas, received 2026-11-02 to 2026-11-02")
    assert sent.text.startswith("Ledger: all areas, received 2026-11-02 to 2026-11-02, 5 tickets")
    assert sent.document is not None and sent.document.data is not None
    assert sent.document.filename == "ledger-2026-11-02.csv"
    assert sent.document.data.decode("utf-8-sig").startswith("Ticket,Received,Channel")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "/export fortnight",
            "看不懂「fortnight」：既不是时间段、网格代码，也不是格式（csv、xlsx）。",
        ),
        ("/export 2026-13", "看不懂时间段「2026-13」。用法：/export"),
        ("/export 本月 NOPE", "「NOPE」不是网格的名称或代码。可选：DZ（东镇）、XC（西村）。"),
        ("导出台账 本月 东村", None),  # no area's name: not even the command's shape
        ("/export 本月 pdf", "没有「pdf」格式。可选：csv、xlsx（默认 csv）。"),
        ("导出台账 上月 xls", "没有「xls」格式。"),
        ("导出台账 本月 明文", "聊天中导出的台账一律隐去电话和身份证号"),
        ("/export 本月 --unmasked", "intake-bot db export --unmasked"),
        ("/export 2026-11-30..2026-11-01", "看不懂时间段「2026-11-30..2026-11-01」"),
    ],
)
async def test_bad_input_gets_one_reply_naming_the_problem(
    harness: Harness, text: str, expected: str | None
) -> None:
    replies = await harness.say("staff1", text, private=True)
    assert len(replies) == 1 and documents(replies) == []
    if expected is None:  # a private message that is no command
        assert "这条消息不是命令" in replies[0].text
    else:
        assert expected in replies[0].text


async def test_residents_may_not(harness: Harness) -> None:
    replies = await harness.say("resident1", "导出台账", private=True)
    assert [m.text for m in replies] == ["您的身份（居民）不能使用「导出台账」。"]


async def test_without_openpyxl_xlsx_is_refused_csv_still_works(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.desk.figures, "xlsx_available", lambda: False)
    refused = await harness.say("staff1", "/export xlsx", private=True)
    assert [m.text for m in refused] == [
        "服务器未安装 openpyxl，不能导出 xlsx。请改用 csv（Excel、WPS 都能打开），"
        "或请管理员安装 dispute-intake-bot[xlsx]。"
    ]
    assert len(documents(await harness.say("staff1", "/export csv", private=True))) == 1


async def test_a_ledger_over_the_platforms_limit_becomes_a_reply_saying_so(
    harness: Harness,
) -> None:
    for n in range(20):
        await harness.say("resident1", f"楼道里堆满杂物，第{n}次反映了")
    harness.adapter.max_document_bytes = 2_000
    coming, refusal = await harness.say("staff1", "导出台账 7d", private=True)
    assert (coming.kind, refusal.kind, refusal.document) == ("reply", "document", None)
    assert refusal.text == (
        "台账文件超过test单个文件 2 kB 的上限，未能发送。请缩短时间段（如按月、按周导出），"
        "或只导出一个网格（如「导出台账 本月 网格代码」）。"
    )
    # The row now says what was sent, so a retry would send the same text.
    [(text, stored)] = await rows(
        harness.bot.store, "SELECT text, document FROM outbox WHERE kind = 'document'"
    )
    assert (text, stored) == (refusal.text, None)
    harness.adapter.max_document_bytes = 50_000_000
    assert len(documents(await harness.say("staff1", "导出台账 7d DZ", private=True))) == 1


async def test_a_platform_that_cannot_send_files_is_named(
    db_path: Path, new_store: StoreFactory
) -> None:
    adapter = HarnessAdapter(max_document_bytes=None)
    async with Bot(make_config(db_path), [adapter], new_store(), KeywordClassifier()) as bot:
        replies = await Harness(bot, adapter).say("staff1", "导出台账", private=True)
    assert [m.text for m in replies] == [
        "test不能由机器人发送文件，台账无法在这里导出。请在企业微信或 Telegram 中私聊机器人"
        "发送「导出台账」，或请管理员在服务器上运行 intake-bot db export。"
    ]


class DownForFiles(HarnessAdapter):
    """A platform that takes text but fails every upload, as during an outage."""

    async def send(self, message: Outbound) -> str:
        if message.document is not None:
            path = message.document.path
            assert path is not None and await asyncio.to_thread(Path(path).exists)
            raise TemporaryFailure("upload timed out")
        return await super().send(message)


async def test_a_queued_ledger_survives_a_restart_and_is_made_again(
    db_path: Path, new_store: StoreFactory, tmp_path: Path
) -> None:
    """The row holds the request, not the file: after failed attempts and a restart
    (another process could deliver it just as well) the file is made again and sent
    once; every attempt's file is deleted."""
    folder = tmp_path / "spool"
    folder.mkdir()
    clock = Clock(T0, T0)
    config = make_config(db_path)
    down = DownForFiles()
    async with Bot(config, [down], new_store(), KeywordClassifier(), clock) as first:
        first.documents.directory = str(folder)
        harness = Harness(first, down)
        await harness.say("resident1", "小区门口的路灯坏了")
        replies = await harness.say("staff1", "/export 2026-11", private=True)
        assert [m.kind for m in replies] == ["reply"]  # the file failed
        clock.at(minutes=5)
        assert await first.dispatcher.flush() == 0  # and again
        assert list(folder.iterdir()) == []
    up = HarnessAdapter()
    async with Bot(config, [up], new_store(), KeywordClassifier(), clock) as second:
        second.documents.directory = str(folder)
        clock.at(hours=1)
        assert await second.dispatcher.flush() == 1
    [sent] = up.sent
    assert sent.document is not None and sent.document.data is not None
    assert "小区门口的路灯坏了" in sent.document.data.decode("utf-8-sig")
    assert "共 1 件" in sent.text and list(folder.iterdir()) == []


async def test_a_document_no_one_can_make_is_parked(harness: Harness) -> None:
    odd = Document("x.bin", "application/octet-stream", '{"something": "else"}')
    async with harness.bot.store.write() as tx:
        await tx.enqueue(Outbound("test", "staff1", "?", document=odd), "2026-01-01T00:00:00.000Z")
    assert await harness.bot.dispatcher.flush() == 0
    [(error,)] = await rows(harness.bot.store, "SELECT last_error FROM outbox")
    assert "no way to make document 'x.bin'" in error and harness.adapter.sent == []


def test_stale_spool_folders_are_removed(tmp_path: Path) -> None:
    files = LedgerFiles(store=None, config=make_config(tmp_path / "x.db"))  # type: ignore[arg-type]
    files.directory = str(tmp_path)
    old, young, other = (tmp_path / f"{PREFIX}old", tmp_path / f"{PREFIX}young", tmp_path / "keep")
    for folder in (old, young, other):
        folder.mkdir()
        (folder / "台账.csv").write_text("x", encoding="utf-8")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(other, (two_hours_ago, two_hours_ago))
    assert files.remove_stale() == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([young.name, other.name])


def test_a_request_round_trips_through_its_source() -> None:
    request = LedgerRequest("a", "b", "2026-11-01", "2026-11-30", None, "xlsx", "zh")
    assert LedgerRequest.from_source(request.document().source) == request
    assert LedgerRequest.from_source("not json") is None
    assert LedgerRequest.from_source('{"ledger": {"start": 1}}') is None

