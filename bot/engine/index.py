"""The search index: fielded BM25 postings, phrasings and the vocabulary for typo correction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.engine.lexicon import NEUTRAL_WORDS, PHRASES, canonical_words
from bot.engine.models import Entry, Intent
from bot.engine.normalize import FIELD_BREAK, Analyzer, clean, clean_joined, rewrite_phrases
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
#: Fields that name a target; typos are corrected only towards words used in them (and the
#: lexicon): "lunch" must not become "launch" because one example question mentions a launch.
NAME_FIELDS = frozenset({"title", "keyword", "abbreviation", "slang", "example"})
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
    cleaned: str = ""  # the text as a question reads once cleaned


@dataclass(frozen=True, slots=True)
class Doc:
    """Everything indexed for one target (an entry or an intent)."""

    target: str
    is_intent: bool
    phrasings: tuple[Phrasing, ...]
    terms: dict[str, float]  # term -> 1.0 if a phrasing uses it, SUPPORT_WEIGHT if only the text
    by_term: dict[str, tuple[int, ...]]  # term -> the phrasings (by position) that use it


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
    """Immutable, built once for the whole corpus with numpy; per-document detail on demand."""

    def __init__(self, entries: Sequence[Entry], intents: Sequence[Intent]) -> None:
        self.analyzer = Analyzer()
        sources = [(e.id, False, entry_fields(e)) for e in entries]
        sources += [(i.id, True, intent_fields(i)) for i in intents]
        self._targets = [(target, is_intent) for target, is_intent, _ in sources]
        self._fields = [(d, f, t) for d, (_, _, fs) in enumerate(sources) for f, t in fs]
        corpus = _Corpus(self.analyzer, self._fields, len(sources))
        self._corpus = corpus
        self.idf: dict[str, float] = dict(zip(corpus.term_names, corpus.idf.tolist(), strict=True))
        self.max_idf = max(self.idf.values(), default=1.0)
        self.postings = corpus.postings()
        self.docs = _Docs(self)
        self._phrase_weights: dict[int, tuple[float, ...]] = {}
        self.intent_examples: dict[str, str] = {}  # cleaned example -> intent id
        self.intent_terms: dict[frozenset[str], str] = {}  # an example's terms -> intent id
        for intent in intents:
            for example in intent.examples:
                self.intent_examples[clean(example)] = intent.id
                terms = frozenset(self.analyzer.analyse(example))
                if terms:
                    self.intent_terms.setdefault(terms, intent.id)
        self.speller = SpellCorrector(corpus.word_frequencies(self.analyzer))
        self.neutral_terms = frozenset(
            t for t in (self.analyzer.term(w) for w in NEUTRAL_WORDS) if t is not None
        )

    def doc_of(self, target: str) -> Doc | None:
        """The document of one target (an entry id or an intent), if indexed."""
        for doc_id, (name, _) in enumerate(self._targets):
            if name == target:
                return self.docs[doc_id]
        return None

    def doc(self, doc_id: int) -> Doc:
        """Everything indexed for one document, built when first needed."""
        target, is_intent = self._targets[doc_id]
        corpus = self._corpus
        phrasings = tuple(
            Phrasing(self._fields[f][2], self._fields[f][1], terms, clean(self._fields[f][2]))
            for f, terms in corpus.field_terms(doc_id)
            if self._fields[f][1] in PHRASE_FIELDS and terms
        )
        by_term: dict[str, list[int]] = {}
        for position, phrasing in enumerate(phrasings):
            for term in phrasing.terms:
                by_term.setdefault(term, []).append(position)
        uses = {t: tuple(ps) for t, ps in by_term.items()}
        return Doc(target, is_intent, phrasings, corpus.doc_terms(doc_id), uses)

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


class _Docs:
    """The documents as a lazily built, cached sequence (most are never shortlisted)."""

    def __init__(self, index: Index) -> None:
        self._index = index
        self._cache: dict[int, Doc] = {}

    def __len__(self) -> int:
        return len(self._index._targets)

    def __getitem__(self, doc_id: int) -> Doc:
        found = self._cache.get(doc_id)
        if found is None:
            found = self._cache[doc_id] = self._index.doc(doc_id)
        return found


Postings = dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]]
IntArray = npt.NDArray[np.int64]


class _Corpus:
    """Every field of every document as flat numpy arrays of term ids."""

    def __init__(self, analyzer: Analyzer, fields: list[tuple[int, str, str]], n_docs: int) -> None:
        flat = rewrite_phrases(clean_joined([text for _, _, text in fields])).split()
        words = dict.fromkeys(flat)
        words.pop(FIELD_BREAK, None)
        term_of = {w: analyzer.term(w) for w in words}
        self.term_names = list(dict.fromkeys(t for t in term_of.values() if t is not None))
        term_id = {t: i for i, t in enumerate(self.term_names)}
        self.word_term = {w: term_id[t] for w, t in term_of.items() if t is not None}
        lookup = {w: self.word_term.get(w, -1) for w in words}
        lookup[FIELD_BREAK] = -2
        ids = np.fromiter(map(lookup.__getitem__, flat), np.int64, len(flat))
        breaks = np.flatnonzero(ids == -2)  # fields end where the break words stand
        lengths = np.diff(np.concatenate(([-1], breaks, [len(ids)]))) - 1
        self.tids = np.delete(ids, breaks)
        self.field_start = np.concatenate(([0], np.cumsum(lengths)))
        doc_of_field = np.fromiter((d for d, _, _ in fields), np.int64, len(fields))
        self.doc_fields = np.searchsorted(doc_of_field, np.arange(n_docs + 1))
        self._pairs(fields, doc_of_field, lengths, n_docs)

    def _pairs(
        self,
        fields: list[tuple[int, str, str]],
        doc_of_field: IntArray,
        lengths: IntArray,
        n_docs: int,
    ) -> None:
        """Aggregate tokens into (document, term) pairs with fielded term frequencies."""
        weight = np.array([FIELD_WEIGHTS[f] for _, f, _ in fields])
        named = np.array([f in PHRASE_FIELDS for _, f, _ in fields], dtype=np.float64)
        naming = np.array([f in NAME_FIELDS for _, f, _ in fields], dtype=bool)
        field_of_token = np.repeat(np.arange(len(fields)), lengths)
        keep = self.tids >= 0
        field_of_token, tids = field_of_token[keep], self.tids[keep]
        self.name_terms = frozenset(np.unique(tids[naming[field_of_token]]).tolist())
        n_terms = max(len(self.term_names), 1)
        keys = doc_of_field[field_of_token] * n_terms + tids
        pairs, inverse = np.unique(keys, return_inverse=True)
        self.tf = np.bincount(inverse, weights=weight[field_of_token], minlength=len(pairs))
        self.named = np.bincount(inverse, weights=named[field_of_token], minlength=len(pairs)) > 0
        self.pair_doc, self.pair_term = pairs // n_terms, pairs % n_terms
        self.doc_pairs = np.searchsorted(self.pair_doc, np.arange(n_docs + 1))
        df = np.bincount(self.pair_term, minlength=n_terms)[: len(self.term_names)]
        self.df = df
        self.idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
        self.n_docs = n_docs

    def postings(self) -> Postings:
        """Per term: the documents that hold it and their BM25 weights."""
        lengths = np.bincount(self.pair_doc, weights=self.tf, minlength=self.n_docs)
        norm = K1 * (1 - B + B * lengths / max(float(lengths.mean()), 1e-9))
        weights = self.idf[self.pair_term] * self.tf * (K1 + 1) / (self.tf + norm[self.pair_doc])
        order = np.argsort(self.pair_term, kind="stable")
        terms = self.pair_term[order]
        bounds = np.searchsorted(terms, np.arange(len(self.term_names) + 1))
        docs, weights = self.pair_doc[order].astype(np.int32), weights[order].astype(np.float32)
        return {
            name: (docs[bounds[i] : bounds[i + 1]], weights[bounds[i] : bounds[i + 1]])
            for i, name in enumerate(self.term_names)
        }

    def doc_terms(self, doc_id: int) -> dict[str, float]:
        """A document's terms: 1.0 if a phrasing uses it, SUPPORT_WEIGHT if only the text does."""
        lo, hi = self.doc_pairs[doc_id], self.doc_pairs[doc_id + 1]
        names = self.term_names
        return {
            names[t]: 1.0 if n else SUPPORT_WEIGHT
            for t, n in zip(self.pair_term[lo:hi].tolist(), self.named[lo:hi].tolist(), strict=True)
        }

    def field_terms(self, doc_id: int) -> Iterable[tuple[int, frozenset[str]]]:
        """(field index, its terms) for each field of a document."""
        names = self.term_names
        for f in range(int(self.doc_fields[doc_id]), int(self.doc_fields[doc_id + 1])):
            ids = self.tids[self.field_start[f] : self.field_start[f + 1]].tolist()
            yield f, frozenset(names[t] for t in ids if t >= 0)

    def word_frequencies(self, analyzer: Analyzer) -> dict[str, int]:
        """Known words for typo correction, weighted by how many documents use their term."""
        frequencies = {
            w: int(self.df[t]) for w, t in self.word_term.items() if t in self.name_terms
        }
        for word in [*canonical_words(), *(w for p in PHRASES for w in p.split())]:
            if analyzer.term(word) is not None:
                frequencies.setdefault(word, 1)
        return frequencies
