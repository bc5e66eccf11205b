"""Major and difficult cases (重大疑难), through the harness on SQLite and PostgreSQL: staff
mark one and take the mark off, the admins are told, 重大疑难 lists the open ones, and the
mark shows in lists, /ticket, /stats, the ledger and the briefing; a major case's first
missed deadline reaches the admins (领导督办)."""

from __future__ import annotations

import pytest

from bot.adapters.base import Outbound
from bot.adapters.harness import Harness
from bot.briefing import Backlog, render_briefing
from bot.ledger import COLUMNS, LedgerFormat
from bot.render import Renderer
from tests.conftest import rows
from tests.test_supervision import URGENT, Desk, at

WAGES = "工地三十多个工人被拖欠工资半年，说要集体去堵县政府大门"


def reply(sent: list[Outbound]) -> str:
    [only] = [m.text for m in sent if m.kind == "reply"]
    return only


def to(sent: list[Outbound], who: str) -> list[str]:
    return [m.text for m in sent if m.kind == "direct" and m.chat_id == who]


async def test_marking_a_case_major(harness: Harness) -> None:
    await harness.say("resident1", WAGES)
    await harness.say("resident1", "楼道灯坏了一个月")
    sent = await harness.say("staff1", "列为重大 1 涉及三十多人，有群体性事件苗头", chat="staff")
    assert reply(sent) == (
        "已将工单 #1 列为重大疑难，管理员已获通知；发送「重大疑难」查看全部，「取消重大 1」撤销。"
    )
    [notice] = to(sent, "admin1")
    assert notice.startswith(
        "【重大疑难】staff1 将工单 #1（东镇）列为重大疑难：「涉及三十多人，有群体性事件苗头」\n"
        "工地三十多个工人"
    )
    assert await rows(harness.bot.store, "SELECT id, major FROM tickets ORDER BY id") == [
        (1, 1),
        (2, 0),
    ]
    again = reply(await harness.say("staff1", "/major 1", chat="staff"))
    assert again == "工单 #1 已是重大疑难。"
    # The meeting's agenda, and the mark wherever the desk lists tickets.
    agenda = reply(await harness.say("staff1", "重大疑难", chat="staff"))
    assert agenda.splitlines()[0] == "重大疑难（在办）："
    assert agenda.splitlines()[1].startswith("#1｜待认领｜")
    assert agenda.splitlines()[1].endswith("｜主办：东镇网格")
    assert len(agenda.splitlines()) == 2
    queue = reply(await harness.say("worker1", "待办", private=True))
    assert "\n【重大疑难】#1｜待认领｜" in queue and "\n#2｜待认领｜" in queue
    # Not in the residents' group, where the reporter reads it.
    assert "重大疑难" not in reply(await harness.say("worker1", "待办"))
    history = reply(await harness.say("staff1", "/ticket 1", chat="staff"))
    assert "\n重大疑难：是" in history
    assert "staff1 列为重大疑难 涉及三十多人，有群体性事件苗头" in history
    # Not for the residents: their view of the ticket says nothing of it.
    assert "重大" not in reply(await harness.say("resident1", "查询 1", private=True))
    assert "重大" not in reply(await harness.say("resident1", "我的", private=True))
    # Counted apart, and in the ledger.
    stats = reply(await harness.say("staff1", "统计", chat="staff"))
    assert "\n重大疑难 1 件（已办结 0 件）" in stats
    writer = LedgerFormat(harness.bot.config, "zh", masked=True)
    async with harness.bot.store.read() as tx:
        ledger = await tx.ledger_rows("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z", 0, 10)
    column = COLUMNS.index("major")
    assert writer.header()[column] == "重大疑难"
    assert [writer.cells(row)[column] for row in ledger] == ["是", ""]
    # Taken off the list.
    off = reply(await harness.say("staff1", "取消重大 1", chat="staff"))
    assert off == "已取消工单 #1 的重大疑难标记。"
    assert reply(await harness.say("staff1", "/major", chat="staff")) == "没有在办的重大疑难。"
    assert reply(await harness.say("staff1", "/major 1 off", chat="staff")) == (
        "工单 #1 不是重大疑难。"
    )


async def test_who_may_and_which_cases(harness: Harness) -> None:
    await harness.say("resident1", WAGES)
    refused = reply(await harness.say("worker1", "列为重大 1 人多"))
    assert refused == "您的身份（网格员）不能使用「重大疑难」。"
    refused = reply(await harness.say("resident1", "重大疑难"))
    assert refused == "您的身份（居民）不能使用「重大疑难」。"
    await harness.say("worker1", "认领 1")
    await harness.say("worker1", "办结 1 已协调劳动监察大队追回工资")
    closed = reply(await harness.say("staff1", "列为重大 1", chat="staff"))
    assert closed == "工单 #1 当前为「已办结」，不再列为重大疑难。"
    # A resident's words that only start like it stay a report.
    sent = await harness.say("resident2", "重大疑难问题请领导重视，村里的路三年没修")
    assert any(m.kind == "ack" for m in sent)
    sent = await harness.say("resident2", "重大安全隐患，3栋楼道堆满了电动车")
    assert any(m.kind == "ack" for m in sent)


@pytest.fixture
def routed(departments: Harness) -> Harness:
    """The harness with departments to hand cases to (`tests.conftest.with_departments`)."""
    return departments


async def test_not_listed_in_a_residents_group(routed: Harness) -> None:
    """Typed there, the agenda would tell the group which cases the desk judged major,
    which department leads each and other groups' and private reports' cases: none of it
    is said there (a mark made there is answered 已记录, a list there has no 【重大疑难】)."""
    harness = routed
    await harness.say("resident1", WAGES)
    await harness.say("westresident", "邻居家狗天天叫", chat="west")
    await harness.say("staff1", "转办 1 派出所", chat="staff")
    await harness.say("staff1", "列为重大 1", chat="staff")
    await harness.say("staff1", "列为重大 2", chat="staff")
    for word in ("重大疑难", "/major"):
        refused = reply(await harness.say("staff1", word))
        assert refused == "重大疑难清单不在群里显示，请私聊机器人或在工作群发送「重大疑难」。"
    # The staff chat and one to one read it in full.
    for sent in (
        await harness.say("staff1", "重大疑难", chat="staff"),
        await harness.say("staff1", "重大疑难", private=True),
    ):
        agenda = reply(sent)
        assert "主办：派出所" in agenda and "邻居家狗" in agenda


async def test_staff_shorten_the_word(harness: Harness) -> None:
    """"重大 2 涉及全小区" was read as talk in the staff room, unanswered."""
    await harness.say("resident1", WAGES)
    marked = reply(await harness.say("staff1", "重大 1 涉及全小区", chat="staff"))
    assert marked.startswith("已将工单 #1 列为重大疑难")
    listed = reply(await harness.say("staff1", "重大", chat="staff"))
    assert listed.startswith("重大疑难（在办）：\n#1｜")


async def test_a_major_cases_first_missed_deadline_reaches_the_admins(desk: Desk) -> None:
    await desk.h.say("resident1", URGENT)  # claim within 30 minutes
    await desk.h.say("resident2", "3栋楼道着火了")
    await desk.h.say("staff1", "列为重大 2", chat="staff")
    _, sent = await desk.sweep_at(at(minutes=31))
    notified = [(m.chat_id, m.ticket_id) for m in sent]
    assert ("admin1", 2) in notified  # level 1 of a major case: the leadership too
    assert ("admin1", 1) not in notified  # level 1 of any other: staff only
    # The staff room reads both in one message (`bot.supervision.arrange`), a line each.
    [room] = [m.text for m in sent if m.chat_id == "staff"]
    assert room.startswith("【督办汇总】本次督办 2 件工单")
    assert "\n【一级督办】#1｜" in room and "\n【一级督办】#2｜" in room
    # The admin reads why a first escalation reaches them: it read as any staff notice.
    [to_admin] = [m.text for m in sent if m.chat_id == "admin1"]
    assert to_admin.startswith("【一级督办】工单 #2 超时未认领")
    major = "\n重大疑难，领导督办：每次超时均报管理员。发送「详情 2」查看全部记录。"
    assert to_admin.endswith(major)
    assert all("重大" not in m.text for m in sent if m.chat_id != "admin1")
    # The second level of any case reaches them too, both in one message; the mark is a
    # major case's only.
    _, later = await desk.sweep_at(at(minutes=61))
    [folded] = [m.text for m in later if m.chat_id == "admin1"]
    lines = {line.split("｜")[0]: line for line in folded.split("\n")[1:]}
    assert lines["【二级督办】#2"].endswith("｜重大疑难，领导督办")
    assert "重大" not in lines["【二级督办】#1"]


async def test_the_briefing_counts_the_open_ones(desk: Desk) -> None:
    await desk.h.say("resident1", WAGES)
    await desk.h.say("staff1", "列为重大 1", chat="staff")
    async with desk.bot.store.read() as tx:
        open_tickets = await tx.supervised(("new", "claimed", "reopened"), ("created",))
        activity = await tx.activity("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z")
    backlog = Backlog.of(open_tickets, overdue=0)
    day = desk.clock.now.date()
    render = Renderer(desk.bot.config.timezone)
    text = render_briefing(day, "2026-11-28T01:00:00Z", activity, backlog, render, "zh")
    assert "\n重大疑难在办 1 件，发送「重大疑难」查看。" in text
