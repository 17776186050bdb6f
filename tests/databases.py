"""Test databases: SQLite always, PostgreSQL too when TEST_DATABASE_URL is set (.ci/run sets it).

Each PostgreSQL test database is a schema of its own, dropped afterwards, so runs repeat and
parallel suites do not see each other's tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.store.db import make_engine

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


def with_schema(url: str, schema: str) -> str:
    """The URL with every connection's search_path set to one schema."""
    parsed = make_url(url)
    query = {**parsed.query, "options": f"-csearch_path={schema}"}
    return parsed.set(query=query).render_as_string(hide_password=False)


@contextmanager
def fresh_database(backend: str, directory: Path, prefix: str) -> Iterator[str]:
    """The URL of an empty database on `backend` ("sqlite" or "postgresql"), removed after."""
    if backend == "sqlite":
        yield f"sqlite:///{directory}/{prefix}.db"
        return
    admin = make_engine(PG_URL)
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield with_schema(PG_URL, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
