"""More of the fault suite (README "Fault suite"): connection resets both ways, 1 MB texts, and
PostgreSQL killed and hung behind a TCP proxy the test controls. Each case drives the real
`toolkit-bot serve` in HTTP mode and in Socket Mode and asserts what Slack would see: every
question answered exactly once (0 lost, 0 duplicated) and every ack within 3 seconds.
"""

from __future__ import annotations

import json
import socket
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from tests.databases import PG_URL, fresh_database
from tests.slack.conftest import Bot, Delivered, command_reply, running, wait_until
from tests.slack.raw_http import JSON, address, signature
from tests.slack.tcp_proxy import TcpProxy
from tests.slack.test_e2e_faults import each_answered_once, mentions
from tests.stand_in import FakeSlack, payloads
from tests.stand_in.defaults import BOT_USER_ID
from tests.stand_in.faults import Chaos

#: About a megabyte of question: just under the bot's body limit once wrapped in an envelope.
MEGABYTE_TEXT = ("how well do drug courts work " * 35_000)[:1_000_000]
ACK_LIMIT = 3.0


def acked(delivered: Delivered) -> Delivered:
    assert delivered.status == 200, delivered
    assert delivered.seconds < ACK_LIMIT, delivered
    return delivered


# -- connection resets ----------------------------------------------------------------------


def test_resets_before_and_after_slack_posted_answer_each_question_once(
    bot: Bot, fake: FakeSlack
) -> None:
    """Slack's end resets the connection instead of answering: before it posted (nothing
    landed) or after (it did): the sender reads the thread back before posting again."""
    fake.chaos("chat.postMessage", Chaos(reset=0.4, seed=11))
    events = mentions(fake, 20)
    for event in events:
        acked(bot.event(event))
    each_answered_once(fake, events, timeout=60)
    assert bot.log().count("Traceback") == 0


def test_a_reset_after_every_post_still_answers_once(bot: Bot, fake: FakeSlack) -> None:
    fake.reset_connection("chat.postMessage", after_commit=True, times=3)
    [event] = mentions(fake, 1)
    acked(bot.event(event))
    each_answered_once(fake, [event], timeout=30)
    assert fake.calls_to("conversations.replies"), "read back before each new attempt"


def send_and_reset(base_url: str, body: bytes, *, half: bool = False) -> None:
    """Slack's side of a dropped request: the body (or half of it) sent, then RST, unread."""
    head = {"Content-Type": JSON, "Content-Length": str(len(body)), **signature(body)}
    host, port = address(base_url)
    lines = [
        "POST /slack/events HTTP/1.1",
        f"Host: {host}",
        *(f"{k}: {v}" for k, v in head.items()),
    ]
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        sock.sendall(body[: len(body) // 2] if half else body)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_requests_reset_by_slack_then_retried_are_answered_once(
    http_bot: Bot, fake: FakeSlack
) -> None:
    """The connection from Slack drops before the ack is read (whole body sent) or mid-body;
    Slack retries both: the first was recorded and is done once, the second is done once."""
    events = mentions(fake, 6)
    for i, event in enumerate(events):
        body = payloads.event_callback(event, event_id=f"EvReset{i:04d}{time.time_ns()}")
        send_and_reset(http_bot.url, json.dumps(body).encode(), half=i % 2 == 1)
        time.sleep(0.05)
        retry = http_bot.event(body, retry=1)
        acked(retry)
    each_answered_once(fake, events, timeout=30)
    assert http_bot.log().count("Traceback") == 0


def test_a_socket_link_dropped_mid_burst_and_redelivered_answers_once(
    socket_bot: Bot, fake: FakeSlack
) -> None:
    """The WebSocket goes mid-burst; Slack redelivers what it sent (retry_attempt 1) on the
    link the bot opens again: each question is answered once."""
    events = mentions(fake, 10)
    greeted = fake.socket.connection_count
    for event in events:
        fake.socket.send("events_api", payloads.event_callback(event))
    fake.socket.drop()
    fake.socket.wait_connected(timeout=30, total=greeted + 1)
    for event in events:
        acked(socket_bot.event(event, retry=1))
    each_answered_once(fake, events, timeout=30)


# -- 1 MB texts -----------------------------------------------------------------------------


def test_a_megabyte_mention_is_acked_fast_and_answered_once(bot: Bot, fake: FakeSlack) -> None:
    [event] = mentions(fake, 1)
    event["text"] = f"<@{BOT_USER_ID}> {MEGABYTE_TEXT}"
    acked(bot.event(event))
    each_answered_once(fake, [event], timeout=30)
    [post] = [c for c in fake.calls_to("chat.postMessage") if c.ok]
    assert len(json.dumps(post.params)) < 40_000, "the answer quotes little of the question"
    assert not [c for c in fake.calls if not c.ok and c.method == "chat.postMessage"]


def test_a_megabyte_command_is_answered_in_its_ack(bot: Bot, fake: FakeSlack) -> None:
    delivered = acked(bot.command(payloads.slash_command(MEGABYTE_TEXT)))
    reply = command_reply(delivered)
    assert reply.body.get("text") and reply.response_type == "ephemeral"
    assert len(json.dumps(reply.body)) < 40_000


# -- PostgreSQL killed and hung ---------------------------------------------------------------

needs_postgres = pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set")


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[tuple[TcpProxy, str]]:
    """A fresh PostgreSQL schema, reached through a proxy the test can pause and kill."""
    with fresh_database("postgresql", tmp_path, "outage") as url:
        parsed = make_url(url)
        with TcpProxy((parsed.host or "127.0.0.1", parsed.port or 5432)) as proxy:
            via = parsed.set(host="127.0.0.1", port=proxy.port)
            yield proxy, via.render_as_string(hide_password=False)


def burst(served: Bot, fake: FakeSlack, count: int) -> list[dict[str, Any]]:
    events = mentions(fake, count)
    for event in events:
        acked(served.event(event))
    return events


@needs_postgres
@pytest.mark.slow
@pytest.mark.parametrize("outage", ["killed", "hung"])
def test_postgres_killed_or_hung_mid_burst_loses_and_doubles_nothing(
    mode: str, outage: str, fake: FakeSlack, tmp_path: Path, proxied: tuple[TcpProxy, str]
) -> None:
    proxy, url = proxied
    with running(mode, fake, tmp_path, DATABASE_URL=url) as served:
        before = burst(served, fake, 6)
        each_answered_once(fake, before, timeout=30)
        proxy.kill() if outage == "killed" else proxy.pause()
        during = burst(served, fake, 10)  # acks and answers must not wait on the database
        each_answered_once(fake, before + during, timeout=30)
        proxy.revive() if outage == "killed" else proxy.resume()
        after = burst(served, fake, 6)
        each_answered_once(fake, before + during + after, timeout=60)
        log = served.wait_log("database unavailable")
        assert log.count("Traceback") == 0
        wait_until(lambda: "reachable again" in served.log(), timeout=60)


@pytest.fixture(params=["http", "socket"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)
