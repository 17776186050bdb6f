"""The dependencies every Slack listener gets, passed in by register() (no module globals)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bot.engine import Answer, Engine, Entry
from bot.engine.tips import pick_tip
from bot.slack.dedupe import RecentKeys, Seen
from bot.slack.delivery import Failures
from bot.slack.models import AnswerLog, Feedback, FeedbackSink, NoAnswerLog
from bot.slack.threads import RecentThreads, ThreadMemory

log = logging.getLogger("toolkit_bot.feedback")


class LogFeedback:
    """Feedback written to the log until a store is configured."""

    def record(self, feedback: Feedback) -> None:
        """Log one vote (never the user's id in clear beyond Slack's own opaque id)."""
        log.info(
            "feedback %s on %s: %r",
            "helpful" if feedback.helpful else "not helpful",
            feedback.target,
            feedback.question[:200],
        )


@dataclass
class Services:
    """Engine, sinks and memories shared by the listeners."""

    engine: Engine
    feedback: FeedbackSink = field(default_factory=LogFeedback)
    seen: Seen = field(default_factory=RecentKeys)
    failures: Failures = field(default_factory=Failures)
    today: Callable[[], date] = date.today
    answers: AnswerLog = field(default_factory=NoAnswerLog)
    threads: ThreadMemory = field(default_factory=RecentThreads)

    def record_answer(self, team_id: str, answer: Answer, question: str) -> None:
        """Count an answer, or log a decline; never lets a storage problem reach the asker."""
        try:
            if answer.intent == "fallback":
                self.answers.declined(team_id, question)
            elif answer.intent == "compare":
                for entry in answer.entries:
                    self.answers.answered(team_id, f"entry:{entry.id}")
            else:
                self.answers.answered(
                    team_id, f"entry:{answer.entry.id}" if answer.entry else answer.intent
                )
        except Exception:
            log.exception("could not record the answer to %r", question[:80])

    def tip(self) -> Entry | None:
        """Today's tip."""
        return pick_tip(self.engine.entries, self.today().toordinal())
