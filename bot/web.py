"""HTTP mode: a WSGI application for a production server (gunicorn), with /healthz."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

WSGI = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def create_wsgi(app: App, path: str = "/slack/events") -> WSGI:
    """/slack/events for events, commands and interactivity; /healthz for load balancers."""
    slack = SlackRequestHandler(app, path=path)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        return slack(environ, start_response)

    return application
