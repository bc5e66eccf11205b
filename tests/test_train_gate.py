"""`intake-bot train`: gate-set texts kept out of training, and the gate on replacing a model.

Fast on purpose: every model here is fitted on a few dozen rows written below (`--no-corpus`,
fewer than 30 rows so no temperature fits), never on the shipped corpus (≈ 40 s).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier.corpus import HELDOUT_FILES, Example, shipped, write
from tests.test_classifier_cli import run


def test_held_out_texts_in_data_are_dropped_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    held = shipped(HELDOUT_FILES[0])[0]
    rows = [
        Example("东村老板拖欠工资三个月", "labour_wages", "normal"),
        Example("西村物业不修电梯", "property_management", "normal"),
        Example("东村群里接龙的名单我已经填好了", "not_a_report", "low"),
        Example(f"  {held.text} ", "other", "low"),  # a correction, not trimmed
    ]
    data = tmp_path / "retag.tsv"
    write(rows, data)
    out = tmp_path / "m.skops"
    assert run(["train", "--no-corpus", "--data", str(data), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "dropped 1 extra rows" in printed
    assert "trained on 0 corpus + 3 extra examples" in printed


def test_train_drops_corrections_in_the_held_out_texts() -> None:
    from classifier import model as m

    rows = [
        ("东村老板拖欠工资三个月", "labour_wages", "normal"),
        ("西村水库大坝裂缝在渗水", "environment", "urgent"),
        ("东村群里接龙的名单我已经填好了", "not_a_report", "low"),
    ]
    t = m.train(rows, include_corpus=False, held_out=[" 西村水库大坝裂缝在渗水"])
    assert (t.n_corpus, t.n_extra, t.n_dropped) == (0, 2, 1)
    assert t.model.meta["n_examples"] == "2"
