"""Explicit safety rules that can only raise urgency, never lower it.

Why rules next to a model: a statistical model trained on a few thousand examples will miss some
message that says "he is at the door with a knife".  For danger to someone *now* the desk wants a
guarantee a worker can read: each rule is a named, reviewable pattern, the ticket records which
rule fired (`Classification.rules`), and the final urgency is the more urgent of the model's and
the rules' (`taxonomy.more_urgent`), so a rule can never make a message *less* urgent.

Cheap context handling, because false alarms erode trust in the urgent queue:

* negation right before the cue ("没打起来", "没有动刀", "不是着火") suppresses that hit;
* a consultation question ("咨询一下打架怎么处理", "请问被打了轻伤怎么判") suppresses the
  hit unless the message also says it is happening now ("现在", "快来", "救命" …).

Self-harm cues are exempt from both: "有人一起死吗" is a question and still a crisis, and
"不想活了" contains a negation by nature.  Missing one is far worse than a false alarm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifier.taxonomy import URGENCY_RANK


@dataclass(frozen=True)
class Rule:
    """One named safety rule: a regex over normalised text and the urgency it raises to."""

    name: str
    urgency: str
    pattern: re.Pattern[str]
    context_sensitive: bool = True  # False: negation/question context never suppresses it


def _rule(name: str, urgency: str, pattern: str, context_sensitive: bool = True) -> Rule:
    return Rule(name, urgency, re.compile(pattern), context_sensitive)


RULES: tuple[Rule, ...] = (
    # --- urgent: danger to life, health or safety now -------------------------------------
    _rule(
        "self_harm",
        "urgent",
        r"自杀|轻生|寻死|寻短见|想死|去死|求死|一起死|死给.{0,2}看|怎么死|不想活|活不下去|"
        r"活不成|活着没(有)?意思|活着(还)?有什么意思|活着(好|太|真)?累|不如死|死了算了|死掉算了|"
        r"一死了之|一了百了|结束(自己的)?生命|结束这一切|了结自己|离开这个世界|撑不下去|熬不下去|"
        r"跳楼|跳河|跳江|跳桥|跳下去|跳下来|喝农药|喝药|吞药|吞了.{0,4}药|吃安眠药|安眠药|"
        r"割腕|割手|划手腕|自残|自伤|上吊|烧炭|想不开|遗书|同归于尽|浇汽油",
        context_sensitive=False,
    ),
    _rule(
        "weapon",
        "urgent",
        r"菜刀|砍刀|尖刀|水果刀|杀猪刀|匕首|斧头|斧子|铁棍|钢管|木棍|棍子|棒子|铁锹|锄头|砖头|"
        r"酒瓶|枪|拿刀|持刀|动刀|拿着刀|提着刀|砍人|砍伤|捅人|捅了|捅伤|刀子|"
        r"(来|要|去|想)砍|砍(我|你|他|她|死)",
    ),
    _rule(
        "violence",
        "urgent",
        r"打起来|打架|斗殴|群殴|打人|被打|殴打|动手打|动手了|打伤|打破|打得|头破血流|流血|出血|"
        r"掐脖子|往死里打|推倒|拳打脚踢|扇耳光|家暴",
    ),
    _rule(
        "threat_to_kill",
        "urgent",
        r"杀了你|杀人|杀了他|弄死|砍死|打死|放.{0,3}火|烧了你|烧死|炸了|灭门|报复社会|要你的命|"
        r"一块死|一起死",
    ),
    _rule("fire", "urgent", r"着火|失火|起火|火灾|烧起来了|火很大|火势|浓烟|冒烟|冒火花|火苗"),
    _rule(
        "gas",
        "urgent",
        r"煤气味|燃气味|天然气味|煤气泄漏|燃气泄漏|煤气罐.{0,4}漏|漏气|一氧化碳|煤气中毒|泄漏了|"
        r"(天然气|燃气|煤气)(管道?)?.{0,6}(断|破|漏|味)",
    ),
    _rule(
        "water_electricity",
        "urgent",
        r"漏电|触电|电线.{0,4}(掉|断|落|垂)|高压线.{0,4}(掉|断|落|垂)|"
        r"(水|淹|泡).{0,8}(配电|电箱|电闸|变压器|插座)",
    ),
    _rule(
        "crowd",
        "urgent",
        r"聚集|围堵|围攻|堵门|堵在.{0,6}门口|拉横幅|冲击|聚众闹事|群体性|"
        r"(几十|上百|一百多|好几十|几百|一群|一帮|好多)(个|号)?人.{0,6}(围|堵|聚|闹|冲|打|对峙)",
    ),
    _rule(
        "medical_emergency",
        "urgent",
        r"昏迷|晕倒|晕过去|不省人事|抽搐|抢救|没气了|没有呼吸|大出血|救护车|打0|"
        r"救命|中毒|溺水|掉进.{0,4}(河|塘|井|水)|被困|困在|卡在里面|压着|压在下面|躺在地上|"
        r"呼吸困难|喘不上气|喘不过气|嘴唇发紫|口吐白沫|大口吐血",
    ),
    _rule(
        "confinement",
        "urgent",
        r"不让出门|不让走|关起来|关在|锁在(屋|家|房)|扣住不放|不放人|绑架|绑走",
    ),
    # --- high: escalating, many affected, vulnerable people, basic needs cut, distress -----
    _rule(
        "distress",
        "high",
        r"抑郁|绝望|崩溃|生不如死|痛苦|没有希望|没希望|坚持不下去|坚持不住|撑不住|熬不住|"
        r"不想醒|心好累|心累|活着干嘛|活着干什么|活着有什么用|累赘|消失|解脱|下辈子",
        context_sensitive=False,
    ),
    _rule(
        "basic_needs_cut",
        "high",
        r"停水|断水|没水|没有水|停暖|没暖气|暖气不热|暖气.{0,4}(停|坏|不热)|不供暖|停电|断电|"
        r"断水断电|零下",
    ),
    _rule(
        "vulnerable_people",
        "high",
        r"(家里有|有个|还有|带着)(老人|小孩|孕妇|残疾人|婴儿|病人)|[八九]十多岁|[八九]十岁|"
        r"瘫痪|孕妇|独居老人|留守老人|留守儿童",
    ),
    _rule(
        "many_affected",
        "high",
        r"好几十户|几十户|上百户|全村|全组|整栋楼|整个小区|好多户|"
        r"(几十|二十多|三十多|好几十)个(工人|农民工|人|户)",
    ),
    _rule(
        "escalating",
        "high",
        r"越来越凶|越吵越凶|扬言|威胁|放话|找人收拾|砸门|砸了|要出事|吵翻了|差点打起来",
    ),
)

_NEGATION = re.compile(r"(没有|没|未|不是|并非|不会|没在|无)$")
_CONSULT = re.compile(
    r"请问|咨询|想问|问一下|问下|问问|问个事|有懂的|怎么处理|如何处理|怎么判|判几年|会判|"
    r"犯法|违法吗|算不算|构成|找哪个部门|找谁|怎么申请|怎么投诉|怎么起诉|怎么赔|赔多少"
)
_NOW = re.compile(
    r"现在|正在|刚刚|刚才|快来|快点|赶紧|马上|救命|报警|还在|在门口|已经打|打起来了|来人"
)


def _negated(text: str, start: int) -> bool:
    """True if a negation word ends right before position `start` (within two characters)."""
    window = text[max(0, start - 3) : start]
    return bool(_NEGATION.search(window)) or bool(_NEGATION.search(window[:-1]))


def fired_rules(text: str) -> tuple[str, ...]:
    """Names of the rules that fire on already-normalised `text`, in rule order."""
    consult = bool(_CONSULT.search(text)) and not _NOW.search(text)
    hits: list[str] = []
    for rule in RULES:
        for m in rule.pattern.finditer(text):
            if rule.context_sensitive and (consult or _negated(text, m.start())):
                continue
            hits.append(rule.name)
            break
    return tuple(hits)


RULE_URGENCY: dict[str, str] = {rule.name: rule.urgency for rule in RULES}


def rule_urgency(hits: tuple[str, ...]) -> str | None:
    """The most urgent level among fired rules, or None if no rule fired."""
    if not hits:
        return None
    return min((RULE_URGENCY[h] for h in hits), key=URGENCY_RANK.__getitem__)
