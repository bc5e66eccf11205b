"""Parsing commands, once for every platform.

Slash commands (`/claim 12`, `/claim@IntakeBot 12`) and Chinese text aliases (`认领 12`,
`办结 12 已调解`, `我的`) both end up as one `Command`.  Aliases only count when the whole
message has the command's shape, so a report that happens to start with "我的…" stays a
report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.config import AREA_CODE
from bot.period import SHAPE as PERIOD_SHAPE
from bot.workflow import Action, Rating


@dataclass(frozen=True)
class Command:
    action: Action
    ticket: int | None = None
    args: str = ""


class CommandError(Exception):
    """The message is a command but cannot be carried out as written.

    `key` names the catalogue message to reply with; `params` fill it in.
    """

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Spec:
    action: Action
    ticket: bool = False  # takes a ticket number first
    args: bool = False  # requires text after it (or after the ticket number)
    optional_args: bool = False


SPECS: dict[str, Spec] = {
    "help": Spec(Action.HELP),
    "start": Spec(Action.HELP),
    "status": Spec(Action.STATUS, ticket=True),
    "mine": Spec(Action.MINE),
    "queue": Spec(Action.QUEUE, optional_args=True),
    "claim": Spec(Action.CLAIM, ticket=True),
    "unclaim": Spec(Action.UNCLAIM, ticket=True),
    "note": Spec(Action.NOTE, ticket=True, args=True),
    # The outcome is required, but asked for by the desk: a Resolve button has none yet.
    "resolve": Spec(Action.RESOLVE, ticket=True, optional_args=True),
    "close": Spec(Action.CLOSE, ticket=True, optional_args=True),
    "reopen": Spec(Action.REOPEN, ticket=True, optional_args=True),
    "ticket": Spec(Action.TICKET, ticket=True),
    "assign": Spec(Action.ASSIGN, ticket=True, args=True),
    "grant": Spec(Action.GRANT, args=True),
    "retag": Spec(Action.RETAG, ticket=True, args=True),
    "lang": Spec(Action.LANG, args=True),
    "unfiled": Spec(Action.UNFILED),
    "file": Spec(Action.FILE, ticket=True),  # the number is a logged message's, not a ticket's
    "overdue": Spec(Action.OVERDUE, optional_args=True),
    "rate": Spec(Action.RATE, ticket=True, args=True),  # rating, then an optional comment
    "stats": Spec(Action.STATS, optional_args=True),
    "dismiss": Spec(Action.DISMISS, ticket=True, optional_args=True),  # then the reason
    "export": Spec(Action.EXPORT, optional_args=True),  # period, area, format
}

# Chinese aliases: word -> slash name.  Residents and workers on WeChat rarely type "/".
ALIASES: dict[str, str] = {
    "帮助": "help",
    "查询": "status",
    "进度": "status",
    "我的": "mine",
    "待办": "queue",
    "认领": "claim",
    "接单": "claim",
    "退回": "unclaim",
    "备注": "note",
    "办结": "resolve",
    "结案": "close",
    "重开": "reopen",
    "详情": "ticket",
    "指派": "assign",
    "授权": "grant",
    "改标": "retag",
    "未立案": "unfiled",
    "立案": "file",
    "督办": "overdue",
    "超时工单": "overdue",
    "作废": "dismiss",
    "非报事": "dismiss",
}

# The answers to a follow-up visit, as words people type after /rate 12 (either language).
RATINGS: dict[str, Rating] = {
    "满意": Rating.SATISFIED,
    "基本满意": Rating.FAIR,
    "不满意": Rating.UNSATISFIED,
    **{r.value: r for r in Rating},
}
# ... and as commands of their own: "满意 12", "不满意 12 还是很吵".  Stricter than the
# other aliases (the number must stand alone), because residents start reports with
# these words: "不满意3号楼物业乱收费" is a report, not a bad ticket number.
_RATING = re.compile(r"(基本满意|不满意|满意)\s*(#?(?:[A-Za-z]{1,8}-)?\d{1,9})(?:\s+(.*))?", re.S)
# /stats' words: a period, with an area's code before or after it ("本月 DZ", "DZ").
STATS_SHAPE = re.compile(rf"(?:{AREA_CODE}\s+)?{PERIOD_SHAPE.pattern}(?:\s+{AREA_CODE})?")
# /export's words: a period with up to three more words before or after it (an area's
# code, csv or xlsx, or a request for numbers in full, which is answered with why not).
_EXPORT_WORD = rf"(?:{AREA_CODE}|明文|不打码|完整号码)"
EXPORT_SHAPE = re.compile(
    rf"(?:{_EXPORT_WORD}\s+){{0,3}}{PERIOD_SHAPE.pattern}(?:\s+{_EXPORT_WORD}){{0,3}}"
)
# Aliases that take free words after them ("统计 本月", "统计 7d DZ"): they count only when
# those words have the expected shape, so "统计一下我们楼有几户" stays a report.
SHAPED_ALIASES: dict[str, tuple[str, re.Pattern[str]]] = {
    "统计": ("stats", STATS_SHAPE),
    "导出台账": ("export", EXPORT_SHAPE),
    "台账": ("export", EXPORT_SHAPE),
}

_TICKET_REF = re.compile(r"#?(?:[A-Za-z]{1,8}-)?(\d{1,9})")
_SLASH = re.compile(r"/([A-Za-z_]+)(?:@\w+)?(?=\s|$)(.*)", re.S)
# An alias counts when followed by nothing, by a number ("认领12"), or by a separate
# ASCII token ("查询 abc", which then gets a "bad ticket number" reply); "查询一下社保…"
# is a question for the desk, not a command.
_ALIAS = re.compile(
    "(" + "|".join(sorted(ALIASES, key=len, reverse=True)) + ")"
    r"(\s*#?(?:[A-Za-z]{1,8}-)?\d.*|\s+[#A-Za-z0-9-]+(?:\s.*)?|)",
    re.S,
)


# Full-width digits, letters and the marks a command needs (／＃＠－), as Chinese input
# methods type them, folded to ASCII.  Other full-width punctuation (，！？：) is left
# alone: it belongs to the notes and resolutions people write.
_FOLDED = "０１２３４５６７８９" + "".join(chr(c) for c in range(0xFF21, 0xFF3B))
_FOLDED += "".join(chr(c) for c in range(0xFF41, 0xFF5B)) + "／＃＠－＿"
_FULL_WIDTH = {ord(ch): ord(ch) - 0xFEE0 for ch in _FOLDED} | {0x3000: 0x20}


def normalise(text: str) -> str:
    return text.translate(_FULL_WIDTH).strip()


def parse_ticket_ref(token: str) -> int:
    match = _TICKET_REF.fullmatch(token)
    if not match:
        raise CommandError("bad_ticket_number", value=token[:20])
    return int(match.group(1))


def parse(text: str) -> Command | None:
    """The command in `text`, None if it is not a command (i.e. it is a report).

    Raises CommandError for an unknown slash command or missing/bad arguments.
    """
    text = normalise(text)
    slash = _SLASH.fullmatch(text)
    if slash:
        name, rest = slash.group(1).lower(), slash.group(2)
        if name not in SPECS:
            raise CommandError("unknown_command", name=name[:30])
        return _build(name, rest.strip())
    if text.startswith("/"):
        raise CommandError("unknown_command", name=text[1:20])
    rating = _RATING.fullmatch(text)
    if rating:
        word, number, comment = rating.groups()
        return _build("rate", f"{number} {RATINGS[word].value} {comment or ''}".strip())
    for word, (name, shape) in SHAPED_ALIASES.items():
        rest = text.removeprefix(word).strip()
        if text.startswith(word) and shape.fullmatch(rest):
            return _build(name, rest)
    alias = _ALIAS.fullmatch(text)
    if alias:
        name, rest = ALIASES[alias.group(1)], alias.group(2).strip()
        spec = SPECS[name]
        # "我的" alone is a command; "查询12" needs its number to be one.
        if spec.ticket == bool(rest) or (not spec.ticket and not rest):
            return _build(name, rest)
    return None


def _build(name: str, rest: str) -> Command:
    spec = SPECS[name]
    ticket: int | None = None
    if spec.ticket:
        if not rest:
            raise CommandError("usage", command=name)
        token, _, rest = rest.partition(" ")
        ticket = parse_ticket_ref(token)
        rest = rest.strip()
    if spec.args and not rest:
        raise CommandError("usage", command=name)
    if not (spec.args or spec.optional_args):
        rest = ""
    return Command(spec.action, ticket, rest)


# The slash name people type for each action (for "you cannot use /claim" replies).
# RESTORE has no command of its own: it is /reopen on a dismissed ticket.
USAGE_NAMES: dict[Action, str] = {
    spec.action: name for name, spec in SPECS.items() if name != "start"
} | {Action.RESTORE: "reopen"}
