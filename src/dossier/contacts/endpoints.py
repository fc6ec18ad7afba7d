from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from dossier.accounts.dependencies import CurrentPrincipal
from dossier.accounts.routing import KeyFirstRoute
from dossier.contacts import imports, search, service, warmup
from dossier.contacts.schemas import (
    ContactResearchOut,
    ContactSearch,
    ContactSearchResult,
    CreateContactResearch,
    ImportResult,
)
from dossier.kit.db import CurrentDatabase
from dossier.kit.ids import CONTACT_RESEARCH_PATTERN
from dossier.kit.openapi import documented, error_responses
from dossier.kit.responses import JSONBody
from dossier.kit.validation import NOT_BLANK_PATTERN
from dossier.runtime import CurrentRuntime

router = APIRouter(prefix="/v1", tags=["contacts"], route_class=KeyFirstRoute)

NOT_FOUND = {"d404": "Not Found - " + service.RESEARCH_NOT_FOUND}


@router.get(
    "/contacts/research",
    operation_id="getContactResearchByExternalID",
    response_model=ContactResearchOut,
    responses=error_responses(400, 401, 404, 500, d400="Bad Request - Missing required query parameters", **NOT_FOUND),
    summary="Get the most recent contact research for an external id",
)
async def get_contact_research_by_external_id(
    db: CurrentDatabase,
    principal: CurrentPrincipal,
    # Declared optional so a missing one gets the contract's own 400 message; app.py documents both as required.
    externalId: Annotated[
        str | None,
        Query(
            max_length=300,
            description="The external identifier of the contact (e.g., HubSpot contact ID)",
            json_schema_extra=documented(minLength=1, pattern=NOT_BLANK_PATTERN),
        ),
    ] = None,
    externalSource: Annotated[
        str | None,
        Query(
            max_length=100,
            description="The source system that provided the external ID (e.g., 'hubspot')",
            json_schema_extra=documented(minLength=1, pattern=NOT_BLANK_PATTERN),
        ),
    ] = None,
) -> JSONBody:
    return JSONBody(await service.get_by_external_id(db, principal, externalId, externalSource))


@router.post(
    "/contacts/research",
    operation_id="createContactResearch",
    status_code=201,
    response_model=ContactResearchOut,
    responses=error_responses(400, 401, 500),
    summary="Research a contact (processed in the background; the webhook receives the finished report)",
)
async def create_contact_research(
    rt: CurrentRuntime, principal: CurrentPrincipal, body: CreateContactResearch
) -> JSONBody:
    return JSONBody(await service.create_research(rt, principal, body), status_code=201)


@router.get(
    "/contacts/research/{id:contact_research_id}",
    operation_id="getContactResearch",
    response_model=ContactResearchOut,
    responses=error_responses(401, 404, 500, **NOT_FOUND),
    summary="Get contact research by id",
)
async def get_contact_research(
    db: CurrentDatabase,
    principal: CurrentPrincipal,
    id: Annotated[
        str,
        Path(
            description="The unique identifier of the contact research request",
            json_schema_extra={"pattern": CONTACT_RESEARCH_PATTERN},
            examples=["cr_abc123def456"],
        ),
    ],
) -> JSONBody:
    return JSONBody(await service.get_research(db, principal, id))


@router.post(
    "/contacts/search",
    operation_id="searchContacts",
    response_model=ContactSearchResult,
    responses=error_responses(
        400, 401, 422, 500, d400="Bad Request - Invalid input", d422="Unprocessable Entity - " + search.LINKEDIN_MESSAGE
    ),
    summary="Search the people Dossier knows (crawled company sites and imports)",
)
async def search_contacts(db: CurrentDatabase, principal: CurrentPrincipal, body: ContactSearch) -> JSONBody:
    return JSONBody(await search.search(db, principal, body))


# Column names are matched loosely (any CRM export's spelling); the document names the canonical ones, and
# a row must carry a name column: without one the whole import is refused (400).
_IMPORT_ROW = {
    "type": "object",
    "additionalProperties": {
        "anyOf": [
            {"type": "string"},
            {"type": "null"},
            # Numbers within the 64-bit range, as everywhere in a request (kit.jsonbody refuses others).
            {"type": "number", "exclusiveMinimum": -(2**63), "exclusiveMaximum": 2**63},
        ]
    },
    "anyOf": [{"required": ["fullName"]}, {"required": ["lastName"]}],
}


@router.post(
    "/contacts/import",
    operation_id="importContacts",
    response_model=ImportResult,
    responses=error_responses(400, 401, 415, 500, d415="Unsupported Media Type - send text/csv or JSON rows"),
    summary="Dossier extension: import people (CSV or JSON rows with CRM export columns)",
    description=(imports.__doc__ or "").split("\n\n", 1)[-1],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["rows"],
                        "properties": {"rows": {"type": "array", "items": _IMPORT_ROW}},
                        "additionalProperties": False,
                    }
                },
            },
        }
    },
)
async def import_contacts(
    request: Request, db: CurrentDatabase, principal: CurrentPrincipal, rt: CurrentRuntime
) -> JSONBody:
    # Read raw (CSV or JSON rows), so the body is declared in openapi_extra rather than as a parameter.
    raw = await request.body()
    content_type = request.headers.get("content-type", "")
    result = await service.import_people(db, principal, content_type, raw)
    warm = warmup.of(rt)
    if warm is not None:  # a bulk import read and wrote much: the search structures are read again when imports pause
        warm.after_import(result["imported"])
    return JSONBody(result)
