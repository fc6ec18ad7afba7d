"""person search documents: full-text indexes for keyword and several-title searches

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 05:00:00.000000

A keyword phrase of two words matched the intersection of two posting ranges (~32,000 each at a million
people): 80-160 ms at the 99th percentile for its exact `total`. `person_search_docs` holds each role's postings
and searched columns as one document of hex tokens (see contacts.models.PersonSearchDoc; a term's token carries
the number of its organisation's and relation's `person_search_scopes` row), indexed by the
databases' own full-text machinery, whose compressed posting lists intersect and union cheaply:
- SQLite: FTS5 table `person_search_fts` with external content `person_search_docs` (detail=none: only which
  documents hold a token, no positions; columnsize=0), kept in step by triggers on the documents table, as the
  FTS5 documentation describes for external content tables (the 'delete' command with the old values).
- PostgreSQL: a GIN index over `array_to_tsvector(string_to_array(doc, ' '))` (array_to_tsvector takes the
  tokens as lexemes, with no parsing or normalisation). Its count still visits every matching row's heap page
  for its visibility (~25,600 pages for 32,000 matches at a million roles; toast_tuple_target=128 with
  STORAGE EXTERNAL did not move the ~500-byte documents out of line: PostgreSQL toasts a row only past 2 kB).
Filled from the stored postings, which hold every term of a role and its searched columns.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_SQLITE_HEX = "lower(hex({}))"
_PG_HEX = "encode(convert_to({}, 'UTF8'), 'hex')"
_SCOPED = "s.id || ':' || p.term"


def _fill_sql(hexed: str, agg: str) -> str:
    """The documents from the postings (one group per role; the copied columns are the same on each posting):
    each term within its organisation's and relation's scope, then the company, country, seniority, department."""
    columns = ["' ' || " + hexed.format("'c:' || min(p.company_id)")]
    columns += [
        "coalesce(' ' || " + hexed.format(f"'{prefix}' || nullif(min(p.{column}), '')") + ", '')"
        for prefix, column in (("n:", "country_code"), ("s:", "seniority"), ("d:", "department"))
    ]
    doc = agg + " || " + " || ".join(columns)
    return (
        f"INSERT INTO person_search_docs (role_id, doc) SELECT p.role_id, {doc} FROM person_terms p "
        "JOIN person_search_scopes s ON s.organization_id = p.organization_id AND s.relation = p.relation "
        "GROUP BY p.role_id"
    )


def upgrade() -> None:
    conn = op.get_bind()
    pg = conn.dialect.name == "postgresql"
    op.create_table(
        "person_search_scopes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_person_search_scopes_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_search_scopes")),
        sa.UniqueConstraint("organization_id", "relation", name=op.f("uq_person_search_scopes_organization_id")),
    )
    op.execute(
        "INSERT INTO person_search_scopes (organization_id, relation) "
        "SELECT DISTINCT organization_id, relation FROM person_terms ORDER BY organization_id, relation"
    )
    op.create_table(
        "person_search_docs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("role_id", sa.String(length=36), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["person_roles.id"],
            name=op.f("fk_person_search_docs_role_id_person_roles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_search_docs")),
        sa.UniqueConstraint("role_id", name=op.f("uq_person_search_docs_role_id")),
    )
    if pg:
        op.execute(_fill_sql(_PG_HEX, f"string_agg({_PG_HEX.format(_SCOPED)}, ' ')"))
        op.execute("SET LOCAL maintenance_work_mem = '512MB'")
        op.execute(
            "CREATE INDEX ix_person_search_docs_terms ON person_search_docs "
            "USING gin (array_to_tsvector(string_to_array(doc, ' ')))"
        )
        return
    op.execute(_fill_sql(_SQLITE_HEX, f"group_concat({_SQLITE_HEX.format(_SCOPED)}, ' ')"))
    op.execute(
        "CREATE VIRTUAL TABLE person_search_fts USING fts5(doc, content='person_search_docs', content_rowid='id', "
        "tokenize='ascii', detail='none', columnsize=0)"
    )
    op.execute("INSERT INTO person_search_fts(person_search_fts) VALUES ('rebuild')")
    op.execute(
        "CREATE TRIGGER person_search_docs_ai AFTER INSERT ON person_search_docs BEGIN "
        "INSERT INTO person_search_fts(rowid, doc) VALUES (new.id, new.doc); END"
    )
    op.execute(
        "CREATE TRIGGER person_search_docs_ad AFTER DELETE ON person_search_docs BEGIN "
        "INSERT INTO person_search_fts(person_search_fts, rowid, doc) VALUES ('delete', old.id, old.doc); END"
    )
    op.execute(
        "CREATE TRIGGER person_search_docs_au AFTER UPDATE ON person_search_docs BEGIN "
        "INSERT INTO person_search_fts(person_search_fts, rowid, doc) VALUES ('delete', old.id, old.doc); "
        "INSERT INTO person_search_fts(rowid, doc) VALUES (new.id, new.doc); END"
    )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for trigger in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS person_search_docs_{trigger}")
        op.execute("DROP TABLE IF EXISTS person_search_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_person_search_docs_terms")
    op.drop_table("person_search_docs")
    op.drop_table("person_search_scopes")
