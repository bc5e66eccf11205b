"""Score the shipped model and the keyword baseline on the public data in `../shared/data`.

Usage: `python -m classifier.evaluate_shared --shared ../shared/data [--json FILE]`

That data is for evaluation only: it is read from the path given on the command line, never
copied into the project, and never trained on.  Each set's labels are mapped onto the taxonomy
as below; labels with no counterpart are listed and not scored as types (we only report where the
model puts them).

* lawbench_2-4_consult_topic: the file's own `type` column (婚姻家庭 -> marriage_family,
  劳动纠纷 -> labour_wages, 交通事故 -> traffic_accident, 债权债务/合同纠纷/抵押担保 ->
  contract_debt, 医疗纠纷 -> medical, 拆迁安置 -> land_acquisition_demolition, 消费权益 ->
  consumer).  No counterpart: 房产纠纷, 侵权, 人身损害, 建设工程, 刑事辩护, 公司法, 行政诉讼,
  知识产权, 综合咨询, 涉外法律, 海事海商 (mixed or outside a village desk's remit).
  None of the questions is chatter.
* teddy2020c: 环境保护 -> environment, 劳动和社会保障 -> labour_wages (pensions/social
  insurance letters in it would be `other`: a known source of error), 交通运输 and 教育文体 ->
  other.  No clean counterpart (mixed): 城乡建设, 卫生计生, 商贸旅游.  None is chatter.
  Also: the same pipeline trained and tested *within* this set by 5-fold CV on its 7 sectors,
  showing what the features can do on long formal letters (that model is not shipped).
* sos1k_suicide_risk: `high_risk == 1` -> urgent, else not urgent.  No type labels.
* tw_suicide_risk3 (Traditional, converted with OpenCC t2s): level 2 (high) -> urgent.
* teddy2020c_attachment3_unlabelled: no labels; none is chatter, so we report the share the
  model would drop as `not_a_report` (should be ~0) and the throughput on long text.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from classifier import Classification, Classifier, load_default, shared_labels
from classifier.baseline import KeywordBaseline
from classifier.evaluate import confidence_report, filed_below_high, predict, score_types
from classifier.rules import rule_urgency
from classifier.taxonomy import NOT_A_REPORT, TYPES

TEDDY_MAP = {
    "环境保护": "environment",
    "劳动和社会保障": "labour_wages",
    "交通运输": "other",
    "教育文体": "other",
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _t2s() -> Callable[[str], str]:
    """Traditional -> Simplified converter (eval-only dependency opencc-python-reimplemented)."""
    try:
        from opencc import OpenCC
    except ImportError:  # pragma: no cover - the figure is then on unconverted text
        print("warning: opencc not installed, Traditional text left as is", file=sys.stderr)
        return lambda s: s
    cc = OpenCC("t2s")

    def convert(s: str) -> str:
        out: str = cc.convert(s)
        return out

    return convert


def _binary(gold: Sequence[bool], pred: Sequence[bool]) -> dict[str, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum((not g) and p for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    return {
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "tp": tp, "fp": fp, "fn": fn, "n": len(gold), "positives": sum(gold),
    }


def _dropped(preds: Sequence[Classification]) -> float:
    return sum(p.type == NOT_A_REPORT for p in preds) / max(1, len(preds))


def _typed(gold: list[str], preds: Sequence[Classification]) -> dict[str, Any]:
    st = score_types(gold, [p.type for p in preds])
    st["dropped_as_chatter"] = _dropped(preds)
    st["urgent_share"] = sum(p.urgency == "urgent" for p in preds) / max(1, len(preds))
    return st


#: Macro-F1 on our own labels is also given over the types with at least this many agreed rows:
#: a type with two rows swings the mean by a quarter of a point on one message.
MIN_SUPPORT = 5


def relabelled(
    name: str, texts: Sequence[str], mapped: Sequence[str], preds: Sequence[Classification],
    labels_dir: Path = shared_labels.LABELS_DIR,
) -> dict[str, Any] | None:
    """Scores against our own two-annotator labels of the same rows (`classifier.shared_labels`),
    or None when no label file exists for the set.  `mapped` is the data set's own label mapped
    onto the taxonomy ("" where it has no counterpart), to measure the mapping's noise."""
    labels = shared_labels.for_texts(name, texts, labels_dir)
    if labels is None:
        return None
    out: dict[str, Any] = shared_labels.summary(labels)
    agreed = [i for i, lab in enumerate(labels) if lab.agreed_type is not None]
    gold = [str(labels[i].agreed_type) for i in agreed]
    out["agreed"] = _typed(gold, [preds[i] for i in agreed])
    support = Counter(gold)
    common = [t for t in support if support[t] >= MIN_SUPPORT and t != NOT_A_REPORT]
    out["agreed"]["macro_f1_common"] = float(
        f1_score(gold, [preds[i].type for i in agreed], labels=common, average="macro",
                 zero_division=0)
    )
    out["agreed"]["common_types"] = sorted(common, key=list(TYPES).index)
    # The desk's safety net on real text: how much of the type error the triage flag shows.
    out["agreed"]["triage"] = confidence_report(gold, [preds[i] for i in agreed])
    for who in ("a", "b"):
        out[f"vs_{who}"] = score_types(
            [getattr(lab, f"type_{who}") for lab in labels], [p.type for p in preds]
        )["macro_f1"]
    both = [i for i in range(len(labels)) if mapped[i]]
    out["mapping"] = {
        "n": len(both),
        "equals_a": sum(mapped[i] == labels[i].type_a for i in both) / max(1, len(both)),
        "equals_b": sum(mapped[i] == labels[i].type_b for i in both) / max(1, len(both)),
        "equals_agreed": sum(mapped[i] == labels[i].agreed_type for i in both)
        / max(1, sum(labels[i].agreed_type is not None for i in both)),
    }
    return out


def lawbench_rows(root: Path) -> tuple[list[dict[str, str]], list[str]]:
    """lawbench's dev rows and the text the model reads of each (the question)."""
    rows = _rows(root / "lawbench_2-4_consult_topic" / "consult_topic_dev.csv")
    return rows, [r["text"] for r in rows]


def teddy_rows(root: Path) -> tuple[list[dict[str, str]], list[str]]:
    """teddy2020c's dev rows and the text the model reads of each (title, then letter)."""
    rows = _rows(root / "teddy2020c" / "messages_dev.csv")
    return rows, [f"{r['title']}。{r['text']}" for r in rows]


def lawbench(
    root: Path, clf: Classifier, labels_dir: Path = shared_labels.LABELS_DIR
) -> dict[str, Any]:
    rows, texts = lawbench_rows(root)
    preds = predict(clf, texts)
    mapped = [i for i, r in enumerate(rows) if r["type"]]
    out = _typed([rows[i]["type"] for i in mapped], [preds[i] for i in mapped])
    unmapped = [i for i, r in enumerate(rows) if not r["type"]]
    out["unmapped_labels"] = sorted({rows[i]["label"] for i in unmapped})
    out["unmapped_predicted"] = dict(Counter(preds[i].type for i in unmapped).most_common())
    out["dropped_as_chatter_all"] = _dropped(preds)
    out["relabelled"] = relabelled(
        "lawbench", texts, [r["type"] for r in rows], preds, labels_dir
    )
    return out


def teddy(
    root: Path, clf: Classifier, labels_dir: Path = shared_labels.LABELS_DIR
) -> dict[str, Any]:
    rows, text = teddy_rows(root)
    preds = predict(clf, text)
    keep = [i for i, r in enumerate(rows) if r["label"] in TEDDY_MAP]
    out = _typed([TEDDY_MAP[rows[i]["label"]] for i in keep], [preds[i] for i in keep])
    unmapped = [i for i, r in enumerate(rows) if r["label"] not in TEDDY_MAP]
    by_label: dict[str, Counter[str]] = {}
    for i in unmapped:
        by_label.setdefault(rows[i]["label"], Counter())[preds[i].type] += 1
    out["unmapped_predicted"] = {k: dict(Counter(v).most_common(4)) for k, v in by_label.items()}
    out["dropped_as_chatter_all"] = _dropped(preds)
    out["relabelled"] = relabelled(
        "teddy2020c", text, [TEDDY_MAP.get(r["label"], "") for r in rows], preds, labels_dir
    )
    return out


def teddy_within_cv(root: Path) -> dict[str, float]:
    """The project's features + logistic regression, 5-fold CV on teddy2020c's own 7 sectors."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    from classifier.model import SEED, features

    rows, texts = teddy_rows(root)
    x = np.array(texts, dtype=object)
    y = np.array([r["label"] for r in rows])
    scores = []
    skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    for tr, te in skf.split(x, y):
        pipe = Pipeline([
            ("features", features("words+chars")),
            ("clf", LogisticRegression(C=10, max_iter=3000, class_weight="balanced")),
        ])
        pipe.fit(list(x[tr]), y[tr])
        scores.append(f1_score(y[te], pipe.predict(list(x[te])), average="macro"))
    return {"macro_f1_mean": float(np.mean(scores)), "macro_f1_std": float(np.std(scores))}


def _below_high(preds: Sequence[Classification]) -> float:
    """Share filed as an ordinary report or chatter: the failure "urgent as normal" names."""
    return sum(filed_below_high(p) for p in preds) / max(1, len(preds))


def _rule_urgent(preds: Sequence[Classification]) -> list[bool]:
    """Which predictions an urgent safety rule made urgent (the rest came from the model)."""
    return [rule_urgency(p.rules) == "urgent" for p in preds]


def sos1k(root: Path, clf: Classifier) -> dict[str, Any]:
    rows = _rows(root / "sos1k_suicide_risk" / "suicide_risk_dev.csv")
    preds = predict(clf, [r["text"] for r in rows])
    gold = [r["high_risk"] == "1" for r in rows]
    out: dict[str, Any] = _binary(gold, [p.urgency == "urgent" for p in preds])
    out["urgent_rules_only"] = _binary(gold, _rule_urgent(preds))
    high = [p for p, g in zip(preds, gold, strict=True) if g]
    out["high_risk_dropped_as_chatter"] = _dropped(high)
    out["high_risk_below_high"] = _below_high(high)
    out["rule_fired_share_on_high_risk"] = sum(bool(p.rules) for p in high) / max(1, len(high))
    level_recall = {}
    for lvl in sorted({int(r["label"]) for r in rows}):
        idx = [i for i, r in enumerate(rows) if int(r["label"]) == lvl]
        level_recall[str(lvl)] = sum(preds[i].urgency == "urgent" for i in idx) / len(idx)
    out["urgent_share_by_level"] = level_recall
    return out


def tw(root: Path, clf: Classifier) -> dict[str, Any]:
    rows = _rows(root / "tw_suicide_risk3" / "suicide_risk3_dev.csv")
    convert = _t2s()
    preds = predict(clf, [convert(r["text"]) for r in rows])
    urgent = [p.urgency == "urgent" for p in preds]
    out: dict[str, Any] = _binary([r["label"] == "2" for r in rows], urgent)
    out["medium_or_high"] = _binary([r["label"] in ("1", "2") for r in rows], urgent)
    out["urgent_rules_only"] = _binary([r["label"] == "2" for r in rows], _rule_urgent(preds))
    high = [p for p, r in zip(preds, rows, strict=True) if r["label"] == "2"]
    out["high_dropped_as_chatter"] = _dropped(high)
    out["high_risk_below_high"] = _below_high(high)
    return out


def unlabelled(root: Path, clf: Classifier) -> dict[str, Any]:
    rows = _rows(root / "teddy2020c_attachment3_unlabelled" / "messages_unlabelled_dev.csv")
    texts = [r["text"] for r in rows]
    start = time.perf_counter()
    preds = predict(clf, texts)
    secs = time.perf_counter() - start
    return {
        "n": len(rows),
        "dropped_as_chatter": _dropped(preds),
        "urgent_share": sum(p.urgency == "urgent" for p in preds) / len(preds),
        "needs_triage_share": sum(p.needs_triage for p in preds) / len(preds),
        "type_distribution": dict(Counter(p.type for p in preds).most_common()),
        "messages_per_second": len(rows) / secs,
        "chars_per_second": sum(map(len, texts)) / secs,
    }


def run(
    root: Path, within_cv: bool = True, labels_dir: Path = shared_labels.LABELS_DIR
) -> dict[str, Any]:
    """All figures, for the shipped model and the keyword baseline."""
    results: dict[str, Any] = {}
    for name, clf in (("model", load_default()), ("baseline", KeywordBaseline())):
        results[name] = {
            "lawbench": lawbench(root, clf, labels_dir),
            "teddy2020c": teddy(root, clf, labels_dir),
            "sos1k": sos1k(root, clf),
            "tw_suicide_risk3": tw(root, clf),
            "teddy_unlabelled": unlabelled(root, clf),
        }
    if within_cv:
        results["teddy_within_cv"] = teddy_within_cv(root)
    return results


def markdown(res: dict[str, Any]) -> str:
    """The summary table and per-class F1 tables for the README's classifier section."""
    mo, ba = res["model"], res["baseline"]
    lines = [
        "| data set | metric | shipped model | keyword baseline |",
        "|---|---|---:|---:|",
    ]

    def row(ds: str, metric: str, a: float, b: float) -> None:
        lines.append(f"| {ds} | {metric} | {a:.3f} | {b:.3f} |")

    for ds in ("lawbench", "teddy2020c"):
        row(ds, f"macro-F1, mapped types (n={mo[ds]['n']})", mo[ds]["macro_f1"],
            ba[ds]["macro_f1"])
        row(ds, "accuracy, mapped types", mo[ds]["accuracy"], ba[ds]["accuracy"])
        row(ds, "share dropped as not_a_report (all rows)", mo[ds]["dropped_as_chatter_all"],
            ba[ds]["dropped_as_chatter_all"])
    for ds, label in (("sos1k", "high_risk=1"), ("tw_suicide_risk3", "level 2")):
        n = mo[ds]["positives"]
        row(ds, f"urgent recall ({label}, n={n})", mo[ds]["recall"], ba[ds]["recall"])
        row(ds, "urgent precision", mo[ds]["precision"], ba[ds]["precision"])
    for ds in ("sos1k", "tw_suicide_risk3"):
        row(ds, "high-risk filed below 'high' (normal, low or chatter)",
            mo[ds]["high_risk_below_high"], ba[ds]["high_risk_below_high"])
    row("sos1k", "high-risk dropped as not_a_report", mo["sos1k"]["high_risk_dropped_as_chatter"],
        ba["sos1k"]["high_risk_dropped_as_chatter"])
    u, bu = mo["teddy_unlabelled"], ba["teddy_unlabelled"]
    row("teddy unlabelled", f"share dropped as not_a_report (n={u['n']})",
        u["dropped_as_chatter"], bu["dropped_as_chatter"])
    for ds in ("lawbench", "teddy2020c"):
        ours, bours = mo[ds].get("relabelled"), ba[ds].get("relabelled")
        if ours is None or bours is None:
            continue
        agreed = ours["agreed"]
        row(ds, f"macro-F1, our labels (rows both annotators agree on, n={agreed['n']})",
            agreed["macro_f1"], bours["agreed"]["macro_f1"])
        row(ds, f"macro-F1, our labels, types with ≥ {MIN_SUPPORT} rows "
            f"({len(agreed['common_types'])} types)",
            agreed["macro_f1_common"], bours["agreed"]["macro_f1_common"])
        row(ds, "accuracy, our labels", agreed["accuracy"], bours["agreed"]["accuracy"])
        tri, btri = agreed["triage"], bours["agreed"]["triage"]
        row(ds, "our labels: share flagged for triage", tri["share_triaged"],
            btri["share_triaged"])
        row(ds, "our labels: accuracy when not flagged", tri["accuracy_not_triaged"],
            btri["accuracy_not_triaged"])
        row(ds, "our labels: wrong types flagged for triage", tri["errors_triaged"],
            btri["errors_triaged"])
    if "teddy_within_cv" in res:
        cv = res["teddy_within_cv"]
        lines.append(
            f"| teddy2020c | 7-sector macro-F1, same pipeline trained within the set (5-fold CV)"
            f" | {cv['macro_f1_mean']:.3f} ± {cv['macro_f1_std']:.3f} | – |"
        )
    for ds in ("lawbench", "teddy2020c"):
        lines += [
            "",
            f"Per-class F1 on {ds} (mapped labels):",
            "",
            "| type | n | model P | model R | model F1 | baseline F1 |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for t, m in mo[ds]["per_class"].items():
            b = ba[ds]["per_class"][t]
            lines.append(
                f"| {t} | {m['support']} | {m['precision']:.3f} | {m['recall']:.3f} | "
                f"{m['f1']:.3f} | {b['f1']:.3f} |"
            )
    return "\n".join(lines)


def report(res: dict[str, Any], json_path: Path | None,
           render: Callable[[dict[str, Any]], str]) -> None:
    """Print the results as Markdown tables, and write them whole as JSON when asked."""
    if json_path:
        json_path.write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    print(render(res))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="evaluate on ../shared/data (eval only)")
    parser.add_argument("--shared", required=True, type=Path, help="path to shared/data")
    parser.add_argument("--json", type=Path, help="write the full results here")
    parser.add_argument("--no-within-cv", action="store_true", help="skip the teddy CV")
    args = parser.parse_args(argv)
    report(run(args.shared, within_cv=not args.no_within_cv), args.json, markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
