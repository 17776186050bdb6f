"""Alembic environment: the bot's own metadata; the URL comes from bot.store.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bot.store.db import make_engine
from bot.store.models import Base

config = context.config
target_metadata = Base.metadata


def run(connection: Connection) -> None:
    """Run migrations on one connection (SQLite needs batch mode for ALTERs)."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    with make_engine(config.get_main_option("sqlalchemy.url") or "").connect() as conn:
        run(conn)
