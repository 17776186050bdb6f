"""Posting under pressure, in both modes: slow Slack, rate limits, 5xx and permanent errors."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.slack.conftest import Bot, buttons, command_reply
from tests.stand_in import FakeSlack, payloads
from tests.stand_in.defaults import DM_CHANNEL

SLOW = 4.0  # longer than the 3 s Slack allows for an ack


@dataclass
class SlowHook:
    """A response_url that answers only after SLOW seconds; records each post as it arrives."""

    url: str = ""
    posts: list[dict[str, Any]] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def slow_hook() -> Iterator[SlowHook]:
    hook = SlowHook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            hook.posts.append(json.loads(body))
            hook.arrived.set()
            time.sleep(SLOW)  # the bot's thread waits; its ack must not
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/commands/slow"
    try:
        yield hook
    finally:  # a post still being held is answered by its own thread after SLOW seconds
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_slow_web_api_does_not_delay_the_ack(bot: Bot, fake: FakeSlack) -> None:
    fake.delay("chat.postMessage", SLOW)
    delivered = bot.event(payloads.dm_message("drug courts"))
    assert delivered.status == 200
    assert delivered.seconds < 3
    sent = time.time()
    [call] = fake.wait_for("chat.postMessage", timeout=SLOW + 6)
    assert call.ok
    assert call.params["text"].startswith("Drug courts")
    assert call.at - sent >= SLOW - 1, "the answer came after the ack, once Slack answered"


def test_a_command_is_answered_in_its_ack_whatever_the_response_url_does(
    bot: Bot, fake: FakeSlack, slow_hook: SlowHook
) -> None:
    delivered = bot.command(payloads.slash_command("drug courts", response_url=slow_hook.url))
    assert delivered.status == 200
    assert delivered.seconds < 3
    post = command_reply(delivered).body
    assert post["response_type"] == "ephemeral"
    assert post["text"].startswith("Drug courts")
    assert buttons(post["blocks"], "share_answer")
    assert not slow_hook.arrived.wait(1), "nothing is left to deliver through the response_url"


def test_rate_limited_post_is_retried_after_retry_after(bot: Bot, fake: FakeSlack) -> None:
    fake.rate_limit("chat.postMessage", retry_after=1)
    bot.event(payloads.dm_message("drug courts"))
    first, second = fake.wait_for("chat.postMessage", count=2, timeout=10)
    assert (first.status, first.response.get("error")) == (429, "ratelimited")
    assert second.ok
    assert second.params == first.params
    assert second.at - first.at >= 0.9, "Retry-After was honoured"
    time.sleep(0.5)
    assert len(fake.calls_to("chat.postMessage")) == 2


def test_server_error_is_retried(bot: Bot, fake: FakeSlack) -> None:
    fake.server_error("chat.postMessage", status=503)
    bot.event(payloads.dm_message("mentoring"))
    first, second = fake.wait_for("chat.postMessage", count=2, timeout=10)
    assert first.status == 503
    assert second.ok


def test_permanent_error_is_logged_and_the_bot_carries_on(bot: Bot, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", error="channel_not_found", times=None)
    mark = bot.log_mark()
    bot.event(payloads.dm_message("drug courts"))
    [failed] = fake.wait_for("chat.postMessage", timeout=10)
    assert failed.response == {"ok": False, "error": "channel_not_found"}
    log = bot.wait_log(f"could not deliver answer in {DM_CHANNEL}: channel_not_found", since=mark)
    assert "Traceback" not in log

    fake.reset()
    assert bot.process.poll() is None, "the bot is still running"
    bot.event(payloads.dm_message("mentoring"))
    [later] = fake.wait_for("chat.postMessage", timeout=10)
    assert later.ok
    assert later.params["text"].startswith("Mentoring")
