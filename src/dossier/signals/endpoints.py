from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from dossier.accounts.dependencies import CurrentPrincipal
from dossier.kit.ids import UUID_PATTERN
from dossier.kit.openapi import error_responses
from dossier.kit.pagination import results_envelope
from dossier.kit.responses import JSONBody
from dossier.kit.validation import DOMAIN_PATTERN
from dossier.signals import service
from dossier.signals.repository import SignalFilter
from dossier.signals.schemas import SignalList, SignalOut, SignalStatus

router = APIRouter(prefix="/v1", tags=["signals"])

Limit = Annotated[int, Query(ge=1, le=25, description="Maximum number of results per page", examples=[25])]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="Number of results to skip for pagination", examples=[0])]
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
            description="Signals completed on or after this date (RFC 3339)",
            json_schema_extra={"format": "date-time"},
        ),
    ] = None,
    toDate: Annotated[
        str | None,
        Query(
            description="Signals completed on or before this date (RFC 3339)",
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
    completed_from, completed_to = service.parse_date_range(fromDate, toDate)
    f = SignalFilter(
        kind="company",
        domain=domain.lower() if domain else None,
        company_id=companyId,
        statuses=service.parse_statuses(status),
        completed_from=completed_from,
        completed_to=completed_to,
        subscription_id=subscriptionId,
    )
    results, total = await service.list_signals(request.app.state.db, principal, f, limit=limit, offset=offset)
    return JSONBody(results_envelope(results, total, limit, offset))


@router.get(
    "/companies/signals/{signalId}",
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
    "/contacts/signals/{signalId}",
    operation_id="getContactSignal",
    response_model=SignalOut,
    responses=error_responses(401, 404, 500, **NOT_FOUND),
    summary="Get a contact signal",
)
async def get_contact_signal(request: Request, principal: CurrentPrincipal, signalId: SignalId) -> JSONBody:
    return JSONBody(await service.get_signal(request.app.state.db, principal, signalId, "contact"))
