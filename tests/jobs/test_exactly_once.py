"""Exactly once under concurrency: several PROCESSES run the same pass against one database
(SQLite file, and PostgreSQL when TEST_DATABASE_URL is set); the stand-in counts the posts."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from bot.store.subscriptions import TipStore
from tests.jobs.conftest import TOKEN, posts, subscribe, utc
from tests.jobs.workers import run_due_in_process
from tests.stand_in import FakeSlack

SCRIPT = Path(sys.executable).with_name("toolkit-bot")
ROOT = Path(__file__).resolve().parents[2]
CHANNELS = ("C0TIPS1", "C0TIPS2", "C0TIPS3", "C0TIPS4", "C0TIPS5")
PROCESSES = 4
SLOT = "2026-03-23T09:00:00+00:00"


def subscribe_all(store: TipStore) -> None:
    for channel in CHANNELS:
        subscribe(store, channel, days="daily")


def race(db_url: str, fake: FakeSlack, now: str) -> list[list[str]]:
    """PROCESSES spawned processes, released together by a barrier, each running one pass."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    workers = [
        context.Process(
            target=run_due_in_process, args=(db_url, fake.api_url, now, barrier, results)
        )
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    return outcomes


def assert_once_per_channel(fake: FakeSlack, store: TipStore) -> None:
    assert Counter(posts(fake)) == dict.fromkeys(CHANNELS, 1)
    assert [s.status for s in store.slots()] == ["posted"] * len(CHANNELS)


def test_processes_racing_post_each_slot_once(
    db_url: str, store: TipStore, fake: FakeSlack
) -> None:
    subscribe_all(store)
    fake.delay("chat.postMessage", 0.2)  # posts overlap other processes' claims
    outcomes = race(db_url, fake, SLOT)
    flat = Counter(o for found in outcomes for o in found)
    assert flat["posted"] == len(CHANNELS), outcomes
    assert set(flat) <= {"posted", "busy"}, outcomes
    assert_once_per_channel(fake, store)


def test_processes_racing_for_stale_claims_take_each_over_once(
    db_url: str, store: TipStore, fake: FakeSlack
) -> None:
    subscribe_all(store)
    for sub in store.active():  # a crashed process left every slot claimed
        store.insert_slot(sub.id, utc(SLOT), status="claimed", worker="crashed", now=utc(SLOT))
    later = (utc(SLOT) + timedelta(minutes=15)).isoformat()
    outcomes = race(db_url, fake, later)
    assert Counter(o for found in outcomes for o in found)["posted"] == len(CHANNELS), outcomes
    assert_once_per_channel(fake, store)
    assert {s.attempts for s in store.slots()} == {2}


def run_due_command(db_url: str, fake: FakeSlack, now: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(
        DATABASE_URL=db_url, SLACK_BOT_TOKEN=TOKEN, SLACK_API_URL=fake.api_url, LOG_LEVEL="INFO"
    )
    return subprocess.Popen(
        [str(SCRIPT), "tips", "run-due", "--now", now],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_run_due_commands_started_at_once_post_each_slot_once(
    db_url: str, store: TipStore, fake: FakeSlack
) -> None:
    subscribe_all(store)
    fake.delay("chat.postMessage", 0.2)
    commands = [run_due_command(db_url, fake, SLOT) for _ in range(PROCESSES)]
    done = [c.communicate(timeout=120) for c in commands]
    assert [c.returncode for c in commands] == [0] * PROCESSES, done
    for out, _ in done:
        assert out.startswith("tips run-due at 2026-03-23T09:00Z: ") and out.count("\n") == 1
    posted = sum(err.count("tip posted ") for _, err in done)
    assert posted == len(CHANNELS), done
    assert_once_per_channel(fake, store)


def test_run_due_twice_is_a_restart_that_posts_nothing_more(
    db_url: str, store: TipStore, fake: FakeSlack
) -> None:
    subscribe_all(store)
    first = run_due_command(db_url, fake, SLOT)
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert f"{len(CHANNELS)} posted" in out
    second = run_due_command(db_url, fake, "2026-03-23T09:05:00Z")
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert "0 posted" in out and f"{len(CHANNELS)} already done" in out
    assert_once_per_channel(fake, store)


@pytest.mark.parametrize("now", ["not-a-time", "2026-13-01T09:00"])
def test_a_bad_now_is_a_usage_error(db_url: str, fake: FakeSlack, now: str) -> None:
    command = run_due_command(db_url, fake, now)
    _, err = command.communicate(timeout=60)
    assert command.returncode == 2 and "ISO-8601" in err
