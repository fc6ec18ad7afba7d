"""The migration tree builds exactly the models' schema on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from dossier.kit.db import sync_url
from dossier.models import Base
from tests.conftest import Backend


def test_schema_matches_models(backend: Backend):
    engine = create_engine(sync_url(backend.url))
    try:
        with engine.connect() as conn:
            from dossier.migrations.env_filters import include_name

            ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
            assert compare_metadata(ctx, Base.metadata) == []
            tables = set(inspect(conn).get_table_names())
        assert {"organizations", "api_keys", "signals", "contact_research", "alembic_version"} <= tables
    finally:
        engine.dispose()


def test_list_query_indexes_exist(backend: Backend):
    engine = create_engine(sync_url(backend.url))
    try:
        with engine.connect() as conn:
            names = {ix["name"] for ix in inspect(conn).get_indexes("signals")}
    finally:
        engine.dispose()
    assert {
        "ix_signals_org_created", "ix_signals_org_domain", "ix_signals_org_completed", "ix_signals_org_status",
        "ix_signals_org_profile",
    } <= names
