"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 03:29:48.073362
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "organizations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credits", sa.BigInteger(), nullable=False),
        sa.Column("webhook_secret", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("name", name=op.f("uq_organizations_name")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("last_four", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_api_keys_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index("ix_api_keys_org", ["organization_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_api_keys_prefix"), ["prefix"], unique=False)

    op.create_table(
        "contact_research",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("first_name", sa.String(length=200), nullable=False),
        sa.Column("last_name", sa.String(length=200), nullable=False),
        sa.Column("company_name", sa.String(length=300), nullable=False),
        sa.Column("company_domain", sa.String(length=253), nullable=False),
        sa.Column("contact_profile_url", sa.String(length=2048), nullable=True),
        sa.Column("linkedin_sales_navigator_url", sa.String(length=2048), nullable=True),
        sa.Column("job_title", sa.String(length=300), nullable=True),
        sa.Column("external_id", sa.String(length=300), nullable=True),
        sa.Column("external_source", sa.String(length=100), nullable=True),
        sa.Column("webhook_url", sa.String(length=2048), nullable=True),
        sa.Column(
            "research",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column(
            "sources",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_contact_research_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_research")),
    )
    with op.batch_alter_table("contact_research", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contact_research_external",
            ["organization_id", "external_source", "external_id", "created_at"],
            unique=False,
        )
        batch_op.create_index("ix_contact_research_org_created", ["organization_id", "created_at"], unique=False)

    op.create_table(
        "signals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=True),
        sa.Column("contact_profile_url", sa.String(length=2048), nullable=True),
        sa.Column("profile_key", sa.String(length=2048), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer_type", sa.String(length=32), nullable=False),
        sa.Column(
            "output_schema",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column("weight", sa.String(length=16), nullable=False),
        sa.Column("verification_mode", sa.String(length=8), nullable=False),
        sa.Column(
            "qualification_criteria",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column("signal_template_id", sa.String(length=36), nullable=True),
        sa.Column("subscription_id", sa.String(length=36), nullable=True),
        sa.Column("company_id", sa.String(length=100), nullable=True),
        sa.Column("webhook_url", sa.String(length=2048), nullable=True),
        sa.Column(
            "connectors",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column("batch_id", sa.String(length=36), nullable=True),
        sa.Column(
            "answer",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("reasoning", sa.Text(), nullable=True),
        sa.Column(
            "sources",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column(
            "evidence",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column("qualification", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("as_of", sa.DateTime(), nullable=True),
        sa.Column("cache_key", sa.String(length=64), nullable=True),
        sa.Column("force_refresh", sa.Boolean(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_signals_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signals")),
    )
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.create_index("ix_signals_cache", ["organization_id", "cache_key", "completed_at"], unique=False)
        batch_op.create_index("ix_signals_org_completed", ["organization_id", "kind", "completed_at"], unique=False)
        batch_op.create_index("ix_signals_org_created", ["organization_id", "kind", "created_at", "id"], unique=False)
        batch_op.create_index(
            "ix_signals_org_domain", ["organization_id", "kind", "domain", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_signals_org_profile", ["organization_id", "kind", "profile_key", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_signals_org_status", ["organization_id", "kind", "status", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_signals_org_subscription", ["organization_id", "subscription_id", "created_at"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.drop_index("ix_signals_org_subscription")
        batch_op.drop_index("ix_signals_org_status")
        batch_op.drop_index("ix_signals_org_profile")
        batch_op.drop_index("ix_signals_org_domain")
        batch_op.drop_index("ix_signals_org_created")
        batch_op.drop_index("ix_signals_org_completed")
        batch_op.drop_index("ix_signals_cache")

    op.drop_table("signals")
    with op.batch_alter_table("contact_research", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_research_org_created")
        batch_op.drop_index("ix_contact_research_external")

    op.drop_table("contact_research")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_keys_prefix"))
        batch_op.drop_index("ix_api_keys_org")

    op.drop_table("api_keys")
    op.drop_table("organizations")
