"""What a tips run reports: one line per slot acted on, and a one-line summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


def iso(moment: datetime) -> str:
    """2026-03-30T08:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


@dataclass(frozen=True, slots=True)
class SlotReport:
    """What this run did with one slot: posted | skipped | failed | paused | busy."""

    team_id: str
    channel_id: str
    slot: datetime
    outcome: str
    entry_id: str | None = None
    detail: str = ""
    late: timedelta = timedelta(0)

    def line(self) -> str:
        """One line for the log: outcome, channel, slot, entry, lateness, reason."""
        parts = [f"{self.outcome} {self.team_id}/{self.channel_id} slot {iso(self.slot)}"]
        if self.entry_id:
            parts.append(f"tip {self.entry_id}")
        if self.late >= timedelta(minutes=1):
            parts.append(f"late by {duration(self.late)}")
        text = ", ".join(parts)
        return f"{text}: {self.detail}" if self.detail else text


@dataclass
class RunSummary:
    """Everything one run did."""

    now: datetime
    reports: list[SlotReport] = field(default_factory=list)
    done: int = 0  # slots already posted or skipped by an earlier run

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.reports if r.outcome == outcome)

    def line(self) -> str:
        """The short summary `tips run-due` prints on stdout."""
        counts = ", ".join(
            f"{self.count(o)} {o}" for o in ("posted", "skipped", "failed", "paused", "busy")
        )
        return f"tips run-due at {iso(self.now)}: {counts}, {self.done} already done"


def duration(delta: timedelta) -> str:
    """A lateness in minutes, or hours and minutes."""
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"
