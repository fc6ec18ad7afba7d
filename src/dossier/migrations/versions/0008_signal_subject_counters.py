"""signal subject counters

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 11:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signal_subject_counters",
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=1024), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_signal_subject_counters_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "organization_id", "kind", "subject", "status", name=op.f("pk_signal_subject_counters")
        ),
    )
    # Existing signals are counted once here; from now on every write keeps the counters in step.
    subject = "CASE WHEN kind = 'company' THEN domain ELSE profile_key END"
    op.execute(
        "INSERT INTO signal_subject_counters (organization_id, kind, subject, status, count) "
        f"SELECT organization_id, kind, {subject}, status, count(*) FROM signals WHERE {subject} IS NOT NULL "
        f"GROUP BY organization_id, kind, {subject}, status"
    )


def downgrade() -> None:
    op.drop_table("signal_subject_counters")
