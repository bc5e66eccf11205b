"""The first-character gate on the safety rules: same matches, never a wrong gate."""

from __future__ import annotations

import re

import pytest

from classifier import rules as safety
from classifier.corpus import HELDOUT_FILES, TRAIN_FILES, shipped
from classifier.regex_gate import (
    LITERAL_FIRST_MAX_CHARS,
    first_chars,
    gated,
    literal_first,
    uncaptured,
)
from classifier.text import normalize_for_rules


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("ab|cd", {"a", "c"}),
        ("(a?)b", {"a", "b"}),  # an optional start adds what follows it
        ("(x|y)?z", {"x", "y", "z"}),
        ("(?:ab)+c", {"a"}),
        ("[abc]x", {"a", "b", "c"}),
        ("(?<![你他])去死", {"去"}),  # a look-behind consumes nothing
        ("(我|俺)(就)?(去)?(自杀|轻生)", {"我", "俺"}),
    ],
)
def test_first_characters(pattern: str, expected: set[str]) -> None:
    assert first_chars(pattern) == frozenset(expected)


@pytest.mark.parametrize("pattern", [".a", "a|", "a*", "[a-c]x", r"\dx", "[^a]b"])
def test_no_gate_when_the_start_is_not_a_small_literal_set(pattern: str) -> None:
    assert first_chars(pattern) is None
    assert gated(pattern).pattern == pattern


def test_ignorecase_gets_no_gate() -> None:
    assert first_chars("ab", re.IGNORECASE) is None


def test_every_rule_is_rewritten_literal_first_unless_the_rewrite_is_too_long() -> None:
    """Literal-first alternatives are what keep long letters under the latency target
    (docs/classifier-history.md §8): `re` then finds candidate positions in C.  A rule that needs
    the slower first-character gate instead must be a decision, not an accident: today only the
    missing-person rule, whose rewrite would be ~17,000 characters (regex_gate
    LITERAL_FIRST_MAX_CHARS says why)."""
    gate_only = set()
    for rule in safety.RULES:
        rewritten = literal_first(uncaptured(rule.source))
        assert rewritten is not None, rule.name
        if len(rewritten) > LITERAL_FIRST_MAX_CHARS:
            gate_only.add(rule.name)
            assert rule.pattern.pattern.startswith("(?=["), rule.name
        else:
            assert rule.pattern.pattern == rewritten, rule.name
    assert gate_only == {"missing_person"}


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("[ab]x", "ax|bx"),
        ("(?:a|bc)d", "ad|bcd"),
        ("a?b", "ab|b"),  # greedy: with the optional part first
        ("(?:就)?去", "就去|去"),
        ("a{0,2}b", "a(?:a){0,1}b|b"),
        ("(?<!x)ab", "a(?<!xa)b"),  # the look-behind now also reads the literal
        ("(?<![你他])去死", "去(?<![你他]去)死"),
    ],
)
def test_literal_first(pattern: str, expected: str) -> None:
    assert literal_first(pattern) == expected


@pytest.mark.parametrize("pattern", [".a", r"\dx", "(?=x)a", "a|", "a*", "(a)b", "[a-c]x"])
def test_no_literal_first_rewrite_when_the_start_is_not_literal(pattern: str) -> None:
    assert literal_first(pattern) is None


@pytest.mark.parametrize(
    "pattern",
    [
        "(?:ab|a)(?:c|cd)?e?",
        "(?:x?y){1,3}z|yz",
        "(?<!a)(?:b|ab)+c?",
        "[abc](?:a|b){0,2}(?<!cb)c",
        "(?:a(?:b|c)?|c)(?!b)",
    ],
)
def test_literal_first_finds_the_same_spans_on_random_text(pattern: str) -> None:
    """Same spans as the plain pattern, found at the same positions in the same order."""
    import random

    rewritten = literal_first(pattern)
    assert rewritten is not None
    plain, fast = re.compile(pattern), re.compile(rewritten)
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice("abcxyz") for _ in range(rng.randint(0, 12)))
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_gated_rules_find_exactly_what_the_plain_patterns_find() -> None:
    names = (*TRAIN_FILES, *HELDOUT_FILES)
    texts = [normalize_for_rules(e.text) for name in names for e in shipped(name)]
    texts.append("".join(texts[:200]))  # one long letter
    for rule in safety.RULES:
        assert rule.pattern.pattern == gated(rule.source).pattern
        assert rule.pattern.groups == 0  # every group made non-capturing
        reference = re.compile(rule.source)
        for text in texts:
            got = [m.span() for m in rule.pattern.finditer(text)]
            assert got == [m.span() for m in reference.finditer(text)], (rule.name, text)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(我|俺)(就)?去", "(?:我|俺)(?:就)?去"),
        ("(?:a)(?=b)(?<!c)", "(?:a)(?=b)(?<!c)"),  # already non-capturing, or not a group
        (r"\(a\)", r"\(a\)"),  # escaped parentheses are literals
        ("[(]a(b)", "[(]a(?:b)"),  # a ( inside a class is a literal
        ("[]a(]b(c)", "[]a(]b(?:c)"),  # a ] first in a class does not close it
        (r"[\]()](d)", r"[\]()](?:d)"),
        (r"(a)\1", r"(a)\1"),  # a back-reference needs its group: unchanged
        ("(?P<x>a)(?P=x)", "(?P<x>a)(?P=x)"),
    ],
)
def test_uncaptured(pattern: str, expected: str) -> None:
    assert uncaptured(pattern) == expected
    re.compile(uncaptured(pattern))
