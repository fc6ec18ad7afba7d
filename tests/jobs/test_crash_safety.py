"""kill -9 in the middle of work: after a restart every signal ends completed or failed, once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import httpx

from tests.fixtures.servers import FixtureDNS, SiteProxy
from tests.support import free_port
from tests.webhook_receiver import webhook_receiver

KEY = re.compile(r"sk_live_[A-Za-z0-9_-]{43}")
SIGNALS = 200


def _start(env: dict[str, str], log: Path, *args: str) -> tuple[subprocess.Popen[bytes], str | None]:
    handle = log.open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "dossier.cli", "serve", *args], env=env, stdout=handle, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{env['DOSSIER_PORT']}/healthz"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                m = KEY.search(log.read_text())
                return proc, m.group(0) if m else None
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start: " + log.read_text()[-2000:])


def _slow_sites(proxy: SiteProxy, prefix: str, count: int, city: bytes) -> None:
    """`count` one-page sites that each take a moment to answer, so work is in flight when we kill."""
    page = b"<html><head><title>Co</title></head><body><p>We are headquartered in " + city + b".</p></body></html>"
    for i in range(count):
        host = f"{prefix}{i}.test"
        proxy.add_host(host, {"/robots.txt": b"User-agent: *\nAllow: /\n"})
        proxy.add_route(host, "/", body=page, delay=0.15, headers={"Content-Type": "text/html"})


def _server_env(proxy: SiteProxy, dns: FixtureDNS, data_dir: Path, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")}
    env.update(proxy.env())
    env.update(
        NO_PROXY="127.0.0.1,localhost",
        DOSSIER_DATA_DIR=str(data_dir),
        DOSSIER_PORT=str(port),
        DOSSIER_DNS_NAMESERVERS=dns.nameserver,
        DOSSIER_ALLOW_PRIVATE_NETWORKS=dns.site_network,
        DOSSIER_WORKER_CONCURRENCY="8",
        DOSSIER_LOG_LEVEL="warning",
    )
    env.update(extra)
    return env


def test_kill_9_mid_run_loses_nothing_and_completes_each_signal_once(tmp_path: Path):
    with SiteProxy() as proxy, FixtureDNS() as dns, webhook_receiver() as receiver:
        _slow_sites(proxy, "crash", SIGNALS, b"Bergen, Norway")
        port = free_port()
        env = _server_env(
            proxy,
            dns,
            tmp_path,
            port,
            DOSSIER_ALLOW_PRIVATE_NETWORKS=f"127.0.0.1/32,{dns.site_network}",
            DOSSIER_OUTBOUND_PORTS=f"80,443,{receiver.port}",
            DOSSIER_JOB_LEASE_SECONDS="5",
        )
        log = tmp_path / "serve.log"
        proc, key = _start(env, log)
        assert key
        base = f"http://127.0.0.1:{port}"
        h = {"Authorization": f"Bearer {key}"}
        ids = []
        with httpx.Client(base_url=base, headers=h, timeout=30) as c:
            for i in range(SIGNALS):
                r = c.post(
                    "/v1/companies/signals",
                    json={
                        "domain": f"crash{i}.test",
                        "question": "Where are they headquartered?",
                        "webhookUrl": f"{receiver.url}/crash",
                    },
                )
                assert r.status_code == 201, r.text
                ids.append(r.json()["id"])
            # Let some finish and many be in flight, then pull the plug.
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                done = c.get("/v1/companies/signals?status=completed&limit=1").json()["total"]
                if done >= 20:
                    break
                time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert 0 < done < SIGNALS

        proc, _ = _start(env, log)
        try:
            with httpx.Client(base_url=base, headers=h, timeout=30) as c:
                deadline = time.monotonic() + 120
                while time.monotonic() < deadline:
                    processing = c.get("/v1/companies/signals?status=processing&limit=1").json()["total"]
                    if processing == 0:
                        break
                    time.sleep(0.25)
                assert processing == 0
                listed = c.get("/v1/companies/signals?limit=1").json()["total"]
                assert listed == SIGNALS  # none lost
                statuses = defaultdict(int)
                for signal_id in ids:
                    body = c.get(f"/v1/companies/signals/{signal_id}").json()
                    statuses[body["status"]] += 1
                    if body["status"] == "completed":
                        assert body["answer"] == {"type": "open_text", "openText": {"value": "Bergen, Norway"}}
                assert statuses["completed"] == SIGNALS, dict(statuses)
            # Exactly one completion per signal: one webhook message each (a message may be re-sent after a
            # crash, with the same webhook-id, as Standard Webhooks allows).
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                messages = defaultdict(set)
                for r in receiver.for_path("/crash"):
                    messages[r.body[:60]].add(r.headers["webhook-id"])
                per_signal = defaultdict(set)
                for r in receiver.for_path("/crash"):
                    sid = re.search(rb'"id":"([0-9a-f-]{36})"', r.body).group(1).decode()  # type: ignore[union-attr]
                    per_signal[sid].add(r.headers["webhook-id"])
                if len(per_signal) == SIGNALS:
                    break
                time.sleep(0.25)
            assert set(per_signal) == set(ids)
            assert all(len(v) == 1 for v in per_signal.values())
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def test_kill_9_of_a_distributed_worker(tmp_path: Path):
    from tests.support import create_postgres_database

    url = create_postgres_database("dossier_crash_worker")
    signals = 100
    with SiteProxy() as proxy, FixtureDNS() as dns:
        _slow_sites(proxy, "worker", signals, b"Turku, Finland")
        port = free_port()
        env = _server_env(
            proxy,
            dns,
            tmp_path,
            port,
            DOSSIER_DATABASE_URL=url,
            DOSSIER_SECRET_KEY="crash",
            DOSSIER_JOB_LEASE_SECONDS="3",
        )
        log = tmp_path / "serve.log"
        api, key = _start(env, log, "--no-workers")
        assert key
        worker_log = (tmp_path / "worker.log").open("ab")
        worker = subprocess.Popen(
            [sys.executable, "-m", "dossier.cli", "worker"], env=env, stdout=worker_log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        h = {"Authorization": f"Bearer {key}"}
        try:
            with httpx.Client(base_url=base, headers=h, timeout=30) as c:
                ids = [
                    c.post(
                        "/v1/companies/signals",
                        json={"domain": f"worker{i}.test", "question": "Where are they headquartered?"},
                    ).json()["id"]
                    for i in range(signals)
                ]
                deadline = time.monotonic() + 60
                done = 0
                while time.monotonic() < deadline:
                    done = c.get("/v1/companies/signals?status=completed&limit=1").json()["total"]
                    if done >= 10:
                        break
                    time.sleep(0.05)
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait(timeout=10)
                assert 0 < done < signals
                worker = subprocess.Popen(
                    [sys.executable, "-m", "dossier.cli", "worker"],
                    env=env,
                    stdout=worker_log,
                    stderr=subprocess.STDOUT,
                )
                deadline = time.monotonic() + 150
                while time.monotonic() < deadline:
                    if c.get("/v1/companies/signals?status=processing&limit=1").json()["total"] == 0:
                        break
                    time.sleep(0.25)
                statuses = defaultdict(int)
                for signal_id in ids:
                    statuses[c.get(f"/v1/companies/signals/{signal_id}").json()["status"]] += 1
                assert statuses["completed"] == signals, dict(statuses)
                # A sync request on the API process is woken by the worker's NOTIFY, not by polling.
                r = c.post(
                    "/v1/companies/signals/sync",
                    json={"domain": "worker0.test", "question": "Who are they?", "forceRefresh": True},
                )
                received = time.time()
                assert r.status_code == 200, r.text
                completed = datetime.fromisoformat(r.json()["completedAt"].replace("Z", "+00:00")).timestamp()
                assert received - completed < 0.5
        finally:
            worker.terminate()
            api.terminate()
            worker.wait(timeout=30)
            api.wait(timeout=30)
