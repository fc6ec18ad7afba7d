"""Contact research reads: by id and by CRM external id."""

from __future__ import annotations

from datetime import datetime

from tests.factories import auth, new_org, research_row, seed_research
from tests.signals.test_read_endpoints import assert_error

RESEARCH_KEYS = {
    "id",
    "status",
    "firstName",
    "lastName",
    "fullName",
    "companyName",
    "companyDomain",
    "contactProfileUrl",
    "linkedInSalesNavigatorUrl",
    "jobTitle",
    "externalId",
    "externalSource",
    "research",
    "sources",
    "error",
    "createdAt",
    "completedAt",
}


async def test_get_by_id_shape(client, db, backend):
    org = await new_org(db, backend.settings)
    row = await seed_research(
        db,
        research_row(
            org.organization_id,
            external_id="hubspot_12345",
            external_source="hubspot",
            created_at=datetime(2024, 2, 2, 2, 2, 2),
        ),
    )
    resp = await client.get(f"/v1/contacts/research/{row['id']}", headers=auth(org.key))
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) == RESEARCH_KEYS
    assert body["id"] == row["id"] and body["id"].startswith("cr_")
    assert body["fullName"] == "John Doe" and body["firstName"] == "John" and body["lastName"] == "Doe"
    assert body["companyName"] == "Acme Corp" and body["companyDomain"] == "acme.com"
    assert body["contactProfileUrl"] == "https://linkedin.com/in/johndoe"
    assert body["linkedInSalesNavigatorUrl"] is None
    assert body["jobTitle"] == "VP of Sales"
    assert body["externalId"] == "hubspot_12345" and body["externalSource"] == "hubspot"
    assert body["research"]["currentRole"]["title"] == "VP of Sales"
    assert body["sources"][0]["url"] == "https://acme.com/team"
    assert body["error"] is None
    assert body["createdAt"] == "2024-02-02T02:02:02Z" and body["completedAt"] == "2024-02-02T02:02:47Z"


async def test_get_by_external_id_returns_most_recent(client, db, backend):
    org = await new_org(db, backend.settings)
    o = org.organization_id
    await seed_research(
        db, research_row(o, external_id="42", external_source="hubspot", created_at=datetime(2024, 1, 1))
    )
    newest = await seed_research(
        db, research_row(o, external_id="42", external_source="hubspot", created_at=datetime(2024, 3, 1))
    )
    await seed_research(
        db, research_row(o, external_id="42", external_source="salesforce", created_at=datetime(2024, 4, 1))
    )
    resp = await client.get(
        "/v1/contacts/research", params={"externalId": "42", "externalSource": "hubspot"}, headers=auth(org.key)
    )
    assert resp.status_code == 200 and resp.json()["id"] == newest["id"]


async def test_external_id_errors(client, db, backend):
    org = await new_org(db, backend.settings)
    other = await new_org(db, backend.settings)
    await seed_research(db, research_row(other.organization_id, external_id="7", external_source="hubspot"))
    h = auth(org.key)
    for query in ("", "externalId=7", "externalSource=hubspot", "externalId=&externalSource=hubspot"):
        err = assert_error(
            await client.get(f"/v1/contacts/research?{query}", headers=h), 400, "VALIDATION", "VALIDATION_ERROR"
        )
        assert err["message"].startswith("Missing required query parameters")
    err = assert_error(
        await client.get("/v1/contacts/research?externalId=7&externalSource=hubspot", headers=h),
        404,
        "NOT_FOUND",
        "NOT_FOUND",
    )
    assert err["message"] == "Contact research not found or access denied"


async def test_get_by_id_not_found(client, db, backend):
    org = await new_org(db, backend.settings)
    other = await new_org(db, backend.settings)
    foreign = await seed_research(db, research_row(other.organization_id))
    for rid in ("cr_doesnotexist0000", foreign["id"]):
        err = assert_error(
            await client.get(f"/v1/contacts/research/{rid}", headers=auth(org.key)), 404, "NOT_FOUND", "NOT_FOUND"
        )
        assert err["message"] == "Contact research not found or access denied"
    # Segments that cannot be a contact research id (cr_ + 12 or more lowercase alphanumerics) name no route.
    for rid in ("cr_short", "abc", foreign["id"].upper()):
        err = assert_error(
            await client.get(f"/v1/contacts/research/{rid}", headers=auth(org.key)), 404, "NOT_FOUND", "NOT_FOUND"
        )
        assert err["message"] == "Route not found"
