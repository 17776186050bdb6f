"""What was asked: declined questions (normalised, counted) and answers per entry per day."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from bot.engine.normalize import clean
from bot.store.models import Base
from bot.store.upsert import insert

DECLINED = Base.metadata.tables["declined_questions"]
ANSWERS = Base.metadata.tables["answer_counts"]
TEXT_CHARS = 500


def declined_text(question: str) -> str:
    """The question as logged: normalised (markup, mentions and emoji gone), at most 500 chars."""
    return clean(question, limit=TEXT_CHARS)[:TEXT_CHARS]


def record_declined(engine: Engine, team_id: str, question: str, now: datetime) -> bool:
    """Count one declined question (first_seen once, last_seen now); False if nothing to log."""
    text = declined_text(question)
    if not text:
        return False
    with engine.begin() as connection:
        stmt = insert(connection, DECLINED).values(
            team_id=team_id, text=text, count=1, first_seen=now, last_seen=now
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[DECLINED.c.team_id, DECLINED.c.text],
            set_={"count": DECLINED.c.count + 1, "last_seen": stmt.excluded.last_seen},
        )
        connection.execute(stmt)
    return True


def count_answer(engine: Engine, team_id: str, target: str, now: datetime) -> None:
    """Add one to the target's answers for the team on now's (UTC) day."""
    with engine.begin() as connection:
        stmt = insert(connection, ANSWERS).values(
            team_id=team_id, target=target[:100], day=now.date(), count=1
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[ANSWERS.c.team_id, ANSWERS.c.target, ANSWERS.c.day],
            set_={"count": ANSWERS.c.count + 1},
        )
        connection.execute(stmt)
