"""Property-based fuzzing of the real `toolkit-bot serve` (HTTP and Socket Mode, via the stand-in).

For whatever arrives: the status is a 4xx (or 200 for a well-formed signed request), the process
stays up and answers /healthz, nothing refused is posted to Slack, and no log line holds a
traceback or a secret. Example counts are modest (the module runs in about 20 s); the issue's
1,000-request run is `test_a_thousand_requests_of_garbage` (about 2 s here).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.slack.conftest import Bot, quiet, running
from tests.slack.fuzz_inputs import (
    CONTENT_TYPES,
    any_bodies,
    bad_signatures,
    malformed_bodies,
    malformed_messages,
    mutated,
    mutated_envelopes,
)
from tests.slack.raw_http import healthy, log_problems, post, signature, signed
from tests.stand_in import FakeSlack, payloads

#: FUZZ_SCALE=10 (say) multiplies every example count for a long local run.
SCALE = int(os.environ.get("FUZZ_SCALE", "1"))
FUZZ = settings(
    max_examples=80 * SCALE,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the repository
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# The module's own stand-ins and bots: answers to accepted fuzz input are retried by the outbox
# for minutes, and must not reach the stand-in other suites count posts on.
@pytest.fixture(scope="module")
def fuzz_fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def fuzz_http(fuzz_fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    with running("http", fuzz_fake, tmp_path_factory.mktemp("fuzz-http")) as bot:
        yield bot


@pytest.fixture(scope="module")
def fuzz_socket(fuzz_fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    with running("socket", fuzz_fake, tmp_path_factory.mktemp("fuzz-socket")) as bot:
        yield bot


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """A bot with a stand-in of its own, for input that may be accepted and answered."""
    with FakeSlack() as fake, running("http", fake, tmp_path_factory.mktemp("sandbox")) as bot:
        yield bot


@pytest.fixture(scope="module")
def socket_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """The same in Socket Mode."""
    with FakeSlack() as fake, running("socket", fake, tmp_path_factory.mktemp("s-sandbox")) as bot:
        yield bot


def alive(bot: Bot) -> None:
    assert bot.process.poll() is None, "the bot died"
    assert healthy(bot.url), "the bot stopped answering /healthz"


def clean_since(bot: Bot, since: int) -> None:
    assert log_problems(bot.log()[since:]) == []


def nothing_posted(fake: FakeSlack) -> None:
    quiet(0.5)
    assert fake.calls_to("chat.postMessage") == []
    assert fake.responses == []


# -- HTTP ------------------------------------------------------------------------------------


def test_unsigned_or_badly_signed_input_always_gets_401(
    fuzz_http: Bot, fuzz_fake: FakeSlack
) -> None:
    fuzz_fake.reset()
    since = fuzz_http.log_mark()

    @FUZZ
    @given(body=any_bodies(), content_type=CONTENT_TYPES, headers=bad_signatures())
    def check(body: bytes, content_type: str, headers: dict[str, str]) -> None:
        status, _ = post(fuzz_http.url, body, {"Content-Type": content_type, **headers})
        assert status == 401

    check()
    alive(fuzz_http)
    nothing_posted(fuzz_fake)
    clean_since(fuzz_http, since)


def test_signed_malformed_bodies_always_get_400(fuzz_http: Bot, fuzz_fake: FakeSlack) -> None:
    fuzz_fake.reset()
    since = fuzz_http.log_mark()

    @FUZZ
    @given(case=malformed_bodies())
    def check(case: tuple[bytes, str]) -> None:
        body, content_type = case
        assert signed(fuzz_http.url, body, content_type)[0] == 400

    check()
    alive(fuzz_http)
    nothing_posted(fuzz_fake)
    clean_since(fuzz_http, since)


def test_mutated_real_payloads_never_get_a_5xx(sandbox: Bot) -> None:
    since = sandbox.log_mark()
    url = sandbox.fake.response_url()
    statuses: set[int] = set()

    @FUZZ
    @given(case=mutated(url))
    def check(case: tuple[bytes, str]) -> None:
        body, content_type = case
        status = signed(sandbox.url, body, content_type)[0]
        statuses.add(status)
        assert status == 200 or 400 <= status < 500

    check()
    quiet(1.0)  # accepted ones are answered after the ack: let them finish
    alive(sandbox)
    clean_since(sandbox, since)
    assert 200 in statuses and 400 in statuses, statuses  # both sides were exercised


def test_garbage_between_real_requests_changes_nothing(
    fuzz_http: Bot, fuzz_fake: FakeSlack
) -> None:
    fuzz_fake.reset()

    @settings(FUZZ, max_examples=15 * SCALE)
    @given(case=malformed_bodies())
    def check(case: tuple[bytes, str]) -> None:
        assert signed(fuzz_http.url, *case)[0] == 400

    check()
    event = payloads.event_callback(payloads.dm_message("what is a drug court?"))
    assert fuzz_http.driver.event(event).status == 200
    [answer] = fuzz_fake.wait_for("chat.postMessage", timeout=10)
    assert answer.ok


# -- Socket Mode -----------------------------------------------------------------------------


def test_malformed_envelopes_are_dropped_unanswered(fuzz_socket: Bot, fuzz_fake: FakeSlack) -> None:
    fuzz_fake.reset()
    since = fuzz_socket.log_mark()
    connections = fuzz_fake.socket.connection_count
    url = fuzz_fake.response_url()

    @settings(FUZZ, max_examples=120 * SCALE)
    @given(message=malformed_messages(url))
    def check(message: str) -> None:
        fuzz_fake.socket.send_raw(message)

    check()
    quiet(1.0)
    assert fuzz_fake.socket.acks == [], "a malformed envelope was acked"
    assert fuzz_fake.calls == [] and fuzz_fake.responses == []
    assert fuzz_fake.socket.connection_count == connections, "the client had to reconnect"
    assert fuzz_socket.process.poll() is None
    live = fuzz_fake.socket.send(
        "events_api", payloads.event_callback(payloads.dm_message("drug courts"))
    )
    fuzz_fake.socket.wait_ack(live, timeout=10)
    fuzz_fake.wait_for("chat.postMessage", timeout=10)
    clean_since(fuzz_socket, since)
    assert len(fuzz_socket.log()[since:].splitlines()) < 40  # one short line per reason at most


def test_mutated_envelopes_never_break_the_client(socket_sandbox: Bot) -> None:
    fake = socket_sandbox.fake
    since = socket_sandbox.log_mark()
    connections = fake.socket.connection_count

    @FUZZ
    @given(message=mutated_envelopes(fake.response_url()))
    def check(message: str) -> None:
        fake.socket.send_raw(message)

    check()
    live = fake.socket.send("events_api", payloads.event_callback(payloads.dm_message("mentoring")))
    fake.socket.wait_ack(live, timeout=20)
    quiet(1.0)
    assert socket_sandbox.process.poll() is None
    assert fake.socket.connection_count == connections, "the client had to reconnect"
    clean_since(socket_sandbox, since)


def test_huge_envelopes_are_dropped_and_the_link_stays(
    fuzz_socket: Bot, fuzz_fake: FakeSlack
) -> None:
    fuzz_fake.reset()
    since = fuzz_socket.log_mark()
    connections = fuzz_fake.socket.connection_count
    for size in (1024 * 1024 + 1, 3 * 1024 * 1024, 8 * 1024 * 1024):
        event = payloads.event_callback(payloads.dm_message("x" * size))
        fuzz_fake.socket.send_raw(
            {"envelope_id": f"huge-{size}", "type": "events_api", "payload": event}
        )
    live = fuzz_fake.socket.send(
        "events_api", payloads.event_callback(payloads.dm_message("mentoring"))
    )
    fuzz_fake.socket.wait_ack(live, timeout=20)
    assert [a["envelope_id"] for a in fuzz_fake.socket.acks] == [live]
    assert fuzz_fake.socket.connection_count == connections
    lines = fuzz_socket.log()[since:].splitlines()
    assert all(len(line) < 200 for line in lines), [line[:200] for line in lines]
    clean_since(fuzz_socket, since)


# -- the long run ----------------------------------------------------------------------------


def test_a_thousand_requests_of_garbage(fuzz_http: Bot, fuzz_fake: FakeSlack) -> None:
    """The issue's 1,000-request run: at most one log line per reason per 10 s."""
    fuzz_fake.reset()
    since = fuzz_http.log_mark()
    started = time.monotonic()

    @settings(FUZZ, max_examples=1000 * SCALE)
    @given(
        body=any_bodies(),
        content_type=CONTENT_TYPES,
        headers=bad_signatures(),
        signed_body=st.booleans(),
    )
    def check(body: bytes, content_type: str, headers: dict[str, str], signed_body: bool) -> None:
        if signed_body:
            headers = signature(body)
        status, _ = post(fuzz_http.url, body, {"Content-Type": content_type, **headers})
        assert status == 200 or 400 <= status < 500

    check()
    alive(fuzz_http)
    clean_since(fuzz_http, since)
    written = fuzz_http.log()[since:].encode()
    seconds = time.monotonic() - started
    reasons = 30  # every refusal reason the guard has, generously
    assert written.count(b"\n") <= reasons * (1 + seconds / 10), written[-2000:]
