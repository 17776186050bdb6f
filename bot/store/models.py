"""The database schema (SQLAlchemy 2). Times are naive UTC; local times live in subscriptions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base for every table the bot owns (Slack's OAuth tables are slack_sdk's)."""


class Subscription(Base):
    """A channel that receives a daily tip."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("team_id", "channel_id", name="uq_subscription_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    local_time: Mapped[str] = mapped_column(String(5))  # "HH:MM" in `timezone`
    days: Mapped[str] = mapped_column(String(16))  # "weekdays" | "daily"
    timezone: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    cycle: Mapped[int] = mapped_column(Integer, default=0)  # which pass through the tips
    created_by: Mapped[str] = mapped_column(String(64))  # keyed hash of the Slack user id
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class TipSlot(Base):
    """One scheduled post for one subscription; the unique key makes delivery exactly-once."""

    __tablename__ = "tip_slots"
    __table_args__ = (UniqueConstraint("subscription_id", "slot_at", name="uq_tip_slot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    slot_at: Mapped[datetime] = mapped_column(DateTime)  # the slot's instant, UTC
    status: Mapped[str] = mapped_column(String(16))  # claimed | posted | failed | skipped
    entry_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    claimed_by: Mapped[str] = mapped_column(String(80))
    claimed_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    message_ts: Mapped[str | None] = mapped_column(String(32), nullable=True)


class TipShown(Base):
    """Which entries a subscription has had in its current cycle (no repeats before all shown)."""

    __tablename__ = "tips_shown"
    __table_args__ = (
        UniqueConstraint("subscription_id", "cycle", "entry_id", name="uq_tip_shown"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    cycle: Mapped[int] = mapped_column(Integer)
    entry_id: Mapped[str] = mapped_column(String(80))
    shown_at: Mapped[datetime] = mapped_column(DateTime)


class FeedbackVote(Base):
    """One user's vote on one answer (changeable); the user id is a keyed hash."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("team_id", "user_hash", "answer_key", name="uq_feedback_vote"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_hash: Mapped[str] = mapped_column(String(64))
    answer_key: Mapped[str] = mapped_column(String(64))  # hash of target + normalised question
    target: Mapped[str] = mapped_column(String(100))  # "entry:<id>" or an intent
    question: Mapped[str] = mapped_column(Text)
    helpful: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class DeclinedQuestion(Base):
    """A question the knowledge base could not answer, normalised, with how often it came up."""

    __tablename__ = "declined_questions"
    __table_args__ = (UniqueConstraint("team_id", "text", name="uq_declined_text"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(500))
    count: Mapped[int] = mapped_column(Integer, default=1)
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)


class AnswerCount(Base):
    """How often an entry (or intent) was answered, per team and day."""

    __tablename__ = "answer_counts"
    __table_args__ = (UniqueConstraint("team_id", "target", "day", name="uq_answer_count"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(100))
    day: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer, default=0)


class ThreadContext(Base):
    """What a Slack thread is about (the entries last answered there), for follow-ups."""

    __tablename__ = "thread_contexts"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # team:channel:thread
    entries: Mapped[str] = mapped_column(String(500))  # entry ids, comma-separated
    updated_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class WorkItem(Base):
    """Work the bot owes for something Slack sent and the bot acked (a question, a click).

    Written before the ack, so a crash right after it loses nothing; the key is the delivery's
    natural identity, so a retry, redelivery or replay of it is recognised (and not redone).
    """

    __tablename__ = "work_items"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[str] = mapped_column(String(32))
    data: Mapped[str] = mapped_column(Text)  # JSON: what processing needs, nothing more
    state: Mapped[str] = mapped_column(String(12), index=True)  # pending | done
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Delivery(Base):
    """One message the bot owes Slack, recorded before the first attempt to send it."""

    __tablename__ = "deliveries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(64))
    thread_ts: Mapped[str | None] = mapped_column(String(32), nullable=True)
    purpose: Mapped[str] = mapped_column(String(40))  # answer, follow-up, share, unfurl, ...
    payload: Mapped[str] = mapped_column(Text)  # JSON arguments of the call
    state: Mapped[str] = mapped_column(String(12), index=True)  # pending | sent | abandoned
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)  # may have landed
    next_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    deadline: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    ts: Mapped[str | None] = mapped_column(String(32), nullable=True)


class HandledEvent(Base):
    """A Slack delivery already handled, so a retry on any instance is answered once."""

    __tablename__ = "handled_events"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class DeliveryFailure(Base):
    """A message that could not be delivered after retries, and Slack's reason."""

    __tablename__ = "delivery_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), default="")
    what: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(DateTime, index=True)


class StoredSecret(Base):
    """Secrets the deployment generates once and shares across instances (e.g. the user-id key)."""

    __tablename__ = "secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
