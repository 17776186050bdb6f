"""Accuracy of the engine on a question file (the format of shared/eval/dev-questions.yaml)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.engine import Engine
from bot.engine.models import INTENTS
from bot.errors import ToolkitBotError


@dataclass(frozen=True, slots=True)
class Case:
    """One question and the answers that count as right."""

    question: str
    expect: tuple[str, ...]

    @property
    def group(self) -> str:
        """Which accuracy figure the case counts towards."""
        if "fallback" in self.expect:
            return "declines"
        return "intents" if all(e in INTENTS for e in self.expect) else "entries"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the engine said for a case."""

    case: Case
    got: str
    score: int

    @property
    def right(self) -> bool:
        """Whether the engine picked one of the expected answers."""
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


def load_cases(path: Path) -> list[Case]:
    """Read a question file: a list of {q: ..., expect: id-or-list}."""
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
    return Case(str(item["q"]), expected)


def evaluate(engine: Engine, cases: Sequence[Case]) -> Result:
    """Run every case through the engine."""
    result = Result()
    for case in cases:
        answer = engine.answer(case.question)
        got = answer.entry.id if answer.entry else answer.intent
        result.outcomes.append(Outcome(case, got, answer.score))
    return result


def percent(right: int, total: int) -> float:
    """A share as a percentage (100 for an empty group)."""
    return 100.0 * right / total if total else 100.0


def report_lines(result: Result) -> list[str]:
    """The printed report: accuracy per group, overall, then every miss."""
    lines = []
    for group in ("entries", "intents", "declines"):
        right, total = result.accuracy(group)
        lines.append(f"{group:<9} {right:>4}/{total:<4} {percent(right, total):6.1f}%")
    right, total = result.accuracy()
    lines.append(f"overall accuracy {right}/{total} = {percent(right, total):.1f}%")
    for miss in result.misses:
        want = "|".join(miss.case.expect)
        lines.append(
            f"MISS  want {want:<34} got {miss.got:<34} ({miss.score:>3})  {miss.case.question}"
        )
    return lines
