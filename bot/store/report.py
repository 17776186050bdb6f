"""What maintainers read: unanswered questions, worst-rated answers, busiest entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import Engine, Integer, cast, func, select

from bot.store.models import Base

DECLINED = Base.metadata.tables["declined_questions"]
FEEDBACK = Base.metadata.tables["feedback"]
ANSWERS = Base.metadata.tables["answer_counts"]
DELIVERIES = Base.metadata.tables["deliveries"]


@dataclass(frozen=True, slots=True)
class Unanswered:
    """A declined question and how often it came up."""

    text: str
    count: int
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class Rated:
    """Votes on one target (an entry as "entry:<id>", or an intent)."""

    target: str
    helpful: int
    not_helpful: int

    @property
    def votes(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def ratio(self) -> float:
        """Share of helpful votes, 0.0-1.0."""
        return self.helpful / self.votes if self.votes else 0.0


@dataclass(frozen=True, slots=True)
class Busy:
    """How often a target was answered."""

    target: str
    answers: int


@dataclass(frozen=True, slots=True)
class Comment:
    """What someone was looking for when an answer did not help."""

    target: str
    question: str
    comment: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Undelivered:
    """A reply the bot gave up on at its deadline (or on a permanent error), with Slack's reason."""

    purpose: str
    channel: str
    method: str
    attempts: int
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Report:
    """Everything `toolkit-bot report` shows."""

    since: date | None
    team: str | None
    unanswered: list[Unanswered]
    worst_rated: list[Rated]
    busiest: list[Busy]
    looking_for: list[Comment]
    undelivered: list[Undelivered] = field(default_factory=list)


def build(engine: Engine, *, since: date | None, team: str | None, limit: int) -> Report:
    """Read the report (each list at most `limit` long)."""
    start = datetime.combine(since, time.min) if since else None
    with engine.connect() as connection:
        query = select(
            DECLINED.c.text,
            func.sum(DECLINED.c.count).label("n"),
            func.min(DECLINED.c.first_seen),
            func.max(DECLINED.c.last_seen).label("last"),
        ).group_by(DECLINED.c.text)
        if start:
            query = query.where(DECLINED.c.last_seen >= start)
        if team:
            query = query.where(DECLINED.c.team_id == team)
        query = query.order_by(func.sum(DECLINED.c.count).desc(), DECLINED.c.text).limit(limit)
        unanswered = [Unanswered(t, int(n), f, ls) for t, n, f, ls in connection.execute(query)]

        helpful = func.sum(cast(FEEDBACK.c.helpful, Integer))
        votes = func.count()
        rated = select(FEEDBACK.c.target, helpful, votes).group_by(FEEDBACK.c.target)
        if start:
            rated = rated.where(FEEDBACK.c.updated_at >= start)
        if team:
            rated = rated.where(FEEDBACK.c.team_id == team)
        ratings = [Rated(t, int(h), int(v) - int(h)) for t, h, v in connection.execute(rated)]
        ratings.sort(key=lambda r: (r.ratio, -r.votes, r.target))

        total = func.sum(ANSWERS.c.count)
        busy = select(ANSWERS.c.target, total).group_by(ANSWERS.c.target)
        if since:
            busy = busy.where(ANSWERS.c.day >= since)
        if team:
            busy = busy.where(ANSWERS.c.team_id == team)
        busy = busy.order_by(total.desc(), ANSWERS.c.target).limit(limit)
        busiest = [Busy(t, int(n)) for t, n in connection.execute(busy)]

        notes = select(
            FEEDBACK.c.target, FEEDBACK.c.question, FEEDBACK.c.comment, FEEDBACK.c.updated_at
        ).where(FEEDBACK.c.comment != "")
        if start:
            notes = notes.where(FEEDBACK.c.updated_at >= start)
        if team:
            notes = notes.where(FEEDBACK.c.team_id == team)
        notes = notes.order_by(FEEDBACK.c.updated_at.desc(), FEEDBACK.c.id.desc()).limit(limit)
        comments = [Comment(*row) for row in connection.execute(notes)]

        lost = select(
            DELIVERIES.c.purpose,
            DELIVERIES.c.channel,
            DELIVERIES.c.method,
            DELIVERIES.c.attempts,
            DELIVERIES.c.last_error,
            DELIVERIES.c.updated_at,
        ).where(DELIVERIES.c.state == "abandoned")
        if start:
            lost = lost.where(DELIVERIES.c.updated_at >= start)
        if team:
            lost = lost.where(DELIVERIES.c.team_id == team)
        lost = lost.order_by(DELIVERIES.c.updated_at.desc(), DELIVERIES.c.id).limit(limit)
        undelivered = [
            Undelivered(p, c, m, int(a or 0), r or "unknown", at)
            for p, c, m, a, r, at in connection.execute(lost)
        ]
    return Report(since, team, unanswered, ratings[:limit], busiest, comments, undelivered)
