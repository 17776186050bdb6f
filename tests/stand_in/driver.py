"""SignedDriver: sends correctly or deliberately wrongly signed Slack requests to a bot."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any, TypedDict, Unpack
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import ProxyHandler, Request, build_opener

from tests.stand_in import payloads

STALE_SECONDS = 60 * 5 + 60


def sign(signing_secret: str, timestamp: str, body: bytes) -> str:
    """Slack's v0 signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


class Spoil(TypedDict, total=False):
    """Ways to sign a request: bad_signature, unsigned, stale, or a chosen timestamp."""

    bad_signature: bool
    unsigned: bool
    stale: bool
    timestamp: int


@dataclass(frozen=True)
class DriverResponse:
    """What the bot answered."""

    status: int
    headers: dict[str, str]
    body: str

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


@dataclass
class SignedDriver:
    """Posts events, commands and interactions to `base_url` (e.g. http://127.0.0.1:PORT/slack/events)."""

    base_url: str
    signing_secret: str
    timeout: float = 10.0
    _opener: Any = field(default_factory=lambda: build_opener(ProxyHandler({})), repr=False)

    def event(
        self,
        payload: dict[str, Any],
        *,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        **how: Unpack[Spoil],
    ) -> DriverResponse:
        """Send an Events API request; a bare event is wrapped in an event_callback envelope."""
        body = (
            payload if payload.get("type") == "event_callback" else payloads.event_callback(payload)
        )
        extra: dict[str, str] = {}
        if retry_num is not None:
            extra["X-Slack-Retry-Num"] = str(retry_num)
            extra["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
        return self._send(json.dumps(body).encode(), "application/json", extra, **how)

    def url_verification(
        self, challenge: str = "challenge-token", **how: Unpack[Spoil]
    ) -> DriverResponse:
        """Send the url_verification handshake Slack does when the Request URL is saved."""
        body = {"token": "verification-token", "challenge": challenge, "type": "url_verification"}
        return self._send(json.dumps(body).encode(), "application/json", {}, **how)

    def command(self, form: dict[str, Any], **how: Unpack[Spoil]) -> DriverResponse:
        """Send a slash command as a form post."""
        return self._send(urlencode(form).encode(), "application/x-www-form-urlencoded", {}, **how)

    def interaction(self, payload: dict[str, Any], **how: Unpack[Spoil]) -> DriverResponse:
        """Send an interaction (block_actions, shortcuts, view_submission) as payload=<json>."""
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self._send(body, "application/x-www-form-urlencoded", {}, **how)

    def raw(self, body: bytes, content_type: str, **how: Unpack[Spoil]) -> DriverResponse:
        """Send any body with the chosen signing behaviour."""
        return self._send(body, content_type, {}, **how)

    def headers_for(
        self,
        body: bytes,
        *,
        bad_signature: bool = False,
        unsigned: bool = False,
        stale: bool = False,
        timestamp: int | None = None,
    ) -> dict[str, str]:
        """Signature headers for a body; flags spoil them (unsigned, bad_signature, stale)."""
        if unsigned:
            return {}
        ts = timestamp if timestamp is not None else int(time.time())
        if stale:
            ts -= STALE_SECONDS
        secret = self.signing_secret + ("-wrong" if bad_signature else "")
        return {
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(secret, str(ts), body),
        }

    def _send(
        self, body: bytes, content_type: str, extra: dict[str, str], **how: Unpack[Spoil]
    ) -> DriverResponse:
        """POST a body with signature headers and return the bot's answer."""
        headers = {
            "Content-Type": content_type,
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        headers.update(self.headers_for(body, **how))
        headers.update(extra)
        request = Request(self.base_url, data=body, headers=headers, method="POST")
        try:
            with self._opener.open(request, timeout=self.timeout) as resp:
                return DriverResponse(resp.status, dict(resp.headers.items()), resp.read().decode())
        except HTTPError as error:
            text = error.read().decode()
            return DriverResponse(error.code, dict(error.headers.items()), text)
