"""`skops.io`, imported without scikit-learn's walk over every estimator module.

Why: at import, skops builds its default trust list by calling scikit-learn's
`all_estimators()`, which imports every public scikit-learn module (ensemble, neighbors,
manifold, …) and inspects their classes — 121 modules, 8.7 % of the instructions spent
importing the classifier (README, Performance), paid against the bot's 2 s start-up budget by
a model that uses six scikit-learn classes.  The loader (`classifier.model.load`) never relies
on that list: it pins every type the model file may hold in `TRUSTED_TYPES`, scikit-learn's
included.  With the list empty, skops trusts no scikit-learn type by default, so the pin is
the whole story — stricter, not looser.

If `skops.io` was imported before this module (a script that imported skops itself), it is
returned as it is: the default list then trusts more types by itself, and `load` still only
accepts a file whose remaining types are all pinned.  If a future skops stops calling
`sklearn.utils.all_estimators` by that name, the patch does nothing and start-up is merely
slower (`tests/test_classifier.py` checks the walk is skipped).
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any


def _no_estimators(type_filter: Any = None) -> list[tuple[str, type]]:
    """Stands in for `sklearn.utils.all_estimators` while skops builds its trust list."""
    return []


def import_skops_io() -> ModuleType:
    """Return `skops.io`, importing it with an empty default list of trusted estimators."""
    already = sys.modules.get("skops.io")
    if already is not None:
        return already
    import sklearn.utils

    real = sklearn.utils.all_estimators
    sklearn.utils.all_estimators = _no_estimators
    try:
        module = importlib.import_module("skops.io")
    finally:
        sklearn.utils.all_estimators = real
    return module
