"""The safety gate on retraining: may a candidate model replace the model in use?

`intake-bot train` scores the current model and the candidate on the same gate sets (the
held-out files, plus any `--gate-data` a county adds) with `classifier.evaluate.evaluate`,
reduces each report to `GateMetrics` here, and replaces the model only if every check of
`compare` passes.  This module is the checks and nothing else: numbers in, verdicts out, no
files, models or platform, so the rules are read and tested in one place.

Why each check:

* **Urgent rows found must not fall (strict).**  Urgent means danger to someone now.  A retrain
  that finds even one emergency fewer than the model in use is a regression no gain elsewhere
  pays for, and careless or wrong corrections (urgent texts retagged normal or low) show up
  here first.
* **Urgent rows filed below "high" must not rise (strict).**  A missed urgent row tagged "high"
  still reaches a queue a worker looks at soon; one tagged normal or low, or dropped as
  chatter, waits days or is never seen.  These are the misses that hurt, and the first check
  does not tell them apart from the mild ones.
* **Dispute-type macro-F1 and not_a_report precision and recall may fall by at most a
  tolerance** (`DEFAULT_TOLERANCE`).  These are what corrections are meant to improve, and they
  move a little with any change of training data, so a strict rule would block honest
  retrains; a larger fall means the corrections taught something wrong: a type mislabelled
  wholesale (macro-F1), real reports dropped as chatter with no ticket (precision), or chatter
  filed as tickets the desk must dismiss (recall).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from classifier.corpus import Example, text_key

#: How far macro-F1 and not_a_report precision/recall may fall (absolute, on a 0-1 scale).
DEFAULT_TOLERANCE: Final = 0.02
#: Float slack, so that a fall of exactly the tolerance passes despite rounding.
_EPSILON: Final = 1e-9


def rows(held_out: Sequence[Example], county: Sequence[Sequence[Example]] = ()) -> list[Example]:
    """The gate sets pooled: the held-out files, then each `--gate-data` file; a text that
    occurs twice is scored once (a county may copy a held-out file as its own)."""
    seen: set[str] = set()
    out: list[Example] = []
    for e in [*held_out, *(e for file_rows in county for e in file_rows)]:
        if text_key(e.text) not in seen:
            seen.add(text_key(e.text))
            out.append(e)
    return out


@dataclass(frozen=True)
class GateMetrics:
    """One model's figures on the gate sets; None where the gate sets lack the labels."""

    rows: int
    urgent_rows: int
    urgent_found: int
    urgent_below_high: int
    macro_f1_disputes: float | None
    not_a_report_precision: float | None
    not_a_report_recall: float | None


def metrics(report: Mapping[str, Any]) -> GateMetrics:
    """The gate's figures from a `classifier.evaluate.evaluate` report (same definitions)."""
    urgency = report.get("urgency", {})
    urgent = urgency.get("urgent", {"tp": 0, "fn": 0})
    types = report.get("type", {})
    nar = types.get("not_a_report")
    has_nar = nar is not None and nar["tp"] + nar["fn"] > 0
    return GateMetrics(
        rows=int(report["n"]),
        urgent_rows=int(urgent["tp"] + urgent["fn"]),
        urgent_found=int(urgent["tp"]),
        urgent_below_high=int(urgency.get("urgent_below_high", 0)),
        macro_f1_disputes=types.get("macro_f1_disputes"),
        not_a_report_precision=float(nar["precision"]) if has_nar else None,
        not_a_report_recall=float(nar["recall"]) if has_nar else None,
    )


@dataclass(frozen=True)
class Check:
    """One line of the comparison: a metric, both models' values and the verdict."""

    metric: str
    current: float | None
    candidate: float | None
    passed: bool
    verdict: str


def _must_not_fall(metric: str, current: int, candidate: int) -> Check:
    if candidate >= current:
        return Check(metric, current, candidate, True, "ok")
    return Check(metric, current, candidate, False, f"FAIL: {current - candidate} fewer")


def _must_not_rise(metric: str, current: int, candidate: int) -> Check:
    if candidate <= current:
        return Check(metric, current, candidate, True, "ok")
    return Check(metric, current, candidate, False, f"FAIL: {candidate - current} more")


def _within(metric: str, current: float | None, candidate: float | None, tol: float) -> Check:
    if current is None or candidate is None:
        return Check(metric, current, candidate, True, "n/a (no such rows)")
    change = candidate - current
    shown = round(change, 3) + 0.0  # + 0.0: a tiny fall shows as +0.000, not -0.000
    if -change <= tol + _EPSILON:
        return Check(metric, current, candidate, True, f"ok ({shown:+.3f})")
    return Check(metric, current, candidate, False, f"FAIL: {shown:+.3f}, tolerance {tol:.3f}")


def check_tolerance(tolerance: float) -> None:
    """Raise ValueError unless `tolerance` is a fall a 0-1 metric can have: in [0, 1)."""
    if not 0.0 <= tolerance < 1.0:
        raise ValueError(f"tolerance must be in [0, 1), got {tolerance}")


def compare(
    current: GateMetrics, candidate: GateMetrics, tolerance: float = DEFAULT_TOLERANCE
) -> list[Check]:
    """Every check, in the order of the module docstring; the candidate ships if all pass."""
    check_tolerance(tolerance)
    return [
        _must_not_fall(
            f"urgent rows found (of {current.urgent_rows})",
            current.urgent_found,
            candidate.urgent_found,
        ),
        _must_not_rise(
            "urgent rows filed below high", current.urgent_below_high, candidate.urgent_below_high
        ),
        _within(
            "dispute-type macro-F1",
            current.macro_f1_disputes,
            candidate.macro_f1_disputes,
            tolerance,
        ),
        _within(
            "not_a_report precision",
            current.not_a_report_precision,
            candidate.not_a_report_precision,
            tolerance,
        ),
        _within(
            "not_a_report recall",
            current.not_a_report_recall,
            candidate.not_a_report_recall,
            tolerance,
        ),
    ]


def _cell(value: float | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:.3f}"


def format_table(checks: Sequence[Check]) -> str:
    """The comparison as a plain-text table: metric, current, candidate, verdict."""
    width = max([len("metric"), *(len(c.metric) for c in checks)])
    lines = [f"{'metric':{width}s} {'current':>9s} {'candidate':>9s}  verdict"]
    for c in checks:
        lines.append(
            f"{c.metric:{width}s} {_cell(c.current):>9s} {_cell(c.candidate):>9s}  {c.verdict}"
        )
    return "\n".join(lines)


def failures(checks: Sequence[Check]) -> list[Check]:
    """The checks that did not pass (empty: the candidate may replace the current model)."""
    return [c for c in checks if not c.passed]


def summary(checks: Sequence[Check]) -> str:
    """One line naming each failed check and by how much, e.g. for an error message."""
    return "; ".join(
        f"{c.metric} {_cell(c.current)} -> {_cell(c.candidate)} "
        f"({c.verdict.removeprefix('FAIL: ')})"
        for c in failures(checks)
    )
