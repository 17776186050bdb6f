"""From an Answer to a Slack message: blocks plus a plain-text fallback for notifications."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from slack_sdk.models.blocks import Block, ContextBlock

from bot import cards
from bot.engine import Answer, Engine, Entry
from bot.privacy import redact
from bot.slack import blocks as b
from bot.slack import listing
from bot.slack.text import escape, shorten

THANKS = ("thank", "cheers", "ta ", "thx", "nice one")


@dataclass(frozen=True, slots=True)
class Reply:
    """What is posted: `text` for notifications and screen readers, `blocks` for display."""

    text: str
    blocks: list[dict[str, Any]]
    #: The answer's intent when the reply answers a question ("fallback": declined), for the
    #: metrics and the request log; not part of the message.
    intent: str = field(default="", compare=False)

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
    """What a share or feedback button refers to: an entry, a comparison, or an intent."""
    if answer.intent == "compare" and answer.entries and answer.aspect in (None, "summary"):
        return "compare:" + ",".join(e.id for e in answer.entries)
    return f"entry:{answer.entry.id}" if answer.entry else answer.intent


def plain_grade(entry: Entry) -> str:
    """The verdict in the notification text: the toolkit's badge and label, or the guidance's."""
    return (
        cards.entry_grade_line(entry)
        if entry.evidence
        else (entry.guidance_verdict or "Background")
    )


def entry_reply(entry: Entry, engine: Engine, question: str, *, shareable: bool) -> Reply:
    """The answer for one entry."""
    question = redact(question)
    actions = b.feedback_actions(f"entry:{entry.id}", question, shareable=shareable)
    text = f"{entry.title} ({plain_grade(entry)}): {shorten(entry.summary, 300)}"
    if entry.warning:
        text = f"{text} Warning: {shorten(entry.warning, 200)}"
    return Reply(text, entry_dicts(entry, engine) + _dicts(actions))


#: Each engine's entry blocks, as JSON, built on first use (a reload brings a new engine, and
#: the old one's go with it).
_BUILT: WeakKeyDictionary[Engine, dict[str, tuple[Entry, str]]] = WeakKeyDictionary()
_BUILDING = threading.Lock()


def entry_dicts(entry: Entry, engine: Engine) -> list[dict[str, Any]]:
    """An entry's answer blocks (without the feedback buttons), a fresh copy for each caller.

    They are the same for every question about that entry, and slack_sdk's `to_dict`, which
    validates every element, was a tenth of what answering a question cost under load
    (benchmarks/load.py): so they are built once per engine and copied from JSON after.
    """
    with _BUILDING:
        found = _BUILT.setdefault(engine, {}).get(entry.id)
    if found is None or found[0] is not entry:
        found = (entry, json.dumps(_dicts(b.entry_blocks(entry, engine.by_id, engine.version))))
        with _BUILDING:
            _BUILT[engine][entry.id] = found
    copy: list[dict[str, Any]] = json.loads(found[1])
    return copy


def detail_reply(entry: Entry) -> Reply:
    """ "More detail" for one entry."""
    return Reply(f"More detail: {entry.title}", _dicts(b.detail_blocks(entry)))


def compose(
    answer: Answer,
    engine: Engine,
    question: str,
    *,
    shareable: bool = False,
    tip: Entry | None = None,
) -> Reply:
    """The reply for any answer (personal data in the question is never echoed back)."""
    question = redact(question)
    if answer.aspect not in (None, "summary") and answer.entry is not None:
        return _aspect(answer, engine, question, shareable=shareable)
    if answer.intent == "compare":
        return _compare(answer, engine, question, shareable=shareable)
    if answer.entry is not None:
        return entry_reply(answer.entry, engine, question, shareable=shareable)
    intent = answer.intent
    if intent in listing.LIST_TITLES:
        heading = (responses(engine, intent) or (listing.LIST_TITLES[intent],))[0]
        blocks = listing.list_blocks(intent, answer.entries, heading)
        blocks += b.feedback_actions(intent, question, shareable=shareable)
        names = ", ".join(e.title for e in answer.entries)
        return Reply(shorten(f"{listing.LIST_TITLES[intent]}: {names}", 3000), _dicts(blocks))
    if intent == "tip" and tip is not None:
        blocks = b.tip_blocks(tip, engine.by_id, engine.version)
        return Reply(f"Tip: {tip.title}: {shorten(tip.tip or tip.summary, 280)}", _dicts(blocks))
    if intent in ("help", "greeting", "tip"):
        texts = _small_talk(engine, intent, question)
        return Reply(" ".join(texts), _dicts(b.text_blocks(texts)))
    return _decline(answer, engine, question)


def _compare(answer: Answer, engine: Engine, question: str, *, shareable: bool) -> Reply:
    blocks = listing.compare_blocks(answer, responses(engine, "compare"))
    target = "compare:" + ",".join(e.id for e in answer.entries)
    blocks += b.feedback_actions(target, question, shareable=shareable)
    parts = [f"{e.title}: {plain_grade(e)}" for e in answer.entries]
    parts += [f"{t}: not in the knowledge base" for t in answer.missing]
    return Reply(shorten("Side by side. " + "; ".join(parts), 3000), _dicts(blocks))


def _aspect(answer: Answer, engine: Engine, question: str, *, shareable: bool) -> Reply:
    blocks = listing.aspect_blocks(answer, engine.by_id)
    blocks += b.feedback_actions(target_of(answer), question, shareable=shareable)
    entry = answer.entry or answer.entries[0]
    view = cards.aspect_view(entry, answer.aspect or "", engine.by_id)
    return Reply(
        shorten(f"{view.title}: {view.lines[0].text if view.lines else ''}", 3000), _dicts(blocks)
    )


def _small_talk(engine: Engine, intent: str, question: str) -> list[str]:
    said = list(responses(engine, "help" if intent == "tip" else intent))
    if intent == "greeting" and len(said) > 1:
        return [said[1] if any(t in f"{question.lower()} " for t in THANKS) else said[0]]
    return said or ["Ask me a question about drug prevention evidence."]


def _decline(answer: Answer, engine: Engine, question: str) -> Reply:
    texts = responses(engine, "fallback")
    blocks = listing.decline_blocks(answer, question, texts)
    blocks += b.feedback_actions("fallback", question, shareable=False)
    text = texts[0] if texts else "I don't have anything on that."
    return Reply(text, _dicts(blocks))


def credited(reply: Reply, user_id: str) -> Reply:
    """A reply shared into a channel, crediting who shared it; its buttons stay but Share goes."""
    credit = ContextBlock(elements=[b.md(f"Shared by <@{escape(user_id)}> from Toolkit Bot")])
    kept = [blk for blk in reply.blocks if blk.get("block_id") != "answer_actions"]
    return Reply(reply.text, [*kept, credit.to_dict()])
