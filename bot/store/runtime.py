"""The store as `toolkit-bot serve` runs it: opened (and migrated) at start, retention daily."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.config import Settings
from bot.store.retention import DAY, RetentionWorker
from bot.store.store import Clock, Store, StoreUnavailable, open_store, utc_now

log = logging.getLogger("toolkit_bot.store")


def start_store(settings: Settings, *, clock: Clock = utc_now) -> Store | None:
    """The migrated store, or None (logged) when the database cannot be used.

    Without it the bot still answers: dedupe, feedback and counts fall back to memory and logs.
    """
    try:
        store = open_store(settings, clock=clock)
    except StoreUnavailable as exc:
        log.error(
            "%s. Answering without stored state: feedback, counts and declined questions are "
            "only logged, and retries are recognised per instance, until a restart with a "
            "reachable database",
            exc,
        )
        return None
    log.info("state kept in %s (question logs kept %d days)", store.url, settings.retention_days)
    return store


def purge_once(store: Store) -> None:
    """One retention pass, logged."""
    purged = store.apply_retention()
    log.info(
        "retention (%d days): %d declined questions deleted, %d feedback texts blanked, "
        "%d failures and %d handled-event keys removed",
        store.retention_days,
        purged.declined,
        purged.feedback_texts,
        purged.failures,
        purged.handled,
    )


def start_retention(
    store: Store, *, interval: float = DAY, wait: Callable[[float], bool] | None = None
) -> RetentionWorker:
    """Apply retention now and then every `interval` seconds, on a daemon thread."""
    return RetentionWorker(lambda: purge_once(store), interval, wait).start()
