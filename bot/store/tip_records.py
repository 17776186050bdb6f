"""Typed, detached records of the daily-tip tables, and the UTC convention of the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.store.models import Subscription, TipSlot


def to_db(moment: datetime) -> datetime:
    """Aware -> naive UTC (the database's convention)."""
    if moment.tzinfo is None:
        raise ValueError("expected an aware datetime")
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_db(moment: datetime) -> datetime:
    """Naive UTC from the database -> aware UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class SubscriptionRecord:
    """A subscription as read (detached from any session)."""

    id: int
    team_id: str
    channel_id: str
    local_time: str
    days: str
    timezone: str
    active: bool
    paused_reason: str | None
    cycle: int
    created_at: datetime
    updated_at: datetime  # when it was last turned on or changed: slots before it are not due

    @classmethod
    def of(cls, row: Subscription) -> SubscriptionRecord:
        return cls(
            row.id,
            row.team_id,
            row.channel_id,
            row.local_time,
            row.days,
            row.timezone,
            row.active,
            row.paused_reason,
            row.cycle,
            from_db(row.created_at),
            from_db(row.updated_at),
        )


@dataclass(frozen=True, slots=True)
class SlotRecord:
    """A tip_slots row as read."""

    id: int
    subscription_id: int
    slot_at: datetime
    status: str
    entry_id: str | None
    claimed_by: str
    claimed_at: datetime
    attempts: int
    error: str | None
    message_ts: str | None

    @classmethod
    def of(cls, row: TipSlot) -> SlotRecord:
        return cls(
            row.id,
            row.subscription_id,
            from_db(row.slot_at),
            row.status,
            row.entry_id,
            row.claimed_by,
            from_db(row.claimed_at),
            row.attempts,
            row.error,
            row.message_ts,
        )
