"""The search index: fielded BM25 postings, phrasings and the vocabulary for typo correction."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from bot.engine.lexicon import canonical_words
from bot.engine.models import Entry, Intent
from bot.engine.normalize import Analyzer, clean, rewrite_phrases
from bot.engine.spell import SpellCorrector

#: How much a word counts in each field. Titles and the phrasings maintainers wrote for officers
#: say what an entry is about; summaries and details only support.
FIELD_WEIGHTS = {
    "title": 3.0,
    "question": 2.0,
    "keyword": 2.5,
    "abbreviation": 3.0,
    "slang": 2.5,
    "example": 2.5,
    "summary": 1.0,
    "detail": 0.5,
}
#: Fields whose phrasings can "explain" a question (the rest only feed term statistics).
PHRASE_FIELDS = frozenset({"title", "question", "keyword", "abbreviation", "slang", "example"})
#: A word found only in the summary or details counts this much towards coverage: entries
#: mention facts in passing ("intent to supply") that they are not about.
SUPPORT_WEIGHT = 0.5
K1 = 1.2
B = 0.5


@dataclass(frozen=True, slots=True)
class Phrasing:
    """One way of asking for a target, as written in the content, with its index terms."""

    text: str
    field: str
    terms: frozenset[str]
    weight: float = 0.0  # sum of the terms' idf, filled in once the index knows them


@dataclass(frozen=True, slots=True)
class Doc:
    """Everything indexed for one target (an entry or an intent)."""

    target: str
    is_intent: bool
    phrasings: tuple[Phrasing, ...]
    terms: dict[str, float]  # term -> 1.0 if a phrasing uses it, SUPPORT_WEIGHT if only the text


def entry_fields(entry: Entry) -> Iterable[tuple[str, str]]:
    """(field, text) pairs of an entry, in the order a maintainer reads them."""
    yield "title", entry.title
    for field, texts in (
        ("question", entry.questions),
        ("keyword", entry.keywords),
        ("abbreviation", entry.abbreviations),
        ("slang", entry.slang),
    ):
        for text in texts:
            yield field, text
    yield "summary", entry.summary
    for detail in entry.details:
        yield "detail", detail.text


def intent_fields(intent: Intent) -> Iterable[tuple[str, str]]:
    """(field, text) pairs of an intent: its example utterances."""
    for text in intent.examples:
        yield "example", text


class Index:
    """Immutable, built once: BM25 weights per term as numpy arrays over documents."""

    def __init__(self, entries: Sequence[Entry], intents: Sequence[Intent]) -> None:
        self.analyzer = Analyzer()
        self.docs: list[Doc] = []
        self.intent_examples: dict[str, str] = {}  # cleaned example -> intent id
        bags: list[dict[str, float]] = []
        words: Counter[str] = Counter()
        sources = [(e.id, False, entry_fields(e)) for e in entries]
        sources += [(i.id, True, intent_fields(i)) for i in intents]
        for target, is_intent, fields in sources:
            doc, bag = self._add(target, is_intent, fields, words)
            self.docs.append(doc)
            bags.append(bag)
        self.intent_terms: dict[frozenset[str], str] = {}  # an example's terms -> intent id
        for intent in intents:
            for example in intent.examples:
                self.intent_examples[clean(example)] = intent.id
                terms = frozenset(self.analyzer.analyse(example))
                if terms:
                    self.intent_terms.setdefault(terms, intent.id)
        self.idf = _idf(bags)
        self.max_idf = max(self.idf.values(), default=1.0)
        self.docs = [self._weigh(doc) for doc in self.docs]
        self.postings = _postings(bags, self.idf)
        for word in canonical_words():
            words[word] += 1
        self.speller = SpellCorrector(words)

    def _add(
        self, target: str, is_intent: bool, fields: Iterable[tuple[str, str]], words: Counter[str]
    ) -> tuple[Doc, dict[str, float]]:
        bag: dict[str, float] = defaultdict(float)
        phrasings = []
        for field, text in fields:
            plain = clean(text)
            cleaned = rewrite_phrases(plain).split()
            terms = self.analyzer.terms(cleaned)
            words.update(w for w in {*cleaned, *plain.split()} if self.analyzer.term(w) is not None)
            for term in terms:
                bag[term] += FIELD_WEIGHTS[field]
            if field in PHRASE_FIELDS and terms:
                phrasings.append(Phrasing(text, field, frozenset(terms)))
        named = {t for p in phrasings for t in p.terms}
        weights = {t: 1.0 if t in named else SUPPORT_WEIGHT for t in bag}
        return Doc(target, is_intent, tuple(phrasings), weights), bag

    def _weigh(self, doc: Doc) -> Doc:
        phrasings = tuple(
            replace(p, weight=sum(self.idf[t] for t in p.terms)) for p in doc.phrasings
        )
        return replace(doc, phrasings=phrasings)

    def weight(self, term: str) -> float:
        """Inverse document frequency; words the index has never seen weigh the most."""
        return self.idf.get(term, self.max_idf)


def _idf(bags: Sequence[dict[str, float]]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags)
    return {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}


Postings = dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]]


def _postings(bags: Sequence[dict[str, float]], idf: dict[str, float]) -> Postings:
    lengths = np.array([sum(bag.values()) for bag in bags], dtype=np.float64)
    average = float(lengths.mean()) if len(bags) else 1.0
    ids: dict[str, list[int]] = {}
    weights: dict[str, list[float]] = {}
    for doc_id, bag in enumerate(bags):
        norm = K1 * (1 - B + B * lengths[doc_id] / average)
        for term, tf in bag.items():
            ids.setdefault(term, []).append(doc_id)
            weights.setdefault(term, []).append(idf[term] * tf * (K1 + 1) / (tf + norm))
    return {
        t: (np.array(ids[t], dtype=np.int32), np.array(weights[t], dtype=np.float32)) for t in ids
    }
