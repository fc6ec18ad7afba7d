"""Two imports into one organisation at the same time, of overlapping rows in opposite orders: both finish (no
deadlock reaches the client) and leave the index as importing them one after the other does."""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

import httpx

from dossier.kit.db import Database
from tests.contacts.test_search import _bits, _posting_pairs
from tests.factories import auth, new_org

HEADER = ["First Name", "Last Name", "Title", "Company", "Company Domain", "Country", "Email", "Headline"]
TITLES = ["Senior Software Engineer", "Head of Sales", "Account Executive", "CTO", "Product Manager"]
TOPICS = ["kubernetes and payments", "pricing", "machine learning", "hiring and growth"]


def _row(n: int) -> list[str]:
    company = n % 40
    return [f"Person{n}", f"Surname{n % 89}", TITLES[n % len(TITLES)], f"Company {company}",
            f"company{company}.example", ["DE", "US", "GB"][n % 3], f"p{n}@company{company}.example",
            f"Works on {TOPICS[n % len(TOPICS)]}"]  # fmt: skip


def _csv(numbers: list[int]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for n in numbers:
        writer.writerow(_row(n))
    return out.getvalue().encode()


# 1,200 rows each, 800 of them in both; the second file in the reverse order, so the two transactions meet the
# same companies, counters, words and bit blocks in opposite orders, chunk after chunk.
FIRST = _csv(list(range(0, 1200)))
SECOND = _csv(list(reversed(range(400, 1600))))


async def _import(client: httpx.AsyncClient, key: str, body: bytes) -> dict[str, Any]:
    resp = await client.post("/v1/contacts/import", content=body, timeout=300,
                             headers={**auth(key), "Content-Type": "text/csv"})  # fmt: skip
    assert resp.status_code == 200, resp.text
    result: dict[str, Any] = resp.json()
    assert result["imported"] == 1200 and result["errors"] == []
    return result


async def _everyone(client: httpx.AsyncClient, key: str) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    offset = 0
    while True:
        resp = await client.post("/v1/contacts/search", json={"limit": 100, "offset": offset}, headers=auth(key))
        assert resp.status_code == 200, resp.text
        body = resp.json()
        found += [
            (i["fullName"], i["role"], i["companyDomain"], i["countryCode"], i["seniority"]) for i in body["items"]
        ]
        offset += 100
        if not body["hasMore"]:
            return found


def _index_of(conn: Any, org: str) -> dict[str, Any]:
    """The organisation's index as counts that do not depend on generated ids."""
    one = {"org": org}

    def count(sql: str) -> int:
        return int(conn.exec_driver_sql(sql, one if conn.dialect.name == "postgresql" else (org,)).scalar_one())

    p = "%(org)s" if conn.dialect.name == "postgresql" else "?"
    return {
        "people": count(f"SELECT count(*) FROM people WHERE organization_id = {p}"),
        "roles": count(f"SELECT count(*) FROM person_roles WHERE organization_id = {p}"),
        "companies": count(f"SELECT count(*) FROM company_profiles WHERE organization_id = {p}"),
        "postings": count(f"SELECT count(*) FROM person_terms WHERE organization_id = {p}"),
        "counted roles": count(f"SELECT coalesce(sum(count), 0) FROM person_role_counters WHERE organization_id = {p}"),
        "documents": count(
            "SELECT count(*) FROM person_search_docs d JOIN person_roles r ON r.id = d.role_id"
            f" WHERE r.organization_id = {p}"
        ),
    }


async def test_two_imports_of_one_organisation_at_once_end_as_one_after_the_other(client, db: Database, backend):
    together = await new_org(db, backend.settings)
    apart = await new_org(db, backend.settings)
    # Organisations that already hold people (their scope numbers exist; a first import into an empty one
    # creates them, and the other import waits on that insert until the first commits).
    for org in (together, apart):
        resp = await client.post("/v1/contacts/import", content=_csv([5000, 5001]), timeout=60,
                                 headers={**auth(org.key), "Content-Type": "text/csv"})  # fmt: skip
        assert resp.status_code == 200, resp.text
    first, second = await asyncio.gather(_import(client, together.key, FIRST), _import(client, together.key, SECOND))
    # Whichever came first created the 800 shared people; the other updated them.
    assert first["created"] + second["created"] == 1600
    assert first["updated"] + second["updated"] == 800
    await _import(client, apart.key, FIRST)
    await _import(client, apart.key, SECOND)
    everyone = await _everyone(client, together.key)
    assert len(everyone) == 1602
    assert everyone == await _everyone(client, apart.key)
    for body in ({"keywords": "payments"}, {"jobTitles": ["CTO", "Head of Sales"]}, {"countries": ["GB"]},
                 {"keywords": "pricing, growth", "seniorityLevels": ["senior"]}):  # fmt: skip
        a = await client.post("/v1/contacts/search", json=body, headers=auth(together.key))
        b = await client.post("/v1/contacts/search", json=body, headers=auth(apart.key))
        assert a.json()["total"] == b.json()["total"] > 0
        assert [i["fullName"] for i in a.json()["items"]] == [i["fullName"] for i in b.json()["items"]]
    assert await db.read(lambda c: _index_of(c, together.organization_id)) == await db.read(
        lambda c: _index_of(c, apart.organization_id)
    )
    # PostgreSQL's bit blocks hold exactly the postings after both transactions' triggers ran.
    assert await db.read(_bits) == await db.read(_posting_pairs)
