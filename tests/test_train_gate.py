"""`intake-bot train`: the gate on replacing a model, and gate-set texts kept out of training.

Fast on purpose: every model here is fitted on 25 rows written below (`--no-corpus`; fewer
than 30 rows, so no temperature fits; a small hashed feature space), never on the shipped
corpus (≈ 40 s).  Most tests empty `HELDOUT_FILES` so that the gate is exactly the small file
below; one keeps it to check the held-out files are the default gate.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier import NOT_A_REPORT, Classification, gate, runtime
from classifier import model as m
from classifier import rules as safety
from classifier.corpus import HELDOUT_FILES, Example, heldout, shipped, write
from classifier.evaluate import evaluate
from classifier.text import normalize_for_rules
from tests.test_classifier_cli import run

PLACES = ("东村", "西村", "南街", "北岭", "河口")
#: Danger now that no safety rule names (checked below): only the model can find it.
URGENT = [f"{p}渡船漏水在往下沉" for p in PLACES]


def corpus(urgent_label: str = "urgent") -> list[Example]:
    """25 rows, five per class; the sinking-ferry rows labelled `urgent_label`."""
    return [
        *(Example(t, "traffic_accident", urgent_label) for t in URGENT),
        *(Example(f"{p}路灯坏了一个月没人管", "other", "high") for p in PLACES),
        *(Example(f"{p}老板拖欠工资三个月", "labour_wages", "normal") for p in PLACES),
        *(Example(f"请问{p}物业费怎么算", "property_management", "low") for p in PLACES),
        *(Example(t, "not_a_report", "low")
          for t in ("收到了谢谢", "好的明白", "辛苦大家了", "早上好各位", "晚安啦")),
    ]


#: Corrections that retag the emergencies as ordinary: what the gate is for.
POISONED = [
    Example(e.text, e.type, "normal" if i % 2 else "low") if e.urgency == "urgent" else e
    for i, e in enumerate(corpus())
]
GATE = [
    *(Example(f"{p}的渡船漏水往下沉", "traffic_accident", "urgent")
      for p in ("中村", "后山", "塘")),
    Example("老板欠工资不给", "labour_wages", "normal"),
    Example("石桥老板拖欠工资半年", "labour_wages", "normal"),
    Example("请问物业费怎么交", "property_management", "low"),
    Example("收到谢谢", "not_a_report", "low"),
    Example("好的辛苦了", "not_a_report", "low"),
]


@pytest.fixture(autouse=True)
def small_features(monkeypatch: pytest.MonkeyPatch) -> None:
    """Speed only: 4,096 hashed buckets per extractor instead of 65,536 fit 25 rows ~10x faster."""
    monkeypatch.setattr(m, "N_FEATURES", 2**12)


@pytest.fixture(autouse=True)
def no_shipped_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With no model at `--out`, `train` gates against the shipped model; these tests set up
    their own "current" model instead (one test points the shipped path at it)."""
    monkeypatch.setattr(runtime, "default_model_path", lambda: tmp_path / "no-shipped-model.skops")


@pytest.fixture
def no_heldout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate is only the `--gate-data` file (the held-out files would dwarf it)."""
    monkeypatch.setattr("classifier.corpus.HELDOUT_FILES", ())


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {name: tmp_path / f"{name}.tsv" for name in ("clean", "poisoned", "gate", "more")}
    write(corpus(), paths["clean"])
    write(POISONED, paths["poisoned"])
    write(GATE, paths["gate"])
    write([*corpus()[:-1], Example("大家周末愉快", "not_a_report", "low")], paths["more"])
    return paths


def train(data: Path, out: Path, gate_file: Path, *extra: str) -> int:
    return run(
        ["train", "--no-corpus", "--data", str(data), "--out", str(out),
         "--gate-data", str(gate_file), *extra]
    )


@pytest.fixture
def current(
    no_heldout: None, files: dict[str, Path], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> Path:
    """A model in use at `out`, trained on the clean rows (no model before: no gate)."""
    out = tmp_path / "models" / "intake-local.skops"
    assert train(files["clean"], out, files["gate"]) == 0
    assert "no shipped model to compare with" in capsys.readouterr().out
    return out


def test_a_first_retrain_is_gated_against_the_shipped_model(
    current: Path, files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A county's first retrain writes a new file: the model it replaces is the shipped one."""
    monkeypatch.setattr(runtime, "default_model_path", lambda: current)
    first = tmp_path / "county" / "intake-local.skops"
    assert train(files["poisoned"], first, files["gate"]) == 1
    out, err = capsys.readouterr()
    assert f"no model at {first} yet: comparing with the shipped model {current}" in out
    assert f"nothing written to {first}" in err
    assert not first.exists() and first.with_name("intake-local.rejected.skops").exists()
    assert train(files["more"], first, files["gate"]) == 0
    assert "gate passed" in capsys.readouterr().out and first.exists()


def test_the_gate_urgent_rows_depend_on_the_model_alone() -> None:
    """Else the rules would find them whatever the training, and the gate tests prove nothing."""
    assert all(not safety.fired_rules(normalize_for_rules(e.text)) for e in GATE + corpus())


def test_poisoned_retrain_is_refused_and_the_current_model_kept(
    current: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before = current.read_bytes()
    assert train(files["poisoned"], current, files["gate"]) == 1
    out, err = capsys.readouterr()
    assert "urgent rows found (of 3)" in out and "FAIL: 3 fewer" in out
    assert "urgent rows filed below high" in out and "FAIL: 3 more" in out
    assert (
        "gate failed (urgent rows found (of 3) 3 -> 0 (3 fewer); "
        "urgent rows filed below high 0 -> 3 (3 more))"
    ) in err
    assert current.read_bytes() == before
    rejected = current.with_name("intake-local.rejected.skops")
    assert rejected.exists() and rejected.read_bytes() != before
    assert m.load(rejected).classify(GATE[0].text).urgency in ("normal", "low")
    leftovers = {p.name for p in current.parent.iterdir()}
    assert leftovers == {"intake-local.skops", "intake-local.rejected.skops"}


def test_clean_retrain_passes_and_replaces_the_model(
    current: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before = current.read_bytes()
    assert train(files["more"], current, files["gate"]) == 0
    out = capsys.readouterr().out
    assert "gate passed" in out and "FAIL" not in out
    assert current.read_bytes() != before
    assert m.load(current).classify(GATE[0].text).urgency == "urgent"
    assert not current.with_name("intake-local.rejected.skops").exists()


def test_force_ships_the_poisoned_candidate(
    current: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert train(files["poisoned"], current, files["gate"], "--force") == 0
    out = capsys.readouterr().out
    assert "gate FAILED" in out and "--force: shipped anyway" in out
    assert m.load(current).classify(GATE[0].text).urgency in ("normal", "low")
    assert not current.with_name("intake-local.rejected.skops").exists()


def test_no_gate_replaces_without_comparing(
    current: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert train(files["poisoned"], current, files["gate"], "--no-gate") == 0
    out = capsys.readouterr().out
    assert "saved without a gate (--no-gate)" in out and "verdict" not in out
    assert m.load(current).classify(GATE[0].text).urgency in ("normal", "low")


def test_a_damaged_current_model_stops_before_training(
    no_heldout: None, files: dict[str, Path], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "m.skops"
    out.write_bytes(b"not a model")
    assert train(files["clean"], out, files["gate"]) == 2
    assert "cannot load the current model" in capsys.readouterr().err
    assert out.read_bytes() == b"not a model"


def test_an_empty_gate_or_a_bad_tolerance_is_refused(
    current: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["train", "--no-corpus", "--data", str(files["clean"]), "--out", str(current)]) == 2
    assert "gate sets are empty" in capsys.readouterr().err
    assert train(files["clean"], current, files["gate"], "--tolerance", "1.5") == 2
    assert "tolerance must be in [0, 1), got 1.5" in capsys.readouterr().err


def test_gate_texts_in_data_are_dropped_and_counted(
    no_heldout: None, files: dict[str, Path], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "retag.tsv"
    write([*corpus()[:-1], GATE[0], Example(GATE[3].text, "other", "low")], data)
    assert train(data, tmp_path / "m.skops", files["gate"]) == 0
    out = capsys.readouterr().out
    assert "dropped 2 extra rows whose text is in a gate set" in out
    assert "trained on 0 corpus + 24 extra examples" in out


def test_held_out_files_are_the_default_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    held = shipped(HELDOUT_FILES[0])[0]
    data = tmp_path / "retag.tsv"
    write([*corpus()[:-1], Example(held.text, "other", "low")], data)
    out = tmp_path / "m.skops"
    args = ["train", "--no-corpus", "--data", str(data), "--out", str(out)]
    assert run(args) == 0
    assert "dropped 1 extra rows" in capsys.readouterr().out
    assert run(args) in (0, 1)  # whatever the verdict: the gate scored the held-out rows
    distinct = len({e.text for e in heldout()})
    assert f"gate: {distinct} rows" in capsys.readouterr().out


def test_train_drops_corrections_in_the_held_out_texts() -> None:
    rows = [(e.text, e.type, e.urgency) for e in corpus()[::5]]  # one row per class
    t = m.train(rows, include_corpus=False, held_out=[f" {URGENT[0]}"])
    assert (t.n_corpus, t.n_extra, t.n_dropped) == (0, 4, 1)
    assert t.model.meta["n_examples"] == "4"


def test_correction_weight_and_calibration_are_the_callers_to_choose() -> None:
    """`classifier.desk_curve` trains with other weights and no temperatures: the weight must
    reach the fit, and skipping calibration must leave the temperatures at 1."""
    # 50 rows: calibration needs 30 (`model.fit`), so that skipping it is visible
    rows = [(e.text + end, e.type, e.urgency) for e in corpus() for end in ("啊", "呀")]
    light = m.train(rows, include_corpus=False, calibrate=False, correction_weight=1.0).model
    heavy = m.train(rows, include_corpus=False, calibrate=False, correction_weight=10.0).model
    assert light.meta["type_temperature"] == light.meta["urgency_temperature"] == "1.0"
    compiled = [model.predictor for model in (light, heavy)]
    assert all(isinstance(p, runtime.CompiledModel) for p in compiled)
    coef = [p.heads[0].by_column for p in compiled if isinstance(p, runtime.CompiledModel)]
    assert coef[0].shape == coef[1].shape and not (coef[0] == coef[1]).all()
    calibrated = m.train(rows, include_corpus=False).model
    assert calibrated.meta["type_temperature"] != "1.0"


# --- the checks themselves (classifier.gate) ----------------------------------------------


BASE = gate.GateMetrics(
    rows=100, urgent_rows=20, urgent_found=18, urgent_below_high=1,
    macro_f1_disputes=0.80, not_a_report_precision=0.90, not_a_report_recall=0.85,
)


def candidate(**changes: float | None) -> gate.GateMetrics:
    values = {**BASE.__dict__, **changes}
    return gate.GateMetrics(**values)


def verdicts(cand: gate.GateMetrics, tolerance: float = gate.DEFAULT_TOLERANCE) -> list[bool]:
    return [c.passed for c in gate.compare(BASE, cand, tolerance)]


def test_urgent_checks_are_strict() -> None:
    assert all(verdicts(BASE))
    assert verdicts(candidate(urgent_found=17)) == [False, True, True, True, True]
    assert verdicts(candidate(urgent_found=20)) == [True] * 5  # finding more is fine
    assert verdicts(candidate(urgent_below_high=2)) == [True, False, True, True, True]
    assert verdicts(candidate(urgent_below_high=0)) == [True] * 5
    # Even a huge tolerance does not soften them.
    assert not all(verdicts(candidate(urgent_found=17), tolerance=0.5))


def test_quality_checks_allow_a_fall_up_to_the_tolerance() -> None:
    assert all(verdicts(candidate(macro_f1_disputes=0.78)))  # exactly 0.02: passes
    assert verdicts(candidate(macro_f1_disputes=0.779)) == [True, True, False, True, True]
    assert verdicts(candidate(not_a_report_precision=0.87)) == [True, True, True, False, True]
    assert verdicts(candidate(not_a_report_recall=0.80)) == [True, True, True, True, False]
    assert all(verdicts(candidate(not_a_report_recall=0.80), tolerance=0.05))
    assert not all(verdicts(candidate(macro_f1_disputes=0.79), tolerance=0.0))
    assert all(verdicts(candidate(macro_f1_disputes=0.99)))  # rising is fine


def test_a_failed_check_says_by_how_much() -> None:
    checks = gate.compare(BASE, candidate(urgent_found=16, not_a_report_recall=0.80))
    failed = gate.failures(checks)
    assert [c.verdict for c in failed] == ["FAIL: 2 fewer", "FAIL: -0.050, tolerance 0.020"]
    assert gate.summary(checks) == (
        "urgent rows found (of 20) 18 -> 16 (2 fewer); "
        "not_a_report recall 0.850 -> 0.800 (-0.050, tolerance 0.020)"
    )
    table = gate.format_table(checks)
    assert table.splitlines()[0].split() == ["metric", "current", "candidate", "verdict"]
    urgent = next(line for line in table.splitlines() if line.startswith("urgent rows found"))
    assert urgent.split()[-5:] == ["18", "16", "FAIL:", "2", "fewer"]


def test_missing_labels_are_not_checked_and_tolerance_is_validated() -> None:
    empty = candidate(macro_f1_disputes=None, not_a_report_precision=None,
                      not_a_report_recall=None)
    checks = gate.compare(empty, empty)
    assert all(c.passed for c in checks) and checks[2].verdict.startswith("n/a")
    with pytest.raises(ValueError):
        gate.compare(BASE, BASE, tolerance=-0.1)


def test_metrics_are_read_from_the_evaluation_report() -> None:
    answers = {
        "u1": Classification("public_order", 0.9, "urgent", 0.9),
        "u2": Classification("public_order", 0.9, "high", 0.9),
        "u3": Classification(NOT_A_REPORT, 0.9, "low", 0.9),
        "n1": Classification("neighbour", 0.9, "normal", 0.9),
        "c1": Classification(NOT_A_REPORT, 0.9, "low", 0.9),
        "c2": Classification("neighbour", 0.9, "normal", 0.9),
    }

    class Scripted:
        def classify(self, text: str) -> Classification:
            return answers[text]

    rows = [
        *(Example(t, "public_order", "urgent") for t in ("u1", "u2", "u3")),
        Example("n1", "neighbour", "normal"),
        *(Example(t, NOT_A_REPORT, "low") for t in ("c1", "c2")),
    ]
    report = evaluate(Scripted(), rows)
    got = gate.metrics(report)
    assert (got.rows, got.urgent_rows, got.urgent_found, got.urgent_below_high) == (6, 3, 1, 1)
    assert got.not_a_report_precision == 0.5 and got.not_a_report_recall == 0.5
    assert got.macro_f1_disputes == report["type"]["macro_f1_disputes"]
    unlabelled = gate.metrics(evaluate(Scripted(), [Example("u1"), Example("n1")]))
    assert unlabelled.macro_f1_disputes is None and unlabelled.not_a_report_recall is None
    assert unlabelled.urgent_rows == 0


def test_rows_without_urgency_train_the_type_head_only(
    no_heldout: None, files: dict[str, Path], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A `--data` file whose rows carry a type and no urgency (a county's type corrections):
    they are trained on, for the type head only, and the output says how many."""
    data = tmp_path / "types.tsv"
    gambling = [Example(f"{p}有人聚众赌博", "public_order", "") for p in PLACES[:3]]
    write([*corpus(), *gambling], data)
    out = tmp_path / "m.skops"
    assert train(data, out, files["gate"]) == 0
    printed = capsys.readouterr().out
    assert "trained on 0 corpus + 28 extra examples" in printed
    assert "(3 of them type-only: no urgency, so the type head only)" in printed
    assert runtime.read(out) is not None
    assert m.load(out).classify("西村有人聚众赌博").type == "public_order"


def test_gate_rows_score_a_repeated_text_once() -> None:
    held = [Example("甲村停水三天", "property_management", "high"),
            Example("收到", "not_a_report", "low")]
    county = [[Example(" 甲村停水三天", "property_management", "high"),
               Example("乙村有人打架", "public_order", "urgent")]]
    assert [e.text for e in gate.rows(held, county)] == ["甲村停水三天", "收到", "乙村有人打架"]
