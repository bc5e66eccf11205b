"""More time to resolve a ticket (延期, /extend) through the harness on SQLite and
PostgreSQL, on an injected clock: staff grant it and supervision escalates against the new
deadline; the worker holding it asks, and staff agree with a button; who may, in what
units, and a reopened ticket starting again on the config's limits."""

from __future__ import annotations

from datetime import datetime

from bot.adapters.base import Outbound
from bot.ledger import COLUMNS, LedgerFormat
from bot.supervision import SweepReport
from bot.workcal import Span, WorkingDays
from tests.conftest import rows
from tests.test_supervision import NORMAL, START, URGENT, ZONE, Desk, at


def due(desk: Desk, limit: Span) -> datetime:
    """When a ticket filed at START with this resolve limit is late."""
    return desk.bot.config.work_calendar.after(START, limit)


def local(moment: datetime) -> str:
    """As the bot writes a moment (the centre's time zone)."""
    return moment.astimezone(ZONE).strftime("%Y-%m-%d %H:%M")


def replies(sent: list[Outbound], kind: str) -> list[Outbound]:
    return [m for m in sent if m.kind == kind]


async def request_id(desk: Desk) -> int:
    """The id of the latest request for more time, which the staff room's buttons name."""
    query = "SELECT id FROM ticket_events WHERE action = 'extend_request'"
    asked = await rows(desk.bot.store, query)
    return int(max(asked)[0])


async def claimed(desk: Desk, text: str = NORMAL) -> None:
    """#1 by resident1, claimed by worker1 at START."""
    await desk.h.say("resident1", text)
    await desk.h.say("worker1", "认领 1")


async def test_staff_grant_more_time_and_supervision_follows_it(desk: Desk) -> None:
    await claimed(desk)
    sent = await desk.h.say("staff1", "延期 1 5个工作日 需要做司法鉴定", chat="staff")
    new_due = local(due(desk, WorkingDays(20)))
    [reply] = replies(sent, "reply")
    assert reply.text == (
        f"工单 #1 的办结时限已延长 5个工作日，现为 20个工作日，应于 {new_due} 前办结。"
    )
    [told] = replies(sent, "direct")
    assert (told.chat_id, told.text) == (
        "worker1",
        f"您负责的工单 #1 的办结时限已延长 5个工作日（staff1 批准），现为 20个工作日，"
        f"应于 {new_due} 前办结。",
    )
    # The reporter is told, under their report, when to expect it; not staff's reason.
    [reporter] = replies(sent, "extended")
    assert (reporter.chat_id, reporter.reply_to_message_id, reporter.text) == (
        "group",
        "u1",
        f"您反映的问题（工单 #1）情况较复杂，办理时间延长 5个工作日，预计于 {new_due} 前办结。"
        "发送「查询 1」可了解进度。",
    )
    # The old deadline passes quietly; the new one is escalated.
    report, _ = await desk.sweep_on(due(desk, WorkingDays(15)))
    assert report.escalated == 0
    report, sent = await desk.sweep_on(due(desk, WorkingDays(20)))
    assert report.escalated == 1
    assert "超时未办结｜一般｜时限 20个工作日" in replies(sent, "escalation")[0].text
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert f"\n办结期限：{new_due} 前（时限 20个工作日，已延期）\n" in history
    assert "staff1 延期 +5个工作日 需要做司法鉴定" in history
    stored = await rows(desk.bot.store, "SELECT resolve_limit FROM tickets")
    assert stored == [("20wd",)]
    # The ledger (台账) records it.
    writer = LedgerFormat(desk.bot.config, "zh")
    async with desk.bot.store.read() as tx:
        [row] = await tx.ledger_rows("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z", 0, 10)
    assert writer.cells(row)[COLUMNS.index("resolve_limit")] == "20个工作日"


async def test_the_holder_asks_and_staff_agree_with_a_button(desk: Desk) -> None:
    await claimed(desk)
    sent = await desk.h.say("worker1", "申请延期 1 3个工作日 等鉴定结论")
    [reply] = replies(sent, "reply")
    assert reply.text == (
        "已提交延期申请：工单 #1 延长 3个工作日。中心工作人员同意后生效，届时会通知您。"
    )
    [notice] = replies(sent, "staff")
    assert (notice.chat_id, notice.text) == (
        "staff",
        "【延期申请】工单 #1｜东镇｜worker1 申请延长办结时限 3个工作日（现为 15个工作日）"
        "：「等鉴定结论」\n同意请发送「延期 1 至18个工作日」（或 /extend 1 =18wd），"
        "不同意请发送「不同意延期 1」。",
    )
    asked = await request_id(desk)
    assert [(b.label, b.command) for b in notice.buttons] == [
        ("同意延期", f"/extend 1 =18wd req={asked}"),
        ("不同意", f"/extend 1 no req={asked}"),
    ]
    # Asking changes nothing until staff agree.
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [(None,)]
    # Only staff's press grants it.
    refused = await desk.h.press("worker2", notice)
    assert refused[0].text == "工单 #1 由 worker1 负责，只有负责人或管理人员可以操作。"
    agreed = await desk.h.press("staff1", notice)
    assert replies(agreed, "reply")[0].text.startswith("工单 #1 的办结时限已延长 3个工作日")
    assert replies(agreed, "direct")[0].chat_id == "worker1"
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [("18wd",)]
    # A second press (another member of staff, or a double tap) says who answered it; typing
    # what the notice says after it extends nothing more.
    granted_at = local(desk.clock())
    again = await desk.h.press("admin1", notice)
    assert again[0].text == (
        f"工单 #1 的这条延期申请已失效：之后已延期（staff1，{granted_at}），按钮不再生效。"
        "如确需延期，请发送「延期 1 时长 理由」。"
    )
    typed = await desk.h.say("staff1", "延期 1 至18个工作日", chat="staff")
    assert typed[0].text == "工单 #1 的办结时限已是 18个工作日，无需再延期。"
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [("18wd",)]
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "worker1 申请延期 +3个工作日 等鉴定结论" in history
    assert "staff1 延期 +3个工作日" in history


async def test_the_history_shows_the_deadlines_running(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)
    history = (await desk.h.say("worker1", "/ticket 1", private=True))[0].text
    claim_by, resolve_by = local(due(desk, WorkingDays(3))), local(due(desk, WorkingDays(15)))
    assert f"\n认领期限：{claim_by} 前（时限 3个工作日）\n" in history
    assert f"\n办结期限：{resolve_by} 前（时限 15个工作日）\n" in history
    await desk.h.say("worker1", "认领 1")
    history = (await desk.h.say("worker1", "/ticket 1", private=True))[0].text
    assert "认领期限" not in history and "办结期限" in history
    await desk.h.say("worker1", "办结 1 已修好")
    assert "期限" not in (await desk.h.say("worker1", "/ticket 1", private=True))[0].text


async def test_who_may(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)
    unclaimed = await desk.h.say("worker1", "延期 1 3天")
    assert unclaimed[0].text == "工单 #1 还没有人认领。认领后（「认领 1」）可以申请延期。"
    await desk.h.say("worker1", "认领 1")
    other = await desk.h.say("worker2", "/extend 1 3wd")
    assert other[0].text.startswith("工单 #1 由 worker1 负责")
    resident = await desk.h.say("resident1", "/extend 1 3wd")
    assert "不能使用" in resident[0].text
    assert (await desk.h.say("westworker", "/extend 1 3wd"))[0].text.startswith("没有找到工单 #1")
    await desk.h.say("worker1", "办结 1 已修好")
    done = await desk.h.say("staff1", "/extend 1 3wd")
    assert done[0].text == "工单 #1 当前为「已办结」，不能延期。"


async def test_units_follow_the_limit(desk: Desk) -> None:
    await claimed(desk, URGENT)  # resolve within 4 hours, around the clock
    wrong = await desk.h.say("staff1", "延期 1 2个工作日")
    assert wrong[0].text == (
        "工单 #1 的办结时限按小时计（现为 4小时），请按小时或天延期，例如「延期 1 12小时」。"
    )
    ok = replies(await desk.h.say("staff1", "延期 1 2天"), "reply")[0].text
    assert ok.startswith("工单 #1 的办结时限已延长 2天，现为 2天4小时，")
    ok = replies(await desk.h.say("staff1", "/extend 1 12h"), "reply")[0].text
    assert "现为 2天16小时" in ok
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [("64h",)]


async def test_bad_amounts_get_a_clear_reply(desk: Desk) -> None:
    await claimed(desk)
    for typed in ("/extend 1 abc", "/extend 1 0wd", "/extend 1 400wd", "/extend 1 1wd12h"):
        [reply] = await desk.h.say("staff1", typed)
        assert reply.text.startswith("「") and "不是时长" in reply.text, typed
    assert (await desk.h.say("staff1", "/extend 1"))[0].text.startswith("用法：/extend 1")
    await desk.h.say("staff1", "/extend 1 300wd")
    [reply] = await desk.h.say("staff1", "/extend 1 100wd")
    assert reply.text == "延期后的时限（415个工作日）超过一年半，请核实后重发。"
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [("315wd",)]


async def test_odd_amounts_in_words_are_answered_not_passed_as_talk(desk: Desk) -> None:
    """Negative or huge amounts, and 延期 with no amount, passed as talk, unanswered; an
    hour count past what a timedelta holds ended the turn with an OverflowError."""
    await claimed(desk, URGENT)
    for typed in ("延期 1 -3天", "延期 1 99999个工作日", "/extend 1 99999999999999h"):
        [reply] = await desk.h.say("staff1", typed)
        assert reply.text.startswith("「") and "不是时长" in reply.text, typed
    for typed, usage in (("延期", "延期"), ("延期 1", "延期"), ("申请延期 1。", "申请延期")):
        [reply] = await desk.h.say("staff1", typed)
        assert reply.text == f"用法：{usage} 12 5个工作日 原因", typed
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [(None,)]


async def test_in_english_the_button_and_the_typed_form_agree(desk: Desk) -> None:
    await claimed(desk)
    await desk.h.say("worker1", "/lang en")
    sent = await desk.h.say("worker1", "/extend 1 2wd waiting for the survey")
    assert replies(sent, "reply")[0].text == (
        "Asked: 2 working days more for ticket #1. It applies once the centre's staff agree; "
        "you will be told."
    )
    await desk.h.say("staff1", "/lang en", chat="staff")
    granted = await desk.h.say("staff1", "/extend 1 =17wd", chat="staff")
    assert replies(granted, "reply")[0].text.startswith(
        "Ticket #1 has 2 working days more: its limit is now 17 working days, to be resolved by "
    )


async def test_a_reopened_ticket_starts_again_on_the_configs_limits(desk: Desk) -> None:
    await claimed(desk)
    await desk.h.say("staff1", "/extend 1 5wd")
    await desk.h.say("worker1", "办结 1 已修好")
    await desk.h.say("resident1", "重开 1 灯又坏了")
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [(None,)]


async def test_a_missed_deadline_extended_is_escalated_again_when_missed(desk: Desk) -> None:
    await claimed(desk)
    report, _ = await desk.sweep_on(due(desk, WorkingDays(15)))
    assert report.escalated == 1  # the resolve deadline, level 1
    await desk.h.say("staff1", "/extend 1 5wd")
    assert (await desk.sweep_on(due(desk, WorkingDays(15)) + at(hours=1)))[0].escalated == 0
    report, sent = await desk.sweep_on(due(desk, WorkingDays(20)))
    assert report.escalated == 1
    assert "时限 20个工作日" in replies(sent, "escalation")[0].text


async def test_an_unanswered_request_comes_back_with_the_escalation(desk: Desk) -> None:
    """The request may scroll out of sight in the staff room; when the deadline is missed,
    the escalation repeats it, with the button that agrees."""
    await claimed(desk)
    await desk.h.say("worker1", "申请延期 1 5个工作日 等鉴定结论")
    report, sent = await desk.sweep_on(due(desk, WorkingDays(15)))
    assert report.escalated == 1
    [escalation] = [m for m in replies(sent, "escalation") if m.chat_id == "staff"]
    assert escalation.text.endswith(
        "\nworker1 已申请延期 5个工作日，尚未批复；同意请发送「延期 1 至20个工作日」"
        "（或 /extend 1 =20wd），不同意请发送「不同意延期 1」。"
    )
    asked = await request_id(desk)
    assert [b.command for b in escalation.buttons] == [
        f"/extend 1 =20wd req={asked}", f"/extend 1 no req={asked}"
    ]
    await desk.h.press("staff1", escalation)
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [("20wd",)]
    # Granted, it is no longer asked: the next escalation says nothing of it.
    report, sent = await desk.sweep_on(due(desk, WorkingDays(20)))
    assert report.escalated == 1
    assert all("申请延期" not in m.text and not m.buttons for m in sent)


async def test_staff_say_no_and_the_worker_is_told(desk: Desk) -> None:
    await claimed(desk)
    sent = await desk.h.say("worker1", "申请延期 1 5个工作日 等鉴定结论")
    [notice] = replies(sent, "staff")
    # Only staff answer it; the worker cannot refuse their own request.
    mine = await desk.h.say("worker1", "不同意延期 1")
    assert mine[0].text == "工单 #1 的延期申请由中心工作人员批复。"
    refused = await desk.h.say(
        "staff1", "不同意延期 1 先按原时限办，鉴定可以同步进行", chat="staff"
    )
    assert replies(refused, "reply")[0].text == "已告知 worker1：工单 #1 的延期申请未获同意。"
    assert replies(refused, "direct")[0].text == (
        "您对工单 #1 的延期申请未获同意（staff1）：「先按原时限办，鉴定可以同步进行」。"
        "请按原时限办理。"
    )
    # Answered: the button says so, and the escalation no longer repeats the request.
    again = await desk.h.press("staff1", notice, 1)
    assert again[0].text.startswith("工单 #1 的这条延期申请已失效：之后已不同意延期（staff1，")
    _, sent = await desk.sweep_on(due(desk, WorkingDays(15)))
    assert sent and all("申请延期" not in m.text and not m.buttons for m in sent)
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [(None,)]
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "staff1 不同意延期 先按原时限办，鉴定可以同步进行" in history


async def test_staff_say_yes_in_words_as_the_button_does(desk: Desk) -> None:
    """"同意延期 1", typed as the button under the request reads: it was talk, unanswered."""
    await claimed(desk)
    await desk.h.say("worker1", "申请延期 1 5个工作日 等鉴定结论")
    mine = await desk.h.say("worker1", "同意延期 1")
    assert mine[0].text == "工单 #1 的延期申请由中心工作人员批复。"
    granted = await desk.h.say("staff1", "同意延期 1", chat="staff")
    [reply] = replies(granted, "reply")
    assert reply.text.startswith("工单 #1 的办结时限已延长 5个工作日，现为 20个工作日")
    assert replies(granted, "direct")[0].chat_id == "worker1"
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [("20wd",)]
    # Answered: a second 同意 finds nothing waiting, and extends nothing.
    again = await desk.h.say("staff1", "批准延期 1", chat="staff")
    assert again[0].text == "工单 #1 没有待批复的延期申请。"
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [("20wd",)]


async def test_on_time_is_measured_against_the_extended_deadline(desk: Desk) -> None:
    """按期办结: resolved after the config's 15 working days but inside the 20 granted is on
    time; the same past the 20 would not be."""
    await claimed(desk)
    await desk.h.say("staff1", "/extend 1 5wd")
    desk.clock.now = due(desk, WorkingDays(15)) + at(hours=10)
    await desk.h.say("worker1", "办结 1 已修好")
    assert await rows(desk.bot.store, "SELECT resolved_late FROM tickets") == [(0,)]
    stats = (await desk.h.say("staff1", "统计", chat="staff"))[0].text
    assert "按期办结 1 件，超期办结 0 件；按期办结率 100.0%" in stats.splitlines()
    # Reopened, it is measured again on its new clock, against the config's limit.
    await desk.h.say("resident1", "重开 1 又坏了")
    assert await rows(desk.bot.store, "SELECT resolved_late, resolve_limit FROM tickets") == [
        (None, None)
    ]
    desk.clock.now = due(desk, WorkingDays(40))
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "办结 1 已换新灯")
    assert await rows(desk.bot.store, "SELECT resolved_late FROM tickets") == [(1,)]


async def test_a_retag_to_another_urgency_ends_the_extension(desk: Desk) -> None:
    """More time was granted on the old urgency's limit: judged urgent after all (改标 …
    紧急), the ticket runs on the urgent limits, 4 hours to resolve, not the 20 working days
    it had been given; judged ordinary, on 15 working days, not on the hours granted to an
    urgent case.  (Both used to keep the extension: an urgent case went a month without an
    escalation, and an ordinary one was escalated on a Sunday.)"""
    await claimed(desk)
    await desk.h.say("staff1", "延期 1 5个工作日 需要鉴定", chat="staff")
    sent = await desk.h.say("staff1", "改标 1 治安隐患 紧急", chat="staff")
    [answer] = [m.text for m in sent if m.kind == "reply"]
    assert "原延期的办结时限（20个工作日）不再适用" in answer
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [(None,)]
    report, sent = await desk.sweep_on(START + at(hours=4))
    assert report.escalated == 1
    assert "超时未办结｜紧急｜时限 4小时" in replies(sent, "escalation")[0].text
    await desk.h.say("staff1", "延期 1 2小时", chat="staff")
    sent = await desk.h.say("staff1", "/retag 1 neighbour normal", chat="staff")
    assert "原延期的办结时限（6小时）不再适用" in sent[0].text
    assert await desk.sweep_on(START + at(hours=7)) == (SweepReport(), [])


async def test_a_residents_bare_extend_word_is_theirs_to_say(desk: Desk) -> None:
    """"延期？" from a resident (a flat handed over late) is a message of theirs, not a desk
    command missing its arguments: the group does not read the desk's usage line."""
    replies = await desk.h.say("resident1", "延期？")
    assert not any(m.text.startswith("用法") for m in replies)
    [usage] = await desk.h.say("worker1", "延期")
    assert usage.text.startswith("用法：延期 12")


async def test_a_request_typed_with_commas_and_voice_input_marks_is_a_request(
    desk: Desk,
) -> None:
    """"延期1号5个工作日，等鉴定结果" got no answer at all, and no request reached staff."""
    await claimed(desk)
    sent = await desk.h.say("worker1", "延期1号5个工作日，等鉴定结果。")
    assert replies(sent, "reply")[0].text.startswith("已提交延期申请：工单 #1 延长 5个工作日。")
    [notice] = replies(sent, "staff")
    assert "：「等鉴定结果」\n同意请发送「延期 1 至20个工作日」" in notice.text


async def test_the_agree_button_after_staff_said_no_grants_nothing(desk: Desk) -> None:
    """Pressed after 不同意, the old 同意 button used to extend anyway (its =18wd read as a
    fresh grant): it answers its own request only, and says who answered it, and how."""
    await claimed(desk)
    sent = await desk.h.say("worker1", "申请延期 1 3个工作日 等鉴定结论")
    [notice] = replies(sent, "staff")
    await desk.h.press("staff1", notice, 1)
    declined_at = local(desk.clock())
    await desk.h.say("admin1", "/lang en", chat="staff")
    late = await desk.h.press("admin1", notice)
    assert [m.text for m in late] == [
        f"That request for more time on ticket #1 no longer stands: since then, refused more "
        f"time (staff1, {declined_at}); the button does nothing. To extend it anyway, send "
        "/extend 1 <time> <reason>."
    ]
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [(None,)]
    # Staff who mean it still extend it, typed.
    typed = await desk.h.say("admin1", "/extend 1 =18wd", chat="staff")
    assert replies(typed, "reply")[0].text.startswith("Ticket #1 has 3 working days more")
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [("18wd",)]


async def test_the_agree_button_after_the_case_changed_hands_grants_nothing(desk: Desk) -> None:
    """worker1 asked, staff gave the case to worker2: pressing worker1's 同意 used to extend
    it and tell worker2 of time they never asked for."""
    await claimed(desk)
    sent = await desk.h.say("worker1", "申请延期 1 3个工作日 等鉴定结论")
    [notice] = replies(sent, "staff")
    await desk.h.say("staff1", "指派 1 worker2", chat="staff")
    assigned_at = local(desk.clock())
    late = await desk.h.press("staff1", notice)
    assert [(m.chat_id, m.text) for m in late] == [
        (
            "staff",
            f"工单 #1 的这条延期申请已失效：之后已指派（staff1，{assigned_at}），按钮不再生效。"
            "如确需延期，请发送「延期 1 时长 理由」。",
        )
    ]
    refused = await desk.h.press("staff1", notice, 1)
    assert refused[0].text == late[0].text  # nor is worker1 told of a refusal
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [(None,)]
    # A request the holder sent since is the one its own buttons answer.
    again = await desk.h.say("worker2", "申请延期 1 2个工作日")
    [newer] = replies(again, "staff")
    assert (await desk.h.press("staff1", notice))[0].text == late[0].text
    agreed = await desk.h.press("staff1", newer)
    assert [m.chat_id for m in replies(agreed, "direct")] == ["worker2"]
    assert await rows(desk.bot.store, "SELECT resolve_limit FROM tickets") == [("17wd",)]
