"""Team-page layouts the people extractor reads, over a real HTTP crawl of a fixture site
(kittiwake-studio.test) and contact search over real HTTP on both databases: lists of cards whose names the
general name recogniser doubts, members known by one name between full-name cards, a heading over a member's
name, a title naming one of the company's own programmes, a handle before "Name, Title" in a handbook; and
what must stay out: footer links after the last card and call-to-action tiles shaped like names and titles."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from dossier.kit.db import Database
from tests.conftest import Backend
from tests.contacts.conftest import Org, crawl_and_index
from tests.factories import auth, new_org
from tests.fixtures.servers import FixtureDNS, SiteProxy

SITE = "https://kittiwake-studio.test"


@pytest.fixture(scope="module")
async def org(backend: Backend, db: Database, sites: tuple[SiteProxy, FixtureDNS]) -> AsyncIterator[Org]:
    created = await new_org(db, backend.settings)
    await crawl_and_index(backend, db, sites, created.organization_id, "kittiwake-studio.test")
    yield Org(created.key, created.organization_id)


async def _people(client, org: Org) -> dict[str, dict]:
    resp = await client.post("/v1/contacts/search", json={"limit": 100}, headers=auth(org.key))
    assert resp.status_code == 200, resp.text
    return {item["fullName"]: item for item in resp.json()["items"]}


async def test_everyone_on_the_team_page_and_in_the_handbook_and_nothing_else(client, org):
    found = await _people(client, org)
    assert {name: item["role"] for name, item in found.items()} == {
        "Mira Castellanos": "Co-founder & Executive Director",
        # "Chief of Staff, Beacon": Beacon is the site's own programme ("Our Beacon programs", "The Beacon team").
        "Noor Haddad": "Chief of Staff, Beacon",
        # Cards among cards with names of shapes the general recogniser doubts.
        "Liam DeVaughn": "Operations Engineer",
        "Siobhan O'Dwyer": "Head of Customer Success",
        "TJ Harlow": "Technical Curriculum Developer",
        "Ruby Valdés": "Community Technical Support",  # a first name that is also a programming language's
        "Gideon Achterberg": "Account Manager",
        # After two members known by one name ("Priya", "Oskar"), the list goes on.
        "Ines Okonkwo-Barrett": "Engineering",
        "Tobiah Wren": "Hardware and Robotics",
        "Kai Lindgren-Moss": "Newsletter Team Lead",  # listed twice: the role title, not the team's label
        # "Field Events" over "Amara": a heading over a member's name, not a person titled "Amara".
        "Bruno Teixeira": "Event Organizer",
        # "DVH - Daniel Vasquez-Holt, Head of Finance": the handle is not part of the name.
        "Daniel Vasquez-Holt": "Head of Finance",
    }


async def test_sources_quote_the_card(client, org):
    found = await _people(client, org)
    liam = found["Liam DeVaughn"]
    assert liam["sources"][0]["url"] == f"{SITE}/team/"
    assert liam["sources"][0]["snippet"] == "Liam DeVaughn Operations Engineer"
    daniel = found["Daniel Vasquez-Holt"]
    assert daniel["sources"][0]["url"] == f"{SITE}/handbook/leadership/"
    assert daniel["sources"][0]["snippet"] == "DVH - Daniel Vasquez-Holt, Head of Finance"
