"""`intake-bot classify | train | evaluate`: the classifier's sub-commands on the main CLI.

`bot.cli` builds the top-level parser and calls `add_commands(subparsers)`; each sub-command sets
`func`, a callable taking the parsed Namespace and returning an exit code.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from classifier import Classifier, gate, load, load_default
from classifier.text import storable_text

if TYPE_CHECKING:
    from classifier.corpus import Example
    from classifier.runtime import IntakeClassifier


def _load(path: str | None) -> Classifier:
    """The model at `path`, or the shipped default."""
    if path:
        return load(path)
    return load_default()


def cmd_classify(args: argparse.Namespace) -> int:
    """One JSON object per message: from the arguments, else one message per stdin line."""
    clf = _load(args.model)
    texts = [storable_text(t) for t in args.text]
    out = sys.stdout
    if texts:
        for t in texts:
            out.write(json.dumps(clf.classify(t).as_json(t), ensure_ascii=False) + "\n")
        return 0
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="replace")  # a bad byte is one U+FFFD, not the end
    for line in sys.stdin:
        t = storable_text(line.rstrip("\r\n"))
        if not t.strip():
            continue
        out.write(json.dumps(clf.classify(t).as_json(t), ensure_ascii=False) + "\n")
        out.flush()
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    """Train on the shipped corpus plus `--data` files (e.g. exported `/retag` corrections), and
    replace the model at `--out` only if the candidate passes the gate (`classifier.gate`)."""
    from classifier import corpus
    from classifier.corpus import CorpusError, read
    from classifier.model import train
    from classifier.runtime import default_model_path

    out = Path(args.out) if args.out else default_model_path()
    try:
        gate.check_tolerance(args.tolerance)
        gate_rows = gate.rows(corpus.heldout(), [read(f) for f in args.gate_data])
    except (CorpusError, ValueError, OSError) as exc:
        print(f"train: {exc}", file=sys.stderr)
        return 2
    # A county's first retrain writes a new file: it is gated against the shipped model, the
    # one it replaces in the config, so the riskiest retrain is not the one left unchecked.
    baseline = out if out.exists() else default_model_path()
    current = None
    if baseline.exists() and not args.no_gate:
        if not gate_rows:
            print("train: the gate sets are empty; add --gate-data or use --no-gate",
                  file=sys.stderr)
            return 2
        try:
            current = load(baseline)
        except Exception as exc:  # skops raises many kinds on a damaged or foreign file
            print(f"train: cannot load the current model {baseline} to compare with ({exc}); "
                  "--no-gate replaces it without comparing", file=sys.stderr)
            return 2
    try:
        trained = train(
            (),
            [Path(p) for p in args.data],
            include_corpus=not args.no_corpus,
            held_out=[e.text for e in gate_rows],
        )
    except (CorpusError, ValueError, OSError) as exc:
        print(f"train: {exc}", file=sys.stderr)
        return 2
    if trained.n_dropped:
        print(
            f"dropped {trained.n_dropped} extra rows whose text is in a gate set "
            "(never trained on, so that the gate measures generalisation, not memory)"
        )
    type_only = int(trained.model.meta.get("n_type_only", "0"))
    urgency_only = int(trained.model.meta.get("n_urgency_only", "0"))
    print(
        f"trained on {trained.n_corpus} corpus + {trained.n_extra} extra examples "
        f"in {trained.seconds:.1f} s"
        + (f" ({type_only} of them type-only: no urgency, so the type head only)"
           if type_only else "")
        + (f" ({urgency_only} of them urgency-only: no type, so the urgency head only)"
           if urgency_only else "")
    )
    if current is None:
        why = "--no-gate" if args.no_gate else "no model at --out, no shipped model to compare with"
        return _write(trained.model, out, f"saved without a gate ({why}) -> {out}")
    if baseline != out:
        print(f"no model at {out} yet: comparing with the shipped model {baseline}")
    sets = f"{len(corpus.HELDOUT_FILES)} held-out files + {len(args.gate_data)} --gate-data"
    checks = _gate(current, trained.model, gate_rows, args.tolerance, sets)
    if not gate.failures(checks):
        return _write(trained.model, out, f"gate passed -> {out}")
    what = gate.summary(checks)
    if args.force:
        return _write(trained.model, out, f"gate FAILED ({what}); --force: shipped anyway -> {out}")
    rejected = out.with_suffix(".rejected.skops")
    if _write(trained.model, rejected, "") != 0:
        return 2
    kept = f"kept {out}" if baseline == out else f"nothing written to {out}"
    print(
        f"train: gate failed ({what}); {kept}, candidate written to {rejected} "
        "(--force ships it)",
        file=sys.stderr,
    )
    return 1


def _write(model: IntakeClassifier, path: Path, done: str) -> int:
    """Save `model` atomically (`classifier.model.save`), then print `done`; 2 if it fails."""
    from classifier.model import save

    try:
        save(model, path)
    except OSError as exc:
        print(f"train: cannot write {path}: {exc}", file=sys.stderr)
        return 2
    if done:
        print(done)
    return 0


def _gate(
    current: Classifier, candidate: Classifier, rows: list[Example], tolerance: float, sets: str
) -> list[gate.Check]:
    """Score both models on the gate rows with `evaluate`, print the table, return the checks."""
    from classifier.evaluate import evaluate

    before, after = (gate.metrics(evaluate(m, rows)) for m in (current, candidate))
    print(
        f"gate: {before.rows} rows, {before.urgent_rows} labelled urgent ({sets}); "
        f"tolerance {tolerance:.3f}"
    )
    checks = gate.compare(before, after, tolerance)
    print(gate.format_table(checks))
    return checks


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Score the model (or the keyword baseline) on labelled CSV/TSV files, pooled.

    `--held-out` pools the shipped held-out files, the sets the retraining gate scores: the
    README's pooled figures ("the 27 gate files") are this command's output.  A text that occurs
    in two files is scored once, as the gate does (`gate.rows`).
    """
    from classifier.corpus import CorpusError, heldout, read
    from classifier.evaluate import evaluate, format_report

    if not args.data and not args.held_out:
        print("evaluate: give --data FILE (repeatable) or --held-out", file=sys.stderr)
        return 2
    try:
        files = [read(path) for path in args.data]
    except (CorpusError, OSError) as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2
    for path, rows in zip(args.data, files, strict=True):
        if not rows:  # a report of nothing, exit 0
            print(f"evaluate: {path}: no rows under the header", file=sys.stderr)
            return 2
    examples = gate.rows(heldout() if args.held_out else [], files)
    if args.baseline:
        from classifier.baseline import KeywordBaseline

        clf: Classifier = KeywordBaseline()
    else:
        clf = _load(args.model)
    report = evaluate(clf, examples)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `classify`, `train` and `evaluate` on the main CLI's subparsers."""
    p = sub.add_parser("classify", help="classify messages (arguments, or one per stdin line)")
    p.add_argument("text", nargs="*", help="message(s); if none, read one per line from stdin")
    p.add_argument("--model", help="model file (default: the shipped model)")
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser(
        "train", help="train the classifier; replace the model only if the candidate passes a gate"
    )
    p.add_argument(
        "--data", action="append", default=[], metavar="FILE",
        help="extra CSV/TSV with header text,type,urgency (repeatable), e.g. /retag corrections;"
        " a row with no urgency trains the type only, one with no type the urgency only",
    )
    p.add_argument("--out", metavar="MODEL", help="output model file (default: the shipped one)")
    p.add_argument(
        "--no-corpus", action="store_true", help="train only on --data, not the shipped corpus"
    )
    p.add_argument(
        "--gate-data", action="append", default=[], metavar="FILE",
        help="a county's own gate set, CSV/TSV text,type,urgency (repeatable), added to the "
        "held-out files; never trained on",
    )
    p.add_argument(
        "--tolerance", type=float, default=gate.DEFAULT_TOLERANCE, metavar="X",
        help="how far macro-F1 and not_a_report precision/recall may fall "
        f"(default {gate.DEFAULT_TOLERANCE}); urgent rows are strict",
    )
    p.add_argument(
        "--force", action="store_true", help="replace the model even if the gate fails"
    )
    p.add_argument(
        "--no-gate", action="store_true", help="replace the model without comparing"
    )
    p.set_defaults(func=cmd_train)

    p = sub.add_parser(
        "evaluate", help="score on labelled CSV/TSV files (header text,type,urgency), pooled"
    )
    p.add_argument(
        "--data", action="append", default=[], metavar="FILE",
        help="a labelled CSV/TSV file (repeatable: the files are scored as one set)",
    )
    p.add_argument(
        "--held-out", action="store_true",
        help="also the shipped held-out files (classifier/data/heldout*.tsv, dev_*.tsv): the "
        "retraining gate's sets",
    )
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.add_argument("--model", help="model file (default: the shipped model)")
    p.add_argument("--baseline", action="store_true", help="score the keyword baseline instead")
    p.set_defaults(func=cmd_evaluate)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point (`python -m classifier.cli`), same commands as `intake-bot`."""
    parser = argparse.ArgumentParser(prog="python -m classifier.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    add_commands(sub)
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
