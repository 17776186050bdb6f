"""Retention: question logs older than RETENTION_DAYS go; a small daily worker applies it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, update

from bot.store import handled
from bot.store.models import Base

log = logging.getLogger("toolkit_bot.store")
DECLINED = Base.metadata.tables["declined_questions"]
FEEDBACK = Base.metadata.tables["feedback"]
FAILURES = Base.metadata.tables["delivery_failures"]
DAY = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class Purged:
    """How many rows retention removed or blanked."""

    declined: int
    feedback_texts: int
    failures: int
    handled: int


def apply(engine: Engine, now: datetime, days: int) -> Purged:
    """Delete declined questions last seen before the cut-off and failures older than it; blank
    the question and comment of older votes (the vote itself stays for the helpful ratio)."""
    cutoff = now - timedelta(days=days)
    with engine.begin() as connection:
        declined = connection.execute(delete(DECLINED).where(DECLINED.c.last_seen < cutoff))
        texts = connection.execute(
            update(FEEDBACK)
            .where(FEEDBACK.c.updated_at < cutoff)
            .where((FEEDBACK.c.question != "") | (FEEDBACK.c.comment != ""))
            .values(question="", comment="")
        )
        failures = connection.execute(delete(FAILURES).where(FAILURES.c.at < cutoff))
    return Purged(
        declined=int(declined.rowcount),
        feedback_texts=int(texts.rowcount),
        failures=int(failures.rowcount),
        handled=handled.purge(engine, now),
    )


class RetentionWorker:
    """Runs `job` at start and then every `interval` seconds on a daemon thread until stopped.

    `wait(seconds)` is how the thread sleeps (a stop event by default); tests pass their own so
    nothing really waits.
    """

    def __init__(
        self,
        job: Callable[[], object],
        interval: float = DAY,
        wait: Callable[[float], bool] | None = None,
    ) -> None:
        self._job, self._interval = job, interval
        self._stop = threading.Event()
        self._wait = wait or self._stop.wait
        self._thread: threading.Thread | None = None

    def run_once(self) -> bool:
        """One pass; a failure is logged, never raised (the next pass tries again)."""
        try:
            self._job()
        except Exception as exc:
            log.error("retention pass failed: %s", exc)
            return False
        return True

    def loop(self) -> None:
        """Pass, wait, pass, ... until stop() (or `wait` returns True)."""
        while not self._stop.is_set():
            self.run_once()
            if self._wait(self._interval) or self._stop.is_set():
                return

    def start(self) -> RetentionWorker:
        """Start the thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self.loop, name="retention", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to finish and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
