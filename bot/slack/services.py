"""The dependencies every Slack listener gets, passed in by register() (no module globals)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from bot import privacy
from bot.engine import Answer, Engine, Entry
from bot.engine.tips import pick_tip
from bot.metrics import Metrics
from bot.slack.dedupe import RecentKeys, Seen
from bot.slack.delivery import Failures
from bot.slack.ledger import MemoryLedger
from bot.slack.models import AnswerLog, Feedback, FeedbackSink, NoAnswerLog
from bot.slack.pool import Pressure
from bot.slack.sending import Sender
from bot.slack.threads import RecentThreads, ThreadMemory
from bot.slack.unfurl import Unfurler
from bot.store.outbox import Owed, Work

log = logging.getLogger("toolkit_bot.feedback")
#: Seconds a question may wait for its turn before a short "busy, try again" reply goes instead.
BUSY_AFTER = 10.0


class Pool(Protocol):
    """Where acked work is queued to be done (bot.slack.pool.WorkPool)."""

    def submit(self, work: Work) -> None: ...


class LogFeedback:
    """Feedback written to the log until a store is configured."""

    def record(self, feedback: Feedback) -> None:
        """Log one vote (never the user's id in clear beyond Slack's own opaque id)."""
        log.info(
            "feedback %s on %s: %r",
            "helpful" if feedback.helpful else "not helpful",
            feedback.target,
            privacy.redact(feedback.question)[:200],
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
    ledger: Any = field(default_factory=MemoryLedger)  # work and deliveries (bot/slack/work.py)
    sender: Sender | None = None
    #: Where acked work is done (bot/slack/pool.py); None: in the listener itself.
    pool: Pool | None = None
    #: A question that waited longer than this (seconds) for the pool gets a busy reply.
    busy_after: float = BUSY_AFTER
    #: Requests waiting for their ack in this process (bot/slack/pool.py: acks come first).
    pressure: Pressure = field(default_factory=Pressure)
    privacy_reminder: Callable[[str], str | None] = field(default=privacy.reminder)
    metrics: Metrics = field(default_factory=Metrics)  # served as /metrics (bot/metrics.py)
    _unfurler: tuple[Engine, Unfurler] | None = field(default=None, repr=False)

    def send(self, owed: Owed) -> None:
        """Hand a recorded message to the sender (or record that nothing can send it)."""
        if self.sender is None:
            self.failures.record(f"{owed.purpose} in {owed.channel}", "no sender is running")
            return
        self.sender.schedule(owed)

    def unfurler(self) -> Unfurler:
        """Which entry each cited link is about (built once per engine: a reload swaps
        `engine`, see bot/reload.py)."""
        engine, built = self.engine, self._unfurler
        if built is None or built[0] is not engine:
            built = self._unfurler = (engine, Unfurler(engine.entries))
        return built[1]

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
            log.exception("could not record the answer to %r", privacy.redact(question)[:80])

    def tip(self) -> Entry | None:
        """Today's tip."""
        return pick_tip(self.engine.entries, self.today().toordinal())
