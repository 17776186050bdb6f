"""`toolkit-bot serve` as a new user runs it: no Slack variables, the preview comes up."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from bot.errors import ExitStatus
from tests.conftest import KNOWLEDGE, ROOT
from tests.preview.conftest import (
    SCRIPT,
    Served,
    env_without_slack,
    free_port,
    start,
    stop,
    wait_until_closed,
)
from tests.preview.dom import parse


def test_prints_one_line_with_the_address_and_how_to_connect_to_slack(served: Served) -> None:
    line = served.line.rstrip("\n")
    assert line.startswith(f"Toolkit Bot preview: open {served.url}/ and ask a question")
    assert "to connect to Slack" in line and "Deploying to Slack" in line


def test_health(served: Served) -> None:
    assert served.get("/healthz") == (200, "ok\n")


def test_question_in_the_url_is_answered_in_the_html(served: Served) -> None:
    status, body = served.get("/?q=do+scare+tactics+work")
    assert status == 200
    dom = parse(body)
    card = dom.one(id="latest")
    assert card.one(cls="sk-header").text() == "Scare tactics and shock images"
    assert any(
        a.attrs["href"].startswith("https://www.college.police.uk/")
        for a in card.all("a", "sk-link")
    )


def test_every_page_answers(served: Served) -> None:
    for path in ("/", "/home", "/gallery", "/tips"):
        status, body = served.get(path)
        assert status == 200, path
        parse(body)
    long = "/?" + "&".join(f"t=ask:question+number+{i}+about+drug+courts" for i in range(40))
    assert served.get(long)[0] == 200  # past gunicorn's default 4 KiB request line


def test_listens_on_loopback_only(served: Served) -> None:
    port = int(served.url.rsplit(":", 1)[1])
    listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
    local = [row.split()[1] for row in listening if row.split()[3] == "0A"]  # state LISTEN
    assert f"0100007F:{port:04X}" in local
    assert f"00000000:{port:04X}" not in local


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_stops_cleanly(sig: int) -> None:
    running = start()
    assert running.get("/healthz")[0] == 200
    status, out, err = stop(running, sig)
    assert status == 0, err
    assert out == "" and "Traceback" not in err, err
    wait_until_closed(running.url + "/healthz")


def test_mode_preview_with_slack_variables_set() -> None:
    port = free_port()
    env = env_without_slack(PORT=str(port), SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1")
    running = start("--mode", "preview", env=env, port=port)
    try:
        assert "without --mode preview" in running.line
        assert running.get("/healthz") == (200, "ok\n")
    finally:
        assert stop(running)[0] == 0


def test_starts_on_a_broken_knowledge_base_and_shows_its_problems(tmp_path: Path) -> None:
    broken = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, broken)
    path = broken / "drug-courts.yaml"
    path.write_text(path.read_text().replace("kind: intervention", "kind: intervension", 1))
    running = start("--mode", "preview", "--knowledge", str(broken))
    try:
        assert running.line.startswith("Toolkit Bot preview: open ")
        status, body = running.get("/gallery")
        assert status == 200
        problems = [li.text() for li in parse(body).one(cls="problems").all("li")]
        assert any("kind: 'intervension' is not one of" in p for p in problems), problems
        status, body = running.get("/?q=do+scare+tactics+work")
        page = parse(body)
        assert page.one(id="latest").one(cls="sk-header").text() == "Scare tactics and shock images"
        assert "The knowledge base has" in page.one(cls="problems").text()
    finally:
        code, out, err = stop(running)
    assert code == 0 and out == ""
    assert "the knowledge base has" in err and "problem(s)" in err and "Traceback" not in err


def test_all_interfaces_only_when_asked() -> None:
    port = free_port()
    running = start("--host", "0.0.0.0", port=port)
    try:
        assert (
            f"open http://127.0.0.1:{port}/ (listening on all interfaces, 0.0.0.0)" in running.line
        )
        rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
        assert f"00000000:{port:04X}" in [r.split()[1] for r in rows if r.split()[3] == "0A"]
    finally:
        stop(running)


def test_some_slack_variables_still_name_what_is_missing() -> None:
    env = env_without_slack(PORT=str(free_port()), SLACK_BOT_TOKEN="xoxb-1")
    result = subprocess.run(
        [str(SCRIPT), "serve"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == ExitStatus.SETTINGS, result.stderr
    assert "SLACK_SIGNING_SECRET is not set" in result.stderr
    assert result.stdout == ""


def test_port_in_use_is_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = env_without_slack(PORT=str(port))
        result = subprocess.run(
            [str(SCRIPT), "serve"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == ExitStatus.PORT_UNAVAILABLE, result.stderr
    assert "already in use" in result.stderr and "Traceback" not in result.stderr
