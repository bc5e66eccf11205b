"""A follow-up visit (回访) answered in everyday words: "还行吧，就是来得有点慢", "挺好的 谢谢",
"没解决".  Residents answer "是否满意" as they would a person, not with the words the question
spells out (满意 / 基本满意 / 不满意), and such an answer was filed as a new report about
nothing (其他), sent to the grid, while the visit went unanswered.

`everyday_rating` reads the rating a short message starts with, and the rest as its comment.
Whether it is taken so is the pipeline's (`Pipeline._read`): only one to one, only with exactly
one visit waiting for the sender, never a danger.  The phrase must stand as a clause of its
own (the message ends after it, or a mark, a space or a thanks follows): "一般什么时候来" and
"可以帮我查一下吗" start with 一般 and 可以 and say nothing of the outcome.  A message that
asks (a question mark, 吗) is no answer either: "好了吗" asks whether it is fixed.  Bare
politeness (谢谢, 好的, 收到) rates nothing, and "还是很吵" / "又漏了" stay with
`Pipeline._visit_answered_in_words` (added to the ticket, the resident told how to say
不满意).
"""

from __future__ import annotations

import re

from bot.commands import PROGRESS_QUESTION_MAX_CHARS, normalise
from bot.workflow import Rating

# What may say the subject before "solved": "问题已经解决了", "都修好了".
_SUBJECT = r"(?:问题|事情|事儿|这事|这个事|那个事)?(?:已经|都|全)?"
_DONE = r"(?:解决|修好|处理好|弄好|搞好|搞定)"
_THANKS = r"(?:谢谢|感谢|多谢)"
# Each family's phrases.  They are tried in this order, each anchored at the start: "不错"
# (satisfied) before the unsatisfied 不…, and "不太好" / "不是很满意" are the unsatisfied
# family's whole phrases, so no negation is read as what it negates.
_SATISFIED = (
    r"(?:挺|很|非常|特别|真)?不错",
    r"(?:挺|很|非常|特别|蛮)好(?:的)?",
    r"可以(?:的)?",
    r"满意了",
    rf"{_SUBJECT}已?{_DONE}了?",
    rf"{_SUBJECT}好了",
    r"没(?:有)?问题了?",
    # "谢谢你们帮我解决了", "感谢网格员，问题解决了": a thanks for the solution, no negation in it
    rf"{_THANKS}[^没未不还?？吗]{{0,12}}?{_DONE}了?",
    r"(?i:good|great|fine|fixed|solved|all good)",
)
_FAIR = (
    r"还行",
    r"还(?:可以|好|凑合)",
    r"一般(?:般)?",
    r"凑合",
    r"马马虎虎",
    rf"{_SUBJECT}基本(?:上)?(?:{_DONE}了?|好了)",
    r"差不多(?:了)?",
    r"(?i:so-so|so so)",
)
_UNSATISFIED = (
    r"不(?:太|大|是很|是太|怎么)?(?:满意|好|行)",
    r"不(?:怎么样|咋样|咋地)",
    r"(?:问题)?(?:还|都|根本|压根)?(?:没|没有|未)(?:修|解决|处理|弄|搞)(?:好|完|定)?",
    r"(?:还|都|根本)?没(?:有)?(?:人来|人管|来人|来)",
    r"没人(?:来|管)",
    r"(?:很|太|特别|真)(?:差|差劲)",
    r"(?:太|很|特别)慢(?:了)?",
    r"(?i:not (?:good|fixed|solved)|bad)",
)
_FAMILIES = (
    (Rating.SATISFIED, _SATISFIED), (Rating.FAIR, _FAIR), (Rating.UNSATISFIED, _UNSATISFIED)
)
# What may close the phrase ("还行吧", "挺好的呀"), and what may come between it and the
# comment: a mark or a space.  A thanks may follow with nothing between ("挺好的谢谢").
_PARTICLES = r"[了的啊呀吧哈啦嘛哦]*"
_SEPARATOR = r"[\s,，、.。!！~～…:：;；]"
_ASKS = re.compile(r"[?？吗]")


def _shape(phrases: tuple[str, ...]) -> re.Pattern[str]:
    phrase = "|".join(phrases)
    return re.compile(
        rf"(?:{phrase})(?:{phrase})?{_PARTICLES}"  # "不错不错"
        rf"(?:{_SEPARATOR}+(?P<comment>.*)|(?P<thanks>{_THANKS}.*))?",
        re.S,
    )


_SHAPES = tuple((rating, _shape(phrases)) for rating, phrases in _FAMILIES)


def everyday_rating(text: str) -> tuple[Rating, str] | None:
    """The rating `text` starts with in everyday words, and the rest as its comment, or None:
    "还行吧，就是来得有点慢" is (fair, "就是来得有点慢").  Short messages only (a longer one
    carries more than an answer), none that asks."""
    text = normalise(text)
    if not text or len(text) > PROGRESS_QUESTION_MAX_CHARS or _ASKS.search(text):
        return None
    for rating, shape in _SHAPES:
        match = shape.fullmatch(text)
        if match:
            comment = match.group("comment") or match.group("thanks") or ""
            return rating, comment.strip()
    return None
