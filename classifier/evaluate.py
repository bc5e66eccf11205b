"""Scoring a classifier on labelled examples: the numbers the issue's targets are stated in.

Why a module of its own: the CLI (`intake-bot evaluate`), the shared-data evaluation
(`classifier.evaluate_shared`), the tests and the docs all need the same definitions:

* per-class precision/recall/F1 and macro-F1 over the type labels present in the gold data
  (plus `macro_f1_disputes`, the same over dispute types only, i.e. without `not_a_report`);
* the confusion matrix (rows gold, columns predicted);
* urgent recall/precision, treating "urgent" as the positive class, and the urgent rows filed
  below "high" (tagged normal or low, or dropped as not_a_report): the misses that leave a person
  in danger in an ordinary queue, where an urgent row tagged "high" is still looked at soon;
* not_a_report precision/recall (chatter kept out of the queue).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from classifier import Classification, Classifier
from classifier.corpus import Example
from classifier.taxonomy import NOT_A_REPORT, TYPES, URGENCIES, URGENCY_RANK


def _per_class(gold: Sequence[str], pred: Sequence[str], labels: list[str]) -> dict[str, Any]:
    p, r, f, s = precision_recall_fscore_support(
        gold, pred, labels=labels, zero_division=0
    )
    return {
        lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
              "support": int(s[i])}
        for i, lab in enumerate(labels)
    }


def _binary(gold: Sequence[str], pred: Sequence[str], positive: str) -> dict[str, float]:
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == positive and p == positive)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != positive and p == positive)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == positive and p != positive)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": precision, "recall": recall, "tp": tp, "fp": fp, "fn": fn}


def score_types(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Per-class P/R/F1, macro-F1 and confusion matrix for dispute types."""
    present = [t for t in TYPES if t in set(gold)]
    cols = [t for t in TYPES if t in set(gold) | set(pred)]
    disputes = [t for t in present if t != NOT_A_REPORT]
    out: dict[str, Any] = {
        "n": len(gold),
        "per_class": _per_class(gold, pred, present),
        "macro_f1": float(f1_score(gold, pred, labels=present, average="macro", zero_division=0)),
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / max(1, len(gold)),
        "confusion": {
            "labels": cols,
            "matrix": confusion_matrix(gold, pred, labels=cols).tolist(),
        },
    }
    if disputes:
        out["macro_f1_disputes"] = float(
            f1_score(gold, pred, labels=disputes, average="macro", zero_division=0)
        )
    out["not_a_report"] = _binary(gold, pred, NOT_A_REPORT)
    return out


def score_urgency(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Per-level P/R/F1, macro-F1, confusion matrix and urgent recall/precision."""
    present = [u for u in URGENCIES if u in set(gold)]
    cols = [u for u in URGENCIES if u in set(gold) | set(pred)]
    return {
        "n": len(gold),
        "per_class": _per_class(gold, pred, present),
        "macro_f1": float(f1_score(gold, pred, labels=present, average="macro", zero_division=0)),
        "confusion": {
            "labels": cols,
            "matrix": confusion_matrix(gold, pred, labels=cols).tolist(),
        },
        "urgent": _binary(gold, pred, "urgent"),
    }


def confidence_report(
    gold: Sequence[str], preds: Sequence[Classification], bins: int = 10
) -> dict[str, float]:
    """How trustworthy `type_confidence` and `needs_triage` are on labelled data.

    ECE (expected calibration error): the gap between confidence and accuracy, averaged over
    10 equal-width confidence bins weighted by their size; 0 is perfectly calibrated.  Also the
    type accuracy of tickets flagged for triage and of those that were not, and the share of
    the wrong types that were flagged (what a person at the desk is asked to look at again).
    """
    correct = [g == p.type for g, p in zip(gold, preds, strict=True)]
    conf = [p.type_confidence for p in preds]
    ece = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(conf) if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if idx:
            acc = sum(correct[i] for i in idx) / len(idx)
            avg = sum(conf[i] for i in idx) / len(idx)
            ece += len(idx) / len(conf) * abs(acc - avg)
    sure = [c for c, p in zip(correct, preds, strict=True) if not p.needs_triage]
    unsure = [c for c, p in zip(correct, preds, strict=True) if p.needs_triage]
    wrong = len(correct) - sum(correct)
    return {
        "ece": ece,
        "accuracy_not_triaged": sum(sure) / len(sure) if sure else 0.0,
        "accuracy_triaged": sum(unsure) / len(unsure) if unsure else 0.0,
        "share_triaged": len(unsure) / max(1, len(preds)),
        "errors_triaged": (len(unsure) - sum(unsure)) / wrong if wrong else 0.0,
    }


def filed_below_high(p: Classification) -> bool:
    """Tagged normal or low, or dropped as chatter: for an urgent message, the miss that leaves a
    person in danger in an ordinary queue ("high" is still looked at soon)."""
    return p.type == NOT_A_REPORT or URGENCY_RANK[p.urgency] > URGENCY_RANK["high"]


def predict(clf: Classifier, texts: Sequence[str]) -> list[Classification]:
    """Classify many texts, batched when the classifier supports it."""
    many = getattr(clf, "classify_many", None)
    if many is not None:
        out: list[Classification] = many(list(texts))
        return out
    return [clf.classify(t) for t in texts]


def evaluate(clf: Classifier, examples: Sequence[Example]) -> dict[str, Any]:
    """Score `clf` on whichever labels the examples carry."""
    preds = predict(clf, [e.text for e in examples])
    report: dict[str, Any] = {"n": len(examples)}
    typed = [(e.type, p) for e, p in zip(examples, preds, strict=True) if e.type]
    if typed:
        report["type"] = score_types([g for g, _ in typed], [p.type for _, p in typed])
        report["confidence"] = confidence_report([g for g, _ in typed], [p for _, p in typed])
    urged = [(e.urgency, p.urgency) for e, p in zip(examples, preds, strict=True) if e.urgency]
    if urged:
        report["urgency"] = score_urgency([g for g, _ in urged], [p for _, p in urged])
        report["urgency"]["urgent_below_high"] = sum(
            1
            for e, p in zip(examples, preds, strict=True)
            if e.urgency == "urgent" and filed_below_high(p)
        )
    report["needs_triage_rate"] = sum(p.needs_triage for p in preds) / max(1, len(preds))
    return report


def _table(block: dict[str, Any], title: str) -> list[str]:
    lines = [
        f"== {title} (n={block['n']}) ==",
        f"{'class':30s} {'P':>6s} {'R':>6s} {'F1':>6s} {'n':>5s}",
    ]
    for lab, m in block["per_class"].items():
        lines.append(
            f"{lab:30s} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['support']:5d}"
        )
    lines.append(f"macro-F1: {block['macro_f1']:.3f}")
    if "macro_f1_disputes" in block:
        lines.append(f"macro-F1 over dispute types: {block['macro_f1_disputes']:.3f}")
    labels = block["confusion"]["labels"]
    short = [lab[:6] for lab in labels]
    lines.append("confusion (rows gold, cols predicted):")
    lines.append(" " * 30 + " ".join(f"{s:>6s}" for s in short))
    for lab, row in zip(labels, block["confusion"]["matrix"], strict=True):
        lines.append(f"{lab:30s}" + " ".join(f"{v:6d}" for v in row))
    return lines


def format_report(report: dict[str, Any]) -> str:
    """Human-readable version of `evaluate`'s result."""
    lines: list[str] = []
    if "type" in report:
        lines += _table(report["type"], "type")
        nar = report["type"]["not_a_report"]
        lines.append(
            f"not_a_report precision {nar['precision']:.3f} recall {nar['recall']:.3f}"
        )
    if "urgency" in report:
        lines += _table(report["urgency"], "urgency")
        u = report["urgency"]["urgent"]
        lines.append(
            f"urgent recall {u['recall']:.3f} precision {u['precision']:.3f} "
            f"(tp {u['tp']}, fp {u['fp']}, fn {u['fn']}); "
            f"{report['urgency']['urgent_below_high']} urgent filed below high"
        )
    lines.append(f"needs_triage rate: {report['needs_triage_rate']:.3f}")
    if "confidence" in report:
        c = report["confidence"]
        lines.append(
            f"type confidence: ECE {c['ece']:.3f}; accuracy {c['accuracy_not_triaged']:.3f} when "
            f"not flagged, {c['accuracy_triaged']:.3f} when flagged for triage "
            f"({c['share_triaged']:.3f} flagged)"
        )
    return "\n".join(lines)
