"""The Slack layer: the only package that imports slack_bolt / slack_sdk.

`register(app, services)` wires every listener in one place; the constants below are what the
manifest must declare (a test checks manifest.yml against them).
"""

from __future__ import annotations

import re

from slack_bolt import App

from bot.slack import actions, assistant, commands, comments, events, work
from bot.slack.blocks import HELPFUL, MORE, OPEN, SHARE, UNHELPFUL
from bot.slack.errors import on_error
from bot.slack.services import Services

BOT_EVENTS = (
    "app_home_opened",
    "app_mention",
    "assistant_thread_context_changed",
    "assistant_thread_started",
    "link_shared",
    "message.im",
)
BOT_SCOPES = (
    "app_mentions:read",
    "assistant:write",
    "channels:history",
    "channels:read",
    "chat:write",
    "commands",
    "groups:history",
    "groups:read",
    "im:history",
    "im:read",
    "im:write",
    "links:read",
    "links:write",
    "mpim:history",
)
COMMANDS = (commands.COMMAND,)
MESSAGE_SHORTCUTS = (actions.SHORTCUT,)

__all__ = ["BOT_EVENTS", "BOT_SCOPES", "COMMANDS", "MESSAGE_SHORTCUTS", "Services", "register"]


def register(
    app: App, services: Services, subcommands: dict[str, commands.SubCommand] | None = None
) -> None:
    """Attach every listener to the Bolt app."""
    app.use(work.intake(services))  # first of all: record the work before Slack's ack
    assistant.register(app, services)  # before the listeners: its DM-tab listener must lead
    app.event("message")(events.on_message(services))
    app.event("app_mention")(events.on_mention(services))
    app.event("link_shared")(events.on_link_shared(services))
    app.event("app_home_opened")(events.on_home_opened(services))
    app.command(commands.COMMAND)(commands.on_toolkit(services, subcommands))
    app.action(re.compile(f"^{OPEN}"))(actions.on_open(services))
    app.action(MORE)(actions.on_more(services))
    app.action(SHARE)(actions.on_share(services))
    app.action(HELPFUL)(actions.on_feedback(services, helpful=True))
    app.action(UNHELPFUL)(actions.on_feedback(services, helpful=False))
    app.shortcut(actions.SHORTCUT)(actions.on_shortcut(services))
    app.view(comments.CALLBACK)(comments.on_comment(services))
    app.error(on_error(services))
