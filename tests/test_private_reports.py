"""Reporting privately (私下反映, `intake.private_reports`), through the harness on SQLite and
PostgreSQL: a resident writes to the bot one to one; the ticket is filed for the area of the
group they last wrote in, answered only in that chat, and its words are never read out in a
residents' group — not by /queue, /mine, /search or /ticket there."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import CHANNEL, Harness
from bot.config import ChatRef, Config, IntakeGroup, PersonConfig
from bot.workflow import Role
from tests.conftest import StoreFactory, harness_with, make_config, rows
from tests.test_supervision import CLAIM_LATE, local, started

PRIVATE = "隔壁302天天晚上聚众打麻将赌钱，吵得孩子没法睡"  # the keyword model: neighbour, normal
SECRET = "打麻将"  # a word of it


def by_kind(replies: list[Outbound], kind: str) -> list[Outbound]:
    return [m for m in replies if m.kind == kind]


def by_chat(replies: list[Outbound], chat: str) -> list[Outbound]:
    return [m for m in replies if m.chat_id == chat]


async def private_report(harness: Harness, user: str = "resident1") -> list[Outbound]:
    await harness.say(user, "收到")  # seen in the DZ group first (chatter)
    return await harness.say(user, PRIVATE, private=True)


async def test_a_private_report_is_filed_and_answered_only_privately(harness: Harness) -> None:
    replies = await private_report(harness)
    [ack] = by_chat(replies, "resident1")
    assert ack.text == (
        "已受理，工单号 #1。\n类型：邻里纠纷｜紧急程度：一般\n"
        "网格员将尽快处理，发送「查询 1」可了解进度。\n"
        "（私下反映：仅您和办理人员可见，不会在群里公开。）"
    )
    assert ack.buttons == []  # no 认领 under it: only the reporter reads it
    assert by_chat(replies, "group") == []
    [staff] = by_chat(replies, "staff")
    assert "私下反映：反映人未在群里公开，请勿在群里提及内容或反映人" in staff.text
    assert PRIVATE in staff.text  # the staff room is the desk's own
    stored = await rows(harness.bot.store, "SELECT id, chat_id, area, source FROM tickets")
    assert stored == [(1, "resident1", "DZ", "private")]  # 信息来源: 私聊反映
    # The area's grid workers read it nowhere else: each is told privately, with 认领.
    grid = by_kind(replies, "direct")
    assert [m.chat_id for m in grid] == ["worker1", "worker2"]
    assert grid[0].text == (
        "【私下反映】新工单 #1｜东镇｜邻里纠纷｜一般\nresident1：" + PRIVATE + "\n"
        "反映人未在群里公开，请勿在群里提及内容或反映人。认领请发送「认领 1」。"
    )
    assert [(b.label, b.command) for b in grid[0].buttons] == [("认领", "/claim 1")]
    # Claimed and resolved from the group: the reporter is told in their own chat, and the
    # edited acknowledgement keeps its note and gets no button.
    claimed = await harness.say("worker1", "认领 1")
    [edit] = [m for m in claimed if m.kind == "edit"]
    assert edit.chat_id == "resident1" and edit.buttons == [] and "私下反映" in edit.text
    done = await harness.say("worker1", "办结 1 已上门劝阻")
    [told] = [m for m in done if m.kind == "resolved"]
    assert told.chat_id == "resident1"


async def test_the_grid_reads_a_type_the_model_was_unsure_of_as_the_reporter_does(
    harness: Harness,
) -> None:
    """The notice named the model's guess (其他) where the reporter's acknowledgement and the
    staff room say a person will judge it."""
    await harness.say("resident1", "收到")  # seen in the DZ group first (chatter)
    replies = await harness.say("resident1", "家里的事，我真的不想活了", private=True)
    [ack] = by_chat(replies, "resident1")
    assert "类型：待工作人员确认" in ack.text
    [notice, _] = by_kind(replies, "direct")
    assert notice.text.startswith("【私下反映】新工单 #1｜东镇｜待人工研判｜较急\n")
    # The reporter's own list and /status say it in plain words, and leave out the desk's
    # flag; the worker's say it in the desk's (需人工研判, 待人工研判).
    [mine] = await harness.say("resident1", "进度", private=True)
    assert "需人工研判" not in mine.text and "#1｜待认领｜较急｜" in mine.text
    [status] = await harness.say("resident1", "查询 1", private=True)
    assert "｜待工作人员确认｜" in status.text and "研判" not in status.text
    [queue] = await harness.say("worker1", "待办", private=True)
    assert "#1｜待认领｜较急｜需人工研判｜" in queue.text
    [detail] = await harness.say("worker1", "查询 1", private=True)
    assert "｜待人工研判｜" in detail.text


async def test_a_workers_own_private_report_is_acknowledged_without_the_residents_line(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The line "仅您和办理人员可见" is written to a resident; a grid worker's or
    staff member's 上报 one to one gets the acknowledgement without it, edits included."""
    config = make_config(db_path)
    config.people = [
        PersonConfig(channel=CHANNEL, user_id="staff1", role=Role.STAFF, area="DZ")
        if p.user_id == "staff1"
        else p
        for p in config.people
    ]
    async with harness_with(config, new_store()) as harness:
        for number, who in ((1, "worker1"), (2, "staff1")):
            filed = await harness.say(who, f"上报：{PRIVATE}", private=True)
            [ack] = by_kind(filed, "ack")
            assert ack.chat_id == who and ack.text == (
                f"已登记上报，工单号 #{number}。\n类型：邻里纠纷｜紧急程度：一般\n"
                f"就地化解的，请发送「认领 {number}」，处理后「办结 {number} 结果」；"
                f"需其他部门处理的，请「备注 {number} 情况」并请中心转办。"
                if who == "worker1"  # their own 上报 (a staff member's is a desk record)
                else f"已受理，工单号 #{number}。\n类型：邻里纠纷｜紧急程度：一般\n"
                f"网格员将尽快处理，发送「查询 {number}」可了解进度。"
            )
            [staff] = by_chat(filed, "staff")  # the desk is still told to keep it private
            assert "私下反映：反映人未在群里公开" in staff.text
            assert by_kind(filed, "direct") == []  # their grid is not told, as of a resident's
            [edit] = by_kind(await harness.say("worker2", f"认领 {number}"), "edit")
            assert edit.chat_id == who and "私下反映" not in edit.text
            assert edit.text.endswith("当前：处理中（worker2）")
        # A resident's, beside them, keeps it.
        [ack] = by_chat(await private_report(harness), "resident1")
        assert ack.text.endswith("（私下反映：仅您和办理人员可见，不会在群里公开。）")


async def test_the_area_is_the_group_they_last_wrote_in(harness: Harness) -> None:
    await harness.say("resident2", "收到")
    await harness.say("resident2", "好的", chat="west")
    await harness.say("resident2", PRIVATE, private=True)
    assert await rows(harness.bot.store, "SELECT area FROM tickets") == [("XC",)]
    assert "#1｜" in (await harness.say("westworker", "待办", chat="west"))[0].text


async def test_someone_never_seen_in_a_group_is_told_how(harness: Harness) -> None:
    [reply] = await harness.say("resident9", PRIVATE, private=True)
    assert reply.text.startswith(
        "如需私下反映，请先发送「网格」选择您所在的网格（或在所在网格的群里发一条消息"
    )
    assert await rows(harness.bot.store, "SELECT COUNT(*) FROM tickets") == [(0,)]


@pytest.mark.parametrize("person", ["worker1", "staff1"])
async def test_a_desk_members_private_message_is_no_report(harness: Harness, person: str) -> None:
    """Theirs is 上报, and their private chat is for commands: they are pointed at /help,
    not told to report in their grid's group as a resident is."""
    [reply] = await harness.say(person, PRIVATE, private=True)
    assert reply.text == "这条消息不是命令，没有登记。发送 /help 查看可用命令。"
    assert await rows(harness.bot.store, "SELECT COUNT(*) FROM tickets") == [(0,)]


async def test_its_words_are_never_read_out_in_the_group(harness: Harness) -> None:
    await private_report(harness)
    await harness.say("resident2", "楼道灯坏了一个月")  # #2, in the group
    queue = (await harness.say("worker1", "待办"))[0].text
    assert "#1｜待认领｜一般｜（私下反映）" in queue and SECRET not in queue
    assert "楼道灯坏了" in queue
    # The reporter's own list in the group does not say they reported privately (the
    # group would learn who did); privately it does.
    mine = (await harness.say("resident1", "我的"))[0].text
    assert mine == "暂无记录。"
    mine = (await harness.say("resident1", "我的", private=True))[0].text
    assert mine.startswith("您反映的问题：\n#1｜待认领｜一般｜") and SECRET in mine
    [theirs] = await harness.say("resident2", "我的")
    assert theirs.text == "您反映的问题：\n#2｜待认领｜一般｜楼道灯坏了一个月"
    # A search there does not even say such a report exists.
    found = (await harness.say("worker1", f"查找 {SECRET}"))[0].text
    assert found.startswith("没有找到") and SECRET in found  # the word they typed, nothing more
    [refused] = await harness.say("worker1", "详情 1")
    assert refused.text == "工单 #1 为私下反映，不在群里显示，请私聊机器人查看。"
    # Nor its type or risks, by 查询 there, whoever asks.
    for who in ("worker1", "resident1"):
        assert (await harness.say(who, "查询 1"))[0].text == refused.text
    assert "邻里纠纷" in (await harness.say("resident1", "查询 1", private=True))[0].text
    # One to one, and in the staff room, it reads as any ticket.
    assert PRIVATE in (await harness.say("worker1", "详情 1", private=True))[0].text
    assert PRIVATE in (await harness.say("staff1", "详情 1", chat="staff"))[0].text
    assert "#1｜" in (await harness.say("worker1", f"查找 {SECRET}", private=True))[0].text
    assert SECRET in (await harness.say("staff1", "待办", chat="staff"))[0].text


async def test_staff_retagging_it_in_the_group_do_not_name_its_labels(harness: Harness) -> None:
    await private_report(harness)
    [reply] = by_kind(await harness.say("staff1", "改标 1 治安 紧急"), "reply")
    assert reply.text == ("工单 #1 已改标，并记入训练样本（私下反映的工单，标签不在群内显示）。")
    stored = await rows(harness.bot.store, "SELECT type, urgency FROM tickets")
    assert stored == [("public_order", "urgent")]
    # In the staff room, as for any ticket.
    [reply] = by_kind(await harness.say("staff1", "改标 1 邻里 一般", chat="staff"), "reply")
    assert reply.text == "工单 #1 已改为 邻里纠纷｜一般，并记入训练样本。"


async def test_private_chatter_is_listed_only_outside_the_group(harness: Harness) -> None:
    await harness.say("resident1", "收到")
    assert await harness.say("resident1", "谢谢", private=True) == []  # chatter, logged
    [(number,)] = await rows(
        harness.bot.store, "SELECT id FROM inbound_messages WHERE chat_id = 'resident1'"
    )
    in_group = (await harness.say("worker1", "未立案"))[0].text
    assert f"消息 {number}｜" not in in_group
    assert f"消息 {number}｜" in (await harness.say("worker1", "未立案", private=True))[0].text
    filed = await harness.say("worker1", f"立案 {number}", private=True)
    assert f"消息 {number} 已立案为工单 #1。" in [m.text for m in filed]
    assert [m.chat_id for m in filed if m.kind == "ack"] == ["resident1"]


async def test_with_one_area_no_group_message_is_needed(
    db_path: Path, new_store: StoreFactory
) -> None:
    config = make_config(db_path)
    config.intake_groups = config.intake_groups[:1]
    async with harness_with(config, new_store()) as h:
        replies = await h.say("resident9", PRIVATE, private=True)
    assert "工单号 #1" in by_chat(replies, "resident9")[0].text


@pytest.fixture
async def off(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Harness]:
    config = make_config(db_path)
    config.intake.private_reports = False
    async with harness_with(config, new_store()) as started:
        yield started


async def test_off_a_private_report_is_sent_to_the_group(off: Harness) -> None:
    await off.say("resident1", "收到")
    [reply] = await off.say("resident1", PRIVATE, private=True)
    assert reply.text.startswith("请在所在网格的群里反映问题")
    assert await rows(off.bot.store, "SELECT COUNT(*) FROM tickets") == [(0,)]


async def test_in_english(harness: Harness) -> None:
    await harness.say("resident1", "/lang en", private=True)
    [ack] = by_chat(await private_report(harness), "resident1")
    assert ack.text.endswith(
        "(Reported privately: only you and those handling it see it; it is not shown in the "
        "group.)"
    )


async def test_an_escalation_to_a_residents_group_hides_it(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A centre that sends escalations to a group the residents read (`[supervision]
    notify`) still never shows a private report's words there."""
    config = group_notified(make_config(db_path))
    async for desk in started(config, new_store):
        await desk.h.say("resident1", "收到")
        await desk.h.say("resident1", PRIVATE, private=True)
        report, sent = await desk.sweep_on(CLAIM_LATE)
        assert report.escalated == 1
        [group] = by_chat(sent, "group")
        assert "（私下反映）" in group.text and SECRET not in group.text
        assert SECRET in by_chat(sent, "staff")[0].text


def group_notified(config: Config) -> Config:
    """`config` with the residents' group as well as the staff room among the
    `[supervision] notify` rooms."""
    assert config.staff_chat is not None
    config.supervision.notify = [ChatRef(channel=CHANNEL, chat_id="group"), config.staff_chat]
    return config


def _departments_and_group_notified(db_path: Path) -> Config:
    """The harness's config with the police and justice departments, and the residents'
    group as well as the staff room among the `[supervision] notify` rooms."""
    from tests.conftest import with_departments

    return group_notified(with_departments(make_config(db_path)))


async def test_a_residents_group_reads_no_departments_name(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Which department a case went to says what it is about: /status in a residents' group
    says 相关部门, and so do an escalation and a 不满意 notice sent there; the staff room
    reads the department's name."""
    async for desk in started(_departments_and_group_notified(db_path), new_store):
        await desk.h.say("resident1", "楼下棋牌室天天聚众赌博")
        await desk.h.say("staff1", "转办 1 派出所", chat="staff")
        report, sent = await desk.sweep_on(CLAIM_LATE)
        assert report.escalated == 1
        [group] = by_chat(sent, "group")
        assert "东镇（转相关部门）" in group.text and "派出所" not in group.text, group.text
        assert "（转派出所）" in by_chat(sent, "staff")[0].text
        await desk.h.say("police1", "认领 1", private=True)
        # Nor the name of the liaison who holds it, which says the same (张警官).
        _, sent = await desk.sweep_on(local(2026, 12, 28))
        [group] = [m for m in by_chat(sent, "group") if m.kind == "escalation"]
        assert "负责人：相关部门" in group.text and "police1" not in group.text, group.text
        [staff] = [m for m in by_chat(sent, "staff") if m.kind == "escalation"]
        assert "负责人：police1" in staff.text, staff.text
        await desk.h.say("police1", "办结 1 已查处", private=True)
        replies = await desk.h.say("resident1", "不满意 1")
        [told] = [m for m in by_chat(replies, "group") if m.kind == "feedback"]
        assert "相关部门" in told.text and "派出所" not in told.text, told.text
        assert "办理人：相关部门" in told.text and "police1" not in told.text, told.text
        [staff] = [m for m in by_chat(replies, "staff") if m.kind == "feedback"]
        assert "派出所" in staff.text and "办理人：police1" in staff.text


async def test_stats_in_a_residents_group_name_no_department(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A grid worker's 统计 in their residents' group counts the cases, but does not list
    the departments they went to (转办) or assist with (协办): the staff room's does."""
    async for desk in started(_departments_and_group_notified(db_path), new_store):
        await desk.h.say("resident1", "楼下棋牌室天天聚众赌博")
        await desk.h.say("staff1", "转办 1 派出所", chat="staff")
        await desk.h.say("staff1", "协办 1 司法所", chat="staff")
        [group] = await desk.h.say("worker1", "统计")
        assert "受理 1 件" in group.text
        for name in ("派出所", "司法所", "PCS", "SFS", "部门"):
            assert name not in group.text, group.text
        [staff] = await desk.h.say("staff1", "统计", chat="staff")
        assert "转办部门：派出所 1（已办结 0）" in staff.text
        assert "协办部门：司法所 1（已办结 0）" in staff.text


async def test_workload_in_a_residents_group_names_no_department_nor_liaison(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A grid worker's 工作量 in their residents' group lists the grid's own workers, not a
    liaison holding one of its cases (police1 says 派出所 as its name does) nor the
    departments' cases nobody there has taken up (转派出所待认领): the staff room's does."""
    async for desk in started(_departments_and_group_notified(db_path), new_store):
        for text in ("楼下棋牌室天天聚众赌博", "隔壁天天半夜唱歌"):
            await desk.h.say("resident1", text)
        await desk.h.say("staff1", "转办 1 派出所", chat="staff")
        await desk.h.say("staff1", "转办 2 派出所", chat="staff")
        await desk.h.say("police1", "认领 1", private=True)
        [group] = await desk.h.say("worker1", "工作量")
        assert "worker1：在办 0 件" in group.text, group.text
        for said in ("派出所", "police1", "PCS"):
            assert said not in group.text, group.text
        [staff] = await desk.h.say("staff1", "工作量 DZ", chat="staff")
        assert "police1：在办 1 件" in staff.text and "转派出所待认领：1 件" in staff.text


HELP_LINE = "不便在群里说的事，可以私聊机器人反映，不会在群里公开。"


async def test_help_tells_residents_they_may(harness: Harness) -> None:
    help_text = (await harness.say("resident1", "帮助"))[0].text
    assert help_text.splitlines()[1] == HELP_LINE
    assert HELP_LINE not in (await harness.say("worker1", "帮助"))[0].text  # theirs is 上报


async def test_off_help_does_not_offer_it(off: Harness) -> None:
    assert HELP_LINE not in (await off.say("resident1", "帮助"))[0].text


async def test_a_resident_chooses_their_grid(harness: Harness) -> None:
    await harness.say("resident1", "收到")  # last seen in the DZ group
    none = (await harness.say("resident1", "网格", private=True))[0].text
    assert none == (
        "您还没有选择网格。发送「网格」加名称或代码选择您所在的网格，私聊反映的问题就交给它："
        "DZ（东镇）、XC（西村）。"
    )
    assert (await harness.say("resident1", "网格 XC", private=True))[0].text == (
        "已将您的网格设为「西村」。私聊反映的问题将交给这个网格。"
    )
    assert (await harness.say("resident1", "我的网格", private=True))[0].text.startswith(
        "您所在的网格：西村。"
    )
    await harness.say("resident1", PRIVATE, private=True)  # the choice beats the last group
    assert await rows(harness.bot.store, "SELECT area FROM tickets") == [("XC",)]
    bad = (await harness.say("resident1", "网格 NOPE", private=True))[0].text
    assert bad.startswith("「NOPE」不是网格的名称或代码。")
    # By its name, as residents know it.
    assert (await harness.say("resident1", "网格 东镇", private=True))[0].text == (
        "已将您的网格设为「东镇」。私聊反映的问题将交给这个网格。"
    )
    await harness.say("resident1", "楼道里的灯坏了一个星期了", private=True)
    assert await rows(harness.bot.store, "SELECT area FROM tickets ORDER BY id") == [
        ("XC",),
        ("DZ",),
    ]


async def test_a_grant_says_which_grid_the_person_is_left_with(harness: Harness) -> None:
    """/grant without an area keeps the one a person had, here the grid a resident chose:
    the reply says so, and that a grid worker with none would see every area."""
    await harness.say("resident1", "网格 XC", private=True)
    [kept] = await harness.say("admin1", "/grant resident1 grid_worker")
    assert kept.text == "resident1 的身份已设为「网格员」，网格：西村。"
    await harness.say("resident2", "收到")
    [none] = await harness.say("admin1", "授权 resident2 grid_worker")
    assert none.text == (
        "resident2 的身份已设为「网格员」，未设网格（可查看所有网格的工单；加上网格可限定，"
        "如「授权 某人 网格员 东镇」）。"
    )
    [staff] = await harness.say("admin1", "/grant resident2 staff DZ")
    assert staff.text == "resident2 的身份已设为「中心工作人员」。"


async def test_a_worker_cannot_move_their_own_grid(harness: Harness) -> None:
    [reply] = await harness.say("worker1", "网格 XC")
    assert reply.text == "网格员和工作人员的网格（东镇）由管理员设置（授权），不能自行更改。"
    stored = await rows(harness.bot.store, "SELECT area FROM people WHERE user_id = 'worker1'")
    assert stored == [("DZ",)]


@pytest.fixture
async def one_to_one(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Harness]:
    """WeCom / Official Account style: no residents' group on the channel; every
    conversation on it is an intake point for one area ("*")."""
    config = make_config(db_path)
    config.intake_groups = [IntakeGroup(channel=CHANNEL, chat_id="*", area="DZ")]
    async with harness_with(config, new_store()) as started:
        yield started


async def test_on_a_one_to_one_channel_the_chosen_grid_routes_it(one_to_one: Harness) -> None:
    """A resident who chose their grid has their reports filed there, and what the
    classifier took for chatter is listed to that grid's workers."""
    h = one_to_one
    await h.say("resident2", PRIVATE, private=True)  # no choice yet: the point's area
    await h.say("resident1", "/area XC", private=True)
    await h.say("resident1", PRIVATE, private=True)
    stored = await rows(h.bot.store, "SELECT reporter_id, area FROM tickets ORDER BY id")
    assert [area for _, area in stored] == ["DZ", "XC"]
    await h.say("resident1", "谢谢", private=True)  # chatter, logged
    assert "resident1：谢谢" in (await h.say("westworker", "未立案", private=True))[0].text
    assert "谢谢" not in (await h.say("worker1", "未立案", private=True))[0].text


def new_report(number: int, urgency: str = "一般", type_: str = "邻里纠纷",
               text: str = PRIVATE, area: str = "东镇") -> str:
    """The notice of a report made where every report is one to one, as its grid reads it."""
    return (
        f"【群众反映】新工单 #{number}｜{area}｜{type_}｜{urgency}\nresident1：{text}\n"
        f"认领请发送「认领 {number}」。"
    )


async def test_on_a_one_to_one_channel_its_grid_is_told_of_each_report(
    one_to_one: Harness,
) -> None:
    """Where every report is made one to one (WeCom, an Official Account), the area's grid
    workers see none in a group: each is told of a resident's report privately, with 认领,
    as of a private report, but not as one (私下反映) kept from a group, which it is not.
    They used to learn of it from 待办, or when supervision escalated it."""
    h = one_to_one
    filed = await h.say("resident1", PRIVATE, private=True)
    [ack] = by_chat(filed, "resident1")  # the reporter reads only their acknowledgement
    assert ack.kind == "ack" and "私下反映" not in ack.text
    [staff] = by_chat(filed, "staff")
    assert "私下反映" not in staff.text
    grid = by_kind(filed, "direct")
    assert [m.chat_id for m in grid] == ["worker1", "worker2"]  # not XC's westworker
    assert {m.text for m in grid} == {new_report(1)}
    assert "私下反映" not in grid[0].text and "未在群里公开" not in grid[0].text
    assert [(b.label, b.command) for b in grid[0].buttons] == [("认领", "/claim 1")]
    # Pressed, it claims: the reporter is told in their own chat.
    claimed = await h.press("worker2", grid[1])
    assert "工单 #1 已由 worker2 认领。" in [m.text for m in by_chat(claimed, "worker2")]
    [edit] = by_kind(claimed, "edit")
    assert edit.chat_id == "resident1" and edit.text.endswith("当前：处理中（worker2）")
    # Typed, as on WeCom, which shows no buttons.
    grid = by_kind(await h.say("resident1", "楼道里的灯坏了一个星期了", private=True), "direct")
    assert [m.text for m in grid] == [new_report(2, text="楼道里的灯坏了一个星期了")] * 2
    [reply] = by_chat(await h.say("worker1", "认领 2", private=True), "worker1")
    assert reply.text == "工单 #2 已由 worker1 认领。"
    assert await rows(h.bot.store, "SELECT id, source, assignee_id IS NOT NULL FROM tickets"
                      " ORDER BY id") == [(1, "private", True), (2, "private", True)]


async def test_on_a_one_to_one_channel_an_urgent_report_says_so_to_its_grid(
    one_to_one: Harness,
) -> None:
    """An urgent report's notice names its urgency where the staff room's does, first
    thing after the number (紧急)."""
    filed = await one_to_one.say("resident1", "楼下有人打人了", private=True)
    [staff] = by_chat(filed, "staff")
    assert staff.text.startswith("新工单 #1｜东镇｜治安隐患｜紧急")
    grid = by_kind(filed, "direct")
    assert [m.chat_id for m in grid] == ["worker1", "worker2"]
    assert grid[0].text == new_report(1, "紧急", "治安隐患", "楼下有人打人了")


async def test_on_a_one_to_one_channel_who_files_it_or_reports_it_is_not_told(
    one_to_one: Harness,
) -> None:
    """A worker filing a resident's message the classifier took for chatter (立案 N) is
    not told what they just did; the other is.  A grid worker's own 上报 tells no
    colleague, as one to one anywhere (the ticket's source is theirs, not a resident's)."""
    h = one_to_one
    assert await h.say("resident1", "谢谢", private=True) == []  # chatter, logged
    [(number,)] = await rows(h.bot.store, "SELECT id FROM inbound_messages")
    filed = await h.say("worker1", f"立案 {number}", private=True)
    assert [m.chat_id for m in by_kind(filed, "direct")] == ["worker2"]
    assert by_kind(filed, "direct")[0].text == new_report(1, "一般", "待人工研判", "谢谢")
    reported = await h.say("worker1", f"上报：{PRIVATE}", private=True)
    assert by_kind(reported, "ack") and by_kind(reported, "direct") == []


async def test_with_its_area_unknown_a_one_to_one_report_goes_to_no_grid(
    db_path: Path, new_store: StoreFactory
) -> None:
    """No group and no "*" point on the channel, several areas: a resident who has not
    chosen their grid is asked to, and nothing is filed nor sent to any grid.  Once they
    have, their report is filed there and that grid's workers are told of it."""
    config = make_config(db_path)
    config.intake_groups = []
    async with harness_with(config, new_store()) as h:
        [answer] = await h.say("resident1", PRIVATE, private=True)
        assert answer.chat_id == "resident1" and "网格" in answer.text
        assert await rows(h.bot.store, "SELECT COUNT(*) FROM tickets") == [(0,)]
        await h.say("resident1", "网格 XC", private=True)
        filed = await h.say("resident1", PRIVATE, private=True)
        assert [m.chat_id for m in by_kind(filed, "direct")] == ["westworker"]
        assert by_kind(filed, "direct")[0].text == new_report(1, area="西村")


async def test_a_report_in_a_group_is_sent_to_no_grid_worker_privately(
    harness: Harness,
) -> None:
    """Its grid's workers read it in the group, under its 认领 button."""
    filed = await harness.say("resident1", "楼道里的灯坏了一个星期了")
    [ack] = by_kind(filed, "ack")
    assert ack.chat_id == "group" and [b.command for b in ack.buttons] == ["/claim 1"]
    assert by_kind(filed, "direct") == []


async def test_choosing_in_english(harness: Harness) -> None:
    await harness.say("resident1", "/lang en", private=True)
    assert (await harness.say("resident1", "/area XC", private=True))[0].text == (
        "Your area is now 西村. What you report one to one goes there."
    )


async def test_with_one_area_there_is_nothing_to_choose(
    db_path: Path, new_store: StoreFactory
) -> None:
    config = make_config(db_path)
    config.areas, config.intake_groups = config.areas[:1], config.intake_groups[:1]
    async with harness_with(config, new_store()) as h:
        [reply] = await h.say("resident9", "网格", private=True)
    assert reply.text.startswith("您所在的网格：东镇。")


async def test_staff_without_an_area_are_told_so_in_words(harness: Harness) -> None:
    [reply] = await harness.say("staff1", "网格 XC", chat="staff")
    assert reply.text == "网格员和工作人员的网格（未设）由管理员设置（授权），不能自行更改。"


async def test_an_unsatisfied_answer_is_not_read_out_in_a_residents_group(
    db_path: Path, new_store: StoreFactory
) -> None:
    """不满意 is told to the notify rooms; one the residents read is not told who answered
    (a private report's reporter, or anyone answering a private question) nor what they said."""
    config = group_notified(make_config(db_path))
    async for desk in started(config, new_store):
        await desk.h.say("resident1", "收到")
        await desk.h.say("resident1", PRIVATE, private=True)
        await desk.h.say("worker1", "认领 1", private=True)
        await desk.h.say("worker1", "办结 1 已上门劝导", private=True)
        replies = await desk.h.say("resident1", "不满意 1 还在打牌，电话13812345678", private=True)
        [group] = [m for m in by_chat(replies, "group") if m.kind == "feedback"]
        assert "resident1" not in group.text and "还在打牌" not in group.text, group.text
        assert group.text.startswith("【回访不满意】工单 #1｜东镇")
        [staff] = [m for m in by_chat(replies, "staff") if m.kind == "feedback"]
        assert "resident1：「还在打牌，电话13812345678」" in staff.text


async def test_an_urgent_staff_notice_without_a_staff_room_is_not_read_out_in_a_residents_group(
    db_path: Path, new_store: StoreFactory
) -> None:
    """With no staff chat an urgent ticket's staff notice goes to the notify rooms (someone
    must be told); one the residents read is told the ticket number, not the private
    report's words or its reporter."""
    config = make_config(db_path)
    config.staff_chat = None
    config.supervision.notify = [ChatRef(channel=CHANNEL, chat_id="group")]
    async for desk in started(config, new_store):
        await desk.h.say("resident1", "收到")
        replies = await desk.h.say("resident1", "我老公又打人了，我躲在邻居家", private=True)
        group = [m for m in by_chat(replies, "group") if m.kind == "staff"]
        assert group, replies
        for m in group:
            assert "打人" not in m.text and "resident1" not in m.text, m.text
            assert "#1" in m.text


async def test_an_extension_request_is_not_read_out_in_a_residents_group(
    db_path: Path, new_store: StoreFactory
) -> None:
    """延期 asked by the worker holding a ticket goes to the notify rooms; one the residents
    read is told who asks and for how long, not the worker's reason: it is written for staff
    and may name the parties, a private report's too (as 不满意 and urgent notices there)."""
    config = group_notified(make_config(db_path))
    async for desk in started(config, new_store):
        await private_report(desk.h)
        await desk.h.say("worker1", "认领 1", private=True)
        reason = "张三不肯签字，电话 1 3 8 1 2 3 4 5 6 7 8"
        replies = await desk.h.say("worker1", f"申请延期 1 3个工作日 {reason}", private=True)
        [group] = [m for m in by_chat(replies, "group") if m.kind == "staff"]
        assert group.text == (
            "【延期申请】工单 #1｜东镇｜worker1 申请延长办结时限 3个工作日（现为 15个工作日）\n"
            "同意请发送「延期 1 至18个工作日」（或 /extend 1 =18wd），"
            "不同意请发送「不同意延期 1」。"
        )
        [asked] = await rows(
            desk.bot.store, "SELECT id FROM ticket_events WHERE action = 'extend_request'"
        )
        assert [b.command for b in group.buttons] == [
            f"/extend 1 =18wd req={asked[0]}", f"/extend 1 no req={asked[0]}"
        ]
        [staff] = [m for m in by_chat(replies, "staff") if m.kind == "staff"]
        assert f"：「{reason}」" in staff.text


async def test_a_reply_to_a_notice_in_a_residents_group_is_no_way_into_the_ticket(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A notice about a private report posted where the residents read it (a `[supervision]
    notify` room) carries the ticket's number, and a reply to it used to join that ticket:
    any resident's words were added to a report they may not open (`已补充到工单 #1。`, and
    the reporter's case held a neighbour's gossip), a report of theirs was named to the
    desk as the same event, one tap from a merge that would tell them its outcome, and a
    worker of another grid added to it too.  Replies join a ticket in the chat it was
    reported in, or from someone who may open it; there this is a message of its own."""
    config = group_notified(make_config(db_path))
    async for desk in started(config, new_store):
        await private_report(desk.h)
        await desk.h.say("worker1", "认领 1", private=True)
        asked = await desk.h.say("worker1", "申请延期 1 3个工作日 需要鉴定", private=True)
        [notice] = [m for m in by_chat(asked, "group") if m.kind == "staff"]
        assert notice.ticket_id == 1
        under = [m for m in desk.h.adapter.sent if m.kind != "edit"].index(notice) + 1
        assert await desk.h.say("resident2", "谢谢", reply_to=f"m{under}") == []
        assert await desk.h.say("westworker", "这家我认识", reply_to=f"m{under}") == []
        filed = await desk.h.say("resident2", "他们家天天吵到半夜", reply_to=f"m{under}")
        assert "已受理，工单号 #2。" in by_kind(filed, "ack")[0].text
        [staff] = by_chat(filed, "staff")
        assert "#1" not in staff.text and staff.buttons == []
        history = (await desk.h.say("staff1", "详情 1", chat="staff"))[0].text
        for said in ("谢谢", "这家我认识", "天天吵到半夜", "#2"):
            assert said not in history, said
        # Whoever may open it still adds to it by a reply, wherever the notice reached them.
        more = await desk.h.say("worker1", "上报：当事人同意明天鉴定", reply_to=f"m{under}")
        assert [m.text for m in more] == ["已补充到工单 #1。"]


async def test_a_liaison_giving_a_case_back_is_not_named_in_a_residents_group(
    db_path: Path, new_store: StoreFactory
) -> None:
    """An escalation of a case a liaison gave back (退回) says who did: 相关部门 where the
    residents read it, as it names a liaison holding one; the staff room reads the name."""
    async for desk in started(_departments_and_group_notified(db_path), new_store):
        await desk.h.say("resident1", "楼下棋牌室天天聚众赌博")
        await desk.h.say("staff1", "转办 1 派出所", chat="staff")
        await desk.h.say("police1", "认领 1", private=True)
        await desk.h.say("police1", "退回 1 另请同事处理", private=True)
        _, sent = await desk.sweep_on(CLAIM_LATE)
        [group] = [m for m in by_chat(sent, "group") if m.kind == "escalation"]
        assert "police1" not in group.text and "相关部门已退回" in group.text, group.text
        [staff] = [m for m in by_chat(sent, "staff") if m.kind == "escalation"]
        assert "police1 已退回" in staff.text, staff.text


async def test_an_extension_request_names_no_department_in_a_residents_group(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A department's liaison asking 延期: the residents' notify room reads 相关部门, as its
    escalations and 不满意 notices there do (which department says what the case is about);
    the staff room reads the department's name."""
    async for desk in started(_departments_and_group_notified(db_path), new_store):
        await desk.h.say("resident1", "楼下棋牌室天天聚众赌博")
        await desk.h.say("staff1", "转办 1 派出所", chat="staff")
        await desk.h.say("police1", "认领 1", private=True)
        replies = await desk.h.say("police1", "申请延期 1 3个工作日 需要调取监控", private=True)
        [group] = [m for m in by_chat(replies, "group") if m.kind == "staff"]
        assert "东镇（转相关部门）" in group.text and "派出所" not in group.text, group.text
        [staff] = [m for m in by_chat(replies, "staff") if m.kind == "staff"]
        assert "东镇（转派出所）" in staff.text, staff.text
        # Nor the liaison's name, which says the same (派出所张警官), here or in the line of
        # an escalation that repeats the request.
        assert "police1" not in group.text and "｜相关部门申请延长" in group.text, group.text
        assert "｜police1 申请延长" in staff.text, staff.text
        _, sent = await desk.sweep_on(local(2026, 12, 28))
        [group] = [m for m in by_chat(sent, "group") if m.kind == "escalation"]
        assert "police1" not in group.text and "\n相关部门已申请延期" in group.text, group.text
        [staff] = [m for m in by_chat(sent, "staff") if m.kind == "escalation"]
        assert "\npolice1 已申请延期" in staff.text, staff.text
