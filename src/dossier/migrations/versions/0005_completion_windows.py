"""completion windows: status-led index; signals complete no earlier than created; known statuses

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 08:30:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A worker whose clock ran behind the API server's could stamp a completion before the creation.
    # Such rows now read as completing the moment they were created, which is what finishing does from now on.
    op.execute("UPDATE signals SET completed_at = created_at WHERE completed_at < created_at")
    # On SQLite this rebuilds the table (batch mode): SQLite cannot add a constraint to an existing table.
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.create_check_constraint(op.f("ck_signals_completed_after_created"), "completed_at >= created_at")
        batch_op.create_check_constraint(op.f("ck_signals_status"), "status IN ('processing', 'completed', 'failed')")
        batch_op.drop_index("ix_signals_org_completed")
        batch_op.create_index(
            "ix_signals_org_completed",
            ["organization_id", "kind", "status", "completed_at", "created_at", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.drop_index("ix_signals_org_completed")
        batch_op.create_index(
            "ix_signals_org_completed",
            ["organization_id", "kind", "completed_at", "status", "created_at", "id"],
            unique=False,
        )
        batch_op.drop_constraint(op.f("ck_signals_status"), type_="check")
        batch_op.drop_constraint(op.f("ck_signals_completed_after_created"), type_="check")
