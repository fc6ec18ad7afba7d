"""The migration tree builds exactly the models' schema on both databases."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy.exc
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, create_engine, event, insert, inspect, select, text
from sqlalchemy.dialects import postgresql

from dossier.kit.db import sync_url
from dossier.kit.migrate import upgrade
from dossier.models import Base
from dossier.signals import repository
from dossier.signals.models import Signal
from dossier.signals.repository import insert_signals
from tests.conftest import Backend
from tests.factories import signal_row
from tests.support import create_postgres_database


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
        "ix_signals_org_created",
        "ix_signals_org_domain",
        "ix_signals_org_completed",
        "ix_signals_org_status",
        "ix_signals_org_profile",
    } <= names


def _fresh_url(backend: Backend, tmp_path: Path) -> str:
    if backend.name == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    return create_postgres_database(f"dossier_mig_{uuid.uuid4().hex[:8]}")


def _add_org(conn: Connection, org_id: str, at: datetime) -> None:
    conn.execute(
        text(
            "INSERT INTO organizations (id, name, credits, webhook_secret, created_at) VALUES (:o, :o, 0, 'whsec', :t)"
        ),
        {"o": org_id, "t": at},
    )


CREATED = datetime(2025, 6, 1, 12, 0, 0)


def test_completions_stamped_before_creation_are_moved_up_by_0005(backend: Backend, tmp_path: Path):
    """Rows that a worker with a slow clock finished before 0005 satisfy its constraint after it; the other rows
    keep their times."""
    url = _fresh_url(backend, tmp_path)
    upgrade(url, "0004")
    engine = create_engine(sync_url(url))
    try:
        early = signal_row("o1", created_at=CREATED, completed_at=CREATED - timedelta(seconds=3))
        normal = signal_row("o1", created_at=CREATED, completed_at=CREATED + timedelta(seconds=40))
        running = signal_row("o1", status="processing", created_at=CREATED, completed_at=None)
        with engine.begin() as conn:
            _add_org(conn, "o1", CREATED)
            conn.execute(insert(Signal), [early, normal, running])  # the table as 0004 left it, no counters yet
        upgrade(url)
        with engine.connect() as conn:
            got = dict(conn.execute(select(Signal.id, Signal.completed_at)).tuples().all())
            # 0006 counted the finished ones by day of completion (after 0005 moved the early one).
            by_day = repository.day_counters(conn, "o1", "company")
        assert got == {early["id"]: CREATED, normal["id"]: CREATED + timedelta(seconds=40), running["id"]: None}
        assert by_day == {("completed", CREATED.date()): 2}
        with pytest.raises(sqlalchemy.exc.IntegrityError), engine.begin() as conn:
            insert_signals(conn, [signal_row("o1", created_at=CREATED, completed_at=CREATED - timedelta(seconds=1))])
    finally:
        engine.dispose()


def test_a_completion_before_creation_is_refused(backend: Backend):
    org = f"o-{uuid.uuid4().hex[:8]}"
    engine = create_engine(sync_url(backend.url))
    try:
        with engine.begin() as conn:
            _add_org(conn, org, CREATED)
        too_early = signal_row(org, created_at=CREATED, completed_at=CREATED - timedelta(microseconds=1))
        with pytest.raises(sqlalchemy.exc.IntegrityError), engine.begin() as conn:
            insert_signals(conn, [too_early])
        with engine.begin() as conn:
            insert_signals(
                conn, [signal_row(org, created_at=CREATED, completed_at=CREATED)]
            )  # the same instant is fine
    finally:
        engine.dispose()


def test_profile_keys_over_the_limit_become_digests_in_0007(backend: Backend, tmp_path: Path):
    """Keys that 0007 finds over MAX_PROFILE_KEY_BYTES are rewritten as profile_key() now computes them, so
    filtering by the same URL still finds those signals; shorter keys are left alone."""
    from dossier.kit.validation import MAX_PROFILE_KEY_BYTES, profile_key

    url = _fresh_url(backend, tmp_path)
    upgrade(url, "0006")
    engine = create_engine(sync_url(url))
    # 300 three-byte characters: 900 bytes, and over the limit with the host (PostgreSQL stores both sizes).
    long_url = "https://people.test/in/" + "\u4e2d" * 300 + "x" * 200
    short_url = "https://people.test/in/jane"
    stored_long = long_url.removeprefix("https://")  # what 0006's profile_key stored: the key before digests
    assert len(stored_long.encode()) > MAX_PROFILE_KEY_BYTES
    try:
        rows = [
            signal_row("o1", kind="contact", contact_profile_url=short_url, profile_key="people.test/in/jane"),
            # ASCII keys longer than a quarter of the limit but within it stay as they are.
            signal_row("o1", kind="contact", contact_profile_url="https://p.test/" + "a" * 1000),
        ]
        # More than one chunk of the migration's reads.
        longs = [f"{long_url}/{n}" for n in range(620)]
        rows += [
            signal_row("o1", kind="contact", contact_profile_url=u, profile_key=u.removeprefix("https://"))
            for u in longs
        ]
        with engine.begin() as conn:
            _add_org(conn, "o1", CREATED)
            conn.execute(insert(Signal), rows)  # the table as 0006 left it
        upgrade(url)
        with engine.connect() as conn:
            got = dict(conn.execute(select(Signal.id, Signal.profile_key)).tuples().all())
        assert got == {r["id"]: profile_key(r["contact_profile_url"]) for r in rows}
        assert got[rows[0]["id"]] == "people.test/in/jane" and got[rows[1]["id"]] == "p.test/" + "a" * 1000
        assert all(got[r["id"]].startswith("#sha256:") for r in rows[2:])
        assert len({got[r["id"]] for r in rows[2:]}) == len(longs)
    finally:
        engine.dispose()


def test_0008_counts_existing_signals_by_subject(backend: Backend, tmp_path: Path):
    url = _fresh_url(backend, tmp_path)
    upgrade(url, "0007")
    engine = create_engine(sync_url(url))
    try:
        rows = [
            signal_row("o1", domain="acme.com"),
            signal_row("o1", domain="acme.com", status="failed"),
            signal_row("o1", domain="acme.com", status="processing"),
            signal_row("o1", domain="globex.com"),
            signal_row("o1", domain=None, company_id="c1"),  # no domain: no subject to count
            signal_row("o1", kind="contact"),
            signal_row("o1", kind="contact", contact_profile_url="https://people.test/in/jane", status="failed"),
        ]
        with engine.begin() as conn:
            _add_org(conn, "o1", CREATED)
            conn.execute(insert(Signal), rows)  # the table as 0007 left it
        upgrade(url)
        with engine.connect() as conn:
            company = repository.subject_counters(conn, "o1", "company")
            contact = repository.subject_counters(conn, "o1", "contact")
            assert company == repository.count_signals_by_subject(conn, "o1", "company")
            assert contact == repository.count_signals_by_subject(conn, "o1", "contact")
        assert company == {
            ("acme.com", "completed"): 1,
            ("acme.com", "failed"): 1,
            ("acme.com", "processing"): 1,
            ("globex.com", "completed"): 1,
        }
        assert contact == {("linkedin.com/in/johndoe", "completed"): 1, ("people.test/in/jane", "failed"): 1}
    finally:
        engine.dispose()


def test_profile_and_subscription_indexes_are_partial_and_used(backend: Backend, tmp_path: Path):
    """Only signals with a profile key (or a subscription) are in these indexes, and the filters that need them
    can still use them: `profile_key = ?` implies the index's condition, even in a plan made without the value.
    On a database of its own: SQLite connections run PRAGMA optimize when they close, so the shared test file
    holds statistics of whatever few rows other tests left (with which SQLite rightly plans differently)."""
    url = _fresh_url(backend, tmp_path)
    upgrade(url)
    engine = create_engine(sync_url(url))
    reads = repository.reads_for("sqlite" if backend.name == "sqlite" else "postgresql")
    page, subscribed = (
        reads.list("o1", f, limit=25, offset=0).page
        for f in (
            repository.SignalFilter(kind="contact", profile_key="people.test/in/jane"),
            repository.SignalFilter(kind="company", subscription_id="s1"),
        )
    )
    try:
        with engine.connect() as conn:
            if backend.name == "sqlite":
                sql = {
                    r[0]: r[1] for r in conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
                }
                plans = []
                for stmt, params in (page, subscribed):
                    compiled = stmt.compile(dialect=conn.dialect)
                    args = tuple(compiled.construct_params(params)[name] for name in compiled.positiontup or ())
                    plans.append(
                        " ".join(str(r[3]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", args))
                    )
            else:
                sql = dict(
                    conn.exec_driver_sql("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'signals'").all()
                )
                conn.exec_driver_sql("SET enable_seqscan = off")
                # A generic plan ($n parameters, no values): what a prepared statement runs once PostgreSQL
                # settles on one plan for every execution.
                numbered = postgresql.psycopg.dialect(paramstyle="numeric_dollar")
                plans = [
                    " ".join(
                        r[0] for r in conn.exec_driver_sql(f"EXPLAIN (GENERIC_PLAN) {stmt.compile(dialect=numbered)}")
                    )
                    for stmt, _ in (page, subscribed)
                ]
    finally:
        engine.dispose()
    assert "profile_key IS NOT NULL" in sql["ix_signals_org_profile"].replace("(", "").replace(")", "")
    assert "subscription_id IS NOT NULL" in sql["ix_signals_org_subscription"].replace("(", "").replace(")", "")
    assert "ix_signals_org_profile" in plans[0], plans[0]
    assert "ix_signals_org_subscription" in plans[1], plans[1]


def test_0010_keeps_signal_documents_and_stores_them_as_written(backend: Backend, tmp_path: Path):
    """On PostgreSQL 0010 turns the documents clients read back into `json` (see kit.db.VerbatimJSON);
    what was stored survives the conversion, and other JSON columns stay `jsonb`."""
    url = _fresh_url(backend, tmp_path)
    upgrade(url, "0009")
    engine = create_engine(sync_url(url))
    documents = ("output_schema", "answer", "sources", "evidence")
    try:
        rows = [
            signal_row("o1", output_schema={"type": "object", "required": ["a"]}, connectors={"crm": "hubspot"}),
            signal_row("o1", status="failed", answer=None, sources=None, evidence=None),
        ]
        with engine.begin() as conn:
            _add_org(conn, "o1", CREATED)
            conn.execute(insert(Signal), rows)  # into the jsonb columns 0009 left
        upgrade(url)
        with engine.connect() as conn:
            got = {r.id: r for r in conn.execute(select(Signal))}
            if backend.name == "postgresql":
                types = dict(
                    conn.execute(
                        text(
                            "SELECT column_name, data_type FROM information_schema.columns "
                            "WHERE table_name = 'signals' AND data_type IN ('json', 'jsonb')"
                        )
                    ).tuples()
                )
                assert types == {
                    **dict.fromkeys(documents, "json"),
                    "qualification_criteria": "jsonb",
                    "connectors": "jsonb",
                }
        for row in rows:
            for column in (*documents, "connectors"):
                assert getattr(got[row["id"]], column) == row[column]
    finally:
        engine.dispose()


def test_sqlite_plans_contact_search_from_the_designed_statistics(backend: Backend):
    """A SQLite file never analysed plans a company's page from the company index, not by walking every role
    in result order (its default estimates make both look equally narrow)."""
    if backend.name != "sqlite":
        pytest.skip("SQLite's planner statistics")
    engine = create_engine(sync_url(backend.url))
    try:
        with engine.connect() as conn:
            tables = {row[0] for row in conn.execute(text("SELECT tbl FROM sqlite_stat1"))}
            assert {"person_roles", "person_terms"} <= tables
            plan = " ".join(
                str(row[-1])
                for row in conn.execute(
                    text(
                        "EXPLAIN QUERY PLAN SELECT id FROM person_roles WHERE organization_id = 'o' "
                        "AND relation NOT IN ('author', 'investor') AND company_id IN ('c') "
                        "ORDER BY sort_key, id LIMIT 10"
                    )
                )
            )
            assert "ix_person_roles_org_company" in plan, plan
    finally:
        engine.dispose()


def test_0018_builds_the_documents_the_repository_writes(backend: Backend, tmp_path: Path):
    """0018 fills the full-text documents from the stored postings: the same tokens the repository writes for
    each role (scope numbers compared by the organisation and relation they stand for), and searches over the
    rebuilt index give the same answers."""
    from alembic import command

    from dossier.contacts import repository, taxonomy
    from dossier.contacts.records import Company, PersonRecord, Role
    from dossier.kit.migrate import alembic_config

    url = _fresh_url(backend, tmp_path)
    upgrade(url)
    engine = create_engine(sync_url(url), connect_args={"check_same_thread": False} if backend.name == "sqlite" else {})
    acme, zen = Company("acme.example", "Acme", "acme"), Company("zen.example", "Zen", None)
    records = [
        PersonRecord("Ann Ames", "Ann", "Ames", acme, [Role("employee", "Senior Data Engineer", "Platform")],
                     "import", email="ann@acme.example", country_code="US", bio="machine learning, café"),
        PersonRecord("Bob Bell", "Bob", "Bell", acme, [Role("founder", "CTO"), Role("investor", "Partner")],
                     "import", bio="learning Rust"),
        PersonRecord("Cy Cole", "Cy", "Cole", zen, [Role("employee", None)], "import"),  # no postings
    ]  # fmt: skip
    searches = [
        repository.SearchFilter("o1", keywords=[["machine", "learning"], ["rust"]]),
        repository.SearchFilter(
            "o1", titles=[taxonomy.title_words("CTO"), ["data", "engineer"]], relations=["founder", "employee"]
        ),
        repository.SearchFilter("o1", keywords=[["partner"]], relations=["investor"]),
    ]

    def documents(conn: Connection) -> dict[str, set[str]]:
        scopes = {
            str(row.id): f"{row.organization_id}/{row.relation}"
            for row in conn.execute(text("SELECT id, organization_id, relation FROM person_search_scopes"))
        }
        out = {}
        for row in conn.execute(text("SELECT role_id, doc FROM person_search_docs")):
            tokens = {bytes.fromhex(token).decode() for token in row.doc.split()}
            out[row.role_id] = {
                scopes[t.split(":", 1)[0]] + ":" + t.split(":", 1)[1] if t.split(":", 1)[0].isdigit() else t
                for t in tokens
            }
        return out

    def answers(conn: Connection) -> list[tuple[list[str], int]]:
        return [
            ([row["full_name"] for row in rows], total)
            for rows, total in (repository.search_people(conn, f, 10, 0) for f in searches)
        ]

    try:
        with engine.begin() as conn:
            _add_org(conn, "o1", CREATED)
            repository.upsert_people(conn, "o1", records, CREATED)
        with engine.connect() as conn:
            written, found = documents(conn), answers(conn)
        assert len(written) == 3  # Ann's role, Bob's two (Cy's role has no words)
        assert found == [(["Ann Ames", "Bob Bell"], 2), (["Ann Ames", "Bob Bell"], 2), (["Bob Bell"], 1)]
        engine.dispose()
        command.downgrade(alembic_config(url), "0017")
        upgrade(url)
        with engine.connect() as conn:
            assert documents(conn) == written
            assert answers(conn) == found
    finally:
        engine.dispose()


def test_0020_builds_the_postings_the_repository_writes(backend: Backend, tmp_path: Path):
    """0020 fills PostgreSQL's integer postings from the stored postings and documents: the same (role, scope,
    term) the repository writes, and searches counted over them answer the same; SQLite keeps none."""
    from alembic import command

    from dossier.contacts import repository, taxonomy
    from dossier.contacts.records import Company, PersonRecord, Role
    from dossier.kit.migrate import alembic_config

    url = _fresh_url(backend, tmp_path)
    upgrade(url)
    engine = create_engine(sync_url(url), connect_args={"check_same_thread": False} if backend.name == "sqlite" else {})
    acme = Company("acme.example", "Acme", "acme")
    records = [
        PersonRecord("Ann Ames", "Ann", "Ames", acme, [Role("employee", "Senior Data Engineer", "Platform")],
                     "import", bio="machine learning, café"),
        PersonRecord("Bob Bell", "Bob", "Bell", acme, [Role("founder", "CTO"), Role("employee", "Data Engineer")],
                     "import", bio="learning Rust"),
    ]  # fmt: skip
    searches = [
        repository.SearchFilter("o1", keywords=[["machine", "learning"], ["rust"]]),
        repository.SearchFilter("o1", keywords=[["learning", "data"]]),
        repository.SearchFilter(
            "o1", titles=[taxonomy.title_words("CTO"), ["data", "engineer"]], relations=["founder", "employee"]
        ),
        repository.SearchFilter("o1", keywords=[["nowhere", "learning"], ["cafe"]]),
    ]

    def postings(conn: Connection) -> set[tuple[str, str, str]]:
        rows = conn.execute(
            text(
                "SELECT d.role_id, s.relation, w.term FROM person_search_postings p "
                "JOIN person_search_words w ON w.id = p.word_id JOIN person_search_scopes s ON s.id = w.scope_id "
                "JOIN person_search_docs d ON d.id = p.doc_id"
            )
        )
        return {(row.role_id, row.relation, row.term) for row in rows}

    def answers(conn: Connection) -> list[tuple[list[str], int]]:
        return [
            ([row["full_name"] for row in rows], total)
            for rows, total in (repository.search_people(conn, f, 10, 0) for f in searches)
        ]

    try:
        with engine.begin() as conn:
            _add_org(conn, "o1", CREATED)
            repository.upsert_people(conn, "o1", records, CREATED)
        with engine.connect() as conn:
            written, found = postings(conn), answers(conn)
            terms = {(row.role_id, row.term) for row in conn.execute(text("SELECT role_id, term FROM person_terms"))}
        if backend.name == "sqlite":
            assert written == set()
        else:  # the word postings, and (0021) each document's column tokens
            assert {(role, term) for role, _, term in written if term[:2] in ("t:", "k:")} == terms
        assert found == [
            (["Ann Ames", "Bob Bell", "Bob Bell"], 3),  # Bob's bio is on both his roles
            (["Ann Ames", "Bob Bell"], 2),  # Bob's Data Engineer role only
            (["Ann Ames", "Bob Bell", "Bob Bell"], 3),
            (["Ann Ames"], 1),  # a word nobody holds leaves its phrase out, not the OR
        ]
        engine.dispose()
        command.downgrade(alembic_config(url), "0019")
        upgrade(url)
        with engine.connect() as conn:
            assert postings(conn) == written
            assert answers(conn) == found
            assert _search_bits(conn) == _search_pairs(conn)  # 0021 fills the bit blocks from these postings
            if backend.name == "postgres":
                assert _search_pairs(conn)
    finally:
        engine.dispose()


def test_0021_bits_are_the_postings_through_every_write(backend: Backend, tmp_path: Path):
    """0021's bit blocks equal the integer postings after the repository's writes, a re-import, a removal by
    cascade, and a downgrade and upgrade (rebuilt from the postings); counts over them are the searches'."""
    from alembic import command

    from dossier.contacts import repository
    from dossier.contacts.records import Company, PersonRecord, Role
    from dossier.kit.migrate import alembic_config

    url = _fresh_url(backend, tmp_path)
    upgrade(url)
    engine = create_engine(sync_url(url), connect_args={"check_same_thread": False} if backend.name == "sqlite" else {})
    if backend.name == "sqlite":  # the project's connections enforce foreign keys (their cascades) on SQLite too
        event.listen(engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA foreign_keys = ON"))
    acme = Company("acme.example", "Acme", "acme")

    def person(n: int, bio: str) -> PersonRecord:
        return PersonRecord(f"P{n} Q", f"P{n}", "Q", acme, [Role("employee", "Data Engineer")], "import", bio=bio)

    phrases = repository.SearchFilter("o1", keywords=[["machine", "learning"], ["rust"]])
    try:
        with engine.begin() as conn:
            _add_org(conn, "o1", CREATED)
            repository.upsert_people(conn, "o1", [person(n, "machine learning" if n % 2 else "rust") for n in range(40)],
                                     CREATED)  # fmt: skip
        with engine.begin() as conn:  # half of them again, with new bios: their documents are renumbered
            repository.upsert_people(conn, "o1", [person(n, "cooking") for n in range(20)], CREATED)
            conn.execute(text("DELETE FROM people WHERE full_name IN ('P21 Q', 'P22 Q')"))
        with engine.connect() as conn:
            bits, pairs = _search_bits(conn), _search_pairs(conn)
            assert bits == pairs and bool(pairs) == (backend.name == "postgres")
            assert repository.search_people(conn, phrases, 100, 0)[1] == 18  # P20, P23..P39
        engine.dispose()
        command.downgrade(alembic_config(url), "0020")
        upgrade(url)
        with engine.connect() as conn:
            assert _search_bits(conn) == pairs == _search_pairs(conn)
            assert repository.search_people(conn, phrases, 100, 0)[1] == 18
    finally:
        engine.dispose()


def test_0022_removes_the_blocks_a_removal_empties(backend: Backend, tmp_path: Path):
    """0021's trigger kept a block whose last bit a removal cleared; 0022 removes the stored ones and its trigger
    removes them as they empty (a downgrade keeps them again). The blocks stay the postings throughout."""
    if backend.name != "postgres":
        pytest.skip("SQLite keeps no bit blocks")
    from alembic import command

    from dossier.contacts import repository
    from dossier.contacts.records import Company, PersonRecord, Role
    from dossier.kit.migrate import alembic_config

    url = _fresh_url(backend, tmp_path)
    command.upgrade(alembic_config(url), "0021")
    engine = create_engine(sync_url(url))
    acme = Company("acme.example", "Acme", "acme")

    def person(n: int, bio: str) -> PersonRecord:
        return PersonRecord(f"P{n} Q", f"P{n}", "Q", acme, [Role("employee", "Data Engineer")], "import", bio=bio)

    def empty(conn: Connection) -> int:
        return int(conn.execute(text("SELECT count(*) FROM person_search_bits WHERE bit_count(bits) = 0")).scalar_one())

    try:
        with engine.begin() as conn:
            _add_org(conn, "o1", CREATED)
            repository.upsert_people(conn, "o1", [person(n, "rust" if n < 3 else "cooking") for n in range(10)],
                                     CREATED)  # fmt: skip
        with engine.begin() as conn:  # the only people with "rust" say something else now
            repository.upsert_people(conn, "o1", [person(n, "cooking") for n in range(3)], CREATED)
        with engine.connect() as conn:
            assert empty(conn) > 0 and _search_bits(conn) == _search_pairs(conn)
        engine.dispose()
        upgrade(url)
        with engine.begin() as conn:
            assert empty(conn) == 0 and _search_bits(conn) == _search_pairs(conn)
            repository.upsert_people(conn, "o1", [person(n, "knitting" if n == 5 else "cooking") for n in range(10)],
                                     CREATED)  # fmt: skip
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM people WHERE full_name = 'P5 Q'"))  # by the cascade, one posting at a time
        with engine.connect() as conn:
            assert empty(conn) == 0 and _search_bits(conn) == _search_pairs(conn)
            assert repository.search_people(conn, repository.SearchFilter("o1", keywords=[["cooking"]]), 100, 0)[1] == 9
        engine.dispose()
        command.downgrade(alembic_config(url), "0021")
        with engine.begin() as conn:
            repository.upsert_people(conn, "o1", [person(n, "rust") for n in range(2)], CREATED)
        with engine.begin() as conn:
            repository.upsert_people(conn, "o1", [person(n, "cooking") for n in range(2)], CREATED)
        with engine.connect() as conn:
            assert empty(conn) > 0 and _search_bits(conn) == _search_pairs(conn)
    finally:
        engine.dispose()


def _search_pairs(conn: Connection) -> set[tuple[int, str, int]]:
    """(scope, term, document) of every integer posting."""
    rows = conn.execute(
        text(
            "SELECT w.scope_id, w.term, p.doc_id FROM person_search_postings p JOIN person_search_words w ON w.id = p.word_id"
        )
    )
    return {(r.scope_id, r.term, r.doc_id) for r in rows}


def _search_bits(conn: Connection) -> set[tuple[int, str, int]]:
    """(scope, term, document) of every set bit of the words' bit blocks."""
    from dossier.contacts.models import SEARCH_BITS_BLOCK

    if conn.dialect.name == "sqlite":
        return set()
    rows = conn.execute(
        text(
            "SELECT w.scope_id, w.term, b.block, b.bits::text AS bits FROM person_search_bits b "
            "JOIN person_search_words w ON w.id = b.word_id"
        )
    )
    return {
        (r.scope_id, r.term, r.block * SEARCH_BITS_BLOCK + i)
        for r in rows
        for i, bit in enumerate(r.bits)
        if bit == "1"
    }
