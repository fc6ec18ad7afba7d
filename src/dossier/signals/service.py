"""Signals: reading them (filters from query parameters), creating them one at a time or in batches."""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection

from dossier.kit.auth import Principal
from dossier.kit.db import Database
from dossier.kit.errors import FieldError, invalid_request, not_found, validation_error
from dossier.kit.ids import is_uuid, new_uuid
from dossier.kit.problems import Problems
from dossier.kit.time import format_rfc3339, next_microsecond, parse_rfc3339_truncated, utcnow
from dossier.kit.validation import DOMAIN_MESSAGE, MAX_HOST_LENGTH, is_domain, is_http_url, profile_key
from dossier.runtime import Runtime
from dossier.signals import repository
from dossier.signals.repository import SignalFilter
from dossier.signals.schemas import CONTACT_ONLY_ANSWER_TYPES, SignalStatus
from dossier.signals.tasks import KIND
from dossier.signals.validation import check_output_schema, check_question, check_webhook_url
from dossier.signals.wire import to_wire, wire_from_row

CONTACT_ONLY_TYPES = frozenset(CONTACT_ONLY_ANSWER_TYPES)

SIGNAL_NOT_FOUND = "Signal not found or access denied"
_STATUSES = {s.value for s in SignalStatus}


def parse_statuses(values: list[str] | None) -> list[str]:
    """`status` is repeatable (`?status=a&status=b`); comma-separated values are accepted too, and a JSON
    array of them (`?status=["completed","failed"]`), the form Saber's operation registry types it as."""
    statuses: list[str] = []
    for value in values or []:
        for part in _status_parts(value):
            part = part.strip()
            if not part:
                continue
            if part not in _STATUSES:
                raise validation_error("status", f"must be one of processing, completed, failed (got '{part[:50]}')")
            # Repeats change nothing, and each distinct count of values would be another cached statement.
            if part not in statuses:
                statuses.append(part)
    return statuses


def _status_parts(value: str) -> list[str]:
    text = value.strip()
    if text.startswith("["):
        try:
            parsed = orjson.loads(text)
        except ValueError:
            parsed = None
        if not isinstance(parsed, list) or not all(isinstance(item, str) for item in parsed):
            raise validation_error("status", "must be one of processing, completed, failed, or a JSON array of them")
        return parsed
    return value.split(",")


def parse_date_range(from_date: str | None, to_date: str | None) -> tuple[datetime | None, datetime | None]:
    parsed: list[tuple[datetime, bool] | None] = []
    errors: list[FieldError] = []
    for name, value in (("fromDate", from_date), ("toDate", to_date)):
        if value is None:
            parsed.append(None)
            continue
        try:
            parsed.append(parse_rfc3339_truncated(value))
        except ValueError:
            errors.append(FieldError(name, f"'{name}' must be an RFC 3339 date-time (e.g., '2024-01-01T00:00:00Z')"))
            parsed.append(None)
    if errors:
        raise invalid_request(errors)
    lower, upper = parsed
    start = lower[0] if lower else None
    end = upper[0] if upper else None
    if start is not None and end is not None and start > end:
        raise validation_error("fromDate", "must not be after 'toDate'")
    if lower and lower[1]:
        # Both bounds are inclusive: a lower bound between two stored microseconds starts at the later one.
        # (After the order check: 10:00:00.0000001 to 10:00:00.0000009 is a valid window that holds nothing.)
        start = next_microsecond(lower[0])
    return start, end


async def list_signals(
    db: Database, principal: Principal, f: SignalFilter, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    queries = repository.reads_for(db.dialect).list(principal.organization_id, f, limit=limit, offset=offset)
    page = await db.fetch(*queries.page)
    if not page:
        [(total,)] = await db.fetch(*queries.total)
        return [], int(total)
    return [wire_from_row(r[1:]) for r in page], int(page[0][0])


async def get_signal(db: Database, principal: Principal, signal_id: str, kind: str | None) -> dict[str, Any]:
    """One signal of this organisation (of `kind`, or of either kind when None); 404 when there is none."""
    # A malformed id cannot name a stored signal; it is reported like any other missing one.
    if not is_uuid(signal_id):
        raise not_found(SIGNAL_NOT_FOUND)
    rows = await db.fetch(*repository.reads_for(db.dialect).get(principal.organization_id, signal_id, kind))
    if not rows:
        raise not_found(SIGNAL_NOT_FOUND)
    return wire_from_row(rows[0])


def company_filter(
    domain: str | None,
    company_id: str | None,
    statuses: list[str] | None,
    from_date: str | None,
    to_date: str | None,
    subscription_id: str | None,
) -> SignalFilter:
    """The company-list filter from its query parameters (as already type-checked); 400 for bad dates or statuses."""
    completed_from, completed_to = parse_date_range(from_date, to_date)
    return SignalFilter(
        kind="company",
        domain=domain.lower() if domain else None,
        company_id=company_id,
        statuses=parse_statuses(statuses),
        completed_from=completed_from,
        completed_to=completed_to,
        subscription_id=subscription_id,
    )


def contact_filter(contact_profile_url: str | None) -> SignalFilter:
    return SignalFilter(kind="contact", profile_key=profile_key(contact_profile_url) if contact_profile_url else None)


# --- creating signals -------------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def normalise_question(question: str) -> str:
    """What makes two questions 'the same' for the cache: case, spacing and final punctuation do not count."""
    return _SPACES.sub(" ", question.strip().lower()).rstrip("?.! ")


def cache_key(kind: str, target: str, question: str, answer_type: str, schema: dict[str, Any] | None, mode: str) -> str:
    material = orjson.dumps(
        [kind, target, normalise_question(question), answer_type, schema or None, mode], option=orjson.OPT_SORT_KEYS
    )
    return hashlib.sha256(material).hexdigest()


@dataclass
class SignalSpec:
    """A validated request to create one signal."""

    kind: str
    domain: str | None
    contact_profile_url: str | None
    question: str
    answer_type: str
    output_schema: dict[str, Any] | None
    weight: str
    verification_mode: str
    qualification_criteria: dict[str, Any] | None
    signal_template_id: str | None
    webhook_url: str | None
    force_refresh: bool
    connectors: dict[str, Any] | None
    # Contact signals (Dossier extension): who the profile is, when the request says ({"fullName", "companyDomain"}).
    person: dict[str, str] | None = None

    @property
    def target(self) -> str:
        return (self.domain or "") if self.kind == "company" else profile_key(self.contact_profile_url or "")

    @property
    def key(self) -> str:
        # A person named in the request is part of what is asked (a different name is a different question);
        # without one, the key is what it always was.
        target = self.target + (orjson.dumps(self.person, option=orjson.OPT_SORT_KEYS).decode() if self.person else "")
        return cache_key(self.kind, target, self.question, self.answer_type, self.output_schema, self.verification_mode)


def check_target(p: Problems, kind: str, domain: str | None, profile_url: str | None, field: str | None = None) -> None:
    if kind == "company":
        if domain is None or not is_domain(domain):
            p.add(field or "domain", DOMAIN_MESSAGE)
    else:
        # The host is what research reads and records; no host name is longer than MAX_HOST_LENGTH.
        if not is_http_url(profile_url or "", max_host=MAX_HOST_LENGTH):
            p.add(field or "contactProfileUrl", "must be an http or https profile URL")


async def build_spec(rt: Runtime, principal: Principal, kind: str, body: Any) -> SignalSpec:
    """Validate a create request (resolving its template) into a SignalSpec; 400/404 on bad input."""
    template: dict[str, Any] | None = None
    if body.signalTemplateId:
        template = await rt.find_template(rt.db, principal, body.signalTemplateId)
    p = Problems()
    domain = getattr(body, "domain", None)
    profile_url = getattr(body, "contactProfileUrl", None)
    check_target(p, kind, domain, profile_url)
    question = check_question(p, body.question) if body.question is not None else None
    if question is None:
        question = template["question"] if template else None
        if question is None:
            p.add("question", "is required unless signalTemplateId is given")
    answer_type = str(body.answerType) if body.answerType else (template["answer_type"] if template else "open_text")
    if answer_type in CONTACT_ONLY_TYPES and kind == "company":
        p.add("answerType", f"'{answer_type}' applies to contact signals only")
    schema = (
        body.outputSchema
        if body.outputSchema
        else (template["output_schema"] if template and not body.answerType else None)
    )
    check_output_schema(p, answer_type, schema)
    check_webhook_url(p, body.webhookUrl, rt.client.policy)
    person = _person(p, body) if kind == "contact" else None
    p.raise_if_any()
    assert question is not None
    return SignalSpec(
        kind=kind,
        domain=domain.lower() if domain else None,
        contact_profile_url=profile_url.strip() if profile_url else None,
        question=question,
        answer_type=answer_type,
        output_schema=schema or None,
        weight=str(body.weight) if body.weight else (template["weight"] if template else "important"),
        verification_mode=str(body.verificationMode) if body.verificationMode else "strict",
        qualification_criteria=body.qualificationCriteria or (template["qualification_criteria"] if template else None),
        signal_template_id=template["id"] if template else None,
        webhook_url=body.webhookUrl.strip() if body.webhookUrl else None,
        force_refresh=bool(body.forceRefresh),
        connectors=getattr(body, "connectors", None),
        person=person,
    )


def _person(p: Problems, body: Any) -> dict[str, str] | None:
    """The optional fullName and companyDomain of a contact signal, checked (Dossier extension)."""
    full_name, domain = getattr(body, "fullName", None), getattr(body, "companyDomain", None)
    out: dict[str, str] = {}
    if full_name is not None:
        name = " ".join(full_name.split())
        if not name:
            p.add("fullName", "must not be empty")
        elif "\x00" in name:
            p.add("fullName", "must not contain NUL characters")
        else:
            out["fullName"] = name
    if domain is not None:
        if not is_domain(domain.strip()):
            p.add("companyDomain", DOMAIN_MESSAGE)
        else:
            out["companyDomain"] = domain.strip().lower()
    return out or None


def new_row(principal: Principal, spec: SignalSpec, *, batch_id: str | None = None) -> dict[str, Any]:
    now = utcnow()
    return {
        "id": new_uuid(),
        "organization_id": principal.organization_id,
        "kind": spec.kind,
        "status": "processing",
        "domain": spec.domain,
        "contact_profile_url": spec.contact_profile_url,
        "profile_key": profile_key(spec.contact_profile_url) if spec.contact_profile_url else None,
        "question": spec.question,
        "answer_type": spec.answer_type,
        "output_schema": spec.output_schema,
        "weight": spec.weight,
        "verification_mode": spec.verification_mode,
        "qualification_criteria": spec.qualification_criteria,
        "signal_template_id": spec.signal_template_id,
        "subscription_id": None,
        "company_id": None,
        "webhook_url": spec.webhook_url,
        "connectors": spec.connectors,
        "batch_id": batch_id,
        "answer": None,
        "confidence": None,
        "reasoning": None,
        "sources": None,
        "evidence": None,
        "qualification": None,
        "error": None,
        "cost_usd": 0.0,
        "as_of": None,
        "cache_key": spec.key,
        "force_refresh": spec.force_refresh,
        "attempt": 0,
        "lease_until": None,
        "worker": None,
        "created_at": now,
        "updated_at": now,
        "completed_at": None,
    }


@dataclass
class Created:
    signal: dict[str, Any]  # wire form
    new: bool
    cached: bool


async def create(rt: Runtime, principal: Principal, spec: SignalSpec, *, join_in_flight: bool = False) -> Created:
    """Return a cached answer, join an identical signal in flight (sync only), or create and queue a new one."""
    since = utcnow() - timedelta(seconds=rt.settings.cache_ttl_seconds)

    def work(c: Connection) -> Created:
        if not spec.force_refresh:
            cached = repository.find_cached(c, principal.organization_id, spec.key, since)
            if cached is not None:
                return Created(to_wire(cached, cached=True), new=False, cached=True)
            if join_in_flight:
                running = repository.find_in_flight(c, principal.organization_id, spec.key)
                if running is not None:
                    return Created(to_wire(running), new=False, cached=False)
        row = new_row(principal, spec)
        repository.insert_signals(c, [row])
        rt.jobs.enqueue_in(c, KIND, {"signalId": row["id"], **({"person": spec.person} if spec.person else {})})
        wire = repository.wire_row(c, row["id"])
        assert wire is not None
        return Created(to_wire(wire), new=True, cached=False)

    created = await rt.db.write(work)
    if created.new:
        rt.jobs.notify()
    return created


async def wait_for(rt: Runtime, principal: Principal, signal_id: str, seconds: float) -> dict[str, Any]:
    """The signal once it leaves `processing`, or as it stands when `seconds` run out."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        signal = await get_signal(rt.db, principal, signal_id, None)
        if signal["status"] != "processing":
            return signal
        remaining = deadline - loop.time()
        if remaining <= 0:
            return signal
        # Woken by the worker that finishes it; the periodic re-read covers a worker in another process.
        await rt.waiters.wait(signal_id, min(remaining, 2.0))


MAX_SYNC_BATCH = 100
MAX_ASYNC_BATCH = 20_000


@dataclass
class BatchOutcome:
    batch_id: str
    submitted_at: str
    rows: list[dict[str, Any]]  # {"id","status","domain","question","error","createdAt"}

    @property
    def accepted(self) -> int:
        return sum(1 for r in self.rows if r["id"] is not None)


async def create_batch(rt: Runtime, principal: Principal, body: Any) -> BatchOutcome:
    """Every signal spec x every domain. A bad domain rejects its rows; a bad spec rejects the request."""
    pairs = len(body.signals) * len(body.domains)
    limit = MAX_ASYNC_BATCH if body.async_ else MAX_SYNC_BATCH
    p = Problems()
    if pairs > limit:
        mode = "async" if body.async_ else "sync"
        p.add("signals", f"x domains makes {pairs} signals; at most {limit} per {mode} batch")
    specs = []
    for i, s in enumerate(body.signals):
        question = check_question(p, s.question, f"signals[{i}].question")
        answer_type = str(s.answerType) if s.answerType else "open_text"
        if answer_type in CONTACT_ONLY_TYPES:
            p.add(f"signals[{i}].answerType", f"'{answer_type}' applies to contact signals only")
        check_output_schema(p, answer_type, s.outputSchema, f"signals[{i}].outputSchema")
        check_webhook_url(p, s.webhookUrl, rt.client.policy, f"signals[{i}].webhookUrl")
        specs.append((s, question, answer_type))
    p.raise_if_any()
    batch_id = new_uuid()
    now = utcnow()
    since = now - timedelta(seconds=rt.settings.cache_ttl_seconds)

    pairs_specs: list[tuple[Any, SignalSpec | None, str | None]] = []  # (raw domain, spec or None, question)
    for raw_domain in body.domains:
        domain = raw_domain.strip().lower() if isinstance(raw_domain, str) else ""
        for s, question, answer_type in specs:
            if not is_domain(domain):
                pairs_specs.append((raw_domain, None, question))
                continue
            spec = SignalSpec(
                kind="company",
                domain=domain,
                contact_profile_url=None,
                question=question or "",
                answer_type=answer_type,
                output_schema=s.outputSchema or None,
                weight=str(s.weight or "important"),
                verification_mode=str(s.verificationMode or "strict"),
                qualification_criteria=None,
                signal_template_id=None,
                webhook_url=s.webhookUrl,
                force_refresh=s.forceRefresh,
                connectors=None,
            )
            pairs_specs.append((raw_domain, spec, question))

    def work(c: Connection) -> list[dict[str, Any]]:
        keys = sorted({spec.key for _, spec, _ in pairs_specs if spec is not None and not spec.force_refresh})
        cached = repository.find_cached_many(c, principal.organization_id, keys, since)
        out: list[dict[str, Any]] = []
        fresh: list[dict[str, Any]] = []
        for raw_domain, spec, question in pairs_specs:
            if spec is None:
                out.append(
                    {
                        "id": None,
                        "status": "rejected",
                        "domain": raw_domain,
                        "question": question,
                        "error": f"'domain' {DOMAIN_MESSAGE}",
                        "createdAt": None,
                    }
                )
                continue
            hit = None if spec.force_refresh else cached.get(spec.key)
            if hit is not None:
                out.append(
                    {
                        "id": hit["id"],
                        "status": hit["status"],
                        "domain": spec.domain,
                        "question": spec.question,
                        "error": None,
                        "createdAt": format_rfc3339(hit["created_at"]),
                    }
                )
                continue
            row = new_row(principal, spec, batch_id=batch_id)
            fresh.append(row)
            out.append(
                {
                    "id": row["id"],
                    "status": "processing",
                    "domain": spec.domain,
                    "question": spec.question,
                    "error": None,
                    "createdAt": format_rfc3339(row["created_at"]),
                }
            )
        for start in range(0, len(fresh), 1000):
            chunk = fresh[start : start + 1000]
            repository.insert_signals(c, chunk)
            rt.jobs.enqueue_many_in(c, KIND, [{"signalId": row["id"]} for row in chunk])
        return out

    rows = await rt.db.write(work)
    rt.jobs.notify()
    return BatchOutcome(batch_id, format_rfc3339(now) or "", rows)
