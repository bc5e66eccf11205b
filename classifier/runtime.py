"""The classifier as the bot runs it: numpy, the segmenter and the safety rules; no scikit-learn.

Why a module of its own: importing scikit-learn (and the scipy.stats it pulls in), and skops
on top, was most of a cold start: 1.2-2.8 s of the bot's 2 s budget for its first message
(README, Performance), and ~120 MB of its memory.  Yet at prediction time the fitted pipeline
is a few arrays: two hashed tf-idf blocks (words and characters) and two multinomial logistic
regressions (type and urgency).  `classifier.model` fits that pipeline with scikit-learn and
saves it with skops; beside skops's own members the model file carries a small JSON index
(`INDEX_MEMBER`) naming the `.npy` members that hold those arrays, so this module reads them
with `numpy` alone (`allow_pickle=False`: no object is built from the file, nothing in it can
run) and does the arithmetic itself.  A test checks the probabilities equal scikit-learn's
`predict_proba` on every corpus row, and the hashing equals scikit-learn's murmur hashing.

The decisions on top of the probabilities (thresholds, the chatter gate, the safety rules,
triage) are `IntakeClassifier._decide`, also here, so the bot imports one module to classify:

* Urgency is the more urgent of the model's prediction and the safety rules (`classifier.rules`):
  rules only raise.  The model's own "urgent" is taken already at `URGENT_THRESHOLD`, below 0.5,
  because a missed emergency costs far more than an extra look.
* A message the model calls chatter is never dropped if a rule fires, it has crisis words, or
  the urgency head gives it at least the "high" floor's chance of danger (`HIGH_FLOOR_THRESHOLD`,
  the line below which nothing is filed ordinary): it becomes a report of its most likely
  dispute type, flagged for triage.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import mmh3
import numpy as np
from numpy.lib import format as npy

from classifier import chatter
from classifier import rules as safety
from classifier.asking import asks_or_suggests
from classifier.taxonomy import CHATTER_URGENCY, NOT_A_REPORT, OTHER, more_urgent
from classifier.text import normalize, normalize_for_rules, tokenize, unreadable

if TYPE_CHECKING:  # the package imports this module lazily, so no runtime cycle
    from classifier import Classification

#: How much of a message the model reads (see `IntakeClassifier.predict_raw`): keeps p99
#: latency under 5 ms for 3,000-character letters; group-chat messages are far shorter.
MODEL_CHARS = 500

#: Below this type confidence the ticket is flagged `needs_triage` (a human picks the type).
TRIAGE_THRESHOLD = 0.6
#: The model's urgency is "urgent" as soon as P(urgent) reaches this (recall over precision).
URGENT_THRESHOLD = 0.30
#: Below URGENT_THRESHOLD but at least this P(urgent): at least "high", never filed as ordinary.
HIGH_FLOOR_THRESHOLD = 0.20
#: Urgency confidence reported when a safety rule (not the model) set the level.
RULE_CONFIDENCE = 1.0
#: The type is `not_a_report` only if the unscaled P(not_a_report) reaches this *and* the urgency
#: head also ranks its internal chatter class first; otherwise the likeliest dispute type wins.
#: A chatter ticket costs a worker one click, a dropped report costs a resident.  Kept at 0.4:
#: CV after the consultation/chatter round favours 0.3 (not_a_report P/R 0.909/0.795 vs
#: 0.957/0.761), but 0.3 doubled the real reports dropped on the shared data
#: (docs/classifier-history.md §3).
CHATTER_THRESHOLD = 0.4
#: A message in one of the forms group chatter takes (`classifier.chatter`: a forwarded notice, a
#: question about the group, a matter already settled, an advert) is chatter as soon as the type
#: head gives chatter this unscaled probability, whatever type it ranks first and whatever the
#: urgency head says; the safety guards still apply.  The lowest floor that drops no more of the
#: shared data's real text (docs/classifier-history.md §2, twelfth round).
CHATTER_FORM_FLOOR = 0.1
#: `other` is the catch-all type, so it also absorbs text unlike the corpus: the model's best
#: guess is `other` while the real dispute type comes close behind.  So `other` wins only if the
#: likeliest dispute type has less than this share of its unscaled probability; otherwise that
#: dispute type is taken (flagged for triage when unsure, as any type).  0 turns this off.
#: Chosen by cross-validation (docs/classifier-history.md §3; the reason: README, classifier §2).
OTHER_RATIO = 0.6

#: The shipped model's file name, in `classifier/models/`.
MODEL_FILENAME = "intake.skops"
#: The model file's member that indexes the runtime arrays (see the module docstring).
INDEX_MEMBER = "intake-runtime.json"
#: Version of that index; a reader meeting another refuses the index (`ModelFileError`).
INDEX_FORMAT = 1

#: scikit-learn's own white-space folding before character n-grams (`_VectorizerMixin`).
_WHITE_SPACES = re.compile(r"\s\s+")


def default_model_path() -> Path:
    """Where the shipped model lives inside the package."""
    return Path(str(resources.files("classifier").joinpath("models", MODEL_FILENAME)))


class ModelFileError(ValueError):
    """The model file's runtime index is malformed or inconsistent; the message names how."""


def _ngrams(items: Sequence[str], low: int, high: int, sep: str) -> Iterator[str]:
    """Every run of `low`..`high` consecutive items joined by `sep`, as scikit-learn forms them
    (the order differs, which hashing ignores); C-level `map`/`zip` instead of its Python loop,
    which was a fifth of a long letter's time."""
    shifted = [items[i:] for i in range(high)]
    return chain.from_iterable(
        map(sep.join, zip(*shifted[:n], strict=False)) for n in range(low, high + 1)
    )


#: The analyzers a model file may name: what each turns normalised text into.
ANALYZERS: dict[str, Callable[[str, int, int], Iterator[str]]] = {
    "char": lambda norm, low, high: _ngrams(_WHITE_SPACES.sub(" ", norm), low, high, ""),
    "word": lambda norm, low, high: _ngrams(tokenize(norm), low, high, " "),
}


def hash_columns(features: list[str], n_features: int) -> np.ndarray:
    """Column of each feature, as scikit-learn's `HashingVectorizer` computes it: signed 32-bit
    MurmurHash3 of the UTF-8 bytes, seed 0, absolute value modulo `n_features` (in 64 bits, so
    -2**31 maps as scikit-learn's special case does).  `mmh3` is that hash in C (~90 ns each)."""
    hashes = np.fromiter(map(mmh3.hash, features), dtype=np.int64, count=len(features))
    columns: np.ndarray = np.abs(hashes) % n_features
    return columns


@dataclass(frozen=True, eq=False)
class Extractor:
    """One hashed tf-idf feature block (words or characters), as plain arrays."""

    analyzer: str
    ngram_range: tuple[int, int]
    n_features: int
    idf: np.ndarray | None
    sublinear: bool
    l2: bool

    def entries(self, norms: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, column, tf-idf value) of every feature present in the normalised texts, sorted
        by row: the non-zero entries of the pipeline's matrix for this block."""
        analyze, (low, high) = ANALYZERS[self.analyzer], self.ngram_range
        per_text = [list(analyze(norm, low, high)) for norm in norms]
        indices = hash_columns(list(chain.from_iterable(per_text)), self.n_features)
        rows = np.repeat(np.arange(len(norms), dtype=np.int64), [len(f) for f in per_text])
        cells, counts = np.unique(rows * self.n_features + indices, return_counts=True)
        rows, cols = np.divmod(cells, self.n_features)
        values = counts.astype(np.float32)
        if self.sublinear:
            np.log(values, out=values)
            values += 1.0
        if self.idf is not None:
            values *= self.idf[cols]
        if self.l2:
            norm2 = np.sqrt(_row_sums(rows, values.astype(np.float64) ** 2, len(norms)))
            norm2[norm2 == 0.0] = 1.0
            values /= norm2[rows].astype(np.float32)
        return rows, cols, values


@dataclass(frozen=True, eq=False)
class Head:
    """One multinomial logistic regression: its classes, coefficients and intercepts.

    The coefficients are kept one feature column at a time (`by_column`: features x classes,
    contiguous), the transpose of scikit-learn's `coef_`: a message's few thousand columns are
    then gathered as whole rows instead of picked from every class's 131,072 coefficients
    (0.9 -> 0.2 ms on a long letter), and only one copy of them is held.
    """

    classes: tuple[str, ...]
    by_column: np.ndarray
    intercept: np.ndarray

    @classmethod
    def from_coef(cls, classes: Sequence[str], coef: np.ndarray, intercept: np.ndarray) -> Head:
        """From scikit-learn's layout (`coef_`: classes x features)."""
        return cls(tuple(classes), np.ascontiguousarray(coef.T), intercept)

    @property
    def coef(self) -> np.ndarray:
        """scikit-learn's layout (classes x features), a view: what the model file stores."""
        return self.by_column.T


def _row_sums(rows: np.ndarray, weights: np.ndarray, n_rows: int) -> np.ndarray:
    """Sums of `weights` (first axis: the entries, `rows` their message) per message, in
    float64; shape (n_rows,) or (n_rows, classes)."""
    if n_rows == 1:  # one chat message: a plain sum
        total: np.ndarray = weights.sum(axis=0, keepdims=True, dtype=np.float64)
        return total
    if weights.ndim == 1:
        return np.bincount(rows, weights=weights, minlength=n_rows)
    # one bincount per class (np.add.at over the rows is ~5x slower on a batch of letters)
    return np.stack([np.bincount(rows, weights=w, minlength=n_rows) for w in weights.T], axis=1)


def softmax(scores: Any) -> np.ndarray:
    """Row-wise softmax: a multinomial logistic regression's `predict_proba` from its scores."""
    z = np.asarray(scores, dtype=np.float64)
    z = np.exp(z - z.max(axis=1, keepdims=True))
    out: np.ndarray = z / z.sum(axis=1, keepdims=True)
    return out


class Predictor(Protocol):
    """Unscaled type and urgency probabilities for a batch of texts."""

    @property
    def type_classes(self) -> list[str]: ...

    @property
    def urgency_classes(self) -> list[str]: ...

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True, eq=False)
class CompiledModel:
    """The shipped pipeline's arithmetic: feature blocks, then the type and urgency heads."""

    extractors: tuple[Extractor, ...]
    heads: tuple[Head, Head]

    @property
    def type_classes(self) -> list[str]:
        return list(self.heads[0].classes)

    @property
    def urgency_classes(self) -> list[str]:
        return list(self.heads[1].classes)

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """One probability matrix per head (rows: texts), as the pipeline's `predict_proba`.

        The whole batch goes through each step at once (one hashing pass, one `np.unique`),
        so a batch costs about what its messages cost one by one, minus the per-call overhead.
        """
        norms = [normalize(t) for t in texts]
        rows, cols, values, offset = [], [], [], 0
        for extractor in self.extractors:
            r, c, v = extractor.entries(norms)
            rows.append(r)
            cols.append(c + offset)
            values.append(v)
            offset += extractor.n_features
        row, col, val = np.concatenate(rows), np.concatenate(cols), np.concatenate(values)
        # np.take, not fancy indexing: the same rows, gathered ~2x faster
        # (docs/classifier-history.md §8).
        type_probs, urgency_probs = (
            softmax(
                _row_sums(row, np.take(head.by_column, col, axis=0) * val[:, None], len(texts))
                + head.intercept
            )
            for head in self.heads
        )
        return type_probs, urgency_probs


@dataclass
class IntakeClassifier:
    """A predictor plus the decisions on top; implements the `classifier.Classifier` protocol."""

    predictor: Predictor
    meta: dict[str, str] = field(default_factory=dict)
    triage_threshold: float = TRIAGE_THRESHOLD
    urgent_threshold: float = URGENT_THRESHOLD
    chatter_threshold: float = CHATTER_THRESHOLD
    high_floor_threshold: float = HIGH_FLOOR_THRESHOLD
    chatter_form_floor: float = CHATTER_FORM_FLOOR
    other_ratio: float = OTHER_RATIO
    type_temperature: float = 1.0
    urgency_temperature: float = 1.0
    #: The fitted scikit-learn pipeline, when this process trained it or loaded it with skops;
    #: `classifier.model.save` needs it.  None when read from the runtime index.
    pipeline: Any = None

    @property
    def type_classes(self) -> list[str]:
        return self.predictor.type_classes

    @property
    def urgency_classes(self) -> list[str]:
        return self.predictor.urgency_classes

    def classify(self, text: str) -> Classification:
        """Classify one message (see `classify_many` for the decision logic)."""
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str]) -> list[Classification]:
        """Classify a batch: one vectorisation pass, then rules and thresholds per message."""
        from classifier import Classification

        results: list[Classification | None] = [None] * len(texts)
        # In full, once, for the rules and the chatter guard (a long letter costs ~1 ms); the
        # model normalises the first MODEL_CHARS characters it reads itself (`predict_raw`).
        norms = [normalize_for_rules(t) for t in texts]
        live = [i for i, n in enumerate(norms) if n]
        for i in set(range(len(texts))) - set(live):
            results[i] = Classification(NOT_A_REPORT, 1.0, "low", 1.0, (), False)
        if live:
            tprobs, uprobs = self.predict_raw([texts[i] for i in live])
            for row, i in enumerate(live):
                results[i] = self._decide(norms[i], tprobs[row], uprobs[row])
        return [r for r in results if r is not None]

    def predict_raw(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Unscaled type and urgency probabilities (rows: texts).

        The model reads the first `MODEL_CHARS` characters: segmentation and n-grams are
        linear in length, and a long letter states its matter early.  The safety rules and
        the chatter guard still read the whole text (`_decide`).
        """
        return self.predictor.predict([t[:MODEL_CHARS] for t in texts])

    def _decide(self, norm: str, tp_raw: np.ndarray, up_raw: np.ndarray) -> Classification:
        """Thresholds, rules and the chatter gate for one message (`norm`: `normalize_for_rules`).

        Two probability scales on purpose: the *safety* decisions (the chatter gate and the
        model's own "urgent") use the unscaled probabilities their thresholds were chosen on;
        temperature scaling sharpens every argmax, including on text unlike the corpus, which
        would let the chatter gate drop more real reports.  The confidences shown to workers and
        the triage flag use the temperature-scaled (calibrated) probabilities.
        """
        from classifier import Classification

        tclasses, uclasses = self.type_classes, self.urgency_classes
        tp = scale(tp_raw, self.type_temperature)
        best = int(np.argmax(tp))
        if tclasses[best] == OTHER:
            best = self._real_type(tp_raw)
        type_, tconf = tclasses[best], float(tp[best])
        # The unscaled chatter share, whatever type ranks first (it is tp_raw[best] when chatter
        # does): the chatter vote and the chatter forms both read it.
        p_chatter = float(tp_raw[tclasses.index(NOT_A_REPORT)])
        # Second, independent vote on chatter: the urgency head's own "_chatter" class.
        urgency_says_chatter = uclasses[int(np.argmax(up_raw))] == CHATTER_URGENCY
        p_chatter_u = (
            float(scale(up_raw, self.urgency_temperature)[uclasses.index(CHATTER_URGENCY)])
            if CHATTER_URGENCY in uclasses else 0.0
        )
        real = [j for j, c in enumerate(uclasses) if c != CHATTER_URGENCY]
        uclasses = [uclasses[j] for j in real]
        up_r = up_raw[real] / max(float(up_raw[real].sum()), 1e-9)
        up = scale(up_r, self.urgency_temperature)
        ubest = int(np.argmax(up))
        urgency, uconf = uclasses[ubest], float(up[ubest])
        p_urgent = float(up_r[uclasses.index("urgent")]) if "urgent" in uclasses else 0.0
        # P(urgent) with the internal chatter class kept: "this is an urgent report".  The chatter
        # rescue below uses it, because after renormalising over the real urgencies near-certain
        # chatter ("笑死我了": P(_chatter) = 0.97) could still come out "urgent" from a 0.015 share.
        p_urgent_any = (
            float(up_raw[real][uclasses.index("urgent")]) / max(float(up_raw.sum()), 1e-9)
            if "urgent" in uclasses else 0.0
        )
        if urgency != "urgent" and p_urgent >= self.urgent_threshold:
            urgency, uconf = "urgent", float(up[uclasses.index("urgent")])
        elif urgency in ("normal", "low") and p_urgent >= self.high_floor_threshold:
            # Some chance of danger now, not enough for the urgent queue: never file it as
            # ordinary.  It goes to the "high" queue, where a worker looks at it soon.
            urgency, uconf = "high", float(up[uclasses.index("high")])
        hits = safety.fired_rules(norm)
        raised = safety.rule_urgency(hits)
        if unreadable(norm):
            # English or pinyin: the model never read such text, so neither its type, nor its
            # urgency, nor its chatter vote means anything.  A worker reads it; the rules'
            # English and pinyin cues give the urgency, else "normal".
            return Classification(
                OTHER, 0.0, raised or "normal", RULE_CONFIDENCE if raised else 0.0, hits, True
            )
        if raised is not None and more_urgent(raised, urgency) != urgency:
            urgency, uconf = raised, RULE_CONFIDENCE
        if urgency == "low" and not asks_or_suggests(norm):
            # "Low" is a question or a suggestion; a dispute told as a statement is at least
            # ordinary (`classifier.asking`).  Chatter below still reports "low".
            urgency, uconf = "normal", float(up[uclasses.index("normal")])
        triage = tconf < self.triage_threshold
        # The chatter forms are read only where the type head leans towards chatter at all,
        # except a form that is the whole message (a bare "在吗").
        leans = type_ == NOT_A_REPORT or p_chatter >= self.chatter_form_floor
        shape = chatter.form(norm) if leans else chatter.whole_message_form(norm)
        if type_ == NOT_A_REPORT or shape is not None:
            doubtful = shape is None and (
                p_chatter < self.chatter_threshold or not urgency_says_chatter
            )
            crisis_words = safety.keeps_out_of_chatter(norm)
            # Both heads say chatter here, or the message takes a chatter form (else `doubtful`):
            # the model's own sense of danger counts only if the unconditional P(urgent) reaches
            # the "high" floor (a message with that much chance of danger is never filed
            # ordinary, so never dropped); rules and crisis words always do.  A form whose words
            # say nothing is wrong (`chatter.CALM_FORMS`) is held back by those two alone.
            possible_danger = (
                p_urgent_any >= self.high_floor_threshold and shape not in chatter.CALM_FORMS
            )
            if hits or possible_danger or doubtful or crisis_words:
                if type_ == NOT_A_REPORT:
                    # Never drop a possible emergency as chatter: take the likeliest real type.
                    real_type = self._real_type(tp_raw)
                    type_, tconf = tclasses[real_type], float(tp[real_type])
                    triage = (
                        triage or tconf < self.triage_threshold or bool(hits) or crisis_words
                    )
            else:
                # Chatter has no urgency; report "low" with the urgency head's chatter confidence.
                type_, tconf = NOT_A_REPORT, float(tp[tclasses.index(NOT_A_REPORT)])
                urgency, uconf = "low", p_chatter_u
                triage = tconf < self.triage_threshold
        return Classification(type_, round(tconf, 4), urgency, round(uconf, 4), hits, triage)

    def _real_type(self, tp_raw: np.ndarray) -> int:
        """Index of the likeliest type other than chatter, `other` discounted (`OTHER_RATIO`)."""
        tclasses = self.type_classes
        order = [int(j) for j in np.argsort(-tp_raw) if tclasses[j] != NOT_A_REPORT]
        best = order[0]
        if tclasses[best] == OTHER and len(order) > 1:
            runner_up = order[1]
            if tp_raw[runner_up] >= self.other_ratio * tp_raw[best] and self.other_ratio > 0:
                return runner_up
        return best


def scale(probs: np.ndarray, temperature: float) -> np.ndarray:
    """Temperature scaling of probabilities: softmax(logits / T) == p ** (1/T), renormalised."""
    if temperature == 1.0:
        return probs
    p = np.power(np.clip(probs, 1e-12, 1.0), 1.0 / temperature)
    out: np.ndarray = p / p.sum(axis=-1, keepdims=True)
    return out


# --- The runtime index in the model file: written by `classifier.model.save`, read here. ---


def write_index(
    path: Path, model: CompiledModel, meta: dict[str, str], temperatures: Sequence[float]
) -> None:
    """Add the runtime index to the model file at `path` (a zip skops has just written).

    Each array is found among skops's own `.npy` members by content, so the file does not
    carry the 10 MB of coefficients twice; an array skops stored otherwise (a future format)
    is added as a member of its own.  Either way the index names a member holding exactly it.
    """
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_STORED) as zf:
        stored: dict[tuple[str, tuple[int, ...]], list[tuple[str, np.ndarray]]] = {}
        for name in zf.namelist():
            if name.endswith(".npy"):
                with zf.open(name) as fh:
                    try:
                        arr = npy.read_array(fh, allow_pickle=False)
                    except ValueError:  # an object array: never one of ours
                        continue
                stored.setdefault((arr.dtype.str, arr.shape), []).append((name, arr))

        def member(arr: np.ndarray, own_name: str) -> str:
            for name, candidate in stored.get((arr.dtype.str, arr.shape), []):
                if np.array_equal(candidate, arr):
                    return name
            with zf.open(own_name, "w") as fh:
                npy.write_array(fh, np.ascontiguousarray(arr), allow_pickle=False)
            return own_name

        index = {
            "format": INDEX_FORMAT,
            "extractors": [
                {
                    "analyzer": e.analyzer,
                    "ngram_range": list(e.ngram_range),
                    "n_features": e.n_features,
                    "idf": None if e.idf is None else member(e.idf, f"runtime/idf{i}.npy"),
                    "sublinear": e.sublinear,
                    "l2": e.l2,
                }
                for i, e in enumerate(model.extractors)
            ],
            "heads": [
                {
                    "classes": list(h.classes),
                    "coef": member(h.coef, f"runtime/coef{i}.npy"),
                    "intercept": member(h.intercept, f"runtime/intercept{i}.npy"),
                }
                for i, h in enumerate(model.heads)
            ],
            "meta": meta,
            "temperatures": [float(t) for t in temperatures],
        }
        zf.writestr(INDEX_MEMBER, json.dumps(index, ensure_ascii=False, indent=1))


def read(path: Path | str) -> IntakeClassifier | None:
    """The classifier from the model file's runtime index, or None if the file has none (a
    model saved before the index existed, or a pipeline of another shape: load it with
    `classifier.model.load`).  Raises `ModelFileError` for a file that is not a zip archive
    or an index that does not add up."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ModelFileError(f"{Path(path).name}: not a model file ({exc})") from exc
    with archive as zf:
        if INDEX_MEMBER not in zf.namelist():
            return None
        try:
            index = json.loads(zf.read(INDEX_MEMBER))
            return _from_index(index, lambda name: _array(zf, name))
        except ModelFileError as exc:
            raise ModelFileError(f"{Path(path).name}: {exc}") from exc
        except (KeyError, TypeError, ValueError) as exc:  # a key or member missing, bad JSON
            raise ModelFileError(f"{Path(path).name}: bad runtime index: {exc!r}") from exc


def _array(zf: zipfile.ZipFile, name: str) -> np.ndarray:
    """One `.npy` member; `allow_pickle=False`, so an object array is refused, never built."""
    with zf.open(name) as fh:
        arr: np.ndarray = npy.read_array(fh, allow_pickle=False)
    return arr


def _from_index(index: dict[str, Any], array: Callable[[str], np.ndarray]) -> IntakeClassifier:
    if index.get("format") != INDEX_FORMAT:
        raise ModelFileError(f"runtime index format {index.get('format')!r}, not {INDEX_FORMAT}")
    extractors = []
    for e in index["extractors"]:
        if e["analyzer"] not in ANALYZERS:
            raise ModelFileError(f"unknown analyzer {e['analyzer']!r}")
        low, high = (int(n) for n in e["ngram_range"])
        n_features = int(e["n_features"])
        idf = None if e["idf"] is None else array(e["idf"])
        if idf is not None and idf.shape != (n_features,):
            raise ModelFileError(f"idf of shape {idf.shape}, expected ({n_features},)")
        extractors.append(
            Extractor(e["analyzer"], (low, high), n_features, idf, bool(e["sublinear"]),
                      bool(e["l2"]))
        )
    width = sum(e.n_features for e in extractors)
    heads = []
    for h in index["heads"]:
        classes = tuple(str(c) for c in h["classes"])
        coef, intercept = array(h["coef"]), array(h["intercept"])
        if coef.shape != (len(classes), width) or intercept.shape != (len(classes),):
            raise ModelFileError(
                f"head of {len(classes)} classes has coefficients {coef.shape} and "
                f"intercepts {intercept.shape}, expected ({len(classes)}, {width})"
            )
        heads.append(Head.from_coef(classes, coef, intercept))
    if len(heads) != 2:
        raise ModelFileError(f"{len(heads)} heads, expected 2 (type, urgency)")
    tt, ut = (float(t) for t in index["temperatures"])
    return IntakeClassifier(
        CompiledModel(tuple(extractors), (heads[0], heads[1])),
        {str(k): str(v) for k, v in index["meta"].items()},
        type_temperature=tt,
        urgency_temperature=ut,
    )
