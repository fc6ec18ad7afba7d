"""Alembic environment: one migration tree for SQLite and PostgreSQL (batch mode for SQLite)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from dossier.migrations.env_filters import include_name
from dossier.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set by dossier.kit.migrate"
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
