"""RecentKeys: a delivery is handled once, however often Slack retries it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from bot.slack.dedupe import RecentKeys, Seen


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_first_time_is_true_once_per_key() -> None:
    seen = RecentKeys()
    assert seen.first_time("Ev1") is True
    assert seen.first_time("Ev1") is False
    assert seen.first_time("Ev1") is False
    assert seen.first_time("Ev2") is True
    assert seen.first_time("ev1") is True  # keys are exact strings


def test_is_a_seen_store() -> None:
    store: Seen = RecentKeys()
    assert store.first_time("x")


def test_keys_expire_after_the_ttl() -> None:
    clock = Clock()
    seen = RecentKeys(ttl=60, clock=clock)
    assert seen.first_time("a")
    clock.now += 30
    assert seen.first_time("b")
    clock.now += 30  # a is exactly 60 s old: still remembered
    assert not seen.first_time("a")
    clock.now += 0.5  # a is older than the TTL, b is not
    assert seen.first_time("a")
    assert not seen.first_time("b")
    clock.now += 61
    assert seen.first_time("b")


def test_a_repeat_does_not_refresh_the_ttl() -> None:
    clock = Clock()
    seen = RecentKeys(ttl=10, clock=clock)
    assert seen.first_time("k")
    clock.now += 9
    assert not seen.first_time("k")
    clock.now += 2  # 11 s after the first sighting
    assert seen.first_time("k")


def test_default_ttl_covers_slack_retries() -> None:
    clock = Clock()
    seen = RecentKeys(clock=clock)
    assert seen.first_time("k")
    clock.now += 59 * 60
    assert not seen.first_time("k")
    clock.now += 2 * 60
    assert seen.first_time("k")


def test_size_limit_forgets_the_oldest_keys() -> None:
    seen = RecentKeys(limit=3)
    for key in ("k1", "k2", "k3", "k4"):
        assert seen.first_time(key)
    assert not seen.first_time("k4")
    assert not seen.first_time("k3")
    assert not seen.first_time("k2")
    assert seen.first_time("k1")  # the oldest was dropped to stay within the limit


def test_memory_stays_bounded() -> None:
    seen = RecentKeys(limit=100)
    for i in range(10_000):
        seen.first_time(f"key-{i}")
    assert len(seen._seen) <= 101
    assert not seen.first_time("key-9999")
    assert seen.first_time("key-0")


def test_many_threads_racing_on_one_key_get_exactly_one_true() -> None:
    for _ in range(20):
        seen = RecentKeys()
        threads = 32
        barrier = threading.Barrier(threads)

        def race(seen: RecentKeys = seen, barrier: threading.Barrier = barrier) -> bool:
            barrier.wait()
            return seen.first_time("same-event")

        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(lambda _: race(), range(threads)))
        assert results.count(True) == 1


def test_many_threads_many_keys_each_key_true_once() -> None:
    seen = RecentKeys()
    keys = [f"e{i}" for i in range(500)]

    def claim(_: int) -> list[str]:
        return [k for k in keys if seen.first_time(k)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        won = [k for got in pool.map(claim, range(8)) for k in got]
    assert sorted(won) == sorted(keys)
