"""company contexts

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 02:10:00.000000

A company's context for contact research reports, asked of the Reader once per crawl and company name and read
by every later report on that crawl (it was asked again for every report). A new table only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json_type = sa.JSON(none_as_null=True)  # json, not jsonb: read back in the key order it was written
    op.create_table(
        "company_contexts",
        sa.Column("crawl_id", sa.String(length=36), nullable=False),
        sa.Column("company_key", sa.String(length=300), nullable=False),
        sa.Column("context", json_type, nullable=False),
        sa.Column("evidence", json_type, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["crawl_id"], ["crawls.id"], name=op.f("fk_company_contexts_crawl_id_crawls"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("crawl_id", "company_key", name=op.f("pk_company_contexts")),
    )


def downgrade() -> None:
    op.drop_table("company_contexts")
