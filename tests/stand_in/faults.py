"""Programmable failures and slowness for the fake Web API."""

from __future__ import annotations

import random
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
    after_commit: bool = False  # do the method's work first, then answer with this failure
    reset: bool = False  # answer nothing: reset the connection (before or after the work)

    def outcome(self) -> Outcome:
        """The answer this fault produces."""
        headers = dict(self.headers)
        return Outcome(dict(self.body), status=self.status, headers=headers, reset=self.reset)


@dataclass
class Chaos:
    """Failures at random, at given rates, for load and fault runs (seeded: repeatable)."""

    rate_limited: float = 0.0  # 429 with Retry-After
    server_error: float = 0.0  # 500 before doing anything
    after_commit: float = 0.0  # 500 after doing the work (the message was posted)
    reset: float = 0.0  # connection reset instead of an answer: half before the work, half after
    retry_after: int = 1
    seed: int = 7

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def draw(self) -> Fault | None:
        """This call's failure, if any."""
        roll = self._random.random()
        if roll < self.rate_limited:
            body = {"ok": False, "error": "ratelimited"}
            return Fault(429, body, {"Retry-After": str(self.retry_after)})
        roll -= self.rate_limited
        if roll < self.server_error:
            return Fault(500, {"ok": False, "error": "internal_error"})
        roll -= self.server_error
        if roll < self.after_commit:
            return Fault(500, {"ok": False, "error": "internal_error"}, after_commit=True)
        roll -= self.after_commit
        if roll < self.reset:
            return Fault(0, {}, reset=True, after_commit=roll < self.reset / 2)
        return None


class Faults:
    """Per-method queues of faults plus per-method delays; `*` matches any method."""

    def __init__(self) -> None:
        """Start with no faults."""
        self._lock = threading.Lock()
        self._queues: dict[str, list[Fault]] = {}
        self._delays: dict[str, float] = {}
        self._chaos: dict[str, Chaos] = {}

    def set_chaos(self, method: str, chaos: Chaos | None) -> None:
        """Fail this method at random from now on (None stops)."""
        with self._lock:
            if chaos is None:
                self._chaos.pop(method, None)
            else:
                self._chaos[method] = chaos

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
            chaos = self._chaos.get(method)
            return chaos.draw() if chaos is not None else None

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
            self._chaos.clear()
