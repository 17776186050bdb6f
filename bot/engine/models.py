"""Typed records passed between the content, engine and presentation layers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.engine.grading import BADGES, GUIDANCE_VERDICTS, Badge

VERDICTS = ("works", "no-or-negative-effect", "example")
KINDS = ("intervention", "approach", "principle", "example", "context")
INTENTS = (
    "answer",
    "what-works",
    "what-doesnt-work",
    "topics",
    "help",
    "greeting",
    "tip",
    "compare",
    "fallback",
)


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled URL; `inferred` marks an address built from a pattern, not confirmed."""

    label: str
    url: str
    inferred: bool = False


@dataclass(frozen=True, slots=True)
class Source:
    """Where an entry's verdict comes from."""

    title: str
    publisher: str
    published: date | None = None
    url: str | None = None
    inferred: bool = False


@dataclass(frozen=True, slots=True)
class Detail:
    """One short factual point, with the URL it came from when that is not the entry source."""

    text: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Rating:
    """One EMMIE quality label; `label` None means our notes do not have it."""

    dimension: str
    label: str | None
    inferred: bool = False  # read from the sentence under a missing label word


@dataclass(frozen=True, slots=True)
class Evidence:
    """The Crime Reduction Toolkit's own grading of an intervention, quoted as given.

    `effect` is the toolkit's effect label, verbatim (None when our notes lack it; `badge_key`
    then comes from the toolkit text our notes describe, named by `finding_from`). `quality` has
    the five EMMIE labels in order, or is empty when our notes have none; `page_order` holds the
    labels of a page that shows four without naming the unrated dimension.
    """

    effect: str | None
    badge_key: str
    finding_from: str | None = None
    outcome: str = "crime"
    quality: tuple[Rating, ...] = ()
    page_order: tuple[str, ...] = ()
    legacy_scores: tuple[tuple[str, int], ...] = ()
    studies: str | None = None
    countries: str | None = None
    population: str | None = None
    figures: tuple[Detail, ...] = ()
    caveats: tuple[Detail, ...] = ()
    url: str | None = None
    inferred: bool = False

    @property
    def badge(self) -> Badge:
        """The plain reading of the effect."""
        return BADGES[self.badge_key]

    def label_of(self, dimension: str) -> Rating | None:
        """The rating for one dimension, when the notes name it."""
        return next((r for r in self.quality if r.dimension == dimension), None)


@dataclass(frozen=True, slots=True)
class Entry:
    """One knowledge-base entry: what the bot answers with."""

    id: str
    title: str
    kind: str
    summary: str
    source: Source
    reviewed: date
    verdict: str | None = None
    details: tuple[Detail, ...] = ()
    tip: str | None = None
    links: tuple[Link, ...] = ()
    evidence: Evidence | None = None
    questions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    slang: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    warning: str | None = None
    instead: tuple[str, ...] = ()

    @property
    def badge(self) -> Badge | None:
        """The toolkit badge, for entries the toolkit grades."""
        return self.evidence.badge if self.evidence else None

    @property
    def guidance_verdict(self) -> str | None:
        """The College guidance's own verdict in words, for entries from the guidance page."""
        return GUIDANCE_VERDICTS.get(self.verdict or "")


@dataclass(frozen=True, slots=True)
class Intent:
    """Something the bot recognises that is not a knowledge entry (help, greeting, ...)."""

    id: str
    examples: tuple[str, ...]
    description: str = ""
    responses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A scored possibility for a question: an entry id or an intent id."""

    target: str
    is_intent: bool
    score: int
    reason: str


@dataclass(frozen=True, slots=True)
class Answer:
    """What the engine decided for one question."""

    question: str
    intent: str
    score: int
    reason: str
    entry: Entry | None = None
    alternatives: tuple[Entry, ...] = ()
    entries: tuple[Entry, ...] = field(default=())
    aspect: str | None = None  # a follow-up: which part of the entry was asked about
    missing: tuple[str, ...] = ()  # a comparison: the sides the knowledge base does not hold

    def as_dict(self) -> dict[str, object]:
        """The structured answer as plain JSON-ready data (the `match --jsonl` keys first)."""
        return {
            "intent": self.intent,
            "entry": self.entry.id if self.entry else None,
            "score": self.score,
            "alternatives": [e.id for e in self.alternatives],
            "reason": self.reason,
            "entries": [e.id for e in self.entries],
            "aspect": self.aspect,
            "missing": list(self.missing),
        }


#: Verdicts in plain words, for every surface that shows one.
VERDICT_LABELS = GUIDANCE_VERDICTS
KIND_LABELS = {
    "context": "Background",
    "principle": "Principle",
    "approach": "Approach",
    "intervention": "Toolkit intervention",
    "example": "Practice example",
}
