"""Raw HTTP to the bot's /slack/events: any bytes, any headers, signed or not, partial bodies."""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import socket
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

from tests.stand_in import sign
from tests.stand_in.fixtures import SIGNING_SECRET

PATH = "/slack/events"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
#: What must never be in the bot's log: a Python traceback, and Slack secrets.
SECRETS = re.compile(r"\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]+|" + re.escape(SIGNING_SECRET))


def address(base_url: str) -> tuple[str, int]:
    """(host, port) of http://host:port."""
    parts = urlsplit(base_url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def signature(
    body: bytes, timestamp: str | None = None, secret: str = SIGNING_SECRET
) -> dict[str, str]:
    """Slack's signature headers for `body` (now, unless a timestamp is given)."""
    ts = timestamp if timestamp is not None else str(int(time.time()))
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sign(secret, ts, body)}


def post(
    base_url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    method: str = "POST",
    path: str = PATH,
) -> tuple[int, bytes]:
    """Send one request on a fresh connection; (status, response body)."""
    host, port = address(base_url)
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def signed(base_url: str, body: bytes, content_type: str, **extra: str) -> tuple[int, bytes]:
    """POST `body` correctly signed."""
    return post(base_url, body, {"Content-Type": content_type, **signature(body), **extra})


def partial(base_url: str, head: dict[str, str], sent: bytes, *, chunked: bool = False) -> int:
    """Send the headers and `sent` (all of the body if chunked, in one chunk), read the status."""
    host, port = address(base_url)
    lines = [f"POST {PATH} HTTP/1.1", f"Host: {host}"] + [f"{k}: {v}" for k, v in head.items()]
    if chunked:
        lines.append("Transfer-Encoding: chunked")
        sent = f"{len(sent):x}\r\n".encode() + sent + b"\r\n0\r\n\r\n"
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        with contextlib.suppress(OSError):  # the bot may close as soon as it has answered
            sock.sendall(sent)
        status_line = sock.recv(200).split(b"\r\n", 1)[0]
    return int(status_line.split(b" ")[1])


def form(fields: dict[str, Any]) -> bytes:
    """A form body."""
    return urlencode(fields).encode()


def interaction(payload: dict[str, Any]) -> bytes:
    """An interaction's form body (payload=<json>)."""
    return form({"payload": json.dumps(payload)})


def healthy(base_url: str) -> bool:
    """GET /healthz answers 200."""
    try:
        return post(base_url, b"", {}, method="GET", path="/healthz")[0] == 200
    except OSError:
        return False


def log_problems(log: str, *markers: str) -> list[str]:
    """Lines of `log` with a traceback, a secret or one of `markers` (text sent in bodies)."""
    found = []
    for line in log.splitlines():
        if "Traceback" in line or SECRETS.search(line) or any(m in line for m in markers):
            found.append(line[:300])
    return found
