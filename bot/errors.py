"""Domain errors, in one place: what can go wrong and how it is reported."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class ToolkitBotError(Exception):
    """Base class for errors the bot reports to a person rather than as a traceback."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a content file: where it is and what was expected."""

    path: Path
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ContentError(ToolkitBotError):
    """The knowledge base or intents are broken; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the content:\n{lines}")


class ConfigError(ToolkitBotError):
    """Settings are missing or invalid; the message names every variable and where to get it."""


class ExitStatus(IntEnum):
    """How `toolkit-bot` exits: every status in one place (the README's table lists the same).

    `serve` gives each start-up failure its own status, so a supervisor or a script can tell
    them apart; every other command exits 1 for whatever it reports (0 on success).
    """

    OK = 0
    ERROR = 1  # a reported problem (any command but serve's start-up failures below)
    USAGE = 2  # a mistake on the command line (argparse)
    SETTINGS = 3  # serve: a variable is missing or malformed (tokens, PORT, DATABASE_URL)
    CONTENT = 4  # serve: the knowledge base or the intents are broken
    SLACK_UNREACHABLE = 5  # serve: no usable answer from SLACK_API_URL (network, HTTP error)
    TOKEN_REFUSED = 6  # serve: Slack refused SLACK_BOT_TOKEN or SLACK_APP_TOKEN
    PORT_UNAVAILABLE = 7  # serve: the HTTP port is in use or may not be listened on
    DATABASE_UNAVAILABLE = 8  # serve, many workspaces: the tokens' database cannot be used
    SERVER_FAILED = 9  # serve: the HTTP server stopped with an error after starting (see log)


class StartupError(ToolkitBotError):
    """`serve` cannot start: the message says what is wrong and what to check."""

    def __init__(self, status: ExitStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


def serve_status(exc: ToolkitBotError) -> ExitStatus:
    """The exit status of `serve` for an error raised while it starts."""
    if isinstance(exc, StartupError):
        return exc.status
    if isinstance(exc, ConfigError):
        return ExitStatus.SETTINGS
    if isinstance(exc, ContentError):
        return ExitStatus.CONTENT
    return ExitStatus.ERROR
