"""The HTTP door: every POST to the Request URL is checked on its raw bytes before Bolt reads it.

In order, each refusal a 4xx with one rate-limited log line and never a traceback:
405 for another method; 401 without signature headers or with a timestamp that is not a number
within five minutes of now (before a byte of the body is read); 413 for a body over the limit
(refused from Content-Length without reading it, or after reading one byte past the limit);
401 when the v0 HMAC-SHA256 over "v0:{timestamp}:{raw body}" does not match; 400 for a signed
body Slack would never send (bot/slack/shape.py). Only then does Bolt get the very bytes that were
signed. Replays of an accepted request are answered by bot/slack/replays.py, inside Bolt.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from bot.slack.refusals import RefusalLog
from bot.slack.shape import Malformed, parse_http

WSGI = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: Slack's own bodies are a few KB; a modal submission with long answers stays far below this.
MAX_BODY = 1024 * 1024
#: Slack's replay window: a request signed longer ago (or ahead) than this is refused.
WINDOW = 5 * 60
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # ASCII digits only: int() would also take "١٢٣"
_REASONS = {400: "Bad Request", 401: "Unauthorized", 405: "Method Not Allowed"}


class Refused(Exception):
    """A request the guard will not pass on: HTTP status and a fixed reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class RequestGuard:
    """WSGI middleware in front of Bolt for one path; other paths go straight to `app`."""

    def __init__(
        self,
        app: WSGI,
        signing_secret: str,
        *,
        path: str = "/slack/events",
        limit: int = MAX_BODY,
        clock: Callable[[], float] = time.time,
        refusals: RefusalLog | None = None,
    ) -> None:
        self._app, self._secret, self._path = app, signing_secret.encode(), path
        self._limit, self._clock = limit, clock
        self._refusals = refusals or RefusalLog()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Check, then hand Bolt the bytes that were read; refuse with a 4xx otherwise."""
        if environ.get("PATH_INFO") != self._path:
            return self._app(environ, start_response)
        try:
            raw = self.admit(environ)
            return self._app(with_body(environ, raw), start_response)
        except Refused as refusal:
            return self._refuse(refusal, start_response)
        except Exception as exc:  # only Bolt's request building can get here: a payload problem
            unreadable = Refused(400, f"payload Bolt cannot read ({type(exc).__name__})")
            return self._refuse(unreadable, start_response)

    def admit(self, environ: dict[str, Any]) -> bytes:
        """The raw body of a request that may go on to Bolt (Refused otherwise)."""
        if environ.get("REQUEST_METHOD") != "POST":
            raise Refused(405, "method not allowed")
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not timestamp or not signature:
            raise Refused(401, "unsigned")
        if not self.fresh(timestamp):
            raise Refused(401, "timestamp not a number within 5 minutes")
        raw = self.read(environ)
        if not self.signed(timestamp, raw, signature):
            raise Refused(401, "bad signature")
        try:
            parse_http(raw, environ.get("CONTENT_TYPE"))
        except Malformed as problem:
            raise Refused(400, str(problem)) from None
        return raw

    def fresh(self, timestamp: str) -> bool:
        """A timestamp of ASCII digits within WINDOW seconds of now (either way)."""
        if not _TIMESTAMP.fullmatch(timestamp):
            return False
        return abs(self._clock() - int(timestamp)) <= WINDOW

    def signed(self, timestamp: str, raw: bytes, signature: str) -> bool:
        """Slack's v0 signature over the raw bytes, compared in constant time."""
        base = b"v0:" + timestamp.encode("ascii") + b":" + raw
        expected = b"v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest().encode()
        # WSGI headers are latin-1 strings; a non-ASCII one simply does not match
        return hmac.compare_digest(expected, signature.encode("latin-1", "replace"))

    def read(self, environ: dict[str, Any]) -> bytes:
        """At most `limit` bytes of body; 413 past that, without reading what is announced."""
        declared = environ.get("CONTENT_LENGTH") or ""
        if declared and not (declared.isascii() and declared.isdigit()):
            raise Refused(400, "bad Content-Length")
        if declared and int(declared) > self._limit:
            raise Refused(413, "body over the size limit")
        wanted = int(declared) if declared else self._limit + 1  # chunked: read one byte past
        try:
            raw = read_up_to(environ["wsgi.input"], wanted)
        except Exception:  # the client went away or sent a broken chunk
            raise Refused(400, "unreadable body") from None
        if len(raw) > self._limit:
            raise Refused(413, "body over the size limit")
        return raw

    def _refuse(self, refusal: Refused, start_response: Callable[..., Any]) -> Iterable[bytes]:
        self._refusals.refused(f"Slack request refused with {refusal.status}", refusal.reason)
        return refuse(refusal, start_response)


def refuse(refusal: Refused, start_response: Callable[..., Any]) -> Iterable[bytes]:
    """A short plain-text answer; the connection closes (the body may be unread)."""
    text = "invalid request\n" if refusal.status == 401 else f"{refusal.reason}\n"
    body = text.encode()
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    if refusal.status == 405:
        headers.append(("Allow", "POST"))
    headers.append(("Connection", "close"))  # a body left unread must not be parsed as a request
    phrase = _REASONS.get(refusal.status, "Content Too Large")
    start_response(f"{refusal.status} {phrase}", headers)
    return [body]


def read_up_to(stream: Any, wanted: int) -> bytes:
    """Read until `wanted` bytes or the end of the stream."""
    chunks, got = [], 0
    while got < wanted:
        chunk = stream.read(min(wanted - got, 64 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def with_body(environ: dict[str, Any], raw: bytes) -> dict[str, Any]:
    """The environ Bolt gets: the bytes already read, as a fresh stream of known length."""
    rebuilt = {k: v for k, v in environ.items() if k != "HTTP_TRANSFER_ENCODING"}
    rebuilt.update({"wsgi.input": io.BytesIO(raw), "CONTENT_LENGTH": str(len(raw))})
    return rebuilt
