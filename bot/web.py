"""HTTP mode: a WSGI application for a production server (gunicorn), with /healthz and
/metrics; in Socket Mode those two alone, from a small server of their own."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from threading import Thread
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.metrics import Metrics
from bot.slack.guard import RequestGuard
from bot.slack.pool import Pressure
from bot.slack.refusals import hide_bodies

WSGI = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def create_wsgi(
    app: App,
    path: str = "/slack/events",
    signing_secret: str | None = None,
    metrics: Metrics | None = None,
    pressure: Pressure | None = None,
) -> WSGI:
    """/slack/events for events, commands and interactivity; /healthz for load balancers;
    /metrics for Prometheus (when given the metrics).

    Requests to `path` pass bot.slack.guard first (signature on the raw bytes, size, shape);
    the secret defaults to the one Bolt verifies with, so the two can never disagree.
    """
    hide_bodies()
    secret = app._signing_secret if signing_secret is None else signing_secret
    slack = RequestGuard(SlackRequestHandler(app, path=path), secret, path=path)
    admin = admin_wsgi(metrics)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") in ADMIN_PATHS:
            return admin(environ, start_response)
        if pressure is None:
            return slack(environ, start_response)
        pressure.enter()  # counted until acked: the work pool lets acks go first
        try:
            return slack(environ, start_response)
        finally:
            pressure.leave()

    return application


ADMIN_PATHS = ("/healthz", "/metrics")


def admin_wsgi(metrics: Metrics | None) -> WSGI:
    """/healthz, and /metrics in Prometheus's text format (404 without metrics); 404 for the
    rest. Nothing here reads a request body."""
    exposition = metrics.wsgi() if metrics is not None else None

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        if path == "/metrics" and exposition is not None:
            return exposition(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found\n"]

    return application


class _Server(ThreadingMixIn, WSGIServer):
    """One thread per request, none left behind at exit."""

    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    """No access log (the bot's own log has one line per request it does)."""

    def log_message(self, format: str, *args: Any) -> None:
        """Nothing."""


def start_admin_server(host: str, port: int, metrics: Metrics) -> WSGIServer:
    """Serve /healthz and /metrics on host:port from a daemon thread (Socket Mode, where no
    WSGI server runs); OSError when the port cannot be had. Stop it with .shutdown()."""
    server = make_server(host, port, admin_wsgi(metrics), _Server, _Quiet)
    Thread(target=server.serve_forever, name="metrics-server", daemon=True).start()
    return server
