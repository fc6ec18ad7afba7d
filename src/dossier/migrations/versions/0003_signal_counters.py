"""signal counters

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 03:53:37.033176
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
        "signal_counters",
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_signal_counters_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "kind", "status", name=op.f("pk_signal_counters")),
    )
    # Existing signals are counted once here; from now on every write keeps the counters in step.
    op.execute(
        "INSERT INTO signal_counters (organization_id, kind, status, count) "
        "SELECT organization_id, kind, status, count(*) FROM signals GROUP BY organization_id, kind, status"
    )
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signals_org_completed"))
        batch_op.create_index(
            "ix_signals_org_completed",
            ["organization_id", "kind", "completed_at", "status", "created_at", "id"],
            unique=False,
        )


def downgrade() -> None:

    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.drop_index("ix_signals_org_completed")
        batch_op.create_index(
            batch_op.f("ix_signals_org_completed"), ["organization_id", "kind", "completed_at"], unique=False
        )

    op.drop_table("signal_counters")
