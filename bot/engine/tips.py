"""Choosing a tip: deterministic given a number (the caller brings the day; no clock here)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from hashlib import sha256

from bot.engine.models import Entry


def tip_text(entry: Entry) -> str:
    """An entry's tip, or its summary when it has none."""
    return entry.tip or entry.summary


def pick_tip(entries: Sequence[Entry], number: int) -> Entry | None:
    """The tip for `number` (e.g. a date ordinal): every entry in turn, none repeated early."""
    if not entries:
        return None
    ordered = sorted(entries, key=lambda e: e.id)
    return ordered[number % len(ordered)]


def channel_order(entries: Sequence[Entry], key: str) -> list[Entry]:
    """Every entry in this channel's own fixed order (a hash of the channel key and entry id)."""
    return sorted(entries, key=lambda e: (sha256(f"{key}\n{e.id}".encode()).hexdigest(), e.id))


def next_in_cycle(
    entries: Sequence[Entry],
    key: str,
    shown: Collection[str],
    cycle: int,
    last: str | None = None,
) -> tuple[Entry, int] | None:
    """The channel's next tip and the cycle it belongs to.

    `shown` holds the ids already posted in `cycle`. The first entry in the channel's order not
    yet shown comes next, so an entry added to the knowledge base joins the current cycle, and
    ids no longer in `entries` are ignored (removing an entry never blocks a cycle). When every
    entry has been shown a new cycle starts, avoiding `last` (the tip posted most recently) as
    its first tip so no channel sees the same tip twice in a row.
    """
    ordered = channel_order(entries, key)
    if not ordered:
        return None
    for entry in ordered:
        if entry.id not in shown:
            return entry, cycle
    first = ordered[1] if len(ordered) > 1 and ordered[0].id == last else ordered[0]
    return first, cycle + 1


def cycle_for(entries: Sequence[Entry], shown: Collection[str], cycle: int, entry_id: str) -> int:
    """The cycle a post of `entry_id` counts in: the current one unless it was already shown
    there (or every entry was), in which case it opens the next."""
    ids = {e.id for e in entries}
    done = ids.issubset(shown)
    return cycle + 1 if entry_id in shown or done else cycle
