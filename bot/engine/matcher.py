"""Scoring a question against the index: BM25 to shortlist, coverage to decide confidence."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from bot.engine.index import Doc, Index, Phrasing
from bot.engine.lexicon import CAPITALS, NOT_TYPOS, PHRASAL_VERBS
from bot.engine.normalize import clean, rewrite_phrases, strip_lead_in

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
#: In a short question an unknown word is probably its topic; in a long, chatty one it is
#: mostly context ("my inspector", "our ward plan"), so past UNKNOWN_FULL terms it counts less.
UNKNOWN_WEIGHT = 1.0
UNKNOWN_FULL = 8
UNKNOWN_FLOOR = 0.4
#: A question must carry at least this many "rarest words" of information to be fully covered:
#: "what does spice look like" (only the ubiquitous word drug) must not look like a match.
MIN_TOTAL = 0.75
#: Sharpens phrase recall: covering a whole phrasing is worth far more than half of one.
RECALL_POWER = 1.0
#: An intent must explain this share of the question to be taken at full confidence.
INTENT_COVER = 0.6
#: How much a phrasing is worth when it explains only a sliver of the question.
PRECISION_FLOOR = 0.5
#: A phrasing of several words that stop-words reduced to one term ("banged up" -> bang) counts
#: this much unless its words stand together in the question ("banging on about" is not it).
LOOSE_PHRASE = 0.5
#: One shared word carries an answer only when it is a whole phrasing of the target on its own
#: (a name: "cctv", "mentoring"); one word of a longer phrasing ("nights" of "part-night
#: lighting", "duty" of "alcohol duty") is an incidental overlap and counts this much.
LONE_WORD = 0.72


@dataclass(frozen=True, slots=True)
class Query:
    """A question as the matcher reads it."""

    text: str
    terms: tuple[str, ...]
    corrections: tuple[tuple[str, str], ...] = ()
    original: str = ""  # the question as typed (for splitting a long question into clauses)


@dataclass(frozen=True, slots=True)
class Scored:
    """One target's confidence for a query, and the phrasing that explained it best."""

    doc: Doc
    score: float
    phrasing: Phrasing | None
    likeness: float = 0.0  # whole-string similarity of the question and that phrasing
    bm25: float = 0.0


def parse(index: Index, text: str) -> Query:
    """Clean, typo-correct and analyse a question into unique index terms."""
    text = strip_lead_in(text)  # "licensing officer: ..." is who asks, not what
    cleaned = clean(text)
    words, corrections = _correct(index, _join_split_words(index, _capitals(cleaned, text)))
    terms = index.analyzer.terms(rewrite_phrases(" ".join(words)).split())
    return Query(cleaned, tuple(dict.fromkeys(terms)), tuple(corrections), text)


def _capitals(cleaned: str, typed: str) -> list[str]:
    """The cleaned words, with an abbreviation typed in capitals ("WHO") read as what it stands
    for, and a verb that is also an abbreviation ("pop into") dropped."""
    words = cleaned.split()
    shouted = {w.lower() for w in _UPPER.findall(typed)} & CAPITALS.keys()
    out: list[str] = []
    for word, after in zip(words, [*words[1:], ""], strict=False):
        if word in shouted:
            out.extend(CAPITALS[word].split())
        elif after not in PHRASAL_VERBS.get(word, ()):
            out.append(word)
    return out


_UPPER = re.compile(r"\b[A-Z]{2,}\b")


def _correct(index: Index, words: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Replace words the index has never seen by the closest known word, when one is close."""
    out, corrections = [], []
    for word in words:
        term = index.analyzer.term(word)
        fixed = None
        if (
            term is not None
            and term not in index.idf
            and word not in index.speller
            and word not in NOT_TYPOS
        ):
            fixed = index.speller.correct(word) or _split(index, word)
        if fixed is not None:
            corrections.append((word, fixed))
        out.append(fixed or word)
    return out, corrections


def _split(index: Index, word: str) -> str | None:
    """Split a run-together word ("lifeskills") into two known words ("life skills")."""
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if head in index.speller and tail in index.speller:
            return f"{head} {tail}"
    return None


def _join_split_words(index: Index, words: list[str]) -> list[str]:
    """Rejoin a word typed in two pieces ("half way" -> "halfway") when only the whole is known."""
    out: list[str] = []
    skip = False
    for first, second in zip(words, [*words[1:], ""], strict=False):
        if skip:
            skip = False
            continue
        joined = first + second
        if (
            second
            and joined in index.speller
            and not (first in index.speller and second in index.speller)
        ):
            out.append(joined)
            skip = True
        else:
            out.append(first)
    return out


def rank(index: Index, query: Query, shortlist: int = SHORTLIST) -> list[Scored]:
    """Targets sharing words with the query, most confident first."""
    known = [t for t in query.terms if t in index.postings]
    if not known:
        return []
    scores = np.zeros(len(index.docs), dtype=np.float32)
    for term in known:
        ids, weights = index.postings[term]
        scores[ids] += weights
    count = min(shortlist, int(np.count_nonzero(scores)))
    top = np.argpartition(-scores, count - 1)[:count]
    unknown = unknown_weight(len(query.terms)) * index.max_idf
    total = max(
        MIN_TOTAL * index.max_idf,
        sum(index.idf.get(t, unknown) for t in query.terms),
    )
    polite = sum(index.idf.get(t, 0.0) for t in query.terms if t in POLITE_TERMS)
    topical = max(MIN_TOTAL * index.max_idf, total - polite)
    neutral = {t: index.idf.get(t, unknown) for t in query.terms if t in index.neutral_terms}
    scored = []
    for i in top:
        doc = index.docs[int(i)]
        base = total if doc.is_intent else topical
        unused = sum(w for t, w in neutral.items() if t not in doc.terms)
        owed = max(MIN_TOTAL * index.max_idf, base - unused)
        scored.append(_confidence(index, int(i), query, owed, float(scores[i])))
    return sorted(scored, key=lambda s: (-round(s.score, 1), -s.likeness, -s.bm25, s.doc.target))


#: Politeness ("hi", "thanks", "cheers") around a real question: an entry need not explain it.
POLITE_TERMS = frozenset({"hello", "thank", "bye"})


def _stands_together(phrasing: Phrasing, query: Query) -> bool:
    """Whether a one-term phrasing is a single word, or its words appear as such in the query."""
    words = (phrasing.cleaned or clean(phrasing.text)).split()
    return len(words) < 2 or f" {' '.join(words)} " in f" {query.text} "


def _lone_word(shared: frozenset[str], phrasing: Phrasing | None, neutral: frozenset[str]) -> bool:
    """Whether one content word is all that links a question to a target, and that word is only
    part of the phrasing it matched (framing words such as "work" or "crime" do not count)."""
    content = shared - neutral
    if len(content) != 1:
        return False
    return phrasing is None or not (phrasing.terms - neutral) <= content


def unknown_weight(n_terms: int) -> float:
    """How much one unknown word weighs against coverage in a question of n_terms terms."""
    if n_terms <= UNKNOWN_FULL:
        return UNKNOWN_WEIGHT
    return max(UNKNOWN_FLOOR, UNKNOWN_WEIGHT * UNKNOWN_FULL / n_terms)


def _confidence(index: Index, doc_id: int, query: Query, total: float, bm25: float) -> Scored:
    doc = index.docs[doc_id]
    asked = frozenset(query.terms)
    matched = sum(index.idf[t] * doc.terms[t] for t in asked & doc.terms.keys())
    covered = matched / total
    best, phrasing = 0.0, None
    weights = index.phrase_weights(doc_id)
    for position in sorted({p for t in asked for p in doc.by_term.get(t, ())}):
        candidate, full = doc.phrasings[position], weights[position]
        shared = candidate.terms & asked
        if shared:
            weight = sum(index.idf[t] for t in shared)
            recall, precision = (weight / full) ** RECALL_POWER, weight / total
            fit = recall * (PRECISION_FLOOR + (1 - PRECISION_FLOOR) * precision)
            if len(candidate.terms) == 1 and not _stands_together(candidate, query):
                fit *= LOOSE_PHRASE
            if fit > best:
                best, phrasing = fit, candidate
    if doc.target == "fallback" and phrasing is not None:
        # A topic our notes do not hold is one topic per example ("after-school programmes"),
        # not the union of them all: only its best example's words count as explained.
        matched = sum(index.idf[t] for t in asked & phrasing.terms)
        covered = matched / total
    strength = min(1.0, matched / (STRENGTH_FULL * index.max_idf))
    score = W_COVER * covered + W_FIT * best + W_STRENGTH * strength
    if (not doc.is_intent or doc.target == "fallback") and _lone_word(
        asked & doc.terms.keys(), phrasing, index.neutral_terms
    ):
        score *= LONE_WORD
    if doc.is_intent:  # "thanks" at the end of a real question is not a greeting
        score *= min(1.0, covered / INTENT_COVER)
    likeness = fuzz.ratio(query.text, phrasing.cleaned or clean(phrasing.text)) if phrasing else 0.0
    return Scored(doc, 100.0 * score, phrasing, likeness, bm25)
