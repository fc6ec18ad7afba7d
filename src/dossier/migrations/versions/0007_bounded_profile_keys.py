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
    # SQLite holds keys of any size; PostgreSQL took those up to about 2.7 KB (ix_signals_org_profile refused
    # longer ones). Only keys over the limit in bytes are read, a chunk at a time.
    # Signals created from such URLs before this revision keep their cache key: a repeated request within
    # the cache's freshness window researches once more instead of reusing the answer, then caches anew.
    conn = op.get_bind()
    size = "length(CAST(profile_key AS BLOB))" if conn.dialect.name == "sqlite" else "octet_length(profile_key)"
    select = sa.text(
        f"SELECT id, profile_key FROM signals WHERE profile_key IS NOT NULL AND {size} > :n AND id > :after "
        "ORDER BY id LIMIT 500"
    )
    after = ""
    while True:
        rows = conn.execute(select, {"n": _MAX_BYTES, "after": after}).all()
        if not rows:
            return
        conn.execute(
            sa.text("UPDATE signals SET profile_key = :key WHERE id = :id"),
            [{"id": i, "key": _PREFIX + hashlib.sha256(key.encode()).hexdigest()} for i, key in rows],
        )
        after = rows[-1][0]


def downgrade() -> None:
    # A digest cannot be turned back into its key; the long keys stay digests.
    pass
