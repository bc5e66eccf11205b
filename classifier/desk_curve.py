"""How far a desk's own corrections take the model on real text: a learning curve.

Why: on real messages the shipped model misses the type target (macro-F1 ≥ 0.85; README,
classifier §6.2 and §7), and the bot's answer to text unlike its corpus is the desk's own
corrections — `/retag N type urgency` and 作废 — which `intake-bot train` takes as extra rows
at `model.CORRECTION_WEIGHT`.  This measures that path on the shared data's rows that our two
annotators labelled alike (`classifier.shared_labels`): each fold's rows are scored by a model
trained on the shipped corpus plus *k* rows of the other folds, given as corrections, for
several *k*.  k = 0 is the shipped model.

What it is not: the shipped model is never trained on these rows (the data is for evaluation
only), and the models built here are thrown away.  It is the cross-validation that the data's
README suggests for teddy ("trained and tested within this set"), done with the project's own
training path and in the project's taxonomy.

Command: `python -m classifier.desk_curve --shared ../shared/data [--weights 3,10,30]
[--side-effects] [--json FILE]` (about 45 s a model: 2 sets × 5 folds × 3 sizes × the
weights, spread over the machine's cores; `--side-effects` adds one model a weight).
"""

from __future__ import annotations

import argparse
import os
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import KFold

from classifier import load_default, shared_labels
from classifier.evaluate import predict
from classifier.evaluate_shared import MIN_SUPPORT, lawbench_rows, report, teddy_rows
from classifier.model import CORRECTION_WEIGHT, train
from classifier.taxonomy import NOT_A_REPORT, more_urgent

FOLDS = 5
#: Corrections per model; None = every agreed row of the other folds (about 4/5 of the set).
SIZES: tuple[int | None, ...] = (50, 100, None)
SEED = 13

DATA_SETS: dict[str, Callable[[Path], tuple[list[dict[str, str]], list[str]]]] = {
    "lawbench": lawbench_rows,
    "teddy2020c": teddy_rows,
}


@dataclass(frozen=True)
class Task:
    """One model to train and the rows it scores (picklable, for the process pool)."""

    data_set: str
    fold: int
    size: int | None
    corrections: tuple[tuple[str, str, str], ...]
    weight: float
    test_rows: tuple[int, ...]
    test_texts: tuple[str, ...]


def labelled(root: Path, name: str, labels_dir: Path = shared_labels.LABELS_DIR) -> tuple[
    list[str], list[shared_labels.Relabel]
]:
    """A data set's texts and our labels of them (refused if the label file is for others)."""
    _, texts = DATA_SETS[name](root)
    labels = shared_labels.for_texts(name, texts, labels_dir)
    if labels is None:
        raise FileNotFoundError(labels_dir / f"{name}_dev.tsv")
    return texts, labels


def corrections(labels: Sequence[shared_labels.Relabel], texts: Sequence[str]) -> list[
    tuple[int, tuple[str, str, str]]
]:
    """(row, correction) for every row both annotators typed alike, as `/retag` stores one:
    the agreed type, and the agreed urgency — the more urgent of the two where they differ,
    as a desk unsure of the danger would file it."""
    out = []
    for lab, text in zip(labels, texts, strict=True):
        if lab.agreed_type is None:
            continue
        urgency = more_urgent(lab.urgency_a, lab.urgency_b)
        out.append((lab.row, (text, lab.agreed_type, urgency)))
    return out


def tasks(name: str, texts: Sequence[str], labels: Sequence[shared_labels.Relabel],
          sizes: Sequence[int | None], weights: Sequence[float] = (CORRECTION_WEIGHT,),
          folds: int = FOLDS) -> list[Task]:
    """Every (fold, size) model of one data set.  The corrections of a smaller size are the
    first rows of a larger one's (one seeded order per fold), so the curve adds rows, never
    swaps them."""
    rows = corrections(labels, texts)
    out = []
    split = KFold(n_splits=folds, shuffle=True, random_state=SEED).split(rows)
    for fold, (train_idx, test_idx) in enumerate(split):
        order = np.random.default_rng(SEED + fold).permutation(train_idx)
        test = tuple(int(rows[i][0]) for i in test_idx)
        for size in sizes:
            chosen = tuple(rows[i][1] for i in (order if size is None else order[:size]))
            out += [Task(name, fold, size, chosen, w, test, tuple(texts[r] for r in test))
                    for w in weights]
    return out


def run_task(task: Task) -> tuple[Task, list[str]]:
    """Train on the corpus + the task's corrections; the types it gives the test rows."""
    model = train(extra_examples=task.corrections, calibrate=False,
                  correction_weight=task.weight).model
    return task, [p.type for p in predict(model, task.test_texts)]


def scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Macro-F1 over the dispute types present (and over those with ≥ MIN_SUPPORT rows, as
    `classifier.evaluate_shared` reports it) and accuracy."""
    support = Counter(gold)
    present = [t for t in support if t != NOT_A_REPORT]
    common = [t for t in present if support[t] >= MIN_SUPPORT]
    return {
        "n": len(gold),
        "macro_f1": float(f1_score(gold, pred, labels=present, average="macro",
                                   zero_division=0)),
        "macro_f1_common": float(f1_score(gold, pred, labels=common, average="macro",
                                          zero_division=0)),
        "accuracy": float(accuracy_score(gold, pred)),
    }


def run(root: Path, sizes: Sequence[int | None] = SIZES,
        weights: Sequence[float] = (CORRECTION_WEIGHT,), workers: int | None = None,
        labels_dir: Path = shared_labels.LABELS_DIR) -> dict[str, Any]:
    """The curve of each data set: scores per (size, weight), pooled over the folds' test
    rows; the first point (no corrections) is the shipped model."""
    shipped = load_default()
    all_tasks: list[Task] = []
    gold: dict[str, dict[int, str]] = {}
    baseline: dict[str, dict[int, str]] = {}
    for name in DATA_SETS:
        texts, labels = labelled(root, name, labels_dir)
        rows = corrections(labels, texts)
        gold[name] = {r: c[1] for r, c in rows}
        kept = [r for r, _ in rows]
        baseline[name] = dict(zip(kept, (p.type for p in predict(
            shipped, [texts[r] for r in kept])), strict=True))
        all_tasks += tasks(name, texts, labels, sizes, weights)
    preds: dict[tuple[str, int | None, float], dict[int, str]] = {}
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        for task, types in pool.map(run_task, all_tasks):
            preds.setdefault((task.data_set, task.size, task.weight), {}).update(
                zip(task.test_rows, types, strict=True))
    out: dict[str, Any] = {}
    for name in DATA_SETS:
        rows_ = sorted(gold[name])
        g = [gold[name][r] for r in rows_]
        points = [{"corrections": 0, "weight": None,
                   **scores(g, [baseline[name][r] for r in rows_])}]
        for size in sizes:
            n_corr = [len(t.corrections) for t in all_tasks
                      if t.data_set == name and t.size == size]
            label = size if size is not None else f"all ({min(n_corr)}–{max(n_corr)})"
            points += [{"corrections": label, "weight": w,
                        **scores(g, [preds[(name, size, w)][r] for r in rows_])}
                       for w in weights]
        out[name] = points
    return out


def side_effects(root: Path, weights: Sequence[float] = (CORRECTION_WEIGHT,),
                 labels_dir: Path = shared_labels.LABELS_DIR) -> list[dict[str, Any]]:
    """What every agreed row of both sets, given as corrections at once, does to the rest:
    the retraining gate's figures on the project's held-out files (`classifier.gate`) and
    urgent recall on the suicide-risk sets.  The gate compares these with the current model's
    and keeps it when an urgent row is lost."""
    from classifier import corpus, evaluate_shared, gate
    from classifier.evaluate import evaluate

    extra: list[tuple[str, str, str]] = []
    for name in DATA_SETS:
        texts, labels = labelled(root, name, labels_dir)
        extra += [c for _, c in corrections(labels, texts)]
    gate_rows = gate.rows(corpus.heldout())
    out = []
    for weight in (None, *weights):
        model = load_default() if weight is None else train(
            extra_examples=extra, calibrate=False, correction_weight=weight).model
        g = gate.metrics(evaluate(model, gate_rows))
        sos, tw = evaluate_shared.sos1k(root, model), evaluate_shared.tw(root, model)
        out.append({
            "corrections": 0 if weight is None else len(extra), "weight": weight,
            "gate_macro_f1": g.macro_f1_disputes, "gate_not_a_report_recall":
            g.not_a_report_recall, "gate_urgent_found": g.urgent_found,
            "gate_urgent_rows": g.urgent_rows, "gate_urgent_below_high": g.urgent_below_high,
            "sos1k_urgent_recall": sos["recall"], "sos1k_urgent_precision": sos["precision"],
            "tw_urgent_recall": tw["recall"],
        })
    return out


def markdown(res: dict[str, Any]) -> str:
    lines = [
        "| data set | corrections per model | weight | macro-F1, types ≥ 5 rows "
        "| macro-F1, all types | accuracy |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in DATA_SETS:
        for s in res.get(name, ()):
            weight = "–" if s["weight"] is None else f"{s['weight']:g}"
            lines.append(f"| {name} (n={s['n']}) | {s['corrections']} | {weight} "
                         f"| {s['macro_f1_common']:.3f} | {s['macro_f1']:.3f} "
                         f"| {s['accuracy']:.3f} |")
    if "side_effects" in res:
        lines += [
            "",
            "| corrections (both sets at once) | weight | own files: macro-F1 | chatter R "
            "| urgent found | below high | sos1k urgent R / P | tw urgent R |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for s in res["side_effects"]:
            weight = "–" if s["weight"] is None else f"{s['weight']:g}"
            lines.append(
                f"| {s['corrections']} | {weight} | {s['gate_macro_f1']:.3f} "
                f"| {s['gate_not_a_report_recall']:.3f} "
                f"| {s['gate_urgent_found']} of {s['gate_urgent_rows']} "
                f"| {s['gate_urgent_below_high']} | {s['sos1k_urgent_recall']:.3f} / "
                f"{s['sos1k_urgent_precision']:.3f} | {s['tw_urgent_recall']:.3f} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--shared", required=True, type=Path, help="path to shared/data")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--sizes", default=",".join("all" if s is None else str(s)
                                                    for s in SIZES),
                        help="corrections per model, comma-separated; 'all' = the other folds")
    parser.add_argument("--weights", default=f"{CORRECTION_WEIGHT:g}",
                        help="weights of a correction against a corpus row, comma-separated "
                        "(default: model.CORRECTION_WEIGHT, what `intake-bot train` uses)")
    parser.add_argument("--side-effects", action="store_true",
                        help="also train on both sets' rows at once, at each weight, and score "
                        "the retraining gate's files and the suicide-risk sets")
    parser.add_argument("--workers", type=int, help="processes (default: one per core)")
    args = parser.parse_args(argv)
    sizes = [None if s == "all" else int(s) for s in args.sizes.split(",")]
    weights = [float(w) for w in args.weights.split(",")]
    res = run(args.shared, sizes, weights, args.workers)
    if args.side_effects:
        res["side_effects"] = side_effects(args.shared, weights)
    report(res, args.json, markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
