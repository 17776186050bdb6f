"""Migrations: from an empty database to the latest schema, idempotent, safe to race."""

from __future__ import annotations

from sqlalchemy import inspect, text

from bot.config import Settings
from bot.store import migrate
from bot.store.db import make_engine
from bot.store.models import Base
from bot.store.store import open_store
from tests.store.helpers import race

OWN_TABLES = set(Base.metadata.tables)
SLACK_TABLES = {"slack_installations", "slack_bots", "slack_oauth_states"}


def test_upgrade_from_empty_creates_every_table(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert migrate.current(engine) is None
        migrate.upgrade(engine)
        assert migrate.current(engine) == migrate.head()
        tables = set(inspect(engine).get_table_names())
        assert OWN_TABLES | SLACK_TABLES | {"alembic_version"} <= tables
    finally:
        engine.dispose()


def test_upgrade_is_idempotent_and_keeps_data(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO secrets (name, value) VALUES ('probe', 'kept')"))
        migrate.upgrade(engine)
        migrate.upgrade(engine)
        assert migrate.current(engine) == migrate.head()
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
            kept = connection.execute(text("SELECT value FROM secrets WHERE name = 'probe'"))
            assert [v[0] for v in versions] == [migrate.head()]
            assert kept.scalar_one() == "kept"
    finally:
        engine.dispose()


def test_every_model_column_is_in_the_migrated_schema(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine)
        inspector = inspect(engine)
        for name, table in Base.metadata.tables.items():
            columns = {c["name"] for c in inspector.get_columns(name)}
            assert {c.name for c in table.columns} <= columns, name
    finally:
        engine.dispose()


def test_instances_starting_together_migrate_once(database_url: str) -> None:
    revisions = race("upgrade", database_url, None, processes=4)
    assert revisions == [migrate.head()] * 4


def test_open_store_migrates(settings: Settings) -> None:
    store = open_store(settings)
    try:
        assert migrate.current(store.engine) == migrate.head()
    finally:
        store.close()
