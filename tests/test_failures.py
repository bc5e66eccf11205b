"""A step of the pipeline that raises: the message is kept and its sender told."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot import failures
from bot.adapters.base import Outbound
from bot.adapters.harness import Harness
from bot.desk import _HANDLERS
from bot.filing import file_ticket
from bot.pipeline import Pipeline
from bot.workflow import Action
from storage.postgres import PostgresStore
from storage.sql import SQLTx
from tests.conftest import (
    KeywordClassifier,
    StoreFactory,
    harness_with,
    make_config,
    rows,
)
from tests.test_concurrency import until_done_or_waiting_on
from tests.test_supervision import START, Desk, at


async def dispositions(harness: Harness) -> list[tuple[str, str]]:
    found = await rows(
        harness.bot.store, "SELECT disposition, text FROM inbound_messages ORDER BY id"
    )
    return [(row[0], row[1]) for row in found]


async def last_message_id(harness: Harness) -> int:
    """PostgreSQL's ids skip what a rolled-back attempt took."""
    return int((await rows(harness.bot.store, "SELECT MAX(id) FROM inbound_messages"))[0][0])


async def test_a_report_whose_filing_fails_is_kept_and_its_sender_told(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filing raised (a bug, bad data): the report was rolled back with everything else,
    the platform's redeliveries failed the same way, and the resident heard nothing."""

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("bot.pipeline.file_ticket", broken)
    replies = await harness.say("resident1", "楼道里堆满了杂物，消防通道堵死了")
    to_group = [m for m in replies if m.chat_id == "group"]
    to_staff = [m for m in replies if m.chat_id == "staff"]
    assert [m.text for m in to_group] == [
        "抱歉，这条消息处理时出错了。消息已保存，工作人员会尽快查看并登记。"
    ]
    assert to_group[0].reply_to_message_id == "u1"
    number = await last_message_id(harness)
    assert len(to_staff) == 1 and f"「立案 {number}」" in to_staff[0].text
    assert "消防通道堵死了" in to_staff[0].text
    assert await dispositions(harness) == [("failed", "楼道里堆满了杂物，消防通道堵死了")]
    # A redelivery is recognised: not kept twice, not answered twice.
    assert await harness.say("resident1", "楼道里堆满了杂物", message_id="u1") == []
    monkeypatch.undo()
    # The desk finds it among the unfiled messages, and files it.
    listed = (await harness.say("worker1", "未立案"))[0].text
    assert f"消息 {number}｜" in listed and "（处理出错，未立案）" in listed
    filed = await harness.say("worker1", f"立案 {number}")
    assert any("工单 #1" in m.text for m in filed)
    assert (await dispositions(harness))[0][0] == "ticket"


async def test_a_failing_command_is_answered_in_the_senders_language(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await harness.say("resident1", "院墙被邻居推倒了")
    await harness.say("worker2", "/lang en")

    async def broken(*args: Any) -> None:
        raise ValueError("boom")

    monkeypatch.setitem(_HANDLERS, Action.STATUS, broken)
    replies = await harness.say("worker1", "查询 1")
    assert [m.text for m in replies] == ["抱歉，这条命令处理时出错了，没有执行，请稍后再试。"]
    replies = await harness.say("worker2", "/status 1")
    assert [m.text for m in replies] == [
        "Sorry, something went wrong with this command; nothing was done. Please try again later."
    ]
    # A command is no report: the staff room is not told, /unfiled does not list it.
    assert [d for d, _ in await dispositions(harness)][-2:] == ["command", "command"]


async def test_a_failure_that_passes_is_tried_again(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once (a busy database): the message is handled as if nothing happened."""
    failures = [RuntimeError("database is locked")]

    async def flaky(*args: Any, **kwargs: Any) -> Any:
        if failures:
            raise failures.pop()
        return await file_ticket(*args, **kwargs)

    monkeypatch.setattr("bot.pipeline.file_ticket", flaky)
    replies = await harness.say("resident1", "楼道里堆满了杂物")
    assert any(m.kind == "ack" for m in replies)
    assert await dispositions(harness) == [("ticket", "楼道里堆满了杂物")]


async def test_when_nothing_can_be_stored_the_platform_is_told(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database itself is down: the error reaches the adapter, which has the platform
    deliver the message again (a 500 to a webhook, polling's next try)."""

    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("database is down")

    monkeypatch.setattr(harness.bot.store, "write", down)
    with pytest.raises(ConnectionError):
        await harness.say("resident1", "楼道里堆满了杂物")


APOLOGY = "抱歉，这条消息处理时出错了。消息已保存，工作人员会尽快查看并登记。"


def in_group(replies: list[Outbound]) -> list[str]:
    return [m.text for m in replies if m.chat_id == "group"]


def break_every_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """A store query every worded group message makes, broken (as after a bad deploy)."""

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("no such column")

    monkeypatch.setattr(SQLTx, "tickets_reported_by", broken)


async def test_when_every_message_fails_group_chatter_gets_no_apology(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step failing for every message posted an apology under each, "收到" and "谢谢"
    included, for the whole group to read.  Now only what the classifier read as a report
    is answered; the rest is kept and listed all the same."""
    break_every_message(monkeypatch)
    assert in_group(await harness.say("resident1", "收到")) == []
    assert in_group(await harness.say("resident2", "谢谢")) == []
    replies = await harness.say("resident1", "楼道里堆满了杂物，消防通道堵死了")
    assert [m.text for m in replies if m.chat_id == "group"] == [APOLOGY]
    kept = await dispositions(harness)
    assert [d for d, _ in kept] == ["failed", "failed", "failed"]
    monkeypatch.undo()
    listed = (await harness.say("worker1", "未立案"))[0].text
    assert listed.count("（处理出错，未立案）") == 3


async def test_with_the_classifier_broken_a_group_hears_only_of_a_danger(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a classification a group message may well be chatter: no apology, except
    for a danger the safety rules (plain patterns) still name.  One to one, the person
    wrote to the bot: they are answered."""

    class Broken:
        def classify(self, text: str) -> Any:
            raise RuntimeError("model broken")

    monkeypatch.setattr(harness.bot.pipeline, "classifier", Broken())
    assert in_group(await harness.say("resident1", "好的好的")) == []
    assert in_group(await harness.say("resident1", "楼道里堆满了杂物")) == []
    replies = await harness.say("resident2", "3栋着火了，快来人")
    assert [m.text for m in replies if m.chat_id == "group"] == [APOLOGY]
    replies = await harness.say("resident2", "楼道里堆满了杂物", private=True)
    assert [m.text for m in replies if m.chat_id == "resident2"] == [APOLOGY]
    assert [d for d, _ in await dispositions(harness)] == ["failed"] * 4


async def test_a_failed_declared_report_is_kept_not_taken_for_a_command(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker's 上报 is a report: it was answered as a command that was not done
    (请稍后再试) and left out of /unfiled, so the report was lost."""

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("bot.pipeline.file_ticket", broken)
    replies = await harness.say("worker1", "上报：村口路灯坏了一个月")
    assert [m.text for m in replies if m.chat_id == "group"] == [APOLOGY]
    assert await dispositions(harness) == [("failed", "上报：村口路灯坏了一个月")]
    monkeypatch.undo()
    listed = (await harness.say("worker1", "未立案"))[0].text
    assert "（处理出错，未立案）" in listed


async def test_failed_talk_in_the_staff_room_is_not_kept_as_a_report(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the staff room says among itself is no report: it was kept as "failed" and
    answered with an apology there; now it is what it would have been, ignored."""

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(Pipeline, "_read", broken)
    assert await harness.say("staff1", "大家辛苦了", chat="staff") == []
    assert await dispositions(harness) == [("ignored", "大家辛苦了")]
    # In a group the same failure keeps the message, and a command still answers.
    assert await harness.say("resident1", "楼道里堆满了杂物") != []
    replies = await harness.say("worker1", "待办")
    assert [m.text for m in replies] == ["抱歉，这条命令处理时出错了，没有执行，请稍后再试。"]
    assert [d for d, _ in await dispositions(harness)] == ["ignored", "failed", "command"]


async def test_a_residents_sentence_after_a_desk_word_that_failed_is_kept_as_theirs(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read again from its words when reading it failed, a resident's "结案 2 年了赔偿还没到位"
    is theirs, as it is when nothing fails: kept as failed and listed by /unfiled, not taken
    for a command (请稍后再试) and lost; "结案 2 已调解" is still the command."""

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(Pipeline, "_read", broken)
    await harness.say("resident1", "结案 2 年了赔偿还没到位")
    await harness.say("resident1", "结案 2 已调解")
    assert [d for d, _ in await dispositions(harness)] == ["failed", "command"]
    monkeypatch.undo()
    listed = (await harness.say("worker1", "未立案"))[0].text
    assert "年了赔偿还没到位" in listed and "已调解" not in listed


PRIVATE = "隔壁302天天晚上聚众打麻将赌钱，吵得孩子没法睡"


def break_private_chats(monkeypatch: pytest.MonkeyPatch) -> None:
    """A step every private message takes (the follow-up questions waiting for the sender),
    broken."""

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("bot.pipeline.followup.ask_unreached", broken)


async def test_a_failed_private_report_is_kept_listed_and_fileable(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With private reports on, a private message that failed was accepted: kept, listed
    one to one or in the staff room, and filed there; switching private reports off later
    does not take back what was accepted."""
    await harness.say("resident1", "收到")  # their group: where a private report is filed
    break_private_chats(monkeypatch)
    replies = await harness.say("resident1", PRIVATE, private=True)
    assert [m.text for m in replies if m.chat_id == "resident1"] == [APOLOGY]
    assert any(m.chat_id == "staff" for m in replies)
    number = await last_message_id(harness)
    monkeypatch.undo()
    harness.bot.config.intake.private_reports = False
    listed = (await harness.say("staff1", "未立案", chat="staff"))[0].text
    assert f"消息 {number}｜" in listed
    filed = await harness.say("staff1", f"立案 {number}", chat="staff")
    assert any(f"消息 {number} 已立案为工单" in m.text for m in filed)


async def test_with_private_reports_off_a_failed_private_message_is_not_accepted(
    db_path: Path, new_store: StoreFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`private_reports = false`: a private message is no report, and its sender is asked
    to report in the group.  When handling it failed, it was kept as "failed", the sender
    told it would be filed, the staff room told, and /file filed it as a private report the
    centre had turned off.  Now it is answered as it would have been, and not kept."""
    config = make_config(db_path)
    config.intake.private_reports = False
    async with harness_with(config, new_store()) as harness:
        await harness.say("resident1", "收到")
        break_private_chats(monkeypatch)
        replies = await harness.say("resident1", PRIVATE, private=True)
        assert [m.chat_id for m in replies] == ["resident1"]
        assert replies[0].text.startswith("请在所在网格的群里反映问题")
        assert [d for d, _ in await dispositions(harness)] == ["chatter", "ignored"]
        monkeypatch.undo()
        listed = (await harness.say("staff1", "未立案", chat="staff"))[0].text
        assert PRIVATE[:10] not in listed


def to_staff(replies: list[Outbound]) -> list[str]:
    return [m.text for m in replies if m.chat_id == "staff"]


async def test_staff_hear_of_the_first_failure_at_once_and_of_the_rest_in_one_notice(
    desk: Desk, new_store: StoreFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step failing for every message posted one staff notice per message.  Now the
    first is told at once, with its words; the next half hour's are counted and told in one
    notice by the sweep; a danger is told at once whatever the window."""
    break_every_message(monkeypatch)

    async def say_at(minutes: float, user: str, text: str) -> list[str]:
        desk.clock.now = START + at(minutes=minutes)
        return to_staff(await desk.h.say(user, text))

    [first] = await say_at(0, "resident1", "楼道里堆满了杂物，消防通道堵死了")
    assert "消防通道堵死了" in first and "另有" not in first
    assert first.endswith("此后 30 分钟内再有消息处理出错，合并为一条通知。")
    assert await say_at(1, "resident2", "收到") == []
    assert await say_at(2, "resident1", "谢谢") == []
    assert await say_at(5, "resident2", "村口路灯坏了一个月") == []
    assert (await desk.sweep_at(at(minutes=10)))[1] == []  # the window is not over
    moments = await desk.bot.supervisor.due_moments(START, START + at(hours=1))
    assert START + at(minutes=30) in moments  # the console's /wait stops there
    # A restart (or a second process) neither loses the count nor tells it twice.
    other = new_store()
    await other.open()
    try:
        config = desk.bot.config
        assert await failures.summarise(other, START + at(minutes=30), config) == 3
    finally:
        await other.close()
    report, sent = await desk.sweep_at(at(minutes=30.5))  # delivers the other's notice
    assert report.failed == 0
    assert to_staff(sent) == ["另有 3 条消息处理时出错，已保存，尚未立案，发送「未立案」查看。"]
    # Another failure within half an hour of that notice waits; a danger does not.
    assert await say_at(40, "resident2", "好的") == []
    [danger] = await say_at(45, "resident1", "3栋着火了，快来人")
    assert "3栋着火了" in danger and "另有 1 条消息处理时出错" in danger
    assert await say_at(50, "resident2", "谢谢") == []
    assert (await desk.sweep_at(at(minutes=70)))[1] == []  # half an hour after the danger's
    report, sent = await desk.sweep_at(at(minutes=75))
    assert report.failed == 1
    assert to_staff(sent) == ["另有 1 条消息处理时出错，已保存，尚未立案，发送「未立案」查看。"]
    assert (await desk.sweep_at(at(minutes=110)))[1] == []  # nothing waits
    # After a quiet spell the next failure is told at once again.
    [again] = await say_at(120, "resident2", "收到")
    assert "收到" in again and "另有" not in again
    monkeypatch.undo()
    desk.clock.now = START + at(minutes=121)
    listed = (await desk.h.say("worker1", "未立案"))[0].text
    assert listed.count("（处理出错，未立案）") == 8


async def test_no_notice_of_failures_filed_before_the_summary(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary counts what is still unfiled: what the desk filed meanwhile is not news."""
    break_every_message(monkeypatch)
    await desk.h.say("resident1", "楼道里堆满了杂物")
    desk.clock.now = START + at(minutes=1)
    await desk.h.say("resident2", "村口路灯坏了一个月")
    monkeypatch.undo()
    number = await last_message_id(desk.h)
    await desk.h.say("worker1", f"立案 {number}")
    report, sent = await desk.sweep_at(at(minutes=30))
    assert report.failed == 0 and to_staff(sent) == []


async def test_a_failed_report_declared_in_the_staff_room_is_told_with_its_number(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was answered with the apology alone, which does not say what /file takes."""

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("bot.pipeline.file_ticket", broken)
    replies = await harness.say("worker1", "上报：村口路灯坏了一个月", chat="staff")
    number = await last_message_id(harness)
    said = to_staff(replies)
    assert said[0] == APOLOGY and f"「立案 {number}」" in said[1]


async def test_two_failures_at_once_are_told_once(new_store: StoreFactory) -> None:
    """PostgreSQL handles messages in several transactions at once: two failing together each
    read that no notice was recent and each told the staff room at once.  The second now waits
    for the first's decision, and finds it told."""
    async with new_store() as one, new_store() as two:
        if not isinstance(one, PostgresStore):
            pytest.skip("SQLite writes one transaction at a time: nothing decides at once")

        async def second() -> int | None:
            async with two.write() as tx:
                return await failures.tell_at_once(tx, START, 2, danger=False)

        async with asyncio.timeout(30):
            async with one.write() as tx:
                assert await failures.tell_at_once(tx, START, 1, danger=False) == 0
                row = await tx._one("SELECT pg_backend_pid() AS pid")
                assert row is not None
                waiting = asyncio.create_task(second())
                await until_done_or_waiting_on(waiting, int(row["pid"]))
                assert not waiting.done()  # it waits for this transaction's decision
            assert await waiting is None  # within the window: counted for the summary
        assert await rows(one, "SELECT through_id FROM failure_notices") == [(1,)]


async def test_a_failed_message_from_a_resident_of_no_known_grid_reaches_staff(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone never seen in a group writes one to one and the model fails: the message was
    kept, and listed for nobody, since no grid was its.  Staff see it, and file it by naming
    the grid; a grid worker does not (it may be another grid's)."""

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("model broken")

    monkeypatch.setattr(KeywordClassifier, "classify", broken)
    [sorry, _] = await harness.say("resident9", PRIVATE, private=True)
    assert sorry.text.startswith("抱歉，这条消息处理时出错了。消息已保存")
    monkeypatch.undo()
    number = await last_message_id(harness)
    listed = (await harness.say("staff1", "未立案", private=True))[0].text
    assert f"消息 {number}｜" in listed and "resident9（处理出错，未立案）（网格未定）：" in listed
    assert (await harness.say("worker1", "未立案", private=True))[0].text == "没有未立案的群消息。"
    [ask] = await harness.say("staff1", f"立案 {number}", private=True)
    assert ask.text == (
        f"消息 {number} 的反映人尚未选择网格，请指明网格再立案：「立案 {number} 网格代码」。"
        "可选：DZ（东镇）、XC（西村）"
    )
    filed = await harness.say("staff1", f"立案 {number} 东镇", private=True)
    assert filed[-1].text == f"消息 {number} 已立案为工单 #1。"
    assert await rows(harness.bot.store, "SELECT area, text FROM tickets") == [("DZ", PRIVATE)]
