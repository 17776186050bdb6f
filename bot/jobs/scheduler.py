"""The tips scheduler inside `toolkit-bot serve`: a background thread calling run_due.

It wakes every INTERVAL seconds (and once at start, so slots missed while the bot was down are
posted late at once), asks the clock for `now` and runs one pass. A failing pass (the database
unreachable, say) is logged and tried again on the next wake; answering questions never waits for
it. stop() wakes the thread and waits for the pass in progress to finish.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

log = logging.getLogger("toolkit_bot.tips")

INTERVAL = 30.0


def utc_now() -> datetime:
    """The real clock (aware UTC); tests pass their own."""
    return datetime.now(UTC)


class TipScheduler:
    """Runs `run(now)` in a daemon thread every `interval` seconds until stopped."""

    def __init__(
        self,
        run: Callable[[datetime], object],
        *,
        interval: float = INTERVAL,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._run, self._interval, self._clock = run, interval, clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.passes = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the thread (once; later calls do nothing)."""
        with self._lock:
            if self._thread is not None:
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="tips-scheduler", daemon=True)
            self._thread.start()
        log.info("tips scheduler started (every %.0f s)", self._interval)

    def tick(self) -> None:
        """One pass now; errors are logged, never raised."""
        try:
            self._run(self._clock())
        except Exception:
            log.exception("tips: the scheduled pass failed; trying again in %.0f s", self._interval)
        finally:
            self.passes += 1

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self._interval)

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to stop and wait for it (a pass in progress finishes first)."""
        with self._lock:
            thread, self._thread = self._thread, None
        self._stop.set()
        if thread is not None:
            thread.join(timeout)
            log.info("tips scheduler stopped")
