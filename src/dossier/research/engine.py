"""The research engine's entry point: `ResearchEngine.ask(domain, question, answer_type, ...)`."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from dossier.config import Settings
from dossier.kit.db import Database
from dossier.kit.dns import Resolver
from dossier.kit.http import GuardedClient, OutboundPolicy
from dossier.kit.ids import new_uuid
from dossier.kit.time import format_rfc3339, utcnow
from dossier.research import repository
from dossier.research.answer import ENVELOPE_KEYS, Context, Result, answer_family, answer_json
from dossier.research.document import Document, build_document
from dossier.research.gather.crawler import Budget, Crawler, CrawlOutcome
from dossier.research.verify import verified

SUPPORTED_TYPES = frozenset(ENVELOPE_KEYS)


@dataclass
class EngineAnswer:
    answer: dict[str, Any] | None
    confidence: float | None
    reasoning: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    as_of: str | None = None
    crawl_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "confidence": self.confidence,
            "reasoning": self.reasoning,
            "sources": self.sources,
            "evidence": self.evidence,
            "asOf": self.as_of,
        }


def coerce(answer_type: str, value: Any) -> Any:
    """The value in the answer type's shape, or None when the finding does not have that shape."""
    if answer_type in ("number", "percentage"):
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if answer_type == "boolean":
        return value if isinstance(value, bool) else None
    if answer_type == "list":
        return [str(v) for v in value] if isinstance(value, list) else None
    if answer_type == "url":
        return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None
    if answer_type == "currency":
        ok = isinstance(value, dict) and isinstance(value.get("value"), (int, float)) and value.get("currency")
        return value if ok else None
    if answer_type == "json_schema":
        return value if isinstance(value, dict) else None
    return value if isinstance(value, str) else (None if value is None else str(value))


def envelope(answer_type: str, value: Any) -> dict[str, Any]:
    key = ENVELOPE_KEYS[answer_type]
    if answer_type == "json_schema":
        return {"type": answer_type, key: value}
    if answer_type == "currency":
        return {"type": answer_type, key: {"value": value["value"], "currency": value["currency"]}}
    if answer_type == "percentage":
        value = max(0.0, min(100.0, float(value)))
        value = int(value) if value.is_integer() else value
    return {"type": answer_type, key: {"value": value}}


def policy_from(settings: Settings) -> OutboundPolicy:
    return OutboundPolicy(
        allow_networks=OutboundPolicy.parse_networks(settings.allow_private_networks),
        allowed_ports=frozenset(int(p) for p in settings.outbound_ports.split(",") if p.strip()),
        max_bytes=settings.fetch_max_bytes,
        timeout_seconds=settings.fetch_timeout_seconds,
    )


class ResearchEngine:
    def __init__(
        self, db: Database, settings: Settings, client: GuardedClient | None = None, resolver: Resolver | None = None
    ) -> None:
        self.db = db
        self.settings = settings
        self.resolver = resolver or Resolver.from_setting(settings.dns_nameservers)
        self.client = client or GuardedClient(policy_from(settings), self.resolver)
        self.crawler = Crawler(
            self.client,
            self.resolver,
            Budget(
                pages=settings.crawl_max_pages,
                bytes=settings.crawl_max_bytes,
                seconds=settings.crawl_max_seconds,
                max_crawl_delay=settings.crawl_max_delay_seconds,
            ),
        )
        self._locks: dict[str, asyncio.Lock] = {}
        self._analyses: OrderedDict[str, tuple[list[Document], dict[str, Any], dict[str, Any]]] = OrderedDict()

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _recorded(
        self, domain: str, gather: Callable[[str], Awaitable[CrawlOutcome]]
    ) -> tuple[str, CrawlOutcome]:
        """Run a gatherer as a crawl: a `running` row first, then its snapshots and outcome in one commit."""
        crawl_id = new_uuid()
        row = {
            "id": crawl_id,
            "domain": domain,
            "status": "running",
            "started_at": utcnow(),
            "pages_fetched": 0,
            "bytes_fetched": 0,
        }
        await self.db.write(lambda c: repository.insert_crawl(c, row))
        outcome = await gather(crawl_id)
        values = {
            "status": "completed" if outcome.base_url else "failed",
            "base_url": outcome.base_url,
            "pages_fetched": outcome.pages,
            "bytes_fetched": outcome.bytes_fetched,
            "notes": outcome.notes[:200],
            "error": outcome.error,
            "finished_at": utcnow(),
        }

        def finish(c: Any) -> None:
            repository.insert_snapshots(c, outcome.snapshots)
            repository.finish_crawl(c, crawl_id, values)

        await self.db.write(finish)
        return crawl_id, outcome

    async def crawl(self, domain: str, *, force: bool = False) -> str:
        """The id of a fresh crawl of `domain`: reused while younger than the TTL, shared by concurrent callers."""
        domain = domain.lower()
        lock = self._locks.setdefault(domain, asyncio.Lock())
        async with lock:
            since = utcnow() - timedelta(seconds=self.settings.crawl_ttl_seconds)
            if not force:
                existing = await self.db.read(lambda c: repository.latest_completed_crawl(c, domain, since))
                if existing:
                    return existing
            crawl_id, _ = await self._recorded(domain, lambda cid: self.crawler.crawl(domain, cid))
            return crawl_id

    async def ask_profile(
        self,
        url: str,
        question: str,
        answer_type: str = "open_text",
        *,
        mode: str = "strict",
        output_schema: dict[str, Any] | None = None,
    ) -> EngineAnswer:
        """Answer a question about a person from their public profile page (fetched fresh, stored, cited)."""
        if answer_type not in SUPPORTED_TYPES:
            raise ValueError(f"answer type {answer_type!r} is not supported for contact signals yet")
        host = (urlsplit(url).hostname or "").lower()
        crawl_id, outcome = await self._recorded(host, lambda cid: self.crawler.fetch_single(url, cid))
        docs, crawl = await self.documents(crawl_id)
        as_of = format_rfc3339(crawl.get("finished_at"))
        if not docs:
            return EngineAnswer(
                None, None, f"Could not read the profile: {outcome.error or 'no page'}.", as_of=as_of, crawl_id=crawl_id
            )
        ctx = Context(domain=host, docs=docs, mode=mode)
        result = await _answer(question, answer_type, output_schema, ctx)
        return self._finish(result, answer_type, mode, docs, as_of, crawl_id)

    async def documents(self, crawl_id: str) -> tuple[list[Document], dict[str, Any]]:
        rows, crawl = await self.db.read(
            lambda c: (repository.crawl_snapshots(c, crawl_id), repository.crawl_row(c, crawl_id))
        )
        docs = await asyncio.to_thread(_build_documents, rows)
        return docs, crawl or {}

    async def ask(
        self,
        domain: str,
        question: str,
        answer_type: str = "open_text",
        *,
        mode: str = "strict",
        output_schema: dict[str, Any] | None = None,
        force_refresh: bool = False,
    ) -> EngineAnswer:
        if answer_type not in SUPPORTED_TYPES:
            raise ValueError(f"answer type {answer_type!r} is not supported for company research")
        crawl_id = await self.crawl(domain, force=force_refresh)
        docs, crawl, shared = await self._analysis(crawl_id)
        as_of = format_rfc3339(crawl.get("finished_at"))
        ctx = Context(domain=domain.lower(), docs=docs, mode=mode, _cache=shared)
        if not ctx.pages:
            why = crawl.get("error") or "no pages could be fetched"
            return EngineAnswer(None, None, f"Could not read {domain}: {why}.", as_of=as_of, crawl_id=crawl_id)
        result = await _answer(question, answer_type, output_schema, ctx)
        return self._finish(result, answer_type, mode, docs, as_of, crawl_id)

    async def _analysis(self, crawl_id: str) -> tuple[list[Document], dict[str, Any], dict[str, Any]]:
        """Parsed documents of a crawl and its analyzers' results, shared by every question on it.

        A crawl's snapshots never change, so N questions about one domain parse and fingerprint its
        pages once instead of N times.
        """
        hit = self._analyses.get(crawl_id)
        if hit is not None:
            self._analyses.move_to_end(crawl_id)
            return hit
        docs, crawl = await self.documents(crawl_id)
        entry: tuple[list[Document], dict[str, Any], dict[str, Any]] = (docs, crawl, {})
        self._analyses[crawl_id] = entry
        while len(self._analyses) > 32:
            self._analyses.popitem(last=False)
        return entry

    def _finish(
        self, result: Result, answer_type: str, mode: str, docs: list[Document], as_of: str | None, crawl_id: str
    ) -> EngineAnswer:
        stored = {d.snapshot_id for d in docs}
        findings = verified(result.findings, stored)
        if result.value is not None and coerce(answer_type, result.value) is None:
            result = Result(None, [], 0.0, result.reasoning + f" (that is not a {answer_type} answer)")
        result.value = coerce(answer_type, result.value)
        has_value = result.value is not None
        if has_value and not findings and not (result.inferred and mode == "lenient"):
            return EngineAnswer(
                None,
                None,
                result.reasoning + " (the evidence could not be verified, so no answer)",
                as_of=as_of,
                crawl_id=crawl_id,
            )
        if has_value and result.inferred and mode == "strict":
            return EngineAnswer(
                None,
                None,
                result.reasoning + " Strict mode: absence of evidence is not an answer.",
                as_of=as_of,
                crawl_id=crawl_id,
            )
        if not has_value:
            return EngineAnswer(None, None, result.reasoning, as_of=as_of, crawl_id=crawl_id)
        confidence = max(0.0, min(1.0, result.confidence))
        reasoning = result.reasoning
        if result.inferred:
            confidence = min(confidence, 0.4)
            reasoning = "Inferred (lenient mode): " + reasoning
        evidence, sources, seen = [], [], set()
        for f in findings:
            evidence.append(
                {"url": f.url, "quote": f.quote, "fetchedAt": f.doc.fetched_at, "snapshotId": f.doc.snapshot_id}
            )
            if f.url not in seen:
                seen.add(f.url)
                snippet = " ".join(f.quote.split())
                sources.append({"url": f.url, "title": f.doc.title or f.url, "snippet": snippet[:300]})
        return EngineAnswer(
            envelope(answer_type, result.value),
            round(confidence, 3),
            reasoning,
            sources,
            evidence,
            as_of=as_of,
            crawl_id=crawl_id,
        )


def _build_documents(rows: list[dict[str, Any]]) -> list[Document]:
    return [
        build_document(
            url=r["final_url"],
            snapshot_id=r["id"],
            kind=r["kind"],
            body=r["body"],
            text=r["text"],
            title=r["title"],
            headers=r["headers"],
            fetched_at=format_rfc3339(r["fetched_at"]),
        )
        for r in rows
        if r["kind"] in ("page", "jobboard", "dns")
    ]


async def _answer(question: str, answer_type: str, output_schema: dict[str, Any] | None, ctx: Context) -> Result:
    # Analysis is CPU work: off the event loop, so the API stays responsive while workers answer.
    if answer_type == "json_schema":
        return await asyncio.to_thread(answer_json, question, output_schema or {"type": "object"}, ctx)
    return await asyncio.to_thread(answer_family, question, answer_type, ctx)
