"""signal day counters

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 09:05:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signal_day_counters",
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_signal_day_counters_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "kind", "status", "day", name=op.f("pk_signal_day_counters")),
    )
    # Existing finished signals are counted once here; from now on every write keeps the counters in step.
    # SQLite holds timestamps as "YYYY-MM-DD HH:MM:SS.ffffff" text, so the day is its first ten characters.
    day = "substr(completed_at, 1, 10)" if op.get_bind().dialect.name == "sqlite" else "CAST(completed_at AS DATE)"
    op.execute(
        "INSERT INTO signal_day_counters (organization_id, kind, status, day, count) "
        f"SELECT organization_id, kind, status, {day}, count(*) FROM signals WHERE completed_at IS NOT NULL "
        f"GROUP BY organization_id, kind, status, {day}"
    )


def downgrade() -> None:
    op.drop_table("signal_day_counters")
