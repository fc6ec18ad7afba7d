"""The organisation's daily model budget under contention: several processes, each with several threads, hold and
settle model calls on one organisation's day (`signals/spend.py`, the ledger every signal's model calls go
through) against a cap that fits only part of them. It checks what the cap promises (spent never above the
cap, nothing left held once every call settled, every settled call counted) and prints the time a call's hold
plus settle takes, and how many a second the day takes, per database:

    .venv/bin/python bench/model_spend.py                          # SQLite file and embedded PostgreSQL
    .venv/bin/python bench/model_spend.py --pgbouncer /usr/sbin/pgbouncer   # and PostgreSQL behind PgBouncer
    .venv/bin/python bench/model_spend.py --processes 4 --threads 8 --calls 100

(PgBouncer in transaction mode, with prepared statements off: a system package, opt-in.)
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import free_port, postgres_server_url  # noqa: E402

from bench.pgbouncer import pgbouncer_version, start_pgbouncer  # noqa: E402
from dossier.kit.db import Database, sync_url  # noqa: E402
from dossier.kit.migrate import upgrade  # noqa: E402
from dossier.kit.time import utcnow  # noqa: E402
from dossier.research.llm.meter import BudgetExceeded  # noqa: E402
from dossier.signals import repository  # noqa: E402
from dossier.signals.spend import SignalSpend  # noqa: E402

WORST = 0.004  # a call's hold: its prompt estimate and max_tokens at the price table
COST = 0.001  # what it then costs


def _worker(
    url: str, prepared: bool, org: str, cap: float, threads: int, calls: int, start: float
) -> tuple[list[float], float, float]:
    """One process: `threads` threads each trying `calls` holds; a held call settles at once. The latencies of
    hold + settle (seconds) of held calls and -1.0 for each refusal; when the threads began and ended."""
    db = Database(url, prepared_statements=prepared)
    ledger = SignalSpend(db, org, None, cap, 600.0)  # no hold is left unsettled here
    out: list[float] = []
    lock = threading.Lock()

    def run() -> None:
        mine: list[float] = []
        for _ in range(calls):
            t0 = time.perf_counter()
            try:
                key = ledger.reserve(WORST)
            except BudgetExceeded:
                mine.append(-1.0)
                continue
            ledger.settle(key, WORST, COST, 100)
            mine.append(time.perf_counter() - t0)
        with lock:
            out.extend(mine)

    while time.time() < start:  # every process starts together
        time.sleep(0.001)
    began = time.time()
    pool = [threading.Thread(target=run) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    ended = time.time()
    db.dispose()
    return out, began, ended


def _add_org(url: str) -> str:
    org = str(uuid.uuid4())
    engine = create_engine(sync_url(url))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organizations (id, name, credits, webhook_secret, created_at) VALUES (:o, :o, 0, 'w', :t)"
            ),
            {"o": org, "t": datetime(2026, 1, 1)},
        )
    engine.dispose()
    return org


def run(label: str, url: str, args: argparse.Namespace, prepared: bool = True, migrate_url: str | None = None) -> bool:
    upgrade(migrate_url or url)
    org = _add_org(migrate_url or url)
    attempts = args.processes * args.threads * args.calls
    cap = round(attempts * COST * args.share, 6)  # the day fits this share of the calls at what they cost
    start = time.time() + 10.0  # after every process has imported Dossier
    with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
        work = [(url, prepared, org, cap, args.threads, args.calls, start) for _ in range(args.processes)]
        results = pool.starmap(_worker, work)
    seconds = max(r[2] for r in results) - min(r[1] for r in results)
    lat = sorted(x for r in results for x in r[0] if x >= 0)
    refused = sum(1 for r in results for x in r[0] if x < 0)
    db = Database(migrate_url or url)
    row = db.read_sync(lambda c: repository.model_spend_day(c, org, utcnow().date()))
    db.dispose()
    assert row is not None
    spent = row["spent_nano"] / 1e9
    ok = spent <= cap + 1e-9 and row["reserved_nano"] == 0 and row["calls"] == len(lat)
    ok = ok and len(lat) + refused == attempts
    print(
        f"{label:<22} {args.processes} processes x {args.threads} threads, {attempts} calls tried: {len(lat)} held, "
        f"{refused} refused; spent ${spent:.4f} of ${cap:.4f}, held at the end {row['reserved_nano']}; "
        f"hold+settle p50 {statistics.median(lat) * 1000:.1f} ms, p95 {lat[int(0.95 * (len(lat) - 1))] * 1000:.1f} "
        f"ms; {attempts / seconds:.0f} holds tried/s  {'OK' if ok else 'FAILED'}",
        flush=True,
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--calls", type=int, default=50, help="holds each thread tries")
    parser.add_argument("--share", type=float, default=0.5, help="share of the calls the day's cap fits")
    parser.add_argument("--pgbouncer", help="a pgbouncer binary: also run behind it in transaction mode")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        ok &= run("SQLite", f"sqlite:///{Path(tmp) / 'spend.db'}", args)
    base = postgres_server_url()
    database = f"dossier_spend_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    head, _, query = base.partition("?")
    direct = f"{head.rsplit('/', 1)[0].replace('postgresql://', 'postgresql+psycopg://', 1)}/{database}?{query}"
    ok &= run("PostgreSQL", direct, args)
    if args.pgbouncer:
        socket_dir = dict(part.split("=", 1) for part in query.split("&"))["host"]
        work = Path(tempfile.mkdtemp(prefix="dossier-spend-pgb-"))
        work.chmod(0o755)
        port = free_port()
        bouncer = start_pgbouncer(args.pgbouncer, work / "pgb", socket_dir, 5432, database, port, False)
        try:
            pooled = f"postgresql+psycopg://postgres@127.0.0.1:{port}/dossier"
            version = ".".join(map(str, pgbouncer_version(args.pgbouncer)))
            ok &= run(f"PgBouncer {version} (tx)", pooled, args, prepared=False, migrate_url=direct)
        finally:
            bouncer.terminate()
            bouncer.wait()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
