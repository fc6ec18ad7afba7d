"""The research engine's entry point: `ResearchEngine.ask(domain, question, answer_type, ...)`."""

from __future__ import annotations

import asyncio
import json
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
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
from dossier.research.analysis import Analysis
from dossier.research.analyze.names import PersonName, about_person, fold
from dossier.research.calibrate import IsotonicCalibrator
from dossier.research.document import Document, build_document
from dossier.research.gather.crawler import Budget, Crawler, CrawlOutcome
from dossier.research.gather.directed import pages_to_read
from dossier.research.index import page_key, site_of
from dossier.research.llm.meter import CURRENT as CURRENT_METER
from dossier.research.llm.meter import Ledger
from dossier.research.llm.stack import LlmStack
from dossier.research.ports import Answerer, Calibrator, Draft, Verifier
from dossier.research.read.reader import OfflineReader
from dossier.research.verify import SnapshotVerifier

ENVELOPE_KEYS = {
    "open_text": "openText", "number": "number", "boolean": "boolean", "list": "list", "percentage": "percentage",
    "currency": "currency", "url": "url", "json_schema": "jsonSchema",
}  # fmt: skip
SUPPORTED_TYPES = frozenset(ENVELOPE_KEYS)
# A draft scoring below this after the crawl sends the engine to read a few more pages chosen for the question.
WEAK_SCORE = 0.6
DIRECTED_PAGES = 10


@dataclass(frozen=True)
class ModelReading:
    answer: dict[str, Any]  # the answer envelope, as `EngineAnswer.answer`
    score: float  # the answerer's uncalibrated prior score


@dataclass
class EngineAnswer:
    answer: dict[str, Any] | None
    confidence: float | None
    reasoning: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    as_of: str | None = None
    crawl_id: str | None = None
    pages_read: list[str] = field(default_factory=list)  # pages fetched for this question beyond the crawl
    cost_usd: float = 0.0  # language-model spend for this question (0 without an LLM)
    tokens: int = 0  # language-model tokens, prompt and completion
    # The model's verified reading (its answer and the answerer's prior score) when the model's reading is the
    # one the engine settled on, whether given or withheld by strict mode's bar: what its calibration is fitted
    # on (bench/accuracy.py --fit-llm-calibration). None for the reader's answers and for records.
    model_reading: ModelReading | None = None

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
    """gather → index + analyze → read → verify → calibrate, each stage behind its port."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        client: GuardedClient | None = None,
        resolver: Resolver | None = None,
        *,
        answerer: Answerer | None = None,
        verifier: Verifier | None = None,
        calibrator: Calibrator | None = None,
    ) -> None:
        self.db = db
        # A configured language model answers behind the Answerer port (with the offline reader inside it).
        self.llm = LlmStack.from_settings(settings) if settings.llm_enabled and answerer is None else None
        self.answerer: Answerer = answerer or (self.llm.answerer if self.llm else OfflineReader())
        # What answers a question asked without the model (its budget spent): the reader inside the LLM answerer.
        self.offline: Answerer = self.llm.answerer.reader if self.llm is not None else self.answerer
        self.verifier: Verifier = verifier or SnapshotVerifier()
        self.calibrator: Calibrator = calibrator or IsotonicCalibrator.load()
        if self.llm is not None and calibrator is None:
            self.calibrator = self.llm.calibrator(self.calibrator)
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
        self._analyses: OrderedDict[str, tuple[Analysis, dict[str, Any]]] = OrderedDict()

    def _settle_parts(self, draft: Draft, mode: str) -> tuple[Draft, float | None]:
        """A record's properties, each calibrated as the typed answer it was read as. Strict mode drops the
        properties below its bar (the rest stand on their own evidence); the record's confidence is the
        probability that every property kept is right, taking them as independent."""
        bar = self.settings.strict_min_confidence
        kept: dict[str, Any] = {}
        evidence = []
        dropped = []
        probability = 1.0
        for name, (kind, part) in draft.parts.items():
            p = max(0.0, min(1.0, self.calibrator.probability(kind, part)))
            if mode == "strict" and p < bar:
                dropped.append(f"{name} ({p:.2f})")
                continue
            kept[name] = part.value
            evidence += part.evidence
            probability *= p
        if not kept:
            why = f"every property read is below strict mode's {bar:.2f}: {', '.join(dropped)}"
            return Draft(None, [], {}, 0.0, f"Not stated clearly enough: {why}."), None
        reasoning = f"Filled {len(kept)} of the {len(draft.parts)} properties found"
        if dropped:
            reasoning += f"; left out below strict mode's {bar:.2f}: {', '.join(dropped)}"
        return Draft(kept, evidence, draft.features, draft.score, reasoning + "."), probability

    async def aclose(self) -> None:
        await self.client.aclose()
        if self.llm is not None:
            await self.llm.aclose()

    async def _metered(
        self,
        work: Awaitable[EngineAnswer],
        budget_usd: float | None,
        ledger: Ledger | None,
        budget_label: str | None = None,
    ) -> EngineAnswer:
        """Run one question with its own model meter (tokens, cost, budget; the ledger holds the organisation's
        day); raises BudgetExceeded."""
        if self.llm is None:
            return await work
        meter = self.llm.meter(budget_usd, ledger, budget_label)
        token = CURRENT_METER.set(meter)
        try:
            answer = await work
        finally:
            CURRENT_METER.reset(token)
            # Cut at a deadline, the question's worker thread may still be in a model call: that call is settled
            # (its spend recorded) when it returns, and the thread may start no other.
            meter.close()
        answer.cost_usd, answer.tokens = round(meter.cost_usd, 6), meter.tokens
        return answer

    async def _recorded(
        self, domain: str, gather: Callable[[str], Awaitable[CrawlOutcome]], kind: str = "site"
    ) -> tuple[str, CrawlOutcome]:
        """Run a gatherer as a crawl: a `running` row first, then its snapshots and outcome in one commit. `kind`
        "pages": pages fetched for one question, never reused as the domain's crawl."""
        crawl_id = new_uuid()
        row = {
            "id": crawl_id,
            "domain": domain,
            "kind": kind,
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

    async def prepare(self, domain: str, *, force: bool = False) -> str:
        """Crawl a domain (or reuse a fresh crawl) and analyse it, ready for questions; the crawl's id."""
        crawl_id = await self.crawl(domain, force=force)
        await self._analysis(crawl_id, domain)
        return crawl_id

    async def analysis(self, crawl_id: str, domain: str) -> Analysis:
        """A crawl's shared analysis (the people index reads the people found in it)."""
        return (await self._analysis(crawl_id, domain))[0]

    async def ask_profile(
        self,
        url: str,
        question: str,
        answer_type: str = "open_text",
        *,
        mode: str = "strict",
        output_schema: dict[str, Any] | None = None,
        ledger: Ledger | None = None,
    ) -> EngineAnswer:
        """A contact signal's question about a profile nobody is known by. Its model budget is the signal's
        (DOSSIER_LLM_SIGNAL_BUDGET_USD) and the organisation's day (`ledger`): no caller has one of its own."""
        work = self._ask_profile(url, question, answer_type, mode, output_schema)
        return await self._metered(work, None, ledger)

    async def _ask_profile(
        self, url: str, question: str, answer_type: str, mode: str, output_schema: dict[str, Any] | None
    ) -> EngineAnswer:
        """Answer a question about a person from their public profile page (fetched fresh, stored, cited)."""
        if answer_type not in SUPPORTED_TYPES:
            raise ValueError(f"answer type {answer_type!r} is not supported for contact signals yet")
        host = (urlsplit(url).hostname or "").lower()
        crawl_id, outcome = await self._recorded(host, lambda cid: self.crawler.fetch_single(url, cid), "pages")
        docs, crawl = await self.documents(crawl_id)
        as_of = format_rfc3339(crawl.get("finished_at"))
        if not docs:
            return EngineAnswer(
                None, None, f"Could not read the profile: {outcome.error or 'no page'}.", as_of=as_of, crawl_id=crawl_id
            )
        analysis = Analysis(host, docs)
        draft = await self._read(question, answer_type, output_schema, analysis, mode)
        read: list[str] = []
        if self.llm is not None and not self.llm.loop.settled(draft):
            # The profile is a site of its own: the loop may follow its links, as on a company's site.
            draft, analysis, read = await self._research(
                crawl_id, host, crawl, question, answer_type, output_schema, mode, draft, analysis
            )
        answer = self._finish(draft, answer_type, mode, analysis, as_of, crawl_id)
        answer.pages_read = read
        return answer

    async def fetch_profile(self, url: str) -> tuple[list[Document], str | None]:
        """One profile page (a personal site, a GitHub or speaker page) fetched through the guarded client and
        stored as a crawl of its own: its pages, and why there are none when the fetch failed."""
        host = (urlsplit(url).hostname or "").lower()
        crawl_id, outcome = await self._recorded(host, lambda cid: self.crawler.fetch_single(url, cid), "pages")
        docs, _ = await self.documents(crawl_id)
        pages = [d for d in docs if d.kind == "page"]
        return pages, None if pages else (outcome.error or "no page")

    async def ask_person(
        self,
        full_name: str,
        domain: str | None,
        question: str,
        answer_type: str = "open_text",
        *,
        profile_urls: tuple[str, ...] = (),
        mode: str = "strict",
        output_schema: dict[str, Any] | None = None,
        ledger: Ledger | None = None,
    ) -> EngineAnswer:
        """Answer a question about one person from their company's pages and their own profile pages (those that
        name them), the question's "they" or "the contact" read as their name. As for `ask_profile`, the model
        budget is the signal's and the organisation's day."""
        if answer_type not in SUPPORTED_TYPES:
            raise ValueError(f"answer type {answer_type!r} is not supported for contact signals yet")
        if domain and _ABOUT_COMPANY.search(question):
            # "the contact's company": a question about the company, answered over its whole crawl.
            return await self.ask(
                domain,
                _COMPANY_OF.sub("the company", question),
                answer_type,
                mode=mode,
                output_schema=output_schema,
                ledger=ledger,
            )
        work = self._ask_person(full_name, domain, question, answer_type, profile_urls, mode, output_schema)
        return await self._metered(work, None, ledger)

    async def _ask_person(
        self,
        full_name: str,
        domain: str | None,
        question: str,
        answer_type: str,
        profile_urls: tuple[str, ...],
        mode: str,
        output_schema: dict[str, Any] | None,
    ) -> EngineAnswer:
        person = PersonName.parse(full_name)
        crawl_id: str | None = None
        crawl: dict[str, Any] = {}
        company: Analysis | None = None
        as_of: str | None = None
        if domain:
            crawl_id = await self.crawl(domain)
            company, crawl = await self._analysis(crawl_id, domain)
            as_of = format_rfc3339(crawl.get("finished_at"))
        own: list[Document] = []
        for url in profile_urls:
            pages, _ = await self.fetch_profile(url)
            own += [d for d in pages if person.lines_naming(d.text)]  # their own page: all of it is about them
        company_site = site_of(crawl.get("base_url") or "")
        # Their sites: their company's and those of their profile pages (not of pages found later that name them:
        # a news story about them is not theirs to follow).
        sites = tuple(dict.fromkeys(s for s in (company_site, *(site_of(d.url) for d in own)) if s))
        analysis = await asyncio.to_thread(_person_analysis, person, domain, company, own, sites)
        if not analysis.docs:
            where = f"{domain} or their profile" if domain else "their profile"
            return EngineAnswer(None, None, f"No page of {where} names {full_name}.", as_of=as_of, crawl_id=crawl_id)
        about = about_person(question, full_name)
        draft = await self._read(about, answer_type, output_schema, analysis, mode)
        read: list[str] = []
        if self.llm is not None and not self.llm.loop.settled(draft):
            # The research loop, as for a company: the links the model asks for (on their own sites or their
            # company's) and its search results are fetched through the guarded client and stored, their
            # company's pages into its crawl and other pages as crawls of their own; a page counts for the
            # person only as the lines of it that name them (their company's) or when it names them (others).
            async def fetch_site(urls: list[str]) -> list[str]:
                theirs = [u for u in urls if site_of(u) == company_site]
                stored = await self._fetch_more(crawl_id, crawl, theirs) if theirs and crawl_id else []
                return stored + await fetch_found([u for u in urls if u not in theirs])

            async def fetch_found(urls: list[str]) -> list[str]:
                pages = await self.fetch_pages(urls)
                own.extend(d for d in pages if person.lines_naming(d.text))
                return [d.url for d in pages]

            async def reread() -> Draft:
                nonlocal company, analysis
                if company is not None and crawl_id and domain:
                    company = (await self._analysis(crawl_id, domain, refresh=True))[0]
                analysis = await asyncio.to_thread(_person_analysis, person, domain, company, own, sites)
                return await self._read(about, answer_type, output_schema, analysis, mode)

            known = {page_key(d.url) for d in analysis.pages} | set(company.by_url if company else ())
            draft, read = await self.llm.loop.run(draft, known, fetch_site, fetch_found, reread)
        answer = self._finish(draft, answer_type, mode, analysis, as_of, crawl_id or "")
        answer.pages_read = read
        return answer

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
        budget_usd: float | None = None,
        ledger: Ledger | None = None,
        budget_label: str | None = None,
        model: bool = True,
    ) -> EngineAnswer:
        """`budget_usd`: the most the language model may spend on it (besides DOSSIER_LLM_SIGNAL_BUDGET_USD),
        named in a refusal as `budget_label`; `ledger`: where each model call's reservation is also held (a
        signal's organisation and day). `model=False`: the offline reader alone, even with a model configured
        (a caller whose model budget is spent)."""
        work = self._ask(domain, question, answer_type, mode, output_schema, force_refresh, model)
        if not model:
            return await work
        return await self._metered(work, budget_usd, ledger, budget_label)

    async def _ask(
        self,
        domain: str,
        question: str,
        answer_type: str,
        mode: str,
        output_schema: dict[str, Any] | None,
        force_refresh: bool,
        model: bool = True,
    ) -> EngineAnswer:
        if answer_type not in SUPPORTED_TYPES:
            raise ValueError(f"answer type {answer_type!r} is not supported for company research")
        crawl_id = await self.crawl(domain, force=force_refresh)
        analysis, crawl = await self._analysis(crawl_id, domain)
        as_of = format_rfc3339(crawl.get("finished_at"))
        if not analysis.pages:
            why = crawl.get("error") or "no pages could be fetched"
            return EngineAnswer(None, None, f"Could not read {domain}: {why}.", as_of=as_of, crawl_id=crawl_id)
        draft = await self._read(question, answer_type, output_schema, analysis, mode, model)
        read: list[str] = []
        if draft.inferred or draft.value is None or draft.score < WEAK_SCORE:
            more = pages_to_read(question, analysis, crawl, DIRECTED_PAGES)
            if more:
                read = await self._fetch_more(crawl_id, crawl, more)
                if read:
                    analysis, crawl = await self._analysis(crawl_id, domain, refresh=True)
                    draft = await self._read(question, answer_type, output_schema, analysis, mode, model)
        if model and self.llm is not None and not self.llm.loop.settled(draft):
            draft, analysis, more = await self._research(
                crawl_id, domain, crawl, question, answer_type, output_schema, mode, draft, analysis
            )
            read += more
        answer = self._finish(draft, answer_type, mode, analysis, as_of, crawl_id)
        answer.pages_read = read
        return answer

    async def _read(
        self,
        question: str,
        answer_type: str,
        schema: dict[str, Any] | None,
        analysis: Analysis,
        mode: str,
        model: bool = True,
    ) -> Draft:
        # Reading is CPU work: off the event loop, so the API stays responsive while workers answer.
        answerer = self.answerer if model else self.offline
        return await asyncio.to_thread(answerer.answer, question, answer_type, schema, analysis, mode)

    async def _fetch_more(self, crawl_id: str, crawl: dict[str, Any], urls: list[str]) -> list[str]:
        """Fetch pages chosen for one question into the crawl, so later questions read them too."""
        lock = self._locks.setdefault(f"more:{crawl_id}", asyncio.Lock())
        async with lock:
            have = set(await self.db.read(lambda c: repository.crawl_page_urls(c, crawl_id)))
            urls = [u for u in urls if u not in have]
            if not urls or not crawl.get("base_url"):
                return []
            outcome = await self.crawler.fetch_more(crawl["base_url"], urls, crawl_id)
            await self.db.write(lambda c: repository.insert_snapshots(c, outcome.snapshots))
            return [s["final_url"] for s in outcome.snapshots if s["kind"] == "page"]

    async def _research(
        self,
        crawl_id: str,
        domain: str,
        crawl: dict[str, Any],
        question: str,
        answer_type: str,
        schema: dict[str, Any] | None,
        mode: str,
        draft: Draft,
        analysis: Analysis,
    ) -> tuple[Draft, Analysis, list[str]]:
        """The LLM research loop: fetch the links and search results the model asked for, read again.

        Links on the site are the company's own pages: they are fetched into its crawl, as directed reading does.
        Search results are not: each is stored as a crawl of its own and read, beside the crawl, only by this
        question. An offline question on the crawl later must not read or cite a page that only a run with a
        model and a search provider fetched, so what the offline reader answers does not depend on which runs
        came before it."""
        assert self.llm is not None
        latest = [analysis]
        found: list[Document] = []

        async def fetch_found(urls: list[str]) -> list[str]:
            pages = await self.fetch_pages(urls)
            found.extend(pages)
            return [d.url for d in pages]

        async def reread() -> Draft:
            site = (await self._analysis(crawl_id, domain, refresh=True))[0]
            latest[0] = await asyncio.to_thread(site.extended(found).warm) if found else site
            return await self._read(question, answer_type, schema, latest[0], mode)

        known = {page_key(d.url) for d in analysis.pages}
        draft, read = await self.llm.loop.run(
            draft, known, lambda urls: self._fetch_more(crawl_id, crawl, urls), fetch_found, reread
        )
        return draft, latest[0], read

    async def fetch_pages(self, urls: list[str]) -> list[Document]:
        """Pages fetched one by one (each within its site's robots.txt), each stored as a crawl of its own before
        it may be read or cited."""
        fetched = await asyncio.gather(*(self.fetch_profile(u) for u in urls))
        return [d for pages, _ in fetched for d in pages]

    async def _analysis(self, crawl_id: str, domain: str, refresh: bool = False) -> tuple[Analysis, dict[str, Any]]:
        """A crawl's analysis, shared by every question on it (parsed and indexed once, not per question)."""
        hit = self._analyses.get(crawl_id)
        if hit is not None and not refresh:
            self._analyses.move_to_end(crawl_id)
            return hit
        if hit is not None:
            known = {d.snapshot_id for d in hit[0].docs}
            rows = await self.db.read(lambda c: repository.crawl_snapshots(c, crawl_id))
            new = await asyncio.to_thread(_build_documents, [r for r in rows if r["id"] not in known])
            analysis = hit[0].extended(new)
            crawl = hit[1]
        else:
            docs, crawl = await self.documents(crawl_id)
            analysis = Analysis(domain.lower(), docs)
        # Index, fingerprints and postings are per-crawl work: done once here, off the event loop.
        entry = (await asyncio.to_thread(analysis.warm), crawl)
        self._analyses[crawl_id] = entry
        while len(self._analyses) > 32:
            self._analyses.popitem(last=False)
        return entry

    def _finish(
        self, draft: Draft, answer_type: str, mode: str, analysis: Analysis, as_of: str | None, crawl_id: str
    ) -> EngineAnswer:
        record_probability = None
        if draft.parts:
            draft, record_probability = self._settle_parts(draft, mode)
        findings = self.verifier.verify(draft.evidence, analysis)
        value = coerce(answer_type, draft.value) if draft.value is not None else None
        reasoning = draft.reasoning
        if draft.value is not None and value is None:
            return EngineAnswer(
                None, None, reasoning + f" (that is not a {answer_type} answer)", as_of=as_of, crawl_id=crawl_id
            )
        if value is None:
            return EngineAnswer(None, None, reasoning, as_of=as_of, crawl_id=crawl_id)
        if draft.inferred:
            if mode == "strict":
                return EngineAnswer(
                    None,
                    None,
                    reasoning + " Strict mode: absence of evidence is not an answer.",
                    as_of=as_of,
                    crawl_id=crawl_id,
                )
            confidence = min(self.calibrator.probability(answer_type, draft), 0.4)
            return EngineAnswer(
                envelope(answer_type, value),
                round(confidence, 3),
                "Inferred (lenient mode): " + reasoning,
                as_of=as_of,
                crawl_id=crawl_id,
            )
        if not findings:
            return EngineAnswer(
                None,
                None,
                reasoning + " (the evidence could not be verified, so no answer)",
                as_of=as_of,
                crawl_id=crawl_id,
            )
        reading = None
        if draft.features.get("llm") and not draft.parts:
            reading = ModelReading(envelope(answer_type, value), draft.score)
        if record_probability is not None:
            confidence = record_probability
        else:
            confidence = max(0.0, min(1.0, self.calibrator.probability(answer_type, draft)))
        if record_probability is None and mode == "strict" and confidence < self.settings.strict_min_confidence:
            # Strict mode promises null over a guess: a calibrated probability below the bar means the best
            # reading is more likely wrong than right, however plausible its quote looks.
            return EngineAnswer(
                None,
                None,
                f"Not stated clearly enough: the best reading ({_shown(value)}, {reasoning.rstrip('.')}) has "
                f"confidence {confidence:.2f}, below strict mode's {self.settings.strict_min_confidence:.2f}.",
                as_of=as_of,
                crawl_id=crawl_id,
                model_reading=reading,
            )
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
            envelope(answer_type, value),
            round(confidence, 3),
            reasoning,
            sources,
            evidence,
            as_of=as_of,
            crawl_id=crawl_id,
            model_reading=reading,
        )


_ABOUT_COMPANY = re.compile(r"\b(?:company|employer|organi[sz]ation|business|firm)\b", re.I)
_COMPANY_OF = re.compile(
    r"\b(?:(?:the|this) (?:contact|person|prospect|lead)'s|their|his|her) "
    r"(?:company|employer|organi[sz]ation|business|firm)\b",
    re.I,
)


def _about(person: PersonName, analysis: Analysis) -> list[Document]:
    """What a company's pages say about one person, so that no other person's facts are read as theirs: each
    page that names them cut down to the lines that do and their card or bio after them (up to the next person
    named), and whole the posts they wrote. The lines are the stored snapshot's own, so quotes still verify."""
    others: dict[str, set[str]] = {}
    authored: set[str] = set()
    for f in analysis.people:
        if not person.named_in(fold(f.value["name"])):
            others.setdefault(f.doc.snapshot_id, set()).add(fold(f.value["name"]))
    for f in analysis.bylines:
        if person.named_in(fold(f.value["name"])):
            authored.add(f.doc.snapshot_id)
    out = []
    for doc in analysis.pages:
        if doc.snapshot_id in authored:
            out.append(doc)
            continue
        lines = person.context(doc.text, others.get(doc.snapshot_id, set()))
        if lines:
            out.append(replace(doc, text="\n".join(lines), body="", links=[], jsonld=[], inline_scripts=""))
    return out


def _person_analysis(
    person: PersonName, domain: str | None, company: Analysis | None, own: list[Document], sites: tuple[str, ...]
) -> Analysis:
    """What is read about a person: their company's pages cut down to the lines about them, and their own pages
    (and pages found for them that name them). Its research loop may follow links on `sites` (their profiles'
    and their company's), with the company's whole crawl as the link graph."""
    docs = (_about(person, company) if company is not None else []) + own
    graphs = (company,) if company is not None else ()
    return Analysis(domain or "", docs, sites=sites, graphs=graphs).warm()


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


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
        if r["kind"] in ("page", "jobboard", "dns", "sitemap")
    ]
