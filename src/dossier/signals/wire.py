"""The wire form of a stored signal: what GET returns, lists hold and webhooks carry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from orjson import Fragment

from dossier.kit.time import format_rfc3339
from dossier.signals.repository import WIRE_NAMES


def to_wire(row: Mapping[str, Any], *, cached: bool = False) -> dict[str, Any]:
    """The Signal object exactly as GET returns it (and as webhooks carry it); serialise it with orjson."""
    return wire_from_row(tuple(row[name] for name in WIRE_NAMES), cached=cached)


def wire_from_row(row: Sequence[Any], *, cached: bool = False) -> dict[str, Any]:
    """`to_wire` for a row in `WIRE_NAMES` order (what the get and list statements select).

    A list page builds 25 of these, so it is written flat: one unpacking, one dict literal. Stored JSON
    text goes into the response as is (orjson embeds a Fragment without parsing it).
    """
    (
        id_, kind, status, domain, profile_url, question, answer_type, output_schema, weight, mode, template_id,
        subscription_id, company_id, answer, confidence, reasoning, sources, evidence, qualification, error,
        cost_usd, as_of, created_at, completed_at,
    ) = row  # fmt: skip
    company = kind == "company"
    return {
        "id": id_,
        "signalType": kind,
        "status": status,
        ("domain" if company else "contactProfileUrl"): domain if company else profile_url,
        "question": question,
        "answerType": answer_type,
        "outputSchema": None if output_schema is None else Fragment(output_schema),
        "weight": weight,
        "verificationMode": mode,
        "signalTemplateId": template_id,
        "subscriptionId": subscription_id,
        "companyId": company_id,
        "answer": None if answer is None else Fragment(answer),
        "confidence": confidence,
        "reasoning": reasoning,
        "sources": _EMPTY_LIST if sources is None else Fragment(sources),
        "qualification": qualification,
        "createdAt": format_rfc3339(created_at),
        "completedAt": format_rfc3339(completed_at),
        "error": error,
        "evidence": _EMPTY_LIST if evidence is None else Fragment(evidence),
        "cached": cached,
        "asOf": format_rfc3339(as_of),
        "costUsd": cost_usd or 0.0,
    }


_EMPTY_LIST = Fragment(b"[]")
