"""people: when a role began

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 23:05:00.000000

`person_roles.since`: the ISO date a role began when a page states it (a press release's date). New column,
nullable: nothing is rewritten.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person_roles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("since", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person_roles", schema=None) as batch_op:
        batch_op.drop_column("since")
