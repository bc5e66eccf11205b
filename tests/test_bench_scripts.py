"""The benchmark scripts still run against the code as it is now, on a tiny size.

They call the store and the desk's internals directly, outside the type-checked packages,
so a renamed method breaks them silently (bench_reports once called a `Tx` method that had
been renamed).  This checks only that each finishes and prints its table; the figures are
the scripts' own business (README, Performance), never asserted here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("script", "args", "row"),
    [
        ("bench_reports.py", ["--tickets", "300"], "| a sweep between full reads (the agenda)"),
        ("bench_pipeline.py", ["--messages", "60"], "reports, sequential: messages/s"),
        ("bench_startup.py", ["--runs", "1"], "launch -> first ack, median of 1"),
        ("bench_classifier.py", ["--n", "20"], "|"),
        ("bench_screening.py", ["--grids", "20"], "| the afternoon reminder"),
    ],
)
def test_a_benchmark_runs_and_prints_its_table(script: str, args: list[str], row: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert any(line.startswith(row) for line in done.stdout.splitlines()), done.stdout[-2000:]
