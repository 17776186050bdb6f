"""Shared fixtures: the real knowledge base, loaded and indexed once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.content import Content, load_content
from bot.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
INTENTS = ROOT / "intents"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def content() -> Content:
    """The project's real knowledge base and intents."""
    return load_content(KNOWLEDGE, INTENTS)


@pytest.fixture(scope="session")
def engine(content: Content) -> Engine:
    """An engine over the real content."""
    return Engine(content.entries, content.intents, version=content.version)


@pytest.fixture(scope="session", autouse=True)
def own_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every `toolkit-bot` a test starts keeps its state in a fresh SQLite file, never in a
    toolkit-bot.db in the working directory (a handled-event key from an earlier run would
    otherwise silence the answer to a message with the same ts)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('state') / 'toolkit-bot.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        yield


#: Leaks found in log records pytest captured in this process (tests/log_scan.py).
CAPTURED_LEAKS: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Scan each test phase's captured log records (redacted first, as production handlers do)."""
    from bot.logs import redact
    from tests.log_scan import leaks

    if report.caplog:
        for leak in leaks(redact(report.caplog), shapes=False):
            CAPTURED_LEAKS.append(f"{report.nodeid} ({report.when}, captured log) {leak}")


@pytest.fixture(scope="session", autouse=True)
def no_secrets_logged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tokens are never logged: once the session's bots have stopped, every log file a test
    wrote under the session's temporary directory and every captured log record is scanned
    for tokens and secret values (tests/log_scan.py); any found fails the run."""
    from tests.log_scan import report, scan_files

    yield
    found = scan_files(tmp_path_factory.getbasetemp()) + CAPTURED_LEAKS
    if found:
        pytest.fail(report(found), pytrace=False)
