"""profile keys over 1 KB stored as their digest

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 11:40:00.000000
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# As kit.validation.profile_key has it from this revision on (kept here: a migration must not change with
# the code that follows it).
_MAX_BYTES = 1024
_PREFIX = "#sha256:"


def upgrade() -> None:
    # Only SQLite can hold such keys (PostgreSQL refused entries over ~2.7 KB in ix_signals_org_profile,
    # but took those between 1 and 2.7 KB). Characters are at most four bytes: shorter keys cannot be over.
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, profile_key FROM signals WHERE profile_key IS NOT NULL AND length(profile_key) > :n"),
        {"n": _MAX_BYTES // 4},
    ).all()
    updates = []
    for signal_id, key in rows:
        encoded = key.encode()
        if len(encoded) > _MAX_BYTES:
            updates.append({"id": signal_id, "key": _PREFIX + hashlib.sha256(encoded).hexdigest()})
    if updates:
        conn.execute(sa.text("UPDATE signals SET profile_key = :key WHERE id = :id"), updates)


def downgrade() -> None:
    # A digest cannot be turned back into its key; the long keys stay digests.
    pass
