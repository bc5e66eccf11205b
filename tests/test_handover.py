"""Handing over a worker's tickets (转交全部, /handover), through the harness on SQLite and
PostgreSQL: a worker who leaves or goes on leave; and a worker made a resident while
holding tickets, which would leave them with nobody to work them."""

from __future__ import annotations

from bot.adapters.base import Outbound
from bot.adapters.harness import Harness
from tests.conftest import rows


def by_kind(replies: list[Outbound], kind: str) -> list[Outbound]:
    return [m for m in replies if m.kind == kind]


async def held_by_worker1(harness: Harness) -> None:
    """#1 and #2 claimed by worker1, #3 by worker2, #4 resolved by worker1."""
    for text in ("楼道灯坏了一个月", "小区门口的井盖松了", "垃圾桶满了没人收", "隔壁狗天天叫"):
        await harness.say("resident1", text)
    for number, worker in ((1, "worker1"), (2, "worker1"), (3, "worker2"), (4, "worker1")):
        await harness.say(worker, f"认领 {number}")
    await harness.say("worker1", "办结 4 已协调")


async def test_every_ticket_a_worker_holds_goes_to_another(harness: Harness) -> None:
    await held_by_worker1(harness)
    replies = await harness.say("staff1", "转交全部 worker1 worker2", chat="staff")
    [reply] = by_kind(replies, "reply")
    assert reply.text == "已将 worker1 负责的 2 件工单转交 worker2：#1、#2。"
    notice, gone = by_kind(replies, "direct")
    assert (notice.chat_id, notice.text) == (
        "worker2",
        "staff1 将 worker1 负责的 2 件工单转交给您：#1、#2。发送「我的」查看。",
    )
    assert (gone.chat_id, gone.text) == (  # as after /assign: no longer theirs
        "worker1",
        "staff1 已将您负责的 2 件工单转交 worker2：#1、#2，您无需再办理。",
    )
    # Each acknowledgement in the group now names the new holder.
    edits = by_kind(replies, "edit")
    assert len(edits) == 2 and all("当前：处理中（worker2）" in m.text for m in edits)
    held = await rows(
        harness.bot.store,
        "SELECT t.id, t.status, p.user_id FROM tickets t JOIN people p ON p.id = t.assignee_id"
        " ORDER BY t.id",
    )
    assert held == [
        (1, "claimed", "worker2"),
        (2, "claimed", "worker2"),
        (3, "claimed", "worker2"),
        (4, "resolved", "worker1"),  # done work stays theirs (the ledger, /workload)
    ]
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "staff1 指派 → worker2" in history
    again = await harness.say("staff1", "/handover worker1 worker2", chat="staff")
    assert again[0].text == "worker1 目前没有负责中的工单。"


async def test_who_may_and_bad_input(harness: Harness) -> None:
    await held_by_worker1(harness)
    refused = await harness.say("worker1", "转交全部 worker1 worker2")
    assert "不能使用" in refused[0].text
    cases = {
        "/handover worker1": "用法：/handover worker1 worker2",
        "/handover worker1 resident2": "resident2",
        "/handover worker1 worker1": "转交人和接手人都是 worker1。",
        "/handover nobody worker2": "nobody",
    }
    for typed, expected in cases.items():
        [reply] = await harness.say("staff1", typed, chat="staff")
        assert expected in reply.text, typed
    # One person named in Chinese, or a word between: "not a command" privately and
    # unanswered in a group; now answered.  From a grid worker, talk as before.
    for typed in ("转交全部 王网格员", "转交全部 worker1 给 worker2"):
        [reply] = await harness.say("staff1", typed, chat="staff")
        assert reply.text == "用法：/handover worker1 worker2（转交全部 张三 李四）", typed
    assert await harness.say("worker1", "转交全部 王网格员") == []
    assert await rows(
        harness.bot.store,
        "SELECT COUNT(*) FROM tickets WHERE status = 'claimed'"
        " AND assignee_id = (SELECT id FROM people WHERE user_id = 'worker1')",
    ) == [(2,)]


async def test_a_worker_holding_tickets_is_not_made_a_resident(harness: Harness) -> None:
    await held_by_worker1(harness)
    [refused] = await harness.say("admin1", "/grant worker1 resident")
    assert refused.text == (
        "worker1 还负责 2 件工单（#1、#2），改为居民前请先转交：「转交全部 worker1 接手人」。"
    )
    await harness.say("staff1", "转交全部 worker1 worker2", chat="staff")
    [granted] = await harness.say("admin1", "/grant worker1 resident")
    assert granted.text.startswith("worker1 的身份已设为「居民」")


async def test_a_sentence_that_starts_with_the_words_is_a_report(harness: Harness) -> None:
    replies = await harness.say("resident1", "转交全部的材料以后一直没人回复")
    assert any(m.kind == "ack" for m in replies)
