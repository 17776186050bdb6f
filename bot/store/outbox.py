"""Work owed and messages owed, in the database: nothing acked or promised is lost in a crash.

Work items are written before Slack gets its ack (their key is the delivery's identity, so a
retry or replay is recognised); deliveries are written before the first attempt to send. Both
are claimed with a lease by compare-and-set, so any number of instances share them and a dead
instance's work is taken over when its lease runs out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, delete, func, or_, select, update

from bot.store.handled import short_key
from bot.store.models import Base
from bot.store.upsert import dialect_insert, prepared

WORK = Base.metadata.tables["work_items"]
DELIVERIES = Base.metadata.tables["deliveries"]
#: Done work and finished deliveries are kept this long (for dedupe and the report).
KEEP = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class Work:
    """Something Slack sent that the bot acked and still has to act on."""

    key: str
    kind: str
    team_id: str
    data: dict[str, Any]
    #: When this process received it (time.monotonic(), for the answer-time metric); None for
    #: work read back from the database. Not stored.
    received: float | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Owed:
    """One message the bot owes Slack."""

    id: str
    team_id: str
    method: str  # a Web API method, or "response_url"
    channel: str
    thread_ts: str | None
    purpose: str
    payload: dict[str, Any]
    deadline: datetime
    created_at: datetime
    attempts: int = 0
    uncertain: bool = False
    last_error: str | None = field(default=None, compare=False)


# -- work items ----------------------------------------------------------------------------


@prepared
def _accept(dialect: str) -> Any:
    stmt = dialect_insert(dialect, WORK).on_conflict_do_nothing(index_elements=[WORK.c.key])
    return stmt.returning(WORK.c.key)


_DONE = (
    update(WORK).where(WORK.c.key == bindparam("b_key")).values(state="done", claimed_until=None)
)


def accept(engine: Engine, work: Work, now: datetime, lease: timedelta) -> bool:
    """Record work as owed; False when this key was already recorded (a retry or replay)."""
    row = {
        "key": short_key(work.key),
        "kind": work.kind,
        "team_id": work.team_id[:32],
        "data": json.dumps(work.data, ensure_ascii=False),
        "state": "pending",
        "created_at": now,
        "claimed_until": now + lease,
    }
    with engine.begin() as connection:
        return connection.execute(_accept(connection), row).first() is not None


def complete(
    engine: Engine, key: str, owed: Sequence[Owed], now: datetime, lease: timedelta
) -> None:
    """Mark work done and record the messages it produced, in one transaction."""
    with engine.begin() as connection:
        complete_on(connection, key, owed, now, lease)


def complete_on(
    connection: Connection, key: str, owed: Sequence[Owed], now: datetime, lease: timedelta
) -> None:
    """`complete`, inside the caller's transaction."""
    for item in owed:
        _add(connection, item, now, lease)
    connection.execute(_DONE, {"b_key": short_key(key)})


def stale_work(engine: Engine, now: datetime, lease: timedelta, limit: int = 20) -> list[Work]:
    """Pending work whose owner's lease ran out (it died), claimed for this instance."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(WORK.c.key, WORK.c.kind, WORK.c.team_id, WORK.c.data, WORK.c.claimed_until)
            .where(WORK.c.state == "pending", _free(WORK, now))
            .order_by(WORK.c.created_at)
            .limit(limit)
        ).all()
    claimed = []
    for row in rows:
        if _claim(engine, WORK, WORK.c.key, row.key, row.claimed_until, now + lease):
            claimed.append(Work(row.key, row.kind, row.team_id, json.loads(row.data)))
    return claimed


# -- deliveries ----------------------------------------------------------------------------


def add(engine: Engine, owed: Owed, now: datetime, lease: timedelta) -> None:
    """Record one message before its first attempt (claimed by this instance)."""
    with engine.begin() as connection:
        _add(connection, owed, now, lease)


@prepared
def _insert_delivery(dialect: str) -> Any:
    insert = dialect_insert(dialect, DELIVERIES)
    return insert.on_conflict_do_nothing(index_elements=[DELIVERIES.c.id])


def _add(connection: Connection, owed: Owed, now: datetime, lease: timedelta) -> None:
    """Insert a delivery; one already recorded (work done twice owes the same ids) is kept."""
    row = {
        "id": owed.id,
        "team_id": owed.team_id[:32],
        "method": owed.method,
        "channel": owed.channel[:64],
        "thread_ts": owed.thread_ts,
        "purpose": owed.purpose[:40],
        "payload": json.dumps(owed.payload, ensure_ascii=False),
        "state": "pending",
        "attempts": owed.attempts,
        "uncertain": owed.uncertain,
        "next_at": now,
        "deadline": owed.deadline,
        "created_at": owed.created_at,
        "updated_at": now,
        "claimed_until": now + lease,
    }
    connection.execute(_insert_delivery(connection), row)


def due(engine: Engine, now: datetime, lease: timedelta, limit: int = 50) -> list[Owed]:
    """Pending messages that are due and not held by a live instance, claimed for this one."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(DELIVERIES)
            .where(
                DELIVERIES.c.state == "pending", DELIVERIES.c.next_at <= now, _free(DELIVERIES, now)
            )
            .order_by(DELIVERIES.c.next_at)
            .limit(limit)
        ).all()
    claimed = []
    for row in rows:
        if _claim(engine, DELIVERIES, DELIVERIES.c.id, row.id, row.claimed_until, now + lease):
            claimed.append(_owed(row))
    return claimed


_SENT = (
    update(DELIVERIES)
    .where(DELIVERIES.c.id == bindparam("b_id"))
    .values(
        updated_at=bindparam("b_now"),
        state="sent",
        ts=bindparam("b_ts"),
        claimed_until=None,
        uncertain=False,
    )
)


def sent(engine: Engine, delivery_id: str, ts: str | None, now: datetime) -> None:
    """The message landed."""
    with engine.begin() as connection:
        sent_on(connection, delivery_id, ts, now)


def sent_on(connection: Connection, delivery_id: str, ts: str | None, now: datetime) -> None:
    """`sent`, inside the caller's transaction."""
    connection.execute(_SENT, {"b_id": delivery_id, "b_now": now, "b_ts": ts})


def retry(
    engine: Engine, owed: Owed, next_at: datetime, error: str, now: datetime, lease: timedelta
) -> None:
    """Try again at next_at (this instance keeps it until then, and a lease after)."""
    with engine.begin() as connection:
        retry_on(connection, owed, next_at, error, now, lease)


def retry_on(
    connection: Connection,
    owed: Owed,
    next_at: datetime,
    error: str,
    now: datetime,
    lease: timedelta,
) -> None:
    """`retry`, inside the caller's transaction."""
    _set_on(
        connection,
        owed.id,
        now,
        attempts=owed.attempts,
        uncertain=owed.uncertain,
        next_at=next_at,
        last_error=error[:300],
        claimed_until=next_at + lease,
    )


def abandon(engine: Engine, delivery_id: str, reason: str, now: datetime) -> None:
    """Give up on a message, keeping Slack's reason."""
    with engine.begin() as connection:
        abandon_on(connection, delivery_id, reason, now)


def abandon_on(connection: Connection, delivery_id: str, reason: str, now: datetime) -> None:
    """`abandon`, inside the caller's transaction."""
    _set_on(
        connection, delivery_id, now, state="abandoned", last_error=reason[:300], claimed_until=None
    )


@dataclass(frozen=True, slots=True)
class Depth:
    """How much is owed: pending messages and the age of the oldest."""

    pending: int
    oldest: datetime | None


def depth(engine: Engine) -> Depth:
    """Pending deliveries and the oldest one's creation time."""
    with engine.connect() as connection:
        count, oldest = connection.execute(
            select(func.count(), func.min(DELIVERIES.c.created_at)).where(
                DELIVERIES.c.state == "pending"
            )
        ).one()
    return Depth(int(count), oldest)


def abandoned(engine: Engine, since: datetime | None = None, limit: int = 50) -> list[Owed]:
    """Messages given up on, newest first (for the maintainers' report)."""
    query = select(DELIVERIES).where(DELIVERIES.c.state == "abandoned")
    if since is not None:
        query = query.where(DELIVERIES.c.updated_at >= since)
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(DELIVERIES.c.updated_at.desc()).limit(limit))
        return [_owed(row) for row in rows]


def purge(engine: Engine, now: datetime) -> int:
    """Forget finished deliveries and done work older than KEEP; how many rows went."""
    old = now - KEEP
    with engine.begin() as connection:
        gone = connection.execute(
            delete(DELIVERIES).where(DELIVERIES.c.state != "pending", DELIVERIES.c.updated_at < old)
        ).rowcount
        gone += connection.execute(
            delete(WORK).where(WORK.c.state == "done", WORK.c.created_at < old)
        ).rowcount
    return int(gone)


# -- helpers -------------------------------------------------------------------------------


def _free(table: Any, now: datetime) -> Any:
    return or_(table.c.claimed_until.is_(None), table.c.claimed_until < now)


def _claim(
    engine: Engine, table: Any, column: Any, key: str, seen: datetime | None, until: datetime
) -> bool:
    """Compare-and-set: take the row only if nobody changed its claim since it was read."""
    held = column == key
    unchanged = table.c.claimed_until.is_(None) if seen is None else table.c.claimed_until == seen
    with engine.begin() as connection:
        result = connection.execute(
            update(table).where(and_(held, unchanged)).values(claimed_until=until)
        )
        return bool(result.rowcount == 1)


def _set_on(connection: Connection, delivery_id: str, now: datetime, **values: Any) -> None:
    connection.execute(
        update(DELIVERIES).where(DELIVERIES.c.id == delivery_id).values(updated_at=now, **values)
    )


def _owed(row: Any) -> Owed:
    return Owed(
        id=row.id,
        team_id=row.team_id,
        method=row.method,
        channel=row.channel,
        thread_ts=row.thread_ts,
        purpose=row.purpose,
        payload=json.loads(row.payload),
        deadline=row.deadline,
        created_at=row.created_at,
        attempts=row.attempts,
        uncertain=bool(row.uncertain),
        last_error=row.last_error,
    )
