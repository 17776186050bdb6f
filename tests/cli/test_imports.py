"""The start-up rule: a command imports what it needs when it runs, and nothing else.

Each command runs in a fresh interpreter (a subprocess, as the console script does) and reports
which top-level packages ended up in sys.modules.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

#: The database, Slack and the HTTP server: only `serve`, `tips`, `db` and `report` need them.
SERVER_SIDE = {"sqlalchemy", "alembic", "psycopg", "slack_bolt", "slack_sdk", "gunicorn"}
#: The engine and the content loader: `--help` needs none of them.
ANSWERING = {"numpy", "rapidfuzz", "Stemmer", "yaml"}

PROBE = """
import contextlib, io, json, sys
from bot.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        status = main(sys.argv[1:])
    except SystemExit as exc:
        status = exc.code
print(json.dumps({"status": status, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def loaded(*args: str, stdin: str = "") -> tuple[object, set[str]]:
    """The exit status of `toolkit-bot ARGS` and the top-level packages it imported."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    return report["status"], set(report["modules"])


def test_help_imports_neither_the_engine_nor_the_server_side() -> None:
    status, modules = loaded("--help")
    assert status == 0
    assert not modules & (SERVER_SIDE | ANSWERING), modules & (SERVER_SIDE | ANSWERING)


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (("ask", "do scare tactics work?"), ""),
        (("ask", "--json", "drug courts"), ""),
        (("ask",), ""),
        (("chat",), "drug courts\nhow strong is the evidence?\nquit\n"),
        (("match", "--jsonl"), "drug courts\nwhat works\n"),
        (("validate",), ""),
        (("eval", str(ROOT / "tests" / "questions" / "holdout.yaml"), "--totals"), ""),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_terminal_commands_do_not_import_the_server_side(args: tuple[str, ...], stdin: str) -> None:
    status, modules = loaded(*args, stdin=stdin)
    assert status == 0
    assert not modules & SERVER_SIDE, f"{' '.join(args)} imported {sorted(modules & SERVER_SIDE)}"


def test_subcommand_help_imports_nothing_heavy() -> None:
    for command in ("serve", "report", "db", "tips"):
        status, modules = loaded(command, "--help")
        assert status == 0
        assert not modules & (SERVER_SIDE | ANSWERING), (command, modules & SERVER_SIDE)
