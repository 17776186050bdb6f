"""Helpers for the storage tests: a hand-moved clock, table scans, process races."""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, inspect, text

from bot.config import Settings
from bot.store.store import Store, open_store
from tests.store.workers import run_in_child

START = datetime(2026, 3, 2, 9, 30)  # naive UTC, like the schema


@dataclass
class FakeClock:
    """A clock tests move by hand (naive UTC)."""

    now: datetime = field(default=START)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def other_store(settings: Settings, clock: FakeClock, **changes: Any) -> Store:
    """A second instance on the same database (as another process would have)."""
    return open_store(replace(settings, **changes), clock=clock)


def all_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as read back."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            found[name] = [tuple(r) for r in connection.execute(text(f'SELECT * FROM "{name}"'))]
    return found


def race(job: str, url: str, arg: Any, processes: int = 6) -> list[Any]:
    """Run `job` in several spawned processes at once; their results (in any order)."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(processes), ctx.Queue()
    children = [
        ctx.Process(target=run_in_child, args=(job, url, arg, barrier, results))
        for _ in range(processes)
    ]
    for child in children:
        child.start()
    found = [results.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=30)
    errors = [r for r in found if isinstance(r, str) and r.startswith("error:")]
    assert not errors, errors
    return found
