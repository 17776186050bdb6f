"""SignedDriver signs like Slack: slack_sdk's verifier and a real Bolt HTTP app accept it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from tests.stand_in import payloads
from tests.stand_in.driver import SignedDriver, Spoil
from tests.stand_in.web_api import FakeSlack

Captured = list[tuple[dict[str, str], bytes]]


class _Capture(BaseHTTPRequestHandler):
    """Records each request's headers and raw body; answers 200."""

    server: Any

    def do_POST(self) -> None:
        """Record and answer."""
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.captured.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


def serve(server: Any) -> Iterator[str]:
    """Run a server in a thread, yield its URL, then shut it down."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def capture() -> Iterator[tuple[str, Captured]]:
    """A plain HTTP endpoint that records what the driver sent."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Capture)
    server.captured = []  # type: ignore[attr-defined]
    for url in serve(server):
        yield url, server.captured  # type: ignore[attr-defined]


def test_signatures_verify_with_slack_sdk(
    capture: tuple[str, Captured], signing_secret: str
) -> None:
    url, captured = capture
    driver = SignedDriver(url, signing_secret)
    driver.event(payloads.dm_message())
    driver.url_verification("abc")
    driver.command(payloads.slash_command("x"))
    driver.interaction(payloads.block_actions())
    verifier = SignatureVerifier(signing_secret)
    assert len(captured) == 4
    assert all(verifier.is_valid_request(body, headers) for headers, body in captured)
    assert captured[0][0]["content-type"] == "application/json"
    assert captured[2][0]["content-type"] == "application/x-www-form-urlencoded"
    assert "payload" in parse_qs(captured[3][1].decode())


def test_spoiled_signatures_fail(capture: tuple[str, Captured], signing_secret: str) -> None:
    url, captured = capture
    driver = SignedDriver(url, signing_secret)
    driver.event(payloads.dm_message(), bad_signature=True)
    driver.event(payloads.dm_message(), stale=True)
    driver.event(payloads.dm_message(), unsigned=True)
    verifier = SignatureVerifier(signing_secret)
    assert not any(verifier.is_valid_request(body, headers) for headers, body in captured)
    assert "x-slack-signature" not in captured[2][0]


def test_event_envelope_and_retry_headers(
    capture: tuple[str, Captured], signing_secret: str
) -> None:
    url, captured = capture
    SignedDriver(url, signing_secret).event(
        payloads.app_mention(), retry_num=2, retry_reason="http_timeout"
    )
    headers, body = captured[0]
    assert (headers["x-slack-retry-num"], headers["x-slack-retry-reason"]) == ("2", "http_timeout")
    assert b'"type": "event_callback"' in body and b'"event_id": "Ev' in body


# -- a real Bolt app over HTTP ---------------------------------------------------------------


class _QuietWSGI(WSGIRequestHandler):
    """WSGI handler without access logs."""

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """wsgiref server with a thread per request."""

    daemon_threads = True


def build_app(fake: FakeSlack, signing_secret: str) -> App:
    """A Bolt HTTP app whose listeners answer through the stand-in."""
    app = App(
        client=WebClient(token="xoxb-test-bot", base_url=fake.api_url),
        signing_secret=signing_secret,
    )

    @app.event("message")
    def on_message(event: dict[str, Any], say: Any) -> None:
        say(f"echo: {event['text']}")

    @app.command("/toolkit")
    def on_command(ack: Any, command: dict[str, Any]) -> None:
        ack(f"Looking up {command['text']}")

    @app.action("feedback_helpful")
    def on_action(ack: Any, respond: Any) -> None:
        ack()
        respond(text="thanks", replace_original=True)

    @app.shortcut("ask_toolkit")
    def on_shortcut(ack: Any, respond: Any, shortcut: dict[str, Any]) -> None:
        ack()
        respond(text=f"asked: {shortcut['message']['text']}", response_type="ephemeral")

    @app.view("feedback_modal")
    def on_view(ack: Any) -> None:
        ack(response_action="errors", errors={"comment": "Too short"})

    return app


@pytest.fixture
def bolt_url(fake_slack: FakeSlack, signing_secret: str) -> Iterator[str]:
    """URL of a real Bolt app served over HTTP (WSGI) and wired to the stand-in."""
    wsgi = SlackRequestHandler(build_app(fake_slack, signing_secret))
    server = make_server("127.0.0.1", 0, wsgi, _ThreadingWSGIServer, _QuietWSGI)
    yield from serve(server)


def test_bolt_url_verification(bolt_url: str, signing_secret: str) -> None:
    response = SignedDriver(bolt_url, signing_secret).url_verification("c-123")
    assert response.status == 200 and response.json() == {"challenge": "c-123"}


def test_bolt_event_reaches_chat_post_message(
    bolt_url: str, signing_secret: str, fake_slack: FakeSlack
) -> None:
    response = SignedDriver(bolt_url, signing_secret).event(payloads.dm_message("hi"))
    assert response.status == 200
    assert fake_slack.wait_for("chat.postMessage")[0].params["text"] == "echo: hi"


@pytest.mark.parametrize(
    "spoil", [Spoil(bad_signature=True), Spoil(stale=True), Spoil(unsigned=True)], ids=str
)
def test_bolt_rejects_spoiled_requests(
    bolt_url: str, signing_secret: str, fake_slack: FakeSlack, spoil: Spoil
) -> None:
    response = SignedDriver(bolt_url, signing_secret).event(payloads.dm_message(), **spoil)
    assert response.status == 401
    assert fake_slack.calls_to("chat.postMessage") == []


def test_bolt_command_ack_body(bolt_url: str, signing_secret: str) -> None:
    response = SignedDriver(bolt_url, signing_secret).command(payloads.slash_command("burglary"))
    assert (response.status, response.body) == (200, "Looking up burglary")


def test_bolt_interactions_use_response_url(
    bolt_url: str, signing_secret: str, fake_slack: FakeSlack
) -> None:
    driver = SignedDriver(bolt_url, signing_secret)
    action = payloads.block_actions(response_url=fake_slack.response_url("act"))
    assert driver.interaction(action).status == 200
    shortcut = payloads.message_action(response_url=fake_slack.response_url("sc"))
    assert driver.interaction(shortcut).status == 200
    posts = {p.id: p for p in fake_slack.wait_for_response(2)}
    assert posts["act"].replace_original and posts["act"].body["text"] == "thanks"
    assert posts["sc"].body["text"] == "asked: What works on burglary?"


def test_bolt_view_submission_ack(bolt_url: str, signing_secret: str) -> None:
    values = payloads.input_values(comment=("comment_input", "ok"))
    response = SignedDriver(bolt_url, signing_secret).interaction(
        payloads.view_submission(values=values)
    )
    assert response.json() == {"response_action": "errors", "errors": {"comment": "Too short"}}
