"""Scoring a question against the index: BM25 to shortlist, coverage to decide confidence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.engine.index import Doc, Index, Phrasing
from rapidfuzz import fuzz

from bot.engine.normalize import clean, rewrite_phrases

#: How many BM25 leaders are scored in full. Enough for every real base; bounded for 10,000.
SHORTLIST = 16
#: The confidence blends three measures, each 0-1 (weights chosen on tests/questions/tuning.yaml):
#: how much of the question the target explains, how completely one of its phrasings appears in
#: the question, and how much rare-word evidence matched at all.
W_COVER = 0.35
W_FIT = 0.45
W_STRENGTH = 0.2
#: Matched evidence worth this many "rarest words" counts as full strength.
STRENGTH_FULL = 1.0
#: How much a word the knowledge base has never seen counts against coverage (1 = a rare word).
UNKNOWN_WEIGHT = 0.75
#: How much a phrasing is worth when it explains only a sliver of the question.
PRECISION_FLOOR = 0.5


@dataclass(frozen=True, slots=True)
class Query:
    """A question as the matcher reads it."""

    text: str
    terms: tuple[str, ...]
    corrections: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Scored:
    """One target's confidence for a query, and the phrasing that explained it best."""

    doc: Doc
    score: float
    phrasing: Phrasing | None
    likeness: float = 0.0  # whole-string similarity of the question and that phrasing
    bm25: float = 0.0


def parse(index: Index, text: str) -> Query:
    """Clean, analyse and typo-correct a question into unique index terms."""
    cleaned = clean(text)
    words = _join_split_words(index, rewrite_phrases(cleaned).split())
    terms: list[str] = []
    corrections: list[tuple[str, str]] = []
    for word in words:
        term = index.analyzer.term(word)
        if term is None:
            continue
        if term not in index.idf and word not in index.speller:
            fixed = index.speller.correct(word)
            if fixed is not None:
                corrections.append((word, fixed))
                term = index.analyzer.term(fixed) or term
        if term not in terms:
            terms.append(term)
    return Query(cleaned, tuple(terms), tuple(corrections))


def _join_split_words(index: Index, words: list[str]) -> list[str]:
    """Rejoin a word typed in two pieces ("half way" -> "halfway") when only the whole is known."""
    out: list[str] = []
    skip = False
    for first, second in zip(words, [*words[1:], ""], strict=False):
        if skip:
            skip = False
            continue
        joined = first + second
        if second and joined in index.speller and not (first in index.speller and second in index.speller):
            out.append(joined)
            skip = True
        else:
            out.append(first)
    return out


def rank(index: Index, query: Query) -> list[Scored]:
    """Targets sharing words with the query, most confident first."""
    known = [t for t in query.terms if t in index.postings]
    if not known:
        return []
    scores = np.zeros(len(index.docs), dtype=np.float32)
    for term in known:
        ids, weights = index.postings[term]
        scores[ids] += weights
    count = min(SHORTLIST, int(np.count_nonzero(scores)))
    top = np.argpartition(-scores, count - 1)[:count]
    total = sum(
        index.idf[t] if t in index.idf else UNKNOWN_WEIGHT * index.max_idf for t in query.terms
    )
    scored = [_confidence(index, int(i), query, total, float(scores[i])) for i in top]
    return sorted(scored, key=lambda s: (-round(s.score, 1), -s.likeness, -s.bm25, s.doc.target))


def _confidence(index: Index, doc_id: int, query: Query, total: float, bm25: float) -> Scored:
    doc = index.docs[doc_id]
    asked = frozenset(query.terms)
    matched = sum(index.idf[t] for t in asked & doc.terms)
    covered = matched / total
    best, phrasing = 0.0, None
    for candidate in doc.phrasings:
        shared = candidate.terms & asked
        if shared:
            weight = sum(index.idf[t] for t in shared)
            recall, precision = weight / candidate.weight, weight / total
            fit = recall * (PRECISION_FLOOR + (1 - PRECISION_FLOOR) * precision)
            if fit > best:
                best, phrasing = fit, candidate
    strength = min(1.0, matched / (STRENGTH_FULL * index.max_idf))
    score = W_COVER * covered + W_FIT * best + W_STRENGTH * strength
    likeness = fuzz.ratio(query.text, clean(phrasing.text)) if phrasing else 0.0
    return Scored(doc, 100.0 * score, phrasing, likeness, bm25)
