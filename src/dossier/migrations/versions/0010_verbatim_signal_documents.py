"""signal documents returned to clients are stored as written (json, not jsonb, on PostgreSQL)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 14:10:00.000000

See kit.db.VerbatimJSON. SQLite stores JSON as text already, so only PostgreSQL changes. The conversion
rewrites the signals table under an exclusive lock: stop the server and workers while it runs.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_COLUMNS = ("output_schema", "answer", "sources", "evidence")


def _convert(to: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # One statement, so the table is rewritten once rather than once per column.
    changes = ", ".join(f"ALTER COLUMN {c} TYPE {to} USING {c}::{to}" for c in _COLUMNS)
    op.execute(f"ALTER TABLE signals {changes}")


def upgrade() -> None:
    _convert("json")


def downgrade() -> None:
    _convert("jsonb")
