"""Contact research: seconds per contact over the fixture sites, through the API with its job workers.

Serves the fixture sites on 127.0.0.1, starts a Dossier server in this process on a fresh database (SQLite
file, or an embedded PostgreSQL with --backend postgres), and researches people of four fixture companies
(team members, bylined authors, a namesake, people no page names) through POST /v1/contacts/research, one
company's people at a time. Prints, per round, the create-to-complete seconds per contact (from the report's
own createdAt/completedAt) as p50 / p95 / max: the first round crawls each company, the second reuses the
crawls (the crawl TTL), so it shows reading alone. Also the share of reports that found a current role.

    python bench/contact_research.py [--backend sqlite|postgres] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.factories import auth, new_org  # noqa: E402
from tests.fixtures.servers import FixtureDNS, SiteProxy  # noqa: E402
from tests.support import create_postgres_database, serve_in_thread  # noqa: E402

from dossier.app import create_app  # noqa: E402
from dossier.config import Settings  # noqa: E402
from dossier.kit.db import Database  # noqa: E402
from dossier.kit.migrate import upgrade  # noqa: E402

# (first, last, company name, domain): people the sites name, a namesake, and people no page names.
PEOPLE = [
    ("Daniel", "Okafor", "Marlowe Systems", "marlowe-systems.test"),
    ("Rosa", "Delgado", "Marlowe Systems", "marlowe-systems.test"),
    ("Elena", "Petrova", "Marlowe Systems", "marlowe-systems.test"),
    ("Tom", "Becker", "Marlowe Systems", "marlowe-systems.test"),
    ("Grace", "Whitfield", "Marlowe Systems", "marlowe-systems.test"),
    ("Daniel", "Okafor", "Harrow Freight", "harrow-freight.test"),
    ("Margaret", "Shaw", "Harrow Freight", "harrow-freight.test"),
    ("Inês", "Sørensen", "Kestrel Analytics", "kestrel-analytics.test"),
    ("Tomasz", "Wójcik", "Kestrel Analytics", "kestrel-analytics.test"),
    ("Noah", "Brandt", "Kestrel Analytics", "kestrel-analytics.test"),
    ("Lena", "Fischer", "Kestrel Analytics", "kestrel-analytics.test"),
    ("Priya", "Natarajan", "Kestrel Analytics", "kestrel-analytics.test"),
    ("Oliver", "Quinn", "Kestrel Analytics", "kestrel-analytics.test"),
]


def _ts(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


async def _one(c: httpx.AsyncClient, key: str, person: tuple[str, str, str, str]) -> dict[str, Any]:
    first, last, company, domain = person
    body = {"firstName": first, "lastName": last, "companyName": company, "companyDomain": domain}
    resp = await c.post("/v1/contacts/research", json=body, headers=auth(key))
    resp.raise_for_status()
    rid = resp.json()["id"]
    while True:
        got = (await c.get(f"/v1/contacts/research/{rid}", headers=auth(key))).json()
        if got["status"] != "processing":
            return dict(got)
        await asyncio.sleep(0.05)


async def main(backend: str, rounds: int) -> None:
    data = Path(tempfile.mkdtemp(prefix="dossier-bench-research-"))
    url = f"sqlite:///{data / 'dossier.db'}" if backend == "sqlite" else create_postgres_database("bench_research")
    upgrade(url)
    with SiteProxy() as proxy, FixtureDNS() as dns:
        settings = Settings(
            data_dir=data, database_url=url, secret_key="bench", dns_nameservers=dns.nameserver,
            allow_private_networks=dns.site_network, crawl_max_delay_seconds=0.05, auth_cache_seconds=0,
        )  # fmt: skip
        db = Database(url)
        org = await new_org(db, settings)
        with serve_in_thread(create_app(settings, outbound_env=proxy.env())) as base:
            async with httpx.AsyncClient(base_url=base, timeout=120) as c:
                for n in range(1, rounds + 1):
                    started = time.monotonic()
                    reports = [await _one(c, org.key, p) for p in PEOPLE]
                    wall = time.monotonic() - started
                    seconds = sorted(_ts(r["completedAt"]) - _ts(r["createdAt"]) for r in reports)
                    failed = sum(1 for r in reports if r["status"] != "completed")
                    with_role = sum(1 for r in reports if (r["research"] or {}).get("currentRole"))
                    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
                    label = "cold (crawls)" if n == 1 else "warm (crawls reused)"
                    print(
                        f"{backend} round {n} {label}: {len(reports)} contacts, research seconds per contact "
                        f"p50 {statistics.median(seconds):.2f} p95 {p95:.2f} max {seconds[-1]:.2f} "
                        f"mean {statistics.fmean(seconds):.2f}; wall {wall:.1f} s; "
                        f"current role found {with_role}/{len(reports)}; failed {failed}"
                    )
        await db.aclose()
        db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.backend, args.rounds))
