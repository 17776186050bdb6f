"""The guard's parts on their own: shape checks, the rate-limited log, and the body filter on
the real Bolt and slack_sdk code paths that quote bodies."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.socket_mode.builtin import SocketModeClient

from bot.slack.guard import RequestGuard
from bot.slack.refusals import HideBodies, RefusalLog, body_start, hide_bodies
from bot.slack.shape import MAX_DEPTH, Malformed, depth, parse_http
from bot.slack.socket_guard import check_message, guard_socket_mode
from tests.slack.raw_http import FORM, JSON, form, interaction, signature
from tests.stand_in import payloads
from tests.stand_in.fixtures import SIGNING_SECRET

SECRET = "BODY-MARKER-units"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Everything logged while the test runs, through a handler carrying HideBodies."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(HideBodies())
    root = logging.getLogger()
    root.addHandler(handler)
    old = root.level
    root.setLevel(logging.DEBUG)
    try:
        yield out
    finally:
        root.setLevel(old)
        root.removeHandler(handler)


# -- shape ------------------------------------------------------------------------------------


def test_real_slack_bodies_pass() -> None:
    url = "https://hooks.slack.com/commands/T/1/x"
    bodies = [
        (json.dumps(payloads.event_callback(payloads.dm_message("hi"))).encode(), JSON),
        (json.dumps(payloads.event_callback(payloads.app_mention())).encode(), JSON),
        (form(payloads.slash_command("drug courts", response_url=url)), FORM),
        (interaction(payloads.block_actions("more_detail", "drug-courts")), FORM),
        (interaction(payloads.message_action("check_with_toolkit")), FORM),
        (interaction(payloads.view_submission()), FORM),
        (b'{"type": "url_verification", "challenge": "c", "token": "t"}', JSON),
        (b"ssl_check=1&token=t", FORM),
    ]
    for body, content_type in bodies:
        assert isinstance(parse_http(body, content_type), dict)
    assert parse_http(bodies[0][0], "application/json; charset=utf-8")


@pytest.mark.parametrize(
    "body",
    [b"", b"[]", b"{", b"\xff", b'{"event": []}', b'{"type": "event_callback", "event": {}}'],
)
def test_malformed_bodies_are_named_without_quoting_them(body: bytes) -> None:
    with pytest.raises(Malformed) as caught:
        parse_http(body, JSON)
    assert not any(ch in str(caught.value) for ch in '{}[]\\"'), caught.value  # a fixed phrase


def test_depth_is_measured_without_recursion() -> None:
    deep: Any = 1
    for _ in range(100_000):
        deep = [deep]
    assert depth({"a": deep}) == 100_001
    assert depth({"a": [{"b": []}]}) == 4
    ok = '{"a":' * (MAX_DEPTH - 1) + "1" + "}" * (MAX_DEPTH - 1)
    assert parse_http(ok.replace('{"a":', '{"type":"x","a":', 1).encode(), JSON)


# -- the guard's timestamp and signature --------------------------------------------------------


def guard(clock: float = 1_700_000_000.0) -> RequestGuard:
    return RequestGuard(lambda e, s: [b""], SIGNING_SECRET, clock=lambda: clock)


@pytest.mark.parametrize(
    "timestamp",
    ["١٧٠٠٠٠٠٠٠٠", "+1700000000", " 1700000000", "1_700_000_000", "1700000000.5", "", "1e9"],
)
def test_only_plain_ascii_digit_timestamps_are_fresh(timestamp: str) -> None:
    assert not guard().fresh(timestamp)


def test_freshness_is_five_minutes_either_way() -> None:
    check = guard(1_700_000_000.0)
    assert check.fresh("1700000300") and check.fresh("1699999700")
    assert not check.fresh("1700000301") and not check.fresh("1699999699")


def test_the_signature_is_checked_on_the_raw_bytes() -> None:
    body = b'{"type": "event_callback", "x": "\xff"}'  # not even UTF-8: still verifiable
    headers = signature(body, "1700000000")
    check = guard()
    assert check.signed("1700000000", body, headers["X-Slack-Signature"])
    assert not check.signed("1700000000", body + b" ", headers["X-Slack-Signature"])
    assert not check.signed("1700000000", body, headers["X-Slack-Signature"] + "\u00e9")


# -- the rate-limited line --------------------------------------------------------------------


def test_refusals_are_one_line_per_reason_per_window(captured: io.StringIO) -> None:
    now = [0.0]
    log = RefusalLog(logging.getLogger("toolkit_bot.guard.test"), every=10, clock=lambda: now[0])
    for _ in range(100):
        log.refused("Slack request refused with 401", "unsigned")
    log.refused("Slack request refused with 400", "empty body")
    now[0] = 10.0
    log.refused("Slack request refused with 401", "unsigned")
    lines = captured.getvalue().splitlines()
    assert lines == [
        "Slack request refused with 401: unsigned",
        "Slack request refused with 400: empty body",
        "Slack request refused with 401: unsigned (99 more like it in the last 10 s)",
    ]


# -- bodies never logged, on Bolt's and slack_sdk's own paths ---------------------------------


def test_bolt_refusing_a_signature_does_not_log_the_body(captured: io.StringIO) -> None:
    logger = logging.getLogger("toolkit_bot.bolt.units")
    logger.setLevel(logging.DEBUG)
    app = App(
        client=WebClient(token="xoxb-units", base_url="http://127.0.0.1:9/"),
        signing_secret=SIGNING_SECRET,
        token_verification_enabled=False,
        logger=logger,
    )
    body = json.dumps({"type": "event_callback", "event": {"type": "message", "text": SECRET}})
    headers = {"x-slack-request-timestamp": str(int(time.time())), "x-slack-signature": "v0=00"}
    response = app.dispatch(BoltRequest(body=body, headers=headers))
    assert response.status == 401
    text = captured.getvalue()
    assert "Invalid request signature detected" in text
    assert SECRET not in text


def test_socket_mode_debug_lines_do_not_log_envelopes(captured: io.StringIO) -> None:
    logger = logging.getLogger("toolkit_bot.bolt.socket-units")
    logger.setLevel(logging.DEBUG)
    client = SocketModeClient(
        app_token="xapp-units",
        web_client=WebClient(token="xoxb-units", base_url="http://127.0.0.1:9/"),
        logger=logger,
        auto_reconnect_enabled=False,
    )
    try:
        guard_socket_mode(client)
        client._on_message(json.dumps({"type": "events_api", "payload": {"text": SECRET}}))
        client._on_message("{" + SECRET)
    finally:
        client.close()
    text = captured.getvalue()
    assert "on_message invoked" in text  # slack_sdk did try to quote it
    assert text.count("Socket Mode message dropped") == 2
    assert SECRET not in text


@pytest.mark.parametrize(
    "message",
    [
        "Invalid request signature detected (signature: v0=1, timestamp: 1, body: SECRET)",
        "Skipped self event: {'text': 'SECRET'}",
        "on_message invoked: (message: SECRET)",
        "Sending a message (session id: 1, message: SECRET)",
        "Unsuccessful Bolt execution result (status: 404, body: SECRET)",
    ],
)
def test_known_body_templates_are_cut(message: str) -> None:
    cut = body_start(message)
    assert cut is not None and "SECRET" not in message[:cut]
    record = logging.LogRecord("slack_bolt.X", logging.INFO, __file__, 1, message, None, None)
    HideBodies().filter(record)
    assert "SECRET" not in record.getMessage()


def test_hide_bodies_goes_on_every_handler_once() -> None:
    root = logging.Logger("units-root")
    root.addHandler(logging.StreamHandler(io.StringIO()))
    root.addHandler(logging.NullHandler())
    hide_bodies(root)
    hide_bodies(root)
    assert [len(h.filters) for h in root.handlers] == [1, 1]


def test_envelopes_are_checked_like_http_bodies() -> None:
    good = {"envelope_id": "e1", "type": "events_api", "payload": payloads.event_callback({})}
    good["payload"]["event"] = payloads.dm_message("hi")
    check_message(json.dumps(good))
    check_message(json.dumps({"type": "hello", "num_connections": 1}))
    for bad in (
        {**good, "envelope_id": 5},
        {**good, "payload": "text"},
        {**good, "retry_reason": False},
        {**good, "type": "surprise"},
        {**good, "payload": {**good["payload"], "event": "x"}},
    ):
        with pytest.raises(Malformed):
            check_message(json.dumps(bad))
