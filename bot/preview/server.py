"""Serving the preview: gunicorn (already the bot's HTTP server) on 127.0.0.1 by default.

It prints one line, the address and how to serve Slack instead, and runs until stopped
(Ctrl-C or SIGTERM end it cleanly, exit status 0).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from gunicorn.app.base import BaseApplication

from bot.config import Settings
from bot.engine import Engine
from bot.errors import ExitStatus

LOCAL = "127.0.0.1"
ANY = ("0.0.0.0", "::", "")


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn embedded with the given options and an already built WSGI app."""

    def __init__(self, app: Any, options: dict[str, Any]) -> None:
        self._app, self._options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)
        # gunicorn >= 25.1 would open a control socket at a path every instance shares.
        if "control_socket_disable" in self.cfg.settings:
            self.cfg.set("control_socket_disable", True)

    def load(self) -> Any:
        return self._app


def run_preview(
    settings: Settings,
    engine: Engine,
    *,
    knowledge: Path,
    intents: Path,
    host: str = LOCAL,
    problems: tuple[str, ...] = (),
    out: TextIO = sys.stdout,
) -> int:
    """Serve the preview on host:$PORT until stopped; say where, once, when it is listening."""
    from bot.logs import setup_logging
    from bot.preview.app import PreviewApp
    from bot.serve import check_port

    setup_logging(settings.log_level)
    check_port(settings.port, host)  # a busy port is one line (StartupError), not a traceback
    line = ready_line(settings, host)
    app = PreviewApp(engine, knowledge, intents, problems=problems)
    return _serve(app, _bind(host, settings.port), settings.log_level, lambda: _say(line, out))


def ready_line(settings: Settings, host: str) -> str:
    """The one line `serve` prints: the address to open and how to connect to Slack instead."""
    shown = LOCAL if host in ANY else host
    url = f"http://{_bind(shown, settings.port)}/"
    where = f" (listening on all interfaces, {host or '0.0.0.0'})" if host in ANY else ""
    if settings.slack_configured:
        slack = "to serve Slack instead, run `toolkit-bot serve` without --mode preview"
    else:
        slack = (
            "no Slack variables are set; to connect to Slack set them (README: Deploying to "
            "Slack) and run `toolkit-bot serve` again"
        )
    return f"Toolkit Bot preview: open {url}{where} and ask a question ({slack}). Ctrl-C stops it."


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _say(line: str, out: TextIO) -> None:
    print(line, file=out, flush=True)


def _serve(app: Any, bind: str, log_level: str, ready: Callable[[], None]) -> int:
    options = {
        "bind": bind,
        "workers": 1,
        "worker_class": "gthread",
        "threads": 4,
        "timeout": 30,
        "graceful_timeout": 3,
        "accesslog": None,
        # gunicorn's own start/stop lines would bury the one line that matters.
        "loglevel": "debug" if log_level == "DEBUG" else "warning",
        # A conversation travels in the URL: longer than gunicorn's 4 KiB default request line.
        "limit_request_line": 0,
        "when_ready": lambda _arbiter: ready(),
    }
    arbiter = os.getpid()
    try:
        _Gunicorn(app, options).run()
    except SystemExit as exc:
        if os.getpid() != arbiter or not exc.code:
            raise  # a worker leaving (gunicorn reads its status), or a clean stop
        return ExitStatus.SERVER_FAILED
    return 0
