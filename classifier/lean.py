"""The fitted pipeline's arithmetic, run without scikit-learn's per-call machinery.

Why: for one chat message `pipeline.predict_proba` spent ~1.5 ms checking its inputs (six
`check_array` calls, each asking narwhals whether a sparse matrix is a data frame) and sending
FeatureUnion's parts through joblib, against ~0.1 ms of arithmetic; then building, summing and
stacking scipy sparse matrices cost another ~0.5 ms on a long letter.  `LeanPredictor` runs the
same fitted arrays: the message is normalised once (not once per feature extractor), cut into
the extractor's word or character n-grams, scikit-learn's murmur hashing turns them into column
numbers, and tf-idf and the multinomial logistic regression are a few numpy operations on the
columns present.  A test checks the probabilities equal `pipeline.predict_proba` on every corpus
row.

Any pipeline of another shape (a calibrated or naive-Bayes model `classifier.select` can build,
a preprocessor other than `normalize`) gets no `LeanPredictor` and takes the ordinary path.
The one private import, scikit-learn's hashing loop, has kept its name and signature since
scikit-learn 0.13; should it move, the ordinary path is taken, just slower.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.text import normalize, tokenize

try:
    from sklearn.feature_extraction._hashing_fast import (
        transform as _hash_features,
    )
except ImportError:  # pragma: no cover - a future scikit-learn: the ordinary path is taken
    _hash_features = None


#: scikit-learn's own white-space folding before character n-grams (`_VectorizerMixin`).
_WHITE_SPACES = re.compile(r"\s\s+")


def _ngrams(items: Sequence[str], low: int, high: int, sep: str) -> Iterator[str]:
    """Every run of `low`..`high` consecutive items joined by `sep`, as scikit-learn forms them
    (the order differs, which hashing ignores); C-level `map`/`zip` instead of its Python loop,
    which was a fifth of a long letter's time."""
    shifted = [items[i:] for i in range(high)]
    return chain.from_iterable(
        map(sep.join, zip(*shifted[:n], strict=False)) for n in range(low, high + 1)
    )


def _analyzer(hasher: HashingVectorizer) -> Callable[[str], Iterator[str]] | None:
    """The hasher's features of already-normalised text, or None for a shape not handled."""
    low, high = hasher.ngram_range
    if hasher.stop_words is not None or hasher.strip_accents is not None:
        return None
    if hasher.analyzer == "char":
        return lambda norm: _ngrams(_WHITE_SPACES.sub(" ", norm), low, high, "")
    if hasher.analyzer == "word" and hasher.tokenizer is tokenize:
        return lambda norm: _ngrams(tokenize(norm), low, high, " ")
    return None


@dataclass(frozen=True)
class _Extractor:
    """One hashed tf-idf feature block of the FeatureUnion, as plain arrays."""

    analyze: Callable[[str], Iterator[str]]
    n_features: int
    idf: np.ndarray | None
    sublinear: bool
    l2: bool

    def entries(self, norms: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, column, tf-idf value) of every feature present in the normalised texts, sorted
        by row: the non-zero entries of the pipeline's matrix for this block."""
        indices, indptr, _ = _hash_features(
            (zip(self.analyze(norm), repeat(1)) for norm in norms),
            self.n_features, np.float32, False, 0,
        )
        rows = np.repeat(np.arange(len(norms), dtype=np.int64), np.diff(indptr))
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


def _row_sums(rows: np.ndarray, weights: np.ndarray, n_rows: int) -> np.ndarray:
    """Sums of `weights` (last axis: the entries) per row; shape (..., n_rows)."""
    if n_rows == 1:  # one chat message: a plain sum, not a bincount per class
        total: np.ndarray = weights.sum(axis=-1, keepdims=True, dtype=np.float64)
        return total
    if weights.ndim == 1:
        return np.bincount(rows, weights=weights, minlength=n_rows)
    return np.stack([np.bincount(rows, weights=w, minlength=n_rows) for w in weights])


@dataclass(frozen=True)
class LeanPredictor:
    """Type and urgency probabilities of a words+chars logistic-regression pipeline."""

    extractors: tuple[_Extractor, ...]
    heads: tuple[LogisticRegression, ...]

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, ...]:
        """One probability matrix per head (rows: texts), as `pipeline.predict_proba`.

        The whole batch goes through each step at once (one hashing call, one `np.unique`),
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
        probs = []
        for head in self.heads:
            weighted = head.coef_[:, col] * val  # (classes, entries)
            probs.append(softmax(_row_sums(row, weighted, len(texts)).T + head.intercept_))
        return tuple(probs)


def softmax(scores: Any) -> np.ndarray:
    """Row-wise softmax: a multinomial logistic regression's `predict_proba` from its scores."""
    z = np.asarray(scores, dtype=np.float64)
    z = np.exp(z - z.max(axis=1, keepdims=True))
    out: np.ndarray = z / z.sum(axis=1, keepdims=True)
    return out


def lean_predictor(pipeline: Pipeline) -> LeanPredictor | None:
    """A `LeanPredictor` for the shipped pipeline's shape, else None (the ordinary path)."""
    if _hash_features is None:
        return None
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
        if tfidf.norm not in ("l2", None):
            return None
        analyze = _analyzer(hasher)
        if analyze is None:
            return None
        extractors.append(_Extractor(
            analyze=analyze,
            n_features=int(hasher.n_features),
            idf=np.asarray(tfidf.idf_, dtype=np.float32) if tfidf.use_idf else None,
            sublinear=bool(tfidf.sublinear_tf),
            l2=tfidf.norm == "l2",
        ))
    if not all(isinstance(h, LogisticRegression) and len(h.classes_) > 2 for h in heads):
        return None
    return LeanPredictor(tuple(extractors), tuple(heads))
