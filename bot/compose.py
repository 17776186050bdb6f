"""Composition root for `toolkit-bot serve`: settings -> content -> engine -> store -> app.

Each part is built here and passed down; nothing reaches for globals.
"""

from __future__ import annotations

from bot.config import Settings
from bot.engine import Engine


def run_serve(settings: Settings, engine: Engine, mode: str) -> int:
    """Build every part the Slack app needs and serve until stopped."""
    from bot.serve import serve
    from bot.slack.app import build_app
    from bot.slack.services import Services

    services = Services(engine)
    return serve(settings, lambda: build_app(settings, services, mode=mode), mode)
