from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query
from pydantic import BaseModel, Field

from dossier.accounts.dependencies import CurrentPrincipal
from dossier.accounts.routing import KeyFirstRoute
from dossier.kit.auth import Principal
from dossier.kit.db import CurrentDatabase
from dossier.kit.errors import ApiError
from dossier.kit.ids import UUID_PATTERN
from dossier.kit.openapi import ErrorEnvelope, error_responses
from dossier.kit.pagination import MAX_OFFSET, results_envelope
from dossier.kit.problems import Problems
from dossier.kit.responses import JSONBody
from dossier.kit.strict import DIGITS_ONLY
from dossier.kit.validation import DOMAIN_PATTERN
from dossier.runtime import CurrentRuntime, Runtime
from dossier.signals import service
from dossier.signals.repository import SignalFilter
from dossier.signals.schemas import (
    BatchAsyncResult,
    BatchSyncResult,
    CreateBatch,
    CreateCompanySignal,
    CreateContactSignal,
    SignalList,
    SignalOut,
    SignalStatus,
)

router = APIRouter(prefix="/v1", tags=["signals"], route_class=KeyFirstRoute)

SignalId = Annotated[
    str,
    Path(
        description="The unique identifier of the signal (UUID format)",
        json_schema_extra={"pattern": UUID_PATTERN},
        examples=["e45c1dc4-d422-4b51-956b-cb6d3ddaf250"],
    ),
]
NOT_FOUND = {"d404": service.SIGNAL_NOT_FOUND}

# Bounds first, then the digits-only check (kit/strict.py): the OpenAPI document then shows the bounds as
# minimum/maximum on each model field's parameter.
Limit = Annotated[int, Field(ge=1, le=25, description="Maximum number of results per page", examples=[25]), DIGITS_ONLY]
Offset = Annotated[
    int, Field(ge=0, le=MAX_OFFSET, description="Number of results to skip for pagination", examples=[0]), DIGITS_ONLY
]


class CompanySignalQuery(BaseModel):
    """The company list's query parameters, declared once: FastAPI validates (and documents) them from this
    model (a query parameter model), and `signal_filter` turns them into the repository's filter."""

    domain: str | None = Field(None, pattern=DOMAIN_PATTERN, max_length=253, description="Filter by company domain")
    companyId: str | None = Field(None, description="Filter by company ID")
    limit: Limit = 25
    offset: Offset = 0
    fromDate: str | None = Field(
        None,
        description="Signals completed on or after this date (RFC 3339); not after toDate (400)",
        json_schema_extra={"format": "date-time"},
    )
    toDate: str | None = Field(
        None,
        description="Signals completed on or before this date (RFC 3339); not before fromDate (400)",
        json_schema_extra={"format": "date-time"},
    )
    status: list[str] | None = Field(
        None,
        description="Filter by status (repeatable)",
        json_schema_extra={"items": {"type": "string", "enum": [s.value for s in SignalStatus]}},
    )
    subscriptionId: str | None = Field(None, description="Filter by subscription ID")

    def signal_filter(self) -> SignalFilter:
        """400 for bad dates or statuses."""
        return service.company_filter(
            self.domain, self.companyId, self.status, self.fromDate, self.toDate, self.subscriptionId
        )


class ContactSignalQuery(BaseModel):
    """The contact list's query parameters (see CompanySignalQuery)."""

    contactProfileUrl: str | None = Field(
        None,
        max_length=2048,
        description="Filter signals by contact profile URL (LinkedIn or other professional profile)",
    )
    limit: Limit = 25
    offset: Offset = 0

    def signal_filter(self) -> SignalFilter:
        return service.contact_filter(self.contactProfileUrl)


SignalQuery = CompanySignalQuery | ContactSignalQuery


def _add_reads(kind: str, path: str, query: type[SignalQuery], list_id: str, get_id: str) -> None:
    """The list and get routes of one kind of signal: the same handlers for companies and contacts."""

    async def list_signals(db: CurrentDatabase, principal: CurrentPrincipal, q: SignalQuery) -> JSONBody:
        results, total = await service.list_signals(db, principal, q.signal_filter(), limit=q.limit, offset=q.offset)
        return JSONBody(results_envelope(results, total, q.limit, q.offset))

    # This kind's parameters (a query parameter model): the annotation as an object, since FastAPI resolves
    # annotation strings in the module's namespace, where `query` is not.
    list_signals.__annotations__["q"] = Annotated[query, Query()]

    async def get_signal(db: CurrentDatabase, principal: CurrentPrincipal, signalId: SignalId) -> JSONBody:
        return JSONBody(await service.get_signal(db, principal, signalId, kind))

    router.add_api_route(
        path,
        list_signals,
        methods=["GET"],
        operation_id=list_id,
        response_model=SignalList,
        responses=error_responses(400, 401, 500),
        summary=f"List {kind} signals, newest first",
    )
    router.add_api_route(
        f"{path}/{{signalId:uuid_id}}",
        get_signal,
        methods=["GET"],
        operation_id=get_id,
        response_model=SignalOut,
        responses=error_responses(401, 404, 500, **NOT_FOUND),
        summary=f"Get a {kind} signal",
    )


_add_reads("company", "/companies/signals", CompanySignalQuery, "listSignals", "getSignal")
_add_reads("contact", "/contacts/signals", ContactSignalQuery, "listContactSignals", "getContactSignal")


# --- creating signals -------------------------------------------------------------------------------------------

CREATE_RESPONSES = {
    **error_responses(400, 401, 404, 500, d404="Signal template not found or access denied"),
    200: {"model": SignalOut, "description": "A cached answer (cached: true)"},
}
SYNC_RESPONSES = {
    **CREATE_RESPONSES,
    202: {"model": SignalOut, "description": "Still processing when the timeout ran out"},
    408: {"model": ErrorEnvelope, "description": "Timed out (with X-Sbr-Timeout-Error: true)"},
}
TimeoutSec = Annotated[
    int | None, Header(alias="X-Sbr-Timeout-Sec", ge=1, le=900, description="1..900 seconds"), DIGITS_ONLY
]
TimeoutError_ = Annotated[
    str | None,
    Header(alias="X-Sbr-Timeout-Error", description="true or false", json_schema_extra={"enum": ["true", "false"]}),
]


async def _create(rt: Runtime, principal: Principal, kind: str, body: Any) -> JSONBody:
    spec = await service.build_spec(rt, principal, kind, body)
    created = await service.create(rt, principal, spec)
    return JSONBody(created.signal, status_code=201 if created.new else 200)


def _sync_headers(seconds: int | None, error: str | None, default: int) -> tuple[int, bool]:
    p = Problems()
    timeout = default if seconds is None else seconds
    flag = False
    if error is not None:
        if error.strip().lower() not in ("true", "false"):
            p.add("X-Sbr-Timeout-Error", "must be 'true' or 'false'")
        flag = error.strip().lower() == "true"
    p.raise_if_any()
    return timeout, flag


async def _create_sync(
    rt: Runtime, principal: Principal, kind: str, body: Any, seconds: int | None, error: str | None
) -> JSONBody:
    timeout, timeout_error = _sync_headers(seconds, error, rt.settings.sync_timeout_seconds)
    spec = await service.build_spec(rt, principal, kind, body)
    created = await service.create(rt, principal, spec, join_in_flight=True)
    if created.cached:
        return JSONBody(created.signal, status_code=200)
    signal = await service.wait_for(rt, principal, created.signal["id"], timeout)
    if signal["status"] != "processing":
        return JSONBody(signal, status_code=200)
    if timeout_error:
        raise ApiError(
            408,
            f"The signal did not finish within {timeout} seconds; it keeps processing (id {signal['id']})",
            headers={"X-Sbr-Timeout-Error": "true"},
        )
    return JSONBody(signal, status_code=202)


@router.post(
    "/companies/signals",
    operation_id="createSignal",
    status_code=201,
    response_model=SignalOut,
    responses=CREATE_RESPONSES,
    summary="Create a company signal (processed in the background)",
)
async def create_company_signal(rt: CurrentRuntime, principal: CurrentPrincipal, body: CreateCompanySignal) -> JSONBody:
    return await _create(rt, principal, "company", body)


@router.post(
    "/companies/signals/sync",
    operation_id="createCompanySignalSync",
    response_model=SignalOut,
    responses=SYNC_RESPONSES,
    summary="Create a company signal and wait for its answer",
)
async def create_company_signal_sync(
    rt: CurrentRuntime,
    principal: CurrentPrincipal,
    body: CreateCompanySignal,
    x_sbr_timeout_sec: TimeoutSec = None,
    x_sbr_timeout_error: TimeoutError_ = None,
) -> JSONBody:
    return await _create_sync(rt, principal, "company", body, x_sbr_timeout_sec, x_sbr_timeout_error)


@router.post(
    "/contacts/signals",
    operation_id="createContactSignal",
    status_code=201,
    response_model=SignalOut,
    responses=CREATE_RESPONSES,
    summary="Create a contact signal (processed in the background)",
)
async def create_contact_signal(rt: CurrentRuntime, principal: CurrentPrincipal, body: CreateContactSignal) -> JSONBody:
    return await _create(rt, principal, "contact", body)


@router.post(
    "/contacts/signals/sync",
    operation_id="createContactSignalSync",
    response_model=SignalOut,
    responses=SYNC_RESPONSES,
    summary="Create a contact signal and wait for its answer",
)
async def create_contact_signal_sync(
    rt: CurrentRuntime,
    principal: CurrentPrincipal,
    body: CreateContactSignal,
    x_sbr_timeout_sec: TimeoutSec = None,
    x_sbr_timeout_error: TimeoutError_ = None,
) -> JSONBody:
    return await _create_sync(rt, principal, "contact", body, x_sbr_timeout_sec, x_sbr_timeout_error)


@router.post(
    "/companies/signals/batch",
    operation_id="createSignalBatch",
    status_code=201,
    responses={**error_responses(400, 401, 500), 201: {"model": BatchSyncResult}, 202: {"model": BatchAsyncResult}},
    summary="Create every signal x every domain (sync: up to 100, async: up to 20,000)",
)
async def create_signal_batch(rt: CurrentRuntime, principal: CurrentPrincipal, body: CreateBatch) -> JSONBody:
    outcome = await service.create_batch(rt, principal, body)
    total = len(outcome.rows)
    if body.async_:
        return JSONBody(
            {
                "batchId": outcome.batch_id,
                "status": "processing",
                "async": True,
                "submittedAt": outcome.submitted_at,
                "totalSignals": total,
                "accepted": outcome.accepted,
                "rejected": total - outcome.accepted,
            },
            status_code=202,
        )
    return JSONBody(
        {
            "submittedAt": outcome.submitted_at,
            "totalSignals": total,
            "accepted": outcome.accepted,
            "rejected": total - outcome.accepted,
            "results": outcome.rows,
        },
        status_code=201,
    )
