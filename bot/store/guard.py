"""Keeping the bot answering when the database is not: a circuit breaker around store calls."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as CallTimeout
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from bot.store.store import reason

T = TypeVar("T")
log = logging.getLogger("toolkit_bot.store")


class Breaker:
    """Runs a store call, or its fallback when the database failed within the last `cooldown`
    seconds, so an unreachable database costs one timeout, not one per message.

    Database errors open the breaker and are logged once per outage; any other error (a bug)
    is logged with its traceback and the fallback is used, so the caller's answer still goes out.
    """

    def __init__(
        self,
        cooldown: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        *,
        limit: float | None = 0.5,
        workers: int = 8,
    ) -> None:
        self._cooldown, self._clock = cooldown, clock
        self._open_until = float("-inf")
        self._down = False
        self._told, self._told_at = False, float("-inf")  # this outage logged; when last
        self._lock = threading.Lock()
        #: A call that has not returned after `limit` seconds counts as the database being
        #: unavailable: a connection that hangs silently (no error, nothing moves) must not
        #: hold up an answer. The call goes on in a small pool of its own; once every worker
        #: is stuck, further calls time out at once, until the breaker opens.
        self._limit = limit
        self._pool = ThreadPoolExecutor(workers, "store-call") if limit else None

    @property
    def down(self) -> bool:
        """Whether the last call found the database unavailable."""
        return self._down

    def call(self, what: str, action: Callable[[], T], fallback: Callable[[], T]) -> T:
        """`action()`, or `fallback()` when the database is (or just went) unavailable."""
        if self._clock() < self._open_until:
            return fallback()
        try:
            result = self._run(action)
        except CallTimeout:
            self._trip(what, f"no answer within {self._limit} s")
            return fallback()
        except (SQLAlchemyError, OSError) as exc:
            self._trip(what, reason(exc))
            return fallback()
        except Exception:
            log.exception("store call failed while %s; carrying on without it", what)
            return fallback()
        if self._down:
            self._up(what)
        return result

    def _run(self, action: Callable[[], T]) -> T:
        if self._pool is None:
            return action()
        future = self._pool.submit(action)
        try:
            return future.result(timeout=self._limit)
        except CallTimeout:
            future.add_done_callback(self._finished_late)
            raise

    def _finished_late(self, future: Future[Any]) -> None:
        """A call that timed out has now answered: the database is slow (a burst of writes on
        SQLite, say), not gone. Close the breaker again, so a busy minute does not turn into
        `cooldown` seconds of work kept in memory only; a hung database never gets here."""
        if future.cancelled() or future.exception() is not None:
            return
        with self._lock:
            self._open_until = float("-inf")
        self._up("a call that had timed out finished")

    def _up(self, what: str) -> None:
        """The database answered again (logged if its going was)."""
        with self._lock:
            was_down, self._down = self._down, False
            told, self._told = self._told, False
        if was_down and told:
            log.warning("database reachable again (%s)", what)

    def _trip(self, what: str, why: str) -> None:
        """Open the breaker; log once per outage, and at most once per `cooldown` seconds (a
        database that keeps timing out under load, then answering, is one line, not hundreds)."""
        with self._lock:
            now = self._clock()
            first = not self._down and now - self._told_at >= self._cooldown
            self._down, self._open_until = True, now + self._cooldown
            if first:
                self._told, self._told_at = True, now
        if first:
            log.error(
                "database unavailable while %s: %s; carrying on without it "
                "(answers are not affected)",
                what,
                why,
            )
