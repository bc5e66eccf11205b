"""Who may do what: the role x command matrix, and residents' privacy."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import asyncpg
import pytest

from bot import i18n
from bot.adapters.base import Inbound, Person, Room
from bot.adapters.harness import CHANNEL, Harness, HarnessAdapter
from bot.app import Bot
from bot.config import Config, PersonConfig
from bot.workflow import Role
from storage.postgres import PostgresStore
from tests.conftest import (
    KeywordClassifier,
    StoreFactory,
    harness_with,
    make_config,
    postgres_or_skip,
    rows,
)

COMMANDS = [
    "/help",
    "/status 1",
    "/mine",
    "/queue",
    "/claim 1",
    "/unclaim 1",
    "/note 1 上门了解",
    "/resolve 1 已调解",
    "/close 1",
    "/reopen 1",
    "/ticket 1",
    "/assign 1 worker2",
    "/grant resident2 grid_worker",
    "/retag 1 neighbour high",
    "/lang en",
    "/unfiled",
    "/file 1",
    "/overdue",
    "/rate 1 satisfied",
    "/stats",
    "/dismiss 1 群聊",
    "/export",
    "/withdraw 1",
    "/extend 1 5wd",
    "/handover worker1 worker2",
    "/people",
]
# Written out by hand (not read from bot.workflow) so the test can disagree with the code.
ALLOWED = {
    # /rate: any role may try; only the reporter's answer counts (a ticket-level check).
    # /withdraw: likewise; only the reporter's counts.
    "resident1": {
        "/help",
        "/status 1",
        "/mine",
        "/reopen 1",
        "/lang en",
        "/rate 1 satisfied",
        "/withdraw 1",
        "/ticket 1",  # their own report: answered as /status 1 is
    },
    "worker1": {
        "/help",
        "/status 1",
        "/mine",
        "/reopen 1",
        "/lang en",
        "/queue",
        "/claim 1",
        "/unclaim 1",
        "/note 1 上门了解",
        "/resolve 1 已调解",
        "/unfiled",
        "/file 1",
        "/ticket 1",
        "/rate 1 satisfied",
        "/stats",  # their own area's figures
        "/dismiss 1 群聊",  # their area's ticket, not urgent, nobody holds it
        "/export",  # their own area's ledger
        "/withdraw 1",  # tried, and told only the reporter may
        "/extend 1 5wd",  # tried, and told to claim it first (then they may ask)
    },
    "staff1": set(COMMANDS) - {"/grant resident2 grid_worker"},
    "admin1": set(COMMANDS),
}
DENIED_MARKER = "不能使用"


@pytest.mark.parametrize("user", list(ALLOWED))
@pytest.mark.parametrize("command", COMMANDS)
async def test_role_command_matrix(harness: Harness, user: str, command: str) -> None:
    await harness.say("resident1", "楼道里堆满杂物，消防通道堵了")  # ticket #1, resident1's
    replies = await harness.say(user, command)
    assert replies, f"{user} {command}: no reply"
    denied = any(DENIED_MARKER in m.text for m in replies)
    assert denied == (command not in ALLOWED[user]), f"{user} {command}: {replies[0].text}"


async def test_resident_cannot_see_or_touch_another_residents_ticket(harness: Harness) -> None:
    await harness.say("resident1", "我家被隔壁占了两米宅基地")
    missing = (await harness.say("resident2", "查询 999"))[0].text
    for attempt in ("查询 1", "/status 1", "/reopen 1"):
        replies = await harness.say("resident2", attempt)
        assert [m.text for m in replies] == [missing.replace("999", "1")]
        assert "宅基地" not in replies[0].text
    mine = await harness.say("resident2", "我的")
    assert mine[0].text == "暂无记录。"


async def test_a_residents_details_or_ticket_named_is_answered_as_its_status(
    harness: Harness,
) -> None:
    """ "详情 1" from its reporter was refused (不能使用「详情」, no way on); "工单 1", copied
    from the acknowledgement, was added to the report as a part of it."""
    await harness.say("resident1", "我家被隔壁占了两米宅基地")
    status = (await harness.say("resident1", "查询 1"))[0].text
    assert "待认领" in status
    for asked in ("详情 1", "/ticket 1", "工单 1", "工单号 #1"):
        assert [m.text for m in await harness.say("resident1", asked)] == [status]
    missing = (await harness.say("resident2", "查询 1"))[0].text
    for asked in ("详情 1", "工单 1"):
        assert [m.text for m in await harness.say("resident2", asked)] == [missing]
    history = (await harness.say("staff1", "/ticket 1", chat="staff"))[0].text
    assert "补充" not in history  # nothing was added to the report
    asked = (await harness.say("staff1", "工单 1", chat="staff"))[0].text
    assert asked.startswith("工单 #1｜待认领")


async def test_worker_from_another_area_cannot_see_ticket(harness: Harness) -> None:
    await harness.say("resident1", "小区停水三天了")
    replies = await harness.say("westworker", "/claim 1")
    assert "没有找到工单 #1" in replies[0].text
    assert "小区停水" not in (await harness.say("westworker", "/queue"))[0].text


async def test_resident_cannot_press_the_claim_button(harness: Harness) -> None:
    ack = next(m for m in await harness.say("resident1", "楼上漏水") if m.kind == "ack")
    replies = await harness.press("resident2", ack)
    assert len(replies) == 1 and DENIED_MARKER in replies[0].text
    status = await harness.say("resident1", "查询 1")
    assert "待认领" in status[0].text


async def test_a_grid_worker_asking_to_transfer_is_told_how(harness: Harness) -> None:
    """ "转给 1 worker2" used to be taken for chatter: no ticket, and no reply either."""
    await harness.say("resident1", "楼道里堆满杂物，消防通道堵了")
    await harness.say("worker1", "认领 1")
    refused = await harness.say("worker1", "转给 1 worker2")
    assert [m.text for m in refused] == [
        "您的身份（网格员）不能使用「指派」「转办」：指派、转办工单由中心工作人员操作。"
        "您可以发送「退回 1 原因」把工单退回待认领队列，原因会告知中心；"
        "或「备注 1 原因」写明应由谁办理，再请中心转办。"
    ]
    # 转办 is the same command: its refusal used to name 「指派」, which the worker never typed.
    [transfer] = await harness.say("worker1", "转办 1 派出所")
    assert transfer.text == refused[0].text
    moved = await harness.say("staff1", "转办 1 worker2")
    assert any("已指派给" in m.text for m in moved)
    assert "由 worker2 负责" in (await harness.say("worker1", "办结 1 已处理"))[0].text
    # Assigning it to its holder again changes nothing and tells nobody a second time.
    again = await harness.say("staff1", "/assign 1 worker2")
    assert [m.text for m in again] == ["工单 #1 已由 worker2 负责，无需再指派。"]


async def test_a_grid_worker_asking_to_reopen_is_told_how(harness: Harness) -> None:
    """A worker's 重开 was answered "不能使用「重开」" with no way on: staff reopen, and a
    resolved case takes a note saying why; a closed one does not."""
    await harness.say("resident1", "楼道里堆满杂物，消防通道堵了")
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "办结 1 已清理")
    refused = await harness.say("worker1", "重开 1 又堆满了")
    assert [m.text for m in refused] == [
        "您的身份（网格员）不能使用「重开」：重开工单由中心工作人员操作。如工单 #1 "
        "仍需办理，请发送「备注 1 原因」写明情况，并请中心重开。"
    ]
    await harness.say("worker1", "/lang en")
    await harness.say("staff1", "结案 1", chat="staff")
    closed = await harness.say("worker1", "/reopen 1")
    assert [m.text for m in closed] == [
        "Your role (grid worker) cannot use /reopen: centre staff reopen tickets. Ticket #1 "
        "is closed and takes no more notes; if it needs more work, tell the centre why and "
        "ask them to reopen it."
    ]
    [(status,)] = await rows(harness.bot.store, "SELECT status FROM tickets")
    assert status == "closed"


async def test_only_the_holder_or_staff_may_resolve(harness: Harness) -> None:
    await harness.say("resident1", "噪音扰民")
    await harness.say("worker1", "认领 1")
    refused = await harness.say("worker2", "办结 1 我来办")
    assert "由 worker1 负责" in refused[0].text
    assert any(m.kind == "resolved" for m in await harness.say("staff1", "办结 1 中心已处理"))


async def test_resolving_a_ticket_nobody_claimed_claims_it_first(harness: Harness) -> None:
    """A grid worker who settled a case before claiming it reports the outcome at once;
    it is claimed for them and resolved, both on the record, and the group's
    acknowledgement is edited once, to its final state."""
    await harness.say("resident1", "噪音扰民")  # the acknowledgement is m1
    replies = await harness.say("worker1", "办结 1 已上门调解，双方同意晚十点后安静")
    assert [m.kind for m in replies if m.kind == "resolved"] == ["resolved"]
    async with harness.bot.store.read() as tx:
        ticket = await tx.ticket(1)
        events = [e.action for e in await tx.events(1)]
        worker = await tx.person_by_platform(CHANNEL, "worker1")
    assert ticket is not None and worker is not None
    assert (ticket.status, ticket.assignee_id) == ("resolved", worker.id)
    assert events[-2:] == ["claim", "resolve"]
    edits = [m for m in replies if m.kind == "edit"]
    assert [m.edit_message_id for m in edits] == ["m1"] and "已办结" in edits[0].text
    # A reopened ticket nobody holds is resolved the same way, by whoever may claim it.
    await harness.say("resident1", "重开 1 晚上还是吵")
    again = await harness.say("worker2", "办结 1 再次调解")
    assert any(m.kind == "resolved" for m in again)


async def test_resolving_unclaimed_is_not_a_back_door(harness: Harness) -> None:
    """Who may not claim a ticket may not resolve it by skipping the claim either."""
    await harness.say("resident1", "噪音扰民")
    resident = await harness.say("resident2", "/resolve 1 我说好了")
    assert DENIED_MARKER in resident[0].text
    elsewhere = await harness.say("westworker", "办结 1 已处理")
    assert "没有找到工单 #1" in elsewhere[0].text
    status = await harness.say("resident1", "查询 1")
    assert "待认领" in status[0].text


async def claim_race(bots: list[Bot], adapters: list[HarnessAdapter]) -> None:
    """50 workers claim ticket #1 at once, spread over the given bots (processes)."""
    workers = [f"w{i}" for i in range(50)]
    first = Harness(bots[0], adapters[0])
    await first.say("resident1", "两家因为排水沟吵起来了")
    before = [len(a.sent) for a in adapters]
    results = await asyncio.gather(
        *(
            bots[i % len(bots)].pipeline.handle(
                Inbound(Person(CHANNEL, w, w), first.room("group"), f"c-{w}", "/claim 1")
            )
            for i, w in enumerate(workers)
        )
    )
    assert all(results)
    replies = []
    for bot, adapter, start in zip(bots, adapters, before, strict=True):
        await bot.dispatcher.flush()
        replies += [m for m in adapter.sent[start:] if m.kind == "reply"]
    async with bots[0].store.read() as tx:
        ticket = await tx.ticket(1)
        events = await tx.events(1)
    assert ticket is not None and ticket.assignee_id is not None
    holder = next(w for w in workers if f"已由 {w} 认领" in replies[0].text)
    winners = [m for m in replies if m.text == f"工单 #1 已由 {holder} 认领。"]
    losers = [m for m in replies if m.text == f"认领未成功：工单 #1 已由 {holder} 认领。"]
    assert len(winners) == 1 and len(losers) == 49
    assert [e.action for e in events].count("claim") == 1


def race_config(path: Path) -> Config:
    config = make_config(path)
    config.people += [
        PersonConfig(channel=CHANNEL, user_id=f"w{i}", role=Role.GRID_WORKER, area="DZ")
        for i in range(50)
    ]
    return config


async def test_claim_race_has_exactly_one_winner(db_path: Path, new_store: StoreFactory) -> None:
    config = race_config(db_path)
    async with harness_with(config, new_store()) as h:
        await claim_race([h.bot], [h.adapter])


async def test_claim_race_across_two_processes(db_path: Path) -> None:
    """Two bot processes on one PostgreSQL database: the conditional update still decides."""
    dsn = await postgres_or_skip()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    config = race_config(db_path)
    adapters = [HarnessAdapter(), HarnessAdapter()]
    try:
        async with (
            Bot(
                config,
                [adapters[0]],
                store=PostgresStore(dsn, schema),
                classifier=KeywordClassifier(),
            ) as one,
            Bot(
                config,
                [adapters[1]],
                store=PostgresStore(dsn, schema),
                classifier=KeywordClassifier(),
            ) as two,
        ):
            await claim_race([one, two], adapters)
    finally:
        conn = await asyncpg.connect(dsn)
        await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await conn.close()


async def test_a_reporter_reopening_a_closed_case_is_told_it_is_closed(harness: Harness) -> None:
    """Their help and the resolution notice offer 重开; once the case is closed only staff
    reopen it, and the reply says that, not that a resident may not use /reopen."""
    await harness.say("resident1", "楼上邻居天天半夜装修，吵得老人睡不着")
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "办结 1 已调解")
    await harness.say("staff1", "结案 1")
    reply = (await harness.say("resident1", "重开 1 还是吵"))[0].text
    assert reply.startswith("工单 #1 已结案，只有中心工作人员可以重开。")
    assert "已结案" in (await harness.say("resident1", "查询 1"))[0].text
    # Somebody else's closed case stays out of sight.
    assert "没有找到工单 #1" in (await harness.say("resident2", "重开 1"))[0].text


async def test_the_worker_who_resolved_a_reopened_ticket_is_told(harness: Harness) -> None:
    """Reopened by its reporter, the case is back in the queue: the grid worker who resolved
    it knows it, and is told privately with why (a private report's they read nowhere else)."""
    await harness.say("resident1", "楼上邻居天天半夜装修，吵得老人睡不着")
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "办结 1 已调解")
    sent = await harness.say("resident1", "重开 1 还是吵")
    [told] = [m for m in sent if m.kind == "direct"]
    assert told.chat_id == "worker1" and told.text == (
        "【重开】您办结的工单 #1 已被重新打开，回到待认领队列：楼上邻居天天半夜装修，吵得老人睡不着"
        "\n重开原因：还是吵\n再次认领请发送「认领 1」。"
    )
    # Staff reopening it tell them too; whoever reopens what they resolved is not told.
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "办结 1 已再次调解")
    again = await harness.say("staff1", "重开 1", chat="staff")
    assert [(m.chat_id, m.kind) for m in again if m.kind != "edit"] == [
        ("staff", "reply"),
        ("worker1", "direct"),
    ]
    await harness.say("staff1", "办结 1 中心已约谈双方", chat="staff")
    holder = "SELECT p.user_id FROM tickets t JOIN people p ON p.id = t.assignee_id"
    assert await rows(harness.bot.store, holder) == [("staff1",)]
    mine = await harness.say("staff1", "重开 1", chat="staff")
    assert [m.text for m in mine if m.kind == "reply"] == ["工单 #1 已重新打开。"]
    assert [m for m in mine if m.kind == "direct"] == []


async def test_a_grant_takes_the_role_as_admins_name_it(harness: Harness) -> None:
    """"授权 resident2 网格员 DZ" passed as talk, unanswered: only the codes were read."""
    await harness.say("resident1", "楼道灯坏了一个月")
    await harness.say("resident2", "收到")
    granted = (await harness.say("admin1", "授权 resident2 网格员 DZ", chat="staff"))[0]
    assert granted.text == "resident2 的身份已设为「网格员」，网格：东镇。"
    claimed = await harness.say("resident2", "认领 1")
    assert claimed[-1].text == "工单 #1 已由 resident2 认领。"
    back = (await harness.say("admin1", "授权 resident2 居民", chat="staff"))[0]
    assert back.text == (  # still holds #1: refused, as with the code
        "resident2 还负责 1 件工单（#1），改为居民前请先转交：「转交全部 resident2 接手人」。"
    )
    [refused] = await harness.say("admin1", "/grant resident2 国王", chat="staff")
    assert refused.text == (
        "没有「国王」这个身份。可选：resident（居民）、grid_worker（网格员）、"
        "liaison（部门对接人）、staff（中心工作人员）、admin（管理员）。"
    )


async def test_a_grant_short_of_its_words_is_answered(harness: Harness) -> None:
    """An admin's 授权 without a role, with a role there is not, or a liaison without a
    department: "授权 resident2" and "授权 resident2 警察 派出所" were "not a command"
    privately and unanswered in a group, and "授权 resident2 对接人" read 「」不是部门代码."""
    await harness.say("resident2", "收到")
    usage = (
        "用法：/grant 某人 身份 [网格或部门]，"
        "如「授权 李师傅 网格员 东镇」「授权 张警官 对接人 派出所」"
        "（身份：居民、网格员、对接人、工作人员、管理员，或 resident、grid_worker、liaison、"
        "staff、admin）"
    )
    for typed in ("授权 resident2", "/grant resident2", "授权 李师傅"):
        assert (await harness.say("admin1", typed, chat="staff"))[0].text == usage, typed
    [bad] = await harness.say("admin1", "授权 resident2 警察 派出所", chat="staff")
    assert bad.text.startswith("没有「警察」这个身份。可选：resident（居民）")
    [bad] = await harness.say("admin1", "授权 resident2 网格长", private=True)
    assert bad.text.startswith("没有「网格长」这个身份。")
    [liaison] = await harness.say("admin1", "授权 resident2 对接人", chat="staff")
    assert liaison.text.startswith(
        "部门对接人须写明对接的部门：「授权 resident2 对接人 部门」；部门："
    )
    # Not from those who may not grant, nor a resident's words: theirs, as before.
    assert await harness.say("staff1", "授权 李师傅", chat="staff") == []
    sent = await harness.say("resident1", "授权 委托书 怎么写")
    assert not any("/grant" in m.text or "不能使用" in m.text for m in sent)
    assert await rows(harness.bot.store, "SELECT role FROM people WHERE user_id = 'resident2'") == [
        ("resident",)
    ]


async def test_a_grant_names_the_account_and_an_account_id_beats_a_display_name(
    harness: Harness,
) -> None:
    """A resident who took the name of a worker not yet known to the bot: the admin's
    /grant by that name shows whose account it reached; once the worker has written, their
    account id names them, whoever else carries the name."""
    impostor = Inbound(Person(CHANNEL, "mallory", "worker9"), Room(CHANNEL, "group"), "m-1", "你好")
    await harness.deliver(impostor)
    granted = (await harness.say("admin1", "/grant worker9 grid_worker DZ", chat="staff"))[0]
    assert granted.text.startswith("worker9（账号 mallory）的身份已设为「网格员」")
    await harness.say("worker9", "大家好")  # the real worker9: display name = account id
    again = (await harness.say("admin1", "/grant worker9 grid_worker DZ", chat="staff"))[0]
    assert again.text.startswith("worker9 的身份已设为「网格员」")
    back = (await harness.say("admin1", "/grant mallory resident", chat="staff"))[0]
    assert back.text.startswith("worker9（账号 mallory）的身份已设为「居民」")


async def test_a_grant_says_when_the_config_will_undo_it(db_path: Path) -> None:
    """The config's [[people]] are given their role again at every start: a /grant of one
    of them, reported done, was undone by the next restart unsaid.  The reply says so, and
    names what the config lists; someone the config does not list is told nothing more."""
    config = make_config(db_path)
    async with harness_with(config) as harness:
        await harness.say("resident2", "收到")
        [granted] = await harness.say("admin1", "授权 worker1 工作人员", chat="staff")
        assert granted.text == (
            "worker1 的身份已设为「中心工作人员」。注意：配置文件的 [[people]] 把此人设为"
            "「网格员」，网格：东镇，机器人重启时会恢复为该身份；要长期更改，请同时修改配置文件。"
        )
        [back] = await harness.say("admin1", "授权 worker1 网格员 DZ", chat="staff")
        assert back.text == "worker1 的身份已设为「网格员」，网格：东镇。"
        await harness.say("admin1", "授权 worker1 工作人员", chat="staff")
        [other] = await harness.say("admin1", "授权 resident2 网格员 DZ", chat="staff")
        assert other.text == "resident2 的身份已设为「网格员」，网格：东镇。"
    async with harness_with(config) as restarted:  # as the note said
        roles = "SELECT user_id, role FROM people WHERE user_id IN ('worker1', 'resident2')"
        assert sorted(await rows(restarted.bot.store, roles)) == [
            ("resident2", "grid_worker"), ("worker1", "grid_worker"),
        ]


async def test_the_last_admin_cannot_be_demoted(harness: Harness) -> None:
    """"授权 admin1 居民" from the only admin left nobody who could grant until a restart;
    refused, with why and the way round: another admin first."""
    [mine] = await harness.say("admin1", "授权 admin1 居民", private=True)
    assert mine.text == (
        "您是唯一的管理员，不能取消自己的管理员身份：否则在机器人重启前没有人能再授权。"
        "请先授权另一人为管理员（授权 某人 管理员），再更改自己的身份。"
    )
    await harness.say("resident2", "收到")
    [made] = await harness.say("admin1", "授权 resident2 管理员", private=True)
    assert made.text == "resident2 的身份已设为「管理员」。"
    # Two admins: either may step down; then the one left may not be demoted by the other.
    [down] = await harness.say("admin1", "授权 admin1 工作人员", private=True)
    assert down.text.startswith("admin1 的身份已设为「中心工作人员」。注意：配置文件")
    [theirs] = await harness.say("resident2", "授权 resident2 网格员 DZ", private=True)
    assert theirs.text.startswith("您是唯一的管理员")
    roles = "SELECT user_id, role FROM people WHERE user_id IN ('admin1', 'resident2')"
    assert sorted(await rows(harness.bot.store, roles)) == [
        ("admin1", "staff"), ("resident2", "admin"),
    ]


async def test_help_on_one_command_is_its_usage_in_the_readers_language(harness: Harness) -> None:
    """"帮助 授权" printed the whole help: now the command's line of the help (both ways to
    write it, and what it does) and its usage line where that says more, for any of its
    words, in the sender's language; a word that names no command, after /help, the whole
    help."""
    grant = i18n.usage("grant", "zh")
    for typed in ("帮助 授权", "/help grant", "/help /grant"):
        [reply] = await harness.say("admin1", typed, private=True)
        assert reply.text.startswith("用法：/grant 某人 身份 [网格或部门] 授权 某人 身份 — ")
        assert reply.text.endswith(f"\n{grant}"), typed
    [claim] = await harness.say("admin1", "帮助 认领", private=True)
    assert claim.text == "用法：/claim 12 认领 12 — 认领"
    # A command with no usage line of its own: its line of the reader's help.
    [queue] = await harness.say("staff1", "帮助 待办", private=True)
    assert queue.text == "用法：/queue [网格或部门] 待办 [网格或部门] — 待认领工单"
    whole = (await harness.say("admin1", "/help", private=True))[0].text
    [unknown] = await harness.say("admin1", "/help xyz", private=True)
    assert unknown.text == whole
    await harness.say("worker1", "/lang en", private=True)
    [english] = await harness.say("worker1", "/help 认领", private=True)
    assert english.text == "Usage: /claim 12 — claim"
