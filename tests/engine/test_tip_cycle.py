"""Each channel goes through every tip before any repeats, in its own order."""

from __future__ import annotations

from dataclasses import replace

from bot.engine import Engine, Entry
from bot.engine.tips import channel_order, cycle_for, next_in_cycle


def run_cycle(
    entries: tuple[Entry, ...] | list[Entry], key: str, days: int, start: tuple[set[str], int]
) -> tuple[list[str], set[str], int]:
    """Pick `days` tips the way run_due records them; returns (ids picked, shown, cycle)."""
    shown, cycle = start
    picked: list[str] = []
    for _ in range(days):
        found = next_in_cycle(entries, key, shown, cycle, picked[-1] if picked else None)
        assert found is not None
        entry, new_cycle = found
        if new_cycle != cycle:
            shown, cycle = set(), new_cycle
        shown.add(entry.id)
        picked.append(entry.id)
    return picked, shown, cycle


def test_every_tip_once_before_any_repeat(engine: Engine) -> None:
    n = len(engine.entries)
    picked, _, cycle = run_cycle(engine.entries, "T1:C1", 2 * n, (set(), 0))
    assert sorted(picked[:n]) == sorted(e.id for e in engine.entries)
    assert sorted(picked[n:]) == sorted(e.id for e in engine.entries)
    assert cycle == 1
    assert picked[n - 1] != picked[n]  # never the same tip two days running


def test_each_channel_has_its_own_order(engine: Engine) -> None:
    one = [e.id for e in channel_order(engine.entries, "T1:C1")]
    two = [e.id for e in channel_order(engine.entries, "T1:C2")]
    assert sorted(one) == sorted(two) and one != two
    assert one == [e.id for e in channel_order(list(reversed(engine.entries)), "T1:C1")]


def test_a_new_entry_joins_the_current_cycle(engine: Engine) -> None:
    entries = list(engine.entries)
    picked, shown, cycle = run_cycle(entries, "T1:C1", 5, (set(), 0))
    new = replace(entries[0], id="a-brand-new-entry", title="A brand new entry")
    more = [*entries, new]
    rest, _, end_cycle = run_cycle(more, "T1:C1", len(more) - 5, (shown, cycle))
    assert end_cycle == 0 and "a-brand-new-entry" in rest
    assert sorted(picked + rest) == sorted(e.id for e in more)


def test_a_removed_entry_never_breaks_the_cycle(engine: Engine) -> None:
    entries = list(engine.entries)
    picked, shown, cycle = run_cycle(entries, "T1:C1", 5, (set(), 0))
    removed = picked[0]
    fewer = [e for e in entries if e.id != removed]
    rest, _, end_cycle = run_cycle(fewer, "T1:C1", len(fewer) - 4, (shown, cycle))
    assert end_cycle == 0 and removed not in rest
    assert sorted(picked[1:] + rest) == sorted(e.id for e in fewer)
    nxt = next_in_cycle(fewer, "T1:C1", {*picked, *rest}, 0)
    assert nxt is not None and nxt[1] == 1  # then a new cycle starts


def test_cycle_for_a_kept_entry(engine: Engine) -> None:
    ids = [e.id for e in engine.entries]
    assert cycle_for(engine.entries, set(ids[:3]), 4, ids[5]) == 4
    assert cycle_for(engine.entries, set(ids[:3]), 4, ids[0]) == 5
    assert cycle_for(engine.entries, set(ids), 4, ids[0]) == 5


def test_no_entries_no_tip() -> None:
    assert next_in_cycle([], "T1:C1", set(), 0) is None
