"""Metrics: counters move as real work is done; the gauges read a real store, never hanging."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.config import Settings
from bot.engine import Engine
from bot.metrics import Metrics
from bot.slack.commands import on_toolkit
from bot.slack.sending import Sender
from bot.slack.services import Services
from bot.slack.stored import attach
from bot.slack.work import intake, process
from bot.store.db import make_engine
from bot.store.guard import Breaker
from bot.store.outbox import Depth, Owed
from bot.store.store import Store, open_store
from bot.web import admin_wsgi, start_admin_server
from tests.slack.conftest import free_port
from tests.stand_in import FakeSlack, payloads
from tests.stand_in.defaults import BOT_USER_ID, DM_CHANNEL, TEAM_ID
from tests.stand_in.interactions import message_action, slash_command

NOW = datetime(2026, 3, 12, 9, 30)
NOWHERE = "postgresql://postgres@127.0.0.1:1/nowhere"


def sample(metrics: Metrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


def deliver(services: Services, body: dict[str, Any]) -> BoltContext:
    """What Bolt does with a request: the intake middleware, then the listener's `process`."""
    context = BoltContext(bot_user_id=BOT_USER_ID)
    intake(services)(body, context, lambda: None)
    work = context.get("work")
    if work is not None and work.kind != "command":
        process(services, work)
    return context


def test_a_dm_question_is_counted_asked_answered_and_timed(engine: Engine) -> None:
    services = Services(engine)
    deliver(services, payloads.event_callback(payloads.dm_message("drug courts")))
    m = services.metrics
    assert sample(m, "toolkit_bot_questions_total", surface="dm") == 1
    assert sample(m, "toolkit_bot_answers_total", surface="dm", intent="answer") == 1
    assert sample(m, "toolkit_bot_declines_total", surface="dm") == 0
    assert sample(m, "toolkit_bot_answer_seconds_count", surface="dm") == 1
    assert 0 < (sample(m, "toolkit_bot_answer_seconds_sum", surface="dm") or 0) < 3


def test_a_mention_declined_and_a_retry_not_counted_again(engine: Engine) -> None:
    services = Services(engine)
    body = payloads.event_callback(payloads.app_mention(f"<@{BOT_USER_ID}> parking fines?"))
    deliver(services, body)
    deliver(services, body)  # Slack's retry: acked and dropped by the intake
    m = services.metrics
    assert sample(m, "toolkit_bot_questions_total", surface="mention") == 1
    assert sample(m, "toolkit_bot_declines_total", surface="mention") == 1
    assert sample(m, "toolkit_bot_answer_seconds_count", surface="mention") == 1
    assert sample(m, "toolkit_bot_answers_total", surface="mention", intent="fallback") is None


def test_a_shortcut_and_a_command_are_their_own_surfaces(engine: Engine) -> None:
    services = Services(engine)
    deliver(services, message_action(message_text="does mentoring work?"))
    form = slash_command("drug courts")
    context = deliver(services, form)
    acked: list[dict[str, Any]] = []
    on_toolkit(services)(lambda **reply: acked.append(reply), form, context)
    assert acked and acked[0]["text"].startswith("Drug courts")
    m = services.metrics
    for surface in ("shortcut", "command"):
        assert sample(m, "toolkit_bot_questions_total", surface=surface) == 1
        assert sample(m, "toolkit_bot_answer_seconds_count", surface=surface) == 1
    assert sample(m, "toolkit_bot_answers_total", surface="command", intent="answer") == 1


def test_buttons_and_home_tabs_are_not_questions(engine: Engine) -> None:
    services = Services(engine)
    deliver(services, payloads.event_callback(payloads.app_home_opened()))
    assert all(
        sample(services.metrics, "toolkit_bot_questions_total", surface=s) == 0
        for s in ("dm", "mention", "shortcut", "command")
    )


# -- Slack API errors, from the sender -------------------------------------------------------


class Ledger:
    """Records how each delivery ended."""

    def __init__(self) -> None:
        self.ended: list[tuple[str, str]] = []
        self.done = threading.Event()

    def sent(self, owed: Owed, ts: str | None) -> None:
        self.ended.append(("sent", owed.id))
        self.done.set()

    def retry(self, owed: Owed, next_at: datetime, error: str) -> None:
        """Retried: not an end."""

    def abandon(self, owed: Owed, reason: str) -> None:
        self.ended.append(("abandon", reason))
        self.done.set()


def owed(n: int, created: datetime | None = None) -> Owed:
    now = datetime.now().replace(microsecond=0)
    created = created or now
    payload = {"channel": DM_CHANNEL, "text": "hello"}
    return Owed(f"d-{n}", TEAM_ID, "chat.postMessage", DM_CHANNEL, None, "answer", payload,
                now + timedelta(minutes=5), created)  # fmt: skip


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def send_one(fake: FakeSlack, metrics: Metrics, n: int) -> Ledger:
    ledger = Ledger()
    client = WebClient(token="xoxb-test-bot", base_url=fake.api_url)
    sender = Sender(lambda team: client, ledger, workers=1, metrics=metrics).start()
    try:
        sender.schedule(owed(n))
        assert ledger.done.wait(10)
    finally:
        sender.stop()
    return ledger


def test_the_sender_counts_slack_errors_by_method_and_code(slack: FakeSlack) -> None:
    metrics = Metrics()
    slack.rate_limit("chat.postMessage", retry_after=1)
    assert send_one(slack, metrics, 1).ended == [("sent", "d-1")]
    slack.fail("chat.postMessage", error="channel_not_found", times=None)
    assert send_one(slack, metrics, 2).ended == [("abandon", "channel_not_found")]
    errors = "toolkit_bot_slack_api_errors_total"
    assert sample(metrics, errors, method="chat.postMessage", code="ratelimited") == 1
    assert sample(metrics, errors, method="chat.postMessage", code="channel_not_found") == 1


# -- gauges read at scrape time ---------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    settings = Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"})
    opened = open_store(settings, clock=lambda: NOW)
    yield opened
    opened.close()


def test_the_outbox_gauges_read_the_store(engine: Engine, store: Store) -> None:
    services = attach(Services(engine), store)  # as serve wires it
    m = services.metrics
    assert sample(m, "toolkit_bot_database_up") == 1
    assert sample(m, "toolkit_bot_outbox_depth") == 0
    assert sample(m, "toolkit_bot_outbox_oldest_age_seconds") == 0
    store.add_delivery(owed(1, created=NOW - timedelta(seconds=90)))
    store.add_delivery(owed(2, created=NOW - timedelta(seconds=10)))
    assert sample(m, "toolkit_bot_outbox_depth") == 2
    assert sample(m, "toolkit_bot_outbox_oldest_age_seconds") == 90
    store.delivery_sent("d-1", "1.2")
    assert sample(m, "toolkit_bot_outbox_depth") == 1
    assert sample(m, "toolkit_bot_outbox_oldest_age_seconds") == 10


def test_without_a_database_it_is_down_and_the_outbox_is_absent(engine: Engine) -> None:
    assert sample(Services(engine).metrics, "toolkit_bot_database_up") == 0
    unreachable = attach(Services(engine), Store(make_engine(NOWHERE)))
    assert sample(unreachable.metrics, "toolkit_bot_database_up") == 0
    assert sample(unreachable.metrics, "toolkit_bot_outbox_depth") is None


class Hung:
    """A database that never answers."""

    def outbox_depth(self) -> Depth:
        time.sleep(5)
        return Depth(0, None)


def test_a_hung_database_does_not_hang_a_scrape() -> None:
    metrics = Metrics()
    metrics.watch_store(Hung(), Breaker(limit=0.2))
    started = time.monotonic()
    assert sample(metrics, "toolkit_bot_database_up") == 0
    assert time.monotonic() - started < 2
    started = time.monotonic()  # the breaker is open now: no wait at all
    assert sample(metrics, "toolkit_bot_database_up") == 0
    assert time.monotonic() - started < 0.1


def test_the_sender_queue_is_reported() -> None:
    metrics = Metrics()
    sender = Sender(lambda team: None, Ledger(), workers=1)  # not started: it only queues
    metrics.watch_sender(sender)
    sender.schedule(owed(1, created=datetime.now() - timedelta(seconds=30)), delay=60)
    assert sample(metrics, "toolkit_bot_sender_queue_depth") == 1
    assert 29 <= (sample(metrics, "toolkit_bot_sender_oldest_age_seconds") or 0) < 60


# -- serving ------------------------------------------------------------------------------------


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def test_the_socket_mode_server_serves_metrics_and_healthz_only() -> None:
    metrics = Metrics()
    metrics.asked("dm")
    port = free_port()
    server = start_admin_server("127.0.0.1", port, metrics)
    try:
        status, kind, body = get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200 and kind.startswith("text/plain; version=")
        assert b'toolkit_bot_questions_total{surface="dm"} 1.0' in body
        assert get(f"http://127.0.0.1:{port}/healthz")[::2] == (200, b"ok\n")
        assert get(f"http://127.0.0.1:{port}/slack/events")[0] == 404
        with pytest.raises(OSError):  # the port is taken: serve logs it and carries on
            start_admin_server("127.0.0.1", port, metrics)
    finally:
        server.shutdown()
        server.server_close()


def test_without_metrics_there_is_no_metrics_page() -> None:
    answers: list[str] = []
    environ = {"PATH_INFO": "/metrics", "REQUEST_METHOD": "GET"}
    body = admin_wsgi(None)(environ, lambda status, headers: answers.append(status))
    assert answers == ["404 Not Found"] and b"".join(body) == b"not found\n"
