"""person role counters

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 00:45:00.000000

Contact search at a million people: roles counted per (organisation, company, relation) so that the exact
`total` of an unfiltered or company-filtered search is a sum of a few counters, filled here from the roles
already stored. (A covering (organisation, company, relation, sort_key) index was tried and left out: without
statistics SQLite chose it for unfiltered and keyword searches and sorted every role.)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_role_counters",
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_person_role_counters_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company_profiles.id"],
            name=op.f("fk_person_role_counters_company_id_company_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "company_id", "relation", name=op.f("pk_person_role_counters")),
    )
    op.execute(
        "INSERT INTO person_role_counters (organization_id, company_id, relation, count) "
        "SELECT organization_id, company_id, relation, COUNT(*) FROM person_roles "
        "GROUP BY organization_id, company_id, relation"
    )


def downgrade() -> None:
    op.drop_table("person_role_counters")
