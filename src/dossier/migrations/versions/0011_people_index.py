"""people index

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 20:26:46.591891

The people index (contacts/taxonomy.py documents its normalised columns). New tables only: nothing is rewritten.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "company_profiles",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("name_key", sa.String(length=300), nullable=True),
        sa.Column("linkedin_slug", sa.String(length=200), nullable=True),
        sa.Column(
            "profiles",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column("indexed_crawl_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_company_profiles_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_profiles")),
    )
    with op.batch_alter_table("company_profiles", schema=None) as batch_op:
        batch_op.create_index("ix_company_profiles_org_domain", ["organization_id", "domain"], unique=True)
        batch_op.create_index("ix_company_profiles_org_linkedin", ["organization_id", "linkedin_slug"], unique=False)
        batch_op.create_index("ix_company_profiles_org_name", ["organization_id", "name_key"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("first_name", sa.String(length=200), nullable=False),
        sa.Column("last_name", sa.String(length=200), nullable=False),
        sa.Column("full_name", sa.String(length=400), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("linkedin_url", sa.String(length=2048), nullable=True),
        sa.Column("linkedin_key", sa.String(length=1024), nullable=True),
        sa.Column("github_url", sa.String(length=2048), nullable=True),
        sa.Column("x_url", sa.String(length=2048), nullable=True),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_people_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index("ix_people_org_email", ["organization_id", "email"], unique=False)
        batch_op.create_index("ix_people_org_linkedin", ["organization_id", "linkedin_key"], unique=False)

    op.create_table(
        "person_roles",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("title_key", sa.String(length=600), nullable=True),
        sa.Column("team", sa.String(length=200), nullable=True),
        sa.Column("department", sa.String(length=16), nullable=True),
        sa.Column("seniority", sa.String(length=16), nullable=True),
        sa.Column("first_key", sa.String(length=200), nullable=False),
        sa.Column("last_key", sa.String(length=200), nullable=False),
        sa.Column("sort_key", sa.String(length=400), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company_profiles.id"],
            name=op.f("fk_person_roles_company_id_company_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_person_roles_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_roles_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_roles")),
    )
    with op.batch_alter_table("person_roles", schema=None) as batch_op:
        batch_op.create_index(
            "ix_person_roles_identity", ["organization_id", "person_id", "company_id", "relation"], unique=True
        )
        batch_op.create_index(
            "ix_person_roles_org_company", ["organization_id", "company_id", "sort_key"], unique=False
        )
        batch_op.create_index(
            "ix_person_roles_org_country", ["organization_id", "country_code", "sort_key"], unique=False
        )
        batch_op.create_index(
            "ix_person_roles_org_department", ["organization_id", "department", "sort_key"], unique=False
        )
        batch_op.create_index("ix_person_roles_org_first", ["organization_id", "first_key"], unique=False)
        batch_op.create_index("ix_person_roles_org_last", ["organization_id", "last_key", "first_key"], unique=False)
        batch_op.create_index(
            "ix_person_roles_org_seniority", ["organization_id", "seniority", "sort_key"], unique=False
        )
        batch_op.create_index("ix_person_roles_org_sort", ["organization_id", "sort_key", "id"], unique=False)

    op.create_table(
        "person_sources",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("role_id", sa.String(length=36), nullable=True),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("snapshot_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_person_sources_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_sources_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["person_roles.id"], name=op.f("fk_person_sources_role_id_person_roles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_sources")),
    )
    with op.batch_alter_table("person_sources", schema=None) as batch_op:
        batch_op.create_index("ix_person_sources_person", ["person_id"], unique=False)
        batch_op.create_index("ix_person_sources_role", ["role_id"], unique=False)

    op.create_table(
        "person_terms",
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("role_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"], ["person_roles.id"], name=op.f("fk_person_terms_role_id_person_roles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "term", "role_id", name=op.f("pk_person_terms")),
    )
    with op.batch_alter_table("person_terms", schema=None) as batch_op:
        batch_op.create_index("ix_person_terms_role", ["role_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("person_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_person_terms_role")

    op.drop_table("person_terms")
    with op.batch_alter_table("person_sources", schema=None) as batch_op:
        batch_op.drop_index("ix_person_sources_role")
        batch_op.drop_index("ix_person_sources_person")

    op.drop_table("person_sources")
    with op.batch_alter_table("person_roles", schema=None) as batch_op:
        batch_op.drop_index("ix_person_roles_org_sort")
        batch_op.drop_index("ix_person_roles_org_seniority")
        batch_op.drop_index("ix_person_roles_org_last")
        batch_op.drop_index("ix_person_roles_org_first")
        batch_op.drop_index("ix_person_roles_org_department")
        batch_op.drop_index("ix_person_roles_org_country")
        batch_op.drop_index("ix_person_roles_org_company")
        batch_op.drop_index("ix_person_roles_identity")

    op.drop_table("person_roles")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index("ix_people_org_linkedin")
        batch_op.drop_index("ix_people_org_email")

    op.drop_table("people")
    with op.batch_alter_table("company_profiles", schema=None) as batch_op:
        batch_op.drop_index("ix_company_profiles_org_name")
        batch_op.drop_index("ix_company_profiles_org_linkedin")
        batch_op.drop_index("ix_company_profiles_org_domain")

    op.drop_table("company_profiles")
