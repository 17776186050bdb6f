"""Prometheus metrics (prometheus_client), served as /metrics in the text exposition format.

One `Metrics` per Services, each with a registry of its own rather than prometheus_client's
global default: tests (and the local preview) build many Services in one process, and the
default registry would refuse the second set of names, or let one test's counts leak into
the next. The process's own collectors (CPU, memory, file descriptors, GC) are registered in it
too, so one scrape has everything.

One instance is one scrape target, whichever of its processes answers. Socket Mode is one
process. HTTP mode runs several gunicorn workers (WEB_CONCURRENCY, one per core: README
"Capacity and load"), so `toolkit-bot serve` switches prometheus_client to its multiprocess
mode first (`use_multiprocess`, from bot/cli.py, in the master before the workers fork): every
worker writes its counters and histograms to memory-mapped files in a directory of the run's
own, and /metrics adds them all up. The per-process numbers (each worker's queues, its memory
and CPU) are published by each worker once a second as gauges summed over the live workers
(the oldest ages: the largest); gunicorn's master marks a worker that exits, so its gauges
drop out (`worker_gone`), while its counts stay in the totals. The database's gauges are read by
the worker answering. Counters restart at zero when the instance does; Prometheus's rate()
and increase() allow for that. Several instances are several scrape targets.

What is measured:

- `toolkit_bot_questions_total{surface}`: questions received (dm, mention, shortcut, command),
  counted as each is acked (a retry or replay of one is not counted again);
- `toolkit_bot_answers_total{surface,intent}`: questions answered, by the answer's intent;
- `toolkit_bot_declines_total{surface}`: questions the knowledge base could not answer;
- `toolkit_bot_answer_seconds{surface}`: from receipt (before the ack) to the reply composed
  and handed to the sender: the bot's own time. Slack's time to take the post is left out; a
  backlog there shows as outbox age, and Slack's refusals as API errors;
- `toolkit_bot_busy_replies_total{surface}`: questions that waited longer than the busy limit
  for the work pool and got a short "busy, try again in a minute" reply instead (bot/slack/pool.py);
- `toolkit_bot_slack_api_errors_total{method,code}`: failed attempts to deliver a message
  (Slack's error code, `http_<status>`, or `network`), 429s included as `ratelimited`;
- `toolkit_bot_outbox_depth`, `toolkit_bot_outbox_oldest_age_seconds`: deliveries pending in
  the database, across every instance, read at scrape time;
- `toolkit_bot_sender_queue_depth`, `toolkit_bot_sender_oldest_age_seconds`: deliveries queued
  or in flight in this process's sender (there with or without a database);
- `toolkit_bot_work_queue_depth`, `toolkit_bot_work_oldest_age_seconds`: acked work waiting
  for (or in) this process's work pool, and how long the oldest has waited;
- `toolkit_bot_database_up`: 1 when the scrape's read of the database answered, else 0 (also 0
  when the bot runs without one). The read goes through the store's circuit breaker: a hung
  database costs a scrape at most the breaker's time limit, and none while it is open.
"""

from __future__ import annotations

import logging
import resource
import threading
import time
from collections.abc import Callable, Iterable, MutableMapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    make_wsgi_app,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from bot.store.outbox import Depth

log = logging.getLogger("toolkit_bot")
#: Where questions come from.
SURFACES = ("dm", "mention", "shortcut", "command")
#: The intent of an answer that declined (bot.engine): counted as a decline, not an answer.
DECLINED = "fallback"
#: Answering takes milliseconds; Slack allows 3 seconds for an ack.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Outbox(Protocol):
    """What the metrics read from the store (bot.store.store.Store)."""

    def outbox_depth(self) -> Depth: ...


class Guard(Protocol):
    """The store's circuit breaker (bot.store.guard.Breaker)."""

    def call(self, what: str, action: Callable[[], Any], fallback: Callable[[], Any]) -> Any: ...


class Queue(Protocol):
    """A queue in this process: the sender's (bot.slack.sending) or the work pool's."""

    @property
    def depth(self) -> int: ...

    def oldest_age(self) -> float: ...


def utc_now() -> datetime:
    """Now as naive UTC (the schema's convention)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Metrics:
    """The bot's metrics and the registry they are served from."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        reg = self.registry
        self.questions = Counter(
            "toolkit_bot_questions", "Questions received, by surface.", ["surface"], registry=reg
        )
        self.answers = Counter(
            "toolkit_bot_answers",
            "Questions answered, by surface and the answer's intent.",
            ["surface", "intent"],
            registry=reg,
        )
        self.declines = Counter(
            "toolkit_bot_declines",
            "Questions the knowledge base could not answer, by surface.",
            ["surface"],
            registry=reg,
        )
        self.answer_seconds = Histogram(
            "toolkit_bot_answer_seconds",
            "Seconds from receiving a question to its reply composed and handed to the sender.",
            ["surface"],
            buckets=BUCKETS,
            registry=reg,
        )
        self.busy_replies = Counter(
            "toolkit_bot_busy_replies",
            "Questions that waited too long and got a short busy reply instead, by surface.",
            ["surface"],
            registry=reg,
        )
        self.slack_errors = Counter(
            "toolkit_bot_slack_api_errors",
            "Failed attempts to deliver to Slack, by API method and error code.",
            ["method", "code"],
            registry=reg,
        )
        for surface in SURFACES:  # every series exists from the start, at 0
            self.questions.labels(surface)
            self.declines.labels(surface)
            self.answer_seconds.labels(surface)
            self.busy_replies.labels(surface)
        self._state = StateCollector()
        reg.register(self._state)
        self._shared: Shared | None = None
        if _MULTIPROCESS["dir"]:  # several gunicorn workers: see use_multiprocess
            self._shared = Shared(_MULTIPROCESS["dir"], self._state)
            return
        ProcessCollector(registry=reg)
        PlatformCollector(registry=reg)
        GCCollector(registry=reg)

    # -- recording -----------------------------------------------------------------------

    def asked(self, surface: str) -> None:
        """A question arrived."""
        self.questions.labels(surface).inc()

    def answered(self, surface: str, intent: str, seconds: float | None = None) -> None:
        """A question's reply was composed (a decline when the intent is `fallback`)."""
        if intent == DECLINED:
            self.declines.labels(surface).inc()
        else:
            self.answers.labels(surface, intent or "unknown").inc()
        if seconds is not None:
            self.answer_seconds.labels(surface).observe(max(0.0, seconds))

    def busy(self, surface: str) -> None:
        """A question got the busy reply instead of its answer."""
        self.busy_replies.labels(surface).inc()

    def slack_error(self, method: str, code: str) -> None:
        """An attempt to deliver failed."""
        self.slack_errors.labels(method, code or "unknown").inc()

    # -- what is read at scrape time -----------------------------------------------------

    def watch_store(
        self, store: Outbox, breaker: Guard, clock: Callable[[], datetime] = utc_now
    ) -> None:
        """Read the outbox depth and the database's availability from `store` at each scrape."""
        self._state.store, self._state.breaker, self._state.clock = store, breaker, clock

    def watch_sender(self, sender: Queue) -> None:
        """Report the sender's own queue at each scrape."""
        self._state.sender = sender
        if self._shared is not None:
            self._shared.start()

    def watch_pool(self, pool: Queue) -> None:
        """Report the work pool's queue at each scrape."""
        self._state.pool = pool
        if self._shared is not None:
            self._shared.start()

    def wsgi(self) -> Callable[..., Iterable[bytes]]:
        """A WSGI app serving the registry (content negotiation and gzip by prometheus_client);
        with several workers, what they all wrote to the shared directory."""
        registry = self._shared.registry() if self._shared is not None else self.registry
        app: Callable[..., Iterable[bytes]] = make_wsgi_app(registry)
        return app


#: Set by use_multiprocess before any Metrics is made.
_MULTIPROCESS: dict[str, str] = {"dir": ""}


def use_multiprocess(directory: str, environ: MutableMapping[str, str]) -> None:
    """Several gunicorn workers serve one instance: from now on every Metrics keeps its counts
    in memory-mapped files under `directory` (prometheus_client's multiprocess mode), and
    /metrics, whichever worker answers it, adds up every worker's. Call it in the master, before
    the workers fork and before any Metrics is made; `environ` is the process's environment
    (prometheus_client finds the directory there)."""
    from prometheus_client import values

    environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    values.ValueClass = values.MultiProcessValue()  # type: ignore[no-untyped-call]
    _MULTIPROCESS["dir"] = directory


def worker_gone(pid: int) -> None:
    """A gunicorn worker exited (called in the master): its live gauges stop counting."""
    if _MULTIPROCESS["dir"]:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid, _MULTIPROCESS["dir"])  # type: ignore[no-untyped-call]


class Shared:
    """Multiprocess mode: the per-process numbers each worker publishes once a second (its
    queues, its memory and CPU), summed (or the oldest age: the largest) over the live workers;
    the database's gauges are read by the worker answering the scrape."""

    def __init__(self, directory: str, state: StateCollector) -> None:
        self._directory, self._state = directory, state
        self._started = False
        self._gauges = {
            "sender_depth": Gauge(
                "toolkit_bot_sender_queue_depth",
                "Deliveries queued or in flight in the workers' senders.",
                registry=None,
                multiprocess_mode="livesum",
            ),
            "sender_age": Gauge(
                "toolkit_bot_sender_oldest_age_seconds",
                "Age of the oldest delivery queued in any worker's sender (0 when none).",
                registry=None,
                multiprocess_mode="livemax",
            ),
            "pool_depth": Gauge(
                "toolkit_bot_work_queue_depth",
                "Acked work queued or being done in the workers' work pools.",
                registry=None,
                multiprocess_mode="livesum",
            ),
            "pool_age": Gauge(
                "toolkit_bot_work_oldest_age_seconds",
                "Seconds the oldest work queued in any worker has waited (0 when none).",
                registry=None,
                multiprocess_mode="livemax",
            ),
            "rss": Gauge(
                "process_resident_memory_bytes",
                "Resident memory of the gunicorn workers, added up.",
                registry=None,
                multiprocess_mode="livesum",
            ),
            "cpu": Gauge(
                "process_cpu_seconds_total",
                "CPU seconds the live gunicorn workers have used, added up.",
                registry=None,
                multiprocess_mode="livesum",
            ),
        }

    def start(self) -> None:
        """Publish this worker's numbers every second, from a daemon thread (once)."""
        if self._started:
            return
        self._started = True
        threading.Thread(target=self._loop, name="metrics-publisher", daemon=True).start()

    def publish(self) -> None:
        """This worker's numbers, now."""
        sender, pool, gauges = self._state.sender, self._state.pool, self._gauges
        if sender is not None:
            gauges["sender_depth"].set(sender.depth)
            gauges["sender_age"].set(sender.oldest_age())
        if pool is not None:
            gauges["pool_depth"].set(pool.depth)
            gauges["pool_age"].set(pool.oldest_age())
        cpu, rss = own_usage()
        gauges["cpu"].set(cpu)
        gauges["rss"].set(rss)

    def registry(self) -> CollectorRegistry:
        """What a scrape shows: every worker's files, and the database read now."""
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=self._directory)  # type: ignore[no-untyped-call]
        registry.register(DatabaseState(self._state))
        return registry

    def _loop(self) -> None:
        while True:
            try:
                self.publish()
            except Exception:  # never let a metrics bug take a worker's thread down noisily
                log.debug("publishing metrics failed", exc_info=True)
            time.sleep(1.0)


def own_usage() -> tuple[float, int]:
    """(CPU seconds, resident bytes) of this process."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    try:
        with open("/proc/self/statm", "rb") as handle:
            rss = int(handle.read().split()[1]) * resource.getpagesize()
    except (OSError, IndexError, ValueError):
        rss = usage.ru_maxrss * 1024
    return usage.ru_utime + usage.ru_stime, rss


class DatabaseState(Collector):
    """Only the database's gauges of a StateCollector (the queues come from the files)."""

    def __init__(self, state: StateCollector) -> None:
        self._state = state

    def describe(self) -> Iterable[Metric]:
        return []

    def collect(self) -> Iterable[Metric]:
        for family in self._state.collect():
            if not family.name.startswith(("toolkit_bot_sender_", "toolkit_bot_work_")):
                yield family


class StateCollector(Collector):
    """Gauges read when scraped: the outbox in the database, the sender's queue, the database."""

    def __init__(self) -> None:
        self.store: Outbox | None = None
        self.breaker: Guard | None = None
        self.sender: Queue | None = None
        self.pool: Queue | None = None
        self.clock: Callable[[], datetime] = utc_now

    def describe(self) -> Iterable[Metric]:
        """Nothing up front: the registry then never scrapes the database just to register."""
        return []

    def collect(self) -> Iterable[Metric]:
        """The gauges; the database ones only when the read answered (never an error)."""
        depth = self._depth()
        if depth is not None:
            oldest = 0.0
            if depth.oldest is not None:
                oldest = max(0.0, (self.clock() - depth.oldest).total_seconds())
            yield GaugeMetricFamily(
                "toolkit_bot_outbox_depth",
                "Deliveries pending in the database (every instance's).",
                value=depth.pending,
            )
            yield GaugeMetricFamily(
                "toolkit_bot_outbox_oldest_age_seconds",
                "Age of the oldest delivery pending in the database (0 when none).",
                value=oldest,
            )
        yield GaugeMetricFamily(
            "toolkit_bot_database_up",
            "1 when the database answered this scrape, else 0.",
            value=1 if depth is not None else 0,
        )
        if self.sender is not None:
            yield GaugeMetricFamily(
                "toolkit_bot_sender_queue_depth",
                "Deliveries queued or in flight in this process's sender.",
                value=self.sender.depth,
            )
            yield GaugeMetricFamily(
                "toolkit_bot_sender_oldest_age_seconds",
                "Age of the oldest delivery queued in this process's sender (0 when none).",
                value=self.sender.oldest_age(),
            )

        if self.pool is not None:
            yield GaugeMetricFamily(
                "toolkit_bot_work_queue_depth",
                "Acked work queued or being done in this process's work pool.",
                value=self.pool.depth,
            )
            yield GaugeMetricFamily(
                "toolkit_bot_work_oldest_age_seconds",
                "Seconds the oldest work queued in this process has waited (0 when none).",
                value=self.pool.oldest_age(),
            )

    def _depth(self) -> Depth | None:
        store, breaker = self.store, self.breaker
        if store is None or breaker is None:
            return None
        found: Depth | None = breaker.call(
            "reading the outbox for /metrics", store.outbox_depth, lambda: None
        )
        return found
