"""The store behind the Slack layer's protocols, each call guarded so answers never wait on it.

`attach(services, store)` makes the Services' dedupe, feedback, answer counts and
failure list use the database; without a store (or while it is unreachable) the in-memory
behaviour is kept.
"""

from __future__ import annotations

import logging

from bot.slack.dedupe import RecentKeys
from bot.slack.delivery import Failures
from bot.slack.models import Feedback
from bot.slack.services import LogFeedback, Services
from bot.slack.threads import RecentThreads
from bot.store.feedback import Vote
from bot.store.guard import Breaker
from bot.store.store import Store

log = logging.getLogger("toolkit_bot.store")


class StoredSeen:
    """Handled deliveries in the database (shared by instances), and in memory as a fallback.

    The process's own memory is consulted too, so a delivery handled here during an outage is
    not answered again once the database is back.
    """

    def __init__(self, store: Store, breaker: Breaker, memory: RecentKeys | None = None) -> None:
        self._store, self._breaker = store, breaker
        self._memory = memory or RecentKeys()

    def first_time(self, key: str) -> bool:
        """True once per key across instances (per process while the database is down)."""
        shared = self._breaker.call(
            "checking a Slack delivery", lambda: self._store.first_time(key), lambda: True
        )
        here = self._memory.first_time(key)
        return shared and here


class StoredThreads:
    """Thread contexts in the database (any instance answers the next message), and in memory:
    written to both, read from the database first and from memory while it is down."""

    def __init__(self, store: Store, breaker: Breaker, memory: RecentThreads | None = None) -> None:
        self._store, self._breaker = store, breaker
        self._memory = memory or RecentThreads()

    def get(self, key: str) -> tuple[str, ...]:
        """The entries a thread is about."""
        here = self._memory.get(key)
        return self._breaker.call(
            "reading a thread's topic",
            lambda: self._store.thread_context(key) or here,
            lambda: here,
        )

    def put(self, key: str, entries: tuple[str, ...]) -> None:
        """Remember what a thread is about."""
        self._memory.put(key, entries)
        self._breaker.call(
            "keeping a thread's topic",
            lambda: self._store.remember_thread(key, entries),
            lambda: None,
        )


class StoredFeedback:
    """👍 / 👎 (and 👎 comments) in the database; logged instead when it is unreachable."""

    def __init__(self, store: Store, breaker: Breaker) -> None:
        self._store, self._breaker = store, breaker
        self._log = LogFeedback()

    def record(self, feedback: Feedback) -> None:
        """Store or change the user's vote on that answer."""
        vote = Vote(
            team_id=feedback.team_id,
            user_id=feedback.user_id,
            target=feedback.target,
            helpful=feedback.helpful,
            question=feedback.question,
            comment=feedback.comment,
        )
        self._breaker.call(
            "storing feedback",
            lambda: self._store.record_vote(vote),
            lambda: self._log.record(feedback),
        )


class StoredAnswers:
    """Answers counted per entry per team per day; declined questions logged."""

    def __init__(self, store: Store, breaker: Breaker) -> None:
        self._store, self._breaker = store, breaker

    def answered(self, team_id: str, target: str) -> None:
        """Count one answer."""
        self._breaker.call(
            "counting an answer", lambda: self._store.count_answer(team_id, target), lambda: None
        )

    def declined(self, team_id: str, question: str) -> None:
        """Log one declined question."""
        self._breaker.call(
            "logging a declined question",
            lambda: self._store.record_declined(team_id, question),
            lambda: False,
        )


class StoredFailures:
    """Failed deliveries kept in the database too (bot.slack.delivery.FailureBackend)."""

    def __init__(self, store: Store, breaker: Breaker) -> None:
        self._store, self._breaker = store, breaker

    def save(self, what: str, reason: str) -> None:
        """Persist one failure."""
        self._breaker.call(
            "keeping a failed delivery",
            lambda: self._store.record_failure(what, reason),
            lambda: None,
        )


def attach(services: Services, store: Store, breaker: Breaker | None = None) -> Services:
    """Back the services' dedupe, feedback, answer log and failure list with the store."""
    breaker = breaker or Breaker()
    services.feedback = StoredFeedback(store, breaker)
    services.seen = StoredSeen(store, breaker)
    services.failures = Failures(backend=StoredFailures(store, breaker))
    services.answers = StoredAnswers(store, breaker)
    services.threads = StoredThreads(store, breaker)
    return services
