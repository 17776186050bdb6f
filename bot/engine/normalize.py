"""Text normalisation: Slack markup, emoji, accents, case, spelling, synonyms and stems.

Every step is explicit so the matcher, the index and the tests all read text the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import Stemmer

from bot.engine.lexicon import EMOJI_WORDS, PHRASES, ROLE_WORDS, STOP_WORDS, canonical_words

#: Questions are cut to this many characters (at a word boundary) before matching: the longest
#: real question is a few hundred characters, and the cut keeps 40,000-character pastes cheap.
MAX_CHARS = 1200

_USER_OR_CHANNEL = re.compile(r"<[@#!][^>]*>")
_LINK = re.compile(r"<(https?://[^>|]*)(?:\|([^>]*))?>")
_URL = re.compile(r"https?://[^\s/]+")
_LEADING_HANDLE = re.compile(r"^\s*@\S+")
_APOSTROPHE = re.compile(r"[’'`´]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _trie(phrases: Iterable[str]) -> str:
    """One regular expression for many phrases, as a word trie: a few alternatives per step
    instead of every phrase tried at every position of a large corpus; longest match first."""
    root: dict[str, Any] = {}
    for phrase in phrases:
        node = root
        for word in phrase.split():
            node = node.setdefault(word, {})
        node[""] = {}
    return _render(root)


def _render(node: dict[str, Any]) -> str:
    parts = []
    for word in sorted((w for w in node if w), key=lambda w: (-len(w), w)):
        child = node[word]
        rest = {w: c for w, c in child.items() if w}
        if not rest:
            parts.append(re.escape(word))
        else:
            tail = rf"\s+{_render(rest)}"
            parts.append(re.escape(word) + (f"(?:{tail})?" if "" in child else tail))
    return f"(?:{'|'.join(parts)})"


_PHRASE = re.compile(r"\b(" + _trie(PHRASES) + r")\b")
#: For content already folded to ASCII: apostrophes vanish, other non-alphanumerics become spaces
#: (str.translate is several times faster than the regular expressions on a large corpus).
_ASCII_WORDS = str.maketrans(
    {c: (None if c in "'`" else " ") for c in map(chr, range(128)) if not c.isalnum()}
)


def _link_text(match: re.Match[str]) -> str:
    label = match.group(2)
    return f" {label} " if label else f" {match.group(1)} "


def strip_slack_markup(text: str) -> str:
    """Remove mentions, channel links and broadcasts; keep a link's label (or its URL)."""
    if "<" not in text and "@" not in text and "http" not in text:
        return text
    text = _LINK.sub(_link_text, text)
    text = _USER_OR_CHANNEL.sub(" ", text)
    text = _URL.sub(" ", text)  # the host says nothing; the path may name a toolkit page
    return _LEADING_HANDLE.sub(" ", text)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    return head[:space] if space > limit // 2 else head


def _fold(text: str) -> str:
    if text.isascii():
        return text
    for emoji, word in EMOJI_WORDS.items():
        text = text.replace(emoji, word)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


#: Acronyms typed letter by letter ("E-M-M-I-E", "C.C.T.V", "r j") become one word.
_SPELLED = re.compile(r"\b(?:[a-z] ){2,}[a-z]\b")


_LEAD_IN = re.compile(r"^\s*([^:?!.]{1,60}?)(?::|\s+-\s+|\s+here\s*[,:-]?)\s+(?=\S)", re.IGNORECASE)


def strip_lead_in(text: str) -> str:
    """A question without who is asking ("licensing officer: if the pubs...", "sgt here -
    does..."), when the lead-in is only such words; otherwise the text as it was."""
    match = _LEAD_IN.match(text)
    if match is None:
        return text
    words = _NON_WORD.sub(" ", match.group(1).lower()).split()
    if words and all(w in ROLE_WORDS for w in words):
        return text[match.end() :]
    return text


def clean(text: str, *, limit: int | None = MAX_CHARS) -> str:
    """Lower-case words separated by single spaces, with markup, emoji and accents gone."""
    if limit is not None:
        text = _cut(text, limit * 4)
    text = _fold(strip_slack_markup(text)).lower()
    text = _APOSTROPHE.sub("", text)
    text = _NON_WORD.sub(" ", text).strip()
    if " " in text:
        text = _SPELLED.sub(lambda m: m.group(0).replace(" ", ""), text)
    return _cut(text, limit) if limit is not None else text


FIELD_BREAK = "qqfieldbreakqq"


def clean_joined(texts: list[str]) -> str:
    """clean() for many content texts in one pass (no Slack markup, never cut), joined by
    FIELD_BREAK; phrase rewriting can run on the result before it is split."""
    ascii_only = [t if t.isascii() else _ascii_words(t) for t in texts]
    return f" {FIELD_BREAK} ".join(ascii_only).lower().translate(_ASCII_WORDS)


def _ascii_words(text: str) -> str:
    """A non-ASCII text as clean() reads it: accents folded, other characters as spaces."""
    return _NON_WORD.sub(" ", _APOSTROPHE.sub("", _fold(text).lower()))


def rewrite_phrases(text: str) -> str:
    """Read multi-word expressions ("young people") as their one-word meaning ("youth")."""
    return _PHRASE.sub(lambda m: PHRASES[" ".join(m.group(1).split())], text)


_MISSING = "\0"


class Analyzer:
    """Turns words into index terms: canonical spelling and synonym, no stop-words, stemmed."""

    def __init__(self) -> None:
        self._canonical = canonical_words()
        self._stemmer = Stemmer.Stemmer("english")
        self._cache: dict[str, str | None] = {}

    def term(self, word: str) -> str | None:
        """The index term for one cleaned word, or None for a stop-word."""
        try:
            return self._cache[word]
        except KeyError:
            result = self._term(word)
            if len(self._cache) < 200_000:
                self._cache[word] = result
            return result

    def _term(self, word: str) -> str | None:
        word = self._canonical.get(word, word)
        if word in STOP_WORDS or not word:
            return None
        return str(self._stemmer.stemWord(word))

    def terms(self, words: Sequence[str]) -> list[str]:
        """Index terms for a sequence of cleaned words, in order, stop-words dropped."""
        get, miss = self._cache.get, _MISSING
        found = [get(word, miss) for word in words]
        if miss in found:
            found = [self.term(w) if t is miss else t for w, t in zip(words, found, strict=False)]
        return [t for t in found if t is not None]

    def analyse(self, text: str) -> list[str]:
        """Index terms for raw text."""
        return self.terms(rewrite_phrases(clean(text)).split())
