"""The hot read path answers exactly as the FastAPI endpoints do, and only for well-formed requests.

Two real servers on the same database, one with the hot path and one without, get the same requests in
the same order (so even their rate-limit counters agree); every response must match.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.app import create_app
from dossier.kit.ids import new_uuid
from dossier.signals.hot_reads import HotReadCounter
from tests.factories import BASE_TIME, auth, new_org, seed_signals, signal_row
from tests.support import serve_in_thread


class Pair:
    def __init__(self, hot: str, plain: str, counter: HotReadCounter) -> None:
        self.hot, self.plain, self.counter = hot, plain, counter

    def compare(self, target: str, headers: dict[str, str]) -> tuple[httpx.Response, bool]:
        """GET `target` from both servers; assert identical answers; return one and whether the hot path took it."""
        before = self.counter.answered
        hot = httpx.get(self.hot + target, headers=headers, timeout=30)
        answered = self.counter.answered - before
        plain = httpx.get(self.plain + target, headers=headers, timeout=30)
        assert hot.status_code == plain.status_code, (target, hot.text, plain.text)
        assert hot.headers.get("content-type") == plain.headers.get("content-type"), target
        for name in ("www-authenticate", "retry-after", "x-ratelimit-limit"):
            assert hot.headers.get(name) == plain.headers.get(name), (target, name)
        # Same count of requests on both, but the sliding window weighs the previous minute by the time
        # of the request, so the two can be one apart.
        left = [r.headers.get("x-ratelimit-remaining") for r in (hot, plain)]
        assert (left[0] is None) == (left[1] is None), target
        if left[0] is not None and left[1] is not None:
            assert abs(int(left[0]) - int(left[1])) <= 1, (target, left)
        if hot.content or plain.content:
            assert _without_request_id(hot.json()) == _without_request_id(plain.json()), target
        else:  # a redirect (trailing slash)
            assert hot.headers.get("location", "").replace(self.hot, "") == plain.headers.get("location", "").replace(
                self.plain, ""
            ), target
        assert hot.headers["x-request-id"], target
        return hot, answered == 1


def _without_request_id(body: Any) -> Any:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = dict(body["error"])
        error.pop("requestId", None)
        return {**body, "error": error}
    return body


@pytest.fixture(scope="module")
def pair(backend: Any) -> Iterator[Pair]:
    # High limits: this module sends hundreds of requests with one key.
    limits = {"rate_limit_read_per_minute": 100_000, "rate_limit_read_burst": 10_000}
    hot_app = create_app(backend.settings.model_copy(update=limits), workers=False)
    plain_app = create_app(backend.settings.model_copy(update={**limits, "hot_reads": False}), workers=False)
    with serve_in_thread(hot_app) as hot, serve_in_thread(plain_app) as plain:
        yield Pair(hot, plain, hot_app.state.hot_reads)


@pytest.fixture(scope="module")
async def seeded(db: Any, backend: Any) -> dict[str, Any]:
    org = await new_org(db, backend.settings)
    other = await new_org(db, backend.settings)
    rows = []
    for i in range(30):
        rows.append(
            signal_row(
                org.organization_id,
                domain=["acme.com", "globex.com", "initech.io"][i % 3],
                status=["completed", "failed", "processing"][i % 3] if i % 4 else "completed",
                company_id="crm-7" if i % 5 == 0 else None,
                subscription_id="sub-1" if i % 6 == 0 else None,
                created_at=BASE_TIME + timedelta(hours=i, microseconds=123450 * (i % 2)),
            )
        )
    contacts = [
        signal_row(
            org.organization_id,
            kind="contact",
            contact_profile_url=f"https://www.linkedin.com/in/person-{i % 2}/",
            domain=None,
        )
        for i in range(6)
    ]
    foreign = signal_row(other.organization_id)
    await seed_signals(db, [*rows, *contacts, foreign])
    return {"key": org.key, "company": rows, "contact": contacts, "foreign": foreign}


WELL_FORMED = [
    "/v1/companies/signals",
    "/v1/companies/signals?limit=5",
    "/v1/companies/signals?limit=5&offset=3",
    "/v1/companies/signals?limit=007&offset=0",
    "/v1/companies/signals?offset=1000",
    "/v1/companies/signals?domain=acme.com",
    "/v1/companies/signals?domain=ACME.com&limit=2",
    "/v1/companies/signals?status=completed",
    "/v1/companies/signals?status=completed&status=failed",
    "/v1/companies/signals?status=completed,processing",
    "/v1/companies/signals?status=",
    "/v1/companies/signals?status=bogus",
    "/v1/companies/signals?fromDate=2024-06-01T15:00:30Z&toDate=2024-06-02T03:00:30.12345Z",
    "/v1/companies/signals?fromDate=2024-06-02T05:00:30.123450Z",
    "/v1/companies/signals?fromDate=yesterday",
    "/v1/companies/signals?fromDate=2024-02-01T00:00:00Z&toDate=2024-01-01T00:00:00Z",
    "/v1/companies/signals?companyId=crm-7",
    "/v1/companies/signals?companyId=",
    "/v1/companies/signals?subscriptionId=sub-1&status=completed",
    "/v1/companies/signals?unknown=1&limit=3",
    "/v1/contacts/signals",
    "/v1/contacts/signals?contactProfileUrl=https://linkedin.com/in/person-1",
    "/v1/contacts/signals?contactProfileUrl=&limit=1",
    "/v1/companies/signals?offset=99999999999",
    "/v1/companies/signals?offset=4611686018427387904&limit=1",
    "/v1/companies/signals?fromDate=2024-06-01T00:00:00Z&status=completed&offset=4611686018427387904",
    "/v1/companies/signals?domain=acme.com&offset=4611686018427387904",
    "/v1/contacts/signals?domain=bad_domain",
]
LEFT_TO_THE_APP = [
    "/v1/companies/signals?limit=0",
    "/v1/companies/signals?limit=26",
    "/v1/companies/signals?limit=-1",
    "/v1/companies/signals?limit=%2B5",
    "/v1/companies/signals?limit=5.0",
    "/v1/companies/signals?limit=abc",
    "/v1/companies/signals?limit=",
    "/v1/companies/signals?limit=5&limit=6",
    "/v1/companies/signals?offset=-1",
    "/v1/companies/signals?offset=4611686018427387905",  # past kit.pagination.MAX_OFFSET
    "/v1/companies/signals?domain=bad_domain",
    "/v1/companies/signals?domain=https://acme.com",
    "/v1/companies/signals?domain=",
    "/v1/companies/signals?domain=acme.com&domain=globex.com",
    "/v1/companies/signals/",
    "/v1/companies/signals/templates",
    "/v1/companies/signals/not-a-uuid",
    "/v1/companies/signals/2F830297-D852-48AB-B5E3-1CAA097F8242",
    "/v1/contacts/signals?contactProfileUrl=" + "x" * 2100,
    "/v1/contacts/signals?limit=30",
]


async def test_well_formed_reads_take_the_hot_path_and_match(pair: Pair, seeded: dict[str, Any]) -> None:
    headers = auth(seeded["key"])
    company, contact, foreign = seeded["company"][4], seeded["contact"][0], seeded["foreign"]
    gets = [
        f"/v1/companies/signals/{company['id']}",
        f"/v1/contacts/signals/{contact['id']}",
        f"/v1/companies/signals/{contact['id']}",  # the other kind's path
        f"/v1/contacts/signals/{company['id']}",
        f"/v1/companies/signals/{foreign['id']}",  # another organisation's
        f"/v1/companies/signals/{new_uuid()}",
    ]
    for target in [*WELL_FORMED, *gets]:
        _, hot = pair.compare(target, headers)
        assert hot, f"{target} should have been answered by the hot path"
    page, _ = pair.compare("/v1/companies/signals?limit=25", headers)
    body = page.json()
    assert body["total"] == 30 and body["count"] == 25
    # Microseconds survive, and whole seconds are written without them, on both backends.
    stamps = {r["id"]: r["createdAt"] for r in body["results"]}
    assert stamps[seeded["company"][29]["id"]] == "2024-06-02T17:00:00.123450Z"
    assert stamps[seeded["company"][28]["id"]] == "2024-06-02T16:00:00Z"


async def test_everything_else_is_left_to_the_app(pair: Pair, seeded: dict[str, Any]) -> None:
    headers = auth(seeded["key"])
    for target in LEFT_TO_THE_APP:
        resp, hot = pair.compare(target, headers)
        assert not hot, f"{target} should have gone to the app"
        assert resp.status_code < 500, (target, resp.status_code)


async def test_authentication_failures_match(pair: Pair, seeded: dict[str, Any]) -> None:
    revoked_like = "sk_live_" + "A" * 43
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer nope"}, auth(revoked_like)):
        for target in ("/v1/companies/signals", f"/v1/companies/signals/{seeded['company'][0]['id']}"):
            resp, hot = pair.compare(target, headers)
            assert resp.status_code == 401 and hot
        # A malformed parameter with a bad key: the app answers, and authentication still comes first.
        resp, hot = pair.compare("/v1/companies/signals?limit=0", headers)
        assert resp.status_code == 401 and not hot


PARAMS = ["domain", "companyId", "limit", "offset", "fromDate", "toDate", "status", "subscriptionId",
          "contactProfileUrl", "other"]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-5, max_value=40).map(str),
    st.sampled_from(["acme.com", "Globex.com", "completed", "failed,processing", "2024-06-01T20:00:30Z", "0", "25",
                     "007", " 5", "5 ", "1_0", "https://linkedin.com/in/person-0", "crm-7", "sub-1"]),
)  # fmt: skip


async def test_random_queries_match(pair: Pair, seeded: dict[str, Any]) -> None:
    headers = auth(seeded["key"])

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        path=st.sampled_from(["/v1/companies/signals", "/v1/contacts/signals"]),
        query=st.lists(st.tuples(st.sampled_from(PARAMS), VALUES), max_size=5),
    )
    def check(path: str, query: list[tuple[str, str]]) -> None:
        qs = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in query)
        pair.compare(f"{path}?{qs}", headers)

    check()
