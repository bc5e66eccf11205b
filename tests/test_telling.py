"""classifier.telling: how a danger cue is told (the rules' own cases are in test_classifier)."""

from __future__ import annotations

import pytest

from classifier.telling import Telling, says_now
from classifier.text import normalize_for_rules


@pytest.mark.parametrize(
    ("text", "now"),
    [
        ("他现在还在门口", True),
        ("快报警，他拿着刀", True),
        ("刚才楼下打起来了", True),
        ("交警到现在也没给事故认定", False),  # a delay
        ("现在人没事了，想问问怎么赔", False),  # how things stand after it
        ("现在都没事了，对方要我们赔眼镜钱", False),
        ("孩子抽搐过一次，现在想问疫苗补偿", False),  # a question, not "now"
        ("当时报了警，派出所做了笔录", False),  # a police call told as history
        ("吓得我们赶紧拉了闸", False),  # a hurry back then
        ("他在一旁看着，还在一旁笑", False),  # 还在一旁: also beside
    ],
)
def test_says_now(text: str, now: bool) -> None:
    assert says_now(normalize_for_rules(text)) is now


def _cue(text: str, cue: str) -> tuple[Telling, int, int]:
    norm = normalize_for_rules(text)
    start = norm.index(cue)
    return Telling(norm), start, start + len(cue)


def test_a_letter_needs_its_length_and_an_opening() -> None:
    """Only a letter's urgent cues need a "now" or "going on" word near them; a short message
    with a salutation is a chat message."""
    body = "我村村民张某在城东一处工地干活时从脚手架上摔下，送医院抢救，前后花了八万多。"
    pad = (
        "包工头只给了一万就不接电话，老板说不归他管，"
        "劳动监察大队说要先认定工伤，跑了三趟也没办下来。"
    )
    letter, start, end = _cue("尊敬的领导：" + body + pad + pad, "抢救")
    assert letter.letter and letter.suppresses(start, end, urgent=True)
    assert not letter.suppresses(start, end, urgent=False)  # only urgent cues
    short, start, end = _cue("尊敬的领导：我们村东头的老房子着火了", "着火")
    assert not short.letter and not short.suppresses(start, end, urgent=True)
    unsigned, start, end = _cue(body + pad + pad, "抢救")  # long, but no letter's opening
    assert not unsigned.letter


@pytest.mark.parametrize(
    ("text", "consult"),
    [
        ("请问村口有人打架 找谁管", False),  # a scene now, asked what to do about
        ("咨询一下 我老公拿刀威胁我 我该怎么办", False),
        ("请问有人打架怎么处理", True),  # a general question: no place, no one
        ("请问被邻居打了怎么赔", True),
        ("咨询一下 我老公以前拿刀威胁过我 离婚能多分吗", True),
        ("请问有人正用砖头砸我家窗户 这个报110还是找村里", False),  # a harm under way
        ("请问 小区里一条大狼狗挣脱了链子 正在追着小孩咬 这个归谁管", False),
        ("咨询一下 村口几条野狗围着一个放学的娃 要打啥电话", False),
        ("请问一下 有人在我们小区垃圾站放火 这算不算违法", False),
        ("请问 有人在村里放火烧了我家草垛 人抓到了 纵火罪怎么判", True),  # over
    ],
)
def test_a_scene_now_asked_about_is_not_a_consultation(text: str, consult: bool) -> None:
    assert Telling(text).consult is consult


def test_a_consultation_is_suppressed_unless_something_happens_now() -> None:
    asked, start, end = _cue("咨询一下打架怎么处理", "打架")
    assert asked.consult and asked.suppresses(start, end, urgent=True)
    now, start, end = _cue("请问现在楼下有人打架怎么办，快来", "打架")
    assert not now.consult and not now.suppresses(start, end, urgent=True)
    # harm still under way: a question tacked on does not make it history
    bleeding, start, end = _cue("邻居拿铁锹把我爸打伤了，流了好多血，能要求赔偿吗", "打伤")
    assert not bleeding.consult and not bleeding.suppresses(start, end, urgent=True)
    burning, start, end = _cue("楼道着火了，物业要负什么责任", "着火")
    assert not burning.consult
    # ... but a forwarded safety tip stays advice
    tip, start, end = _cue("【燃气安全】闻到煤气味立即关阀开窗，着火了要拨打119", "着火")
    assert tip.notice and tip.suppresses(start, end, urgent=True)


@pytest.mark.parametrize(
    ("text", "cue", "suppressed"),
    [
        # sixteenth round: a notice's cue is advice unless its clause tells an event
        ("转发：河西村一个小孩掉水塘里了", "掉水塘", False),
        ("转发：5栋有人被困电梯，喊了半天没人应", "被困", False),
        ("【转发】二组老王说要拿刀去砍村支书", "拿刀", False),
        ("温馨提示：3组李大爷家的煤气罐漏气了，大家别靠近", "漏气", False),
        ("温馨提示：发现有人落水立即拨打110，不要盲目下水", "落水", True),
        ("【燃气安全】闻到煤气味立即关阀开窗", "煤气味", True),
        ("【防火提示】电线老化容易起火，请勿私拉电线", "起火", True),
        # ... and every cue of a lesson from elsewhere is told, not an event here
        ("转发：血的教训！！某地一男子把电瓶拎回家充电，半夜电瓶起火，浓烟封住了楼道", "起火",
         True),
        ("转发：老街菜场二楼饭馆后厨起火了，火很大，里面还有人", "起火", False),
    ],
)
def test_a_notice_cue_is_advice_unless_its_clause_tells_an_event(
    text: str, cue: str, suppressed: bool
) -> None:
    told, start, end = _cue(text, cue)
    assert told.notice and not told.consult
    assert told.suppresses(start, end, urgent=True) is suppressed


@pytest.mark.parametrize(
    ("text", "cue", "suppressed"),
    [
        ("今年3月12日，我在步行街被一名男子无故殴打，至今没有结果", "殴打", True),
        ("前天夜里有人放火烧我家柴垛，今晚又来了", "放火", False),  # back to now
        ("老人晕倒在地上后来没动静了", "晕倒", False),  # "后来" goes on
        ("父亲被送到医院抢救无效去世", "抢救", True),  # what followed it
        ("他差点跟人打起来", "打起来", True),  # almost
        ("万一着火消防车进不来", "着火", True),  # a possibility
        # fifteenth round: speech turned into text, phrases parted by spaces only
        ("去年厂里着火我手被烫伤了 算工伤吗 现在还能申请不", "着火", True),
        ("上个礼拜我们食堂那个食物中毒 大家都好了 就是老板要扣工资", "中毒", True),
        ("我那个孙子前天走丢了 后来在派出所找到了 监控为啥是坏的", "走丢", True),
        ("嗯 那个 楼下饭馆着火了 烟好大 现在还在烧", "着火", False),
        ("去年就打过一回 今天又打起来了 快来人", "打起来", False),
        # a dated story brought back to now by a plea for a rescue after the cue
        ("10月3日下午过山车停住，游客悬在半空已有四十分钟，请组织人员施救", "悬在半空", False),
    ],
)
def test_a_cue_told_over_possible_or_almost(text: str, cue: str, suppressed: bool) -> None:
    told, start, end = _cue(text, cue)
    assert told.suppresses(start, end, urgent=True) is suppressed
