"""Slack's surfaces for an app people talk to: suggested prompts, a status while answering, and
a title for each conversation thread in the bot's DM.

Slack has two messaging experiences for such apps. The manifests use the current one,
`agent_view`: the conversation is the DM's Messages tab, and opening it sends `app_home_opened`
with tab "messages", where the prompts are pinned (no thread_ts). The legacy `assistant_view`
(a Chat tab and the side panel) sends `assistant_thread_started` instead; Bolt's Assistant
middleware handles that for apps created before Slack made new apps use agent_view.

Who answers what in the DM, so every message is answered exactly once: Bolt's Assistant
middleware takes every message a person sends inside a DM thread (its `user_message`, matched by
shape: channel_type im, a thread_ts, no bot_id) and does not pass it on, so
`events.on_message` only ever sees top-level DMs. Both do the work the intake middleware
recorded for the message (bot/slack/work.py: one key per message, so each is answered once),
through `asking.ask` with the thread's key, so a follow-up is answered about the thread's entry
whichever listener got it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, Assistant, BoltContext, SetStatus, SetSuggestedPrompts, SetTitle
from slack_bolt.context.assistant.thread_context import AssistantThreadContext
from slack_bolt.context.assistant.thread_context_store.store import AssistantThreadContextStore
from slack_bolt.context.save_thread_context import SaveThreadContext

from bot.slack.delivery import deliver
from bot.slack.services import Services
from bot.slack.text import quote
from bot.slack.work import later

Handler = Callable[..., None]

#: Shown when someone opens the DM or a new assistant thread (Slack allows at most four).
PROMPTS = (
    "What works to stop young people using drugs?",
    "Does Scared Straight work?",
    "Compare drug courts and therapeutic communities",
    "Tips for my team",
)
PROMPTS_TITLE = "Try asking"
#: The loading state while a question in a thread is answered; Slack clears it when the answer
#: is posted in that thread (or after two minutes).
STATUS = "Looking that up…"
#: Thread titles are listed in the DM's history: short, from the thread's first question.
TITLE_LIMIT = 60


def suggested_prompts() -> list[dict[str, str]]:
    """The prompts as Slack takes them (each click sends its message as the person's question)."""
    return [{"title": prompt, "message": prompt} for prompt in PROMPTS]


def thread_title(question: str) -> str:
    """A thread's title from its first question: one line, shortened, escaped."""
    return quote(question, TITLE_LIMIT)


class ThreadContexts(AssistantThreadContextStore):
    """What Slack says the person is looking at beside an assistant thread (the channel open next
    to the side panel), kept in the thread memory (the database when there is one) under keys of
    its own. Bolt's default store would instead read the thread back (conversations.replies) and
    rewrite the bot's first reply (chat.update) on every change. Answers do not depend on it."""

    def __init__(self, services: Services) -> None:
        self._services = services  # read at each call: the store is attached after start-up

    def save(self, *, channel_id: str, thread_ts: str, context: dict[str, str]) -> None:
        """Remember a thread's context (only its string fields)."""
        items = tuple(f"{k}={v}" for k, v in sorted(context.items()) if isinstance(v, str) and v)
        self._services.threads.put(_context_key(channel_id, thread_ts), items)

    def find(self, *, channel_id: str, thread_ts: str) -> AssistantThreadContext | None:
        """A thread's context, or None when none was kept or it names no channel."""
        items = self._services.threads.get(_context_key(channel_id, thread_ts))
        context = dict(item.split("=", 1) for item in items if "=" in item)
        return AssistantThreadContext(context) if context.get("channel_id") else None


def _context_key(channel_id: str, thread_ts: str) -> str:
    """Not a thread_key (team:channel:ts), so it never collides with a thread's entries."""
    return f"assistant-context:{channel_id}:{thread_ts}"


def messages_tab(event: dict[str, Any]) -> bool:
    """app_home_opened for the DM itself (the Messages tab), not the Home tab."""
    return event.get("tab") == "messages"


def on_dm_opened(services: Services) -> Handler:
    """agent_view: someone opened the bot's DM; pin the suggested prompts to it."""

    def handle(event: dict[str, Any], set_suggested_prompts: SetSuggestedPrompts) -> None:
        deliver(
            services.failures,
            f"suggested prompts in {event.get('channel')}",
            lambda: set_suggested_prompts(prompts=suggested_prompts(), title=PROMPTS_TITLE),
        )

    return handle


def on_thread_started(services: Services) -> Handler:
    """assistant_view: a new assistant thread; keep its context, offer the prompts in it."""

    def handle(
        event: dict[str, Any],
        save_thread_context: SaveThreadContext,
        set_suggested_prompts: SetSuggestedPrompts,
    ) -> None:
        thread = event["assistant_thread"]
        save_thread_context(thread.get("context") or {})
        deliver(
            services.failures,
            f"suggested prompts in {thread['channel_id']} thread {thread['thread_ts']}",
            lambda: set_suggested_prompts(prompts=suggested_prompts(), title=PROMPTS_TITLE),
        )

    return handle


def on_user_message(services: Services) -> Handler:
    """A question in a DM thread: a status, the answer in that thread, then the thread's title."""

    def handle(
        context: BoltContext, event: dict[str, Any], set_status: SetStatus, set_title: SetTitle
    ) -> None:
        work = context.get("work")  # recorded by the intake middleware; None for a repeat
        if work is None or work.kind != "question":
            return
        channel, thread = event["channel"], event["thread_ts"]
        where = f"in {channel} thread {thread}"
        # Set before the answer is queued, so it cannot land after the answer that clears it.
        deliver(services.failures, f"status {where}", lambda: set_status(STATUS))
        later(services, work)  # the same path as every DM: ask() with the thread's key
        if services.seen.first_time(f"title:{channel}:{thread}"):  # once: the first question
            title = thread_title(event["text"])
            deliver(services.failures, f"thread title {where}", lambda: set_title(title))

    return handle


def register(app: App, services: Services) -> None:
    """Wire the DM's agent surfaces; call after the intake middleware, before the listeners."""
    assistant = Assistant(thread_context_store=ThreadContexts(services))
    assistant.thread_started(on_thread_started(services))
    assistant.user_message(on_user_message(services))
    app.assistant(assistant)  # assistant_thread_context_changed: Bolt's default saves it (above)
    # Bolt runs only the first listener that matches an event: this one comes before the Home
    # tab's app_home_opened listener, which ignores the Messages tab.
    app.event("app_home_opened", matchers=[messages_tab])(on_dm_opened(services))
