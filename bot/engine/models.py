"""Typed records passed between the content, engine and presentation layers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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
class Evidence:
    """The Crime Reduction Toolkit's own labels for an intervention, quoted as given."""

    effect: str
    quality: tuple[tuple[str, str | None], ...]
    figures: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    url: str | None = None
    inferred: bool = False


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

    def as_dict(self) -> dict[str, object]:
        """The structured answer as plain JSON-ready data (the `match --jsonl` keys first)."""
        return {
            "intent": self.intent,
            "entry": self.entry.id if self.entry else None,
            "score": self.score,
            "alternatives": [e.id for e in self.alternatives],
            "reason": self.reason,
            "entries": [e.id for e in self.entries],
        }


#: Verdicts in plain words, for every surface that shows one.
VERDICT_LABELS = {
    "works": "Works: linked to positive outcomes",
    "no-or-negative-effect": "Does not work: no effect or a negative effect",
    "example": "Example of relevant practice",
}
KIND_LABELS = {
    "context": "Background",
    "principle": "Principle",
    "approach": "Approach",
    "intervention": "Toolkit intervention",
    "example": "Practice example",
}
