"""Slack deliveries already handled, shared by every instance through the database."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete

from bot.store.models import Base
from bot.store.upsert import insert

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
    with engine.begin() as connection:
        stmt = insert(connection, TABLE).values(key=short_key(key), seen_at=now)
        stmt = stmt.on_conflict_do_update(
            index_elements=[TABLE.c.key],
            set_={"seen_at": stmt.excluded.seen_at},
            where=TABLE.c.seen_at < now - KEEP,
        )
        # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT via Core
        return connection.execute(stmt.returning(TABLE.c.key)).first() is not None


def purge(engine: Engine, now: datetime) -> int:
    """Forget keys older than a day; how many went."""
    with engine.begin() as connection:
        return int(connection.execute(delete(TABLE).where(TABLE.c.seen_at < now - KEEP)).rowcount)
