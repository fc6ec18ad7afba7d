"""Path segments that are no id of the route's kind name no route: 404 "Route not found", for every method."""

from __future__ import annotations

from tests.factories import auth, new_org
from tests.signals.test_read_endpoints import assert_error

NOT_IDS = ["summaries", "subscriptions", "not-a-uuid", "123", "E45C1DC4-D422-4B51-956B-CB6D3DDAF250"]


async def test_segments_that_are_no_id_are_route_not_found(client, db, backend):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    for segment in NOT_IDS:
        for method, path in (
            ("GET", f"/v1/companies/signals/{segment}"),
            ("GET", f"/v1/contacts/signals/{segment}"),
            ("GET", f"/v1/companies/signals/templates/{segment}"),
            ("PATCH", f"/v1/companies/signals/templates/{segment}"),
            ("DELETE", f"/v1/companies/signals/templates/{segment}"),
            ("GET", f"/v1/contacts/research/{segment}"),
        ):
            resp = await client.request(method, path, headers=h, json={} if method == "PATCH" else None)
            err = assert_error(resp, 404, "NOT_FOUND", "NOT_FOUND")
            assert err["message"] == "Route not found", (method, path)
    # Well-formed ids that name nothing are the resource's own 404.
    missing = "00000000-0000-4000-8000-000000000000"
    err = assert_error(await client.get(f"/v1/companies/signals/{missing}", headers=h), 404, "NOT_FOUND", "NOT_FOUND")
    assert err["message"] == "Signal not found or access denied"
    err = assert_error(await client.get(f"/v1/companies/signals/templates/{missing}", headers=h), 404, "NOT_FOUND",
                       "NOT_FOUND")
    assert err["message"] == "Signal template not found or access denied"
