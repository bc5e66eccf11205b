"""People and money a dispute involves, read from a report and from a worker's correction."""

from __future__ import annotations

import pytest

from bot.involved import Involved, InvolvedError, chinese_number, parse_involved, read_involved


@pytest.mark.parametrize(
    ("text", "people", "amount"),
    [
        # People: a number, perhaps "about" and a measure word, then a person noun.
        ("三十多个农民工被拖欠工资", 30, None),
        ("十几个人在门口闹", 10, None),
        ("20余户村民的地被占了", 20, None),
        ("约300人聚集", 300, None),
        ("十来个人", 10, None),
        ("二十来户人家", 20, None),
        ("一个老人摔倒了", 1, None),
        ("我和老公两个人去的", 2, None),
        ("俩人打起来了", 2, None),
        ("两口子吵架", 2, None),
        ("一家三口被赶出来", 3, None),
        ("一家五口人没地方住", 5, None),
        ("三家人共用一个院子", 3, None),
        ("5户人家", 5, None),
        ("3家商户", 3, None),
        ("楼上两户吵架", 2, None),
        ("十一个人", 11, None),
        ("一百零五户", 105, None),
        ("人数三十人", 30, None),
        ("12名学生家长", 12, None),
        # A range counts its lower end, as "三十多" does.
        ("五六个人", 5, None),
        ("三四十人", 30, None),
        ("一两百人", 100, None),
        ("十七八个小孩", 17, None),
        # Money named by its unit.
        ("物业费一年2400元", None, 2400),
        ("欠款12,000元", None, 12000),
        ("损失1.5万元", None, 15000),
        ("共计3万多元", None, 30000),
        ("二十几万元的货款", None, 200000),
        ("一千二百万元的工程款", None, 12000000),
        ("两三万块", None, 20000),
        ("两万八块钱", None, 28000),
        ("欠我5千块钱", None, 5000),
        ("一天200块", None, 200),
        ("5000人民币", None, 5000),
        ("¥3,500.50", None, 3501),
        ("5块5毛", None, 5),
        ("5w块", None, 50000),
        ("3 万元", None, 30000),
        # 万 (and 千) with no unit, after a money word.
        ("欠我工资3万多", None, 30000),
        ("借了他五万一直没还", None, 50000),
        ("骗了我两万八", None, 28000),
        ("欠了十多万", None, 100000),
        ("赔偿款8万", None, 80000),
        ("医药费花了两千多", None, 2000),
        ("工资两千一个月", None, 2000),
        ("欠我3w", None, 30000),
        ("5万的货款", None, 50000),
        ("欠2万工人工资", None, 20000),
        ("欠我三万一直没还", None, 30000),
        ("在万达广场被骗了5万", None, 50000),
        # Both, in one report.
        ("拖欠37名农民工工资共计52.6万元", 37, 526000),
        ("涉及人数30人，金额5万元", 30, 50000),
        ("欠３０名工人工资５万元", 30, 50000),
        ("电话13812345678 有5户人家被骗了２万元", 5, 20000),
        ("2026年5月3日晚上10点，3栋502室的4户业主", 4, None),
    ],
)
def test_reads(text: str, people: int | None, amount: int | None) -> None:
    assert read_involved(text) == Involved(people, amount)


@pytest.mark.parametrize(
    "text",
    [
        # Addresses, durations, dates, times, ordinals and codes count nobody.
        "我家住3栋502室，漏水3个月了",
        "5楼的住户漏水",
        "3号楼2单元",
        "地被占了2亩",
        "拖了5年了",
        "等了3天",
        "2026年5月3日晚上10点",
        "二〇二六年",
        "第3户",
        "70岁老人",
        "2个多月",
        "3点半",
        "初二学生打架",
        "张三人很好",
        "3个村民小组",
        "2个业主群",
        "3人次",
        "每户3人",
        "老两口",
        # Phone, ID-card and account numbers, split or whole.
        "电话13812345678",
        "联系人13812345678元",
        "138 1234 5678元",
        "电话：138-1234-5678人",
        "身份证110101199001011234",
        "ＱＱ号１２３４５６７８９",
        # Vague counts.
        "几十个人围在那里",
        "好几十人",
        "上百人",
        "数十户",
        "三五个人",
        # No unit, or no money word before 万.
        "物业费一年2400",
        "借了他5000",
        "五十万",
        "两万八没还",
        "30 多人",
        # Not money: "in case", a brand, an area, steps, land, a price, a holiday, "together".
        "万一出事谁负责",
        "欠了钱万一跑了",
        "钱在万达广场丢了",
        "商场有3万平米",
        "租了3万平米的厂房",
        "讨工钱跑了一万步",
        "3块地",
        "我们一块去的",
        "5元/斤",
        "十一元旦都在加班",
        "家住三元里",
        "人均500元",
        "每个人500元",
        "3毛钱",
        "欠了一个亿",
        "几千块",
    ],
)
def test_refuses(text: str) -> None:
    assert read_involved(text) == Involved()


@pytest.mark.parametrize(
    ("text", "people", "amount"),
    [
        ("3户，其中一户5口人", 5, None),
        ("共12人，其中3名老人", 12, None),
        ("借了5万，还了2万，还欠3万", None, 50000),
        ("装修队拖欠20名工人工资，每人8000元，共计16万元", 20, 160000),
        ("先来了5个人，后来又来了三十多个村民，要回2000元押金和1.2万元房租", 30, 12000),
    ],
)
def test_the_largest_figure_wins(text: str, people: int | None, amount: int | None) -> None:
    assert read_involved(text) == Involved(people, amount)


def test_a_long_report() -> None:
    text = (
        "2026年5月3日晚上10点，幸福小区3栋502室的业主反映，楼上装修3个月了，一直漏水，"
        "物业费一年2400，交了也不管。同楼还有二十几户居民也受了影响，联系电话13812345678。"
    ) * 4 + "另外工地上还有30多名农民工的工资被拖欠，共计52.6万元，老板说万一资金到位就发。"
    assert read_involved(text) == Involved(30, 526000)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三十", 30),
        ("两千五", 2500),
        ("一万二", 12000),
        ("十二", 12),
        ("二十三", 23),
        ("一百零五", 105),
        ("一千零五十", 1050),
        ("二十万零五百", 200500),
        ("十万", 100000),
        ("一亿二", 120000000),
        ("壹万贰仟", 12000),
        ("3.5万", 35000),
        ("1.1万", 11000),
        ("3万5", 35000),
        ("2万5000", 25000),
        ("3千五", 3500),
        ("3w", 30000),
        ("1,200", 1200),
        ("1200", 1200),
        ("１２", 12),
        (" 30 ", 30),
        ("2.5", 2.5),
        ("两", 2),
        ("十", 10),
        ("零", 0),
        ("0", 0),
        ("半", None),
        ("", None),
        ("二零二六", None),
        ("五六", None),
        ("百", None),
        ("万", None),
        ("万一", None),
        ("3万2.5", None),
        ("三十多", None),
        ("人", None),
    ],
)
def test_chinese_number(text: str, value: int | float | None) -> None:
    assert chinese_number(text) == value
    assert type(chinese_number(text)) is type(value)


@pytest.mark.parametrize(
    ("words", "people", "amount"),
    [
        ("30人 5万元", 30, 50000),
        ("5万元 三十人", 30, 50000),
        ("30户,5万", 30, 50000),
        ("三十个人，2.5万元", 30, 25000),
        ("20名", 20, None),
        ("5位", 5, None),
        ("0人", 0, None),
        ("50000元", None, 50000),
        ("3000块", None, 3000),
        ("5千元", None, 5000),
        ("１２人　８千元", 12, 8000),
        ("  12.4元  ", None, 12),
        ("1,200元", None, 1200),  # a comma that groups digits is no separator
        ("30人,500元", 30, 500),
        ("30人，1,200元", 30, 1200),
        ("99999人 99999999999元", 99999, 99999999999),
        # As an English reader writes them, and as the bot writes money in English.
        ("30 people 50000 yuan", 30, 50000),
        ("¥125,000, 5 households", 5, 125000),
        ("RMB 3000, 12 workers", 12, 3000),
        ("1 person", 1, None),
    ],
)
def test_parse_involved(words: str, people: int | None, amount: int | None) -> None:
    assert parse_involved(words) == Involved(people, amount)


@pytest.mark.parametrize(
    ("words", "word"),
    [
        ("", ""),
        ("  ,  ", ""),
        ("30", "30"),
        ("30人 5千", "5千"),
        ("abc 5万", "abc"),
        ("30人 20户", "20户"),
        ("5万 3000元", "3000元"),
        ("30多人", "30多人"),
        ("2.5人", "2.5人"),
        ("人", "人"),
        ("半万元", "半万元"),
        # Past what a county's case can involve: a phone number typed in the wrong place.
        ("13812345678人", "13812345678人"),
        ("100000人", "100000人"),
        ("100000000000元", "100000000000元"),
        ("5000000000000000000元", "5000000000000000000元"),
    ],
)
def test_parse_involved_refuses(words: str, word: str) -> None:
    with pytest.raises(InvolvedError) as raised:
        parse_involved(words)
    assert raised.value.word == word
    assert isinstance(raised.value, ValueError)
