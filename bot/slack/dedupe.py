"""Remembering which Slack deliveries were already handled (retries must not answer twice)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol


class Seen(Protocol):
    """Answers "is this the first time?" atomically for a key (the store shares it across hosts)."""

    def first_time(self, key: str) -> bool: ...


class RecentKeys:
    """In-process memory of keys for `ttl` seconds (Slack retries within about an hour)."""

    def __init__(
        self, ttl: float = 3600.0, limit: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl, self._limit, self._clock = ttl, limit, clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        """True once per key; later calls within the TTL return False."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True

    def _expire(self, now: float) -> None:
        while self._seen and (
            len(self._seen) > self._limit or next(iter(self._seen.values())) < now - self._ttl
        ):
            self._seen.popitem(last=False)
