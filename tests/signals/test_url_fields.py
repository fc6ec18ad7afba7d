"""URL fields a standard parser refuses outright (an unbalanced IPv6 bracket) are a 400, not a 500."""

from __future__ import annotations

import pytest

from tests.factories import auth, new_org

BAD = ["http://a]", "https://[::1", "http://[/in/jane"]


@pytest.mark.parametrize("url", BAD)
async def test_malformed_profile_and_webhook_urls_are_400(client, db, backend, url):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    contact = await client.post("/v1/contacts/signals", headers=h, json={"contactProfileUrl": url, "question": "Q?"})
    assert contact.status_code == 400, contact.text
    assert contact.json()["error"]["fields"][0]["field"] == "contactProfileUrl"
    hook = await client.post(
        "/v1/companies/signals", headers=h, json={"domain": "acme.com", "question": "Q?", "webhookUrl": url}
    )
    assert hook.status_code == 400, hook.text
    assert hook.json()["error"]["fields"][0]["field"] == "webhookUrl"
    batch = await client.post(
        "/v1/companies/signals/batch", headers=h,
        json={"signals": [{"question": "Q?", "webhookUrl": url}], "domains": ["acme.com"]},
    )
    assert batch.status_code == 400, batch.text
