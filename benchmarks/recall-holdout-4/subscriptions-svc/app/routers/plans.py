from fastapi import APIRouter, HTTPException, status

from app.deps import CurrentUser, PlanRepo, SessionDep
from app.schemas import PlanOut, PlanUpdate
from app.utils import row_to_dict

router = APIRouter(prefix="/plans", tags=["plans"])


@router.get("")
async def list_plans(plans: PlanRepo) -> list[dict]:
    """Public pricing table, also rendered on the marketing site."""
    return [row_to_dict(plan) for plan in await plans.list_public()]


@router.put("/{code}", response_model=PlanOut)
async def update_plan(code: str, body: PlanUpdate, user: CurrentUser, plans: PlanRepo, session: SessionDep):
    plan = await plans.get_by_code(code)
    if plan is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "plan not found")
    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(plan, field, value)
    await session.commit()
    return plan
