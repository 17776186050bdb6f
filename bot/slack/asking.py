"""The one path from a question to a reply, shared by every surface."""

from __future__ import annotations

import json
from dataclasses import replace

from bot.engine import Answer, thread_context
from bot.slack.replies import Reply, compose, detail_reply, entry_reply
from bot.slack.services import Services

#: `/toolkit` words that pick an intent directly, whatever the matcher would say.
COMMAND_INTENTS = {
    "": "help",
    "help": "help",
    "topics": "topics",
    "tip": "tip",
    "what works": "what-works",
    "what doesnt work": "what-doesnt-work",
    "what doesn't work": "what-doesnt-work",
    "what does not work": "what-doesnt-work",
}


def ask(
    services: Services,
    question: str,
    *,
    shareable: bool = False,
    team_id: str | None = None,
    thread: str | None = None,
) -> Reply:
    """Answer a question typed in Slack.

    A question someone asked passes its workspace as `team_id`: the answer is counted (or the
    decline logged) here, the one place every surface goes through. Rebuilding an earlier
    answer (share, feedback) passes none and is not counted again. `thread` (a thread_key) makes
    the question part of a conversation: follow-ups are answered about the thread's entries.
    """
    context = services.threads.get(thread) if thread else ()
    answer = services.engine.answer(question, context=context)
    if thread:
        after = thread_context(answer, context)
        if after != context:
            services.threads.put(thread, after)
    if team_id is not None:
        services.record_answer(team_id, answer, question)
    return reply_for(services, answer, question, shareable=shareable)


def ask_command(services: Services, text: str, *, team_id: str | None = None) -> Reply:
    """Answer `/toolkit TEXT`: fixed words first, then the matcher."""
    words = " ".join(text.lower().replace("’", "'").split()).rstrip("?!.")
    intent = COMMAND_INTENTS.get(words)
    if intent is None:
        return ask(services, text, shareable=True, team_id=team_id)
    answer = services.engine.for_intent(intent, text)
    if team_id is not None:
        services.record_answer(team_id, answer, text)
    return reply_for(services, answer, text, shareable=True)


def reply_for(services: Services, answer: Answer, question: str, *, shareable: bool) -> Reply:
    """Render any answer (today's tip included)."""
    tip = services.tip() if answer.intent == "tip" else None
    reply = compose(answer, services.engine, question, shareable=shareable, tip=tip)
    return replace(reply, intent=answer.intent)


def rebuild(services: Services, value: str, *, shareable: bool) -> Reply:
    """The reply a share or feedback button refers to, rebuilt from its value."""
    data = json.loads(value)
    target, question = str(data.get("t", "")), str(data.get("q", ""))
    if target.startswith("compare:"):
        entries = tuple(
            services.engine.by_id[i] for i in target[8:].split(",") if i in services.engine.by_id
        )
        if entries:
            answer = Answer(question, "compare", 100, "rebuilt", entry=entries[0], entries=entries)
            return reply_for(services, answer, question, shareable=shareable)
    if target.startswith("entry:"):
        entry = services.engine.by_id.get(target.removeprefix("entry:"))
        if entry is not None:
            return entry_reply(entry, services.engine, question, shareable=shareable)
    if target in ("what-works", "what-doesnt-work", "topics", "help", "tip"):
        answer = services.engine.for_intent(target, question)
        return reply_for(services, answer, question, shareable=shareable)
    return ask(services, question, shareable=shareable)


def open_entry(services: Services, entry_id: str, *, shareable: bool) -> Reply | None:
    """The reply for a button that opens an entry."""
    entry = services.engine.by_id.get(entry_id)
    if entry is None:
        return None
    return entry_reply(entry, services.engine, entry.title, shareable=shareable)


def more_detail(services: Services, entry_id: str) -> Reply | None:
    """The reply for a "More detail" button."""
    entry = services.engine.by_id.get(entry_id)
    return detail_reply(entry) if entry is not None else None
