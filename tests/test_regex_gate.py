"""The first-character gate on the safety rules: same matches, never a wrong gate."""

from __future__ import annotations

import re

import pytest

from classifier import rules as safety
from classifier.corpus import HELDOUT_FILES, TRAIN_FILES, shipped
from classifier.regex_gate import first_chars, gated, uncaptured
from classifier.text import normalize


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
    assert first_chars(pattern) == expected


@pytest.mark.parametrize("pattern", [".a", "a|", "a*", "[a-c]x", r"\dx", "[^a]b"])
def test_no_gate_when_the_start_is_not_a_small_literal_set(pattern: str) -> None:
    assert first_chars(pattern) is None
    assert gated(pattern).pattern == pattern


def test_ignorecase_gets_no_gate() -> None:
    assert first_chars("ab", re.IGNORECASE) is None


def test_the_large_rules_are_gated() -> None:
    """The gate is what keeps long letters under the latency target (README §8)."""
    for rule in safety.RULES:
        assert rule.pattern.pattern.startswith("(?=["), rule.name


def test_gated_rules_find_exactly_what_the_plain_patterns_find() -> None:
    texts = [normalize(e.text) for name in (*TRAIN_FILES, *HELDOUT_FILES) for e in shipped(name)]
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
