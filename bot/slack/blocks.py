"""Block Kit for an entry's answer, built with slack_sdk.models so Slack's own validators run.

What is shown comes from bot.cards (the same pieces the terminal draws); this module only draws
them as Block Kit, escaping every text from content or users.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot import cards
from bot.engine import Entry
from bot.engine.grading import GUIDANCE_EMOJI
from bot.engine.models import Detail, Link
from bot.slack.text import clip, escape, shorten

TOOLKIT_URL = cards.LANDING.url  # INFERRED (see bot/cards.py)
OPEN, SHARE, HELPFUL, UNHELPFUL = "open_entry", "share_answer", "feedback_up", "feedback_down"
MORE = "more_detail"
SECTION_LIMIT = 3000


def md(text: str) -> MarkdownTextObject:
    """A mrkdwn text object, cut to Slack's 3,000-character section limit (line breaks kept)."""
    return MarkdownTextObject(text=clip(text, SECTION_LIMIT))


def button(text: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    """A button within Slack's limits (text 75, value 2,000)."""
    return ButtonElement(
        text=PlainTextObject(text=shorten(text, 75), emoji=True),
        action_id=action_id[:255],
        value=value[:2000],
        style=style,
    )


def link(item: Link) -> str:
    """A link as mrkdwn; an inferred address says so."""
    return f"<{item.url}|{escape(item.label)}>" + (" (address inferred)" if item.inferred else "")


def cited(detail: Detail) -> str:
    """A fact, linked to where it came from when it names a page."""
    text = escape(detail.text)
    return f"{text} (<{detail.url}|source>)" if detail.url else text


def sections(title: str, lines: Iterable[str]) -> list[Block]:
    """A titled list as one section, or several when it would pass the section limit."""
    out: list[Block] = []
    chunk = [f"*{title}*"]
    for line in (f"• {item}" for item in lines):
        if len("\n".join([*chunk, line])) > SECTION_LIMIT and len(chunk) > 1:
            out.append(SectionBlock(text=md("\n".join(chunk))))
            chunk = [f"*{title} (continued)*"]
        chunk.append(line)
    out.append(SectionBlock(text=md("\n".join(chunk))))
    return out


def grade_lines(card: cards.Card) -> list[str]:
    """The badge (the toolkit's), the guidance's verdict (labelled as the guidance's), the kind."""
    lines = []
    if card.badge and card.badge_text:
        lines.append(f"{card.badge.emoji} *{escape(card.badge_text)}* · Crime Reduction Toolkit")
    if card.guidance:
        emoji = GUIDANCE_EMOJI.get(card.entry.verdict or "", "")
        lines.append(f"{emoji} *{escape(card.guidance)}*")
    lines.append(f"_{card.kind}_" if lines else f"*{card.kind}*")
    return lines


def warning_blocks(card: cards.Card) -> list[Block]:
    """The warning an officer must read before anything else."""
    if not card.warning:
        return []
    text = f":warning: *Warning:* {escape(card.warning)}"
    return [SectionBlock(block_id="warning", text=md(text))]


def evidence_blocks(card: cards.Card) -> list[Block]:
    """The toolkit's grading, where the evidence comes from, the figures and every caveat."""
    blocks: list[Block] = []
    if card.effect_line:
        lines = [f"*{escape(card.effect_line)}*", "*Evidence quality (EMMIE)*"]
        lines += [f"• {escape(q)}" for q in card.quality]
        if card.legacy:
            lines.append(f"_{escape(card.legacy)}_")
        blocks.append(SectionBlock(text=md("\n".join(lines))))
    if card.base:
        rows = (f"{escape(name)}: {escape(value)}" for name, value in card.base)
        blocks += sections("Where the evidence comes from", rows)
    if card.figures:
        blocks += sections("Figures", (cited(f) for f in card.figures))
    if card.caveats:
        blocks += sections("Caveats", (cited(c) for c in card.caveats))
    return blocks


def source_text(entry: Entry) -> str:
    """Source title (linked when known), publisher and date."""
    src = entry.source
    title = f"<{src.url}|{escape(src.title)}>" if src.url else escape(src.title)
    if src.url and src.inferred:
        title += " (address inferred)"
    parts = [title, escape(src.publisher)]
    if src.published:
        parts.append(src.published.strftime("%-d %B %Y"))
    return "Source: " + ", ".join(parts)


def source_blocks(card: cards.Card) -> list[Block]:
    """Source and links, then when the entry was reviewed and which knowledge base said so."""
    elements = [md(t) for t in [source_text(card.entry), *map(link, card.links)][:10]]
    return [ContextBlock(elements=elements), ContextBlock(elements=[md(escape(card.footer))])]


def related_actions(entries: Sequence[Entry], block_id: str) -> list[Block]:
    """Buttons that open other entries (related, did-you-mean, better supported)."""
    if not entries:
        return []
    buttons = [button(e.title, f"{OPEN}_{i}", e.id) for i, e in enumerate(entries[:25])]
    return [ActionsBlock(block_id=block_id, elements=buttons)]


def button_value(target: str, question: str, limit: int = 2000) -> str:
    """JSON naming what a button refers to, the question cut so the whole stays valid JSON."""
    q = shorten(question, 1500)
    value = json.dumps({"t": target, "q": q}, ensure_ascii=False)
    while len(value) > limit and q:
        cut = len(q) - (len(value) - limit) - 1
        q = q[:cut].rstrip() + "…" if cut > 0 else ""
        value = json.dumps({"t": target, "q": q}, ensure_ascii=False)
    return value


def feedback_actions(target: str, question: str, *, shareable: bool) -> list[Block]:
    """👍 / 👎 and, for private answers, Share in channel."""
    value = button_value(target, question)
    elements = [
        button(":+1: Helpful", HELPFUL, value),
        button(":-1: Not helpful", UNHELPFUL, value),
    ]
    if shareable:
        elements.append(button("Share in channel", SHARE, value, style="primary"))
    return [ActionsBlock(block_id="answer_actions", elements=elements)]


def entry_blocks(entry: Entry, lookup: Mapping[str, Entry], version: str = "") -> list[Block]:
    """The full answer for one entry, without the feedback buttons: warning first."""
    card = cards.card(entry, lookup, version)
    blocks: list[Block] = [
        *warning_blocks(card),
        HeaderBlock(text=PlainTextObject(text=shorten(entry.title, 150))),
        SectionBlock(text=md("\n".join(grade_lines(card)))),
        SectionBlock(text=md(f">{escape(entry.summary)}")),
        *evidence_blocks(card),
    ]
    if card.instead:
        lines = (f"{escape(e.title)}: {escape(cards.entry_grade_line(e))}" for e in card.instead)
        blocks += sections("Better supported instead", lines)
        blocks += related_actions(card.instead, "instead")
    blocks += source_blocks(card)
    if entry.details:
        more = button("More detail", MORE, entry.id)
        blocks.append(ActionsBlock(block_id="entry_actions", elements=[more]))
    if card.related:
        blocks.append(SectionBlock(text=md("*Related*")))
        blocks += related_actions(card.related, "related")
    return blocks


def detail_blocks(entry: Entry) -> list[Block]:
    """ "More detail": every detail of the entry, each linked to its page."""
    return [
        HeaderBlock(text=PlainTextObject(text=shorten(f"More detail: {entry.title}", 150))),
        *sections("Details", (cited(d) for d in entry.details)),
        ContextBlock(elements=[md(source_text(entry))]),
    ]


def tip_blocks(entry: Entry, lookup: Mapping[str, Entry], version: str = "") -> list[Block]:
    """A tip card: the tip, then the same grading and caveats as the full answer."""
    card = cards.card(entry, lookup, version)
    return [
        *warning_blocks(card),
        SectionBlock(
            text=md(f":bulb: *Tip: {escape(entry.title)}*\n{escape(entry.tip or entry.summary)}")
        ),
        SectionBlock(text=md("\n".join(grade_lines(card)))),
        *evidence_blocks(card),
        *source_blocks(card),
        ActionsBlock(
            block_id="tip_actions", elements=[button("Tell me more", f"{OPEN}_tip", entry.id)]
        ),
    ]


def text_blocks(texts: Sequence[str]) -> list[Block]:
    """Plain sections, one per paragraph (help, greeting)."""
    return [SectionBlock(text=md(escape(t))) for t in texts] or [DividerBlock()]


def unfurl_blocks(entry: Entry, lookup: Mapping[str, Entry], version: str = "") -> list[Block]:
    """A card for a shared toolkit link: title, grading, summary, caveats, source."""
    card = cards.card(entry, lookup, version)
    return [
        *warning_blocks(card),
        SectionBlock(text=md(f"*{escape(entry.title)}*\n" + "\n".join(grade_lines(card)))),
        SectionBlock(text=md(f">{escape(entry.summary)}")),
        *evidence_blocks(card),
        ContextBlock(elements=[md(source_text(entry) + " · from Toolkit Bot")]),
    ]
