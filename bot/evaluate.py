"""Accuracy of the engine on a question file (the format of shared/eval/dev-questions.yaml).

Beyond `{q, expect}` a case may carry `after: "an earlier question in the same thread"` (a
follow-up: the earlier answer's entry is the thread's context) and `compare: true` (right only
when the answer is a comparison of exactly the expected entries).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.engine import Answer, Engine, Entry, thread_context
from bot.engine.models import INTENTS
from bot.errors import ToolkitBotError

GROUPS = ("entries", "comparisons", "follow-ups", "intents", "declines")


@dataclass(frozen=True, slots=True)
class Case:
    """One question and the answers that count as right."""

    question: str
    expect: tuple[str, ...]
    after: str | None = None
    compare: bool = False

    @property
    def group(self) -> str:
        """Which accuracy figure the case counts towards."""
        if self.after is not None:
            return "follow-ups"
        if self.compare:
            return "comparisons"
        if "fallback" in self.expect:
            return "declines"
        return "intents" if all(e in INTENTS for e in self.expect) else "entries"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the engine said for a case."""

    case: Case
    got: str
    score: int
    compared: tuple[str, ...] = ()
    opposite: bool = False  # the answer's verdict is the opposite of the expected entry's

    @property
    def right(self) -> bool:
        """Whether the engine picked one of the expected answers."""
        if self.case.compare:
            return set(self.compared) == set(self.case.expect)
        return self.got in self.case.expect


@dataclass
class Result:
    """All outcomes, with accuracy per group and overall."""

    outcomes: list[Outcome] = field(default_factory=list)

    def accuracy(self, group: str | None = None) -> tuple[int, int]:
        """(right, total) for one group, or for everything."""
        chosen = [o for o in self.outcomes if group is None or o.case.group == group]
        return sum(o.right for o in chosen), len(chosen)

    @property
    def misses(self) -> list[Outcome]:
        """The outcomes that were wrong."""
        return [o for o in self.outcomes if not o.right]

    @property
    def opposites(self) -> list[Outcome]:
        """Answers whose verdict is the opposite of the right entry's: the worst mistakes."""
        return [o for o in self.outcomes if o.opposite]


def load_cases(path: Path) -> list[Case]:
    """Read a question file: a list of {q: ..., expect: id-or-list} (see the module doc)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ToolkitBotError(f"{path}: cannot read the question file: {exc}") from exc
    if not isinstance(data, list):
        raise ToolkitBotError(f"{path}: expected a list of {{q: ..., expect: ...}} items")
    return [_case(path, i, item) for i, item in enumerate(data)]


def _case(path: Path, index: int, item: object) -> Case:
    if not isinstance(item, dict) or "q" not in item or "expect" not in item:
        raise ToolkitBotError(f"{path}: item {index + 1} needs the keys q and expect")
    expect = item["expect"]
    expected = tuple(str(e) for e in expect) if isinstance(expect, list) else (str(expect),)
    after = item.get("after")
    return Case(str(item["q"]), expected, str(after) if after else None, bool(item.get("compare")))


def polarity(entry: Entry | None) -> int:
    """+1 for an entry graded as working, -1 for one that does not (or harms), 0 otherwise."""
    if entry is None:
        return 0
    if entry.badge is not None:
        return 1 if entry.badge.positive else -1 if entry.badge.negative else 0
    return {"works": 1, "no-or-negative-effect": -1}.get(entry.verdict or "", 0)


def run_case(engine: Engine, case: Case) -> Answer:
    """The engine's answer to a case (a follow-up first asks its earlier question)."""
    context: tuple[str, ...] = ()
    if case.after is not None:
        context = thread_context(engine.answer(case.after))
    return engine.answer(case.question, context=context)


def evaluate(engine: Engine, cases: Sequence[Case]) -> Result:
    """Run every case through the engine."""
    result = Result()
    for case in cases:
        answer = run_case(engine, case)
        got = answer.entry.id if answer.entry else answer.intent
        wanted = [engine.by_id[e] for e in case.expect if e in engine.by_id]
        opposite = any(polarity(w) * polarity(answer.entry) < 0 for w in wanted) and not any(
            w.id == got for w in wanted
        )
        compared = tuple(e.id for e in answer.entries) if answer.intent == "compare" else ()
        result.outcomes.append(Outcome(case, got, answer.score, compared, opposite))
    return result


def percent(right: int, total: int) -> float:
    """A share as a percentage (100 for an empty group)."""
    return 100.0 * right / total if total else 100.0


def report_lines(result: Result, *, misses: bool = True) -> list[str]:
    """The printed report: accuracy per group, overall, opposite verdicts, then every miss."""
    lines = []
    for group in GROUPS:
        right, total = result.accuracy(group)
        if total:
            lines.append(f"{group:<11} {right:>4}/{total:<4} {percent(right, total):6.1f}%")
    right, total = result.accuracy()
    lines.append(f"overall accuracy {right}/{total} = {percent(right, total):.1f}%")
    lines.append(f"opposite verdicts {len(result.opposites)}")
    if misses:
        lines += [_miss_line(miss) for miss in result.misses]
    return lines


def _miss_line(miss: Outcome) -> str:
    want = "|".join(miss.case.expect)
    got = "+".join(miss.compared) if miss.compared else miss.got
    flag = "OPPOSITE " if miss.opposite else ""
    after = f" (after: {miss.case.after})" if miss.case.after else ""
    return (
        f"{flag}MISS  want {want:<34} got {got:<34} ({miss.score:>3})  {miss.case.question}{after}"
    )
