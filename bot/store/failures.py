"""Messages that could not be delivered after retries, kept for maintainers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select

from bot.store.models import Base

TABLE = Base.metadata.tables["delivery_failures"]


@dataclass(frozen=True, slots=True)
class StoredFailure:
    """One failed delivery as stored."""

    team_id: str
    what: str
    reason: str
    at: datetime


def record(engine: Engine, team_id: str, what: str, reason: str, now: datetime) -> None:
    """Keep one failure (texts cut to their columns)."""
    with engine.begin() as connection:
        connection.execute(
            TABLE.insert().values(
                team_id=team_id[:32], what=what[:200], reason=reason[:500], at=now
            )
        )


def recent(engine: Engine, limit: int = 50) -> list[StoredFailure]:
    """The newest failures, newest first."""
    query = select(TABLE.c.team_id, TABLE.c.what, TABLE.c.reason, TABLE.c.at)
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(TABLE.c.at.desc(), TABLE.c.id.desc()).limit(limit))
        return [StoredFailure(*row) for row in rows]
