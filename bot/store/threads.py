"""Thread contexts in the database: any instance can answer the next message in a thread."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, select

from bot.store.handled import short_key
from bot.store.models import Base
from bot.store.upsert import dialect_insert, prepared

#: A thread's context is forgotten this long after its last answer.
KEEP = timedelta(days=3)
TABLE = Base.metadata.tables["thread_contexts"]


_GET = select(TABLE.c.entries, TABLE.c.updated_at).where(TABLE.c.key == bindparam("b_key"))


def get(engine: Engine, key: str, now: datetime) -> tuple[str, ...]:
    """The entry ids a thread is about, or () when unknown or expired."""
    with engine.connect() as connection:
        row = connection.execute(_GET, {"b_key": short_key(key)}).first()
    if row is None or row.updated_at < now - KEEP:
        return ()
    return tuple(i for i in str(row.entries).split(",") if i)


@prepared
def _put(dialect: str) -> Any:
    stmt = dialect_insert(dialect, TABLE)
    return stmt.on_conflict_do_update(
        index_elements=[TABLE.c.key],
        set_={"entries": stmt.excluded.entries, "updated_at": stmt.excluded.updated_at},
    )


def put(engine: Engine, key: str, entries: tuple[str, ...], now: datetime) -> None:
    """Remember what a thread is about now (one upsert)."""
    with engine.begin() as connection:
        put_on(connection, key, entries, now)


def put_on(connection: Connection, key: str, entries: tuple[str, ...], now: datetime) -> None:
    """`put`, inside the caller's transaction."""
    value = ",".join(entries)[:500]
    connection.execute(
        _put(connection), {"key": short_key(key), "entries": value, "updated_at": now}
    )


def purge(engine: Engine, now: datetime) -> int:
    """Forget expired thread contexts; how many went."""
    with engine.begin() as connection:
        return int(
            connection.execute(delete(TABLE).where(TABLE.c.updated_at < now - KEEP)).rowcount
        )
