"""Off the happy path, in HTTP mode and in Socket Mode: every question answered exactly once.

Each case drives the real `toolkit-bot serve` through the stand-in while Slack (or the
database) misbehaves, then counts the bot's answers the way Slack would show them: messages in
each thread carrying the bot's delivery metadata.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from tests.slack.conftest import Bot, running, wait_until
from tests.stand_in import FakeSlack, payloads
from tests.stand_in.defaults import BOT_USER_ID
from tests.stand_in.faults import Chaos

QUESTIONS = ("drug courts", "does cctv work", "hot spots policing", "mentoring", "boot camps")


def answers_in(fake: FakeSlack, channel: str, thread: str | None) -> list[dict[str, Any]]:
    """The bot's answers in one thread (or at a DM's top level), as Slack would list them."""
    found = [m for m in fake.messages_in(channel) if (m.get("metadata") or {}).get("event_payload")]
    return [m for m in found if m.get("thread_ts") == thread]


def dm_answers(fake: FakeSlack, event: dict[str, Any]) -> list[dict[str, Any]]:
    """The bot's top-level answers in that question's DM (the stand-in's clock, not the
    payload's, stamps them, so they are told apart by the DM, not by time)."""
    return answers_in(fake, event["channel"], None)


def mentions(fake: FakeSlack, count: int, channels: int = 5) -> list[dict[str, Any]]:
    """`count` @mentions spread over `channels` channels (Slack paces each channel)."""
    names = [f"CFAULT{i}" for i in range(channels)]
    for name in names:
        fake.set_channel(name)
    return [
        payloads.app_mention(
            f"<@{BOT_USER_ID}> {QUESTIONS[i % len(QUESTIONS)]}", channel=names[i % channels]
        )
        for i in range(count)
    ]


def each_answered_once(fake: FakeSlack, events: list[dict[str, Any]], timeout: float) -> None:
    """Wait until every question has an answer; then check none has two."""

    def done() -> bool:
        return all(answers_in(fake, e["channel"], e["ts"]) for e in events)

    wait_until(done, timeout=timeout)
    time.sleep(1.5)  # anything doubled would land by now
    counts = [len(answers_in(fake, e["channel"], e["ts"])) for e in events]
    assert counts == [1] * len(events), counts


def test_a_5xx_after_slack_posted_is_not_posted_again(bot: Bot, fake: FakeSlack) -> None:
    fake.server_error_after_commit("chat.postMessage")
    [event] = mentions(fake, 1)
    assert bot.event(event).seconds < 3
    each_answered_once(fake, [event], timeout=15)
    assert fake.calls_to("conversations.replies"), "the bot read the thread back before retrying"


def test_a_dm_answer_after_a_5xx_after_commit_is_not_doubled(bot: Bot, fake: FakeSlack) -> None:
    fake.server_error_after_commit("chat.postMessage")
    event = payloads.dm_message("what is a drug court?")
    before = len(dm_answers(fake, event))
    bot.event(event)
    wait_until(lambda: len(dm_answers(fake, event)) > before, timeout=15)
    time.sleep(1.5)
    assert len(dm_answers(fake, event)) == before + 1
    assert fake.calls_to("conversations.history"), "the DM was read back before retrying"


@pytest.mark.parametrize(
    "chaos",
    [
        Chaos(rate_limited=0.3, retry_after=1),
        Chaos(server_error=0.2, after_commit=0.2),
    ],
    ids=["30% 429", "20% 5xx + 20% 5xx after commit"],
)
def test_storms_answer_every_question_exactly_once(bot: Bot, fake: FakeSlack, chaos: Chaos) -> None:
    fake.chaos("chat.postMessage", chaos)
    events = mentions(fake, 20)
    acks = [bot.event(event).seconds for event in events]
    assert max(acks) < 3, acks
    each_answered_once(fake, events, timeout=60)


def test_a_rate_limit_delays_only_that_workspace_method(bot: Bot, fake: FakeSlack) -> None:
    fake.rate_limit("chat.postMessage", retry_after=2)
    [first, second] = mentions(fake, 2, channels=2)
    started = time.monotonic()
    bot.event(first)
    bot.event(second)
    each_answered_once(fake, [first, second], timeout=15)
    assert time.monotonic() - started >= 1.8, "Retry-After was honoured, not hammered"
    assert bot.log().count("Traceback") == 0


@pytest.mark.slow
def test_kill_9_mid_burst_loses_nothing_and_doubles_nothing(
    bot: Bot, fake: FakeSlack, tmp_path: Path
) -> None:
    """Acked questions survive a crash: the next instance finishes the work from the record."""
    home, url = tmp_path / "a", f"sqlite:///{tmp_path / 'shared.db'}"
    home.mkdir()
    events = mentions(fake, 24)
    fake.delay("chat.postMessage", 0.2)  # answers still owed when the process dies
    with running(bot.mode, fake, home, DATABASE_URL=url, DELIVERY_LEASE_SECONDS="2") as first:
        for event in events[:16]:
            assert first.event(event).status == 200
        first.process.kill()
        first.process.wait(10)
    answered_before = sum(bool(answers_in(fake, e["channel"], e["ts"])) for e in events[:16])
    fake.delay("chat.postMessage", 0)
    later = tmp_path / "b"
    later.mkdir()
    with running(bot.mode, fake, later, DATABASE_URL=url, DELIVERY_LEASE_SECONDS="2") as second:
        for event in events[:4]:  # Slack-style retries of some acked ones: recognised, dropped
            second.event(event, event_id=None, retry=1)
        for event in events[16:]:
            second.event(event)
        each_answered_once(fake, events, timeout=60)
    assert answered_before < 16, "the crash came with answers still owed (a real test)"


def test_a_locked_database_delays_no_answer(bot: Bot, fake: FakeSlack, tmp_path: Path) -> None:
    """Another process holds the SQLite file's write lock: answers still come within a second."""
    path = tmp_path / "locked.db"
    with running(bot.mode, fake, tmp_path, DATABASE_URL=f"sqlite:///{path}") as served:
        locker = sqlite3.connect(path, timeout=10, isolation_level=None)  # after start-up writes
        locker.execute("BEGIN EXCLUSIVE")
        try:
            for text in ("drug courts", "mentoring", "cctv"):
                event = payloads.dm_message(text)
                sent = time.monotonic()
                assert served.event(event).seconds < 1.5
                wait_until(lambda e=event: dm_answers(fake, e), timeout=10)
                assert time.monotonic() - sent < 2.0
                fake.reset()
        finally:
            locker.rollback()
            locker.close()
        assert "database unavailable" in served.log()
        assert served.log().count("Traceback") == 0
