"""Classifier: taxonomy, text, rules, the shipped model, skops save/load, corpus, evaluation.

Deterministic (fixed seeds, shipped model) and fast: the only training is on small subsets.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from classifier import NOT_A_REPORT, Classification, load, load_default, runtime, shared_labels
from classifier import model as m
from classifier import rules as safety
from classifier.asking import asks_or_suggests
from classifier.baseline import KeywordBaseline
from classifier.corpus import (
    HELDOUT_FILES,
    TRAIN_FILES,
    TYPE_ONLY_FILES,
    URGENCY_ONLY_FILES,
    CorpusError,
    Example,
    heldout,
    parse,
    read,
    shipped,
    training_corpus,
    training_rows,
    write,
)
from classifier.corpus_gen import generate
from classifier.evaluate import evaluate, format_report
from classifier.runtime import IntakeClassifier
from classifier.taxonomy import (
    CHATTER_URGENCY,
    DISPUTE_TYPES,
    TYPES,
    URGENCIES,
    URGENCY_RANK,
    more_urgent,
    type_label,
)
from classifier.text import normalize, normalize_for_rules, tokenize

EXPECTED_TYPES = [
    "neighbour",
    "marriage_family",
    "land_homestead",
    "labour_wages",
    "property_management",
    "land_acquisition_demolition",
    "environment",
    "contract_debt",
    "traffic_accident",
    "medical",
    "consumer",
    "public_order",
    "other",
    "not_a_report",
]


@pytest.fixture(scope="module")
def shipped_model() -> IntakeClassifier:
    clf = load_default()
    assert isinstance(clf, IntakeClassifier)
    return clf


@pytest.fixture(scope="module")
def skops_model() -> IntakeClassifier:
    """The shipped model file loaded with skops: its scikit-learn pipeline, types pinned."""
    return m.load(runtime.default_model_path())


@pytest.fixture(scope="module")
def small_model() -> IntakeClassifier:
    """Trained on every 8th corpus row: enough for every class, a few seconds."""
    rows = training_corpus()[::8]
    return m.fit(rows, c=1.0)


# --- taxonomy ------------------------------------------------------------------------------


def test_taxonomy_codes_are_exact() -> None:
    assert list(TYPES) == EXPECTED_TYPES
    assert list(URGENCIES) == ["urgent", "high", "normal", "low"]
    assert dict(URGENCY_RANK) == {"urgent": 0, "high": 1, "normal": 2, "low": 3}
    assert NOT_A_REPORT not in DISPUTE_TYPES and len(DISPUTE_TYPES) == 13
    assert all(len(v) == 2 and v[0] and v[1] for v in TYPES.values())
    assert type_label("land_homestead") == "土地/宅基地/山林"
    assert type_label("unknown_code") == "unknown_code"
    assert more_urgent("normal", "urgent") == "urgent"
    assert more_urgent("high", "low") == "high"


# --- text ----------------------------------------------------------------------------------


def test_normalize_folds_width_phones_and_numbers() -> None:
    out = normalize("电话：138 1234 5678，欠薪３０００元ＡＢＣ")
    assert "138" not in out and "〔电话〕" in out
    assert "0元" in out and "abc" in out


def test_the_rules_text_keeps_emergency_numbers_and_only_them() -> None:
    """The rules must tell 打120 from 打8折; the model reads every number as 0, as trained."""
    text = "快打１２０！他欠我3000元，打了110也没用，拨打12345、打8折、3.5号楼"
    assert normalize(text) == "快打0!他欠我0元,打了0也没用,拨打0、打0折、0号楼"
    assert normalize_for_rules(text) == "快打120!他欠我0元,打了110也没用,拨打0、打0折、0号楼"
    assert normalize_for_rules("1200元、1120、120.5斤、13812345678") == "0元、0、0斤、〔电话〕"


def test_fast_nfkc_equals_unicodedata() -> None:
    """`nfkc` maps character by character; it must agree with the standard function on every
    corpus row and on the texts where per-character mapping alone would be wrong (combining
    marks that compose, Hangul jamo, ligatures)."""
    import random
    import unicodedata

    from classifier.text import nfkc

    rng = random.Random(7)
    tricky = ["Ｅ\u0301", "ｶﾞ", "\u1100\u1161\u11a8", "ﬁ", "①②", "㍻", "A\u030a", "e\u0301\u0323",
              "\u0323\u0301", "，。：！？（）【】", "ＡＢＣ１２３"]
    pool = "".join(tricky) + "网格员欠薪ａｂ１，。 \u0301\u0308\u3099ｶﾊ\u1100\u1161가"
    randoms = ["".join(rng.choice(pool) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    texts = [e.text for f in TRAIN_FILES for e in shipped(f)] + tricky + randoms
    wrong = [t for t in texts if nfkc(t) != unicodedata.normalize("NFKC", t)]
    assert wrong == []


def test_text_that_is_not_storable_text_is_classified() -> None:
    """A lone surrogate cannot be segmented or hashed (UTF-8 refuses it): `normalize` turns it
    into U+FFFD, so every str gets a classification; valid text comes back as it was."""
    from classifier.text import storable_text

    assert normalize("着火了\udcff快来") == normalize("着火了\ufffd快来")
    assert load_default().classify("着火了\udcff快来").urgency == "urgent"
    text = "楼上漏水，全是水"
    assert storable_text(text) is text and storable_text("ok") == "ok"
    assert storable_text("a\x00b") == "a\ufffdb" == normalize("A\x00B")
    assert storable_text("\ud83d\ude00") == "\ufffd\ufffd"  # a pair split apart: two halves


def test_fast_nfkc_table_stays_bounded() -> None:
    import unicodedata

    from classifier.text import _NFKC_BY_CHAR, nfkc

    flood = "".join(map(chr, range(0x4E00, 0x4E00 + 2 * _NFKC_BY_CHAR.LIMIT)))  # CJK and beyond
    assert nfkc(flood) == unicodedata.normalize("NFKC", flood)
    assert len(_NFKC_BY_CHAR) <= _NFKC_BY_CHAR.LIMIT


@pytest.mark.parametrize(
    ("text", "phones"),
    [("13812345678", 1), ("电话13812345678。", 1), ("138 1234 5678", 1), ("138-1234-5678", 1),
     ("913812345678", 0), ("1381234567890", 0), ("1 13812345678", 1), ("12812345678", 0),
     ("订单213812345678", 0), ("13812345678和13912345678", 2)],
)
def test_phone_numbers_need_eleven_digits_standing_alone(text: str, phones: int) -> None:
    assert normalize(text).count("〔电话〕") == phones


def test_user_dictionary_words_survive_segmentation() -> None:
    toks = tokenize(normalize("网格员你好，俺家宅基地被强拆了，讨薪也没结果"))
    for word in ("网格员", "宅基地", "强拆", "讨薪"):
        assert word in toks
        assert f"#{word}" in toks


# --- rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("他拿着菜刀在门口要砍人", "weapon"),
        ("两家人打起来了，头都打破了", "violence"),
        ("我不想活了", "suicidal_ideation"),
        ("有人一起死吗", "self_harm"),
        ("他说要放一把火烧了我家", "threat_to_kill"),
        ("催债的说明天不还就卸我一条腿", "threat_to_kill"),  # a threat to maim
        ("刚才有人打电话说今晚就带人来砸我家", "threat_to_kill"),  # a raid announced for a time
        ("水库好像决口了，水往村里灌", "collapse"),
        ("他喝多了又掐我脖子，我躲在厕所里", "violence"),
        ("路口有人被撞了，躺地上不动", "medical_emergency"),
        ("三楼着火了", "fire"),
        ("楼道里一股煤气味", "gas"),
        ("大水把配电箱淹了", "water_electricity"),
        ("楼上漏水流到俺家电表箱了", "water_electricity"),
        ("水顺着吊灯往下滴", "water_electricity"),
        ("插座在滴水", "water_electricity"),
        ("墙上的插座一直打火花", "water_electricity"),
        ("我家老人走丢了 有老年痴呆", "missing_person"),
        ("孩子突然不见了，到处都找了", "missing_person"),
        ("他把两桶汽油搬进了屋，说谁敢推房子就点", "extreme_act"),
        ("大不了一死，我把煤气罐拖到门口了", "extreme_act"),
        ("厂里锅炉爆炸了", "explosion_toxic"),
        ("氨气泄漏了", "explosion_toxic"),
        ("一股怪味，整栋楼的人都往外跑", "explosion_toxic"),
        ("几十个人围在村委会门口", "crowd"),
        ("老人晕倒了，快叫救护车", "medical_emergency"),
        ("讨债的把我关在屋里不让出门", "confinement"),
        ("停水三天了", "basic_needs_cut"),
        ("家里有老人，暖气不热", "vulnerable_people"),
        ("全村的人都受影响", "many_affected"),
        ("工地老板欠我们十几个人三个月工资没发", "many_affected"),
        ("一百多户业主的房产证办不下来", "many_affected"),
        ("他扬言要找人收拾我", "escalating"),
    ],
)
def test_each_rule_fires(text: str, rule: str) -> None:
    assert rule in safety.fired_rules(normalize_for_rules(text))


@pytest.mark.parametrize(
    "text",
    [
        "这是我最后一次跟大家说话了，对不起爸妈", "攒了一瓶安眠药",
        "我看新闻说有人跳楼，我也想跳楼", "工钱要不回来，我爬上塔吊了", "紫砂算了，今晚",
        "他喝了农药", "有人一起死吗",
        # a wish to die plus means, a time, a dangerous place or no contact: danger now
        "不想活了，药已经买好了", "活着好累，今晚就走",
        "我在河边坐了一晚上，不知道为什么还要活下去", "我弟说他想自杀，现在联系不上了",
        # a wish to die plus a settled decision or a preparatory act (C-SSRS)
        "不想活了，日子都定好了", "活着没意思，把猫送给隔壁了", "不想活了 银行卡密码写在本子上",
        # oblique means and threats (fifth round): no word of death at all
        "医生开的药我一粒都没吃，全攒着", "吃多少片安眠药能……", "有没有不疼的……你们懂的",
        "工钱再不给，我这条命就撂在他厂里", "他把鱼竿和摩托都送给了我，说以后用不着了",
        # seventh round: an overdose or a hanging point asked about, a suicide-pact group,
        # a farewell in net slang
        "这一盒药一次吞了会醒不来吗", "绳子系在房梁上能撑住吗",
        "谁有zs群 拉我", "说完这些我就永远下线了",
    ],
)
def test_self_harm_method_plan_or_act_fires(text: str) -> None:
    assert "self_harm" in safety.fired_rules(normalize_for_rules(text))


@pytest.mark.parametrize(
    "text",
    ["我不想活了", "活着没意思，想解脱", "我朋友说不想活了，怎么办", "撑不下去了，想结束这一切",
     "请问我想自杀怎么办", "紫砂算了", "以前想过跳楼，现在吃药治疗好多了",
     "以前想过自杀，现在想清楚了，好好过日子", "我走了大家都轻松", "我不在了以后爸妈也省心"],
)
def test_wish_to_die_without_method_or_plan_is_ideation(text: str) -> None:
    """Graded like C-SSRS: a wish without method, plan or intent is high, not urgent."""
    hits = safety.fired_rules(normalize_for_rules(text))
    assert "suicidal_ideation" in hits and "self_harm" not in hits
    assert safety.rule_urgency(hits) == "high"


@pytest.mark.parametrize(
    "text",
    [
        "热得想死", "累得想死，哈哈", "烂得要死", "想死你们了", "我不会自杀的",
        "新闻上说有人跳河了",
        "请问员工在单位跳楼，单位要承担责任吗", "不想活动", "最后一次提醒，明天交医保",
        "日子定好了，下个月十号结婚",
        # everyday uses the oblique cues must leave alone
        "降压药一天吃多少片才合适", "攒了一堆照片", "房梁挺结实的", "睡一觉就过去了，别想太多",
        "差点把命交代在路上",
        # ... and those of the seventh round's cues
        "止疼药和消炎药一起吃了能走路吗", "这款App已永久下线", "晾衣绳系在阳台栏杆上",
        "不疼的办法有吗？打针太疼了", "zs同学拉了个群", "想永远下线",  # a wish, not a farewell
        "我走了，你们慢慢吃",
    ],
)
def test_self_harm_cheap_context_does_not_fire(text: str) -> None:
    hits = safety.fired_rules(normalize_for_rules(text))
    assert "self_harm" not in hits and "suicidal_ideation" not in hits


def test_crisis_words_keep_a_message_out_of_chatter() -> None:
    assert safety.keeps_out_of_chatter(normalize_for_rules("好累，不想再撑了"))
    assert safety.keeps_out_of_chatter(normalize_for_rules("活着好没劲"))
    for chatter in ("热死了", "笑死我了哈哈哈", "想死你们了", "收到", "饿死了，开饭"):
        assert not safety.keeps_out_of_chatter(normalize_for_rules(chatter))


@pytest.mark.parametrize(
    "text",
    [
        "都解决了，我也该走了", "都安排好了，谢谢大家这些年的照顾", "以后不会再打扰你们了",
        "差不多都弄好了 下周就见不到了", "事情都处理好了，再见了各位", "你们别找我",
        "保险都弄好了，受益人写的我儿子", "墓地的钱交了", "不想再拖累家里",
        "大家保重 俺先走了 不回来了", "彩礼退不回来 婚也离了 以后不出现了",
        "机器人在吗 明天这个号就没人了", "这个群明天就没我了",
    ],
)
def test_a_farewell_with_finality_keeps_a_message_out_of_chatter(text: str) -> None:
    """Warning signs told in the calm words of chatter (and of the settled form): a worker reads
    them; they raise no urgency (the same words say goodbye before a trip)."""
    norm = normalize_for_rules(text)
    assert safety.keeps_out_of_chatter(norm)
    assert load_default().classify(text).type != NOT_A_REPORT


def test_someone_harmed_said_outright_keeps_a_message_out_of_chatter() -> None:
    """Thanks first, then a loss: "谢谢提醒防骗 可惜晚了 我爸昨天刚被骗了五万" was dropped."""
    assert safety.keeps_out_of_chatter(normalize_for_rules("可惜晚了 我爸昨天刚被骗了五万"))
    assert not safety.keeps_out_of_chatter(normalize_for_rules("我家老头子差点被骗，还好我拦住了"))
    filed = load_default().classify("谢谢提醒防骗 可惜晚了 我爸昨天刚被骗了五万")
    assert filed.type != NOT_A_REPORT


@pytest.mark.parametrize(
    "text",
    ["好了不打扰大家了，睡了", "都安排好了，放心", "谢谢大家帮忙找狗", "钥匙找到了，没事了",
     "工钱要不回来了"],
)
def test_a_goodbye_or_thanks_without_finality_is_still_chatter_to_the_guard(text: str) -> None:
    assert not safety.keeps_out_of_chatter(normalize_for_rules(text))


@pytest.mark.parametrize(
    "text",
    [
        "水电费在哪里交", "水龙头坏了，楼道灯也不亮", "去年我家孩子走丢过一次，吓死了",
        "寻狗：小黄狗昨天在菜市场走丢了", "汽油又涨价了", "村里在喷农药，味道大",
        "养猪场氨气熏人好几年了", "孩子的作业本找不到了", "我们跟物业拼了命地讲道理",
        "房价要跌了", "大坝上拍的照片真好看", "楼下超市快倒闭了",
        # fifteenth round: slang and hyperbole, a habit, a bite told to claim for it
        "娃考试考炸了", "爆炒腰花 香炸了", "把我气炸了", "这天热得人要晕过去了", "他家狗不咬人",
        "邻居家的狗上个月咬了我家孩子，能找他赔不",
        "倒车的时候把邻居的狗碾了", "火烛小心，出门记得熄火", "救命 好好笑 😂😂",
        "煤气罐没气了 哪里可以送气上门", "谁的车堵门口了 麻烦挪下", "后山有滑坡隐患",
        "他在打我电话一直打", "拉渣土的车天天在村里横冲直撞",
        "我们担心再下雨会发生滑坡", "违者后果自负", "他每天喝醉了倒在地上睡",
        "砖厂烟囱天天冒黑烟", "好像掉进了一口很深的井 怎么爬都爬不上去",
        # review at the round's end: pets, a queue, a removal, a game, a past fall
        "狗倒在客厅里睡着了", "楼下超市里面还有人排队出不去 太挤了", "电梯停在5楼 里面有人在搬家具",
        "我家狗咬住拖鞋不放 笑死", "我爸住院了 倒在卫生间被发现的 现在没事了",
    ],
)
def test_hazard_look_alikes_fire_no_rule(text: str) -> None:
    """The eleventh round's rules (electricity, missing people, extreme acts, explosions and
    toxic gas) need the danger itself, not its vocabulary: a bill, a pet, a past scare, a price,
    a chronic smell."""
    assert safety.fired_rules(normalize_for_rules(text)) == ()


@pytest.mark.parametrize(
    "text",
    [
        "咨询一下打架怎么处理",
        "请问被人打了轻伤怎么判",
        "两家吵了几句，没打起来",
        "检查过了，没有漏气",
    ],
)
def test_questions_and_negation_suppress_rules(text: str) -> None:
    hits = safety.fired_rules(normalize_for_rules(text))
    assert "violence" not in hits and "gas" not in hits


@pytest.mark.parametrize(
    "text",
    [
        "消防通道被堵了，万一着火消防车进不来",
        "楼道堆满杂物，存在火灾隐患",
        "门口堆柴火，还怕起火",
        "【转】预防学生溺水，暑假家长要看好孩子",
        "电动车在楼道里充电，以免发生火灾请大家推到外面",
    ],
)
def test_a_danger_named_as_a_possibility_is_not_urgent_by_rule(text: str) -> None:
    """Letters and notices name dangers that could happen; only a danger now is urgent."""
    assert safety.rule_urgency(safety.fired_rules(normalize_for_rules(text))) != "urgent"


@pytest.mark.parametrize(
    "text",
    [
        # a dated event in a letter, the date opening the sentence
        "尊敬的领导：今年3月12日，我在县城步行街被一名男子无故殴打，至今没有结果",
        "2024年7月，我在某民营医院做了手术，术后持续腹痛，要求医院赔偿",
        # what followed the emergency, in the same sentence
        "父亲被送到医院抢救无效去世，交警到现在也没给事故认定",
        "被对方打成轻伤，经鉴定为轻伤二级，派出所一直不立案",
        # bleeding as an illness, a plan disrupted, a hotline called again and again
        "我母亲因脑出血在医院住了十八天，收费明细不清",
        "培训机构跑路，孩子们的学习被打乱了",
        "我们多次拨打12345热线，问题还是没人管",
        # tools lying about, a blocked way for the ambulance, a habit of gathering to gamble
        "小区改造停工，到处是土堆和钢管",
        "门口停满了车，救护车、消防车根本进不来",
        "养鸡场里每天晚上都聚集着一伙人打牌赌钱",
        # what the law does about a past fight, asked
        "十七岁，打架把人打成轻伤，未成年会不会坐牢？",
        "两家打起来，一方用锄头把人打破了头，伤人的会拘留吗",
        # a past event, and "现在" only in a sentence far from it
        "去年冬天他摔倒在地上，晕倒了半天。后来一直吃药。儿女都在外地。现在想申请低保",
        # the cue words' other senses: a ride, a district, a record, heritage, grief, a chimney
        "游乐场的跳楼机有没有检验合格证",
        "小区紧挨着居民聚集区，噪音大",
        "希望打破行政界线统一规划",
        "非物质文化遗产的抢救需要资金",
        "看到这些我的心在流血",
        "砖厂烟囱浓烟滚滚，熏得人睁不开眼",
        "孩子们拿着水枪在院子里玩",
        "我再次拨打12345也没人管",
        # a number after 打 that is no emergency number: a discount, calls, jabs, a hotline
        "楼下超市打8折是骗人的",
        "物业电话打3次都没人接，楼道灯坏了一个月",
        "孩子打2针疫苗后一直发烧，诊所不认账",
        "拨打12345反映了好几次，工地还是半夜施工",
        # a kind of incident, a question of what the law does
        "考试规定导致学生之间斗殴事件增多",
        "孩子从楼上摔下来，物业有责任吗",
        # "almost", and a letter that recounts without a date
        "他骂得特别难听，我老公差点跟他打起来",
        "尊敬的领导：我村村民张某在城东一处工地干活时从脚手架上摔下，送医院抢救，前后花了八万多，"
        "一家人的积蓄都搭进去了。包工头只给了一万就不接电话，老板说不归他管，劳动监察大队说要先"
        "认定工伤，我们跑了三趟也没办下来。请领导帮我们讨个说法。",
    ],
)
def test_a_danger_that_is_over_is_not_urgent_by_rule(text: str) -> None:
    """Letters and legal questions retell dangers that are over; the urgent queue is for now."""
    assert safety.rule_urgency(safety.fired_rules(normalize_for_rules(text))) != "urgent"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("去年就打过我，今天他又拿着菜刀堵在门口", "weapon"),
        ("上周把我打到耳朵出血，他又追过来在门口闹", "violence"),
        ("他抄起砖头就往我头上砸", "weapon"),
        ("两家在地里吵起来了，锄头都举起来了", "weapon"),
        ("老人晕倒了，救护车进不来，快来人", "medical_emergency"),
        ("着火了消防车进不来", "fire"),
        ("快打120，他喘不上气了", "medical_emergency"),
        ("赶紧打１１９，对面厂房冒黑烟了", "medical_emergency"),
        ("邻居在楼道里拿刀乱挥，我们刚打了110", "weapon"),
        ("几十个人聚集在村委会门口", "crowd"),
        ("山墙裂了，现在往下掉砖头", "collapse"),
        ("他拿刀砍我，能报警吗", "weapon"),
        ("他拿着枪在村口", "weapon"),
        ("两人打起来了，头都打破了", "violence"),
        ("他上个月打过我几次，今天又动手打我", "violence"),
        # repeated threats are not history; a story that comes back to now; "后来" goes on
        ("他好几次拿刀吓唬我", "weapon"),
        ("多次持刀到我家门口叫骂", "weapon"),
        ("前天夜里有人放火烧我家柴垛，今晚又来了", "threat_to_kill"),
        ("老人晕倒在地上后来没动静了", "medical_emergency"),
        ("当时就晕倒了，一直没醒", "medical_emergency"),
        ("他去年把我打进医院，判了半年，刚放出来就拿刀来找我了", "weapon"),
        ("以前村里就着过火，这次火更大，烧到第三家了", "fire"),
        ("事后他一直没露面，刚刚又打电话说要杀了我全家", "threat_to_kill"),
        # a salutation on a short message is no letter
        ("尊敬的领导：我们村东头的老房子着火了", "fire"),
        ("尊敬的领导：我老公喝醉了拿着菜刀砸门，我躲在厕所里", "weapon"),
        # a plea for help sent as a letter
        ("尊敬的领导：从前天晚上开始，楼道里就一直有很浓的燃气味，燃气公司到现在没人来", "gas"),
        ("尊敬的领导：去年他就打过我，今天他又拿着菜刀在我家门口转", "weapon"),
        # a beating under way told with a bare 在 (the model alone filed the first 较急)
        ("帮帮忙！！！我老公喝醉了在家打我和孩子", "violence"),
        ("我老公在打我", "violence"),
        ("邻居在打他老婆，叫得很惨", "violence"),
        ("楼上在打孩子，哭得很厉害", "violence"),
    ],
)
def test_a_danger_happening_now_still_fires_beside_the_past(text: str, rule: str) -> None:
    assert rule in safety.fired_rules(normalize_for_rules(text))


@pytest.mark.parametrize(
    "text",
    [
        "在超市买的菜刀用了两天就卷刃了，能退吗",
        "老房子要推倒重建，补偿款怎么算",
        "我家钥匙锁在家里了，开锁师傅收费三百合理吗",
        "请邻居把狗关起来，天天在楼道乱跑",
        "开发商把我们关在售楼处外面不让进",
        "燃气灶火苗特别小，物业说不归他们管",
        "家里装了一氧化碳报警器，老是误报",
        "小区的漏电保护器老跳闸，电工来了也没修好",
        "电动车轮胎漏气了，门口修车铺乱收费",
        "我的个人信息泄漏了，天天接到推销电话",
        "单位把我的材料压着不办，已经三个月了",
        "老板压了两个月工资不发",
        "上次叫120收费太贵，想问问标准",
        "我家孩子在学校被困在这个问题上好久了",
        "新开的超市冲击了我们小商户的生意",
        "网购的奶粉导致孩子食物中毒，去年的事了，商家不认",
        "孩子发烧抽搐过一次，去年的事，现在想问疫苗补偿",
        "村里要砍我家门口的树，没给补偿",
        "他家想砍价，我不同意",
        "孩子们在楼下打架子鼓，太吵了",
        "鞭炮炸了一地纸屑没人扫",
        "隔壁家烧秸秆，浓烟呛人",
        "地里的庄稼被烧死了，化工厂的废气",
        "买的化肥是假的，苗全烧死了",
        "水果刀钝了 在哪磨",
        "对面工地晚上打桩打到一点 吵得脑袋要炸了",
        # from a probe written by a helper blind to the exclusions
        "电动车轮胎老是慢漏气，附近有补胎的吗",
        "工程款被总包压着半年不给，我们二十几个工人等着回家过年",
        "今年生意受冲击太大了，门面房租能不能缓一缓",
        "我家的鸡关在笼子里被邻居家狗咬死了三只，他死活不认账",
        "灶上的火苗一直是黄的，是不是燃气灶该换了",
        "厂里烟囱天天冒烟，晾的衣服全是黑点，能不能管管",
        "台风把我家院墙推倒了，人都没事，墙要重砌，能申请补助吗",
        "邻居在地里打药，药味飘到我家菜地，怕菜中毒",
        "我家门口那几棵杨树想砍了，需要去哪办采伐证",
        "过年放的鞭炮把我家车玻璃炸了个小坑，人没事",
        "俺爹痴呆了 好几次差点走丢 村里能不能给配个定位手环",
        "家里有老年痴呆的老人，万一走丢了该先报警还是先自己找",
        "把狗拴在树上了，还是天天叫",
        "晚上七点半广场有电影放映，大家带上凳子",
        "我妈走了一百天了 我还是会下意识拿起手机给她打电话",
        "保安用灭火器将火及时扑灭，没有人员受伤",
        "我家的树被他叫人砍了，还说是他家的",
        "楼下火锅店的辣味太冲了，整栋楼都跟着火了似的",
        "上午那个煤气泄漏燃气公司已经处理好了，阀门换了新的",
        "两派人越闹越僵，说要找人，我怕过几天真打起来",
        "去年邻居把我家的树砍了，当时没报警，现在还能追究吗",
        # 在打 of a call, a game, a jab or a lawsuit
        "他在打我电话一直不接", "我在家打游戏", "孩子在打疫苗", "他们在打牌", "我在打我们家的官司",
        "他在打她的主意", "我在打听他家的事", "小孩在打球",
    ],
)
def test_cue_words_in_everyday_senses_fire_no_urgent_rule(text: str) -> None:
    """A probe of everyday messages that use a cue's words (fourteenth round): a knife for sale,
    a house rebuilt, a dog shut in, a cooker's flame, a detector, a breaker, a tyre, leaked data,
    a file held up, a market hit, a poisoning that is over."""
    assert safety.rule_urgency(safety.fired_rules(normalize_for_rules(text))) != "urgent"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("他拿着菜刀在楼道里追人", "weapon"),
        ("菜刀都拿出来了，快来人", "weapon"),
        ("他把我推倒在地上还踢", "violence"),
        ("孩子被锁在家里，大人两天没回来了", "confinement"),
        ("他们把我关在屋里不让出门", "confinement"),
        ("厨房着火了，火苗窜得老高", "fire"),
        ("一氧化碳报警器响了，家里人头晕", "gas"),
        ("楼道里漏气了，一股味", "gas"),
        ("楼下配电箱漏电了，地上全是水", "water_electricity"),
        ("大货车侧翻了，路边还有人被压着", "medical_emergency"),
        ("电梯停了，有人被困在里面", "medical_emergency"),
        ("几十个人要冲击乡政府大门", "crowd"),
        ("地下室走廊灯泡进水炸了，电线还在冒火星", "water_electricity"),
        ("他扬言要砍你家人，刀都带来了", "weapon"),
        ("他要来砍人了", "weapon"),
        ("楼下两个人打架了，快来", "violence"),
        ("他说今晚要把你家炸了", "threat_to_kill"),
        ("烧垃圾引着了柴垛，着火了", "fire"),
        ("楼道里冒烟了，不知道哪家", "fire"),
        ("他说要烧死你全家", "threat_to_kill"),
        ("拎着一桶汽油堵在门口，说要点火烧死自己", "threat_to_kill"),
        ("他拿水果刀捅人了", "weapon"),
        ("拿着刚从集上买的水果刀要捅他亲爹", "weapon"),
        ("老板把几个讨工钱的工人锁在仓库里不让出来", "confinement"),
        ("我被他们锁在车里了，说不还钱就不放我走", "confinement"),
        ("拆迁队把围墙推倒了，砸到一个妇女，人还压在砖头底下", "medical_emergency"),
        ("有人拎着汽油桶说谁来拆就一起烧死在这", "threat_to_kill"),
        ("隔壁老刘又在打老婆了，在砸东西，娃在哭", "violence"),
        ("他正往我肚子上踹，我怀着孕", "violence"),
        ("我老公把我锁屋里往死里揍", "confinement"),
        ("养老院把俺娘绑在床上，手都勒紫了", "confinement"),
        ("我弟是智障，下午跑丢了，他不会过马路", "missing_person"),
        ("娃丢了，穿红衣服，五岁", "missing_person"),
        ("春游点名少了两个娃，到处找不着", "missing_person"),
        ("我妈刚做完手术自己跑出去了，到处找不着", "missing_person"),
        ("摊贩一下围了几十个，把执法车掀翻了", "crowd"),
        ("两个村的人对上了，有人开始扔石头", "violence"),
        ("暴雨过后泥水往村里冲，俺们这几户出不去了", "collapse"),
        ("物业经理和业主在大堂抄起灭火器互砸，保安拉不住", "violence"),
        ("男的现在把女的拽到阳台往外推，半个身子都出去了", "violence"),
        ("对方发语音说下午三点带人来把我们一家砍了", "threat_to_kill"),
        ("车间里一个女工的头发卷进机器了，人拉不出来", "medical_emergency"),
        ("孩子手卡在小区健身器材里了，小手都紫了", "medical_emergency"),
        ("下水道井里下去两个人清淤，半天没上来", "medical_emergency"),
        ("我爸中午睡下到现在叫不醒", "medical_emergency"),
        ("他说过几天就来砍我", "weapon"),
        ("我好怕，他拿着刀在楼道里转", "weapon"),
        ("两拨人吵起来了，越围越多，有人开始扔东西", "crowd"),
        ("堤坝渗水了", "collapse"),  # fifteenth round: a levee letting water through
        ("河堤管涌了，水往外冒", "collapse"),
        ("房子要塌了", "unsafe_structure"),  # fifteenth round: the model filed it low
        ("村口那座桥快塌了", "unsafe_structure"),
        # fifteenth round, from the short-message probe's misses
        ("有个小女孩被生人抱走了", "missing_person"),
        ("前夫上门砸门要抢娃", "missing_person"),
        ("电梯井灌水了还在跑", "water_electricity"),
        ("车冲进人堆了", "medical_emergency"),
        ("野狗群围着俩娃", "medical_emergency"),
        ("厂子排的水把娃熏晕了", "medical_emergency"),
        # a disaster night's group (a scripted typhoon): no rule fired on either
        ("村口围墙倒塌压到人了，快叫120", "medical_emergency"),
        ("倒了压了两个人", "medical_emergency"),
        ("他要晕过去了", "medical_emergency"),
        ("我不想活了 现在就跳", "self_harm"),
        # fifteenth round, from the dialect and typo probes' misses
        ("我阿妈喺街市行散咗，佢有老人痴呆", "missing_person"),
        ("我家小孩实踪了 一个多小时了", "missing_person"),
        ("个细路仔跌咗落河，冇人识游水", "medical_emergency"),
        ("阿爷喺厕所跌低，冇咗呼吸", "medical_emergency"),
        ("升降机卡住咗，入面有个大肚婆", "medical_emergency"),
        ("一家人吃了野菌子，吐得遭不住，倒起了", "medical_emergency"),
        ("三轮车把碎娃轧了，娃在地上不动", "medical_emergency"),
        ("有辆车撞了好几个人跑了", "medical_emergency"),
        ("架车冲上行人路，撞咗几个人", "medical_emergency"),
        ("山泥倾泻，几间屋畀泥冚住咗", "collapse"),
        ("沟里发洪水，一辆三轮让水冲跑了，人还在上头", "collapse"),
        ("河里发大水，漫到村里，俺娘还在家出不来", "collapse"),
        ("水浸到插苏位，屋企仲有细路", "water_electricity"),
        ("一班人喺村口围住，拎住铁通要开片", "violence"),
        ("我屋头那个又在捶我，娃儿吓得哭", "violence"),
        ("佢话要斩死我，而家喺楼下等我", "threat_to_kill"),
        ("楼下火烛呀，好大烟", "fire"),
        ("比特犬咬住别人家的小狗不松口 人也被咬了", "medical_emergency"),
        ("它死咬着我腿不放", "medical_emergency"),
        ("小区里一条大狼狗挣脱了链子 正在追着小孩咬", "medical_emergency"),
        ("隔壁老汉喝醉了在揍他家娃", "violence"),
        ("包工头带人捶讨薪的工人 人都倒了还不停手", "violence"),
        ("山上石头正往下滚 路边的房子里还住着人", "collapse"),
        ("孩子找不着快两个钟了", "missing_person"),
        # fifteenth round, from the formal-letter probe's misses
        ("我已经买好了一瓶农药放在身边，如果再没有答复，我就在村委会门口喝下去", "self_harm"),
        ("他给我发来短信，说对不起，照顾好孩子，随后手机关机", "self_harm"),
        ("我已在塔吊上，不解决就不下来", "self_harm"),
        ("要求我们在今晚十二点前转账五万元，否则后果自负", "threat_to_kill"),
        ("说今夜要带人烧了我家柴房", "threat_to_kill"),
        ("钢瓶阀门损坏，气体不断外泄", "gas"),
        ("十多名居民出现恶心、呕吐、眼睛刺痛等症状", "explosion_toxic"),
        ("今晨后山发生小规模滑坡，山上仍有泥土不断往下滑", "collapse"),
        ("整棵树斜压在我家房顶上，屋瓦不断被压碎", "collapse"),
        ("从门缝看到他倒在客厅里", "medical_emergency"),
        ("我家老人和两个孩子没来得及出来", "medical_emergency"),
        ("他强行把孩子抱上一辆面包车", "missing_person"),
        ("工人们围住厂门不让设备运走", "crowd"),
        # fifteenth round, from the second formal probe's misses
        ("上百名摊贩聚在市场办公楼前，双方正在对峙", "crowd"),
        ("三十多名村民将挖掘机横在省道上拦截过往车辆", "crowd"),
        ("持农药瓶闯入前妻娘家，扬言要毒死对方全家", "threat_to_kill"),
        ("把几桶汽油搬进了楼道，扬言下午五点前拿不到钱就点燃楼道", "extreme_act"),
        ("一辆运输液氨的罐车侧翻，罐体正在泄漏", "explosion_toxic"),
        ("剩下的墙体正往外倾斜", "collapse"),
        ("河水眼下已漫过堤顶", "collapse"),
        ("水库水位已超过警戒线，溢洪道出现渗漏", "collapse"),
        ("一名四岁男孩掉进了一口废弃机井", "medical_emergency"),
        ("老夫妻被压在瓦砾下，还能听到呼救声", "medical_emergency"),
        ("卷帘门落了下来，里面还有二十多名顾客和员工出不去", "medical_emergency"),
        ("孤寡老人陈某某昨晚外出未归", "missing_person"),
        ("女儿放学后没有回家，至今已过去三个小时仍无消息", "missing_person"),
    ],
)
def test_the_everyday_senses_leave_the_dangers_in_place(text: str, rule: str) -> None:
    assert rule in safety.fired_rules(normalize_for_rules(text))


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        # sixteenth round: the collapse rule's four near-twin "coming down" cues are two, one
        # told verb first, one thing first; each needs a word for now
        ("开始往下滚石头了", True),
        ("山墙裂了，现在往下掉砖头", True),
        ("石块还在往下滚", True),
        ("车库顶板的水泥块在往下掉 下面还有人在取车", True),
        ("山上仍有泥土不断往下滑", True),
        ("担心下雨石头往下掉", False),  # a worry, not a fall under way
        ("孩子们从土坡上往下滑着玩", False),  # children at play on a slope
        ("大沟组后坡又开始滑了，坡下住着6户人", True),
    ],
)
def test_earth_or_stones_coming_down_now(text: str, fires: bool) -> None:
    assert ("collapse" in safety.fired_rules(normalize_for_rules(text))) is fires


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # sixteenth round, from relayed reports: a person fallen in told without 进, and a fire
        # reaching the woods or a house
        ("河西村一个小孩掉水塘里了", "medical_emergency"),
        ("有人掉河里了 快来人", "medical_emergency"),
        ("后山有人在烧荒 火快烧到林子了", "fire"),
        # forty-second round: one drowning told three ways, which had fired no rule (urgent by
        # the model alone, no reason shown, and linked as one event to no other report of it)
        ("河里有人落水了，快来人", "medical_emergency"),
        ("湖边有小孩落水", "medical_emergency"),
        ("河边有个小孩掉下去了", "medical_emergency"),
        ("河水冲走了一个人", "medical_emergency"),
        ("井盖没了有人掉下去了", "medical_emergency"),
        ("西边水库有个孩子掉进去了", "medical_emergency"),
    ],
)
def test_relayed_dangers_fire_a_rule(text: str, rule: str) -> None:
    assert rule in safety.fired_rules(normalize_for_rules(text))


@pytest.mark.parametrize(
    "text",
    [
        "手机掉河里了",
        "孩子的手机掉水里了",
        "落水管堵了",  # a drain's downpipe
        "小区落水口被树叶堵了",
        "河边的护栏掉下去了",  # a thing by the water
        "水冲走了我家的鸡",
        "水库的闸门掉下去了",
        "井盖掉下去了",
        "去年有人落水，建议河边装护栏",  # told as history
        "孩子落水被救上来了，现在没事了",  # over
    ],
)
def test_a_thing_fallen_in_the_river_is_no_person(text: str) -> None:
    assert "medical_emergency" not in safety.fired_rules(normalize_for_rules(text))


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # seventeenth round: dangers in our files that only the model filed urgent, so a model
        # that learnt more small talk dropped them (docs/classifier-history.md §3)
        ("我男人喝了酒又动手，我躲在厕所里", "violence"),
        ("我老公又打我，他现在在门口撞门", "violence"),
        ("俺姐夫又在打俺姐了", "violence"),
        ("俺姐头上都是血，快叫人来", "medical_emergency"),
        ("被撞的人还躺在路上，车往镇上跑了", "medical_emergency"),
        ("老人晕到了 没反应", "medical_emergency"),
        ("有个娃儿掉水头了，大人正在捞", "medical_emergency"),
        ("我身上已经浇了汽油 打火机就攥在手里", "extreme_act"),
        ("整形医院门口 我身上绑着汽油瓶", "extreme_act"),
        ("我就在她家楼下 车里有两桶汽油", "extreme_act"),
        ("门口聚了一百多个工人讨薪，把路堵了", "crowd"),
        ("十几个亲戚都堵在医院大厅", "crowd"),
        ("有同学看见她跟一个不认识的男子走了", "missing_person"),
        ("我家闺女被陌生人带上车了", "missing_person"),
        ("一个小姑娘坐在大桥栏杆上哭", "self_harm"),
        # then from the blind probe of dangers in eight families (tests/data/danger_probe19.tsv),
        # once it had been scored
        ("隔壁女的一直喊别打了别打了，咣咣地往墙上撞", "violence"),
        ("与丈夫争吵后被丈夫推下楼梯，现双腿不能动", "violence"),
        ("做完胃镜到现在都醒不过来，脸色发紫", "medical_emergency"),
        ("一辆渣土车将一名骑电动车的女子卷入车底，女子仍被压在车下", "medical_emergency"),
        ("路中间躺着个骑车的，车子甩在一边", "medical_emergency"),
        ("一名男子倒卧在路中央，肇事车辆已逃逸", "medical_emergency"),
        ("一个男的抱着隔壁家两岁的娃上了一辆白色面包车", "missing_person"),
        ("陌生女人说是孩子姑姑，把小宝接走了", "missing_person"),
        ("有个小男孩一个人在湖边走，附近没看到家长", "missing_person"),
        ("殡仪馆门口聚了四五十个人，要抬着遗体去医院", "crowd"),
        ("半小时前喝下半瓶农药", "self_harm"),
        ("一名中年男子现坐于天台边缘，情绪激动", "self_harm"),
        ("广告牌被风吹得直晃，螺丝都掉了，下面全是买菜的人", "collapse"),
        ("岩体出现大面积裂缝并持续掉落碎石", "collapse"),
        ("一辆货车刹车失灵了，正在下坡往集市冲", "road_danger"),
        ("G4往北108公里附近有辆车逆行，开得飞快", "road_danger"),
        ("高速上有几头牛在跑", "road_danger"),
        ("有个喝醉的人开着车在小区里横冲直撞 已经撞了两辆", "road_danger"),
        ("紧急通知：3栋着火了 大家快下楼", "fire"),  # 紧急通知 is a notice, its event still fires
        # net slang for suicide (自s, zs) with a method asked for: a development row the
        # urgency-only danger file filed normal
        ("查了一晚上自s的方法", "self_harm"),
        ("求个zs的办法 别劝我了", "self_harm"),
        ("我想自s", "suicidal_ideation"),
    ],
)
def test_dangers_only_the_model_caught_fire_a_rule(text: str, rule: str) -> None:
    assert rule in safety.fired_rules(normalize_for_rules(text))


@pytest.mark.parametrize(
    "text",
    [
        "听说邻村有人泼汽油才多给了钱 真的假的",  # hearsay asked about
        "手上全是血 杀鱼杀的",
        "背着汽油桶去加油",
        "周末聚了几十个老同学吃饭",
        "广场上聚了一大群人跳广场舞",
        "过年聚了几十口人吃团年饭",
        "他去年喝了酒又动手打过我 现在已经离婚了",
        "小时候被打得满脸是血",
        "前年那次老公又打我 我报过警",
        "笑死，我家狗和隔壁猫打架，狗输了",
        "气得我想打人，物业费又涨了",
        "困死了，开会开得我都要晕倒了",
        "这天热得要着火了",
        "急救小知识：发现有人倒地无意识，先拍双肩呼叫，再拨打120",  # a tip: a notice now
        "新闻：邻县一煤矿发生透水事故，被困的五名矿工已全部获救",
        "昨晚楼道电瓶车起火，住户自己扑灭后物业才来",
        "被逆行的电动车撞倒，对方是个学生，他家长要负责吗",
        "高速逆行被罚了两百 冤不冤",
        "昨天那辆刹车失灵的车已经拖走了",
        "渣土车每天在路上横冲直撞",  # the letters' everyday complaint
        "去年我叔为了低保在村委会喝过农药，救过来了",
        "2024年4月周某上山放牛走失，次日被找到，现已平安",
        "紧急通知：明天上午8点至下午6点停水，请大家提前储水",
    ],
)
def test_their_look_alikes_fire_no_rule(text: str) -> None:
    assert not safety.fired_rules(normalize_for_rules(text))


@dataclass(frozen=True)
class DangerProbeFigures:
    """What a probe of dangers and look-alikes (kind `danger` / `lookalike`) comes to."""

    urgent: int
    below_high: int
    dropped: int
    by_rule: int
    lookalikes_urgent: int
    lookalikes_by_rule: int


def _danger_probe(
    model: IntakeClassifier, name: str, dangers_n: int, lookalikes_n: int
) -> DangerProbeFigures:
    rows = _probe(name)
    dangers = [text for text, _, _, kind in rows if kind == "danger"]
    lookalikes = [text for text, _, _, kind in rows if kind == "lookalike"]
    assert (len(dangers), len(lookalikes)) == (dangers_n, lookalikes_n)
    filed = model.classify_many(dangers)
    return DangerProbeFigures(
        urgent=sum(c.urgency == "urgent" for c in filed),
        below_high=sum(c.type == NOT_A_REPORT or c.urgency in ("normal", "low") for c in filed),
        dropped=sum(c.type == NOT_A_REPORT for c in filed),
        by_rule=sum(map(_rule_urgent, dangers)),
        lookalikes_urgent=sum(c.urgency == "urgent" for c in model.classify_many(lookalikes)),
        lookalikes_by_rule=sum(map(_rule_urgent, lookalikes)),
    )


def test_the_blind_probe_of_dangers_in_eight_families(shipped_model: IntakeClassifier) -> None:
    """260 messages by a helper who saw only the labelling guide (seventeenth round,
    docs/classifier-history.md §4): 160 dangers now, 20 in each of eight families (a beating, a
    threat with the means, a threat of self-harm in a dispute, someone missing or taken, someone
    unconscious or trapped, a crowd, a road danger, a physical hazard), and 100 look-alikes.  Scored
    blind at the round's start: 136 dangers urgent, 5 below "high", an urgent rule on 78;
    look-alikes 25 urgent, 20 of them by a rule.  With the round's first cues, written before the
    probe was seen: 138, 4, 82; 25, 20.  Read since; now 158, 0, 104; 18, 14."""
    got = _danger_probe(shipped_model, "danger_probe19.tsv", 160, 100)
    assert got.urgent >= 158 and got.below_high == 0 and got.by_rule >= 104
    assert got.lookalikes_urgent <= 18 and got.lookalikes_by_rule <= 14


def test_the_unread_probe_of_the_eight_families(shipped_model: IntakeClassifier) -> None:
    """240 messages by a third helper, blind to the rules, the model and the other probes, written
    at the seventeenth round's end (docs/classifier-history.md §4): 160 dangers now in the same
    eight families, half of them without the obvious words, and 80 look-alikes.  Scored at the
    round's start and at its end and never read, by anyone: 142 dangers urgent either way, 6 below
    "high" (3 dropped as chatter by the model's vote), an urgent rule on 90 → 95; look-alikes urgent
    24, by a rule 19 → 20.  The round's cues named more of these dangers but moved no decision on
    them.  Then the urgency-only danger file (`corpus.URGENCY_ONLY_FILES`), written after this
    probe by a helper who had the same list of families and had not seen it: 158 urgent, 2 below
    "high" (2 dropped), look-alikes urgent 24; a gain in the file's own register."""
    got = _danger_probe(shipped_model, "final_probe19.tsv", 160, 80)
    assert got.urgent >= 158 and got.below_high <= 2 and got.dropped <= 2 and got.by_rule >= 95
    assert got.lookalikes_urgent <= 24 and got.lookalikes_by_rule <= 20


def test_the_blind_self_harm_probe(shipped_model: IntakeClassifier) -> None:
    """260 messages by a helper who saw only the labelling guide (eighteenth round,
    docs/classifier-history.md §5): 110 threats of self-harm or of an extreme act now, in
    social-media posts, group messages and relayed words (15 against others); 54 `high` rows
    (a wish to die without a plan, a relative's worry; 4 of them cut-off heating or water); 96
    look-alikes (hyperbole, lyrics, news, a crisis that is over, questions, awareness notices and
    55 rows of chatter).  Scored blind with the shipped model: 109 of the 110 urgent, none below
    "high", an urgent rule on 49; every `high` row at least "high"; 37 look-alikes filed urgent, 13
    of them by a rule; 22 of the 55 chatter rows dropped.  Only the 13 look-alikes a rule fired on
    were read since (a filter they suggested cost sos1k three high-risk comments and was not
    kept); the danger rows were never read."""
    got = _danger_probe(shipped_model, "selfharm_probe20.tsv", 110, 96)
    assert got.urgent >= 109 and got.below_high == 0 and got.by_rule >= 49
    assert got.lookalikes_urgent <= 37 and got.lookalikes_by_rule <= 13
    rows = _probe("selfharm_probe20.tsv")
    worried = shipped_model.classify_many([text for text, _, _, kind in rows if kind == "distress"])
    assert len(worried) == 54
    assert all(c.type != NOT_A_REPORT and c.urgency in ("urgent", "high") for c in worried)
    chatter_rows = [text for text, type_, _, _ in rows if type_ == NOT_A_REPORT]
    dropped = shipped_model.classify_many(chatter_rows)
    assert len(chatter_rows) == 55 and sum(c.type == NOT_A_REPORT for c in dropped) >= 22


def test_the_blind_small_talk_probe(shipped_model: IntakeClassifier) -> None:
    """288 group messages by a helper who saw only the labelling guide (seventeenth round,
    docs/classifier-history.md §2, §3): 148 rows of everyday small talk (crops, weather, family,
    prices, meetings …; 12 trivial rows that also occur in the training files were taken out) and
    140 reports in the same register, 40 of them urgent.  Scored blind at the round's start: 96 of
    the small talk dropped, 39 filed *urgent* (the urgency head's weights on short everyday text); 1
    report dropped, every urgent one urgent.  The round's small-talk training file would drop 128
    and file 15 urgent, but puts dangers elsewhere below "high" (docs/classifier-history.md §3), so
    it was not adopted and these are still the figures."""
    rows = _probe("smalltalk_probe19.tsv")
    chatter_rows = [text for text, _, _, kind in rows if kind == "chatter"]
    reports = [(text, urgency) for text, _, urgency, kind in rows if kind == "report"]
    assert (len(chatter_rows), len(reports)) == (148, 140)
    small_talk = shipped_model.classify_many(chatter_rows)
    assert sum(c.type == NOT_A_REPORT for c in small_talk) >= 96
    assert sum(c.type != NOT_A_REPORT and c.urgency == "urgent" for c in small_talk) <= 39
    filed = shipped_model.classify_many([text for text, _ in reports])
    assert sum(c.type == NOT_A_REPORT for c in filed) <= 1
    urgent = [c for (_, urgency), c in zip(reports, filed, strict=True) if urgency == "urgent"]
    assert len(urgent) == 40 and all(c.urgency == "urgent" for c in urgent)


def _probe(name: str) -> list[list[str]]:
    """A probe file's rows (tests/data/`name`), header dropped, cells split on tabs."""
    path = Path(__file__).parent / "data" / name
    return [line.split("\t") for line in path.read_text("utf-8").splitlines()[1:]]


def _rule_urgent(text: str) -> bool:
    """An urgent safety rule fires on `text`."""
    return safety.rule_urgency(safety.fired_rules(normalize_for_rules(text))) == "urgent"


def test_the_blind_danger_probe() -> None:
    """150 messages written by a helper who saw neither the rules nor the data (fourteenth round,
    docs/classifier-history.md §4): every one of its 100 present dangers fires an urgent rule, and
    at most 9 of its 50 everyday messages do (27 at the round's start)."""
    rows = _probe("danger_probe14.tsv")
    level = {
        text: safety.rule_urgency(safety.fired_rules(normalize_for_rules(text)))
        for text, _ in rows
    }
    missed = [text for text, urgency in rows if urgency == "urgent" and level[text] != "urgent"]
    false_alarms = [t for t, urgency in rows if urgency != "urgent" and level[t] == "urgent"]
    assert len(rows) == 150 and missed == []
    assert len(false_alarms) <= 9, false_alarms


@pytest.mark.parametrize(
    ("name", "sizes", "caught", "look_alikes"),
    [
        # 150 present dangers of ten kinds described without the textbook words, 50 look-alikes
        # (62 caught by a rule at the round's start, 2 look-alikes)
        ("oblique_probe15.tsv", (150, 50), 78, 1),
        # a third writer, after the round's other changes: 120 dangers in four registers, 80
        # look-alikes; scored once blind (60 caught, 4 filed below "high", 10 look-alikes)
        ("blind_probe16.tsv", (120, 80), 72, 6),
    ],
)
def test_the_blind_probes_of_dangers_told_plainly(
    shipped_model: IntakeClassifier,
    name: str,
    sizes: tuple[int, int],
    caught: int,
    look_alikes: int,
) -> None:
    """Probes written by helpers blind to the rules (fourteenth round, docs/classifier-history.md
    §4): none of their dangers may be filed below "high", the rules must catch at least `caught` of
    them and fire on at most `look_alikes` of the rest."""
    rows = _probe(name)
    dangers = [text for text, urgency in rows if urgency == "urgent"]
    others = [text for text, urgency in rows if urgency != "urgent"]
    assert (len(dangers), len(others)) == sizes
    filed = shipped_model.classify_many(dangers)
    low = [t for t, c in zip(dangers, filed, strict=True) if c.urgency not in ("urgent", "high")]
    assert low == []

    assert sum(map(_rule_urgent, dangers)) >= caught
    assert sum(map(_rule_urgent, others)) <= look_alikes


def test_the_blind_farewell_probe(shipped_model: IntakeClassifier) -> None:
    """100 veiled farewells without a word of death and 100 everyday goodbyes, thanks and settled
    matters in the same words, written by a helper blind to the rules (fifteenth round,
    docs/classifier-history.md §2, §4): no farewell is dropped as chatter, at most one is filed
    below "high" (墓地的钱俺都交了 剩下的给娃: normal), two since the seventeenth round's
    urgency-only danger file (欠信用社的钱保险能赔 你们不用替我还: low), and the calm forms drop at
    least 38 of the look-alikes (32 before them)."""
    rows = _probe("farewell_probe17.tsv")
    farewells = [text for text, *_, kind in rows if kind == "risk"]
    others = [text for text, *_, kind in rows if kind == "lookalike"]
    assert (len(farewells), len(others)) == (100, 100)
    filed = shipped_model.classify_many(farewells)
    assert [t for t, c in zip(farewells, filed, strict=True) if c.type == NOT_A_REPORT] == []
    assert sum(c.urgency not in ("urgent", "high") for c in filed) <= 2
    assert sum(c.type == NOT_A_REPORT for c in shipped_model.classify_many(others)) >= 38


def test_the_short_message_probe(shipped_model: IntakeClassifier) -> None:
    """260 messages of 2-14 characters written by a helper blind to the rules and the model
    (fifteenth round, docs/classifier-history.md §4): 120 dangers, 40 pressing reports, 50 ordinary
    ones, 50 chatter rows.  Scored blind once: 3 dangers below "high" (2 dropped as chatter), 57
    caught by a rule, 3 chatter rows with an urgent rule.  Now: every danger urgent, at least 68 by
    a rule, and no chatter row fires an urgent rule."""
    rows = _probe("short_probe17.tsv")
    dangers = [text for text, *_, kind in rows if kind == "danger"]
    chatter = [text for text, *_, kind in rows if kind == "chatter"]
    assert (len(rows), len(dangers), len(chatter)) == (260, 120, 50)
    filed = shipped_model.classify_many(dangers)
    assert [t for t, c in zip(dangers, filed, strict=True) if c.urgency != "urgent"] == []

    assert sum(map(_rule_urgent, dangers)) >= 68
    assert [t for t in chatter if _rule_urgent(t)] == []


@pytest.mark.parametrize(
    ("name", "below_high", "caught"),
    [
        # 140 dangers in regional dialects written in characters (Sichuan, Northeast, Henan and
        # Shandong, Hunan, Cantonese, Minnan and Hakka, Shaanxi, Wu); scored blind once: 11
        # below "high" (8 dropped as chatter), 72 caught by a rule
        ("dialect_probe17.tsv", 0, 96),
        # 140 dangers typed badly (homophone typos, pinyin, abbreviations, traditional
        # characters); scored blind once: 1 dropped as chatter, 3 high, 67 caught by a rule (the
        # one dropped, all pinyin, is caught by the pinyin cues)
        ("typo_probe17.tsv", 0, 79),
    ],
)
def test_the_blind_probes_of_dialect_and_typos(
    shipped_model: IntakeClassifier, name: str, below_high: int, caught: int
) -> None:
    """Helpers blind to the rules and the model wrote 140 dangers and 60 look-alikes each (fifteenth
    round, docs/classifier-history.md §4); at most one look-alike may fire an urgent rule."""
    rows = _probe(name)
    dangers = [text for text, _, kind in rows if kind == "danger"]
    others = [text for text, _, kind in rows if kind == "lookalike"]
    assert (len(dangers), len(others)) == (140, 60)
    filed = shipped_model.classify_many(dangers)
    assert sum(c.urgency not in ("urgent", "high") or c.type == NOT_A_REPORT for c in filed) \
        <= below_high

    assert sum(map(_rule_urgent, dangers)) >= caught
    assert sum(map(_rule_urgent, others)) <= 1


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("my neighbour is beating his wife right now", "violence"),
        ("fire in building 3, help", "fire"),
        ("I smell gas in the stairwell", "gas"),
        ("a child is missing at the market", "missing_person"),
        ("I want to kill myself", "self_harm"),
        ("someone has a knife", "weapon"),
        ("xiao hai bu jian le", "missing_person"),
        ("jiuming kuai lai ren", "medical_emergency"),
        ("the lift is stuck with a kid inside!!", "medical_emergency"),
        ("Help!", "medical_emergency"),  # 救命 (the word alone, "help", asks for /help)
        ("somebody help me!!", "medical_emergency"),
    ],
)
def test_english_and_pinyin_reports_fire_the_same_rules(text: str, rule: str) -> None:
    """The model reads Chinese only; these cues are all an English or pinyin report has."""
    assert rule in safety.fired_rules(normalize_for_rules(text))
    filed = load_default().classify(text)
    assert filed.type != NOT_A_REPORT and filed.urgency == "urgent" and filed.needs_triage


@pytest.mark.parametrize(
    "text",
    [
        "fire drill tomorrow at 10", "I was fired from my job", "da jia hao", "good night all",
        "thanks for your help!", "help me understand the rules!",
    ],
)
def test_english_and_pinyin_look_alikes_fire_no_rule(text: str) -> None:
    assert safety.fired_rules(normalize_for_rules(text)) == ()


def test_text_the_model_cannot_read_is_filed_for_a_worker() -> None:
    """English or pinyin: never dropped as chatter (the model's vote on it is noise), filed
    `other` at "normal" for a worker to read; English courtesies and links stay chatter."""
    clf = load_default()
    deposit = clf.classify("the landlord has not returned my deposit")
    assert (deposit.type, deposit.urgency, deposit.needs_triage) == ("other", "normal", True)
    for chatter in ("hello everyone", "ok thanks", "good morning everyone",
                    "https://mp.weixin.qq.com/s/abc123", "lol"):
        assert clf.classify(chatter).type == NOT_A_REPORT, chatter


def test_the_blind_voice_probe(shipped_model: IntakeClassifier) -> None:
    """200 messages as WeChat turns an older speaker's voice into text, by a helper blind to the
    rules and the model (fifteenth round, docs/classifier-history.md §4): 120 dangers now, 40
    dangers told as over, 40 ordinary.  Scored blind once: every danger urgent, 60 by a rule; 9 of
    the over ones fired an urgent rule (5 once a space parts phrases in unpunctuated speech)."""
    rows = _probe("voice_probe17.tsv")
    dangers = [text for text, _, kind in rows if kind == "danger"]
    over = [text for text, _, kind in rows if kind == "past"]
    assert (len(dangers), len(over)) == (120, 40)
    assert all(c.urgency == "urgent" for c in shipped_model.classify_many(dangers))

    assert sum(map(_rule_urgent, dangers)) >= 60
    assert sum(map(_rule_urgent, over)) <= 5


def test_the_blind_probe_of_dangers_asked_as_questions(shipped_model: IntakeClassifier) -> None:
    """110 dangers happening now put as questions ("请问…找谁管", "…犯法吗"), 60 legal questions
    about dangers over or hypothetical, 30 standing hazards, by a helper blind to the rules and the
    model (fifteenth round, docs/classifier-history.md §4).  Scored blind once: 6 dangers below
    "high", 36 caught by a rule, 5 legal questions with an urgent rule.  Now: one below "high" (a
    drunk driver 横冲直撞, a cue that fired on letters about lorries), at least 50 by a rule."""
    rows = _probe("question_probe17.tsv")
    dangers = [text for text, _, kind in rows if kind == "danger"]
    legal = [text for text, _, kind in rows if kind == "legal"]
    assert (len(dangers), len(legal)) == (110, 60)
    filed = shipped_model.classify_many(dangers)
    assert sum(c.urgency not in ("urgent", "high") for c in filed) <= 1

    assert sum(map(_rule_urgent, dangers)) >= 50
    assert sum(map(_rule_urgent, legal)) <= 5


def test_the_blind_probe_of_formal_letters(shipped_model: IntakeClassifier) -> None:
    """75 formal letters whose history ends in a danger now ("截至发信时，对方仍手持铁锹守在我家
    门口", "恳请前往解救") and 75 about dangers over, by a helper blind to the rules and the model
    (fifteenth round, docs/classifier-history.md §4).  Scored blind once: 40 of the dangers urgent,
    20 normal; 11 letters about dangers over urgent.  Now: at least 66 urgent, at most 4 below
    "high", and no more letters about dangers over urgent by a rule."""
    rows = _probe("letter_probe17.tsv")
    dangers = [text for text, _, kind in rows if kind == "danger"]
    over = [text for text, _, kind in rows if kind == "over"]
    assert (len(dangers), len(over)) == (75, 75)
    filed = shipped_model.classify_many(dangers)
    assert sum(c.urgency == "urgent" for c in filed) >= 66
    assert sum(c.urgency not in ("urgent", "high") for c in filed) <= 4
    assert sum(map(_rule_urgent, over)) <= 11


def test_the_second_blind_probe_of_formal_registers(shipped_model: IntakeClassifier) -> None:
    """80 dangers and 80 dangers over in five formal registers (a petition, a 12345 work order, a
    grid worker's report, a careful public-account message, a village cadre's report), by a helper
    blind to the rules, the model and the first letter probe, written after its cues (fifteenth
    round, docs/classifier-history.md §4).  Scored blind once: 56 urgent, 11 below "high" (2 dropped
    as chatter), so the first probe's cues had carried over to one letter.  Now: at least 73 urgent,
    at most 3 below "high" (4 until the seventeenth round's cue for a child who went off with a
    stranger), none dropped, no more over ones urgent by a rule."""
    rows = _probe("formal_probe17.tsv")
    dangers = [text for text, _, kind in rows if kind == "danger"]
    over = [text for text, _, kind in rows if kind == "over"]
    assert (len(dangers), len(over)) == (80, 80)
    filed = shipped_model.classify_many(dangers)
    assert sum(c.urgency == "urgent" for c in filed) >= 73
    assert sum(c.urgency not in ("urgent", "high") for c in filed) <= 3
    assert not any(c.type == NOT_A_REPORT for c in filed)
    assert sum(map(_rule_urgent, over)) <= 7


def test_the_blind_probe_of_reports_dressed_as_chatter(
    shipped_model: IntakeClassifier,
) -> None:
    """180 chatter rows of many kinds and 120 reports that look like chatter, by a helper blind to
    the rules, the forms and the model (fifteenth round, docs/classifier-history.md §2).  Scored
    blind once with the round's starting code: 133 chatter rows dropped, 22 reports dropped, 13
    urgent or high reports below "high"; with the round's code before its fixes: 134, 13, 9.  Now:
    133 (the group question left the calm forms at the round's end, docs/classifier-history.md §2),
    at most 4 reports dropped (the model's own vote: a heating notice with a complaint, two roll
    calls of a complaint, a lift stuck again), at most 4 urgent or high reports below "high" (3
    until the seventeenth round's urgency-only danger file, which files a forwarded drowning tip
    with children in the pond now, "没大人管", normal)."""
    rows = _probe("chatter_probe17.tsv")
    chatter = [text for text, *_, kind in rows if kind == "chatter"]
    reports = [(text, urgency) for text, _, urgency, kind in rows if kind == "report"]
    assert (len(chatter), len(reports)) == (180, 120)
    assert sum(c.type == NOT_A_REPORT for c in shipped_model.classify_many(chatter)) >= 133
    filed = shipped_model.classify_many([text for text, _ in reports])
    assert sum(c.type == NOT_A_REPORT for c in filed) <= 4
    pressing = [c for (_, urgency), c in zip(reports, filed, strict=True)
                if urgency in ("urgent", "high")]
    assert sum(c.type == NOT_A_REPORT or c.urgency in ("normal", "low") for c in pressing) <= 4


def test_the_unread_mixed_probe(shipped_model: IntakeClassifier) -> None:
    """240 messages in every register (120 dangers, 60 ordinary, 60 chatter) by a helper blind to
    the rules, the model and the other probes, written at the round's end and scored, never read
    (fifteenth round, docs/classifier-history.md §4): a held-out measure of how far the round's cues
    carry.  The round's starting code: 9 dangers below "high" (5 dropped as chatter); at its end 7
    (2 dropped); with the seventeenth round's urgency-only danger file 4 (1 dropped)."""
    rows = _probe("mixed_probe17.tsv")
    dangers = [text for text, _, kind in rows if kind == "danger"]
    assert len(rows) == 240 and len(dangers) == 120
    filed = shipped_model.classify_many(dangers)
    assert sum(c.type == NOT_A_REPORT or c.urgency in ("normal", "low") for c in filed) <= 4
    assert sum(c.type == NOT_A_REPORT for c in filed) <= 1


def _reports_and_notices(
    model: IntakeClassifier, name: str
) -> tuple[list[tuple[str, Classification]], list[Classification]]:
    """A report/notice probe (sixteenth round) classified: (urgency label, filing) of each report,
    and the filing of each notice."""
    rows = _probe(name)
    reports = [(text, urgency) for text, _, urgency, kind in rows if kind == "report"]
    notices = [text for text, *_, kind in rows if kind == "notice"]
    assert (len(reports), len(notices)) == (60, 60)
    filed = model.classify_many([text for text, _ in reports])
    return (
        [(urgency, c) for (_, urgency), c in zip(reports, filed, strict=True)],
        model.classify_many(notices),
    )


def test_the_headline_probe(shipped_model: IntakeClassifier) -> None:
    """120 group messages that open with a headline (【防火】, 【防汛】, 【安全隐患】, 温馨提示：…)
    by a helper blind to the rules and the model (sixteenth round, docs/classifier-history.md §2):
    60 reports, 26 of them urgent, and 60 notices under the same headlines.  Scored once blind: 9
    reports dropped as chatter and 6 urgent ones below "high", because a topic headline made the
    whole message a notice whose cues the rules skip; 54 notices dropped.  Now (it has been read
    since): none dropped and none below "high"; 53 notices dropped, 52 with the seventeenth
    round's urgency-only danger file."""
    reports, notices = _reports_and_notices(shipped_model, "headline_probe18.tsv")
    assert not any(c.type == NOT_A_REPORT for _, c in reports)
    urgent = [c for urgency, c in reports if urgency == "urgent"]
    assert len(urgent) == 26 and all(c.urgency == "urgent" for c in urgent)
    assert sum(c.type == NOT_A_REPORT for c in notices) >= 52


def test_the_relayed_probe(shipped_model: IntakeClassifier) -> None:
    """120 group messages that relay something (转发：, 温馨提示：, 听说, 请大家注意 …) by a helper
    blind to the rules and the model (sixteenth round, docs/classifier-history.md §2): 60 relayed
    reports, 30 of them urgent, and 60 forwarded notices, tips and lessons from elsewhere.  Scored
    once blind at the round's start: 9 reports dropped, 6 urgent ones below "high", 41 notices
    dropped; with the round's notice reading (a cue in a notice is advice unless its clause tells an
    event): 8, 5, 39.  Read since; 5, 2, 40 at the sixteenth round's end, and 3, 0, 40 with the
    seventeenth round's cues for dangers only the model caught (a child 掉水头, a crowd of 一百多个
    工人, a victim 躺在路上)."""
    reports, notices = _reports_and_notices(shipped_model, "relayed_probe18.tsv")
    assert sum(c.type == NOT_A_REPORT for _, c in reports) <= 3
    urgent = [c for urgency, c in reports if urgency == "urgent"]
    assert len(urgent) == 30
    assert not any(c.type == NOT_A_REPORT or c.urgency in ("normal", "low") for c in urgent)
    assert sum(c.type == NOT_A_REPORT for c in notices) >= 40


def test_now_and_then_is_not_an_escalator() -> None:
    """"现在就跳" is intent now; "我现在就只想死" (a crisis row labelled high) is a wish."""
    assert "self_harm" in safety.fired_rules(normalize_for_rules("不想活了 现在就跳"))
    hits = safety.fired_rules(normalize_for_rules("被骗了二十八万，全是借来的，我现在就只想死"))
    assert "suicidal_ideation" in hits and "self_harm" not in hits


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("我好怕，他拿着刀在门口", "weapon"),
        ("小心！他拿刀了", "weapon"),
        ("如果再不来人他就要砍人了", "weapon"),
        ("闻到很大的煤气味 怎么办啊", "gas"),
        ("快来人，着火了", "fire"),
    ],
)
def test_fear_threats_and_cries_for_help_still_fire(text: str, rule: str) -> None:
    assert rule in safety.fired_rules(normalize_for_rules(text))


@pytest.mark.parametrize(
    "text",
    [
        "【燃气安全】闻到煤气味立即关阀开窗，到室外再打抢修电话，别开灯别打火",
        "【安全用电】雨天别在电线杆下避雨，看到电线断落千万别靠近",
        "温馨提示：冬季用煤炉取暖，睡前封好炉火，谨记开窗通风防一氧化碳中毒",
        "@所有人 【停水通知】明天9点到18点东风路沿线停水，请提前储水",
        "转发：发现火情请拨打119，不要乘坐电梯",
    ],
)
def test_a_forwarded_notice_fires_no_danger_rule(text: str) -> None:
    """Safety tips name every danger a rule knows; they are advice, not a report."""
    assert not safety.fired_rules(normalize_for_rules(text))


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("【紧急】3栋着火了", "fire"),
        ("【求助】楼道里一股煤气味", "gas"),
        ("转发：东风路现在着火了，大家快来帮忙", "fire"),
        ("刚看到【燃气安全】那条，我家厨房就闻到煤气味了", "gas"),
    ],
)
def test_a_notice_headline_does_not_hide_a_report(text: str, rule: str) -> None:
    """Only a notice's opening counts, and never with a call for help or something now."""
    assert rule in safety.fired_rules(normalize_for_rules(text))


@pytest.mark.parametrize(
    "text",
    ["楼上邻居天天半夜装修，电钻声吵得老人孩子睡不着", "工地打桩吵得人失眠", "油烟呛得人难受"],
)
def test_ordinary_nuisance_is_not_distress(text: str) -> None:
    """Sleepless because of noise is a neighbour/environment complaint, not a crisis."""
    assert "distress" not in safety.fired_rules(normalize_for_rules(text))


def test_question_about_something_happening_now_still_fires() -> None:
    assert "violence" in safety.fired_rules(normalize_for_rules("请问现在楼下有人打架怎么办，快来"))


def test_rule_urgency_takes_most_urgent() -> None:
    assert safety.rule_urgency(("basic_needs_cut", "weapon")) == "urgent"
    assert safety.rule_urgency(("basic_needs_cut",)) == "high"
    assert safety.rule_urgency(()) is None


def test_rules_only_raise_never_lower(
    shipped_model: IntakeClassifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [e.text for e in heldout()]
    with_rules = shipped_model.classify_many(texts)
    monkeypatch.setattr(safety, "fired_rules", lambda text: ())
    without = shipped_model.classify_many(texts)
    raised = 0
    for a, b in zip(with_rules, without, strict=True):
        assert URGENCY_RANK[a.urgency] <= URGENCY_RANK[b.urgency]
        raised += URGENCY_RANK[a.urgency] < URGENCY_RANK[b.urgency]
    assert raised > 0  # the rules do something on the held-out set


# --- the shipped model ---------------------------------------------------------------------


def test_shipped_model_is_a_skops_file_with_stored_members() -> None:
    """Load time is measured by bench/bench_classifier.py; here, what keeps it low: a skops
    zip whose arrays are stored, not deflated (README classifier §9)."""
    import zipfile

    path = runtime.default_model_path()
    assert path.suffix == ".skops"
    with zipfile.ZipFile(path) as archive:
        assert "schema.json" in archive.namelist()
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
    assert m.load(path).meta["features"] == "words+chars"


def test_classify_returns_taxonomy_codes(shipped_model: IntakeClassifier) -> None:
    c = shipped_model.classify("网格员你好，隔壁老王家盖房子占了我家宅基地半米，说了也不听")
    assert isinstance(c, Classification)
    assert c.type == "land_homestead"
    assert c.urgency in URGENCIES
    assert 0.0 <= c.type_confidence <= 1.0 and 0.0 <= c.urgency_confidence <= 1.0


@pytest.mark.parametrize("text", ["收到", "谢谢网格员", "大家早上好", "👍👍", "[图片]", ""])
def test_chatter_is_not_a_report(shipped_model: IntakeClassifier, text: str) -> None:
    c = shipped_model.classify(text)
    assert c.type == NOT_A_REPORT and c.urgency == "low" and not c.needs_triage


def test_weapon_message_is_urgent_and_records_rule(shipped_model: IntakeClassifier) -> None:
    c = shipped_model.classify("楼下两个人拿着菜刀在砍人，快来人")
    assert c.urgency == "urgent" and "weapon" in c.rules


def test_consultation_about_a_fight_is_not_urgent(shipped_model: IntakeClassifier) -> None:
    c = shipped_model.classify("咨询一下打架怎么处理")
    assert c.urgency == "low" and c.rules == ()


def test_self_harm_is_never_dropped_as_chatter(shipped_model: IntakeClassifier) -> None:
    for text in ("活着好累，今晚就走", "哈哈 我去跳楼了"):
        c = shipped_model.classify(text)
        assert c.type != NOT_A_REPORT and c.urgency == "urgent"
        assert "self_harm" in c.rules
    c = shipped_model.classify("不想活了")  # a wish, no method or plan: high, never normal
    assert c.type != NOT_A_REPORT and c.urgency in ("urgent", "high")
    assert "suicidal_ideation" in c.rules


def test_confident_chatter_is_not_made_urgent_by_its_tiny_report_mass(
    shipped_model: IntakeClassifier,
) -> None:
    """Both heads sure it is chatter: the renormalised urgency must not rescue it as urgent."""
    for text in ("笑死我了", "今天好冷啊", "热死了"):
        c = shipped_model.classify(text)
        assert c.type == NOT_A_REPORT and c.urgency == "low", c
    c = shipped_model.classify("好累，不想再撑了")  # crisis vocabulary: kept as a report
    assert c.type != NOT_A_REPORT


def test_rule_overrides_a_confident_chatter_call(shipped_model: IntakeClassifier) -> None:
    """Even if the model were sure it is chatter, a safety rule keeps it as a triaged report."""
    import numpy as np

    tclasses, uclasses = shipped_model.type_classes, shipped_model.urgency_classes
    tp = np.array([1.0 if c == NOT_A_REPORT else 0.0 for c in tclasses])
    up = np.array([1.0 if c == CHATTER_URGENCY else 0.0 for c in uclasses])
    c = shipped_model._decide("哈哈 不想活了", tp, up)
    assert c.type != NOT_A_REPORT and c.urgency == "high" and c.needs_triage
    c = shipped_model._decide("哈哈 我去跳楼了", tp, up)
    assert c.type != NOT_A_REPORT and c.urgency == "urgent" and c.needs_triage
    assert shipped_model._decide("哈哈 好的", tp, up).type == NOT_A_REPORT


def test_chatter_with_a_fifth_chance_of_danger_is_kept(shipped_model: IntakeClassifier) -> None:
    """Both heads vote chatter and no rule fires: the message is still kept as a report when
    the urgency head's unconditional P(urgent) reaches the "high" floor (0.20), the line below
    which nothing is filed ordinary; under it, chatter is dropped as before."""
    tclasses, uclasses = shipped_model.type_classes, shipped_model.urgency_classes
    tp = np.array([{NOT_A_REPORT: 0.6, "other": 0.4}.get(c, 0.0) for c in tclasses])

    def urgency(p_urgent: float) -> np.ndarray:
        shares = {CHATTER_URGENCY: 0.97 - p_urgent, "urgent": p_urgent, "low": 0.03}
        return np.array([shares.get(c, 0.0) for c in uclasses])

    kept = shipped_model._decide("哈哈 好的", tp, urgency(0.22))
    assert kept.type == "other" and kept.urgency == "urgent" and kept.needs_triage
    dropped = shipped_model._decide("哈哈 好的", tp, urgency(0.15))
    assert dropped.type == NOT_A_REPORT and dropped.urgency == "low"


def test_low_confidence_sets_needs_triage(shipped_model: IntakeClassifier) -> None:
    strict = IntakeClassifier(shipped_model.predictor, triage_threshold=1.01)
    assert strict.classify("小区停水了").needs_triage
    lax = IntakeClassifier(shipped_model.predictor, triage_threshold=0.0)
    assert not lax.classify("小区停水了").needs_triage


def test_batch_equals_single(shipped_model: IntakeClassifier) -> None:
    texts = ["收到", "", "老板欠了我三个月工资", "他拿刀了"]
    assert shipped_model.classify_many(texts) == [shipped_model.classify(t) for t in texts]


def test_runtime_prediction_equals_the_pipeline(
    shipped_model: IntakeClassifier, skops_model: IntakeClassifier
) -> None:
    """The bot reads the arrays from the file's runtime index and does the arithmetic with
    numpy (`classifier.runtime`); scikit-learn's `predict_proba` on the pipeline skops loads
    from the same file must give the same numbers, on every corpus row."""
    assert shipped_model.pipeline is None  # the bot's model: read without scikit-learn
    texts = [e.text for e in training_corpus()] + ["", "收到", "x" * 900, "  a  b\n\n c "]
    run_t, run_u = shipped_model.predict_raw(texts)
    ref_t, ref_u = skops_model.pipeline.predict_proba([t[: runtime.MODEL_CHARS] for t in texts])
    assert np.abs(run_t - ref_t).max() < 1e-5
    assert np.abs(run_u - ref_u).max() < 1e-5
    assert (run_t.argmax(axis=1) == np.asarray(ref_t).argmax(axis=1)).all()
    assert (run_u.argmax(axis=1) == np.asarray(ref_u).argmax(axis=1)).all()
    assert shipped_model.type_classes == skops_model.type_classes
    assert shipped_model.urgency_classes == skops_model.urgency_classes
    assert (shipped_model.type_temperature, shipped_model.urgency_temperature) == (
        skops_model.type_temperature, skops_model.urgency_temperature)
    # one message at a time (the bot's case) takes the same arithmetic as a batch
    for i in range(0, len(texts), 97):
        one_t, one_u = shipped_model.predict_raw([texts[i]])
        assert np.abs(one_t[0] - run_t[i]).max() < 1e-6
        assert np.abs(one_u[0] - run_u[i]).max() < 1e-6


def test_hashing_equals_scikit_learns() -> None:
    """`runtime.hash_columns` (mmh3) puts every n-gram in the column scikit-learn's
    HashingVectorizer does, including non-BMP characters and the -2**31 corner."""
    from sklearn.feature_extraction.text import HashingVectorizer

    grams = sorted({t[i:i + n] for e in training_corpus()[::5] for t in [e.text]
                    for n in (1, 2, 3) for i in range(len(t))})
    grams += ["😀", "𠮷野家", "a b", ""]
    for n_features in (2**16, 1000):
        hv = HashingVectorizer(analyzer=lambda x: [x], n_features=n_features,
                               alternate_sign=False, norm=None)
        expected = hv.transform(grams).indices
        assert (runtime.hash_columns(grams, n_features) == expected).all()
    # scikit-learn maps murmurhash's -2**31 to (2**31 - 1 - (n - 1)) % n; so does abs in int64
    assert all((2**31 - 1 - (n - 1)) % n == 2**31 % n for n in (2**16, 1000, 7))


def test_the_bot_classifies_without_scikit_learn() -> None:
    """Importing scikit-learn, scipy and skops was most of a cold start (README, Performance):
    the bot's own path (every module of `bot/`, the shipped model, a classification) must
    import none."""
    code = (
        "import sys, importlib, pkgutil, bot; "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(bot.__path__, 'bot.')]; "
        "from classifier import load_default; "
        "c = load_default().classify('他拿刀了，快来人'); assert c.urgency == 'urgent', c; "
        "heavy = sorted({n.split('.')[0] for n in sys.modules} & {'sklearn', 'scipy', 'skops'}); "
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_other_pipeline_shapes_take_the_ordinary_path() -> None:
    """A model `classifier.select` may build (naive Bayes here) is not compiled; it predicts
    with its own pipeline, and is saved without a runtime index (loaded with skops)."""
    rows = training_corpus()[::12]
    nb = m.fit(rows, kind="cnb")
    assert m.compile_pipeline(nb.pipeline) is None
    assert isinstance(nb.predictor, m.PipelinePredictor)
    texts = ["停水三天了", "收到"]
    probs = nb.pipeline.predict_proba(texts)
    raw_t, raw_u = nb.predict_raw(texts)
    assert np.allclose(raw_t, probs[0]) and np.allclose(raw_u, probs[1])


def test_as_json_has_the_cli_fields() -> None:
    c = Classification("medical", 0.9, "high", 0.8, ("fire",), False)
    assert c.as_json("文本") == {
        "text": "文本",
        "type": "medical",
        "type_confidence": 0.9,
        "urgency": "high",
        "urgency_confidence": 0.8,
        "rules": ["fire"],
        "needs_triage": False,
    }


# --- persistence ---------------------------------------------------------------------------


def test_save_load_roundtrip(small_model: IntakeClassifier, tmp_path: Path) -> None:
    """Both views of a saved file give the model that was saved: skops's (with the pipeline)
    and the runtime index the bot reads (`classifier.load`)."""
    path = tmp_path / "model.skops"
    m.save(small_model, path)
    texts = ["停水三天了", "收到", "我家的牛被偷了", "他拿刀了"]
    expected = small_model.classify_many(texts)
    assert m.load(path).classify_many(texts) == expected
    fast = load(path)
    assert isinstance(fast, IntakeClassifier) and fast.pipeline is None
    assert fast.classify_many(texts) == expected
    assert fast.meta == small_model.meta


def test_runtime_index_reuses_the_skops_arrays() -> None:
    """The index points at skops's own `.npy` members: the coefficients are not stored twice."""
    import json
    import zipfile

    with zipfile.ZipFile(runtime.default_model_path()) as archive:
        index = json.loads(archive.read(runtime.INDEX_MEMBER))
        named = [e["idf"] for e in index["extractors"]] + [
            h[k] for h in index["heads"] for k in ("coef", "intercept")]
        assert len(named) == 6 and set(named) <= set(archive.namelist())
        assert not [n for n in archive.namelist() if n.startswith("runtime/")]
        schema = archive.read("schema.json").decode()
        assert all(name in schema for name in named)  # skops's own members


def _rewrite(path: Path, out: Path, index: dict[str, object] | None) -> None:
    """Copy the model file at `path` to `out` with its runtime index replaced (None: dropped)."""
    import json
    import zipfile

    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != runtime.INDEX_MEMBER:
                dst.writestr(info, src.read(info))
        if index is not None:
            dst.writestr(runtime.INDEX_MEMBER, json.dumps(index))


def test_a_file_without_the_index_is_loaded_with_skops(
    small_model: IntakeClassifier, tmp_path: Path
) -> None:
    """A model saved before the index existed still loads (slower, through skops)."""
    m.save(small_model, tmp_path / "new.skops")
    _rewrite(tmp_path / "new.skops", tmp_path / "old.skops", None)
    assert runtime.read(tmp_path / "old.skops") is None
    old = load(tmp_path / "old.skops")
    assert isinstance(old, IntakeClassifier) and old.pipeline is not None
    assert old.classify("停水三天了") == small_model.classify("停水三天了")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda ix: ix.update(format=2), "format 2"),
        (lambda ix: ix["extractors"][0].update(analyzer="callable"), "unknown analyzer"),
        (lambda ix: ix["heads"][0]["classes"].pop(), "coefficients"),
        (lambda ix: ix["heads"][1].update(coef=ix["extractors"][0]["idf"]), "coefficients"),
        (lambda ix: ix["heads"].pop(), "2 heads|heads"),
        (lambda ix: ix["heads"][0].update(coef="no-such-member.npy"), "no-such-member"),
        (lambda ix: ix.pop("temperatures"), "temperatures"),
    ],
)
def test_a_damaged_index_is_refused_with_its_reason(
    small_model: IntakeClassifier, tmp_path: Path, damage: Any, message: str
) -> None:
    import json
    import zipfile

    m.save(small_model, tmp_path / "good.skops")
    with zipfile.ZipFile(tmp_path / "good.skops") as archive:
        index = json.loads(archive.read(runtime.INDEX_MEMBER))
    damage(index)
    _rewrite(tmp_path / "good.skops", tmp_path / "bad.skops", index)
    with pytest.raises(runtime.ModelFileError, match=message):
        load(tmp_path / "bad.skops")


def test_the_index_never_builds_objects(small_model: IntakeClassifier, tmp_path: Path) -> None:
    """An index pointing at an object array (which would need pickle) is refused, not built."""
    import io
    import json
    import zipfile

    m.save(small_model, tmp_path / "good.skops")
    with zipfile.ZipFile(tmp_path / "good.skops") as archive:
        index = json.loads(archive.read(runtime.INDEX_MEMBER))
    index["heads"][0]["intercept"] = "evil.npy"
    _rewrite(tmp_path / "good.skops", tmp_path / "evil.skops", index)
    buf = io.BytesIO()
    np.save(buf, np.array([print], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(tmp_path / "evil.skops", "a") as archive:
        archive.writestr("evil.npy", buf.getvalue())
    with pytest.raises(runtime.ModelFileError, match="pickle"):
        load(tmp_path / "evil.skops")


def test_save_replaces_atomically_and_keeps_permissions(
    small_model: IntakeClassifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "model.skops"
    path.write_bytes(b"the model in use")
    path.chmod(0o640)
    m.save(small_model, path)
    assert load(path).classify("收到").type in TYPES
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["model.skops"]  # no temporary file left

    def full_disk(obj: object, file: object, **kwargs: object) -> None:
        """Writes half a model, then the disk is full."""
        if isinstance(file, str | Path):
            Path(file).write_bytes(b"half a model")
        else:
            file.write(b"half a model")  # type: ignore[attr-defined]
        raise OSError("No space left on device")

    before = path.read_bytes()
    monkeypatch.setattr(m.sio, "dump", full_disk)
    with pytest.raises(OSError, match="No space"):
        m.save(small_model, path)
    assert path.read_bytes() == before  # a failed write leaves the old model
    assert [p.name for p in tmp_path.iterdir()] == ["model.skops"]


def test_load_refuses_untrusted_types(tmp_path: Path) -> None:
    import json

    import skops.io as sio
    from sklearn.preprocessing import FunctionTransformer

    path = tmp_path / "evil.skops"
    sio.dump({"pipeline": FunctionTransformer(func=json.loads), "meta": {}}, path)
    with pytest.raises(m.UntrustedModelError, match=r"json\.loads.*FunctionTransformer"):
        m.load(path)


@pytest.mark.parametrize(
    ("ratio", "expected"), [(0.0, "other"), (0.5, "labour_wages"), (0.8, "other")]
)
def test_other_wins_only_clearly(
    shipped_model: IntakeClassifier, ratio: float, expected: str
) -> None:
    """`other` (0.40) against labour_wages (0.30, i.e. 0.75 of it): the dispute type is taken
    when OTHER_RATIO <= 0.75; 0 keeps the plain argmax."""
    import dataclasses

    clf = dataclasses.replace(shipped_model, other_ratio=ratio)
    tclasses, uclasses = clf.type_classes, clf.urgency_classes
    tp = np.full(len(tclasses), 0.3 / (len(tclasses) - 2))
    tp[tclasses.index("other")], tp[tclasses.index("labour_wages")] = 0.40, 0.30
    up = np.array([0.7 if c == "normal" else 0.3 / (len(uclasses) - 1) for c in uclasses])
    c = clf._decide("这个事", tp, up)
    assert c.type == expected and not c.rules
    if expected != "other":
        assert c.needs_triage  # a dispute type taken over `other` is never a sure call here


def test_skops_is_imported_without_walking_every_estimator() -> None:
    """`classifier.skops_io` keeps skops from importing all of scikit-learn at start-up;
    sklearn.gaussian_process is one module only that walk imports.  The shipped model still
    loads, every scikit-learn type in it pinned in TRUSTED_TYPES."""
    code = (
        "import sys, classifier.model as m; "
        "assert 'sklearn.gaussian_process' not in sys.modules, 'walked'; "
        "m.load(m.runtime.default_model_path()); print('ok')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_no_pickle_or_joblib_in_classifier() -> None:
    for py in Path(m.__file__).parent.glob("*.py"):
        tree = ast.parse(py.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
                assert not any(n.split(".")[0] in {"pickle", "joblib", "dill"} for n in names), py


def test_train_model_with_corrections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(m, "LOGREG_C", 1.0)  # speed only: the plumbing is under test here
    base = [(e.text, e.type, e.urgency) for e in training_corpus()[::25] if e.type and e.urgency]
    extra = [("村头那个闸门漏水把我家地淹了", "land_homestead", "high")]
    out = tmp_path / "retrained.skops"
    report = m.train_model(base + extra, out, include_corpus=False)
    assert report.path == out and out.exists() and report.n_extra == len(base) + 1
    loaded = m.load(out)
    assert loaded.type_temperature != 1.0  # calibrated on the corrections
    assert loaded.classify("收到").type in TYPES


def test_train_model_rejects_unknown_labels(tmp_path: Path) -> None:
    with pytest.raises(CorpusError):
        m.train_model([("文本", "bogus", "high")], tmp_path / "x.skops", include_corpus=False)


# --- corpus --------------------------------------------------------------------------------


def test_corpus_has_enough_varied_examples_per_class() -> None:
    rows = training_corpus()
    by_type = Counter(e.type for e in rows if e.type)
    assert set(by_type) == set(TYPES)
    assert all(n >= 100 for n in by_type.values()), by_type
    by_urgency = Counter(e.urgency for e in rows if e.type and e.type != NOT_A_REPORT)
    assert all(by_urgency[u] >= 150 for u in URGENCIES), by_urgency
    assert len({e.text for e in rows}) == len(rows)  # no duplicates
    # A row without urgency teaches the type head only, a row without a type the urgency head
    # only: every shipped row carries both labels in its file (for reading and scoring), and
    # training drops the urgency of a type-only file and the type of an urgency-only one.
    for name in TRAIN_FILES:
        assert all(e.type and e.urgency for e in shipped(name)), name
        assert all(e.urgency for e in training_rows(name)) == (name not in TYPE_ONLY_FILES)
        assert all(e.type for e in training_rows(name)) == (name not in URGENCY_ONLY_FILES)
    assert len(shipped("handwritten.tsv")) >= 400


def test_every_heldout_file_is_disjoint_from_training() -> None:
    """A held-out row the model was trained on measures memory; four trivial heldout5 rows
    ("好", "[图片]" …) once were, because this test listed only the first four files."""
    train = {e.text.strip() for e in training_corpus()}
    for name in HELDOUT_FILES:
        assert not train & {e.text.strip() for e in shipped(name)}, name


def test_heldout_is_disjoint_from_training() -> None:
    train = {e.text for e in training_corpus()}
    # heldout3 is smaller: consultation questions, with fewer chatter and crisis rows.
    for name, chatter, urgent in (
        ("heldout.tsv", 25, 15), ("heldout2.tsv", 25, 15), ("heldout3.tsv", 15, 8),
        ("heldout4.tsv", 35, 30),
    ):
        rows = shipped(name)
        assert rows and not train & {e.text for e in rows}
        assert sum(e.type == NOT_A_REPORT for e in rows) >= chatter
        assert sum(e.urgency == "urgent" for e in rows) >= urgent


def test_generated_corpus_is_reproducible() -> None:
    assert generate() == generate()
    assert [(e.text, e.type, e.urgency) for e in shipped("generated.tsv")] == generate()


def test_parse_csv_tsv_and_partial_labels(tmp_path: Path) -> None:
    assert parse("text,type\n停水了,property_management\n") == [
        Example("停水了", "property_management", "")
    ]
    assert parse("text\turgency\n他拿刀了\turgent\n")[0].urgency == "urgent"
    with pytest.raises(CorpusError):
        parse("text,type\n停水了,water\n")
    with pytest.raises(CorpusError):
        parse("message,type\n停水了,other\n")
    path = tmp_path / "c.tsv"
    write([Example("a\tb", "other", "low")], path)
    assert read(path) == [Example("a b", "other", "low")]


# --- evaluation ----------------------------------------------------------------------------


def test_evaluate_reports_the_target_metrics(shipped_model: IntakeClassifier) -> None:
    rep = evaluate(shipped_model, heldout())
    t, u = rep["type"], rep["urgency"]
    assert {"macro_f1", "macro_f1_disputes", "per_class", "confusion", "not_a_report"} <= set(t)
    assert {"recall", "precision"} <= set(u["urgent"])
    assert len(t["confusion"]["matrix"]) == len(t["confusion"]["labels"])
    text = format_report(rep)
    assert "urgent recall" in text and "not_a_report precision" in text


class _Scripted:
    """Answers each text with a fixed classification, to test how predictions are counted."""

    def __init__(self, answers: dict[str, Classification]) -> None:
        self.answers = answers

    def classify(self, text: str) -> Classification:
        return self.answers[text]


def test_evaluate_counts_urgent_rows_filed_below_high() -> None:
    """Normal, low and dropped as chatter count; high and urgent do not; nor does a non-urgent
    row filed low."""
    answers = {
        "u-urgent": Classification("public_order", 0.9, "urgent", 0.9),
        "u-high": Classification("public_order", 0.9, "high", 0.9),
        "u-normal": Classification("public_order", 0.9, "normal", 0.9),
        "u-low": Classification("public_order", 0.9, "low", 0.9),
        "u-chatter": Classification(NOT_A_REPORT, 0.9, "low", 0.9),
        "n-low": Classification("neighbour", 0.9, "low", 0.9),
    }
    rows = [Example(t, "public_order", "urgent") for t in answers if t.startswith("u-")]
    rep = evaluate(_Scripted(answers), [*rows, Example("n-low", "neighbour", "normal")])
    assert rep["urgency"]["urgent_below_high"] == 3
    assert rep["urgency"]["urgent"]["tp"] == 1
    assert "3 urgent filed below high" in format_report(rep)


def test_model_beats_keyword_baseline_on_heldout(shipped_model: IntakeClassifier) -> None:
    model_f1 = evaluate(shipped_model, heldout())["type"]["macro_f1"]
    base_f1 = evaluate(KeywordBaseline(), heldout())["type"]["macro_f1"]
    assert model_f1 > base_f1 + 0.1


# --- shared-data evaluation script (on a tiny fake layout; the real data is not in CI) -----


def test_evaluate_shared_runs_on_the_documented_layout(tmp_path: Path) -> None:
    from classifier import evaluate_shared as es

    def put(rel: str, header: str, rows: list[str]) -> None:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")

    put("lawbench_2-4_consult_topic/consult_topic_dev.csv", "text,label,type",
        ["老公打我要离婚孩子归谁,婚姻家庭,marriage_family", "公司注册问题,公司法,",
         "被车撞了对方不赔,交通事故,traffic_accident"])
    put("teddy2020c/messages_dev.csv", "id,title,text,label",
        ["1,工厂排污,河里全是污水,环境保护", "2,拖欠工资,老板欠薪三个月,劳动和社会保障",
         "3,道路,小区旁道路破损,城乡建设"])
    put("sos1k_suicide_risk/suicide_risk_dev.csv", "text,label,high_risk,split",
        ["药已经买好了，今晚就走,8,1,test", "不想活了,4,1,test", "今天好累,1,0,test"])
    put("tw_suicide_risk3/suicide_risk3_dev.csv", "text,label",
        ["好想死,2", "今天天氣很好,0"])
    put("teddy2020c_attachment3_unlabelled/messages_unlabelled_dev.csv",
        "text,label,title,likes,dislikes,msg_id,time", ["物业不管事。电梯坏了,,t,0,0,1,x"])
    labels = tmp_path / "labels"
    labels.mkdir()
    law = ["老公打我要离婚孩子归谁", "公司注册问题", "被车撞了对方不赔"]
    (labels / "lawbench_dev.tsv").write_text(
        "\t".join(shared_labels.COLUMNS) + "\n" + "".join(
            f"{i}\t{shared_labels.text_key(t)}\t{a}\t{u}\ty\t{b}\t{u}\tn\n"
            for i, (t, a, b, u) in enumerate(zip(
                law, ["marriage_family", "other", "traffic_accident"],
                ["marriage_family", "other", "public_order"], ["high", "low", "low"],
                strict=True))
        ),
        encoding="utf-8",
    )
    res = es.run(tmp_path, within_cv=False, labels_dir=labels)
    # The plan is urgent; the wish without a plan is "high" (graded): not urgent, never normal.
    assert res["model"]["sos1k"]["recall"] == 0.5
    assert res["model"]["sos1k"]["high_risk_below_high"] == 0.0
    assert res["model"]["lawbench"]["unmapped_labels"] == ["公司法"]
    assert "| lawbench |" in es.markdown(res)
    # Our own labels: scored on the two rows both annotators gave the same type; the mapping
    # (two mapped rows) agrees with annotator A on both, with B on one.
    ours = res["model"]["lawbench"]["relabelled"]
    assert ours["agreed_rows"] == 2 and ours["agreed"]["n"] == 2
    assert ours["mapping"]["equals_a"] == 1.0 and ours["mapping"]["equals_b"] == 0.5
    assert ours["type"]["raw"] == pytest.approx(2 / 3)
    assert res["model"]["teddy2020c"]["relabelled"] is None  # no label file for it here
    # A label file for other texts is refused, not silently mis-scored.
    (labels / "teddy2020c_dev.tsv").write_text(
        "\t".join(shared_labels.COLUMNS) + "\n" + "".join(
            f"{i}\t{shared_labels.text_key('x')}\tother\tlow\ty\tother\tlow\ty\n"
            for i in range(3)
        ),
        encoding="utf-8",
    )
    with pytest.raises(shared_labels.LabelFileError, match="row 0 labels a different text"):
        es.run(tmp_path, within_cv=False, labels_dir=labels)


def test_shared_label_files_are_valid_and_hold_no_text() -> None:
    """Our labels of the shared dev texts: every code valid (`read` checks), rows in order,
    and nothing but labels and a 12-digit hash, so no evaluation text enters the project."""
    files = sorted(shared_labels.LABELS_DIR.glob("*.tsv"))
    assert [f.name for f in files] == ["lawbench_dev.tsv", "teddy2020c_dev.tsv"]
    for path in files:
        # `read` refuses a cell too many, a key that is not 12 hex digits, and any value
        # outside the taxonomy codes and y/n: nothing else fits in these files.
        rows = shared_labels.read(path)
        assert len(rows) > 200
        assert len(path.read_text(encoding="utf-8").splitlines()) == len(rows) + 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("row\ttext\n", "header must be"),
        ("\t".join(shared_labels.COLUMNS) + "\n0\t0123456789ab\tbogus\tlow\ty\tother\tlow\ty\n",
         "unknown type 'bogus'"),
        ("\t".join(shared_labels.COLUMNS) + "\n0\t0123456789ab\tother\tsoon\ty\tother\tlow\ty\n",
         "unknown urgency 'soon'"),
        ("\t".join(shared_labels.COLUMNS) + "\n1\t0123456789ab\tother\tlow\ty\tother\tlow\ty\n",
         "numbered 0, 1, 2"),
        ("\t".join(shared_labels.COLUMNS) + "\n0\t0123456789ab\tother\tlow\tyes\tother\tlow\ty\n",
         "sure_a must be y or n, got 'yes'"),
        ("\t".join(shared_labels.COLUMNS)
         + "\n0\t0123456789ab\tother\tlow\ty\tother\tlow\ty\t老板欠薪三个月\n",
         "8 tab-separated cells expected"),
        ("\t".join(shared_labels.COLUMNS) + "\n0\t0123456789ab\tother\tlow\ty\tother\tlow\n",
         "8 tab-separated cells expected"),
        ("\t".join(shared_labels.COLUMNS) + "\n0\t老板欠薪三个月\tother\tlow\ty\tother\tlow\ty\n",
         "text_key must be 12 lower-case hex digits"),
    ],
)
def test_shared_label_file_errors_name_the_problem(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "lawbench_dev.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(shared_labels.LabelFileError, match=message):
        shared_labels.read(path)


def test_model_reads_a_prefix_but_rules_read_everything(
    shipped_model: IntakeClassifier,
) -> None:
    """Long letters are cut for the model (latency) but never for the safety rules."""
    head = "各位领导好，我们小区物业长期不作为，" + "楼道卫生没人打扫，电梯经常坏，" * 60
    assert len(head) > runtime.MODEL_CHARS
    tail = "刚才物业的人拿着刀冲到我家门口了"
    letter = shipped_model.classify(head + tail)
    assert "weapon" in letter.rules and letter.urgency == "urgent"
    probs = shipped_model.predict_raw([head + tail])
    same = shipped_model.predict_raw([head[: runtime.MODEL_CHARS]])
    assert (probs[0] == same[0]).all() and (probs[1] == same[1]).all()


# --- type-only training rows ---------------------------------------------------------------


def _fit_without_and_with(
    monkeypatch: pytest.MonkeyPatch, extra: list[Example]
) -> tuple[IntakeClassifier, IntakeClassifier]:
    """Two small fits on every 30th fully labelled corpus row: as they are, and with `extra`
    added as hand-written rows (weight 2, calibrated on)."""
    monkeypatch.setattr(m, "N_FEATURES", 2**12)  # speed only: ~10x faster fits
    full = [r for r in zip(*m.corpus_with_weights(), strict=True)
            if r[0].type and r[0].urgency][::30]
    examples = [e for e, _, _ in full]
    weights, hand = [w for _, w, _ in full], [h for *_, h in full]
    base = m.fit(examples, weights, c=1.0, calibrate_on=hand)
    more = m.fit([*examples, *extra], [*weights, *[2.0] * len(extra)], c=1.0,
                 calibrate_on=[*hand, *[True] * len(extra)])
    assert isinstance(base.predictor, runtime.CompiledModel)
    assert isinstance(more.predictor, runtime.CompiledModel)
    return base, more


def _same_features_and_head(base: IntakeClassifier, more: IntakeClassifier, head: int) -> None:
    """The two models share their tf-idf weights and, bit for bit, head `head` (0 type, 1
    urgency) and that head's temperature."""
    assert isinstance(base.predictor, runtime.CompiledModel)
    assert isinstance(more.predictor, runtime.CompiledModel)
    b, n = base.predictor.heads[head], more.predictor.heads[head]
    assert np.array_equal(b.by_column, n.by_column) and np.array_equal(b.intercept, n.intercept)
    for b_block, n_block in zip(base.predictor.extractors, more.predictor.extractors,
                                strict=True):
        assert b_block.idf is not None and n_block.idf is not None
        assert np.array_equal(b_block.idf, n_block.idf)
    temperature = "type_temperature" if head == 0 else "urgency_temperature"
    assert getattr(base, temperature) == getattr(more, temperature)


def test_type_only_rows_teach_the_type_head_and_cannot_move_urgency(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A row with a type and no urgency trains the type head only, on features the full rows fitted:
    the urgency head, the tf-idf weights and the urgency temperature come out exactly as without
    it.  (The chatter gate also reads the type head, so a type-only row can still move a drop as
    chatter, docs/classifier-history.md §5; the urgency head's own figures cannot move.)"""
    taught = [
        "请问我弟弟因为打架被刑事拘留了，家属能申请取保候审吗",
        "老公因为帮人跑分被抓了，取保候审要交多少保证金",
        "儿子被派出所带走了，说是涉嫌诈骗，取保候审怎么办理",
        "亲戚因为赌博被拘留，家里人能去申请取保候审吗",
    ]
    extra = [Example(t, "public_order", "") for t in taught]
    base, more = _fit_without_and_with(monkeypatch, extra)
    _same_features_and_head(base, more, head=1)
    assert more.meta["n_type_only"] == "4" and "n_type_only" not in base.meta
    # ... while the type head learnt the rows: P(public_order) rises on each of them.
    col = more.type_classes.index("public_order")
    assert base.type_classes == more.type_classes
    before, after = base.predict_raw(taught)[0][:, col], more.predict_raw(taught)[0][:, col]
    assert (after > before).all(), (before, after)


def test_templated_rows_count_less_in_the_urgency_head_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Marking rows `templated` leaves the type head and the features exactly as they were and
    fits the urgency head as if those rows' weights were multiplied by
    `TEMPLATED_URGENCY_WEIGHT` (docs/classifier-history.md §3, tenth round)."""
    monkeypatch.setattr(m, "N_FEATURES", 2**12)  # speed only
    rows = [r for r in zip(*m.corpus_with_weights(), strict=True) if r[0].urgency][::30]
    examples = [e for e, _, _ in rows]
    weights, hand = [w for _, w, _ in rows], [h for *_, h in rows]
    assert any(hand) and not all(hand)
    plain = m.fit(examples, weights, c=1.0)
    marked = m.fit(examples, weights, c=1.0, templated=[not h for h in hand])
    scaled = [w if h else w * m.TEMPLATED_URGENCY_WEIGHT for w, h in zip(weights, hand,
                                                                            strict=True)]
    by_hand = m.fit(examples, scaled, c=1.0)

    def compiled(model: IntakeClassifier) -> runtime.CompiledModel:
        assert isinstance(model.predictor, runtime.CompiledModel)
        return model.predictor

    p_model, m_model, s_model = compiled(plain), compiled(marked), compiled(by_hand)
    assert np.array_equal(p_model.heads[0].by_column, m_model.heads[0].by_column)
    assert np.array_equal(m_model.heads[1].by_column, s_model.heads[1].by_column)
    assert not np.array_equal(p_model.heads[1].by_column, m_model.heads[1].by_column)
    for a, b in zip(p_model.extractors, m_model.extractors, strict=True):
        assert a.idf is not None and b.idf is not None and np.array_equal(a.idf, b.idf)
    assert marked.meta["templated_urgency_weight"] == str(m.TEMPLATED_URGENCY_WEIGHT)
    assert "templated_urgency_weight" not in plain.meta


def test_a_row_missing_one_label_trains_the_other_head(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A row with no urgency is a type-only row (it used to be skipped silently); a row with
    no type is an urgency-only row (it was skipped until the seventeenth round)."""
    monkeypatch.setattr(m, "N_FEATURES", 2**12)  # speed only
    rows = [e for e in m.corpus_with_weights()[0][::30] if e.type and e.urgency]
    with_blank = [*rows, Example("取保候审需要什么条件", "public_order", ""),
                  Example("他拿刀了", "", "urgent")]
    model = m.fit(with_blank, c=1.0)
    assert model.meta["n_examples"] == str(len(rows) + 2)
    assert (model.meta["n_type_only"], model.meta["n_urgency_only"]) == ("1", "1")


def test_urgency_only_rows_teach_the_urgency_head_and_cannot_move_types(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A row with an urgency and no type trains the urgency head only, on features the full
    rows fitted: the type head, the tf-idf weights and the type temperature come out exactly as
    without it.  Why (seventeenth round, `corpus.URGENCY_ONLY_FILES`): a file of dangers that as
    full rows found more of the gate's urgent rows cost lawbench 0.07 type macro-F1."""
    taught = ["他拎着汽油桶站在村委会门口", "娃掉进鱼塘了 一直没见上来", "隔壁喝醉了拿刀追他老婆",
              "高速上有个老人在走"]
    base, more = _fit_without_and_with(monkeypatch, [Example(t, "", "urgent") for t in taught])
    _same_features_and_head(base, more, head=0)
    assert more.meta["n_urgency_only"] == "4" and "n_urgency_only" not in base.meta
    # ... while the urgency head learnt the rows: P(urgent) rises on each of them.
    col = more.urgency_classes.index("urgent")
    before, after = base.predict_raw(taught)[1][:, col], more.predict_raw(taught)[1][:, col]
    assert (after > before).all(), (before, after)


def test_select_scores_urgency_only_on_rows_that_carry_it(
    small_model: IntakeClassifier,
) -> None:
    """CV scores type-only rows for their type only: an urgent call on a row with no urgency
    label is not a false alarm (it would have lowered urgent precision in `select`)."""
    from classifier import select

    texts = ["他拿着刀在楼道里砍人", "他拿着刀冲过来了，快报警", "请问物业费一年交多少"]
    tprobs, uprobs = small_model.predict_raw(texts)
    oof = select.OOF(texts, ["public_order", "public_order", "property_management"],
                     ["urgent", "", "low"], tprobs, uprobs, small_model, [(1.0, 1.0)] * 3)
    assert [c.urgency for c in select.decide(oof, 0.4, 0.3)][:2] == ["urgent", "urgent"]
    figures = select.summarise(oof, 0.4, 0.3)
    assert figures["urgent_recall"] == 1.0 and figures["urgent_precision"] == 1.0


def test_cv_folds_of_full_rows_do_not_move_when_type_only_rows_are_added() -> None:
    """`select` folds the type-only rows apart, so adding a type-only file leaves every full
    row in its fold, and the CV urgency figures comparable; every row is scored once."""
    from classifier import select

    full = [Example(f"full {i}", t, "low") for i, t in enumerate(["other", "consumer"] * 10)]
    only = [Example(f"only {i}", t, "") for i, t in enumerate(["other", "public_order"] * 5)]
    without = select._folds(full, len(full), 5)
    with_only = select._folds(full + only, len(full), 5)
    assert [set(f.tolist()) for f in without] == [
        {i for i in f.tolist() if i < len(full)} for f in with_only
    ]
    assert sorted(np.concatenate(with_only).tolist()) == list(range(len(full) + len(only)))
    assert all(any(i >= len(full) for i in f.tolist()) for f in with_only)


@pytest.mark.parametrize(
    "text",
    [
        "手写的遗嘱算数不",  # the spoken "…不" question
        "开个小卖部要办啥证",
        "请问离婚后孩子归谁",
        "物业费一年交多少合适？",
        "建议村口装个路灯",
        "邻居的树挡了我家光照，能不能让他砍掉",
        "修了没有",
    ],
)
def test_questions_and_suggestions_ask(text: str) -> None:
    assert asks_or_suggests(normalize_for_rules(text))


@pytest.mark.parametrize(
    "text",
    [
        "隔壁老王家的狗咬了我孙子，要他赔医药费他不认",
        "物业什么都不管",  # 什么 as "anything", not asking
        "打了好几次电话谁也不理",
        "前夫半年没给娃抚养费了",
        "说好的补偿款到现在也没有",
    ],
)
def test_statements_do_not_ask(text: str) -> None:
    assert not asks_or_suggests(normalize_for_rules(text))


def test_low_is_kept_for_questions_and_a_statement_is_at_least_normal(
    shipped_model: IntakeClassifier,
) -> None:
    """The urgency head called these plain complaints "low" (咨询/建议), the label of
    consultation questions, so they would wait behind the questions in the queue."""
    for text in ("隔壁老王家的狗咬了我孙子，要他赔医药费他不认，电话13912345678",
                 "前夫半年没给娃抚养费了"):
        assert shipped_model.predict_raw([text])[1].argmax() == list(
            shipped_model.urgency_classes
        ).index("low"), "the head's own call, which the floor corrects"
        assert shipped_model.classify(text).urgency == "normal", text
    for text in ("手写的遗嘱算数不", "开个小卖部要办啥证"):
        assert shipped_model.classify(text).urgency == "low", text
    # Chatter still reports "low" (chatter has no urgency).
    thanks = shipped_model.classify("谢谢大家")
    assert (thanks.type, thanks.urgency) == (NOT_A_REPORT, "low")


def test_a_phone_number_left_with_a_report_does_not_make_it_urgent(
    shipped_model: IntakeClassifier,
) -> None:
    """Residents leave a number to be called back.  The model read a number as " 〔电话〕 ",
    and the space around it carried urgent weight: "楼道灯坏了 13812345678" came out urgent,
    and a number after each of the held-out files' 2,661 non-urgent reports with no digits
    turned 77 more of them urgent (291 -> 368).  Since the nineteenth round the token is glued
    to the text, and the model retrained: 25 more (294 -> 319)."""
    reports = [
        e.text for e in heldout()
        if e.urgency in ("high", "normal", "low") and e.type != NOT_A_REPORT
        and not any(ch.isdigit() for ch in e.text)
    ]
    plain = sum(p.urgency == "urgent" for p in shipped_model.classify_many(reports))
    numbered = shipped_model.classify_many([f"{t} 13812345678" for t in reports])
    assert sum(p.urgency == "urgent" for p in numbered) - plain <= 30
    for text in (
        "楼道灯坏了 13812345678",
        "工地老板欠我们十几个人三个月工资没发，电话打不通了 13812345678",
    ):
        assert shipped_model.classify(text).urgency != "urgent", text



@pytest.mark.parametrize("text", ["儿子十几岁了还不懂事", "借了他一百多块钱", "十几个苹果烂了"])
def test_counts_that_are_not_people_are_not_many_affected(text: str) -> None:
    assert "many_affected" not in safety.fired_rules(normalize_for_rules(text))
