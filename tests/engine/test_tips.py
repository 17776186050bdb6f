"""Tip choice is deterministic and cycles through every entry."""

from __future__ import annotations

from bot.engine import Engine
from bot.engine.tips import pick_tip, tip_text


def test_every_entry_in_turn(engine: Engine) -> None:
    n = len(engine.entries)
    picked = [pick_tip(engine.entries, day) for day in range(1000, 1000 + n)]
    assert {e.id for e in picked if e} == {e.id for e in engine.entries}


def test_tip_text_falls_back_to_summary(engine: Engine) -> None:
    entry = engine.entries[0]
    assert tip_text(entry) == (entry.tip or entry.summary)


def test_no_entries_no_tip() -> None:
    assert pick_tip([], 5) is None
