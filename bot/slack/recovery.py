"""Starting the delivery path, and taking over what a crashed instance left.

Every `interval` seconds a thread asks the ledger for messages due that no live instance holds
(this instance's own after a restart, or a dead peer's) and for work whose owner's lease ran
out. Messages that may already have been sent are marked uncertain, so the sender reads the
conversation back before posting again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace

from slack_sdk import WebClient

from bot.slack import errors
from bot.slack.pool import WorkPool
from bot.slack.sending import CHECKABLE, Sender
from bot.slack.services import Services
from bot.slack.threads import thread_key
from bot.slack.work import process
from bot.store.outbox import Owed, Work

log = logging.getLogger("toolkit_bot.delivery")
#: Threads posting to Slack (I/O bound: each waits on Slack's answer) and threads doing acked
#: work (CPU bound: the matcher, the database); chosen with benchmarks/load.py (README).
SENDER_WORKERS = 4
WORK_THREADS = 4


class Recovery:
    """A daemon thread that hands leftover messages and work to this instance."""

    def __init__(self, services: Services, interval: float = 2.0) -> None:
        self._services, self._interval = services, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="recovery", daemon=True)

    def start(self) -> Recovery:
        """Start (a first pass runs at once)."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop after the current pass."""
        self._stop.set()
        self._thread.join(5)

    def run_once(self) -> int:
        """One pass; how many messages and work items it took over."""
        ledger, taken = self._services.ledger, 0
        for owed in ledger.due():
            self._services.send(replace(owed, uncertain=owed.uncertain or owed.method in CHECKABLE))
            taken += 1
        for work in ledger.stale_work():
            log.info("taking over %s work left unfinished", work.kind)
            process(self._services, work, recovered=True)
            taken += 1
        return taken

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # keep recovering; one bad row must not stop the loop
                log.exception("recovery pass failed")
            self._stop.wait(self._interval)


def start_delivery(
    services: Services,
    client_for: Callable[[str], WebClient | None],
    *,
    workers: int = SENDER_WORKERS,
    work_threads: int = WORK_THREADS,
) -> tuple[WorkPool, Sender, Recovery]:
    """Start the work pool, the sender and the recovery thread for these services."""

    def follow(owed: Owed, ts: str | None) -> None:
        """A top-level DM answer: a reply in its own thread continues the conversation."""
        key = owed.payload.get("_follow")
        if key and ts:
            services.threads.put(
                thread_key(owed.team_id, owed.channel, ts), services.threads.get(key)
            )

    sender = Sender(
        client_for, services.ledger, workers=workers, on_sent=follow, metrics=services.metrics
    ).start()
    services.sender = sender
    services.metrics.watch_sender(sender)

    def failed(work: Work, exc: Exception) -> None:
        errors.failed(services, work.kind, exc, work.data.get("response_url"))

    pool = WorkPool(
        lambda work: process(services, work),
        workers=work_threads,
        on_error=failed,
        pressure=services.pressure,
    )
    pool.start()
    services.pool = pool
    services.metrics.watch_pool(pool)
    return pool, sender, Recovery(services).start()
