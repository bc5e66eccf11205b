"""Choose features, model and thresholds by cross-validation: `python -m classifier.select`.

Why this scheme: the generated rows come from shared templates, so an ordinary K-fold over the
whole corpus leaks near-duplicates between folds and every candidate scores ~0.99.  Instead each
fold trains on *all* generated rows plus 4/5 of the hand-written rows and is scored on the
remaining hand-written fifth: text no template produced, the closest thing to new messages we own.
The held-out file (`data/heldout.tsv`) is not touched here.

It prints, per candidate: type macro-F1 over dispute types, not_a_report precision/recall,
urgent recall/precision (model + rules, default thresholds), and the type head's log-loss
(probability quality, which the triage threshold relies on).  Then, for the chosen candidate, it
sweeps the chatter and urgent thresholds on the out-of-fold probabilities.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import log_loss
from sklearn.model_selection import StratifiedKFold

from classifier import Classification
from classifier import model as m
from classifier.corpus import HANDWRITTEN_FILES, Example, shipped, training_rows
from classifier.evaluate import confidence_report, score_types, score_urgency
from classifier.runtime import (
    CHATTER_THRESHOLD,
    OTHER_RATIO,
    URGENT_THRESHOLD,
    IntakeClassifier,
    scale,
)
from classifier.taxonomy import OTHER
from classifier.text import normalize_for_rules

CANDIDATES: tuple[tuple[str, str, float], ...] = (
    ("words", "logreg", 10.0),
    ("chars", "logreg", 10.0),
    ("words+chars", "logreg", 10.0),
    ("words+chars", "logreg", 1.0),
    ("words+chars", "logreg", 30.0),
    ("words+chars", "logreg_temp", 10.0),
    ("words+chars", "logreg_sigmoid", 10.0),
    ("words+chars", "svm_sigmoid", 10.0),
    ("words+chars", "cnb", 1.0),
)
#: Candidates whose decision thresholds are swept on the out-of-fold probabilities.
SWEEP = {("words+chars", "logreg", 10.0), ("words+chars", "logreg_temp", 10.0)}


@dataclass
class OOF:
    """Out-of-fold type/urgency probabilities for the hand-written rows."""

    texts: list[str]
    gold_type: list[str]
    gold_urgency: list[str]
    tprobs: np.ndarray  # unscaled, as `IntakeClassifier._decide` takes them
    uprobs: np.ndarray
    model: IntakeClassifier
    temperatures: list[tuple[float, float]]  # per row: the temperatures of its fold's model


def _folds(hand: Sequence[Example], n_full: int, folds: int) -> list[np.ndarray]:
    """Test positions of each fold: the full rows (`hand[:n_full]`) and the type-only rows
    after them stratified by type separately, fold k of each together (as
    `model._fit_temperatures` folds its two kinds of rows)."""
    def split(start: int, stop: int) -> list[np.ndarray]:
        if stop - start < folds:  # too few to stratify (usually none): one row per fold
            return [np.arange(start + k, min(start + k + 1, stop)) for k in range(folds)]
        skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=m.SEED)
        part = [e.type for e in hand[start:stop]]
        return [start + test for _, test in skf.split(part, part)]

    return [np.concatenate(pair) for pair in zip(split(0, n_full), split(n_full, len(hand)),
                                                 strict=True)]


def out_of_fold(feature_kind: str, kind: str, c: float, folds: int = 5) -> OOF:
    """Train on generated + 4/5 hand-written, predict the other 1/5, for every fold."""
    gen = shipped("generated.tsv")
    rows = [e for name in HANDWRITTEN_FILES for e in training_rows(name)]
    # Urgency-only rows (`corpus.URGENCY_ONLY_FILES`) teach the urgency head in every fold and
    # are never scored: they have no type, and folds of their own would move everyone's folds.
    urgency_only = [e for e in rows if not e.type]
    rows = [e for e in rows if e.type]
    # Type-only rows get folds of their own, so the full rows' folds, and with them the
    # urgency figures, are the same whatever type-only files are added.
    full = [e for e in rows if e.urgency]
    hand = full + [e for e in rows if not e.urgency]
    tp: list[np.ndarray] = [np.empty(0)] * len(hand)
    up: list[np.ndarray] = [np.empty(0)] * len(hand)
    last: IntakeClassifier | None = None
    temps: list[tuple[float, float]] = [(1.0, 1.0)] * len(hand)
    for test_idx in _folds(hand, len(full), folds):
        train_idx = np.setdiff1d(np.arange(len(hand)), test_idx)
        written = urgency_only + [hand[i] for i in train_idx]
        train: list[Example] = gen + written
        weights = [1.0] * len(gen) + [m.HANDWRITTEN_WEIGHT] * len(written)
        # "logreg_temp" is the shipped procedure: logistic regression + temperature scaling
        # calibrated (inside `fit`) on the hand-written rows of this training split only.
        temp = kind == "logreg_temp"
        calibrate = [False] * len(gen) + [True] * len(written) if temp else None
        templated = [True] * len(gen) + [False] * len(written)
        clf = m.fit(train, weights, feature_kind, "logreg" if temp else kind, c, calibrate,
                    templated)
        tprobs, uprobs = clf.predict_raw([hand[i].text for i in test_idx])
        for row, i in enumerate(test_idx):
            tp[i] = tprobs[row]
            up[i] = uprobs[row]
            temps[i] = (clf.type_temperature, clf.urgency_temperature)
        last = clf
    assert last is not None
    return OOF(
        [e.text for e in hand], [e.type for e in hand], [e.urgency for e in hand],
        np.vstack(tp), np.vstack(up), last, temps,
    )


def decide(
    oof: OOF, chatter: float, urgent: float, other_ratio: float = OTHER_RATIO
) -> list[Classification]:
    """Final decisions for every OOF row under the given thresholds (rules included)."""
    out = []
    for text, t, u, (tt, ut) in zip(
        oof.texts, oof.tprobs, oof.uprobs, oof.temperatures, strict=True
    ):
        clf = IntakeClassifier(
            oof.model.predictor, chatter_threshold=chatter, urgent_threshold=urgent,
            other_ratio=other_ratio, type_temperature=tt, urgency_temperature=ut,
        )
        out.append(clf._decide(normalize_for_rules(text), t, u))
    return out


def summarise(oof: OOF, chatter: float, urgent: float) -> dict[str, float]:
    """The figures the issue's targets are stated in, on the OOF rows."""
    preds = decide(oof, chatter, urgent)
    st = score_types(oof.gold_type, [p.type for p in preds])
    # Type-only rows carry no urgency to score (`corpus.TYPE_ONLY_FILES`).
    rated = [(g, p.urgency) for g, p in zip(oof.gold_urgency, preds, strict=True) if g]
    su = score_urgency([g for g, _ in rated], [u for _, u in rated])
    conf = confidence_report(oof.gold_type, preds)
    classes = oof.model.type_classes
    return {
        "ece": conf["ece"],
        "acc_not_triaged": conf["accuracy_not_triaged"],
        "share_triaged": conf["share_triaged"],
        "macro_f1_disputes": st["macro_f1_disputes"],
        "nar_precision": st["not_a_report"]["precision"],
        "nar_recall": st["not_a_report"]["recall"],
        "urgent_recall": su["urgent"]["recall"],
        "urgent_precision": su["urgent"]["precision"],
        "type_log_loss": float(log_loss(
            oof.gold_type,
            np.vstack([scale(t, tt) for t, (tt, _) in zip(oof.tprobs, oof.temperatures,
                                                             strict=True)]),
            labels=classes,
        )),
    }


def sweep(oof: OOF, chatter: Sequence[float], urgent: Sequence[float]) -> list[dict[str, Any]]:
    """Threshold grid on fixed OOF probabilities."""
    rows = []
    for ct in chatter:
        for ut in urgent:
            rows.append({"chatter": ct, "urgent": ut, **summarise(oof, ct, ut)})
    return rows


def other_sweep(oof: OOF, ratios: Sequence[float]) -> list[dict[str, float]]:
    """Type figures per `OTHER_RATIO` (0 = plain argmax), at the shipped thresholds."""
    rows = []
    for ratio in ratios:
        preds = decide(oof, CHATTER_THRESHOLD, URGENT_THRESHOLD, ratio)
        st = score_types(oof.gold_type, [p.type for p in preds])
        other = st["per_class"].get(OTHER, {})
        rows.append({
            "other_ratio": ratio,
            "macro_f1_disputes": st["macro_f1_disputes"],
            "accuracy": st["accuracy"],
            "other_precision": other.get("precision", 0.0),
            "other_recall": other.get("recall", 0.0),
            "share_triaged": sum(p.needs_triage for p in preds) / len(preds),
        })
    return rows


def triage_sweep(oof: OOF, thresholds: Sequence[float]) -> list[dict[str, float]]:
    """Share of reports flagged and accuracy of the unflagged ones, per triage threshold."""
    preds = decide(oof, CHATTER_THRESHOLD, URGENT_THRESHOLD)
    rows = []
    for th in thresholds:
        flagged = [p.type_confidence < th for p in preds]
        ok = [g == p.type for g, p, f in zip(oof.gold_type, preds, flagged, strict=True) if not f]
        rows.append({
            "threshold": th,
            "share_triaged": sum(flagged) / len(flagged),
            "acc_not_triaged": sum(ok) / len(ok) if ok else 0.0,
        })
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="also write all results to this JSON file")
    parser.add_argument("--quick", action="store_true", help="only the shipped candidate")
    args = parser.parse_args(argv)
    shipped_key = ("words+chars", "logreg_temp", m.LOGREG_C)
    candidates = (shipped_key,) if args.quick else CANDIDATES
    results: list[dict[str, Any]] = []
    header = (
        f"{'features':12s} {'model':14s} {'C':>5s} {'mF1':>6s} {'narP':>6s} {'narR':>6s} "
        f"{'urgR':>6s} {'urgP':>6s} {'logloss':>7s} {'ECE':>6s} {'accOK':>6s} {'triag':>6s} "
        f"{'sec':>5s}"
    )
    print(header)
    sweeps: list[dict[str, Any]] = []
    for feats, kind, c in candidates:
        start = time.perf_counter()
        oof = out_of_fold(feats, kind, c)
        s = summarise(oof, CHATTER_THRESHOLD, URGENT_THRESHOLD)
        secs = time.perf_counter() - start
        results.append({"features": feats, "model": kind, "C": c, **s, "seconds": secs})
        print(
            f"{feats:12s} {kind:14s} {c:5.1f} {s['macro_f1_disputes']:6.3f} "
            f"{s['nar_precision']:6.3f} {s['nar_recall']:6.3f} {s['urgent_recall']:6.3f} "
            f"{s['urgent_precision']:6.3f} {s['type_log_loss']:7.3f} {s['ece']:6.3f} "
            f"{s['acc_not_triaged']:6.3f} {s['share_triaged']:6.3f} {secs:5.1f}",
            flush=True,
        )
        if (feats, kind, c) in SWEEP:
            grid = sweep(oof, [0.3, 0.4, 0.5, 0.6], [0.2, 0.3, 0.4])
            tri = triage_sweep(oof, [0.3, 0.4, 0.45, 0.5, 0.6, 0.7])
            others = other_sweep(oof, [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.85])
            sweeps.append(
                {"features": feats, "model": kind, "C": c, "grid": grid, "triage": tri,
                 "other_ratio": others}
            )
            print("  other ratio (0 = off): " + ", ".join(
                f"{r['other_ratio']:.2f} -> mF1 {r['macro_f1_disputes']:.3f}, "
                f"acc {r['accuracy']:.3f}, other P/R {r['other_precision']:.3f}/"
                f"{r['other_recall']:.3f}, flagged {r['share_triaged']:.2f}" for r in others
            ), flush=True)
            print("  triage threshold: " + ", ".join(
                f"{r['threshold']:.2f} -> {r['share_triaged']:.2f} flagged, "
                f"{r['acc_not_triaged']:.3f} right when not" for r in tri
            ))
            print(f"  threshold sweep for {feats}/{kind}/C={c}:")
            print(f"  {'chat':>5s} {'urg':>5s} {'mF1':>6s} {'narP':>6s} {'narR':>6s} "
                  f"{'urgR':>6s} {'urgP':>6s}")
            for r in grid:
                print(
                    f"  {r['chatter']:5.2f} {r['urgent']:5.2f} {r['macro_f1_disputes']:6.3f} "
                    f"{r['nar_precision']:6.3f} {r['nar_recall']:6.3f} "
                    f"{r['urgent_recall']:6.3f} {r['urgent_precision']:6.3f}",
                    flush=True,
                )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"candidates": results, "sweeps": sweeps}, fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
