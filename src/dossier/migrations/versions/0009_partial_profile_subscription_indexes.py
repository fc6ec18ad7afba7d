"""profile and subscription indexes hold only the signals that have one

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 12:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_signals_org_profile": (["organization_id", "kind", "profile_key", "created_at", "id"], "profile_key"),
    "ix_signals_org_subscription": (["organization_id", "subscription_id", "created_at"], "subscription_id"),
}


def upgrade() -> None:
    for name, (columns, column) in _INDEXES.items():
        op.drop_index(name, table_name="signals")
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(name, "signals", columns, postgresql_where=where, sqlite_where=where)


def downgrade() -> None:
    for name, (columns, _column) in _INDEXES.items():
        op.drop_index(name, table_name="signals")
        op.create_index(name, "signals", columns)
