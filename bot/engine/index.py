"""The search index: fielded BM25 postings, phrasings and the vocabulary for typo correction."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.engine.lexicon import PHRASES, canonical_words
from bot.engine.models import Entry, Intent
from bot.engine.normalize import Analyzer, clean, clean_many, rewrite_phrases
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
_SEP = "\n"  # survives rewrite_phrases, which only joins words within one field
B = 0.5


@dataclass(frozen=True, slots=True)
class Phrasing:
    """One way of asking for a target, as written in the content, with its index terms."""

    text: str
    field: str
    terms: frozenset[str]


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
        self._phrase_weights: dict[int, tuple[float, ...]] = {}
        self.postings = _postings(bags, self.idf)
        for word in [*canonical_words(), *(w for p in PHRASES for w in p.split())]:
            words[word] += 1
        self.speller = SpellCorrector({w: c for w, c in words.items() if self.analyzer.term(w)})

    def _add(
        self, target: str, is_intent: bool, fields: Iterable[tuple[str, str]], words: Counter[str]
    ) -> tuple[Doc, dict[str, float]]:
        pairs = list(fields)
        plains = clean_many([text for _, text in pairs])
        fielded = [part.split() for part in rewrite_phrases(f" {_SEP} ".join(plains)).split(_SEP)]
        bag: dict[str, float] = defaultdict(float)
        phrasings = []
        for (field, text), tokens in zip(pairs, fielded, strict=True):
            terms = self.analyzer.terms(tokens)
            weight = FIELD_WEIGHTS[field]
            for term in terms:
                bag[term] += weight
            if field in PHRASE_FIELDS and terms:
                phrasings.append(Phrasing(text, field, frozenset(terms)))
        words.update(set().union(*fielded))
        named = set().union(*(p.terms for p in phrasings))
        weights = {t: 1.0 if t in named else SUPPORT_WEIGHT for t in bag}
        return Doc(target, is_intent, tuple(phrasings), weights), bag

    def phrase_weights(self, doc_id: int) -> tuple[float, ...]:
        """Total idf of each phrasing of a document; computed when first needed, then kept."""
        found = self._phrase_weights.get(doc_id)
        if found is None:
            idf = self.idf
            found = tuple(sum(idf[t] for t in p.terms) for p in self.docs[doc_id].phrasings)
            self._phrase_weights[doc_id] = found
        return found

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
    """Per term: the documents that hold it and their BM25 weights, computed in bulk."""
    vocabulary = {t: i for i, t in enumerate(idf)}
    doc_ids: list[int] = []
    term_ids: list[int] = []
    tfs: list[float] = []
    for doc_id, bag in enumerate(bags):
        doc_ids.extend([doc_id] * len(bag))
        term_ids.extend(vocabulary[t] for t in bag)
        tfs.extend(bag.values())
    docs = np.array(doc_ids, dtype=np.int32)
    terms = np.array(term_ids, dtype=np.int32)
    tf = np.array(tfs, dtype=np.float64)
    lengths = np.bincount(docs, weights=tf, minlength=len(bags))
    norm = K1 * (1 - B + B * lengths / max(float(lengths.mean()), 1e-9))
    weights = np.array(list(idf.values()))[terms] * tf * (K1 + 1) / (tf + norm[docs])
    order = np.argsort(terms, kind="stable")
    bounds = np.searchsorted(terms[order], np.arange(len(vocabulary) + 1))
    sorted_docs, sorted_weights = docs[order], weights[order].astype(np.float32)
    return {
        t: (sorted_docs[bounds[i] : bounds[i + 1]], sorted_weights[bounds[i] : bounds[i + 1]])
        for t, i in vocabulary.items()
    }
