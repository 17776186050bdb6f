"""Thread contexts: what each Slack thread is about, so follow-ups reach any instance

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "thread_contexts",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("entries", sa.String(500), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_thread_contexts_updated_at", "thread_contexts", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_thread_contexts_updated_at", table_name="thread_contexts")
    op.drop_table("thread_contexts")
