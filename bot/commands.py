"""Parsing commands, once for every platform.

Slash commands (`/claim 12`, `/claim@IntakeBot 12`), Chinese text aliases (`认领 12`,
`办结 12 已调解`, `我的`) and questions about one's own report in plain words ("我反映的事
怎么样了": `/mine`; "12号那个事到哪一步了": `/status 12`) all end up as one `Command`.
Aliases and questions only count when the whole message has the command's shape, so a
report that happens to start with "我的…" or "我反映的…" stays a report.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from bot.config import AREA_CODE, parse_limit
from bot.involved import chinese_number
from bot.period import SHAPE as PERIOD_SHAPE
from bot.workcal import Span, WorkingDays
from bot.workflow import Action, Rating, Role


@dataclass(frozen=True)
class Command:
    action: Action
    ticket: int | None = None
    args: str = ""
    # Typed in words that only start like the command ("授权 李师傅", no role): the command
    # of whoever may use it, answered with what is missing; anyone else's words
    # (`LOOSE_ALIASES`, `bot.pipeline`).
    loose: bool = False
    # A follow-up visit's rating read from everyday words ("还行吧，就是来得有点慢",
    # `bot.visit_words`): the reply says how it was read and how to correct it.
    in_words: bool = False


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
    # A command's word or alias after it: that command's usage line (`command_named`).
    "help": Spec(Action.HELP, optional_args=True),
    "start": Spec(Action.HELP),
    "status": Spec(Action.STATUS, ticket=True),
    "mine": Spec(Action.MINE),
    "queue": Spec(Action.QUEUE, optional_args=True),
    "claim": Spec(Action.CLAIM, ticket=True),
    # Then why (a department's liaison sending a ticket back must say: 退回 12 不属于本部门).
    "unclaim": Spec(Action.UNCLAIM, ticket=True, optional_args=True),
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
    # The number is a logged message's, not a ticket's; then, for one whose sender had not
    # chosen their grid, the area to file it in (立案 34 东镇).
    "file": Spec(Action.FILE, ticket=True, optional_args=True),
    "overdue": Spec(Action.OVERDUE, optional_args=True),
    "rate": Spec(Action.RATE, ticket=True, args=True),  # rating, then an optional comment
    "stats": Spec(Action.STATS, optional_args=True),
    "dismiss": Spec(Action.DISMISS, ticket=True, optional_args=True),  # then the reason
    "export": Spec(Action.EXPORT, optional_args=True),  # period, area, format
    "report": Spec(Action.REPORT, args=True),  # the report's text
    "withdraw": Spec(Action.WITHDRAW, ticket=True, optional_args=True),  # then the reason
    "search": Spec(Action.SEARCH, args=True),  # the words to find, maybe an area's code
    "workload": Spec(Action.WORKLOAD, optional_args=True),  # period and area, as /stats
    "extend": Spec(Action.EXTEND, ticket=True, args=True),  # how much longer, then why
    "handover": Spec(Action.HANDOVER, args=True),  # from whom, to whom
    "merge": Spec(Action.MERGE, ticket=True, args=True),  # then the ticket it goes into
    "area": Spec(Action.AREA, optional_args=True),  # an area's code, or none to list them
    # A department (code or name), "-" before it to ask no longer; then a note for it.
    "assist": Spec(Action.ASSIST, ticket=True, args=True),
    # 化解成功 or 未化解, for a resolution whose outcome did not say (调处结果).
    "settled": Spec(Action.SETTLED, ticket=True, args=True),
    # Why, or "off" to take it back; no number: the list of open ones (重大疑难).
    "major": Spec(Action.MAJOR, ticket=True, optional_args=True),
    # The people and the money the case involves: "30人 5万元", one or both; or "clear".
    "involved": Spec(Action.INVOLVED, ticket=True, args=True),
    # A grid's screening found no dispute today (零报告): its area first, if named; a note.
    "zero": Spec(Action.ZERO_REPORT, optional_args=True),
    # Which grids have reported their screening: a period (today) and an area, as /stats.
    "screening": Spec(Action.SCREENING, optional_args=True),
    # Press whoever has the case to act on it now (催办); then a word for them.
    "urge": Spec(Action.URGE, ticket=True, optional_args=True),
    # The desk's people: a role, an area or a department to list only theirs (人员 网格员).
    "people": Spec(Action.PEOPLE, optional_args=True),
    # A mediation session (调解): when, then where ("明天下午3点 人民调解室"); "cancel" ends it.
    "mediate": Spec(Action.MEDIATE, ticket=True, args=True),
    # A visit staff made by phone (电话回访): the rating, as /rate takes it, then what was said.
    "visit": Spec(Action.VISIT, ticket=True, args=True),
    # The area a ticket is given (划归 12 东镇): its code, its name, or its name cut short.
    "route": Spec(Action.ROUTE, ticket=True, args=True),
    # The reporter makes their own ticket anonymous (匿名反映) after filing it: 匿名 12.
    "anonymous": Spec(Action.ANONYMOUS, ticket=True),
}

# Chinese aliases: word -> slash name.  Residents and workers on WeChat rarely type "/".
ALIASES: dict[str, str] = {
    "帮助": "help",
    "查询": "status",
    "进度": "status",
    "我的": "mine",
    # A worker's to-do list: what they hold, and how many wait in the grid's queue (it
    # passed as talk, unanswered; 待办 alone is the queue).
    **dict.fromkeys(("我的待办", "我的任务"), "mine"),
    "待办": "queue",
    "认领": "claim",
    "接单": "claim",
    "退回": "unclaim",
    "备注": "note",
    "办结": "resolve",
    "结案": "close",
    **dict.fromkeys(("关闭", "归档"), "close"),
    "重开": "reopen",
    "详情": "ticket",
    "指派": "assign",
    # Transferring a ticket is an assignment by the centre; a grid worker who types it is
    # told how to hand a ticket back (`Desk.run`) instead of being ignored as chatter.
    "转办": "assign",
    "转交": "assign",
    "移交": "assign",
    "转给": "assign",
    **dict.fromkeys(("分派", "派给", "派单"), "assign"),  # "派给 12 王网格员", as dispatchers say
    "授权": "grant",
    "改标": "retag",
    "未立案": "unfiled",
    "立案": "file",
    "督办": "overdue",
    "超时工单": "overdue",
    # What staff call a ticket past its deadline, as they ask for the list.
    **dict.fromkeys(("逾期", "逾期工单", "超期", "超期工单", "超时"), "overdue"),
    # The reporter taking their own report back ("撤销 1" used to pass as chatter, unanswered).
    **dict.fromkeys(("撤回", "撤销", "撤单"), "withdraw"),
    "作废": "dismiss",
    "非报事": "dismiss",
    "并案": "merge",
    "协办": "assist",
    "调处结果": "settled",
    "重大疑难": "major",
    "列为重大": "major",
    "重大": "major",  # "重大 12 涉及全小区", as staff shorten it (it passed unanswered)
    **dict.fromkeys(("催办", "催一下", "催促"), "urge"),
    "网格": "area",
    "我的网格": "area",
    # Staff writing down a visit they made by phone: "回访 12 不满意 还是很吵".  A resident's
    # "回访12次都没人来" stays theirs (`bot.pipeline._desk_word`).
    **dict.fromkeys(("回访", "电话回访"), "visit"),
    # Staff giving a ticket its grid: "划归 12 东镇".  Not 网格 12 东镇: 网格 is a resident's
    # own choice of grid (/area).
    **dict.fromkeys(("划归", "划归网格", "改网格"), "route"),
}

# The answers to a follow-up visit, as words people type after /rate 12 (either language),
# with the degree words people put before them ("非常满意", "还算满意", "不太满意").
RATINGS: dict[str, Rating] = {
    **dict.fromkeys(("满意", "很满意", "非常满意", "挺满意", "比较满意"), Rating.SATISFIED),
    **dict.fromkeys(("基本满意", "还算满意", "一般满意"), Rating.FAIR),
    **dict.fromkeys(("不满意", "不太满意", "很不满意", "非常不满意"), Rating.UNSATISFIED),
    **{r.value: r for r in Rating},
}
# What may follow a ticket number before the words after it, as people type and as voice
# input writes ("办结1号，已处理。", "查询1号。"): a space, a comma, a colon, an end mark.
_AFTER_NUMBER = ",，、:：;；。.!！?？~～…"
# What may end a command that takes no words ("我的。", "帮助！"), as voice input ends them.
_END_MARKS = "。.!！?？~～…"
_RATING_WORD = "|".join(sorted((w for w in RATINGS if not w.isascii()), key=len, reverse=True))
# ... and as commands of their own: "满意 12", "不满意 12 还是很吵".  Stricter than the
# other aliases (the number must stand alone), because residents start reports with
# these words: "不满意3号楼物业乱收费" is a report, not a bad ticket number.
# The English words too, spaced from the number: "unsatisfied 1 nobody came" took the 1
# for the start of the comment.
_RATING = re.compile(
    rf"({_RATING_WORD}|(?i:not satisfied|unsatisfied|satisfied|fair)(?=\s))"
    rf"\s*(#?(?:[A-Za-z]{{1,8}}-)?\d{{1,9}})号?(?![.．]\d)"
    rf"(?:[\s{_AFTER_NUMBER}]*$|[\s{_AFTER_NUMBER}]+(.*))",
    re.S,
)
# A rating word with no number, Chinese or English (the forms below).
_ANY_RATING_WORD = rf"({_RATING_WORD}|satisfied|fair|unsatisfied|not satisfied)"


def _rating_of(word: str) -> Rating:
    """The rating a word of `_ANY_RATING_WORD` gives, in any case ("Not satisfied")."""
    return RATINGS[word.lower().replace("not satisfied", "unsatisfied")]


# ... or alone, as a resident answers the question "是否满意" on WeChat, which has no
# buttons: "满意", "非常满意！谢谢".  The desk finds the visit it answers (`Desk.rate`).
_BARE_RATING = re.compile(
    _ANY_RATING_WORD
    + r"[\s了的啊呀吧哈!！.。~～,，]*(?:谢谢(?:你|您|了)?|多谢|感谢)?[\s!！.。~～]*",
    re.IGNORECASE,
)
# ... or with a comment after it, as people answer a visit: "不满意，钱还没到手",
# "满意 谢谢王师傅跑了好几趟".  A report can start the same way
# ("不满意，物业天天乱收费"), so this form is not a command on its own: the pipeline takes
# it as the answer only when a visit waits for the sender's rating
# (`rating_with_comment`), and otherwise files it as the report it may be.
_RATING_AND_COMMENT = re.compile(
    _ANY_RATING_WORD
    + r"(?:[\s,，、.。!！~～:：;；]+)(\S.*)",
    re.S | re.IGNORECASE,
)
# Closing resolved cases together (结案, `bot.desk.closing`): "/close satisfied" (or 满意)
# closes every one whose follow-up visit was answered 满意 or 基本满意, of an area or a
# department if one is named after it; "/close" alone, "结案" alone and "待结案" list those
# waiting.  "/close unanswered" (or 未回复, 未答复) closes those whose visit went unanswered
# for `[followup] unanswered_after`.  The desk reads a /close with no number by its first
# word, `CLOSE_RATED`, `CLOSE_UNANSWERED` or neither.
CLOSE_RATED = "satisfied"
CLOSE_UNANSWERED = "unanswered"
_CLOSE_BATCHES = dict.fromkeys((CLOSE_RATED, "满意"), CLOSE_RATED) | dict.fromkeys(
    (CLOSE_UNANSWERED, "未回复", "未答复"), CLOSE_UNANSWERED
)
# ... in words: "结案 满意", "结案满意 东镇"; "待结案", "待结案 DZ".  Only with nothing after them
# but an area's or a department's code or name (`parse` checks), so "待结案的事情太多了" and
# "结案满意度怎么算" stay what they were.
_SCOPE_WORD = rf"(?:\s+([^\s{_END_MARKS}]+))?[\s{_END_MARKS}]*"
_CLOSE_RATED_ALIAS = re.compile(rf"结案\s*满意{_SCOPE_WORD}")
_CLOSE_UNANSWERED_ALIAS = re.compile(rf"结案\s*未[回答]复{_SCOPE_WORD}")
_TO_CLOSE = re.compile(rf"待结案{_SCOPE_WORD}")
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
# /grant's words: a person, a role code, an area's code or a department's code or name
# ("授权 张三 grid_worker DZ", "授权 张警官 liaison 派出所").  Only admins' messages are read
# this way, and theirs are never reports; the shape keeps a resident's "授权" sentence a
# report, as before.
# A role by its code or as admins name it in Chinese ("授权 李师傅 网格员 DZ" was taken for
# talk, unanswered: only the codes were read).
ROLE_WORDS: dict[str, Role] = {
    **{role.value: role for role in Role},
    **dict.fromkeys(("居民", "群众"), Role.RESIDENT),
    "网格员": Role.GRID_WORKER,
    **dict.fromkeys(("工作人员", "中心工作人员"), Role.STAFF),
    "管理员": Role.ADMIN,
    **dict.fromkeys(("对接人", "部门对接人"), Role.LIAISON),
}
_ROLE_WORD = "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
GRANT_SHAPE = re.compile(rf"\S+\s+(?:{_ROLE_WORD})(?:\s+\S{{1,20}})?")
# /people's words: a role, an area's or a department's code (a name is read as its code,
# `_as_codes`), one or both ("人员 网格员", "人员 东镇", "人员 网格员 东镇").
_PEOPLE_WORD = rf"(?:{_ROLE_WORD}|{AREA_CODE})"
PEOPLE_SHAPE = re.compile(rf"(?:{_PEOPLE_WORD}(?:\s+{_PEOPLE_WORD})?)?")
# /handover's words: two people ("转交全部 张三 李四"); a sentence is a report.
HANDOVER_SHAPE = re.compile(r"\S+\s+\S+")
SHAPED_ALIASES: dict[str, tuple[str, re.Pattern[str]]] = {
    "授权": ("grant", GRANT_SHAPE),
    "人员": ("people", PEOPLE_SHAPE),
    "人员名单": ("people", PEOPLE_SHAPE),
    "转交全部": ("handover", HANDOVER_SHAPE),
    "全部转交": ("handover", HANDOVER_SHAPE),
    "统计": ("stats", STATS_SHAPE),
    "工作量": ("workload", STATS_SHAPE),
    "导出台账": ("export", EXPORT_SHAPE),
    "台账": ("export", EXPORT_SHAPE),
    "导出": ("export", EXPORT_SHAPE),  # "导出 本月", as staff shorten 导出台账
    **dict.fromkeys(("排查情况", "排查报送", "报送情况", "零报告情况"), ("screening", STATS_SHAPE)),
}
# ... and, for the commands of the desk's leadership, when a few words follow that fit no
# shape ("授权 李师傅", no role; "授权 李师傅 警察 派出所", a role there is not;
# "转交全部 王网格员", nobody to take them; "工作量 王网格员", a person): from an admin
# (staff) the command, answered (one person's workload) or told what is wrong, where it
# was "not a command" privately and unanswered in a group; from anyone else their words,
# as before (`Command.loose`).
_FEW_WORDS = re.compile(r"(?:\s+\S{1,20}){1,3}")
LOOSE_ALIASES = frozenset({"授权", "转交全部", "全部转交", "工作量", "人员", "人员名单"})
# ... and when, after a space, up to four short words follow that name a time or a code
# ("统计 上季度", "导出台账 第三季度 xlsx"): a period the bot does not know, which gets a reply
# naming the problem, where it used to be filed as a report (and "统计 上周" as an urgent one).
# "统计 一下我们楼有几户" still names no time and stays a report.
_TIME_WORD = r"[\u4e00-\u9fff0-9]{0,4}[周月年天日季度今昨前上本近去][\u4e00-\u9fff0-9]{0,3}"
_TAIL_WORD = rf"(?:[#A-Za-z0-9./~\-]+|{_TIME_WORD})(?=\s|$)"
_SHAPED_TAIL = re.compile(rf"(?:\s+{_TAIL_WORD}){{1,4}}")

_AREA = re.compile(AREA_CODE)
# An alias and one word after it, which counts when the word names an area or a department.
_NAMED_SCOPE = re.compile(r"(\S+)\s+(\S+)")
# Finding tickets by their words: "查找 3栋 漏水", "搜索：张大妈".  The separator is required, so
# "查找漏水点" is not a search.  From a resident this is a message like any other of theirs
# ("查找 走失老人，穿蓝色外套" is a report: `Pipeline._read`).
_SEARCH = re.compile(r"(?:查找|搜索|检索)\s*[:：]\s*(\S.*)|(?:查找|搜索|检索)\s+(\S.*)", re.S)
# ... and as staff type it without thinking: glued to its words ("查找装修", "检索张大妈"), or
# said (查一下, 搜一下: "查一下 装修", "搜一下装修"); 详情6 and 催办5 work glued, and these were
# talk (silence in the staff room, "not a command" one to one).  Residents start messages
# the same way, but a resident's search in words is a message of theirs anyway
# (`Pipeline._read`); what keeps a desk member's sentence from being searched is the shape:
# glued, one word of at most six Chinese characters (or a phone number, a user name) with no
# question in it, so "查找漏水点要花多少钱", "查一下社保怎么交", "查找走失老人，穿蓝色外套" stay
# what they were; after 查一下 and a space, any words but a question.  Read after the
# questions about one's own report ("查一下我反映的事" is /mine).
_SAID_SEARCH = re.compile(r"(?:查找一下|搜索一下|查一下|搜一下)(?:\s*[:：]\s*|\s+)(\S.*)", re.S)
_GLUED_SEARCH = re.compile(
    r"(?:查找一下|搜索一下|查一下|搜一下|查找|搜索|检索)(?!一下)"
    r"([\u4e00-\u9fff]{1,6}|[A-Za-z0-9@._\-]{1,20})[\s。.!！~～]*"
)
_ASKING = re.compile(r"[?？吗呢吧么啥谁哪几了]|怎|什么|多少|如何|为何|是否|能否|有没有|可以")
# What separates search words besides spaces; quotes around them are dropped.
_SEARCH_SEPARATORS = re.compile(r"[\s,，、;；]+")
_QUOTES = "\"'“”‘’「」『』《》"
# A report declared as one: "上报：3号楼楼道堆满杂物", "代报 李大爷家屋顶漏雨".  The separator is
# required, so "上报了吗" and "上报给谁" are not declarations.
_DECLARED = re.compile(r"(?:上报|代报)\s*[:：]\s*(\S.*)|(?:上报|代报)\s+(\S.*)", re.S)
# "12", "#12", "DZ-12", and as people write a number in words: "12号", "第12号"
_TICKET_REF = re.compile(r"第?#?(?:[A-Za-z]{1,8}-)?(\d{1,9})号?")
# ... and in Chinese numerals, with 号, as voice input writes a small one ("认领一号", "查询
# 十二号"): it passed as talk, unanswered.  "查询一号楼…" stays a report: a separator or the
# end must follow.
_ZH_REF = r"第?[一二两三四五六七八九十百千零〇]{1,8}号"
_ZH_TICKET_REF = re.compile(_ZH_REF)
# A ticket number at the start of a command's words, and the words after it.  Never one
# with a decimal point: "/close 1.5" closed #1.
_LEADING_REF = re.compile(
    rf"(第?#?(?:[A-Za-z]{{1,8}}-)?\d{{1,9}}号?(?![.．]\d)|{_ZH_REF})"
    rf"(?:[\s{_AFTER_NUMBER}]+(.*)|$)",
    re.S,
)
# A ticket named and nothing else, as a reporter copies it from the acknowledgement ("工单号
# #1") or staff ask for it ("工单 12", "12号工单", "ticket 12"): how it is getting on, as
# "查询 12" answers.  It was filed onto the resident's report as a part (and the model called
# "工单 1" urgent), and passed unanswered in the staff room.  Words after the number keep it
# a message.
_TICKET_NAMED = re.compile(
    rf"(?:(?:工单号?|单号|(?i:ticket))[\s:：]*({_TICKET_REF.pattern})|(#?\d{{1,9}})号?工单)"
    rf"[\s{_END_MARKS}]*"
)
_SLASH = re.compile(r"/([A-Za-z_]+)(?:@\w+)?(?=\s|$)(.*)", re.S)
# Handing a ticket on with its number glued to whom it goes to: "转办5派出所", "协办12司法所
# 请协助调解", "派给5王网格员" (told 「5派出所」 is no ticket number).  The name is a department's
# or an area's (`scope_names`) or looks like a person's: a user name, or two to six Chinese
# characters not starting with what counts things ("转给5楼的邻居", "派给3个网格员" are not).
# Read as the command of those who may hand tickets on, a resident's words (`Command.loose`):
# "转给5王五看看" stays theirs.
_HANDING = "|".join(
    sorted((w for w, n in ALIASES.items() if n in ("assign", "assist")), key=len, reverse=True)
)
_GLUED_NAME = re.compile(
    rf"({_HANDING})\s*(第?#?(?:[A-Za-z]{{1,8}}-)?\d{{1,9}}号?)"
    rf"([^\s\d{_AFTER_NUMBER}号#\-][^\s{_AFTER_NUMBER}]*)(?:[\s{_AFTER_NUMBER}]+(\S.*))?",
    re.S,
)
_COUNTED = "楼栋层单户号个人名位元块万千百十年月日天周点次岁米斤件室组期批届遍趟"
_PERSON = re.compile(rf"@?[A-Za-z_][\w.\-]{{0,31}}|[^\x00-\x7f{_COUNTED}][\u4e00-\u9fff·]{{1,5}}")
# An alias counts when followed by nothing, by a number ("认领12"), or by a separate
# ASCII token ("查询 abc", which then gets a "bad ticket number" reply); "查询一下社保…"
# is a question for the desk, not a command.
# The aliases, longest first, as a regular expression's alternatives.
_ALIAS_WORDS = "|".join(sorted(ALIASES, key=len, reverse=True))
_ALIAS = re.compile(
    "(" + _ALIAS_WORDS + ")"
    rf"(\s*第?#?(?:[A-Za-z]{{1,8}}-)?\d.*|\s+[#A-Za-z0-9-]+(?:\s.*)?|[\s{_END_MARKS}]*"
    rf"|\s*{_ZH_REF}(?:[\s{_AFTER_NUMBER}].*)?)",
    re.S,
)


# Questions about the progress of one's own report, in plain words (`progress_question`):
#
#     question = polite* (subject progress | lookup subject) closing*
#     subject  = my_report | [my_report] ticket [thing]
#
#     "请问，" "我上周报的那个" "有人管吗" "？谢谢"         -> /mine
#     "12号那个事" "到哪一步了"                             -> /status 12
#     "怎么查" "我反映的事"                                 -> /mine
_SEP = r"[\s,，、.。!！?？~～:：…]*"  # separators and end marks, as typed around words
_THANKS = r"(?:谢谢(?:你|您|了)?|多谢|感谢|麻烦了|辛苦了)"
_POLITE = (  # what people put before a question to the desk; voice input's 喂, 那个 too
    rf"(?:请问|你好|您好|网格员|网格长|同志|领导|老师|在吗|打扰了|打扰一下|{_THANKS}|喂+|嗯+|那个|"
    r"麻烦(?:你|您)?(?:问|打听)?一?下|(?:我想|想)?(?:问|打听)一?下)"
)
_CLOSING = rf"(?:{_SEP}|啊|呢|呀|啦|哈|嘛|哦|喔|吧|{_THANKS})"

# subject: what the sender reported ("我反映的", "我上周在群里报过的事", "我的事") ...
_OWNER = r"(?:我们?)"  # the sender: /mine lists what they reported
_WHEN = (
    r"(?:上周|上星期|上个?星期|上个?月|昨天|前天|前几天|前些天|前段时间|之前|以前|上次|"
    r"刚才|刚刚|今天|早上|上午|下午)"
)
_WHERE = r"(?:在群里|在这里|在这儿|(?:跟|向|给|和)(?:你们|您|网格员|社区|村里))"
_VERB = r"(?:反映|反应|投诉|举报|上报|报告|报修|报|说|提交|提)"  # 反应: a common typo
_THING = (
    r"(?:(?:那个|那件|这个|这件|那些|这些)(?:事情|事儿|事|问题|工单|单子)?"
    r"|事情|事儿|事|问题|工单|单子)"
)
_MY_REPORT = (  # "我的" alone is the /mine alias; here it needs a thing: "我的事", "我那个事儿"
    rf"(?:{_WHEN}?{_OWNER}{_WHEN}?{_WHERE}?{_VERB}过?的{_THING}?|{_OWNER}的{_THING}"
    r"|我(?:那个|那件)(?:事情|事儿|事|问题))"
)
# ... or a ticket number, marked as one (#12, DZ-12, 12号, 工单12, or a thing after it:
# "12的事"), so that "110怎么样了" is not ticket 110.  The only digits the grammar admits.
_NUMBER = r"\d{1,9}"
_TICKET = (
    rf"(?:(?:工单|单号)\s*#?(?:[A-Za-z]{{1,8}}-)?{_NUMBER}号?"
    rf"|(?:#|[A-Za-z]{{1,8}}-){_NUMBER}号?"
    rf"|{_NUMBER}号"
    rf"|{_NUMBER}\s*的?{_THING})"
)
_SUBJECT = rf"(?:(?:{_MY_REPORT}的?)?{_TICKET}的?{_THING}?|{_MY_REPORT})"

# progress: the question after the subject ("怎么样了", "有人管吗", "到哪一步了", "在哪查")
_HOW = r"(?:怎么样|咋样|怎样|如何)"
_HANDLED = r"(?:处理|办理|解决|落实|办)"
_NEWS = r"(?:进展|进度|结果|回复|回音|消息|人管|人处理|人理|人跟进|人来)"
_IS_IT = r"(?:吗|么|没有|没)"
_WHERE_TO_LOOK = r"(?:怎么|咋|如何|在哪里?|去哪里?|哪里|哪儿)(?:查询|查|看)"
_PROGRESS = (
    r"的?(?:现在|目前|到底|究竟|还|都|已经){0,2}(?:"
    rf"{_HOW}了?"  # 怎么样了
    rf"|(?:进度|进展|情况|结果|处理情况|办理情况)(?:{_HOW}|咋说)?了?"  # 进度如何
    r"|(?:进行|处理|办)?到(?:哪一?步|哪儿?|什么程度|什么地步)了?"  # 到哪一步了
    rf"|有没有(?:{_NEWS}|{_HANDLED})"  # 有没有进展
    rf"|有{_NEWS}了?{_IS_IT}"  # 有人管吗, 有结果了吗
    rf"|{_HANDLED}(?:了|好了|完了)?{_IS_IT}"  # 处理了没, 解决了吗
    rf"|{_HANDLED}得?{_HOW}了?"  # 处理得怎么样了
    rf"|{_WHERE_TO_LOOK}(?:进度|进展)?"  # 在哪查
    # 咋还没人管, 怎么没有下文了: said of the sender's report, not of anything
    r"|(?:怎么|咋|为啥|为什么)?(?:还|都|一直)?(?:没|没有)(?:人管|人处理|人理|人来|人联系|消息|回复|"
    r"回音|下文|动静)(?:了|呢|啊|呀)?"
    r"|(?:什么|啥)时候(?:能|才能|可以)?(?:解决|处理|办好|来人|有人来|有结果)"  # 什么时候能解决
    r")"
)
# lookup: asking how to look it up, before the subject ("怎么查…", "帮我查一下…")
_LOOKUP = rf"(?:{_WHERE_TO_LOOK}|(?:帮我|帮忙)?(?:查一?下|查询|查看|查|看一?下|看看))"
_ASKED_AFTER = r"(?:的?(?:进度|进展|情况|结果))?"

# ... or no subject, when the question names a case's progress (进度, 进展, 处理结果):
# "进度怎么样了", "有进展吗", "处理结果出来没" can only be about the sender's own report.
# Not "怎么样了" or "有人管吗", "有结果了吗" alone: said of anything in a group's talk.
_CASE_NEWS = r"(?:(?:处理|办理)?(?:进度|进展)|(?:处理|办理)(?:结果|情况))"
_BARE_PROGRESS = (
    r"(?:现在|目前|到底|究竟|还|都){0,2}(?:"
    rf"{_CASE_NEWS}(?:{_SEP}(?:{_HOW}了?|咋说|呢|(?:出来|有)了?{_IS_IT}"
    r"|(?:进行|处理|办)?到(?:哪一?步|哪儿?|什么程度|什么地步)了?))?"
    rf"|有没有{_CASE_NEWS}|有{_CASE_NEWS}了?{_IS_IT})"
)

_ZH_QUESTION = re.compile(
    rf"(?:{_POLITE}{_SEP}){{0,3}}"
    rf"(?:{_SUBJECT}{_SEP}{_PROGRESS}|{_LOOKUP}{_SEP}{_SUBJECT}{_ASKED_AFTER}"
    # or the sender's reports named and nothing else: "我的工单", "我反映的事呢"
    rf"|{_MY_REPORT}|{_BARE_PROGRESS}"
    rf"|{_LOOKUP}{_SEP}{_OWNER}的)"  # "查一下我的", "看看我的": `我的` asked for
    rf"{_CLOSING}*"
)
# The same, kept small, in English: "status of my report", "any update on ticket 12?",
# "my status", "where is my report", "ticket 12 status".
_EN_ASKING = (
    r"(?:what(?:'s| is) the )?(?:status|progress|any (?:update|news|progress)|news)"
    r" (?:of|on|for|about|with)"
)
_EN_SUBJECT = (
    r"(?:my (?:reports?|complaints?|tickets?|case)"
    rf"|(?:ticket |report |case |no\.? ?)?#?(?:[A-Za-z]{{1,8}}-)?{_NUMBER})"
)
_EN_LOOKUP = (
    r"(?:check|where(?:'s| is)|what happened (?:to|with)|what about|how(?:'s| is)"
    r"|is anyone (?:handling|on|looking at))"
)
_EN_QUESTION = re.compile(
    r"(?:(?:hi|hello|please)[\s,!.]*)?(?:"
    rf"{_EN_ASKING} {_EN_SUBJECT}"  # status of my report
    rf"|{_EN_SUBJECT}(?:'s)? (?:status|progress)"  # ticket 12 status
    rf"|{_EN_LOOKUP} {_EN_SUBJECT}(?: going)?"  # where is my report
    r"|my (?:status|progress|reports?|tickets?|complaints?)"  # my status
    r"|(?:status|progress)(?: please)?"  # status
    r")[\s?!.]*(?:thanks?(?: you)?[\s?!.]*)?",
    re.IGNORECASE,
)
# Asking how to use the desk, with nothing to report in it: "怎么报事", "机器人怎么用",
# "这个群是干什么的".  Answered with /help (they used to be filed as tickets, or dropped as
# chatter with no answer).  With an object it is a question for the desk: "怎么投诉物业".
_BOT = r"(?:这个群|本群|这个机器人|机器人|综治助手|助手|小助手)"
_ASKED_TO_REPORT = r"报事|报案|反映问题|反应问题|反映|上报问题|上报|投诉|举报|提交问题"
_HERE = r"(?:这里|这儿|这个群|本群|群里|在这里|在这儿|在这个群里?|在群里)"
_HOW_TO_USE = re.compile(
    rf"(?:{_POLITE}{_SEP})*(?:"
    r"(?:怎么|如何|咋|怎样)(?:才能|可以)?(?:报事|报案|反映问题|反应问题|反映|上报问题|上报|"
    r"投诉|举报|提交问题)"
    rf"|{_BOT}(?:是)?(?:干什么的|干啥的|做什么的|有什么用|怎么用|怎么使用|能干什么)"
    # "你们是政府的吗", "这个机器人是哪个部门的": who answers here
    rf"|(?:你们|{_BOT})是(?:不是)?(?:政府|官方|哪个部门|哪个单位|哪里|什么单位|什么部门|真人)的?"
    r"(?:吗|么|啊)?"
    # "这里可以反映问题吗", "这里能投诉吗", "可以在群里举报不": whether this is the place
    rf"|{_HERE}?(?:可以|能|能不能|可不可以|能否){_HERE}?(?:{_ASKED_TO_REPORT})(?:吗|么|不|没)?"
    rf"){_CLOSING}*"
)
_EN_HOW_TO_USE = re.compile(
    r"(?:(?:hi|hello|please)[\s,!.]*)?(?:"
    r"how (?:do|can|should) i (?:report(?: a problem| something| an issue)?|use (?:this|the) "
    r"(?:bot|group))|how does (?:this|the) (?:bot|group) work"
    r"|what is (?:this|the) (?:bot|group) for"
    r")[\s?!.]*(?:thanks?(?: you)?[\s?!.]*)?",
    re.IGNORECASE,
)
# "help" typed without its slash, as 帮助 is: it was dropped as chatter, unanswered.  Not
# "help!", a cry (救命), which the safety rules read as one (`classifier.rules`).
_EN_HELP = re.compile(r"help[\s?.]*", re.IGNORECASE)
# A command's English name typed without its slash, as the Chinese aliases are: "status 1",
# "claim 12", "resolve 12 fixed the lamp", "mine", "queue DZ".  Someone who chose English got
# no answer at all (talk in a language the model cannot read).  Only the command's own
# shape: a ticket's command with its number first, any other alone or with an area's code,
# so "close the road" stays words.
_EN_BARE = re.compile(r"([A-Za-z]+)(\s.*)?", re.S)
_EN_NUMBERED = re.compile(r"\s+#?\d{1,9}(?:[\s,:.?!].*)?", re.S)
# English words that name a command but are everyday words in a message ("ticket 12 status?"
# asks for its progress, `progress_question`); "help" has its own rule ("help!" is a cry).
# "anonymous" too: "anonymous 12 people fight every night" is a report; its command is
# `_ANONYMOUS_LATER`'s shape.
_EN_NOT_ALONE = frozenset({"zero", "start", "help", "ticket", "report", "anonymous"})


def _bare_english(text: str) -> str | None:
    """`text` as the slash command it is when it is a command's English name typed without
    its slash (`_EN_BARE`); None when it is not."""
    match = _EN_BARE.fullmatch(text.rstrip(" .?!"))
    name = match.group(1).lower() if match else ""
    spec = SPECS.get(name)
    if match is None or spec is None or name in _EN_NOT_ALONE:
        return None
    rest = text[match.end(1):]
    if spec.ticket:
        return f"/{name}{rest}" if _EN_NUMBERED.fullmatch(rest) else None
    words = rest.strip(" .?!")
    if not words or spec.optional_args and _AREA.fullmatch(words):
        return f"/{name} {words}".rstrip()
    return None


# A grid worker taking a ticket in the words they use in the group: "我来处理1号", "我来跟进
# #12".  It was talk (`bot.workflow.files_as_reported`), so the ticket stayed unclaimed and was
# escalated although someone had said they were on it.  Only this order: "1号我来" also
# means "I will come on the 1st".
_CLAIM_WORDS = re.compile(
    r"(?:我来|我去|我)(?:处理|跟进|负责|办理|对接)(?:一下)?\s*"
    r"(第?#?(?:[A-Za-z]{1,8}-)?\d{1,9}号?)\s*(?:工单|的事|这件事|那件事)?[\s,，.。!！~～]*"
)

# What may stand before the second number of a merge: "/merge 12 7", "/merge 12 into 7",
# "/merge 12 并入 7".
_INTO = r"(?:并入|归入|合并到|到|入|至|into|->|→)"
_MERGE_INTO = re.compile(rf"{_INTO}?\s*(\S+)(?:\s+(.*))?", re.S | re.I)
# ... and the Chinese form, typed with or without spaces: "并案 12 7", "并案12到7",
# "并案 #12 并入 7号 同一起火灾", and 合并 as people say it ("合并 12 7": it was talk, unanswered).
# The alias alone would read "12到7" as one bad number; "合并3个村" has no second number.
_REF = r"第?#?(?:[A-Za-z]{1,8}-)?\d{1,9}号?"
_MERGE_WORDS = re.compile(
    rf"(?:并案|合并)\s*({_REF})(?:\s*{_INTO}\s*|\s+|(?<=号))({_REF})(?:\s+(.*))?", re.S | re.I
)
# Several tickets into one (a typhoon's flooded bridge, ten reports): "并案 2 3 4 到 1",
# "并案 2、3、4 并入 1", "/merge 2 3 4 into 1".  Only with the word before the case they go
# into: "并案 2 3 4" could be 2 into 3 or 2 and 3 into 4 (`merge_plan` asks which).
_REF_SEP = r"(?:[\s,，、和及与跟]+|(?<=号))"
_MERGE_SEVERAL_WORDS = re.compile(
    rf"(?:并案|合并)\s*({_REF}(?:{_REF_SEP}{_REF})+)[\s,，]*{_INTO}\s*({_REF})(?:\s+(.*))?",
    re.S | re.I,
)
_MERGE_SEVERAL = re.compile(
    rf"((?:{_REF}{_REF_SEP})*{_REF})[\s,，]*{_INTO}\s*({_REF})(?:\s+(.*))?", re.S | re.I
)

# More time to resolve (延期): "延期 12 10个工作日 需做伤情鉴定", "申请延期 12 3天".  Stricter than
# an alias: the number stands alone and a span of time follows it, because residents start
# reports with the word ("延期3个月了还没交房", "延期交房").
# Any number of any sign, so that "延期 12 -3个工作日" and "延期 12 99999个工作日" are told what
# is wrong (`extension_of`), where they passed as talk, unanswered; so are "延期" and "延期 12"
# alone (`_BARE_EXTEND`).
_SPAN_WORD = r"(?:[至到=]\s*)?-?\d+\s*(?:个?工作日|wd|个?小时|h|天|d|分钟|m)"
# Typed as workers type on a phone too: the span glued to "1号" ("延期1号5个工作日"), a comma
# before the span or the reason ("延期 1，5个工作日，等鉴定结果"), voice input's end mark
# ("延期 1 5个工作日。"): each passed as talk, unanswered, and the worker thought it asked.
_EXTEND_WORDS = re.compile(
    rf"(?:申请)?延期\s*({_REF})(?:[\s,，、]+|(?<=号))({_SPAN_WORD})"
    rf"(?:[\s,，:：;；]+(.*?))?[\s{_END_MARKS}]*", re.S | re.I
)
_BARE_EXTEND = re.compile(rf"((?:申请)?延期)(?:\s*{_REF})?[\s{_END_MARKS}]*")
# The people and money a case involves, put right: "涉及 12 30人 5万元", "涉及人数 12 30",
# "涉及金额 12 5万".  Only with the figures' shape after the number (a numeral, then its
# unit), so a report that starts "涉及12户的…" or "涉及金额 3 万元…" is still a report.
# A minus sign too, so that "涉及 12 -5人" is told what is wrong, where it passed as talk.
_AMOUNT = r"-?[\d零〇一二两三四五六七八九十][\d零〇一二两三四五六七八九十百千万.,，]*"
_PEOPLE_UNIT, _MONEY_UNIT = r"个?(?:人|户|名|位)", r"(?:元|块钱|块|万元|万|千元)"
_FIGURE = rf"{_AMOUNT}(?:{_PEOPLE_UNIT}|{_MONEY_UNIT})"
_INVOLVED_WORDS = re.compile(
    rf"涉及\s*({_REF})\s+({_FIGURE}(?:[\s,，、]+{_FIGURE})?|清除)", re.S
)
# ... and one of them by its name, the unit then optional: 涉及人数 12 30, 涉及金额 12 5000.
_INVOLVED_ONE = re.compile(
    rf"涉及(人数|金额)\s*({_REF})\s+({_AMOUNT})({_PEOPLE_UNIT}|{_MONEY_UNIT})?", re.S
)
# A grid's zero report (零报告): "零报告", "今日零报告。", "今日排查零报告", "零报告（已走访12户）",
# "零报告 已走访12户，未发现矛盾纠纷", and with the grid's name or code first ("东镇今日零报告",
# "东镇网格零报告": `parse` checks the name).  The note needs a separator, so "零报告情况" (who
# has reported) is not one; glued on, only what a screening found ("零报告已走访12户",
# "零报告未发现矛盾纠纷"), so "零报告没报的抓紧报" and "零报告、上报都要按时" are talk.  A question
# never is one ("零报告要几点前报？", "东镇零报告没交？", "零报告已经报了吗"): `_ASKED`.
_SCREENED = r"(?:已走访|已排查|已巡查|已入户|未发现|没有发现|没发现|无矛盾|无纠纷|无异常)"
_ZERO_WORDS = re.compile(
    r"(?:(\S+?)\s*)??(?:今日|今天|本日)?(?:排查)?零报告"
    rf"(?:(?:[\s:：,，;；]+|[（(]|(?={_SCREENED}))(.*?))?[\s。.!！）),，;；]*",
    re.S,
)
_ASKED = re.compile(r"[?？]|[吗么呢嘛][\s。.!！）)]*$")
# A case no longer major and difficult: "取消重大 12", as "/major 12 off".
_UNMAJOR_WORDS = re.compile(rf"取消重大(?:疑难)?\s*({_REF})")
# "督办 12 今天必须处理": pressing one case, as 催办 12; "督办" alone or with an area is the
# list of overdue ones ("督办 12" was told 「12」 is no area).
_SUPERVISE_ONE = re.compile(rf"督办\s*({_REF})(?:[\s{_AFTER_NUMBER}]+(.*)|$)", re.S)
# What takes a case off the list of major ones after its number (/major 12 off).
MAJOR_OFF = ("off", "取消", "撤销")
# What /settled takes to take a recorded result back to "not said" (a mediation recorded
# on the wrong ticket, or a hazard fixed that was no dispute): 调处结果 12 清除.
SETTLED_CLEAR = ("clear", "清除", "不详", "未说明")
# ... and /involved to take both figures back to "not said".
INVOLVED_CLEAR = ("clear", "清除")
# A mediation session (调解): "调解 12 明天下午3点 人民调解室", "安排调解 12 3月5日 14:00 村委会".
# Stricter than an alias, as 延期 is: the number stands alone (or with 号) and what follows
# starts as a day or a time does, since residents write "调解3号楼的纠纷" and "调解 3 次了";
# whether it is one the desk reads is `bot.sessiontime`'s to say, so "调解 12 下午五十点 …" is
# told what is wrong rather than passing as talk.
_WHEN_WORD = (
    r"(?:今天|今日|明天|明日|后天|下个?(?:周|星期|礼拜)|周|星期|礼拜|凌晨|早上|早晨|上午|中午|下午"
    r"|傍晚|晚上|\d|[零〇一二两三四五六七八九十]{1,3}[点时]|(?i:today|tomorrow))"
)
_MEDIATE_WORDS = re.compile(
    rf"(?:安排)?调解\s*({_REF})(?:[\s,，:：]+|(?<=号))({_WHEN_WORD}.*?)[\s{_END_MARKS}]*",
    re.S,
)
# ... called off: "取消调解 12", as "/mediate 12 cancel".
_UNMEDIATE_WORDS = re.compile(rf"取消调解\s*({_REF})[\s{_END_MARKS}]*")
_BARE_MEDIATE = re.compile(rf"((?:安排)?调解)\s*{_REF}[\s{_END_MARKS}]*|安排调解[\s{_END_MARKS}]*")
# A reporter's own ticket made anonymous after it was filed (匿名反映): "匿名 12", "改为匿名 12",
# "anonymous 12".  Only the number after the word, and nothing else: "匿名 3号楼天天有人聚赌",
# "匿名：12楼漏水" and "anonymous 12 people fight" are anonymous reports, or reports
# (`bot.privacy.anonymous_request`).
_ANONYMOUS_LATER = re.compile(
    rf"(?:(?:改为|转为|改成|设为)?匿名(?:反映)?|(?i:anonymous))[\s:：,，]*({_REF})"
    rf"[\s{_END_MARKS}]*"
)
# What /mediate takes, instead of a time, to call the session off.
MEDIATION_OFF = ("cancel", "取消", "off")
# A department no longer asked to assist (协办): "取消协办 12 司法所", as "/assist 12 -SFS".
_UNASSIST_WORDS = re.compile(rf"取消协办\s*({_REF})\s+(\S+)", re.S)
# ... and staff saying no to a request: "不同意延期 12 先按原时限办", "驳回延期 12".
_DECLINE_WORDS = re.compile(rf"(?:不同意|驳回)延期\s*({_REF})(?:\s+(.*))?", re.S)
# ... and yes, to the time it asked for: "同意延期 12", as the button under it reads (同意延期);
# typed, it was talk, unanswered.
_AGREE_WORDS = re.compile(rf"(?:同意|批准)延期\s*({_REF})(?:\s+(.*))?", re.S)
# What an /extend takes, instead of a span, to say no to a request (the button sends "no"),
# or yes.
_DECLINE = ("no", "不同意", "驳回")
_AGREE = ("yes", "同意", "批准")
# What the staff room's buttons add after the amount: the request they answer (its event's
# id), so a press acts on that request only ("/extend 12 =18wd req=345", "/extend 12 no req=345").
_REQUEST_TOKEN = re.compile(r"req=(\d{1,18})")
# The Chinese units of a span, as `parse_limit` writes them.
_SPAN_UNITS = (
    ("个工作日", "wd"), ("工作日", "wd"), ("个小时", "h"), ("小时", "h"), ("分钟", "m"),
    ("天", "d"),
)


@dataclass(frozen=True)
class Extension:
    """What an /extend asks for: `span` more, or (`until`) a limit of `span` in all; with no
    span, staff answering the request waiting: yes (`grants_request`, to the time it asked
    for), or no.  `request`: the request a staff room's button answers (its event's id), None
    when typed."""

    span: Span | None
    until: bool
    reason: str
    grants_request: bool = False
    request: int | None = None


def extension_of(args: str) -> Extension:
    """How much longer an /extend asks for, and the reason after it ("10wd 需要鉴定",
    "3天"): working days, or hours and days around the clock, as the config writes limits.
    "至20个工作日" ("=20wd", what the staff room's button sends) asks for that limit in all,
    so pressing it twice, or typing it after someone pressed it, extends once."""
    amount, _, reason = args.strip().partition(" ")
    token, _, rest = reason.strip().partition(" ")
    pressed = _REQUEST_TOKEN.fullmatch(token)
    request = int(pressed.group(1)) if pressed else None
    reason = rest if pressed else reason
    if amount.lower() in _DECLINE:
        return Extension(None, False, reason.strip(), request=request)
    if amount.lower() in _AGREE:
        return Extension(None, False, reason.strip(), grants_request=True, request=request)
    until = amount[:1] in ("至", "到", "=")
    text = amount[1:].lower() if until else amount.lower()
    for word, unit in _SPAN_UNITS:
        text = text.replace(word, unit)
    try:
        span = parse_limit(text)
    except ValueError:
        raise CommandError("bad_extension", value=amount[:20]) from None
    if not isinstance(span, WorkingDays) and span.total_seconds() <= 0:
        raise CommandError("bad_extension", value=amount[:20])
    return Extension(span, until, reason.strip(), request=request)


# Whether a resolution settled the dispute (调处结果: 化解成功 or 未化解), read from the words
# the outcome starts with: "办结 12 调解成功，双方签了协议", "办结 12 调解不成，已引导起诉",
# "/resolve 12 not settled: referred to court".  The words go to the reporter as written, so
# only words a worker would put there anyway count; a bare "化解"/"settled" must stand apart
# ("化解 双方…"), and "达成协议后又反悔" is no marker at all.
_UNSETTLED = re.compile(
    r"(?:调解(?:不成功?|未成功|失败)|未能?化解|化解不成|not\s+settled\b|unsettled\b)", re.I
)
_SETTLED = re.compile(r"(?:调解成功|化解成功|已化解|化解(?=[\s,，。.:：;；!！]|$)|settled\b)", re.I)
_OPENING = re.compile(r"[\s【\[（(]*")


def settlement_of(outcome: str) -> bool | None:
    """True when the outcome opens by saying the dispute was settled (化解成功), False when
    it says it was not (未化解: the parties sent to court, arbitration …), None when it says
    neither: a hazard fixed, a tip passed on, or a worker who did not say."""
    start = _OPENING.match(outcome)
    text = outcome[start.end() if start else 0 :]
    if _UNSETTLED.match(text):
        return False
    if _SETTLED.match(text):
        return True
    return None


# A greeting and nothing else ("你好", "在吗？", "hello"): in a private chat, the first thing
# people write to a bot.  It was answered "请在所在网格的群里反映问题", as if it were a report;
# there it gets /help (`Pipeline.handle`).  In a group it stays chatter: no reply.
# Said to someone: "@综治助手 在吗", "机器人你好", "@DongzhenIntakeBot hi", "你好 @王网格员".  A
# mention is an @ and a name up to a space (WeChat puts one after it), or at the end.
_ADDRESS = r"(?:@[^\s@]+(?:\s+|$)|(?:机器人|综治助手|小助手|助手|网格员|各位|大家)[\s,，]*)"
_GREETING = re.compile(
    rf"{_ADDRESS}*(?:"  # "在吗在吗", "你好 你好"
    r"(?:你好|您好|你们好|大家好|在吗|在不在|有人吗|哈喽|嗨|早上好|上午好|下午好|晚上好|"
    r"hello|hi|hey|good (?:morning|afternoon|evening))"
    rf"(?:呀|啊|哈|啦)?[\s,，.。!！?？~～]*)+(?:{_ADDRESS}[\s,，.。!！?？~～]*)*"
    r"(?:(?:请问|我想问一下|打扰了)[\s,，.。!！?？~～]*)?",
    re.IGNORECASE,
)


def is_greeting(text: str) -> bool:
    """Whether `text` is a greeting and nothing else (see `_GREETING`)."""
    return bool(_GREETING.fullmatch(normalise(text)))


# Longer than this, a message carries more than a question: new facts make it a report.
# (English spends about twice the characters on the same question.)
PROGRESS_QUESTION_MAX_CHARS = 30
_EN_MAX_CHARS = 2 * PROGRESS_QUESTION_MAX_CHARS
_DIGITS = re.compile(r"\d+")


def progress_question(text: str) -> Command | None:
    """`/mine`, or `/status N`, when the whole of `text` asks how the sender's report is
    getting on: "我反映的事怎么样了", "我上周报的那个有人管吗", "12号那个事到哪一步了".

    Residents ask in words, not in commands.  Left to the classifier such a question
    either became a duplicate ticket or was taken for chatter and got no answer.  Mapped
    onto the existing commands, it is answered as they are, with their permissions (a
    resident sees only their own tickets) and their privacy in a group.  Like every
    alias, it counts only when the whole message has the question's shape, and only when
    short, so "我反映的楼道漏水一个月了还没人管，今天又漏了" (new facts) stays a report.
    """
    asked = (len(text) <= PROGRESS_QUESTION_MAX_CHARS and _ZH_QUESTION.fullmatch(text)) or (
        len(text) <= _EN_MAX_CHARS and _EN_QUESTION.fullmatch(text)
    )
    if not asked:
        return None
    number = _DIGITS.search(text)  # the grammar admits digits only in the ticket number
    return Command(Action.STATUS, int(number.group())) if number else Command(Action.MINE)


# Full-width digits, letters and the marks a command needs (／＃＠－), as Chinese input
# methods type them, folded to ASCII.  Other full-width punctuation (，！？：) is left
# alone: it belongs to the notes and resolutions people write.
_FOLDED = "０１２３４５６７８９" + "".join(chr(c) for c in range(0xFF21, 0xFF3B))
_FOLDED += "".join(chr(c) for c in range(0xFF41, 0xFF5B)) + "／＃＠－＿"
_FULL_WIDTH: dict[int, int | None] = {ord(ch): ord(ch) - 0xFEE0 for ch in _FOLDED}
_FULL_WIDTH[0x3000] = 0x20
# ... and the invisible format characters a copy from a chat or a web page carries (a zero
# width space, a byte order mark, direction marks and embeddings), dropped: "\u200b认领 1"
# passed as talk, unanswered, and "认领 1\u200b" was told 「1」 is no ticket number.  Not
# the zero width joiner, which holds an emoji together in a note.
_INVISIBLE = "\u00ad\u200b\u200c\u200e\u200f\u2060\ufeff" + "".join(
    map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
)
_FULL_WIDTH |= dict.fromkeys(map(ord, _INVISIBLE))


def normalise(text: str) -> str:
    return text.translate(_FULL_WIDTH).strip()


def parse_ticket_ref(token: str) -> int:
    match = _TICKET_REF.fullmatch(token)
    if match:
        return int(match.group(1))
    value = chinese_number(token.strip("第号")) if _ZH_TICKET_REF.fullmatch(token) else None
    if not isinstance(value, int) or not 0 < value < 10**9:
        raise CommandError("bad_ticket_number", value=token[:20])
    return value


def parse(text: str, scope_names: Collection[str] = ()) -> Command | None:
    """The command in `text`, None if it is not a command (i.e. it is a report).

    `scope_names`: the configured names of areas and departments (`Config.scope_names`),
    which a Chinese alias takes where it takes a code ("待办 派出所" as "待办 PCS"); any other
    word there keeps the message a report.
    Raises CommandError for an unknown slash command or missing/bad arguments.
    """
    try:
        return _parse(text, scope_names)
    except CommandError as error:
        if error.key == "one_ticket_each":  # each said as it was typed: 「结案 2」「结案 4」
            head = re.sub(r"\d.*", "", normalise(text).lstrip(), flags=re.S)
            numbers = error.params.pop("numbers").split()
            error.params["each"] = "".join(f"「{head}{n}」" for n in numbers)
            error.params["tickets"] = "、".join(f"#{n}" for n in numbers)
        raise


def _parse(text: str, scope_names: Collection[str] = ()) -> Command | None:
    text = normalise(text)
    slash = _SLASH.fullmatch(text)
    if slash:
        name, rest = slash.group(1).lower(), slash.group(2)
        if name not in SPECS:
            raise CommandError("unknown_command", name=name[:30])
        if name == "rate" and (unnumbered := _unnumbered_rating(rest.strip())):
            return unnumbered
        return _build(name, rest.strip())
    if text.startswith("/"):
        raise CommandError("unknown_command", name=text[1:20])
    help_on = _HELP_ON.fullmatch(text)
    if help_on and command_named(help_on.group(1)):
        return Command(Action.HELP, None, help_on.group(1))
    english = _bare_english(text)
    if english:
        return _parse(english, scope_names)
    declared = _DECLARED.fullmatch(text)
    if declared:
        return Command(Action.REPORT, None, (declared.group(1) or declared.group(2)).strip())
    ticket_named = _TICKET_NAMED.fullmatch(text)
    if ticket_named:
        return _build("status", ticket_named.group(1) or ticket_named.group(3))
    search = _SEARCH.fullmatch(text)
    if search:
        return Command(Action.SEARCH, None, (search.group(1) or search.group(2)).strip())
    closing = (
        _CLOSE_RATED_ALIAS.fullmatch(text)
        or _CLOSE_UNANSWERED_ALIAS.fullmatch(text)
        or _TO_CLOSE.fullmatch(text)
    )
    scope = closing.group(1) if closing else None
    if closing and (scope is None or scope in scope_names or _AREA.fullmatch(scope)):
        batch = {_CLOSE_RATED_ALIAS: [CLOSE_RATED], _CLOSE_UNANSWERED_ALIAS: [CLOSE_UNANSWERED]}
        named = [*batch.get(closing.re, []), *filter(None, [scope])]
        return Command(Action.CLOSE, None, " ".join(named))
    rating = _RATING.fullmatch(text)
    if rating:
        word, number, comment = rating.groups()
        return _build("rate", f"{number} {_rating_of(word).value} {comment or ''}".strip())
    claim = _CLAIM_WORDS.fullmatch(text)
    if claim:
        return _build("claim", claim.group(1))
    several = _MERGE_SEVERAL_WORDS.fullmatch(text)
    if several:
        numbers, main, reason = several.groups()
        refs = re.findall(_REF, numbers)
        return _build("merge", " ".join([*refs, "into", main, *filter(None, [reason])]))
    merge = _MERGE_WORDS.fullmatch(text)
    if merge:
        return _build("merge", " ".join(part for part in merge.groups() if part))
    extend = _EXTEND_WORDS.fullmatch(text)
    if extend:
        number, span, reason = extend.groups()
        return _build("extend", f"{number} {span.replace(' ', '')} {reason or ''}".strip())
    bare_extend = _BARE_EXTEND.fullmatch(text)
    if bare_extend:
        usage = f"{bare_extend.group(1)} 12 5个工作日 原因"
        raise CommandError("usage", command="extend", usage=usage)
    involved = _INVOLVED_WORDS.fullmatch(text)
    if involved:
        return _build("involved", " ".join(involved.groups()))
    one = _INVOLVED_ONE.fullmatch(text)
    if one:
        kind, number, figure, unit = one.groups()
        if unit is None:
            unit = "人" if kind == "人数" else "元"
        elif (kind == "人数") != bool(re.fullmatch(_PEOPLE_UNIT, unit)):
            raise CommandError("involved_wrong_kind", value=figure + unit, kind=kind)
        return _build("involved", f"{number} {figure}{unit}")
    zero = _ZERO_WORDS.fullmatch(text)
    if zero and not _ASKED.search(text):
        grid, note = zero.group(1), (zero.group(2) or "").strip()
        if grid is None:
            return _build("zero", note)
        grid = grid if grid in scope_names else grid.removesuffix("网格")
        if grid in scope_names or _AREA.fullmatch(grid):
            return _build("zero", f"{grid} {note}".strip())
    anonymous = _ANONYMOUS_LATER.fullmatch(text)
    if anonymous:
        return _build("anonymous", anonymous.group(1))
    unmajor = _UNMAJOR_WORDS.fullmatch(text)
    if unmajor:
        return _build("major", f"{unmajor.group(1)} off")
    supervise = _SUPERVISE_ONE.fullmatch(text)
    if supervise:
        number, words = supervise.groups()
        return _build("urge", f"{number} {words or ''}".strip())
    unmediate = _UNMEDIATE_WORDS.fullmatch(text)
    if unmediate:
        return _build("mediate", f"{unmediate.group(1)} cancel")
    mediate = _MEDIATE_WORDS.fullmatch(text)
    if mediate:
        return _build("mediate", " ".join(mediate.groups()))
    bare_mediate = _BARE_MEDIATE.fullmatch(text)
    if bare_mediate:
        word = bare_mediate.group(1) or "安排调解"
        raise CommandError("usage", command="mediate", usage=f"{word} 12 明天下午3点 人民调解室")
    unassist = _UNASSIST_WORDS.fullmatch(text)
    if unassist:
        number, department = unassist.groups()
        return _build("assist", f"{number} -{department}")
    decline = _DECLINE_WORDS.fullmatch(text)
    if decline:
        number, reason = decline.groups()
        return _build("extend", f"{number} no {reason or ''}".strip())
    agree = _AGREE_WORDS.fullmatch(text)
    if agree:
        number, reason = agree.groups()
        return _build("extend", f"{number} yes {reason or ''}".strip())
    bare = _BARE_RATING.fullmatch(text)
    if bare:
        return Command(Action.RATE, None, _rating_of(bare.group(1)).value)
    for word, (name, shape) in SHAPED_ALIASES.items():
        if not text.startswith(word):
            continue
        tail = text.removeprefix(word)
        coded = _as_codes(tail, scope_names)  # the shapes know codes: "统计 本月 东镇"
        if shape.fullmatch(coded.strip()) or _SHAPED_TAIL.fullmatch(coded):
            return _build(name, tail.strip())
        if word in LOOSE_ALIASES and _FEW_WORDS.fullmatch(tail):
            return replace(_build(name, tail.strip()), loose=True)
    scoped = _NAMED_SCOPE.fullmatch(text)
    if scoped and scoped.group(2) in scope_names and scoped.group(1) in ALIASES:
        # "待办 派出所", "网格 东镇": an alias that takes an area's code, given a name instead.
        name = ALIASES[scoped.group(1)]
        if SPECS[name].optional_args and not SPECS[name].ticket:
            return _build(name, scoped.group(2))
    glued = _glued_name(text, scope_names)
    if glued:
        word, number, whom, note = glued.groups()
        return replace(_build(ALIASES[word], f"{number} {whom} {note or ''}".strip()), loose=True)
    alias = _ALIAS.fullmatch(text)
    if alias:
        name, rest = ALIASES[alias.group(1)], alias.group(2).strip()
        rest = rest if rest.strip(_END_MARKS) else ""  # "我的。": the word alone
        spec = SPECS[name]
        if spec.ticket and not rest:
            return _bare_alias(alias.group(1), name)
        # "我的" alone is a command; "查询12" needs its number to be one; "待办 DZ" and
        # "督办 DZ" take an area's code (they were filed as reports, 督办 DZ as an urgent one).
        if spec.ticket == bool(rest) or (
            not spec.ticket and (not rest or spec.optional_args and _AREA.fullmatch(rest))
        ):
            return _build(name, rest)
    if _HOW_TO_USE.fullmatch(text) or _EN_HOW_TO_USE.fullmatch(text) or _EN_HELP.fullmatch(text):
        return Command(Action.HELP)
    return progress_question(text) or _said_search(text)


def _said_search(text: str) -> Command | None:
    """A search glued to its word or said as 查一下 (`_GLUED_SEARCH`, `_SAID_SEARCH`), or None."""
    found = _GLUED_SEARCH.fullmatch(text) or _SAID_SEARCH.fullmatch(text)
    words = found.group(1).strip() if found else ""
    if not words or _ASKING.search(words):
        return None
    return Command(Action.SEARCH, None, words)


def _glued_name(text: str, scope_names: Collection[str]) -> re.Match[str] | None:
    """`text` as a ticket handed on with its number glued to whom it goes to (`_GLUED_NAME`:
    "转办5派出所"), or None."""
    glued = _GLUED_NAME.fullmatch(text)
    if glued and (glued.group(3) in scope_names or _PERSON.fullmatch(glued.group(3))):
        return glued
    return None


def _as_codes(words: str, scope_names: Collection[str]) -> str:
    """`words` with each area or department name in it written as a code would be ("本月 东镇"
    as "本月 X"), for the shapes, which know codes only; spacing kept."""
    if not scope_names:
        return words
    return re.sub(r"\S+", lambda m: "X" if m.group() in scope_names else m.group(), words)


def merge_target(args: str) -> tuple[int, str]:
    """The ticket a merge goes into, and any words after it (kept as the reason), from the
    text after the first number.  Raises CommandError for a missing or bad number."""
    match = _MERGE_INTO.fullmatch(args.strip())
    if not match:
        raise CommandError("usage", command="merge")
    return parse_ticket_ref(match.group(1)), (match.group(2) or "").strip()


def merge_plan(args: str) -> tuple[list[int], int, str]:
    """The merge's other tickets (after the first, the command's own), the ticket they all go
    into, and the reason, from the text after the first number: "3 4 into 1 reason" is
    ([3, 4], 1, "reason"); "1 reason" and "into 1" are ([], 1, …), a merge of one.  Numbers
    alone with no word before the last ("/merge 2 3 4") are not guessed at: CommandError
    "merge_into_which"."""
    several = _MERGE_SEVERAL.fullmatch(args.strip())
    if several:
        numbers, main, reason = several.groups()
        others = [parse_ticket_ref(ref) for ref in re.findall(_REF, numbers)]
        return others, parse_ticket_ref(main), (reason or "").strip()
    number, reason = merge_target(args)
    if reason and _MORE_REFS.fullmatch(reason):
        raise CommandError("merge_into_which")
    return [], number, reason


def search_terms(words: str) -> tuple[str, ...]:
    """The words of a search, each once, in order: split at spaces and commas, stripped of
    quotes ("“漏水”" is 漏水)."""
    terms = (part.strip(_QUOTES) for part in _SEARCH_SEPARATORS.split(words))
    return tuple(dict.fromkeys(term for term in terms if term))


def _unnumbered_rating(words: str) -> Command | None:
    """"/rate unsatisfied still flooded": the answer to the visit waiting for the sender
    (`Desk.rate` finds it), as "不满意，还是淹" is; after /rate a comment is never a report."""
    bare = _BARE_RATING.fullmatch(words)
    if bare:
        return Command(Action.RATE, None, _rating_of(bare.group(1)).value)
    return rating_with_comment(words)


def rating_with_comment(text: str) -> Command | None:
    """`/rate` with no number and a comment ("不满意，钱还没到手"), or None.  Only an answer
    when a visit waits for the sender's rating: the caller checks (see `_RATING_AND_COMMENT`)."""
    match = _RATING_AND_COMMENT.fullmatch(normalise(text))
    if not match:
        return None
    rating = _rating_of(match.group(1))
    return Command(Action.RATE, None, f"{rating.value} {match.group(2).strip()}")


# A command that names its ticket by the message it answers: "认领", "/claim", "办结 已调解"
# sent as a reply to a ticket's acknowledgement or to the report itself (Telegram's reply,
# a quote), and "立案" as a reply to a message the bot took for chatter.
# `Pipeline._read` looks up what the replied-to message belongs to.
_UNNUMBERED_ALIAS = re.compile(
    "(" + _ALIAS_WORDS + ")"
    r"(?:(?:\s*[:：]\s*|\s+)(\S.*))?",
    re.S,
)


@dataclass(frozen=True)
class Unnumbered:
    """A command typed without the number it needs; `words`: what came after it."""

    name: str
    words: str

    @property
    def action(self) -> Action:
        return SPECS[self.name].action

    def for_number(self, number: int) -> Command:
        return _build(self.name, f"{number} {self.words}".strip())


def unnumbered(text: str) -> Unnumbered | None:
    """`text` as a command that takes a ticket (or, for /file, a message) number, typed
    without one: nothing after the word, or words where the command takes them ("办结 已调解",
    "/dismiss 群聊"), never a number.  Only a reply makes it a command (the caller checks):
    "备注 明天上午有人来" in the group with no reply stays what it was."""
    text = normalise(text)
    slash = _SLASH.fullmatch(text)
    if slash:
        name, words = slash.group(1).lower(), slash.group(2).strip()
    else:
        alias = _UNNUMBERED_ALIAS.fullmatch(text)
        if not alias or _glued_name(text, ()):
            return None  # none, or it has its number: "转办5派出所" (`_GLUED_NAME`)
        name, words = ALIASES[alias.group(1)], (alias.group(2) or "").strip()
    spec = SPECS.get(name)
    if spec is None or not spec.ticket or _LEADING_REF.fullmatch(words):
        return None  # it has its number, read as `_build` reads it ("1号，已处理。")
    if name == "close" and _close_batch(words):
        return None  # "结案 满意" closes every one so answered, whatever it replies to
    if words and not (spec.args or spec.optional_args):
        return None  # "认领 abc": a bad number, said as such
    return Unnumbered(name, words)


# What follows the word in the example a bare alias is answered with ("办结" → 办结 12 办理结果).
_EXAMPLE_AFTER = {
    "note": " 内容", "resolve": " 办理结果", "assign": " worker1", "merge": " 7",
    "retag": " 邻里纠纷 紧急", "dismiss": " 原因", "withdraw": " 原因", "assist": " 司法所",
    "settled": " 化解成功", "urge": " 今天务必上门", "visit": " 满意", "route": " 东镇",
}


def _bare_alias(word: str, name: str) -> Command:
    """A ticket command's word and nothing else ("认领", "办结"): meant for the bot, which
    used to let it pass as chatter, unanswered.  "查询" and "进度" alone ask about one's own
    reports (`/mine`); the others are answered with how to write them, in the sender's words."""
    if name == "status":
        return Command(Action.MINE)
    if name == "major":  # "重大疑难" alone: the list
        return Command(Action.MAJOR)
    if name == "close":  # "结案" alone: the resolved tickets waiting to be closed
        return Command(Action.CLOSE)
    raise CommandError("usage", command=name, usage=bare_usage(word, name), word=word)


def bare_usage(word: str, name: str, number: int | None = None) -> str:
    """How a ticket command typed as its bare `word` is written in full, in those words:
    "撤回" → "撤回 12 原因".  `number`: the sender's own ticket it would act on, where there is
    exactly one (`Pipeline._the_one_it_fits`): a villager with ticket #1 read "12" as a
    number to copy."""
    if number is None:
        number = 34 if name == "file" else 12  # /file takes a logged message's number
    return f"{word} {number}{_EXAMPLE_AFTER.get(name, '')}"


def _close_batch(words: str) -> str | None:
    """The batch a /close's first word names (满意 `CLOSE_RATED`, 未回复 `CLOSE_UNANSWERED`);
    None: it names none (a ticket's number, or nothing)."""
    return _CLOSE_BATCHES.get(words.split(maxsplit=1)[0].lower()) if words else None


def _batch_args(words: str) -> str:
    """A /close's words as the desk reads them ("满意 DZ" as "satisfied DZ"); "" alone."""
    batch = _close_batch(words)
    if batch is None:
        return ""
    return " ".join([batch, *words.split(maxsplit=1)[1:]])


# Ticket numbers after the first, and nothing else ("结案 2 4", "认领 4、5", "详情 3,7"); the
# commands whose words after the number may be a number of their own are left out.
_MORE_REFS = re.compile(rf"(?:[和及与跟]\s*)?(?:第?#?\d{{1,9}}号?[\s{_AFTER_NUMBER}和及与跟]*)+")
_SEVERAL_NUMBERS = frozenset(
    ("merge", "extend", "involved", "assign", "assist", "settled", "rate", "retag", "file")
)


def _build(name: str, rest: str) -> Command:
    spec = SPECS[name]
    ticket: int | None = None
    if spec.ticket:
        if not rest and name == "status":
            return Command(Action.MINE)  # "/status" alone: the sender's own reports
        if not rest and name == "major":
            return Command(Action.MAJOR)  # "/major" alone: the open major cases
        if name == "close" and (not rest or _close_batch(rest)):
            # "/close" alone: the resolved tickets waiting; "/close satisfied [DZ]": those
            # whose visit was answered 满意 or 基本满意, closed together; "/close unanswered
            # [DZ]", those whose visit went unanswered.
            return Command(Action.CLOSE, None, _batch_args(rest))
        if not rest:
            raise CommandError("usage", command=name)
        leading = _LEADING_REF.fullmatch(rest)
        token, rest = leading.groups() if leading else rest.partition(" ")[::2]
        try:
            ticket = parse_ticket_ref(token)
        except CommandError as error:
            error.params["command"] = name  # whose number: a resident's words? (`bot.pipeline`)
            raise
        rest = (rest or "").strip()
        if name not in _SEVERAL_NUMBERS and _MORE_REFS.fullmatch(rest):
            # "结案 2 4", "认领 4、5": only the first was acted on, the rest dropped unsaid.
            numbers = [str(ticket)] + [str(int(n)) for n in re.findall(r"\d+", rest)]
            raise CommandError("one_ticket_each", command=name, numbers=" ".join(numbers))
    if spec.args and not rest:
        raise CommandError("usage", command=name)
    if not (spec.args or spec.optional_args):
        rest = ""
    return Command(spec.action, ticket, rest)


# The slash name people type for each action (for "you cannot use /claim" replies).
# RESTORE has no command of its own: it is /reopen on a dismissed ticket; DISPATCH is
# /assign to a department, DECLINE a liaison's /unclaim of a ticket nobody holds.
# What a Chinese reader is told a command is called: its first alias ("认领" for /claim);
# "您的身份（居民）不能使用 /claim。" answered "认领 1" with a name the resident never typed.
# Those written by a pattern of their own rather than an alias are named here.
ZH_WORDS: dict[str, str] = {
    "rate": "满意", "involved": "涉及", "extend": "延期", "report": "上报", "zero": "零报告",
    "search": "查找", "mediate": "调解", "anonymous": "匿名",
}
for _word, _name in [*ALIASES.items(), *((w, n) for w, (n, _) in SHAPED_ALIASES.items())]:
    ZH_WORDS.setdefault(_name, _word)


# "帮助 授权", "help grant": how one command is written.  Only with a command's word or alias
# after it (`command_named`): "帮助 我家被偷了" and "help me" stay what they were.
_HELP_ON = re.compile(r"(?:帮助|help)(?:\s*[:：]\s*|\s+)(\S+?)[\s?？。.!！]*", re.I)


def command_named(word: str) -> str | None:
    """The command (its slash name) that `word` names: its name with or without the slash
    ("grant", "/grant"), a Chinese alias ("授权", "认领", "导出台账") or the word a reply calls
    it by ("满意", "延期"); None for any other word."""
    word = normalise(word).removeprefix("/").lower()
    if word in SPECS:
        return "help" if word == "start" else word
    if word in ALIASES:
        return ALIASES[word]
    if word in SHAPED_ALIASES:
        return SHAPED_ALIASES[word][0]
    return next((name for name, said in ZH_WORDS.items() if said == word), None)


def command_word(name: str, lang: str | None) -> str:
    """What a reply calls the command `name`: 「认领」 to a Chinese reader (「/lang」 for one
    with no Chinese word), /claim to an English one."""
    return f"/{name}" if lang == "en" else f"「{ZH_WORDS.get(name, '/' + name)}」"


USAGE_NAMES: dict[Action, str] = {
    spec.action: name for name, spec in SPECS.items() if name != "start"
} | {Action.RESTORE: "reopen", Action.DISPATCH: "assign", Action.DECLINE: "unclaim"}
