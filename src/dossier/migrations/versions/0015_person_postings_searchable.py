"""person postings carry the searched columns; title runs; name indexes in result order

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 02:00:00.000000

Contact search at a million people (p99 < 50 ms on both databases):
- `person_terms` rows carry their role's sort_key, relation, company, country, seniority and department, and
  an index (organisation, term, sort_key, role, ...those columns) answers a title or keyword search's count and
  page from one index range. The table is rebuilt (SQLite cannot add NOT NULL columns to a filled table) and
  filled from the stored postings joined to their roles.
- `t:` postings hold every run of up to 8 consecutive title-key words (single words were already there): the
  runs of two or more words are added here, from each role's stored title key.
- `ix_person_roles_org_last_sort` and a wider `ix_person_roles_org_first` give name searches their matches in
  result order and a count that reads no role; `ix_person_roles_org_company` also holds id and relation, so a
  company's page ids and its roles probed for a title are read from the index alone, and
  `ix_person_roles_org_sort` holds relation, so an unfiltered page skips its offset in the index alone.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_RUN_WORDS = 8  # as contacts.repository._PHRASE_WORDS at the time of writing
_BATCH = 5000

_COLUMNS = "organization_id, term, role_id, sort_key, relation, company_id, country_code, seniority, department"
_FIND = ["organization_id", "term", "sort_key", "role_id", "relation", "company_id", "country_code", "seniority",
         "department"]  # fmt: skip


def _runs(title_key: str | None) -> list[str]:
    """The `t:` postings of two or more consecutive words of a title key (as contacts.repository._terms)."""
    key = title_key or ""
    words = key.split()
    if key and not key.endswith(" "):
        words = words[:-1]
    out = set()
    for i in range(len(words)):
        for j in range(i + 2, min(len(words), i + _RUN_WORDS) + 1):
            term = "t:" + " ".join(words[i:j])
            if len(term) > 64:
                break
            out.add(term)
    return sorted(out)


def _add_runs(conn: Any) -> None:
    roles = sa.table(
        "person_roles", *(sa.column(c) for c in ("id", "organization_id", "title_key", "sort_key", "relation",
                                                  "company_id", "country_code", "seniority", "department"))
    )  # fmt: skip
    terms = sa.table("person_terms", *(sa.column(c.strip()) for c in _COLUMNS.split(",")))
    last = ""
    while True:
        batch = conn.execute(
            sa.select(roles)
            .where(roles.c.id > last, roles.c.title_key.like("% % %"))
            .order_by(roles.c.id)
            .limit(_BATCH)
        ).mappings().all()  # fmt: skip
        if not batch:
            return
        last = batch[-1]["id"]
        rows = [
            {
                "organization_id": r["organization_id"], "term": term, "role_id": r["id"], "sort_key": r["sort_key"],
                "relation": r["relation"], "company_id": r["company_id"], "country_code": r["country_code"],
                "seniority": r["seniority"], "department": r["department"],
            }
            for r in batch
            for term in _runs(r["title_key"])
        ]  # fmt: skip
        if rows:
            conn.execute(terms.insert(), rows)


# SQLite's planner without statistics assumes every equality leaves ~10 rows, so "organisation = ?" looks as
# narrow as "organisation = ? AND company = ?" and it walks the (organisation, sort_key) index for a page of one
# company or one first name (a scan of every role at a million). sqlite_stat1 is the documented place for the
# planner's statistics and may be written by the application (https://www.sqlite.org/lang_analyze.html): a
# database that was never analysed gets the shape contact search is built for — one organisation of a million
# roles and ten million postings — and ANALYZE (or PRAGMA optimize) replaces it with measured figures.
_SHAPE = {
    "person_roles": {
        "sqlite_autoindex_person_roles_1": "1000000 1",
        "ix_person_roles_identity": "1000000 1000000 1 1 1",
        "ix_person_roles_org_sort": "1000000 1000000 1 1 1",
        "ix_person_roles_org_company": "1000000 1000000 50 1 1 1",
        "ix_person_roles_org_last": "1000000 1000000 3000 15",
        "ix_person_roles_org_last_sort": "1000000 1000000 3000 1 1 1 1",
        "ix_person_roles_org_first": "1000000 1000000 4000 200 1 1 1",
        "ix_person_roles_org_country": "1000000 1000000 20000 1",
        "ix_person_roles_org_department": "1000000 1000000 100000 1",
        "ix_person_roles_org_seniority": "1000000 1000000 150000 1",
    },
    "person_terms": {
        "sqlite_autoindex_person_terms_1": "10000000 10000000 1000 1",
        "ix_person_terms_role": "10000000 10",
        "ix_person_terms_find": "10000000 10000000 1000 1 1 1 1 1 1 1",
    },
}


def _sqlite_statistics(conn: Any) -> None:
    """Measured statistics are refreshed for the new indexes; a database without any gets the designed shape."""
    stat = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
    measured = (
        stat
        and conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_stat1 WHERE tbl IN ('person_roles', 'person_terms') LIMIT 1"
        ).first()
    )
    if measured:
        for table in _SHAPE:
            conn.exec_driver_sql(f"ANALYZE {table}")
        return
    if not stat:
        conn.exec_driver_sql("ANALYZE sqlite_schema")  # creates sqlite_stat1 (reads no table)
    for table, indexes in _SHAPE.items():
        for index, figures in indexes.items():
            conn.exec_driver_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", (table, index, figures))
    conn.exec_driver_sql("ANALYZE sqlite_schema")  # loads them into this connection's schema


def upgrade() -> None:
    conn = op.get_bind()
    op.drop_index("ix_person_terms_role", table_name="person_terms")
    if conn.dialect.name == "postgresql":  # index names are per schema there: the new table's primary key needs it
        op.execute("ALTER TABLE person_terms RENAME CONSTRAINT pk_person_terms TO pk_person_terms_old")
    op.rename_table("person_terms", "person_terms_old")
    op.create_table(
        "person_terms",
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("role_id", sa.String(length=36), nullable=False),
        sa.Column("sort_key", sa.String(length=400), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("seniority", sa.String(length=16), nullable=True),
        sa.Column("department", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["role_id"], ["person_roles.id"], name=op.f("fk_person_terms_role_id_person_roles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("organization_id", "term", "role_id", name=op.f("pk_person_terms")),
    )
    op.execute(
        f"INSERT INTO person_terms ({_COLUMNS}) "
        "SELECT t.organization_id, t.term, t.role_id, r.sort_key, r.relation, r.company_id, r.country_code, "
        "r.seniority, r.department FROM person_terms_old t JOIN person_roles r ON r.id = t.role_id"
    )
    op.drop_table("person_terms_old")
    _add_runs(conn)
    op.create_index("ix_person_terms_role", "person_terms", ["role_id"], unique=False)
    op.create_index("ix_person_terms_find", "person_terms", _FIND, unique=False)
    op.drop_index("ix_person_roles_org_company", table_name="person_roles")
    op.create_index(
        "ix_person_roles_org_company",
        "person_roles",
        ["organization_id", "company_id", "sort_key", "id", "relation"],
        unique=False,
    )
    op.drop_index("ix_person_roles_org_sort", table_name="person_roles")
    op.create_index(
        "ix_person_roles_org_sort", "person_roles", ["organization_id", "sort_key", "id", "relation"], unique=False
    )
    op.drop_index("ix_person_roles_org_first", table_name="person_roles")
    op.create_index(
        "ix_person_roles_org_first",
        "person_roles",
        ["organization_id", "first_key", "country_code", "sort_key", "id", "relation"],
        unique=False,
    )
    op.create_index(
        "ix_person_roles_org_last_sort",
        "person_roles",
        ["organization_id", "last_key", "sort_key", "id", "relation", "first_key"],
        unique=False,
    )
    if conn.dialect.name == "sqlite":
        _sqlite_statistics(conn)


def downgrade() -> None:
    op.drop_index("ix_person_roles_org_last_sort", table_name="person_roles")
    op.drop_index("ix_person_roles_org_first", table_name="person_roles")
    op.create_index("ix_person_roles_org_first", "person_roles", ["organization_id", "first_key"], unique=False)
    op.drop_index("ix_person_roles_org_company", table_name="person_roles")
    op.create_index(
        "ix_person_roles_org_company", "person_roles", ["organization_id", "company_id", "sort_key"], unique=False
    )
    op.drop_index("ix_person_roles_org_sort", table_name="person_roles")
    op.create_index("ix_person_roles_org_sort", "person_roles", ["organization_id", "sort_key", "id"], unique=False)
    op.drop_index("ix_person_terms_find", table_name="person_terms")
    op.drop_index("ix_person_terms_role", table_name="person_terms")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE person_terms RENAME CONSTRAINT pk_person_terms TO pk_person_terms_new")
    op.rename_table("person_terms", "person_terms_new")
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
    op.execute(
        "INSERT INTO person_terms (organization_id, term, role_id) "
        "SELECT organization_id, term, role_id FROM person_terms_new WHERE term NOT LIKE 't:% %'"
    )
    op.drop_table("person_terms_new")
    op.create_index("ix_person_terms_role", "person_terms", ["role_id"], unique=False)
