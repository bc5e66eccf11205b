"""Instructions spent loading the classifier and classifying one long letter (callgrind).

Why instructions: on a shared 2-core machine wall-clock timings swing by ±15–40 % between runs,
so a speed change of a few tens of percent is only visible back to back, and a claim about
another machine can only be scaled.  Instruction counts do not depend on what else the machine
runs.  Three runs under `valgrind --tool=callgrind`, each in a fresh interpreter:

* imports — numpy (the bot's classifier imports no scikit-learn since the eighth round);
* load    — the same, then `load_default()`;
* letters — the same, then `classify()` of one long letter, `--repeat` times.

load − imports is what `load_default()` costs; (letters − load) / repeat is one classification.
The letter is the one at the 99th percentile of length in the teddy unlabelled letters when
`--shared` is given (the latency benchmark's long letters), else the project's own rows joined
to 2,000 characters.  Takes 10–20 minutes (valgrind runs Python ~50× slower).

    python bench/count_instructions.py --shared ../shared/data
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SNIPPET = """
import csv, sys
mode, shared, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
import numpy  # noqa: F401
if mode == "imports":
    raise SystemExit
from classifier import load_default
clf = load_default()
if mode == "load":
    raise SystemExit
if shared:
    path = shared + "/teddy2020c_attachment3_unlabelled/messages_unlabelled_dev.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        letters = sorted((r["text"] for r in csv.DictReader(fh)), key=len)
    letter = letters[int(len(letters) * 0.99)]
else:
    from classifier.corpus import shipped
    letter = "".join(e.text for e in shipped("handwritten.tsv"))[:2000]
for _ in range(repeat):
    clf.classify(letter)
"""


def instructions(mode: str, shared: str, repeat: int) -> int:
    """Instructions callgrind collected for one fresh interpreter running SNIPPET in `mode`."""
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out",
             sys.executable, "-c", SNIPPET, mode, shared, str(repeat)],
            capture_output=True, text=True, check=True,
        )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, help="path to shared/data (for a real letter)")
    parser.add_argument("--repeat", type=int, default=100, help="classifications counted")
    args = parser.parse_args(argv)
    shared = str(args.shared) if args.shared else ""
    counts = {mode: instructions(mode, shared, args.repeat)
              for mode in ("imports", "load", "letters")}
    print("| figure | instructions |")
    print("|---|---:|")
    print(f"| imports (numpy) | {counts['imports'] / 1e9:.2f} billion |")
    print(f"| `load_default()` | {(counts['load'] - counts['imports']) / 1e9:.2f} billion |")
    per = (counts["letters"] - counts["load"]) / args.repeat
    print(f"| one `classify()` of the long letter | {per / 1e6:.1f} million |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
