"""person search postings: integer postings of the full-text documents' words, counted index-only on PostgreSQL

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 05:40:00.000000

PostgreSQL's GIN count of a two-word phrase visits the heap row of each of its ~32,000 matches at a million
roles for its visibility (25,600 heap pages, p99 140-210 ms over HTTP); an OR of titles or phrases 30,000-50,000
pages. `person_search_postings` holds each document's word tokens as (word number, document number) and
nothing else, so an AND of words is a merge join of two index-only ranges of its primary key, and an OR a merge
of such ranges (see contacts.models.PersonSearchPosting). `person_search_words` numbers each (scope, term).
Both tables exist on SQLite too (one schema for both), where they stay empty: FTS5 counts in its own index.
Filled on PostgreSQL from the stored postings and documents, and analysed. VACUUM cannot run in the
migration's transaction: until autovacuum's insert-triggered pass marks the new pages all-visible (PostgreSQL 13
and later), index-only scans still fetch heap rows; run `VACUUM person_search_postings` after a large upgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_TERMS = (
    "person_terms p JOIN person_search_scopes s ON s.organization_id = p.organization_id AND s.relation = p.relation"
)


def upgrade() -> None:
    conn = op.get_bind()
    op.create_table(
        "person_search_words",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scope_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["scope_id"],
            ["person_search_scopes.id"],
            name=op.f("fk_person_search_words_scope_id_person_search_scopes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_search_words")),
        sa.UniqueConstraint("scope_id", "term", name=op.f("uq_person_search_words_scope_id")),
    )
    op.create_table(
        "person_search_postings",
        sa.Column("word_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("doc_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["doc_id"],
            ["person_search_docs.id"],
            name=op.f("fk_person_search_postings_doc_id_person_search_docs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["word_id"],
            ["person_search_words.id"],
            name=op.f("fk_person_search_postings_word_id_person_search_words"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("word_id", "doc_id", name=op.f("pk_person_search_postings")),
    )
    op.create_index("ix_person_search_postings_doc_id", "person_search_postings", ["doc_id"], unique=False)
    if conn.dialect.name != "postgresql":
        return
    op.execute(f"INSERT INTO person_search_words (scope_id, term) SELECT DISTINCT s.id, p.term FROM {_TERMS}")
    # Indexes dropped while filling (built once after, sorted, instead of ten million insertions each).
    op.drop_index("ix_person_search_postings_doc_id", "person_search_postings")
    op.drop_constraint("pk_person_search_postings", "person_search_postings", type_="primary")
    op.execute(
        f"INSERT INTO person_search_postings (word_id, doc_id) SELECT w.id, d.id FROM {_TERMS} "
        "JOIN person_search_words w ON w.scope_id = s.id AND w.term = p.term "
        # In key order: a word's range then lies on consecutive heap pages, so its index-only scan checks one
        # visibility map page for long runs (in join order, 32,000 postings took 15,600 map lookups, 4.8 ms).
        "JOIN person_search_docs d ON d.role_id = p.role_id ORDER BY w.id, d.id"
    )
    op.execute("SET LOCAL maintenance_work_mem = '512MB'")
    op.create_primary_key("pk_person_search_postings", "person_search_postings", ["word_id", "doc_id"])
    op.create_index("ix_person_search_postings_doc_id", "person_search_postings", ["doc_id"], unique=False)
    op.execute("ANALYZE person_search_words")
    op.execute("ANALYZE person_search_postings")


def downgrade() -> None:
    op.drop_index("ix_person_search_postings_doc_id", "person_search_postings")
    op.drop_table("person_search_postings")
    op.drop_table("person_search_words")
