"""Handled Slack deliveries: a key is first seen once across threads, processes and instances."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from bot.config import Settings
from bot.store import handled
from bot.store.models import HandledEvent
from bot.store.store import Store
from tests.store.helpers import FakeClock, other_store, race


def count_keys(store: Store) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(HandledEvent)).scalar_one())


def test_first_time_once_per_key(store: Store) -> None:
    assert store.first_time("event:Ev1") is True
    assert store.first_time("event:Ev1") is False
    assert store.first_time("event:Ev2") is True


def test_another_instance_sees_the_key(store: Store, settings: Settings, clock: FakeClock) -> None:
    second = other_store(settings, clock)
    try:
        assert store.first_time("event:EvRetry") is True
        assert second.first_time("event:EvRetry") is False
    finally:
        second.close()


def test_long_keys_are_hashed_and_still_unique(store: Store) -> None:
    long_a, long_b = "message:" + "a" * 300, "message:" + "a" * 299 + "b"
    assert store.first_time(long_a) is True
    assert store.first_time(long_a) is False
    assert store.first_time(long_b) is True
    assert len(handled.short_key(long_a)) <= handled.MAX_KEY


def test_a_key_older_than_a_day_counts_as_new(store: Store, clock: FakeClock) -> None:
    assert store.first_time("event:Ev1") is True
    clock.advance(hours=23)
    assert store.first_time("event:Ev1") is False
    clock.advance(hours=2)
    assert store.first_time("event:Ev1") is True


def test_old_keys_are_purged_occasionally(store: Store, clock: FakeClock) -> None:
    ticks = iter([0.0, 10.0, 20.0, 7200.0, 7210.0])
    store.monotonic = lambda: next(ticks)
    store.first_time("old-1")  # purges at the first call (nothing old yet)
    store.first_time("old-2")
    clock.advance(days=2)
    store.first_time("new-1")  # 20 s later: no purge yet
    assert count_keys(store) == 3
    store.first_time("new-2")  # two hours later: the day-old keys go
    assert count_keys(store) == 2
    assert handled.purge(store.engine, clock()) == 0


def test_threads_racing_on_one_key_get_one_true(store: Store) -> None:
    threads = 16
    start = threading.Barrier(threads)

    def attempt(_: int) -> bool:
        start.wait(timeout=30)
        return store.first_time("event:EvRace")

    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(attempt, range(threads)))
    assert results.count(True) == 1, results


def test_processes_racing_on_one_key_get_one_true(store: Store, database_url: str) -> None:
    results = race("first_time", database_url, "event:EvProcessRace", processes=6)
    assert sorted(results) == [False] * 5 + [True]
    assert count_keys(store) == 1
