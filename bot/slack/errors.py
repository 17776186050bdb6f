"""One error policy for every listener: log the exception, tell the person politely."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bot.slack.delivery import respond
from bot.slack.services import Services

log = logging.getLogger("toolkit_bot.slack")
SORRY = "Sorry, something went wrong on my side and I could not answer. Please try again."


def on_error(services: Services) -> Callable[..., None]:
    """Bolt's global error handler: a log line with the traceback, a fixed message to the user."""

    def handle(error: Exception, body: dict[str, Any]) -> None:
        kind = body.get("type") or body.get("command") or "request"
        url = body.get("response_url") or next(
            (u.get("response_url") for u in body.get("response_urls", [])), None
        )
        failed(services, str(kind), error, url)

    return handle


def failed(services: Services, kind: str, error: Exception, url: str | None) -> None:
    """Log a listener's (or the work pool's) failure; apologise where there is a response_url."""
    log.error("listener failed for %s: %s", kind, error, exc_info=error)
    if url:
        respond(
            services.failures,
            url,
            "error notice",
            {"response_type": "ephemeral", "replace_original": False, "text": SORRY},
        )
