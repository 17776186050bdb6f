"""Domain errors, in one place: what can go wrong and how it is reported."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ToolkitBotError(Exception):
    """Base class for errors the bot reports to a person rather than as a traceback."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a content file: where it is and what was expected."""

    path: Path
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ContentError(ToolkitBotError):
    """The knowledge base or intents are broken; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the content:\n{lines}")


class ConfigError(ToolkitBotError):
    """Settings are missing or invalid; the message names every variable and where to get it."""
