"""Contact search over real HTTP on both databases: people from a crawl of a fixture site and from an import."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

import pytest

from dossier.contacts.models import SEARCH_BITS_BLOCK
from dossier.kit.db import Database
from tests.conftest import Backend
from tests.contacts.conftest import Org, crawl_and_index
from tests.factories import auth, new_org
from tests.fixtures.servers import FixtureDNS, SiteProxy
from tests.signals.test_read_endpoints import assert_error

KESTREL = "https://www.linkedin.com/company/kestrel-analytics/"
STAFF = {
    "Inês Sørensen", "Tomasz Wójcik", "Amara Okonkwo", "Lena Fischer", "Diego Alvarez", "Priya Natarajan",
    "Owen Gallagher", "Chloé Dubois", "Marcus Lee", "Noah Brandt", "Yuki Tanaka", "Kenji Watanabe",
}  # fmt: skip
INVESTORS = {"Sarah Chen", "Rafael Costa", "Hannah Weber"}
IMPORTED = (
    "First Name,Last Name,Job Title,Company,Company Domain,Company LinkedIn URL,Country,Email,Headline\n"
    "Zoë,Lambert,VP Engineering,Quarry Labs,quarrylabs.example,https://linkedin.com/company/quarry-labs,France,"
    "zoe@quarrylabs.example,Kubernetes and DevOps at scale\n"
    "Sam,Ortiz,Account Executive,Quarry Labs,quarrylabs.example,,US,sam@quarrylabs.example,\n"
)


@pytest.fixture(scope="module")
async def org(backend: Backend, db: Database, sites: tuple[SiteProxy, FixtureDNS], api_url: str) -> AsyncIterator[Org]:
    """An organisation that crawled kestrel-analytics.test and imported two people of another company."""
    import httpx

    created = await new_org(db, backend.settings)
    # Reading the same crawl a second time changes nothing.
    await crawl_and_index(backend, db, sites, created.organization_id, "kestrel-analytics.test", times=2)
    async with httpx.AsyncClient(base_url=api_url) as c:
        resp = await c.post("/v1/contacts/import", content=IMPORTED.encode(),
                            headers={**auth(created.key), "Content-Type": "text/csv"})  # fmt: skip
        assert resp.status_code == 200, resp.text
        assert resp.json()["imported"] == 2 and resp.json()["errors"] == []
    yield Org(created.key, created.organization_id)


async def _search(client, org: Org, **body) -> dict:
    resp = await client.post("/v1/contacts/search", json=body, headers=auth(org.key))
    assert resp.status_code == 200, resp.text
    return resp.json()


def _names(result: dict) -> set[str]:
    return {item["fullName"] for item in result["items"]}


async def test_crawled_people_through_the_company_linkedin_url(client, org):
    result = await _search(client, org, companyLinkedInUrls=[KESTREL], limit=100)
    assert set(result) == {"items", "total", "limit", "offset", "hasMore", "salesNavConnected"}
    assert _names(result) == STAFF and result["total"] == len(STAFF) and result["salesNavConnected"] is True
    ines = next(i for i in result["items"] if i["fullName"] == "Inês Sørensen")
    assert ines["role"] == "Co-founder & CEO" and ines["headline"] == "Co-founder & CEO at Kestrel Analytics"
    assert ines["companyName"] == "Kestrel Analytics" and ines["companyDomain"] == "kestrel-analytics.test"
    assert ines["seniority"] == "c_level" and ines["department"] == "executive" and ines["relation"] == "founder"
    assert ines["location"] == "Berlin, Germany" and ines["countryCode"] == "DE"
    assert ines["linkedInProfileUrl"] == "https://www.linkedin.com/in/ines-sorensen/"
    assert ines["linkedInSalesNavigatorProfileUrl"] is None
    assert ines["sources"][0]["url"] == "https://kestrel-analytics.test/team/"
    assert "Co-founder & CEO" in ines["sources"][0]["snippet"]
    # Only the link inside a person's own card is theirs.
    lena = next(i for i in result["items"] if i["fullName"] == "Lena Fischer")
    assert lena["linkedInProfileUrl"] is None and lena["department"] == "engineering"
    # Stable order: folded last name, then first name.
    lasts = [i["lastName"] for i in result["items"]]
    assert lasts[:3] == ["Alvarez", "Brandt", "Dubois"]


async def test_investors_and_authors_only_when_asked_for(client, org):
    everyone = await _search(client, org, limit=100)
    assert not (INVESTORS | {"Julia Marsh"}) & _names(everyone)
    investors = await _search(client, org, relations=["investor"])
    assert _names(investors) == INVESTORS and {i["relation"] for i in investors["items"]} == {"investor"}
    authors = await _search(client, org, relations=["author"])
    assert _names(authors) == {"Noah Brandt", "Julia Marsh"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"firstName": "INES", "lastName": "sorensen"}, {"Inês Sørensen"}),
        ({"firstName": "Zoe"}, {"Zoë Lambert"}),
        ({"lastName": "wójcik"}, {"Tomasz Wójcik"}),
        ({"jobTitles": ["CTO"]}, {"Tomasz Wójcik"}),
        ({"jobTitles": ["chief technology officer"]}, {"Tomasz Wójcik"}),
        ({"jobTitles": ["SDR"]}, {"Owen Gallagher"}),
        ({"jobTitles": ["Vice President of Sales", "ceo"]}, {"Amara Okonkwo", "Inês Sørensen"}),
        ({"jobTitles": ["vp engineering"]}, {"Zoë Lambert", "Kenji Watanabe"}),
        ({"jobTitles": ["Engineering Manager"]}, {"Yuki Tanaka"}),
        ({"keywords": "kubernetes, devops"}, {"Zoë Lambert"}),
        ({"keywords": "customer success"}, {"Chloé Dubois"}),
        ({"countries": ["DE"]}, {"Inês Sørensen", "Lena Fischer", "Priya Natarajan"}),
        ({"countries": ["fr", "IE"]}, {"Chloé Dubois", "Owen Gallagher", "Zoë Lambert"}),
        ({"departments": ["design"]}, {"Priya Natarajan"}),
        ({"departments": ["Sales"], "countries": ["US"]}, {"Sam Ortiz"}),
        ({"seniorityLevels": ["c_level"]}, {"Inês Sørensen", "Tomasz Wójcik"}),
        ({"seniorityLevels": ["senior"], "departments": ["engineering"]}, {"Diego Alvarez", "Noah Brandt"}),
        ({"seniorityLevels": ["director"], "countries": ["DE"], "departments": ["engineering"]}, {"Lena Fischer"}),
        ({"companyLinkedInUrls": ["https://linkedin.com/company/quarry-labs"]}, {"Zoë Lambert", "Sam Ortiz"}),
        ({"companyLinkedInUrls": [KESTREL], "jobTitles": ["engineer"], "countries": ["ES"]}, {"Diego Alvarez"}),
        ({"companyLinkedInUrls": ["https://www.linkedin.com/company/nobody-we-know"]}, set()),
    ],
)
async def test_every_filter_and_combinations(client, org, body, expected):
    result = await _search(client, org, limit=100, **body)
    assert _names(result) == expected
    assert result["total"] == len(expected) and result["hasMore"] is False


async def test_pagination_is_stable_and_complete(client, org):
    full = await _search(client, org, limit=100)
    assert full["total"] == len(STAFF) + 2
    seen: list[str] = []
    for offset in range(0, full["total"], 5):
        page = await _search(client, org, limit=5, offset=offset)
        assert page["total"] == full["total"] and page["limit"] == 5 and page["offset"] == offset
        assert page["hasMore"] is (offset + 5 < full["total"])
        seen += [i["fullName"] for i in page["items"]]
    assert seen == [i["fullName"] for i in full["items"]]
    past = await _search(client, org, offset=500)
    assert past["items"] == [] and past["hasMore"] is False and past["total"] == full["total"]


@pytest.mark.parametrize(
    ("body", "field", "value"),
    [
        ({"departments": ["Astrology"]}, "departments", "Astrology"),
        ({"seniorityLevels": ["vp", "boss"]}, "seniorityLevels", "boss"),
        ({"countries": ["Germany"]}, "countries", "Germany"),
        ({"countries": ["XX"]}, "countries", "XX"),
    ],
)
async def test_unknown_values_are_400_in_the_contracts_words(client, org, body, field, value):
    resp = await client.post("/v1/contacts/search", json=body, headers=auth(org.key))
    err = assert_error(resp, 400, "VALIDATION", "VALIDATION_ERROR")
    assert err["message"] == f"validation failed for '{field}': invalid value: {value}"


async def test_bad_shapes_and_bounds_are_400(client, org):
    for body in ({"limit": 0}, {"limit": 101}, {"limit": "5"}, {"offset": -1}, {"jobTitles": "CTO"},
                 {"firstName": 7}, {"companyLinkedInUrls": "https://linkedin.com/company/x"}):  # fmt: skip
        assert_error(await client.post("/v1/contacts/search", json=body, headers=auth(org.key)), 400, "VALIDATION",
                     "VALIDATION_ERROR")  # fmt: skip


async def test_a_url_that_is_not_a_linkedin_company_is_422(client, org):
    for url in ("https://www.linkedin.com/in/ines-sorensen", "https://kestrel-analytics.test/",
                "linkedin.com/company/kestrel-analytics", "http://www.linkedin.com/company/kestrel-analytics"):  # fmt: skip
        resp = await client.post("/v1/contacts/search", json={"companyLinkedInUrls": [KESTREL, url]},
                                 headers=auth(org.key))  # fmt: skip
        err = assert_error(resp, 422, "UNPROCESSABLE", "LINKEDIN_URL_UNPROCESSABLE")
        assert err["message"] == "Could not process LinkedIn URL"
        assert err["fields"][0]["field"] == "companyLinkedInUrls[1]"


async def test_an_organisation_sees_only_its_own_people(client, db, backend):
    other = await new_org(db, backend.settings)
    resp = await client.post("/v1/contacts/search", json={}, headers=auth(other.key))
    assert resp.status_code == 200
    assert resp.json() == {"items": [], "total": 0, "limit": 25, "offset": 0, "hasMore": False,
                           "salesNavConnected": False}  # fmt: skip
    assert (await client.post("/v1/contacts/search", json={})).status_code == 401


async def test_ten_thousand_row_import_reports_bad_rows_by_line(client, db, backend):
    created = await new_org(db, backend.settings)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["First Name", "Last Name", "Title", "Company", "Company Domain", "Country", "Email", "LinkedIn URL",
         "Company LinkedIn URL"]
    )  # fmt: skip
    bad: dict[int, str] = {}
    for n in range(10_000):
        line = n + 2  # the header is line 1
        row = [f"Person{n}", f"Surname{n % 97}", "Senior Software Engineer" if n % 3 else "Head of Sales",
               f"Company {n % 50}", f"company{n % 50}.example", "DE", f"p{n}@company{n % 50}.example",
               f"https://www.linkedin.com/in/person-{n}", f"https://www.linkedin.com/company/company-{n % 50}"]  # fmt: skip
        if n % 1000 == 7:
            row[6], bad[line] = "not-an-email", "email"
        elif n % 1000 == 500:
            row[5], bad[line] = "Atlantis", "country"
        elif n == 9_999:
            row[0] = row[1] = ""
            bad[line] = "name"
        writer.writerow(row)
    resp = await client.post("/v1/contacts/import", content=out.getvalue().encode(),
                             headers={**auth(created.key), "Content-Type": "text/csv"}, timeout=300)  # fmt: skip
    assert resp.status_code == 200, resp.text
    report = resp.json()
    assert report["received"] == 10_000 and report["rejected"] == len(bad) == 21
    assert report["imported"] == report["created"] == 10_000 - len(bad) and report["updated"] == 0
    assert {e["line"]: e["field"] for e in report["errors"]} == bad
    found = await _search(client, Org(created.key, created.organization_id), departments=["sales"], limit=1)
    assert found["total"] == len([n for n in range(10_000) if n % 3 == 0 and n + 2 not in bad])
    await _totals_are_exact(client, Org(created.key, created.organization_id), bad)
    # Importing the same file again updates the same people instead of adding new ones.
    again = await client.post("/v1/contacts/import", content=out.getvalue().encode(),
                              headers={**auth(created.key), "Content-Type": "text/csv"}, timeout=300)  # fmt: skip
    assert again.json()["created"] == 0 and again.json()["updated"] == 10_000 - len(bad)
    await _totals_are_exact(client, Org(created.key, created.organization_id), bad)


async def _totals_are_exact(client, org: Org, bad: dict[int, str]) -> None:
    """Unfiltered and company totals (read from the role counters) equal the counted ones (everyone is in DE)."""
    kept = [n for n in range(10_000) if n + 2 not in bad]
    everyone = await _search(client, org, limit=1)
    assert everyone["total"] == len(kept) == (await _search(client, org, countries=["DE"], limit=1))["total"]
    for company in (0, 7, 49):  # rows 500, 1500, ... (company 0) and 7, 1007, ... (company 7) were refused
        url = f"https://www.linkedin.com/company/company-{company}"
        result = await _search(client, org, companyLinkedInUrls=[url], limit=1)
        assert result["total"] == len([n for n in kept if n % 50 == company])
        counted = await _search(client, org, companyLinkedInUrls=[url], countries=["DE"], limit=1)
        assert counted["total"] == result["total"]
    both = [f"https://www.linkedin.com/company/company-{c}" for c in (7, 8)]
    assert (await _search(client, org, companyLinkedInUrls=both, limit=1))["total"] == len(
        [n for n in kept if n % 50 in (7, 8)]
    )


async def test_import_json_rows_and_refusals(client, db, backend):
    created = await new_org(db, backend.settings)
    h = auth(created.key)
    resp = await client.post("/v1/contacts/import", headers=h, json={"rows": [
        {"fullName": "Ada Byron", "title": "CTO", "companyDomain": "engines.example", "linkedInUrl": "https://www.linkedin.com/in/ada"},
        {"fullName": "No Company"},
        "not a row",
    ]})  # fmt: skip
    assert resp.status_code == 200
    body = resp.json()
    assert body["imported"] == 1 and [(e["line"], e["field"]) for e in body["errors"]] == [(2, "company"), (3, None)]
    result = await _search(client, Org(created.key, created.organization_id), jobTitles=["Chief Technology Officer"])
    assert _names(result) == {"Ada Byron"} and result["items"][0]["sources"][0]["url"].startswith("dossier:import/")
    for content, ctype in ((b"Title,Company\nCTO,Acme\n", "text/csv"), (b"\xff\xfe", "text/csv"),
                           (b'{"people": []}', "application/json"), (b"x", "application/xml")):  # fmt: skip
        resp = await client.post("/v1/contacts/import", content=content, headers={**h, "Content-Type": ctype})
        assert resp.status_code in (400, 415) and "error" in resp.json()


async def _import_rows(client, key: str, rows: list[dict]) -> dict:
    resp = await client.post("/v1/contacts/import", headers=auth(key), json={"rows": rows})
    assert resp.status_code == 200, resp.text
    assert resp.json()["errors"] == []
    return resp.json()


async def test_a_reimported_role_is_found_under_its_new_values_only(client, db, backend):
    """Postings copy their role's searched columns: a re-import that changes title, country or name moves the
    role (and the person's other roles) to the new values in every search shape, and totals follow."""
    created = await new_org(db, backend.settings)
    org = Org(created.key, created.organization_id)
    ada = {"fullName": "Ada Byron", "email": "ada@engines.example", "country": "DE", "bio": "kubernetes pricing"}
    await _import_rows(client, created.key, [
        {**ada, "title": "Senior Software Engineer", "companyDomain": "engines.example"},
        {**ada, "title": "Advisor to the CTO", "companyDomain": "looms.example"},
        {"fullName": "Bea Clark", "title": "Software Engineer", "companyDomain": "engines.example", "country": "DE"},
    ])  # fmt: skip
    before = await _search(client, org, jobTitles=["software engineer"], countries=["DE"], seniorityLevels=["senior"])
    assert _names(before) == {"Ada Byron"} and before["total"] == 1
    assert (await _search(client, org, jobTitles=["software engineer"], countries=["DE"]))["total"] == 2
    assert (await _search(client, org, keywords="kubernetes", countries=["DE"]))["total"] == 2  # both of Ada's roles

    # The same person (by email) now heads sales in France, under a new last name, with another bio.
    moved = {**ada, "fullName": "Ada Lovelace", "country": "FR", "bio": "observability"}
    await _import_rows(client, created.key, [{**moved, "title": "Head of Sales", "companyDomain": "engines.example"}])
    for body in (
        {"jobTitles": ["software engineer"], "countries": ["DE"], "seniorityLevels": ["senior"]},
        {"jobTitles": ["software engineer"], "countries": ["FR"]},
        {"keywords": "kubernetes"},
        {"jobTitles": ["head of sales"], "countries": ["DE"]},
    ):
        result = await _search(client, org, limit=100, **body)
        assert "Ada Lovelace" not in _names(result) and "Ada Byron" not in _names(result), body
        assert result["total"] == len(result["items"]), body
    assert _names(await _search(client, org, jobTitles=["software engineer"])) == {"Bea Clark"}
    for body in (
        {"jobTitles": ["head of sales"], "countries": ["FR"]},
        {"jobTitles": ["Head of Sales"], "departments": ["sales"]},
        {"keywords": "observability", "countries": ["FR"]},  # her bio: both her roles
        {"keywords": "observability", "jobTitles": ["head sales"]},
        {"lastName": "lovelace", "jobTitles": ["head of sales"]},
    ):
        result = await _search(client, org, **body)
        assert _names(result) == {"Ada Lovelace"} and result["total"] == len(result["items"]), body
    # Her role at the other company was not in the second import: it took her new country and name too.
    advisor = await _search(client, org, jobTitles=["advisor cto"], countries=["FR"])
    assert _names(advisor) == {"Ada Lovelace"} and advisor["total"] == 1
    assert (await _search(client, org, jobTitles=["advisor cto"], countries=["DE"]))["total"] == 0
    assert (await _search(client, org, keywords="observability"))["total"] == 2


async def test_titles_match_runs_of_words_in_order_at_any_length(client, db, backend):
    created = await new_org(db, backend.settings)
    org = Org(created.key, created.organization_id)
    long_title = "Senior Principal Staff Distributed Systems Platform Infrastructure Reliability Engineer"
    await _import_rows(client, created.key, [
        {"fullName": "Cy Dunn", "title": "Senior Engineering Manager", "companyDomain": "a.example"},
        {"fullName": "Di Eng", "title": "Manager, Engineering", "companyDomain": "a.example"},
        {"fullName": "Ed Fox", "title": long_title, "companyDomain": "a.example"},
        {"fullName": "Flo Gray", "title": "VP Engineering", "companyDomain": "a.example"},
    ])  # fmt: skip
    cases = [
        (["engineering manager"], {"Cy Dunn"}),
        (["manager engineering"], {"Di Eng"}),
        (["manager"], {"Cy Dunn", "Di Eng"}),
        (["vice president of engineering"], {"Flo Gray"}),
        # Nine words: longer than an indexed run, matched by its words and the phrase test.
        (["principal staff distributed systems platform infrastructure reliability engineer"], {"Ed Fox"}),
        (["staff distributed systems platform infrastructure reliability engineer"], {"Ed Fox"}),
        (["senior staff distributed systems platform infrastructure reliability engineer"], set()),
        (["systems distributed"], set()),
    ]
    for titles, expected in cases:
        result = await _search(client, org, jobTitles=titles, limit=100)
        assert _names(result) == expected and result["total"] == len(expected), titles
        named = await _search(client, org, jobTitles=titles, firstName="Ed", limit=100)  # read through the roles
        assert _names(named) == expected & {"Ed Fox"}, titles


async def test_title_search_pages_in_the_stable_order(client, db, backend):
    created = await new_org(db, backend.settings)
    org = Org(created.key, created.organization_id)
    rows = [{"fullName": f"P{n:02d} Q{(n * 7) % 23:02d}", "title": "Product Manager" if n % 2 else "Product Owner",
             "companyDomain": f"c{n % 3}.example", "country": "DE" if n % 5 else "FR"} for n in range(46)]  # fmt: skip
    await _import_rows(client, created.key, rows)
    full = await _search(client, org, jobTitles=["product manager"], limit=100)
    assert full["total"] == 23
    lasts = [i["lastName"] for i in full["items"]]
    assert lasts == sorted(lasts)
    seen: list[str] = []
    for offset in range(0, 23, 4):
        page = await _search(client, org, jobTitles=["product manager"], limit=4, offset=offset)
        assert page["total"] == 23
        seen += [i["fullName"] for i in page["items"]]
    assert seen == [i["fullName"] for i in full["items"]]
    de = await _search(client, org, jobTitles=["product manager"], countries=["DE"], limit=100)
    assert de["total"] == len([n for n in range(46) if n % 2 and n % 5])
    assert [i["fullName"] for i in de["items"]] == [i["fullName"] for i in full["items"] if i["countryCode"] == "DE"]


async def _all_pages(client, org: Org, **body) -> list[str]:
    """Every match, one per page: pages deep into a small result are read by walking the result order."""
    names, offset = [], 0
    while True:
        page = await _search(client, org, limit=1, offset=offset, **body)
        if not page["items"]:
            return names
        names.append(page["items"][0]["fullName"])
        offset += 1


@pytest.mark.parametrize("read_all_up_to", [2000, 0], ids=["pages-from-matches", "pages-by-walking"])
async def test_keyword_phrases_and_several_titles_follow_every_write_of_the_index(
    client, db, backend, monkeypatch, read_all_up_to
):
    """Keyword phrases (each word anywhere in title, team or bio; any phrase of a comma list) and several titles
    are counted by the databases' full-text index (FTS5 on SQLite, GIN on PostgreSQL) and paged from all the
    matches (few) or by walking the result order (many: forced here by a bound of 0): the answers and totals
    follow imports, re-imports and the removal of a person, and the order is the one every search uses.
    PostgreSQL counts word-only searches over its words' bit blocks (kept equal to the integer postings, and
    those to the documents' words, here)
    and pages several titles from the first postings of each title's range (a short bound fails the one-per-page
    reading)."""
    monkeypatch.setattr(
        "dossier.contacts.repository._FULL_TEXT_PAGE", {"sqlite": read_all_up_to, "postgresql": read_all_up_to}
    )
    created = await new_org(db, backend.settings)
    org = Org(created.key, created.organization_id)
    await _import_rows(client, created.key, [
        {"fullName": "Ann Ames", "title": "Data Engineer", "bio": "Machine learning pipelines", "country": "US",
         "companyDomain": "a.example"},
        {"fullName": "Bob Bell", "title": "Software Engineer", "bio": "learning Rust", "country": "DE",
         "companyDomain": "a.example"},
        {"fullName": "Cat Cole", "title": "CTO", "team": "Machine shop", "country": "US", "companyDomain": "b.example"},
        {"fullName": "Dan Dorn", "title": "Recruiter", "bio": "enterprise sales, machine learning, café",
         "country": "FR", "companyDomain": "b.example"},
    ])  # fmt: skip

    async def found(**body) -> list[str]:
        result = await _search(client, org, limit=100, **body)
        names = [item["fullName"] for item in result["items"]]
        assert result["total"] == len(names), body
        assert await _all_pages(client, org, **body) == names, body  # the same order on every page path
        return names

    assert await found(keywords="machine learning") == ["Ann Ames", "Dan Dorn"]
    assert await found(keywords="LEARNING   machine") == ["Ann Ames", "Dan Dorn"]  # words, in any order or case
    assert await found(keywords="machine learning, rust") == ["Ann Ames", "Bob Bell", "Dan Dorn"]
    assert await found(keywords="machine") == ["Ann Ames", "Cat Cole", "Dan Dorn"]  # a team's words too
    assert await found(keywords="cafe") == await found(keywords="Café") == ["Dan Dorn"]
    assert await found(keywords="machine learning", countries=["US"]) == ["Ann Ames"]
    assert await found(keywords="machine learning, rust", countries=["DE", "FR"]) == ["Bob Bell", "Dan Dorn"]
    assert await found(keywords="engineer, sales", seniorityLevels=["entry"]) == []
    assert await found(keywords="machine learn") == []  # whole words only
    assert await found(jobTitles=["CTO", "Recruiter"]) == ["Cat Cole", "Dan Dorn"]
    assert await found(jobTitles=["CTO", "Recruiter"], countries=["US"]) == ["Cat Cole"]
    assert await found(jobTitles=["data engineer", "software engineer"]) == ["Ann Ames", "Bob Bell"]
    assert await found(jobTitles=["engineer data", "cto"]) == ["Cat Cole"]  # a title's words in order
    assert await found(jobTitles=["cto", "recruiter"], keywords="machine") == ["Cat Cole", "Dan Dorn"]
    assert await found(jobTitles=["cto", "recruiter"], relations=["investor"]) == []

    # Re-imports: Bob's bio and Ann's title change; Ann's new title is found, her old one and Bob's old words not.
    await _import_rows(client, created.key, [
        {"fullName": "Bob Bell", "title": "Software Engineer", "bio": "machine learning", "country": "DE",
         "companyDomain": "a.example"},
        {"fullName": "Ann Ames", "title": "Recruiter", "country": "GB", "companyDomain": "a.example"},
    ])  # fmt: skip
    assert await found(keywords="rust") == []
    assert await found(keywords="machine learning") == ["Ann Ames", "Bob Bell", "Dan Dorn"]  # Ann's bio stays
    assert await found(keywords="machine learning", countries=["US"]) == []  # Ann moved to GB
    assert await found(jobTitles=["data engineer", "software engineer"]) == ["Bob Bell"]
    assert await found(jobTitles=["cto", "recruiter"]) == ["Ann Ames", "Cat Cole", "Dan Dorn"]
    assert await found(jobTitles=["cto", "recruiter"], countries=["GB"]) == ["Ann Ames"]
    assert await db.read(_word_postings) == await db.read(_document_words)
    assert await db.read(_bits) == await db.read(_posting_pairs)
    assert await db.read(_empty_blocks) == 0  # Bob's "rust" block, cleared, is gone (migration 0022)

    # A person removed (no endpoint deletes one: the rows go with their person, by the foreign keys' cascade).
    def remove_dan(conn) -> None:
        conn.exec_driver_sql("DELETE FROM people WHERE full_name = 'Dan Dorn'")

    await db.write(remove_dan)
    assert await found(keywords="machine learning") == ["Ann Ames", "Bob Bell"]
    assert await found(keywords="cafe") == []
    assert await found(jobTitles=["cto", "recruiter"]) == ["Ann Ames", "Cat Cole"]
    postings = await db.read(_word_postings)
    assert postings == await db.read(_document_words)
    assert await db.read(_bits) == await db.read(_posting_pairs)  # cleared through the cascade too
    assert await db.read(_empty_blocks) == 0  # Dan's "cafe" block with it
    # PostgreSQL counts word-only searches over the integer postings; SQLite's FTS5 counts alone (none kept).
    assert bool(postings) == (backend.name == "postgres")
    if backend.name == "sqlite":
        # FTS5's own check of an external content index against its documents table.
        def check(conn) -> None:
            conn.exec_driver_sql("INSERT INTO person_search_fts(person_search_fts, rank) VALUES ('integrity-check', 1)")

        await db.write(check)


def _word_postings(conn) -> set[tuple[str, str]]:
    """(role, scope:term) of every integer posting (see models.PersonSearchPosting)."""
    rows = conn.exec_driver_sql(
        "SELECT d.role_id, w.scope_id, w.term FROM person_search_postings p "
        "JOIN person_search_words w ON w.id = p.word_id JOIN person_search_docs d ON d.id = p.doc_id"
    )
    return {(row.role_id, f"{row.scope_id}:{row.term}") for row in rows}


def _document_words(conn) -> set[tuple[str, str]]:
    """(role, scope:term) of every token of the full-text documents, a column's ("c:", "n:", ...) within the
    document's scope (that of its words); empty on SQLite, which keeps no integer postings."""
    if conn.dialect.name == "sqlite":
        return set()
    out = set()
    for row in conn.exec_driver_sql("SELECT role_id, doc FROM person_search_docs"):
        tokens = [bytes.fromhex(token).decode() for token in row.doc.split()]
        scopes = {token.split(":", 1)[0] for token in tokens if token.split(":", 1)[0].isdigit()}
        assert len(scopes) == 1, tokens
        scope = scopes.pop()
        out |= {(row.role_id, token if token.startswith(f"{scope}:") else f"{scope}:{token}") for token in tokens}
    return out


def _posting_pairs(conn) -> set[tuple[int, int]]:
    return {
        (row.word_id, row.doc_id) for row in conn.exec_driver_sql("SELECT word_id, doc_id FROM person_search_postings")
    }


def _empty_blocks(conn) -> int:
    """Bit blocks left with no bit set (none on SQLite, which keeps no bits)."""
    if conn.dialect.name == "sqlite":
        return 0
    return int(conn.exec_driver_sql("SELECT count(*) FROM person_search_bits WHERE bit_count(bits) = 0").scalar())


def _bits(conn) -> set[tuple[int, int]]:
    """(word, document) of every set bit of the words' bit blocks (see models.PersonSearchBits); none on SQLite."""
    if conn.dialect.name == "sqlite":
        return set()
    rows = conn.exec_driver_sql("SELECT word_id, block, bits::text AS bits FROM person_search_bits")
    return {
        (row.word_id, row.block * SEARCH_BITS_BLOCK + i) for row in rows for i, bit in enumerate(row.bits) if bit == "1"
    }


async def test_a_first_name_and_its_aliases_page_in_result_order(client, db, backend):
    """ "Bob" is also Robert, Rob, Bobby...: each name (and country) is read as its own range and merged; every page,
    with and without countries, is the slice of the whole result in (last name, first name) order."""
    created = await new_org(db, backend.settings)
    org = Org(created.key, created.organization_id)
    firsts = ["Bob", "Robert", "Rob", "Bobby", "Robbie", "Bert", "Alice"]
    rows = [
        {"firstName": firsts[n % len(firsts)], "lastName": f"Name{(n * 37) % 101:03d}", "title": "Engineer",
         "country": ["US", "GB", "DE"][n % 3], "companyDomain": f"c{n % 5}.example"}
        for n in range(101)
    ]  # fmt: skip
    await _import_rows(client, created.key, rows)

    def expected(countries: list[str] | None) -> list[str]:
        kept = [r for r in rows if r["firstName"] != "Alice" and (not countries or r["country"] in countries)]
        kept.sort(key=lambda r: (r["lastName"].lower(), r["firstName"].lower()))
        return [f"{r['firstName']} {r['lastName']}" for r in kept]

    for countries in (None, ["US"], ["GB", "DE"]):
        want = expected(countries)
        got: list[str] = []
        for offset in range(0, len(want) + 7, 7):
            body: dict = {"firstName": "Bob", "limit": 7, "offset": offset}
            if countries:
                body["countries"] = countries
            page = await _search(client, org, **body)
            assert page["total"] == len(want)
            got += [i["fullName"] for i in page["items"]]
        assert got == want, countries
