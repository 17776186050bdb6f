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
