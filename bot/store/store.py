"""The durable state of the bot: one `Store` per process, opened by `open_store(settings)`.

Every method is one short transaction on the shared database (SQLite file or PostgreSQL), so
several instances can use it at once. Methods raise SQLAlchemy errors; the Slack adapters
(bot/slack/stored.py) catch them so an answer never depends on the database.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.errors import ToolkitBotError
from bot.store import (
    failures,
    feedback,
    handled,
    migrate,
    outbox,
    report,
    retention,
    threads,
    usage,
)
from bot.store.db import describe, make_engine
from bot.store.feedback import Vote

Clock = Callable[[], datetime]
#: One write run inside a transaction another caller opened: (connection, now).
Write = Callable[[Connection, datetime], object]
#: How often first_time() also forgets keys older than a day (seconds of the monotonic clock).
PURGE_EVERY = 3600.0
#: How long an instance holds work or a message it took: past this, another instance takes it.
LEASE = timedelta(seconds=30)


class StoreUnavailable(ToolkitBotError):
    """The database cannot be reached or is not usable; the message says which and why."""


def utc_now() -> datetime:
    """Now, as the naive UTC the schema stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def reason(exc: BaseException) -> str:
    """The first line of a database error, without SQLAlchemy's boilerplate."""
    inner = getattr(exc, "orig", None) or exc
    text = str(inner).strip().splitlines()
    return (text[0] if text else type(inner).__name__)[:300]


@dataclass
class Store:
    """Typed access to the bot's tables."""

    engine: Engine
    retention_days: int = 90
    hash_secret: str | None = None
    clock: Clock = utc_now
    lease: timedelta = LEASE
    monotonic: Callable[[], float] = time.monotonic
    _key: bytes | None = field(default=None, repr=False)
    _key_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _last_purge: float = field(default=float("-inf"), repr=False)

    @property
    def url(self) -> str:
        """The database URL without its password."""
        return self.engine.url.render_as_string(hide_password=True)

    # -- across instances -----------------------------------------------------------------

    def first_time(self, key: str) -> bool:
        """True once per key across every instance (a Slack retry is answered once)."""
        now = self.clock()
        result = handled.first_time(self.engine, key, now)
        tick = self.monotonic()
        if tick - self._last_purge >= PURGE_EVERY:
            self._last_purge = tick
            handled.purge(self.engine, now)
            threads.purge(self.engine, now)
            outbox.purge(self.engine, now)
        return result

    def thread_context(self, key: str) -> tuple[str, ...]:
        """The entries a Slack thread is about (any instance wrote it), or ()."""
        return threads.get(self.engine, key, self.clock())

    def remember_thread(self, key: str, entries: tuple[str, ...]) -> None:
        """Keep what a Slack thread is about, for its follow-ups."""
        threads.put(self.engine, key, entries, self.clock())

    # -- work and deliveries (the outbox) -------------------------------------------------

    def accept_work(self, work: outbox.Work) -> bool:
        """Record work owed for an acked request; False for a retry or replay of one."""
        return outbox.accept(self.engine, work, self.clock(), self.lease)

    def complete_work(self, key: str, owed: list[outbox.Owed]) -> None:
        """Mark work done and record the messages it owes, together."""
        outbox.complete(self.engine, key, owed, self.clock(), self.lease)

    def stale_work(self) -> list[outbox.Work]:
        """Work a dead instance left, now this instance's."""
        return outbox.stale_work(self.engine, self.clock(), self.lease)

    def add_delivery(self, owed: outbox.Owed) -> None:
        """Record one message owed (not from a work item: the Home tab, a thank-you)."""
        outbox.add(self.engine, owed, self.clock(), self.lease)

    def due_deliveries(self) -> list[outbox.Owed]:
        """Messages due that no live instance holds, now this instance's."""
        return outbox.due(self.engine, self.clock(), self.lease)

    def delivery_sent(self, delivery_id: str, ts: str | None) -> None:
        """A message landed."""
        outbox.sent(self.engine, delivery_id, ts, self.clock())

    def delivery_retry(self, owed: outbox.Owed, next_at: datetime, error: str) -> None:
        """A message goes again at next_at."""
        outbox.retry(self.engine, owed, next_at, error, self.clock(), self.lease)

    def delivery_abandoned(self, delivery_id: str, reason: str) -> None:
        """A message given up on, with Slack's reason."""
        outbox.abandon(self.engine, delivery_id, reason, self.clock())

    def outbox_depth(self) -> outbox.Depth:
        """How many messages are owed, and since when."""
        return outbox.depth(self.engine)

    # -- feedback and gaps ----------------------------------------------------------------

    def hash_key(self) -> bytes:
        """The key user ids are hashed with (configured, or generated once and shared)."""
        with self._key_lock:
            if self._key is None:
                self._key = feedback.hash_key(self.engine, self.hash_secret)
            return self._key

    def user_hash(self, team_id: str, user_id: str) -> str:
        """How a user id is stored."""
        return feedback.user_hash(self.hash_key(), team_id, user_id)

    def record_vote(self, vote: Vote) -> None:
        """Store or change one user's vote (and optional comment) on one answer."""
        feedback.record(self.engine, self.hash_key(), vote, self.clock())

    def record_declined(self, team_id: str, question: str) -> bool:
        """Count a question the knowledge base could not answer."""
        return usage.record_declined(self.engine, team_id, question, self.clock())

    def count_answer(self, team_id: str, target: str) -> None:
        """Count one answer for an entry ("entry:<id>") or intent."""
        usage.count_answer(self.engine, team_id, target, self.clock())

    def record_failure(self, what: str, why: str, team_id: str = "") -> None:
        """Keep a message that could not be delivered."""
        failures.record(self.engine, team_id, what, why, self.clock())

    def recent_failures(self, limit: int = 50) -> list[failures.StoredFailure]:
        """The newest delivery failures."""
        return failures.recent(self.engine, limit)

    # -- housekeeping and reading ---------------------------------------------------------

    def apply_retention(self) -> retention.Purged:
        """Delete or blank question logs older than the retention period."""
        return retention.apply(self.engine, self.clock(), self.retention_days)

    def report(
        self, *, since: date | None = None, team: str | None = None, limit: int = 20
    ) -> report.Report:
        """The maintainers' report."""
        return report.build(self.engine, since=since, team=team, limit=limit)

    def write_all(self, writes: Sequence[Write]) -> list[Write]:
        """Run `write(connection, now)` for each, in one transaction (bot/slack/stored.py
        gathers writes nothing waits for). If that fails, each goes again on its own, so one
        bad row costs only itself; returns those that failed (to be tried again), and raises
        the last error when every one did (the database is unavailable)."""
        now = self.clock()
        try:
            with self.engine.begin() as connection:
                for write in writes:
                    write(connection, now)
            return []
        except SQLAlchemyError:
            if len(writes) == 1:
                raise
        failed: list[Write] = []
        error: SQLAlchemyError | None = None
        for write in writes:
            try:
                with self.engine.begin() as connection:
                    write(connection, now)
            except SQLAlchemyError as exc:
                failed.append(write)
                error = exc
        if error is not None and len(failed) == len(writes):
            raise error
        return failed

    def close(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def open_store(
    settings: Settings, *, upgrade: bool = True, clock: Clock = utc_now, must_exist: bool = False
) -> Store:
    """Connect to settings.database_url and (by default) migrate it to the latest schema.

    `must_exist` (for readers such as `report`): do not create a SQLite file, and require the
    schema to be at the latest revision. Raises StoreUnavailable with a readable reason.
    """
    where = describe(settings.database_url)
    if must_exist:
        _check_sqlite_file(settings.database_url, where)
    engine = make_engine(settings.database_url)
    try:
        if upgrade:
            migrate.upgrade(engine)
        elif must_exist and migrate.current(engine) != migrate.head():
            engine.dispose()
            raise StoreUnavailable(
                f"the database at {where} is not at the latest schema: run `toolkit-bot db upgrade`"
            )
    except (SQLAlchemyError, CommandError) as exc:
        engine.dispose()
        raise StoreUnavailable(f"cannot use the database at {where}: {reason(exc)}") from exc
    return Store(
        engine,
        retention_days=settings.retention_days,
        hash_secret=settings.hash_secret,
        clock=clock,
        lease=timedelta(seconds=settings.lease_seconds),
    )


def _check_sqlite_file(url: str, where: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    if not Path(parsed.database).exists():
        raise StoreUnavailable(f"there is no database at {where} (nothing has been recorded yet)")
