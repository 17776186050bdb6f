"""`toolkit-bot serve` start-up failures: one or two lines naming the problem and what to check,
a distinct exit status for each, and no traceback unless LOG_LEVEL=DEBUG.

Every case runs the console script against the project's Slack stand-in (or a closed port).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.errors import ExitStatus
from tests.conftest import INTENTS, KNOWLEDGE, ROOT
from tests.slack.conftest import SCRIPT, bot_env, free_port, start, stop, wait_healthy
from tests.stand_in import FakeSlack
from tests.stand_in.faults import Fault
from tests.stand_in.fixtures import SIGNING_SECRET


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


@pytest.fixture(autouse=True)
def clean(fake: FakeSlack) -> None:
    fake.reset()


def env_for(fake: FakeSlack, mode: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    """Everything a healthy `serve` in `mode` needs; `extra` breaks one part of it."""
    env = bot_env(fake, PORT=str(free_port()), DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    if mode == "socket":
        env["SLACK_APP_TOKEN"] = "xapp-test-app"
    else:
        env["SLACK_SIGNING_SECRET"] = SIGNING_SECRET
    env.update(extra)
    return env


def serve(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), "serve", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def failed(result: subprocess.CompletedProcess[str], status: ExitStatus) -> list[str]:
    """The lines `serve` printed, once checked: the status, no traceback, nothing on stdout."""
    output = result.stdout + result.stderr
    assert result.returncode == status, f"exit {result.returncode}, wanted {status}:\n{output}"
    assert "Traceback" not in output, output
    assert result.stdout == ""
    return result.stderr.splitlines()


def closed_port() -> int:
    """A port nothing listens on (bound and released: connecting is refused)."""
    return free_port()


MODES = ("http", "socket")


@pytest.mark.parametrize("mode", MODES)
def test_slack_unreachable_names_the_address(fake: FakeSlack, tmp_path: Path, mode: str) -> None:
    url = f"http://127.0.0.1:{closed_port()}/api/"
    lines = failed(
        serve(env_for(fake, mode, tmp_path, SLACK_API_URL=url)), ExitStatus.SLACK_UNREACHABLE
    )
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"toolkit-bot: cannot reach Slack at {url} (auth.test: ")
    assert "connection refused" in lines[0].lower()
    assert "Check SLACK_API_URL" in lines[1]
    assert not (tmp_path / "bot.db").exists(), "nothing starts before Slack answers"


def test_slack_answering_http_500_is_unreachable(fake: FakeSlack, tmp_path: Path) -> None:
    fake.faults.add("auth.test", Fault(500, {"ok": False, "error": "internal_error"}))
    lines = failed(serve(env_for(fake, "http", tmp_path)), ExitStatus.SLACK_UNREACHABLE)
    assert (
        lines[0] == f"toolkit-bot: no usable answer from Slack at {fake.api_url} "
        "(auth.test answered HTTP 500)."
    )
    assert len(lines) == 2


@pytest.mark.parametrize("mode", MODES)
def test_unknown_bot_token_is_refused(fake: FakeSlack, tmp_path: Path, mode: str) -> None:
    env = env_for(fake, mode, tmp_path, SLACK_BOT_TOKEN="xoxb-made-up")
    lines = failed(serve(env), ExitStatus.TOKEN_REFUSED)
    assert lines == [
        "toolkit-bot: Slack refused SLACK_BOT_TOKEN: auth.test answered invalid_auth.",
        lines[1],
    ]
    assert lines[1].startswith("Check SLACK_BOT_TOKEN: copy the Bot User OAuth Token from")
    assert "xoxb-made-up" not in "\n".join(lines)


@pytest.mark.parametrize("code", ["not_authed", "account_inactive", "token_revoked"])
def test_each_refusal_says_which_variable(fake: FakeSlack, tmp_path: Path, code: str) -> None:
    fake.faults.add("auth.test", Fault(200, {"ok": False, "error": code}))
    lines = failed(serve(env_for(fake, "http", tmp_path)), ExitStatus.TOKEN_REFUSED)
    assert lines[0] == f"toolkit-bot: Slack refused SLACK_BOT_TOKEN: auth.test answered {code}."
    assert lines[1].startswith("Check SLACK_BOT_TOKEN: ") and len(lines) == 2
    if code != "not_authed":
        assert "reinstall the app" in lines[1]


def test_unknown_app_token_is_refused(fake: FakeSlack, tmp_path: Path) -> None:
    env = env_for(fake, "socket", tmp_path, SLACK_APP_TOKEN="xapp-made-up")
    lines = failed(serve(env), ExitStatus.TOKEN_REFUSED)
    assert lines[0] == (
        "toolkit-bot: Slack refused SLACK_APP_TOKEN: apps.connections.open answered invalid_auth."
    )
    assert (
        lines[1].startswith("Check SLACK_APP_TOKEN: create an app-level token") and len(lines) == 2
    )
    assert len(fake.calls_to("auth.test")) == 1, "the bot token is checked once, first"


def test_port_in_use(fake: FakeSlack, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        lines = failed(
            serve(env_for(fake, "http", tmp_path, PORT=str(port))), ExitStatus.PORT_UNAVAILABLE
        )
    assert lines[0] == f"toolkit-bot: cannot listen on port {port}: it is already in use" + (
        " (another toolkit-bot?)."
    )
    assert "set PORT to a free port" in lines[1] and len(lines) == 2
    assert not fake.calls_to("auth.test"), "the port is checked before Slack is asked"


@pytest.mark.parametrize("mode", MODES)
def test_malformed_database_url(fake: FakeSlack, tmp_path: Path, mode: str) -> None:
    env = env_for(fake, mode, tmp_path, DATABASE_URL="postgres://bot:secret@db.internal:54x2/bot")
    lines = failed(serve(env), ExitStatus.SETTINGS)
    assert lines[0] == "toolkit-bot: Invalid settings:"
    assert lines[1].startswith(
        "  - DATABASE_URL is malformed (the port '54x2' is not a number between 1 and 65535): "
        "'postgres://bot:***@db.internal:54x2/bot'; write sqlite:///FILE"
    )
    assert len(lines) == 2 and "secret" not in lines[1]
    assert not fake.calls_to("auth.test")


def test_missing_variable(fake: FakeSlack, tmp_path: Path) -> None:
    env = env_for(fake, "http", tmp_path)
    del env["SLACK_SIGNING_SECRET"]
    lines = failed(serve(env, "--mode", "http"), ExitStatus.SETTINGS)
    assert lines[0] == "toolkit-bot: Cannot start the Slack app:"
    assert lines[1].startswith("  - SLACK_SIGNING_SECRET is not set (needed in HTTP mode)")


def test_broken_knowledge_base_lists_every_problem_as_validate_does(
    fake: FakeSlack, tmp_path: Path
) -> None:
    broken = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, broken)
    path = broken / "drug-courts.yaml"
    path.write_text(path.read_text().replace("kind: intervention", "kind: intervension", 1))
    (broken / "mentoring.yaml").write_text("id: mentoring\ntitle: [broken\n")
    env = env_for(fake, "http", tmp_path, KNOWLEDGE_DIR=str(broken), INTENTS_DIR=str(INTENTS))
    lines = failed(serve(env), ExitStatus.CONTENT)
    validate = subprocess.run(
        [str(SCRIPT), "validate"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert validate.returncode == 1
    assert lines == validate.stderr.splitlines()
    assert any("kind: 'intervension' is not one of" in x for x in lines)
    assert any("mentoring.yaml:2: invalid YAML" in x for x in lines)
    assert not fake.calls_to("auth.test"), "nothing is asked of Slack on a broken knowledge base"


def test_debug_log_level_shows_the_traceback(fake: FakeSlack, tmp_path: Path) -> None:
    env = env_for(fake, "http", tmp_path, SLACK_BOT_TOKEN="xoxb-made-up", LOG_LEVEL="DEBUG")
    result = serve(env)
    assert result.returncode == ExitStatus.TOKEN_REFUSED
    assert "Traceback" in result.stderr and "SlackApiError" in result.stderr
    assert result.stderr.splitlines()[-2].startswith("toolkit-bot: Slack refused SLACK_BOT_TOKEN")


def test_http_mode_opens_no_gunicorn_control_socket(fake: FakeSlack, tmp_path: Path) -> None:
    home, runtime = tmp_path / "home", tmp_path / "run"
    home.mkdir()
    runtime.mkdir()
    env = env_for(fake, "http", tmp_path, HOME=str(home), XDG_RUNTIME_DIR=str(runtime))
    log = tmp_path / "bot.log"
    process = start(env, log)
    try:
        wait_healthy(f"http://127.0.0.1:{env['PORT']}", process, log)
        time.sleep(0.5)  # gunicorn opens its control socket (if any) just after the worker boots
        assert not [*home.rglob("*"), *runtime.rglob("*")], "a control socket was made"
    finally:
        stop(process)
    assert "Control socket" not in log.read_text()  # gunicorn logs every one it opens


def test_install_flow_without_its_database(fake: FakeSlack, tmp_path: Path) -> None:
    env = env_for(fake, "http", tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/absent/bot.db")
    del env["SLACK_BOT_TOKEN"]
    env.update(SLACK_CLIENT_ID="111.222", SLACK_CLIENT_SECRET="client-secret")
    lines = failed(serve(env), ExitStatus.DATABASE_UNAVAILABLE)
    assert lines[0] == (
        f"toolkit-bot: cannot use the database at sqlite:///{tmp_path}/absent/bot.db: "
        "unable to open database file."
    )
    assert lines[1].startswith("The install flow keeps every workspace's token there: check")
    assert len(lines) == 2
