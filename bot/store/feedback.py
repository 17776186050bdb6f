"""Votes on answers: one per user per answer, changeable; user ids only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, case, select

from bot.engine.normalize import clean
from bot.privacy import redact
from bot.store.models import Base
from bot.store.upsert import insert

TABLE = Base.metadata.tables["feedback"]
SECRETS = Base.metadata.tables["secrets"]
KEY_NAME = "user-hash-key"
QUESTION_CHARS = 500
COMMENT_CHARS = 300


@dataclass(frozen=True, slots=True)
class Vote:
    """One 👍 / 👎 as the store receives it (the user id is hashed before it is stored)."""

    team_id: str
    user_id: str
    target: str
    helpful: bool
    question: str
    comment: str = ""


def hash_key(engine: Engine, configured: str | None) -> bytes:
    """The HMAC key: the configured secret, or one generated once and shared via the database.

    Race-safe: every instance tries to insert a fresh random key and does nothing on conflict,
    then all read whichever key won.
    """
    if configured:
        return configured.encode("utf-8")
    with engine.begin() as connection:
        stmt = insert(connection, SECRETS).values(name=KEY_NAME, value=secrets.token_hex(32))
        connection.execute(stmt.on_conflict_do_nothing(index_elements=[SECRETS.c.name]))
    with engine.connect() as connection:
        value = connection.execute(
            select(SECRETS.c.value).where(SECRETS.c.name == KEY_NAME)
        ).scalar_one()
    return str(value).encode("utf-8")


def user_hash(key: bytes, team_id: str, user_id: str) -> str:
    """HMAC-SHA256 of the workspace and user id (64 hex characters)."""
    return hmac.new(key, f"{team_id}:{user_id}".encode(), hashlib.sha256).hexdigest()


def normal_question(question: str) -> str:
    """The question as stored and keyed: personal data replaced by placeholders ("[name]"),
    normalised (no Slack markup or mentions), cut short."""
    return redact(question, lambda text: clean(text, limit=QUESTION_CHARS))[:QUESTION_CHARS]


def answer_key(target: str, question: str) -> str:
    """Which answer a vote is about: the target and the normalised question, hashed."""
    return hashlib.sha256(f"{target}\n{normal_question(question)}".encode()).hexdigest()


def record(engine: Engine, key: bytes, vote: Vote, now: datetime) -> None:
    """Insert the vote or change this user's earlier vote on the same answer.

    A comment replaces the earlier one; a vote without a comment keeps the earlier comment
    when the vote is unchanged and drops it when the vote flips (it explained the other one).
    """
    comment = " ".join(redact(vote.comment).split())[:COMMENT_CHARS]
    with engine.begin() as connection:
        stmt = insert(connection, TABLE).values(
            team_id=vote.team_id,
            user_hash=user_hash(key, vote.team_id, vote.user_id),
            answer_key=answer_key(vote.target, vote.question),
            target=vote.target[:100],
            question=normal_question(vote.question),
            helpful=vote.helpful,
            comment=comment,
            created_at=now,
            updated_at=now,
        )
        new = stmt.excluded
        kept = case(
            (new.comment != "", new.comment),
            (TABLE.c.helpful == new.helpful, TABLE.c.comment),
            else_="",
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[TABLE.c.team_id, TABLE.c.user_hash, TABLE.c.answer_key],
            set_={
                "helpful": new.helpful,
                "question": new.question,
                "comment": kept,
                "updated_at": new.updated_at,
            },
        )
        connection.execute(stmt)
