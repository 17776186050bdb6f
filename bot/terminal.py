"""Rendering an Answer as an officer reads it in a terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from bot.engine import Answer, Engine, Entry
from bot.engine.models import KIND_LABELS, VERDICT_LABELS
from bot.engine.tips import tip_text

WIDTH = 88
TOOLKIT_URL = "https://www.college.police.uk/research/crime-reduction-toolkit"


def wrap(text: str, indent: str = "") -> str:
    """Wrap a paragraph to the terminal width."""
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def source_line(entry: Entry) -> str:
    """Title, publisher, date and link of an entry's source."""
    src = entry.source
    parts = [src.title, src.publisher]
    if src.published:
        parts.append(src.published.strftime("%-d %B %Y"))
    line = ", ".join(parts)
    if src.url:
        line += f" <{src.url}>" + (" (address inferred)" if src.inferred else "")
    return line


def entry_text(entry: Entry, engine: Engine) -> list[str]:
    """The full answer for one entry."""
    lines = [entry.title.upper(), f"{KIND_LABELS.get(entry.kind, entry.kind)}"]
    if entry.verdict:
        lines[-1] += f" | {VERDICT_LABELS[entry.verdict]}"
    lines += ["", wrap(entry.summary)]
    if entry.evidence:
        ev = entry.evidence
        quality = ", ".join(f"{k.replace('_', ' ')}: {v or 'not available'}" for k, v in ev.quality)
        lines += [
            "",
            wrap(f"Toolkit effect rating: {ev.effect}"),
            wrap(f"Evidence quality: {quality}"),
        ]
    lines += ["", wrap(f"Source: {source_line(entry)}")]
    lines += [
        wrap(f"Link: {link.label} <{link.url}>" + (" (address inferred)" if link.inferred else ""))
        for link in entry.links
    ]
    related = [engine.by_id[r].title for r in entry.related if r in engine.by_id]
    if related:
        lines += ["", wrap("Related: " + "; ".join(related))]
    return lines


def listing(entries: Iterable[Entry]) -> list[str]:
    """One line per entry: title and id."""
    return [f"  - {e.title} [{e.id}]" for e in entries]


def render(answer: Answer, engine: Engine, *, tip: Entry | None = None) -> str:
    """The whole terminal output for an answer."""
    intent = answer.intent
    if intent == "answer" and answer.entry:
        lines = entry_text(answer.entry, engine)
    elif intent in ("what-works", "what-doesnt-work", "topics"):
        lines = [_heading(engine, intent), *listing(answer.entries)]
    elif intent == "tip" and tip is not None:
        lines = [f"Tip: {tip.title}", wrap(tip_text(tip)), f"Source: {source_line(tip)}"]
    elif intent in ("help", "greeting"):
        lines = [wrap(r) for r in _responses(engine, intent)][: 2 if intent == "help" else 1]
    else:
        lines = _decline(answer, engine)
    return "\n".join(lines)


def _heading(engine: Engine, intent: str) -> str:
    responses = _responses(engine, intent)
    return (responses[0] if responses else intent) + ":"


def _responses(engine: Engine, intent: str) -> Sequence[str]:
    found = engine.intents.get(intent)
    return found.responses if found else ()


def _decline(answer: Answer, engine: Engine) -> list[str]:
    texts = list(_responses(engine, "fallback")) or ["I don't have anything on that."]
    lines = [wrap(texts[0])]
    if answer.alternatives:
        lines += [
            "",
            texts[1] if len(texts) > 1 else "Did you mean:",
            *listing(answer.alternatives),
        ]
    if len(texts) > 2:
        lines += ["", wrap(texts[2]), TOOLKIT_URL]
    return lines
