"""Compile a large alternation with a first-character gate, so scanning long text stays cheap.

Why: Python's `re` tries every alternative of a top-level alternation at every position of the
text unless all alternatives start with a plain literal (then it skips ahead in C).  The
self-harm rule has ~100 alternatives, most starting with a group, so it cost ~0.7 µs per
character: 2 ms for a 3,000-character letter, which alone broke the 5 ms p99 target
(README, classifier §8).  Prefixing the pattern with a lookahead on the set of characters a
match can start with, `(?=[...])(?:pattern)`, rejects almost every position with one set test;
the matches are identical (a test compares gated and plain patterns on the whole corpus).

The set of first characters is read from the parsed pattern with `re._parser`, the parser the
`re` module itself uses.  It is private, so any surprise (another Python, a construct this walk
does not know: `.`, `\\d`, a range, a back-reference) means no gate, never a wrong one.
"""

from __future__ import annotations

import re
from typing import Any


def gated(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern)`, with a first-character lookahead when one can be derived."""
    chars = first_chars(pattern, flags)
    if not chars:
        return re.compile(pattern, flags)
    cls = "".join(re.escape(c) for c in sorted(chars))
    return re.compile(f"(?=[{cls}])(?:{pattern})", flags)


def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Every character a non-empty match can start with, or None if that is not a small set."""
    if flags & re.IGNORECASE:
        return None
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser as p  # type: ignore[attr-defined]

        parsed = p.parse(pattern, flags)
        found, empty = _first(parsed.data, c)
    except Exception:  # noqa: BLE001 - a private parser: anything unexpected means "no gate"
        return None
    return frozenset(found) if found and not empty else None


def _first(items: list[tuple[Any, Any]], c: Any) -> tuple[set[str] | None, bool]:
    """(first characters, may match empty) of a sequence of parsed items; None if unknown.

    A sequence that may match empty adds nothing of what follows it (we do not see that), so
    the caller treats its own continuation; at the top level an empty-able pattern gets no gate.
    """
    out: set[str] = set()
    for op, av in items:
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue  # consumes nothing
        if op is c.LITERAL:
            out.add(chr(av))
            return out, False
        if op is c.IN:
            if not all(o is c.LITERAL for o, _ in av):
                return None, False  # ranges, categories, negated sets: not a small literal set
            out.update(chr(a) for _, a in av)
            return out, False
        if op is c.SUBPATTERN:
            branches = [av[3].data]
        elif op is c.BRANCH:
            branches = [alt.data for alt in av[1]]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            branches = [av[2].data]
        else:
            return None, False  # any character, back-references, ...: unknown
        nullable = op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] == 0
        for branch in branches:
            sub, empty = _first(branch, c)
            if sub is None:
                return None, False
            out |= sub
            nullable = nullable or empty
        if not nullable:
            return out, False
    return out, True
