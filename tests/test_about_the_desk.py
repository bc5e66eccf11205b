"""Reports about the conduct of the desk's own people (作风反映, `bot.conduct`): recognised,
told to the staff room only, and worked by staff alone unless they hand them on
(`bot.workflow.kept_from`), through the harness on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import CHANNEL, Harness
from bot.conduct import is_about_the_desk
from bot.config import ChatRef, PersonConfig
from bot.workflow import Role
from classifier.rules import ABOUT_THE_DESK
from tests.conftest import (
    StoreFactory,
    harness_with,
    make_config,
    rows,
    texts,
    with_departments,
)
from tests.test_departments import platform_id
from tests.test_followup import asked, resolved_ticket
from tests.test_supervision import CLAIM_LATE, START, Desk, at, started

COMPLAINT = "王网格员收了他家的钱，处理不公"
REFUSED = "工单 #1 由中心工作人员直接办理，网格员和部门对接人不能认领、办结或处理。"
WORKERS = {"worker1", "worker2"}


@pytest.mark.parametrize(
    "text",
    [
        "网格员都是吃干饭的，啥事都不管",
        COMPLAINT,
        "社区干部态度恶劣",
        "村干部推诿扯皮，踢皮球",
        "你们工作人员不作为",
        "村主任偏袒他亲戚，办事不公",
        "刘书记骂人",
    ],
)
def test_a_complaint_about_the_desk_is_recognised(text: str) -> None:
    assert is_about_the_desk(text)


@pytest.mark.parametrize(
    "text",
    [
        "网格员来看过了，还是漏水",
        "王网格员说让我找物业",
        "网格员管不管宅基地的事？",
        "邻居骂人，网格员来调解了",
        "网格员说隔壁在打人",
        "你们快来楼上打人了",
        "网格员被他威胁了",
        "请问办证工作人员收多少钱",
        "楼上天天半夜装修，太吵了",
    ],
)
def test_a_report_merely_mentioning_a_worker_is_not(text: str) -> None:
    assert not is_about_the_desk(text)


def test_a_configured_name_counts_as_the_desk() -> None:
    assert is_about_the_desk("张伟收了好处，不给我们办", ["张伟"])
    assert not is_about_the_desk("张伟收了好处，不给我们办")
    assert not is_about_the_desk("张伟来看过了", ["张伟"])


def to(replies: list[Outbound], chat: str) -> list[Outbound]:
    return [m for m in replies if m.chat_id == chat]


async def test_no_department_is_suggested_for_it(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Its type is what the worker was dealing with, not who judges their conduct: "收了他家
    的钱" read as a consumer matter was suggested to 市场监管所."""
    config = with_departments(make_config(db_path))
    config.routing = {"neighbour": "司法所"}  # the stand-in model's type for both below
    async with harness_with(config, new_store()) as h:
        [notice] = to(await h.say("resident1", COMPLAINT), "staff")
        assert "建议承办" not in notice.text and notice.buttons == []
        [other] = to(await h.say("resident2", "楼上天天半夜装修，太吵了"), "staff")
        assert "建议承办：司法所" in other.text
        # Nor does its /ticket, which staff read before handing it on.
        [history] = await h.say("staff1", "/ticket 1", chat="staff")
        assert "建议承办" not in history.text and "作风反映" in history.text
        [history] = await h.say("staff1", "/ticket 2", chat="staff")
        assert "建议承办：司法所" in history.text


async def test_filed_to_the_staff_room_only_and_worked_by_staff(harness: Harness) -> None:
    filed = await harness.say("resident1", COMPLAINT)
    assert {m.chat_id for m in filed} == {"group", "staff"}
    [ack] = to(filed, "group")
    # The group reads the usual acknowledgement, with no 认领 a grid worker could press.
    assert ack.kind == "ack" and ack.buttons == [] and "作风" not in ack.text
    # ... promising the centre, not the grid worker it may be about.
    assert "综治中心将尽快处理" in ack.text and "网格员" not in ack.text, ack.text
    [notice] = to(filed, "staff")
    assert notice.text.startswith("【作风反映】") and "认领 1" in notice.text
    assert "风险提示：作风反映" in notice.text

    for command in ("/claim 1", "认领 1", "/resolve 1 已处理", "/note 1 我没收钱", "/dismiss 1"):
        [refused] = await harness.say("worker1", command)
        assert refused.text == REFUSED, (command, refused.text)
    [pressed] = await harness.say("worker2", "/claim 1", is_button=True)
    assert pressed.text == REFUSED
    [queue] = await harness.say("worker1", "待办", private=True)
    assert "#1" not in queue.text
    # Nor counted in their 我的 as waiting in their grid (本网格待认领 1 件).
    [mine] = await harness.say("worker1", "我的", private=True)
    assert "待认领" not in mine.text, mine.text
    await harness.say("resident2", "楼上天天半夜装修，太吵了")  # #2: the grid's
    [mine] = await harness.say("worker1", "我的", private=True)
    assert "本网格待认领 1 件" in mine.text, mine.text
    [other] = await harness.say("westworker", "/claim 1")  # another area's: as ever
    assert other.text == "没有找到工单 #1，或您无权查看。"

    claimed = await harness.say("staff1", "/claim 1", chat="staff")
    assert not to(claimed, "worker1") and not to(claimed, "worker2")
    resolved = await harness.say("staff1", "/resolve 1 已约谈王网格员，退还款项", chat="staff")
    assert any("已办结" in m.text for m in resolved), [m.text for m in resolved]
    [status] = await harness.say("resident1", "查询 1")
    assert "#1" in status.text and "已办结" in status.text and "作风" not in status.text
    # Told nothing one to one of it but their own 待办 and 我的.
    told = [m.text for m in harness.adapter.sent if m.chat_id in WORKERS]
    assert not [text for text in told if "#1" in text], told


async def test_a_complaint_is_read_through_invisible_characters(harness: Harness) -> None:
    """A zero width space inside a word (a copy from a web page carries them) hid the
    complaint from its reading: "王网\u200b格员…" was filed as the grid's ticket, offered to
    the workers it is about.  It goes where the message enters (`plain_text`)."""
    filed = await harness.say("resident1", "王网\u200b格员收了他家的钱，处理不公")
    [notice] = to(filed, "staff")
    assert notice.text.startswith("【作风反映】"), notice.text
    assert not {m.chat_id for m in filed} & WORKERS


async def test_a_private_complaint_reaches_no_grid_worker(harness: Harness) -> None:
    for resident in ("resident1", "resident2"):
        await harness.say(resident, "收到")  # seen in the DZ group first (chatter)
    plain = await harness.say("resident1", "楼上天天半夜装修，太吵了", private=True)
    assert {m.chat_id for m in plain} >= WORKERS  # a private report tells the grid
    filed = await harness.say("resident2", COMPLAINT, private=True)
    assert {m.chat_id for m in filed} == {"resident2", "staff"}
    [mine] = await harness.say("resident2", "查询 2", private=True)
    assert "#2" in mine.text


async def test_a_look_alike_is_filed_as_ever(harness: Harness) -> None:
    filed = await harness.say("resident1", "王网格员说让我找物业，楼上漏水")
    [ack] = [m for m in to(filed, "group") if m.kind == "ack"]
    assert [b.command for b in ack.buttons] == ["/claim 1"]
    claimed = await harness.say("worker1", "/claim 1")
    assert not any(m.text == REFUSED for m in claimed)


async def test_off_files_it_as_any_report(db_path: Path, new_store: StoreFactory) -> None:
    config = make_config(db_path)
    config.intake.about_the_desk = False
    async with harness_with(config, new_store()) as harness:
        [ack] = to(await harness.say("resident1", COMPLAINT), "group")
        assert [b.command for b in ack.buttons] == ["/claim 1"]


async def test_a_configured_workers_name_is_recognised(
    db_path: Path, new_store: StoreFactory
) -> None:
    config = make_config(db_path)
    config.people[0] = PersonConfig(
        channel=CHANNEL, user_id="worker1", name="张伟", role=Role.GRID_WORKER, area="DZ"
    )
    async with harness_with(config, new_store()) as harness:
        await harness.say("resident1", "收到")
        await harness.say("resident1", "张伟收了好处，不给我们办", private=True)
        [refused] = await harness.say("worker1", "/claim 1", private=True)
        assert refused.text == REFUSED


async def test_staff_may_hand_it_to_a_department(db_path: Path, new_store: StoreFactory) -> None:
    config = with_departments(make_config(db_path))
    async with harness_with(config, new_store()) as harness:
        await harness.say("resident1", COMPLAINT)
        [refused] = await harness.say("police1", "/claim 1", private=True)
        assert refused.text == "没有找到工单 #1，或您无权查看。"  # not their department's
        await harness.say("staff1", "/assign 1 PCS", chat="staff")
        claimed = await harness.say("police1", "/claim 1", private=True)
        assert any("认领" in m.text for m in claimed) and not any(
            m.text == REFUSED for m in claimed
        )
        [refused] = await harness.say("worker1", "/note 1 补充")
        assert refused.text == REFUSED


async def test_an_escalation_tells_the_staff_room_not_the_grid(desk: Desk) -> None:
    await desk.h.say("resident1", COMPLAINT)
    _, sent = await desk.sweep_on(CLAIM_LATE + at(minutes=1))
    assert sent and {m.chat_id for m in sent} == {"staff"}


async def test_a_grid_workers_ledger_leaves_it_out(harness: Harness) -> None:
    """Its row names its reporter and words: not in the grid's /export, in staff's."""
    await harness.say("resident1", COMPLAINT)  # #1: about the desk
    await harness.say("resident2", "楼上天天半夜装修，太吵了")  # #2: the grid's
    [grid] = [m for m in await harness.say("worker1", "导出台账 本月", private=True)
              if m.kind == "document"]
    assert grid.document is not None and grid.document.data is not None
    rows = grid.document.data.decode("utf-8-sig").splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == ["2"], rows
    assert "王网格员" not in grid.document.data.decode("utf-8-sig")
    [desk] = [m for m in await harness.say("staff1", "导出台账 本月 东镇", private=True)
              if m.kind == "document"]
    assert desk.document is not None and desk.document.data is not None
    rows = desk.document.data.decode("utf-8-sig").splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == ["1", "2"], rows


async def test_a_residents_notify_room_is_told_nothing_of_it(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A `[supervision] notify` room the residents read is the grid workers' group too: no
    escalation there (无人认领 would ask them to claim it) nor mediation reminder; the staff
    room reads both, and the grid's own ticket is escalated in the group as ever."""
    config = make_config(db_path)
    assert config.staff_chat is not None
    config.supervision.notify = [ChatRef(channel=CHANNEL, chat_id="group"), config.staff_chat]
    async for desk in started(config, new_store):
        for resident in ("resident1", "resident2"):
            await desk.h.say(resident, "收到")  # seen in the DZ group first (chatter)
        await desk.h.say("resident1", COMPLAINT, private=True)  # #1
        await desk.h.say("resident2", "楼上天天半夜装修，太吵了", private=True)  # #2
        await desk.h.say("staff1", "调解 1 明天下午3点 人民调解室", chat="staff")
        _, reminded = await desk.sweep_at(at(days=1, hours=4))
        assert [m.chat_id for m in reminded if m.text.startswith("【调解提醒】")] == ["staff"]
        _, sent = await desk.sweep_on(CLAIM_LATE + at(minutes=1))
        [group] = [m for m in sent if m.kind == "escalation" and m.chat_id == "group"]
        assert group.ticket_id == 2 and "#1" not in group.text
        [staff] = [m for m in sent if m.kind == "escalation" and m.chat_id == "staff"]
        # Folded (督办汇总): #1 marked as what staff work themselves, #2 not.
        [one] = [line for line in staff.text.splitlines() if "#1｜" in line]
        [two] = [line for line in staff.text.splitlines() if "#2｜" in line]
        assert one.endswith("｜作风反映") and "作风反映" not in two, staff.text


async def test_not_linked_as_one_event_with_the_grids_report(harness: Harness) -> None:
    """The same fight told by two residents, one of them as a worker's deed: linked, the
    grid read 与 #1 疑似同一事件 of a ticket kept from it, and the 并案 offered moved a case
    across the line.  Two tickets, each told where it would be alone."""
    await harness.say("resident1", "王网格员在村口打人了")  # #1: about the desk
    filed = await harness.say("resident2", "村口有人打人了")  # #2: the grid's
    [notice] = to(filed, "staff")
    assert "同一事件" not in notice.text and "并案" not in notice.text, notice.text
    [history] = await harness.say("staff1", "/ticket 2", chat="staff")
    assert "疑似同一事件" not in history.text


async def test_a_grid_workers_figures_leave_it_out(harness: Harness) -> None:
    """Even a count says one was made, of what type and how urgent: not in the grid's
    /stats nor /workload (no 无人认领 of it, no staff resolving it); staff's count it."""
    await harness.say("resident1", COMPLAINT)  # #1: about the desk, nobody holds it
    await harness.say("resident2", "楼上天天半夜装修，太吵了")  # #2: the grid's
    await harness.say("resident2", "社区干部态度恶劣，骂人")  # #3: about the desk
    await harness.say("staff1", "/claim 3", chat="staff")
    await harness.say("staff1", "/resolve 3 已约谈", chat="staff")
    [grid] = await harness.say("worker1", "统计", private=True)
    assert grid.text.splitlines()[1] == "受理 1 件，已办结 0 件，办结率 0.0%", grid.text
    [desk] = await harness.say("staff1", "统计 DZ", chat="staff")
    assert desk.text.splitlines()[1] == "受理 3 件，已办结 1 件，办结率 33.3%", desk.text
    [grid] = await harness.say("worker1", "工作量", private=True)
    assert grid.text.splitlines()[1:] == [
        "worker1：在办 0 件｜办结 0 件", "worker2：在办 0 件｜办结 0 件", "无人认领：1 件",
    ]
    [desk] = await harness.say("staff1", "工作量 DZ", chat="staff")
    assert desk.text.splitlines()[1:] == [
        "staff1：在办 0 件｜办结 1 件（用时中位数 0秒）",
        "worker1：在办 0 件｜办结 0 件", "worker2：在办 0 件｜办结 0 件", "无人认领：2 件",
    ]


async def test_the_ledger_suggests_no_department_for_it(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Its 建议承办部门 cell is empty, as its notice and /ticket suggest none; the grid's
    report of the same type still names the type's."""
    config = with_departments(make_config(db_path))
    config.routing = {"neighbour": "司法所"}  # the stand-in model's type for both below
    async with harness_with(config, new_store()) as h:
        await h.say("resident1", COMPLAINT)  # #1: about the desk
        await h.say("resident2", "楼上天天半夜装修，太吵了")  # #2: the grid's
        [ledger] = [m for m in await h.say("staff1", "导出台账 本月", private=True)
                    if m.kind == "document"]
        assert ledger.document is not None and ledger.document.data is not None
        header, *rows = csv.reader(io.StringIO(ledger.document.data.decode("utf-8-sig")))
        column = header.index("建议承办部门")
        assert [(row[0], row[column]) for row in rows] == [("1", ""), ("2", "司法所")]


LINKED = "疑似与工单 #{} 为同一事件"


async def test_a_grid_report_is_linked_to_the_grids_report_of_the_event(
    harness: Harness,
) -> None:
    """The same fight told three times, the second as a worker's deed: the third is closest
    to the 作风反映 (村口小卖部, 打人).  Picked first and dropped after, it was linked to
    nothing; the grid's own earlier report of it is what it is linked to."""
    await harness.say("resident1", "村口有人打人了")  # #1: the grid's
    await harness.say("resident2", "王网格员在村口小卖部打人了")  # #2: about the desk
    filed = await harness.say("resident3", "村口小卖部有人打人了")  # #3: the grid's
    [notice] = to(filed, "staff")
    assert LINKED.format(1) in notice.text and "#2" not in notice.text, notice.text
    [history] = await harness.say("staff1", "/ticket 3", chat="staff")
    assert "系统 疑似同一事件 #1" in history.text and "疑似同一事件 #2" not in history.text
    [history] = await harness.say("staff1", "/ticket 2", chat="staff")
    assert "疑似同一事件" not in history.text


async def test_a_complaint_is_linked_to_the_complaint_of_the_event(harness: Harness) -> None:
    """The mirror: a 作风反映 closest to the grid's report of the fight is linked to the
    earlier 作风反映 of it, never to the grid's ticket."""
    await harness.say("resident1", "网格员在村口打人了")  # #1: about the desk
    await harness.say("resident2", "村口小卖部门口有人打人了，好多人围着看")  # #2: the grid's
    filed = await harness.say("resident3", "村口小卖部门口好多人围着看，网格员打人了")  # #3
    [notice] = to(filed, "staff")
    assert notice.text.startswith("【作风反映】"), notice.text
    assert LINKED.format(1) in notice.text and "#2" not in notice.text, notice.text
    assert not [m for m in filed if m.chat_id in WORKERS]
    [history] = await harness.say("staff1", "/ticket 2", chat="staff")
    assert "疑似同一事件" not in history.text


async def not_in_the_grids_ticket(
    h: Harness, filed: list[Outbound], complaint: str = COMPLAINT
) -> None:
    """What a complaint naming 王网格员 said after the grid's #1 left: #1's words, parts and
    history without it, a 作风反映 #2 of its own told to the staff room, and no grid worker
    sent a word; in the group, only its reporter's usual acknowledgement."""
    async with h.bot.store.read() as tx:
        grid, filed_apart = await tx.ticket(1), await tx.ticket(2)
        history = await tx.events(1)
    assert grid is not None and "王网格员" not in grid.told
    assert not [e for e in history if "王网格员" in str(e.payload)], history
    assert filed_apart is not None and filed_apart.text == complaint
    assert ABOUT_THE_DESK in filed_apart.rules
    [notice] = to(filed, "staff")
    assert notice.text.startswith("【作风反映】") and "#2" in notice.text
    assert not [m for m in filed if m.chat_id in WORKERS]
    [ack] = to(filed, "group")
    assert ack.kind == "ack" and "#2" in ack.text and ack.buttons == []
    assert "王网格员" not in ack.text and "作风" not in ack.text
    [seen] = await h.say("worker1", "详情 1", private=True)  # its holder reads its history
    assert "#1" in seen.text and "王网格员" not in seen.text, seen.text


async def test_a_complaint_told_on_after_a_grid_report_is_filed_apart(
    db_path: Path, new_store: StoreFactory
) -> None:
    """"楼上天天半夜装修", then, a minute on, the worker's conduct: a part told on
    (`follow_on_minutes`), it joined the grid's ticket, its holder was sent it, and the
    staff room never heard of a 作风反映."""
    config = make_config(db_path)
    config.intake.follow_on_minutes = 10
    async with harness_with(config, new_store()) as h:
        await h.say("resident1", "楼上天天半夜装修，太吵了")  # #1: the grid's
        await h.say("worker1", "/claim 1")
        filed = await h.say("resident1", COMPLAINT)
        await not_in_the_grids_ticket(h, filed)
        # More of the complaint told on joins it, not the grid's ticket filed just before.
        more = await h.say("resident1", "王网格员态度恶劣")
        [reply] = [m.text for m in more if m.kind == "reply"]
        assert reply.startswith("已补充到您刚反映的工单 #2，"), reply
        assert not [m for m in more if m.chat_id in WORKERS]


async def test_a_complaint_in_reply_to_a_grid_acknowledgement_is_filed_apart(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The reporter answers the grid's acknowledgement with the worker's conduct: added to
    the ticket (已补充到工单 #1), the grid read it in its history; filed, staff read it, and
    which ticket it answered."""
    async with harness_with(make_config(db_path), new_store()) as h:
        filed = await h.say("resident1", "楼上天天半夜装修，太吵了")  # #1: the grid's
        [ack] = [m for m in filed if m.kind == "ack"]
        await h.say("worker1", "/claim 1")
        replied = await h.say("resident1", COMPLAINT, reply_to=platform_id(h, ack))
        await not_in_the_grids_ticket(h, replied)
        [notice] = to(replied, "staff")
        assert "#1" in notice.text  # the ticket it was sent in reply to, named to staff
        # Words of another matter in reply join it as ever.
        more = await h.say("resident1", "他们昨晚十二点还在砸墙", reply_to=platform_id(h, ack))
        assert texts(more) == ["已补充到工单 #1。"], texts(more)


async def test_a_complaint_saying_a_grid_report_again_is_filed_apart(harness: Harness) -> None:
    """"还是天天半夜装修" says #1 again (a repeat, within `repeat_days`): with the worker's
    conduct in it, it was added to #1 and its holder sent it (的反映人再次反映：…)."""
    await harness.say("resident1", "楼上天天半夜装修，太吵了")  # #1: the grid's
    await harness.say("worker1", "/claim 1")
    again = "楼上还是天天半夜装修，太吵了，王网格员根本不管"
    await not_in_the_grids_ticket(harness, await harness.say("resident1", again), again)


# A visit's 不满意 whose words are about the desk's own people: the rating counts, the words
# are the staff room's (`bot.privacy.ABOUT_THE_DESK_WORDS`).
ABOUT_THE_VISIT = "网格员态度恶劣，收了钱才办"
# What worker1, who resolved #1, reads of a 不满意 with no comment (`unsatisfied_notices`).
UNSATISFIED_PLAIN = (
    "【回访不满意】工单 #1｜东镇｜反映人：resident1\n"
    "办理人：worker1。工单已重新打开，回到待认领队列。\n再次认领请发送「认领 1」。"
)


async def words_kept_from_the_grid(desk: Desk, sent: list[Outbound]) -> None:
    """After a 不满意 on #1 whose words are `ABOUT_THE_VISIT`: the staff room reads them under
    the 作风反映 mark, worker1 (who resolved it) the notice of a 不满意 with no comment; the
    grid's /ticket, the grid's ledger and a later escalation of the reopened #1 hold none of
    them, staff's /ticket does."""
    [staff] = [m for m in sent if m.chat_id == "staff" and m.kind == "feedback"]
    assert staff.text.startswith("【作风反映】工单 #1 的回访意见"), staff.text
    assert f"【回访不满意】工单 #1｜东镇｜反映人：resident1：「{ABOUT_THE_VISIT}」" in staff.text
    [worker] = [m for m in sent if m.chat_id == "worker1"]
    assert worker.text == UNSATISFIED_PLAIN
    assert not [m for m in sent if m.chat_id in WORKERS and "收了钱" in m.text]
    for worker_id in WORKERS:
        [seen] = await desk.h.say(worker_id, "详情 1", private=True)
        # The answer, as one with no comment reads (评价 不满意, 记录电话回访 不满意; read from
        # everyday words, 评价 不满意（据回复判断）).
        answer = [line for line in seen.text.splitlines() if " 不满意" in line]
        assert answer and all(line.endswith(("不满意", "据回复判断）")) for line in answer), answer
        assert "收了钱" not in seen.text, seen.text
    [seen] = await desk.h.say("staff1", "/ticket 1", chat="staff")
    assert ABOUT_THE_VISIT in seen.text, seen.text
    [ledger] = [m for m in await desk.h.say("worker1", "导出台账 本月", private=True)
                if m.kind == "document"]
    assert ledger.document is not None and ledger.document.data is not None
    assert "收了钱" not in ledger.document.data.decode("utf-8-sig")
    _, later = await desk.sweep_at(at(days=30))
    assert later and not [m for m in later if "收了钱" in m.text], [m.text for m in later]


@pytest.mark.parametrize("verdict", ["不满意", "不行"])
async def test_an_unsatisfied_comment_about_the_desk_is_the_staff_rooms(
    desk: Desk, verdict: str
) -> None:
    """"不满意，网格员态度恶劣，收了钱才办", one message (or in everyday words, `不行，…`): the
    visit's answer (the rating counts, #1 reopens), and its words were sent to worker1, whom
    they are about."""
    await resolved_ticket(desk)
    await asked(desk)
    sent = await desk.h.say("resident1", f"{verdict}，{ABOUT_THE_VISIT}", private=True)
    [answer] = [m.text for m in sent if m.chat_id == "resident1"]
    assert "工单 #1 已重新打开" in answer, answer
    assert answer.endswith("您对工作人员的意见已转综治中心工作人员处理，不告知网格员和承办部门。")
    assert await rows(desk.h.bot.store, "SELECT rating FROM followups") == [("unsatisfied",)]
    assert await rows(desk.h.bot.store, "SELECT id, status FROM tickets") == [(1, "reopened")]
    await words_kept_from_the_grid(desk, sent)


async def test_a_numbered_unsatisfied_about_the_desk_too(desk: Desk) -> None:
    await resolved_ticket(desk)
    await asked(desk)
    sent = await desk.h.say("resident1", f"不满意 1 {ABOUT_THE_VISIT}", private=True)
    await words_kept_from_the_grid(desk, sent)


async def test_a_phone_visits_unsatisfied_about_the_desk_too(desk: Desk) -> None:
    """Staff's 回访 12 不满意 …, written down from a call: the same words, the same way."""
    await resolved_ticket(desk, reachable=False)
    await desk.sweep_at(at(days=2))
    sent = await desk.h.say("staff1", f"回访 1 不满意 {ABOUT_THE_VISIT}", chat="staff")
    [reply] = [m.text for m in sent if m.kind == "reply"]
    assert reply.startswith(f"已记录工单 #1 的电话回访：不满意（意见：{ABOUT_THE_VISIT}）"), reply
    await words_kept_from_the_grid(desk, sent)


async def test_the_button_then_words_about_the_desk_are_filed_apart(desk: Desk) -> None:
    """不满意 pressed, then the words: the answer has no comment (worker1 reads it as ever),
    and the words, no answer now, are a 作风反映 of their own (`takes_in`)."""
    await resolved_ticket(desk)
    question = await asked(desk)
    pressed = await desk.h.press("resident1", question, 2)
    [worker] = [m for m in pressed if m.chat_id == "worker1"]
    assert worker.text == UNSATISFIED_PLAIN
    sent = await desk.h.say("resident1", ABOUT_THE_VISIT, private=True)
    [notice] = [m for m in sent if m.chat_id == "staff"]
    assert notice.text.startswith("【作风反映】") and "#2" in notice.text, notice.text
    assert not [m for m in sent if m.chat_id in WORKERS]
    async with desk.h.bot.store.read() as tx:
        history = await tx.events(1)
    assert not [e for e in history if "收了钱" in str(e.payload)], history
    [seen] = await desk.h.say("worker1", "详情 1", private=True)
    assert "收了钱" not in seen.text


async def test_a_plain_unsatisfied_comment_reaches_the_worker_unchanged(desk: Desk) -> None:
    """The negative: words about the case, not the desk, are the worker's to read."""
    await resolved_ticket(desk)
    await asked(desk)
    sent = await desk.h.say("resident1", "不满意，网格员来看过了，还是很吵", private=True)
    [worker] = [m for m in sent if m.chat_id == "worker1"]
    assert worker.text == UNSATISFIED_PLAIN.replace(
        "resident1\n", "resident1：「网格员来看过了，还是很吵」\n"
    )
    [staff] = [m for m in sent if m.chat_id == "staff"]
    assert staff.text.startswith("【回访不满意】") and "作风" not in staff.text
    [answer] = [m.text for m in sent if m.chat_id == "resident1"]
    assert "不告知网格员" not in answer
    [seen] = await desk.h.say("worker1", "详情 1", private=True)
    assert "评价 不满意 网格员来看过了，还是很吵" in seen.text, seen.text


async def test_a_departments_liaisons_are_not_sent_the_words_either(
    db_path: Path, new_store: StoreFactory
) -> None:
    """A department's case reopened by such a 不满意: its liaisons, who resolved it or take
    it up again (重开原因), are kept from the words as from a 作风反映 not handed to them."""
    async with harness_with(with_departments(make_config(db_path)), new_store()) as h:
        await h.say("resident1", "楼下棋牌室天天聚众赌博")
        await h.say("staff1", "转办 1 派出所", chat="staff")
        await h.say("police1", "办结 1 已查处", private=True)
        sent = await h.say("resident1", f"不满意 1 {ABOUT_THE_VISIT}")
        direct = {m.chat_id: m.text for m in sent if m.kind == "direct"}
        assert set(direct) == {"police1", "police2"}, direct
        assert "重开原因" not in direct["police2"] and "收了钱" not in direct["police2"]
        assert direct["police1"].startswith("【回访不满意】工单 #1｜东镇｜反映人：resident1\n")
        [staff] = [m.text for m in sent if m.chat_id == "staff"]
        assert staff.startswith("【作风反映】") and ABOUT_THE_VISIT in staff
        [seen] = await h.say("police2", "详情 1", private=True)
        assert "收了钱" not in seen.text, seen.text


async def test_the_staff_room_reads_the_words_when_it_is_no_notify_room(
    db_path: Path, new_store: StoreFactory
) -> None:
    """Notify rooms that are a residents' group only: the group reads 不满意 as ever (not the
    words, nor that they are about the desk), and the staff room is told, as a 作风反映's
    notice reaches it."""
    config = make_config(db_path)
    config.supervision.notify = [ChatRef(channel=CHANNEL, chat_id="group")]
    async for desk in started(config, new_store):
        await resolved_ticket(desk)
        sent = await desk.h.say("resident1", f"不满意 1 {ABOUT_THE_VISIT}", private=True)
        [group] = [m.text for m in sent if m.chat_id == "group" and m.kind == "feedback"]
        assert group.startswith("【回访不满意】工单 #1｜东镇\n") and "作风" not in group, group
        [staff] = [m.text for m in sent if m.chat_id == "staff"]
        assert staff.startswith("【作风反映】") and ABOUT_THE_VISIT in staff


async def test_a_part_told_on_of_a_complaint_says_the_centre_handles_it(
    db_path: Path, new_store: StoreFactory
) -> None:
    """"网格员会一并处理" read badly to someone complaining of the grid worker: a 作风反映's
    next part is the centre's (综治中心), in either language; a grid report's, as ever."""
    config = make_config(db_path)
    config.intake.follow_on_minutes = 10
    async with harness_with(config, new_store()) as h:
        await h.say("resident1", COMPLAINT)  # #1: about the desk
        more = await h.say("resident1", "他还收了两条烟")
        assert [m.text for m in more if m.kind == "reply"] == [
            "已补充到您刚反映的工单 #1，综治中心会一并处理。"
            "如是另一件事，请以「另外，」开头再发一次。"
        ]
        await h.say("resident2", "/lang en", private=True)
        await h.say("resident2", "社区干部态度恶劣")  # #2: about the desk, in English
        more = await h.say("resident2", "他还收了两条烟")
        [reply] = [m.text for m in more if m.kind == "reply"]
        assert reply.startswith("Added to ticket #2, which you just reported; the centre "), reply
        await h.say("resident3", "楼上天天半夜装修，太吵了")  # #3: the grid's
        more = await h.say("resident3", "他们昨晚十二点还在砸墙")
        [reply] = [m.text for m in more if m.kind == "reply"]
        assert reply.startswith("已补充到您刚反映的工单 #3，网格员会一并处理。"), reply


async def test_a_complaint_said_again_says_the_centre_handles_it(desk: Desk) -> None:
    h = desk.h
    await h.say("resident1", COMPLAINT)  # #1: about the desk
    desk.clock.now = START + at(hours=1)
    again = await h.say("resident1", COMPLAINT)
    assert [m.text for m in again if m.kind == "reply"] == [
        "您已反映过此事，已补充到工单 #1，综治中心会一并处理。发送「查询 1」可了解进度。"
    ]
    await h.say("staff1", "/claim 1", chat="staff")
    await h.say("staff1", "/resolve 1 已约谈", chat="staff")
    desk.clock.now = START + at(hours=3)  # past the group's last answer (REPEAT_SAID_EVERY)
    again = await h.say("resident1", COMPLAINT)
    [reply] = [m.text for m in again if m.kind == "reply"]
    assert reply.endswith("综治中心会重新处理。") and "网格员" not in reply, reply


async def test_in_english_the_worker_reads_no_words_either(desk: Desk) -> None:
    await resolved_ticket(desk)
    await asked(desk)
    await desk.h.say("worker1", "/lang en", private=True)
    await desk.h.say("resident1", "/lang en", private=True)
    sent = await desk.h.say("resident1", f"unsatisfied 1 {ABOUT_THE_VISIT}", private=True)
    [answer] = [m.text for m in sent if m.chat_id == "resident1"]
    assert answer.endswith(
        "What you said about the desk's own people went to the centre's staff, not to the "
        "grid workers or a department."
    ), answer
    [worker] = [m.text for m in sent if m.chat_id == "worker1"]
    assert worker.startswith("[Follow-up: not satisfied] Ticket #1 | 东镇 | reporter: resident1\n")
    assert "收了钱" not in worker


async def test_a_search_does_not_find_the_ticket_by_those_words(desk: Desk) -> None:
    """`查找 收了钱` by a grid worker listed #1: they learnt the reporter said it of someone
    at the desk, on that ticket, though its history leaves the words out for them.  Staff
    find it; the worker finds it by the report's own words (the search still works)."""
    await resolved_ticket(desk)
    await asked(desk)
    await desk.h.say("resident1", f"不满意，{ABOUT_THE_VISIT}", private=True)
    for worker_id in WORKERS:
        [found] = await desk.h.say(worker_id, "查找 收了钱", private=True)
        assert found.text.startswith("没有找到") and "#1" not in found.text, found.text
        [found] = await desk.h.say(worker_id, "查找 楼道灯", private=True)
        assert "#1｜" in found.text, found.text
    [found] = await desk.h.say("staff1", "查找 收了钱", chat="staff")
    assert "#1｜" in found.text, found.text
