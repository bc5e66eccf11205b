"""Follow-up visits made by phone (电话回访): staff write down what a reporter the bot cannot
write to answered (`回访 12 满意`, `/visit 12 unsatisfied …`), and it counts exactly as the
reporter's own answer does (the figures, the ledger, 结案 满意, 不满意 reopening), on
SQLite and PostgreSQL.  Deterministic: the clock is injected, sweeps are called."""

from __future__ import annotations

from bot.adapters.base import Outbound
from bot.ledger import COLUMNS, LedgerFormat
from bot.supervision import SweepReport
from storage.base import BEGINNING, END_OF_TIME
from tests.conftest import rows
from tests.test_followup import resolved_ticket
from tests.test_supervision import Desk, at


async def unreachable(desk: Desk) -> None:
    """#1, resolved by worker1; its reporter never wrote one to one, so its visit, due a
    day later, is recorded as unreachable: staff are to phone them."""
    await resolved_ticket(desk, reachable=False)
    assert await desk.sweep_at(at(days=2)) == (SweepReport(unreachable=1), [])


async def staff(desk: Desk, typed: str) -> list[Outbound]:
    return await desk.h.say("staff1", typed, chat="staff")


async def reply(desk: Desk, typed: str, user: str = "staff1") -> str:
    """The reply to `typed` (from staff, in the staff room; anyone else one to one)."""
    private = user != "staff1"
    sent = await desk.h.say(user, typed, chat="staff" if not private else "group", private=private)
    [text] = [m.text for m in sent if m.kind == "reply"]
    return text


async def visit_row(desk: Desk) -> tuple[object, ...]:
    [row] = await rows(
        desk.bot.store, "SELECT state, rating, rated_via FROM followups WHERE ticket_id = 1"
    )
    return row


async def rating_cell(desk: Desk) -> str:
    """The ledger's 回访评价 of #1."""
    writer = LedgerFormat(desk.bot.config, "zh")
    async with desk.bot.store.read() as tx:
        [row] = await tx.ledger_rows(BEGINNING, END_OF_TIME, 0, 10)
    return str(writer.cells(row)[COLUMNS.index("rating")])


async def test_a_satisfied_answer_by_phone_counts_as_the_reporters_own(desk: Desk) -> None:
    await unreachable(desk)
    assert "未回访" in await reply(desk, "待结案")
    desk.clock.now += at(hours=1)
    assert await reply(desk, "回访 1 满意 谢谢网格员跑了两趟") == (
        "已记录工单 #1 的电话回访：满意（意见：谢谢网格员跑了两趟）。"
    )
    # The reporter's answer, recorded as theirs is: not one they may correct.
    assert await visit_row(desk) == ("rated", "satisfied", None)
    history = await reply(desk, "/ticket 1")
    assert "staff1 记录电话回访 满意 谢谢网格员跑了两趟" in history
    stats = await reply(desk, "/stats")
    assert stats.splitlines()[-1].startswith(
        "回访评价 1 件：满意 1｜基本满意 0｜不满意 0；满意率 100.0%"
    )
    assert await rating_cell(desk) == "满意"
    assert "回访满意" in await reply(desk, "待结案")
    assert await reply(desk, "结案 满意") == "已结案 1 件（回访满意或基本满意）：#1"
    # One answer per resolution: neither a second call nor the reporter's typing records one.
    assert await reply(desk, "回访 1 不满意") == (
        "工单 #1 的回访已有评价（满意），每次办结只记录一次，未记录。"
    )
    assert (await reply(desk, "满意 1", user="resident1")).startswith("您已评价过工单 #1（满意）")
    assert await visit_row(desk) == ("rated", "satisfied", None)


async def test_a_fair_answer_by_phone_in_english(desk: Desk) -> None:
    await unreachable(desk)
    await staff(desk, "/lang en")
    assert await reply(desk, "/visit 1 fair") == "Recorded the phone visit of ticket #1: fair."
    assert await visit_row(desk) == ("rated", "fair", None)
    assert await rating_cell(desk) == "基本满意"
    history = await reply(desk, "/ticket 1")
    assert "staff1 recorded the phone visit: fair" in history


async def test_an_unsatisfied_answer_by_phone_reopens_as_the_reporters_would(
    desk: Desk,
) -> None:
    await unreachable(desk)
    sent = await staff(desk, "回访 1 不满意 晚上还是很吵")
    [answer] = [m.text for m in sent if m.kind == "reply"]
    assert answer == (
        "已记录工单 #1 的电话回访：不满意（意见：晚上还是很吵）。\n"
        "工单已按回访不满意重新打开，回到待认领队列；办理人和值班室已收到通知。"
    )
    # Told as the reporter's own 不满意 is told: the staff room, and the one who resolved it.
    notice = (
        "【回访不满意】工单 #1｜东镇｜反映人：resident1：「晚上还是很吵」\n"
        "办理人：worker1。工单已重新打开，回到待认领队列。"
    )
    feedback = [(m.chat_id, m.text) for m in sent if m.kind == "feedback"]
    assert feedback == [("staff", notice)]
    direct = [(m.chat_id, m.text) for m in sent if m.kind == "direct"]
    assert direct == [("worker1", notice + "\n再次认领请发送「认领 1」。")]
    edit = next(m for m in sent if m.kind == "edit")  # the group's acknowledgement
    assert "当前：已重开" in edit.text
    [(status,)] = await rows(desk.bot.store, "SELECT status FROM tickets WHERE id = 1")
    assert status == "reopened"
    history = await reply(desk, "/ticket 1")
    assert "staff1 记录电话回访 不满意 晚上还是很吵" in history and "staff1 重开" in history
    stats = await reply(desk, "/stats")
    assert "回访评价 1 件：满意 0｜基本满意 0｜不满意 1；满意率 0.0%" in stats
    assert await rating_cell(desk) == "不满意"


async def test_unsatisfied_by_phone_leaves_a_closed_ticket_closed(desk: Desk) -> None:
    await unreachable(desk)
    await staff(desk, "结案 1")
    sent = await staff(desk, "/visit 1 unsatisfied 钱还没到手")
    [answer] = [m.text for m in sent if m.kind == "reply"]
    assert answer.endswith(
        "工单未重开（已结案，或已并入其他工单）；值班室已收到通知，如需重办请发送「重开 1」。"
    )
    [notice] = [m.text for m in sent if m.kind == "feedback"]
    assert notice.endswith("工单已结案，未自动重开；如需重办请发送「重开 1」。")
    [(status,)] = await rows(desk.bot.store, "SELECT status FROM tickets WHERE id = 1")
    assert status == "closed"
    assert await visit_row(desk) == ("rated", "unsatisfied", None)


async def test_only_staff_record_a_visit_and_only_one_waiting(desk: Desk) -> None:
    await desk.h.say("resident1", "楼上邻居天天半夜装修，吵得睡不着")
    # Not resolved yet: no visit to record.
    assert await reply(desk, "回访 1 满意") == (
        "工单 #1 目前没有待回访的评价（尚未办结，或回访已取消），未记录。"
    )
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "办结 1 已上门调解")
    assert await desk.sweep_at(at(days=2)) == (SweepReport(unreachable=1), [])
    assert (await reply(desk, "回访 1 满意", user="resident1")).startswith(
        "您的身份（居民）不能使用「回访」"
    )
    assert (await reply(desk, "回访 1 满意", user="worker1")).startswith(
        "您的身份（网格员）不能使用「回访」"
    )
    assert await reply(desk, "回访 1 很好") == (
        "请写明回访结果：「回访 1 满意」「回访 1 基本满意」或「回访 1 不满意 意见」。"
    )
    # (The resident's private message had the visit asked of them, as any would.)
    assert await visit_row(desk) == ("asked", None, None)
    # Reopened by staff since: the visit about that resolution is no longer waiting.
    await staff(desk, "重开 1 还要再核实")
    assert await reply(desk, "/visit 1 satisfied") == (
        "工单 #1 目前没有待回访的评价（尚未办结，或回访已取消），未记录。"
    )
