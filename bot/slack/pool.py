"""The work pool: acked work is done here, oldest first, off the threads that ack Slack.

The intake middleware (bot/slack/work.py) records each request's work before the ack; the
listener then only hands it to this pool and returns. So a burst of questions never queues in
front of a slash command's or a button's ack (Bolt runs every listener on one small executor
of its own, and a command is answered inside its ack), and how long work waits is known: a
question that waited longer than `busy_after` seconds gets a short "busy, try again" reply
instead of its answer (bot/slack/work.py), which costs less than answering and so lets the
backlog drain. Work left here by a crash is still in the ledger: recovery takes it over.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

from bot.slack.workers import Workers
from bot.store.outbox import Work

log = logging.getLogger("toolkit_bot.work")


class Pressure:
    """How many requests from Slack are waiting for their ack in this process right now.

    Acks come first: one process runs its request (or Socket Mode) threads, its work pool and
    its sender under one interpreter lock, so under overload the pool's threads would take the
    CPU the acks need (measured in Socket Mode at twice the sustainable rate: acks past 20 s).
    While more than `limit` requests wait, the pool takes no new work; what it holds back
    waits, and past the busy limit gets the busy reply instead of its answer.
    """

    def __init__(self, limit: int = 16) -> None:
        self.limit = limit
        self._waiting = 0
        self._lock = threading.Lock()

    def enter(self) -> None:
        """A request arrived (before its ack)."""
        with self._lock:
            self._waiting += 1

    def leave(self) -> None:
        """A request was acked (or refused)."""
        with self._lock:
            self._waiting = max(0, self._waiting - 1)

    @property
    def high(self) -> bool:
        """Whether the acks are behind."""
        return self._waiting > self.limit


class WorkPool:
    """Worker threads running `run(work)` for each item submitted, first in, first out."""

    def __init__(
        self,
        run: Callable[[Work], None],
        *,
        workers: int = 4,
        on_error: Callable[[Work, Exception], None] | None = None,
        pressure: Pressure | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._run, self._on_error, self._clock = run, on_error, clock
        self._pressure = pressure
        self._queue: deque[Work] = deque()
        self._busy = 0  # items being run now
        self._workers = Workers(self._work, count=workers, name="work")
        self._cond = self._workers.cond

    def start(self) -> WorkPool:
        """Start the worker threads."""
        self._workers.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the items being run (what is still queued is in the ledger)."""
        self._workers.stop(timeout)

    def submit(self, work: Work) -> None:
        """Queue one item of work."""
        with self._cond:
            self._queue.append(work)
            self._cond.notify()

    @property
    def depth(self) -> int:
        """Items queued or being run."""
        with self._cond:
            return len(self._queue) + self._busy

    def oldest_age(self) -> float:
        """Seconds the oldest queued item has waited since it was received (0 when none)."""
        with self._cond:
            received = next((w.received for w in self._queue if w.received is not None), None)
        return 0.0 if received is None else max(0.0, self._clock() - received)

    def _work(self) -> None:
        while True:
            while self._pressure is not None and self._pressure.high and not self._workers.stopping:
                time.sleep(0.005)  # acks first (Pressure)
            with self._cond:
                while not self._queue and not self._workers.stopping:
                    self._cond.wait()
                if self._workers.stopping:
                    return
                work = self._queue.popleft()
                self._busy += 1
            try:
                self._run(work)
            except Exception as exc:  # the work stays owed in the ledger: recovery retries it
                self._failed(work, exc)
            finally:
                with self._cond:
                    self._busy -= 1

    def _failed(self, work: Work, exc: Exception) -> None:
        if self._on_error is None:
            log.error("%s work failed: %s", work.kind, exc, exc_info=exc)
            return
        try:
            self._on_error(work, exc)
        except Exception:  # reporting a failure must not kill the worker
            log.exception("%s work failed, and so did reporting it", work.kind)
