"""The desk's work said in plain words, read so that it can be answered with its command.

Grid workers, liaisons and staff write in a group what they did or mean to do, in words,
not as the command: "1号办好了", "#1 已经处理好了", "3号需要派出所处理", "3号转给司法所",
"5号我来处理", "2号我认领了".  From the desk's own people that is talk, which the bot leaves
alone (`bot.workflow.files_as_reported`), so nothing happened and the worker believed the
ticket resolved, handed on or claimed.  The words are not carried out: they are loose
("1号办好了" gives no outcome to tell the reporter, "我去看看" may not mean taking it on),
so the sender is told which command does it (`Pipeline._desk_hint`), and only if they may.

What is read is deliberately narrow: the whole message must be one ticket's number and one
such phrase (a few words may follow a resolution or a claim: "5号我来处理，下午过去"); a
question ("1号办好了吗？") is not a claim it was done, and "1号还没办好", "3号楼办好了",
"1号和2号办好了" are none of these.  A resident's words are never read here.  ("我来处理1号",
the verb first, is a claim command of its own: `bot.commands`; so is what the parser reads.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.commands import normalise
from bot.workflow import Action

# One ticket, marked as one: "1号", "1 号", "#1", "#DZ-1", "DZ-1", "工单1", "工单 #1", "第1号".
_REF = (
    r"(?:(?:工单|单号)\s*#?\s*(?:[A-Za-z]{1,8}-)?(?P<a>\d{1,9})\s*号?"
    r"|第\s*(?P<b>\d{1,9})\s*号"
    r"|#\s*(?:[A-Za-z]{1,8}-)?(?P<c>\d{1,9})\s*号?"
    r"|[A-Za-z]{1,8}-(?P<d>\d{1,9})\s*号?"
    r"|(?P<e>\d{1,9})\s*号)"
)
# ... and what may follow it before the phrase ("1号的事", "3号那个纠纷").
_ABOUT = r"(?:的?(?:那个|这个)?(?:事情|事儿|事|工单|单子|问题|纠纷|案子))?"
_SEP = r"[\s,，、:：]*"
# A few words of acknowledgement before it: "好的，1号我来处理".
_LEAD = r"(?:(?:好的?|收到|嗯+|行|ok|OK)[\s,，。.!！]*)?"
_END = r"[\s了啦啊呀哈哦喔。.!！~～…]*"
# What may follow a resolution or a claim after a separator: "，双方已和解", "，下午过去".
_TAIL = r"(?:[,，。.!！;；\s]+[^?？]{1,60})?"

# Resolved: "办好了", "已经处理好了", "调解成功了", "已化解", "我处理完了".
_SOON = r"(?:我们?|已经|已|都|也|刚刚?|今天|昨天|上午|下午|终于|基本)"
_DONE_VERB = r"(?:办|处理|办理|解决|调解|化解|协调|整改|搞|弄|修)"
_SETTLED = r"(?:解决|化解|处理|办理|调解|协调|整改|办结|结案|搞定|完成)"
_RESOLVED = (
    rf"{_SOON}{{0,3}}(?:{_DONE_VERB}(?:好|完|妥)了?|{_SETTLED}了"
    rf"|已经?{_SETTLED}(?:完毕|完成)?|{_SETTLED}完毕|(?:调解|化解|协调)成功了?)"
)
# Routed to a department: "需要派出所处理", "应由司法所来调解", "转给司法所", "移交派出所".
_NAME = r"[^\s,，、。.!！?？:：]{1,20}?"
_HANDLE = r"(?:来|去)?(?:处理|办理|处置|解决|调解|出面|介入|跟进|管)(?:一下)?"
_ROUTED = (
    rf"(?:(?:需要|需|得|应该|应当|应|建议|要)(?:由|让|交由|转由)?|由|交由|转由)\s*(?P<by>{_NAME})\s*"
    rf"{_HANDLE}"
    rf"|(?:需要|要|请|建议|应该)?(?:转给|交给|移交给?|转交给?|转办给?|转到|转至|移送给?|转)"
    rf"\s*(?P<to>{_NAME})\s*(?:{_HANDLE})?"
)
# Claimed: "我来处理", "我去看看", "我来跟", "我认领了", "我接了", "交给我吧".
_CLAIM_VERB = (
    r"(?:处理|办理|办|跟进|跟|负责|认领|接手|接|管|调解|看看|看一下|看一看|看下)"
)
_CLAIMED = (
    rf"(?:(?:我|俺)(?:来|去|先|马上|这就|现在|过去|到现场){{0,3}}{_CLAIM_VERB}"
    r"(?:了|吧|一下)*|交给我吧?|归我了?)"
)

_AT_REF = rf"{_LEAD}{_REF}{_ABOUT}{_SEP}"
_RESOLVED_SAID = re.compile(rf"{_AT_REF}(?:{_RESOLVED}){_END}{_TAIL}", re.S)
_ROUTED_SAID = re.compile(rf"{_LEAD}把?\s*{_REF}{_ABOUT}{_SEP}(?:{_ROUTED})吧?{_END}", re.S)
# ... the claim after the number ("5号我来处理") or before it ("我来处理5号").
_CLAIMED_SAID = re.compile(rf"{_AT_REF}(?:{_CLAIMED}){_END}{_TAIL}", re.S)
_CLAIMING_SAID = re.compile(rf"{_LEAD}(?:{_CLAIMED})\s*{_REF}{_ABOUT}{_END}{_TAIL}", re.S)
# A question, or talk about whether it was done: never read as saying it was.
_ASKING = re.compile(
    r"[?？]|吗|么|呢|是否|有没有|能不能|可不可以|要不要|行不行|对不对|好不好|是不是|没有?[办处解调]"
)
# Another ticket's number in the words after the phrase ("1号办好了，2号明天去").
_ANOTHER = re.compile(rf"{_REF}")

# The same in English, for a desk member who reads it (/lang en): "#1 is done", "ticket 3
# needs PCS", "I'll take #5".  A number is a ticket's only when marked as one (#5, ticket 5):
# "5 is done" may be anything.
def _en_ref(group: str) -> str:
    return rf"(?:ticket\s*(?:no\.?\s*)?#?\s*|#\s*)(?:[A-Za-z]{{1,8}}-)?(?P<{group}>\d{{1,9}})"


_EN_REF = _en_ref("n")
_EN_END = r"[\s.!~…]*"
_EN_TAIL = r"(?:[,.;!:\s]+[^?]{1,80})?"
_EN_RESOLVED_SAID = re.compile(
    rf"{_EN_REF}\s+(?:is\s+|has\s+been\s+|was\s+|'s\s+)?(?:now\s+|all\s+)?"
    rf"(?:done|resolved|fixed|sorted(?:\s+out)?|settled|handled|finished|taken\s+care\s+of)"
    rf"(?:\s+now)?{_EN_END}{_EN_TAIL}",
    re.I | re.S,
)
_EN_CLAIMED_SAID = re.compile(
    rf"(?:(?:I'?ll|I\s+will|I'?m\s+going\s+to|let\s+me)\s+"
    rf"(?:take|handle|do|deal\s+with|look\s+(?:into|at)|check(?:\s+on)?|follow\s+up(?:\s+on)?)"
    rf"|I'?m\s+on|I\s+am\s+on)\s+{_EN_REF}{_EN_END}{_EN_TAIL}"
    rf"|{_en_ref('m')}\s+(?:is\s+)?mine{_EN_END}{_EN_TAIL}",
    re.I | re.S,
)
_EN_ROUTED_SAID = re.compile(
    rf"{_EN_REF}\s+(?:needs|should\s+go\s+to|goes\s+to|is\s+for)\s+(?:the\s+)?"
    rf"(?P<to>{_NAME}){_EN_END}"
    rf"|(?:please\s+)?(?:send|hand|pass|give|refer)\s+{_en_ref('m')}\s+(?:over\s+|on\s+)?to\s+"
    rf"(?:the\s+)?(?P<by>{_NAME}){_EN_END}",
    re.I | re.S,
)
_EN_ASKING = re.compile(r"\?|^(?:is|has|was|did|can|could|should|will|would|who)\b|\bnot\b", re.I)
_EN_ANOTHER = re.compile(_EN_REF, re.I)


@dataclass(frozen=True)
class Said:
    """What a desk member's words say they did or mean to do: `action` (CLAIM, RESOLVE or
    DISPATCH) on ticket `ticket`; for DISPATCH, `department` is the word that names the
    department, as written (a code, a name or its start: `Config.find_department`)."""

    action: Action
    ticket: int
    department: str = ""


def read(text: str) -> Said | None:
    """What `text` says was done or is to be done to one ticket, None if it is not that."""
    words = normalise(text)
    if not words:
        return None
    if words.isascii():
        return _read_english(words)
    if _ASKING.search(words):
        return None
    for action, shape in (
        (Action.RESOLVE, _RESOLVED_SAID),  # before a claim: "5号我处理好了" is done
        (Action.CLAIM, _CLAIMED_SAID),  # before a route: "5号交给我吧" is no department
        (Action.CLAIM, _CLAIMING_SAID),
        (Action.DISPATCH, _ROUTED_SAID),
    ):
        found = shape.fullmatch(words)
        if found is None:
            continue
        if len(_ANOTHER.findall(words)) != 1:
            return None  # two tickets named ("1号办好了，2号明天去"): which is meant?
        number = next(n for n in found.group("a", "b", "c", "d", "e") if n)
        department = found.group("by") or found.group("to") if action is Action.DISPATCH else ""
        return Said(action, int(number), department or "")
    return None


def _read_english(words: str) -> Said | None:
    """`read`, for words in English: the same three things, as an English reader says them."""
    if _EN_ASKING.search(words) or len(_EN_ANOTHER.findall(words)) != 1:
        return None  # a question, a denial, or two tickets named (which is meant?)
    for action, shape in (
        (Action.RESOLVE, _EN_RESOLVED_SAID),
        (Action.CLAIM, _EN_CLAIMED_SAID),
        (Action.DISPATCH, _EN_ROUTED_SAID),
    ):
        found = shape.fullmatch(words)
        if found is not None:
            department = found.group("to") or found.group("by") if action is Action.DISPATCH else ""
            number = found.groupdict().get("n") or found.group("m")
            return Said(action, int(number), department or "")
    return None
