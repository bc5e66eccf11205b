"""Reports about the conduct of the desk's own people (作风反映): "网格员都是吃干饭的，啥事都
不管", "王网格员收了他家的钱，处理不公", "村干部推诿扯皮".

Filed like any dispute, such a report was offered to the grid workers of its area, who could
claim it and resolve (close) a complaint about themselves.  A centre routes these to itself:
the ticket carries the desk's rule `ABOUT_THE_DESK` (shown to the desk, never to residents),
its notice goes to the staff room only, and only staff work it unless they hand it on
(`bot.workflow.kept_from`).

The recogniser is cheap and precise rather than thorough: one clause must name the desk's
people (网格员, 社区干部, 工作人员, 你们, a worker's configured name, 王网格员) and then, a few
characters on, say what they did (不作为, 推诿, 收了钱, 态度恶劣 …).  A report that merely
mentions a worker ("网格员来看过了，还是漏水", "王网格员说让我找物业") names no conduct; a
question ("网格员管不管宅基地的事？") names none either; someone else's conduct told to a
worker ("网格员说隔壁在骂人") is passed on, not done by them.  One it misses is an ordinary
ticket: staff who read it can still take it over (/assign).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.config import Config
from bot.workflow import Role

# The desk's people as residents name them; a surname before a title is in the title's reach.
_PEOPLE = (
    r"网格员|网格长|网格管理员|(社区|村|村委|居委|街道|镇|乡|镇上|乡里)(会)?(的)?"
    r"(干部|书记|主任|工作人员|领导)|村官|村长|支书|书记|主任|工作人员|你们"
)
# What they did, as a complaint says it: neglect, passing the buck, rudeness, taking money,
# partiality, abuse.  Not "管不管" (a question) nor "不管" alone ("不管怎样").
_CONDUCT = (
    r"不作为|乱作为|(啥|什么|任何)(事)?(也|都)不管|都不管|不管不问|(根本|从来|压根|就是)(就)?不管|"
    r"推诿|推脱|扯皮|踢皮球|吃干饭|吃闲饭|敷衍|糊弄|不理(我|人|睬)|"
    r"态度(很|太|特别|非常|极其|极|十分)?(差|恶劣|蛮横|粗暴|不好|嚣张)|"
    r"吃拿卡要|索要|索贿|受贿|收(钱|红包|好处|礼)|收(了|过)[^，,。！？!?]{0,6}(钱|红包|好处|礼|烟酒)|"
    r"偏袒|包庇|拉偏架|处理不公|办事不公|不公正|"
    r"骂(人|我|俺|我们)|打(人|我|俺)|威胁|恐吓|刁难|欺压"
)
# Between the person and the deed: within the clause, and not someone else's words or deeds
# passed on ("网格员说…", "网格员让我…", "网格员帮…", "…他在打人"), nor done to them
# ("网格员被威胁了"), nor a call for help ("你们快来，楼上打人了").
_BETWEEN = r"[^，,。！？!?；;\n说讲让叫喊告诉通知问帮替劝他她被来去派快]{0,8}?"
_PATTERN = re.compile(rf"({_PEOPLE}){_BETWEEN}({_CONDUCT})")
# A worker's configured name shorter than this is left out: one character is in every text.
_SHORTEST_NAME = 2


def desk_names(config: Config) -> tuple[str, ...]:
    """The configured names of the desk's people (`[[people]]` with a name), whom a report
    may name instead of their title: "张伟收了他家的钱"."""
    return tuple(
        p.name for p in config.people
        if p.role is not Role.RESIDENT and len(p.name) >= _SHORTEST_NAME
    )


def is_about_the_desk(text: str, names: Iterable[str] = ()) -> bool:
    """Whether `text` complains of the conduct of the desk's own people (see the module)."""
    if _PATTERN.search(text):
        return True
    named = "|".join(re.escape(n) for n in names)
    if not named:
        return False
    return re.search(rf"({named}){_BETWEEN}({_CONDUCT})", text) is not None
