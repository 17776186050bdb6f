"""The real `toolkit-bot serve`, in HTTP mode and in Socket Mode, pointed at the Slack stand-in."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.stand_in import FakeSlack, ResponsePost, SignedDriver, payloads
from tests.stand_in.fixtures import SIGNING_SECRET

T = TypeVar("T")
SCRIPT = Path(sys.executable).with_name("toolkit-bot")
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: How long to watch for something that must NOT happen (the bot answers in well under 0.5 s).
QUIET = 1.5
#: How long to wait for something that must happen.
PATIENCE = 10.0


@dataclass(frozen=True)
class Delivered:
    """How the bot took one delivery: HTTP status (200 once acked in Socket Mode) and timing."""

    status: int
    seconds: float
    body: Any  # the HTTP response text, or the Socket Mode ack


@dataclass
class Bot:
    """A running bot process and how to talk to it, the same way in either mode."""

    process: subprocess.Popen[str]
    fake: FakeSlack
    mode: str
    url: str = ""
    log_path: Path | None = None
    database_url: str = ""

    @property
    def driver(self) -> SignedDriver:
        return SignedDriver(f"{self.url}/slack/events", SIGNING_SECRET)

    def log(self) -> str:
        """Everything the bot printed so far (stdout and stderr go to one file)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def query(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        """Rows from the bot's own SQLite database (read-only)."""
        path = self.database_url.removeprefix("sqlite:///")
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as db:
            return list(db.execute(sql, args))

    def log_mark(self) -> int:
        """Where the log ends now (pass it to wait_log as `since`)."""
        return len(self.log())

    def wait_log(self, text: str, *, since: int = 0, timeout: float = PATIENCE) -> str:
        """Block until `text` appears in the bot's log after `since`; return that part."""
        deadline = time.monotonic() + timeout
        while True:
            log = self.log()[since:]
            if text in log:
                return log
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} not in the {self.mode} bot's log:\n{log[-3000:]}")
            time.sleep(0.05)

    # -- delivering what Slack would send ---------------------------------------------------

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry: int = 0
    ) -> Delivered:
        """An Events API event (a bare event is wrapped in an event_callback envelope)."""
        if event.get("type") == "event_callback":
            body = event
        else:
            body = payloads.event_callback(event, event_id=event_id)
        if self.mode == "http":
            return self._http(lambda: self.driver.event(body, retry_num=retry or None))
        return self._socket("events_api", body, retry_attempt=retry)

    def command(self, form: dict[str, str]) -> Delivered:
        """A slash command (form fields from payloads.slash_command)."""
        if self.mode == "http":
            return self._http(lambda: self.driver.command(form))
        return self._socket("slash_commands", form)

    def interaction(self, payload: dict[str, Any]) -> Delivered:
        """A block action, shortcut or view submission."""
        if self.mode == "http":
            return self._http(lambda: self.driver.interaction(payload))
        return self._socket("interactive", payload)

    def _http(self, send: Any) -> Delivered:
        started = time.monotonic()
        response = send()
        return _noted(Delivered(response.status, time.monotonic() - started, response.body))

    def _socket(self, kind: str, payload: dict[str, Any], **how: Any) -> Delivered:
        started = time.monotonic()
        envelope = self.fake.socket.send(kind, payload, **how)
        ack = self.fake.socket.wait_ack(envelope, timeout=PATIENCE)
        return _noted(Delivered(200, time.monotonic() - started, ack))


#: The slowest ack each test saw (test id -> seconds), printed at the end of the run with
#: ACK_REPORT=1 (the README's fault suite table gives these).
SLOWEST_ACK: dict[str, float] = {}


def _noted(delivered: Delivered) -> Delivered:
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]
    SLOWEST_ACK[test] = max(SLOWEST_ACK.get(test, 0.0), delivered.seconds)
    return delivered


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if os.environ.get("ACK_REPORT") and SLOWEST_ACK:
        terminalreporter.section("slowest ack per test")
        for test, seconds in sorted(SLOWEST_ACK.items()):
            terminalreporter.write_line(f"{seconds * 1000:7.0f} ms  {test}")


@dataclass(frozen=True)
class AckReply:
    """A slash command's reply carried in its acknowledgement (the HTTP 200 body in HTTP mode,
    the ack's payload in Socket Mode), read the way Slack shows it."""

    body: dict[str, Any]

    @property
    def response_type(self) -> str:
        """ephemeral (only the asker sees it) unless the reply says in_channel."""
        return str(self.body.get("response_type") or "ephemeral")


def command_reply(delivered: Delivered) -> AckReply:
    """The reply a /toolkit ack carries."""
    body = delivered.body
    if isinstance(body, dict):  # Socket Mode: {"envelope_id": ..., "payload": {...}}
        return AckReply(dict(body.get("payload") or {}))
    text = body.decode() if isinstance(body, bytes) else str(body or "")
    return AckReply(json.loads(text) if text.strip() else {})


def wait_responses(
    fake: FakeSlack, url: str, count: int = 1, timeout: float = PATIENCE
) -> list[ResponsePost]:
    """The posts made to one response_url, once at least `count` arrived."""
    post_id = url.rsplit("/", 1)[-1]
    deadline = time.monotonic() + timeout
    while True:
        found = [r for r in fake.responses if r.id == post_id]
        if len(found) >= count:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(found)} of {count} posts to {url}: {fake.responses!r}")
        time.sleep(0.02)


def wait_until(probe: Callable[[], T], timeout: float = PATIENCE) -> T:
    """Poll until `probe()` returns something truthy; return it (TimeoutError if it never does)."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"still {found!r} after {timeout}s")
        time.sleep(0.05)


def quiet(seconds: float = QUIET) -> None:
    """Give the bot time to do something it must not do."""
    time.sleep(seconds)


# -- reading what the bot posted ----------------------------------------------------------


def elements(blocks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every interactive element: actions blocks' elements and section accessories."""
    for block in blocks:
        if block.get("type") == "actions":
            yield from block.get("elements", [])
        if "accessory" in block:
            yield block["accessory"]


def buttons(blocks: list[dict[str, Any]], prefix: str = "") -> list[dict[str, Any]]:
    """The buttons whose action_id starts with `prefix`."""
    return [
        e
        for e in elements(blocks)
        if e.get("type") == "button" and str(e.get("action_id", "")).startswith(prefix)
    ]


def shown(value: Any) -> str:
    """Every string Slack would render from a message or view (button values left out)."""
    if isinstance(value, dict):
        skip = {"value", "action_id", "block_id"}
        return "\n".join(shown(v) for k, v in value.items() if k not in skip)
    if isinstance(value, list):
        return "\n".join(shown(v) for v in value)
    return value if isinstance(value, str) else ""


def click(
    button: dict[str, Any], response_url: str, *, ephemeral: bool = False, **overrides: Any
) -> dict[str, Any]:
    """The block_actions payload for clicking a button the bot posted (on a message)."""
    payload = payloads.block_actions(
        button["action_id"], button["value"], block_id="answer_actions", response_url=response_url
    )
    payload["container"]["is_ephemeral"] = ephemeral
    return {**payload, **overrides}


def bot_env(fake: FakeSlack, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(SLACK_BOT_TOKEN="xoxb-test-bot", SLACK_API_URL=fake.api_url, LOG_LEVEL="INFO")
    env.update(extra)
    return env


def start(env: dict[str, str], log: Path) -> subprocess.Popen[str]:
    with log.open("w") as handle:  # the child keeps its own copy of the file descriptor
        return subprocess.Popen(
            [str(SCRIPT), "serve"],
            env=env,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            text=True,
        )


def wait_healthy(url: str, process: subprocess.Popen[str], log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the bot exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"the bot did not become healthy:\n{log.read_text()}")


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


#: The stand-in and the two bot processes are started once per test session and shared by every
#: module (starting `serve` takes about a second); each test gets a reset stand-in via `fake`.
#: Tests must not depend on what an earlier test left in the bot (every payload has fresh ids).
@pytest.fixture(scope="session")
def module_fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@contextmanager
def running(mode: str, fake: FakeSlack, home: Path, **extra: str) -> Iterator[Bot]:
    """`toolkit-bot serve` in one mode against `fake`, with its log and database under `home`."""
    log = home / "bot.log"
    extra.setdefault("DATABASE_URL", f"sqlite:///{home / 'toolkit-bot.db'}")
    if mode == "http":
        port = free_port()
        env = bot_env(fake, SLACK_SIGNING_SECRET=SIGNING_SECRET, PORT=str(port), **extra)
        process = start(env, log)
        bot = Bot(process, fake, "http", f"http://127.0.0.1:{port}", log, extra["DATABASE_URL"])
    else:
        greeted, port = fake.socket.connection_count, free_port()  # port: /metrics, /healthz
        env = bot_env(fake, SLACK_APP_TOKEN="xapp-test-app", PORT=str(port), **extra)
        process = start(env, log)
        bot = Bot(process, fake, "socket", f"http://127.0.0.1:{port}", log, extra["DATABASE_URL"])
    try:
        if mode == "http":
            wait_healthy(bot.url, process, log)
        else:
            try:
                fake.socket.wait_connected(timeout=30, total=greeted + 1)
            except TimeoutError as exc:
                raise RuntimeError(f"no Socket Mode connection:\n{log.read_text()}") from exc
        yield bot
    finally:
        stop(process)


@pytest.fixture(scope="session")
def http_bot(module_fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """`toolkit-bot serve` in HTTP mode (gunicorn) on a free port, with its own SQLite file."""
    with running("http", module_fake, tmp_path_factory.mktemp("http")) as bot:
        yield bot


@pytest.fixture(scope="session")
def socket_bot(module_fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """`toolkit-bot serve` in Socket Mode, connected to the stand-in's WebSocket endpoint."""
    with running("socket", module_fake, tmp_path_factory.mktemp("socket")) as bot:
        yield bot


@pytest.fixture
def fake(module_fake: FakeSlack) -> Iterator[FakeSlack]:
    """The shared stand-in, with its records and faults cleared for each test."""
    module_fake.reset()
    yield module_fake


@pytest.fixture(params=["http", "socket"])
def bot(request: pytest.FixtureRequest) -> Bot:
    """The bot in each mode in turn (both processes live for the whole session)."""
    found: Bot = request.getfixturevalue(f"{request.param}_bot")
    request.getfixturevalue("fake")  # records cleared after the bot started, not before
    return found
