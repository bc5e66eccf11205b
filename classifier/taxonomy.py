"""The one source of truth for dispute types and urgency levels.

Every other module (rules, model, CLI, the bot's labels and storage) takes its codes from here, so
a code can never drift between the model file, the database and what a worker sees.  Codes are
stable ASCII identifiers stored in tickets; labels are for display only and may be reworded.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

#: Dispute types, in display order: code -> (Chinese label, English label).
TYPES: Final = MappingProxyType(
    {
        "neighbour": ("邻里纠纷", "Neighbour dispute"),
        "marriage_family": (
            "婚姻家庭",
            "Marriage & family (elder support, inheritance, domestic violence)",
        ),
        "land_homestead": ("土地/宅基地/山林", "Land, homestead & forest rights"),
        "labour_wages": ("劳动争议/欠薪", "Labour dispute & unpaid wages"),
        "property_management": ("物业/供暖/供水", "Property management, heating & water"),
        "land_acquisition_demolition": ("征地拆迁", "Land acquisition & demolition"),
        "environment": ("环境污染", "Environmental pollution"),
        "contract_debt": ("合同/借贷/债务", "Contract, loan & debt"),
        "traffic_accident": ("交通事故", "Traffic accident"),
        "medical": ("医疗纠纷", "Medical dispute"),
        "consumer": ("消费/产品质量", "Consumer & product quality"),
        "public_order": ("治安隐患", "Public order (fights, gambling, theft, fraud)"),
        "other": ("其他", "Other"),
        "not_a_report": ("非报事消息", "Not a report (chatter)"),
    }
)

#: The urgency head's internal class for chatter, in training only, so that it does not learn
#: "low (a question)" from greetings.  Never stored or shown: `classifier.runtime` drops it and
#: renormalises.  It lives here so that a training file's rows can carry it (`corpus`).
CHATTER_URGENCY: Final = "_chatter"

#: Urgency levels, most urgent first: code -> (Chinese label, English label).
URGENCIES: Final = MappingProxyType(
    {
        "urgent": ("紧急", "Urgent: danger to life, health or safety now"),
        "high": ("较急", "High: escalating, many affected, vulnerable people, basic needs cut"),
        "normal": ("一般", "Normal"),
        "low": ("咨询/建议", "Low: question or suggestion"),
    }
)

#: Sort key for urgency: lower is more urgent (urgent=0 … low=3).
URGENCY_RANK: Final = MappingProxyType({code: i for i, code in enumerate(URGENCIES)})

NOT_A_REPORT: Final = "not_a_report"
OTHER: Final = "other"

#: The types that are real reports (everything except chatter); macro-F1 targets are over these.
DISPUTE_TYPES: Final = tuple(code for code in TYPES if code != NOT_A_REPORT)


def urgency_target(type_: str, urgency: str) -> str:
    """What the urgency head learns for a row of this type and urgency: chatter's own class for
    `not_a_report`, else the urgency."""
    return CHATTER_URGENCY if type_ == NOT_A_REPORT else urgency


def more_urgent(a: str, b: str) -> str:
    """Return whichever of two urgency codes is more urgent (rules use it to only ever raise)."""
    return a if URGENCY_RANK[a] <= URGENCY_RANK[b] else b


def _by_words(labels: MappingProxyType[str, tuple[str, str]]) -> dict[str, str]:
    """Code by every word a person may type for it: the code, the Chinese label, each part of
    a label written with "/" (宅基地, 欠薪, 供暖), and the English label, lower-cased."""
    words: dict[str, str] = {}
    for code, (zh, en) in labels.items():
        for word in (code, zh, *zh.split("/"), en.lower()):
            words.setdefault(word, code)
    return words


_TYPE_WORDS: Final = {**_by_words(TYPES), "非报事": NOT_A_REPORT}
_URGENCY_WORDS: Final = _by_words(URGENCIES)


def _from_words(words: dict[str, str], word: str) -> str | None:
    """The code `word` names: a word of `_by_words`, else a Chinese piece of two or more
    characters of one code's labels only ("环境" of 环境污染, "拆迁" of 征地拆迁; "纠纷" names
    several).  Never a piece of 非报事消息: "报事" would say the opposite of what it names."""
    word = word.strip().lower()
    if word in words:
        return words[word]
    if len(word) < 2 or word.isascii():
        return None
    codes = {
        code for label, code in words.items()
        if word in label and not label.isascii() and code != NOT_A_REPORT
    }
    return codes.pop() if len(codes) == 1 else None


def type_from_words(word: str) -> str | None:
    """The type code a person means by `word` (`/retag 12 宅基地 一般`, `环境`), or None."""
    return _from_words(_TYPE_WORDS, word)


def urgency_from_words(word: str) -> str | None:
    """The urgency code a person means by `word` (紧急, 较急, 一般, 咨询, urgent …), or None."""
    return _from_words(_URGENCY_WORDS, word)


def type_label(code: str, lang: str = "zh") -> str:
    """Display label for a type code; unknown codes are shown as-is rather than raising."""
    labels = TYPES.get(code)
    if labels is None:
        return code
    return labels[0] if lang == "zh" else labels[1]


def urgency_label(code: str, lang: str = "zh") -> str:
    """Display label for an urgency code; unknown codes are shown as-is rather than raising."""
    labels = URGENCIES.get(code)
    if labels is None:
        return code
    return labels[0] if lang == "zh" else labels[1]
