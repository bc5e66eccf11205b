"""Edited messages (Telegram lets people edit what they sent), through the harness on SQLite
and PostgreSQL: a new version of a report joins its ticket; an edited command is not run
again; an edited message that was not filed is read as a message of its own."""

from __future__ import annotations

from bot.adapters.harness import Harness
from tests.conftest import rows


async def dispositions(h: Harness) -> list[str]:
    found = await rows(h.bot.store, "SELECT disposition FROM inbound_messages ORDER BY id")
    return [str(d) for (d,) in found]


async def test_an_edited_report_joins_its_ticket(harness: Harness) -> None:
    """They used to be dropped: the worker never saw the address a resident added."""
    await harness.say("resident1", "楼道灯坏了一个月", message_id="r1")
    new = "楼道灯坏了一个月，东镇幸福小区3栋2单元"
    replies = await harness.say("resident1", new, message_id="r1:edit:1", edit_of="r1")
    assert [m.text for m in replies] == ["已将修改后的内容补充到工单 #1。"]
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert history.endswith(f"resident1 补充 {new}")
    events = await rows(harness.bot.store, "SELECT payload FROM ticket_events ORDER BY id")
    assert '"via": "edit"' in events[-1][0]
    # Each version once: the same edit delivered again is a redelivery.
    assert await harness.say("resident1", new, message_id="r1:edit:1", edit_of="r1") == []
    [(count,)] = await rows(harness.bot.store, "SELECT COUNT(*) FROM tickets")
    assert count == 1


async def test_an_edit_adding_a_danger_is_filed_on_its_own(harness: Harness) -> None:
    """Added to the ticket as a new version, the danger reached nobody."""
    await harness.say("resident1", "楼道灯坏了一个月", message_id="r1")
    new = "楼道灯坏了一个月，刚才楼道里有人打人"
    replies = await harness.say("resident1", new, message_id="r1:edit:1", edit_of="r1")
    ack = next(m for m in replies if m.kind == "ack")
    assert "工单号 #2" in ack.text and "【紧急】" in ack.text
    assert await dispositions(harness) == ["ticket", "ticket"]


async def test_an_edited_command_is_not_run_again(harness: Harness) -> None:
    await harness.say("resident1", "楼道灯坏了一个月")
    await harness.say("worker1", "认领 1", message_id="c1")
    assert await harness.say("worker1", "认领 1", message_id="c1:edit:1", edit_of="c1") == []
    assert await harness.say("worker1", "办结 1 好了", message_id="c1:edit:2", edit_of="c1") == []
    assert (await harness.say("staff1", "查询 1"))[0].text.startswith("工单 #1｜处理中")
    assert (await dispositions(harness))[-3:] == ["ignored", "ignored", "command"]


async def test_an_edit_of_a_message_that_was_not_filed_is_a_message_of_its_own(
    harness: Harness,
) -> None:
    assert await harness.say("resident1", "收到", message_id="m1") == []  # chatter
    replies = await harness.say("resident1", "村口有人打人了", message_id="m1:edit:1", edit_of="m1")
    assert any("工单号 #1" in m.text for m in replies)
    # In a private chat where nothing is filed (from someone never seen in a group), an
    # edit is not answered again.
    await harness.say("resident9", "我要反映问题", private=True, message_id="p1")
    assert (
        await harness.say(
            "resident9", "我要反映问题！", private=True, message_id="p1:edit:1", edit_of="p1"
        )
        == []
    )
