"""model spend holds

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 05:00:00.000000

A model call's hold on its organisation's day becomes a row of its own with an expiry, instead of an amount
added to the day's `reserved_nano`: a worker killed between hold and settle left that amount held until the day
was over; its row now stops counting when it expires. Holds in flight at upgrade time are dropped with the
column (their calls settle their cost onto the day as before).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_spend_holds",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("nano", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_model_spend_holds_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_spend_holds")),
    )
    op.create_index(
        "ix_model_spend_holds_org_day", "model_spend_holds", ["organization_id", "day", "expires_at"], unique=False
    )
    with op.batch_alter_table("model_spend_days") as batch:
        batch.drop_column("reserved_nano")


def downgrade() -> None:
    with op.batch_alter_table("model_spend_days") as batch:
        batch.add_column(sa.Column("reserved_nano", sa.BigInteger(), server_default="0", nullable=False))
    op.drop_index("ix_model_spend_holds_org_day", table_name="model_spend_holds")
    op.drop_table("model_spend_holds")
