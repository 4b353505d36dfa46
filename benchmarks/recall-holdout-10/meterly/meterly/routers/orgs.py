from typing import Any

from fastapi import APIRouter, Body, Depends, HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.db import get_session
from meterly.deps import Principal, get_current_user, require_scope
from meterly.repositories.orgs import OrgRepository
from meterly.schemas import OrgOut

router = APIRouter(prefix="/orgs", tags=["orgs"], dependencies=[Depends(get_current_user)])


@router.get("/me", response_model=OrgOut)
async def my_org(
    principal: Principal = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
):
    org = await OrgRepository(session).get(principal.org_id)
    if org is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "organization not found")
    return org


@router.patch("/me", response_model=OrgOut)
async def update_my_org(
    changes: dict[str, Any] = Body(...),
    principal: Principal = Depends(require_scope("org:admin")),
    session: AsyncSession = Depends(get_session),
):
    repo = OrgRepository(session)
    org = await repo.get(principal.org_id)
    if org is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "organization not found")
    await repo.apply_changes(org, changes)
    await repo.audit(org.id, principal.user_id or 0, "org.update")
    await session.commit()
    return org
