"""Dispute-type and urgency classification for incoming group-chat messages.

The bot only ever calls `load_default().classify(text)` and reads a `Classification`:
type and urgency codes from `classifier.taxonomy`, their confidences, the safety rules that fired
(so a worker sees *why* a message is urgent) and `needs_triage` (type confidence below
`classifier.runtime.TRIAGE_THRESHOLD`, or a message the model thought was chatter but which a
safety rule kept as a report).  `type == NOT_A_REPORT` means: make no ticket and do not reply,
but log it so a worker can still turn it into a ticket.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from classifier.taxonomy import NOT_A_REPORT

UNCLASSIFIED = "unclassified"

__all__ = [
    "NOT_A_REPORT",
    "UNCLASSIFIED",
    "Classification",
    "Classifier",
    "load",
    "load_default",
]


@dataclass(frozen=True)
class Classification:
    """What the classifier says about one message."""

    type: str
    type_confidence: float
    urgency: str
    urgency_confidence: float
    rules: tuple[str, ...] = field(default=())
    needs_triage: bool = False

    def as_json(self, text: str | None = None) -> dict[str, object]:
        """The CLI's JSON shape: text, type, confidences, urgency and the rules that fired."""
        out: dict[str, object] = {} if text is None else {"text": text}
        out.update(
            type=self.type,
            type_confidence=self.type_confidence,
            urgency=self.urgency,
            urgency_confidence=self.urgency_confidence,
            rules=list(self.rules),
            needs_triage=self.needs_triage,
        )
        return out


class Classifier(Protocol):
    def classify(self, text: str) -> Classification: ...


class UnclassifiedClassifier:
    """Fallback that tags everything `unclassified` and asks a human to triage it."""

    def classify(self, text: str) -> Classification:
        return Classification(UNCLASSIFIED, 0.0, UNCLASSIFIED, 0.0, (), needs_triage=True)


def load(path: Path | str) -> Classifier:
    """The model file at `path`, as the bot runs it.

    Why two ways: a file `classifier.model.save` wrote carries a runtime index, read with numpy
    alone (`classifier.runtime.read`), so the bot never imports scikit-learn or skops, most of
    its cold start.  A file without one (saved before the index existed) is loaded with skops
    and its pinned types (`classifier.model.load`), which is slower but gives the same model.
    """
    from classifier import runtime, text

    text.initialize()
    model = runtime.read(path)
    if model is None:
        from classifier import model as fitted

        try:
            return fitted.load(path)
        except runtime.ModelFileError:
            raise
        except Exception as exc:  # skops raises many kinds on a zip that is not its own
            # (a zip of anything else ended `classify --model` in KeyError's traceback)
            raise runtime.ModelFileError(
                f"{Path(path).name}: not a model file ({type(exc).__name__}: {exc})"
            ) from exc
    return model


_default: Classifier | None = None
_default_lock = threading.Lock()


def load_default() -> Classifier:
    """The shipped trained model (loaded once per process; segmenter initialised here).

    If the package has no model file (e.g. a source checkout where it was deleted), the model is
    trained from the shipped corpus in a few seconds and kept in memory.
    """
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                from classifier import runtime

                path = runtime.default_model_path()
                if path.exists():
                    _default = load(path)
                else:  # pragma: no cover - the wheel ships the model
                    from classifier import model

                    rows, weights, hand = model.corpus_with_weights()
                    _default = model.fit(
                        rows, weights, calibrate_on=hand, templated=[not h for h in hand]
                    )
    return _default
