"""What each Slack thread is about, so a reply in it ("how strong is the evidence?") is answered
about the thread's entry. Keyed by workspace, channel and thread; the store shares it across
instances, this module's memory keeps it when there is no database (or it is down)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

#: A thread's context lasts this long after its last answer (seconds): a few days.
KEEP_SECONDS = 3 * 24 * 3600.0


def thread_key(team_id: str, channel: str, thread_ts: str | None) -> str:
    """The key of one conversation: a DM's top level is one conversation, like a thread."""
    return f"{team_id}:{channel}:{thread_ts or ''}"


class ThreadMemory(Protocol):
    """Reads and writes a thread's context (entry ids)."""

    def get(self, key: str) -> tuple[str, ...]: ...

    def put(self, key: str, entries: tuple[str, ...]) -> None: ...


class RecentThreads:
    """In-process thread contexts, forgotten after `ttl` seconds or past `limit` threads."""

    def __init__(
        self,
        ttl: float = KEEP_SECONDS,
        limit: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl, self._limit, self._clock = ttl, limit, clock
        self._items: OrderedDict[str, tuple[float, tuple[str, ...]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[str, ...]:
        """The entries a thread is about, or ()."""
        with self._lock:
            found = self._items.get(key)
        if found is None or found[0] < self._clock() - self._ttl:
            return ()
        return found[1]

    def put(self, key: str, entries: tuple[str, ...]) -> None:
        """Remember what a thread is about now."""
        with self._lock:
            self._items.pop(key, None)
            self._items[key] = (self._clock(), entries)
            while len(self._items) > self._limit:
                self._items.popitem(last=False)
