"""Rendering an Answer as an officer reads it in a terminal (the same cards Slack draws)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from bot import cards
from bot.engine import Answer, Engine, Entry
from bot.engine.models import Detail, Link
from bot.engine.tips import tip_text

WIDTH = 88


def wrap(text: str, indent: str = "", first: str | None = None) -> str:
    """Wrap a paragraph to the terminal width; a URL is never broken across lines."""
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def link_text(link: Link) -> str:
    """A link as label and address, saying when the address is inferred."""
    return f"{link.label} <{link.url}>" + (" (address inferred)" if link.inferred else "")


def cited(detail: Detail) -> str:
    """A fact and, when it has one, the address it came from."""
    return f"{detail.text} <{detail.url}>" if detail.url else detail.text


def bullets(items: Iterable[str]) -> list[str]:
    """Items as wrapped bullets."""
    return [wrap(item, "    ", "  - ") for item in items]


def source_line(entry: Entry) -> str:
    """Title, publisher and date of the source, with its link."""
    src = entry.source
    line = cards.source_text(entry)
    if src.url:
        line += f" <{src.url}>" + (" (address inferred)" if src.inferred else "")
    return line


def entry_text(entry: Entry, engine: Engine, *, detail: bool = False) -> list[str]:
    """The full answer for one entry: warning first, then the grading and every caveat."""
    card = cards.card(entry, engine.by_id, engine.version)
    lines = [f"WARNING: {card.warning}", ""] if card.warning else []
    lines += [entry.title.upper(), card.kind]
    if card.badge and card.badge_text:
        lines.append(f"{card.badge.symbol} {card.badge_text} (Crime Reduction Toolkit)")
    if card.guidance:
        lines.append(card.guidance)
    lines += ["", wrap(entry.summary)]
    if card.effect_line:
        lines += ["", wrap(card.effect_line), "Evidence quality (EMMIE):", *bullets(card.quality)]
        if card.legacy:
            lines.append(wrap(card.legacy))
    if card.base:
        lines += ["Where the evidence comes from:", *bullets(f"{k}: {v}" for k, v in card.base)]
    if card.figures:
        lines += ["Figures:", *bullets(cited(f) for f in card.figures)]
    if card.caveats:
        lines += ["Caveats:", *bullets(cited(c) for c in card.caveats)]
    if card.instead:
        lines += ["Better supported instead:", *bullets(_graded(e) for e in card.instead)]
    if detail:
        lines += ["", "More detail:", *bullets(cited(d) for d in entry.details)]
    lines += ["", wrap(f"Source: {source_line(entry)}")]
    lines += [wrap(f"Link: {link_text(link)}") for link in card.links]
    if card.related:
        lines += [wrap("Related: " + "; ".join(e.title for e in card.related))]
    lines.append(card.footer)
    if not detail and entry.details:
        lines.append('(more detail: add --detail, or reply "tell me more" in chat)')
    return lines


def _graded(entry: Entry) -> str:
    return f"{entry.title}: {cards.entry_grade_line(entry)}"


def listing(entries: Iterable[Entry]) -> list[str]:
    """One line per entry: title and id."""
    return [f"  - {e.title} [{e.id}]" for e in entries]


def _list(answer: Answer, engine: Engine) -> list[str]:
    lines = [_heading(engine, answer.intent)]
    for title, members in cards.groups(answer.intent, answer.entries):
        if title:
            lines += ["", title + ":"]
        lines += [
            wrap(f"{e.title} [{e.id}]: {cards.entry_grade_line(e)}", "    ", "  - ")
            for e in members
        ]
    if answer.intent in cards.LIST_GROUPS:
        lines += ["", wrap(cards.NOT_COVERED)]
    return lines


def compare_text(answer: Answer, engine: Engine) -> list[str]:
    """A side-by-side comparison, one block per entry, then what was not found."""
    lines = [f"SIDE BY SIDE: {' vs '.join(e.title for e in answer.entries)}"]
    for entry in answer.entries:
        row = cards.compare_row(entry)
        lines += ["", entry.title.upper(), *(wrap(f"{k}: {v}", "    ", "  ") for k, v in row.cells)]
    lines += [
        wrap(f'"{text}" is not in the knowledge base, so it is not compared.')
        for text in answer.missing
    ]
    lines += ["", "Ask about one of them for its full evidence and every caveat."]
    return lines


def aspect_text(entry: Entry, aspect: str, engine: Engine) -> list[str]:
    """A follow-up's answer: the part of the thread's entry that was asked about."""
    view = cards.aspect_view(entry, aspect, engine.by_id)
    return [view.title, *bullets(cited(d) for d in view.lines)]


def render(
    answer: Answer, engine: Engine, *, tip: Entry | None = None, detail: bool = False
) -> str:
    """The whole terminal output for an answer."""
    return "\n".join(_lines(answer, engine, tip=tip, detail=detail))


def _lines(answer: Answer, engine: Engine, *, tip: Entry | None, detail: bool) -> list[str]:
    intent, aspect = answer.intent, answer.aspect
    focused = aspect not in (None, "summary")
    if intent == "compare" and focused:
        return [
            line for e in answer.entries for line in [*aspect_text(e, aspect or "", engine), ""]
        ]
    if intent == "compare":
        return compare_text(answer, engine)
    if intent == "answer" and answer.entry and focused:
        return aspect_text(answer.entry, aspect or "", engine)
    if intent == "answer" and answer.entry:
        return entry_text(answer.entry, engine, detail=detail)
    if intent in ("what-works", "what-doesnt-work", "topics"):
        return _list(answer, engine)
    if intent == "tip" and tip is not None:
        return [f"Tip: {tip.title}", wrap(tip_text(tip)), wrap(f"Source: {source_line(tip)}")]
    if intent in ("help", "greeting"):
        return [wrap(r) for r in _responses(engine, intent)][: 2 if intent == "help" else 1]
    return _decline(answer, engine)


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
            *[f"  {i}. {e.title} [{e.id}]" for i, e in enumerate(answer.alternatives, 1)],
        ]
    if len(texts) > 2:
        lines += ["", wrap(texts[2]), link_text(cards.LANDING)]
    return lines
