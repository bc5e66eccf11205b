"""What a reader who chose English (`/lang en`) gets, and what a Chinese reader gets when
someone else chose English: each message in its reader's language, never the sender's.

The group's acknowledgement answers its reporter, so it and its edits are in the
reporter's language (theirs, else the config's), whoever's command edits it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot import i18n
from bot.adapters.harness import Harness
from bot.screening import day_label
from tests.conftest import T0, Clock, StoreFactory, harness_with, make_config
from tests.test_followup import RESOLUTION, another_resolved, asked, resolved_ticket
from tests.test_supervision import NORMAL, START, Desk, at

LEAK = "楼上漏水好几天了"


async def _english(harness: Harness, *users: str) -> None:
    for user in users:
        await harness.say(user, "/lang en", private=True)


async def test_an_english_workers_claim_leaves_a_chinese_acknowledgement_chinese(
    harness: Harness,
) -> None:
    """worker1's claim edited 张大妈's 已受理 into English: it was rendered in the
    sender's language, the reporter's only when they had chosen one."""
    await _english(harness, "worker1")
    await harness.say("resident1", LEAK)
    edit, reply = await harness.say("worker1", "claim 1")
    assert edit.kind == "edit"
    assert edit.text.endswith("当前：处理中（worker1）")
    assert reply.text == "Ticket #1 claimed by worker1."


async def test_a_chinese_workers_resolution_reaches_an_english_reporter_in_english(
    harness: Harness,
) -> None:
    await _english(harness, "resident1")
    await harness.say("resident1", LEAK)
    await harness.say("worker1", "认领 1")
    edit, notice = await harness.say("worker1", "办结 1 已上门调解")
    assert edit.text.endswith("Now: resolved (worker1)")
    assert notice.text == (
        "Your report (ticket #1) has been resolved: 已上门调解\n"
        "If it is not solved, send /reopen 1."
    )


async def test_an_english_workers_resolution_reaches_a_chinese_reporter_in_chinese(
    harness: Harness,
) -> None:
    await _english(harness, "worker1")
    await harness.say("resident1", LEAK)
    await harness.say("worker1", "claim 1")
    edit, notice = await harness.say("worker1", "resolve 1 Visited, settled")
    assert edit.text.endswith("当前：已办结（worker1）")
    assert notice.text.startswith("您反映的问题（工单 #1）已办结")


async def test_a_notice_to_a_worker_is_in_their_language_not_the_senders(
    harness: Harness,
) -> None:
    """Staff reading English assigning a ticket, a resident reading English saying it is
    settled: the worker, who chose nothing, is told in the config's Chinese."""
    await _english(harness, "staff1", "resident1")
    await harness.say("resident1", LEAK)
    *_, notice = await harness.say("staff1", "/assign 1 worker1", chat="staff")
    assert notice.chat_id == "worker1"
    assert notice.text == f"staff1 将工单 #1 指派给您：{LEAK}"
    _, notice = await harness.say("resident1", "不用了，我们自己协商好了")
    assert notice.chat_id == "worker1"
    assert notice.text.startswith("工单 #1 的反映人说：不用了，我们自己协商好了\n")


async def test_a_withdrawal_tells_an_english_holder_in_english_quotes(
    harness: Harness,
) -> None:
    """The reporter's words were quoted in the config's marks, ：「…」, inside the holder's
    English sentence."""
    await _english(harness, "worker1")
    await harness.say("resident1", LEAK)
    await harness.say("worker1", "claim 1")
    *_, notice = await harness.say("resident1", "撤回 1 自己修好了")
    assert notice.chat_id == "worker1"
    assert notice.text == (
        'The reporter withdrew ticket #1: "自己修好了". It is resolved, nothing more to do.'
    )


async def test_a_handover_lists_tickets_as_the_reader_writes_a_list(harness: Harness) -> None:
    """Staff reading Chinese handing two tickets to a worker reading English: the list
    came in the staff's 、."""
    await _english(harness, "worker2")
    await harness.say("resident1", LEAK)
    await harness.say("resident1", "隔壁狗天天叫")
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "认领 2")
    sent = await harness.say("staff1", "/handover worker1 worker2", chat="staff")
    [notice] = [m for m in sent if m.chat_id == "worker2"]
    assert "#1, #2" in notice.text
    assert "、" not in notice.text


async def test_a_rating_asks_which_with_days_an_english_reader_can_read(desk: Desk) -> None:
    """An English "resolved 12/1" read as 1 December or 12 January, by the reader's habit."""
    await desk.h.say("resident1", "/lang en", private=True)
    await resolved_ticket(desk)
    desk.clock.now = START + at(days=2)
    await another_resolved(desk, 2)
    which = await desk.h.say("resident1", "satisfied", private=True)
    assert [m.text for m in which] == [
        "Several of your tickets are waiting for a rating:\n"
        "#2 '小区门口的路灯坏了好几天…' resolved 1 Dec\n"
        f"#1 '{NORMAL}' resolved 29 Nov\n"
        "Say which, e.g. /rate 2 satisfied."
    ]


def test_a_screening_day_names_its_month() -> None:
    assert day_label(date(2026, 12, 3), "en") == "Thursday 3 Dec"
    assert day_label(date(2026, 12, 3), "zh") == "12月3日（星期四）"


async def test_another_matter_in_english_is_its_own_ticket(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Told to start another matter with "另外，" (another matter), an English reader wrote
    "Another matter: …", and it was added to the report before."""
    clock = Clock(T0, T0)
    config = make_config(db_path)
    config.intake.follow_on_minutes = 10
    async with harness_with(config, new_store(), clock=clock) as h:
        await h.say("resident1", "/lang en", private=True)
        await h.say("resident1", "My upstairs neighbour leaks water into my kitchen")
        clock.at(minutes=2)
        [more] = await h.say("resident1", "The ceiling is stained now")
        assert more.text == (
            "Added to ticket #1, which you just reported. If it is another matter, send it "
            'again starting with "Another matter:".'
        )
        clock.at(minutes=3)
        sent = await h.say("resident1", "Another matter: the streetlight is broken")
        assert next(m for m in sent if m.kind == "ack").ticket_id == 2


async def test_the_figures_line_shows_the_english_way_to_correct_them(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The staff room of a centre in English read "/involved 1 30人 5万元"."""
    async with harness_with(make_config(db_path, "en"), new_store()) as h:
        sent = await h.say("resident1", "工地欠我们30个农民工工资5万元")
        [notice] = [m for m in sent if m.chat_id == "staff"]
        assert notice.text.splitlines()[-1] == (
            "Involves (as the report says): 30 people, ¥50,000; to correct, send "
            "/involved 1 30 people ¥50,000"
        )
        await h.say("staff1", "/involved 1 30 people ¥50,000", chat="staff")
        [status] = await h.say("staff1", "/status 1", chat="staff")
        assert "Involves: 30 people, ¥50,000" in status.text


async def test_the_history_sets_peoples_words_apart(departments: Harness) -> None:
    """ "noted called the neighbour", "handed to → 派出所": the words ran into the verb, and
    the arrow repeated the "to"."""
    h = departments
    await _english(h, "staff1")
    await h.say("resident1", LEAK)
    await h.say("worker1", "认领 1")
    await h.say("worker1", "备注 1 已联系楼上住户")
    await h.say("staff1", "/assign 1 派出所 please check", chat="staff")
    await h.say("staff1", "/assign 1 worker2", chat="staff")
    await h.say("resident1", "楼上的水管还在漏")
    await h.say("staff1", "/merge 2 1", chat="staff")
    [history] = await h.say("staff1", "/ticket 1", private=True)
    lines = [line.split(" ", 2)[2] for line in history.text.splitlines() if line[:2] == "20"]
    assert lines == [
        f'resident1 filed "{LEAK}"',
        "worker1 claimed",
        'worker1 noted "已联系楼上住户"',
        'staff1 transferred → 派出所 "please check"',
        "staff1 assigned → worker2",
        "staff1 merged in #2",
    ]
    [refused] = await h.say("staff1", "/merge 2 1", private=True)
    assert refused.text == "Ticket #2 is merged; it cannot be merged now."


async def test_the_follow_up_visit_in_english_and_its_answer_with_a_number(
    desk: Desk,
) -> None:
    """The question in the reporter's English; "unsatisfied 2 nobody came", as the
    Chinese "不满意 2 没人来" is written, kept "2 nobody came" as the comment and rated
    whichever visit it guessed."""
    await desk.h.say("resident1", "/lang en", private=True)
    await resolved_ticket(desk)
    question = await asked(desk)
    assert question.text == (
        f"Hello! Your report (ticket #1) has been resolved: {RESOLUTION}\n"
        "Are you satisfied with the outcome? Reply /rate 1 satisfied, /rate 1 fair or "
        "/rate 1 unsatisfied (a comment may follow)."
    )
    sent = await desk.h.say("resident1", "unsatisfied 1 nobody came", private=True)
    [staff] = [m for m in sent if m.chat_id == "staff"]
    assert staff.text.startswith("【回访不满意】工单 #1｜东镇｜反映人：resident1：「nobody came」")


def test_an_english_count_of_one_is_singular() -> None:
    assert i18n.t("briefing_major", "en", count=1) == (
        "1 major case open: send /major for the list."
    )
    assert i18n.t("briefing_major", "en", count=2) == (
        "2 major cases open: send /major for the list."
    )
    assert i18n.t("briefing_major", "zh", count=1) == "重大疑难在办 1 件，发送「重大疑难」查看。"


async def test_a_ledger_of_one_ticket_says_one_ticket(harness: Harness) -> None:
    """ "Ledger: all areas, …, 1 tickets." """
    await _english(harness, "staff1")
    await harness.say("resident1", LEAK)
    sent = await harness.say("staff1", "/export", private=True)
    [caption] = [m.text for m in sent if m.kind == "document"]
    assert caption.startswith("Ledger: all areas, received ")
    assert caption.endswith(", 1 ticket. Phone and ID numbers are masked.")


async def test_every_roles_help_says_how_to_switch_back(departments: Harness) -> None:
    """Only a resident's help had /lang: a worker who chose English found no way back."""
    for user in ("resident1", "worker1", "police1", "staff1", "admin1"):
        await _english(departments, user)
        [help_] = await departments.say(user, "help", private=True)
        assert help_.text.splitlines()[-1] == "/lang zh — 中文", user
        assert help_.text.count("/lang") == 1, user
    [help_] = await departments.say("worker2", "帮助", private=True)
    assert help_.text.splitlines()[-1] == "/lang en — English"
