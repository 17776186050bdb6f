"""A plain BM25 (Okapi, k1=1.2, b=0.75) over lower-cased words: the yardstick for speed."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from bot.engine import Entry

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-cased alphanumeric words; no stemming, stop-words or typo handling."""
    return _WORD.findall(text.lower())


def entry_text(entry: Entry) -> str:
    """Everything an entry says, as one string."""
    parts = [entry.title, entry.summary, *entry.questions, *entry.keywords, *entry.slang]
    return " ".join(parts + [d.text for d in entry.details])


class PlainBM25:
    """Textbook BM25 with an inverted index in dictionaries."""

    def __init__(self, entries: Sequence[Entry], k1: float = 1.2, b: float = 0.75) -> None:
        self.ids = [e.id for e in entries]
        docs = [Counter(words(entry_text(e))) for e in entries]
        lengths = [sum(d.values()) for d in docs]
        average = sum(lengths) / len(lengths)
        df: Counter[str] = Counter()
        for doc in docs:
            df.update(doc.keys())
        n = len(docs)
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for i, doc in enumerate(docs):
            norm = k1 * (1 - b + b * lengths[i] / average)
            for term, tf in doc.items():
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                self.postings.setdefault(term, []).append((i, idf * tf * (k1 + 1) / (tf + norm)))

    def best(self, question: str) -> str | None:
        """The highest-scoring entry id, or None when no word matches."""
        scores: dict[int, float] = {}
        for term in set(words(question)):
            for doc, weight in self.postings.get(term, ()):
                scores[doc] = scores.get(doc, 0.0) + weight
        return self.ids[max(scores, key=scores.__getitem__)] if scores else None
