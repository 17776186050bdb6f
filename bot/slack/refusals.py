"""What the log says about refused Slack input: one short, rate-limited line, never a body.

Anyone on the internet can POST to the Request URL, so a refusal must cost a few bytes of log
at most, whatever was sent. Bolt and slack_sdk also quote whole request bodies and Socket Mode
envelopes in some records (an invalid signature at INFO, self events and every envelope at
DEBUG): `hide_bodies()` cuts those records short on every handler.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("toolkit_bot.guard")

#: At most one line per reason in this many seconds; the next line counts the ones held back.
EVERY = 10.0
#: Loggers whose records may quote Slack bodies (the app's Bolt logger is toolkit_bot.bolt).
SLACK_LOGGERS = ("slack_bolt", "slack_sdk", "toolkit_bot.bolt")
#: Where a body starts in those records (Bolt's and slack_sdk's own message templates).
BODY_MARKERS = (
    "body:",
    "body=",
    "message:",
    "payload:",
    "data:",
    "Skipped self event:",
    "for the request (",
    "(message: ",
)
HIDDEN = " [not logged]"


@dataclass
class _Window:
    opened: float
    held: int = 0


class RefusalLog:
    """Logs refusals: per reason at most one line per `every` seconds, with a count of the rest."""

    def __init__(
        self,
        logger: logging.Logger = log,
        every: float = EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._log, self._every, self._clock = logger, every, clock
        self._windows: dict[str, _Window] = {}
        self._lock = threading.Lock()

    def refused(self, what: str, reason: str) -> None:
        """Note one refusal ("Slack request refused with 401", "unsigned").

        Both are fixed phrases (they key the rate limit), never anything from the input.
        """
        held = self._admit(f"{what}: {reason}")
        if held is None:
            return
        more = f" ({held} more like it in the last {self._every:g} s)" if held else ""
        self._log.warning("%s: %s%s", what, reason, more)

    def _admit(self, key: str) -> int | None:
        """How many were held back since the last line, or None to hold this one back too."""
        now = self._clock()
        with self._lock:
            window = self._windows.get(key)
            if window is not None and now - window.opened < self._every:
                window.held += 1
                return None
            self._windows[key] = _Window(now)
            return window.held if window else 0


class HideBodies(logging.Filter):
    """Cuts a Slack library record at the point where it starts quoting a body or envelope."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record when it would show a body; always keep it."""
        if not record.name.startswith(SLACK_LOGGERS):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: the handler reports it, with no body
            return True
        cut = body_start(message)
        if cut is not None:
            record.msg, record.args = message[:cut] + HIDDEN, None
        return True


def body_start(message: str) -> int | None:
    """Where the first body marker in `message` ends, if there is one."""
    found = [(i + len(m)) for m in BODY_MARKERS if (i := message.find(m)) >= 0]
    return min(found) if found else None


def hide_bodies(root: logging.Logger | None = None) -> None:
    """Put HideBodies on every handler of the root logger (once each)."""
    for handler in (root or logging.getLogger()).handlers:
        if not any(isinstance(f, HideBodies) for f in handler.filters):
            handler.addFilter(HideBodies())
