"""Thread-safe records of what the stand-in received and answered."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    """What the stand-in answers to one request."""

    body: dict[str, Any]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    rejected: bool = False
    reasons: list[str] = field(default_factory=list)
    reset: bool = False  # no answer at all: the connection is reset (RST) instead


def ok(**fields: Any) -> Outcome:
    """Build a successful Slack answer."""
    return Outcome({"ok": True, **fields})


def err(error: str, status: int = 200, **extra: Any) -> Outcome:
    """Build a Slack error answer (HTTP 200 unless told otherwise)."""
    return Outcome({"ok": False, "error": error, **extra}, status=status)


def rejected(error: str, reasons: list[str]) -> Outcome:
    """Build an answer for content Slack refuses (block limits, long text, no text)."""
    body: dict[str, Any] = {"ok": False, "error": error}
    if reasons:
        body["errors"] = list(reasons)
        body["response_metadata"] = {"messages": [f"[ERROR] {r}" for r in reasons]}
    return Outcome(body, rejected=True, reasons=list(reasons))


@dataclass(frozen=True)
class Call:
    """One Web API call as the stand-in saw it (headers have lower-case names)."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    at: float
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)
    rejected: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the stand-in answered ok."""
        return bool(self.response.get("ok"))


@dataclass(frozen=True)
class ResponsePost:
    """One POST to a response_url."""

    id: str
    body: dict[str, Any]
    at: float = field(default_factory=time.time)
    headers: dict[str, str] = field(default_factory=dict)
    rejected: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def response_type(self) -> str | None:
        """The response_type field, if any."""
        return self.body.get("response_type")

    @property
    def replace_original(self) -> bool:
        """Whether the post asked to replace the original message."""
        return _truthy(self.body.get("replace_original"))

    @property
    def delete_original(self) -> bool:
        """Whether the post asked to delete the original message."""
        return _truthy(self.body.get("delete_original"))


def _truthy(value: Any) -> bool:
    """Read Slack's loose booleans (True, "true", "1")."""
    return value is True or str(value).lower() in ("true", "1")


class EventLog(Generic[T]):
    """An append-only list whose readers can block until enough items arrive."""

    def __init__(self) -> None:
        """Create an empty log."""
        self._items: list[T] = []
        self._cond = threading.Condition()

    def append(self, item: T) -> None:
        """Add an item and wake any waiters."""
        with self._cond:
            self._items.append(item)
            self._cond.notify_all()

    def snapshot(self) -> list[T]:
        """Copy of the items so far."""
        with self._cond:
            return list(self._items)

    def clear(self) -> None:
        """Forget every item."""
        with self._cond:
            self._items.clear()

    def wait_for(
        self, match: Callable[[T], bool], count: int, timeout: float, what: str
    ) -> list[T]:
        """Block until at least `count` items match; return every match or raise TimeoutError."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [item for item in self._items if match(item)]
                remaining = deadline - time.monotonic()
                if len(found) >= count:
                    return found
                if remaining <= 0:
                    raise TimeoutError(
                        f"waited {timeout}s for {count} x {what}, got {len(found)} "
                        f"(all so far: {self._items!r})"
                    )
                self._cond.wait(remaining)
