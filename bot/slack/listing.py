"""Block Kit for answers about several entries: lists, declines, comparisons and follow-ups."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ContextBlock,
    HeaderBlock,
    PlainTextObject,
    SectionBlock,
)

from bot import cards
from bot.engine import Answer, Entry
from bot.engine.grading import GUIDANCE_EMOJI, NOT_IN_NOTES
from bot.slack.blocks import (
    MORE,
    OPEN,
    button,
    cited,
    link,
    md,
    related_actions,
    sections,
    warning_blocks,
)
from bot.slack.text import escape, quote, shorten

LIST_TITLES = {
    "what-works": "What works",
    "what-doesnt-work": "What does not work (or is not shown to)",
    "topics": "Everything I cover",
}
MAX_ENTRY_SECTIONS = 40  # above this a list is written as text lines, to stay under 50 blocks


def _emoji(entry: Entry) -> str:
    if entry.badge is not None:
        return entry.badge.emoji
    return GUIDANCE_EMOJI.get(entry.verdict or "", ":books:")


def _entry_section(entry: Entry, action: str) -> SectionBlock:
    line = f"{_emoji(entry)} *{escape(shorten(entry.title, 150))}*"
    line += f"\n{escape(cards.entry_grade_line(entry))}"
    return SectionBlock(text=md(line), accessory=button("Open", action, entry.id))


def list_blocks(
    intent: str, entries: Sequence[Entry], heading: str, *, compact: bool | None = None
) -> list[Block]:
    """Every matching entry under its source and effect; each opens its answer.

    Short lists give each entry a section with an Open button; long ones (and the Home tab,
    which holds several lists) write each group as lines with rows of buttons, to stay within
    Slack's block limits.
    """
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=LIST_TITLES.get(intent, intent))),
        ContextBlock(elements=[md(escape(heading))]),
    ]
    grouped = cards.groups(intent, entries)
    total = sum(len(members) for _, members in grouped)
    small = total <= MAX_ENTRY_SECTIONS if compact is None else not compact
    for g, (title, members) in enumerate(grouped):
        if small:
            if title:
                blocks.append(SectionBlock(text=md(f"*{escape(title)}*")))
            blocks += [_entry_section(e, f"{OPEN}_{g}_{e.id}") for e in members]
        else:
            lines = (f"{_emoji(e)} {escape(shorten(e.title, 150))}" for e in members)
            blocks += sections(escape(title or f"{len(members)} entries"), lines)
            blocks += _button_rows(members, f"{intent}_{g}")
    if intent in cards.LIST_GROUPS:
        blocks.append(ContextBlock(elements=[md(escape(cards.NOT_COVERED))]))
    return blocks[:49]


def _button_rows(entries: Sequence[Entry], key: str) -> list[Block]:
    """Open buttons, 25 to a row (Slack's limit per actions block)."""
    rows = [entries[i : i + 25] for i in range(0, len(entries), 25)]
    return [
        ActionsBlock(
            block_id=f"open_{key}_{r}"[:255],
            elements=[
                button(shorten(e.title, 75), f"{OPEN}_{r}_{i}", e.id) for i, e in enumerate(row)
            ],
        )
        for r, row in enumerate(rows)
    ]


def decline_blocks(answer: Answer, question: str, texts: Sequence[str]) -> list[Block]:
    """The honest decline, the did-you-mean buttons and a link to the toolkit."""
    said = texts[0] if texts else "I don't have anything on that in the toolkit knowledge base."
    blocks: list[Block] = [SectionBlock(text=md(f"{escape(said)}\n_You asked:_ {quote(question)}"))]
    if answer.alternatives:
        blocks.append(
            SectionBlock(text=md(escape(texts[1] if len(texts) > 1 else "Did you mean:")))
        )
        blocks += related_actions(answer.alternatives, "did_you_mean")
    more = texts[2] if len(texts) > 2 else "Browse the Crime Reduction Toolkit:"
    not_covered = "Not being in our notes is not the same as the toolkit finding no effect."
    blocks.append(
        ContextBlock(elements=[md(f"{escape(more)} {link(cards.LANDING)}"), md(not_covered)])
    )
    return blocks


def _pair_fields(rows: Sequence[cards.Row]) -> list[Block]:
    """Two entries as side-by-side fields, row by row (Slack shows fields two per line)."""
    names = [name for name, _ in rows[0].cells]
    cells = [dict(row.cells) for row in rows]
    fields = [md(f"*{escape(shorten(r.entry.title, 150))}*") for r in rows]
    for name in names:
        fields += [md(f"*{escape(name)}*\n{escape(c.get(name, NOT_IN_NOTES))}") for c in cells]
    return [SectionBlock(fields=fields[i : i + 10]) for i in range(0, len(fields), 10)]


def _column(row: cards.Row) -> SectionBlock:
    lines = [f"*{escape(shorten(row.entry.title, 150))}*"]
    lines += [f"• *{escape(name)}:* {escape(value)}" for name, value in row.cells]
    return SectionBlock(text=md("\n".join(lines)))


def compare_blocks(answer: Answer, titles: Sequence[str]) -> list[Block]:
    """One side-by-side card: warnings first, then badge, label, quality, figure, caveat, who."""
    entries = answer.entries
    blocks: list[Block] = [
        SectionBlock(text=md(f":warning: *{escape(e.title)}:* {escape(e.warning)}"))
        for e in entries
        if e.warning
    ]
    blocks.append(HeaderBlock(text=PlainTextObject(text=titles[0] if titles else "Side by side")))
    rows = [cards.compare_row(e) for e in entries]
    same = len(rows) == 2 and [n for n, _ in rows[0].cells] == [n for n, _ in rows[1].cells]
    blocks += _pair_fields(rows) if same else [_column(r) for r in rows]
    missing = titles[1] if len(titles) > 1 else "is not in the knowledge base"
    blocks += [SectionBlock(text=md(f"{quote(text)} {escape(missing)}")) for text in answer.missing]
    if len(titles) > 2:
        blocks.append(ContextBlock(elements=[md(escape(titles[2]))]))
    blocks += related_actions(entries, "compared")
    return blocks


def aspect_blocks(answer: Answer, lookup: dict[str, Entry]) -> list[Block]:
    """A follow-up's answer: the part of each thread entry that was asked about."""
    blocks: list[Block] = []
    for entry in answer.entries or ((answer.entry,) if answer.entry else ()):
        view = cards.aspect_view(entry, answer.aspect or "detail", lookup)
        card = cards.card(entry, lookup)
        if answer.aspect == "instead":
            blocks += warning_blocks(card)
        blocks += sections(escape(view.title), (cited(d) for d in view.lines))
        blocks += related_actions(view.entries, f"instead_{entry.id}"[:255])
    first = answer.entry
    if first is not None:
        actions = [button(f"Full answer: {first.title}", f"{OPEN}_full", first.id)]
        if answer.aspect != "detail" and first.details:
            actions.append(button("More detail", MORE, first.id))
        blocks.append(ActionsBlock(block_id="follow_up_actions", elements=actions))
    return blocks
