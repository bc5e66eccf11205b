"""A frail person's health at risk now, and water rising: the safety rules a demo found missing.

"我家老人发烧40度了" was dropped as chatter and "桥那边水漫上来了" was urgent by the model alone,
with no reason a worker could read.  These pin the rules that name them (`high_fever`,
`vulnerable_unreachable`, `flooding`, and `medical_emergency`'s new cues), their look-alikes,
and that the 40-degree message becomes a ticket with its rule recorded, on both engines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier import NOT_A_REPORT, load_default
from classifier import rules as safety
from classifier.text import normalize_for_rules
from tests.conftest import StoreFactory, harness_with, make_config


def fired(text: str) -> tuple[str, ...]:
    return safety.fired_rules(normalize_for_rules(text))


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # high: a child's or an old person's high fever
        ("我家老人发烧40度了", "high_fever"),
        ("孩子高烧不退", "high_fever"),
        ("老人发高烧39度8", "high_fever"),
        ("宝宝烧到40℃了", "high_fever"),
        ("我奶奶发烧三十九度", "high_fever"),
        ("孩子发烧3天不退", "high_fever"),
        # high: an old person nobody can reach for hours
        ("老人一天没吃饭联系不上", "vulnerable_unreachable"),
        ("独居老人两天没出门 敲门没人应", "vulnerable_unreachable"),
        ("独居老人好几天没出门 屋里一直没动静", "vulnerable_unreachable"),
        # urgent: danger to life now
        ("老人摔倒起不来", "medical_emergency"),
        ("老人在家摔倒了 爬不起来", "medical_emergency"),
        ("我妈突然没意识了", "medical_emergency"),
        ("孩子高热惊厥", "medical_emergency"),
        ("娃被果冻噎住了", "medical_emergency"),
        ("老人晕倒了", "medical_emergency"),
        ("孩子抽搐", "medical_emergency"),
        # urgent: water rising, reaching homes and people
        ("桥那边水漫上来了", "flooding"),
        ("水淹到一楼了", "flooding"),
        ("家里进水了 老人还在屋里", "flooding"),
        ("村口河水涨上来了 快淹到房子了", "flooding"),
        ("发大水了 村里都淹了", "flooding"),
        ("河水漫过桥了", "flooding"),
    ],
)
def test_the_new_cues_fire(text: str, rule: str) -> None:
    assert rule in fired(text)


@pytest.mark.parametrize(
    "text",
    [
        # denied, over, asked, an adult's, a fever with no temperature, in a letter
        "孩子没有高烧",
        "孩子没发烧",
        "孩子高烧已经退了",
        "咨询一下老人发烧怎么办",
        "咨询一下孩子高烧不退怎么办",
        "我发高烧40度老板还不让请假",
        "孩子发烧了",
        "孩子爱吃高热量的零食",
        "尊敬的领导：您好！今年2月，我8岁的儿子因腹痛到镇卫生院就诊，两天后孩子高烧不退，"
        "转到县医院才确诊为阑尾炎穿孔。卫生院至今不承认误诊。",
        # a family quarrel, not someone lying where they fell
        "我妈不接电话",
        "我爸一直联系不上 欠我的钱也不还",
        "我爸昨天去反映的 到现在没动静",
        "我妈昨天给物业打电话打不通",
        # not unconscious: "没意识到"; not choking: a retort
        "我爸没意识到问题严重",
        "被他一句话噎住了",
        # a question about a fall
        "请问老人摔倒了起不来怎么办",
    ],
)
def test_their_look_alikes_fire_no_health_rule(text: str) -> None:
    assert not {"high_fever", "vulnerable_unreachable", "medical_emergency"} & set(fired(text))


@pytest.mark.parametrize(
    "text",
    [
        # a leak in a flat, a ditch or a cesspit: a neighbour's or the property company's matter
        "楼上漏水",
        "楼上漏水 淹到我家了",
        "水管爆了 水淹到屋里了",
        "卫生间进水了",
        "手机进水了",
        "他家把排水沟封了，一下雨水全倒灌进我家院子",
        "小区的化粪池堵了，污水漫到路上",
        "脏水全冲到我家门口地坝",
        # denied, over, elsewhere
        "家里没进水",
        "水还没漫上来",
        "去年发大水淹到二楼",
        "南方那边发大水了，好多房子都淹了",
        # not a flood to wade in
        "路上积水漫过脚脖子",
    ],
)
def test_a_leak_at_home_or_a_flood_elsewhere_is_no_flooding(text: str) -> None:
    assert "flooding" not in fired(text)


def test_the_new_rules_levels() -> None:
    """A fit, a fall one cannot get up from and rising water are danger to life now; a fever
    or an old person out of reach is health at risk, for a worker soon."""
    assert safety.RULE_URGENCY["flooding"] == "urgent"
    assert safety.RULE_URGENCY["high_fever"] == "high"
    assert safety.RULE_URGENCY["vulnerable_unreachable"] == "high"
    model = load_default()
    fever = model.classify("我家老人发烧40度了")
    assert fever.type != NOT_A_REPORT and fever.urgency in ("high", "urgent")
    assert fever.rules == ("high_fever",) and fever.needs_triage
    water = model.classify("桥那边水漫上来了")
    assert water.urgency == "urgent" and water.rules == ("flooding",)


async def test_a_fever_of_forty_degrees_becomes_a_ticket_with_its_rule(
    db_path: Path, new_store: StoreFactory
) -> None:
    """The demo's message, through the whole pipeline with the shipped model: a ticket at
    least 较急, the rule recorded and shown to the desk, not held back as chatter."""
    async with harness_with(make_config(db_path), new_store(), classifier=load_default()) as h:
        sent = await h.say("resident1", "我家老人发烧40度了")
        [ack] = [m for m in sent if m.kind == "ack"]
        assert "#1" in ack.text
        [staff] = [m for m in sent if m.kind == "staff"]
        assert "老人/儿童高烧" in staff.text
        async with h.bot.store.read() as tx:
            ticket = await tx.ticket(1)
        assert ticket is not None
        assert ticket.rules == ("high_fever",)
        assert ticket.urgency in ("high", "urgent") and ticket.type != NOT_A_REPORT
        [unfiled] = await h.say("worker1", "/unfiled")
        assert "发烧" not in unfiled.text
