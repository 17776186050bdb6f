"""First end-to-end check: a DM in each mode."""

from __future__ import annotations

from tests.slack.conftest import Bot
from tests.stand_in import FakeSlack, payloads


def test_dm_http(http_bot: Bot, fake: FakeSlack) -> None:
    response = http_bot.driver.event(payloads.dm_message("do scare tactics work?"))
    assert response.status == 200
    [call] = fake.wait_for("chat.postMessage", timeout=10)
    assert "Scare tactics" in call.params["text"]


def test_dm_socket(socket_bot: Bot, fake: FakeSlack) -> None:
    envelope = fake.socket.send(
        "events_api", payloads.event_callback(payloads.dm_message("drug courts"))
    )
    fake.socket.wait_ack(envelope, timeout=10)
    [call] = fake.wait_for("chat.postMessage", timeout=10)
    assert "Drug courts" in call.params["text"]
