"""How a danger cue is told: the context that keeps a safety rule from firing.

Why a module of its own: `classifier.rules` says *what* is a danger (the cue patterns); this
says *when a cue does not mean danger now*, and is one idea: a cue told as a question, denied,
named as a possibility, told as over, or recounted in a letter.  False alarms erode trust in the
urgent queue, so the rules skip such a cue; the self-harm rules have their own, narrower filters
(`classifier.rules`), because missing one of those is far worse than a false alarm.

* negation right before the cue ("没打起来", "没有动刀", "不是着火"), or "almost" (差点);
* a consultation question ("咨询一下打架怎么处理", "请问被打了轻伤怎么判", "伤人的会拘留吗"),
  unless the message also says something is happening now ("现在", "快来", "救命" …) or asks
  about a scene under way ("请问村口有人打架 找谁管");
* a forwarded notice's advice: in a notice, a cue whose clause tells no event ("闻到煤气味立即
  关阀", not "转发：河西村一个小孩掉水塘里了"), and every cue of a lesson from elsewhere;
* a danger named as a possibility ("万一着火", "存在火灾隐患");
* a danger told as over (a date or "去年" before it in its sentence, "抢救无效" or "经鉴定为轻伤"
  after it), unless the sentences around it say something is happening now;
* in a formal letter ("尊敬的领导：…"), an urgent cue the sentences around it do not say is
  happening or going on (in the letter's own words too: "截至发信时", "恳请前往解救"): letters
  recount dangers to ask for redress.

In speech turned into text, with no punctuation at all, a space ends a sentence.

All of it reads already-normalised text (`classifier.text.normalize`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from classifier.chatter import notice
from classifier.regex_gate import gated
from classifier.text import EMERGENCY_NUMBER

#: A negation right before the cue: "没打起来", "没有动刀", "不是着火".
_NEGATION = re.compile(r"(没有|没|未|不是|并非|不会|没在|无)$")
#: "Almost" a few characters before the cue: "差点跟他打起来" did not happen (the escalating
#: rule's "差点打起来" files it high).
_ALMOST = re.compile(r"(差点|差一点|险些)[^,。!?;]{0,4}$")


def _negated(text: str, start: int) -> bool:
    """True if a negation word ends right before position `start` (within two characters), or
    "almost" comes a few characters before it."""
    window = text[max(0, start - 3) : start]
    return (
        bool(_NEGATION.search(window)) or bool(_NEGATION.search(window[:-1]))
        or bool(_ALMOST.search(text[max(0, start - 8) : start]))
    )


# A consultation question: "咨询一下打架怎么处理", "请问被打了轻伤怎么判".  This and `_NOW`
# are gated: scanned on every message in full, like the rules (classifier.regex_gate).
_CONSULT = gated(
    r"请问|咨询|想问|问一下|问下|问问|问个事|有懂的|怎么处理|如何处理|怎么判|判几年|会判|"
    r"犯法|违法吗|算不算|构成|找哪个部门|找谁|怎么申请|怎么投诉|怎么起诉|怎么赔|赔多少|"
    # what the law does about it, asked: "会不会坐牢", "伤人的会拘留吗", "能申请保护令吗"
    r"(坐牢|拘留|判刑|案底|负责任|担责|责任|赔偿|索赔|起诉|抗诉|上诉|立案|保护令|抚养权|"
    r"多分财产|追究)[^。!?]{0,6}(吗|么|\?)|会不会(坐牢|被抓|判|留案底|影响)|(会|要|能)?关多久|"
    r"违不违(规|法)|合不合法|犯不犯法|"
    r"(犯|构成|算|判)(了)?什么罪|(承担|负|担)(什么|哪些|多大)(法律)?责任|(怎么|如何)(赔偿|维权)|赔偿标准"
)
# Not "到现在" (a delay: "交警到现在也没给认定"), nor "现在" before how things stand after the
# event ("现在人没事了", "现在都没事了", "现在已经出院", "现在我想离婚") or before a question
# ("现在想问疫苗补偿"), nor a call to the police told as history ("当时报了警", "他报警说我…"),
# nor what one did in a hurry back then ("吓得我们赶紧拉了闸"): none of them is something
# happening now.
_NOW = gated(
    r"(?<!到)现在(?!(人|都|也)?(已经|没事|没什么事|恢复|好多了|好了|出院|我想|还欠|都不|也不|想问|想咨询|"
    r"想了解|想知道|想申请))|正在|刚刚|"
    rf"刚才|快来|快点|赶紧(来|过来|派|叫|救|报警|打{EMERGENCY_NUMBER}|管|处理|帮|去看)|马上|救命|"
    r"(快|赶紧|马上|帮我|帮忙|已经)报警|还在(?!一旁|旁边)|在门口|已经打|打起来了|来人"
)


# Harm still under way, which a question tacked on does not make history: "邻居拿铁锹把我爸打伤了，
# 流了好多血，能要求赔偿吗", "楼道着火了，物业要负什么责任".  Only the consultation filter reads
# it: a letter's "当时流了好多血" is still told as over.
_FRESH_HARM = re.compile(
    r"流了?(好多|很多|一地|满地|一身)的?血|血流不止|血止不住|还在流血|昏迷不醒|不省人事|"
    r"着火了|起火了|烧起来了|冒烟了|往死里(打|揍|踹|掐)"
)


# A scene now, asked about: "请问村口有人打架 找谁管", "咨询一下 我老公拿刀威胁我 我该怎么办".  The
# question is what to do about it, not what the law says; a general question names no place
# and no one ("有人打架怎么处理", "被打了轻伤怎么判").
_SCENE = gated(
    r"(村口|楼下|楼上|门口|隔壁|对面|楼道|院子|路口|路边|菜市场|广场|小区|学校|河边|桥上|超市|"
    r"饭店|网吧|车站|工地|厂里|店里)[^,。!?]{0,4}有(人|个人|一群人|几个人|一伙人)(在)?"
    r"(打架|打人|打起来|拿刀|拿着刀|持刀|砍人|闹事|吵架|动手)|"
    r"拿(着)?(刀|棍子|斧头|砖头).{0,4}(威胁|对着|指着|追|逼)(着)?(我|俺)(?!过)|"
    # a harm under way, in the progressive: "有人正用砖头砸我家窗户", "老汉喝醉了在揍他家娃",
    # "狼狗正在追着小孩咬", "还不停手", "咬住…不松口"
    r"(正|正在|还在)(用|拿|往|追|揍|打|砸|踹|捶|咬|烧|冒|砍|按|掐|抽|撕)|"
    r"在(追|揍|砸|踹|捶|咬|砍|掐|撕)|在往(外|下|里)(鼓|冒|喷|流|掉|滚|灌|冲)|"
    r"不停手|不松口|不撒嘴|(干|打|闹)起来了|有人(正)?在[^,。!?]{0,10}放火(?![^,。!?]{0,4}了)|"
    r"(围着|追着|咬着|咬住|按着|掐着)[^,。!?]{0,6}(人|娃|孩子|小孩|老人|学生|我|腿|脖子)"
)


def says_now(text: str) -> bool:
    """True if the message says something is happening now (anywhere in it)."""
    return bool(_NOW.search(text))


# A danger named as a possibility, not as happening: "万一着火消防车进不来", "以免发生火灾",
# "存在火灾隐患".  Formal letters and notices are full of these; an urgent ticket for each
# would teach workers to ignore the urgent queue.  Checked in a short window before the cue.
_HYPOTHETICAL = re.compile(r"(一旦|万一|假如|倘若|以免|以防|防止|避免|预防|谨防|防范)")
# only right before the cue, or a time to come between: "还怕起火", "我怕过几天真打起来"
_FEARED = re.compile(r"(怕|担心|害怕)(过几天|哪天|以后|迟早|早晚|将来)?(真|会|要)*$")
_GUARDED = re.compile(r"(严防|谨防|防)$")  # "防溺水", "防火": a campaign, not an event
# ... or a way blocked for the rescue that may one day be needed: "救护车、消防车根本进不来"
# (not "着火了消防车进不来": a fire, then the blocked way)
_HAZARD_AFTER = re.compile(
    r"^.{0,4}(隐患|风险|的可能)|"
    r"^([、和与及,]?(消防车|救护车))?(都|也|根本|就|一样)*(进不来|进不去|开不进|过不去|出不去)"
)
# Deliberately not here: fear further back ("我好怕，他拿着刀" is happening), "小心" ("小心！
# 他拿刀了"), "如果/要是" (a threat such as "如果再不来人他就要砍人了" stays urgent), and "怎么办"
# after the cue (a cry for help: "闻到很大的煤气味 怎么办啊").


def _hypothetical(text: str, start: int, end: int) -> bool:
    """True if the cue at text[start:end] is a danger that could happen, not one happening."""
    if _HYPOTHETICAL.search(text[max(0, start - 10) : start]):
        return True
    if _FEARED.search(text[max(0, start - 8) : start]) or _GUARDED.search(
        text[max(0, start - 2) : start]
    ):
        return True
    return bool(_HAZARD_AFTER.search(text[end : end + 12]))


# A danger told as history: "去年村里着火烧了三间房，救助款还没发", "房子着火以后住在亲戚家",
# "今年3月12日，我在步行街被一名男子无故殴打" (`normalize` has made the date "今年0月0日").
# The claim, the benefit or the repair is the report; the fire is over.  Not when something
# happens again or still ("去年就报过，今天又着火了").  The date may open the sentence, so the
# whole sentence before the cue is read (at most `_PAST_REACH` characters).
_PAST_EVENT = re.compile(
    r"(去年|前年|前天|上周|上个?礼拜|上个?星期|上个月|上回|上次|那年|当年|以前|之前|前几年|小时候|0年|"
    r"0月|正月|腊月|农历|当时|当天|那天|那晚|事发|案发)"
)
_AGAIN_NOW = re.compile(
    r"现在|正在|刚(?!好|开始)|今天|今晚|又|还在|马上|开始|以来|到现在|至今|一直|这次|这回"
)
# A plea for a rescue, which only a danger now asks for: "恳请前往解救", "请组织专业人员施救" (not
# "恳请督促", "恳请调查").  It brings a dated story back to now (`_BACK_TO_NOW`) and, with more ways
# of helping, tells a letter's danger is going on (`_ONGOING`).
_PLEA = r"(请|恳请|请求|望|盼|求)[^,。!?]{0,10}"
_RESCUE = r"解救|救援|施救|营救|破门|拦截|疏散|救治"

# After the cue, in its sentence (beyond `_NOW`, which `_over` has read around it already),
# fewer words bring the story back to now than before it: a letter's long sentence goes on
# with "又做了手术", "一直没人管" about what followed.
_BACK_TO_NOW = re.compile(
    r"今天|今晚|今早|今儿|此刻|又来|又在|刚(?!好|开始)|没醒|不醒|没动静|没气|没呼吸|"
    # a letter's: "已有人受伤，局势随时可能失控", or a plea for a rescue after it ("…悬在半空已有四
    # 十分钟…请组织专业人员施救")
    rf"随时可能|失控|{_PLEA}({_RESCUE})"
)
# Right after the cue: what came after it ("着火以后", "火灾后至今"), or a kind of incident
# rather than one ("斗殴事件增多", "打架现象").
_AFTERWARDS = re.compile(r"^(以后|之后|后(?![面边门院山头背方排])|那次|那回|事件|现象)")
# What follows an emergency that is over, in the same sentence: "抢救无效", "抢救过来了",
# "经鉴定为轻伤", "住院一周才脱离危险", "抢救五天后去世".  Not a death alone: "溺水身亡" after a
# wish to die is a method named.
_AFTERMATH = re.compile(
    r"^(过来|回来|无效)|^[^。!?;\n]{0,12}(抢救无效|脱离(了)?危险|救过来|救回来|后(去世|死亡|身亡)|出院|"
    r"康复|鉴定|认定|理赔|轻伤|重伤|轻微伤|缝了|立案|判决|判了|事后|事情过去|"
    r"已经(处理|修|换|弄)好了|已经(解决|排除|灭)了|找到了|找着了|找回来了|劝下来|(大家)?都好了|(现在|已经|人)没事了|"
    # seventeenth round, from a blind probe's look-alikes: "住户自己扑灭后", "被困的五名矿工已
    # 全部获救", "走失，次日被找到，现已平安"
    r"扑灭|获救|救出来了|被救出|脱困|被找到|找回|(现已|已经)平安|"
    r"(去年|前年|上个?月|以前|几年前|好几年前|很久以前)的事)"
)
_SENTENCE_END = re.compile(r"[。!?;\n]")
# Speech turned into text (a WeChat voice message) has no punctuation at all, only spaces between
# phrases; there a space ends a phrase, or one "现在" anywhere would make every cue happen now.
_PUNCTUATED = re.compile(r"[。!?;,\n]")
_PHRASE_END = re.compile(r"\s")
_PAST_REACH = 40


@lru_cache(maxsize=4)
def _sentence_ends(text: str) -> list[int]:
    """Where each sentence of `text` ends; cached, because every cue of a letter asks again."""
    ends = _SENTENCE_END if _PUNCTUATED.search(text) else _PHRASE_END
    return [m.start() for m in ends.finditer(text)]


def _sentences(text: str, start: int, end: int, reach: int = 0) -> tuple[int, int]:
    """Bounds of the sentence holding text[start:end], widened by `reach` sentences each side."""
    return _bounds(_sentence_ends(text), len(text), start, end, reach)


def _bounds(ends: list[int], size: int, start: int, end: int, reach: int) -> tuple[int, int]:
    """Bounds of the stretch between `ends` (sorted) that holds [start, end) in a text of
    `size` characters, widened by `reach` stretches each side."""
    before, after = bisect_left(ends, start), bisect_left(ends, end)
    left = ends[before - 1 - reach] + 1 if before > reach else 0
    right = ends[after + reach] if after + reach < len(ends) else size
    return left, right


def _sentence_before(text: str, start: int) -> str:
    """Its sentence up to the cue at `start` (at most `_PAST_REACH` characters); in unpunctuated
    speech, from the phrase before ("去年那个 山上滑坡")."""
    left, _ = _sentences(text, start, start, 0 if _PUNCTUATED.search(text) else 1)
    return text[max(left, start - _PAST_REACH) : start]


def _sentence_after(text: str, end: int) -> str:
    """The rest of its sentence after the cue ending at `end` (at most `_PAST_REACH`
    characters): "前天夜里有人放火烧我家柴垛，今晚又来了" comes back to now after the cue."""
    _, right = _sentences(text, end, end)
    return text[end : min(right, end + _PAST_REACH)]


# In a forwarded notice or a tip, a cue is advice ("闻到煤气味立即关阀开窗") unless its clause
# tells an event (sixteenth round): a change that has happened (了), someone caught in it or at
# it (有人被困, 有人在烧荒), or a threat passed on (说要, 扬言): "转发：河西村一个小孩掉水塘里了",
# "转发：5栋有人被困电梯", "【转发】老王说要拿刀去砍村支书".
_CLAUSE_END = re.compile(r"[,。!?;:\s]")
# (not "着火了要拨打119": what to do when it happens)
_EVENT_AFTER = re.compile(
    r"(?<![为除])了(?!解|不起|不得)(?!要|就|先|应|请|立即|马上|赶紧|别|不要|千万|也要)"
)
_EVENT_BEFORE = re.compile(r"有人(被|在|正在)?$|说要|扬言")
# ... but a clause that opens on a condition is advice: "发现有人落水立即拨打110"
_ADVICE_IF = re.compile(r"发现|看到|遇到|如遇|如果|若|一旦|万一")
# ... and so is every cue of a notice's lesson from elsewhere: "转发：血的教训！！某地一男子…
# 电瓶起火，浓烟封住了楼道".
_ELSEWHERE = re.compile(r"某地|外地|外省|外市|邻县|隔壁省|新闻|教训|引以为戒")


@lru_cache(maxsize=4)
def _clause_ends(text: str) -> list[int]:
    """Where each clause of `text` ends (a comma, a stop, a colon, a space)."""
    return [m.start() for m in _CLAUSE_END.finditer(text)]


def _tells_event(text: str, start: int, end: int) -> bool:
    """True if the clause holding the cue at text[start:end] tells something happening or
    done, not advice (see `_EVENT_AFTER`, `_EVENT_BEFORE`)."""
    left, right = _bounds(_clause_ends(text), len(text), start, end, 0)
    head = text[left:start]
    if _ADVICE_IF.search(head):
        return False
    return bool(_EVENT_AFTER.search(text, start, right) or _EVENT_BEFORE.search(head))


def _around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end] and the sentences either side of it."""
    left, right = _sentences(text, start, end, reach=1)
    return text[left:right]


def _over(text: str, start: int, end: int) -> bool:
    """True if the cue at text[start:end] is told as a past event.  The caller has checked that
    nothing around it is happening now (`Telling.suppresses`)."""
    if _AFTERWARDS.search(text[end : end + 2]) or _AFTERMATH.search(text[end : end + 14]):
        return True
    window = _sentence_before(text, start)
    told = [m.end() for m in _PAST_EVENT.finditer(window)]
    return (
        bool(told) and not _AGAIN_NOW.search(window[told[-1] :])
        and not _BACK_TO_NOW.search(_sentence_after(text, end))
    )


# A formal letter to the message board ("关于……的反映", "尊敬的领导：") is how people ask for
# redress of what happened, not how they call for help: letters recount fights, fires and
# resuscitations by the dozen.  In one, an urgent cue counts only if its sentence or the ones
# either side say it is happening or still going on (`_NOW`, `_ONGOING`).  A plea for help sent
# as a letter says so ("紧急求助：楼道持续有燃气味", "他又拿刀堵门"), and still fires.
_LETTER = re.compile(
    r"^关于.{2,40}(的|之)(反映|问题|投诉|求助|建议|请求|申请)|尊敬的|"
    r"(领导|书记|县长|市长|局长)(您好|你好|:)"
)
#: Where a letter's salutation or headline is looked for.
_LETTER_OPENING = 80
#: A letter is at least this long.  A short message that opens with a salutation is a chat
#: message, and often a call for help: "尊敬的领导：我们村东头的老房子着火了".  Every letter the
#: context changed a decision on, on all our files and the shared sets, is longer.
_LETTER_MIN_CHARS = 100
_ONGOING = re.compile(
    r"今天|今晚|今早|此刻|目前|眼下|随时|又|开始|以来|至今|一直|持续|仍|依然|紧急|天天|每天|经常|总是|"
    # a letter's own words for now, and a plea for a rescue, which only a danger now asks for
    # (fifteenth round: "截至发信时", "恳请前往解救", "请求组织救援")
    r"今日|今晨|今夜|此时|截至发信|发信时|写信时|写(的)?这封信|当前|刚才|刚刚|不断|越来越|连夜|即刻|火速|"
    rf"{_PLEA}({_RESCUE}|转移|制止|断电|封路|保护|到场|赶到|寻找|查找)"
)


class Telling:
    """One message's context, read once; `suppresses` then judges each cue found in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.now = says_now(text)
        # A question about a danger is not the danger happening; nor is a notice's advice
        # about one (`_tells_event` reads which cue of a notice is advice).
        self.consult = not self.now and (
            bool(_CONSULT.search(text)) and not _FRESH_HARM.search(text)
            and not _SCENE.search(text)
        )
        self.notice = not self.now and notice(text)
        # A notice that tells a lesson from elsewhere reports nothing to act on: every cue in
        # it is told, not happening here.
        self.lesson = self.notice and bool(_ELSEWHERE.search(text))
        self.letter = len(text) >= _LETTER_MIN_CHARS and bool(
            _LETTER.search(text[:_LETTER_OPENING])
        )

    def suppresses(self, start: int, end: int, urgent: bool) -> bool:
        """True if the cue at text[start:end] is not a danger now: asked about, denied, possible,
        over, or (an `urgent` rule's cue) recounted in a letter.

        Over and recounted are read only where the cue's sentence and the ones either side say
        nothing is happening now: "上周把我打到耳朵出血，他又追过来在门口闹" is urgent, while a
        letter that tells last year's fire and then what the family lives on "现在" tells no
        fire now."""
        text = self.text
        if self.consult or _negated(text, start) or _hypothetical(text, start, end):
            return True
        if self.lesson or self.notice and not _tells_event(text, start, end):
            return True
        around = _around(text, start, end)
        if _NOW.search(around):
            return False
        return _over(text, start, end) or (
            self.letter and urgent and not _ONGOING.search(around)
        )
