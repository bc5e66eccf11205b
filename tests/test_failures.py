"""A step of the pipeline that raises: the message is kept and its sender told."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.harness import Harness
from bot.desk import _HANDLERS
from bot.filing import file_ticket
from bot.workflow import Action
from tests.conftest import rows


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
