"""person profiles

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 23:05:00.000000

Profile URLs given with contact research, recorded against the person they name, so that a contact signal on
the same URL finds its person. A new table only: nothing is rewritten.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_profiles",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("profile_key", sa.String(length=1024), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("company_domain", sa.String(length=253), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_person_profiles_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_profiles_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_profiles")),
    )
    with op.batch_alter_table("person_profiles", schema=None) as batch_op:
        batch_op.create_index(
            "ix_person_profiles_org_key", ["organization_id", "profile_key", "person_id"], unique=True
        )
        batch_op.create_index("ix_person_profiles_person", ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("person_profiles", schema=None) as batch_op:
        batch_op.drop_index("ix_person_profiles_person")
        batch_op.drop_index("ix_person_profiles_org_key")
    op.drop_table("person_profiles")
