"""Slack's delivery rules: signed requests only (HTTP); one answer however often Slack retries."""

from __future__ import annotations

import time
import urllib.request

from tests.slack.conftest import Bot, quiet
from tests.stand_in import FakeSlack, payloads
from tests.stand_in.defaults import BOT_USER_ID, DM_CHANNEL
from tests.stand_in.driver import Spoil

SPOILED: list[Spoil] = [{"bad_signature": True}, {"unsigned": True}, {"stale": True}]
SPOIL_IDS = ["bad-signature", "no-signature-headers", "stale-timestamp"]


# -- HTTP: signatures --------------------------------------------------------------------------


def test_unsigned_badly_signed_or_stale_requests_are_refused(
    http_bot: Bot, fake: FakeSlack
) -> None:
    driver = http_bot.driver
    url = fake.response_url()
    for spoil, name in zip(SPOILED, SPOIL_IDS, strict=True):
        refused = [
            driver.event(payloads.dm_message("drug courts"), **spoil),
            driver.command(payloads.slash_command("drug courts", response_url=url), **spoil),
            driver.interaction(
                payloads.message_action("check_with_toolkit", response_url=url), **spoil
            ),
            driver.url_verification("sneaky", **spoil),
        ]
        assert [r.status for r in refused] == [401] * 4, name
        assert all("sneaky" not in r.body for r in refused), name
    quiet()
    assert fake.calls_to("chat.postMessage") == []
    assert fake.responses == []


def test_url_verification_returns_the_challenge(http_bot: Bot, fake: FakeSlack) -> None:
    response = http_bot.driver.url_verification(
        "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    )
    assert response.status == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_a_timestamp_just_inside_five_minutes_is_accepted(http_bot: Bot, fake: FakeSlack) -> None:
    response = http_bot.driver.event(
        payloads.dm_message("drug courts"), timestamp=int(time.time()) - 240
    )
    assert response.status == 200
    [call] = fake.wait_for("chat.postMessage", timeout=10)
    assert call.ok


def test_healthz_needs_no_signature(http_bot: Bot, fake: FakeSlack) -> None:
    with urllib.request.urlopen(f"{http_bot.url}/healthz", timeout=5) as response:
        assert response.status == 200
        assert response.read() == b"ok\n"


# -- both modes: retries and redeliveries -------------------------------------------------------


def test_a_retried_event_is_answered_once(bot: Bot, fake: FakeSlack) -> None:
    body = payloads.event_callback(payloads.dm_message("drug courts"))
    assert bot.event(body).status == 200
    fake.wait_for("chat.postMessage", timeout=10)
    for attempt in (1, 2):
        assert bot.event(body, retry=attempt).status == 200
    quiet()
    [call] = fake.calls_to("chat.postMessage")
    assert call.ok


def test_a_retry_of_an_event_never_seen_is_answered(bot: Bot, fake: FakeSlack) -> None:
    body = payloads.event_callback(payloads.dm_message("mentoring"))
    assert bot.event(body, retry=1).status == 200
    [call] = fake.wait_for("chat.postMessage", timeout=10)
    assert call.ok
    assert call.params["text"].startswith("Mentoring")


def test_first_delivery_with_retry_attempt_zero_is_answered(bot: Bot, fake: FakeSlack) -> None:
    body = payloads.event_callback(payloads.dm_message("therapeutic communities"))
    assert bot.event(body, retry=0).status == 200
    [call] = fake.wait_for("chat.postMessage", timeout=10)
    assert call.params["channel"] == DM_CHANNEL


def test_one_message_seen_as_dm_and_as_mention_is_answered_once(bot: Bot, fake: FakeSlack) -> None:
    dm = payloads.dm_message(f"<@{BOT_USER_ID}> drug courts")
    mention = payloads.app_mention(dm["text"], channel=DM_CHANNEL, ts=dm["ts"])
    assert bot.event(dm).status == 200
    assert bot.event(mention).status == 200
    quiet()
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_the_same_text_sent_twice_is_answered_twice(bot: Bot, fake: FakeSlack) -> None:
    """Deduplication is per delivery, not per question."""
    bot.event(payloads.dm_message("drug courts"))
    bot.event(payloads.dm_message("drug courts"))
    calls = fake.wait_for("chat.postMessage", count=2, timeout=10)
    assert all(c.ok for c in calls)
