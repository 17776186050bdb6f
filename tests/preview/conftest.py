"""The preview's own fixtures: the WSGI app called directly, and the real console script."""

from __future__ import annotations

import io
import os
import select
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from bot.engine import Engine
from bot.preview.app import PreviewApp
from tests.conftest import INTENTS, KNOWLEDGE, ROOT
from tests.preview.dom import Node, parse

SCRIPT = Path(sys.executable).with_name("toolkit-bot")
SLACK_VARIABLES = (
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
)
MONDAY = date(2026, 3, 2)


@dataclass
class Page:
    status: str
    headers: dict[str, str]
    body: str

    @property
    def dom(self) -> Node:
        return parse(self.body)


@pytest.fixture(scope="session")
def app(engine: Engine) -> PreviewApp:
    return PreviewApp(engine, KNOWLEDGE, INTENTS, today=lambda: MONDAY)


def call(app: PreviewApp, target: str, method: str = "GET") -> Page:
    """One request through the WSGI interface, as gunicorn makes it."""
    path, _, query = target.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query.split("#")[0],
        "wsgi.input": io.BytesIO(b""),
    }
    setup_testing_defaults(environ)
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response)).decode("utf-8")
    return Page(seen["status"], seen["headers"], body)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def env_without_slack(**extra: str) -> dict[str, str]:
    """The test's environment with no Slack variable at all (as on a fresh machine)."""
    env = {k: v for k, v in os.environ.items() if k not in SLACK_VARIABLES}
    env.update(extra)
    return env


@dataclass
class Served:
    """A running `toolkit-bot serve` preview."""

    process: subprocess.Popen[str]
    url: str
    line: str

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")


def start(*args: str, env: dict[str, str] | None = None, port: int | None = None) -> Served:
    """`toolkit-bot serve ARGS` with no Slack variables, once it has printed its line."""
    port = port or free_port()
    process = subprocess.Popen(
        [str(SCRIPT), "serve", *args],
        env=env or env_without_slack(PORT=str(port)),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = _first_line(process, timeout=30)
    return Served(process, f"http://127.0.0.1:{port}", line)


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    if not ready:
        process.kill()
        raise AssertionError(f"no line within {timeout}s")
    line = process.stdout.readline()
    if not line:
        err = process.stderr.read() if process.stderr else ""
        raise AssertionError(f"serve exited {process.wait()} before printing: {err}")
    return line


def stop(served: Served, sig: int = signal.SIGTERM) -> tuple[int, str, str]:
    """Stop it with `sig`; its exit status and whatever else it printed."""
    served.process.send_signal(sig)
    out, err = served.process.communicate(timeout=20)
    return served.process.returncode, out, err


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    running = start()
    yield running
    if running.process.poll() is None:
        stop(running)


def wait_until_closed(url: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).close()
        except OSError:
            return
        time.sleep(0.1)
    raise AssertionError(f"{url} still answers")
