"""Property: no query string a client can send to a read endpoint produces a 500."""

from __future__ import annotations

from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import auth, new_org

PARAMS = ["domain", "companyId", "limit", "offset", "fromDate", "toDate", "status", "subscriptionId",
          "contactProfileUrl", "externalId", "externalSource"]
PATHS = [
    "/v1/companies/signals",
    "/v1/contacts/signals",
    "/v1/contacts/research",
    "/v1/companies/signals/{x}",
    "/v1/contacts/signals/{x}",
    "/v1/contacts/research/{x}",
]
values = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["completed", "processing", "failed", "2024-01-01T00:00:00Z", "acme.com", "NaN", "1e309",
                     "9" * 400, "%00", "\x00", "cr_abc123def456", "..", "'; DROP TABLE signals;--",
                     # Edges of the accepted forms: offsets at and past 2^62, JSON status arrays, leap seconds,
                     # long fractions, a trailing newline, a long multibyte profile URL.
                     str(2**62), str(2**62 + 1), str(2**63), '["completed","failed"]', '["x"]', "[1, {}]", "[",
                     "2016-12-31T23:59:60.123456789123Z", "9999-12-31T23:59:60Z", "0001-01-01T00:00:00.0000001Z",
                     "acme.com\n", "https://people.test/in/" + "\u4e2d" * 700]),
    # Dates near the ends of time, with any offset and fraction.
    st.builds(
        lambda year, frac, off: f"{year:04d}-12-31T23:59:59{frac}{off}",
        st.sampled_from([1, 2, 1969, 1970, 9998, 9999]),
        st.sampled_from(["", ".9", ".999999", ".9999999", ".0000001"]),
        st.sampled_from(["Z", "+23:59", "-23:59", "+00:00", "-00:00"]),
    ),
)
queries = st.lists(st.tuples(st.sampled_from(PARAMS + ["zzz"]), values), max_size=6)


async def test_random_queries_never_500(api_url, db, backend):
    org = await new_org(db, backend.settings)
    headers = auth(org.key)

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(path=st.sampled_from(PATHS), segment=values, query=queries)
    def check(path: str, segment: str, query: list[tuple[str, str]]) -> None:
        target = path.replace("{x}", quote(segment, safe="") or "x")
        qs = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in query)
        resp = httpx.get(f"{api_url}{target}?{qs}", headers=headers, timeout=30)
        assert resp.status_code < 500, (target, qs, resp.text)
        if resp.status_code >= 400:
            assert resp.json()["error"]["requestId"] == resp.headers["x-request-id"]

    check()
