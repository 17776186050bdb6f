"""Posting every due daily tip exactly once per channel per slot, from any number of processes.

`run_due(now, …)` looks at every active subscription, works out its latest slot (pure:
bot.engine.schedule) and then, for a slot not yet done:

1. claims it: inserts the tip_slots row (unique on subscription + slot) with status `claimed`;
   a process that loses the insert leaves the slot alone. A claim still `claimed` after
   STALE_CLAIM (its process died mid-post), or `failed` after its back-off, is taken over with a
   compare-and-set UPDATE on the values just read, so again exactly one process wins;
2. posts the tip card with the team's WebClient (429/5xx/connection errors already retried with
   back-off inside the client, honouring Retry-After);
3. records the outcome: `posted` with the message ts and the entry in the channel's cycle (one
   transaction); `failed` (kept for a later run, up to MAX_ATTEMPTS) when Slack is still
   failing; or, for errors retrying cannot fix (not_in_channel, channel_not_found, is_archived,
   invalid_auth…), the subscription is paused with the reason and a log line.

A slot older than the cut-off is recorded as `skipped` (and logged) instead of being posted, so
it is never reconsidered. The only duplicate left possible is a process dying after Slack took
the message but before the database recorded it; the claim then goes stale and is posted again.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.engine import Engine, Entry
from bot.engine.schedule import Due, Schedule, ScheduleError, due_slot, schedule_of
from bot.engine.tips import cycle_for, next_in_cycle, pick_tip
from bot.jobs.reports import RunSummary, SlotReport, duration, iso
from bot.slack.tip_post import ClientFor, MaybeClient, PostResult, find_tip, post_tip
from bot.store.subscriptions import (
    CLAIMED,
    FAILED,
    POSTED,
    SKIPPED,
    SlotRecord,
    SubscriptionRecord,
    TipStore,
)

log = logging.getLogger("toolkit_bot.tips")

#: A claim older than this is taken to belong to a process that died (posting takes seconds;
#: the client's retries, Retry-After included, stay well inside it).
STALE_CLAIM = timedelta(minutes=10)
#: Posts tried per slot before giving up on it (each run after the first waits RETRY_BACKOFF,
#: doubling: 1, 2, 4, 8 minutes).
MAX_ATTEMPTS = 5
RETRY_BACKOFF = timedelta(minutes=1)
DEFAULT_CUTOFF = timedelta(hours=6)


def worker_id() -> str:
    """Who holds a claim: host, process and a random part (unique per runner)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def tip_delivery_id(subscription_id: int, slot: datetime) -> str:
    """The delivery id a slot's tip carries in its metadata: the same for every run."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"toolkit-bot:tip:{subscription_id}:{iso(slot)}"))


def channel_key(team_id: str, channel_id: str) -> str:
    """What a channel's own tip order is derived from."""
    return f"{team_id}:{channel_id}"


class TipRunner:
    """Claims, posts and records due tips; safe to run in many processes at once."""

    def __init__(
        self,
        store: TipStore,
        engine: Engine | Callable[[], Engine],
        client_for: ClientFor,
        *,
        cutoff: timedelta = DEFAULT_CUTOFF,
        stale: timedelta = STALE_CLAIM,
        max_attempts: int = MAX_ATTEMPTS,
        worker: str | None = None,
    ) -> None:
        self.store, self.client_for = store, client_for
        self._engine = engine  # a callable follows a reloaded knowledge base (bot/reload.py)
        self.cutoff, self.stale, self.max_attempts = cutoff, stale, max_attempts
        self.worker = worker or worker_id()

    @property
    def engine(self) -> Engine:
        """The knowledge base tips come from (read per use, so a reload is seen at once)."""
        return self._engine() if callable(self._engine) else self._engine

    # -- the scheduled run -----------------------------------------------------------------

    def run_due(self, now: datetime) -> RunSummary:
        """Post every tip due at `now` (aware) that no process has posted yet."""
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        summary = RunSummary(now)
        due: dict[int, tuple[SubscriptionRecord, Due]] = {}
        for sub in self.store.active():
            found = self._due(sub, now, summary)
            if found is not None:
                due[sub.id] = (sub, found)
        rows = self.store.slots_at({sid: d.slot for sid, (_, d) in due.items()})
        clients: dict[str, MaybeClient] = {}
        for sid, (sub, slot) in due.items():
            report = self._slot(sub, slot, rows.get(sid), now, clients)
            if report is None:
                summary.done += 1
                continue
            summary.reports.append(report)
            level = logging.INFO if report.outcome in ("posted", "busy") else logging.WARNING
            log.log(level, "tip %s", report.line())
        return summary

    def _due(self, sub: SubscriptionRecord, now: datetime, summary: RunSummary) -> Due | None:
        try:
            schedule = schedule_of(sub.local_time, sub.days, sub.timezone)
            return due_slot(schedule, now, cutoff=self.cutoff, since=sub.updated_at)
        except (ScheduleError, ValueError, LookupError) as exc:  # a row no command could write
            reason = f"bad schedule {sub.local_time} {sub.days} {sub.timezone}: {exc}"
            if self.store.pause(sub.id, reason=reason, now=now):
                report = SlotReport(sub.team_id, sub.channel_id, now, "paused", detail=reason)
                summary.reports.append(report)
                log.warning("tip %s", report.line())
            return None

    def _slot(
        self,
        sub: SubscriptionRecord,
        due: Due,
        seen: SlotRecord | None,
        now: datetime,
        clients: dict[str, MaybeClient],
    ) -> SlotReport | None:
        """Claim (or take over) one slot and post it; None when there is nothing to do."""

        def report(outcome: str, entry: str | None = None, detail: str = "") -> SlotReport:
            return SlotReport(
                sub.team_id, sub.channel_id, due.slot, outcome, entry, detail, due.late
            )

        expired = f"more than {duration(self.cutoff)} late (the cut-off): not posted"
        if seen is None:
            if due.expired:
                made = self.store.insert_slot(
                    sub.id, due.slot, status=SKIPPED, worker=self.worker, now=now, error=expired
                )
                return report("skipped", detail=expired) if made else None
            if self._had_tip_that_day(sub, due.slot):
                reason = "the channel already had a tip that day (its time was changed)"
                made = self.store.insert_slot(
                    sub.id, due.slot, status=SKIPPED, worker=self.worker, now=now, error=reason
                )
                return report("skipped", detail=reason) if made else None
            pick = self._pick(sub)
            if pick is None:
                return report("failed", detail="the knowledge base has no entries")
            entry, cycle = pick
            if not self.store.insert_slot(
                sub.id, due.slot, status=CLAIMED, worker=self.worker, now=now, entry_id=entry.id
            ):
                return report("busy", entry.id, "claimed by another run")
            return self._post(sub, due, entry, cycle, now, clients, report)
        if seen.status in (POSTED, SKIPPED):
            return None
        if seen.status == CLAIMED and now - seen.claimed_at < self.stale:
            return report("busy", seen.entry_id, f"being posted by {seen.claimed_by}")
        if seen.status == FAILED:
            if seen.attempts >= self.max_attempts:
                return None  # given up (logged when it happened)
            wait = RETRY_BACKOFF * 2 ** max(seen.attempts - 1, 0)
            if now - seen.claimed_at < wait:
                return report("busy", seen.entry_id, f"failed ({seen.error}); retrying later")
        if due.expired:
            made = self.store.take_over(
                seen, worker=self.worker, now=now, status=SKIPPED, error=expired
            )
            return report("skipped", seen.entry_id, expired) if made else None
        pick = self._pick(sub, seen.entry_id)
        if pick is None:
            return report("failed", detail="the knowledge base has no entries")
        entry, cycle = pick
        if not self.store.take_over(seen, worker=self.worker, now=now, entry_id=entry.id):
            return report("busy", entry.id, "taken over by another run")
        return self._post(sub, due, entry, cycle, now, clients, report, retaking=True)

    def _post(
        self,
        sub: SubscriptionRecord,
        due: Due,
        entry: Entry,
        cycle: int,
        now: datetime,
        clients: dict[str, MaybeClient],
        report: _Report,
        *,
        retaking: bool = False,
    ) -> SlotReport:
        if sub.team_id not in clients:
            clients[sub.team_id] = self.client_for(sub.team_id)
        client = clients[sub.team_id]
        delivery = tip_delivery_id(sub.id, due.slot)
        landed = find_tip(client, sub.channel_id, delivery) if retaking else None
        if landed:  # the process that claimed it died after Slack took the message
            result = PostResult("posted", ts=landed)
        else:
            result = post_tip(client, sub.channel_id, entry, self.engine, delivery)
        if result.outcome == "posted":
            kept = self.store.posted(
                sub.id,
                due.slot,
                worker=self.worker,
                now=now,
                message_ts=result.ts or "",
                entry_id=entry.id,
                cycle=cycle,
            )
            detail = "" if kept else "posted, but another run had taken the claim over"
            return report("posted", entry.id, detail)
        what = f"daily tip {sub.channel_id} {iso(due.slot)}"
        self.store.finish(
            sub.id, due.slot, worker=self.worker, status=FAILED, now=now, error=result.reason
        )
        self.store.record_failure(sub.team_id, what, result.reason, now)
        if result.outcome == "pause":
            reason = f"{result.reason} (Slack's answer on {now:%Y-%m-%d %H:%M} UTC)"
            self.store.pause(sub.id, reason=reason, now=now)
            return report("paused", entry.id, f"{_pause_help(result.reason)}; tips paused")
        return report("failed", entry.id, f"{result.reason}; a later run tries again")

    # -- choosing ---------------------------------------------------------------------------

    def _pick(self, sub: SubscriptionRecord, keep: str | None = None) -> tuple[Entry, int] | None:
        """The channel's next tip and its cycle (`keep`: the entry a failed claim chose)."""
        entries = self.engine.entries
        shown = self.store.shown(sub.id, sub.cycle)
        if keep is not None and keep in self.engine.by_id:
            return self.engine.by_id[keep], cycle_for(entries, shown, sub.cycle, keep)
        last = self.store.last_shown(sub.id)
        return next_in_cycle(
            entries, channel_key(sub.team_id, sub.channel_id), shown, sub.cycle, last
        )

    def _had_tip_that_day(self, sub: SubscriptionRecord, slot: datetime) -> bool:
        last = self.store.last_posted(sub.id)
        if last is None or last.slot_at == slot:
            return False
        zone = schedule_of(sub.local_time, sub.days, sub.timezone).tz
        return last.slot_at.astimezone(zone).date() == slot.astimezone(zone).date()

    # -- /toolkit tips now -----------------------------------------------------------------

    def post_now(
        self, team_id: str, channel_id: str, now: datetime
    ) -> tuple[PostResult, Entry | None]:
        """Post the channel's next tip at once (it counts in the channel's cycle)."""
        sub = self.store.get(team_id, channel_id)
        pick: tuple[Entry, int] | None
        if sub is not None:
            pick = self._pick(sub)
        else:
            today = pick_tip(self.engine.entries, now.date().toordinal())
            pick = (today, 0) if today else None
        if pick is None:
            return PostResult("failed", "the knowledge base has no entries"), None
        entry, cycle = pick
        result = post_tip(self.client_for(team_id), channel_id, entry, self.engine)
        if result.outcome == "posted" and sub is not None:
            self.store.record_shown(sub.id, cycle, entry.id, now)
        return result, entry


class _Report(Protocol):
    """The report-building closure in TipRunner._slot."""

    def __call__(self, outcome: str, entry: str | None = ..., detail: str = ...) -> SlotReport: ...


def _pause_help(error: str) -> str:
    return {
        "not_in_channel": "the bot is not in the channel (invite it with /invite @Toolkit Bot)",
        "channel_not_found": "the channel was not found (deleted, or private without the bot)",
        "is_archived": "the channel is archived",
        "not_installed": "the app is not installed in this workspace",
    }.get(error, f"Slack answered {error}")


def run_due(
    now: datetime,
    *,
    sessions: sessionmaker[Session],
    engine: Engine,
    client_for: ClientFor,
    cutoff: timedelta = DEFAULT_CUTOFF,
    stale: timedelta = STALE_CLAIM,
    worker: str | None = None,
) -> RunSummary:
    """Post every tip due at `now` exactly once (see the module notes)."""
    runner = TipRunner(
        TipStore(sessions), engine, client_for, cutoff=cutoff, stale=stale, worker=worker
    )
    return runner.run_due(now)


__all__ = ["STALE_CLAIM", "RunSummary", "Schedule", "SlotReport", "TipRunner", "run_due"]
