"""URL fields a standard parser refuses outright (an unbalanced IPv6 bracket) are a 400, not a 500; a profile URL's
host longer than any host name is a 400 too, not a signal whose research fails on storing it."""

from __future__ import annotations

import re

import pytest

from dossier.kit.validation import MAX_HOST_LENGTH, PROFILE_URL_PATTERN, is_http_url

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


async def test_profile_url_host_longer_than_a_host_name_is_400(client, db, backend):
    org = await new_org(db, backend.settings)
    h = auth(org.key)
    labels = ".".join(["a" * 63] * 4)  # 255 characters
    too_long = await client.post(
        "/v1/contacts/signals", headers=h, json={"contactProfileUrl": f"https://{labels}/in/jane", "question": "Q?"}
    )
    assert too_long.status_code == 400, too_long.text
    assert too_long.json()["error"]["fields"][0]["field"] == "contactProfileUrl"
    longest = await client.post(
        "/v1/contacts/signals", headers=h, json={"contactProfileUrl": f"https://{labels[:253]}/in/jane", "question": "Q?"}
    )
    assert longest.status_code == 201, longest.text


def test_document_profile_url_pattern_admits_only_hosts_the_server_takes():
    pattern = re.compile(PROFILE_URL_PATTERN)
    for url in ("https://linkedin.com/in/jane", f"https://{'a' * MAX_HOST_LENGTH}/in/jane", "http://x.io?p=1"):
        assert pattern.match(url) and is_http_url(url, max_host=MAX_HOST_LENGTH), url
    for url in (f"https://{'a' * (MAX_HOST_LENGTH + 1)}/in/jane", "http://a]", "https://u@x.io/", "https://x.io:8/"):
        assert not pattern.match(url), url
