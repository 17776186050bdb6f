"""The /toolkit slash command: an answer only the asker sees, with a Share button."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack

from bot.slack.asking import ask_command
from bot.slack.delivery import respond
from bot.slack.services import Services

COMMAND = "/toolkit"
Handler = Callable[..., None]
#: Sub-commands other issues add (e.g. "tips"): first word -> handler(command, services).
SubCommand = Callable[[dict[str, Any], Services], dict[str, Any]]


def on_toolkit(services: Services, subcommands: dict[str, SubCommand] | None = None) -> Handler:
    """Ack at once, then answer through the response_url."""
    extra = subcommands or {}

    def handle(ack: Ack, command: dict[str, Any]) -> None:
        ack()
        text = command.get("text", "") or ""
        first = text.strip().split(" ", 1)[0].lower()
        if first in extra:
            message = extra[first](command, services)
        else:
            reply = ask_command(services, text, team_id=str(command.get("team_id") or ""))
            message = {"response_type": "ephemeral", **reply.message()}
        respond(services.failures, command.get("response_url"), "/toolkit answer", message)

    return handle
