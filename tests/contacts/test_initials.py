"""A person named with an initial ("J. Smith") and the same person named in full ("Jane Smith") at the same
company are one person when nobody else there could be that initial; never across companies. Over real HTTP
imports and a real crawl of a fixture site, on both databases."""

from __future__ import annotations

from tests.contacts.conftest import Org, crawl_and_index
from tests.factories import auth, new_org

KESTREL = "kestrel-analytics.test"
HERONWAY = "heronway-logistics.test"


async def _import(client, org: Org, rows: list[dict]) -> dict:
    resp = await client.post("/v1/contacts/import", headers=auth(org.key), json={"rows": rows})
    assert resp.status_code == 200, resp.text
    assert resp.json()["errors"] == []
    return resp.json()


async def _named(client, org: Org, last: str) -> list[tuple[str, str | None, str | None]]:
    """(full name, title, company domain) of every role whose person has that last name, sorted."""
    resp = await client.post("/v1/contacts/search", headers=auth(org.key), json={"lastName": last, "limit": 100})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["total"] == len(body["items"])
    return sorted((i["fullName"], i["role"], i["companyDomain"]) for i in body["items"])


async def test_an_initial_and_the_crawled_full_name_are_one_person(client, db, backend, sites):
    created = await new_org(db, backend.settings)
    org = Org(created.key, created.organization_id)
    # Imported before the crawl, with an initial; and at another company, where nobody may be merged with her.
    first = await _import(client, org, [
        {"fullName": "I. Sørensen", "title": "Board Observer", "companyDomain": KESTREL, "email": "is@kestrel.example"},
        {"fullName": "I. Sørensen", "title": "Advisor", "companyDomain": "elsewhere.example"},
    ])  # fmt: skip
    assert first["created"] == 2
    await crawl_and_index(backend, db, sites, org.id, KESTREL)
    # The crawl found "Inês Sørensen" (Co-founder & CEO) at Kestrel: the imported I. Sørensen took her name, and
    # her imported role is one of hers; the I. Sørensen of the other company stayed who she was.
    assert await _named(client, org, "Sørensen") == [
        ("I. Sørensen", "Advisor", "elsewhere.example"),
        ("Inês Sørensen", "Board Observer", KESTREL),
        ("Inês Sørensen", "Co-founder & CEO", KESTREL),
    ]
    # Imported after the crawl with an initial: the crawled Marcus Lee, updated (his name kept in full).
    after = await _import(client, org, [{"fullName": "M. Lee", "title": "Marketing Lead", "companyDomain": KESTREL,
                                         "email": "m.lee@kestrel.example"}])  # fmt: skip
    assert (after["created"], after["updated"]) == (0, 1)
    assert await _named(client, org, "Lee") == [("Marcus Lee", "Marketing Lead", KESTREL)]
    # Her import's new country reaches her crawled founder role too, a relation no imported row holds (its
    # document's scope is found for it), and the full-text search finds that role under it.
    moved = await _import(client, org, [{"fullName": "Inês Sørensen", "title": "Board Observer", "country": "FR",
                                         "companyDomain": KESTREL, "email": "is@kestrel.example"}])  # fmt: skip
    assert (moved["created"], moved["updated"]) == (0, 1)
    resp = await client.post("/v1/contacts/search", headers=auth(org.key),
                             json={"jobTitles": ["CEO", "CTO"], "countries": ["FR"]})  # fmt: skip
    assert [(i["fullName"], i["relation"]) for i in resp.json()["items"]] == [("Inês Sørensen", "founder")]


async def test_an_initial_two_people_could_stand_for_is_nobody_s(client, db, backend, sites):
    created = await new_org(db, backend.settings)
    org = Org(created.key, created.organization_id)
    await crawl_and_index(backend, db, sites, org.id, HERONWAY)  # Jan Novak and Julia Novak work there
    report = await _import(client, org, [{"fullName": "J. Novak", "title": "Dispatcher", "companyDomain": HERONWAY}])
    assert report["created"] == 1
    names = [name for name, _, _ in await _named(client, org, "Novak")]
    assert names == ["J. Novak", "Jan Novak", "Julia Novak"]


async def test_initials_merge_within_an_import_and_across_imports_only_when_unambiguous(client, db, backend):
    created = await new_org(db, backend.settings)
    org = Org(created.key, created.organization_id)
    acme = "acme.example"
    # One import: the initial and the full name of the same person, in either order, are one person.
    report = await _import(client, org, [
        {"fullName": "P. Jones", "title": "Controller", "companyDomain": acme},
        {"fullName": "Pat Jones", "title": "Controller", "companyDomain": acme, "country": "DE"},
        {"fullName": "Quinn Jones", "title": "Recruiter", "companyDomain": acme},
        {"fullName": "Q. Jones", "title": "Recruiter", "companyDomain": acme},
    ])  # fmt: skip
    assert (report["created"], report["updated"]) == (2, 0)
    assert await _named(client, org, "Jones") == [("Pat Jones", "Controller", acme), ("Quinn Jones", "Recruiter", acme)]
    # A later full name merges into a stored initial only while that initial can mean nobody else there.
    await _import(client, org, [{"fullName": "J. Smith", "title": "Paralegal", "companyDomain": acme}])
    jane = await _import(client, org, [{"fullName": "Jane Smith", "title": "Legal Counsel", "companyDomain": acme}])
    assert (jane["created"], jane["updated"]) == (0, 1)
    john = await _import(client, org, [{"fullName": "John Smith", "title": "Accountant", "companyDomain": acme}])
    assert john["created"] == 1  # Jane is no longer an initial: John is someone else
    again = await _import(client, org, [{"fullName": "J. Smith", "title": "Paralegal", "companyDomain": acme}])
    assert again["created"] == 1  # Jane or John: an initial that could be either is a third record
    assert await _named(client, org, "Smith") == [
        ("J. Smith", "Paralegal", acme), ("Jane Smith", "Legal Counsel", acme), ("John Smith", "Accountant", acme)
    ]  # fmt: skip
    # A stored initial with a full-named namesake beside it is not merged into by a third full name either.
    late = await _import(client, org, [{"fullName": "Jill Smith", "title": "Auditor", "companyDomain": acme}])
    assert late["created"] == 1
