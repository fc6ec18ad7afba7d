"""Crawl one company's public web presence within budgets, politely, through the guarded client."""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from protego import Protego

from dossier.kit.dns import Resolver
from dossier.kit.http import FetchError, FetchResult, GuardedClient
from dossier.kit.ids import new_uuid
from dossier.kit.time import utcnow
from dossier.research.document import parse_html, visible_text
from dossier.research.gather import sitemap
from dossier.research.gather.frontier import Frontier

SKIP_EXT = re.compile(r"\.(png|jpe?g|gif|svg|webp|ico|css|js|pdf|zip|gz|mp4|mp3|woff2?|ttf|xml|json|txt)$", re.I)
BOARDS = [
    (
        re.compile(r"(?:boards|job-boards)\.greenhouse\.io/(?:embed/job_board(?:/js)?\?for=)?([A-Za-z0-9_-]+)"),
        "https://boards-api.greenhouse.io/v1/boards/{}/jobs",
    ),
    (
        re.compile(r"boards\.greenhouse\.io/embed/job_board(?:/js)?\?for=([A-Za-z0-9_-]+)"),
        "https://boards-api.greenhouse.io/v1/boards/{}/jobs",
    ),
    (re.compile(r"jobs\.lever\.co/([A-Za-z0-9_-]+)"), "https://api.lever.co/v0/postings/{}?mode=json"),
    (re.compile(r"jobs\.ashbyhq\.com/([A-Za-z0-9_.-]+)"), "https://api.ashbyhq.com/posting-api/job-board/{}"),
]


@dataclass
class Budget:
    pages: int = 200
    bytes: int = 20_000_000
    seconds: float = 120.0
    max_crawl_delay: float = 2.0
    max_retry_after: float = 10.0  # a longer Retry-After means the page is skipped this crawl
    concurrency: int = 4


@dataclass
class CrawlOutcome:
    base_url: str | None
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    bytes_fetched: int = 0

    @property
    def pages(self) -> int:
        return sum(1 for s in self.snapshots if s["kind"] == "page")


class Crawler:
    def __init__(self, client: GuardedClient, resolver: Resolver, budget: Budget | None = None) -> None:
        self.client = client
        self.resolver = resolver
        self.budget = budget or Budget()

    async def crawl(self, domain: str, crawl_id: str) -> CrawlOutcome:
        started = time.monotonic()
        out = CrawlOutcome(base_url=None)
        home = await self._home(domain, out)
        if home is not None:
            await self._site(domain, home, out, crawl_id, started)
        await self._dns(domain, out, crawl_id)
        if home is None:
            out.error = out.error or f"{domain} could not be reached"
        return out

    async def _home(self, domain: str, out: CrawlOutcome) -> FetchResult | None:
        errors = []
        for host in (domain, f"www.{domain}") if not domain.startswith("www.") else (domain,):
            for scheme in ("https", "http"):
                try:
                    result = await self.client.fetch(f"{scheme}://{host}/")
                except FetchError as exc:
                    errors.append(f"{scheme}://{host}/: {exc.reason}")
                    if exc.reason == "blocked":
                        out.notes.append(f"{scheme}://{host}/ blocked: {exc}")
                    continue
                if result.status < 500:
                    parts = urlsplit(result.final_url)
                    out.base_url = f"{parts.scheme}://{parts.netloc}"
                    return result
                errors.append(f"{scheme}://{host}/: HTTP {result.status}")
        out.error = "; ".join(errors) or "unreachable"
        return None

    async def _site(self, domain: str, home: FetchResult, out: CrawlOutcome, crawl_id: str, started: float) -> None:
        base = out.base_url
        assert base is not None
        host = urlsplit(base).hostname or domain
        robots = await self._robots(base, out, crawl_id)
        agent = self.client.policy.user_agent
        delay = min(float(robots.crawl_delay(agent) or 0.0), self.budget.max_crawl_delay)

        def allowed(url: str) -> bool:
            return bool(robots.can_fetch(url, agent))

        frontier = Frontier()
        same_site = {host, domain, f"www.{domain}"}

        def offer(url: str, hops: int) -> None:
            url = urldefrag(url)[0]
            parts = urlsplit(url)
            if (parts.hostname or "").lower() not in same_site or SKIP_EXT.search(parts.path):
                return
            # Fetch the path as linked: robots.txt rules like `Disallow: /internal/` depend on the slash.
            frontier.offer(f"{base}{parts.path or '/'}", hops)

        # Sitemaps: from robots.txt, else the conventional location.
        sitemaps = list(robots.sitemaps) or [f"{base}/sitemap.xml"]
        seen_maps = 0
        while sitemaps and seen_maps < 6:
            sm = sitemaps.pop(0)
            seen_maps += 1
            try:
                res = await self.client.fetch(sm, max_bytes=5_000_000)
            except FetchError:
                continue
            if res.status != 200:
                continue
            pages, children = sitemap.parse(sitemap.decode(res.content, sm))
            out.snapshots.append(self._snapshot(crawl_id, res, "sitemap", "\n".join(pages + children), None))
            sitemaps += children[:5]
            for p in pages[:5000]:
                offer(p, 1)

        self._store_page(crawl_id, home, out)
        fetched = {home.final_url.rstrip("/"), base}
        for link, _ in parse_html(home.final_url, home.text())["links"]:
            offer(link, 1)
        boards: set[str] = set()
        self._find_boards(home.text(), boards)
        lock = asyncio.Lock()
        width = 1 if delay else self.budget.concurrency

        def spent() -> bool:
            return (
                out.pages >= self.budget.pages
                or out.bytes_fetched >= self.budget.bytes
                or time.monotonic() - started > self.budget.seconds
            )

        async def fetch_page(url: str, hops: int) -> None:
            if delay:
                await asyncio.sleep(delay)
            try:
                res = await self._polite_fetch(url, out)
            except FetchError as exc:
                out.notes.append(f"{url}: {exc.reason}")
                return
            async with lock:
                out.bytes_fetched += len(res.content)
                final = res.final_url.rstrip("/")
                if final in fetched:
                    return
                fetched.add(final)
                if res.status != 200:
                    out.notes.append(f"{url}: HTTP {res.status}")
                    return
                if "html" not in res.content_type:
                    out.notes.append(f"{url}: skipped {res.content_type or 'unknown'} content")
                    return
                if not allowed(res.final_url):
                    out.notes.append(f"{res.final_url}: disallowed by robots.txt after redirect")
                    return
                if spent():
                    return
                self._store_page(crawl_id, res, out)
                html = res.text()
                self._find_boards(html, boards)
                for link, _ in parse_html(res.final_url, html)["links"]:
                    offer(link, hops + 1)

        while not spent():
            batch: list[tuple[str, int]] = []
            while len(batch) < width:
                nxt = frontier.pop()
                if nxt is None:
                    break
                url, hops = nxt
                if url.rstrip("/") in fetched:
                    continue
                if not allowed(url):
                    out.notes.append(f"{url}: disallowed by robots.txt")
                    continue
                batch.append((url, hops))
            if not batch:
                break
            await asyncio.gather(*(fetch_page(u, h) for u, h in batch))
        for api in sorted(boards)[:3]:
            try:
                res = await self.client.fetch(api, max_bytes=5_000_000)
            except FetchError as exc:
                out.notes.append(f"{api}: {exc.reason}")
                continue
            if res.status == 200:
                out.snapshots.append(self._snapshot(crawl_id, res, "jobboard", res.text(), None))

    async def _robots(self, base: str, out: CrawlOutcome, crawl_id: str | None = None) -> Protego:
        """A site's robots.txt rules (none when it has no robots.txt); stored as a snapshot when `crawl_id` is given."""
        try:
            r = await self.client.fetch(f"{base}/robots.txt", max_bytes=500_000)
        except FetchError as exc:
            out.notes.append(f"robots.txt: {exc.reason}")
            return Protego.parse("")
        if r.status != 200 or "html" in r.content_type:
            return Protego.parse("")
        if crawl_id is not None:
            out.snapshots.append(self._snapshot(crawl_id, r, "robots", r.text(), None))
        return Protego.parse(r.text())

    async def _polite_fetch(self, url: str, out: CrawlOutcome) -> FetchResult:
        """A page fetch that honours `Retry-After` on 429/503: one wait (if short) and one more try."""
        res = await self.client.fetch(url)
        if res.status in (429, 503):
            wait = _retry_after(res.headers.get("retry-after"))
            if wait is not None and wait <= self.budget.max_retry_after:
                out.notes.append(f"{url}: HTTP {res.status}, retrying after {wait:g}s as asked")
                await asyncio.sleep(wait)
                res = await self.client.fetch(url)
        return res

    async def fetch_more(self, base_url: str, urls: list[str], crawl_id: str) -> CrawlOutcome:
        """A few more pages of a crawled site (chosen for one question), within robots.txt, as page snapshots."""
        out = CrawlOutcome(base_url=base_url)
        robots = await self._robots(base_url, out)
        agent = self.client.policy.user_agent
        delay = min(float(robots.crawl_delay(agent) or 0.0), self.budget.max_crawl_delay)
        sem = asyncio.Semaphore(1 if delay else self.budget.concurrency)

        async def one(url: str) -> None:
            if not robots.can_fetch(url, agent):
                out.notes.append(f"{url}: disallowed by robots.txt")
                return
            async with sem:
                if delay:
                    await asyncio.sleep(delay)
                try:
                    res = await self._polite_fetch(url, out)
                except FetchError as exc:
                    out.notes.append(f"{url}: {exc.reason}")
                    return
            out.bytes_fetched += len(res.content)
            if res.status == 200 and "html" in res.content_type and robots.can_fetch(res.final_url, agent):
                self._store_page(crawl_id, res, out)

        await asyncio.gather(*(one(u) for u in urls))
        return out

    async def fetch_single(self, url: str, crawl_id: str) -> CrawlOutcome:
        """One page (e.g. a person's profile), fetched only if its site's robots.txt allows it."""
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        out = CrawlOutcome(base_url=None)
        robots = await self._robots(base, out)
        if not robots.can_fetch(url, self.client.policy.user_agent):
            out.error = f"{url} is disallowed by robots.txt"
            return out
        try:
            res = await self.client.fetch(url)
        except FetchError as exc:
            out.error = f"{url} could not be fetched ({exc.reason})"
            return out
        if res.status != 200 or "html" not in res.content_type:
            out.error = f"{url} answered HTTP {res.status} ({res.content_type or 'no content type'})"
            return out
        out.base_url = base
        out.bytes_fetched = len(res.content)
        self._store_page(crawl_id, res, out)
        return out

    def _find_boards(self, html: str, boards: set[str]) -> None:
        for pattern, api in BOARDS:
            for m in pattern.finditer(html):
                token = m.group(1)
                if token.lower() not in ("embed", "js", "v1"):
                    boards.add(api.format(token))

    def _store_page(self, crawl_id: str, res: FetchResult, out: CrawlOutcome) -> None:
        digest = hashlib.sha256(res.content).hexdigest()
        twin = next((s for s in out.snapshots if s["kind"] == "page" and s["content_hash"] == digest), None)
        if twin is not None:
            # The same document under another URL (aliases, tracking parameters): stored once.
            out.notes.append(f"{res.final_url}: same content as {twin['final_url']}")
            return
        html = res.text()
        title, text = visible_text(html)
        out.snapshots.append(self._snapshot(crawl_id, res, "page", html, text, title))

    def _snapshot(
        self, crawl_id: str, res: FetchResult, kind: str, body: str, text: str | None, title: str | None = None
    ) -> dict[str, Any]:
        keep = {k: v for k, v in res.headers.items() if k in _KEEP_HEADERS or k.startswith("x-")}
        return {
            "id": new_uuid(),
            "crawl_id": crawl_id,
            "url": res.url,
            "final_url": res.final_url,
            "kind": kind,
            "status": res.status,
            "content_type": res.content_type[:200],
            "headers": keep,
            "content_hash": hashlib.sha256(res.content).hexdigest(),
            "title": title,
            "body": body,
            "text": text if text is not None else body,
            "fetched_at": utcnow(),
        }

    async def _dns(self, domain: str, out: CrawlOutcome, crawl_id: str) -> None:
        mx, txt = await asyncio.gather(self.resolver.mx(domain), self.resolver.txt(domain))
        lines = [f"MX {pref} {host}" for pref, host in mx] + [f"TXT {t}" for t in txt]
        if not lines:
            return
        text = "\n".join(lines)
        out.snapshots.append(
            {
                "id": new_uuid(),
                "crawl_id": crawl_id,
                "url": f"dns:{domain}",
                "final_url": f"dns:{domain}",
                "kind": "dns",
                "status": 200,
                "content_type": "text/dns",
                "headers": {},
                "content_hash": hashlib.sha256(text.encode()).hexdigest(),
                "title": f"DNS records of {domain}",
                "body": text,
                "text": text,
                "fetched_at": utcnow(),
            }
        )


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        from email.utils import parsedate_to_datetime

        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import UTC, datetime

    return max(0.0, (when - datetime.now(UTC)).total_seconds())


_KEEP_HEADERS = {"server", "set-cookie", "via", "powered-by", "cf-ray", "content-type", "link"}


def absolute(base: str, href: str) -> str:
    return urljoin(base, href)
