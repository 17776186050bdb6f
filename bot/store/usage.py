"""What was asked: declined questions (normalised, counted) and answers per entry per day."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine

from bot.engine.normalize import clean
from bot.privacy import redact
from bot.store.models import Base
from bot.store.upsert import dialect_insert, insert, prepared

DECLINED = Base.metadata.tables["declined_questions"]
ANSWERS = Base.metadata.tables["answer_counts"]
TEXT_CHARS = 500


def declined_text(question: str) -> str:
    """The question as logged: personal data replaced by placeholders ("[phone]"), normalised
    (markup, mentions and emoji gone), at most 500 chars."""
    return redact(question, lambda text: clean(text, limit=TEXT_CHARS))[:TEXT_CHARS]


def record_declined(engine: Engine, team_id: str, question: str, now: datetime) -> bool:
    """Count one declined question (first_seen once, last_seen now); False if nothing to log."""
    with engine.begin() as connection:
        return record_declined_on(connection, team_id, question, now)


def record_declined_on(connection: Connection, team_id: str, question: str, now: datetime) -> bool:
    """`record_declined`, inside the caller's transaction."""
    text = declined_text(question)
    if not text:
        return False
    stmt = insert(connection, DECLINED).values(
        team_id=team_id, text=text, count=1, first_seen=now, last_seen=now
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[DECLINED.c.team_id, DECLINED.c.text],
        set_={"count": DECLINED.c.count + 1, "last_seen": stmt.excluded.last_seen},
    )
    connection.execute(stmt)
    return True


@prepared
def _count(dialect: str) -> Any:
    stmt = dialect_insert(dialect, ANSWERS)
    return stmt.on_conflict_do_update(
        index_elements=[ANSWERS.c.team_id, ANSWERS.c.target, ANSWERS.c.day],
        set_={"count": ANSWERS.c.count + stmt.excluded.count},
    )


def count_answer(engine: Engine, team_id: str, target: str, now: datetime) -> None:
    """Add one to the target's answers for the team on now's (UTC) day."""
    with engine.begin() as connection:
        count_answer_on(connection, team_id, target, now)


def count_answer_on(
    connection: Connection, team_id: str, target: str, now: datetime, count: int = 1
) -> None:
    """`count_answer` (`count` answers at once), inside the caller's transaction."""
    row = {"team_id": team_id, "target": target[:100], "day": now.date(), "count": count}
    connection.execute(_count(connection), row)
