"""Classifier benchmark: load time, single-message latency, batch throughput, RSS.

Usage: `python bench/bench_classifier.py [--n 3000] [--shared ../shared/data] [--json FILE]`

Why each figure is measured the way it is:

* load time runs in fresh subprocesses (median of 5), so caches of this process do not flatter
  it; it is reported twice: the model alone (`load_default()` once numpy is imported: the
  classifier's modules, rjieba and its dictionary, the arrays) and a cold start including
  numpy; the bot imports no scikit-learn, scipy or skops (`classifier.runtime`);
* latency is per `classify(text)` call, one message at a time, as the bot calls it, over the
  project's own hand-written messages (and, with --shared, long real letters), after warm-up;
* the latency floor is each message's fastest of 5 calls (p50/p99 over the messages): what
  the code costs with the machine's other load filtered out, for back-to-back comparisons;
* throughput uses `classify_many` (one vectorisation pass per batch), as `intake-bot evaluate`
  and retraining do;
* RSS is the resident set of a fresh process after loading the model and classifying.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

LOAD_SNIPPET = """
import time, json
t0 = time.perf_counter()
import numpy
t1 = time.perf_counter()
from classifier import load_default
clf = load_default()
t2 = time.perf_counter()
clf.classify("网格员你好，小区停水三天了")
def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")
print(json.dumps({"imports": t1 - t0, "model": t2 - t1, "cold": t2 - t0, "rss_mb": rss_mb()}))
"""


def load_stats(runs: int = 5) -> dict[str, float]:
    """Median load figures over `runs` fresh interpreters."""
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", LOAD_SNIPPET], check=True, capture_output=True, text=True
        ).stdout
        samples.append(json.loads(out.strip().splitlines()[-1]))
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


def messages(shared: Path | None) -> dict[str, list[str]]:
    """Benchmark inputs: our own short chat messages, and optionally long real letters."""
    from classifier.corpus import shipped

    own = [e.text for name in ("heldout.tsv", "heldout2.tsv", "handwritten.tsv")
           for e in shipped(name)]
    sets = {"own chat messages": own}
    if shared is not None:
        path = shared / "teddy2020c_attachment3_unlabelled" / "messages_unlabelled_dev.csv"
        with path.open(encoding="utf-8", newline="") as fh:
            sets["teddy long letters"] = [r["text"] for r in csv.DictReader(fh)]
    return sets


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[idx]


def latency(texts: list[str], n: int) -> dict[str, float]:
    """p50/p99/max of single-message classify() in milliseconds."""
    from classifier import load_default

    clf = load_default()
    for t in texts[:50]:
        clf.classify(t)
    times = []
    for i in range(n):
        t = texts[i % len(texts)]
        start = time.perf_counter()
        clf.classify(t)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "p50_ms": percentile(times, 50),
        "p99_ms": percentile(times, 99),
        "max_ms": max(times),
        "mean_chars": sum(len(texts[i % len(texts)]) for i in range(n)) / n,
    }


def latency_floor(texts: list[str], repeats: int = 5) -> dict[str, float]:
    """p50/p99 over the texts of each one's fastest of `repeats` classify() calls, in ms.

    Why: on a shared machine a single call's time includes whatever else ran then, which
    swings p99 by ±30 % between runs; the fastest of five is what the code costs, so two
    builds can be compared on it back to back."""
    from classifier import load_default

    clf = load_default()
    best = []
    for t in texts:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            clf.classify(t)
            times.append((time.perf_counter() - start) * 1000)
        best.append(min(times))
    return {"floor_p50_ms": percentile(best, 50), "floor_p99_ms": percentile(best, 99)}


def throughput(texts: list[str], batch: int = 256) -> dict[str, float]:
    """Messages and characters per second with classify_many in batches."""
    from classifier import load_default

    clf = load_default()
    many = clf.classify_many  # type: ignore[attr-defined]
    start = time.perf_counter()
    for i in range(0, len(texts), batch):
        many(texts[i : i + batch])
    secs = time.perf_counter() - start
    return {"msgs_per_s": len(texts) / secs, "chars_per_s": sum(map(len, texts)) / secs}


def segmenters() -> dict[str, float]:
    """jieba vs rjieba with the same user dictionary: start-up, speed, identical cuts."""
    import logging

    import jieba
    import rjieba

    from classifier.corpus import heldout, training_corpus
    from classifier.text import normalize, user_words

    jieba.setLogLevel(logging.WARNING)
    texts = [normalize(e.text) for e in training_corpus() + heldout()]
    start = time.perf_counter()
    jt = jieba.Tokenizer()
    jt.initialize()
    for word, freq in user_words():
        jt.add_word(word, freq)
    j_init = time.perf_counter() - start
    start = time.perf_counter()
    rj = rjieba.Jieba()
    for word, freq in user_words():
        rj.add_word(word, freq, None)
    r_init = time.perf_counter() - start
    start = time.perf_counter()
    a = [list(jt.cut(t, HMM=True)) for t in texts]
    j_secs = time.perf_counter() - start
    start = time.perf_counter()
    b = [list(rj.cut(t, True)) for t in texts]
    r_secs = time.perf_counter() - start
    chars = sum(map(len, texts))
    return {
        "jieba_init_s": j_init, "rjieba_init_s": r_init,
        "jieba_chars_per_s": chars / j_secs, "rjieba_chars_per_s": chars / r_secs,
        "identical": sum(x == y for x, y in zip(a, b, strict=True)), "n": len(texts),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="classifier benchmark")
    parser.add_argument("--n", type=int, default=3000, help="single-message calls per set")
    parser.add_argument("--shared", type=Path, help="../shared/data for long real letters")
    parser.add_argument("--json", type=Path, help="write results as JSON")
    args = parser.parse_args(argv)

    results: dict[str, object] = {"load": load_stats(), "segmenters": segmenters()}
    sets = messages(args.shared)
    for name, texts in sets.items():
        results[name] = {**latency(texts, args.n), **latency_floor(texts), **throughput(texts)}

    load = results["load"]
    assert isinstance(load, dict)
    print("| figure | value | target |")
    print("|---|---:|---:|")
    print(f"| model load (`load_default()` after `import numpy`) | {load['model'] * 1000:.0f} ms "
          "| < 500 ms |")
    print(f"| cold start (import numpy + load) | {load['cold'] * 1000:.0f} ms | – |")
    print(f"| RSS after load + one message | {load['rss_mb']:.0f} MB | < 250 MB |")
    for name in sets:
        r = results[name]
        assert isinstance(r, dict)
        print(f"| {name}: latency p50 / p99 / max (mean {r['mean_chars']:.0f} chars) | "
              f"{r['p50_ms']:.2f} / {r['p99_ms']:.2f} / {r['max_ms']:.1f} ms | p99 < 5 ms |")
        print(f"| {name}: fastest of 5 calls per message, p50 / p99 | {r['floor_p50_ms']:.2f} / "
              f"{r['floor_p99_ms']:.2f} ms | – |")
        print(f"| {name}: batch throughput | {r['msgs_per_s']:.0f} msg/s, "
              f"{r['chars_per_s'] / 1000:.0f}k chars/s | – |")
    seg = results["segmenters"]
    assert isinstance(seg, dict)
    print(f"| segmenter start-up with user dictionary: jieba / rjieba | "
          f"{seg['jieba_init_s'] * 1000:.0f} / {seg['rjieba_init_s'] * 1000:.0f} ms | – |")
    print(f"| segmentation speed: jieba / rjieba | {seg['jieba_chars_per_s'] / 1000:.0f}k / "
          f"{seg['rjieba_chars_per_s'] / 1000:.0f}k chars/s | – |")
    print(f"| identical cuts jieba vs rjieba (corpus + held-out) | "
          f"{seg['identical']} / {seg['n']} | – |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
