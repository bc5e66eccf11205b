"""Command parsing: slash forms, @BotName, Chinese aliases, full-width input."""

from __future__ import annotations

import re

import pytest

from bot import commands, i18n
from bot.commands import Command, CommandError, parse
from bot.workflow import Action

RANGE_XC = "2026-11-01 至 2026-11-15 XC"


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("/claim 12", Command(Action.CLAIM, 12)),
        # Staff writing down a visit made by phone (电话回访), and giving a ticket its grid.
        ("回访 12 不满意 还是很吵", Command(Action.VISIT, 12, "不满意 还是很吵")),
        ("电话回访 12 满意", Command(Action.VISIT, 12, "满意")),
        ("/visit 12 satisfied", Command(Action.VISIT, 12, "satisfied")),
        ("visit 12 fair", Command(Action.VISIT, 12, "fair")),
        ("划归 12 东镇", Command(Action.ROUTE, 12, "东镇")),
        ("/route 12 DZ", Command(Action.ROUTE, 12, "DZ")),
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
        ("转办 3 worker1", Command(Action.ASSIGN, 3, "worker1")),
        ("转给#3 worker1", Command(Action.ASSIGN, 3, "worker1")),
        ("/queue XC", Command(Action.QUEUE, None, "XC")),
        ("督办", Command(Action.OVERDUE)),
        ("超时工单", Command(Action.OVERDUE)),
        ("/overdue XC", Command(Action.OVERDUE, None, "XC")),
        ("督办 DZ", Command(Action.OVERDUE, None, "DZ")),
        # Asking how to use the desk, with nothing to report in it.
        ("怎么报事", Command(Action.HELP)),
        ("你好，请问怎么反映问题？谢谢", Command(Action.HELP)),
        ("这个群是干什么的", Command(Action.HELP)),
        ("机器人怎么用", Command(Action.HELP)),
        ("How do I report?", Command(Action.HELP)),
        ("what is this group for", Command(Action.HELP)),
        ("help", Command(Action.HELP)),  # as 帮助, without its slash; "help!" is a cry
        ("Help?", Command(Action.HELP)),
        ("认领 3号", Command(Action.CLAIM, 3)),
        ("查询第12号", Command(Action.STATUS, 12)),
        ("办结 12号 已调解", Command(Action.RESOLVE, 12, "已调解")),
        ("待办 XC", Command(Action.QUEUE, None, "XC")),
        ("/rate 5 满意", Command(Action.RATE, 5, "满意")),
        ("满意 12", Command(Action.RATE, 12, "satisfied")),
        ("我来处理1号", Command(Action.CLAIM, 1)),
        ("我来跟进一下 #12 工单", Command(Action.CLAIM, 12)),
        ("基本满意＃１２", Command(Action.RATE, 12, "fair")),
        ("不满意 12 晚上还是很吵", Command(Action.RATE, 12, "unsatisfied 晚上还是很吵")),
        ("非常满意 12", Command(Action.RATE, 12, "satisfied")),
        ("不太满意 #12", Command(Action.RATE, 12, "unsatisfied")),
        # As voice input writes them (WeChat's speech recognition ends with "。"), and as
        # people type a comma after the number: these were "「1号。」不是有效的工单号".
        ("查询1号。", Command(Action.STATUS, 1)),
        ("认领 1。", Command(Action.CLAIM, 1)),
        ("查询１号！", Command(Action.STATUS, 1)),
        ("办结1号，已处理。", Command(Action.RESOLVE, 1, "已处理。")),
        ("撤回1号。", Command(Action.WITHDRAW, 1)),
        ("我的。", Command(Action.MINE)),
        ("帮助！", Command(Action.HELP)),
        # One command's usage: its word, alias or slash name after help (a word that names
        # no command keeps the message what it was: see below).
        ("帮助 授权", Command(Action.HELP, None, "授权")),
        ("帮助：导出台账", Command(Action.HELP, None, "导出台账")),
        ("/help grant", Command(Action.HELP, None, "grant")),
        ("help claim", Command(Action.HELP, None, "claim")),
        ("Help /claim?", Command(Action.HELP, None, "/claim")),
        ("满意1号", Command(Action.RATE, 1, "satisfied")),
        ("满意 1号。", Command(Action.RATE, 1, "satisfied")),
        ("不满意1号，还是吵", Command(Action.RATE, 1, "unsatisfied 还是吵")),
        # Alone: the answer to whichever visit waits for the sender (`Desk.rate`).
        ("满意", Command(Action.RATE, None, "satisfied")),
        ("非常满意！谢谢", Command(Action.RATE, None, "satisfied")),
        ("还算满意吧", Command(Action.RATE, None, "fair")),
        ("基本满意。", Command(Action.RATE, None, "fair")),
        ("不满意", Command(Action.RATE, None, "unsatisfied")),
        ("很不满意！！", Command(Action.RATE, None, "unsatisfied")),
        ("Not satisfied.", Command(Action.RATE, None, "unsatisfied")),
        ("逾期", Command(Action.OVERDUE)),
        ("超期工单 DZ", Command(Action.OVERDUE, None, "DZ")),
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
        ("统计 上周", Command(Action.STATS, None, "上周")),
        ("统计 最近7天 DZ", Command(Action.STATS, None, "最近7天 DZ")),
        ("统计 2026年11月", Command(Action.STATS, None, "2026年11月")),
        # A period the bot does not know is still the command, answered with the forms it
        # knows (tests/test_stats.py), rather than filed as a report.
        ("统计 上季度", Command(Action.STATS, None, "上季度")),
        ("统计 第三季度 DZ", Command(Action.STATS, None, "第三季度 DZ")),
        ("统计 11月5号", Command(Action.STATS, None, "11月5号")),
        ("导出台账 上季度 xlsx", Command(Action.EXPORT, None, "上季度 xlsx")),
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
        ("导出", Command(Action.EXPORT)),
        ("导出 本月", Command(Action.EXPORT, None, "本月")),
        ("导出 上月 xlsx", Command(Action.EXPORT, None, "上月 xlsx")),
        ("导出台账 本月 明文", Command(Action.EXPORT, None, "本月 明文")),  # answered: masked
        ("导出台账 本月 pdf", Command(Action.EXPORT, None, "本月 pdf")),  # answered: no pdf
        ("授权 张三 grid_worker DZ", Command(Action.GRANT, None, "张三 grid_worker DZ")),
        ("授权 worker3 staff", Command(Action.GRANT, None, "worker3 staff")),
        ("授权 张警官 liaison 派出所", Command(Action.GRANT, None, "张警官 liaison 派出所")),
        ("授权 李师傅 网格员 东镇", Command(Action.GRANT, None, "李师傅 网格员 东镇")),
        ("派给 12 王网格员", Command(Action.ASSIGN, 12, "王网格员")),
        ("分派 12 派出所", Command(Action.ASSIGN, 12, "派出所")),
        ("归档 12", Command(Action.CLOSE, 12, "")),
        ("关闭 12", Command(Action.CLOSE, 12, "")),
        ("授权 张警官 对接人 派出所", Command(Action.GRANT, None, "张警官 对接人 派出所")),
        # A few words in no shape: an admin's command, answered with what is wrong; anyone
        # else's words (a resident's is filed: tests/test_permissions.py).
        ("授权 李师傅", Command(Action.GRANT, None, "李师傅", loose=True)),
        ("授权 李师傅 警察 派出所", Command(Action.GRANT, None, "李师傅 警察 派出所", loose=True)),
        ("授权 委托 的事找谁", Command(Action.GRANT, None, "委托 的事找谁", loose=True)),
        ("转交全部 王网格员", Command(Action.HANDOVER, None, "王网格员", loose=True)),
        ("延期 12 10个工作日 需做伤情鉴定", Command(Action.EXTEND, 12, "10个工作日 需做伤情鉴定")),
        ("申请延期 12号 3 天", Command(Action.EXTEND, 12, "3天")),
        ("/extend 12 12h", Command(Action.EXTEND, 12, "12h")),
        ("不同意延期 12 先按原时限办", Command(Action.EXTEND, 12, "no 先按原时限办")),
        ("驳回延期12", Command(Action.EXTEND, 12, "no")),
        ("同意延期 12", Command(Action.EXTEND, 12, "yes")),
        ("批准延期12", Command(Action.EXTEND, 12, "yes")),
        # The last week or month in words (bot.period): "统计 最近一周" was a report's words.
        ("统计 最近一周", Command(Action.STATS, None, "最近一周")),
        ("统计 近一个月 DZ", Command(Action.STATS, None, "近一个月 DZ")),
        ("工作量 近两周", Command(Action.WORKLOAD, None, "近两周")),
        ("导出台账 本年度 xlsx", Command(Action.EXPORT, None, "本年度 xlsx")),
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
        "不满意3号楼物业乱收费",
        "不满意12号楼的物业",
        "我对处理结果不满意",
        "满意个啥，还是一样吵",
        "逾期没还钱的那个人又跑了",
        "统计一下我们楼有几户",
        "统计局的人来过了",
        "作废的电动车堆在楼道里没人管",
        "非报事的消息太多了",
        "导出台账的事情找谁",
        "台账上写的地址不对，我家是3栋",
        "台账 上个月的那份还没交",
        "导出的照片发不出来",
        "合并3个村以后路还没修",
        "合并 2 个村以后没人管了",
        "合并后的村委会在哪办事",
        "导出 上周 的文件打不开",
        "统计 一下我们楼有几户",
        "统计 上周 有人打架了",
        "统计 最近一周有人打架",
        "统计 最近几天老是停电",
        "统计 上下班路上有人抢劫",
        "统计 3号楼漏水",
        "转给大家看看，这个骗子又换号了",
        "督办 DZ 那个事情怎么还没人管",
        "怎么投诉物业",
        "怎么举报赌博",
        "怎么用",
        "待办12件事",
        "移交给派出所了吗",
        "授权书丢了怎么办",
        "延期3个月了还没交房",
        "延期交房的违约金怎么算",
        "同意延期3个月交房吗",
        "延期 3 个月了工资还没发",
        "",
    ],
)
def test_reports_are_not_commands(text: str) -> None:
    assert parse(text) is None


SCOPE_NAMES = frozenset({"东镇", "派出所"})


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("待办 派出所", Command(Action.QUEUE, None, "派出所")),
        ("督办 东镇", Command(Action.OVERDUE, None, "东镇")),
        ("网格 东镇", Command(Action.AREA, None, "东镇")),
        ("统计 本月 东镇", Command(Action.STATS, None, "本月 东镇")),
        ("统计 派出所 7d", Command(Action.STATS, None, "派出所 7d")),
        ("工作量 本月 派出所", Command(Action.WORKLOAD, None, "本月 派出所")),
        ("导出台账 上月 派出所 xlsx", Command(Action.EXPORT, None, "上月 派出所 xlsx")),
        # A period the bot does not know is still answered, not filed.
        ("统计 上季度 东镇", Command(Action.STATS, None, "上季度 东镇")),
    ],
)
def test_aliases_take_an_area_or_department_by_name(text: str, command: Command) -> None:
    """Where a Chinese alias takes a code, it takes a configured name too; without the
    config's names the same words are a report, as before (工作量's may name a person: the
    desk's command, a resident's words: `Command.loose`)."""
    assert parse(text, SCOPE_NAMES) == command
    bare = parse(text)
    assert bare is None or bare == Command(Action.WORKLOAD, None, command.args, loose=True)


@pytest.mark.parametrize(
    "text",
    [
        "待办 事情太多",  # not a name
        "督办 派出所那边怎么还不管",  # a sentence that starts with one
        "查询 东镇",  # an alias that takes a number, not a place
        "我的 东镇",
        "统计 一下东镇有几户",
    ],
)
def test_names_do_not_turn_reports_into_commands(text: str) -> None:
    def outcome(names: frozenset[str]) -> Command | str | None:
        try:
            return parse(text, names)
        except CommandError as exc:  # "查询 东镇": a bad number, said as before
            return exc.key

    assert outcome(SCOPE_NAMES) == outcome(frozenset())


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
        # A number with a decimal point is none (it was #1: "/close 1.5" closed #1).
        ("/close 1.5", "bad_ticket_number"),
        ("办结 1.5万元已赔付", "bad_ticket_number"),
        ("认领 12.3", "bad_ticket_number"),
        ("认领 零号", "bad_ticket_number"),
        # A ticket command's word alone: meant for the bot, answered with how to write it.
        ("认领", "usage"),
        ("办结", "usage"),
        ("撤回", "usage"),
    ],
)
def test_errors(text: str, key: str) -> None:
    with pytest.raises(CommandError) as caught:
        parse(text)
    assert caught.value.key == key


@pytest.mark.parametrize(
    "text",
    [
        "\u200b认领 1",  # a zero width space, as a copy from a chat or a web page carries
        "认领\u200b 1",
        "认领 1\u200b",  # was 「1」 is no ticket number, the space unseen
        "\ufeff认领 1",  # a byte order mark
        "\u200f认领 1\u200e",  # direction marks
        "\u202b/claim 1\u202c",  # an embedding
        "/claim\u2060 1",  # a word joiner: was "unknown command"
    ],
)
def test_invisible_characters_do_not_hide_a_command(text: str) -> None:
    """They passed as talk, unanswered, or made the number or the command a bad one."""
    assert parse(text) == Command(Action.CLAIM, 1)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("认领 一号", Command(Action.CLAIM, 1)),
        ("认领两号", Command(Action.CLAIM, 2)),
        ("查询十二号。", Command(Action.STATUS, 12)),
        ("办结三号，已处理。", Command(Action.RESOLVE, 3, "已处理。")),
        ("重开 第一百零五号 还是漏", Command(Action.REOPEN, 105, "还是漏")),
    ],
)
def test_a_ticket_number_in_chinese_numerals(text: str, command: Command) -> None:
    """As voice input writes a small number; a worker's "认领 一号" passed as talk."""
    assert parse(text) == command


@pytest.mark.parametrize("text", ["查询一号楼的电梯坏了", "办结一号楼漏水已修好", "转给一号窗口"])
def test_a_numeral_glued_to_a_word_is_still_a_report(text: str) -> None:
    assert parse(text) is None


def test_a_joined_emoji_stays_whole_in_a_note() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert parse(f"备注 1 {family}") == Command(Action.NOTE, 1, family)


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("延期1号5个工作日，等鉴定结果", "5个工作日 等鉴定结果"),
        ("延期 1 5个工作日。", "5个工作日"),
        ("延期 1，5个工作日，等鉴定", "5个工作日 等鉴定"),
        ("申请延期1号 3个工作日：等鉴定结论。", "3个工作日 等鉴定结论"),
    ],
)
def test_extend_as_typed_on_a_phone(text: str, args: str) -> None:
    """A worker's 延期 with the span glued to 1号, a comma, or voice input's end mark passed
    as talk, unanswered: the worker believed they had asked for more time."""
    assert parse(text) == Command(Action.EXTEND, 1, args)


@pytest.mark.parametrize("text", ["延期15天", "延期12天交房", "延期1号楼5天了还没交房"])
def test_a_span_glued_to_a_bare_number_is_no_extension(text: str) -> None:
    """Only after 号 may the span be glued: "延期15天" is no ticket 1 for 5 days."""
    assert parse(text) is None


@pytest.mark.parametrize(
    "text", ["延期3个月了还没交房", "延期交房", "延期 3 个月了还没交房", "申请延期 怎么申请"]
)
def test_reports_starting_with_extend_stay_reports(text: str) -> None:
    assert parse(text) is None


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("status 1", Command(Action.STATUS, 1)),
        ("Status #12?", Command(Action.STATUS, 12)),
        ("claim 12", Command(Action.CLAIM, 12)),
        ("resolve 12 moved the car!", Command(Action.RESOLVE, 12, "moved the car!")),
        ("note 3, called him", Command(Action.NOTE, 3, "called him")),
        ("mine", Command(Action.MINE)),
        ("Mine.", Command(Action.MINE)),
        ("queue", Command(Action.QUEUE)),
        ("queue XC", Command(Action.QUEUE, None, "XC")),
        ("overdue", Command(Action.OVERDUE)),
    ],
)
def test_english_command_words_without_their_slash(text: str, command: Command) -> None:
    """As the Chinese aliases: someone who chose English and typed "status 1" got no answer."""
    assert parse(text) == command


@pytest.mark.parametrize(
    "text",
    ["close the road", "mine is broken", "status of the lamp", "claim", "zero", "help!", "close"],
)
def test_english_words_not_in_a_commands_shape_stay_words(text: str) -> None:
    assert parse(text) is None


def test_a_rating_of_a_number_with_a_decimal_point_is_none() -> None:
    """"满意 1.5" was a rating of #1 with the comment "5"."""
    assert parse("满意 1.5") is None
    assert parse("满意 1. 谢谢") == Command(Action.RATE, 1, "satisfied 谢谢")


def test_a_bare_command_word_is_answered_in_the_senders_words() -> None:
    with pytest.raises(CommandError) as caught:
        parse("办结")
    assert caught.value.params["usage"] == "办结 12 办理结果"
    # "查询" or "/status" alone: the sender's own reports.
    assert parse("查询") == parse("进度") == parse("/status") == Command(Action.MINE)


SATISFIED = Command(Action.CLOSE, None, "satisfied")
TO_CLOSE = Command(Action.CLOSE)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        # The resolved tickets waiting to be closed (待结案): the word alone, or /close with no
        # number; of an area or a department, by its code or its configured name.
        ("结案", TO_CLOSE),
        ("结案。", TO_CLOSE),
        ("/close", TO_CLOSE),
        ("待结案", TO_CLOSE),
        ("待结案？", TO_CLOSE),
        ("待结案 DZ", Command(Action.CLOSE, None, "DZ")),
        ("待结案 东镇", Command(Action.CLOSE, None, "东镇")),
        # Those answered 满意 or 基本满意, closed together.
        ("结案 满意", SATISFIED),
        ("结案满意", SATISFIED),
        ("结案 满意。", SATISFIED),
        ("结案 满意 DZ", Command(Action.CLOSE, None, "satisfied DZ")),
        ("结案满意 东镇", Command(Action.CLOSE, None, "satisfied 东镇")),
        ("/close satisfied", SATISFIED),
        ("/close Satisfied XC", Command(Action.CLOSE, None, "satisfied XC")),
        ("/close 满意 派出所", Command(Action.CLOSE, None, "satisfied 派出所")),
        # One ticket, as before.
        ("结案 12", Command(Action.CLOSE, 12)),
        ("/close 12 已调解", Command(Action.CLOSE, 12, "已调解")),
        # Sentences that start with the words stay what they were (a report, or talk).
        ("待结案的事情太多了", None),
        ("待结案 事情太多了", None),
        ("结案满意度怎么算", None),
        ("结案 满意 谢谢大家", None),
    ],
)
def test_closing_with_no_number(text: str, command: Command | None) -> None:
    assert parse(text, frozenset({"东镇", "派出所"})) == command


def test_closing_together_is_never_read_off_a_reply() -> None:
    """"结案 满意" sent in reply to a ticket's message closes every one so answered, as
    typed alone: not only the one it replies to."""
    assert commands.unnumbered("结案 满意") is None
    assert commands.unnumbered("/close satisfied DZ") is None
    assert commands.unnumbered("结案") == commands.Unnumbered("close", "")


@pytest.mark.parametrize(
    ("text", "loose"),
    [
        ("认领", commands.Unnumbered("claim", "")),
        ("/claim@IntakeBot", commands.Unnumbered("claim", "")),
        ("办结 已调解", commands.Unnumbered("resolve", "已调解")),
        ("办结：已调解", commands.Unnumbered("resolve", "已调解")),
        ("/dismiss 群聊", commands.Unnumbered("dismiss", "群聊")),
        ("立案", commands.Unnumbered("file", "")),
        # Not without a number: it has one, or it is a sentence, or words it cannot take.
        ("认领 12", None),
        ("办结了吗", None),
        ("办结 1号，已处理。", None),  # its number is there, as voice input writes it
        ("认领 abc", None),
        ("我的", None),
        ("楼上漏水", None),
    ],
)
def test_commands_that_may_take_their_number_from_a_reply(
    text: str, loose: commands.Unnumbered | None
) -> None:
    assert commands.unnumbered(text) == loose
    if loose is not None:
        assert loose.for_number(7).ticket == 7


# Questions about one's own report in plain words: /mine without a number, /status N with.
# The lists are shared with tests/test_progress_questions.py, which sends them through the
# pipeline.
MINE = Command(Action.MINE)
PROGRESS_QUESTIONS: list[tuple[str, Command]] = [
    ("我反映的事怎么样了", MINE),
    ("我上周报的那个有人管吗", MINE),
    ("怎么查我反映的事", MINE),
    ("我反映的事有人管吗？", MINE),
    ("请问我投诉的问题处理了没？", MINE),
    ("你好，我反应的事情有进展吗", MINE),  # 反应: the common typo
    ("网格员您好，我之前举报的那个有结果了吗？谢谢", MINE),
    ("麻烦问一下我提的问题有回复吗", MINE),
    ("我说的那个事咋样了呀", MINE),
    ("我反映的事在哪查呢", MINE),
    ("我的事情怎么样了啊", MINE),
    ("我之前反映的问题现在进度如何？", MINE),
    ("帮我查一下我反映的事", MINE),
    ("您好 我反映的事情有人管没有啊？谢谢！", MINE),
    ("我们在群里反映的问题有没有人管", MINE),
    ("我的工单", MINE),
    ("查询我的工单", MINE),
    ("看看我反映的事", MINE),
    ("我报的事呢？", MINE),
    ("查一下我的", MINE),  # 我的 asked for: it was filed as a ticket, 其他
    ("看看我的", MINE),
    # as villagers say it, voice input's fillers and all: each was filed as a report
    ("那个我上次反映的那个事情现在怎么样了", MINE),
    ("喂你好我想问一下我反映的事情怎么样了", MINE),
    ("我反映的问题咋还没人管", MINE),
    ("我那个事儿有人管没", MINE),
    ("我报的那个事情怎么没有下文了", MINE),
    ("我的问题什么时候能解决", MINE),
    ("12号那个事到哪一步了", Command(Action.STATUS, 12)),
    ("#12 进度怎么样了", Command(Action.STATUS, 12)),
    ("＃１２处理了吗", Command(Action.STATUS, 12)),
    ("DZ-12到哪一步了", Command(Action.STATUS, 12)),
    ("请问12号的事情处理得怎么样了？", Command(Action.STATUS, 12)),
    ("我报的12号有人管没", Command(Action.STATUS, 12)),
    ("工单12有结果了吗", Command(Action.STATUS, 12)),
    # no subject, but a case's progress named: a resident writing to the bot after /status
    # asked "进度怎么样了" and it was filed as a new ticket, 较急
    ("进度怎么样了", MINE),
    ("现在进展如何？", MINE),
    ("请问，有进展了吗", MINE),
    ("有没有进展", MINE),
    ("处理结果出来了没", MINE),
    ("您好，处理进度到哪一步了？谢谢", MINE),
    ("进度呢", MINE),
    ("status of my report", MINE),
    ("Any update on my report?", MINE),
    ("What's the status of ticket 12?", Command(Action.STATUS, 12)),
    ("Hi, any update on DZ-12? Thanks", Command(Action.STATUS, 12)),
    # how people type it into a chat: the demo's "my status" used to open a ticket
    ("my status", MINE),
    ("Status?", MINE),
    ("where is my report?", MINE),
    ("how is my case going?", MINE),
    ("is anyone handling my complaint", MINE),
    ("ticket 12 status", Command(Action.STATUS, 12)),
    ("news about #12? thank you", Command(Action.STATUS, 12)),
]
NOT_PROGRESS_QUESTIONS: list[str] = [
    # reports that start like a question: they carry new facts
    "我反映的楼道漏水一个月了还没人管，今天又漏了",
    "我投诉的物业到现在还没处理，今天又停水了",
    "我反映的问题还没解决，楼道灯还是坏的",
    "我反映的事怎么样了，楼上今天又开始装修了",
    "我反映一下，楼上天天半夜装修",
    "我投诉隔壁饭店油烟太大",
    "我举报的那家网吧又开门了",
    "我报的警到现在也没人来",
    "12号楼停水了怎么没人管",
    # new consultations for the desk
    "请问欠薪去哪里投诉",
    "请问在哪里办低保",
    "请问怎么投诉物业",
    "怎么查社保",
    # chatter, or a question that is not about the sender's own report
    "怎么样了大家",
    "有人管吗",
    "help!",  # a cry for help (救命): a report, which the safety rules read
    "help me",
    "帮助 我家被偷了",  # help with words that name no command: a report, as before
    "有结果了吗",
    "结果怎么样了",
    "情况怎么样了",
    "工程进度怎么样了",
    "有进展了吗，楼上今天又漏水了",
    "大家的事情怎么样了",
    "你反映的事怎么样了",
    "我的车怎么样了",
    "110怎么样了",
    "status of my neighbour's dog",
    "my report: the street light at gate 2 is broken",
    "where is the water coming from",
    "my tickets were stolen on the bus",
    "帮我查一下社保",  # ("查一下社保" is a search: a resident's words all the same)
    "看看12号楼",
]


@pytest.mark.parametrize(("text", "command"), PROGRESS_QUESTIONS)
def test_progress_questions(text: str, command: Command) -> None:
    assert parse(text) == command


@pytest.mark.parametrize("text", NOT_PROGRESS_QUESTIONS)
def test_reports_and_chatter_are_not_progress_questions(text: str) -> None:
    assert parse(text) is None


@pytest.mark.parametrize(
    "text",
    ["工单 12", "工单12", "工单号 #12", "工单号：12", "单号12。", "工单 第12号", "工单 #12？"]
    + ["12号工单", "#12工单", "ticket 12", "Ticket #12", "ticket 12?"],
)
def test_a_ticket_named_alone_asks_how_it_is_getting_on(text: str) -> None:
    """As a reporter copies it from the acknowledgement (工单号 #12) or staff ask for it."""
    assert parse(text) == Command(Action.STATUS, 12)


@pytest.mark.parametrize(
    "text",
    ["工单12号还没人来处理", "工单 12 上午又打起来了", "工单", "工单号码是多少", "工单 1.5"]
    + ["ticket 12 was wrong", "#12", "12号", "我的工单 12"],
)
def test_a_ticket_named_with_more_words_stays_a_message(text: str) -> None:
    """Words after the number are the resident's: new facts, perhaps a danger."""
    assert parse(text) is None


def test_a_progress_question_is_short(monkeypatch: pytest.MonkeyPatch) -> None:
    """The grammar's shape alone is not enough: over 30 characters it stays a report."""
    long = "网格员您好，打扰一下，我上周在群里反映过的那个事情现在到底处理得怎么样了？谢谢"
    assert len(long) > commands.PROGRESS_QUESTION_MAX_CHARS
    assert parse(long) is None
    monkeypatch.setattr(commands, "PROGRESS_QUESTION_MAX_CHARS", len(long))
    assert parse(long) == MINE  # so it was the length, not the shape, that refused it


def test_the_examples_in_the_residents_help_are_recognised() -> None:
    zh, en = i18n.HELP["resident"]
    examples = re.findall(r"「(.+?)」", zh) + re.findall(r'"(.+?)"', en)
    assert [parse(text) for text in examples] == [
        MINE,
        Command(Action.STATUS, 12),
        MINE,
        Command(Action.STATUS, 12),
    ]


def test_the_staff_helps_chinese_words_are_commands() -> None:
    """Staff help named 待办, 超期 and 改标 nowhere ("/queue [网格或部门] — 队列"), so staff
    typing Chinese could not find them; each Chinese form it gives now parses to its line's
    command."""
    zh, _ = i18n.HELP["staff"]
    lines = {line.split()[0]: line for line in zh.splitlines()}
    assert "待办" in lines["/queue"] and "超期" in lines["/overdue"] and "改标" in lines["/retag"]
    assert parse("待办 DZ") == Command(Action.QUEUE, None, "DZ")
    assert parse("超期 DZ") == Command(Action.OVERDUE, None, "DZ")
    assert parse("改标 12 邻里纠纷 较急") == Command(Action.RETAG, 12, "邻里纠纷 较急")


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("转办5派出所", Command(Action.ASSIGN, 5, "派出所", loose=True)),
        ("转办第5号派出所", Command(Action.ASSIGN, 5, "派出所", loose=True)),
        ("转交5派出所，请尽快核实", Command(Action.ASSIGN, 5, "派出所 请尽快核实", loose=True)),
        ("协办12司法所 请协助调解", Command(Action.ASSIST, 12, "司法所 请协助调解", loose=True)),
        ("派给5王网格员", Command(Action.ASSIGN, 5, "王网格员", loose=True)),
        ("指派12worker1", Command(Action.ASSIGN, 12, "worker1", loose=True)),
        ("转办5PCS", Command(Action.ASSIGN, 5, "PCS", loose=True)),
        ("转办5号王五", Command(Action.ASSIGN, 5, "王五", loose=True)),
        # A name that starts like a count is a department's when the config has it.
        ("转办5人社局", Command(Action.ASSIGN, 5, "人社局", loose=True)),
        # With a space, as before: the command itself, not `loose`.
        ("转办5 派出所", Command(Action.ASSIGN, 5, "派出所")),
    ],
)
def test_a_number_glued_to_whom_a_ticket_goes_to(text: str, command: Command) -> None:
    """"转办5派出所" was told 「5派出所」 is no ticket number.  Glued, it is the desk's command
    only for those who may hand tickets on (`Command.loose`): a resident's words otherwise."""
    assert parse(text, frozenset({"派出所", "司法所", "人社局"})) == command


@pytest.mark.parametrize(
    "text", ["转给5楼的邻居看看", "派给3个网格员", "转办5号楼道", "转办12.5万", "转办5人社局"]
)
def test_a_number_glued_to_a_count_is_no_name(text: str) -> None:
    """What follows the number counts something ("5楼", "3个"): not a name, told as before."""
    with pytest.raises(CommandError) as caught:
        parse(text, frozenset({"派出所"}))
    assert caught.value.key == "bad_ticket_number"


def test_a_glued_number_is_not_taken_from_a_reply() -> None:
    assert commands.unnumbered("转办5派出所") is None
    assert commands.unnumbered("转办 派出所") == commands.Unnumbered("assign", "派出所")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("查找装修", "装修"),
        ("检索张大妈", "张大妈"),
        ("搜索13812345678", "13812345678"),
        ("查找一下装修。", "装修"),
        ("查一下 装修", "装修"),
        ("查一下装修", "装修"),
        ("查一下社保", "社保"),  # no progress question (`NOT_PROGRESS_QUESTIONS`)
        ("搜一下：3栋 漏水", "3栋 漏水"),
        ("查找东镇第一网格", "东镇第一网格"),
    ],
)
def test_a_search_glued_to_its_word_or_said(text: str, words: str) -> None:
    """"查找装修" and "查一下 装修" were talk (详情6 and 催办5 work glued); a resident's are
    their words all the same (`bot.pipeline._desk_words`)."""
    assert parse(text) == Command(Action.SEARCH, None, words)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        # Sentences and questions keep what they were: a report, or talk among the desk.
        ("查一下社保怎么交", None),
        ("查找走失老人，穿蓝色外套", None),
        ("查找漏水点要花多少钱", None),
        ("查找到了吗", None),
        ("搜索引擎不好用了", None),
        ("查一下 这个事情谁在跟", None),
        ("查一下", None),
        ("查找一下", None),
        ("查下水道", None),
        ("查找走失的老人在村口附近", None),  # longer than six characters glued
        # ... and a question about one's own report is still that.
        ("查一下我反映的事", Command(Action.MINE)),
        ("查一下12号", Command(Action.STATUS, 12)),
    ],
)
def test_what_only_starts_like_a_search(text: str, command: Command | None) -> None:
    assert parse(text) == command


@pytest.mark.parametrize("text", ["我的待办", "我的待办。", "我的任务"])
def test_my_todo_list_is_mine(text: str) -> None:
    """A worker's "我的待办" passed as talk, unanswered."""
    assert parse(text) == Command(Action.MINE)


@pytest.mark.parametrize("text", ["我的待办事项太多了", "我的任务完成不了"])
def test_my_todo_with_words_after_it_is_no_command(text: str) -> None:
    assert parse(text) is None


@pytest.mark.parametrize(
    ("word", "name"),
    [("grant", "grant"), ("/GRANT", "grant"), ("授权", "grant"), ("认领", "claim"),
     ("转办", "assign"), ("导出台账", "export"), ("满意", "rate"), ("start", "help"),
     ("我家", None), ("me", None)],
)
def test_a_command_is_named_by_any_of_its_words(word: str, name: str | None) -> None:
    assert commands.command_named(word) == name
