"""`db current` and `report` read the database; they never create one (only `db upgrade` does)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_cli import SCRIPT


def toolkit_bot(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The console script in `cwd`, DATABASE_URL as given (unset: the default, relative)."""
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**environ, **env},
    )


URLS = {
    "default": {},  # sqlite:///toolkit-bot.db in the working directory
    "relative": {"DATABASE_URL": "sqlite:///state/fresh.db"},
}


@pytest.mark.parametrize("how", URLS)
@pytest.mark.parametrize(
    "args", [("db", "current"), ("report",), ("report", "--format", "json")], ids=" ".join
)
def test_readers_create_no_database(tmp_path: Path, args: tuple[str, ...], how: str) -> None:
    (tmp_path / "state").mkdir()
    result = toolkit_bot(tmp_path, *args, **URLS[how])
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["state"], "a file was created"
    if args[0] == "db":
        assert result.returncode == 0, result.stderr
        assert "revision (empty) (behind: the latest is " in result.stdout
        assert "there is no file yet: `toolkit-bot db upgrade` creates it" in result.stdout
    else:
        assert result.returncode == 1
        assert result.stdout == ""
        assert "there is no database at sqlite:///" in result.stderr
        assert len(result.stderr.splitlines()) == 1


def test_absolute_path_that_does_not_exist(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'absent.db'}"
    for args in (("db", "current"), ("report",)):
        result = toolkit_bot(tmp_path, *args, DATABASE_URL=url)
        assert "Traceback" not in result.stderr, result.stderr
        assert not (tmp_path / "absent.db").exists(), args


def test_upgrade_creates_it_and_current_then_reads_it(tmp_path: Path) -> None:
    url = "sqlite:///bot.db"
    assert toolkit_bot(tmp_path, "db", "upgrade", DATABASE_URL=url).returncode == 0
    assert (tmp_path / "bot.db").exists()
    current = toolkit_bot(tmp_path, "db", "current", DATABASE_URL=url)
    assert current.returncode == 0 and "(up to date)" in current.stdout
    report = toolkit_bot(tmp_path, "report", DATABASE_URL=url)
    assert report.returncode == 0 and report.stdout.startswith("Toolkit Bot report")


def test_malformed_database_url_is_one_clear_error(tmp_path: Path) -> None:
    result = toolkit_bot(tmp_path, "db", "current", DATABASE_URL="postgresql://bot:pw@db:five/x")
    assert result.returncode == 1
    assert "DATABASE_URL is malformed (the port 'five' is not a number" in result.stderr
    assert "pw" not in result.stderr and "Traceback" not in result.stderr
