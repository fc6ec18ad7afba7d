from __future__ import annotations

from fastapi import APIRouter

from dossier.accounts import service
from dossier.accounts.dependencies import CurrentPrincipal
from dossier.accounts.routing import KeyFirstRoute
from dossier.accounts.schemas import Credits
from dossier.kit.db import CurrentDatabase
from dossier.kit.openapi import error_responses

router = APIRouter(prefix="/v1", tags=["account"], route_class=KeyFirstRoute)


@router.get(
    "/credits",
    operation_id="getCredits",
    response_model=Credits,
    responses=error_responses(401, 500),
    summary="Remaining credits (Dossier has no billing: a large per-organisation constant)",
)
async def get_credits(db: CurrentDatabase, principal: CurrentPrincipal) -> Credits:
    return Credits(remainingCredits=await service.credits(db, principal))
