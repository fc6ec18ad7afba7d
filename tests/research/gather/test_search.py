"""Search providers against a local server speaking SearXNG's, Brave's, Tavily's and Exa's APIs: results
parsed, keys sent, 429 backed off, a provider that keeps refusing or times out gives no results, not an error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dossier.config import Settings
from dossier.research.gather.search import WebSearch, providers_from
from tests.research.llm.servers import SearchServer, search_server

FOUND = [("https://news.test/a", "Acme raises", "Acme raised $12M"), ("https://news.test/b", "B", "b")]


@pytest.fixture
def server() -> Iterator[SearchServer]:
    with search_server() as s:
        s.results = lambda q: FOUND
        yield s


def _settings(server: SearchServer, **kw: str) -> Settings:
    return Settings(
        search_brave_url=f"{server.url}/res/v1/web/search",
        search_tavily_url=f"{server.url}/tavily/search",
        search_exa_url=f"{server.url}/exa/search",
        search_timeout_seconds=1.0,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("setting", "provider", "key_header"),
    [
        ("search_searxng_url", "searxng", None),
        ("search_brave_api_key", "brave", ("x-subscription-token", "k1")),
        ("search_tavily_api_key", "tavily", ("authorization", "Bearer k1")),
        ("search_exa_api_key", "exa", ("x-api-key", "k1")),
    ],
)
async def test_each_provider_speaks_its_api(server, setting, provider, key_header):
    value = server.url if setting == "search_searxng_url" else "k1"
    search = WebSearch.from_settings(_settings(server, **{setting: value}))
    try:
        found = await search.search("acme funding")
    finally:
        await search.aclose()
    assert [(r.url, r.title, r.provider) for r in found] == [(u, t, provider) for u, t, _ in FOUND]
    assert found[0].snippet == "Acme raised $12M"
    assert server.queries == [(provider, "acme funding")]
    if key_header:
        assert server.headers[0][key_header[0]] == key_header[1]


def test_no_provider_without_settings():
    assert providers_from(Settings()) == [] and not WebSearch.from_settings(Settings())


async def test_429_is_retried_after_retry_after(server):
    server.limited = 2
    search = WebSearch.from_settings(_settings(server, search_searxng_url=server.url))
    try:
        found = await search.search("acme")
    finally:
        await search.aclose()
    assert len(found) == 2 and len(server.queries) == 3
    assert any("429" in n for n in search.notes)


async def test_a_provider_still_rate_limited_gives_no_results_not_an_error(server):
    server.limited = 100
    search = WebSearch.from_settings(_settings(server, search_searxng_url=server.url))
    try:
        assert await search.search("acme") == []
    finally:
        await search.aclose()
    assert len(server.queries) == 3 and "still rate limited" in search.notes[-1]


async def test_a_slow_provider_times_out_with_no_results(server):
    server.delay = 2.0
    search = WebSearch.from_settings(_settings(server, search_searxng_url=server.url))
    try:
        assert await search.search("acme") == []
        assert "no answer within 1s" in search.notes[-1]
    finally:
        await search.aclose()
