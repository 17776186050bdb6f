"""`toolkit-bot serve`: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP under gunicorn."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.config import Settings
from bot.logs import setup_logging

log = logging.getLogger("toolkit_bot")


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn embedded, so `serve` runs the production server itself (no Bolt dev server)."""

    def __init__(self, factory: Callable[[], Any], options: dict[str, Any]) -> None:
        self._factory, self._options = factory, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._factory()


def serve(
    settings: Settings,
    build: Callable[[], Any],
    mode: str | None = None,
    on_exit: Callable[[], None] | None = None,
) -> int:
    """Run until stopped. `build()` returns the Bolt app (built in the worker process);
    `on_exit()` runs in that process when it stops (e.g. to stop background threads)."""
    setup_logging(settings.log_level)
    mode = mode or settings.mode
    settings.check_for_serve(mode)
    if mode == "socket":
        return _socket_mode(settings, build, on_exit)
    return _http(settings, build, on_exit)


def _http(
    settings: Settings, build: Callable[[], Any], on_exit: Callable[[], None] | None = None
) -> int:
    from bot.web import create_wsgi

    log.info("starting in HTTP mode on port %s (Slack API at %s)", settings.port, settings.api_url)
    options = {
        "bind": f"0.0.0.0:{settings.port}",
        "workers": 1,
        "worker_class": "gthread",
        "threads": 8,
        "timeout": 30,
        "graceful_timeout": 10,
        "accesslog": None,
        "loglevel": settings.log_level.lower(),
    }
    if on_exit is not None:
        options["worker_exit"] = lambda _server, _worker: on_exit()
    _Gunicorn(lambda: create_wsgi(build()), options).run()
    return 0


def _socket_mode(
    settings: Settings, build: Callable[[], Any], on_exit: Callable[[], None] | None = None
) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    log.info("starting in Socket Mode (Slack API at %s)", settings.api_url)
    app = build()
    handler = SocketModeHandler(app, app_token=settings.app_token, web_client=app.client)
    try:
        handler.start()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        handler.close()  # type: ignore[no-untyped-call]
    finally:
        if on_exit is not None:
            on_exit()
    sys.stdout.flush()
    return 0
