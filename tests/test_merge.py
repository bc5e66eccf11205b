"""Merging a ticket into another (并案, /merge), through the harness on SQLite and
PostgreSQL: the same event reported by two residents is handled as one case.  Who may, into
what, what each reporter is told (and not told), the outcome reaching both, supervision,
/stats, the ledger's outcome column, replies, withdrawal, dismissal and undoing it."""

from __future__ import annotations

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import Harness
from bot.ledger import COLUMNS, LedgerFormat
from bot.supervision import SweepReport
from bot.workflow import Status, TicketView, merge_refusal, more_urgent
from tests.conftest import rows
from tests.test_supervision import CLAIM_LATE, NORMAL, START, URGENT, Desk, at

FIRST = NORMAL  # resident1's report, ticket #1 (the keyword model: neighbour, normal)
SECOND = "三楼楼道的灯也不亮了，晚上黑乎乎的"  # resident2's, #2 (neighbour, normal)
MERGED_REPLY = (
    "工单 #2 已并入工单 #1（并案）：#2 移出待办队列、不再单独督办，统计中单列；"
    "#1 办结时，其反映人一并收到办理结果。如系误判，可发送「重开 2」恢复。"
)
TOLD_SECOND = (
    "您反映的问题（工单 #2）与工单 #1 为同一事件，已并案处理，办理结果将一并告知您。"
    "发送「查询 2」可了解进度。"
)


async def two_reports(harness: Harness, second: str = SECOND) -> None:
    await harness.say("resident1", FIRST)
    await harness.say("resident2", second)


def by_kind(replies: list[Outbound], kind: str) -> list[Outbound]:
    return [m for m in replies if m.kind == kind]


async def test_merging_tells_the_reporter_and_the_outcome_reaches_both(harness: Harness) -> None:
    await two_reports(harness)
    replies = await harness.say("staff1", "并案 2 1")
    [reply] = by_kind(replies, "reply")
    assert (reply.chat_id, reply.text) == ("group", MERGED_REPLY)
    # The second reporter is told under their own report, in the group it came from.
    [told] = by_kind(replies, "merged")
    assert (told.chat_id, told.reply_to_message_id, told.text) == ("group", "u2", TOLD_SECOND)
    # Their acknowledgement shows it, with no button left to claim it by.
    [edit] = by_kind(replies, "edit")
    assert edit.text.endswith("当前：已并案") and edit.buttons == []
    # Out of the queue; #1 stays.
    queue = (await harness.say("worker1", "待办"))[0].text
    assert "#1｜" in queue and "#2｜" not in queue
    # The second reporter reads where it went and how far that is, not #1's report.
    status = (await harness.say("resident2", "查询 2"))[0].text
    assert status.startswith("工单 #2｜已并案｜")
    assert status.endswith("已并入工单 #1 一并处理，当前进度：待认领")
    assert FIRST[:6] not in status
    # Resolving #1 tells both reporters, each under their own report.
    await harness.say("worker1", "认领 1")
    done = await harness.say("worker1", "办结 1 已更换楼道灯泡")
    notices = {(m.reply_to_message_id, m.text) for m in by_kind(done, "resolved")}
    assert notices == {
        ("u1", "您反映的问题（工单 #1）已办结：已更换楼道灯泡\n如仍未解决，可发送「重开 1」。"),
        ("u2", "您反映的问题（工单 #2，已并入工单 #1）已办结：已更换楼道灯泡"),
    }
    status = (await harness.say("resident2", "查询 2"))[0].text
    assert status.endswith("已并入工单 #1 一并处理，当前进度：已办结\n办理结果：已更换楼道灯泡")
    # Both histories name the other.
    assert "staff1 并入 #2" in (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "staff1 并案 → #1" in (await harness.say("staff1", "/ticket 2", chat="staff"))[0].text
    stored = await rows(
        harness.bot.store, "SELECT id, status, merged_into FROM tickets ORDER BY id"
    )
    assert stored == [(1, "resolved", None), (2, "merged", 1)]


@pytest.mark.parametrize(
    "command",
    [
        "/merge 2 1",
        "/merge 2 into 1",
        "并案2到1",
        "并案 #2 并入 1号 同一处灯坏了",
        "合并 2 1",
        "合并2号到1号",
    ],
)
async def test_the_forms_of_the_command(harness: Harness, command: str) -> None:
    await two_reports(harness)
    assert by_kind(await harness.say("staff1", command), "reply")[0].text == MERGED_REPLY


async def test_a_reason_is_kept_in_the_history(harness: Harness) -> None:
    await two_reports(harness)
    await harness.say("staff1", "并案 2 1 同一处灯坏了")
    history = (await harness.say("staff1", "/ticket 2", chat="staff"))[0].text
    assert "staff1 并案 → #1 同一处灯坏了" in history


@pytest.mark.parametrize("user", ["resident1", "resident2", "worker1"])
async def test_only_staff_merge(harness: Harness, user: str) -> None:
    await two_reports(harness)
    [reply] = await harness.say(user, "并案 2 1")
    assert "不能使用「并案」" in reply.text
    stored = await rows(harness.bot.store, "SELECT status FROM tickets ORDER BY id")
    assert stored == [("new",), ("new",)]


async def test_what_cannot_be_merged(harness: Harness) -> None:
    await two_reports(harness)
    await harness.say("resident1", URGENT)  # #3, urgent
    await harness.say("resident2", "我家门口的路灯也坏了")  # #4

    async def merge(command: str) -> str:
        return by_kind(await harness.say("staff1", command), "reply")[-1].text

    assert await merge("并案 2 2") == "不能把工单 #2 并入它自己。"
    assert await merge("并案 3 1") == (
        "工单 #3（紧急）比工单 #1（一般）更紧急，并入后会按较慢的时限督办：请将 #1 并入 #3，"
        "或先用「改标」调整 #1 的紧急程度。"
    )
    assert await merge("并案 2 99") == "没有找到工单 #99，或您无权查看。"
    assert await merge("并案 2") == "用法：/merge 12 7（并案 12 7：把 12 并入 7）"
    assert await merge("/merge 2 to 1") == "「to」不是有效的工单号，工单号是数字，例如 12 或 #12。"
    # Into a merged ticket: merge into where it went.  A merged one cannot go again.
    await merge("并案 2 1")
    assert await merge("并案 4 2") == (
        "工单 #2 当前已并案，不能并入：请并入正在办理或已办结的工单。"
    )
    assert "不能" in await merge("并案 2 4")
    # Into a closed case: staff reopen it first.
    await harness.say("worker1", "认领 4")
    await harness.say("worker1", "办结 4 已修好")
    await harness.say("staff1", "结案 4")
    assert await merge("并案 1 4") == (
        "工单 #4 当前已结案，不能并入：请并入正在办理或已办结的工单。"
    )
    # The less urgent into the more urgent is fine.
    assert (await merge("并案 1 3")).startswith("工单 #1 已并入工单 #3")


async def test_merging_into_a_resolved_ticket_tells_its_outcome_at_once(
    harness: Harness,
) -> None:
    await harness.say("resident1", FIRST)
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "办结 1 已更换楼道灯泡")
    await harness.say("resident2", SECOND)
    [told] = by_kind(await harness.say("staff1", "并案 2 1"), "merged")
    assert told.text == "您反映的问题（工单 #2）与工单 #1 为同一事件，该事件已办结：已更换楼道灯泡"


async def test_the_worker_holding_it_is_told_privately(harness: Harness) -> None:
    await two_reports(harness)
    await harness.say("worker2", "认领 2")
    replies = await harness.say("staff1", "并案 2 1")
    private = [m for m in replies if m.chat_id == "worker2"]
    assert [m.text for m in private] == [
        "您负责的工单 #2 已并入工单 #1（同一事件），无需再单独处理。"
    ]
    assert "#2" not in (await harness.say("worker2", "我的"))[0].text.split("我反映的")[0]


async def test_reopen_brings_it_back_on_its_own(harness: Harness) -> None:
    await two_reports(harness)
    await harness.say("staff1", "并案 2 1")
    assert (await harness.say("staff1", "重开 2"))[-1].text == "工单 #2 已恢复，回到待认领队列。"
    stored = await rows(
        harness.bot.store, "SELECT status, merged_into, resolution FROM tickets WHERE id = 2"
    )
    assert stored == [("new", None, None)]
    assert "已并入" not in (await harness.say("resident2", "查询 2"))[0].text
    assert "#2｜" in (await harness.say("worker1", "待办"))[0].text
    # Resolving #1 now tells only its own reporter.
    await harness.say("worker1", "认领 1")
    done = await harness.say("worker1", "办结 1 已更换楼道灯泡")
    assert [m.reply_to_message_id for m in by_kind(done, "resolved")] == ["u1"]


async def test_only_staff_undo_a_merge_and_the_others_are_told_it_was_merged(
    harness: Harness,
) -> None:
    """重开 on a merged ticket from its reporter or a grid worker was answered as if it had
    been dismissed (`工单 #2 已作废，只有中心工作人员可以恢复。`): it is a case, handled as
    part of #1, and the reader is told so and where to follow it."""
    await two_reports(harness)
    await harness.say("staff1", "并案 2 1")
    for user in ("resident2", "worker1"):
        [refused] = await harness.say(user, "重开 2")
        assert refused.text == (
            "工单 #2 已并入工单 #1 一并处理（并案），只有中心工作人员可以撤销并案。"
            "发送「查询 2」可了解进度。"
        )
    await harness.say("worker1", "/lang en", private=True)
    [refused] = await harness.say("worker1", "/reopen 2", private=True)
    assert refused.text == (
        "Ticket #2 was merged into ticket #1 and is handled there; only the centre's staff "
        "may undo the merge. Send /status 2 to see how it stands."
    )
    assert await rows(harness.bot.store, "SELECT status FROM tickets WHERE id = 2") == [
        ("merged",)
    ]


async def test_a_reply_to_a_merged_ticket_adds_to_the_case(harness: Harness) -> None:
    await two_reports(harness)
    await harness.say("staff1", "并案 2 1")
    [reply] = await harness.say("resident2", "二楼的也坏了", reply_to="u2")
    assert reply.text.startswith("已补充到工单 #1")
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "resident2 补充 二楼的也坏了" in history


async def test_a_merged_reporter_saying_it_again_joins_the_case(harness: Harness) -> None:
    """It used to be filed as a second ticket of theirs (the duplicate the merge had put away),
    or, short and taken for chatter, dropped."""
    await two_reports(harness)
    await harness.say("worker1", "认领 1")
    await harness.say("staff1", "并案 2 1")
    again = await harness.say("resident2", SECOND)
    assert [(m.chat_id, m.text) for m in again] == [
        ("group", "您已反映过此事，已补充到工单 #2，网格员会一并处理。发送「查询 2」可了解进度。"),
        ("worker1", f"您负责的工单 #1 的反映人再次反映：{SECOND}"),
    ]
    [(count,)] = await rows(harness.bot.store, "SELECT COUNT(*) FROM tickets")
    assert count == 2
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert f"resident2 补充 {SECOND}" in history
    # Once the case is resolved, 重开 2 is staff's: said again, it is a report of its own.
    await harness.say("worker1", "办结 1 已换灯泡")
    later = await harness.say("resident2", SECOND)
    assert "已受理，工单号 #3。" in by_kind(later, "ack")[0].text


async def test_the_case_is_not_settled_by_one_reporters_withdrawal(harness: Harness) -> None:
    await two_reports(harness)
    await harness.say("staff1", "并案 2 1")
    replies = await harness.say("resident1", "撤回 1 我们自己修好了")
    assert by_kind(replies, "reply")[0].text.startswith("已收到您撤回工单 #1 的申请")
    assert await rows(harness.bot.store, "SELECT status FROM tickets WHERE id = 1") == [("new",)]


async def test_a_case_with_merged_reports_cannot_be_dismissed(harness: Harness) -> None:
    await two_reports(harness)
    await harness.say("staff1", "并案 2 1")
    [reply] = await harness.say("staff1", "作废 1")
    assert reply.text == "工单 #1 已有其他居民反映的工单并入（#2），说明确有其事，不能作废。"


async def test_stats_count_the_case_once(harness: Harness) -> None:
    await two_reports(harness)
    await harness.say("staff1", "并案 2 1")
    stats = (await harness.say("staff1", "统计"))[0].text
    assert "\n受理 1 件，" in stats
    assert stats.endswith(
        "另有 1 件并案（与其他工单为同一事件），不计入以上案件数（其反映人的回访评价照常计入）"
    )
    # The ledger's outcome column says where it went.
    outcome = await rows(harness.bot.store, "SELECT resolution FROM tickets WHERE id = 2")
    assert outcome == [("已并入工单 #1",)]


async def test_in_english(harness: Harness) -> None:
    await two_reports(harness)
    await harness.say("resident2", "/lang en")
    await harness.say("staff1", "/lang en")
    replies = await harness.say("staff1", "/merge 2 1")
    assert by_kind(replies, "reply")[0].text.startswith("Ticket #2 merged into ticket #1:")
    assert by_kind(replies, "merged")[0].text.startswith(
        "Your report (ticket #2) is about the same event as ticket #1"
    )
    status = (await harness.say("resident2", "/status 2"))[0].text
    assert status.endswith("Merged into ticket #1, which is now: new")
    # The outcome the merge stored is the desk's language's (zh); an English ledger reads it
    # in English.
    assert await rows(harness.bot.store, "SELECT resolution FROM tickets WHERE id = 2") == [
        ("已并入工单 #1",)
    ]
    async with harness.bot.store.read() as tx:
        found = await tx.ledger_rows("2000-01-01T00:00:00.000Z", "2100-01-01T00:00:00.000Z", 0, 5)
    [merged] = [row for row in found if row.id == 2]
    column = COLUMNS.index("resolution")
    assert LedgerFormat(harness.bot.config, "en").cells(merged)[column] == "Merged into ticket #1"


async def test_a_merged_ticket_is_not_escalated(desk: Desk) -> None:
    await desk.h.say("resident1", FIRST)
    await desk.h.say("resident2", SECOND)
    await desk.h.say("staff1", "并案 2 1")
    report, sent = await desk.sweep_on(CLAIM_LATE)
    assert report.escalated == 1
    assert sent and all("#2" not in m.text for m in sent)


async def test_the_same_event_notice_suggests_the_merge(harness: Harness) -> None:
    await harness.say("resident1", "村口着火了")
    second = await harness.say("resident2", "村口那边着火了，烟很大！")
    [notice] = [m.text for m in second if m.chat_id == "staff"]
    assert "核实确属同一事件，可发送「并案 2 1」" in notice


async def test_staff_merge_with_one_tap_on_the_notice(harness: Harness) -> None:
    await harness.say("resident1", "村口着火了")
    second = await harness.say("resident2", "村口那边着火了，烟很大！")
    [notice] = [m for m in second if m.chat_id == "staff"]
    assert [(b.label, b.command) for b in notice.buttons] == [("并案 2→1", "/merge 2 1")]
    pressed = await harness.press("staff1", notice)
    assert by_kind(pressed, "reply")[0].text.startswith("工单 #2 已并入工单 #1")
    # Only staff: a grid worker who sees the notice and presses it is refused.
    await harness.say("resident1", "西头着火了")
    third = await harness.say("resident2", "西头那边着火了，火很大！")
    [notice] = [m for m in third if m.chat_id == "staff"]
    assert "不能使用「并案」" in (await harness.press("worker1", notice))[0].text


# Follow-up visits (回访) after a merge: the merged ticket's reporter is asked about the
# case's outcome, under their own number, as the case's reporter is.
OUTCOME = "已更换楼道灯泡"
QUESTION_2 = (
    f"您好！您反映的问题（工单 #2，已并入工单 #1）已办结：{OUTCOME}\n"
    "请问您对处理结果是否满意？请回复「满意 2」「基本满意 2」「不满意 2」（可在后面写上意见）。"
)


async def merged_case(desk: Desk, reachable: bool = True) -> None:
    """#2 (resident2) merged into #1 (resident1), which worker1 resolves at START + 1h."""
    await two_reports(desk.h)
    for resident in ("resident1", "resident2") if reachable else ():
        await desk.h.say(resident, "我的", private=True)
    await desk.h.say("staff1", "并案 2 1")
    await desk.h.say("worker1", "认领 1")
    desk.clock.now = START + at(hours=1)
    await desk.h.say("worker1", f"办结 1 {OUTCOME}")


async def test_the_merged_reporter_is_visited_about_the_case(desk: Desk) -> None:
    await merged_case(desk)
    report, sent = await desk.sweep_at(at(days=1, hours=1))
    assert report == SweepReport(asked=2)
    questions = {m.chat_id: m for m in sent}
    assert questions["resident1"].text.startswith("您好！您反映的问题（工单 #1）已办结：")
    second = questions["resident2"]
    assert (second.kind, second.text) == ("followup", QUESTION_2)
    assert [b.command for b in second.buttons] == [
        "/rate 2 satisfied",
        "/rate 2 fair",
        "/rate 2 unsatisfied",
    ]
    thanks = await desk.h.press("resident2", second, 1)
    assert [m.text for m in thanks] == ["感谢您对工单 #2 的评价（基本满意）！"]
    await desk.h.press("resident1", questions["resident1"], 0)
    # Each resident asked is counted in the satisfaction rate; the case is still one case.
    stats = (await desk.h.say("staff1", "统计"))[0].text
    assert "\n受理 1 件，" in stats
    assert "回访评价 2 件：满意 1｜基本满意 1｜不满意 0；满意率 100.0%" in stats
    history = (await desk.h.say("staff1", "/ticket 2", chat="staff"))[0].text
    assert "系统 回访 已私信询问反映人是否满意" in history
    assert "resident2 评价 基本满意" in history


async def test_a_merged_reporters_unsatisfied_goes_to_staff_and_leaves_the_case(
    desk: Desk,
) -> None:
    """One of several reporters does not reopen a case: staff are told, and decide."""
    await merged_case(desk)
    await desk.sweep_at(at(days=1, hours=1))
    replies = await desk.h.say("resident2", "不满意 2 晚上还是黑的", private=True)
    by_chat = {m.chat_id: m for m in replies}
    assert by_chat["resident2"].text == (
        "感谢反馈，很抱歉问题没有解决好。工单 #2 已转综治中心工作人员研判。"
    )
    staff_text = (
        "【回访不满意】工单 #2｜东镇｜反映人：resident2：「晚上还是黑的」\n"
        "办理人：worker1。该工单已并入工单 #1，未自动重开；如需重办请发送「重开 1」。"
    )
    assert (by_chat["staff"].kind, by_chat["staff"].text) == ("feedback", staff_text)
    assert (by_chat["worker1"].kind, by_chat["worker1"].text) == ("direct", staff_text)
    assert "edit" not in {m.kind for m in replies}
    stored = await rows(desk.bot.store, "SELECT id, status FROM tickets ORDER BY id")
    assert stored == [(1, "resolved"), (2, "merged")]


async def test_reopening_the_case_cancels_the_merged_visit(desk: Desk) -> None:
    await merged_case(desk)
    await desk.h.say("staff1", "重开 1 还有一层没修")
    report, sent = await desk.sweep_at(at(days=1, hours=1))
    assert (report, sent) == (SweepReport(cancelled=2), [])
    refused = await desk.h.say("resident2", "满意 2", private=True)
    assert [m.text for m in refused] == ["工单 #1 当前为「已重开」，不能评价。"]
    # Resolved again, both are asked again, about the new outcome.
    desk.clock.now = START + at(days=2)
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "办结 1 各层灯泡都已更换")
    report, sent = await desk.sweep_at(at(days=3, hours=1))
    assert report == SweepReport(asked=2)
    assert all("各层灯泡都已更换" in m.text for m in sent)


async def test_closing_the_case_before_its_visit_cancels_the_merged_visit(desk: Desk) -> None:
    """结案 ends the visits about the case, its own and the merged ticket's: cancelled when
    they fall due; neither reporter is asked about an archived case."""
    await merged_case(desk)
    await desk.h.say("staff1", "结案 1")
    report, sent = await desk.sweep_at(at(days=1, hours=1))
    assert (report, sent) == (SweepReport(cancelled=2), [])
    assert await rows(desk.bot.store, "SELECT ticket_id, state FROM followups ORDER BY id") == [
        (1, "cancelled"), (2, "cancelled"),
    ]  # fmt: skip


async def test_a_restored_ticket_is_not_visited_about_the_case(desk: Desk) -> None:
    await merged_case(desk)
    await desk.h.say("staff1", "重开 2")  # not the same event after all
    report, sent = await desk.sweep_at(at(days=1, hours=1))
    assert report == SweepReport(asked=1, cancelled=1)
    assert [m.chat_id for m in sent] == ["resident1"]


async def test_merging_into_a_resolved_case_visits_the_reporter(desk: Desk) -> None:
    await two_reports(desk.h)
    await desk.h.say("resident2", "我的", private=True)
    await desk.h.say("worker1", "认领 1")
    desk.clock.now = START + at(hours=1)
    await desk.h.say("worker1", f"办结 1 {OUTCOME}")
    desk.clock.now = START + at(hours=2)
    await desk.h.say("staff1", "并案 2 1")
    report, sent = await desk.sweep_at(at(days=1, hours=2))
    # resident1 never wrote to the bot one to one, so only #2's reporter can be asked.
    assert report == SweepReport(asked=1, unreachable=1)
    assert [(m.chat_id, m.text) for m in sent] == [("resident2", QUESTION_2)]


async def test_an_unreached_merged_reporter_answers_with_a_bare_word(desk: Desk) -> None:
    await merged_case(desk, reachable=False)
    assert (await desk.sweep_at(at(days=2)))[0] == SweepReport(unreachable=2)
    # Writing one to one, resident2 is asked the question they could not be sent...
    status, question = await desk.h.say("resident2", "查询 2", private=True)
    assert status.text.startswith("工单 #2｜已并案")
    assert question.text == QUESTION_2
    # ...and answers it with a bare word, as on WeChat.
    thanks = await desk.h.say("resident2", "满意", private=True)
    assert [m.text for m in thanks] == ["感谢您对工单 #2 的评价（满意）！"]


def test_the_less_urgent_goes_into_the_more_urgent() -> None:
    def ticket(id: int, urgency: str, status: Status = Status.NEW) -> TicketView:
        return TicketView(id, status, 1, None, "DZ", urgency, ())

    assert merge_refusal(ticket(2, "normal"), ticket(1, "urgent")) is None
    assert merge_refusal(ticket(2, "high"), ticket(1, "normal")) == "merge_more_urgent"
    assert merge_refusal(ticket(2, "unclassified"), ticket(1, "normal")) is None
    assert merge_refusal(ticket(2, "low"), ticket(1, "normal", Status.CLOSED)) == (
        "merge_bad_target"
    )
    assert more_urgent("urgent", "high") and not more_urgent("normal", "unclassified")


# The case's outcome, as another reporter reads it -------------------------------------------
# The worker writes #1's outcome to #1's reporter: a number in it (theirs, or one the worker
# was given by them) is not for the residents whose reports were merged into it, who read it
# masked, as a group does, wherever they read it: one to one too.
PRIVATE_FIRST = "隔壁天天半夜吵架摔东西，我电话13987654321，别说是我反映的"
NUMBERED = "已上门调解，反映人电话13987654321，身份证110101199003071234"
MASKED = "已上门调解，反映人电话139****4321，身份证1101**********1234"


async def private_case_with_a_group_report(harness: Harness) -> None:
    """#1: resident1's private report; #2: resident2's in the group, merged into #1."""
    await harness.say("resident1", "你好")  # their grid, for a private report
    await harness.say("resident1", PRIVATE_FIRST, private=True)
    await harness.say("resident2", "隔壁天天半夜吵架摔东西")
    await harness.say("resident2", "我的", private=True)  # reachable one to one
    await harness.say("staff1", "并案 2 1", chat="staff")
    await harness.say("worker1", "认领 1", private=True)


async def test_another_reporter_reads_the_cases_outcome_masked(harness: Harness) -> None:
    await private_case_with_a_group_report(harness)
    done = await harness.say("worker1", f"办结 1 {NUMBERED}", private=True)
    told = {m.chat_id: m.text for m in by_kind(done, "resolved")}
    assert told["resident1"].startswith(f"您反映的问题（工单 #1）已办结：{NUMBERED}")
    assert "13987654321" not in told["group"]  # not read out there at all (below)
    # 查询 one to one: resident2 may not open #1, so its outcome's numbers are not theirs.
    status = (await harness.say("resident2", "查询 2", private=True))[0].text
    assert status.endswith(f"办理结果：{MASKED}")
    assert "13987654321" not in status
    # The desk, who may open #1, reads it as it is.
    status = (await harness.say("staff1", "查询 2", chat="staff"))[0].text
    assert status.endswith(f"办理结果：{NUMBERED}")


async def test_the_merged_reporter_told_one_to_one_reads_it_masked(harness: Harness) -> None:
    """The other way round: a private report merged into a group's ticket, whose outcome was
    masked in the group; its reporter, told privately, does not read it unmasked."""
    await harness.say("resident1", "你好")
    await harness.say("resident2", "隔壁天天半夜吵架摔东西")
    await harness.say("resident1", PRIVATE_FIRST, private=True)
    await harness.say("staff1", "并案 2 1", chat="staff")
    await harness.say("worker1", "认领 1")
    done = await harness.say("worker1", f"办结 1 {NUMBERED}")
    told = {m.chat_id: m.text for m in by_kind(done, "resolved")}
    assert told["group"].startswith(f"您反映的问题（工单 #1）已办结：{MASKED}")
    assert told["resident1"] == f"您反映的问题（工单 #2，已并入工单 #1）已办结：{MASKED}"


async def test_merged_into_a_resolved_case_the_outcome_is_masked(harness: Harness) -> None:
    await harness.say("resident1", "你好")
    await harness.say("resident2", "隔壁天天半夜吵架摔东西")
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", f"办结 1 {NUMBERED}")
    await harness.say("resident1", PRIVATE_FIRST, private=True)
    [told] = by_kind(await harness.say("staff1", "并案 2 1", chat="staff"), "merged")
    assert told.chat_id == "resident1"
    assert told.text == f"您反映的问题（工单 #2）与工单 #1 为同一事件，该事件已办结：{MASKED}"


async def test_the_merged_reporters_visit_reads_the_outcome_masked(desk: Desk) -> None:
    await private_case_with_a_group_report(desk.h)
    desk.clock.now = START + at(hours=1)
    await desk.h.say("worker1", f"办结 1 {NUMBERED}", private=True)
    _, sent = await desk.sweep_at(at(days=1, hours=2))
    questions = {m.chat_id: m.text for m in sent if m.kind == "followup"}
    assert NUMBERED in questions["resident1"]
    assert questions["resident2"].startswith(
        f"您好！您反映的问题（工单 #2，已并入工单 #1）已办结：{MASKED}\n"
    )


async def test_a_private_reports_outcome_is_not_read_out_in_a_group(harness: Harness) -> None:
    """#2, a group's report, merged into #1, a private one: #1's outcome is written about
    its private reporter ("已联系反映人李红"), and a group reads no private report. #2's
    reporter is told it is resolved there, and reads the outcome one to one."""
    await private_case_with_a_group_report(harness)
    done = await harness.say("worker1", "办结 1 已联系反映人李红，对邻居进行训诫", private=True)
    told = {m.chat_id: m.text for m in by_kind(done, "resolved")}
    assert told["group"] == (
        "您反映的问题（工单 #2，已并入工单 #1）已办结，办理结果请私聊机器人发送「查询 2」查看。"
    )
    assert "李红" not in (await harness.say("resident2", "查询 2"))[0].text
    status = (await harness.say("resident2", "查询 2", private=True))[0].text
    assert status.endswith("办理结果：已联系反映人李红，对邻居进行训诫")


async def test_a_resident_who_reported_it_several_times_is_told_and_visited_once(
    desk: Desk,
) -> None:
    """A typhoon night: resident2 posted the same event in other words each time, three
    tickets, all merged into resident1's case.  Resolved, they were told three times in the
    group and asked three times how they were served, about one case."""
    await two_reports(desk.h)  # #1 resident1, #2 resident2
    again = "晚上回家楼梯上什么都看不见，摔了一跤"
    assert "工单号 #3" in (await desk.h.say("resident2", again))[0].text
    for resident in ("resident1", "resident2"):
        await desk.h.say(resident, "我的", private=True)
    await desk.h.say("staff1", "并案 2 1")
    await desk.h.say("staff1", "并案 3 1")
    await desk.h.say("worker1", "认领 1")
    desk.clock.now = START + at(hours=1)
    resolved = await desk.h.say("worker1", f"办结 1 {OUTCOME}")
    told = [m.reply_to_message_id for m in by_kind(resolved, "resolved")]
    assert told == ["u1", "u2"]  # under resident1's report and resident2's first
    report, sent = await desk.sweep_at(at(days=1, hours=1))
    assert report == SweepReport(asked=2)
    assert sorted((m.chat_id, m.ticket_id) for m in sent) == [("resident1", 1), ("resident2", 2)]
    # A fourth report of theirs merged into the resolved case: told, not visited again.
    desk.clock.now = START + at(days=1, hours=2)
    fourth = await desk.h.say("resident2", "楼梯那里黑漆漆的，老人下楼很危险")
    assert "工单号 #4" in fourth[0].text
    await desk.h.say("staff1", "并案 4 1")
    report, sent = await desk.sweep_at(at(days=2, hours=2))
    assert (report, sent) == (SweepReport(), [])
    visits = await rows(desk.bot.store, "SELECT ticket_id FROM followups ORDER BY id")
    assert visits == [(1,), (2,)]


async def four_reports(harness: Harness) -> None:
    """#1 to #4: four residents' reports, each normal (not linked as one event, whose many
    reporters would raise some: `bot.many_reporters`)."""
    await two_reports(harness)
    await harness.say("resident3", "隔壁邻居天天半夜装修，吵得睡不着")
    await harness.say("resident4", "楼上邻居家漏水到我家了")
    urgencies = await rows(harness.bot.store, "SELECT urgency FROM tickets ORDER BY id")
    assert urgencies == [("normal",)] * 4


async def test_several_merged_into_one_in_one_command(harness: Harness) -> None:
    await four_reports(harness)
    replies = await harness.say("staff1", "并案 2 3 4 到 1 同一处灯坏了")
    [reply] = by_kind(replies, "reply")
    assert reply.text == (
        "已将 3 张工单并入工单 #1（并案）：#2、#3、#4。它们移出待办队列、不再单独督办，"
        "统计中单列；#1 办结时，其反映人一并收到办理结果。如系误判，可对其中一张发送「重开」恢复。"
    )
    # Each reporter is told under their own report, as a merge of one tells them.
    told = {(m.reply_to_message_id, m.text) for m in by_kind(replies, "merged")}
    assert told == {
        (f"u{n}", TOLD_SECOND.replace("#2", f"#{n}").replace("查询 2", f"查询 {n}"))
        for n in (2, 3, 4)
    }
    stored = await rows(
        harness.bot.store, "SELECT id, status, merged_into FROM tickets ORDER BY id"
    )
    assert stored == [(1, "new", None), (2, "merged", 1), (3, "merged", 1), (4, "merged", 1)]
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert all(f"staff1 并入 #{n}" in history for n in (2, 3, 4))
    assert "staff1 并案 → #1 同一处灯坏了" in (
        await harness.say("staff1", "/ticket 3", chat="staff")
    )[0].text
    # Resolving #1 tells all four.
    await harness.say("worker1", "认领 1")
    done = await harness.say("worker1", "办结 1 已更换楼道灯泡")
    assert {m.reply_to_message_id for m in by_kind(done, "resolved")} == {"u1", "u2", "u3", "u4"}


@pytest.mark.parametrize(
    "command",
    [
        "/merge 2 3 into 1",
        "/merge 2,3 into 1",
        "并案 2、3 并入 1",
        "并案2号3号到1号",
        "合并 2 3 到 1",
    ],
)
async def test_the_forms_of_merging_several(harness: Harness, command: str) -> None:
    await four_reports(harness)
    [reply] = by_kind(await harness.say("staff1", command), "reply")
    assert reply.text.startswith("已将 2 张工单并入工单 #1（并案）：#2、#3。")
    stored = await rows(harness.bot.store, "SELECT status FROM tickets ORDER BY id")
    assert stored == [("new",), ("merged",), ("merged",), ("new",)]


async def test_merging_several_says_what_was_refused_and_why(harness: Harness) -> None:
    await four_reports(harness)
    await harness.say("resident1", URGENT)  # #5, urgent
    await harness.say("staff1", "并案 3 1")  # #3 is merged already
    replies = await harness.say("staff1", "并案 2 3 5 99 4 到 1")
    [reply] = by_kind(replies, "reply")
    assert reply.text.split("\n") == [
        "已将 2 张工单并入工单 #1（并案）：#2、#4。它们移出待办队列、不再单独督办，"
        "统计中单列；#1 办结时，其反映人一并收到办理结果。如系误判，可对其中一张发送「重开」恢复。",
        "未并入的工单：",
        "· 工单 #3 当前为「已并案」，不能并案。",
        "· 工单 #5（紧急）比工单 #1（一般）更紧急，并入后会按较慢的时限督办：请将 #1 并入 #5，"
        "或先用「改标」调整 #1 的紧急程度。",
        "· 没有找到工单 #99，或您无权查看。",
    ]
    stored = await rows(harness.bot.store, "SELECT id, status FROM tickets ORDER BY id")
    assert stored == [(1, "new"), (2, "merged"), (3, "merged"), (4, "merged"), (5, "new")]
    # Into a ticket that cannot take them: nothing is merged, each told why.
    [reply] = by_kind(await harness.say("staff1", "并案 5 到 2"), "reply")
    assert reply.text == "工单 #2 当前已并案，不能并入：请并入正在办理或已办结的工单。"


async def test_numbers_alone_are_not_guessed_at(harness: Harness) -> None:
    await four_reports(harness)
    for command in ("并案 2 3 4", "/merge 2 3 4"):
        [reply] = by_kind(await harness.say("staff1", command), "reply")
        assert reply.text.startswith("没看懂要把哪几张并入哪一张：请在主工单号前写「到」")
    stored = await rows(harness.bot.store, "SELECT status FROM tickets ORDER BY id")
    assert stored == [("new",)] * 4
    # The bare two keep their meaning, a reason after them too.
    await harness.say("staff1", "并案 2 1 3号楼")
    assert await rows(harness.bot.store, "SELECT status FROM tickets WHERE id = 2") == [
        ("merged",)
    ]


async def test_merging_several_in_english(harness: Harness) -> None:
    await four_reports(harness)
    await harness.say("staff1", "/lang en")
    [reply] = by_kind(await harness.say("staff1", "/merge 2 3 4 into 1"), "reply")
    assert reply.text.startswith("Merged 3 tickets into ticket #1: #2, #3, #4.")
    [reply] = by_kind(await harness.say("staff1", "/merge 2 into 1"), "reply")
    assert reply.text.startswith("Ticket #2 is merged")
