"""The engine: question in, Answer out. Pure: no Slack, no YAML, no environment, no clock."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from bot.engine import compare, followup, framing
from bot.engine.index import Index
from bot.engine.matcher import Query, Scored, parse, rank
from bot.engine.models import Answer, Entry, Intent
from bot.engine.normalize import clean

KIND_ORDER = ("context", "principle", "approach", "intervention", "example")
#: Intents recognised by the engine's own logic, not by examples in the index.
UNINDEXED = frozenset({"compare"})


#: How many BM25 leaders of a clause are scored in full (a clause is short; its leader is near
#: the top, and a long question has a dozen clauses).
CLAUSE_SHORTLIST = 6
_DASH = re.compile(r"\s+[-\u2013\u2014]+\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
#: Intents a long question may end by asking for outright ("... What doesn't work?").
LISTINGS = frozenset({"what-works", "what-doesnt-work", "topics", "help", "tip"})
_CLAUSE_END = re.compile(r"(?<=[.!?;:])\s+|\s+-\s+|\n+")


def clauses(text: str) -> list[str]:
    """The sentences of a question, and each pair of neighbouring sentences."""
    parts = [p.strip() for p in _CLAUSE_END.split(text) if p and p.strip()]
    if len(parts) < 2:
        return []
    return parts + [f"{a} {b}" for a, b in itertools.pairwise(parts)]


def thread_context(answer: Answer, previous: Sequence[str] = ()) -> tuple[str, ...]:
    """What a thread is about after this answer: the entries shown, else what it was before."""
    if answer.intent == "compare" and answer.entries:
        return tuple(e.id for e in answer.entries)
    if answer.entry is not None:
        return (answer.entry.id,)
    return tuple(previous)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Confidence cut-offs (0-100), chosen from the project's question sets (see README)."""

    answer: float = 50.0
    suggest: float = 30.0
    small_talk: float = 82.0
    #: The last sentence of a long question no entry answers is taken as its intent from here.
    closing: float = 75.0
    alternatives: int = 3
    #: A question framed as a task ("how do I book...", "what's the legal limit") needs this much
    #: more confidence: an entry must explain nearly all of it.
    task_margin: float = 30.0
    #: From this task strength (bot/engine/framing.py) a question is declined outright.
    task_decline: int = 2
    #: A question with at least this many index terms is also scored clause by clause (one
    #: sentence, or two neighbouring ones): the topic of a long, chatty question sits in one part.
    long_terms: int = 12
    #: A clause's confidence counts for this share of a whole question's.
    clause_weight: float = 0.95
    clause_leaders: int = 3
    #: A clause lifts only a leader the whole question scores within this much of its best: a
    #: clear whole-question answer ("a visit to a local prison so inmates can tell them...") is
    #: not overturned by one clause ("to shock them out of offending").
    clause_gap: float = 5.0
    #: A topic our notes do not hold declines a question only when it beats every entry by this
    #: much: "a public health approach to county lines" is about the public health approach.
    anchor_margin: float = 0.0
    #: A follow-up whose leftover words hold this many words the knowledge base has never seen
    #: is a new question, not a follow-up ("what's the cost of a taxi to court?").
    follow_up_unknown: int = 2


class Engine:
    """The indexed knowledge base and intents, ready to answer questions."""

    def __init__(
        self,
        entries: Sequence[Entry],
        intents: Sequence[Intent],
        *,
        thresholds: Thresholds | None = None,
        version: str = "",
    ) -> None:
        self.version = version
        self.entries = tuple(sorted(entries, key=_entry_order))
        self.by_id = {e.id: e for e in self.entries}
        self.intents = {i.id: i for i in intents}
        self.thresholds = thresholds or Thresholds()
        self.index = Index(self.entries, [i for i in intents if i.id not in UNINDEXED])
        self._unheld = _unheld_names(self.index)
        self._unheld_only = _unheld_only_terms(self.index)

    def answer(self, question: str, *, context: Sequence[str] = ()) -> Answer:
        """Decide what to say to one question; `context` names the entries its thread is about."""
        query = parse(self.index, question)
        about = tuple(self.by_id[c] for c in dict.fromkeys(context) if c in self.by_id)
        found = (self._follow_up(query, about) if about else None) or self._compare(
            question, query, about
        )
        return found or self._single(query)

    def _single(self, query: Query) -> Answer:
        """A question on its own: one entry, an intent, or an honest decline."""
        if not query.terms:
            return self._small_talk(query)
        intent = self.index.intent_terms.get(frozenset(query.terms))
        if intent == "fallback":
            return self._decline(query, rank(self.index, query), "a topic our notes do not hold")
        if intent is not None:
            return self._intent(query, intent, 100, "the same words as an example of the intent")
        ranked, needed = self._best_reading(query)
        ranked = self._weigh_anchor(query, ranked)
        if ranked and ranked[0].score >= needed:
            return self._decide(query, ranked)
        why = "asks how to do a task, not what works" if needed > self.thresholds.answer else ""
        return self._decline(query, ranked, why or "not confident enough")

    def _best_reading(self, query: Query) -> tuple[list[Scored], float]:
        """The ranking to decide on, and the confidence it needs.

        A long question is also read clause by clause, but a clause can only raise the
        confidence of a target the whole question already ranks among its leaders: the whole
        question says what it is about, a clause says it more clearly.
        """
        ranked = rank(self.index, query)
        needed = self._needed(query.text)
        if len(query.terms) < self.thresholds.long_terms or not ranked:
            closing = None
            if not ranked or ranked[0].score < needed:
                closing = self._closing_intent(query.original)
            return ([closing, *ranked] if closing else ranked), needed
        leaders = {s.doc.target: s for s in ranked[: self.thresholds.clause_leaders]}
        lifted = dict(leaders)
        reach = set().union(*(s.doc.terms.keys() for s in leaders.values()))
        best = ranked[0].score
        for text in clauses(query.original):
            part = parse(self.index, text)
            if len(part.terms) < 3 or reach.isdisjoint(part.terms) or framing.is_task(part.text):
                continue  # too thin to say more than the whole; or it shares no leader's word
            # a clause speaks only for its leader, found among its BM25 leaders
            for scored in rank(self.index, part, CLAUSE_SHORTLIST)[:1]:
                known = lifted.get(scored.doc.target)
                score = scored.score * self.thresholds.clause_weight
                whole = leaders.get(scored.doc.target)
                close = whole is not None and whole.score + self.thresholds.clause_gap >= best
                if known is not None and close and score > known.score:
                    lifted[scored.doc.target] = replace(scored, score=score)
        top = sorted(lifted.values(), key=lambda s: -s.score)
        closing = None if top[0].score >= needed else self._closing_intent(query.original)
        if closing is not None:  # no entry answers it: the last sentence may ask for a list
            lifted[closing.doc.target] = closing
            top = sorted(lifted.values(), key=lambda s: -s.score)
        rest = [s for s in ranked if s.doc.target not in lifted]
        return [*top, *rest], needed

    def _closing_intent(self, original: str) -> Scored | None:
        """An intent asked outright in the last sentence of a long question no entry answers
        ("...our ward plan. What's proven to work?"): that sentence is the question."""
        sentences = [p.strip() for p in _SENTENCE_END.split(original) if p and p.strip()]
        if len(sentences) < 2:
            return None
        part = parse(self.index, sentences[-1])
        if framing.asks_for_evidence_only(part.text) or framing.is_task(part.text):
            return None  # "What does the evidence say?" asks about the rest, not for a list
        ranked = rank(self.index, part, CLAUSE_SHORTLIST)
        exact = self.index.intent_terms.get(frozenset(part.terms))
        for scored in ranked:
            if exact in LISTINGS and scored.doc.target == exact:
                return replace(scored, score=100.0 * self.thresholds.clause_weight)
        top = ranked[0] if ranked else None
        if (
            top is not None
            and top.doc.target in LISTINGS
            and top.score >= self.thresholds.small_talk
        ):
            return replace(top, score=top.score * self.thresholds.clause_weight)
        return None

    def _weigh_anchor(self, query: Query, ranked: list[Scored]) -> list[Scored]:
        """Put first a topic our notes do not hold that the question names word for word and
        the leading entry does not hold all the words of ("designated driver schemes" is not
        drink-drive stops); drop a leading unheld topic an entry comes close to, for then it is
        the question's context, not its subject."""
        if not ranked:
            return ranked
        if ranked[0].doc.target != "fallback":
            return self._named_unheld(query, ranked)
        entries = [s for s in ranked if not s.doc.is_intent]
        if entries and entries[0].score + self.thresholds.anchor_margin > ranked[0].score:
            return [s for s in ranked if s.doc.target != "fallback"]
        return ranked

    def _named_unheld(self, query: Query, ranked: list[Scored]) -> list[Scored]:
        top = ranked[0].doc
        unheld = next((s for s in ranked if s.doc.target == "fallback"), None)
        if top.is_intent or unheld is None:
            return ranked
        words = query.text.split()
        text = f" {query.text} "
        rare = UNHELD_RARE * self.index.max_idf
        for pair in {f"{a} {b}" for a, b in itertools.pairwise(words)}:
            for name, terms, whole in self._unheld.get(pair, ()):
                missing = terms - top.terms.keys()
                if not missing or (whole and name not in text):
                    continue
                if whole or all(self.index.idf.get(t, rare) >= rare for t in missing):
                    return [unheld, *(s for s in ranked if s is not unheld)]
        # A word only an unheld topic uses ("sobriety" tags, "naloxone"), that the leading entry
        # does not explain, names that topic when the topic is in reach of the entry's score.
        if unheld.score >= UNHELD_REACH * ranked[0].score and any(
            t in self._unheld_only and t not in top.terms for t in query.terms
        ):
            return [unheld, *(s for s in ranked if s is not unheld)]
        return ranked

    def _needed(self, text: str) -> float:
        """The confidence a question needs: more when it reads as a task, and a strongly
        task-framed one ("how do I sign up as a coordinator") is declined, with suggestions."""
        if not framing.is_task(text):
            return self.thresholds.answer
        if framing.task_strength(text) >= self.thresholds.task_decline:
            return 101.0
        return self.thresholds.answer + self.thresholds.task_margin

    def topic(self, text: str) -> Scored | None:
        """The entry a short text is confidently about (never an intent), or None."""
        query = parse(self.index, text)
        if not query.terms:
            return None
        for scored in rank(self.index, query):
            if scored.doc.target == "fallback":
                return None  # a topic our notes do not hold outranks every entry
            if not scored.doc.is_intent:
                return scored if scored.score >= self.thresholds.answer else None
        return None

    def _follow_up(self, query: Query, about: tuple[Entry, ...]) -> Answer | None:
        """A reply in a thread that asks about the thread's entries rather than a new topic.

        A new topic is one the reply names (an entry's title, keyword, abbreviation or slang);
        sharing the wording of some entry's example question ("does it just move crime
        somewhere else?") is not naming it. With no aspect cue, a reply that is itself an
        intent ("what works", "thanks") is that intent.
        """
        read = followup.read(query.text)
        if (
            not read.is_follow_up
            or framing.task_strength(query.text) >= self.thresholds.task_decline
        ):
            return None  # not a follow-up, or a task ("what curfew do I put on his bail?")
        unknown = [t for t in parse(self.index, read.rest).terms if t not in self.index.idf]
        if len(unknown) >= self.thresholds.follow_up_unknown:
            return None
        new = self.topic(read.rest) if read.rest else None
        named = new is not None and new.phrasing is not None and new.phrasing.field != "question"
        if (
            new is not None
            and (named or read.carried)
            and new.doc.target not in {e.id for e in about}
        ):
            return None  # "what about halfway houses for prison leavers?" is a new topic
        if read.aspect is None:
            alone = self._single(query).intent
            small_talk = alone in ("greeting", "help", "tip", "topics")
            if small_talk or (alone in ("what-works", "what-doesnt-work") and not read.pronoun):
                return None
        aspect = read.aspect or "summary"
        reason = f"follow-up ({aspect}) about {', '.join(e.id for e in about)}"
        intent = "compare" if len(about) > 1 else "answer"
        return Answer(query.text, intent, 100, reason, entry=about[0], entries=about, aspect=aspect)

    def _compare(self, question: str, query: Query, about: tuple[Entry, ...]) -> Answer | None:
        """Two or three entries side by side, in the order asked."""
        sides = None
        for piece in _DASH.split(question):  # "A, B and C - which ones work?"
            sides = compare.split(" , ".join(clean(p) for p in piece.split(",")).strip(" ,"))
            if sides is not None:
                break
        if sides is None:
            return None
        found: list[tuple[Entry, float]] = []
        missing: list[str] = []
        for text in sides.texts:
            if about and set(text.split()) <= followup.PRONOUNS:
                found.append((about[0], 100.0))
                continue
            scored = self.topic(text)
            bare = compare.without_context(text)
            if (
                bare != text
                and len(text.split()) <= compare.NAMED_WORDS
                and (scored is None or any(e.id == scored.doc.target for e, _ in found))
            ):  # "cctv for shop theft" after "EAS tags": the side is CCTV
                scored = self.topic(bare) or scored
            if scored is None:
                missing.append(text)
            elif all(e.id != scored.doc.target for e, _ in found):
                found.append((self.by_id[scored.doc.target], scored.score))
        if not found or (len(found) == 1 and not missing):
            return None
        if not sides.explicit and (missing or len(found) < 2 or framing.is_task(query.text)):
            return None  # "who pays for alley gates, the council or the residents?" is a task
        entries = tuple(e for e, _ in found)
        return Answer(
            query.text,
            "compare",
            round(min(score for _, score in found)),
            "compared: " + ", ".join(e.id for e in entries),
            entry=entries[0],
            entries=entries,
            missing=tuple(missing),
        )

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
        """Every entry with this guidance verdict, computed from the knowledge base."""
        return tuple(e for e in self.entries if e.verdict == verdict)

    def working(self) -> tuple[Entry, ...]:
        """What works, from either source: the guidance's list, or a toolkit reduction.

        An entry the toolkit finds increases harm is never here, whatever else is said of it.
        """
        return tuple(
            e for e in self.entries if (e.badge.positive if e.badge else e.verdict == "works")
        )

    def not_working(self) -> tuple[Entry, ...]:
        """What is not shown to work: the guidance's no-or-negative list, toolkit rises, no
        clear effect, mixed findings or a reduction without a clear overall effect."""
        return tuple(
            e
            for e in self.entries
            if (not e.badge.positive if e.badge else e.verdict == "no-or-negative-effect")
        )

    def _decide(self, query: Query, ranked: list[Scored]) -> Answer:
        top = ranked[0]
        reason = _reason(top, query)
        if top.doc.target == "fallback":
            return self._decline(query, ranked, f"a topic our notes do not hold: {reason}")
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
            return self.working()
        if intent == "what-doesnt-work":
            return self.not_working()
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
        if intent == "fallback":
            return self._decline(query, [], f'close to "{example}", a topic our notes do not hold')
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


#: Two neighbouring words of an unheld topic name it ("security guards" of "security guards in
#: shops") when a word the leading entry lacks is at least this rare (a share of the rarest).
UNHELD_RARE = 0.68

#: A word only unheld topics use puts them first when they score this share of the leader's.
UNHELD_REACH = 0.4


def _unheld_only_terms(index: Index) -> frozenset[str]:
    """Terms that appear in the unheld topics and nowhere else."""
    doc = index.doc_of("fallback")
    if doc is None:
        return frozenset()
    return frozenset(t for t in doc.terms if t in index.postings and len(index.postings[t][0]) == 1)


#: Two neighbouring words of a question -> the unheld topics they may name: (the topic as it
#: reads in a cleaned question, its terms, whether that is the whole topic or just the pair).
Unheld = dict[str, list[tuple[str, frozenset[str], bool]]]


def _unheld_names(index: Index) -> Unheld:
    """Each unheld topic of two words or more, found by its first two words; and each pair of
    neighbouring content words in them, found by itself."""
    doc = index.doc_of("fallback")
    found: Unheld = {}
    for phrasing in doc.phrasings if doc else ():
        words = clean(phrasing.text).split()
        if len(words) >= 2 and phrasing.terms:
            found.setdefault(f"{words[0]} {words[1]}", []).append(
                (f" {' '.join(words)} ", phrasing.terms, True)
            )
        for a, b in itertools.pairwise(words):
            terms = (index.analyzer.term(a), index.analyzer.term(b))
            if all(t is not None and t not in index.neutral_terms for t in terms):
                pair = frozenset(t for t in terms if t is not None)
                found.setdefault(f"{a} {b}", []).append((f" {a} {b} ", pair, False))
    return found


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
