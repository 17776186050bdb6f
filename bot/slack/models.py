"""Records the Slack layer hands to other layers (feedback, failed deliveries)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Feedback:
    """One 👍 or 👎 on an answer."""

    team_id: str
    user_id: str
    target: str  # entry id or intent
    helpful: bool
    question: str
    comment: str = ""


class FeedbackSink(Protocol):
    """Where feedback goes (the store persists it; the default logs it)."""

    def record(self, feedback: Feedback) -> None: ...


class AnswerLog(Protocol):
    """Where answers and declines are counted (the store persists them; the default forgets)."""

    def answered(self, team_id: str, target: str) -> None: ...

    def declined(self, team_id: str, question: str) -> None: ...


class NoAnswerLog:
    """Counts nothing (no store configured)."""

    def answered(self, team_id: str, target: str) -> None:
        """Forget the answer."""

    def declined(self, team_id: str, question: str) -> None:
        """Forget the decline."""
