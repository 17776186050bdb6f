"""The App Home tab and the modal that shows an answer opened from it."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, ContextBlock, HeaderBlock, PlainTextObject, SectionBlock
from slack_sdk.models.views import View

from bot.engine import Engine
from bot.slack import blocks as b
from bot.slack import listing
from bot.slack.replies import Reply

HOME_LIMIT, MODAL_LIMIT = 100, 100

INTRO = (
    "I answer questions about what the evidence says, from the College of Policing Crime "
    "Reduction Toolkit and its drug-prevention guidance. I quote the toolkit's own grading "
    "(effect label and EMMIE quality labels) with every caveat, and link the source."
)
HOW = (
    "*How to ask*\n• Message me here, in the *Messages* tab\n• Mention me in a channel: I reply "
    "in a thread\n• `/toolkit your question` anywhere: only you see the answer, with a button "
    "to share it\n• On any message, *More actions → Check with the toolkit*"
)


def cap(blocks: list[Block], limit: int) -> list[Block]:
    """Keep within a surface's block limit, saying how much was left out."""
    if len(blocks) <= limit:
        return blocks
    left = len(blocks) - limit + 1
    note = ContextBlock(elements=[b.md(f"…and {left} more. Ask me by name to open any entry.")])
    return [*blocks[: limit - 1], note]


def home_blocks(engine: Engine) -> list[Block]:
    """Intro, how to ask, and the browsable lists."""
    examples = tuple(e for e in engine.entries if e.verdict == "example" or e.kind == "example")
    groups = [
        ("what-works", engine.working(), "From the guidance and the toolkit: linked to reductions"),
        (
            "what-doesnt-work",
            engine.not_working(),
            "Rises, no clear effect, mixed findings, or on the guidance's no-or-negative list",
        ),
        ("examples", examples, "Examples of relevant practice"),
        ("topics", engine.entries, "Every entry"),
    ]
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="Toolkit Bot")),
        SectionBlock(text=b.md(INTRO)),
        SectionBlock(text=b.md(HOW)),
    ]
    for intent, entries, heading in groups:
        if entries:
            listed = listing.list_blocks(intent, entries, heading, compact=True)
            if intent == "examples":
                listed[0] = HeaderBlock(text=PlainTextObject(text="Practice examples"))
            blocks += listed
    return cap(blocks, HOME_LIMIT)


def home_view(engine: Engine) -> dict[str, Any]:
    """The Home tab view."""
    return View(type="home", blocks=home_blocks(engine)).to_dict()


def answer_modal(reply: Reply, *, note: str = "") -> dict[str, Any]:
    """An answer shown in a modal (opened from the Home tab)."""
    blocks = list(reply.blocks)[: MODAL_LIMIT - 1]
    if note:
        blocks.append(ContextBlock(elements=[b.md(note)]).to_dict())
    view = View(
        type="modal",
        callback_id="answer_modal",
        title=PlainTextObject(text="Toolkit Bot"),
        close=PlainTextObject(text="Close"),
        blocks=blocks,  # given to View itself: to_dict() refuses a view with no blocks
    )
    return view.to_dict()
