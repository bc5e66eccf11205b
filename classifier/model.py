"""The trained classifier: one scikit-learn Pipeline, safety rules on top, skops persistence.

Why this shape:

* One `Pipeline` (features -> `MultiOutputClassifier(LogisticRegression)`) predicts type and
  urgency from a single feature extraction, so a message is segmented once (latency budget
  < 5 ms p99).  The feature/model choice is made by cross-validation in `classifier.select`.
* Logistic regression is under-confident on this corpus, so its probabilities are temperature
  scaled (one T per head, fitted on out-of-fold probabilities of the hand-written rows): the
  confidences a worker sees mean what they say, and below `TRIAGE_THRESHOLD` the ticket is
  flagged for a human instead of guessing.  The safety gates (chatter, the model's "urgent") use
  the unscaled probabilities their thresholds were chosen on (see `_decide`).
* Urgency is the more urgent of the model's prediction and the safety rules (`classifier.rules`):
  rules only raise.  The model's own "urgent" is taken already at `URGENT_THRESHOLD`, below 0.5,
  because a missed emergency costs far more than an extra look.
* A message the model calls chatter but that is urgent (by rule or model) is never dropped: it
  becomes a report of its most likely dispute type, flagged for triage.
* Saved with skops and loaded only if every type in the file beyond builtins and numpy is one
  we pinned in `TRUSTED_TYPES`; plain pickle/joblib is never used to load.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from classifier import rules as safety
from classifier.corpus import TRAIN_FILES, Example, read, shipped
from classifier.lean import LeanPredictor, lean_predictor
from classifier.skops_io import import_skops_io
from classifier.taxonomy import NOT_A_REPORT, OTHER, more_urgent
from classifier.text import initialize, normalize, tokenize

if TYPE_CHECKING:  # the package imports this module lazily, so no runtime cycle
    from classifier import Classification

sio = import_skops_io()

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
#: head also
#: ranks its internal chatter class first; otherwise the likeliest dispute type wins.  A chatter
#: ticket costs a worker one click, a dropped report costs a resident.  Kept at 0.4: CV after the
#: consultation/chatter round favours 0.3 (not_a_report P/R 0.909/0.795 vs 0.957/0.761), but 0.3
#: doubled the real reports dropped on the shared data (README, classifier section 3).
CHATTER_THRESHOLD = 0.4
#: `other` is the catch-all type, so it also absorbs text unlike the corpus: the model's best
#: guess is `other` while the real dispute type comes close behind.  So `other` wins only if the
#: likeliest dispute type has less than this share of its unscaled probability; otherwise that
#: dispute type is taken (flagged for triage when unsure, as any type).  0 turns this off.
#: Chosen by cross-validation (README, classifier section 3).
OTHER_RATIO = 0.6
#: Weight of the desk's own corrections relative to a corpus example when retraining.
CORRECTION_WEIGHT = 3.0
#: Weight of hand-written corpus rows relative to generated ones (they are not templated).
HANDWRITTEN_WEIGHT = 2.0
#: Internal urgency label for chatter during training, so the urgency head does not learn
#: "low (a question)" from greetings.  Never returned: dropped and renormalised at prediction.
CHATTER_URGENCY = "_chatter"
#: Regularisation strength picked by cross-validation (see `classifier.select`).
LOGREG_C = 10.0
#: Classifier picked by cross-validation (see `classifier.select`): logistic regression whose
#: probabilities are then temperature-scaled.  Plain logistic regression is under-confident here
#: (calibration error 0.37), which would make the confidences shown to workers and the triage
#: threshold meaningless; sklearn's CalibratedClassifierCV fixes that too but triples prediction
#: time (5 ms a message); one temperature per head costs nothing at prediction time.
MODEL_KIND = "logreg"
#: Grid searched for the temperature (p ** (1/T), renormalised) that minimises log-loss.
TEMPERATURES = tuple(float(t) for t in np.round(np.geomspace(0.1, 3.0, 61), 4))
SEED = 13

MODEL_FILENAME = "intake.skops"

#: Every non-builtin, non-numpy type a model file may contain, scikit-learn's included (skops
#: trusts none of those by default here, see `classifier.skops_io`).  Anything else in a file
#: makes `load` refuse it rather than execute it.
TRUSTED_TYPES: tuple[str, ...] = (
    "classifier.text.normalize",
    "classifier.text.tokenize",
    "sklearn.feature_extraction.text.HashingVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.multioutput.MultiOutputClassifier",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
)


#: Hashed feature space per extractor.  Why hashing instead of a vocabulary: skops writes a
#: vocabulary as a 30 MB JSON schema that takes ~0.8 s to parse; hashed features need no
#: vocabulary, so the model file is a few numpy arrays and loads in well under 0.5 s.  2**16
#: buckets keep collisions rare for the ~35k distinct word/char n-grams of the corpus.
N_FEATURES = 2**16


def word_vectorizer() -> Pipeline:
    """jieba/rjieba words (+ user-dictionary hits), unigrams and bigrams, tf-idf weighted."""
    hasher = HashingVectorizer(
        preprocessor=normalize,
        tokenizer=tokenize,
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, 2),
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )
    return Pipeline([("hash", hasher), ("tfidf", TfidfTransformer(sublinear_tf=True))])


def char_vectorizer() -> Pipeline:
    """Character 1-3-grams, tf-idf weighted: robust to typos, dialect spellings, unknown words."""
    hasher = HashingVectorizer(
        preprocessor=normalize,
        analyzer="char",
        ngram_range=(1, 3),
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )
    return Pipeline([("hash", hasher), ("tfidf", TfidfTransformer(sublinear_tf=True))])


def features(kind: str = "words+chars") -> Any:
    """Feature extractor by name: 'words', 'chars' or 'words+chars' (a FeatureUnion)."""
    if kind == "words":
        return word_vectorizer()
    if kind == "chars":
        return char_vectorizer()
    if kind == "words+chars":
        return FeatureUnion([("words", word_vectorizer()), ("chars", char_vectorizer())])
    raise ValueError(f"unknown feature kind {kind!r}")


def estimator(kind: str = MODEL_KIND, c: float | None = None) -> Any:
    """A probabilistic linear classifier by name (the candidates `classifier.select` compares)."""
    c = LOGREG_C if c is None else c
    if kind == "logreg":
        return LogisticRegression(
            C=c, max_iter=3000, class_weight="balanced", random_state=SEED
        )
    if kind == "logreg_sigmoid":
        lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=SEED)
        return CalibratedClassifierCV(lr, method="sigmoid", cv=3)
    if kind == "svm_sigmoid":
        svm = LinearSVC(C=c / 10, class_weight="balanced", random_state=SEED)
        return CalibratedClassifierCV(svm, method="sigmoid", cv=3)
    if kind == "cnb":
        return ComplementNB(alpha=0.3)
    raise ValueError(f"unknown estimator {kind!r}")


def build_pipeline(
    feature_kind: str = "words+chars", c: float | None = None, kind: str = MODEL_KIND
) -> Pipeline:
    """The shipped pipeline: features -> one classifier per output (type, urgency)."""
    return Pipeline(
        [("features", features(feature_kind)), ("clf", MultiOutputClassifier(estimator(kind, c)))]
    )


@dataclass
class IntakeClassifier:
    """The trained model plus the rules; implements the `classifier.Classifier` protocol."""

    pipeline: Pipeline
    meta: dict[str, str] = field(default_factory=dict)
    triage_threshold: float = TRIAGE_THRESHOLD
    urgent_threshold: float = URGENT_THRESHOLD
    chatter_threshold: float = CHATTER_THRESHOLD
    high_floor_threshold: float = HIGH_FLOOR_THRESHOLD
    other_ratio: float = OTHER_RATIO
    type_temperature: float = 1.0
    urgency_temperature: float = 1.0

    @property
    def type_classes(self) -> list[str]:
        return [str(c) for c in self.pipeline.named_steps["clf"].estimators_[0].classes_]

    @property
    def urgency_classes(self) -> list[str]:
        return [str(c) for c in self.pipeline.named_steps["clf"].estimators_[1].classes_]

    def classify(self, text: str) -> Classification:
        """Classify one message (see `classify_many` for the decision logic)."""
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str]) -> list[Classification]:
        """Classify a batch: one vectorisation pass, then rules and thresholds per message."""
        from classifier import Classification

        results: list[Classification | None] = [None] * len(texts)
        # In full, once, for the rules and the chatter guard (a long letter costs ~1 ms); the
        # model normalises the first MODEL_CHARS characters it reads itself (`predict_raw`).
        norms = [normalize(t) for t in texts]
        live = [i for i, n in enumerate(norms) if n]
        for i in set(range(len(texts))) - set(live):
            results[i] = Classification(NOT_A_REPORT, 1.0, "low", 1.0, (), False)
        if live:
            tprobs, uprobs = self.predict_raw([texts[i] for i in live])
            for row, i in enumerate(live):
                results[i] = self._decide(norms[i], tprobs[row], uprobs[row])
        return [r for r in results if r is not None]

    def predict_raw(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Unscaled type and urgency probabilities of the pipeline (rows: texts).

        The model reads the first `MODEL_CHARS` characters: segmentation and n-grams are
        linear in length, and a long letter states its matter early.  The safety rules and
        the chatter guard still read the whole text (`_decide`).
        """
        texts = [t[:MODEL_CHARS] for t in texts]
        if self._lean is None:
            probs = self.pipeline.predict_proba(texts)
            return np.asarray(probs[0]), np.asarray(probs[1])
        type_probs, urgency_probs = self._lean.predict(texts)
        return type_probs, urgency_probs

    @cached_property
    def _lean(self) -> LeanPredictor | None:
        """The pipeline's arithmetic without scikit-learn's per-call checks (`classifier.lean`)."""
        return lean_predictor(self.pipeline)

    def _decide(self, norm: str, tp_raw: np.ndarray, up_raw: np.ndarray) -> Classification:
        """Thresholds, rules and the chatter gate for one message (`norm`: its `normalize`d text).

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
        p_chatter = float(tp_raw[best]) if type_ == NOT_A_REPORT else 0.0
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
        model_urgent = urgency == "urgent" or p_urgent >= self.urgent_threshold
        if urgency != "urgent" and p_urgent >= self.urgent_threshold:
            urgency, uconf = "urgent", float(up[uclasses.index("urgent")])
        elif urgency in ("normal", "low") and p_urgent >= self.high_floor_threshold:
            # Some chance of danger now, not enough for the urgent queue: never file it as
            # ordinary.  It goes to the "high" queue, where a worker looks at it soon.
            urgency, uconf = "high", float(up[uclasses.index("high")])
        hits = safety.fired_rules(norm)
        raised = safety.rule_urgency(hits)
        if raised is not None and more_urgent(raised, urgency) != urgency:
            urgency, uconf = raised, RULE_CONFIDENCE
        triage = tconf < self.triage_threshold
        if type_ == NOT_A_REPORT:
            doubtful = p_chatter < self.chatter_threshold or not urgency_says_chatter
            crisis_words = safety.keeps_out_of_chatter(norm)
            # Both heads say chatter here (else `doubtful`): the model's own "urgent" counts only
            # if the unconditional P(urgent) reaches the threshold; rules and crisis words always
            # do.
            model_urgent_here = model_urgent and p_urgent_any >= self.urgent_threshold
            if hits or model_urgent_here or doubtful or crisis_words:
                # Never drop a possible emergency as chatter: take the likeliest real type.
                real_type = self._real_type(tp_raw)
                type_, tconf = tclasses[real_type], float(tp[real_type])
                triage = triage or tconf < self.triage_threshold or bool(hits) or crisis_words
            else:
                # Chatter has no urgency; report "low" with the urgency head's chatter confidence.
                urgency, uconf = "low", p_chatter_u
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


def best_temperature(probs: np.ndarray, gold_index: np.ndarray) -> float:
    """The temperature on `TEMPERATURES` with the lowest log-loss for these OOF probabilities."""
    losses = [
        -float(np.mean(np.log(scale(probs, t)[np.arange(len(gold_index)), gold_index] + 1e-12)))
        for t in TEMPERATURES
    ]
    return TEMPERATURES[int(np.argmin(losses))]


def _fit_temperatures(
    x: list[str], y: np.ndarray, w: np.ndarray, mask: np.ndarray,
    feature_kind: str, kind: str, c: float | None,
) -> tuple[float, float]:
    """3-fold out-of-fold probabilities on the masked (hand-written) rows -> one T per head.

    Why only hand-written rows: generated rows share templates, so their out-of-fold
    probabilities would be as sure as training ones and teach an over-confident temperature.
    """
    from sklearn.model_selection import KFold

    idx = np.flatnonzero(mask)
    oof_t: list[np.ndarray] = []
    oof_u: list[np.ndarray] = []
    gold_t: list[int] = []
    gold_u: list[int] = []
    for _, test_pos in KFold(n_splits=3, shuffle=True, random_state=SEED).split(idx):
        test = idx[test_pos]
        train = np.setdiff1d(np.arange(len(x)), test)
        pipe = build_pipeline(feature_kind, c, kind)
        pipe.fit([x[i] for i in train], y[train], clf__sample_weight=w[train])
        probs = pipe.predict_proba([x[i] for i in test])
        est = pipe.named_steps["clf"].estimators_
        tcls, ucls = list(est[0].classes_), list(est[1].classes_)
        keep = [j for j, i in enumerate(test) if y[i, 0] in tcls and y[i, 1] in ucls]
        oof_t.append(np.asarray(probs[0])[keep])
        oof_u.append(np.asarray(probs[1])[keep])
        gold_t += [tcls.index(y[test[j], 0]) for j in keep]
        gold_u += [ucls.index(y[test[j], 1]) for j in keep]
    return (
        best_temperature(np.vstack(oof_t), np.array(gold_t)),
        best_temperature(np.vstack(oof_u), np.array(gold_u)),
    )


def fit(
    examples: Sequence[Example],
    weights: Sequence[float] | None = None,
    feature_kind: str = "words+chars",
    kind: str = MODEL_KIND,
    c: float | None = None,
    calibrate_on: Sequence[bool] | None = None,
) -> IntakeClassifier:
    """Fit the pipeline on fully labelled examples (rows missing a label are skipped).

    With `calibrate_on` (a mask over `examples`, normally "hand-written or a correction"), one
    temperature per head is fitted on out-of-fold probabilities of those rows.
    """
    c = LOGREG_C if c is None else c
    n = len(examples)
    rows = [
        (e, wt, mk)
        for e, wt, mk in zip(examples, weights or [1.0] * n, calibrate_on or [False] * n,
                             strict=True)
        if e.type and e.urgency
    ]
    if not rows:
        raise ValueError("no fully labelled examples to train on")
    x = [e.text for e, _, _ in rows]
    y = np.array(
        [[e.type, CHATTER_URGENCY if e.type == NOT_A_REPORT else e.urgency] for e, _, _ in rows],
        dtype=object,
    )
    w = np.array([wt for _, wt, _ in rows])
    mask = np.array([mk for _, _, mk in rows], dtype=bool)
    initialize()
    pipe = build_pipeline(feature_kind, c, kind)
    pipe.fit(x, y, clf__sample_weight=w)
    tt, ut = 1.0, 1.0
    if mask.sum() >= 30:
        tt, ut = _fit_temperatures(x, y, w, mask, feature_kind, kind, c)
    meta = {
        "features": feature_kind,
        "model": f"{kind}(C={c}) x2 (type, urgency)",
        "n_examples": str(len(rows)),
        "type_temperature": str(tt),
        "urgency_temperature": str(ut),
    }
    return IntakeClassifier(pipe, meta, type_temperature=tt, urgency_temperature=ut)


def corpus_with_weights() -> tuple[list[Example], list[float], list[bool]]:
    """The shipped training corpus, per-row weights (hand-written count double) and a mask of
    the hand-written rows (the ones the temperatures are calibrated on)."""
    examples: list[Example] = []
    weights: list[float] = []
    handwritten: list[bool] = []
    for name in TRAIN_FILES:
        rows = shipped(name)
        examples.extend(rows)
        hand = name.startswith("handwritten")
        weights.extend([HANDWRITTEN_WEIGHT if hand else 1.0] * len(rows))
        handwritten.extend([hand] * len(rows))
    return examples, weights, handwritten


def save(model: IntakeClassifier, path: Path | str) -> None:
    """Write the model with skops (no pickle), atomically.

    Why atomically: the file may be the model a running deployment loads at its next start.  It
    is written to a temporary file in the same directory, synced, then renamed over `path` with
    `os.replace` (atomic on POSIX and Windows), so a crash or a full disk mid-write leaves the
    old model, never half a new one.  The new file keeps the old one's permission bits, so a bot
    running as another user can still read it.

    Why stored, not deflated: the arrays are float32 coefficients that deflate only to 70 %,
    and inflating them cost ~70 ms of the 0.5 s load budget on a slow machine (README §8);
    the file is 3.4 MB larger, and git compresses it in its own store anyway.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with tmp.open("xb") as fh:
            sio.dump(
                {"pipeline": model.pipeline, "meta": model.meta,
                 "temperatures": [model.type_temperature, model.urgency_temperature]},
                fh,
                compression=zipfile.ZIP_STORED,
            )
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            shutil.copymode(target, tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class UntrustedModelError(RuntimeError):
    """The model file contains types outside `TRUSTED_TYPES`; it is not loaded."""


def load(path: Path | str) -> IntakeClassifier:
    """Load a skops model file, refusing any type not pinned in `TRUSTED_TYPES`."""
    p = Path(path)
    try:
        obj = sio.load(p, trusted=list(TRUSTED_TYPES))
    except sio.exceptions.UntrustedTypesFoundException as exc:
        unexpected = sorted(set(sio.get_untrusted_types(file=p)) - set(TRUSTED_TYPES))
        raise UntrustedModelError(f"{p.name}: refusing untrusted types {unexpected}") from exc
    initialize()
    tt, ut = (float(t) for t in obj.get("temperatures", [1.0, 1.0]))
    return IntakeClassifier(
        obj["pipeline"], dict(obj["meta"]), type_temperature=tt, urgency_temperature=ut
    )


def default_model_path() -> Path:
    """Where the shipped model lives inside the package."""
    return Path(str(resources.files("classifier").joinpath("models", MODEL_FILENAME)))


@dataclass(frozen=True)
class TrainReport:
    """What `train_model` did (for the CLI to print)."""

    path: Path
    n_corpus: int
    n_extra: int
    seconds: float
    #: Extra rows (files, corrections) not trained on because their text is in a gate set.
    n_dropped: int = 0


@dataclass(frozen=True)
class Trained:
    """A model `train` fitted, not saved yet, and what it was fitted on."""

    model: IntakeClassifier
    n_corpus: int
    n_extra: int
    n_dropped: int
    seconds: float


def train(
    extra_examples: Iterable[tuple[str, str, str]] = (),
    data_files: Sequence[Path | str] = (),
    include_corpus: bool = True,
    held_out: Iterable[str] | None = None,
) -> Trained:
    """Fit on the shipped corpus + extra files + extra (text, type, urgency) tuples.

    `extra_examples` is how the desk's `/retag` corrections reach the model: the bot reads them
    from its database and passes them here (or exports them as a TSV for `train --data`).  They
    get `CORRECTION_WEIGHT` because a worker's correction is worth more than a template example.

    `held_out`: texts never to train on, by default those of the shipped held-out files
    (`corpus.HELDOUT_FILES`).  An extra row (file or correction) with such a text
    (`corpus.text_key`) is dropped and counted: a model that learnt a held-out row would be
    scored on its memory, not on how it generalises.  The shipped corpus is not filtered: it is
    the project's, and every model built from it learnt it, so it cannot tilt a comparison
    between them.
    """
    from classifier.corpus import from_tuples, heldout, text_key

    start = time.perf_counter()
    base, base_weights, base_hand = corpus_with_weights() if include_corpus else ([], [], [])
    files: list[Example] = []
    for f in data_files:
        files.extend(read(f))
    extra = list(from_tuples(extra_examples))
    texts = (e.text for e in heldout()) if held_out is None else held_out
    gate = {text_key(t) for t in texts}
    kept_files = [e for e in files if text_key(e.text) not in gate]
    kept_extra = [e for e in extra if text_key(e.text) not in gate]
    examples = base + kept_files + kept_extra
    weights = base_weights + [1.0] * len(kept_files) + [CORRECTION_WEIGHT] * len(kept_extra)
    # Real (non-templated) rows calibrate the confidences: hand-written, files, corrections.
    real = base_hand + [True] * (len(kept_files) + len(kept_extra))
    model = fit(examples, weights, calibrate_on=real)
    return Trained(
        model,
        n_corpus=len(base),
        n_extra=len(kept_files) + len(kept_extra),
        n_dropped=len(files) + len(extra) - len(kept_files) - len(kept_extra),
        seconds=time.perf_counter() - start,
    )


def train_model(
    extra_examples: Iterable[tuple[str, str, str]] = (),
    out_path: Path | str | None = None,
    data_files: Sequence[Path | str] = (),
    include_corpus: bool = True,
    held_out: Iterable[str] | None = None,
) -> TrainReport:
    """`train`, then save to `out_path` (default: the shipped model), with no gate.

    `intake-bot train` is the gated way to replace a model in use: it scores the candidate
    against the current model first (`classifier.gate`) and keeps the current one if it fails.
    """
    t = train(extra_examples, data_files, include_corpus, held_out)
    out = Path(out_path) if out_path is not None else default_model_path()
    save(t.model, out)
    return TrainReport(out, t.n_corpus, t.n_extra, t.seconds, t.n_dropped)
