"""Command parsing: slash forms, @BotName, Chinese aliases, full-width input."""

from __future__ import annotations

import pytest

from bot.commands import Command, CommandError, parse
from bot.workflow import Action

RANGE_XC = "2026-11-01 至 2026-11-15 XC"


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("/claim 12", Command(Action.CLAIM, 12)),
        ("/claim@IntakeBot 12", Command(Action.CLAIM, 12)),
        ("/CLAIM #12", Command(Action.CLAIM, 12)),
        ("／claim　＃１２", Command(Action.CLAIM, 12)),
        ("认领 12", Command(Action.CLAIM, 12)),
        ("认领12", Command(Action.CLAIM, 12)),
        ("认领 DZ-12", Command(Action.CLAIM, 12)),
        ("办结 12 已调解，双方满意！", Command(Action.RESOLVE, 12, "已调解，双方满意！")),
        ("查询 12", Command(Action.STATUS, 12)),
        ("我的", Command(Action.MINE)),
        ("/mine", Command(Action.MINE)),
        ("/start", Command(Action.HELP)),
        ("/assign 3 worker1", Command(Action.ASSIGN, 3, "worker1")),
        ("/queue XC", Command(Action.QUEUE, None, "XC")),
        ("督办", Command(Action.OVERDUE)),
        ("超时工单", Command(Action.OVERDUE)),
        ("/overdue XC", Command(Action.OVERDUE, None, "XC")),
        ("/rate 5 满意", Command(Action.RATE, 5, "满意")),
        ("满意 12", Command(Action.RATE, 12, "satisfied")),
        ("基本满意＃１２", Command(Action.RATE, 12, "fair")),
        ("不满意 12 晚上还是很吵", Command(Action.RATE, 12, "unsatisfied 晚上还是很吵")),
        ("/stats", Command(Action.STATS)),
        ("/stats 7d", Command(Action.STATS, None, "7d")),
        ("统计", Command(Action.STATS)),
        ("统计本月", Command(Action.STATS, None, "本月")),
        ("统计 7天", Command(Action.STATS, None, "7天")),
        ("统计 2026-11-01..2026-11-30", Command(Action.STATS, None, "2026-11-01..2026-11-30")),
        ("统计 2026-11-01 至 2026-11-30", Command(Action.STATS, None, "2026-11-01 至 2026-11-30")),
        ("/stats 7d XC", Command(Action.STATS, None, "7d XC")),
        ("统计 本月 DZ", Command(Action.STATS, None, "本月 DZ")),
        ("统计 DZ 上月", Command(Action.STATS, None, "DZ 上月")),
        ("统计 DZ", Command(Action.STATS, None, "DZ")),
        ("统计 2026-11-01 2026-11-30 XC", Command(Action.STATS, None, "2026-11-01 2026-11-30 XC")),
        ("/dismiss 12", Command(Action.DISMISS, 12)),
        ("/dismiss 12 群里闲聊", Command(Action.DISMISS, 12, "群里闲聊")),
        ("作废 12", Command(Action.DISMISS, 12)),
        ("作废＃１２ 转发的通知", Command(Action.DISMISS, 12, "转发的通知")),
        ("非报事 DZ-12", Command(Action.DISMISS, 12)),
        ("/export", Command(Action.EXPORT)),
        ("/export@IntakeBot 本月 DZ xlsx", Command(Action.EXPORT, None, "本月 DZ xlsx")),
        ("导出台账", Command(Action.EXPORT)),
        ("导出台账 本月", Command(Action.EXPORT, None, "本月")),
        ("导出台账上月", Command(Action.EXPORT, None, "上月")),
        ("导出台账 xlsx DZ 2026-11", Command(Action.EXPORT, None, "xlsx DZ 2026-11")),
        ("导出台账 2026-11-01 至 2026-11-15 XC", Command(Action.EXPORT, None, RANGE_XC)),
        ("台账 本月", Command(Action.EXPORT, None, "本月")),
        ("台账 7天 csv", Command(Action.EXPORT, None, "7天 csv")),
        ("导出台账 本月 明文", Command(Action.EXPORT, None, "本月 明文")),  # answered: masked
        ("导出台账 本月 pdf", Command(Action.EXPORT, None, "本月 pdf")),  # answered: no pdf
    ],
)
def test_commands(text: str, command: Command) -> None:
    assert parse(text) == command


@pytest.mark.parametrize(
    "text",
    [
        "我的车被人刮了，停在3号楼下",
        "查询一下社保怎么交",
        "认领的那个事情什么时候办",
        "12号楼停水了",
        "办结了吗",
        "满意",
        "不满意3号楼物业乱收费",
        "不满意12号楼的物业",
        "我对处理结果不满意",
        "统计一下我们楼有几户",
        "统计局的人来过了",
        "作废的电动车堆在楼道里没人管",
        "非报事的消息太多了",
        "导出台账的事情找谁",
        "台账上写的地址不对，我家是3栋",
        "台账 上个月的那份还没交",
        "",
    ],
)
def test_reports_are_not_commands(text: str) -> None:
    assert parse(text) is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("/nope", "unknown_command"),
        ("/claim12", "unknown_command"),
        ("/claim", "usage"),
        ("/claim abc", "bad_ticket_number"),
        ("查询 abc", "bad_ticket_number"),
        ("/note 3", "usage"),
        ("/rate 3", "usage"),
        ("/dismiss", "usage"),
        ("作废 abc", "bad_ticket_number"),
    ],
)
def test_errors(text: str, key: str) -> None:
    with pytest.raises(CommandError) as caught:
        parse(text)
    assert caught.value.key == key
