"""Events API listeners: DMs, mentions, shared links and the Home tab. Thin: decide nothing.

The intake middleware (bot/slack/work.py) has already recorded the work and dropped retries
and redeliveries; a listener only asks for it to be done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext

from bot.slack.home import home_view
from bot.slack.services import Services
from bot.slack.work import from_a_person, later, owe, team_of

Handler = Callable[..., None]
__all__ = ["from_a_person", "on_home_opened", "on_link_shared", "on_mention", "on_message"]


def _do_work(services: Services, kinds: tuple[str, ...]) -> Handler:
    def handle(context: BoltContext) -> None:
        work = context.get("work")
        if work is not None and work.kind in kinds:
            later(services, work)  # the work pool does it: this listener returns at once

    return handle


def on_message(services: Services) -> Handler:
    """A direct message: the answer in that DM (in its thread, if it was in one)."""
    # A person's message inside a DM thread never gets here: Bolt's Assistant middleware takes
    # it (bot/slack/assistant.py: status, the same work done, title). Top-level DMs come here.
    return _do_work(services, ("question",))


def on_mention(services: Services) -> Handler:
    """An @mention in a channel: the answer in a thread under the question, never top-level.

    An @mention inside a thread the bot answered in is a follow-up about that thread's entry.
    """
    return _do_work(services, ("question",))


def on_link_shared(services: Services) -> Handler:
    """A toolkit link the knowledge base covers unfurls with the entry's card."""
    return _do_work(services, ("unfurl",))


def on_home_opened(services: Services) -> Handler:
    """The Home tab: what the bot does, how to ask, and browsable lists."""

    def handle(event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        payload = {"user_id": event["user"], "view": home_view(services.engine)}
        owe(services, team_of(body), "views.publish", event["user"], "home tab", payload)

    return handle
