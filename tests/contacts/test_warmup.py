"""The search warm-up on both databases: it reads every table and index a search's statements use, the server
answers while it runs, a failure of it stays in the log, and a bulk import is followed by another one."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import event

from dossier.app import create_app
from dossier.config import Settings
from dossier.contacts import repository, search, warmup
from dossier.contacts.records import Company, PersonRecord, Role, Source
from dossier.contacts.schemas import ContactSearch
from dossier.kit.db import Database, sync_url
from dossier.kit.migrate import upgrade
from tests.conftest import Backend
from tests.factories import new_org
from tests.support import create_postgres_database, serve_in_thread

FIRST = ["Ada", "Grace", "Alan", "Bob", "Robert", "Jane", "John", "Mei", "Sven", "Ines"]
LAST = ["Byron", "Hopper", "Turing", "Smith", "Novak", "Okafor"]
TITLES = ["CTO", "Software Engineer", "Account Executive", "VP Engineering", "Head of Sales", "Product Manager"]
COMPANIES = [Company(f"co{i}.example", f"Co {i}", f"co-{i}") for i in range(4)]
PEOPLE = 60


@dataclass
class Fresh:
    """A database of its own (the tests lock it and drop from it), with PEOPLE people of one organisation."""

    backend: str
    url: str
    settings: Settings
    key: str
    org: str


def _records() -> list[PersonRecord]:
    out = []
    for i in range(PEOPLE):
        first, last = FIRST[i % len(FIRST)], LAST[i % len(LAST)]
        title = TITLES[i % len(TITLES)]
        url = f"dossier:import/test#line={i + 2}"
        out.append(
            PersonRecord(
                f"{first} {last}", first, last, COMPANIES[i % len(COMPANIES)],
                [Role("employee", title, sources=[Source("title", url, f"{first} {last}, {title}", "test import")])],
                "import", email=f"p{i}@example.com", country_code=["US", "GB", "DE"][i % 3],
                bio="works on kubernetes and payments" if i % 2 else "machine learning and growth",
            )
        )  # fmt: skip
    return out


@pytest.fixture(scope="module")
async def fresh(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Fresh]:
    data = tmp_path_factory.mktemp(f"warmup-{backend.name}")
    if backend.name == "sqlite":
        url = f"sqlite:///{data / 'dossier.db'}"
    else:
        url = create_postgres_database(f"warmup_{uuid.uuid4().hex[:8]}")
    upgrade(url)
    settings = backend.settings.model_copy(update={"data_dir": Path(data), "database_url": url})
    db = Database(url)
    created = await new_org(db, settings)
    await db.write(lambda c: repository.upsert_people(c, created.organization_id, _records(), datetime(2026, 12, 1)))
    await db.aclose()
    db.dispose()
    # The planner's statistics and PostgreSQL's visibility map, as autovacuum and PRAGMA optimize keep them: the
    # plans are those of a database in use, index-only where they would be.
    if backend.name == "sqlite":
        with closing(sqlite3.connect(data / "dossier.db")) as con:
            con.execute("ANALYZE")
    else:
        with psycopg.connect(_libpq(url), autocommit=True) as con:
            con.execute("VACUUM ANALYZE")
    yield Fresh(backend.name, url, settings, created.key, created.organization_id)


def _libpq(url: str) -> str:
    return sync_url(url).replace("postgresql+psycopg://", "postgresql://", 1)


def _warm_settings(fresh: Fresh, **changes: Any) -> Settings:
    return fresh.settings.model_copy(update={"contact_search_warmup_share": 0.5, **changes})


# Every shape of search, so that every statement contact search can send is among the ones checked.
BODIES: list[dict[str, Any]] = [
    {},
    {"limit": 5, "offset": 10},
    {"companyLinkedInUrls": ["https://www.linkedin.com/company/co-1"]},
    {"companyLinkedInUrls": ["https://www.linkedin.com/company/co-1"], "jobTitles": ["CTO"]},
    {"jobTitles": ["Software Engineer"], "seniorityLevels": ["entry"], "countries": ["US"]},
    {"jobTitles": ["CTO", "VP Engineering"]},
    {"jobTitles": ["Product Manager"], "countries": ["GB"]},
    {"keywords": "kubernetes"},
    {"keywords": "machine learning, payments"},
    {"keywords": "growth", "seniorityLevels": ["entry"], "departments": ["engineering"]},
    {"companyLinkedInUrls": ["https://www.linkedin.com/company/co-2"], "keywords": "payments"},
    {"firstName": "Bob", "lastName": "Smith"},
    {"lastName": "Hopper"},
    {"firstName": "Jane", "countries": ["US"]},
    {"firstName": "J.", "lastName": "Smith"},
]


async def _search_statements(fresh: Fresh) -> list[tuple[str, Any]]:
    """The SQL statements (and their parameters) contact search sends for BODIES."""
    db = Database(fresh.url)
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            sent.append((statement, parameters))

    event.listen(db.read_engine, "before_cursor_execute", record)

    class Caller:
        organization_id = fresh.org

    for body in BODIES:
        result = await search.search(db, Caller(), ContactSearch(**body))  # type: ignore[arg-type]
        assert result["total"] >= 0
    await db.aclose()
    db.dispose()
    assert len(sent) > len(BODIES)
    return sent


def _read_by(fresh: Fresh, statements: list[tuple[str, Any]]) -> set[str]:
    """The tables and indexes these statements read, by the databases' own plans: PostgreSQL's EXPLAIN (a heap
    read by a scan that reads it, an index by its name; index-only scans read no heap), SQLite's program (the
    root page of every b-tree it opens, and the FTS5 index's tables for the full-text table)."""
    used: set[str] = set()
    if fresh.backend == "postgres":
        with psycopg.connect(_libpq(fresh.url)) as con:
            for statement, params in statements:
                plan = con.execute("EXPLAIN (FORMAT JSON) " + statement, params).fetchone()[0]
                used |= _plan_reads(plan[0]["Plan"] if isinstance(plan, list) else json.loads(plan)[0]["Plan"])
        return used
    with closing(sqlite3.connect(sync_url(fresh.url).removeprefix("sqlite:///"))) as con:
        roots = {page: name for name, page in con.execute("SELECT name, rootpage FROM sqlite_schema") if page}
        for statement, params in statements:
            for row in con.execute("EXPLAIN " + statement, params):
                opcode, p2, p3 = row[1], row[3], row[4]
                if opcode in ("OpenRead", "ReopenIdx") and p3 == 0 and p2 in roots:
                    used.add(roots[p2])
                if opcode == "VOpen":
                    used |= {"person_search_fts_data", "person_search_fts_idx"}
    return used


def _plan_reads(node: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    kind = node["Node Type"]
    if "Index Name" in node:
        out.add(node["Index Name"])
    if "Relation Name" in node and kind in ("Seq Scan", "Bitmap Heap Scan", "Index Scan", "Tid Scan"):
        out.add(node["Relation Name"])
    for child in node.get("Plans", []):
        out |= _plan_reads(child)
    return out


EXPECTED = {
    "postgres": {
        "ix_company_profiles_org_linkedin", "pk_person_role_counters", "person_role_counters", "person_search_scopes", "person_search_words",
        "uq_person_search_words_scope_id", "pk_person_search_bits", "person_search_bits", "ix_person_roles_org_company",
        "ix_person_roles_org_sort", "ix_person_roles_org_last_sort", "ix_person_roles_org_first",
        "ix_person_roles_org_last", "ix_person_roles_org_country", "ix_person_roles_org_department",
        "ix_person_roles_org_seniority", "ix_person_roles_identity", "pk_person_roles", "person_roles", "pk_people", "people",
        "pk_company_profiles", "company_profiles", "ix_person_sources_person", "person_sources",
        "ix_person_terms_find", "ix_person_search_docs_terms", "uq_person_search_docs_role_id",
        "pk_person_search_docs", "person_search_docs",
    },
    "sqlite": {
        "ix_company_profiles_org_linkedin", "sqlite_autoindex_person_role_counters_1", "person_role_counters",
        "person_search_scopes",
        "person_search_words", "sqlite_autoindex_person_search_words_1", "sqlite_autoindex_person_search_bits_1",
        "person_search_bits", "ix_person_roles_org_company", "ix_person_roles_org_sort",
        "ix_person_roles_org_last_sort", "ix_person_roles_org_first", "ix_person_roles_org_last",
        "ix_person_roles_org_country", "ix_person_roles_org_department", "ix_person_roles_org_seniority",
        "ix_person_roles_identity", "sqlite_autoindex_person_roles_1", "person_roles", "sqlite_autoindex_people_1", "people",
        "sqlite_autoindex_company_profiles_1", "company_profiles", "ix_person_sources_person", "person_sources",
        "ix_person_terms_find", "sqlite_autoindex_person_terms_1", "person_search_fts_data", "person_search_fts_idx",
        "sqlite_autoindex_person_search_docs_1", "person_search_docs",
    },
}  # fmt: skip


async def test_the_warm_up_reads_every_structure_a_search_reads(fresh: Fresh):
    app = create_app(_warm_settings(fresh), workers=False)
    with serve_in_thread(app):
        warm = warmup.of(app.state.runtime)
        assert warm is not None
        assert warm.wait(1, 60)
        report = warm.last
    assert report is not None
    assert report.method == ("pg_prewarm" if fresh.backend == "postgres" else "dbstat")
    assert not report.failed and not report.skipped
    read = {name for name, _, _ in report.read if not name.startswith("pg_toast")}
    assert read == EXPECTED[fresh.backend]
    sizes = {name: size for name, size, _ in report.read}
    assert sizes["person_roles"] > 0 and sizes["ix_person_terms_find"] > 0  # really read, by the database's count
    # Whatever the plans of every search shape read is among what the warm-up read.
    used = _read_by(fresh, await _search_statements(fresh))
    assert used <= read, sorted(used - read)
    assert {"person_roles", "people", "person_sources", "ix_person_terms_find"} <= used


@contextmanager
def _locked(fresh: Fresh) -> Iterator[None]:
    """Another process holding the people index: PostgreSQL's roles table locked exclusively, SQLite's file."""
    if fresh.backend == "postgres":
        with psycopg.connect(_libpq(fresh.url)) as con:
            con.execute("LOCK TABLE person_roles IN ACCESS EXCLUSIVE MODE")
            yield
            con.rollback()
        return
    con = sqlite3.connect(sync_url(fresh.url).removeprefix("sqlite:///"), isolation_level=None, timeout=10)
    try:
        con.execute("PRAGMA locking_mode = EXCLUSIVE")
        con.execute("BEGIN EXCLUSIVE")
        yield
        con.execute("COMMIT")
    finally:
        con.close()


def test_startup_is_not_held_up_and_a_failed_warm_up_leaves_the_server_answering(
    fresh: Fresh, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO, logger="dossier.contacts")
    app = create_app(_warm_settings(fresh), workers=False)
    lock: Any = _locked(fresh)
    lock.__enter__()
    try:
        started = time.monotonic()
        with serve_in_thread(app) as api:
            # The server started and answers (a route that reads no table) while the warm-up waits for the lock.
            assert httpx.get(f"{api}/v1/openapi.json", timeout=5).status_code == 200
            assert time.monotonic() - started < warmup.LOCK_WAIT_SECONDS
            warm = warmup.of(app.state.runtime)
            assert warm is not None and warm.runs == 0
            # It gives way after LOCK_WAIT_SECONDS: a failure, logged, nothing else.
            assert warm.wait(1, 30)
            assert warm.last is None or warm.last.failed
            warned = [r for r in caplog.records if r.name == "dossier.contacts" and r.levelno >= logging.WARNING]
            assert warned and "search warm-up" in warned[0].getMessage()
            lock.__exit__(None, None, None)
            lock = None
            # The same server, the lock gone: searches answer as ever (reading from the disk as they go).
            resp = httpx.post(f"{api}/v1/contacts/search", json={}, headers={"Authorization": f"Bearer {fresh.key}"})
            assert resp.status_code == 200 and resp.json()["total"] == PEOPLE
            assert httpx.get(f"{api}/healthz", timeout=5).status_code == 200
    finally:
        if lock is not None:
            lock.__exit__(None, None, None)


def test_a_bulk_import_is_followed_by_another_warm_up(fresh: Fresh, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger="dossier.contacts")
    app = create_app(_warm_settings(fresh, contact_search_warmup_import_delay_seconds=0.3), workers=False)
    headers = {"Authorization": f"Bearer {fresh.key}", "Content-Type": "text/csv"}
    with serve_in_thread(app) as api:
        warm = warmup.of(app.state.runtime)
        assert warm is not None and warm.wait(1, 60)
        small = "First Name,Last Name,Title,Company Domain\nEve Small,Byron,CTO,co9.example\n"
        assert httpx.post(f"{api}/v1/contacts/import", content=small, headers=headers).status_code == 200
        time.sleep(1.0)
        assert warm.runs == 1  # a handful of rows is no reason to read the index again
        rows = "".join(f"Bulk{i},Person{i},Engineer,bulk{i % 7}.example\n" for i in range(warmup.BULK_ROWS))
        resp = httpx.post(f"{api}/v1/contacts/import", content="First Name,Last Name,Title,Company Domain\n" + rows,
                          headers=headers, timeout=120)  # fmt: skip
        assert resp.status_code == 200 and resp.json()["imported"] == warmup.BULK_ROWS
        assert warm.wait(2, 60)
        assert warm.last is not None and not warm.last.failed
    done = [r.getMessage() for r in caplog.records if "search warm-up done" in r.getMessage()]
    assert len(done) == 2


def test_warm_up_off(fresh: Fresh):
    app = create_app(fresh.settings.model_copy(update={"contact_search_warmup_share": 0}), workers=False)
    with serve_in_thread(app):
        warm = warmup.of(app.state.runtime)
        assert warm is not None and not warm.enabled
        assert not warm.wait(1, 0.5) and warm.runs == 0


async def test_postgres_without_pg_prewarm_reads_tables_and_indexes_plainly(fresh: Fresh):
    """A role that may not create the extension (a managed server's application role): plain reads, each
    b-tree index by a scan of that very index."""
    if fresh.backend != "postgres":
        pytest.skip("PostgreSQL's extension")
    role = f"dossier_plain_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(_libpq(fresh.url), autocommit=True) as con:
        con.execute("DROP EXTENSION IF EXISTS pg_prewarm")
        con.execute(f"CREATE ROLE {role} LOGIN")
        con.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        con.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    url = fresh.url.replace("postgres:@", f"{role}:@", 1)
    assert url != fresh.url
    db = Database(url)
    try:
        warm = warmup.SearchWarmup(db, 0.5)
        warm.start()
        try:
            assert warm.wait(1, 60)
        finally:
            warm.stop()
        report = warm.last
        assert report is not None and report.method == "plain reads" and not report.failed
        read = {name for name, _, _ in report.read}
        assert read == EXPECTED["postgres"] - {"ix_person_search_docs_terms"}  # a GIN index has no order to scan
        assert "ix_person_search_docs_terms" in report.skipped

        def plans(conn: Any) -> dict[str, str]:
            out = {}
            for s in repository.search_structures(conn):
                if s.kind == "btree":
                    with conn.begin_nested():
                        sql = str(repository.index_read(conn, s).compile(dialect=conn.dialect))
                        out[s.name] = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql))
            return out

        for name, plan in db.read_sync(plans).items():
            assert f"using {name} on" in plan, plan
    finally:
        db.dispose()
