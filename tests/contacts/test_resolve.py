"""Contact signals find their person (contacts/resolve.py through the runtime's resolver): by a profile URL the
index knows, by the name in a LinkedIn slug, by the request's fullName and companyDomain; and an unknown
LinkedIn profile is answered "person not identified". Real HTTP, fixture sites, both databases."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from tests.contacts.test_research import MARLOWE, _research
from tests.factories import auth, new_org
from tests.signals.test_read_endpoints import assert_error


@pytest.fixture
def api(research_api: httpx.AsyncClient) -> httpx.AsyncClient:
    return research_api


KAFKA = {"question": "Does the contact write about Kafka?", "answerType": "boolean"}


async def _signal(api, key: str, body: dict[str, Any]) -> dict[str, Any]:
    resp = await api.post("/v1/contacts/signals", json=body, headers=auth(key))
    assert resp.status_code == 201, resp.text
    deadline = time.monotonic() + 90
    while True:
        got = (await api.get(f"/v1/contacts/signals/{resp.json()['id']}", headers=auth(key))).json()
        if got["status"] != "processing" or time.monotonic() > deadline:
            assert got["status"] == "completed", got
            return got
        await asyncio.sleep(0.2)


async def test_resolved_by_the_index_and_by_the_linkedin_slug(api, db, backend):
    org = await new_org(db, backend.settings)
    # Research records the URL it was given (a slug that names nobody) and indexes the company's people.
    url = "https://www.linkedin.com/in/ep-data-4821/"
    await _research(api, org.key, {**MARLOWE, "firstName": "Elena", "lastName": "Petrova", "contactProfileUrl": url})
    got = await _signal(api, org.key, {"contactProfileUrl": url, "question": "Is the contact a VP?",
                                       "answerType": "boolean"})  # fmt: skip
    # Elena is Head of Data Science: a VP only on another person's card, which is not read as hers.
    assert got["answer"] is None and "not identified" not in got["reasoning"], got
    # The LinkedIn link on Daniel's team card, spelt differently.
    got = await _signal(api, org.key, {**KAFKA, "contactProfileUrl": "http://linkedin.com/in/daniel-okafor-marlowe"})
    assert got["answer"] == {"type": "boolean", "boolean": {"value": True}}, got
    assert any(s["url"].endswith("/blog/scaling-forecasts-with-kafka/") for s in got["sources"])
    # A slug naming a person the index knows ("Dan" is Daniel), with LinkedIn's id suffix.
    got = await _signal(api, org.key, {**KAFKA, "contactProfileUrl": "https://www.linkedin.com/in/dan-okafor-4b2c19/"})
    assert got["answer"] == {"type": "boolean", "boolean": {"value": True}}, got


async def test_resolved_by_full_name_and_company_domain_without_merging_namesakes(api, db, backend):
    org = await new_org(db, backend.settings)
    linkedin = "https://www.linkedin.com/in/d-o-77/"
    body = {
        **KAFKA,
        "contactProfileUrl": linkedin,
        "fullName": "Daniel Okafor",
        "companyDomain": "marlowe-systems.test",
    }
    got = await _signal(api, org.key, body)
    assert got["answer"] == {"type": "boolean", "boolean": {"value": True}}, got
    # The namesake at Harrow Freight does not write about Kafka: strict mode finds nothing to say so.
    got = await _signal(api, org.key, {**body, "companyDomain": "harrow-freight.test"})
    assert got["answer"] is None and "not identified" not in got["reasoning"], got
    assert all("marlowe" not in s["url"] for s in got["sources"])
    got = await _signal(api, org.key, {**body, "companyDomain": "harrow-freight.test", "verificationMode": "lenient"})
    assert got["answer"] == {"type": "boolean", "boolean": {"value": False}} and got["confidence"] <= 0.4, got


async def test_unresolved_linkedin_profile_is_completed_without_an_answer(api, db, backend):
    org = await new_org(db, backend.settings)
    got = await _signal(api, org.key, {**KAFKA, "contactProfileUrl": "https://www.linkedin.com/in/nobody-known-1/"})
    assert got["status"] == "completed" and got["answer"] is None and got["error"] is None
    assert got["reasoning"].startswith("Person not identified")
    # Once research names the profile's person, the same question is asked again, not served from the cache.
    url = "https://www.linkedin.com/in/nobody-known-1/"
    await _research(api, org.key, {**MARLOWE, "contactProfileUrl": url})
    again = await _signal(api, org.key, {**KAFKA, "contactProfileUrl": url})
    assert again["id"] != got["id"] and not again["cached"]
    assert again["reasoning"].startswith("About Daniel Okafor of marlowe-systems.test (identified by a profile")
    assert again["answer"] == {"type": "boolean", "boolean": {"value": True}}, again


async def test_extension_fields_are_validated(api, db, backend):
    org = await new_org(db, backend.settings)
    base = {**KAFKA, "contactProfileUrl": "https://www.linkedin.com/in/x/"}
    for extra, field in (({"companyDomain": "https://x.test/"}, "companyDomain"), ({"fullName": " "}, "fullName"),
                         ({"fullName": "x" * 201}, "fullName")):  # fmt: skip
        err = assert_error(await api.post("/v1/contacts/signals", json={**base, **extra}, headers=auth(org.key)), 400,
                           "VALIDATION", "VALIDATION_ERROR")  # fmt: skip
        assert field in {f["field"] for f in err["fields"]}, err


async def test_a_sales_navigator_url_identifies_its_person_like_a_linkedin_profile(api, db, backend):
    org = await new_org(db, backend.settings)
    lead = "https://www.linkedin.com/sales/lead/ACwAAB3xYz9Qk,NAME_SEARCH,k7Qp"
    unknown = await _signal(api, org.key, {**KAFKA, "contactProfileUrl": lead})
    assert unknown["reasoning"].startswith("Person not identified"), unknown
    # Given as the profile URL of research on Daniel Okafor, and as the Sales Navigator URL of research on Elena.
    await _research(api, org.key, {**MARLOWE, "contactProfileUrl": lead})
    elena_lead = "https://www.linkedin.com/sales/people/ACwAAC9pLm2Rt,NAME_SEARCH,a1b2"
    await _research(api, org.key, {**MARLOWE, "firstName": "Elena", "lastName": "Petrova",
                                   "linkedInSalesNavigatorUrl": elena_lead})  # fmt: skip
    # The same lead found another way: another search type and token after the member id, /sales/people/.
    for url in (lead, "https://linkedin.com/sales/people/ACwAAB3xYz9Qk,OUT_OF_NETWORK,zz9"):
        got = await _signal(api, org.key, {**KAFKA, "contactProfileUrl": url})
        assert got["reasoning"].startswith("About Daniel Okafor of marlowe-systems.test (identified by a profile"), got
        assert got["answer"] == {"type": "boolean", "boolean": {"value": True}}, got
    got = await _signal(
        api, org.key, {**KAFKA, "contactProfileUrl": "https://www.linkedin.com/sales/lead/ACwAAC9pLm2Rt"}
    )
    assert got["reasoning"].startswith("About Elena Petrova of marlowe-systems.test"), got
    # Another member's lead is nobody Dossier knows.
    other = await _signal(
        api, org.key, {**KAFKA, "contactProfileUrl": "https://www.linkedin.com/sales/lead/ACwAAD0000"}
    )
    assert other["reasoning"].startswith("Person not identified"), other
    # A lead is an identifier, not a public profile: it never becomes anyone's LinkedIn profile URL.
    found = (await api.post("/v1/contacts/search", json={"lastName": "Petrova"}, headers=auth(org.key))).json()
    assert [p["linkedInProfileUrl"] for p in found["items"]] == [None]
