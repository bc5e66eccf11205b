"""Compile a large alternation so that scanning long text stays cheap.

Why: Python's `re` tries every alternative of a top-level alternation at every position of the
text unless all alternatives start with a plain literal (then it skips ahead in C).  The
self-harm rule has ~100 alternatives, most starting with a group, so it cost ~0.7 µs per
character: 2 ms for a 3,000-character letter, which alone broke the 5 ms p99 target
(docs/classifier-history.md §8).

Two ways out, the first preferred:

* **Literal first** (`literal_first`, twelfth round): rewrite the pattern so that every
  top-level alternative starts with a literal — a leading group or character class is
  distributed over what follows it (`(?:浇|泼)汽油` → `浇汽油|泼汽油`), an optional start becomes
  two alternatives, greedy order kept (`(?:就)?去` → `就去|去`), and a look-behind before the
  first literal looks back from after it (`(?<!爆)炸了` → `炸(?<!爆炸)了`).  `re` then finds the
  candidate positions itself, in C: on long letters every rule scans 2-3x faster than behind the
  gate below (the rules as a whole: ~725 → ~335 ns a character on a slow machine).
* **A first-character gate** otherwise: `(?=[...])(?:pattern)` rejects almost every position
  with one set test, but `re` still enters its matcher at each position to run it.

Either way the matches are identical: the alternatives are tried in the same order at every
position (a test compares each rule with its plain pattern on the whole corpus).  Making the
groups non-capturing (`uncaptured`) comes first: it lets `re` skip an alternative that starts
with a set in one comparison, and `literal_first` handles only non-capturing groups.

Both read the parsed pattern with `re._parser`, the parser the `re` module itself uses.  It is
private, so any surprise (another Python, a construct these walks do not know) means the plain
pattern, never a wrong one.
"""

from __future__ import annotations

import re
from typing import Any


def gated(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern)` for scanning: no capturing groups, every alternative literal-first
    when it can be rewritten so, else a first-character lookahead when one can be derived.  The
    match spans are the same; `group(n)` is not kept."""
    pattern = uncaptured(pattern)
    rewritten = literal_first(pattern, flags)
    if rewritten is not None and len(rewritten) <= LITERAL_FIRST_MAX_CHARS:
        return re.compile(rewritten, flags)
    chars = first_chars(pattern, flags)
    if not chars:
        return re.compile(pattern, flags)
    cls = "".join(re.escape(c) for c in sorted(chars))
    return re.compile(f"(?=[{cls}])(?:{pattern})", flags)


def uncaptured(pattern: str) -> str:
    """`pattern` with every plain group `(` made non-capturing `(?:`.

    Why: where the gate lets a position through, `re` tries the alternatives in turn, and it
    skips one in a single comparison only if it starts with a literal or a character set.  A
    capturing group starts with a "mark" instead, so `(浇|泼|淋)汽油` was entered and left in
    full at every such position; as `(?:浇|泼|淋)` it is the set `[浇泼淋]`.  The self-harm rule
    scans 2.7x faster.  The rules read only where a match starts and ends, never its groups.
    A pattern with a named group or a back-reference (`\\1`, `(?P=name)`) is returned unchanged.
    """
    if re.search(r"\\[1-9]|\(\?P[<=]", pattern):
        return pattern
    out: list[str] = []
    escaped = in_class = False
    for i, ch in enumerate(pattern):
        out.append(ch)
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            # "[]…]", "[^]…]": a ] first in a class is a literal, not its end
            in_class = ch != "]" or pattern[i - 1] == "[" or pattern[i - 2 : i] == "[^"
        elif ch == "[":
            in_class = True
        elif ch == "(" and pattern[i + 1 : i + 2] != "?":
            out.append("?:")
    return "".join(out)


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


#: At most this many rewriting steps (one per sequence expanded; the self-harm rule takes 229
#: and comes out as 201 alternatives): a bound on the pattern's growth, not a tuning knob.
LITERAL_FIRST_LIMIT = 800

#: `gated` keeps the first-character gate when the rewrite comes out longer than this.  `re`
#: takes ~2.5 ms to parse and compile each 1,000 characters of pattern, at every start, and a
#: rewrite this long is one whose leading words (the missing-person rule's 32 kin words) are
#: copied in front of everything after them — words so common (我, 小, 老, 娃) that `re`
#: stops at about as many positions either way.  Measured on 450 letters (sixteenth round,
#: docs/classifier-history.md §8): the missing-person rule scans at 8.6 µs a letter
#: literal-first and 9.0 µs behind the gate, and compiles in 42 ms instead of 3.
LITERAL_FIRST_MAX_CHARS = 8_000


class _Unsupported(Exception):
    """A construct `literal_first` does not rewrite: the caller keeps the gate."""


def literal_first(pattern: str, flags: int = 0) -> str | None:
    """`pattern` rewritten as alternatives that each start with a literal, matching the same
    spans at every position; None if a construct stands in the way (a leading `.`, range,
    category or look-ahead, a capturing group, flags) or it would take over LITERAL_FIRST_LIMIT
    steps."""
    if flags & re.IGNORECASE:
        return None
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser as p  # type: ignore[attr-defined]

        budget = [LITERAL_FIRST_LIMIT]
        alternatives = _expand(list(p.parse(pattern, flags).data), budget, c)
        return "|".join(_unparse(alt, c) for alt in alternatives)
    except (_Unsupported, RecursionError):
        return None
    except Exception:  # noqa: BLE001 - a private parser: anything unexpected means "no rewrite"
        return None


Items = list[tuple[Any, Any]]


def _items(sub: Any) -> Items:
    """The items of a parsed subpattern (or of a list already made of them)."""
    return list(sub.data) if hasattr(sub, "data") else list(sub)


def _expand(items: Items, budget: list[int], c: Any) -> list[Items]:
    """Literal-first alternatives equivalent to the sequence `items`, in backtracking order."""
    if not items:
        raise _Unsupported("an alternative that can match empty")
    budget[0] -= 1
    if budget[0] < 0:
        raise _Unsupported("too many alternatives")
    (op, av), rest = items[0], items[1:]
    if op is c.LITERAL:
        return [items]
    if op is c.SUBPATTERN:
        group, add_flags, del_flags, sub = av
        if group is not None or add_flags or del_flags:
            raise _Unsupported("a capturing group or inline flags")
        return _expand(_items(sub) + rest, budget, c)
    if op is c.BRANCH:
        return [alt for sub in av[1] for alt in _expand(_items(sub) + rest, budget, c)]
    if op is c.IN and all(o is c.LITERAL for o, _ in av):
        return [alt for o_a in av for alt in _expand([o_a, *rest], budget, c)]
    if op is c.MAX_REPEAT:  # greedy: one more first, then stop
        low, high, sub = av
        if high is not c.MAXREPEAT and high < 1:
            return _expand(rest, budget, c)
        more = [] if high == 1 else [
            (op, (max(low - 1, 0), high if high is c.MAXREPEAT else high - 1, sub))
        ]
        taken = _expand(_items(sub) + more + rest, budget, c)
        return taken if low > 0 else taken + _expand(rest, budget, c)
    if op in (c.ASSERT, c.ASSERT_NOT) and av[0] == -1:
        # A look-behind at the start: after the first literal, it looks back over it too.
        return [
            [alt[0], (op, (-1, [*_items(av[1]), alt[0]])), *alt[1:]]
            for alt in _expand(rest, budget, c)
        ]
    raise _Unsupported(str(op))


def _unparse(items: Any, c: Any) -> str:
    """Pattern text for parsed items (the constructs the rules use; others are refused)."""
    out: list[str] = []
    for op, av in _items(items):
        if op is c.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is c.NOT_LITERAL:
            out.append(f"[^{re.escape(chr(av))}]")
        elif op is c.IN:
            out.append(_unparse_class(av, c))
        elif op is c.ANY:
            out.append(".")
        elif op is c.BRANCH:
            out.append("(?:" + "|".join(_unparse(sub, c) for sub in av[1]) + ")")
        elif op is c.SUBPATTERN and av[0] is None and not av[1] and not av[2]:
            out.append(f"(?:{_unparse(av[3], c)})")
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, high, sub = av
            upper = "" if high is c.MAXREPEAT else str(high)
            lazy = "?" if op is c.MIN_REPEAT else ""
            out.append(f"(?:{_unparse(sub, c)}){{{low},{upper}}}{lazy}")
        elif op in (c.ASSERT, c.ASSERT_NOT):
            direction, sub = av
            kind = ("?" if direction == 1 else "?<") + ("=" if op is c.ASSERT else "!")
            out.append(f"({kind}{_unparse(sub, c)})")
        else:
            raise _Unsupported(str(op))
    return "".join(out)


def _unparse_class(av: Items, c: Any) -> str:
    parts: list[str] = []
    for op, a in av:
        if op is c.NEGATE:
            parts.insert(0, "^")
        elif op is c.LITERAL:
            parts.append(re.escape(chr(a)))
        elif op is c.RANGE:
            parts.append(f"{re.escape(chr(a[0]))}-{re.escape(chr(a[1]))}")
        else:
            raise _Unsupported(str(op))  # categories (\d …) are not needed by the rules
    return "[" + "".join(parts) + "]"
