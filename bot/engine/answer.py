"""The engine: question in, Answer out. Pure: no Slack, no YAML, no environment, no clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.engine.index import Index
from bot.engine.matcher import Query, Scored, parse, rank
from bot.engine.models import Answer, Entry, Intent

KIND_ORDER = ("context", "principle", "approach", "intervention", "example")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Confidence cut-offs (0-100), chosen from the project's question sets (see README)."""

    answer: float = 50.0
    suggest: float = 30.0
    small_talk: float = 82.0
    alternatives: int = 3


class Engine:
    """The indexed knowledge base and intents, ready to answer questions."""

    def __init__(
        self,
        entries: Sequence[Entry],
        intents: Sequence[Intent],
        *,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.entries = tuple(sorted(entries, key=_entry_order))
        self.by_id = {e.id: e for e in self.entries}
        self.intents = {i.id: i for i in intents}
        self.thresholds = thresholds or Thresholds()
        self.index = Index(self.entries, [i for i in intents if i.id != "fallback"])

    def answer(self, question: str) -> Answer:
        """Decide what to say to one question."""
        query = parse(self.index, question)
        if not query.terms:
            return self._small_talk(query)
        intent = self.index.intent_terms.get(frozenset(query.terms))
        if intent is not None:
            return self._intent(query, intent, 100, "the same words as an example of the intent")
        ranked = rank(self.index, query)
        if ranked and ranked[0].score >= self.thresholds.answer:
            return self._decide(query, ranked)
        return self._decline(query, ranked, "not confident enough")

    def for_intent(self, intent: str, question: str = "") -> Answer:
        """The answer for an intent chosen directly (a slash sub-command, a button)."""
        return self._intent(Query(question, ()), intent, 100, "asked for directly")

    def for_entry(self, entry_id: str, question: str = "") -> Answer | None:
        """The answer for one entry chosen directly (a button), or None if it is gone."""
        entry = self.by_id.get(entry_id)
        if entry is None:
            return None
        return Answer(question, "answer", 100, "chosen directly", entry=entry)

    def entries_with(self, verdict: str) -> tuple[Entry, ...]:
        """Every entry with this verdict, computed from the knowledge base."""
        return tuple(e for e in self.entries if e.verdict == verdict)

    def _decide(self, query: Query, ranked: list[Scored]) -> Answer:
        top = ranked[0]
        reason = _reason(top, query)
        if top.doc.is_intent:
            return self._intent(query, top.doc.target, round(top.score), reason)
        entry = self.by_id[top.doc.target]
        return Answer(
            query.text,
            "answer",
            round(top.score),
            reason,
            entry=entry,
            alternatives=self._alternatives(ranked[1:], exclude=entry.id),
        )

    def _intent(self, query: Query, intent: str, score: int, reason: str) -> Answer:
        return Answer(query.text, intent, score, reason, entries=self._listing(intent))

    def _listing(self, intent: str) -> tuple[Entry, ...]:
        if intent == "what-works":
            return self.entries_with("works")
        if intent == "what-doesnt-work":
            return self.entries_with("no-or-negative-effect")
        if intent == "topics":
            return self.entries
        return ()

    def _small_talk(self, query: Query) -> Answer:
        """Questions made only of stop-words ("what can you do?") match intents as whole strings."""
        if not query.text:
            return Answer("", "fallback", 0, "empty question")
        found = process.extractOne(
            query.text,
            self.index.intent_examples.keys(),
            scorer=fuzz.ratio,
            score_cutoff=self.thresholds.small_talk,
        )
        if found is None:
            return self._decline(query, [], "no words the knowledge base knows")
        example, score, _ = found
        intent = self.index.intent_examples[example]
        return self._intent(query, intent, round(score), f'close to "{example}"')

    def _decline(self, query: Query, ranked: list[Scored], why: str) -> Answer:
        alternatives = self._alternatives(ranked)
        score = round(ranked[0].score) if ranked else 0
        return Answer(query.text, "fallback", score, why, alternatives=alternatives)

    def _alternatives(self, ranked: list[Scored], exclude: str = "") -> tuple[Entry, ...]:
        picks = [
            self.by_id[s.doc.target]
            for s in ranked
            if not s.doc.is_intent
            and s.doc.target != exclude
            and s.score >= self.thresholds.suggest
        ]
        return tuple(picks[: self.thresholds.alternatives])


def _entry_order(entry: Entry) -> tuple[int, str]:
    kind = KIND_ORDER.index(entry.kind) if entry.kind in KIND_ORDER else len(KIND_ORDER)
    return kind, entry.title.lower()


def _reason(top: Scored, query: Query) -> str:
    parts = []
    if top.phrasing is not None:
        parts.append(f'{top.phrasing.field} "{top.phrasing.text}"')
    if query.corrections:
        fixes = ", ".join(f"{a}->{b}" for a, b in query.corrections)
        parts.append(f"typos read as {fixes}")
    return "; ".join(parts) or "shared words"
