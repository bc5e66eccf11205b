"""Dispute-type and urgency classification.

PLACEHOLDER until the classifier issue lands: `load_default()` returns a classifier that
tags every message `unclassified` rather than inventing categories.  The pipeline only ever
calls `Classifier.classify`, so swapping in the trained model changes nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

UNCLASSIFIED = "unclassified"
NOT_A_REPORT = "not_a_report"


@dataclass(frozen=True)
class Classification:
    """What the classifier says about one message."""

    type: str
    type_confidence: float
    urgency: str
    urgency_confidence: float
    rules: tuple[str, ...] = field(default=())
    needs_triage: bool = False


class Classifier(Protocol):
    def classify(self, text: str) -> Classification: ...


class UnclassifiedClassifier:
    """Placeholder: tags everything `unclassified` and asks a human to triage it."""

    def classify(self, text: str) -> Classification:
        return Classification(UNCLASSIFIED, 0.0, UNCLASSIFIED, 0.0, (), needs_triage=True)


def load_default() -> Classifier:
    """The classifier the bot uses when the config names no model."""
    return UnclassifiedClassifier()
