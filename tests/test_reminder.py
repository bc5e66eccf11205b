"""临期提醒: the holder of a claimed ticket is reminded privately, once, when
`[supervision] remind_at` of its resolve limit is used up; on SQLite and PostgreSQL, on an
injected clock (tests/conftest.py turns reminders off for the other tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.base import Outbound
from bot.config import ConfigError, Supervision, load_config
from tests.conftest import StoreFactory, make_config
from tests.test_supervision import NORMAL, START, URGENT, Desk, at, local, started


@pytest.fixture
async def reminding(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Desk]:
    config = make_config(db_path).model_copy(update={"supervision": Supervision(remind_at=0.8)})
    async for desk in started(config, new_store):
        yield desk


def reminders(sent: list[Outbound]) -> list[tuple[str, str]]:
    return [(m.chat_id, m.text) for m in sent if m.text.startswith("【临期提醒】")]


async def test_the_holder_is_reminded_once_before_an_hourly_deadline(reminding: Desk) -> None:
    desk = reminding
    await desk.h.say("resident1", URGENT)  # resolve within 4 hours: reminded at 3h12m
    desk.clock.now = START + at(minutes=10)
    await desk.h.say("worker1", "认领 1")
    report, sent = await desk.sweep_at(at(hours=3, minutes=11))
    assert report.reminded == 0 and reminders(sent) == []
    report, sent = await desk.sweep_at(at(hours=3, minutes=12))
    assert report.reminded == 1
    [(chat, text)] = reminders(sent)
    assert chat == "worker1"  # privately, to the holder
    assert text.startswith(
        "【临期提醒】您负责的工单 #1（紧急）将于 2026-11-29 13:00 前到期"
        "（办结时限 4小时），请抓紧办理。\n"
    )
    assert URGENT in text and "「办结 1 办理结果」" in text and "「延期 1 2小时 原因」" in text
    for minutes in (20, 45, 59):  # once
        report, sent = await desk.sweep_at(at(hours=3, minutes=minutes))
        assert report.reminded == 0 and reminders(sent) == []
    history = (await desk.h.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.count("临期提醒") == 1
    # Missed all the same: escalated as before.
    report, _ = await desk.sweep_at(at(hours=4, minutes=1))
    assert report.escalated == 1 and report.reminded == 0


async def test_the_reminder_is_in_the_holders_language(reminding: Desk) -> None:
    await reminding.h.say("worker1", "/lang en", private=True)
    await reminding.h.say("resident1", URGENT)
    await reminding.h.say("worker1", "认领 1")
    _, sent = await reminding.sweep_at(at(hours=3, minutes=12))
    [text] = [m.text for m in sent if m.chat_id == "worker1"]
    assert (
        text.startswith("[Deadline near] Ticket #1 (Urgent") and "due by 2026-11-29 13:00" in text
    )
    assert "/extend 1 2h why" in text


async def test_nobody_holds_it_nobody_is_reminded(reminding: Desk) -> None:
    await reminding.h.say("resident1", URGENT)
    report, sent = await reminding.sweep_at(at(hours=3, minutes=30))
    assert report.reminded == 0 and reminders(sent) == []


async def test_a_resolved_ticket_is_not_reminded(reminding: Desk) -> None:
    await reminding.h.say("resident1", URGENT)
    await reminding.h.say("worker1", "办结 1 已制止")
    report, sent = await reminding.sweep_at(at(hours=3, minutes=30))
    assert report.reminded == 0 and reminders(sent) == []


async def test_working_days_are_reminded_in_the_morning_and_again_after_an_extension(
    reminding: Desk,
) -> None:
    """15 working days from Sunday 29 November: the 12th ends on Tuesday 15 December, so
    the reminder comes at 09:00 on Wednesday 16th, three working days before the deadline
    (late from 00:00 on Monday 21st)."""
    desk = reminding
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("worker1", "认领 1")
    moments = await desk.bot.supervisor.due_moments(START, local(2026, 12, 17))
    assert local(2026, 12, 16, 9) in moments  # the console's /wait stops there too
    report, _ = await desk.sweep_on(local(2026, 12, 16, 8, 59))
    assert report.reminded == 0
    report, sent = await desk.sweep_on(local(2026, 12, 16, 9))
    [(_, text)] = reminders(sent)
    assert "将于 2026-12-21 00:00 前到期（办结时限 15个工作日）" in text
    assert "「延期 1 5个工作日 原因」" in text
    # Staff give it five more working days: a new deadline, reminded of in its turn (the
    # 16th of 20 working days ends on Monday 21st).
    await desk.h.say("staff1", "延期 1 5个工作日 需要鉴定")
    report, _ = await desk.sweep_on(local(2026, 12, 21, 9))
    assert report.reminded == 0
    report, sent = await desk.sweep_on(local(2026, 12, 22, 9))
    [(_, text)] = reminders(sent)
    assert "将于 2026-12-28 00:00 前到期（办结时限 20个工作日）" in text


async def test_a_holder_whose_request_waits_is_not_told_to_ask_again(reminding: Desk) -> None:
    """The holder asked for more time and staff have not answered: the reminder told them to
    send 「延期 1 5个工作日 原因」 all the same, and a second request reached the staff room."""
    desk = reminding
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "延期 1 3个工作日 等鉴定结果", private=True)
    _, sent = await desk.sweep_on(local(2026, 12, 16, 9))
    [(chat, text)] = reminders(sent)
    assert chat == "worker1"
    assert text.endswith(
        "办结请发送「办结 1 办理结果」；您已申请延期 3个工作日，尚待中心批复，无需重复申请。"
    )
    assert "「延期 1 5个工作日 原因」" not in text


def test_remind_at_must_be_a_share_of_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[supervision]\nremind_at = 1.0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="supervision.remind_at"):
        load_config(path)


async def test_a_reminder_names_the_tickets_of_the_same_event(reminding: Desk) -> None:
    """Whoever holds one report of an event reads the others' numbers; a staff member, who
    may merge, the 并案 that would join them (`bot.supervision.same_event_line`)."""
    desk = reminding
    await desk.h.say("resident1", "村口着火了")
    desk.clock.now = START + at(minutes=10)
    await desk.h.say("resident2", "村口那边着火了，烟很大！")  # linked to #1 as one event
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("staff1", "认领 2", chat="staff")
    _, sent = await desk.sweep_at(at(hours=3, minutes=12))
    [(chat, text)] = reminders(sent)
    assert chat == "worker1" and text.endswith("\n（与 #2 疑似同一事件）")
    _, sent = await desk.sweep_at(at(hours=3, minutes=22))
    [(chat, text)] = reminders(sent)
    assert chat == "staff1" and text.endswith("\n（与 #1 疑似同一事件，可发送「并案 2 到 1」合并）")


async def test_a_reminder_and_an_escalation_at_one_sweep_are_one_message(
    reminding: Desk,
) -> None:
    """worker1 holds #1, past its four hours, and #2, at four fifths of them, at one sweep:
    one message, the late one first, each ticket's reminder and escalation on record as
    before (a restart of the sweep sends neither again)."""
    desk = reminding
    await desk.h.say("resident1", URGENT)  # #1: resolve by 13:00
    await desk.h.say("worker1", "认领 1")
    desk.clock.now = START + at(minutes=48)
    await desk.h.say("resident2", "村口着火了")  # #2: reminded at 13:00, due 13:48
    await desk.h.say("worker1", "认领 2")
    report, sent = await desk.sweep_at(at(hours=4, minutes=1))
    assert (report.escalated, report.reminded) == (1, 1)
    [note] = [m for m in sent if m.chat_id == "worker1"]
    assert note.text == (
        "【督办汇总】您有 2 件工单需要处理（最紧急的在前）：\n"
        f"【一级督办】#1｜紧急｜超时未办结 1分钟｜{URGENT}｜「办结 1 办理结果」\n"
        "【临期】#2｜紧急｜2026-11-29 13:48 到期｜村口着火了｜「办结 2 办理结果」"
    )
    history = (await desk.h.say("staff1", "/ticket 2", chat="staff"))[0].text
    assert history.count("临期提醒") == 1
    report, sent = await desk.sweep_at(at(hours=4, minutes=2))
    assert (report.escalated, report.reminded) == (0, 0)
    assert [m for m in sent if m.chat_id == "worker1"] == []


async def test_a_folded_notice_is_in_the_readers_language(reminding: Desk) -> None:
    desk = reminding
    await desk.h.say("worker1", "/lang en", private=True)
    await desk.h.say("resident1", URGENT)
    await desk.h.say("worker1", "认领 1")
    desk.clock.now = START + at(minutes=48)
    await desk.h.say("resident2", "村口着火了")
    await desk.h.say("worker1", "认领 2")
    _, sent = await desk.sweep_at(at(hours=4, minutes=1))
    [text] = [m.text for m in sent if m.chat_id == "worker1"]
    assert text.startswith("[Escalations] 2 tickets need you (most urgent first):\n")
    assert "| /resolve 1 outcome" in text and "[due soon] #2 | Urgent" in text
