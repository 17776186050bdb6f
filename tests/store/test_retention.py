"""Retention: question logs older than RETENTION_DAYS go (only those); the daily worker."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
import time_machine
from sqlalchemy import select

from bot.config import Settings
from bot.store.feedback import Vote
from bot.store.models import DeclinedQuestion, DeliveryFailure, FeedbackVote, HandledEvent
from bot.store.retention import RetentionWorker
from bot.store.runtime import purge_once, start_retention
from bot.store.store import Store, utc_now
from tests.store.helpers import FakeClock, other_store


def texts(store: Store) -> dict[str, list[object]]:
    with store.engine.connect() as connection:
        return {
            "declined": connection.execute(select(DeclinedQuestion.text)).scalars().all(),
            "questions": connection.execute(select(FeedbackVote.question)).scalars().all(),
            "comments": connection.execute(select(FeedbackVote.comment)).scalars().all(),
            "votes": connection.execute(select(FeedbackVote.helpful)).scalars().all(),
            "failures": connection.execute(select(DeliveryFailure.what)).scalars().all(),
            "handled": connection.execute(select(HandledEvent.key)).scalars().all(),
        }


def fill(store: Store, label: str) -> None:
    store.record_declined("T1", f"{label} question")
    store.record_vote(Vote("T1", "U1", "entry:drug-courts", False, f"{label} vote", f"{label} why"))
    store.record_failure(f"{label} post", "channel_not_found")
    store.first_time(f"{label}-event")


def test_only_logs_older_than_the_retention_period_go(store: Store, clock: FakeClock) -> None:
    assert store.retention_days == 90
    fill(store, "old")
    clock.advance(days=60)
    fill(store, "recent")
    clock.advance(days=31)  # "old" is 91 days old, "recent" 31
    purged = store.apply_retention()
    assert (purged.declined, purged.feedback_texts, purged.failures) == (1, 1, 1)
    assert purged.handled == 2
    left = texts(store)
    assert left["declined"] == ["recent question"]
    assert sorted(left["questions"]) == ["", "recent vote"]
    assert sorted(left["comments"]) == ["", "recent why"]
    assert left["votes"] == [False, False]  # votes stay for the helpful ratio
    assert left["failures"] == ["recent post"]
    assert left["handled"] == []  # event keys live a day


def test_a_question_asked_again_is_kept(store: Store, clock: FakeClock) -> None:
    store.record_declined("T1", "parking fines")
    clock.advance(days=89)
    store.record_declined("T1", "parking fines")  # last_seen moves on
    clock.advance(days=2)
    assert store.apply_retention().declined == 0
    assert texts(store)["declined"] == ["parking fines"]


def test_the_retention_period_is_configurable(settings: Settings, clock: FakeClock) -> None:
    short = other_store(settings, clock, retention_days=7)
    try:
        fill(short, "week-old")
        clock.advance(days=8)
        assert short.apply_retention().declined == 1
    finally:
        short.close()


def test_the_worker_runs_at_start_and_then_daily_without_real_waiting(
    store: Store, clock: FakeClock
) -> None:
    waits: list[float] = []
    passes: list[datetime] = []

    def wait(seconds: float) -> bool:  # one "day" passes per wait; stop after three
        waits.append(seconds)
        clock.advance(days=1)
        return len(waits) == 3

    def job() -> None:
        passes.append(clock())
        purge_once(store)

    fill(store, "old")
    RetentionWorker(job, wait=wait).loop()
    assert len(passes) == 3 and waits == [86400.0] * 3
    assert texts(store)["handled"] == []  # purged on the second pass, a day later


def test_the_thread_applies_retention_at_start(store: Store, clock: FakeClock) -> None:
    fill(store, "old")
    clock.advance(days=100)
    first_pass_done = threading.Event()

    def wait(seconds: float) -> bool:  # called after the first pass: stop there
        first_pass_done.set()
        return True

    worker = start_retention(store, wait=wait)
    assert first_pass_done.wait(timeout=10)
    worker.stop()
    assert texts(store)["declined"] == []


def test_a_failing_pass_is_logged_and_the_worker_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[int] = []

    def job() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")

    RetentionWorker(job, wait=lambda _: len(calls) >= 2).loop()
    assert len(calls) == 2
    assert "retention pass failed: database went away" in caplog.text


def test_the_real_clock_is_naive_utc() -> None:
    with time_machine.travel(datetime.fromisoformat("2026-07-01T12:00:00+01:00"), tick=False):
        assert utc_now() == datetime(2026, 7, 1, 11, 0)
