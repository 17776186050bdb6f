"""The store behind the Slack layer's protocols, each call guarded so answers never wait on it.

`attach(services, store)` makes the Services' dedupe, feedback, answer counts and
failure list use the database; without a store (or while it is unreachable) the in-memory
behaviour is kept.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import datetime

from sqlalchemy import Connection

from bot.slack.dedupe import RecentKeys
from bot.slack.delivery import Failures
from bot.slack.ledger import MemoryLedger
from bot.slack.models import Feedback
from bot.slack.sending import CHECKABLE
from bot.slack.services import LogFeedback, Services
from bot.slack.threads import RecentThreads
from bot.store import outbox, threads, usage
from bot.store.feedback import Vote
from bot.store.guard import Breaker
from bot.store.outbox import Owed, Work
from bot.store.store import Store, Write

log = logging.getLogger("toolkit_bot.store")


class WriteBehind:
    """Writes no reply waits for, gathered and committed together every `interval` seconds.

    Under load the database's cost is per transaction (SQLite's write lock, PostgreSQL's
    commit), so a thread's topic, an answer counted, a declined question logged and a post
    marked as landed go in one transaction a few times a second instead of one each
    (benchmarks/load.py, README "Capacity and load"). None of them can lose or double an
    answer: the thread's topic is in memory too; a landed post whose mark is lost in a crash is
    read back from Slack before it would go again (bot/slack/sending.py). What a crash loses is
    the last `interval` of counts. While the database is unavailable they wait for the next
    batch (the oldest are dropped past KEEP_WRITES).
    """

    def __init__(self, store: Store, interval: float = 0.2) -> None:
        self._store, self._interval = store, interval
        #: Its own breaker, with no time limit: nothing waits on these writes, and a slow batch
        #: must not make the answer path's store calls look unavailable.
        self._breaker = Breaker(limit=None)
        self._writes: list[Write] = []
        self._counts: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="write-behind", daemon=True)

    def start(self) -> WriteBehind:
        """Start committing every `interval` seconds."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Commit what is waiting, then stop (waiting 5 s at most: the database may hang)."""
        self._stop.set()
        self._thread.join(5)

    def add(self, write: Write) -> None:
        """Queue one write: `write(connection, now)`, in the next transaction."""
        with self._lock:
            self._writes.append(write)

    def count(self, team_id: str, target: str) -> None:
        """Count one answer (answers to the same entry in one batch are one update)."""
        with self._lock:
            self._counts[(team_id, target)] += 1

    def flush(self) -> None:
        """Commit everything queued so far."""
        with self._lock:
            writes, self._writes = self._writes, []
            counts, self._counts = self._counts, Counter()
        # sorted: every instance updates the counter rows in one order (no deadlock)
        writes += [_counted(team, target, n) for (team, target), n in sorted(counts.items())]
        if not writes:
            return
        failed = self._breaker.call(
            f"writing {len(writes)} counts and marks",
            lambda: self._store.write_all(writes),
            lambda: writes,
        )
        if failed:  # kept for the next batch (the oldest dropped past KEEP_WRITES)
            with self._lock:
                self._writes = (failed + self._writes)[-KEEP_WRITES:]

    def _loop(self) -> None:
        while True:
            stopping = self._stop.wait(self._interval)
            try:
                self.flush()
            except Exception:  # keep flushing; a bug in one batch must not stop the thread
                log.exception("writing counts and marks failed")
            if stopping:
                return


#: Writes kept while the database cannot take them (a minute of a busy instance's).
KEEP_WRITES = 20_000


def _counted(team_id: str, target: str, count: int) -> Write:
    def write(connection: Connection, now: datetime) -> None:
        usage.count_answer_on(connection, team_id, target, now, count)

    return write


def _now_or_later(
    later: WriteBehind | None, breaker: Breaker, what: str, write: Write, store: Store
) -> None:
    """`write` in the write-behind's next transaction, or now on its own (guarded)."""
    if later is not None:
        later.add(write)
        return
    breaker.call(what, lambda: store.write_all([write]), list)


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

    def __init__(
        self,
        store: Store,
        breaker: Breaker,
        memory: RecentThreads | None = None,
        later: WriteBehind | None = None,
    ) -> None:
        self._store, self._breaker, self._later = store, breaker, later
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
        """Remember what a thread is about: written at once (not behind), before the answer is
        handed to the sender, so a follow-up that reaches another instance or worker as soon as
        the answer shows still finds the thread's topic."""
        self._memory.put(key, entries)
        write: Write = lambda connection, now: threads.put_on(connection, key, entries, now)  # noqa: E731
        _now_or_later(None, self._breaker, "keeping a thread's topic", write, self._store)


class StoredLedger:
    """Work and deliveries in the database (every instance shares them, nothing is lost in a
    crash), falling back to memory while it is unavailable: answers never wait on it."""

    def __init__(
        self,
        store: Store,
        breaker: Breaker,
        memory: MemoryLedger | None = None,
        later: WriteBehind | None = None,
    ) -> None:
        self._store, self._breaker, self._later = store, breaker, later
        self._memory = memory or MemoryLedger()

    def accept(self, work: Work) -> bool:
        """First time for this work's key, across instances (per process while it is down)."""
        here = self._memory.accept(work)
        shared = self._breaker.call(
            "recording work owed", lambda: self._store.accept_work(work), lambda: True
        )
        return shared and here

    def complete(self, key: str, owed: list[Owed]) -> None:
        """Record the messages owed and the work done: in the next write-behind batch when every
        message is one the sender can look for in Slack (chat.postMessage), else at once.

        Before the batch commits the work is still pending in the ledger; if this instance dies
        then, the work is redone once its lease runs out, and redone work is marked uncertain
        (bot/slack/work.py), so the sender reads the conversation back for the same delivery
        ids before posting anything. So nothing is lost or doubled, and a question costs one
        transaction before its answer goes instead of two."""
        if self._later is not None and owed and all(o.method in CHECKABLE for o in owed):
            lease = self._store.lease
            self._later.add(
                lambda connection, now: outbox.complete_on(connection, key, owed, now, lease)
            )
            return
        self._breaker.call(
            "recording messages owed", lambda: self._store.complete_work(key, owed), lambda: None
        )

    def record(self, owed: Owed) -> None:
        """Record one message owed that no work item produced."""
        self._breaker.call(
            "recording a message owed", lambda: self._store.add_delivery(owed), lambda: None
        )

    def sent(self, owed: Owed, ts: str | None) -> None:
        """A message landed (marked in the next write-behind batch when a repeat of it would
        be caught by reading the conversation back; at once otherwise)."""
        if self._later is not None and owed.method in CHECKABLE:
            self._later.add(lambda connection, now: outbox.sent_on(connection, owed.id, ts, now))
            return
        self._breaker.call(
            "recording a delivery", lambda: self._store.delivery_sent(owed.id, ts), lambda: None
        )

    def retry(self, owed: Owed, next_at: datetime, error: str) -> None:
        """A message goes again later (with a write-behind, in its next batch: after the batch
        that records the message, never before)."""
        if self._later is not None:
            lease = self._store.lease
            self._later.add(
                lambda connection, now: outbox.retry_on(
                    connection, owed, next_at, error, now, lease
                )
            )
            return
        self._breaker.call(
            "rescheduling a delivery",
            lambda: self._store.delivery_retry(owed, next_at, error),
            lambda: None,
        )

    def abandon(self, owed: Owed, reason: str) -> None:
        """A message given up on: kept with Slack's reason (in the write-behind's next batch,
        after the one that records the message, when there is one)."""
        self._memory.abandon(owed, reason)
        if self._later is not None:
            self._later.add(
                lambda connection, now: outbox.abandon_on(connection, owed.id, reason, now)
            )
            return
        self._breaker.call(
            "recording an abandoned delivery",
            lambda: self._store.delivery_abandoned(owed.id, reason),
            lambda: None,
        )

    def due(self) -> list[Owed]:
        """Messages owed that no live instance holds (after a crash, or another's)."""
        return self._breaker.call("reading messages owed", self._store.due_deliveries, list)

    def stale_work(self) -> list[Work]:
        """Work a dead instance left."""
        return self._breaker.call("reading work owed", self._store.stale_work, list)


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

    def __init__(self, store: Store, breaker: Breaker, later: WriteBehind | None = None) -> None:
        self._store, self._breaker, self._later = store, breaker, later

    def answered(self, team_id: str, target: str) -> None:
        """Count one answer."""
        if self._later is not None:
            self._later.count(team_id, target)
            return
        self._breaker.call(
            "counting an answer", lambda: self._store.count_answer(team_id, target), lambda: None
        )

    def declined(self, team_id: str, question: str) -> None:
        """Log one declined question."""
        write: Write = lambda connection, now: usage.record_declined_on(  # noqa: E731
            connection, team_id, question, now
        )
        _now_or_later(self._later, self._breaker, "logging a declined question", write, self._store)


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


def attach(
    services: Services,
    store: Store,
    breaker: Breaker | None = None,
    later: WriteBehind | None = None,
) -> Services:
    """Back the services' dedupe, feedback, answer log and failure list with the store.

    With `later` (as `serve` runs), the writes nothing waits for go in its batches."""
    breaker = breaker or Breaker()
    services.feedback = StoredFeedback(store, breaker)
    services.seen = StoredSeen(store, breaker)
    services.failures = Failures(backend=StoredFailures(store, breaker))
    services.answers = StoredAnswers(store, breaker, later)
    services.threads = StoredThreads(store, breaker, later=later)
    services.ledger = StoredLedger(store, breaker, MemoryLedger(services.failures), later)
    services.metrics.watch_store(store, breaker, store.clock)  # outbox depth, database up
    return services
