"""A signed request replayed within Slack's five-minute window is answered once.

The guard (bot/slack/guard.py) only lets through a request whose signature matches and whose
timestamp is fresh, so a copy of one sent again within five minutes would pass it: this Bolt
middleware remembers each accepted (timestamp, signature) in the services' `seen` memory (the
shared database when there is one, so a replay reaching another instance is caught too, and
this process's memory) and acks a repeat with an empty 200 without running any listener. Slack's
own retries of an event are new requests (new timestamp and signature); the event listeners
deduplicate those by event_id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

from bot.slack.refusals import RefusalLog
from bot.slack.services import Services


def replay_key(headers: Mapping[str, Sequence[str]]) -> str | None:
    """The key an HTTP request is remembered by (None in Socket Mode: nothing is signed)."""
    timestamp = (headers.get("x-slack-request-timestamp") or [""])[0]
    signature = (headers.get("x-slack-signature") or [""])[0]
    if not timestamp or not signature:
        return None
    return f"request:{timestamp}:{signature}"


def answer_once(
    services: Services, refusals: RefusalLog | None = None
) -> Callable[..., BoltResponse]:
    """Bolt global middleware: the first delivery goes on, a replay gets an empty 200."""
    log = refusals or RefusalLog()

    def middleware(
        request: BoltRequest, response: BoltResponse, next_: Callable[[], Any]
    ) -> BoltResponse:
        key = replay_key(request.headers)
        # Work the intake recorded is already keyed by what the request is (a replay of it has
        # the same key and was dropped there): no second write before the ack.
        if key is None or "work" in request.context or services.seen.first_time(key):
            next_()
            return response
        log.refused("Slack request acked but not run", "a replay of one already accepted")
        return BoltResponse(status=200, body="")

    return middleware
