"""`toolkit-bot serve`: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP under gunicorn."""

from __future__ import annotations

import errno
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.glogging import Logger

from bot.config import Settings
from bot.errors import ExitStatus, StartupError
from bot.logs import setup_logging
from bot.metrics import Metrics, worker_gone
from bot.slack.pool import Pressure

log = logging.getLogger("toolkit_bot")
#: HTTP mode listens on every interface: Slack, or the load balancer, must reach it.
HOST = "0.0.0.0"


class _Arbiter(Arbiter):  # type: ignore[misc]
    """gunicorn's master, but SIGHUP reloads the knowledge base instead of the workers."""

    def __init__(self, app: Any, on_hup: Callable[[], object] | None) -> None:
        self._on_hup = on_hup
        super().__init__(app)

    def handle_hup(self) -> None:
        """The master's own copy first (workers started later fork with it), then each worker
        reloads in place: no request or background thread is dropped (see bot/reload.py)."""
        if self._on_hup is None:
            super().handle_hup()
            return
        self.log.info("Hang up: reloading the knowledge base in every worker")
        try:
            self._on_hup()
        except Exception:  # the master must go on managing its workers
            self.log.exception("the master could not reload the knowledge base")
        self.kill_workers(signal.SIGHUP)


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn embedded, so `serve` runs the production server itself (no Bolt dev server)."""

    def __init__(
        self,
        factory: Callable[[], Any],
        options: dict[str, Any],
        on_hup: Callable[[], object] | None = None,
    ) -> None:
        self._factory, self._options, self._on_hup = factory, options, on_hup
        super().__init__()

    def run(self) -> None:
        try:
            _Arbiter(self, self._on_hup).run()
        except RuntimeError as e:  # as BaseApplication.run
            print(f"\nError: {e}\n", file=sys.stderr)
            sys.stderr.flush()
            sys.exit(1)

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)
        # gunicorn >= 25.1 opens a control socket at one fixed path ($XDG_RUNTIME_DIR/gunicorn.ctl
        # or ~/.gunicorn/gunicorn.ctl) that every instance on the host shares and removes on
        # exit; the bot has no use for gunicornc, so none is opened.
        if "control_socket_disable" in self.cfg.settings:
            self.cfg.set("control_socket_disable", True)

    def load(self) -> Any:
        return self._factory()


def serve(
    settings: Settings,
    build: Callable[[], Any],
    mode: str | None = None,
    on_exit: Callable[[], None] | None = None,
    on_hup: Callable[[], object] | None = None,
    metrics: Metrics | None = None,
    pressure: Pressure | None = None,
) -> int:
    """Run until stopped. `build()` returns the Bolt app (built in the worker process);
    `on_exit()` runs in that process when it stops (e.g. to stop background threads).
    HTTP mode: `on_hup()` runs in the gunicorn master on SIGHUP, which is then passed on to
    every worker instead of restarting them (the workers' own SIGHUP handler: bot/reload.py).
    `metrics` are served as /metrics: on PORT beside /slack/events in HTTP mode, and on PORT
    too in Socket Mode, from a small server of their own (with /healthz)."""
    setup_logging(settings.log_level, settings.log_format)
    mode = mode or settings.mode
    settings.check_for_serve(mode)
    if mode == "socket":
        return _socket_mode(settings, build, on_exit, metrics, pressure)
    return _http(settings, build, on_exit, on_hup, metrics, pressure)


def _http(
    settings: Settings,
    build: Callable[[], Any],
    on_exit: Callable[[], None] | None = None,
    on_hup: Callable[[], object] | None = None,
    metrics: Metrics | None = None,
    pressure: Pressure | None = None,
) -> int:
    from bot.web import create_wsgi

    log.info("starting in HTTP mode on port %s (Slack API at %s)", settings.port, settings.api_url)
    options = {
        "bind": f"{HOST}:{settings.port}",
        "workers": settings.web_workers,  # one per core (README "Capacity and load")
        "worker_class": "gthread",
        "threads": settings.web_threads,
        "timeout": 30,
        "graceful_timeout": 10,
        "accesslog": None,
        "loglevel": settings.log_level.lower(),
    }
    if on_exit is not None:
        options["worker_exit"] = lambda _server, _worker: on_exit()
    options["child_exit"] = lambda _server, worker: worker_gone(worker.pid)  # /metrics' gauges
    if settings.log_format == "json":
        options["logger_class"] = _RootLogs
    arbiter = os.getpid()
    try:
        wsgi = lambda: create_wsgi(build(), metrics=metrics, pressure=pressure)  # noqa: E731
        _Gunicorn(wsgi, options, on_hup).run()
    except SystemExit as exc:
        if os.getpid() != arbiter or not exc.code:
            raise  # a worker leaving (gunicorn reads its status), or a clean stop
        return ExitStatus.SERVER_FAILED  # gunicorn's own 3 or 4 would read as ours
    return 0


def check_port(port: int, host: str = HOST) -> None:
    """Raise StartupError unless `serve` can listen on host:port (checked before gunicorn
    starts, which would otherwise retry for five seconds and log a traceback)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise StartupError(ExitStatus.PORT_UNAVAILABLE, _port_problem(exc, port, host)) from exc


def _port_problem(exc: OSError, port: int, host: str) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"cannot listen on port {port}: it is already in use (another toolkit-bot?).\n"
            "Stop whatever is listening there (e.g. `ss -ltnp`), or set PORT to a free port."
        )
    if exc.errno == errno.EACCES:
        return (
            f"cannot listen on port {port}: not permitted.\n"
            "Ports below 1024 need privileges: set PORT to 1024 or above."
        )
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}.\nCheck PORT."


class _RootLogs(Logger):  # type: ignore[misc]
    """LOG_FORMAT=json: gunicorn's own lines go through the root logger's handlers (JSON, tokens
    redacted) instead of gunicorn's plain-text handler."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in list(self.error_log.handlers):
            if getattr(handler, "_gunicorn", False):
                self.error_log.removeHandler(handler)
        self.error_log.propagate = True


def _socket_mode(
    settings: Settings,
    build: Callable[[], Any],
    on_exit: Callable[[], None] | None = None,
    metrics: Metrics | None = None,
    pressure: Pressure | None = None,
) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.slack.socket_guard import RECEIVE_BUFFER, guard_socket_mode
    from bot.web import start_admin_server

    log.info("starting in Socket Mode (Slack API at %s)", settings.api_url)
    app = build()
    server = None
    if metrics is not None:  # Slack needs no port in Socket Mode: a busy one stops nothing
        try:
            server = start_admin_server(HOST, settings.port, metrics)
            log.info("serving /metrics and /healthz on port %s", settings.port)
        except OSError as exc:
            log.warning(
                "not serving /metrics: cannot listen on port %s (%s); set PORT to a free port",
                settings.port,
                exc.strerror or exc,
            )
    handler = SocketModeHandler(
        app, app_token=settings.app_token, web_client=app.client, receive_buffer_size=RECEIVE_BUFFER
    )
    # malformed envelopes are dropped before slack_sdk parses; the rest counted until acked
    guard_socket_mode(handler.client, pressure=pressure)
    try:
        handler.start()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        handler.close()  # type: ignore[no-untyped-call]
    finally:
        if server is not None:
            server.shutdown()
        if on_exit is not None:
            on_exit()
    sys.stdout.flush()
    return 0
