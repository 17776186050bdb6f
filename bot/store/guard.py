"""Keeping the bot answering when the database is not: a circuit breaker around store calls."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

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

    def __init__(self, cooldown: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._cooldown, self._clock = cooldown, clock
        self._open_until = float("-inf")
        self._down = False
        self._lock = threading.Lock()

    @property
    def down(self) -> bool:
        """Whether the last call found the database unavailable."""
        return self._down

    def call(self, what: str, action: Callable[[], T], fallback: Callable[[], T]) -> T:
        """`action()`, or `fallback()` when the database is (or just went) unavailable."""
        if self._clock() < self._open_until:
            return fallback()
        try:
            result = action()
        except (SQLAlchemyError, OSError) as exc:
            with self._lock:
                first = not self._down
                self._down, self._open_until = True, self._clock() + self._cooldown
            if first:
                log.error(
                    "database unavailable while %s: %s; carrying on without it "
                    "(answers are not affected)",
                    what,
                    reason(exc),
                )
            return fallback()
        except Exception:
            log.exception("store call failed while %s; carrying on without it", what)
            return fallback()
        if self._down:
            with self._lock:
                self._down = False
            log.warning("database reachable again (%s)", what)
        return result
