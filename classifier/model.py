"""Training and saving the classifier: one scikit-learn Pipeline, skops persistence.

Why this shape:

* One `Pipeline` (features -> `MultiOutputClassifier(LogisticRegression)`) predicts type and
  urgency from a single feature extraction, so a message is segmented once (latency budget
  < 5 ms p99).  The feature/model choice is made by cross-validation in `classifier.select`.
* Logistic regression is under-confident on this corpus, so its probabilities are temperature
  scaled (one T per head, fitted on out-of-fold probabilities of the hand-written rows): the
  confidences a worker sees mean what they say, and below `TRIAGE_THRESHOLD` the ticket is
  flagged for a human instead of guessing.  The safety gates (chatter, the model's "urgent") use
  the unscaled probabilities their thresholds were chosen on (`classifier.runtime`).
* The decisions on top of the probabilities (thresholds, safety rules, the chatter gate) live in
  `classifier.runtime`, which the bot imports without scikit-learn: a fitted pipeline is
  compiled to plain arrays (`compile_pipeline`) that it runs with numpy.
* Saved with skops, plus the runtime index (`classifier.runtime.write_index`) that lets the bot
  read the arrays with numpy alone.  `load` here is skops's, and accepts a file only if every
  type in it beyond builtins and numpy is one we pinned in `TRUSTED_TYPES`; plain pickle/joblib
  is never used to load.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from classifier import runtime
from classifier.corpus import TRAIN_FILES, Example, read, training_rows
from classifier.runtime import (
    CompiledModel,
    Extractor,
    Head,
    IntakeClassifier,
    ModelFileError,
    scale,
)
from classifier.skops_io import import_skops_io
from classifier.taxonomy import urgency_target
from classifier.text import initialize, normalize, tokenize

sio = import_skops_io()

#: Weight of the desk's own corrections relative to a corpus example when retraining.
CORRECTION_WEIGHT = 3.0
#: Weight of hand-written corpus rows relative to generated ones (they are not templated).
HANDWRITTEN_WEIGHT = 2.0
#: Factor on a templated (generated) row's weight in the *urgency* head only.  Why: urgency in
#: the templates comes from a handful of appended escalation clauses and fixed situations, so
#: at full weight they teach the urgency head shortcuts that real crisis posts do not share;
#: the type head needs their breadth of vocabulary and keeps them at full weight.  0.25: in
#: cross-validation on the hand-written rows 0.1-0.25 find the most urgent rows (0 overshoots),
#: and of those the retraining gate's held-out sets accept 0.25 and refuse 0.1
#: (docs/classifier-history.md §3 and §5, tenth round).
TEMPLATED_URGENCY_WEIGHT = 0.25
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


def best_temperature(probs: np.ndarray, gold_index: np.ndarray) -> float:
    """The temperature on `TEMPERATURES` with the lowest log-loss for these OOF probabilities."""
    losses = [
        -float(np.mean(np.log(scale(probs, t)[np.arange(len(gold_index)), gold_index] + 1e-12)))
        for t in TEMPERATURES
    ]
    return TEMPERATURES[int(np.argmin(losses))]


@dataclass(frozen=True)
class TrainingRows:
    """What `fit` trains on, split by what each row may teach.

    *Full* rows carry both labels; they fit the features (the hashed tf-idf weights) and both
    heads.  *Type-only* rows carry a type and no urgency; they fit the type head only, on the
    features the full rows fitted.  Why: the urgency head decides who is in danger, and any row
    that shares its features moves it — through the tf-idf weights, not only through its
    labels (docs/classifier-history.md §5, eighth round) — so a file meant to teach types (a legal
    register, a boundary) used to cost crisis posts and be refused by the retraining gate.  With
    type-only rows the urgency head is fitted on exactly the same inputs as without them, so its
    decisions cannot move.  *Urgency-only* rows, the other way round, carry an urgency and no
    type; they fit the urgency head only, on the same features, so the type head cannot move.
    """

    x: list[str]
    y: np.ndarray  # (n, 2): type, urgency (the internal chatter class for not_a_report)
    w: np.ndarray
    w_urgency: np.ndarray  # the full rows' weights in the urgency head (templated rows less)
    x_type_only: list[str]
    y_type_only: np.ndarray  # (m,): type
    w_type_only: np.ndarray
    x_urgency_only: list[str]
    y_urgency_only: np.ndarray  # (k,): urgency (the internal chatter class for chatter)
    w_urgency_only: np.ndarray

    def take(self, full: np.ndarray, type_only: np.ndarray) -> TrainingRows:
        """The rows at these positions of each kind, and every urgency-only row: those are
        never scored out of fold (the temperatures are fitted on full and type-only rows)."""
        return TrainingRows(
            [self.x[i] for i in full], self.y[full], self.w[full], self.w_urgency[full],
            [self.x_type_only[i] for i in type_only], self.y_type_only[type_only],
            self.w_type_only[type_only],
            self.x_urgency_only, self.y_urgency_only, self.w_urgency_only,
        )


def _fit_pipeline(rows: TrainingRows, feature_kind: str, kind: str, c: float | None) -> Pipeline:
    """The shipped pipeline fitted on `rows`: features on the full rows, the type head on those
    and the type-only rows, the urgency head on those and the urgency-only rows.  With only
    full rows, and the same weights for both heads, this is exactly `Pipeline.fit`, which it
    then calls."""
    pipe = build_pipeline(feature_kind, c, kind)
    only_full = not rows.x_type_only and not rows.x_urgency_only
    if only_full and np.array_equal(rows.w, rows.w_urgency):
        pipe.fit(rows.x, rows.y, clf__sample_weight=rows.w)
        return pipe
    from scipy.sparse import vstack
    from sklearn.base import clone

    feats, heads = pipe.named_steps["features"], pipe.named_steps["clf"]
    x_full = feats.fit_transform(rows.x)

    def fit_head(
        y: np.ndarray, w: np.ndarray, x_own: list[str], y_own: np.ndarray, w_own: np.ndarray
    ) -> Any:
        """One head on the full rows plus the rows only it learns, on the full rows' features."""
        x = vstack([x_full, feats.transform(x_own)]).tocsr() if x_own else x_full
        return clone(heads.estimator).fit(
            x, np.concatenate([y, y_own]), sample_weight=np.concatenate([w, w_own])
        )

    type_head = fit_head(
        rows.y[:, 0], rows.w, rows.x_type_only, rows.y_type_only, rows.w_type_only
    )
    urgency_head = fit_head(
        rows.y[:, 1], rows.w_urgency, rows.x_urgency_only, rows.y_urgency_only,
        rows.w_urgency_only,
    )
    heads.estimators_ = [type_head, urgency_head]
    heads.n_features_in_ = x_full.shape[1]
    return pipe


def _fit_temperatures(
    rows: TrainingRows, mask: np.ndarray, mask_type_only: np.ndarray,
    feature_kind: str, kind: str, c: float | None,
) -> tuple[float, float]:
    """3-fold out-of-fold probabilities on the masked (hand-written) rows -> one T per head.

    Why only hand-written rows: generated rows share templates, so their out-of-fold
    probabilities would be as sure as training ones and teach an over-confident temperature.
    Type-only rows get folds of their own (the full rows' folds, and so the urgency
    temperature, stay what they are without them) and score the type head only.
    """
    from sklearn.model_selection import KFold

    def folds(mask: np.ndarray) -> list[np.ndarray]:
        idx = np.flatnonzero(mask)
        if len(idx) < 3:
            return [idx[:0]] * 3
        return [idx[t] for _, t in KFold(n_splits=3, shuffle=True, random_state=SEED).split(idx)]

    oof_t: list[np.ndarray] = []
    oof_u: list[np.ndarray] = []
    gold_t: list[int] = []
    gold_u: list[int] = []
    for test, test_only in zip(folds(mask), folds(mask_type_only), strict=True):
        pipe = _fit_pipeline(
            rows.take(np.setdiff1d(np.arange(len(rows.x)), test),
                      np.setdiff1d(np.arange(len(rows.x_type_only)), test_only)),
            feature_kind, kind, c,
        )
        est = pipe.named_steps["clf"].estimators_
        tcls, ucls = list(est[0].classes_), list(est[1].classes_)
        probs = pipe.predict_proba([rows.x[i] for i in test])
        keep = [j for j, i in enumerate(test) if rows.y[i, 0] in tcls and rows.y[i, 1] in ucls]
        oof_t.append(np.asarray(probs[0])[keep])
        oof_u.append(np.asarray(probs[1])[keep])
        gold_t += [tcls.index(rows.y[test[j], 0]) for j in keep]
        gold_u += [ucls.index(rows.y[test[j], 1]) for j in keep]
        if len(test_only):
            only = [i for i in test_only if rows.y_type_only[i] in tcls]
            oof_t.append(np.asarray(pipe.predict_proba([rows.x_type_only[i] for i in only])[0]))
            gold_t += [tcls.index(rows.y_type_only[i]) for i in only]
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
    templated: Sequence[bool] | None = None,
) -> IntakeClassifier:
    """Fit the pipeline on labelled examples.

    A row with both labels trains everything; a row with a type and no urgency trains the type head
    only, a row with an urgency and no type the urgency head only (`TrainingRows`).  With
    `calibrate_on` (a mask over `examples`, normally "hand-written or a correction"), one
    temperature per head is fitted on out-of-fold probabilities of those rows.  `templated` marks
    the rows generated from templates: in the urgency head their weight is multiplied by
    `TEMPLATED_URGENCY_WEIGHT`.
    """
    c = LOGREG_C if c is None else c
    n = len(examples)
    labelled = [
        (e, wt, mk, tm)
        for e, wt, mk, tm in zip(examples, weights or [1.0] * n, calibrate_on or [False] * n,
                                 templated or [False] * n, strict=True)
        if e.type or e.urgency
    ]
    full = [r for r in labelled if r[0].type and r[0].urgency]
    only = [r for r in labelled if not r[0].urgency]
    urgency_only = [r for r in labelled if not r[0].type]
    if not full:
        raise ValueError("no fully labelled examples to train on")
    rows = TrainingRows(
        [e.text for e, *_ in full],
        np.array(
            [[e.type, urgency_target(e.type, e.urgency)]
             for e, *_ in full],
            dtype=object,
        ),
        np.array([wt for _, wt, *_ in full]),
        np.array([wt * (TEMPLATED_URGENCY_WEIGHT if tm else 1.0) for _, wt, _, tm in full]),
        [e.text for e, *_ in only],
        np.array([e.type for e, *_ in only], dtype=object),
        np.array([wt for _, wt, *_ in only]),
        [e.text for e, *_ in urgency_only],
        np.array([e.urgency for e, *_ in urgency_only], dtype=object),
        np.array([wt for _, wt, *_ in urgency_only]),
    )
    mask = np.array([mk for _, _, mk, _ in full], dtype=bool)
    mask_type_only = np.array([mk for _, _, mk, _ in only], dtype=bool)
    initialize()
    pipe = _fit_pipeline(rows, feature_kind, kind, c)
    tt, ut = 1.0, 1.0
    if mask.sum() >= 30:
        tt, ut = _fit_temperatures(rows, mask, mask_type_only, feature_kind, kind, c)
    meta = {
        "features": feature_kind,
        "model": f"{kind}(C={c}) x2 (type, urgency)",
        "n_examples": str(len(full) + len(only) + len(urgency_only)),
        "type_temperature": str(tt),
        "urgency_temperature": str(ut),
    }
    if only:
        meta["n_type_only"] = str(len(only))
    if urgency_only:
        meta["n_urgency_only"] = str(len(urgency_only))
    if any(tm for *_, tm in full):
        meta["templated_urgency_weight"] = str(TEMPLATED_URGENCY_WEIGHT)
    return classifier_for(pipe, meta, type_temperature=tt, urgency_temperature=ut)


class PipelinePredictor:
    """A fitted pipeline's own `predict_proba`: for shapes `compile_pipeline` does not handle
    (the calibrated and naive-Bayes candidates `classifier.select` compares)."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        heads = pipeline.named_steps["clf"].estimators_
        self.type_classes = [str(c) for c in heads[0].classes_]
        self.urgency_classes = [str(c) for c in heads[1].classes_]

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        probs = self.pipeline.predict_proba(texts)
        return np.asarray(probs[0]), np.asarray(probs[1])


def classifier_for(pipeline: Pipeline, meta: dict[str, str], **settings: Any) -> IntakeClassifier:
    """The classifier of a fitted pipeline: its compiled arrays when it has the shipped shape
    (the same numbers as the bot reads from the file), else the pipeline itself."""
    predictor = compile_pipeline(pipeline) or PipelinePredictor(pipeline)
    return IntakeClassifier(predictor, meta, pipeline=pipeline, **settings)


def compile_pipeline(pipeline: Pipeline) -> CompiledModel | None:
    """The pipeline as `classifier.runtime` runs it, or None for a shape it does not handle.

    Handled: a FeatureUnion of hashed tf-idf blocks over `normalize`d text (words cut by
    `tokenize`, or characters), then one multinomial logistic regression per output.  That
    is the shipped pipeline; a test checks the compiled probabilities equal `predict_proba`.
    """
    union, heads = pipeline.named_steps["features"], pipeline.named_steps["clf"].estimators_
    if not isinstance(union, FeatureUnion) or union.transformer_weights:
        return None
    extractors = []
    for _, part in union.transformer_list:
        steps = getattr(part, "named_steps", {})
        hasher, tfidf = steps.get("hash"), steps.get("tfidf")
        if not isinstance(hasher, HashingVectorizer) or not isinstance(tfidf, TfidfTransformer):
            return None
        if hasher.preprocessor is not normalize or hasher.alternate_sign or hasher.norm:
            return None
        if hasher.binary or hasher.input != "content":
            return None
        if hasher.stop_words is not None or hasher.strip_accents is not None:
            return None
        if tfidf.norm not in ("l2", None):
            return None
        word = hasher.analyzer == "word" and hasher.tokenizer is tokenize
        if not word and hasher.analyzer != "char":
            return None
        low, high = hasher.ngram_range
        extractors.append(Extractor(
            analyzer="word" if word else "char",
            ngram_range=(int(low), int(high)),
            n_features=int(hasher.n_features),
            idf=np.asarray(tfidf.idf_, dtype=np.float32) if tfidf.use_idf else None,
            sublinear=bool(tfidf.sublinear_tf),
            l2=tfidf.norm == "l2",
        ))
    if len(heads) != 2 or not all(
        isinstance(h, LogisticRegression) and len(h.classes_) > 2 for h in heads
    ):
        return None
    compiled = [Head.from_coef([str(c) for c in h.classes_], h.coef_, h.intercept_) for h in heads]
    return CompiledModel(tuple(extractors), (compiled[0], compiled[1]))


def corpus_with_weights() -> tuple[list[Example], list[float], list[bool]]:
    """The shipped training corpus, per-row weights (hand-written count double) and a mask of
    the hand-written rows (the ones the temperatures are calibrated on)."""
    examples: list[Example] = []
    weights: list[float] = []
    handwritten: list[bool] = []
    for name in TRAIN_FILES:
        rows = training_rows(name)
        examples.extend(rows)
        hand = name.startswith("handwritten")
        weights.extend([HANDWRITTEN_WEIGHT if hand else 1.0] * len(rows))
        handwritten.extend([hand] * len(rows))
    return examples, weights, handwritten


def save(model: IntakeClassifier, path: Path | str) -> None:
    """Write the model with skops (no pickle), plus the runtime index, atomically.

    The index (`classifier.runtime.write_index`) names the `.npy` members skops wrote that
    hold the compiled arrays, so the bot reads them without importing scikit-learn or skops;
    it is written only for the shipped shape (`compile_pipeline`).

    Why atomically: the file may be the model a running deployment loads at its next start.  It
    is written to a temporary file in the same directory, synced, then renamed over `path` with
    `os.replace` (atomic on POSIX and Windows), so a crash or a full disk mid-write leaves the
    old model, never half a new one.  The new file keeps the old one's permission bits, so a bot
    running as another user can still read it.

    Why stored, not deflated: the arrays are float32 coefficients that deflate only to 70 %,
    and inflating them cost ~70 ms of the 0.5 s load budget on a slow machine
    (docs/classifier-history.md §8); the file is 3.4 MB larger, and git compresses it in its
    own store anyway.
    """
    if model.pipeline is None:
        raise ValueError("only a model trained or loaded with skops in this process can be saved")
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
        compiled = compile_pipeline(model.pipeline)
        if compiled is not None:
            temperatures = [model.type_temperature, model.urgency_temperature]
            runtime.write_index(tmp, compiled, model.meta, temperatures)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        if target.exists():
            shutil.copymode(target, tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class UntrustedModelError(ModelFileError):
    """The model file contains types outside `TRUSTED_TYPES`; it is not loaded."""


def load(path: Path | str) -> IntakeClassifier:
    """Load a skops model file with its scikit-learn pipeline, refusing any type not pinned in
    `TRUSTED_TYPES`.  The bot uses `classifier.load`, which reads the runtime index instead
    when the file has one."""
    p = Path(path)
    try:
        obj = sio.load(p, trusted=list(TRUSTED_TYPES))
    except sio.exceptions.UntrustedTypesFoundException as exc:
        unexpected = sorted(set(sio.get_untrusted_types(file=p)) - set(TRUSTED_TYPES))
        raise UntrustedModelError(f"{p.name}: refusing untrusted types {unexpected}") from exc
    initialize()
    tt, ut = (float(t) for t in obj.get("temperatures", [1.0, 1.0]))
    return classifier_for(
        obj["pipeline"], dict(obj["meta"]), type_temperature=tt, urgency_temperature=ut
    )


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
    calibrate: bool = True,
    correction_weight: float = CORRECTION_WEIGHT,
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

    `calibrate=False` skips the temperatures (a third of the time): for a measurement that
    scores types only, whose decisions use the unscaled probabilities (`classifier.desk_curve`).
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
    weights = base_weights + [1.0] * len(kept_files) + [correction_weight] * len(kept_extra)
    # Real (non-templated) rows calibrate the confidences: hand-written, files, corrections.
    real = base_hand + [True] * (len(kept_files) + len(kept_extra))
    model = fit(examples, weights, calibrate_on=real if calibrate else None,
                templated=[not r for r in real])
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
    out = Path(out_path) if out_path is not None else runtime.default_model_path()
    save(t.model, out)
    return TrainReport(out, t.n_corpus, t.n_extra, t.seconds, t.n_dropped)
