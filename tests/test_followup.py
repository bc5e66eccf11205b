"""Follow-up visits (回访) through the harness: the reporter of a resolved ticket is asked
privately after the delay, answers once with a button (or typed), and 不满意 reopens the
ticket and tells staff.  Deterministic: the clock is injected, sweeps are called."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest

from bot.adapters.base import Inbound, Outbound, Person, Room
from bot.clock import iso
from bot.config import ConfigError, load_config
from bot.followup import BATCH
from bot.supervision import SweepReport
from classifier import Classification
from tests.conftest import StoreFactory, make_config, rows
from tests.test_outbox import Clock
from tests.test_supervision import NORMAL, START, Desk, at, local, started, two_processes

RESOLUTION = "已上门调解，双方约定晚上10点后不施工"


async def resolved_ticket(desk: Desk, reachable: bool = True) -> None:
    """#1 by resident1, claimed and resolved by worker1 at START + 1h."""
    await desk.h.say("resident1", NORMAL)
    if reachable:  # the resident has written to the bot one to one
        await desk.h.say("resident1", "我的", private=True)
    await desk.h.say("worker1", "认领 1")
    desk.clock.now = START + at(hours=1)
    await desk.h.say("worker1", f"办结 1 {RESOLUTION}")


async def another_resolved(desk: Desk, number: int) -> None:
    """resident1's next report, ticket `number`, claimed and resolved at once by worker1."""
    await desk.h.say("resident1", "小区门口的路灯坏了好几天了，晚上黑得看不见路")
    await desk.h.say("worker1", f"认领 {number}")
    await desk.h.say("worker1", f"办结 {number} 已更换灯泡")


async def asked(desk: Desk) -> Outbound:
    """Sweep when the visit is due; the question it sent."""
    report, sent = await desk.sweep_at(at(days=1, hours=1))
    assert report == SweepReport(asked=1)
    [question] = sent
    return question


async def test_reporter_is_asked_after_the_delay_and_rates_once(desk: Desk) -> None:
    await resolved_ticket(desk)
    assert await desk.sweep_at(at(hours=24, minutes=59)) == (SweepReport(), [])
    question = await asked(desk)
    assert (question.kind, question.channel, question.chat_id) == ("followup", "test", "resident1")
    assert question.text == (
        f"您好！您反映的问题（工单 #1）已办结：{RESOLUTION}\n"
        "请问您对处理结果是否满意？请回复「满意 1」「基本满意 1」「不满意 1」（可在后面写上意见）。"
    )
    assert [(b.label, b.command) for b in question.buttons] == [
        ("满意", "/rate 1 satisfied"),
        ("基本满意", "/rate 1 fair"),
        ("不满意", "/rate 1 unsatisfied"),
    ]
    assert await desk.sweep_at(at(days=3)) == (SweepReport(), [])  # asked once

    thanks = await desk.h.press("resident1", question, 1)
    assert [(m.chat_id, m.text) for m in thanks] == [
        ("resident1", "感谢您对工单 #1 的评价（基本满意）！")
    ]
    again = await desk.h.press("resident1", question, 2)  # a second answer: 不满意
    assert [m.text for m in again] == [
        "您已评价过工单 #1（基本满意），每次办结只需评价一次，谢谢！\n"
        "如问题仍未解决，请发送「重开 1 原因」。"
    ]
    typed = await desk.h.say("resident1", "满意 1")
    assert typed[0].text.startswith("您已评价过工单 #1（基本满意）")
    # Typed, the same: the rating stands, and the reporter is told how to say it is not solved.
    unhappy = await desk.h.say("resident1", "不满意 1 晚上还是吵")
    assert unhappy[0].text.endswith("如问题仍未解决，请发送「重开 1 原因」。")

    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "系统 回访 已私信询问反映人是否满意" in history
    assert "resident1 评价 基本满意" in history and history.count("评价") == 1
    assert "已办结" in (await desk.h.say("resident1", "查询 1"))[0].text


async def test_unsatisfied_reopens_and_tells_staff_and_the_holder(desk: Desk) -> None:
    await resolved_ticket(desk)
    await asked(desk)
    replies = await desk.h.say("resident1", "不满意 1 晚上还是很吵", private=True)
    by_chat = {m.chat_id: m for m in replies if m.kind != "edit"}
    assert by_chat["resident1"].text.startswith(
        "感谢反馈，很抱歉问题没有解决好。工单 #1 已重新打开"
    )
    staff_text = (
        "【回访不满意】工单 #1｜东镇｜反映人：resident1：「晚上还是很吵」\n"
        "办理人：worker1。工单已重新打开，回到待认领队列。"
    )
    assert (by_chat["staff"].kind, by_chat["staff"].text) == ("feedback", staff_text)
    # The one who resolved it reads what to do about it: the notice said only that it is
    # back in the queue.
    claim_again = staff_text + "\n再次认领请发送「认领 1」。"
    assert (by_chat["worker1"].kind, by_chat["worker1"].text) == ("direct", claim_again)
    edit = next(m for m in replies if m.kind == "edit")  # the group's acknowledgement
    assert "当前：已重开" in edit.text and edit.buttons[0].command == "/claim 1"
    assert "已重开" in (await desk.h.say("worker1", "/queue"))[0].text
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "resident1 评价 不满意 晚上还是很吵" in history and "resident1 重开" in history

    # The reopened ticket is new work: its clock restarted, and resolving it again asks
    # again (one rating per resolution).
    desk.clock.now = START + at(days=2)
    await desk.h.say("worker2", "认领 1")
    await desk.h.say("worker2", "办结 1 已协调物业加装隔音板")
    report, sent = await desk.sweep_at(at(days=3))
    assert report == SweepReport(asked=1) and "已协调物业加装隔音板" in sent[0].text
    assert "评价（满意）" in (await desk.h.press("resident1", sent[0]))[0].text


async def test_unsatisfied_names_an_anonymous_reporter_to_staff_only(desk: Desk) -> None:
    """The holder's copy of 不满意 reads the reporter as their /ticket does (匿名反映人 for an
    anonymous report, `bot.privacy.names_reporter`), here made so after it was filed."""
    await resolved_ticket(desk)
    await desk.h.say("resident1", "匿名 1", private=True)
    await asked(desk)
    replies = await desk.h.say("resident1", "不满意 1 晚上还是很吵", private=True)
    by_chat = {m.chat_id: m for m in replies if m.kind != "edit"}
    assert by_chat["staff"].text.startswith("【回访不满意】工单 #1｜东镇｜反映人：resident1：")
    assert by_chat["worker1"].text.startswith("【回访不满意】工单 #1｜东镇｜反映人：匿名反映人：")
    assert "resident1" not in by_chat["worker1"].text


async def test_unsatisfied_with_a_closed_ticket_is_flagged_for_staff(desk: Desk) -> None:
    await resolved_ticket(desk)
    question = await asked(desk)
    # Closed while the answer is awaited: staff read what an answer will do now.
    assert await closing(desk, "结案 1") == (
        "工单 #1 已结案。\n"
        "注意：已回访，反映人尚未答复；结案后如答复不满意，工单不会重开，只通知工作人员。"
    )
    replies = await desk.h.press("resident1", question, 2)
    texts = {m.chat_id: m.text for m in replies}
    assert (
        texts["resident1"] == "感谢反馈，很抱歉问题没有解决好。工单 #1 已转综治中心工作人员研判。"
    )
    assert texts["staff"].endswith("工单已结案，未自动重开；如需重办请发送「重开 1」。")
    assert "已结案" in (await desk.h.say("resident1", "查询 1"))[0].text


async def closing(desk: Desk, typed: str, private: bool = False) -> str:
    """Staff's 结案 (in the staff room, or one to one): its reply (an edit of the group's
    acknowledgement goes with it)."""
    sent = await desk.h.say("staff1", typed, chat="staff", private=private)
    [reply] = [m.text for m in sent if m.kind == "reply"]
    return reply


async def test_closing_before_the_visit_says_so_and_the_visit_is_not_asked(desk: Desk) -> None:
    """结案 1 minutes after 办结 closed at once, unsaid, and the visit went out the next day
    about an archived case (a 不满意 to it reopened nothing).  It still closes (staff
    decide), the reply says the visit is skipped, and it is cancelled when due."""
    await resolved_ticket(desk)
    assert await closing(desk, "结案 1") == (
        "工单 #1 已结案。\n注意：该工单尚未回访（办结→回访→结案），结案后不再回访。"
    )
    # Due, it is cancelled, not asked: closing ends the visit.  (Before it fell due, a typed
    # 满意 1 was still the reporter's answer: tests/test_stats.py.)
    assert await desk.sweep_at(at(days=2)) == (SweepReport(cancelled=1), [])
    assert await rows(desk.h.bot.store, "SELECT state FROM followups") == [("cancelled",)]
    [answer] = await desk.h.say("resident1", "满意 1", private=True)
    assert answer.text == "工单 #1 目前没有待评价的回访。"
    # Reopened and resolved again: a new visit, skipped again, said in English.
    await desk.h.say("staff1", "重开 1", chat="staff")
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "办结 1 已更换灯泡")
    await desk.h.say("staff1", "/lang en", private=True)
    assert await closing(desk, "/close 1", private=True) == (
        "Ticket #1 closed.\nNote: the follow-up visit, which comes before closing, had not "
        "been asked yet; now closed, it will not be."
    )


async def test_closing_with_no_visit_to_come_adds_nothing(desk: Desk) -> None:
    """A reporter the bot cannot write to would not have been asked: no note.  And once
    they write one to one, the visit of a ticket closed since is not sent late either
    (it was: a question about an archived case)."""
    await resolved_ticket(desk, reachable=False)
    assert await closing(desk, "结案 1") == "工单 #1 已结案。"
    assert await desk.sweep_at(at(days=2)) == (SweepReport(cancelled=1), [])
    await desk.h.say("resident2", "小区门口的路灯坏了好几天了，晚上黑得看不见路")
    await desk.h.say("worker1", "认领 2")
    await desk.h.say("worker1", "办结 2 已更换灯泡")
    assert await desk.sweep_at(at(days=4)) == (SweepReport(unreachable=1), [])
    assert await closing(desk, "结案 2") == "工单 #2 已结案。"
    replies = await desk.h.say("resident2", "查询 2", private=True)
    assert [m.kind for m in replies] == ["reply"]  # no question follows
    assert replies[0].text.startswith("工单 #2｜已结案")
    # Still theirs to answer, typed, if they want to.
    [thanks] = await desk.h.say("resident2", "满意 2", private=True)
    assert thanks.text == "感谢您对工单 #2 的评价（满意）！"


async def test_only_the_reporter_may_rate(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)
    early = await desk.h.say("resident1", "满意 1")
    assert early[0].text == "工单 #1 当前为「待认领」，不能评价。"
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", f"办结 1 {RESOLUTION}")
    # Another resident is told what any unknown number gets (no probing).
    assert (await desk.h.say("resident2", "满意 1"))[0].text == "没有找到工单 #1，或您无权查看。"
    for person in ("worker1", "staff1", "admin1"):  # they may see it, but not answer for them
        refused = await desk.h.say(person, "/rate 1 satisfied")
        assert refused[0].text == "只有反映人本人可以评价工单 #1。"
    bad = await desk.h.say("resident1", "/rate 1 great")
    assert bad[0].text == "请选择：满意、基本满意 或 不满意，例如「满意 1」。"
    # Before the question is due, the reporter may already answer; then none is sent.
    assert "评价（满意）" in (await desk.h.say("resident1", "/rate 1 满意"))[0].text
    assert await desk.sweep_at(at(days=2)) == (SweepReport(), [])


async def test_a_stale_button_after_reopening_says_why(desk: Desk) -> None:
    await resolved_ticket(desk)
    question = await asked(desk)
    await desk.h.say("resident1", "重开 1 又开始了")
    stale = await desk.h.press("resident1", question)
    assert [m.text for m in stale] == ["工单 #1 当前为「已重开」，不能评价。"]


async def test_unreachable_reporter_is_recorded_and_skipped(desk: Desk) -> None:
    await resolved_ticket(desk, reachable=False)
    report, sent = await desk.sweep_at(at(days=2))
    assert report == SweepReport(unreachable=1) and sent == []
    assert await desk.sweep_at(at(days=3)) == (SweepReport(), [])
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "系统 回访 反映人未与机器人私聊过，无法私信，未回访" in history
    # The resident can still rate by typing (e.g. after reading the resolution notice).
    assert "评价（满意）" in (await desk.h.say("resident1", "满意 1"))[0].text


async def test_a_visit_that_could_not_be_sent_is_asked_once_they_write_privately(
    desk: Desk,
) -> None:
    await resolved_ticket(desk, reachable=False)
    assert await desk.sweep_at(at(days=2)) == (SweepReport(unreachable=1), [])
    # The reporter asks about it one to one: answered, and the visit follows.
    status, question = await desk.h.say("resident1", "查询 1", private=True)
    assert status.text.startswith("工单 #1｜已办结")
    assert (question.kind, question.chat_id) == ("followup", "resident1")
    assert question.text.startswith("您好！您反映的问题（工单 #1）已办结")
    # Once: the next private message brings no second question.
    assert [m.kind for m in await desk.h.say("resident1", "我的", private=True)] == ["reply"]
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "系统 回访 反映人私聊机器人后，补发回访询问是否满意" in history
    assert "评价（满意）" in (await desk.h.press("resident1", question))[0].text


async def test_a_private_answer_is_not_followed_by_the_question_it_answered(desk: Desk) -> None:
    await resolved_ticket(desk, reachable=False)
    await desk.sweep_at(at(days=2))
    replies = await desk.h.say("resident1", "满意 1", private=True)
    assert [m.text for m in replies] == ["感谢您对工单 #1 的评价（满意）！"]


async def test_a_bare_rating_answers_the_one_visit_waiting(desk: Desk) -> None:
    """On WeChat there are no buttons: residents answer "是否满意" with just "满意"."""
    await resolved_ticket(desk, reachable=False)  # the visit could not be sent
    await desk.sweep_at(at(days=2))
    thanks = await desk.h.say("resident1", "非常满意！谢谢", private=True)
    assert [m.text for m in thanks] == ["感谢您对工单 #1 的评价（满意）！"]
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.endswith("resident1 评价 满意")
    # Rated: a second bare word answers nothing; in the group it is talk, no reply.
    assert await desk.h.say("resident1", "满意") == []
    again = await desk.h.say("resident1", "满意", private=True)
    assert [m.text for m in again] == [
        "您目前没有待评价的工单。工单办结后，可回复「满意 工单号」「不满意 工单号」进行评价。"
    ]
    # Someone else's visit is not theirs to answer.
    assert await desk.h.say("resident2", "不满意") == []


async def test_a_bare_unsatisfied_reopens_like_a_numbered_one(desk: Desk) -> None:
    await resolved_ticket(desk)
    await asked(desk)
    unhappy = await desk.h.say("resident1", "不太满意", private=True)
    replies = [m.text for m in unhappy if m.chat_id == "resident1"]
    assert replies[0].startswith("感谢反馈，很抱歉问题没有解决好。工单 #1 已重新打开")
    assert (await desk.h.say("staff1", "查询 1"))[0].text.startswith("工单 #1｜已重开")


async def test_a_bare_rating_with_two_visits_waiting_asks_which(desk: Desk) -> None:
    """Each listed with the first words of its report and the day it was resolved: "#2、#1"
    alone left the resident guessing which was which."""
    await resolved_ticket(desk)
    desk.clock.now = START + at(days=2)
    await another_resolved(desk, 2)
    which = await desk.h.say("resident1", "满意", private=True)
    assert [m.text for m in which] == [
        "您有几件工单在等待评价：\n"
        "#2「小区门口的路灯坏了好几天…」12月1日办结\n"
        f"#1「{NORMAL}」11月29日办结\n"
        "请写上工单号，例如「满意 2」。"
    ]
    assert "评价（满意）" in (await desk.h.say("resident1", "满意 2"))[0].text
    # Now one waits: the bare word answers it.
    assert "工单 #1 的评价（基本满意）" in (await desk.h.say("resident1", "基本满意"))[0].text


async def test_a_rating_with_a_comment_answers_the_visit_waiting(desk: Desk) -> None:
    """"不满意，钱还没到手" right after the resolution notice: the answer, with its comment
    (it used to be told to report in the group, in a private chat, and lost)."""
    await resolved_ticket(desk)
    unhappy = await desk.h.say("resident1", "不满意，晚上还是在施工", private=True)
    [answer] = [m for m in unhappy if m.chat_id == "resident1"]
    assert answer.text.startswith("感谢反馈，很抱歉问题没有解决好。工单 #1 已重新打开")
    staff = [m.text for m in unhappy if m.chat_id == "staff"]
    assert len(staff) == 1 and "晚上还是在施工" in staff[0]
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "评价 不满意" in history and "晚上还是在施工" in history
    assert await rows(desk.h.bot.store, "SELECT id FROM tickets") == [(1,)]


async def test_a_still_in_words_answers_the_visit_waiting(desk: Desk) -> None:
    """"还是很吵" written to the bot after the visit, instead of 不满意: it was filed as a new
    ticket about nothing (其他), and the visit's ticket stayed resolved.  It joins that ticket,
    its holder is told, and the resident how to say they are not satisfied."""
    await resolved_ticket(desk)
    await asked(desk)
    still = await desk.h.say("resident1", "还是很吵", private=True)
    [answer] = [m.text for m in still if m.chat_id == "resident1"]
    assert answer == (  # what to type: no "press 不满意 under the question" (WeChat has none)
        "您反映的问题（工单 #1）已办结，这条消息已补充到该工单，经办人员会看到。"
        "如对处理结果不满意，请发送「不满意 1 原因」，工单会重新打开。"
    )
    assert [m.text for m in still if m.chat_id == "worker1"] == [
        "您负责的工单 #1 的反映人再次反映：还是很吵"
    ]
    assert await rows(desk.h.bot.store, "SELECT id FROM tickets") == [(1,)]
    # A danger is filed, whatever waits.
    await desk.h.say("resident1", "楼上又打起来了，还在打人", private=True)
    assert await rows(desk.h.bot.store, "SELECT id FROM tickets ORDER BY id") == [(1,), (2,)]


async def test_another_matter_said_again_is_no_answer_to_the_visit(desk: Desk) -> None:
    """"又有人在门口乱堆杂物" written privately while the broken light's visit waits: another
    matter, of another type, that shares no words with the ticket; added to the resolved
    case, it was never filed.  It is a ticket of its own, and the visit still waits."""
    from tests.conftest import KeywordClassifier

    class Clutter(KeywordClassifier):
        def classify(self, text: str) -> Classification:
            if "杂物" in text:
                return Classification("public_order", 0.9, "normal", 0.8)
            return super().classify(text)

    desk.bot.pipeline.classifier = Clutter()
    await resolved_ticket(desk)
    await asked(desk)
    filed = await desk.h.say("resident1", "又有人在门口乱堆杂物", private=True)
    assert filed[0].text.startswith("已受理，工单号 #2。"), filed[0].text
    assert await rows(desk.h.bot.store, "SELECT id FROM tickets ORDER BY id") == [(1,), (2,)]
    assert await rows(desk.h.bot.store, "SELECT state FROM followups") == [("asked",)]


async def test_a_still_with_two_visits_waiting_is_left_to_the_classifier(desk: Desk) -> None:
    await resolved_ticket(desk)
    await another_resolved(desk, 2)
    filed = await desk.h.say("resident1", "还是很吵", private=True)
    assert filed[0].text.startswith("已受理，工单号 #3。")


async def test_a_rating_with_a_comment_and_no_visit_waiting_is_a_report(desk: Desk) -> None:
    """The same shape with nothing to rate starts a report ("不满意，物业…")."""
    replies = await desk.h.say("resident1", "不满意，物业天天乱收费还不修电梯")
    assert replies[0].text.startswith("已受理，工单号 #1。")
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", f"办结 1 {RESOLUTION}")
    # resident2 has no visit waiting, resident1's is not theirs to answer
    other = await desk.h.say("resident2", "满意，谢谢网格员帮我们修好了路灯")
    assert other[0].text.startswith("已受理，工单号 #2。")
    # with several waiting, the sender is asked which (the rating word in the example)
    await another_resolved(desk, 3)
    which = await desk.h.say("resident1", "基本满意 就是慢了点", private=True)
    assert [m.text for m in which] == [
        "您有几件工单在等待评价：\n#3「小区门口的路灯坏了好几天…」11月29日办结\n"
        "#1「不满意，物业天天乱收费还…」11月29日办结\n请写上工单号，例如「基本满意 3」。"
    ]


async def test_which_visit_in_a_group_does_not_read_out_a_private_report(desk: Desk) -> None:
    """A bare 满意 in the group with two visits waiting: the list there shows a report made
    one to one as （私下反映）, not its words, as every list in a residents' group does."""
    await resolved_ticket(desk)
    await desk.h.say("resident1", "隔壁天天晚上聚众打麻将赌钱", private=True)
    await desk.h.say("worker1", "认领 2")
    await desk.h.say("worker1", "办结 2 已上门劝阻")
    [which] = await desk.h.say("resident1", "满意")
    assert which.chat_id == "group"
    assert which.text == (
        "您有几件工单在等待评价：\n#2「（私下反映）」11月29日办结\n"
        f"#1「{NORMAL}」11月29日办结\n请写上工单号，例如「满意 2」。"
    )


async def test_a_danger_after_a_rating_word_is_filed_not_taken_as_the_answer(
    desk: Desk,
) -> None:
    await resolved_ticket(desk)
    replies = await desk.h.say("resident1", "不满意！他们又来打人了")
    assert replies[0].text.startswith("【紧急】已受理，工单号 #2")
    assert (await desk.h.say("staff1", "查询 1"))[0].text.startswith("工单 #1｜已办结")


async def resolved_on(desk: Desk, moment: datetime) -> None:
    """#1 by resident1 (reachable privately), resolved by worker1 at `moment`."""
    desk.clock.now = moment
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("resident1", "我的", private=True)
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", f"办结 1 {RESOLUTION}")


@pytest.mark.parametrize(
    ("resolved", "asked_at"),
    [
        # A day after the eve of National Day 2025 is in the break (1-8 October): the
        # question waits for 15:00 on the 9th, the first day after it.
        (local(2025, 9, 30, 15), local(2025, 10, 9, 15)),
        # A day after 15 February 2026 is 除夕 evening: asked after the Spring Festival
        # break (15-23 February).
        (local(2026, 2, 15, 19), local(2026, 2, 24, 19)),
        # A plain weekend is no holiday: Friday's resolution is asked about on Saturday.
        (local(2025, 11, 14, 15), local(2025, 11, 15, 15)),
        # Not at night: Monday 22:30's a day later would be past the visiting hours
        # (09:00-20:00), so it is asked at their start on Wednesday.
        (local(2025, 11, 17, 22, 30), local(2025, 11, 19, 9)),
        # Both: past National Day at 22:00 on the 9th, then at 09:00 on the 10th.
        (local(2025, 9, 30, 22), local(2025, 10, 10, 9)),
    ],
)
async def test_a_visit_waits_out_an_official_holiday(
    desk: Desk, resolved: datetime, asked_at: datetime
) -> None:
    await resolved_on(desk, resolved)
    moments = await desk.bot.supervisor.due_moments(resolved, resolved + at(days=20))
    assert asked_at in moments
    assert await desk.sweep_on(asked_at - at(minutes=1)) == (SweepReport(), [])
    report, sent = await desk.sweep_on(asked_at)
    assert report.asked == 1 and sent[0].kind == "followup"


async def test_a_bot_back_during_a_holiday_waits_it_out_too(desk: Desk) -> None:
    """Due on Saturday 14 February 2026 at 10:00 (a make-up working day before 春节), with
    the bot down from the Saturday morning to 除夕 afternoon: the visit is not asked on 除夕
    (it used to be, by the first sweep back), but at 10:00 on the 24th, the first day after
    the break, as one due in the break would be; not at midnight either."""
    await resolved_on(desk, local(2026, 2, 13, 10))
    assert await desk.sweep_on(local(2026, 2, 16, 15)) == (SweepReport(), [])
    assert await desk.sweep_on(local(2026, 2, 24, 0, 1)) == (SweepReport(), [])
    assert await desk.sweep_on(local(2026, 2, 24, 9, 59)) == (SweepReport(), [])
    report, sent = await desk.sweep_on(local(2026, 2, 24, 10))
    assert report.asked == 1 and [m.kind for m in sent] == ["followup"]


async def test_a_visit_found_on_a_holiday_is_moved_past_it_once(desk: Desk) -> None:
    """Found due on 除夕 by a bot back from being down, the visit's stored time moves to
    10:00 on the 24th, once: the later sweeps of the holiday do not read it again (each
    reads a batch of due visits, and the held ones used to fill it ahead of those due
    since)."""
    await resolved_on(desk, local(2026, 2, 13, 10))
    assert await desk.sweep_on(local(2026, 2, 16, 15)) == (SweepReport(), [])
    moved = "SELECT due_at, state FROM followups"
    assert await rows(desk.bot.store, moved) == [(iso(local(2026, 2, 24, 10)), "pending")]
    async with desk.bot.store.read() as tx:
        assert await tx.due_followups(iso(local(2026, 2, 23, 23)), BATCH) == []
    assert await desk.sweep_on(local(2026, 2, 20, 12)) == (SweepReport(), [])
    assert await rows(desk.bot.store, moved) == [(iso(local(2026, 2, 24, 10)), "pending")]


async def test_a_bot_back_at_night_asks_in_the_morning(desk: Desk) -> None:
    """Due on Monday at 10:00 (resolved on Sunday), with the bot down until 02:00 on
    Tuesday: the first sweep back does not ask it in the night, but moves it to 09:00."""
    await resolved_ticket(desk)  # resolved at 10:00 on Sunday 29 November 2026
    assert await desk.sweep_on(local(2026, 12, 1, 2)) == (SweepReport(), [])
    moved = "SELECT due_at FROM followups"
    assert await rows(desk.bot.store, moved) == [(iso(local(2026, 12, 1, 9)),)]
    assert await desk.sweep_on(local(2026, 12, 1, 8, 59)) == (SweepReport(), [])
    report, sent = await desk.sweep_on(local(2026, 12, 1, 9))
    assert report.asked == 1 and [m.kind for m in sent] == ["followup"]


async def test_visiting_hours_can_be_any_hour(db_path: Path, new_store: StoreFactory) -> None:
    config = make_config(db_path)
    config.followup.hours = ""
    async for desk in started(config, new_store):
        await resolved_on(desk, local(2025, 11, 17, 22, 30))
        report, sent = await desk.sweep_on(local(2025, 11, 18, 22, 30))
        assert report.asked == 1 and [m.kind for m in sent] == ["followup"]


@pytest.mark.parametrize(
    ("hours", "read"),
    [("9:00-20:00", "09:00-20:00"), ("", ""), ("08:30-21:30", "08:30-21:30")],
)
def test_visiting_hours_are_read(tmp_path: Path, hours: str, read: str) -> None:
    path = tmp_path / "hours.toml"
    path.write_text(f'[followup]\nhours = "{hours}"\n', encoding="utf-8")
    assert load_config(path).followup.hours == read


@pytest.mark.parametrize("hours", ["20:00-09:00", "09:00", "09:00-", "9-20", "09:00-24:00"])
def test_visiting_hours_are_one_span_of_one_day(tmp_path: Path, hours: str) -> None:
    path = tmp_path / "hours.toml"
    path.write_text(f'[followup]\nhours = "{hours}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="followup.hours"):
        load_config(path)


async def test_no_delay_asks_at_once_even_on_a_holiday(
    db_path: Path, new_store: StoreFactory
) -> None:
    """"0" asks with the resolution notice, the resident's attention on it, holiday or
    not: only a question that would come out of the blue waits for the holiday's end."""
    config = make_config(db_path)
    config.followup.delay = "0"
    async for desk in started(config, new_store):
        await resolved_on(desk, local(2025, 10, 3, 11))
        assert "followup" in [m.kind for m in desk.adapter.sent]


async def test_no_delay_asks_with_the_resolution(db_path: Path, new_store: StoreFactory) -> None:
    config = make_config(db_path)
    config.followup.delay = "0"
    async for desk in started(config, new_store):
        await desk.h.say("resident1", NORMAL)
        await desk.h.say("resident1", "我的", private=True)
        await desk.h.say("worker1", "认领 1")
        done = await desk.h.say("worker1", f"办结 1 {RESOLUTION}")
        kinds = [m.kind for m in done]
        assert kinds.index("resolved") < kinds.index("followup")
        assert await desk.sweep_at(at(days=1)) == (SweepReport(), [])


async def test_follow_ups_can_be_turned_off(db_path: Path, new_store: StoreFactory) -> None:
    config = make_config(db_path)
    config.followup.enabled = False
    async for desk in started(config, new_store):
        await resolved_ticket(desk)
        assert await desk.sweep_at(at(days=30)) == (SweepReport(), [])
        assert (await desk.h.say("resident1", "满意 1"))[0].text == "工单 #1 目前没有待评价的回访。"
        assert await rows(desk.bot.store, "SELECT count(*) FROM followups") == [(0,)]


async def test_english_question_and_answer(desk: Desk) -> None:
    await desk.h.say("resident1", "/lang en", private=True)
    await resolved_ticket(desk)
    question = await asked(desk)
    assert question.text.startswith("Hello! Your report (ticket #1) has been resolved:")
    assert [b.label for b in question.buttons] == ["Satisfied", "Fair", "Unsatisfied"]
    thanks = await desk.h.press("resident1", question, 0)
    assert thanks[0].text == "Thank you for rating ticket #1 (satisfied)!"


async def test_english_rating_without_a_number_answers_the_visit_waiting(desk: Desk) -> None:
    """"/rate unsatisfied still flooded", as "不满意，还是淹" is: it used to be told
    'unsatisfied' is not a ticket number."""
    await desk.h.say("resident1", "/lang en", private=True)
    await resolved_ticket(desk)
    await asked(desk)
    unhappy = await desk.h.say("resident1", "/rate unsatisfied still noisy at night", private=True)
    [answer] = [m.text for m in unhappy if m.chat_id == "resident1"]
    assert answer.startswith("Thank you, and we are sorry it was not solved. Ticket #1 has been")
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "评价 不满意" in history and "still noisy at night" in history


async def test_two_processes_ask_once_and_accept_one_answer(
    db_path: Path, new_store: StoreFactory
) -> None:
    clock = Clock()
    async with two_processes(make_config(db_path), new_store, clock) as (one, two, adapters):
        first = Desk(one, adapters[0], clock)
        await resolved_ticket(first)
        clock.now = START + at(days=2)
        reports = await asyncio.gather(*(b.supervisor.sweep() for b in [one, two] * 3))
        assert sum(r.asked for r in reports) == 1
        for bot in (one, two):
            await bot.dispatcher.flush()
        assert len([m for a in adapters for m in a.sent if m.kind == "followup"]) == 1
        # Two presses at once, one in each process: one rating.  (Delivered by one
        # dispatcher afterwards: two flushing one outbox at once may both send a row.)
        room = Room("test", "resident1", is_private=True)
        resident = Person("test", "resident1")
        presses = [
            Inbound(resident, room, f"press-{n}", "/rate 1 satisfied", is_button=True)
            for n in range(2)
        ]
        await asyncio.gather(one.pipeline.handle(presses[0]), two.pipeline.handle(presses[1]))
        before = len(adapters[0].sent)
        await one.dispatcher.flush()
        texts = sorted(m.text for m in adapters[0].sent[before:])
        assert len(texts) == 2 and texts[0].startswith("您已评价过工单 #1")
        assert texts[1] == "感谢您对工单 #1 的评价（满意）！"
        rated = "SELECT count(*) FROM ticket_events WHERE action = 'rate'"
        assert await rows(one.store, rated) == [(1,)]


async def test_a_long_resolution_is_quoted_to_its_reporter_in_part(desk: Desk) -> None:
    """A resolution of a page and more: the notice and the follow-up question quote its
    first 500 characters and say how to read it all (on WeChat each went as three
    customer-service messages).  The ticket keeps it whole, and 查询 shows it whole."""
    outcome = "经网格员多次上门协调，物业同意清理楼道、疏通消防通道。" * 30  # 810 characters
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("resident1", "我的", private=True)
    await desk.h.say("worker1", "认领 1")
    desk.clock.now = START + at(hours=1)
    sent = await desk.h.say("worker1", f"办结 1 {outcome}")
    quoted = f"{outcome[:500]}…（全文请发送「查询 1」）"
    [notice] = [m.text for m in sent if m.text.startswith("您反映的问题")]
    assert notice == f"您反映的问题（工单 #1）已办结：{quoted}\n如仍未解决，可发送「重开 1」。"
    question = await asked(desk)
    assert question.text.startswith(f"您好！您反映的问题（工单 #1）已办结：{quoted}\n请问")
    [status] = await desk.h.say("resident1", "查询 1", private=True)
    assert status.text.endswith(f"办理结果：{outcome}")
