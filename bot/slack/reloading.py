"""`/toolkit reload`: reload the knowledge base from disk, for the admins in TOOLKIT_BOT_ADMINS.

Registered through the /toolkit sub-command hook (first word "reload"), so it is acked at once
and answered through the response_url; every reply is ephemeral. The admin is told what is now
serving, or every problem exactly as `toolkit-bot validate` prints them. How the other workers
and processes reload: bot/reload.py.
"""

from __future__ import annotations

from typing import Any

from bot.reload import Reloader, ReloadResult
from bot.slack.asking import ask_command
from bot.slack.services import Services
from bot.slack.text import escape

#: Slack accepts up to 40,000 characters but shows long text badly; problems past this are
#: counted, not shown (`toolkit-bot validate` lists them all).
REPORT_LIMIT = 3000
FENCE = "```"

NO_ADMINS = (
    "Reloading from Slack is turned off: no admins are set. Whoever runs Toolkit Bot can set "
    "`TOOLKIT_BOT_ADMINS` to a comma-separated list of Slack user ids (yours is `{user}`) and "
    "restart it. Until then, sending SIGHUP to `toolkit-bot serve` (`kill -HUP <pid>`) reloads "
    "the knowledge base."
)
REFUSED = (
    "Sorry, only Toolkit Bot's admins can reload the knowledge base. If you have changed an "
    "entry, ask {admins} to run `/toolkit reload`."
)


def _ephemeral(text: str) -> dict[str, Any]:
    return {"response_type": "ephemeral", "text": text}


class ReloadCommand:
    """The `/toolkit reload` handler: (command, services) -> the reply for the response_url."""

    def __init__(self, reloader: Reloader, admins: tuple[str, ...]) -> None:
        self.reloader, self.admins = reloader, admins

    def __call__(self, command: dict[str, Any], services: Services) -> dict[str, Any]:
        text = str(command.get("text") or "")
        if len(text.split()) > 1:  # "reload ..." with more words is a question, not a command
            return {"response_type": "ephemeral", **ask_command(services, text).message()}
        user = str(command.get("user_id") or "")
        if not self.admins:
            return _ephemeral(NO_ADMINS.format(user=escape(user)))
        if user not in self.admins:
            return _ephemeral(REFUSED.format(admins=_names(self.admins)))
        return _ephemeral(reload_reply(self.reloader.reload(everywhere=True)))


def _names(admins: tuple[str, ...]) -> str:
    mentions = [f"<@{a}>" for a in admins]
    if len(mentions) == 1:
        return mentions[0]
    return f"{', '.join(mentions[:-1])} or {mentions[-1]}"


def reload_reply(result: ReloadResult) -> str:
    """What the admin reads: what is serving now, or every problem as `validate` prints them."""
    if result.ok:
        was = f" (was `{result.previous}`)" if result.changed else " (no change on disk)"
        return (
            f"Reloaded the knowledge base: now serving version `{result.version}`, "
            f"{result.entries} entries{was}."
        )
    return (
        f"*Not reloaded:* the knowledge base on disk has {len(result.problems)} problem(s), so "
        f"I'm still serving version `{result.version}` ({result.entries} entries). "
        f"`toolkit-bot validate` says:\n```\n{clipped(result)}\n```\n"
        "Fix them and run `/toolkit reload` again."
    )


def clipped(result: ReloadResult, limit: int = REPORT_LIMIT) -> str:
    """The validate report, escaped for Slack (a fence inside cannot end the code block) and
    cut at a whole line, with a count of the problems left out."""
    lines = [escape(line).replace(FENCE, "'''") for line in result.report().splitlines()]
    kept: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > limit and kept:
            break
        kept.append(line)
        size += len(line) + 1
    left = len(lines) - len(kept)
    if left:
        kept.append(f"... and {left} more problem(s): run `toolkit-bot validate` to see them all")
    return "\n".join(kept)
