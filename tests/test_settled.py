"""Whether a resolution settled the dispute (调处结果), through the harness on SQLite and
PostgreSQL: read from the outcome's first words, kept on the ticket, counted in /stats as
the 化解成功率 a centre reports, listed in the ledger, shown to workers and cleared when
the ticket is reopened."""

from __future__ import annotations

import pytest

from bot.adapters.harness import Harness
from bot.commands import settlement_of
from bot.ledger import COLUMNS, LedgerFormat
from tests.conftest import rows

EVERY_DAY = ("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z")


@pytest.mark.parametrize(
    ("outcome", "settled"),
    [
        ("调解成功，双方签了协议", True),
        ("调解成功双方握手言和", True),
        ("化解成功", True),
        ("已化解，赔偿 500 元", True),
        ("化解 双方和好", True),
        ("【调解成功】对方道歉", True),
        ("Settled: the landlord paid", True),
        ("调解不成，已引导起诉", False),
        ("调解不成功", False),
        ("调解未成功 建议走诉讼", False),
        ("调解失败，双方分歧太大", False),
        ("未化解", False),
        ("未能化解，告知可申请仲裁", False),
        ("化解不成 已移交法院诉前调解", False),
        ("not settled, referred to court", False),
        ("Unsettled", False),
        # Neither: a hazard fixed, words that only start like a marker, a marker later on.
        ("已修好", None),
        ("化解了一半", None),
        ("达成协议后对方又反悔", None),
        ("双方调解成功", None),
        ("settledness", None),
        ("", None),
    ],
)
def test_the_outcomes_first_words_say_whether_it_was_settled(
    outcome: str, settled: bool | None
) -> None:
    assert settlement_of(outcome) is settled


async def three_resolved(harness: Harness) -> None:
    """#1 settled, #2 not settled, #3 a fix that is no mediation."""
    await harness.say("resident1", "隔壁装修天天半夜砸墙")
    await harness.say("resident1", "楼上养狗整夜叫吵得睡不着")
    await harness.say("resident1", "3栋楼道灯坏了一个月")
    for number in (1, 2, 3):
        await harness.say("worker1", f"认领 {number}")
    await harness.say("worker1", "办结 1 调解成功，双方约定晚上八点后不施工")
    await harness.say("worker1", "办结 2 调解不成，已告知可向法院起诉")
    await harness.say("worker1", "办结 3 已换新灯")


async def test_resolutions_are_counted_as_settled_or_not(harness: Harness) -> None:
    await three_resolved(harness)
    store = harness.bot.store
    assert await rows(store, "SELECT id, settled FROM tickets ORDER BY id") == [
        (1, 1),
        (2, 0),
        (3, None),
    ]
    stats = (await harness.say("staff1", "统计", chat="staff"))[0].text
    assert "\n调处结果：化解成功 1 件，未化解 1 件；化解成功率 50.0%" in stats
    # The worker sees it in private; the group, where the reporter's neighbours read, does not.
    private = (await harness.say("worker1", "/ticket 1", private=True))[0].text
    assert "调处结果：化解成功" in private
    assert "调处结果：未化解" in (await harness.say("worker1", "查询 2", private=True))[0].text
    assert "调处结果" not in (await harness.say("worker1", "查询 1"))[0].text
    assert "调处结果" not in (await harness.say("worker1", "查询 3", private=True))[0].text
    # The ledger's last column.
    column = COLUMNS.index("settled")
    writer = LedgerFormat(harness.bot.config, "zh", masked=True)
    async with store.read() as tx:
        ledger = await tx.ledger_rows(*EVERY_DAY, 0, 10)
    assert writer.header()[column] == "调处结果"
    assert [writer.cells(row)[column] for row in ledger] == ["化解成功", "未化解", ""]


async def test_the_reporter_is_told_the_outcome_as_written(harness: Harness) -> None:
    await harness.say("resident1", "隔壁装修天天半夜砸墙")
    await harness.say("worker1", "认领 1")
    sent = await harness.say("worker1", "办结 1 调解成功，双方约定晚上八点后不施工")
    [notice] = [m for m in sent if m.kind == "resolved"]
    assert notice.text.startswith(
        "您反映的问题（工单 #1）已办结：调解成功，双方约定晚上八点后不施工"
    )


async def test_reopening_clears_it_and_the_next_resolution_says_again(harness: Harness) -> None:
    await three_resolved(harness)
    await harness.say("resident1", "重开 1 晚上又在砸")
    assert await rows(harness.bot.store, "SELECT settled FROM tickets WHERE id = 1") == [(None,)]
    stats = (await harness.say("staff1", "统计", chat="staff"))[0].text
    assert "\n调处结果：化解成功 0 件，未化解 1 件；化解成功率 0.0%" in stats
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "办结 1 未能化解，已移交司法所")
    assert await rows(harness.bot.store, "SELECT settled FROM tickets WHERE id = 1") == [(0,)]
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "未能化解，已移交司法所" in history


async def test_no_line_until_an_outcome_says(harness: Harness) -> None:
    await harness.say("resident1", "3栋楼道灯坏了一个月")
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "办结 1 已换新灯")
    stats = (await harness.say("staff1", "统计", chat="staff"))[0].text
    assert "办结率" in stats and "调处结果" not in stats


async def test_in_english(harness: Harness) -> None:
    await harness.say("resident1", "隔壁装修天天半夜砸墙")
    await harness.say("worker1", "/lang en", private=True)
    await harness.say("staff1", "/lang en", private=True)
    await harness.say("worker1", "/claim 1")
    await harness.say("worker1", "/resolve 1 not settled: referred to the court")
    assert (
        "Dispute: not settled" in (await harness.say("worker1", "/status 1", private=True))[0].text
    )
    stats = (await harness.say("staff1", "/stats", private=True))[0].text
    assert "\nDisputes settled: 0, not settled: 1; settled 0.0%" in stats


async def test_the_resolve_button_asks_for_the_words(harness: Harness) -> None:
    await harness.say("resident1", "隔壁装修天天半夜砸墙")
    await harness.say("worker1", "认领 1")
    prompt = (await harness.say("worker1", "办结 1"))[0].text
    assert prompt == (
        "请发送「办结 1 办理结果」，写明如何解决的，结果会告知反映人。"
        "调解纠纷的，请以「调解成功」或「调解不成」开头，计入化解成功率。"
    )
    assert await rows(harness.bot.store, "SELECT status, settled FROM tickets") == [
        ("claimed", None)
    ]


async def test_said_afterwards_by_whoever_resolved_it_or_staff(harness: Harness) -> None:
    """An outcome that did not say (or said wrong) is put right with 调处结果 12 …."""
    await harness.say("resident1", "隔壁装修天天半夜砸墙")
    await harness.say("resident1", "楼上养狗整夜叫吵得睡不着")
    not_yet = (await harness.say("worker1", "调处结果 1 化解成功"))[0].text
    assert not_yet == (
        "工单 #1 当前为「待认领」：办结后才有调处结果"
        "（办结时以「调解成功」或「调解不成」开头即可）。"
    )
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "办结 1 已上门，双方握手言和")
    assert await rows(harness.bot.store, "SELECT settled FROM tickets WHERE id = 1") == [(None,)]
    recorded = (await harness.say("worker1", "调处结果 1 化解成功"))[0].text
    assert recorded == "已记录工单 #1 的调处结果：化解成功。"
    assert await rows(harness.bot.store, "SELECT settled FROM tickets WHERE id = 1") == [(1,)]
    other = (await harness.say("worker2", "调处结果 1 未化解"))[0].text
    assert other == "工单 #1 由 worker1 负责，只有负责人或管理人员可以操作。"
    resident = (await harness.say("resident1", "调处结果 1 未化解"))[0].text
    assert resident == "您的身份（居民）不能使用「调处结果」。"
    unclear = (await harness.say("worker1", "调处结果 1 还行吧"))[0].text
    assert "/settled 12 化解成功 | 未化解 | 清除" in unclear
    await harness.say("staff1", "/settled 1 not settled", chat="staff")
    assert await rows(harness.bot.store, "SELECT settled FROM tickets WHERE id = 1") == [(0,)]
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "worker1 调处结果 化解成功" in history and "staff1 调处结果 未化解" in history
    stats = (await harness.say("staff1", "统计", chat="staff"))[0].text
    assert "\n调处结果：化解成功 0 件，未化解 1 件；化解成功率 0.0%" in stats
    # Taken back to "not said" (recorded on the wrong ticket): out of the rate again.
    cleared = (await harness.say("staff1", "调处结果 1 清除", chat="staff"))[0].text
    assert cleared == "已清除工单 #1 的调处结果（未说明），不计入化解成功率。"
    assert await rows(harness.bot.store, "SELECT settled FROM tickets WHERE id = 1") == [(None,)]
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.endswith("staff1 调处结果 未说明")
    assert "\n调处结果：" not in history.split("\n20")[0]  # no result line above the history
    stats = (await harness.say("staff1", "统计", chat="staff"))[0].text
    assert "调处结果" not in stats  # no result said: no line, as before any was
    await harness.say("staff1", "/lang en", chat="staff")
    cleared = (await harness.say("staff1", "/settled 1 clear", chat="staff"))[0].text
    assert cleared == (
        "Ticket #1: the result is cleared (not said) and not counted in the settled rate."
    )
