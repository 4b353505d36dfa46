from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.db import get_session
from meterly.deps import Principal, get_current_user, require_scope
from meterly.models import Organization
from meterly.repositories.orgs import OrgRepository
from meterly.schemas import CreditGrantIn, OrgOut, PlanChangeIn
from meterly.services.wallet import WalletService

router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(require_scope("admin"))],
)
ops_router = APIRouter(prefix="/ops", tags=["ops"])


@router.post("/orgs/{org_id}/credits", status_code=204)
async def grant_credits(
    org_id: int,
    body: CreditGrantIn,
    principal: Principal = Depends(require_scope("admin")),
    session: AsyncSession = Depends(get_session),
):
    await WalletService(session).grant(org_id, body.amount, body.reason, principal.user_id or 0)


@router.post("/orgs/{org_id}/suspend", status_code=204)
async def suspend_org(
    org_id: int,
    principal: Principal = Depends(require_scope("admin")),
    session: AsyncSession = Depends(get_session),
):
    result = await session.execute(
        update(Organization).where(Organization.id == org_id).values(is_suspended=True)
    )
    if result.rowcount == 0:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "organization not found")
    await OrgRepository(session).audit(org_id, principal.user_id or 0, "org.suspend")
    await session.commit()


@router.get("/orgs/{org_id}/audit")
async def org_audit(
    org_id: int,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
    session: AsyncSession = Depends(get_session),
):
    rows = await OrgRepository(session).audit_page(org_id, limit, offset)
    return [{"actor_id": r.actor_id, "action": r.action, "at": r.created_at} for r in rows]


@ops_router.put("/orgs/{org_id}/plan", response_model=OrgOut)
async def change_plan(
    org_id: int,
    body: PlanChangeIn,
    principal: Principal = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
):
    repo = OrgRepository(session)
    org = await repo.get(org_id)
    if org is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "organization not found")
    org.plan = body.plan
    await repo.audit(org_id, principal.user_id or 0, f"plan.change:{body.plan.value}")
    await session.commit()
    return org
