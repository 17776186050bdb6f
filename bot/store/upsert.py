"""INSERT ... ON CONFLICT for the two supported dialects (atomic upserts, no read-then-write)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert(connection: Connection, table: Table) -> Any:
    """The dialect's INSERT, which has on_conflict_do_nothing / on_conflict_do_update.

    Both dialects resolve a conflict inside the database: on PostgreSQL a concurrent insert of
    the same key waits for the first and then takes the conflict branch; SQLite serialises
    writers. So a counter incremented this way never loses an update.
    """
    name = connection.dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"unsupported database {name!r}: use SQLite or PostgreSQL")
