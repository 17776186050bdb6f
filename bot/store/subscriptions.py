"""Daily-tip state in the database: subscriptions, slot claims and the tips each channel has seen.

Every method runs in its own short transaction. Claims are single statements so they are atomic
on SQLite (one writer at a time, WAL) and on PostgreSQL (row locks, READ COMMITTED re-checks):

- a first claim is `INSERT … ON CONFLICT DO NOTHING RETURNING id` on the unique
  (subscription_id, slot_at) key: of any number of processes exactly one gets a row back;
- a re-claim (a stale claim, a failed attempt) is a compare-and-set `UPDATE … WHERE id = ? AND
  status = ? AND claimed_by = ? AND attempts = ?` on the values just read: exactly one wins.

Times in the database are naive UTC; this module takes and returns aware UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import DeliveryFailure, Subscription, TipShown, TipSlot
from bot.store.tip_records import SlotRecord, SubscriptionRecord, from_db, to_db

__all__ = [
    "CLAIMED",
    "FAILED",
    "POSTED",
    "SKIPPED",
    "SlotRecord",
    "SubscriptionRecord",
    "TipStore",
    "from_db",
    "to_db",
]

CLAIMED, POSTED, FAILED, SKIPPED = "claimed", "posted", "failed", "skipped"


def _rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


class TipStore:
    """Subscriptions, slots and shown tips on one database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self.sessions.begin() as session:
            yield session

    @staticmethod
    def _insert_ignoring_duplicates(
        session: Session, model: type[TipSlot] | type[TipShown], values: dict[str, Any]
    ) -> int:
        """INSERT one row; a unique-key clash inserts nothing and returns 0 (never raises)."""
        dialect = session.get_bind().dialect.name
        # RETURNING, not rowcount: psycopg reports -1 for INSERT … ON CONFLICT DO NOTHING.
        if dialect == "sqlite":
            lite = sqlite_insert(model).values(**values).on_conflict_do_nothing()
            return len(session.execute(lite.returning(model.id)).all())
        if dialect == "postgresql":
            pg = pg_insert(model).values(**values).on_conflict_do_nothing()
            return len(session.execute(pg.returning(model.id)).all())
        try:  # other databases: a savepoint around a plain INSERT
            with session.begin_nested():
                return _rowcount(session.execute(insert(model).values(**values)))
        except IntegrityError:
            return 0

    # -- subscriptions ---------------------------------------------------------------------

    def get(self, team_id: str, channel_id: str) -> SubscriptionRecord | None:
        """The channel's subscription, on or off."""
        with self._tx() as session:
            row = session.scalar(
                select(Subscription).where(
                    Subscription.team_id == team_id, Subscription.channel_id == channel_id
                )
            )
            return SubscriptionRecord.of(row) if row else None

    def subscribe(
        self,
        team_id: str,
        channel_id: str,
        *,
        local_time: str,
        days: str,
        timezone: str,
        created_by: str,
        now: datetime,
    ) -> SubscriptionRecord:
        """Turn tips on (or change them) for a channel; un-pauses a paused subscription."""
        for attempt in (1, 2):  # a concurrent first subscribe makes the insert clash once
            try:
                with self._tx() as session:
                    row = session.scalar(
                        select(Subscription).where(
                            Subscription.team_id == team_id,
                            Subscription.channel_id == channel_id,
                        )
                    )
                    if row is None:
                        row = Subscription(
                            team_id=team_id,
                            channel_id=channel_id,
                            cycle=0,
                            created_by=created_by,
                            created_at=to_db(now),
                        )
                        session.add(row)
                    row.local_time, row.days, row.timezone = local_time, days, timezone
                    row.active, row.paused_reason, row.updated_at = True, None, to_db(now)
                    session.flush()
                    return SubscriptionRecord.of(row)
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def turn_off(self, team_id: str, channel_id: str, *, now: datetime, reason: str) -> bool:
        """Stop a channel's tips (kept, with its cycle, for turning back on). False if none."""
        with self._tx() as session:
            result = session.execute(
                update(Subscription)
                .where(Subscription.team_id == team_id, Subscription.channel_id == channel_id)
                .values(active=False, paused_reason=reason[:200], updated_at=to_db(now))
            )
            return _rowcount(result) > 0

    def pause(self, subscription_id: int, *, reason: str, now: datetime) -> bool:
        """Pause after an error retrying cannot fix (the bot left, the channel was archived…)."""
        with self._tx() as session:
            result = session.execute(
                update(Subscription)
                .where(Subscription.id == subscription_id, Subscription.active.is_(True))
                .values(active=False, paused_reason=reason[:200], updated_at=to_db(now))
            )
            return _rowcount(result) > 0

    def active(self) -> list[SubscriptionRecord]:
        """Every subscription that is on, oldest first."""
        with self._tx() as session:
            rows = session.scalars(
                select(Subscription).where(Subscription.active.is_(True)).order_by(Subscription.id)
            )
            return [SubscriptionRecord.of(r) for r in rows]

    # -- slots -----------------------------------------------------------------------------

    def slot(self, subscription_id: int, slot_at: datetime) -> SlotRecord | None:
        """The row for one slot, if any process has touched it."""
        with self._tx() as session:
            row = session.scalar(
                select(TipSlot).where(
                    TipSlot.subscription_id == subscription_id, TipSlot.slot_at == to_db(slot_at)
                )
            )
            return SlotRecord.of(row) if row else None

    def insert_slot(
        self,
        subscription_id: int,
        slot_at: datetime,
        *,
        status: str,
        worker: str,
        now: datetime,
        entry_id: str | None = None,
        error: str | None = None,
    ) -> bool:
        """Create the slot's row (the claim, or a skip record). False if it already exists."""
        with self._tx() as session:
            values = dict(
                subscription_id=subscription_id,
                slot_at=to_db(slot_at),
                status=status,
                entry_id=entry_id,
                claimed_by=worker[:80],
                claimed_at=to_db(now),
                finished_at=None if status == CLAIMED else to_db(now),
                attempts=1 if status == CLAIMED else 0,
                error=error[:200] if error else None,
            )
            return self._insert_ignoring_duplicates(session, TipSlot, values) == 1

    def take_over(
        self,
        seen: SlotRecord,
        *,
        worker: str,
        now: datetime,
        status: str = CLAIMED,
        error: str | None = None,
        entry_id: str | None = None,
    ) -> bool:
        """Compare-and-set: move a row we just read to `status` (a re-claim, or skipped) only
        if nobody changed it since. Exactly one of any number of racing processes wins."""
        values: dict[str, Any] = {
            "status": status,
            "claimed_by": worker[:80],
            "claimed_at": to_db(now),
            "error": error[:200] if error else seen.error,
        }
        if status == CLAIMED:
            values["attempts"] = TipSlot.attempts + 1
            values["finished_at"] = None
            if entry_id is not None:
                values["entry_id"] = entry_id
        else:
            values["finished_at"] = to_db(now)
        with self._tx() as session:
            result = session.execute(
                update(TipSlot)
                .where(
                    TipSlot.id == seen.id,
                    TipSlot.status == seen.status,
                    TipSlot.claimed_by == seen.claimed_by,
                    TipSlot.claimed_at == to_db(seen.claimed_at),
                    TipSlot.attempts == seen.attempts,
                )
                .values(**values)
            )
            return _rowcount(result) == 1

    def finish(
        self,
        subscription_id: int,
        slot_at: datetime,
        *,
        worker: str,
        status: str,
        now: datetime,
        error: str | None = None,
    ) -> bool:
        """Record that our claim did not post (failed, with Slack's reason). False if we lost it."""
        with self._tx() as session:
            return self._finish(
                session, subscription_id, slot_at, worker, {"status": status, "error": error}, now
            )

    def posted(
        self,
        subscription_id: int,
        slot_at: datetime,
        *,
        worker: str,
        now: datetime,
        message_ts: str,
        entry_id: str,
        cycle: int,
    ) -> bool:
        """In one transaction: our claim posted (with the message ts), the entry counts as shown
        in `cycle`, and the subscription moves to that cycle. False if the claim was lost (the
        post happened anyway, so the tip is still recorded as shown)."""
        values = {"status": POSTED, "message_ts": message_ts, "entry_id": entry_id}
        with self._tx() as session:
            kept = self._finish(session, subscription_id, slot_at, worker, values, now)
            self._shown(session, subscription_id, cycle, entry_id, now)
            return kept

    @staticmethod
    def _finish(
        session: Session,
        subscription_id: int,
        slot_at: datetime,
        worker: str,
        values: dict[str, Any],
        now: datetime,
    ) -> bool:
        if values.get("error"):
            values["error"] = str(values["error"])[:200]
        else:
            values.pop("error", None)
        result = session.execute(
            update(TipSlot)
            .where(
                TipSlot.subscription_id == subscription_id,
                TipSlot.slot_at == to_db(slot_at),
                TipSlot.claimed_by == worker[:80],
                TipSlot.status == CLAIMED,
            )
            .values(finished_at=to_db(now), **values)
        )
        return _rowcount(result) == 1

    def slots_at(self, wanted: dict[int, datetime]) -> dict[int, SlotRecord]:
        """For {subscription_id: slot instant}, the rows that exist (one query)."""
        if not wanted:
            return {}
        instants = sorted({to_db(at) for at in wanted.values()})
        found: dict[int, SlotRecord] = {}
        with self._tx() as session:
            for start in range(0, len(instants), 500):
                rows = session.scalars(
                    select(TipSlot).where(TipSlot.slot_at.in_(instants[start : start + 500]))
                )
                for row in rows:
                    record = SlotRecord.of(row)
                    if wanted.get(record.subscription_id) == record.slot_at:
                        found[record.subscription_id] = record
        return found

    def last_posted(self, subscription_id: int) -> SlotRecord | None:
        """The most recent posted slot."""
        with self._tx() as session:
            row = session.scalar(
                select(TipSlot)
                .where(TipSlot.subscription_id == subscription_id, TipSlot.status == POSTED)
                .order_by(TipSlot.slot_at.desc())
                .limit(1)
            )
            return SlotRecord.of(row) if row else None

    def slots(self, subscription_id: int | None = None) -> list[SlotRecord]:
        """Every slot row (of one subscription), oldest first: for status and tests."""
        query = select(TipSlot).order_by(TipSlot.slot_at, TipSlot.id)
        if subscription_id is not None:
            query = query.where(TipSlot.subscription_id == subscription_id)
        with self._tx() as session:
            return [SlotRecord.of(r) for r in session.scalars(query)]

    # -- the cycle of tips -----------------------------------------------------------------

    def shown(self, subscription_id: int, cycle: int) -> set[str]:
        """The entry ids posted in one cycle (removed entries included: callers ignore them)."""
        with self._tx() as session:
            return set(
                session.scalars(
                    select(TipShown.entry_id).where(
                        TipShown.subscription_id == subscription_id, TipShown.cycle == cycle
                    )
                )
            )

    def last_shown(self, subscription_id: int) -> str | None:
        """The entry posted most recently to this channel."""
        with self._tx() as session:
            return session.scalar(
                select(TipShown.entry_id)
                .where(TipShown.subscription_id == subscription_id)
                .order_by(TipShown.shown_at.desc(), TipShown.id.desc())
                .limit(1)
            )

    def record_shown(self, subscription_id: int, cycle: int, entry_id: str, now: datetime) -> None:
        """Mark an entry shown in a cycle and move the subscription to that cycle."""
        with self._tx() as session:
            self._shown(session, subscription_id, cycle, entry_id, now)

    def _shown(
        self, session: Session, subscription_id: int, cycle: int, entry_id: str, now: datetime
    ) -> None:
        values = dict(
            subscription_id=subscription_id, cycle=cycle, entry_id=entry_id, shown_at=to_db(now)
        )
        self._insert_ignoring_duplicates(session, TipShown, values)
        session.execute(
            update(Subscription)
            .where(Subscription.id == subscription_id, Subscription.cycle < cycle)
            .values(cycle=cycle)
        )

    # -- failures --------------------------------------------------------------------------

    def record_failure(self, team_id: str, what: str, reason: str, now: datetime) -> None:
        """Keep an undelivered tip in delivery_failures (for maintainers and the report)."""
        with self._tx() as session:
            session.add(
                DeliveryFailure(
                    team_id=team_id, what=what[:200], reason=reason[:500], at=to_db(now)
                )
            )

    def failures(self) -> list[tuple[str, str, str]]:
        """(team, what, reason) of every recorded failure, oldest first."""
        with self._tx() as session:
            rows = session.execute(
                select(
                    DeliveryFailure.team_id, DeliveryFailure.what, DeliveryFailure.reason
                ).order_by(DeliveryFailure.id)
            )
            return [(str(t), str(w), str(r)) for t, w, r in rows]
