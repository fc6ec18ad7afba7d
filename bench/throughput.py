"""Signal throughput through the API, on the embedded (SQLite) or distributed (PostgreSQL) backend.

Serves 20 fixture company sites on 127.0.0.1, starts `dossier serve` (and, with --backend postgres,
`dossier worker` processes) against a fresh database, creates N signals (different questions x 20
domains) through POST /v1/companies/signals, waits for all, and prints signals/second, create-to-complete
p50/p95, the sync endpoint's response overhead after completion, and pages fetched per domain.

    python bench/throughput.py --backend sqlite [--signals 2000] [--workers 8]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures.servers import FixtureDNS, SiteProxy  # noqa: E402
from tests.support import create_postgres_database, free_port  # noqa: E402

QUESTIONS = [
    json.loads(line)["question"]
    for p in sorted((ROOT / "bench" / "questions").glob("*.jsonl"))
    for line in p.read_text().splitlines()
    if line.strip()
]
COMPANIES = sorted(
    p.name for p in (ROOT / "tests" / "fixtures" / "sites").iterdir() if p.is_dir() and p.name.endswith(".test")
)


def synthetic_site(i: int) -> dict[str, bytes]:
    pages = {
        "/": f"<html><head><title>Synth {i}</title><script src='https://js.hs-scripts.com/{i}.js'></script></head>"
        f"<body><a href='/about'>About</a><a href='/pricing'>Pricing</a><a href='/careers'>Careers</a>"
        f"<p>Synth {i} builds tools for teams.</p></body></html>",
        "/about": f"<html><body><p>Synth {i} is headquartered in Lyon, France. We are a team of {40 + i} people."
        f"</p></body></html>",
        "/pricing": "<html><body><h2>Starter</h2><p>$19/month</p><h2>Pro</h2><p>$49/month</p></body></html>",
        "/careers": "<html><body><h3>Account Executive</h3><h3>Backend Engineer</h3></body></html>",
        "/robots.txt": "User-agent: *\nAllow: /\n",
    }
    return {k: v.encode() for k, v in pages.items()}


def parse(ts: str) -> float:
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()


def wait_ready(url: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--signals", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=8, help="concurrency per worker process")
    parser.add_argument("--worker-processes", type=int, default=2, help="dossier worker processes (postgres)")
    parser.add_argument("--sync-samples", type=int, default=100)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="dossier-throughput-"))
    with SiteProxy() as proxy, FixtureDNS() as dns:
        domains = list(COMPANIES)
        for i in range(20 - len(domains)):
            host = f"synth{i}.test"
            proxy.add_host(host, synthetic_site(i))
            domains.append(host)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")}
        env.update(proxy.env())
        env.update(
            NO_PROXY="127.0.0.1,localhost",
            DOSSIER_DATA_DIR=str(tmp),
            DOSSIER_PORT=str(port),
            DOSSIER_DNS_NAMESERVERS=dns.nameserver,
            DOSSIER_ALLOW_PRIVATE_NETWORKS=dns.site_network,
            DOSSIER_WORKER_CONCURRENCY=str(args.workers),
            DOSSIER_SECRET_KEY="bench",
            DOSSIER_LOG_LEVEL="warning",
            DOSSIER_CRAWL_MAX_DELAY_SECONDS="0",
            DOSSIER_RATE_LIMIT_WRITE_PER_MINUTE="1000000",
            DOSSIER_RATE_LIMIT_WRITE_BURST="100000",
        )
        procs = []
        if args.backend == "postgres":
            env["DOSSIER_DATABASE_URL"] = create_postgres_database("dossier_throughput")
        subprocess.run([sys.executable, "-m", "dossier.cli", "migrate"], env=env, check=True, capture_output=True)
        key = (
            subprocess.run(
                [sys.executable, "-m", "dossier.cli", "keys", "create", "--org", "bench"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        log = (tmp / "server.log").open("ab")
        serve = [sys.executable, "-m", "dossier.cli", "serve"]
        if args.backend == "postgres":
            serve.append("--no-workers")
            for _ in range(args.worker_processes):
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "dossier.cli", "worker"], env=env, stdout=log, stderr=subprocess.STDOUT
                    )
                )
        procs.append(subprocess.Popen(serve, env=env, stdout=log, stderr=subprocess.STDOUT))
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready(base)
            proxy.reset_counts()
            h = {"Authorization": f"Bearer {key}"}
            ids = []
            with httpx.Client(base_url=base, headers=h, timeout=60) as c:
                t0 = time.time()
                for n in range(args.signals):
                    domain = domains[n % len(domains)]
                    question = QUESTIONS[(n // len(domains)) % len(QUESTIONS)] + f" (#{n // len(domains)})"
                    r = c.post("/v1/companies/signals", json={"domain": domain, "question": question})
                    r.raise_for_status()
                    ids.append(r.json()["id"])
                submitted = time.time() - t0
                while c.get("/v1/companies/signals?status=processing&limit=1").json()["total"]:
                    time.sleep(0.5)
                signals = []
                for offset in range(0, args.signals, 25):
                    signals += c.get(f"/v1/companies/signals?limit=25&offset={offset}").json()["results"]
                created = [parse(s["createdAt"]) for s in signals]
                completed = [parse(s["completedAt"]) for s in signals if s["completedAt"]]
                latencies = sorted(parse(s["completedAt"]) - parse(s["createdAt"]) for s in signals if s["completedAt"])
                statuses = Counter(s["status"] for s in signals)
                crawl_requests = Counter(host for _, host, _ in proxy.requests)
                overheads = []
                for n in range(args.sync_samples):
                    r = c.post(
                        "/v1/companies/signals/sync",
                        json={"domain": domains[n % len(domains)], "question": f"Which CRM do they use? (sync #{n})"},
                    )
                    received = datetime.now(UTC).timestamp()
                    body = r.json()
                    if r.status_code == 200 and body.get("completedAt"):
                        overheads.append((received - parse(body["completedAt"])) * 1000)
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=60)

    span = max(completed) - min(created)
    q = statistics.quantiles
    print(
        f"backend={args.backend} signals={args.signals} domains={len(domains)} "
        f"concurrency={args.workers}x{args.worker_processes if args.backend == 'postgres' else 1}"
    )
    print(f"statuses: {dict(statuses)}   submitted in {submitted:.1f}s")
    print(f"throughput: {args.signals / span:.1f} signals/s over {span:.1f}s (first create to last completion)")
    print(f"create-to-complete: p50 {q(latencies, n=100)[49]:.2f}s  p95 {q(latencies, n=100)[94]:.2f}s")
    if overheads:
        print(
            f"sync response after completion: p50 {q(overheads, n=100)[49]:.1f} ms  "
            f"p95 {q(overheads, n=100)[94]:.1f} ms  (target p95 < 50 ms; {len(overheads)} samples)"
        )
    per_domain = [crawl_requests.get(d, 0) for d in domains]
    print(
        f"requests per domain during the run: min {min(per_domain)} max {max(per_domain)} "
        f"(a full crawl is 9-21 requests: one crawl per domain)"
    )


if __name__ == "__main__":
    main()
