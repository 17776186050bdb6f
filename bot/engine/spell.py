"""Typo tolerance: map an unknown word onto the closest known word with rapidfuzz."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

#: Words shorter than this are never corrected: too many short words are one edit apart.
MIN_LENGTH = 4


def max_edits(length: int) -> int:
    """How many edits (insert, delete, substitute, transpose) a word of this length may carry."""
    if length < MIN_LENGTH:
        return 0
    return 1 if length <= 7 else 2


#: Below this length a wrong letter is not read as a typo ("shop" is not "stop"); a missing,
#: extra or swapped letter still is ("erly", "durg").
MIN_EDIT_LENGTH = 5
#: Below this length a wrong vowel is not a typo: "score" is not "scare".
MIN_VOWEL_LENGTH = 6


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_VOWELS = frozenset("aeiouy")
_SOUNDS = frozenset(frozenset(p) for p in ("ck", "cs", "sz", "fv", "td", "gj", "mn", "bp", "st"))


def _key(letter: str) -> tuple[int, float] | None:
    for row, keys in enumerate(_ROWS):
        if letter in keys:
            return row, keys.index(letter) + row * 0.5  # each row sits half a key further right
    return None


def slip(a: str, b: str, *, vowels: bool = True) -> bool:
    """Whether typing `a` for `b` is a slip: a neighbouring key, a vowel, or a sound-alike."""
    if (vowels and {a, b} <= _VOWELS) or frozenset((a, b)) in _SOUNDS:
        return True
    ka, kb = _key(a), _key(b)
    if ka is None or kb is None or abs(ka[0] - kb[0]) > 1:
        return False
    return abs(ka[1] - kb[1]) <= (1.0 if ka[0] == kb[0] else 0.5)


def plausible(typed: str, known: str) -> bool:
    """A typo model: dropped, doubled and swapped letters are fine; a wrong letter must be a slip.

    So "mentorin", "theraputic" and "durg" are read as typos, but "shop" is not "stop" and
    "tagging" is not "wagging".
    """
    if OSA.distance(typed, known) < Levenshtein.distance(typed, known):
        return True  # a transposition: always a plausible slip
    replaced = [
        (int(op.src_pos), int(op.dest_pos))
        for op in Levenshtein.editops(typed, known)
        if op.tag == "replace"
    ]
    if replaced and len(typed) < MIN_EDIT_LENGTH:
        return False
    vowels = len(typed) >= MIN_VOWEL_LENGTH
    return all(
        slip(typed[i], known[j], vowels=vowels) or _doubled_wrong(typed, i) for i, j in replaced
    )


def _doubled_wrong(typed: str, i: int) -> bool:
    """Whether the wrong letter doubles its neighbour: the double put on the wrong letter
    ("strett" for "street", "sherif" for "sheriff" is a dropped letter, not this)."""
    return 0 < i < len(typed) - 1 and typed[i] in (typed[i - 1], typed[i + 1]) and len(typed) >= 6


def first_letters(word: str) -> frozenset[str]:
    """The first letters a word meant as `word` could start with: the same, a slip, or the
    second letter (swapped); only those buckets of the vocabulary are searched."""
    return _first_letters(word[:2])


@functools.lru_cache(maxsize=2048)
def _first_letters(start: str) -> frozenset[str]:
    letters = set(start)
    letters.update(c for c in "abcdefghijklmnopqrstuvwxyz0123456789" if slip(start[0], c))
    return frozenset(letters)


class SpellCorrector:
    """Finds the closest known word, preferring fewer edits, then the more common word."""

    def __init__(self, frequencies: Mapping[str, int]) -> None:
        self._frequency = dict(frequencies)
        buckets: dict[tuple[int, str], list[str]] = defaultdict(list)
        for word in sorted(frequencies):
            buckets[len(word), word[0]].append(word)
        self._buckets = dict(buckets)
        # a long question's clauses repeat its words: each is corrected once
        self.correct = functools.lru_cache(maxsize=100_000)(self._correct)

    def __contains__(self, word: str) -> bool:
        return word in self._frequency

    def _correct(self, word: str) -> str | None:
        """The known word closest to `word`, or None when nothing is close enough."""
        limit = max_edits(len(word))
        if limit == 0:
            return None
        best: tuple[int, int, str] | None = None
        firsts = first_letters(word)
        for length in range(len(word) - limit, len(word) + limit + 1):
            candidates = [w for f in firsts for w in self._buckets.get((length, f), ())]
            for found, distance, _ in process.extract(
                word,
                candidates,
                scorer=OSA.distance,
                score_cutoff=limit,
                limit=8,
            ):
                if not plausible(word, found):
                    continue
                key = (int(distance), -self._frequency[found], found)
                if best is None or key < best:
                    best = key
        return best[2] if best else None
