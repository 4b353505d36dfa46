"""Endpoints used by the billing-ops tool (plan changes after a sales deal)."""
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import get_session
from ..models import Organization
from ..schemas import OrganizationOut

# served behind the ingress; the ops tool calls it from inside the cluster
router = APIRouter(prefix="/internal", tags=["internal"], include_in_schema=False)


class PlanChange(BaseModel):
    plan: str = Field(pattern="^(starter|growth|enterprise)$")


@router.put("/orgs/{org_id}/plan", response_model=OrganizationOut)
async def set_plan(org_id: int, body: PlanChange, session: Annotated[AsyncSession, Depends(get_session)]):
    org = await session.get(Organization, org_id)
    if org is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Organization not found")
    org.plan = body.plan
    await session.commit()
    return org
