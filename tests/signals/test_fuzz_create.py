"""Property: no JSON body a client can send to the create endpoints produces a 500."""

from __future__ import annotations

import json

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import auth, new_org

FIELDS = [
    "domain",
    "question",
    "answerType",
    "outputSchema",
    "webhookUrl",
    "weight",
    "qualificationCriteria",
    "signalTemplateId",
    "forceRefresh",
    "connectors",
    "verificationMode",
    "contactProfileUrl",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            "acme.com",
            "json_schema",
            "boolean",
            "strict",
            "https://x.test/h",
            "\x00",
            "ftp://a",
            "00000000-0000-4000-8000-000000000000",
            "x" * 2100,
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6,
)
bodies = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), values, max_size=6),
    values,
)
PATHS = [
    "/v1/companies/signals",
    "/v1/contacts/signals",
    "/v1/companies/signals/batch",
    "/v1/companies/signals/templates",
]


async def test_random_bodies_never_500(api_url, db, backend):
    org = await new_org(db, backend.settings)
    headers = {**auth(org.key), "content-type": "application/json"}

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(path=st.sampled_from(PATHS), body=bodies)
    def check(path: str, body: object) -> None:
        resp = httpx.post(f"{api_url}{path}", content=json.dumps(body), headers=headers, timeout=30)
        assert resp.status_code < 500, (path, body, resp.text)

    check()
