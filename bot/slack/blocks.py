"""Block Kit for every answer, built with slack_sdk.models so Slack's own validators run."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

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

from bot.engine import Answer, Entry
from bot.engine.models import KIND_LABELS, VERDICT_LABELS
from bot.slack.text import clip, escape, quote, shorten

TOOLKIT_URL = "https://www.college.police.uk/research/crime-reduction-toolkit"  # INFERRED
OPEN, SHARE, HELPFUL, UNHELPFUL = "open_entry", "share_answer", "feedback_up", "feedback_down"
LIST_TITLES = {
    "what-works": "What works",
    "what-doesnt-work": "What does not work",
    "topics": "Everything I cover",
}
VERDICT_EMOJI = {
    "works": ":white_check_mark:",
    "no-or-negative-effect": ":x:",
    "example": ":school:",
}
MAX_ENTRY_SECTIONS = 40  # above this a list is written as text lines, to stay under 50 blocks


def md(text: str) -> MarkdownTextObject:
    """A mrkdwn text object, cut to Slack's 3,000-character section limit (line breaks kept)."""
    return MarkdownTextObject(text=clip(text, 3000))


def button(text: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    """A button within Slack's limits (text 75, value 2,000)."""
    return ButtonElement(
        text=PlainTextObject(text=shorten(text, 75), emoji=True),
        action_id=action_id[:255],
        value=value[:2000],
        style=style,
    )


def verdict_line(entry: Entry) -> str:
    """The verdict in plain words, with the kind of entry."""
    kind = KIND_LABELS.get(entry.kind, entry.kind)
    if not entry.verdict:
        return f"*{kind}*"
    return f"{VERDICT_EMOJI.get(entry.verdict, '')} *{VERDICT_LABELS[entry.verdict]}* · {kind}"


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


def link_texts(entry: Entry) -> list[str]:
    """Each link as mrkdwn; inferred addresses say so."""
    return [
        f"<{link.url}|{escape(link.label)}>" + (" (address inferred)" if link.inferred else "")
        for link in entry.links
    ]


def evidence_blocks(entry: Entry) -> list[Block]:
    """The toolkit's ratings, quoted exactly."""
    ev = entry.evidence
    if ev is None:
        return []
    quality = "; ".join(f"{k.replace('_', ' ')}: {v or 'not available'}" for k, v in ev.quality)
    lines = [f"*Toolkit effect rating:* {escape(ev.effect)}", f"*Evidence quality:* {quality}"]
    lines += [f"• {escape(f)}" for f in ev.figures[:3]]
    lines += [f"_Caveat:_ {escape(c)}" for c in ev.caveats[:2]]
    return [SectionBlock(text=md("\n".join(lines)))]


def related_actions(entries: Sequence[Entry], block_id: str) -> list[Block]:
    """Buttons that open other entries (related or did-you-mean)."""
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


def entry_blocks(entry: Entry, lookup: Mapping[str, Entry]) -> list[Block]:
    """The full answer for one entry, without the action buttons."""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=shorten(entry.title, 150))),
        SectionBlock(text=md(verdict_line(entry))),
        SectionBlock(text=md(f">{escape(entry.summary)}")),
        *evidence_blocks(entry),
        ContextBlock(elements=[md(t) for t in [source_text(entry), *link_texts(entry)][:10]]),
    ]
    related = [lookup[r] for r in entry.related if r in lookup]
    if related:
        blocks.append(SectionBlock(text=md("*Related*")))
        blocks += related_actions(related, "related")
    return blocks


def list_blocks(intent: str, entries: Sequence[Entry], heading: str) -> list[Block]:
    """Every matching entry; each opens its answer (as text lines for very long lists)."""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=LIST_TITLES.get(intent, intent))),
        ContextBlock(elements=[md(escape(heading))]),
    ]
    if len(entries) <= MAX_ENTRY_SECTIONS:
        for entry in entries:
            label = VERDICT_EMOJI.get(entry.verdict or "", ":books:")
            blocks.append(
                SectionBlock(
                    text=md(
                        f"{label} *{escape(entry.title)}*\n{escape(shorten(entry.summary, 160))}"
                    ),
                    accessory=button("Open", f"{OPEN}_{entry.id}", entry.id),
                )
            )
        return blocks
    chunk: list[str] = []
    for line in (f"• *{escape(shorten(e.title, 150))}*" for e in entries):
        if chunk and len("\n".join([*chunk, line])) > 3000:
            blocks.append(SectionBlock(text=md("\n".join(chunk))))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(SectionBlock(text=md("\n".join(chunk))))
    return blocks[:49]


def decline_blocks(answer: Answer, question: str, texts: Sequence[str]) -> list[Block]:
    """The honest decline, the did-you-mean buttons and a link to the toolkit."""
    said = texts[0] if texts else "I don't have anything on that in the toolkit knowledge base."
    blocks: list[Block] = [SectionBlock(text=md(f"{escape(said)}\n_You asked:_ {quote(question)}"))]
    if answer.alternatives:
        blocks.append(SectionBlock(text=md(texts[1] if len(texts) > 1 else "Did you mean:")))
        blocks += related_actions(answer.alternatives, "did_you_mean")
    more = texts[2] if len(texts) > 2 else "Browse the Crime Reduction Toolkit:"
    blocks.append(
        ContextBlock(elements=[md(f"{escape(more)} <{TOOLKIT_URL}|Crime Reduction Toolkit>")])
    )
    return blocks


def tip_blocks(entry: Entry) -> list[Block]:
    """A tip card: the tip, the verdict, the source and a Tell me more button."""
    return [
        SectionBlock(
            text=md(f":bulb: *Tip: {escape(entry.title)}*\n{escape(entry.tip or entry.summary)}")
        ),
        ContextBlock(elements=[md(verdict_line(entry)), md(source_text(entry))]),
        ActionsBlock(
            block_id="tip_actions", elements=[button("Tell me more", f"{OPEN}_tip", entry.id)]
        ),
    ]


def text_blocks(texts: Sequence[str]) -> list[Block]:
    """Plain sections, one per paragraph (help, greeting)."""
    return [SectionBlock(text=md(escape(t))) for t in texts] or [DividerBlock()]


def unfurl_blocks(entry: Entry) -> list[Block]:
    """A compact card for a shared toolkit link: title, verdict, summary, source."""
    return [
        SectionBlock(text=md(f"*{escape(entry.title)}*\n{verdict_line(entry)}")),
        SectionBlock(text=md(f">{escape(entry.summary)}")),
        ContextBlock(elements=[md(source_text(entry) + " · from Toolkit Bot")]),
    ]
