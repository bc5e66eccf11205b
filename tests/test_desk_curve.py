"""The desk-corrections learning curve: folds, nested sizes and the corrections' labels.

Training is not run here (a model takes ~25 s); `classifier.model.train`, which each point of
the curve calls, is tested with the retraining gate.
"""

from __future__ import annotations

from collections import Counter

from classifier import desk_curve, shared_labels


def _labels(n: int) -> tuple[list[str], list[shared_labels.Relabel]]:
    texts = [f"第{i}条 投诉内容" for i in range(n)]
    types = ["contract_debt", "labour_wages", "other", "consumer"]
    labels = [
        shared_labels.Relabel(
            i, shared_labels.text_key(t),
            types[i % 4], "normal", True,
            # every seventh row the annotators disagree on the type: not a correction
            types[(i + (1 if i % 7 == 0 else 0)) % 4],
            # every third row they disagree on urgency: the more urgent one is taken
            "urgent" if i % 3 == 0 else "normal", True,
        )
        for i, t in enumerate(texts)
    ]
    return texts, labels


def test_corrections_take_the_agreed_type_and_the_more_urgent_urgency() -> None:
    texts, labels = _labels(30)
    rows = desk_curve.corrections(labels, texts)
    assert [r for r, _ in rows] == [i for i in range(30) if i % 7 != 0]
    for row, (text, type_, urgency) in rows:
        assert text == texts[row] and type_ == labels[row].type_a
        assert urgency == ("urgent" if row % 3 == 0 else "normal")


def test_folds_score_every_agreed_row_once_and_sizes_only_add_rows() -> None:
    texts, labels = _labels(60)
    agreed = {r for r, _ in desk_curve.corrections(labels, texts)}
    tasks = desk_curve.tasks("set", texts, labels, sizes=(5, 20, None), weights=(3.0, 10.0),
                             folds=5)
    assert len(tasks) == 30
    for weight in (3.0, 10.0):
        scored = Counter(r for t in tasks if t.size is None and t.weight == weight
                         for r in t.test_rows)
        assert set(scored) == agreed and set(scored.values()) == {1}
    for fold in range(5):
        # the same corrections at every weight: only how much they count differs
        assert len({t.corrections for t in tasks if t.fold == fold and t.size == 5}) == 1
        by_size = {t.size: t for t in tasks if t.fold == fold and t.weight == 10.0}
        small, mid = by_size[5].corrections, by_size[20].corrections
        full = by_size[None].corrections
        assert len(small) == 5 and len(mid) == 20 and mid[:5] == small and full[:20] == mid
        # a fold never learns its own test rows
        test_texts = {texts[r] for r in by_size[None].test_rows}
        assert not test_texts & {text for text, _, _ in full}
        assert len(full) + len(test_texts) == len(agreed)
        assert by_size[None].test_texts == tuple(texts[r] for r in by_size[None].test_rows)


def test_scores_leave_rare_types_out_of_the_common_mean() -> None:
    gold = ["contract_debt"] * 5 + ["labour_wages"] * 5 + ["medical"]
    pred = ["contract_debt"] * 5 + ["labour_wages"] * 4 + ["other", "other"]
    s = desk_curve.scores(gold, pred)
    assert s["n"] == 11 and abs(s["accuracy"] - 9 / 11) < 1e-9
    # common: contract 1.0, labour 2*4/(4+5) = 0.889; all types add medical 0 (and `other` is
    # not a gold type here, so it is not in either mean)
    assert abs(s["macro_f1_common"] - (1 + 8 / 9) / 2) < 1e-9
    assert abs(s["macro_f1"] - (1 + 8 / 9 + 0) / 3) < 1e-9


def test_markdown_has_a_row_per_point() -> None:
    row = {"n": 10, "macro_f1_common": 0.5, "macro_f1": 0.4, "accuracy": 0.6}
    res = {"lawbench": [{"corrections": 0, "weight": None, **row},
                        {"corrections": "all (7–8)", "weight": 3.0, **row}]}
    lines = desk_curve.markdown(res).splitlines()
    assert lines[2] == "| lawbench (n=10) | 0 | – | 0.500 | 0.400 | 0.600 |"
    assert lines[3].startswith("| lawbench (n=10) | all (7–8) | 3 |")
