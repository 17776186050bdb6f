"""Choosing a tip: deterministic given a number (the caller brings the day; no clock here)."""

from __future__ import annotations

from collections.abc import Sequence

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
