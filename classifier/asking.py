"""Whether a message asks or suggests something: what the urgency "low" (咨询/建议) means.

Why a floor of its own: the urgency head learnt "low" from consultation questions, and on
real complaints it sometimes calls a plain account of a dispute "low" because it shares their
words ("狗咬了我孙子，要他赔医药费他不认", "前夫半年没给娃抚养费了", "网购的奶粉是假的"). A
dispute told as a statement is at least "normal" (`IntakeClassifier._decide`), so it is not
queued behind the questions.  Only "low" is raised, and only to "normal"; the model's own
"high" and "urgent", and the safety rules, are untouched.

A question here is any of: a question mark; a final particle (吗, 么, 呢, and the spoken
"…不" / "…了没有" of "能退不", "修了没有"); an interrogative word (怎么, 啥, 谁, 哪, 多少,
是否, 能不能 …), except where it only means "any" or "every" ("什么都不管", "谁也不理");
asking outright (请问, 咨询, 想问).  A suggestion: 建议, 希望, 提议, 呼吁, 能否, 最好.
All of it reads normalised text (`classifier.text.normalize_for_rules`: "？" is "?").
"""

from __future__ import annotations

import re

_END = r"(?=$|[,。!?;:\s…~])"
_ASKS = re.compile(
    r"\?"
    rf"|(吗|么|呢|嘛|不|了没有|了没){_END}"
    r"|请问|咨询|想问|问一下|问下|问问|打听|有懂的"
    r"|怎么|怎样|如何|咋|为啥|为何|为什么|啥|多少|多久|多长|几时"
    r"|(什么|谁|哪里|哪儿|哪个|哪些|哪家|哪)(?!都|也|怕)"
    r"|是否|能否|可否|有没有|能不能|可不可以|可以不|行不行|算不算|要不要|该不该|是不是|会不会"
    r"|建议|希望|提议|呼吁|倡议|最好"
)


def asks_or_suggests(norm: str) -> bool:
    """True if the message asks a question or makes a suggestion anywhere in it."""
    return bool(_ASKS.search(norm))
