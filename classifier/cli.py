"""`intake-bot classify | train | evaluate`: the classifier's sub-commands on the main CLI.

`bot.cli` builds the top-level parser and calls `add_commands(subparsers)`; each sub-command sets
`func`, a callable taking the parsed Namespace and returning an exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from classifier import Classifier, load_default


def _load(path: str | None) -> Classifier:
    """The model at `path`, or the shipped default."""
    if path:
        from classifier.model import load

        return load(path)
    return load_default()


def cmd_classify(args: argparse.Namespace) -> int:
    """One JSON object per message: from the arguments, else one message per stdin line."""
    clf = _load(args.model)
    texts: list[str] = list(args.text)
    out = sys.stdout
    if texts:
        for t in texts:
            out.write(json.dumps(clf.classify(t).as_json(t), ensure_ascii=False) + "\n")
        return 0
    for line in sys.stdin:
        t = line.rstrip("\r\n")
        if not t.strip():
            continue
        out.write(json.dumps(clf.classify(t).as_json(t), ensure_ascii=False) + "\n")
        out.flush()
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    """Train on the shipped corpus plus `--data` files (e.g. exported `/retag` corrections)."""
    from classifier.corpus import CorpusError
    from classifier.model import default_model_path, train_model

    out = Path(args.out) if args.out else default_model_path()
    try:
        report = train_model(
            (), out, data_files=[Path(p) for p in args.data], include_corpus=not args.no_corpus
        )
    except (CorpusError, ValueError, OSError) as exc:
        print(f"train: {exc}", file=sys.stderr)
        return 2
    if report.n_dropped:
        print(
            f"dropped {report.n_dropped} extra rows whose text is in a held-out file "
            "(never trained on, so that it measures generalisation, not memory)"
        )
    print(
        f"trained on {report.n_corpus} corpus + {report.n_extra} extra examples "
        f"in {report.seconds:.1f} s -> {report.path}"
    )
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Score the model (or the keyword baseline) on a labelled CSV/TSV file."""
    from classifier.corpus import CorpusError, read
    from classifier.evaluate import evaluate, format_report

    try:
        examples = read(args.data)
    except (CorpusError, OSError) as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2
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

    p = sub.add_parser("train", help="train the classifier and save it with skops")
    p.add_argument(
        "--data", action="append", default=[], metavar="FILE",
        help="extra CSV/TSV with header text,type,urgency (repeatable), e.g. /retag corrections",
    )
    p.add_argument("--out", metavar="MODEL", help="output model file (default: the shipped one)")
    p.add_argument(
        "--no-corpus", action="store_true", help="train only on --data, not the shipped corpus"
    )
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="score on a labelled CSV/TSV (header text,type,urgency)")
    p.add_argument("--data", required=True, metavar="FILE")
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
