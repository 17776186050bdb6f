"""The scheduler thread inside `serve`: wakes, runs a pass with the injected clock, survives a
failing pass and stops cleanly. No real waiting beyond a few milliseconds."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

import pytest

from bot.jobs.scheduler import TipScheduler
from bot.jobs.tips import TipRunner
from tests.jobs.conftest import posts, subscribe, utc
from tests.stand_in import FakeSlack


def wait_until(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(0.005)


def test_runs_at_start_then_every_interval_and_stops() -> None:
    seen: list[datetime] = []
    clock = iter(utc(f"2026-03-23T09:00:{s:02d}Z") for s in range(60))
    scheduler = TipScheduler(seen.append, interval=0.01, clock=lambda: next(clock))
    scheduler.start()
    scheduler.start()  # a second start does nothing
    wait_until(lambda: len(seen) >= 3)
    scheduler.stop()
    assert not scheduler.running
    count = len(seen)
    time.sleep(0.05)
    assert len(seen) == count  # nothing after stop
    assert seen[:3] == [
        utc("2026-03-23T09:00:00Z"),
        utc("2026-03-23T09:00:01Z"),
        utc("2026-03-23T09:00:02Z"),
    ]


def test_a_failing_pass_is_logged_and_the_next_one_runs(caplog: pytest.LogCaptureFixture) -> None:
    calls = []

    def flaky(now: datetime) -> None:
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("database is down")

    scheduler = TipScheduler(flaky, interval=0.01, clock=lambda: utc("2026-03-23T09:00:00Z"))
    with caplog.at_level(logging.ERROR, "toolkit_bot.tips"):
        scheduler.start()
        wait_until(lambda: len(calls) >= 2)
        scheduler.stop()
    assert "scheduled pass failed" in caplog.text and "database is down" in caplog.text


def test_stop_waits_for_the_pass_in_progress() -> None:
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def slow(now: datetime) -> None:
        started.set()
        release.wait(5)
        finished.set()

    scheduler = TipScheduler(slow, interval=60, clock=lambda: utc("2026-03-23T09:00:00Z"))
    scheduler.start()
    assert started.wait(5)
    threading.Timer(0.05, release.set).start()
    scheduler.stop()
    assert finished.is_set()


def test_the_scheduler_posts_a_due_tip_once_over_many_wakes(
    runner: TipRunner, fake: FakeSlack
) -> None:
    subscribe(runner.store, "C0TIPS1")
    now = [utc("2026-03-23T08:59:50Z")]

    def clock() -> datetime:
        now[0] += timedelta(seconds=5)  # each wake is five "seconds" later
        return now[0]

    scheduler = TipScheduler(runner.run_due, interval=0.005, clock=clock)
    scheduler.start()
    wait_until(lambda: scheduler.passes >= 20)
    scheduler.stop()
    assert posts(fake) == ["C0TIPS1"]
