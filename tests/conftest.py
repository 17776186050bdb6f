"""Shared fixtures: the real knowledge base, loaded and indexed once per session."""

from __future__ import annotations

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
    return Engine(content.entries, content.intents)
