"""A follow-up visit (回访) answered in everyday words, one to one, while exactly one visit
waits: "还行吧，就是来得有点慢" was filed as a new report (其他), sent to the grid, and the
visit stayed unanswered.  Now it is the rating (基本满意) with the rest as its comment, the
reply says how it was read and how to correct it; anywhere else it is what it was."""

from __future__ import annotations

import pytest

from bot.adapters.base import Outbound
from bot.visit_words import everyday_rating
from bot.workflow import Rating
from tests.conftest import rows
from tests.test_followup import another_resolved, asked, closing, resolved_ticket
from tests.test_supervision import Desk, at

SATISFIED, FAIR, UNSATISFIED = Rating.SATISFIED, Rating.FAIR, Rating.UNSATISFIED


async def resolved_and_asked(desk: Desk) -> Outbound:
    """#1 by resident1, resolved, and its visit asked; the question."""
    await resolved_ticket(desk)
    return await asked(desk)


@pytest.mark.parametrize(
    ("text", "rating", "comment"),
    [
        ("挺好的", SATISFIED, ""),
        ("很好，谢谢你们", SATISFIED, "谢谢你们"),
        ("不错", SATISFIED, ""),  # starts with 不, and is no negation
        ("挺不错的谢谢", SATISFIED, "谢谢"),
        ("可以的", SATISFIED, ""),
        ("已经解决了，辛苦了", SATISFIED, "辛苦了"),
        ("已解决", SATISFIED, ""),
        ("修好了", SATISFIED, ""),
        ("处理好了", SATISFIED, ""),
        ("好了", SATISFIED, ""),
        ("没问题了", SATISFIED, ""),
        ("谢谢网格员帮我解决了", SATISFIED, ""),
        ("还行吧，就是来得有点慢", FAIR, "就是来得有点慢"),
        ("还可以", FAIR, ""),
        ("一般", FAIR, ""),
        ("凑合吧", FAIR, ""),
        ("马马虎虎", FAIR, ""),
        ("还凑合", FAIR, ""),
        ("基本解决了 还有点渗水", FAIR, "还有点渗水"),
        ("差不多吧", FAIR, ""),
        ("不行", UNSATISFIED, ""),
        ("不好", UNSATISFIED, ""),
        ("不太好", UNSATISFIED, ""),
        ("不是很满意，来得太晚", UNSATISFIED, "来得太晚"),
        ("没解决", UNSATISFIED, ""),
        ("没有解决", UNSATISFIED, ""),
        ("还没修好，还在漏", UNSATISFIED, "还在漏"),
        ("还没人来", UNSATISFIED, ""),
        ("没人来", UNSATISFIED, ""),
        ("不怎么样", UNSATISFIED, ""),
        ("很差", UNSATISFIED, ""),
        ("太慢了", UNSATISFIED, ""),
        ("good, thanks", SATISFIED, "thanks"),
        ("not good", UNSATISFIED, ""),
    ],
)
def test_everyday_words_read_as_a_rating(text: str, rating: Rating, comment: str) -> None:
    assert everyday_rating(text) == (rating, comment)


@pytest.mark.parametrize(
    "text",
    [
        "谢谢",
        "好的",
        "收到",
        "谢谢你们",
        "ok",  # politeness, no rating
        "好了吗",
        "解决了吗",
        "一般什么时候来",
        "可以帮我查一下吗",  # questions
        "还是很吵",
        "又漏了",  # "still": added to the ticket (`_visit_answered_in_words`)
        "不好意思，我想问一下",
        "谢谢，但是还没解决",
        "楼上漏水三天了",
        "还行吧，就是来得有点慢，而且楼上那家的空调外机一直在往我家阳台滴水",  # too long
    ],
)
def test_other_words_are_no_rating(text: str) -> None:
    assert everyday_rating(text) is None


async def test_fair_in_words_is_the_rating_with_its_comment(desk: Desk) -> None:
    """The reported case: no new ticket, no worker told, the visit answered 基本满意."""
    await resolved_ticket(desk)
    await asked(desk)
    replies = await desk.h.say("resident1", "还行吧，就是来得有点慢", private=True)
    assert [(m.chat_id, m.text) for m in replies] == [
        (
            "resident1",
            "已记录您对工单 #1 的评价：基本满意（意见：就是来得有点慢）。"
            "如不是这个意思，请回复「满意 1」「基本满意 1」「不满意 1」更正（可更正一次）。",
        )
    ]
    assert await rows(desk.h.bot.store, "SELECT id FROM tickets") == [(1,)]
    assert await rows(desk.h.bot.store, "SELECT state, rating FROM followups") == [
        ("rated", "fair")
    ]
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.endswith("resident1 评价 基本满意（据回复「还行吧，就是来得有点慢」判断）")


async def test_a_rating_read_from_words_is_corrected_once(desk: Desk) -> None:
    question = await resolved_and_asked(desk)
    await desk.h.say("resident1", "挺好的", private=True)
    corrected = await desk.h.press("resident1", question, 1)  # 基本满意
    assert [m.text for m in corrected] == ["已将您对工单 #1 的评价更正为：基本满意。谢谢！"]
    assert await rows(desk.h.bot.store, "SELECT rating FROM followups") == [("fair",)]
    again = await desk.h.say("resident1", "满意 1", private=True)
    assert again[0].text.startswith("您已评价过工单 #1（基本满意）")


async def test_a_correction_to_unsatisfied_reopens(desk: Desk) -> None:
    await resolved_and_asked(desk)
    await desk.h.say("resident1", "可以", private=True)
    unhappy = await desk.h.say("resident1", "不满意 1 其实晚上还是吵", private=True)
    [answer] = [m.text for m in unhappy if m.chat_id == "resident1"]
    assert answer.startswith("感谢反馈，很抱歉问题没有解决好。工单 #1 已重新打开")
    staff = [m.text for m in unhappy if m.chat_id == "staff"]
    assert len(staff) == 1 and "其实晚上还是吵" in staff[0]
    assert (await desk.h.say("staff1", "查询 1"))[0].text.startswith("工单 #1｜已重开")


async def test_unsatisfied_in_words_reopens_and_stands(desk: Desk) -> None:
    """Rated through the same path as 「不满意 1 …」: reopened, staff and the holder told."""
    await resolved_and_asked(desk)
    unhappy = await desk.h.say("resident1", "没解决，晚上还在漏水", private=True)
    [answer] = [m.text for m in unhappy if m.chat_id == "resident1"]
    assert answer.startswith(
        "已记录您对工单 #1 的评价：不满意（意见：晚上还在漏水）。\n"
        "感谢反馈，很抱歉问题没有解决好。工单 #1 已重新打开"
    )
    assert answer.endswith("\n不满意的评价会转工作人员再次处理，不能更正。")
    staff = [m.text for m in unhappy if m.chat_id == "staff"]
    assert len(staff) == 1 and "晚上还在漏水" in staff[0]
    assert any(m.chat_id == "worker1" for m in unhappy)
    assert (await desk.h.say("staff1", "查询 1"))[0].text.startswith("工单 #1｜已重开")
    assert await rows(desk.h.bot.store, "SELECT id FROM tickets") == [(1,)]
    # It stands: a later 满意 is the second answer it is.
    later = await desk.h.say("resident1", "满意 1", private=True)
    assert later[0].text.startswith("您已评价过工单 #1（不满意）")


async def test_a_negation_is_not_read_as_what_it_negates(desk: Desk) -> None:
    await resolved_and_asked(desk)
    replies = await desk.h.say("resident1", "不太好", private=True)
    [answer] = [m.text for m in replies if m.chat_id == "resident1"]
    assert answer.startswith("已记录您对工单 #1 的评价：不满意。\n")
    assert await rows(desk.h.bot.store, "SELECT rating FROM followups") == [("unsatisfied",)]


async def test_a_danger_is_filed_not_taken_as_the_rating(desk: Desk) -> None:
    await resolved_and_asked(desk)
    replies = await desk.h.say("resident1", "不行，他们又来打人了", private=True)
    assert replies[0].text.startswith("【紧急】已受理，工单号 #2")
    assert await rows(desk.h.bot.store, "SELECT state FROM followups") == [("asked",)]


async def test_two_visits_waiting_ask_which_the_words_answer(desk: Desk) -> None:
    # It had no reply (or was filed as a report), and both visits stayed unanswered.
    await resolved_ticket(desk)
    await another_resolved(desk, 2)
    replies = await desk.h.say("resident1", "还行吧，就是来得有点慢", private=True)
    [answer] = [m.text for m in replies if m.chat_id == "resident1"]
    assert answer.startswith("您有几件工单在等待评价：\n#2")
    assert answer.endswith("请写上工单号，例如「基本满意 2」。")
    assert await rows(desk.h.bot.store, "SELECT rating FROM followups") == [(None,), (None,)]
    assert await rows(desk.h.bot.store, "SELECT COUNT(*) FROM tickets") == [(2,)]


async def test_in_a_group_words_are_no_rating(desk: Desk) -> None:
    await resolved_and_asked(desk)
    replies = await desk.h.say("resident1", "还行吧，就是来得有点慢")
    assert not any("评价" in m.text for m in replies)
    assert await rows(desk.h.bot.store, "SELECT state FROM followups") == [("asked",)]


async def test_no_visit_waiting_leaves_words_as_they_were(desk: Desk) -> None:
    replies = await desk.h.say("resident1", "挺好的", private=True)
    assert not any("评价" in m.text for m in replies)


async def test_thanks_alone_is_no_rating(desk: Desk) -> None:
    await resolved_and_asked(desk)
    replies = await desk.h.say("resident1", "谢谢", private=True)
    assert not any("评价" in m.text for m in replies)
    assert await rows(desk.h.bot.store, "SELECT state FROM followups") == [("asked",)]


async def test_still_in_words_is_still_added_to_the_ticket(desk: Desk) -> None:
    await resolved_and_asked(desk)
    still = await desk.h.say("resident1", "还是很吵", private=True)
    [answer] = [m.text for m in still if m.chat_id == "resident1"]
    assert answer.startswith("您反映的问题（工单 #1）已办结，这条消息已补充到该工单")
    assert await rows(desk.h.bot.store, "SELECT state FROM followups") == [("asked",)]


async def test_english_reply_says_how_it_was_read(desk: Desk) -> None:
    await desk.h.say("resident1", "/lang en", private=True)
    await resolved_and_asked(desk)
    replies = await desk.h.say("resident1", "还行吧，就是来得有点慢", private=True)
    assert [m.text for m in replies] == [
        "Recorded your rating of ticket #1: fair (comment: 就是来得有点慢). If that is not "
        "what you meant, send /rate 1 satisfied, fair or unsatisfied to correct it (once)."
    ]
    good = await desk.h.say("resident1", "/rate 1 satisfied", private=True)
    assert [m.text for m in good] == ["Your rating of ticket #1 is now: satisfied. Thank you!"]


async def test_a_visit_not_yet_sent_is_answered_in_words_and_not_asked_after(
    desk: Desk,
) -> None:
    """The reporter had never written one to one, so the question could not go; their first
    private message answers it in words, and the question does not follow the reply."""
    await resolved_ticket(desk, reachable=False)
    await desk.sweep_at(at(days=2))
    replies = await desk.h.say("resident1", "挺好的，谢谢王师傅", private=True)
    assert [m.text for m in replies] == [
        "已记录您对工单 #1 的评价：满意（意见：谢谢王师傅）。"
        "如不是这个意思，请回复「满意 1」「基本满意 1」「不满意 1」更正（可更正一次）。"
    ]
    assert await rows(desk.h.bot.store, "SELECT state, rating FROM followups") == [
        ("rated", "satisfied")
    ]


async def test_a_bare_correction_corrects_and_is_no_new_report(desk: Desk) -> None:
    """「不满意，其实没修好」 after 「修好了」 was read as 满意: it was filed as a new report
    (#2, sent to the grid), the visit being answered; now it is the correction, once."""
    await resolved_and_asked(desk)
    await desk.h.say("resident1", "修好了", private=True)
    unhappy = await desk.h.say("resident1", "不满意，其实没修好", private=True)
    [answer] = [m.text for m in unhappy if m.chat_id == "resident1"]
    assert answer.startswith("感谢反馈，很抱歉问题没有解决好。工单 #1 已重新打开")
    assert await rows(desk.h.bot.store, "SELECT id, status FROM tickets") == [(1, "reopened")]
    assert await rows(desk.h.bot.store, "SELECT rating, rated_via FROM followups") == [
        ("unsatisfied", "correction")
    ]


async def test_a_correction_after_closing_is_heard_as_unsatisfied_on_a_closed_ticket(
    desk: Desk,
) -> None:
    """Closed (结案) after a 满意 read from 「修好了」: 「不满意，其实没修好」 was filed as
    ticket #2 about nothing.  Now it corrects the rating as before closing; the ticket stays
    closed (closing is staff's decision), staff and the worker are told, as for any 不满意 on
    a closed ticket, and the correction is spent."""
    await resolved_and_asked(desk)
    await desk.h.say("resident1", "修好了", private=True)
    assert await closing(desk, "结案 1") == "工单 #1 已结案。"
    unhappy = await desk.h.say("resident1", "不满意，其实没修好", private=True)
    texts = {m.chat_id: m.text for m in unhappy}
    assert texts["resident1"] == (
        "感谢反馈，很抱歉问题没有解决好。工单 #1 已转综治中心工作人员研判。"
    )
    assert texts["staff"] == (
        "【回访不满意】工单 #1｜东镇｜反映人：resident1：「其实没修好」\n"
        "办理人：worker1。工单已结案，未自动重开；如需重办请发送「重开 1」。"
    )
    assert "worker1" in texts
    assert await rows(desk.h.bot.store, "SELECT id, status FROM tickets") == [(1, "closed")]
    assert await rows(desk.h.bot.store, "SELECT rating FROM followups") == [("unsatisfied",)]
    again = await desk.h.say("resident1", "满意 1", private=True)
    assert again[0].text.startswith("您已评价过工单 #1（不满意）")
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.endswith(
        "resident1 评价 满意（据回复「修好了」判断）\n"
        "2026-11-30 10:00 staff1 结案\n"
        "2026-11-30 10:00 resident1 评价 不满意（更正） 其实没修好"
    )


async def test_words_again_correct_nothing(desk: Desk) -> None:
    """Only an answer in the question's words corrects: 「挺好的」 after 「修好了」 is no
    second reading of the visit (it rates nothing), and the correction stays to be made."""
    await resolved_and_asked(desk)
    await desk.h.say("resident1", "修好了", private=True)
    again = await desk.h.say("resident1", "挺好的", private=True)
    assert not any("评价" in m.text for m in again)
    assert await rows(desk.h.bot.store, "SELECT rating, rated_via FROM followups") == [
        ("satisfied", "words")
    ]


async def test_the_history_says_a_rating_was_read_from_words_in_english(desk: Desk) -> None:
    await resolved_and_asked(desk)
    await desk.h.say("resident1", "修好了", private=True)
    await desk.h.say("staff1", "/lang en", chat="staff")
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.endswith('resident1 rated satisfied (read from the reply "修好了")')
