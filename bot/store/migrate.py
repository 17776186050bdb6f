"""Schema migrations with Alembic, run by `toolkit-bot db upgrade` and at start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text

LOCK_KEY = 7_363_001  # arbitrary, fixed: the advisory lock that serialises migrations
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config without an ini file, bound to the engine's URL."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    url = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # configparser escaping
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision` (idempotent; safe to run from several instances)."""
    config = alembic_config(engine)
    sqlite = engine.dialect.name == "sqlite"
    runner = _serialised_sqlite(engine) if sqlite else engine
    try:
        with runner.begin() as connection:
            if connection.dialect.name == "postgresql":  # one instance migrates, the others wait
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if runner is not engine:
            runner.dispose()


def _serialised_sqlite(engine: Engine) -> Engine:
    """A private SQLite engine whose transactions start with BEGIN IMMEDIATE.

    pysqlite runs DDL outside any transaction, so two instances starting on a fresh file would
    both create the tables. Taking the write lock first makes the whole migration one
    transaction: the other instance waits (busy_timeout), then finds the schema at head.
    """
    runner = create_engine(engine.url, connect_args={"timeout": 30})

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(runner, "connect", on_connect)
    event.listen(runner, "begin", on_begin)
    return runner


def head() -> str | None:
    """The newest revision the code knows."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
