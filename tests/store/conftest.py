"""Storage fixtures: every test runs on SQLite (a temp file) and, when TEST_DATABASE_URL is set,
on PostgreSQL too, each time in a fresh, empty database (a new schema on PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.config import Settings
from bot.store.db import make_engine
from bot.store.store import Store, open_store
from tests.conftest import INTENTS, KNOWLEDGE
from tests.store.helpers import FakeClock, with_schema

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine | None]:
    """One engine on TEST_DATABASE_URL's default schema, for creating and dropping schemas."""
    if not PG_URL:
        yield None
        return
    engine = make_engine(PG_URL)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_admin: Engine | None
) -> Iterator[str]:
    """A URL to a fresh, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/toolkit-bot.db"
        return
    assert pg_admin is not None
    schema = f"toolkit_test_{uuid.uuid4().hex[:12]}"
    with pg_admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield with_schema(PG_URL, schema)
    finally:
        with pg_admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


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
