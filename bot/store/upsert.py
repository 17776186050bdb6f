"""INSERT ... ON CONFLICT for the two supported dialects (atomic upserts, no read-then-write)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert(connection: Connection, table: Table) -> Any:
    """The dialect's INSERT, which has on_conflict_do_nothing / on_conflict_do_update.

    Both dialects resolve a conflict inside the database: on PostgreSQL a concurrent insert of
    the same key waits for the first and then takes the conflict branch; SQLite serialises
    writers. So a counter incremented this way never loses an update.
    """
    return dialect_insert(connection.dialect.name, table)


def dialect_insert(name: str, table: Table) -> Any:
    """`insert` for a dialect named "postgresql" or "sqlite"."""
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"unsupported database {name!r}: use SQLite or PostgreSQL")


def prepared(build: Callable[[str], Any]) -> Callable[[Connection], Any]:
    """A statement built once per dialect, then executed with a dict of parameters.

    Building a statement (`insert(...).values(...)`, `update(...).where(...)`) costs SQLAlchemy
    more than running it: half a millisecond of the 0.8 a one-row write took, measured under
    benchmarks/load.py. The answer path writes a few rows per question, so its statements are
    built once, with bind parameters, and reused (SQLAlchemy then finds the compiled form in its
    cache without rebuilding its key).
    """
    built = functools.cache(build)

    def statement(connection: Connection) -> Any:
        return built(connection.dialect.name)

    return statement
