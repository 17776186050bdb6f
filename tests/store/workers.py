"""Code run in child processes (spawned, so it must be importable) by the concurrency tests."""

from __future__ import annotations

from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

from bot.store import migrate
from bot.store.db import make_engine
from bot.store.store import Store


def run_in_child(job: str, url: str, arg: Any, barrier: Barrier, results: Queue[Any]) -> None:
    """Connect first, wait until every child is ready, then all do `job` at the same moment."""
    engine = make_engine(url)
    try:
        with engine.connect():  # the connection is made before the race starts
            pass
        store = Store(engine)
        barrier.wait(timeout=60)
        if job == "first_time":
            results.put(store.first_time(str(arg)))
        elif job == "declined":
            for _ in range(int(arg[1])):
                store.record_declined("T1", str(arg[0]))
            results.put(True)
        elif job == "upgrade":
            migrate.upgrade(engine)
            results.put(migrate.current(engine))
        elif job == "hash_key":
            results.put(store.hash_key().decode())
        else:
            raise ValueError(job)
    except Exception as exc:  # reported to the parent, which fails the test with it
        results.put(f"error: {exc!r}")
    finally:
        engine.dispose()
