"""Posting to Slack under one policy: retry what is worth retrying, log and record the rest."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.webhook import WebhookClient

log = logging.getLogger("toolkit_bot.delivery")


def retry_handlers() -> list[RetryHandler]:
    """429 (honouring Retry-After), 5xx and connection errors are retried a few times."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
        ConnectionErrorRetryHandler(max_retry_count=2),
    ]


@dataclass(frozen=True, slots=True)
class Failure:
    """A message that could not be delivered, and why."""

    what: str
    reason: str


class FailureBackend(Protocol):
    """Where failures are also persisted (the store), beside the in-memory list."""

    def save(self, what: str, reason: str) -> None: ...


class Failures:
    """The last undelivered messages, in memory, and persisted when there is a backend."""

    def __init__(self, keep: int = 200, backend: FailureBackend | None = None) -> None:
        self._items: deque[Failure] = deque(maxlen=keep)
        self._lock = threading.Lock()
        self._backend = backend

    def record(self, what: str, reason: str) -> None:
        """Remember one failure and log it (a backend error is logged, never raised)."""
        log.warning("could not deliver %s: %s", what, reason)
        with self._lock:
            self._items.append(Failure(what, reason))
        if self._backend is not None:
            try:
                self._backend.save(what, reason)
            except Exception:
                log.exception("could not persist the failure to deliver %s", what)

    def recent(self) -> list[Failure]:
        """The failures remembered, oldest first."""
        with self._lock:
            return list(self._items)


def deliver(failures: Failures, what: str, call: Callable[[], Any]) -> bool:
    """Run one Web API call; a Slack error or a network failure is recorded, never raised."""
    try:
        call()
    except SlackApiError as exc:
        failures.record(what, str(exc.response.get("error", exc.response.status_code)))
        return False
    except OSError as exc:
        failures.record(what, f"network error: {exc}")
        return False
    return True


def respond(failures: Failures, url: str | None, what: str, message: dict[str, Any]) -> bool:
    """Post to a response_url with retries; a non-200 answer is recorded."""
    if not url:
        failures.record(what, "no response_url in the request")
        return False
    client = WebhookClient(url, retry_handlers=retry_handlers())
    try:
        result = client.send_dict(message)
    except OSError as exc:
        failures.record(what, f"network error: {exc}")
        return False
    if result.status_code != 200:
        failures.record(what, f"response_url answered {result.status_code}: {result.body[:200]}")
        return False
    return True
