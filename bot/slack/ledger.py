"""The ledger of work and deliveries when there is no database: memory only.

Retries and replays are still recognised (per process), and messages Slack refuses for good
are kept in the failure list; nothing survives a restart, which is why serve uses the store's
ledger (bot/slack/stored.py) whenever the database is reachable.
"""

from __future__ import annotations

from datetime import datetime

from bot.slack.dedupe import RecentKeys
from bot.slack.delivery import Failures
from bot.store.outbox import Owed, Work


class MemoryLedger:
    """Work and deliveries in memory."""

    def __init__(self, failures: Failures | None = None, seen: RecentKeys | None = None) -> None:
        self.failures = failures or Failures()
        self._seen = seen or RecentKeys()

    def accept(self, work: Work) -> bool:
        """True the first time this process sees the work's key."""
        return self._seen.first_time(work.key)

    def complete(self, key: str, owed: list[Owed]) -> None:
        """Nothing to record: the sender holds the messages."""

    def record(self, owed: Owed) -> None:
        """Nothing to record: the sender holds the message."""

    def due(self) -> list[Owed]:
        """Nothing is recorded, so nothing is left over."""
        return []

    def stale_work(self) -> list[Work]:
        """Nothing is recorded, so nothing is left over."""
        return []

    def sent(self, owed: Owed, ts: str | None) -> None:
        """Nothing to record."""

    def retry(self, owed: Owed, next_at: datetime, error: str) -> None:
        """Nothing to record: the sender keeps it queued."""

    def abandon(self, owed: Owed, reason: str) -> None:
        """Keep the failure where the report and the logs find it."""
        self.failures.record(f"{owed.purpose} in {owed.channel}", reason)
