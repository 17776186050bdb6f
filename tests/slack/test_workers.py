"""The threads behind the work pool and the sender: they run, and stop when asked."""

from __future__ import annotations

import threading

from bot.slack.workers import Workers


def test_every_thread_runs_until_stopped_and_stop_waits_for_them() -> None:
    ran: list[str] = []
    workers: Workers

    def loop() -> None:
        with workers.cond:
            ran.append(threading.current_thread().name)
            while not workers.stopping:
                workers.cond.wait()

    workers = Workers(loop, count=3, name="probe")
    workers.start()
    while True:
        with workers.cond:
            if len(ran) == 3:
                break
    workers.stop(timeout=5.0)
    assert sorted(ran) == ["probe-0", "probe-1", "probe-2"]
    assert not any(t.name.startswith("probe-") for t in threading.enumerate())
