"""Web search providers, one interface: a query in, result URLs out. Results are only leads: the engine fetches
and stores each page before anything on it may be cited.

Each provider is on when its setting is: SearXNG (`GET /search?format=json`, self-hosted), Brave Search
(`GET /res/v1/web/search`, `X-Subscription-Token`), Tavily (`POST /search`, bearer key), Exa (`POST /search`,
`x-api-key`). Every call has a timeout; a 429 is retried after its Retry-After (or a short backoff) a few
times, and a provider that still refuses, times out or fails gives no results for that query rather than an
error: a search is one way to find pages, never a reason for a question to fail.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from dossier.config import Settings

log = logging.getLogger("dossier.research.search")
MAX_RETRY_AFTER = 10.0  # seconds: a provider asking for a longer pause is skipped for this query


@dataclass
class SearchResult:
    url: str
    title: str = ""
    snippet: str = ""
    provider: str = ""


class SearchProvider(Protocol):
    name: str

    def request(self, query: str, limit: int) -> httpx.Request: ...

    def results(self, data: Any) -> list[SearchResult]: ...


def _items(data: Any, *path: str) -> list[dict[str, Any]]:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []


def _result(item: dict[str, Any], snippet_key: str, provider: str) -> SearchResult | None:
    url = item.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return None
    return SearchResult(url, str(item.get("title") or ""), str(item.get(snippet_key) or ""), provider)


@dataclass
class SearXNG:
    base_url: str
    name: str = "searxng"

    def request(self, query: str, limit: int) -> httpx.Request:
        return httpx.Request("GET", self.base_url.rstrip("/") + "/search", params={"q": query, "format": "json"})

    def results(self, data: Any) -> list[SearchResult]:
        return [r for i in _items(data, "results") if (r := _result(i, "content", self.name))]


@dataclass
class Brave:
    api_key: str
    url: str
    name: str = "brave"

    def request(self, query: str, limit: int) -> httpx.Request:
        headers = {"X-Subscription-Token": self.api_key, "Accept": "application/json"}
        return httpx.Request("GET", self.url, params={"q": query, "count": limit}, headers=headers)

    def results(self, data: Any) -> list[SearchResult]:
        return [r for i in _items(data, "web", "results") if (r := _result(i, "description", self.name))]


@dataclass
class Tavily:
    api_key: str
    url: str
    name: str = "tavily"

    def request(self, query: str, limit: int) -> httpx.Request:
        headers = {"Authorization": f"Bearer {self.api_key}"}
        return httpx.Request("POST", self.url, json={"query": query, "max_results": limit}, headers=headers)

    def results(self, data: Any) -> list[SearchResult]:
        return [r for i in _items(data, "results") if (r := _result(i, "content", self.name))]


@dataclass
class Exa:
    api_key: str
    url: str
    name: str = "exa"

    def request(self, query: str, limit: int) -> httpx.Request:
        return httpx.Request(
            "POST", self.url, json={"query": query, "numResults": limit}, headers={"x-api-key": self.api_key}
        )

    def results(self, data: Any) -> list[SearchResult]:
        return [r for i in _items(data, "results") if (r := _result(i, "text", self.name))]


def providers_from(settings: Settings) -> list[SearchProvider]:
    out: list[SearchProvider] = []
    if settings.search_searxng_url:
        out.append(SearXNG(settings.search_searxng_url))
    if settings.search_brave_api_key:
        out.append(Brave(settings.search_brave_api_key, settings.search_brave_url))
    if settings.search_tavily_api_key:
        out.append(Tavily(settings.search_tavily_api_key, settings.search_tavily_url))
    if settings.search_exa_api_key:
        out.append(Exa(settings.search_exa_api_key, settings.search_exa_url))
    return out


@dataclass
class WebSearch:
    """Every configured provider, asked in turn until one gives results."""

    providers: list[SearchProvider]
    timeout: float = 10.0
    retries: int = 2
    limit: int = 5
    notes: deque[str] = field(default_factory=lambda: deque(maxlen=50))  # the latest, for operators
    _client: httpx.AsyncClient | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> WebSearch:
        return cls(
            providers_from(settings),
            settings.search_timeout_seconds,
            settings.search_max_retries,
            settings.search_results,
        )

    def __bool__(self) -> bool:
        return bool(self.providers)

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            # Provider endpoints are the operator's choice (not page links), so they skip the crawler's guard.
            self._client = httpx.AsyncClient(timeout=self.timeout, headers={"User-Agent": "Dossier"})
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    def _note(self, text: str) -> None:
        log.info("search: %s", text)
        self.notes.append(text)

    async def search(self, query: str) -> list[SearchResult]:
        for p in self.providers:
            found = await self._ask(p, query)
            if found:
                return found[: self.limit]
        return []

    async def _ask(self, provider: SearchProvider, query: str) -> list[SearchResult]:
        for attempt in range(self.retries + 1):
            try:
                res = await self.client.send(provider.request(query, self.limit))
            except httpx.TimeoutException:
                self._note(f"{provider.name}: no answer within {self.timeout:g}s")
                return []
            except httpx.HTTPError as exc:
                self._note(f"{provider.name}: {type(exc).__name__}")
                return []
            if res.status_code == 429:
                wait = _retry_after(res.headers.get("retry-after"), attempt)
                if attempt >= self.retries or wait > MAX_RETRY_AFTER:
                    break
                self._note(f"{provider.name}: 429, retrying in {wait:g}s")
                await asyncio.sleep(wait)
                continue
            if res.status_code != 200:
                self._note(f"{provider.name}: HTTP {res.status_code}")
                return []
            try:
                return provider.results(res.json())
            except ValueError:
                self._note(f"{provider.name}: the reply is not JSON")
                return []
        self._note(f"{provider.name}: still rate limited (429), skipped for this query")
        return []


def _retry_after(value: str | None, attempt: int) -> float:
    try:
        return max(0.0, float(value)) if value is not None else 0.5 * 2**attempt
    except ValueError:
        return 0.5 * 2**attempt
