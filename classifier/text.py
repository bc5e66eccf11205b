"""Text normalisation and segmentation shared by training, the model and the rules.

Why one module: the model file stores a reference to `tokenize`, so training and inference must
segment identically; the rules must see the same normalised text the model sees, except for
the emergency numbers (`normalize_for_rules`).

Segmentation uses rjieba (the Rust port of jieba: identical cuts, ~25x faster, and a dictionary
that builds in ~0.1 s instead of jieba's ~1.5 s) with the project's user dictionary added through
`add_word`.  If rjieba is missing the pure-Python jieba is used with the same dictionary, so the
features do not depend on which is installed.  Numbers and phone numbers are folded into
placeholder tokens: the model should learn "a phone number was given", not the digits.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import resources

# A mobile number: a "1" not preceded by a digit, ...  The "1" comes first and the look-behind
# after it (`(?<!\d1)` = "no digit before this 1") so that `re` can skip ahead to each "1" in C
# instead of trying the pattern at every character: 40x faster on a long letter, same matches.
_PHONE = re.compile(r"1(?<!\d1)[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")
# A phone number becomes 〔电话〕 glued to the text: the spaces after it go with the number, the
# spaces before it in a second pass, run only when there was a number.  (One pattern starting
# with \s* would lose the literal "1" the scan skips ahead to: 27x slower on a letter.)
_PHONE_AND_SPACES_AFTER = re.compile(_PHONE.pattern + r"\s*")
_SPACES_BEFORE_PHONE = re.compile(r"\s+(?=〔电话〕)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
#: The emergency numbers: police, fire, ambulance, traffic police, and 999 (an ambulance line in
#: some cities).  The safety rules must tell "打120" (call an ambulance) from "打8折" (a discount)
#: or "打3次电话", so `normalize_for_rules` keeps these digits; the model reads every number as
#: "0", as it was trained to.
EMERGENCY_NUMBERS: frozenset[str] = frozenset({"110", "119", "120", "122", "999"})
#: One of them, as a regex fragment for the rule patterns.
EMERGENCY_NUMBER = "(?:" + "|".join(sorted(EMERGENCY_NUMBERS)) + ")"
_SPACES = re.compile(r"\s+")

_lock = threading.Lock()
_cut: Callable[[str], list[str]] | None = None


class _NFKCByChar(dict[int, str]):
    """`str.translate` table: code point -> its NFKC form, filled on first sight of each one.

    Bounded: a message of a million distinct code points must not grow it for good; everyday
    text (a few thousand Chinese characters, punctuation, Latin) fits many times over.
    """

    LIMIT = 1 << 15

    def __missing__(self, code: int) -> str:
        form = unicodedata.normalize("NFKC", chr(code))
        if len(self) < self.LIMIT:
            self[code] = form
        return form


_NFKC_BY_CHAR = _NFKCByChar()


def nfkc(text: str) -> str:
    """`unicodedata.normalize("NFKC", text)`, about 2.5x faster on Chinese text.

    Why: the full-width punctuation of every Chinese message (，。：) sends `unicodedata` down
    its slow path, ~0.16 µs a character (1 ms for a long letter, paid on every message).  Mapping
    each character to its own NFKC form is a C-speed `translate`; and when the result is already
    in NFKC, it *is* NFKC of the whole text (decomposition is per character and composing a
    normalised string changes nothing).  When it is not (a combining mark that composes with its
    neighbour, Hangul jamo), the standard function decides.
    """
    mapped = text.translate(_NFKC_BY_CHAR)
    if unicodedata.is_normalized("NFKC", mapped):
        return mapped
    return unicodedata.normalize("NFKC", text)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str) -> str:
    """`text` with every NUL and lone UTF-16 surrogate replaced by U+FFFD (the replacement
    character); other text is returned as it is.

    Why: Python hands over text that is not valid Unicode as lone surrogates (a bad byte read
    from a terminal with `surrogateescape`, half an emoji escaped in a platform's JSON), and
    such a string cannot be encoded as UTF-8, so it cannot be segmented, hashed, stored or
    printed; PostgreSQL refuses a NUL in text.  Either would lose the whole message for one
    character.  Finding out costs one encode (a few microseconds on a long letter)."""
    if "\x00" in text:
        return _UNSTORABLE.sub("\ufffd", text)
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _UNSTORABLE.sub("\ufffd", text)
    return text


def _normalized(text: str, number: str | Callable[[re.Match[str]], str]) -> str:
    text = nfkc(storable_text(text)).lower()
    text, phones = _PHONE_AND_SPACES_AFTER.subn("〔电话〕", text)
    if phones:
        text = _SPACES_BEFORE_PHONE.sub("", text)
    text = _NUMBER.sub(number, text)
    return _SPACES.sub(" ", text).strip()


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), lower-case, phone numbers and digits to placeholders."""
    return _normalized(text, "0")


def _number_or_emergency(match: re.Match[str]) -> str:
    return match.group() if match.group() in EMERGENCY_NUMBERS else "0"


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LINK = re.compile(r"(?:https?://|www\.)\S+")
_LATIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
#: What a group says in English that asks nothing of the desk; a message of these words alone is
#: left to the model, which drops it as chatter.
_COURTESY = frozenset({
    "hi", "hello", "hey", "good", "morning", "afternoon", "evening", "night", "everyone", "all",
    "guys", "thanks", "thank", "you", "so", "much", "very", "ok", "okay", "yes", "no", "sure",
    "great", "nice", "lol", "haha", "bye", "see", "later", "welcome", "got", "it", "noted",
    "received", "happy", "new", "year", "birthday", "congrats", "congratulations", "the", "a",
    "and", "to", "for",
})


def unreadable(norm: str) -> bool:
    """True if the model cannot read already-normalised `norm`: no Chinese character, and at
    least two words of Latin letters beyond a link and a courtesy ("hello everyone").

    Why: the model was trained on Chinese only, so on English or pinyin its type, its urgency
    and its chatter vote are noise; it dropped "I want to kill myself" and "fire in building 3,
    help" as chatter.  Such a message is filed for a worker to read (`IntakeClassifier._decide`),
    with the rules' English and pinyin cues (`classifier.rules`).
    """
    if _HAN.search(norm):
        return False
    words = _LATIN_WORD.findall(_LINK.sub(" ", norm))
    return len(words) >= 2 and not all(w in _COURTESY for w in words)


def normalize_for_rules(text: str) -> str:
    """`normalize`, but the emergency numbers (`EMERGENCY_NUMBERS`) keep their digits.

    Why not in `normalize`: the shipped model was trained on text where every number is "0";
    what the rules and the chatter forms read may differ from it, since they are patterns, not
    learnt weights.  Every other character is the same, so a rule sees what the model sees.
    """
    return _normalized(text, _number_or_emergency)


@cache
def user_words() -> tuple[tuple[str, int], ...]:
    """The user dictionary shipped in `data/userdict.txt` as (word, frequency) pairs."""
    raw = resources.files("classifier").joinpath("data/userdict.txt").read_text("utf-8")
    words: list[tuple[str, int]] = []
    for line in raw.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        words.append((parts[0], int(parts[1]) if len(parts) > 1 else 2000))
    return tuple(words)


def _build_cutter() -> Callable[[str], list[str]]:
    """rjieba if available, else jieba; both get the user dictionary."""
    try:
        import rjieba

        # Importing rjieba builds its default dictionary (~0.1 s); a second `rjieba.Jieba()`
        # would build another.  So the user words go into the default one: nothing else in
        # the bot segments with rjieba, and adding the same word twice changes nothing.
        for word, freq in user_words():
            rjieba.add_word(word, freq, None)
        cut = rjieba.cut

        def cut_r(text: str) -> list[str]:
            return list(cut(text, True))

        return cut_r
    except ImportError:  # pragma: no cover - exercised only without rjieba
        import jieba

        tok = jieba.Tokenizer()
        tok.initialize()
        for word, freq in user_words():
            tok.add_word(word, freq)

        def cut_j(text: str) -> list[str]:
            return list(tok.cut(text, HMM=True))

        return cut_j


def initialize() -> None:
    """Build the segmenter once (thread-safe); `load_default` calls it: first message is fast."""
    global _cut
    if _cut is None:
        with _lock:
            if _cut is None:
                _cut = _build_cutter()


def segment(text: str) -> list[str]:
    """Segment already-normalised text into words, dropping whitespace and punctuation."""
    initialize()
    assert _cut is not None
    return [w for w in _cut(text) if w.strip() and not _is_punct(w)]


@lru_cache(maxsize=8192)
def _is_punct(token: str) -> bool:
    """Why cached: ~300 tokens a letter, mostly the same few thousand words and marks."""
    return all(unicodedata.category(ch)[0] in "PZS" for ch in token)


def tokenize(text: str) -> list[str]:
    """Word tokens for the model: segmented words plus every user-dictionary word present.

    The second part makes governance vocabulary visible even where jieba's HMM would cut it
    differently in context (e.g. 拖欠工资 inside a longer run of characters).
    """
    tokens = segment(text)
    present = [w for w, _ in user_words() if w in text]
    return tokens + [f"#{w}" for w in present]
