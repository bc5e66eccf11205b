"""Keyword-matching baseline: what a desk would get from a list of words and Ctrl-F.

Why it exists: the evaluation table shows it next to the model so the model's value is visible.
It is deliberately simple and was written from the taxonomy alone (never tuned on any evaluation
set): the type with the most keyword hits wins; no hit means `other` for a message of ten or more
characters and `not_a_report` for anything shorter; urgency is `urgent` on an urgent keyword,
`low` on a question word, else `normal`.
"""

from __future__ import annotations

from classifier import Classification
from classifier.taxonomy import NOT_A_REPORT, OTHER

KEYWORDS: dict[str, tuple[str, ...]] = {
    "neighbour": ("邻居", "楼上", "楼下", "隔壁", "对门", "噪音", "漏水", "楼道", "占道"),
    "marriage_family": ("离婚", "老公", "老婆", "赡养", "抚养", "遗产", "继承", "家暴", "婆婆",
                        "儿媳", "彩礼", "结婚"),
    "land_homestead": ("宅基地", "承包地", "土地", "地界", "山林", "林地", "责任田", "确权"),
    "labour_wages": ("工资", "欠薪", "讨薪", "工钱", "老板", "工地", "工伤", "辞退", "劳动",
                     "社保"),
    "property_management": ("物业", "暖气", "供暖", "停水", "自来水", "电梯", "小区"),
    "land_acquisition_demolition": ("拆迁", "征地", "强拆", "安置", "征收", "补偿款"),
    "environment": ("污染", "排污", "臭", "噪音", "油烟", "垃圾", "污水", "粉尘", "环保"),
    "contract_debt": ("借钱", "欠钱", "借条", "欠条", "合同", "押金", "定金", "还钱", "担保", "债"),
    "traffic_accident": ("车祸", "撞", "交通事故", "交警", "追尾", "肇事"),
    "medical": ("医院", "医生", "手术", "诊所", "卫生院", "医疗", "看病", "打针"),
    "consumer": ("买的", "商家", "质量", "假货", "退货", "过期", "店里", "售后"),
    "public_order": ("赌博", "偷", "诈骗", "骗", "打架", "小偷", "传销", "报警"),
}
URGENT_WORDS = ("刀", "打人", "打架", "砍", "自杀", "跳楼", "着火", "火灾", "煤气", "救命", "死")
QUESTION_WORDS = ("请问", "咨询", "怎么办", "吗", "？", "?")


class KeywordBaseline:
    """Implements the `Classifier` protocol with keyword counts only."""

    def classify(self, text: str) -> Classification:
        scores = {t: sum(text.count(k) for k in kws) for t, kws in KEYWORDS.items()}
        best = max(scores, key=lambda t: scores[t])
        fallback = OTHER if len(text.strip()) >= 10 else NOT_A_REPORT
        type_ = best if scores[best] else fallback
        if any(w in text for w in URGENT_WORDS):
            urgency = "urgent"
        elif any(w in text for w in QUESTION_WORDS):
            urgency = "low"
        else:
            urgency = "normal"
        return Classification(type_, 1.0, urgency, 1.0, (), False)
