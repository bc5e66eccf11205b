"""The console demo runs the supervisor's sweep, and `/wait` moves its clock on.

Driven through the console adapter on a real SQLite file, as `intake-bot demo --db F <
script` is: the clock stands still at a known moment (T0) and moves only with /wait, so
every transcript below is exact and the same on every run.
"""

from __future__ import annotations

import asyncio
import io
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.adapters.console import ConsoleAdapter, ConsoleClock, ConsoleSession, run_console
from bot.app import Bot, demo_config
from bot.clock import utc_now
from tests.conftest import T0, KeywordClassifier

URGENT = "村口有人打人了"  # the keyword classifier: urgent (claim 30m, resolve 4h)
WEEKDAYS = {
    "2026-11-03": "星期二",
    "2026-11-04": "星期三",
    "2026-11-05": "星期四",
    "2026-11-06": "星期五",
}


async def demo(db: Path, script: str, lang: str = "zh") -> str:
    """Run `script` in the console demo on `db`, the clock standing at T0; the transcript."""
    out = io.StringIO()
    config = demo_config(str(db), lang)
    adapter = ConsoleAdapter(out=out, lang=lang)
    adapter.names = {p.user_id: p.name for p in config.people}
    clock = ConsoleClock(start=T0, frozen=True)
    async with Bot(config, [adapter], classifier=KeywordClassifier(), clock=clock) as bot:
        await run_console(bot, adapter, io.StringIO(script))
    return out.getvalue()


def after(transcript: str, prompt_line: str) -> list[str]:
    """The lines printed in answer to one input line (up to the next prompt)."""
    lines = transcript.splitlines()
    start = lines.index(prompt_line) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("[民情群]")), None)
    return lines[start:end]


def events(db: Path, action: str) -> int:
    with sqlite3.connect(db) as conn:
        query = "SELECT COUNT(*) FROM ticket_events WHERE action = ?"
        return int(conn.execute(query, (action,)).fetchone()[0])


WHOLE_LOOP = f"""\
/private
我的
/group
{URGENT}
/wait 1h
/as worker1
认领 1
/wait 3h
办结 1 派出所已处置
/wait 1d
/as resident1
不满意 1 晚上又有人闹事
/wait 30m
"""


async def test_wait_shows_escalations_level_by_level_then_the_follow_up(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    transcript = await demo(db, WHOLE_LOOP)
    # An hour passes: the unclaimed urgent ticket is escalated at 30 minutes (the staff
    # room, and the grid's workers privately) and at an hour (the admin too), each when it
    # fell due.
    assert after(transcript, "[民情群] 张大妈(resident1) > /wait 1h") == [
        "[演示时钟] 拨快 1小时：2026-11-02 09:00 → 2026-11-02 10:00",
        "[演示时钟] 2026-11-02 09:30",
        "  综治助手 [m6] → 中心群:",
        "    【一级督办】工单 #1 超时未认领｜紧急｜时限 30分钟，已等待 30分钟",
        "    东镇第一网格｜无人认领",
        f"    {URGENT}",
        "  综治助手 [m7] 私信 → 王网格员:",
        "    【一级督办】东镇第一网格的工单 #1 超时未认领（紧急，时限 30分钟，已等待 30分钟），"
        "尚无人认领；请发送「认领 1」。",
        f"    {URGENT}",
        "  综治助手 [m8] 私信 → 赵网格员:",
        "    【一级督办】东镇第一网格的工单 #1 超时未认领（紧急，时限 30分钟，已等待 30分钟），"
        "尚无人认领；请发送「认领 1」。",
        f"    {URGENT}",
        "[演示时钟] 2026-11-02 10:00",
        "  综治助手 [m9] → 中心群:",
        "    【二级督办】工单 #1 超时未认领｜紧急｜时限 30分钟，已等待 1小时",
        "    东镇第一网格｜无人认领",
        f"    {URGENT}",
        "  综治助手 [m10] 私信 → 王网格员:",
        "    【二级督办】东镇第一网格的工单 #1 超时未认领（紧急，时限 30分钟，已等待 1小时），"
        "尚无人认领；请发送「认领 1」。",
        f"    {URGENT}",
        "  综治助手 [m11] 私信 → 赵网格员:",
        "    【二级督办】东镇第一网格的工单 #1 超时未认领（紧急，时限 30分钟，已等待 1小时），"
        "尚无人认领；请发送「认领 1」。",
        f"    {URGENT}",
        "  综治助手 [m12] 私信 → 管理员:",
        "    【二级督办】工单 #1 超时未认领｜紧急｜时限 30分钟，已等待 1小时",
        "    东镇第一网格｜无人认领",
        f"    {URGENT}",
    ]
    # Claimed: reminded at 12:12 (four fifths of 4 hours), then past the resolve limit,
    # the holder is told privately.
    lines = after(transcript, "[民情群] 王网格员(worker1) > /wait 3h")
    assert lines[:4] == [
        "[演示时钟] 拨快 3小时：2026-11-02 10:00 → 2026-11-02 13:00",
        "[演示时钟] 2026-11-02 12:12",
        "  综治助手 [m15] 私信 → 王网格员:",
        "    【临期提醒】您负责的工单 #1（紧急）将于 2026-11-02 13:00 前到期（办结时限 4小时），"
        "请抓紧办理。",
    ]
    assert "[演示时钟] 2026-11-02 13:00" in lines
    assert "    【一级督办】工单 #1 超时未办结｜紧急｜时限 4小时，已等待 4小时" in lines
    assert "  综治助手 [m17] 私信 → 王网格员:" in lines
    # Tuesday 08:30: the daily briefing (Monday's was due before the demo began at 09:00,
    # so it was only recorded: this one covers from then), the resolution at 13:00 counted
    # late (filed at 09:00, urgent: 4 hours), and the ticket waiting to be closed (待结案).
    # Resolved at 13:00 with the default one-day delay: the visit is asked a day later.
    lines = after(transcript, "[民情群] 王网格员(worker1) > /wait 1d")
    assert lines[:12] == [
        "[演示时钟] 拨快 1天：2026-11-02 13:00 → 2026-11-03 13:00",
        "[演示时钟] 2026-11-03 08:30",
        "  综治助手 [m20] → 中心群:",
        "    【每日简报】2026-11-03（星期二）",
        "    2026-11-02 08:30 以来：受理 1 件（紧急 1），办结 1 件（其中超期 1 件），重开 0 件",
        "    在办 0 件：待认领 0 件，处理中 0 件，其中紧急 0 件",
        "    没有超时工单。",
        "    待结案 1 件（尚无回访满意的，发送「待结案」查看）",
        "[演示时钟] 2026-11-03 13:00",
        "  综治助手 [m21] 私信 → 张大妈:",
        "    您好！您反映的问题（工单 #1）已办结：派出所已处置",
        "    请问您对处理结果是否满意？请回复「满意 1」「基本满意 1」「不满意 1」"
        "（可在后面写上意见）。",
    ]
    assert lines[-1] == "    [满意]  [基本满意]  [不满意]  (/tap m21)"
    # 不满意 reopens it and tells the staff room; the reopened ticket's fresh clock runs out.
    lines = after(transcript, "[民情群] 张大妈(resident1) > 不满意 1 晚上又有人闹事")
    assert "  综治助手 [m24] → 中心群:" in lines
    assert "    【回访不满意】工单 #1｜东镇第一网格｜反映人：张大妈：「晚上又有人闹事」" in lines
    lines = after(transcript, "[民情群] 张大妈(resident1) > /wait 30m")
    assert "    【一级督办】工单 #1 超时未认领｜紧急｜时限 30分钟，已等待 30分钟" in lines
    # Every level of every deadline is on record once, in the real file.
    assert events(db, "escalated") == 4 and events(db, "followup") == 1


async def test_wait_sweeps_when_working_days_run_out(tmp_path: Path) -> None:
    """A normal ticket has three working days to be claimed in: filed on Monday at 09:00,
    Tuesday to Thursday.  /wait 2d stops at Wednesday with nothing due but the morning
    briefings; /wait 3d sweeps at 00:00 on Friday, when it became late, not 72 hours after
    filing, and Friday's briefing counts it.  (The README's Working days and Daily briefing
    sections show this transcript.)"""
    script = "楼道灯坏了一个月\n/wait 2d\n/wait 3d\n/as staff1\n督办\n"
    transcript = await demo(tmp_path / "demo.db", script)

    def briefing(m: int, day: str, since: str, received: str, unclaimed: str) -> list[str]:
        return [
            f"[演示时钟] {day} 08:30",
            f"  综治助手 [m{m}] → 中心群:",
            f"    【每日简报】{day}（{WEEKDAYS[day]}）",
            f"    {since} 08:30 以来：受理 {received}，办结 0 件，重开 0 件",
            f"    在办 1 件：待认领 {unclaimed} 件，处理中 0 件，其中紧急 0 件",
        ]

    assert after(transcript, "[民情群] 张大妈(resident1) > /wait 2d") == [
        "[演示时钟] 拨快 2天：2026-11-02 09:00 → 2026-11-04 09:00",
        *briefing(2, "2026-11-03", "2026-11-02", "1 件（一般 1）", "1"),
        "    没有超时工单。",
        *briefing(3, "2026-11-04", "2026-11-03", "0 件", "1"),
        "    没有超时工单。",
        "[演示时钟] 没有到期的督办或回访。",
    ]
    notice = (  # to each of the grid's workers
        "    【一级督办】东镇第一网格的工单 #1 超时未认领（一般，时限 3个工作日，"
        "已等待 3个工作日），尚无人认领；请发送「认领 1」。"
    )
    assert after(transcript, "[民情群] 张大妈(resident1) > /wait 3d") == [
        "[演示时钟] 拨快 3天：2026-11-04 09:00 → 2026-11-07 09:00",
        *briefing(4, "2026-11-05", "2026-11-04", "0 件", "1"),
        "    没有超时工单。",
        "[演示时钟] 2026-11-06 00:00",
        "  综治助手 [m5] → 中心群:",
        "    【一级督办】工单 #1 超时未认领｜一般｜时限 3个工作日，已等待 3个工作日",
        "    东镇第一网格｜无人认领",
        "    楼道灯坏了一个月",
        "  综治助手 [m6] 私信 → 王网格员:",
        notice,
        "    楼道灯坏了一个月",
        "  综治助手 [m7] 私信 → 赵网格员:",
        notice,
        "    楼道灯坏了一个月",
        *briefing(8, "2026-11-06", "2026-11-05", "0 件", "1"),
        "    超时 1 件（上次简报以来新增 1 件；超时最久：#1 超时未认领 不到1个工作日），"
        "发送「督办」查看。",
    ]  # and nothing on Saturday, the end of the wait: no briefing on a day off
    # On Saturday morning Friday has ended too: four working days waited, one late.
    assert after(transcript, "[民情群] 综治中心刘主任(staff1) > 督办")[2] == (
        "    #1｜一般｜待认领｜超时未认领 1个工作日｜已等待 4个工作日｜无人认领｜楼道灯坏了一个月"
    )


async def test_a_script_replays_the_same(tmp_path: Path) -> None:
    first = await demo(tmp_path / "one.db", WHOLE_LOOP)
    assert await demo(tmp_path / "two.db", WHOLE_LOOP) == first


async def test_the_sweep_runs_at_the_start_and_after_every_message(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    quiet = await demo(db, "楼道灯坏了一个月\n")
    assert "督办】" not in quiet
    # The next session (the clock still at T0) finds it within its limit; a re-tag to
    # urgent puts it 30 minutes past the claim limit, and the sweep after that message
    # escalates it at once, as a running bot would within a minute.
    later = await demo(db, "/as staff1\n/wait 40m\n/retag 1 neighbour urgent\n")
    lines = after(later, "[民情群] 综治中心刘主任(staff1) > /retag 1 neighbour urgent")
    # (after the group's acknowledgement, edited: rows of an urgent ticket are sent first)
    assert "    工单 #1 已改为 邻里纠纷｜紧急，并记入训练样本。" in lines[1:20]
    assert "    【一级督办】工单 #1 超时未认领｜紧急｜时限 30分钟，已等待 40分钟" in lines
    # A third session starts past both levels of both deadlines of the now urgent ticket
    # (as a bot restarted after a day would): one notice per deadline, at its highest level.
    out = io.StringIO()
    config = demo_config(str(db))
    adapter = ConsoleAdapter(out=out)
    clock = ConsoleClock(start=T0 + timedelta(days=1), frozen=True)
    async with Bot(config, [adapter], classifier=KeywordClassifier(), clock=clock) as bot:
        await run_console(bot, adapter, io.StringIO(""))
    restarted = out.getvalue()
    assert restarted.count("【二级督办】工单 #1") == 4  # claim and resolve, staff room and admin
    assert "【一级督办】" not in restarted and events(db, "escalated") == 4


async def test_english_wait_and_a_follow_up_that_cannot_be_sent(tmp_path: Path) -> None:
    """resident1 never wrote to the bot privately, so the visit cannot be asked: the
    console says why instead of staying silent."""
    script = "the street lamp has been broken for a month\n/as worker1\n/claim 1\n"
    script += "/resolve 1 lamp replaced\n/wait 2d\n/wait 1m\n"
    transcript = await demo(tmp_path / "demo.db", script, lang="en")
    lines = transcript.splitlines()
    start = lines.index("[group] 王网格员(worker1) > /wait 2d")
    assert lines[start + 1 : start + 10] == [
        "[demo clock] forward 2d: 2026-11-02 09:00 → 2026-11-04 09:00",
        "[demo clock] 2026-11-03 08:30",
        "  Intake bot [m6] → staff room:",
        "    [Daily briefing] 2026-11-03 (Tuesday)",
        "    Since 2026-11-02 08:30: 1 received (Normal 1), 1 resolved, 0 reopened",
        "    Open: 0 — 0 unclaimed, 0 claimed; 0 of them urgent",
        "    Nothing overdue.",
        "    Waiting to be closed: 1 (none answered satisfied yet: /close lists them)",
        "[demo clock] 1 follow-up visit(s) not sent: the reporter has never written to the "
        "bot privately (try /private first); the ticket's history says so.",
    ]
    assert lines[-1] == "[demo clock] no escalation or follow-up fell due."


@pytest.mark.parametrize("span", ["", "abc", "0", "-1h", "367d", "99999999999d"])
async def test_wait_explains_a_bad_span(tmp_path: Path, span: str) -> None:
    transcript = await demo(tmp_path / "demo.db", f"/wait {span}\n")
    assert transcript.splitlines()[-1] == "用法：/wait 2h（时长如 30m、2h、1d、1d12h，最多 366d）"


async def test_wait_needs_a_console_clock(tmp_path: Path) -> None:
    out = io.StringIO()
    adapter = ConsoleAdapter(out=out)
    async with Bot(demo_config(str(tmp_path / "demo.db")), [adapter]) as bot:
        bot.pipeline.classifier = KeywordClassifier()
        await run_console(bot, adapter, io.StringIO("/wait 2h\n"))
    assert out.getvalue().splitlines()[-1] == "这个会话的时钟不能拨动。"


async def test_in_a_terminal_the_sweep_also_runs_every_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The timer loop, with its sleep replaced: one pass, then it is cancelled."""
    passes: list[float] = []

    async def one_pass(seconds: float) -> None:
        if passes:
            raise asyncio.CancelledError
        passes.append(seconds)

    out = io.StringIO()
    config = demo_config(str(tmp_path / "demo.db"))
    adapter = ConsoleAdapter(out=out)
    adapter.names = {p.user_id: p.name for p in config.people}
    clock = ConsoleClock(start=T0, frozen=True)
    async with Bot(config, [adapter], classifier=KeywordClassifier(), clock=clock) as bot:
        session = ConsoleSession(bot, adapter)
        await session.line(URGENT)
        clock.move_to(T0 + timedelta(minutes=31))
        monkeypatch.setattr(asyncio, "sleep", one_pass)
        with pytest.raises(asyncio.CancelledError):
            await session._sweep_every_interval()
    assert passes == [60.0]  # [supervision] interval, 1m by default
    tail = out.getvalue().split("[认领]  (/tap m1)\n")[1]
    # The urgent ticket was announced in the staff room as it was filed (the demo has no
    # staff chat) and to the grid's two workers, then escalated there.
    assert tail.startswith("  综治助手 [m2] → 中心群:\n    新工单 #1｜东镇第一网格｜治安隐患｜紧急")
    assert "\n  综治助手 [m3] 私信 → 王网格员:\n    【紧急】新工单 #1｜东镇第一网格" in tail
    assert "\n  综治助手 [m5] → 中心群:\n    【一级督办】工单 #1 超时未认领" in tail
    assert tail.endswith("\n[民情群] 张大妈(resident1) > ")


def test_the_clock_runs_with_real_time_unless_frozen_and_never_goes_back() -> None:
    running = ConsoleClock()
    running.move_to(running() + timedelta(hours=2))
    assert abs(running() - utc_now() - timedelta(hours=2)) < timedelta(seconds=5)
    frozen = ConsoleClock(start=T0, frozen=True)
    frozen.move_to(T0 - timedelta(days=1))
    assert frozen() == T0
    frozen.move_to(T0 + timedelta(minutes=5))
    assert frozen() == frozen() == T0 + timedelta(minutes=5)


async def test_as_takes_a_user_id_a_name_or_the_start_of_one(tmp_path: Path) -> None:
    """ "/as 王网格" used to be refused: the transcript shows names, /as wanted user ids."""
    transcript = await demo(
        tmp_path / "demo.db", "/as 王网格\n/as 网格员\n/as 综治中心刘主任\n/as admin1\n"
    )
    assert "[民情群] 王网格员(worker1) > /as 网格员" in transcript  # by the start of a name
    assert after(transcript, "[民情群] 王网格员(worker1) > /as 网格员") == [
        "没有这个人：网格员。可选：resident1（张大妈），resident2（李师傅），worker1（王网格员），"
        "worker2（赵网格员），police1（派出所张警官），judicial1（司法所李所长），staff1（综治中心刘主任），admin1（管理员）"
    ]
    assert "[民情群] 综治中心刘主任(staff1) > /as admin1" in transcript  # by a whole name
