"""Storage fixtures: every test runs on SQLite (a temp file) and, when TEST_DATABASE_URL is set,
on PostgreSQL too, each time in a fresh, empty database (a new schema on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.store.store import Store, open_store
from tests.conftest import INTENTS, KNOWLEDGE
from tests.databases import BACKENDS, fresh_database
from tests.store.helpers import FakeClock


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to a fresh, empty database on each backend."""
    with fresh_database(request.param, tmp_path, "toolkit_test") as url:
        yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings pointing at the fresh database (no hash secret: the store generates one)."""
    return Settings(knowledge_dir=KNOWLEDGE, intents_dir=INTENTS, database_url=database_url)


@pytest.fixture
def clock() -> FakeClock:
    """A clock the test moves by hand."""
    return FakeClock()


@pytest.fixture
def store(settings: Settings, clock: FakeClock) -> Iterator[Store]:
    """A migrated store on each backend, with a hand-moved clock."""
    opened = open_store(settings, clock=clock)
    yield opened
    opened.close()
