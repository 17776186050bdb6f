"""The Socket Mode stand-in works with the real slack_sdk builtin client and Bolt's handler."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.stand_in import payloads
from tests.stand_in.socket_mode import socket_mode_running
from tests.stand_in.web_api import FakeSlack


def eventually(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Poll until check() is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"condition not met within {timeout}s")


def builtin_client(
    fake: FakeSlack, received: list[str], token: str = "xapp-test-app"
) -> SocketModeClient:
    """A raw slack_sdk builtin client aimed at the stand-in, acking with a payload."""

    def on_request(client: SocketModeClient, req: SocketModeRequest) -> None:
        client.send_socket_mode_response(
            SocketModeResponse(req.envelope_id, {"text": f"got {req.type}"})
        )

    client = SocketModeClient(
        app_token=token,
        web_client=WebClient(base_url=fake.api_url),
        on_message_listeners=[received.append],
    )
    client.socket_mode_request_listeners.append(on_request)  # type: ignore[arg-type]
    return client


def test_builtin_client_hello_envelope_ack(fake_slack: FakeSlack) -> None:
    received: list[str] = []
    with socket_mode_running(builtin_client(fake_slack, received), fake_slack):
        hello = json.loads(eventually(lambda: received and received[0]))
        assert hello["type"] == "hello" and hello["connection_info"] == {"app_id": "A0001"}
        assert {"num_connections", "debug_info"} <= hello.keys()
        envelope_id = fake_slack.socket.send(
            "slash_commands", payloads.slash_command("burglary"), accepts_response_payload=True
        )
        ack = fake_slack.socket.wait_ack(envelope_id)
        assert ack == {"envelope_id": envelope_id, "payload": {"text": "got slash_commands"}}
        assert fake_slack.socket.acks == [ack]
        envelope = json.loads(received[1])
        assert envelope["type"] == "slash_commands" and envelope["accepts_response_payload"] is True
    opened = fake_slack.calls_to("apps.connections.open")[0]
    assert opened.headers["authorization"] == "Bearer xapp-test-app"


def test_pings_both_ways(fake_slack: FakeSlack) -> None:
    client = builtin_client(fake_slack, [])
    with socket_mode_running(client, fake_slack):
        assert fake_slack.socket.ping() < 1.0
        assert client.current_session is not None
        eventually(lambda: client.current_session.last_ping_pong_time)  # type: ignore[union-attr]


def test_disconnect_message_makes_client_reconnect(fake_slack: FakeSlack) -> None:
    received: list[str] = []
    with socket_mode_running(builtin_client(fake_slack, received), fake_slack):
        fake_slack.socket.disconnect("refresh_requested")
        fake_slack.socket.wait_connected(total=2)
        eventually(lambda: fake_slack.socket.connection_count == 2)
        envelope_id = fake_slack.socket.send(
            "events_api", payloads.event_callback(payloads.dm_message())
        )
        assert fake_slack.socket.wait_ack(envelope_id)["payload"] == {"text": "got events_api"}
    assert len(fake_slack.calls_to("apps.connections.open")) == 2


def test_bad_app_token_fails_to_connect(fake_slack: FakeSlack) -> None:
    client = builtin_client(fake_slack, [], token="xapp-wrong")
    try:
        with pytest.raises(SlackApiError) as caught:
            client.connect()
        assert caught.value.response["error"] == "invalid_auth"
    finally:
        client.close()


def test_unknown_ticket_is_refused(fake_slack: FakeSlack) -> None:
    with pytest.raises(InvalidStatus) as caught:
        connect(f"ws://127.0.0.1:{fake_slack.socket.port}/link/?ticket=forged")
    assert caught.value.response.status_code == 401
    assert not fake_slack.socket.connected


# -- a real Bolt app in Socket Mode ----------------------------------------------------------


def build_app(fake: FakeSlack, seen: list[tuple[str, Any]]) -> App:
    """A Bolt app whose listeners record what they saw and answer through the stand-in."""
    app = App(client=WebClient(token="xoxb-test-bot", base_url=fake.api_url))

    @app.event("message")
    def on_message(event: dict[str, Any], say: Any, request: Any) -> None:
        seen.append(("message", request.headers.get("x-slack-retry-num")))
        say(f"echo: {event['text']}")

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], say: Any) -> None:
        say(text="mentioned", thread_ts=event["ts"])

    @app.command("/toolkit")
    def on_command(ack: Any, respond: Any, command: dict[str, Any]) -> None:
        ack(f"Looking up {command['text']}")
        respond(text="answer", response_type="ephemeral")

    @app.action("feedback_helpful")
    def on_action(ack: Any, respond: Any) -> None:
        ack()
        respond(text="thanks", replace_original=True)

    return app


@pytest.fixture(scope="module")
def bolt() -> Iterator[tuple[FakeSlack, list[tuple[str, Any]]]]:
    """One stand-in + one connected Bolt app shared by the Bolt tests."""
    seen: list[tuple[str, Any]] = []
    with FakeSlack() as fake:
        handler = SocketModeHandler(build_app(fake, seen), app_token="xapp-test-app")
        with socket_mode_running(handler, fake):
            yield fake, seen


@pytest.fixture
def fake(bolt: tuple[FakeSlack, list[tuple[str, Any]]]) -> FakeSlack:
    """The shared stand-in, with records cleared for this test."""
    bolt[0].reset()
    bolt[1].clear()
    return bolt[0]


def test_bolt_dm_event_is_acked_and_answered(fake: FakeSlack) -> None:
    envelope_id = fake.socket.send("events_api", payloads.event_callback(payloads.dm_message("hi")))
    assert fake.socket.wait_ack(envelope_id) == {"envelope_id": envelope_id}
    posted = fake.wait_for("chat.postMessage")[0]
    assert (posted.params["channel"], posted.params["text"]) == ("D0001", "echo: hi")
    assert posted.ok and fake.messages_in("D0001")[0]["text"] == "echo: hi"


def test_bolt_sees_retry_headers(fake: FakeSlack, bolt: tuple[FakeSlack, list[Any]]) -> None:
    event = payloads.event_callback(payloads.dm_message("again"))
    envelope_id = fake.socket.send("events_api", event, retry_attempt=1, retry_reason="timeout")
    fake.socket.wait_ack(envelope_id)
    fake.wait_for("chat.postMessage")
    assert bolt[1] == [("message", ["1"])]


def test_bolt_app_mention_replies_in_thread(fake: FakeSlack) -> None:
    mention = payloads.app_mention()
    fake.socket.send("events_api", payloads.event_callback(mention))
    posted = fake.wait_for("chat.postMessage")[0]
    assert posted.params["thread_ts"] == mention["ts"] and posted.params["channel"] == "C0001"


def test_bolt_slash_command_ack_payload_and_respond(fake: FakeSlack) -> None:
    form = payloads.slash_command("burglary", response_url=fake.response_url("cmd"))
    envelope_id = fake.socket.send("slash_commands", form, accepts_response_payload=True)
    assert fake.socket.wait_ack(envelope_id)["payload"] == {"text": "Looking up burglary"}
    response = fake.wait_for_response()[0]
    assert (response.id, response.body["text"], response.response_type) == (
        "cmd",
        "answer",
        "ephemeral",
    )


def test_bolt_block_action(fake: FakeSlack) -> None:
    action = payloads.block_actions(response_url=fake.response_url("act"))
    envelope_id = fake.socket.send("interactive", action)
    assert fake.socket.wait_ack(envelope_id) == {"envelope_id": envelope_id}
    response = fake.wait_for_response()[0]
    assert response.replace_original and response.body["text"] == "thanks"
