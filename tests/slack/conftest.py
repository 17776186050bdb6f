"""The real `toolkit-bot serve`, in HTTP mode and in Socket Mode, pointed at the Slack stand-in."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.stand_in import FakeSlack, SignedDriver
from tests.stand_in.fixtures import SIGNING_SECRET

SCRIPT = Path(sys.executable).with_name("toolkit-bot")
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Bot:
    """A running bot process and how to talk to it."""

    process: subprocess.Popen[str]
    fake: FakeSlack
    mode: str
    url: str = ""

    @property
    def driver(self) -> SignedDriver:
        return SignedDriver(f"{self.url}/slack/events", SIGNING_SECRET)

    def log(self) -> str:
        """What the bot printed so far (read after it stops)."""
        return ""


def bot_env(fake: FakeSlack, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(SLACK_BOT_TOKEN="xoxb-test-bot", SLACK_API_URL=fake.api_url, LOG_LEVEL="INFO")
    env.update(extra)
    return env


def start(env: dict[str, str], log: Path) -> subprocess.Popen[str]:
    handle = log.open("w")
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


@pytest.fixture(scope="module")
def module_fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def http_bot(module_fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """`toolkit-bot serve` in HTTP mode (gunicorn) on a free port."""
    port = free_port()
    log = tmp_path_factory.mktemp("http") / "bot.log"
    env = bot_env(module_fake, SLACK_SIGNING_SECRET=SIGNING_SECRET, PORT=str(port))
    process = start(env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log)
        yield Bot(process, module_fake, "http", url)
    finally:
        stop(process)


@pytest.fixture(scope="module")
def socket_bot(module_fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """`toolkit-bot serve` in Socket Mode, connected to the stand-in's WebSocket endpoint."""
    log = tmp_path_factory.mktemp("socket") / "bot.log"
    process = start(bot_env(module_fake, SLACK_APP_TOKEN="xapp-test-app"), log)
    try:
        module_fake.socket.wait_connected(timeout=30)
        yield Bot(process, module_fake, "socket")
    except TimeoutError as exc:
        raise RuntimeError(f"no Socket Mode connection:\n{log.read_text()}") from exc
    finally:
        stop(process)


@pytest.fixture
def fake(module_fake: FakeSlack) -> Iterator[FakeSlack]:
    """The module's stand-in, with its records and faults cleared for each test."""
    module_fake.reset()
    yield module_fake
