"""Socket Mode stand-in: a websockets.sync server speaking Slack's envelope protocol.

How a Bolt app reaches it (all Web API calls, apps.connections.open included, go to FakeSlack):

    client = WebClient(token="xoxb-test-bot", base_url=fake.api_url)
    app = App(client=client)          # NOT App(token=..., client=WebClient(base_url=...)):
                                      # Bolt then ignores token= and fails with "token required"
    handler = SocketModeHandler(app, app_token="xapp-test-app")  # web_client defaults to app.client
    handler.connect()                 # non-blocking; start() would block forever
    fake.socket.wait_connected()
    envelope_id = fake.socket.send("events_api", payloads.event_callback(payloads.dm_message()))
    fake.socket.wait_ack(envelope_id)
    ...
    close_socket_client(handler.client, fake)   # fast, clean shutdown (or handler.close())

or simply ``with socket_mode_running(handler, fake): ...`` which connects, waits and closes.

SocketModeClient.issue_new_wss_url() calls web_client.apps_connections_open(app_token=...), which
sends the xapp token as a Bearer header to ``{base_url}apps.connections.open``; the stand-in answers
``ws://127.0.0.1:PORT/link/?ticket=…&app_id=…``. The builtin client speaks plain ws:// to any port
other than 443, sends the handshake, then a ping; the server answers pings and sends ``hello``.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from tests.stand_in.records import EventLog

ENVELOPE_TYPES = ("events_api", "slash_commands", "interactive")


class SocketModeStandIn:
    """The WebSocket side of FakeSlack; `send` envelopes, `wait_ack` for the app's acks."""

    def __init__(
        self, host: str = "127.0.0.1", app_id: str = "A0001", ping_interval: float | None = None
    ) -> None:
        """Configure; nothing listens until start()."""
        self._host, self._app_id, self._ping_interval = host, app_id, ping_interval
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._tickets: set[str] = set()
        self._open: list[ServerConnection] = []
        self._cond = threading.Condition()
        self._hellos = 0
        self._acks: EventLog[dict[str, Any]] = EventLog()
        self._received: EventLog[str] = EventLog()

    def start(self) -> None:
        """Listen on a free port in a background thread."""
        self._server = serve(
            self._serve,
            self._host,
            0,
            process_request=self._check_ticket,
            compression=None,
            ping_interval=self._ping_interval,
            close_timeout=0.5,
            open_timeout=5,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-slack-socket", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Close every connection and the listener; wait for handler threads."""
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    @property
    def port(self) -> int:
        """The WebSocket port."""
        if self._server is None:
            raise RuntimeError("socket stand-in is not started")
        return int(self._server.socket.getsockname()[1])

    def issue_url(self) -> str:
        """A new ws:// URL with a ticket, as apps.connections.open returns."""
        ticket = str(uuid.uuid4())
        with self._cond:
            self._tickets.add(ticket)
        return f"ws://{self._host}:{self.port}/link/?ticket={ticket}&app_id={self._app_id}"

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        """Refuse handshakes whose path or ticket the stand-in did not issue."""
        url = urlsplit(request.path)
        ticket = (parse_qs(url.query).get("ticket") or [""])[0]
        with self._cond:
            known = ticket in self._tickets
        if url.path.rstrip("/") != "/link" or not known:
            return connection.respond(401, "invalid ticket\n")
        return None

    def _serve(self, connection: ServerConnection) -> None:
        """Per-connection loop: say hello, then record every message until close."""
        with self._cond:
            self._open.append(connection)
        try:
            connection.send(json.dumps(self._hello()))
            with self._cond:
                self._hellos += 1
                self._cond.notify_all()
            for message in connection:
                self._on_message(message if isinstance(message, str) else message.decode())
        except ConnectionClosed:
            pass
        finally:
            with self._cond:
                self._open.remove(connection)
                self._cond.notify_all()

    def _hello(self) -> dict[str, Any]:
        """The hello message Slack sends first on each connection."""
        with self._cond:
            count = len(self._open)
        debug = {
            "host": "applink-stand-in",
            "build_number": 1,
            "approximate_connection_time": 18060,
        }
        return {
            "type": "hello",
            "num_connections": count,
            "debug_info": debug,
            "connection_info": {"app_id": self._app_id},
        }

    def _on_message(self, text: str) -> None:
        """Record a client message; envelope acks also go to `acks`."""
        self._received.append(text)
        try:
            data = json.loads(text)
        except ValueError:
            return
        if isinstance(data, dict) and "envelope_id" in data:
            self._acks.append(data)

    # -- test API --------------------------------------------------------------------------

    @property
    def acks(self) -> list[dict[str, Any]]:
        """Every envelope ack the app sent, oldest first."""
        return self._acks.snapshot()

    @property
    def received(self) -> list[str]:
        """Every text message the app sent (acks included), oldest first."""
        return self._received.snapshot()

    @property
    def connected(self) -> bool:
        """True while at least one client connection is open."""
        with self._cond:
            return bool(self._open)

    @property
    def connection_count(self) -> int:
        """How many connections got a hello since start (reconnects included)."""
        with self._cond:
            return self._hellos

    def wait_connected(self, timeout: float = 5.0, *, total: int = 1) -> None:
        """Block until `total` connections have been greeted and one is open."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not (self._open and self._hellos >= total):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no Socket Mode client connected within {timeout}s")
                self._cond.wait(remaining)

    def _current(self) -> ServerConnection:
        """The newest open connection (Slack sends to one of them)."""
        with self._cond:
            if not self._open:
                raise RuntimeError("no Socket Mode client is connected")
            return self._open[-1]

    def send_raw(self, message: dict[str, Any] | str) -> None:
        """Send any message (dict as JSON) to the newest connection."""
        text = message if isinstance(message, str) else json.dumps(message)
        self._current().send(text)

    def send(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        accepts_response_payload: bool = False,
    ) -> str:
        """Send an envelope (events_api, slash_commands, interactive); return its envelope_id."""
        if type not in ENVELOPE_TYPES:
            raise ValueError(f"type must be one of {ENVELOPE_TYPES}")
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": type,
            "accepts_response_payload": accepts_response_payload,
        }
        if type == "events_api":
            envelope.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        self.send_raw(envelope)
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """Block until the app acks this envelope; return the ack ({envelope_id, payload?})."""
        acks = self._acks.wait_for(
            lambda a: a.get("envelope_id") == envelope_id, 1, timeout, f"ack of {envelope_id}"
        )
        return acks[0]

    def disconnect(self, reason: str = "warning", *, close_after: float | None = 10.0) -> None:
        """Send `disconnect`; close that link once the app reconnects (or after close_after s)."""
        old, greeted = self._current(), self.connection_count
        old.send(
            json.dumps(
                {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-stand-in"}}
            )
        )
        if close_after is not None:
            retire = threading.Thread(target=self._retire, args=(old, greeted, close_after))
            retire.daemon = True
            retire.start()

    def _retire(self, old: ServerConnection, greeted: int, close_after: float) -> None:
        """Close a link once a newer connection has been greeted (or the time is up)."""
        deadline = time.monotonic() + close_after
        with self._cond:
            while self._hellos <= greeted and old in self._open:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
        old.close(1001, "link retired")

    def drop(self, code: int = 1001, reason: str = "going away") -> None:
        """Close every open connection from the server side."""
        with self._cond:
            connections = list(self._open)
        closers = [
            threading.Thread(target=c.close, args=(code, reason), daemon=True) for c in connections
        ]
        for closer in closers:
            closer.start()
        for closer in closers:
            closer.join(timeout=5)

    def ping(self, timeout: float = 5.0) -> float:
        """Ping the newest connection; return the round trip in seconds."""
        started = time.monotonic()
        if not self._current().ping().wait(timeout):
            raise TimeoutError(f"no pong within {timeout}s")
        return time.monotonic() - started

    def reset(self) -> None:
        """Forget acks and received messages."""
        self._acks.clear()
        self._received.clear()


def close_socket_client(client: Any, fake_socket: SocketModeStandIn | Any) -> None:
    """Shut a slack_sdk builtin SocketModeClient down quickly: no reconnect, server closes first."""
    stand_in = getattr(fake_socket, "socket", fake_socket)
    client.auto_reconnect_enabled = False
    client.default_auto_reconnect_enabled = False
    stand_in.drop(1000, "test over")
    client.close()


@contextmanager
def socket_mode_running(handler: Any, fake: Any, timeout: float = 5.0) -> Iterator[Any]:
    """Connect a SocketModeHandler/SocketModeClient to the stand-in; close it fast afterwards."""
    stand_in = getattr(fake, "socket", fake)
    client = getattr(handler, "client", handler)
    expected = stand_in.connection_count + 1
    handler.connect()
    try:
        stand_in.wait_connected(timeout, total=expected)
        yield handler
    finally:
        close_socket_client(client, stand_in)
