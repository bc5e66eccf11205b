"""Our own labels for the shared evaluation texts, so the model is scored in *our* taxonomy.

Why: lawbench's legal topics and teddy2020c's government sectors are not our dispute types.
Mapping them (`classifier.evaluate_shared`) leaves half the rows unscored and the rest noisy
by construction (a pension letter is 劳动和社会保障 there and `other` here), so a macro-F1 on
mapped labels mixes the model's errors with the mapping's.  Two annotators labelled every dev
row with our codes, blind to the data set's labels and to the model's output; the rows on
which they agree are a test set in our taxonomy, and how often they agree with the mapping
measures the mapping's noise.

The files hold no text from the data (it may not be copied into the project): one line per
row of the data file, its row number, a short hash of the text it labels (so a different or
reordered data file is refused rather than silently mis-scored), and each annotator's type,
urgency and whether they were sure of the type.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifier.taxonomy import TYPES, URGENCIES

#: Where the label files live (beside the corpus; `classifier.corpus` lists its files by name,
#: so nothing here is ever trained on).
LABELS_DIR = Path(__file__).parent / "data" / "shared_labels"

_KEY = re.compile(r"[0-9a-f]{12}")

COLUMNS = ("row", "text_key", "type_a", "urgency_a", "sure_a", "type_b", "urgency_b", "sure_b")


def text_key(text: str) -> str:
    """A 12-hex-digit SHA-1 of the text: identifies a row without holding any of it."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Relabel:
    """Two annotators' labels for one row of a shared data file."""

    row: int
    text_key: str
    type_a: str
    urgency_a: str
    sure_a: bool
    type_b: str
    urgency_b: str
    sure_b: bool

    @property
    def agreed_type(self) -> str | None:
        """The type both annotators gave, or None where they differ."""
        return self.type_a if self.type_a == self.type_b else None


class LabelFileError(ValueError):
    """A label file is malformed or does not belong to the data file it is used with."""


def read(path: Path) -> list[Relabel]:
    """The rows of one label file, validated against the taxonomy; errors name file and line."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise LabelFileError(f"{path}: header must be {' '.join(COLUMNS)}")
        out: list[Relabel] = []
        for line, rec in enumerate(reader, start=2):
            if None in rec or None in rec.values():  # a cell too many or too few
                raise LabelFileError(f"{path}:{line}: {len(COLUMNS)} tab-separated cells expected")
            if not _KEY.fullmatch(rec["text_key"]):
                raise LabelFileError(f"{path}:{line}: text_key must be 12 lower-case hex digits")
            for col in ("type_a", "type_b"):
                if rec[col] not in TYPES:
                    raise LabelFileError(f"{path}:{line}: unknown type {rec[col]!r}")
            for col in ("urgency_a", "urgency_b"):
                if rec[col] not in URGENCIES:
                    raise LabelFileError(f"{path}:{line}: unknown urgency {rec[col]!r}")
            for col in ("sure_a", "sure_b"):
                if rec[col] not in ("y", "n"):
                    raise LabelFileError(f"{path}:{line}: {col} must be y or n, got {rec[col]!r}")
            if not rec["row"].isdigit() or int(rec["row"]) != len(out):
                raise LabelFileError(f"{path}:{line}: rows must be numbered 0, 1, 2 … in order")
            out.append(
                Relabel(
                    int(rec["row"]), rec["text_key"], rec["type_a"], rec["urgency_a"],
                    rec["sure_a"] == "y", rec["type_b"], rec["urgency_b"], rec["sure_b"] == "y",
                )
            )
    return out


def check_matches(path: Path, labels: Sequence[Relabel], texts: Sequence[str]) -> None:
    """Refuse a label file written for other texts (another half, another order, an edit)."""
    if len(labels) != len(texts):
        raise LabelFileError(f"{path}: {len(labels)} labels for {len(texts)} rows of data")
    for lab, text in zip(labels, texts, strict=True):
        if lab.text_key != text_key(text):
            raise LabelFileError(f"{path}: row {lab.row} labels a different text")


def for_texts(
    name: str, texts: Sequence[str], labels_dir: Path = LABELS_DIR
) -> list[Relabel] | None:
    """Our labels of data set `name`, checked against the texts they label (`check_matches`);
    None when the set has no label file.  The one way evaluation and the learning curve read
    them."""
    path = labels_dir / f"{name}_dev.tsv"
    if not path.exists():
        return None
    labels = read(path)
    check_matches(path, labels, texts)
    return labels


def agreement(a: Sequence[str], b: Sequence[str]) -> dict[str, float]:
    """Raw agreement and Cohen's kappa (agreement beyond what the label shares give by chance)."""
    from sklearn.metrics import cohen_kappa_score

    raw = sum(x == y for x, y in zip(a, b, strict=True)) / max(1, len(a))
    return {"raw": raw, "kappa": float(cohen_kappa_score(a, b))}


def summary(labels: Sequence[Relabel]) -> dict[str, Any]:
    """How far the two annotators agree, on types and on urgency."""
    return {
        "n": len(labels),
        "type": agreement([r.type_a for r in labels], [r.type_b for r in labels]),
        "urgency": agreement([r.urgency_a for r in labels], [r.urgency_b for r in labels]),
        "agreed_rows": sum(r.agreed_type is not None for r in labels),
        "agreed_and_sure_rows": sum(
            r.agreed_type is not None and r.sure_a and r.sure_b for r in labels
        ),
    }
