"""The command line explains itself: one line per command, help for every argument and option,
and `ask` with no question shows what the bot can do (as a bare /toolkit does)."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
from collections.abc import Iterator

from bot.cli import build_parser
from tests.cli.test_cli import SCRIPT
from tests.conftest import ROOT

COMMANDS = ("ask", "chat", "match", "eval", "validate", "serve", "db", "report", "tips")


def toolkit_bot(*args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": str(columns)},
    )


def parsers(
    parser: argparse.ArgumentParser, path: str = "toolkit-bot"
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every parser and sub-parser, with the command line that reaches it."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from parsers(child, f"{path} {name}")


def test_top_level_help_lists_every_command_on_one_line() -> None:
    result = toolkit_bot("--help")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    start = lines.index("commands:")
    listed = {}
    for line in lines[start + 2 :]:
        found = re.fullmatch(r"    (\S+)\s{2,}(\S.*)", line)
        if not found:
            break
        listed[found[1]] = found[2]
    assert tuple(listed) == COMMANDS, lines
    following = lines[start + 2 + len(listed)]
    assert not following.startswith("      "), (
        f"a command's help runs onto a second line: {following!r}"
    )


def test_every_argument_and_option_has_help() -> None:
    missing = [
        f"{path}: {action.dest}"
        for path, parser in parsers(build_parser())
        for action in parser._actions
        if not (action.help and action.help.strip())
    ]
    assert not missing, missing


def test_every_sub_command_has_a_one_line_summary() -> None:
    for path, parser in parsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                summaries = {c.dest: c.help for c in action._choices_actions}
                assert set(summaries) == set(action.choices), path
                assert all(s and "\n" not in s for s in summaries.values()), (path, summaries)


def test_every_command_help_runs() -> None:
    for command in COMMANDS:
        result = toolkit_bot(command, "--help")
        assert result.returncode == 0, (command, result.stderr)
        assert result.stdout.startswith(f"usage: toolkit-bot {command}"), command


def test_ask_without_a_question_shows_what_the_bot_does() -> None:
    empty, none = toolkit_bot("ask", ""), toolkit_bot("ask")
    assert empty.returncode == none.returncode == 0, empty.stderr + none.stderr
    assert empty.stdout == none.stdout and empty.stdout.strip()
    for args in (("ask", "--json", ""), ("ask", "--json"), ("ask", "--json", "   ")):
        assert json.loads(toolkit_bot(*args).stdout)["intent"] == "help", args
