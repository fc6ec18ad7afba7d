"""Contact research: seconds per contact over the fixture sites, through the API with its job workers.

Serves the fixture sites on 127.0.0.1, starts a Dossier server in this process on a fresh database (SQLite
file, or an embedded PostgreSQL with --backend postgres), and researches people of four fixture companies
(team members, bylined authors, a namesake, people no page names) through POST /v1/contacts/research, one
company's people at a time. Prints, per round, the create-to-complete seconds per contact (from the report's
own createdAt/completedAt) as p50 / p95 / max: the first round crawls each company, the second reuses the
crawls (the crawl TTL), so it shows reading alone. Also the share of reports that found a current role.

    python bench/contact_research.py [--backend sqlite|postgres] [--rounds 2]

Real sites (`--realsites`): every person of bench/realsites/people/<host>.jsonl (hand-made: fullName, verbatim
title or null, relation, page) is researched the same way against the built real sites (served as in
bench/contacts.py --realsites), plus a few invented names per company that no page names. Each report is scored
against the list: current title right (folded containment either way, or the same taxonomy title key), person
found (a person field filled with evidence whose quote names them), person fields filled, filled fields whose
evidence is a quote found verbatim in its stored snapshot and naming the person, and fields naming another
listed person of that company. Invented people should get no person field at all. The list is for measuring
only: nothing in the engine is fitted to it.

    python -m bench.realsites.build --out bench/realsites/.build   # once
    python bench/contact_research.py --realsites [--sites DIR] [--only HOST,HOST] [--show]
"""

from __future__ import annotations

import argparse
import asyncio
import json
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


# --- real sites: field accuracy against the hand-made people lists ------------------------------------------------

REAL_PEOPLE = ROOT / "bench" / "realsites" / "people"
# The company name a caller would send with the host; only used as the request's companyName.
COMPANY_NAMES = {
    "bitcraze.io": "Bitcraze", "hackclub.com": "Hack Club", "handbook.meltano.com": "Meltano",
    "joinmastodon.org": "Mastodon", "osiolabs.com": "Osio Labs", "weaviate.io": "Weaviate",
}  # fmt: skip
# Names no page of any corpus site carries (checked with grep over the built sites before use).
FAKE_PEOPLE = ("Zebulon Quartermaine", "Philippa Vanderslooten", "Octavian Brightwater")
PERSON_FIELDS = ("currentRole", "responsibilities", "background", "education", "expertise", "topics", "recentActivity")


def split_name(full: str) -> tuple[str, str]:
    """firstName/lastName as a CRM holds them: the first word, and the rest without middle initials."""
    words = full.split()
    rest = [w for w in words[1:] if len(w.rstrip(".")) > 1] or words[1:]
    return words[0], " ".join(rest)


def _filled(research: dict[str, Any]) -> list[str]:
    out = []
    for name in PERSON_FIELDS:
        value = research.get(name)
        if name == "currentRole":
            value = (value or {}).get("title")
        if value:
            out.append(name)
    return out


def title_right(got: str | None, gold: str) -> bool:
    from dossier.contacts import taxonomy

    if not got:
        return False
    a, b = taxonomy.fold(got), taxonomy.fold(gold)
    if a and b and (a in b or b in a):
        return True
    ka, kb = taxonomy.title_key(got), taxonomy.title_key(gold)
    return bool(ka) and ka == kb


async def _stored_text(db: Database, ev: dict[str, Any]) -> str | None:
    """The stored snapshot text the quote is found in verbatim, or None."""
    from dossier.research import repository

    snap = await db.read(lambda c, sid=ev.get("snapshotId"): repository.snapshot_text(c, sid))
    return next((part for part in snap or () if ev["quote"] in part), None)


def _card_of(text: str, quote: str, full_name: str, others: list[str]) -> bool:
    """Whether the nearest listed name at or above the quote's first line (at most 8 lines up) is this
    person's: a bio sentence ("He leads …", "Mandy focuses on …") under their name on a team page."""
    from dossier.research.analyze.names import PersonName, fold

    lines = text[: text.index(quote)].split("\n")
    lines[-1] += quote.split("\n")[0]
    people = [PersonName.parse(n) for n in [full_name, *others]]
    for line in reversed(lines[-9:]):
        folded = fold(line)
        named = [p for p in people if p.named_in(folded)]
        if named:
            return named == [people[0]]
    return False


async def score(db: Database, report: dict[str, Any], full_name: str, others: list[str]) -> dict[str, Any]:
    """One report's figures against the gold person (see the module doc)."""
    from dossier.research.analyze.names import PersonName, fold

    person = PersonName.parse(full_name)
    research = report.get("research") or {}
    filled = _filled(research)
    evidence = research.get("evidence") or []
    backed: list[str] = []  # every quote stored verbatim and naming the person
    carded: list[str] = []  # every quote stored verbatim and naming them or under their name (their card/bio)
    unbacked: list[str] = []
    for name in filled:
        evs = [e for e in evidence if e["field"] == name or e["field"].startswith(name + ".")]
        named = in_card = 0
        for e in evs:
            text = await _stored_text(db, e)
            if text is None:
                continue
            if person.named_in(fold(e["quote"])):
                named += 1
                in_card += 1
            elif _card_of(text, e["quote"], full_name, others):
                in_card += 1
        (backed if evs and named == len(evs) else unbacked).append(name)
        if evs and in_card == len(evs):
            carded.append(name)
    found = bool(filled) and any(
        person.named_in(fold(e["quote"])) for e in evidence if not e["field"].startswith("companyContext")
    )
    values = fold(json.dumps({k: research.get(k) for k in PERSON_FIELDS if k != "recentActivity"}, ensure_ascii=False))
    named_others = [o for o in others if PersonName.parse(o).named_in(values)]
    return {"filled": filled, "backed": backed, "carded": carded, "unbacked": unbacked, "found": found, "others": named_others,
            "title": ((research.get("currentRole") or {}).get("title")), "status": report["status"],
            "seconds": _ts(report["completedAt"]) - _ts(report["createdAt"]) if report.get("completedAt") else None}  # fmt: skip


async def realsites(sites_root: Path, only: str, show: bool) -> None:
    hosts = sorted(p.stem for p in REAL_PEOPLE.glob("*.jsonl"))
    if only:
        hosts = [h for h in hosts if h in only.split(",")]
    data = Path(tempfile.mkdtemp(prefix="dossier-bench-research-real-"))
    url = f"sqlite:///{data / 'dossier.db'}"
    upgrade(url)
    rows: list[tuple[str, dict[str, float]]] = []
    all_seconds: list[float] = []
    with SiteProxy(sites_root) as proxy, FixtureDNS(sites_root) as dns:
        settings = Settings(
            data_dir=data, database_url=url, secret_key="bench", dns_nameservers=dns.nameserver,
            allow_private_networks=dns.site_network, auth_cache_seconds=0,
        )  # fmt: skip
        db = Database(url)
        org = await new_org(db, settings)
        with serve_in_thread(create_app(settings, outbound_env=proxy.env())) as base:
            async with httpx.AsyncClient(base_url=base, timeout=600) as c:
                for host in hosts:
                    lines = (REAL_PEOPLE / f"{host}.jsonl").read_text().splitlines()
                    gold = [g for g in (json.loads(line) for line in lines if line) if g["relation"] != "not_a_person"]
                    names = [g["fullName"] for g in gold]
                    company = COMPANY_NAMES.get(host, host)
                    t: dict[str, float] = dict.fromkeys(
                        ("people", "titled", "title_right", "found", "filled", "backed", "carded", "naming_other",
                         "fake", "fake_filled", "failed"), 0)  # fmt: skip
                    t["fields"] = 0
                    seconds: list[float] = []
                    for g in gold:
                        first, last = split_name(g["fullName"])
                        report = await _one(c, org.key, (first, last, company, host))
                        s = await score(db, report, g["fullName"], [n for n in names if n != g["fullName"]])
                        t["people"] += 1
                        t["failed"] += s["status"] != "completed"
                        t["found"] += s["found"]
                        t["fields"] += len(s["filled"])
                        t["backed"] += len(s["backed"])
                        t["carded"] += len(s["carded"])
                        t["naming_other"] += bool(s["others"])
                        if g.get("title"):
                            t["titled"] += 1
                            t["title_right"] += title_right(s["title"], g["title"])
                        if s["seconds"] is not None:
                            seconds.append(s["seconds"])
                        if show and (
                            s["unbacked"] or s["others"] or (g.get("title") and not title_right(s["title"], g["title"]))
                        ):
                            print(f"  {host} {g['fullName']} gold={g.get('title')!r} got={s['title']!r} "
                                  f"unbacked={s['unbacked']} not_in_card={sorted(set(s['filled']) - set(s['carded']))} others={s['others']}")  # fmt: skip
                    for fake in FAKE_PEOPLE:
                        first, last = split_name(fake)
                        report = await _one(c, org.key, (first, last, company, host))
                        s = await score(db, report, fake, names)
                        t["fake"] += 1
                        t["fake_filled"] += bool(s["filled"])
                        if show and s["filled"]:
                            print(f"  {host} FAKE {fake} filled {s['filled']}")
                    t["p50"] = statistics.median(seconds) if seconds else 0.0
                    t["max"] = max(seconds, default=0.0)
                    all_seconds += seconds
                    rows.append((host, t))
                    print(f"  done {host}: {int(t['people'])} people", flush=True)
        await db.aclose()
        db.dispose()
    _print_realsites(rows, all_seconds)


def _print_realsites(rows: list[tuple[str, dict[str, float]]], all_seconds: list[float]) -> None:
    def r(n: float, d: float) -> str:
        return f"{n / d:.2f}" if d else "-"

    print("\ncontact research on the real sites (fields scored against bench/realsites/people)")
    print(f"{'company':<22}{'people':>7}{'found':>7}{'title ok':>11}{'fields/p':>9}{'backed':>8}{'+card':>7}"
          f"{'other':>6}{'fake>0':>8}{'failed':>7}{'p50 s':>7}{'max s':>7}")  # fmt: skip
    total: dict[str, float] = {}
    for host, t in rows:
        for k, v in t.items():
            total[k] = total.get(k, 0) + v
        print(f"{host:<22}{int(t['people']):>7}{r(t['found'], t['people']):>7}"
              f"{int(t['title_right']):>5}/{int(t['titled']):<5}{r(t['fields'], t['people']):>9}"
              f"{r(t['backed'], t['fields']):>8}{r(t['carded'], t['fields']):>7}{int(t['naming_other']):>6}"
              f"{int(t['fake_filled']):>4}/{int(t['fake']):<3}{int(t['failed']):>7}{t['p50']:>7.2f}{t['max']:>7.2f}")  # fmt: skip
    if rows:
        t = total
        p50 = statistics.median(all_seconds) if all_seconds else 0.0
        print(f"{'total':<22}{int(t['people']):>7}{r(t['found'], t['people']):>7}"
              f"{int(t['title_right']):>5}/{int(t['titled']):<5}{r(t['fields'], t['people']):>9}"
              f"{r(t['backed'], t['fields']):>8}{r(t['carded'], t['fields']):>7}{int(t['naming_other']):>6}"
              f"{int(t['fake_filled']):>4}/{int(t['fake']):<3}{int(t['failed']):>7}{p50:>7.2f}"
              f"{max(all_seconds, default=0.0):>7.2f}")  # fmt: skip
        print(
            "found: share of listed people with a person field whose evidence quote names them; title ok: "
            "listed title matched (of people listed with a title); fields/p: person fields filled per person; "
            "backed: share of filled fields whose every quote is stored verbatim and names the person; +card: the "
            "same, or the quote sits under their name on the stored page with no other listed name between "
            "(a bio sentence: 'He leads ...'); other: "
            "reports with a field naming another listed person; fake>0: invented people with any person field; "
            "seconds: createdAt to completedAt (the first person of each company includes the crawl)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--realsites", action="store_true", help="field accuracy on the real-site corpus")
    parser.add_argument("--sites", type=Path, default=ROOT / "bench" / "realsites" / ".build")
    parser.add_argument("--only", default="", help="comma-separated hosts (real sites)")
    parser.add_argument("--show", action="store_true", help="print each miss (real sites)")
    args = parser.parse_args()
    if args.realsites:
        if not args.sites.exists():
            raise SystemExit(f"{args.sites} is missing: python -m bench.realsites.build --out {args.sites}")
        asyncio.run(realsites(args.sites, args.only, args.show))
    else:
        asyncio.run(main(args.backend, args.rounds))
