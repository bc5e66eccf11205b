"""The reporter taking their own report back (撤回, 撤销, /withdraw), through the harness on
SQLite and PostgreSQL: the case ends as resolved with their words as the outcome, the
holder is told, no follow-up visit is asked; an urgent or safety-flagged ticket stays open
for a worker to check; nobody else may withdraw it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.commands import Command, parse
from bot.ledger import COLUMNS, LedgerFormat
from bot.supervision import SweepReport
from bot.workflow import Action
from tests.conftest import StoreFactory, make_config
from tests.test_supervision import NORMAL, URGENT, Desk, at, started


@pytest.fixture
async def desk(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Desk]:
    async for d in started(make_config(db_path), new_store):
        yield d


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("撤销 1", Command(Action.WITHDRAW, 1)),
        ("撤回1 我们两家自己协商好了", Command(Action.WITHDRAW, 1, "我们两家自己协商好了")),
        ("撤单 #12", Command(Action.WITHDRAW, 12)),
        (
            "/withdraw 3 sorted it out ourselves",
            Command(Action.WITHDRAW, 3, "sorted it out ourselves"),
        ),
    ],
)
def test_the_words_for_it(text: str, command: Command) -> None:
    assert parse(text) == command


async def test_the_reporter_withdraws_an_open_ticket(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)
    replies = await desk.h.say("resident1", "撤回 1 物业今天已经换了灯泡")
    edit, reply = replies
    # The group reads that its reporter withdrew it, not that the centre resolved it.
    assert edit.kind == "edit" and edit.text.endswith("当前：已撤回") and edit.buttons == []
    # Where an edit goes as a message (WeChat), none: the reply to the reporter says it.
    assert edit.news == ""
    assert reply.text == "工单 #1 已按您的意思撤回，不再办理。如问题再次出现，可发送「重开 1」。"
    status = (await desk.h.say("resident1", "查询 1"))[0].text
    assert status.startswith("工单 #1｜已撤回") and "反映人撤回：物业今天已经换了灯泡" in status
    assert (await desk.h.say("resident1", "我的"))[0].text.splitlines()[1].startswith(
        "#1｜已撤回｜"
    )
    waiting = (await desk.h.say("staff1", "待结案", chat="staff"))[0].text
    assert "#1｜已撤回｜一般｜" in waiting and waiting.endswith("｜无需回访｜不到1分钟前撤回")
    assert await ledger_status(desk) == "已撤回"
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.endswith("resident1 撤回 反映人撤回：物业今天已经换了灯泡")
    assert (await desk.h.say("worker1", "待办"))[0].text == "没有待认领的工单。"
    stats = (await desk.h.say("staff1", "统计"))[0].text
    assert "受理 1 件，已办结 1 件，办结率 100.0%（其中反映人撤回 1 件）" in stats
    assert "办结用时中位数：0秒（已办结 1 件）" in stats
    # Nothing to rate: no visit is asked, and nothing escalates.
    assert await desk.sweep_at(at(days=30)) == (SweepReport(), [])
    # If it comes back, the reporter reopens it as any resolved ticket.
    reopened = await desk.h.say("resident1", "重开 1")
    assert reopened[-1].text == "工单 #1 已重新打开。"
    assert reopened[0].kind == "edit" and reopened[0].text.endswith("当前：已重开")
    # Resolved by the desk after that, it is no longer counted nor called withdrawn.
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "办结 1 已换灯泡")
    stats = (await desk.h.say("staff1", "统计"))[0].text
    assert "受理 1 件，已办结 1 件，办结率 100.0%\n" in stats
    assert (await desk.h.say("resident1", "查询 1"))[0].text.startswith("工单 #1｜已办结")
    assert await ledger_status(desk) == "已办结"


async def test_closed_it_still_reads_withdrawn(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)
    withdrawn = await desk.h.say("resident1", "撤回 1")
    assert next(m for m in withdrawn if m.kind == "edit").text.endswith("当前：已撤回")
    # Closed, the acknowledgement reads the same: no edit (on WeChat, where an edit goes as
    # a message, the reporter was told 进展：已撤回 a second time).
    replies = await desk.h.say("staff1", "结案 1", chat="staff")
    assert [m.kind for m in replies if m.kind == "edit"] == []
    assert (await desk.h.say("resident1", "查询 1"))[0].text.startswith("工单 #1｜已撤回")
    # Nor is a withdrawal something to be asked about, or to rate.
    assert (await desk.h.say("resident1", "满意 1", private=True))[0].text == (
        "工单 #1 当前为「已撤回」，不能评价。"
    )


async def test_a_visit_due_on_an_earlier_resolution_is_not_asked(desk: Desk) -> None:
    """Resolved by the desk, reopened by its reporter before the visit (a day later) and
    then withdrawn: the visit would ask whether they are satisfied with 「反映人撤回」."""
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("resident1", "我的", private=True)  # reachable one to one
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "办结 1 已换灯泡")
    await desk.h.say("resident1", "重开 1")
    await desk.h.say("resident1", "撤回 1 又好了")
    report, sent = await desk.sweep_at(at(days=2))
    assert report == SweepReport(cancelled=1) and sent == []


async def ledger_status(desk: Desk) -> str:
    """The 状态 column of ticket #1 in the ledger (台账)."""
    async with desk.bot.store.read() as tx:
        rows = await tx.ledger_rows("2000-01-01T00:00:00.000Z", "2100-01-01T00:00:00.000Z", 0, 5)
    return str(LedgerFormat(desk.bot.config, "zh").cells(rows[0])[COLUMNS.index("status")])


async def test_the_worker_holding_it_is_told(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("worker1", "认领 1")
    replies = await desk.h.say("resident1", "撤销 1")
    told = [m for m in replies if m.chat_id == "worker1"]
    assert [m.text for m in told] == ["工单 #1 的反映人已撤回。工单已办结，无需再处理。"]
    assert "当前：已撤回（worker1）" in next(m for m in replies if m.kind == "edit").text
    # Reopened, the worker who held it is told it is back, not that they had resolved it.
    replies = await desk.h.say("resident1", "重开 1 又漏了")
    [worker_told] = [m.text for m in replies if m.chat_id == "worker1"]
    assert worker_told.startswith("【重开】您负责过的工单 #1（反映人曾撤回）已被重新打开")
    assert worker_told.endswith("\n重开原因：又漏了\n再次认领请发送「认领 1」。")


async def test_an_urgent_ticket_stays_open_for_a_worker_to_check(desk: Desk) -> None:
    """A person in danger may be pressed to take a report back: the word is recorded and the
    desk told, and the ticket stays in the queue and under supervision."""
    await desk.h.say("resident1", URGENT)
    replies = await desk.h.say("resident1", "撤回 1 没事了 别管了")
    reply = next(m for m in replies if m.chat_id == "group")
    assert reply.text.startswith("已收到您撤回工单 #1 的申请。为稳妥起见")
    staff = [m.text for m in replies if m.chat_id == "staff"]
    assert staff == [
        "工单 #1 的反映人申请撤回：「没事了 别管了」。该工单紧急或涉及安全，未自动办结："
        "请核实当事人是否安全、是否受到压力，再办结。"
    ]
    assert (await desk.h.say("staff1", "查询 1"))[0].text.startswith("工单 #1｜待认领")
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.endswith("resident1 申请撤回 没事了 别管了")
    report, _ = await desk.sweep_at(at(hours=1))
    assert report.escalated >= 1


async def test_nobody_else_may_withdraw_it(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)
    assert (await desk.h.say("resident2", "撤回 1"))[0].text == "没有找到工单 #1，或您无权查看。"
    assert (await desk.h.say("worker1", "撤回 1"))[0].text == "只有反映人本人可以撤回工单 #1。"
    assert (await desk.h.say("staff1", "/withdraw 1"))[0].text == "只有反映人本人可以撤回工单 #1。"
    assert (await desk.h.say("resident1", "查询 1"))[0].text.startswith("工单 #1｜待认领")


async def test_a_resolved_ticket_cannot_be_withdrawn(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "办结 1 已换灯泡")
    assert (await desk.h.say("resident1", "撤回 1"))[0].text == (
        "工单 #1 当前为「已办结」，不能撤回。"
    )


async def test_in_english(desk: Desk) -> None:
    await desk.h.say("resident1", "/lang en")
    await desk.h.say("resident1", NORMAL)
    replies = await desk.h.say("resident1", "/withdraw 1 fixed")
    assert replies[0].text.endswith("Now: withdrawn")
    reply = replies[-1].text
    assert reply == (
        "Ticket #1 is withdrawn as you asked and will not be pursued. If the problem comes "
        "back, send /reopen 1."
    )


SETTLED = [
    "不用了，我们两家自己协商好了",
    "不用了，我们村里自己处理好了",
    "事情已经解决了 谢谢",
    "我不想报了，撤了吧",
    "没事了",
    # someone missing is back: the urgent case stayed open, its holder searching
    "找到了，谢谢大家",
    "老人已经回家了，谢谢",
]
NOT_SETTLED = [
    "还没解决", "谢谢", "辛苦了", "楼上又漏水了", "已经解决了吗？楼道还是黑的",
    "找到了吗", "孩子还没回来",
]


@pytest.mark.parametrize("text", SETTLED)
async def test_saying_it_is_settled_points_to_the_withdrawal(desk: Desk, text: str) -> None:
    """Left to the classifier, "不用了，我们自己协商好了" was chatter: dropped, and the worker
    kept chasing a settled dispute.  It is kept in the sender's one open ticket, the sender
    is told how to withdraw it, and the holder is told; the words alone withdraw nothing."""
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("worker1", "认领 1")
    replies = await desk.h.say("resident1", text)
    assert [(m.chat_id, m.text) for m in replies] == [
        ("group", "收到，已记入工单 #1。如问题已经解决、不需要再处理，请发送「撤回 1」。"),
        ("worker1", f"工单 #1 的反映人说：{text}\n如确已解决，请核实后办结（或等反映人撤回）。"),
    ]
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.endswith(f"resident1 补充 {text}")
    assert (await desk.h.say("staff1", "查询 1"))[0].text.startswith("工单 #1｜处理中")


@pytest.mark.parametrize("text", NOT_SETTLED)
async def test_other_words_are_not_taken_for_it(desk: Desk, text: str) -> None:
    await desk.h.say("resident1", NORMAL)
    replies = await desk.h.say("resident1", text)
    assert not any("撤回" in m.text for m in replies)


async def test_not_with_two_open_tickets_nor_a_danger_in_it(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)
    danger = await desk.h.say("resident1", "不用管了 我不想活了")
    assert not any("撤回" in m.text for m in danger)  # filed on its own, as the danger it is
    assert (await desk.h.say("resident1", "撤了吧"))[0].text.startswith("已受理，工单号 #3")


async def test_a_report_merged_into_a_withdrawn_one(desk: Desk) -> None:
    """Its reporter is not told the other reporter's withdrawal as the event's outcome, nor
    visited about it; /status says the case was withdrawn, without their words."""
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("resident2", NORMAL)
    await desk.h.say("resident2", "我的", private=True)  # reachable one to one
    await desk.h.say("resident1", "撤回 1 我们自己谈好了")
    replies = await desk.h.say("staff1", "并案 2 1", chat="staff")
    told = [m.text for m in replies if m.kind == "merged"]
    assert told == [
        "您反映的问题（工单 #2）与工单 #1 为同一事件，已并案。该事件的反映人已撤回反映；"
        "如问题仍未解决，请告诉我们。"
    ]
    status = (await desk.h.say("resident2", "查询 2", private=True))[0].text
    assert "已并入工单 #1 一并处理，当前进度：已撤回" in status and "谈好了" not in status
    assert await desk.sweep_at(at(days=2)) == (SweepReport(), [])


async def test_the_matter_said_again_after_a_withdrawal_reads_withdrawn(desk: Desk) -> None:
    """The reporter saying the matter again joins the withdrawn ticket, as with a resolved
    one; the group was told 「已办结」 there, which the centre never did."""
    lift = "我们小区的电梯坏了三天了，楼上有老人下不来，物业不管"
    await desk.h.say("resident1", lift)
    await desk.h.say("resident1", "撤回 1 物业说今天来修")
    joined = await desk.h.say("resident1", "电梯还没修好")
    assert [(m.chat_id, m.text) for m in joined] == [
        ("group", "您反映的问题（工单 #1）已撤回，这条消息已补充到该工单。"
                  "如问题仍未解决，请发送「重开 1 原因」，网格员会重新处理。"),
    ]


async def test_an_english_reader_reads_the_withdrawal_in_english(desk: Desk) -> None:
    """The outcome a withdrawal writes is stored in the desk's language (反映人撤回：…): an
    English reader read it in Chinese after "Resolution:"; the reporter's own words stay."""
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("resident1", "/lang en")
    await desk.h.say("resident1", "撤回 1 物业今天已经换了灯泡")
    status = (await desk.h.say("resident1", "/status 1"))[0].text
    assert "\nResolution: Withdrawn by the reporter: 物业今天已经换了灯泡" in status, status
    await desk.h.say("staff1", "/lang en", chat="staff")
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.endswith('resident1 withdrawn "Withdrawn by the reporter: 物业今天已经换了灯泡"')
    async with desk.bot.store.read() as tx:
        rows = await tx.ledger_rows("2000-01-01T00:00:00.000Z", "2100-01-01T00:00:00.000Z", 0, 5)
    english = LedgerFormat(desk.bot.config, "en").cells(rows[0])[COLUMNS.index("resolution")]
    assert english == "Withdrawn by the reporter: 物业今天已经换了灯泡"
    # Stored as written, and read so in Chinese.
    chinese = LedgerFormat(desk.bot.config, "zh").cells(rows[0])[COLUMNS.index("resolution")]
    assert chinese == "反映人撤回：物业今天已经换了灯泡"
