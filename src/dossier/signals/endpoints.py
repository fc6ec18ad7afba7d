from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request

from dossier.accounts.dependencies import CurrentPrincipal
from dossier.accounts.routing import KeyFirstRoute
from dossier.kit.auth import Principal
from dossier.kit.errors import ApiError
from dossier.kit.ids import UUID_PATTERN
from dossier.kit.openapi import ErrorEnvelope, error_responses
from dossier.kit.pagination import MAX_OFFSET, results_envelope
from dossier.kit.responses import JSONBody
from dossier.kit.strict import DIGITS_ONLY
from dossier.kit.validation import DOMAIN_PATTERN
from dossier.runtime import Runtime
from dossier.signals import service
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
from dossier.signals.validation import Problems

router = APIRouter(prefix="/v1", tags=["signals"], route_class=KeyFirstRoute)

Limit = Annotated[
    int, Query(ge=1, le=25, description="Maximum number of results per page", examples=[25]), DIGITS_ONLY
]
Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description="Number of results to skip for pagination", examples=[0]), DIGITS_ONLY
]
SignalId = Annotated[
    str,
    Path(
        description="The unique identifier of the signal (UUID format)",
        json_schema_extra={"pattern": UUID_PATTERN},
        examples=["e45c1dc4-d422-4b51-956b-cb6d3ddaf250"],
    ),
]
NOT_FOUND = {"d404": service.SIGNAL_NOT_FOUND}


@router.get(
    "/companies/signals",
    operation_id="listSignals",
    response_model=SignalList,
    responses=error_responses(400, 401, 500),
    summary="List company signals, newest first",
)
async def list_company_signals(
    request: Request,
    principal: CurrentPrincipal,
    domain: Annotated[
        str | None, Query(pattern=DOMAIN_PATTERN, max_length=253, description="Filter by company domain")
    ] = None,
    companyId: Annotated[str | None, Query(description="Filter by company ID")] = None,
    limit: Limit = 25,
    offset: Offset = 0,
    fromDate: Annotated[
        str | None,
        Query(
            description="Signals completed on or after this date (RFC 3339); not after toDate (400)",
            json_schema_extra={"format": "date-time"},
        ),
    ] = None,
    toDate: Annotated[
        str | None,
        Query(
            description="Signals completed on or before this date (RFC 3339); not before fromDate (400)",
            json_schema_extra={"format": "date-time"},
        ),
    ] = None,
    status: Annotated[
        list[str] | None,
        Query(
            description="Filter by status (repeatable)",
            json_schema_extra={"items": {"type": "string", "enum": [s.value for s in SignalStatus]}},
        ),
    ] = None,
    subscriptionId: Annotated[str | None, Query(description="Filter by subscription ID")] = None,
) -> JSONBody:
    f = service.company_filter(domain, companyId, status, fromDate, toDate, subscriptionId)
    results, total = await service.list_signals(request.app.state.db, principal, f, limit=limit, offset=offset)
    return JSONBody(results_envelope(results, total, limit, offset))


@router.get(
    "/companies/signals/{signalId:uuid_id}",
    operation_id="getSignal",
    response_model=SignalOut,
    responses=error_responses(401, 404, 500, **NOT_FOUND),
    summary="Get a company signal",
)
async def get_company_signal(request: Request, principal: CurrentPrincipal, signalId: SignalId) -> JSONBody:
    return JSONBody(await service.get_signal(request.app.state.db, principal, signalId, "company"))


@router.get(
    "/contacts/signals",
    operation_id="listContactSignals",
    response_model=SignalList,
    responses=error_responses(400, 401, 500),
    summary="List contact signals, newest first",
)
async def list_contact_signals(
    request: Request,
    principal: CurrentPrincipal,
    contactProfileUrl: Annotated[
        str | None,
        Query(
            max_length=2048,
            description="Filter signals by contact profile URL (LinkedIn or other professional profile)",
        ),
    ] = None,
    limit: Limit = 25,
    offset: Offset = 0,
) -> JSONBody:
    f = service.contact_filter(contactProfileUrl)
    results, total = await service.list_signals(request.app.state.db, principal, f, limit=limit, offset=offset)
    return JSONBody(results_envelope(results, total, limit, offset))


@router.get(
    "/contacts/signals/{signalId:uuid_id}",
    operation_id="getContactSignal",
    response_model=SignalOut,
    responses=error_responses(401, 404, 500, **NOT_FOUND),
    summary="Get a contact signal",
)
async def get_contact_signal(request: Request, principal: CurrentPrincipal, signalId: SignalId) -> JSONBody:
    return JSONBody(await service.get_signal(request.app.state.db, principal, signalId, "contact"))


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


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def _create(request: Request, principal: Principal, kind: str, body: Any) -> JSONBody:
    rt = _runtime(request)
    spec = await service.build_spec(rt.db, principal, kind, body, outbound=rt.client.policy)
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
    request: Request, principal: Principal, kind: str, body: Any, seconds: int | None, error: str | None
) -> JSONBody:
    rt = _runtime(request)
    timeout, timeout_error = _sync_headers(seconds, error, rt.settings.sync_timeout_seconds)
    spec = await service.build_spec(rt.db, principal, kind, body, outbound=rt.client.policy)
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
async def create_company_signal(request: Request, principal: CurrentPrincipal, body: CreateCompanySignal) -> JSONBody:
    return await _create(request, principal, "company", body)


@router.post(
    "/companies/signals/sync",
    operation_id="createCompanySignalSync",
    response_model=SignalOut,
    responses=SYNC_RESPONSES,
    summary="Create a company signal and wait for its answer",
)
async def create_company_signal_sync(
    request: Request,
    principal: CurrentPrincipal,
    body: CreateCompanySignal,
    x_sbr_timeout_sec: TimeoutSec = None,
    x_sbr_timeout_error: TimeoutError_ = None,
) -> JSONBody:
    return await _create_sync(request, principal, "company", body, x_sbr_timeout_sec, x_sbr_timeout_error)


@router.post(
    "/contacts/signals",
    operation_id="createContactSignal",
    status_code=201,
    response_model=SignalOut,
    responses=CREATE_RESPONSES,
    summary="Create a contact signal (processed in the background)",
)
async def create_contact_signal(request: Request, principal: CurrentPrincipal, body: CreateContactSignal) -> JSONBody:
    return await _create(request, principal, "contact", body)


@router.post(
    "/contacts/signals/sync",
    operation_id="createContactSignalSync",
    response_model=SignalOut,
    responses=SYNC_RESPONSES,
    summary="Create a contact signal and wait for its answer",
)
async def create_contact_signal_sync(
    request: Request,
    principal: CurrentPrincipal,
    body: CreateContactSignal,
    x_sbr_timeout_sec: TimeoutSec = None,
    x_sbr_timeout_error: TimeoutError_ = None,
) -> JSONBody:
    return await _create_sync(request, principal, "contact", body, x_sbr_timeout_sec, x_sbr_timeout_error)


@router.post(
    "/companies/signals/batch",
    operation_id="createSignalBatch",
    status_code=201,
    responses={**error_responses(400, 401, 500), 201: {"model": BatchSyncResult}, 202: {"model": BatchAsyncResult}},
    summary="Create every signal x every domain (sync: up to 100, async: up to 20,000)",
)
async def create_signal_batch(request: Request, principal: CurrentPrincipal, body: CreateBatch) -> JSONBody:
    outcome = await service.create_batch(_runtime(request), principal, body)
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
