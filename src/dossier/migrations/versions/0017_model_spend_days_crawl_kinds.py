"""model spend days, crawl kinds

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 02:00:00.000000

An organisation's language-model spend per UTC day, where each model call reserves its worst case before it is
made (one conditional UPDATE) and settles to what it cost: the daily cap holds for signals running at once in
any number of processes. Filled from what finished signals spent, per day of completion.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("crawls", sa.Column("kind", sa.String(length=8), server_default="site", nullable=False))
    op.create_table(
        "model_spend_days",
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reserved_nano", sa.BigInteger(), nullable=False),
        sa.Column("spent_nano", sa.BigInteger(), nullable=False),
        sa.Column("tokens", sa.BigInteger(), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_model_spend_days_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "day", name=op.f("pk_model_spend_days")),
    )
    # SQLite holds timestamps as "YYYY-MM-DD HH:MM:SS.ffffff" text, so the day is its first ten characters.
    day = "substr(completed_at, 1, 10)" if op.get_bind().dialect.name == "sqlite" else "CAST(completed_at AS DATE)"
    op.execute(
        "INSERT INTO model_spend_days (organization_id, day, reserved_nano, spent_nano, tokens, calls) "
        f"SELECT organization_id, {day}, 0, CAST(ROUND(SUM(cost_usd) * 1000000000) AS BIGINT), 0, 0 FROM signals "
        f"WHERE completed_at IS NOT NULL AND cost_usd > 0 GROUP BY organization_id, {day}"
    )


def downgrade() -> None:
    op.drop_table("model_spend_days")
    with op.batch_alter_table("crawls") as batch:
        batch.drop_column("kind")
