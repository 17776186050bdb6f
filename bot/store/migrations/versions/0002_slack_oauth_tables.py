"""Slack OAuth installation and state tables (slack_sdk's SQLAlchemy stores), in the same database

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INSTALLATIONS, BOTS, STATES = "slack_installations", "slack_bots", "slack_oauth_states"


def _tables() -> tuple[sa.MetaData, list[sa.Table]]:
    metadata = sa.MetaData()
    return metadata, [
        SQLAlchemyInstallationStore.build_installations_table(metadata, INSTALLATIONS),
        SQLAlchemyInstallationStore.build_bots_table(metadata, BOTS),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, STATES),
    ]


def upgrade() -> None:
    metadata, tables = _tables()
    metadata.create_all(op.get_bind(), tables=tables, checkfirst=True)


def downgrade() -> None:
    metadata, tables = _tables()
    metadata.drop_all(op.get_bind(), tables=tables, checkfirst=True)
