"""Programmable failures and slowness for the fake Web API."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from tests.stand_in.records import Outcome

ANY_METHOD = "*"


@dataclass
class Fault:
    """A canned failure served `times` times (None = forever)."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1

    def outcome(self) -> Outcome:
        """The answer this fault produces."""
        return Outcome(dict(self.body), status=self.status, headers=dict(self.headers))


class Faults:
    """Per-method queues of faults plus per-method delays; `*` matches any method."""

    def __init__(self) -> None:
        """Start with no faults."""
        self._lock = threading.Lock()
        self._queues: dict[str, list[Fault]] = {}
        self._delays: dict[str, float] = {}

    def add(self, method: str, fault: Fault) -> None:
        """Queue a fault for a method."""
        with self._lock:
            self._queues.setdefault(method, []).append(fault)

    def take(self, method: str) -> Fault | None:
        """Pop (or reuse, if unlimited) the next fault for this method."""
        with self._lock:
            for key in (method, ANY_METHOD):
                queue = self._queues.get(key)
                if queue:
                    return self._consume(queue)
        return None

    @staticmethod
    def _consume(queue: list[Fault]) -> Fault:
        """Use one serving of the first fault in a queue."""
        fault = queue[0]
        if fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
        return fault

    def set_delay(self, method: str, seconds: float) -> None:
        """Make a method answer slowly (0 removes the delay)."""
        with self._lock:
            if seconds > 0:
                self._delays[method] = seconds
            else:
                self._delays.pop(method, None)

    def delay_for(self, method: str) -> float:
        """Seconds to wait before answering this method."""
        with self._lock:
            return self._delays.get(method, self._delays.get(ANY_METHOD, 0.0))

    def clear(self) -> None:
        """Remove every fault and delay."""
        with self._lock:
            self._queues.clear()
            self._delays.clear()
