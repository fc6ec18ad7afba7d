"""People found in schema.org markup, job ads and press releases, over a real HTTP crawl of a fixture site
(heronway-logistics.test) and contact search over real HTTP on both databases."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from dossier.kit.db import Database
from tests.conftest import Backend
from tests.contacts.conftest import Org, crawl_and_index
from tests.factories import auth, new_org
from tests.fixtures.servers import FixtureDNS, SiteProxy

HERONWAY = "https://www.linkedin.com/company/heronway"
SITE = "https://heronway-logistics.test"


@pytest.fixture(scope="module")
async def org(backend: Backend, db: Database, sites: tuple[SiteProxy, FixtureDNS]) -> AsyncIterator[Org]:
    created = await new_org(db, backend.settings)
    await crawl_and_index(backend, db, sites, created.organization_id, "heronway-logistics.test")
    yield Org(created.key, created.organization_id)


async def _search(client, org: Org, **body) -> dict:
    resp = await client.post("/v1/contacts/search", json={"limit": 100, **body}, headers=auth(org.key))
    assert resp.status_code == 200, resp.text
    return resp.json()


def _by_name(result: dict) -> dict[str, dict]:
    return {item["fullName"]: item for item in result["items"]}


async def test_every_layout_yields_its_people_with_verbatim_titles(client, org):
    found = _by_name(await _search(client, org, companyLinkedInUrls=[HERONWAY]))
    titles = {name: item["role"] for name, item in found.items()}
    assert titles == {
        "Hanna Lindgren": "Co-founder & CEO",  # JSON-LD founder, in @graph
        "Kwame Asante": "Chief Technology Officer",  # JSON-LD employee
        "Jan Novak": "Warehouse Systems Engineer",  # givenName + familyName
        "Julia Novak": "Customer Support Lead",
        "Elizabeth Moreau": "Head of Operations",  # microdata
        "Marta Kowalczyk": "VP of Engineering",  # "You will report to ..., our VP of Engineering"
        "Elif Demir": "Head of Data",  # "Hiring manager: Elif Demir, Head of Data"
        "Robert Lindqvist": "Vice President of Sales",  # press release
    }, titles
    # A handle is not a person; the blog's JSON-LD author is an author, not an employee.
    assert "Tobias Ekström" not in found
    hanna = found["Hanna Lindgren"]
    assert hanna["relation"] == "founder" and hanna["seniority"] == "c_level"
    assert hanna["linkedInProfileUrl"] == "https://www.linkedin.com/in/hanna-lindgren/"
    assert hanna["sources"][0]["url"] == f"{SITE}/about/"
    assert hanna["sources"][0]["snippet"] == 'Hanna Lindgren", "jobTitle": "Co-founder & CEO'  # the markup itself
    robert = found["Robert Lindqvist"]
    assert robert["seniority"] == "vp" and robert["department"] == "sales"
    assert robert["sources"][0]["url"] == f"{SITE}/news/new-vp-sales/"
    assert (
        "today announced that Robert Lindqvist has joined as Vice President of Sales" in robert["sources"][0]["snippet"]
    )
    marta = found["Marta Kowalczyk"]
    assert marta["sources"][0]["url"] == f"{SITE}/careers/backend-engineer/"
    assert marta["sources"][0]["snippet"].endswith("You will report to Marta Kowalczyk, our VP of Engineering.")
    assert found["Elizabeth Moreau"]["sources"][0]["snippet"].startswith("Our depots are run by Elizabeth Moreau")


async def test_authors_from_json_ld_only_when_asked_for(client, org):
    authors = _by_name(await _search(client, org, relations=["author"]))
    assert set(authors) == {"Tobias Ekström"} and authors["Tobias Ekström"]["role"] == "Staff Engineer"


async def test_press_release_date_is_recorded_as_since(db, org):
    from sqlalchemy import select

    from dossier.contacts.models import Person, PersonRole, PersonSource

    def read(conn):
        role = conn.execute(
            select(PersonRole.since, PersonRole.id)
            .join(Person, Person.id == PersonRole.person_id)
            .where(Person.organization_id == org.id, Person.full_name == "Robert Lindqvist")
        ).one()
        quotes = conn.execute(
            select(PersonSource.quote).where(PersonSource.role_id == role.id, PersonSource.field == "since")
        ).scalars()
        return role.since, list(quotes)

    since, quotes = await db.read(read)
    assert since == "2025-03-04"
    assert quotes == ['<meta property="article:published_time" content="2025-03-04T08:00:00+01:00">']


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"firstName": "Bob", "lastName": "Lindqvist"}, {"Robert Lindqvist"}),
        ({"firstName": "liz"}, {"Elizabeth Moreau"}),
        ({"firstName": "Elizabeth"}, {"Elizabeth Moreau"}),
        ({"firstName": "Robert"}, {"Robert Lindqvist"}),
        ({"firstName": "M.", "lastName": "Kowalczyk"}, {"Marta Kowalczyk"}),
        ({"firstName": "E", "lastName": "Demir"}, {"Elif Demir"}),
        # Two Novaks start with J at Heronway: an initial cannot tell them apart.
        ({"firstName": "J.", "lastName": "Novak"}, set()),
        ({"firstName": "Julia", "lastName": "Novak"}, {"Julia Novak"}),
        ({"firstName": "K.", "lastName": "Lindqvist"}, set()),
        ({"firstName": "Bobby", "lastName": "Asante"}, set()),
    ],
)
async def test_nicknames_and_initials(client, org, body, expected):
    result = await _search(client, org, **body)
    assert {i["fullName"] for i in result["items"]} == expected
    assert result["total"] == len(expected)
