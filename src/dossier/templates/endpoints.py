from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from dossier.accounts.dependencies import CurrentPrincipal
from dossier.accounts.routing import KeyFirstRoute
from dossier.kit.db import CurrentDatabase
from dossier.kit.ids import UUID_PATTERN
from dossier.kit.openapi import error_responses
from dossier.kit.pagination import MAX_OFFSET, items_envelope
from dossier.kit.responses import JSONBody
from dossier.kit.strict import DIGITS_ONLY
from dossier.templates import service
from dossier.templates.schemas import CreateTemplate, TemplateList, TemplateOut, UpdateTemplate

router = APIRouter(prefix="/v1/companies/signals/templates", tags=["templates"], route_class=KeyFirstRoute)
TemplateId = Annotated[str, Path(json_schema_extra={"pattern": UUID_PATTERN})]
NOT_FOUND = {"d404": service.TEMPLATE_NOT_FOUND}


@router.get(
    "",
    operation_id="listSignalTemplates",
    response_model=TemplateList,
    responses=error_responses(400, 401, 500),
    summary="List templates (latest version of each)",
)
async def list_templates(
    db: CurrentDatabase,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=100), DIGITS_ONLY] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET), DIGITS_ONLY] = 0,
    includeDeleted: bool = False,
) -> JSONBody:
    items, total = await service.list_templates(
        db, principal, include_deleted=includeDeleted, limit=limit, offset=offset
    )
    return JSONBody(items_envelope(items, total, limit, offset))


@router.post(
    "",
    operation_id="createSignalTemplate",
    response_model=TemplateOut,
    status_code=201,
    responses=error_responses(400, 401, 500),
    summary="Create a template (version 1)",
)
async def create_template(db: CurrentDatabase, principal: CurrentPrincipal, body: CreateTemplate) -> JSONBody:
    return JSONBody(await service.create(db, principal, body), status_code=201)


@router.get(
    "/{templateId:uuid_id}",
    operation_id="getSignalTemplate",
    response_model=TemplateOut,
    responses=error_responses(401, 404, 500, **NOT_FOUND),
    summary="Get a template's latest version",
)
async def get_template(db: CurrentDatabase, principal: CurrentPrincipal, templateId: TemplateId) -> JSONBody:
    return JSONBody(await service.get(db, principal, templateId))


@router.patch(
    "/{templateId:uuid_id}",
    operation_id="updateSignalTemplate",
    response_model=TemplateOut,
    responses=error_responses(400, 401, 404, 500, **NOT_FOUND),
    summary="Update a template (new version)",
)
async def update_template(
    db: CurrentDatabase, principal: CurrentPrincipal, templateId: TemplateId, body: UpdateTemplate
) -> JSONBody:
    return JSONBody(await service.update(db, principal, templateId, body))


@router.delete(
    "/{templateId:uuid_id}",
    operation_id="deleteSignalTemplate",
    status_code=204,
    responses=error_responses(401, 404, 500, **NOT_FOUND),
    summary="Delete a template (soft)",
)
async def delete_template(db: CurrentDatabase, principal: CurrentPrincipal, templateId: TemplateId) -> Response:
    await service.delete(db, principal, templateId)
    return Response(status_code=204)
