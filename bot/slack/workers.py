"""A fixed set of daemon threads sharing one condition: the work pool's and the sender's."""

from __future__ import annotations

import threading
from collections.abc import Callable


class Workers:
    """Threads that run `target` until `stop`; the owner waits on `cond` and checks `stopping`."""

    def __init__(self, target: Callable[[], None], *, count: int, name: str) -> None:
        self.cond = threading.Condition()
        self.stopping = False
        self._threads = [
            threading.Thread(target=target, name=f"{name}-{i}", daemon=True) for i in range(count)
        ]

    def start(self) -> None:
        """Start every thread."""
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float) -> None:
        """Ask every thread to stop, wake them, and wait up to `timeout` for each."""
        with self.cond:
            self.stopping = True
            self.cond.notify_all()
        for thread in self._threads:
            thread.join(timeout)
