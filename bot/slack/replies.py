"""From an Answer to a Slack message: blocks plus a plain-text fallback for notifications."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import Block, ContextBlock

from bot.engine import Answer, Engine, Entry
from bot.engine.models import VERDICT_LABELS
from bot.slack import blocks as b
from bot.slack.text import escape, shorten

THANKS = ("thank", "cheers", "ta ", "thx", "nice one")


@dataclass(frozen=True, slots=True)
class Reply:
    """What is posted: `text` for notifications and screen readers, `blocks` for display."""

    text: str
    blocks: list[dict[str, Any]]

    def message(self) -> dict[str, Any]:
        """Keyword arguments for chat.postMessage / respond."""
        return {"text": self.text, "blocks": self.blocks}


def _dicts(blocks: list[Block]) -> list[dict[str, Any]]:
    return [block.to_dict() for block in blocks]


def responses(engine: Engine, intent: str) -> tuple[str, ...]:
    """The wording an intent file gives."""
    found = engine.intents.get(intent)
    return found.responses if found else ()


def target_of(answer: Answer) -> str:
    """What a share or feedback button refers to: an entry, or an intent."""
    return f"entry:{answer.entry.id}" if answer.entry else answer.intent


def entry_reply(entry: Entry, engine: Engine, question: str, *, shareable: bool) -> Reply:
    """The answer for one entry."""
    blocks = b.entry_blocks(entry, engine.by_id)
    blocks += b.feedback_actions(f"entry:{entry.id}", question, shareable=shareable)
    verdict = VERDICT_LABELS.get(entry.verdict or "", "Background")
    return Reply(f"{entry.title} ({verdict}): {shorten(entry.summary, 300)}", _dicts(blocks))


def compose(
    answer: Answer,
    engine: Engine,
    question: str,
    *,
    shareable: bool = False,
    tip: Entry | None = None,
) -> Reply:
    """The reply for any answer."""
    if answer.entry is not None:
        return entry_reply(answer.entry, engine, question, shareable=shareable)
    intent = answer.intent
    if intent in b.LIST_TITLES:
        heading = (responses(engine, intent) or (b.LIST_TITLES[intent],))[0]
        blocks = b.list_blocks(intent, answer.entries, heading)
        blocks += b.feedback_actions(intent, question, shareable=shareable)
        names = ", ".join(e.title for e in answer.entries)
        return Reply(shorten(f"{b.LIST_TITLES[intent]}: {names}", 3000), _dicts(blocks))
    if intent == "tip" and tip is not None:
        return Reply(
            f"Tip: {tip.title}: {shorten(tip.tip or tip.summary, 280)}", _dicts(b.tip_blocks(tip))
        )
    if intent in ("help", "greeting", "tip"):
        texts = _small_talk(engine, intent, question)
        return Reply(" ".join(texts), _dicts(b.text_blocks(texts)))
    return _decline(answer, engine, question)


def _small_talk(engine: Engine, intent: str, question: str) -> list[str]:
    said = list(responses(engine, "help" if intent == "tip" else intent))
    if intent == "greeting" and len(said) > 1:
        return [said[1] if any(t in f"{question.lower()} " for t in THANKS) else said[0]]
    return said or ["Ask me a question about drug prevention evidence."]


def _decline(answer: Answer, engine: Engine, question: str) -> Reply:
    texts = responses(engine, "fallback")
    blocks = b.decline_blocks(answer, question, texts)
    blocks += b.feedback_actions("fallback", question, shareable=False)
    text = texts[0] if texts else "I don't have anything on that."
    return Reply(text, _dicts(blocks))


def credited(reply: Reply, user_id: str) -> Reply:
    """A reply shared into a channel, crediting who shared it; its buttons stay but Share goes."""
    credit = ContextBlock(elements=[b.md(f"Shared by <@{escape(user_id)}> from Toolkit Bot")])
    kept = [blk for blk in reply.blocks if blk.get("block_id") != "answer_actions"]
    return Reply(reply.text, [*kept, credit.to_dict()])
