"""FakeSlack: local HTTP stand-in for slack.com/api/ (WebClient(base_url=fake.api_url))."""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from tests.stand_in.block_limits import message_problem
from tests.stand_in.controls import Controls
from tests.stand_in.faults import Faults
from tests.stand_in.http_body import bearer_token, parse_params
from tests.stand_in.records import Call, EventLog, Outcome, ResponsePost, err
from tests.stand_in.router import Router
from tests.stand_in.socket_mode import SocketModeStandIn
from tests.stand_in.workspace import Workspace


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its FakeSlack."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], fake: FakeSlack) -> None:
        """Bind the server to an address."""
        super().__init__(address, _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    """Reads one request and hands it to FakeSlack."""

    server: _Server

    def do_POST(self) -> None:
        """Serve POST (Slack accepts POST for every method)."""
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        outcome = self.server.fake.dispatch(url.path, url.query, headers, body)
        if outcome.reset:  # SO_LINGER 0: closing sends RST, the client reads ECONNRESET
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        payload = json.dumps(outcome.body).encode("utf-8")
        self.send_response(outcome.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in outcome.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


class FakeSlack(Controls):
    """Local Slack Web API + response_url + Socket Mode stand-in; use as a context manager."""

    def __init__(
        self,
        *,
        tokens: Iterable[str] = ("xoxb-test-bot", "xapp-test-app"),
        team_id: str = "T0001",
        team_name: str = "Toolkit Test Workspace",
        bot_user_id: str = "UBOT",
        bot_id: str = "BBOT",
        app_id: str = "A0001",
        host: str = "127.0.0.1",
        socket_url: Callable[[], str] | None = None,
    ) -> None:
        """Configure the workspace; nothing listens until start(). `socket_url` makes
        apps.connections.open hand out another Socket Mode server's URLs (a load generator's
        in another process, benchmarks/load.py) instead of this stand-in's own."""
        self.workspace = Workspace(
            team_id=team_id,
            team_name=team_name,
            app_id=app_id,
            bot_user_id=bot_user_id,
            bot_id=bot_id,
        )
        self.workspace.seed(tokens)
        self.faults = Faults()
        self.socket = SocketModeStandIn(host=host, app_id=app_id)
        self._host = host
        self._calls: EventLog[Call] = EventLog()
        self._responses: EventLog[ResponsePost] = EventLog()
        self._stopping = threading.Event()
        issue = socket_url or self.socket.issue_url
        self._router = Router(self.workspace, self.faults, issue, self._stopping)
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        """Start the HTTP and WebSocket servers on free ports."""
        self._stopping.clear()
        self._httpd = _Server((self._host, 0), self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-slack-http",
            daemon=True,
        )
        self._thread.start()
        self.socket.start()
        return self

    def stop(self) -> None:
        """Stop both servers and wait for their threads."""
        self._stopping.set()
        self.socket.stop()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd, self._thread = None, None

    def __enter__(self) -> FakeSlack:
        """Start on entering a with-block."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop on leaving a with-block."""
        self.stop()

    @property
    def port(self) -> int:
        """The HTTP port."""
        if self._httpd is None:
            raise RuntimeError("FakeSlack is not started")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://{self._host}:{self.port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL for WebClient(base_url=...), ending in /api/."""
        return f"{self.base_url}/api/"

    def response_url(self, token: str | None = None) -> str:
        """A response_url served by the stand-in (a fresh id when none is given)."""
        return f"{self.base_url}/response/{token or uuid.uuid4().hex}"

    # -- request handling ------------------------------------------------------------------

    def dispatch(self, path: str, query: str, headers: dict[str, str], body: bytes) -> Outcome:
        """Route one HTTP request to the Web API or a response_url."""
        if path.startswith("/api/"):
            return self._api_call(path[len("/api/") :], query, headers, body)
        if path.startswith("/response/"):
            return self._response_post(path[len("/response/") :], headers, body)
        return err("not_found", status=404)

    def _api_call(self, method: str, query: str, headers: dict[str, str], body: bytes) -> Outcome:
        """Answer and record one Web API call."""
        try:
            params = parse_params(headers.get("content-type", ""), body, query)
        except ValueError:
            params, outcome = {"_raw": body.decode("utf-8", "replace")}, err("invalid_json")
        else:
            outcome = self._router.handle(method, params, headers, bearer_token(headers, params))
        self._calls.append(
            Call(
                method,
                params,
                headers,
                time.time(),
                outcome.status,
                outcome.body,
                outcome.rejected,
                outcome.reasons,
            )
        )
        return outcome

    def _response_post(self, post_id: str, headers: dict[str, str], body: bytes) -> Outcome:
        """Record a response_url post and check its blocks."""
        try:
            payload = json.loads(body.decode("utf-8") or "{}")
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            outcome = err("invalid_payload", status=400)
        else:
            outcome = self._response_outcome(payload)
        self._responses.append(
            ResponsePost(
                post_id,
                payload if isinstance(payload, dict) else {},
                time.time(),
                headers,
                outcome.status != 200,
                outcome.reasons,
            )
        )
        return outcome

    @staticmethod
    def _response_outcome(payload: dict[str, Any]) -> Outcome:
        """Slack's answer to a response_url post: ok, or 400 with the problem."""
        if str(payload.get("delete_original")).lower() in ("true", "1"):
            return Outcome({"ok": True})
        error, reasons = message_problem(payload)
        if not error:
            return Outcome({"ok": True})
        body: dict[str, Any] = {"ok": False, "error": error}
        if reasons:
            body["errors"] = reasons
        return Outcome(body, status=400, rejected=True, reasons=reasons)

    # -- records ---------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every Web API call so far, oldest first."""
        return self._calls.snapshot()

    def calls_to(self, method: str) -> list[Call]:
        """Calls to one method."""
        return [c for c in self._calls.snapshot() if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until `count` calls to `method` arrived; return them all (TimeoutError if not)."""
        return self._calls.wait_for(lambda c: c.method == method, count, timeout, method)

    @property
    def responses(self) -> list[ResponsePost]:
        """Every response_url post so far."""
        return self._responses.snapshot()

    def wait_for_response(self, count: int = 1, timeout: float = 5.0) -> list[ResponsePost]:
        """Block until `count` response_url posts arrived."""
        return self._responses.wait_for(lambda _: True, count, timeout, "response_url posts")

    def reset(self) -> None:
        """Forget calls, responses, acks and faults (workspace data stays)."""
        self._calls.clear()
        self._responses.clear()
        self.faults.clear()
        self.socket.reset()
