"""How many people and how much money a dispute involves (涉及人数, 涉及金额), for the ledger.

A county centre's ledger (矛盾纠纷台账) wants both for every case.  The bot reads them from the
report at intake, as a first guess a worker corrects later (`parse_involved` reads the
correction).  A wrong figure in the ledger is worse than an empty one, so a figure is read
only where the words say plainly what it counts: "30多个农民工" and "欠我工资3万多" are read;
"3栋502室", "3个月", a phone number, "几十个人", "万一" and "3万平米" are not.  Approximations
count their stated base ("三十多" 30, "五六个" 5), and the largest figure of each kind wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Full-width digits and signs, as Chinese input methods type them, made ASCII.
_WIDTH = str.maketrans("０１２３４５６７８９．ｗＷ", "0123456789.wW")
_WIDE = re.compile("[０-９．ｗＷ]")

_DIGITS = {
    **dict.fromkeys("零〇", 0), **dict.fromkeys("一壹", 1), **dict.fromkeys("二两贰貳兩", 2),
    **dict.fromkeys("三叁", 3), **dict.fromkeys("四肆", 4), **dict.fromkeys("五伍", 5),
    **dict.fromkeys("六陆陸", 6), **dict.fromkeys("七柒", 7), **dict.fromkeys("八捌", 8),
    **dict.fromkeys("九玖", 9),
}  # fmt: skip
_SMALL = {**dict.fromkeys("十拾", 10), **dict.fromkeys("百佰", 100), **dict.fromkeys("千仟", 1000)}
_BIG = {**dict.fromkeys("万萬wW", 10**4), **dict.fromkeys("亿億", 10**8)}
_ALONE = {"俩": 2, "仨": 3}  # never part of a longer numeral
_CN = "".join(_DIGITS)
_UNITS = "十拾百佰千仟万萬亿億"
_LARGE = frozenset("千仟万萬亿億")  # a numeral this large after a money word is money
_ABBREVIATED = frozenset("百佰千仟万萬亿億")  # a digit after one of these may abbreviate

# One numeral: an Arabic number (1,200 / 3.5) or a Chinese one, each may go on in the other's
# characters (3万5千, 两千5).  The lookbehinds keep a numeral from starting inside another
# one, a split phone number (138 1234 5678, 3-502), "第3", "几十", "人均500", or a name or
# school year (张三, 初二) that a person noun follows.
_RUN_CHAR = rf"(?:[\d{_CN}{_UNITS}]|,(?=\d{{3}}(?!\d))|\.(?=\d))"
_NUMERAL = re.compile(
    rf"(?=[\d{_CN}十俩仨])(?:(?<![\d.A-Za-z第均])(?<!\d,)(?<!\d[\s\-])\d{_RUN_CHAR}*"
    rf"|(?<![\d.{_CN}{_UNITS}第均张王李赵刘陈杨黄周吴孙郑初高大老期拜])"
    rf"(?:[{_CN}]{_RUN_CHAR}*|(?<![几数上好])十{_RUN_CHAR}*|[俩仨]))"
)
# After the numeral: "多/余/来/几" (about), then perhaps a scale the about sits inside of
# ("十多万", "二十几万", "3 万", "3w").
_SCALE = re.compile(r"([多余来几])?\s?([百千万亿萬億]|[wW](?![A-Za-z]))?")

_NOUNS = (
    "农民工|民工|工人|工友|职工|员工|师傅|村民|居民|业主|住户|租户|租客|房客|商户|摊贩|摊主|店主"
    "|农户|小学生|学生|同学|家长|老人家|老人|孩子|小孩|儿童|妇女|群众|邻居|亲戚|同事|乘客|顾客"
    "|客户|患者|病人|家庭|当事人|男子|女子|男的|女的|人家|人(?![民次均份])|户(?![口籍型主])"
)
# Persons or households: "30多名农民工", "十几个人", "5户", "三家人", "5口人", "两口子".  Not a
# group named after them: "3个村民小组", "2个业主群", "5个居民小区".
_PEOPLE = re.compile(rf"\s?(?:[个名位口家]?\s?(?:{_NOUNS})(?!小?[组区]|[委会楼群])|口子)")
# "一家三口": 口 counts persons only after 家.
_MOUTHS = re.compile(r"口(?![子罩岸味径气号头感井水碑音才袋])")
# Money named by its unit.  Not "元旦", "3块地", "3元/斤" (a price, not the sum at stake).
_MONEY = re.compile(
    r"\s?(?:(?P<yuan>元(?![旦宵素件老凶里])|圆|块钱|块(?![儿地田砖石板玻瓦牌表屏肉布蛋糖])"
    r"|人民币|(?i:rmb)(?![A-Za-z]))|(?P<cents>[毛角]))(?!\s?/)"
)
# 万 (or 千) with no unit is money after a money word: "欠我工资3万多", "骗了我两万八".
_MONEY_WORD = re.compile(
    r"(?:欠|借|赔|罚|骗|钱|款|费|资|金|薪|礼|租|损失|补偿|还钱|还款|没还|不还|还了|还我|还给|转了|转账|"
    r"转给|退钱|退款|退还|退了|退我|收了|收取|花了|付了|给了|交了|亏了|人民币)"
    r"[^\s\d，。、,.;；:：!！?？]{0,4}$"
)
_MONEY_AFTER = re.compile(
    r"的?(?:工资|工钱|货款|欠款|借款|押金|定金|订金|租金|房租|彩礼|医药费|钱)"
)
# ... but not an area, a distance, a count of things or people ("3万平米", "一万步", "1万人").
_NOT_MONEY = re.compile(r"平|亩|步|米|公里|字|人|户|[个名位口家次件套间台辆吨斤度头只条张本瓶]")
# A digit after 万/千/百 abbreviates (两万八 is 28000), unless it starts the next word:
# "三万一直没还", "两千一个月".
_STARTS_WORD = frozenset("个年月天日次号点岁周只件位名条间套本张把辆台头人户家口")
# What may follow a numeral that counts something: the rest is passed over at once.
_MAY_FOLLOW = frozenset("多余来几百千万亿萬億wW个名位口家元圆块人毛角rR") | {
    noun[0] for noun in _NOUNS.split("|")
}
_RANGE = re.compile(r"([一二两三四五六七八])([二两三四五六七八九])")
_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|.", re.S)
_ONE_DIGIT = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0}
_LONG_DIGITS = re.compile(r"\d{10}")  # a phone, ID-card or account number, never a figure
_MAX_PEOPLE = 100_000
_MAX_YUAN = 10**11


@dataclass(frozen=True)
class Involved:
    """What a case involves, as the ledger records it; None where the words did not say."""

    people: int | None = None  # persons (or households: 户 counts one each) named
    amount: int | None = None  # yuan, rounded to whole yuan


class InvolvedError(ValueError):
    """A word of a correction that is no figure; `.word` holds it (for the reply)."""

    def __init__(self, word: str) -> None:
        super().__init__(f"not a count of people or an amount: {word!r}")
        self.word = word


def chinese_number(text: str) -> int | float | None:
    """Value of a numeral written in Chinese or Arabic digits or mixed: "三十" 30, "两千五" 2500,
    "一万二" 12000, "十二" 12, "二十三" 23, "一百零五" 105, "3.5万" 35000, "1,200" 1200,
    "1200" 1200, "两" 2, "十" 10, "半" -> None; None when it is not a numeral."""
    return _numeral(text.translate(_WIDTH).strip())


def _numeral(text: str) -> int | float | None:
    # Digit strings ("二零二六", a year or a room) are codes, not quantities: None.
    if text in _ALONE:
        return _ALONE[text]
    if text in ("零", "〇"):
        return 0
    if not text:
        return None
    done = 0.0  # closed by 亿
    wan = 0.0  # closed by 万 since
    section = 0.0  # below 万 since
    pending: float | None = None  # a digit waiting for its unit
    unit = 0  # the last unit applied
    below = 10**4  # each unit of a section is below the one before
    zero = False  # 零 seen since the last unit: "一百零五" is 105, not 150
    for token in _TOKEN.findall(text):
        if token[0] in "0123456789":
            if pending is not None:
                return None
            pending = float(token.replace(",", ""))
        elif token in _DIGITS:
            if pending is not None:
                return None
            if _DIGITS[token] == 0:
                zero = True
                continue
            pending = _DIGITS[token]
        elif token in _SMALL:
            size = _SMALL[token]
            if size >= below or (pending is None and (size != 10 or section and not zero)):
                return None
            section += (1 if pending is None else pending) * size
            pending, unit, below, zero = None, size, size, False
        elif token in _BIG and (token not in "wW" or text[-1] == token):
            size = _BIG[token]
            part = section + (pending or 0)
            if not part or size == 10**4 and wan or size == 10**8 and done:
                return None
            if size == 10**4:
                wan = part * size
            else:
                done, wan = (wan + part) * size, 0.0
            section, pending, unit, below, zero = 0.0, None, size, 10**4, False
        else:
            return None
    if pending is not None:
        if unit >= 100 and not zero and pending in _ONE_DIGIT:
            pending *= unit // 10
        elif unit and (pending >= min(unit, below) or pending != int(pending)):
            return None
    value = round(done + wan + section + (pending or 0), 6)
    return int(value) if value == int(value) else value


def _approximate(run: str) -> int | float | None:
    """A range, "五六" (five or six) or "三四十": its lower end, as "三十多" counts 30."""
    match = _RANGE.search(run)
    if match is None or _DIGITS[match[2]] != _DIGITS[match[1]] + 1:
        return None
    return _numeral(run[: match.start()] + match[1] + run[match.end() :])


def read_involved(text: str) -> Involved:
    """From a report's text."""
    if _WIDE.search(text):
        text = text.translate(_WIDTH)
    people = amount = 0
    for match in _NUMERAL.finditer(text):
        found = _figure(text, *match.span())
        if found is not None and found[0]:
            people = max(people, found[1])
        elif found is not None:
            amount = max(amount, found[1])
    return Involved(people or None, amount or None)


def _figure(text: str, start: int, end: int) -> tuple[bool, int] | None:
    """(True, persons) or (False, yuan) when what follows the numeral at `start:end` (and,
    for 万 with no unit, what comes before it) says which it counts."""
    run, after = text[start:end], text[end : end + 1]
    if (
        len(run) > 1
        and run[-1] in _DIGITS
        and run[-2] in _ABBREVIATED
        and (after in _STARTS_WORD or run[-1] in "一二两" and "\u4e00" <= after <= "\u9fff")
    ):
        run, end, after = run[:-1], end - 1, run[-1]
    large = not _LARGE.isdisjoint(run)
    sign = text[start - 1 : start] in ("¥", "￥")
    if not (large or sign or after in _MAY_FOLLOW or after.isspace()):
        return None  # the common case: "2026年", "3栋", "一直"
    if _LONG_DIGITS.search(run) or "每" in text[max(0, start - 3) : start]:
        return None
    value = _numeral(run)
    if value is None:
        value = _approximate(run)
    if not value:
        return None
    scaled = _SCALE.match(text, end)
    assert scaled is not None  # every part of it is optional
    if scaled[2]:
        value *= _BIG.get(scaled[2]) or _SMALL[scaled[2]]
        large = True
    at = scaled.end()
    before_money = large and _MONEY_WORD.search(text, max(0, start - 12), start) is not None
    if (
        (_PEOPLE.match(text, at) or text[start - 1 : start] == "家" and _MOUTHS.match(text, at))
        and value == int(value)
        and value < _MAX_PEOPLE
        and not before_money  # "欠2万工人工资": the money, not 20000 workers
    ):
        return True, int(value)
    money = _MONEY.match(text, at)
    if money and not sign:
        if money["cents"] or money[0].strip() == "块" and run == "一":
            return None  # under a yuan; "一块" is "together" as often as one yuan
    elif not sign and (
        not large
        or _NOT_MONEY.match(text, at)
        or not (before_money or _MONEY_AFTER.match(text, at))
    ):
        return None
    yuan = int(value + 0.5)
    return (False, yuan) if 0 < yuan < _MAX_YUAN else None


# Words are split at spaces, 、 and ；, and at a comma unless it groups digits (1,200元).
_WORDS = re.compile(r"(?:[\s、;；]|(?<!\d)[,，]|[,，](?!\d{3}(?!\d)))+")
_PEOPLE_WORD = re.compile(r"(.+?)个?[人户名位]")
_AMOUNT_WORD = re.compile(r"(.+?)(?:元|圆|块钱|块)|(.+[万萬亿億wW])")


# The same figures as an English reader writes them (and as the bot writes money in English,
# ¥125,000): "30 people", "5 households", "50000 yuan", "¥50,000", "RMB 3000".
_EN_NUMBER = r"\d(?:\d|,(?=\d{3}))*(?:\.\d+)?"  # 50,000 and 2.5, not a list's comma
_EN_PEOPLE = re.compile(
    rf"({_EN_NUMBER})\s*(?:(households?|famil(?:y|ies))|people|persons?|workers?|residents?)\b",
    re.I,
)
_EN_MONEY = re.compile(
    rf"(?:[¥￥]|\b(?:rmb|cny)\s*)({_EN_NUMBER})|({_EN_NUMBER})\s*(?:yuan|rmb|cny)\b", re.I
)


def _from_english(words: str) -> str:
    """English counts and sums written with the Chinese units the parser reads."""
    words = _EN_PEOPLE.sub(lambda m: m[1] + ("户" if m[2] else "人"), words)
    return _EN_MONEY.sub(lambda m: (m[1] or m[2]) + "元", words)


def parse_involved(words: str) -> Involved:
    """A worker's correction: words separated by spaces/commas, each a count of people ("30人",
    "三十人", "20户", "30名") or an amount ("5万", "5万元", "50000元", "3000块", "2.5万元"), in
    either order, or in English ("30 people", "¥50,000", "50000 yuan").  Raises InvolvedError
    naming the first word that is neither (a bare "30" is either), or the second of one kind."""
    people: int | None = None
    amount: int | None = None
    split = [word for word in _WORDS.split(_from_english(words.translate(_WIDTH))) if word]
    if not split:
        raise InvolvedError("")
    for word in split:
        if match := _PEOPLE_WORD.fullmatch(word):
            value = _numeral(match[1])
            if people is not None or value is None or value != int(value):
                raise InvolvedError(word)
            if not 0 <= value < _MAX_PEOPLE:  # a phone number typed in the wrong place
                raise InvolvedError(word)
            people = int(value)
        elif match := _AMOUNT_WORD.fullmatch(word):
            value = _numeral(match[1] or match[2])
            if amount is not None or value is None or not 0 <= value < _MAX_YUAN:
                raise InvolvedError(word)
            amount = int(value + 0.5)
        else:
            raise InvolvedError(word)
    return Involved(people, amount)
