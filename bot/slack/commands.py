"""The /toolkit slash command: an answer only the asker sees, with a Share button.

A question is answered in the acknowledgement itself (Slack shows a slash command's ack body
as its reply, in HTTP and in Socket Mode): nothing is left to deliver afterwards, so nothing can
be lost or doubled. Sub-commands that talk to Slack or the database first (tips) ack at once and
answer through the response_url, via the outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.slack.asking import ask_command
from bot.slack.services import Services
from bot.slack.text import bounded
from bot.slack.work import answered, owe

COMMAND = "/toolkit"
Handler = Callable[..., None]
#: Sub-commands other issues add (e.g. "tips"): first word -> handler(command, services).
SubCommand = Callable[[dict[str, Any], Services], dict[str, Any]]


def on_toolkit(services: Services, subcommands: dict[str, SubCommand] | None = None) -> Handler:
    """Answer a question in the ack; a sub-command through the response_url."""
    extra = subcommands or {}

    def handle(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        text = bounded(command.get("text", "") or "")
        first = text.strip().split(" ", 1)[0].lower()
        team = str(command.get("team_id") or "")
        if first not in extra:
            reply = ask_command(services, text, team_id=team)
            ack(response_type="ephemeral", text=reply.text, blocks=reply.blocks)
            services.metrics.asked("command")
            answered(services, context.get("work"), reply)  # the work the intake recorded
            return
        ack()
        message = extra[first](command, services)
        url = command.get("response_url")
        if url:
            payload = {"url": url, "body": message}
            owe(services, team, "response_url", str(command.get("channel_id")), "/toolkit", payload)

    return handle
