"""The people and money a case involves (涉及人数, 涉及金额), through the harness on SQLite
and PostgreSQL: read from the report when it is filed, shown to the desk (never to the
reporter), put right with 涉及 12 …, counted in /stats and written to the ledger.  How the
words are read is tests/test_involved.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import Harness
from bot.ledger import COLUMNS, LedgerFormat
from tests.conftest import StoreFactory, harness_with, make_config, rows
from tests.test_assisting import with_judicial_office

WAGES = "工地上三十多个农民工被拖欠工资5万多，老板跑了"


@pytest.fixture
async def harness(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Harness]:
    async with harness_with(with_judicial_office(make_config(db_path)), new_store()) as started:
        yield started


def reply(sent: list[Outbound]) -> str:
    [only] = [m.text for m in sent if m.kind == "reply"]
    return only


async def involved(harness: Harness) -> list[tuple[int, int | None, int | None]]:
    return await rows(
        harness.bot.store, "SELECT id, people_involved, amount_involved FROM tickets ORDER BY id"
    )


async def test_read_from_the_report_and_shown_to_the_desk_only(harness: Harness) -> None:
    sent = await harness.say("resident1", WAGES)
    [notice] = [m.text for m in sent if m.chat_id == "staff"]
    assert notice.splitlines()[-1] == (  # the staff room's new-ticket notice
        "涉及（据反映内容）：30人、5万元；如需核定，发送「涉及 1 30人 5万元」这样的格式"
    )
    assert "涉及" not in sent[0].text  # the group's acknowledgement
    sent = await harness.say("resident2", "楼道灯坏了一个月")  # names neither
    assert not any("涉及" in m.text for m in sent)
    assert await involved(harness) == [(1, 30, 50000), (2, None, None)]
    details = reply(await harness.say("worker1", "/ticket 1", private=True))
    assert "\n涉及：30人、5万元" in details
    assert "涉及：" not in reply(await harness.say("worker1", "/ticket 2", private=True))
    # The reporter wrote it; the desk's reading of it is the desk's.
    assert "涉及" not in reply(await harness.say("resident1", "查询 1", private=True))
    await harness.say("worker1", "/lang en", private=True)
    english = reply(await harness.say("worker1", "/ticket 1", private=True))
    assert "\nInvolves: 30 people, ¥50,000" in english


async def test_put_right_by_whoever_works_the_case(harness: Harness) -> None:
    await harness.say("resident1", WAGES)
    # In the group, not what the figures are: the group sees what /status shows it.
    said = reply(await harness.say("worker1", "涉及 1 42人"))
    assert said == "已记录工单 #1 的涉及人数、金额（私聊发送「详情 1」查看）。"
    said = reply(await harness.say("worker1", "涉及人数 1 42", private=True))
    assert said == "工单 #1 涉及：42人、5万元。"  # the money as it was
    said = reply(await harness.say("staff1", "涉及金额 1 12.5万元", chat="staff"))
    assert said == "工单 #1 涉及：42人、12.5万元。"
    assert await involved(harness) == [(1, 42, 125000)]
    history = reply(await harness.say("staff1", "/ticket 1", chat="staff"))
    assert "worker1 涉及 42人、5万元" in history
    assert "staff1 涉及 42人、12.5万元" in history
    cleared = reply(await harness.say("staff1", "/involved 1 clear", chat="staff"))
    assert cleared == "工单 #1 涉及：未填。"
    assert await involved(harness) == [(1, None, None)]


async def test_bad_words_and_who_may_not(harness: Harness) -> None:
    await harness.say("resident1", WAGES)
    bad = reply(await harness.say("worker1", "/involved 1 30"))
    assert bad.startswith("看不懂「30」：人数写「30人」或「20户」，金额写「5万元」或「3000元」。")
    assert "/involved 12 30人 5万元" in bad
    # A phone number typed in the wrong place is no count of people, and nothing is stored.
    bad = reply(await harness.say("worker1", "涉及 1 13812345678人"))
    assert bad.startswith("看不懂「138****5678人」")  # masked, as the group reads it
    # A minus sign passed as talk, unanswered.
    bad = reply(await harness.say("worker1", "涉及 1 -5人"))
    assert bad.startswith("看不懂「-5人」")
    wrong = reply(await harness.say("worker1", "涉及金额 1 30人"))
    assert wrong.startswith("「30人」不是涉及金额。")
    refused = reply(await harness.say("resident1", "/involved 1 3人", private=True))
    assert refused == "您的身份（居民）不能使用「涉及」。"
    # An assisting department adds what it knows in a note; the figures are the lead's.
    await harness.say("staff1", "协办 1 司法所", chat="staff")
    helper = reply(await harness.say("judicial1", "涉及 1 3人", private=True))
    assert helper.startswith("工单 #1 由东镇网格主办，本部门协办")
    other_area = reply(await harness.say("westworker", "涉及 1 3人", chat="west"))
    assert other_area == "没有找到工单 #1，或您无权查看。"
    assert await involved(harness) == [(1, 30, 50000)]
    # A report that starts with the word is still a report.
    sent = await harness.say("resident2", "涉及12户的宅基地纠纷一直没人管")
    assert sent[0].text.startswith("已受理，工单号 #2")
    assert (await involved(harness))[1] == (2, 12, None)
    sent = await harness.say("resident3", "涉及金额 3 万元左右的彩礼纠纷，想咨询一下")
    assert sent[0].text.startswith("已受理，工单号 #3")
    # A closed case's record is final.
    for step in ("认领 2", "办结 2 已调解"):
        await harness.say("worker1", step)
    await harness.say("staff1", "结案 2", chat="staff")
    closed = reply(await harness.say("staff1", "涉及 2 1,200元", chat="staff"))
    assert closed == "工单 #2 当前为「已结案」，记录已定，不能再改涉及人数、金额。"
    assert (await involved(harness))[1] == (2, 12, None)


async def test_counted_in_stats_and_written_to_the_ledger(harness: Harness) -> None:
    await harness.say("resident1", WAGES)  # #1: 30 people, 50,000 yuan
    await harness.say("resident2", "隔壁借了我两万块一直不还")  # #2: 20,000 yuan
    await harness.say("resident3", "楼上漏水把我家泡了")  # #3: neither
    await harness.say("worker1", "认领 2")
    await harness.say("worker1", "办结 2 调解成功，约定月底前还清")
    stats = reply(await harness.say("staff1", "统计", chat="staff"))
    assert "\n群体性纠纷（涉及 5 人以上）：1 件" in stats
    assert "\n涉及金额：2 件共 7万元，其中化解成功 1 件共 2万元" in stats
    await harness.say("staff1", "/lang en", chat="staff")
    stats = reply(await harness.say("staff1", "/stats", chat="staff"))
    assert "\nGroup disputes (5+ people): 1" in stats
    assert "\nMoney involved: 2 cases, ¥70,000; of the disputes settled, 1, ¥20,000" in stats
    writer = LedgerFormat(harness.bot.config, "zh", masked=True)
    async with harness.bot.store.read() as tx:
        ledger = await tx.ledger_rows("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z", 0, 10)
    people, money = COLUMNS.index("people_involved"), COLUMNS.index("amount_involved")
    assert [writer.header()[people], writer.header()[money]] == ["涉及人数", "涉及金额（元）"]
    assert [(writer.cells(r)[people], writer.cells(r)[money]) for r in ledger] == [
        (30, 50000),
        ("", 20000),
        ("", ""),
    ]


async def test_no_lines_when_no_case_names_them(harness: Harness) -> None:
    await harness.say("resident1", "楼道灯坏了一个月")
    stats = reply(await harness.say("staff1", "统计", chat="staff"))
    assert "群体性" not in stats and "涉及金额" not in stats
