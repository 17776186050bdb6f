"""The knowledge base as the preview loads it: every good file, even when others are broken.

`toolkit-bot serve` for Slack refuses a broken knowledge base; the preview is where a maintainer
looks at an edit, so it starts anyway, answers from the files that passed their own checks and
shows every problem (exactly as `toolkit-bot validate` prints them) in its gallery.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content import load_content
from bot.content.loader import Parsed, content_version, parse_dir
from bot.content.records import entry as make_entry
from bot.content.records import intent as make_intent
from bot.content.specs import ENTRY, INTENT
from bot.engine import Engine
from bot.errors import ContentError


@dataclass(frozen=True, slots=True)
class Loaded:
    """An engine over what could be loaded, and every problem of the directories."""

    engine: Engine
    problems: tuple[str, ...] = ()


def load_lenient(knowledge: Path, intents: Path) -> Loaded:
    """The whole content when it is valid; otherwise every file that passed its own checks."""
    try:
        content = load_content(knowledge, intents)
    except ContentError as exc:
        problems = tuple(str(p) for p in exc.problems)
    else:
        return Loaded(Engine(content.entries, content.intents, version=content.version))
    entry_items, _ = parse_dir(knowledge, ENTRY, "knowledge entry")
    intent_items, _ = parse_dir(intents, INTENT, "intent")
    entries, intent_records = _unique(entry_items), _unique(intent_items)
    engine = Engine(
        [make_entry(item.data) for item in entries],
        [make_intent(item.data) for item in intent_records],
        version=content_version([*entries, *intent_records]),
    )
    return Loaded(engine, problems)


def _unique(items: list[Parsed]) -> list[Parsed]:
    """The first file for each id (a duplicate is one of the problems listed)."""
    seen: dict[Any, Parsed] = {}
    for item in items:
        seen.setdefault(item.data.get("id"), item)
    return list(seen.values())
