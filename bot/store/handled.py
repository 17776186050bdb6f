"""Slack deliveries already handled, shared by every instance through the database."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, bindparam, delete

from bot.store.models import Base
from bot.store.upsert import dialect_insert, prepared

#: How long a handled key is remembered (Slack retries within about an hour).
KEEP = timedelta(days=1)
TABLE = Base.metadata.tables["handled_events"]
MAX_KEY = 200


def short_key(key: str) -> str:
    """The key as stored: long keys are replaced by their SHA-256 (the column holds 200)."""
    if len(key) <= MAX_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def first_time(engine: Engine, key: str, now: datetime) -> bool:
    """True for exactly one caller per key, on any instance, until the key is a day old.

    One statement: INSERT, or on conflict refresh the row only when it is stale. A concurrent
    insert of the same key waits for the first and then sees a fresh row, so it gets False.
    """
    row = {"key": short_key(key), "seen_at": now, "b_stale": now - KEEP}
    with engine.begin() as connection:
        return connection.execute(_first_time(connection), row).first() is not None


@prepared
def _first_time(dialect: str) -> Any:
    stmt = dialect_insert(dialect, TABLE)
    stmt = stmt.on_conflict_do_update(
        index_elements=[TABLE.c.key],
        set_={"seen_at": stmt.excluded.seen_at},
        where=TABLE.c.seen_at < bindparam("b_stale"),
    )
    # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT via Core
    return stmt.returning(TABLE.c.key)


def purge(engine: Engine, now: datetime) -> int:
    """Forget keys older than a day; how many went."""
    with engine.begin() as connection:
        return int(connection.execute(delete(TABLE).where(TABLE.c.seen_at < now - KEEP)).rowcount)
