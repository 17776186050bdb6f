"""The sender: every message the bot owes Slack, delivered once, whatever Slack says.

Deliveries wait in a heap ordered by when they may go. A few worker threads take the next due
one; none of them ever sleeps inside a retry:

- 429: the workspace's method pauses for Retry-After; the message is rescheduled, and other
  workspaces' and methods' messages go on;
- one channel gets at most a short burst, then about one message a second (Slack's pace for
  chat.postMessage);
- a 5xx, a time-out or a reset after the request went out may mean Slack posted it: the
  message is marked uncertain, and before posting again the sender reads the thread (or DM)
  back and looks for the delivery's id in the messages' metadata;
- an error that will not change (channel_not_found, invalid_blocks, ...) or the deadline
  abandons the message with Slack's reason, recorded in the ledger (and the report).
"""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.metrics import Metrics
from bot.slack.workers import Workers
from bot.store.outbox import Owed

log = logging.getLogger("toolkit_bot.delivery")

METADATA_TYPE = "toolkit_bot_delivery"
#: Methods whose messages can be read back to see whether an uncertain post landed.
CHECKABLE = frozenset({"chat.postMessage"})
#: Slack errors that no retry will fix.
PERMANENT = frozenset(
    """
    channel_not_found not_in_channel is_archived invalid_auth account_inactive token_revoked
    no_permission missing_scope invalid_blocks invalid_blocks_format msg_too_long
    invalid_arguments user_not_in_channel expired_trigger_id invalid_trigger_id view_too_large
    too_many_attachments not_authed restricted_action cannot_unfurl_url
    """.split()
)
BURST, PER_SECOND = 3.0, 1.0


class Ledger(Protocol):
    """Where deliveries are recorded (the database, or nowhere when there is none)."""

    def sent(self, owed: Owed, ts: str | None) -> None: ...

    def retry(self, owed: Owed, next_at: datetime, error: str) -> None: ...

    def abandon(self, owed: Owed, reason: str) -> None: ...


def utc_now() -> datetime:
    """Now as naive UTC (the schema's convention)."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one attempt ended."""

    kind: str  # sent | retry | uncertain | abandon
    reason: str = ""
    ts: str | None = None
    wait: float = 0.0  # seconds, for retry (Retry-After)
    code: str = ""  # what failed, for the metrics: Slack's error, http_<status>, or network


class Pace:
    """Token buckets per (team, channel): a short burst, then about one message a second."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}

    def wait_for(self, team: str, channel: str) -> float:
        """Seconds until the channel can take a message (0: take it now, and count it)."""
        now = self._clock()
        tokens, at = self._buckets.get((team, channel), (BURST, now))
        tokens = min(BURST, tokens + (now - at) * PER_SECOND)
        if tokens >= 1.0:
            self._buckets[(team, channel)] = (tokens - 1.0, now)
            return 0.0
        self._buckets[(team, channel)] = (tokens, now)
        return (1.0 - tokens) / PER_SECOND


class Sender:
    """Worker threads delivering what is owed, in order of when each may go."""

    def __init__(
        self,
        client_for: Callable[[str], WebClient | None],
        ledger: Ledger,
        *,
        workers: int = 4,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = utc_now,
        on_sent: Callable[[Owed, str | None], None] | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self._client_for, self._ledger, self._metrics = client_for, ledger, metrics
        self._clock, self._wall, self._on_sent = clock, wall, on_sent
        self._heap: list[tuple[float, int, Owed]] = []
        self._known: set[str] = set()
        self._count = itertools.count()
        self._pace = Pace(clock)
        self._paused: dict[tuple[str, str], float] = {}
        self._workers = Workers(self._work, count=workers, name="sender")
        self._cond = self._workers.cond
        self._clients: dict[str, WebClient] = {}

    def start(self) -> Sender:
        """Start the worker threads."""
        self._workers.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the attempts in progress."""
        self._workers.stop(timeout)

    def schedule(self, owed: Owed, delay: float = 0.0) -> bool:
        """Queue a delivery (once: an id already queued or in flight is not added again)."""
        with self._cond:
            if owed.id in self._known:
                return False
            self._known.add(owed.id)
            heapq.heappush(self._heap, (self._clock() + delay, next(self._count), owed))
            self._cond.notify()
        return True

    @property
    def depth(self) -> int:
        """Deliveries queued or in flight here."""
        with self._cond:
            return len(self._known)

    def oldest_age(self) -> float:
        """Seconds since the oldest queued delivery was created (0 when none)."""
        with self._cond:
            created = [o.created_at for _, _, o in self._heap]
        return max(0.0, (self._wall() - min(created)).total_seconds()) if created else 0.0

    # -- the workers -----------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            owed = self._next()
            if owed is None:
                return
            try:
                self._deliver(owed)
            except Exception:  # a bug must not kill the worker or lose the message
                log.exception("delivery %s (%s) failed unexpectedly", owed.id, owed.purpose)
                self._reschedule(owed, 5.0, "unexpected error in the sender")

    def _next(self) -> Owed | None:
        with self._cond:
            while True:
                if self._workers.stopping:
                    return None
                if not self._heap:
                    self._cond.wait()
                    continue
                ready, _, owed = self._heap[0]
                now = self._clock()
                if ready > now:
                    self._cond.wait(min(ready - now, 1.0))
                    continue
                blocked = self._blocked(owed)
                if blocked > 0:  # its channel or workspace must wait: let others go first
                    heapq.heapreplace(self._heap, (now + blocked, next(self._count), owed))
                    continue
                heapq.heappop(self._heap)
                return owed

    def _blocked(self, owed: Owed) -> float:
        """Seconds until a workspace pause ends or the channel has room (caller holds lock)."""
        paused = self._paused.get((owed.team_id, owed.method), 0.0) - self._clock()
        if paused > 0:
            return paused
        if owed.method == "chat.postMessage":
            return self._pace.wait_for(owed.team_id, owed.channel)
        return 0.0

    def _deliver(self, owed: Owed) -> None:
        if self._wall() > owed.deadline:
            self._finish(owed)
            why = f"deadline passed after {owed.attempts} attempts: {owed.last_error or 'none'}"
            log.warning("gave up on %s %s: %s", owed.purpose, owed.id, why)
            self._ledger.abandon(owed, why)
            return
        if owed.uncertain and owed.method in CHECKABLE:
            found = self._landed(owed)
            if found is None:
                self._reschedule(owed, 2.0, "could not read the conversation back yet")
                return
            if found:
                self._sent(owed, found if isinstance(found, str) else None)
                return
        result = self._attempt(replace(owed, attempts=owed.attempts + 1))
        if result.kind != "sent" and self._metrics is not None:
            self._metrics.slack_error(owed.method, result.code)
        self._settle(replace(owed, attempts=owed.attempts + 1), result)

    def _settle(self, owed: Owed, result: Outcome) -> None:
        if result.kind == "sent":
            self._sent(owed, result.ts)
        elif result.kind == "abandon":
            self._finish(owed)
            log.warning("could not deliver %s %s: %s", owed.purpose, owed.id, result.reason)
            self._ledger.abandon(owed, result.reason)
        elif result.kind == "retry" and result.wait:
            with self._cond:
                key = (owed.team_id, owed.method)
                self._paused[key] = max(self._paused.get(key, 0.0), self._clock() + result.wait)
            self._reschedule(replace(owed, last_error=result.reason), result.wait, result.reason)
        else:
            uncertain = owed.uncertain or result.kind == "uncertain"
            self._reschedule(
                replace(owed, uncertain=uncertain, last_error=result.reason),
                backoff(owed.attempts),
                result.reason,
            )

    def _sent(self, owed: Owed, ts: str | None) -> None:
        self._finish(owed)
        self._ledger.sent(owed, ts)
        if self._on_sent is not None:
            self._on_sent(owed, ts)

    def _finish(self, owed: Owed) -> None:
        with self._cond:
            self._known.discard(owed.id)

    def _reschedule(self, owed: Owed, delay: float, error: str) -> None:
        self._ledger.retry(owed, self._wall() + timedelta(seconds=delay), error)
        with self._cond:
            heapq.heappush(self._heap, (self._clock() + delay, next(self._count), owed))
            self._cond.notify()

    # -- talking to Slack ------------------------------------------------------------------

    def _attempt(self, owed: Owed) -> Outcome:
        if owed.method == "response_url":
            return post_response(owed)
        client = self._client(owed.team_id)
        if client is None:
            return Outcome("abandon", f"no bot token for team {owed.team_id}", code="no_token")
        args = {k: v for k, v in owed.payload.items() if not k.startswith("_")}
        if owed.method in CHECKABLE:
            args["metadata"] = {"event_type": METADATA_TYPE, "event_payload": {"id": owed.id}}
        try:
            response = client.api_call(owed.method, json=args)
        except SlackApiError as exc:
            return classify(exc)
        except (OSError, TimeoutError) as exc:  # the request may have reached Slack
            return Outcome("uncertain", f"network error: {exc}", code="network")
        return Outcome("sent", ts=str(response.get("ts") or "") or None)

    def _landed(self, owed: Owed) -> str | bool | None:
        """The ts of the message if it landed, False if it did not, None if we cannot tell."""
        client = self._client(owed.team_id)
        if client is None:
            return None
        try:
            for message in read_back(client, owed):
                payload = (message.get("metadata") or {}).get("event_payload") or {}
                if payload.get("id") == owed.id:
                    return str(message.get("ts") or "") or True
        except SlackApiError as exc:
            error = exc.response.get("error")
            if error == "thread_not_found":
                return False  # no such thread: our reply cannot be in it
            if error in UNREADABLE:  # never readable (an install without the history scopes)
                log.warning(
                    "cannot read %s back (%s): posting %s again", owed.channel, error, owed.id
                )
                return False
            self._unreadable(owed, exc)
            return None
        except (OSError, TimeoutError) as exc:
            self._unreadable(owed, exc)
            return None
        return False

    def _unreadable(self, owed: Owed, exc: Exception) -> None:
        """Note that a conversation could not be read back (so whether it landed is unknown)."""
        log.info("could not read back %s to check delivery %s: %s", owed.channel, owed.id, exc)
        if self._metrics is not None:
            method = "conversations.replies" if owed.thread_ts else "conversations.history"
            code = classify(exc).code if isinstance(exc, SlackApiError) else "network"
            self._metrics.slack_error(method, code)

    def _client(self, team_id: str) -> WebClient | None:
        """The workspace's client, without retry handlers: retries are the sender's job."""
        found = self._client_for(team_id)
        if found is None:
            return None
        key = f"{found.base_url}|{found.token}"
        if key not in self._clients:
            # retry_handlers=[]: slack_sdk's default retries a reset connection blindly, and a
            # reset after Slack posted then doubled the answer (tests/slack/test_e2e_outages.py)
            self._clients[key] = WebClient(
                token=found.token, base_url=found.base_url, timeout=10, retry_handlers=[]
            )
        return self._clients[key]


#: Read-back errors that will not go away by waiting: then the sender posts again (at worst a
#: duplicate) rather than hold the answer back until its deadline.
UNREADABLE = frozenset(
    {"missing_scope", "not_in_channel", "channel_not_found", "not_allowed_token_type"}
)


def read_back(client: WebClient, owed: Owed) -> list[dict[str, Any]]:
    """The messages where an uncertain post would be: its thread, or the channel since then."""
    if owed.thread_ts:
        found = client.conversations_replies(
            channel=owed.channel, ts=owed.thread_ts, include_all_metadata=True, limit=200
        )
    else:  # the latest messages, with no time bound: Slack's clock and ours may differ
        found = client.conversations_history(
            channel=owed.channel, include_all_metadata=True, limit=100
        )
    return list(found.get("messages") or [])


def classify(exc: SlackApiError) -> Outcome:
    """Slack's error answer as an outcome."""
    status = int(getattr(exc.response, "status_code", 200) or 200)
    error = str(exc.response.get("error", "") or f"HTTP {status}")
    code = str(exc.response.get("error", "") or f"http_{status}")
    if status == 429 or error == "ratelimited":
        headers = getattr(exc.response, "headers", {}) or {}
        wait = float(headers.get("Retry-After") or headers.get("retry-after") or 1)
        return Outcome(
            "retry", f"rate limited for {wait:g} s", wait=max(wait, 0.5), code="ratelimited"
        )
    if status >= 500:  # Slack may have done it before failing
        return Outcome("uncertain", f"{error} (HTTP {status})", code=code)
    if error in PERMANENT:
        return Outcome("abandon", error, code=code)
    return Outcome("retry", error, code=code)


def post_response(owed: Owed) -> Outcome:
    """A message to a response_url (commands and buttons): it cannot be read back, so a 5xx is
    retried; at worst the person sees a private reply twice."""
    body = json.dumps(owed.payload["body"]).encode("utf-8")
    request = urllib.request.Request(
        owed.payload["url"], data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
        return Outcome("sent")
    except urllib.error.HTTPError as exc:
        code = f"http_{exc.code}"
        if exc.code == 429:
            wait = float(exc.headers.get("Retry-After") or 1)
            return Outcome("retry", "rate limited", wait=wait, code="ratelimited")
        if exc.code >= 500:
            return Outcome("retry", f"response_url answered {exc.code}", code=code)
        return Outcome("abandon", f"response_url answered {exc.code}", code=code)
    except (OSError, TimeoutError) as exc:
        return Outcome("retry", f"network error: {exc}", code="network")


def backoff(attempts: int) -> float:
    """Seconds before another try: 1, 2, 4 ... up to 30, with a little jitter."""
    return min(30.0, 2.0 ** max(0, attempts - 1)) * random.uniform(0.8, 1.2)
