"""Start-up: how long from launching `intake-bot demo` until the first report is answered.

Runs the real command in a fresh process (cold Python, real SQLite file, bundled model),
feeds it one report and measures until the acknowledgement is printed.  Prints a table.

    .venv/bin/python bench/bench_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPORT = "楼上邻居半夜装修噪音很大，老人孩子睡不着\n"


def one_run(workdir: Path, index: int) -> float:
    db = workdir / f"startup-{index}.db"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "demo", "--db", str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin and proc.stdout
    proc.stdin.write(REPORT)
    proc.stdin.flush()
    for line in proc.stdout:
        if "工单号" in line:
            elapsed = time.perf_counter() - started
            break
    else:
        raise RuntimeError("no acknowledgement printed")
    proc.stdin.close()
    proc.wait(timeout=30)
    return elapsed


def phases() -> list[tuple[str, float]]:
    """Where the time goes, measured in this process."""
    rows = []
    t0 = time.perf_counter()
    import bot.cli  # noqa: F401

    rows.append(("import bot", time.perf_counter() - t0))
    t0 = time.perf_counter()
    import classifier

    model = classifier.load_default()
    rows.append(("load model (+ segmenter)", time.perf_counter() - t0))
    t0 = time.perf_counter()
    model.classify(REPORT)
    rows.append(("first classification", time.perf_counter() - t0))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        times = [one_run(Path(tmp), i) for i in range(args.runs)]
    print(f"{'measure':<42} {'seconds':>8}")
    print("-" * 51)
    print(
        f"{'launch -> first ack, median of ' + str(args.runs):<42} {statistics.median(times):>8.3f}"
    )
    print(f"{'launch -> first ack, worst':<42} {max(times):>8.3f}")
    for name, seconds in phases():
        print(f"{'  in-process: ' + name:<42} {seconds:>8.3f}")


if __name__ == "__main__":
    main()
