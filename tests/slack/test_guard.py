"""The HTTP door of the real `toolkit-bot serve`: raw bytes checked before Bolt reads them.

Each refusal is a 4xx with one short log line (rate-limited) and never a traceback or a body;
a signed request replayed within the window is acked once and run once.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest

from tests.databases import BACKENDS, fresh_database
from tests.slack.conftest import Bot, quiet, running, wait_responses
from tests.slack.raw_http import (
    FORM,
    JSON,
    form,
    healthy,
    interaction,
    log_problems,
    partial,
    post,
    signature,
    signed,
)
from tests.stand_in import FakeSlack, payloads
from tests.stand_in.defaults import BOT_ID, BOT_USER_ID

MIB = 1024 * 1024


def marker() -> str:
    """Text no log line may ever hold."""
    return f"BODY-MARKER-{uuid.uuid4().hex}"


def new_lines(bot: Bot, since: int) -> list[str]:
    return bot.log()[since:].splitlines()


def event_body(text: str) -> bytes:
    return json.dumps(payloads.event_callback(payloads.dm_message(text))).encode()


# -- unsigned input: 401 before any parsing ---------------------------------------------------

UNSIGNED = {
    "not-json": (b"hello{", JSON, {}),
    "invalid-utf8": (b"\xff\xfe\xfa{", JSON, {}),
    "non-numeric-timestamp": (
        b'{"type":"event_callback"}',
        JSON,
        {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"},
    ),
    # int() takes each of these; Slack never sends them
    "timestamp-with-plus": (b"{}", JSON, signature(b"{}", f"+{int(time.time())}")),
    "timestamp-with-underscores": (b"{}", JSON, signature(b"{}", f"{int(time.time()):_}")),
    "timestamp-with-space": (b"{}", JSON, signature(b"{}", f"{int(time.time())} ")),
    "wrong-content-type": (b"payload=%7B", "text/plain", {}),
    "deep-nesting": (b"[" * 100_000 + b"]" * 100_000, JSON, {}),
    "form-with-broken-payload": (b"payload=notjson", FORM, {}),
    "bad-signature-non-ascii": (
        b"{}",
        JSON,
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=\u00e9"},
    ),
}


@pytest.mark.parametrize("case", UNSIGNED, ids=list(UNSIGNED))
def test_unsigned_garbage_gets_401_and_a_short_line(
    http_bot: Bot, fake: FakeSlack, case: str
) -> None:
    body, content_type, headers = UNSIGNED[case]
    since = http_bot.log_mark()
    status, answer = post(http_bot.url, body, {"Content-Type": content_type, **headers})
    assert status == 401, case
    assert answer == b"invalid request\n"
    quiet(0.3)
    lines = new_lines(http_bot, since)
    assert all(len(line) < 200 for line in lines), lines
    assert log_problems("\n".join(lines)) == []
    assert fake.calls == [] and fake.responses == []


def test_a_burst_of_garbage_writes_at_most_one_line_per_reason(http_bot: Bot) -> None:
    since = http_bot.log_mark()
    for _ in range(50):
        assert post(http_bot.url, b"x" * 5000, {"Content-Type": JSON})[0] == 401
    written = http_bot.log()[since:].encode()
    assert written.count(b"\n") <= 1, written
    assert len(written) < 200


# -- signed but malformed: 400 ----------------------------------------------------------------

SIGNED_MALFORMED = {
    "not-json": (b"hello{", JSON),
    "truncated-json": (event_body("drug courts")[:40], JSON),
    "invalid-utf8": (b'{"type": "\xff"}', JSON),
    "utf16": ('{"type": "event_callback"}'.encode("utf-16"), JSON),
    "json-list": (b"[1, 2]", JSON),
    "json-object-as-form": (b'{"type": "event_callback"}', FORM),
    "form-as-json": (form({"command": "/toolkit", "text": "hi"}), JSON),
    "form-without-fields": (b"a=b", FORM),
    "payload-not-json": (b"payload=zz", FORM),
    "payload-a-list": (form({"payload": "[1]"}), FORM),
    "deep-nesting": (b'{"a":' * 40 + b"1" + b"}" * 40, JSON),
    "very-deep-nesting": (b"{" + b'"a":[' * 100_000 + b"]" * 100_000 + b"}", JSON),
    "wrong-content-type": (b'{"type": "event_callback"}', "text/plain"),
    "no-content-type": (b'{"type": "event_callback"}', ""),
    "empty": (b"", JSON),
    "event-not-an-object": (b'{"type": "event_callback", "event": "drug courts"}', JSON),
    "event-without-type": (b'{"type": "event_callback", "event": {"text": "hi"}}', JSON),
    "team-a-number": (b'{"type": "event_callback", "team": 5, "event": {"type": "x"}}', JSON),
    "authorizations-of-numbers": (b'{"type": "block_actions", "authorizations": [1]}', JSON),
    "block-actions-without-actions": (interaction({"type": "block_actions", "actions": []}), FORM),
    "huge-number": (b'{"type": "event_callback", "n": ' + b"9" * 5000 + b"}", JSON),
}


@pytest.mark.parametrize("case", SIGNED_MALFORMED, ids=list(SIGNED_MALFORMED))
def test_signed_malformed_bodies_get_400(http_bot: Bot, fake: FakeSlack, case: str) -> None:
    body, content_type = SIGNED_MALFORMED[case]
    since = http_bot.log_mark()
    status, _ = signed(http_bot.url, body, content_type)
    assert status == 400, case
    quiet(0.3)
    assert log_problems(http_bot.log()[since:]) == []
    assert all(len(line) < 200 for line in new_lines(http_bot, since))
    assert fake.calls == [] and fake.responses == []


# -- size and method --------------------------------------------------------------------------


def test_a_body_over_the_limit_gets_413_without_being_read(http_bot: Bot, fake: FakeSlack) -> None:
    head = {"Content-Type": JSON, "Content-Length": str(10 * MIB), **signature(b"")}
    started = time.monotonic()
    assert partial(http_bot.url, head, b"{" + b" " * 65_535) == 413
    assert time.monotonic() - started < 2
    chunked = {"Content-Type": JSON, **signature(b"")}
    assert partial(http_bot.url, chunked, b" " * (2 * MIB), chunked=True) == 413
    assert healthy(http_bot.url)
    assert fake.calls == []


def test_a_signed_body_just_under_the_limit_is_read(http_bot: Bot, fake: FakeSlack) -> None:
    payload = payloads.event_callback(payloads.dm_message("drug courts"))
    payload["padding"] = "x" * (MIB - 1000 - len(json.dumps(payload)))
    body = json.dumps(payload).encode()
    assert len(body) < MIB
    assert signed(http_bot.url, body, JSON)[0] == 200
    fake.wait_for("chat.postMessage", timeout=10)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_other_methods_get_405(http_bot: Bot, method: str) -> None:
    status, _ = post(http_bot.url, b"{}", {"Content-Type": JSON}, method=method)
    assert status == 405


# -- replays ----------------------------------------------------------------------------------


def posts_to(fake: FakeSlack, url: str) -> int:
    return len([r for r in fake.responses if url.endswith(r.id)])


def answer_command(
    bot: Bot, fake: FakeSlack, url: str, body: bytes, headers: dict[str, str]
) -> int:
    """Send /toolkit; once it is answered (in the ack, or through the response_url), the number
    of posts to its response_url."""
    status, answer = post(bot.url, body, headers)
    assert status == 200
    if not answer.strip():  # not answered in the ack: through the response_url then
        wait_responses(fake, url)
    return posts_to(fake, url)


def test_a_replayed_slash_command_is_answered_once(http_bot: Bot, fake: FakeSlack) -> None:
    url = fake.response_url()
    body = form(payloads.slash_command("what is a drug court?", response_url=url))
    headers = {"Content-Type": FORM, **signature(body)}
    posted = answer_command(http_bot, fake, url, body, headers)
    assert post(http_bot.url, body, headers) == (200, b"")
    quiet()
    assert posts_to(fake, url) == posted


def test_a_replayed_interaction_is_answered_once(http_bot: Bot, fake: FakeSlack) -> None:
    url = fake.response_url()
    click = payloads.block_actions("more_detail", "drug-courts", response_url=url)
    body = interaction(click)
    headers = {"Content-Type": FORM, **signature(body)}
    assert post(http_bot.url, body, headers)[0] == 200
    wait_responses(fake, url)
    assert post(http_bot.url, body, headers) == (200, b"")
    quiet()
    assert posts_to(fake, url) == 1


def test_a_replayed_event_is_answered_once(http_bot: Bot, fake: FakeSlack) -> None:
    body = event_body("mentoring")
    headers = {"Content-Type": JSON, **signature(body)}
    assert post(http_bot.url, body, headers)[0] == 200
    fake.wait_for("chat.postMessage", timeout=10)
    assert post(http_bot.url, body, headers) == (200, b"")
    quiet()
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_different_requests_signed_in_the_same_second_are_each_answered(
    http_bot: Bot, fake: FakeSlack
) -> None:
    now = str(int(time.time()))
    for text in ("mentoring", "drug courts", "scare tactics"):
        url = fake.response_url()
        body = form(payloads.slash_command(text, response_url=url))
        headers = {"Content-Type": FORM, **signature(body, now)}
        answer_command(http_bot, fake, url, body, headers)  # answered, not taken for a replay


@pytest.fixture(scope="module", params=BACKENDS)
def pair(
    request: pytest.FixtureRequest, module_fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Bot, Bot]]:
    """Two instances on one database (as behind a load balancer): SQLite, and PostgreSQL too."""
    homes = [tmp_path_factory.mktemp(f"pair-{request.param}") for _ in range(2)]
    with (
        fresh_database(request.param, homes[0], "guard_pair") as url,
        running("http", module_fake, homes[0], DATABASE_URL=url) as first,
        running("http", module_fake, homes[1], DATABASE_URL=url) as second,
    ):
        yield first, second


def test_a_replay_sent_to_another_instance_is_not_run(
    pair: tuple[Bot, Bot], fake: FakeSlack
) -> None:
    first, twin = pair
    url = fake.response_url()
    body = interaction(payloads.block_actions("feedback_up", "{}", response_url=url))
    headers = {"Content-Type": FORM, **signature(body)}
    assert post(first.url, body, headers)[0] == 200
    wait_responses(fake, url)  # "thanks"
    assert post(twin.url, body, headers) == (200, b"")
    quiet()
    assert posts_to(fake, url) == 1
    assert "a replay of one already accepted" in twin.log()


# -- what the log may hold --------------------------------------------------------------------


@pytest.fixture(scope="module")
def debug_bot(module_fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """The bot at LOG_LEVEL=DEBUG, where Bolt and slack_sdk say the most."""
    with running("http", module_fake, tmp_path_factory.mktemp("debug"), LOG_LEVEL="DEBUG") as bot:
        yield bot


def test_no_body_reaches_the_log_at_any_level(debug_bot: Bot, fake: FakeSlack) -> None:
    secret = marker()
    sent = [
        post(debug_bot.url, json.dumps({"text": secret}).encode(), {"Content-Type": JSON}),
        post(debug_bot.url, secret.encode() * 10_000, {"Content-Type": JSON, **signature(b"")}),
        signed(debug_bot.url, f"[{json.dumps(secret)}]".encode(), JSON),
        signed(debug_bot.url, form({"payload": secret}), FORM),
    ]
    assert [status for status, _ in sent] == [401, 401, 400, 400]
    # accepted requests whose bodies Bolt quotes at DEBUG: a self event and an unhandled one
    own = payloads.dm_message(secret, user=BOT_USER_ID, bot_id=BOT_ID)
    unhandled = payloads.event_callback(
        {"type": "reaction_added", "user": "U1", "reaction": secret}
    )
    for body in (payloads.event_callback(own), unhandled):
        assert signed(debug_bot.url, json.dumps(body).encode(), JSON)[0] in (200, 404)
    quiet(0.5)
    log = debug_bot.log()
    assert secret not in log
    assert log_problems(log) == []
    assert "[not logged]" in log  # Bolt did try to quote a body, and was cut short


def test_refusals_never_log_more_than_a_line(http_bot: Bot) -> None:
    since = http_bot.log_mark()
    for case, (body, content_type) in SIGNED_MALFORMED.items():
        assert signed(http_bot.url, body, content_type)[0] == 400, case
    lines = new_lines(http_bot, since)
    assert len(lines) <= len(SIGNED_MALFORMED)
    assert all(len(line) < 200 for line in lines), lines
