"""Typo tolerance: map an unknown word onto the closest known word with rapidfuzz."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA

#: Words shorter than this are never corrected: too many short words are one edit apart.
MIN_LENGTH = 4


def max_edits(length: int) -> int:
    """How many edits (insert, delete, substitute, transpose) a word of this length may carry."""
    if length < MIN_LENGTH:
        return 0
    return 1 if length <= 7 else 2


def plausible(typed: str, known: str) -> bool:
    """Short words keep their first letter (or swap the first two): "joke" is not "coke"."""
    if len(typed) > 5 or typed[0] == known[0]:
        return True
    return typed[:2] == known[1::-1]


class SpellCorrector:
    """Finds the closest known word, preferring fewer edits, then the more common word."""

    def __init__(self, frequencies: Mapping[str, int]) -> None:
        self._frequency = dict(frequencies)
        buckets: dict[int, list[str]] = defaultdict(list)
        for word in sorted(frequencies):
            buckets[len(word)].append(word)
        self._buckets = dict(buckets)

    def __contains__(self, word: str) -> bool:
        return word in self._frequency

    def correct(self, word: str) -> str | None:
        """The known word closest to `word`, or None when nothing is close enough."""
        limit = max_edits(len(word))
        if limit == 0:
            return None
        best: tuple[int, int, str] | None = None
        for length in range(len(word) - limit, len(word) + limit + 1):
            for found, distance, _ in process.extract(
                word,
                self._buckets.get(length, ()),
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
