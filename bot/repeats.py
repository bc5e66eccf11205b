"""A reporter saying again what they already reported: it joins that ticket.

Why: people repost when nothing seems to happen.  The same text the next morning, or
"电梯还没修好" two days after "我们小区的电梯坏了三天了…", used to open a second ticket (queued,
supervised and escalated twice, counted twice in the statistics) or, when short, be taken
for chatter and never reach the worker holding the first.  Joined to the ticket as an
addendum, it is in that ticket's history, and the reporter is told where it went (and, if
the ticket is resolved, that 重开 is how to say it is not solved).

Only the reporter's own tickets from the same room, open or resolved and active in the last
few days, are looked at (`intake.repeat_days`, `bot.workflow.TAKES_REPEATS`), and a message
an urgent safety rule fires on never joins a ticket that is not urgent: a new danger gets a
ticket of its own, with everything an urgent one gets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import IntEnum

from bot.involved import chinese_number
from bot.workflow import SUPERVISED, TRANSITIONS, Action, Status, awaits_triage, more_urgent
from classifier import NOT_A_REPORT, UNCLASSIFIED, Classification
from classifier.rules import rule_urgency
from classifier.text import segment
from storage.base import TicketRecord

# The tickets a "settled" message may be about: those its sender could withdraw.
_WITHDRAWABLE = TRANSITIONS[Action.WITHDRAW][0]

_HAN = re.compile(r"[\u4e00-\u9fff]+")
_NUMBER = re.compile(r"\d+")
# Words that say a matter is still (or again) going on: "还没修好", "又在装修", "到现在也没人管".
_STILL = re.compile(r"还没|还是|还在|又|仍然|仍旧|依然|一直|到现在|至今|怎么还|还不")
# Character pairs any two messages of one person may share without being about the same
# matter: people, places near home, time, the group's own words.  "楼上又在装修" is not a
# repeat of "楼上漏水".
_COMMON = frozenset(
    {
        "我们", "你们", "他们", "大家", "这个", "那个", "什么", "怎么", "没有", "还没",
        "已经", "现在", "今天", "明天", "昨天", "晚上", "早上", "一下", "一直", "可以",
        "不是", "就是", "还是", "问题", "事情", "时候", "谢谢", "麻烦", "网格", "反映",
        "处理", "有人", "没人", "楼上", "楼下", "隔壁", "对面", "小区", "村里", "门口",
        "家里", "我家", "他家", "邻居",
    }
)
# A message that is nothing but asking whether anyone is on it: "有人管吗", "到底有没有人管？",
# "什么时候来修啊".  It names no matter, so it is about the sender's one ticket (the classifier
# took "有人管吗" for a public-order report of its own).
_ANYONE_ON_IT = re.compile(
    r"(?:请问|到底|究竟|你们|网格员|领导)?[,，\s]*"
    r"(?:有人管吗|有没有人管|有人管没|有人处理吗|有没有人处理|有人理吗|还管不管|管不管|能不能管管|"
    r"(?:咋|怎么|为啥|为什么)?(?:还|都|还是|一直|到现在还?)?(?:没|没有)人"
    r"(?:管|来|处理|理|联系我?|回复|回我|答复)(?:了)?(?:吗)?|"
    r"(?:什么|啥)时候(?:来|来人|处理|解决|修|来修|能修好|能解决|有人来|能来|联系我?))"
    r"(?:啊|呀|了|呢|嘛)?[?？!！。.~～…\s]*"
)
# A message that is nothing but saying the matter is settled or no longer wanted: "不用了，我们
# 两家自己协商好了", "事情已经解决了 谢谢", "撤了吧".  The classifier rightly calls it chatter, and
# it used to be dropped: the worker kept chasing a settled dispute.  It names no matter, so it
# is about the sender's one open ticket, and the sender is told how to withdraw it (撤回 N).
_SETTLED_PART = (
    r"(?:[\u4e00-\u9fff]{0,8}(?:自己|私下)(?:协商|商量|调解|处理|解决|谈|说|弄|清理|修)好了"
    r"|(?:我们|俺们|咱们|两家|双方|那个事|这个事|那事|这事)*(?:已经|都)?"
    r"(?:协商|商量|调解|处理|解决|谈|说|弄|清理|修)好了"
    r"|(?:问题|事情|事儿|事|这事|那个事)?(?:已经|都)?(?<![没未不])解决了"
    r"|没事了|不用(?:处理|管|来|麻烦你们|麻烦了)?了?"
    r"|(?:那个|这个)?(?:事|工单|单子)?(?:可以)?撤(?:了|掉|回|销)?(?:吧|了)?"
    r"|(?:我|俺)?不(?:想|打算)?(?:报|反映|投诉)了"
    # someone missing is back: "找到了，谢谢大家" left an urgent missing-person case open
    r"|(?:人|老人|孩子|小孩|娃|娃娃|老爷子|老太太)?(?:已经)?(?:找到了|找着了|回来了|回家了|到家了))"
)
_THANKS = r"(?:谢谢(?:你们|您|了|网格员|领导|大家)?|麻烦了|辛苦了|多谢)"
_SEP = r"[,，、。.!！~～…\s]*"
_SETTLED = re.compile(
    rf"(?:{_THANKS}{_SEP})*{_SETTLED_PART}{_SEP}(?:(?:{_SETTLED_PART}|{_THANKS}){_SEP}){{0,3}}"
)
#: Longer than this, a message carries more than "it is settled" (new facts: a report).
SETTLED_MAX_CHARS = 30
#: A message whose two-character pieces are at least this share of the ticket's words repeats it.
SAME_MATTER = 0.6
#: A "still" with its subject left out (`_elliptic`) is this short, in Chinese characters:
#: "又卡了，这次是在六楼"; longer, it names what it is about.
ELLIPTIC_MAX_CHARS = 8


def _pairs(text: str) -> set[str]:
    """The message's Chinese character pairs ("电梯坏了" → 电梯, 梯坏, 坏了)."""
    return {run[i : i + 2] for run in _HAN.findall(text) for i in range(len(run) - 1)}


def _plain(text: str) -> str:
    """The message's Chinese characters alone: "电梯坏了！！" and "电梯坏了" say the same."""
    return "".join(_HAN.findall(text)) or text.strip()


class Likeness(IntEnum):
    """How `text` resembles a ticket's text, weakest first."""

    NONE = 0
    STILL = 1  # a "still" or "again" about something the ticket named
    MOSTLY = 2  # most of its character pairs are the ticket's
    SAME = 3  # the same Chinese words


def _numbers_fit(text: str, ticket_text: str) -> bool:
    """Whether the numbers in `text` are the ticket's, in its order: "5栋" is not about "3栋",
    nor "2栋3单元" about "3栋2单元" (the same words but for the numbers: it was the same)."""
    theirs = iter(_NUMBER.findall(ticket_text))
    return all(number in theirs for number in _NUMBER.findall(text))


def likeness(text: str, ticket_text: str) -> Likeness:
    """How far `text` says again what `ticket_text` reported.  Never at all with a number the
    ticket does not have: "5栋的灯坏了" is not "3栋的灯坏了" said again; nor for a photo or a
    voice message alone, which has no words to compare."""
    if not _HAN.search(text) or not _numbers_fit(text, ticket_text):
        return Likeness.NONE
    if _plain(text) == _plain(ticket_text):
        return Likeness.SAME
    mine, theirs = _pairs(text), _pairs(ticket_text)
    if len(mine) >= 3 and len(mine & theirs) >= SAME_MATTER * len(mine):
        return Likeness.MOSTLY
    if _STILL.search(text) and (mine & theirs) - _COMMON:
        return Likeness.STILL
    return Likeness.NONE


def _elliptic(text: str, classification: Classification, ticket: TicketRecord) -> bool:
    """Whether `text` is a "still" with its subject left out, as people say it of the one
    matter on their mind: "还是不亮" after a broken street lamp, "又漏了", "还在滴".  It shares
    no word with the ticket, so `likeness` cannot see it, and the classifier files it as
    a report of its own (其他).  Short, beginning with the "still", with no number the ticket
    lacks, no safety rule firing ("又停水了", "又停电了" name a matter: basic needs cut) and no
    type the model is sure of ("又被偷了" is a theft, whatever the ticket was): the same type
    is not enough, since "又停水了" and a broken lamp are both property management."""
    words = _plain(text)
    if len(words) > ELLIPTIC_MAX_CHARS or not _STILL.match(words) or classification.rules:
        return False
    if not _numbers_fit(text, ticket.told):
        return False
    return classification.needs_triage or classification.type in (NOT_A_REPORT, "other")


def _nudged(
    text: str, classification: Classification, candidates: Sequence[TicketRecord]
) -> TicketRecord | None:
    """A nudge that names nothing, from someone with one ticket it could be about: a "still"
    in a message the classifier finds no matter in ("还没人来", "怎么还没人管"), a "still"
    with its subject left out (`_elliptic`: "还是不亮"), or a message that only asks whether
    anyone is on it ("有人管吗"), whatever the classifier made of it."""
    if len(candidates) != 1:
        return None
    [ticket] = candidates
    still = classification.type == NOT_A_REPORT and _STILL.search(text)
    elliptic = _elliptic(text, classification, ticket)
    return ticket if still or elliptic or _ANYONE_ON_IT.fullmatch(text.strip()) else None


def only_asks(text: str) -> bool:
    """Whether `text` only asks whether anyone is on it ("啥时候来人啊", `_ANYONE_ON_IT`): it
    names nothing, so whatever urgency the model reads in it is impatience, not a danger."""
    return bool(_ANYONE_ON_IT.fullmatch(text.strip()))


def presses(text: str) -> bool:
    """Whether `text` says a matter is still (or again) going on, or asks whether anyone is
    on it: "还是没解决", "又漏了", "有人管吗".  In reply to a resolved ticket's messages, that
    is its reporter saying it is not settled (`Pipeline._reply_joins`)."""
    return bool(_STILL.search(text) or _ANYONE_ON_IT.fullmatch(text.strip()))


def settled_ticket(
    text: str, classification: Classification, candidates: Sequence[TicketRecord]
) -> TicketRecord | None:
    """The sender's one open ticket, when `text` only says the matter is settled or no
    longer wanted (`_SETTLED`); None if they have several open, none, or a safety rule fires
    on the text ("不用管了 我不想活了" is a report)."""
    text = text.strip()
    if len(text) > SETTLED_MAX_CHARS or not _SETTLED.fullmatch(text) or classification.rules:
        return None
    open_ = [t for t in candidates if t.status in _WITHDRAWABLE]
    return open_[0] if len(open_) == 1 else None


# A reporter telling one matter in several messages, as people write in chat: "楼上邻居天天
# 半夜装修", then "他们昨晚十二点还在砸墙", "而且装修垃圾堆在楼道里".  The later ones share no
# words with the first, and each was filed as a ticket of its own: three in the queue, three
# escalated, for one matter.  Words that start another matter keep a message apart; in
# English, "Another matter", the words the reply tells an English reader to start with.
_ANOTHER_MATTER = re.compile(
    r"\s*(?:还有(?:一件|一个|个|件)?(?:事|问题|情况)|另外|另一(?:件|个)|另有一|再反映|顺便(?:反映|说)"
    r"|(?i:another\s+matter)\b)"
)


def told_on(
    text: str,
    classification: Classification,
    candidates: Sequence[TicketRecord],
    since: str,
    thread_id: str | None = None,
) -> TicketRecord | None:
    """The reporter's one open ticket filed at or after `since` that `text`, a report, goes
    on telling; None for chatter (a "谢谢" is no detail), a new danger by a rule (a ticket of
    its own, as in `repeated_ticket`), a message that starts another matter
    (`_ANOTHER_MATTER`), one of another type the model is sure of ("村口垃圾没人清" after a
    noise report), or when two tickets were just filed (which one would be a guess).  After
    a report too vague to type (待人工研判: "我要举报", "有个事想反映"), what follows is its
    matter, of whatever type: it was filed as tickets of its own, "楼上" and "漏水" each.

    Only a ticket filed in the message's thread (`thread_id`, `Inbound.thread_id`; None the
    chat's main conversation): a Telegram forum group's topics (停水停电, 邻里纠纷) are
    conversations of their own, and a message in another topic is not the report told on."""
    if classification.type == NOT_A_REPORT or rule_urgency(classification.rules) == "urgent":
        return None
    if _ANOTHER_MATTER.match(text):
        return None
    recent = [
        t for t in candidates
        if t.status in SUPERVISED and t.created_at >= since and t.thread_id == thread_id
    ]
    if len(recent) != 1:
        return None
    ticket = recent[0]
    if classification.type != ticket.type and not (
        classification.needs_triage or ticket.needs_triage
    ):
        return None
    return ticket


# What a person has judged a ticket by: its labels set (改标), or that it is no report (作废;
# brought back, 恢复, it is still theirs to type).  The model never reads it again after.
_JUDGED = frozenset({Action.RETAG.value, Action.DISMISS.value})


def awaits_its_words(ticket: TicketRecord, actions: Sequence[str]) -> bool:
    """Whether `ticket`, with these events in its history, still waits for a person to type
    it and none has judged it yet (`_JUDGED`): only then may its words told in parts type it
    (`typed_by_parts`).  A person's labels are never the model's to change."""
    return awaits_triage(Status(ticket.status), ticket.needs_triage) and not (
        _JUDGED & set(actions)
    )


def typed_by_parts(ticket: TicketRecord, said: Classification) -> Classification | None:
    """The labels a ticket awaiting triage (待人工研判: "我要举报") takes from its words told
    in parts, read together (`said`): the model's type when it is now sure of it, by the
    threshold that flags a report at filing (`classifier.triage_below`: `said.needs_triage`),
    or None while it is not, or reads no report in them.  Its urgency is raised, never
    lowered, as a safety rule raises the model's: "我要举报" then a quarrel stays as urgent as
    it was filed; the rules that fired stay, with any the words together fire.

    Not a sure 其他: the desk's judgement of "other" is worth more than the model's ("有个事想
    反映" then "村口垃圾堆了半个月没人清" read 0.77 other; it is environment).  Nor urgent by the
    model alone, which calls "楼上\n漏水" urgent: at most 较急, since the part that said it was
    checked on its own (`told_on`: the staff room is asked to check it); urgent by a rule."""
    if said.needs_triage or said.type in (NOT_A_REPORT, UNCLASSIFIED, "other"):
        return None
    rules = tuple(dict.fromkeys((*ticket.rules, *said.rules)))
    urgency, confidence = ticket.urgency, ticket.urgency_confidence
    raised = said.urgency
    if raised == "urgent" and rule_urgency(said.rules) != "urgent":
        raised = "high"
    if more_urgent(raised, ticket.urgency):
        urgency, confidence = raised, said.urgency_confidence
    return Classification(said.type, said.type_confidence, urgency, confidence, rules)


# A resident seconding a report, then saying it in their own words: "这个事我也遇到了，消防通道
# 一直被堵", "我家也是，天花板也被泡了", "+1 我们楼也停水了".  The model reads the opener as
# chatter (a "me too" alone is), and the report after it was dropped unanswered.
_SECONDING = re.compile(
    r"\s*(?:[+＋]1|同感|附议|同样的?(?:问题|情况|遭遇)|一样的?(?:问题|情况)|"
    r"(?:这个?事情?|这个?问题|这种情况)?(?:我|我家|我们家?|我们(?:楼|村|小区|这边|单元))也"
    r"(?:是|一样|遇到了?|碰到了?|遇到过|碰到过|有这个?问题|这样)(?:的|了|啊|呀|哦)?)"
    r"[\s,，。.!！:：、~～…]*"
)
# The Chinese characters the words after the opener need to be a report of their own.
_SECONDED_CHARS = 4


def seconded(text: str) -> str | None:
    """What a message seconding another's report says after its opener (`_SECONDING`),
    when that is a sentence of its own, to be read as a report; else None ("我也是" alone,
    "+1", "同感！" stay chatter)."""
    opener = _SECONDING.match(text)
    if opener is None:
        return None
    rest = text[opener.end():].strip()
    return rest if sum(map(len, _HAN.findall(rest))) >= _SECONDED_CHARS else None


def _shared_words(text: str, ticket_text: str) -> int:
    """How many of the message's character pairs the ticket shares, leaving out the pairs
    any two messages share (`_COMMON`); none with a number the ticket does not have."""
    if not _numbers_fit(text, ticket_text):
        return 0
    return len((_pairs(text) & _pairs(ticket_text)) - _COMMON)


# Words that say what is happening rather than where or to what: in a typhoon two reports
# that share only these ("我家进水了，水到膝盖了" and "东头张家进水了": 进水, 水了) tell of
# two houses, and were linked as one event.
_HAPPENING = re.compile(
    r"着火|起火|失火|大火|火了|冒烟|烧起来|烧着|进水|漫上来|漫过|漫到|淹了|被淹|淹到|积水|涨水|水了|"
    r"倒了|塌了|倒塌|坍塌|被困|困住|困在|出不来|快来人|救命|打架|打起来|打人|停电|停水|断电|断水"
)
# Chinese numerals naming a place ("三组", "十二栋"), written as digits for comparing: a
# neighbour's "3组有老人被困" tells of the same 三组.
_PLACE_NUMERAL = re.compile(r"[一二两三四五六七八九十]+(?=组|栋|幢|号楼|单元|队|社|排)")
# A numbered place ("3组", "12栋"): a place both reports name, as their numbers agree.
_NUMBERED_PLACE = re.compile(r"\d+(?:组|栋|幢|号楼|单元|队|社|排)")


def _digits(text: str) -> str:
    def value(numeral: re.Match[str]) -> str:
        number = chinese_number(numeral.group())
        return str(int(number)) if number is not None else numeral.group()
    return _PLACE_NUMERAL.sub(value, text)


# Pairs that name no place nor thing of their own: who ("河边有老人被困" and "山上有老人被
# 困" share 老人), "over there", and a letter's forms (尊敬的领导：您好！).
_NOWHERE = frozenset(
    {
        "老人", "孩子", "小孩", "有人", "大爷", "大妈", "老太", "男的", "女的", "一个", "两个",
        "好多", "很多", "那边", "这边", "那里", "这里", "尊敬", "领导", "您好", "关于", "建议",
        "咨询", "请问", "希望", "相关", "部门", "情况",
    }
)


# Landmarks of one character, where a flood or a landslide is told: "桥那边水漫上来了" and
# "大桥那里的水已经漫过桥面了" share no pair of a word, but the bridge.  A river, lake, ditch or
# well only where the water is meant: by a word of place after it (河里, 河边, 井盖) or a fall
# into it before it (掉河里, 跳江), so that "河里有人落水了" and "河边有个小孩掉下去了" are one
# drowning, while 河南, 湖北, 江苏, 浙江 and 沟通 name none.
_LANDMARK = re.compile(
    r"[桥坝堤塘渠崖]|[河湖江溪沟井](?=[里边上中面道水岸口底旁沿头盖])|(?<=[跳掉进到下入落])[河湖江溪沟井]"
)


def _places(text: str) -> set[str]:
    """What a report names besides what is happening (`_HAPPENING`), who, and the everyday
    words (`_COMMON`): its places and things as the character pairs inside its words ("村口",
    "桥面", "电线"; a pair across two words, 有老 in "河边有老人", names nothing), its
    numbered places ("3组") and its landmarks (`_LANDMARK`)."""
    pairs = {p for word in segment(_HAPPENING.sub(" ", text)) for p in _pairs(word)}
    return (pairs - _COMMON - _NOWHERE) | _landmarks(text)


def _landmarks(text: str) -> set[str]:
    """The places a report names that are surely places: numbered ("3组") or landmarks."""
    return set(_NUMBERED_PLACE.findall(text)) | set(_LANDMARK.findall(text))


#: Another resident's report shares at least this many pairs with a ticket to be the same event.
SAME_EVENT_PAIRS = 2
#: ... and at least this share of the places and things named by the one that names fewer:
#: two letters of 150 characters about pensions share a dozen pairs and are two matters.
SAME_EVENT_SHARE = 0.25


def _one_event(text: str, classification: Classification, ticket: TicketRecord) -> int:
    """How strongly `text` tells again the event `ticket` reported: the pairs they share,
    0 when not the same event.  Always a fair share of the places and things they name in
    common (`_places`, `SAME_EVENT_SHARE`), besides what happens.  Then the same type, and
    two pairs shared or most of them; or, whatever the model's types, a safety rule that
    fired on both ("三组有人被困在屋里" came out a public-order matter, "三组老李家进水了，老人困
    在里面" a family one)."""
    mine, theirs = _digits(text), _digits(ticket.told)
    # Cheap first: most of a room's tickets share no word with it, nor a landmark, and are
    # not cut into words at all (`_places`: a busy room's 40 letters are 20,000 characters).
    if not _numbers_fit(mine, theirs) or not (
        _shared_words(mine, theirs) or _landmarks(mine) & _landmarks(theirs)
    ):
        return 0
    here, there = _places(mine), _places(theirs)
    if len(here & there) < SAME_EVENT_SHARE * min(len(here), len(there)) or not here & there:
        return 0
    shared = max(_shared_words(mine, theirs), 1)
    if set(classification.rules) & set(ticket.rules):
        return shared
    if ticket.type != classification.type:
        return 0
    if classification.urgency == ticket.urgency == "urgent" and _landmarks(mine) & _landmarks(
        theirs
    ):  # a danger at one bridge, one 3组: "桥上全是水，车过不去了", "河水涨了，快淹到桥了"
        return shared
    return shared if shared >= SAME_EVENT_PAIRS or likeness(mine, theirs) >= Likeness.MOSTLY else 0


def same_event(
    text: str, classification: Classification, others: Sequence[TicketRecord]
) -> TicketRecord | None:
    """Another resident's recent ticket that `text` may be telling again (`_one_event`):
    "村口那边起火了" and "村口着火了" (村口, 火了).  Neighbours report one fire, one burst main,
    one fight five times; each is filed (each reporter is told and visited), and the desk
    sees them linked.  The most words shared wins, then the most recent."""
    scored = [(_one_event(text, classification, t), t.id, t) for t in others]
    found = [s for s in scored if s[0]]
    return max(found, key=lambda s: s[:2])[2] if found else None


def repeats(text: str, ticket_text: str) -> bool:
    """True if `text` says again, in any of the ways `likeness` knows, what the ticket said."""
    return likeness(text, ticket_text) is not Likeness.NONE


def repeated_ticket(
    text: str, classification: Classification, candidates: Sequence[TicketRecord]
) -> TicketRecord | None:
    """The reporter's ticket among `candidates` that `text` says again, or None.

    A message an urgent safety rule fires on joins only an urgent ticket, and not by most of
    its words alone: a new danger is filed on its own, with everything an urgent ticket gets
    (and one that joins is told to the staff room, `Pipeline._addendum`).  Any other message
    joins, the model's own urgent call included (on short text it is often wrong:
    "井盖还没装上" after "小区东门的井盖没了" came out urgent, a second ticket, escalated
    within the hour; the pipeline tells staff when it joins such a message,
    `Pipeline._addendum`).  The model calls "楼上漏水，滴到我家卧室了" normal and
    "楼上又漏水了，床都湿了" high: a second ticket for that is the duplicate this module is
    for.  The closest likeness wins, then the most recent ticket;
    but a "still" alone that fits two tickets ("电梯还没修好" after a broken lift and a fight
    in it) is left to the classifier, since joining the wrong one would hide it from the
    other's worker."""
    danger = rule_urgency(classification.rules) == "urgent"
    scored = [
        (likeness(text, t.told), t.created_at, t)
        for t in candidates
        if not danger or t.urgency == "urgent"
    ]
    # A danger joins by the same words or a "still", not by most of them: "西头那边着火了，
    # 火很大！" shares most of its pairs with "村口那边着火了，烟很大！" and is another fire.
    weak = {Likeness.NONE, Likeness.MOSTLY} if danger else {Likeness.NONE}
    found = sorted((s for s in scored if s[0] not in weak), key=lambda s: s[:2])
    if not found:
        return _nudged(text, classification, [t for _, _, t in scored])
    best, _, ticket = found[-1]
    if best is Likeness.STILL and len(found) > 1:
        return None
    return ticket
