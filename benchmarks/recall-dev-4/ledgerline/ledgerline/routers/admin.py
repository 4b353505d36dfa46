import logging
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Security, status
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import get_session
from ..models import Organization, User
from ..schemas import OrganizationOut, UserOut
from ..security import get_current_user

logger = logging.getLogger(__name__)

router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    dependencies=[Security(get_current_user, scopes=["platform:admin"])],
)

SessionDep = Annotated[AsyncSession, Depends(get_session)]


@router.get("/organizations", response_model=list[OrganizationOut])
async def all_organizations(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    after_id: Annotated[int, Query(ge=0)] = 0,
):
    stmt = select(Organization).where(Organization.id > after_id).order_by(Organization.id).limit(limit)
    return (await session.scalars(stmt)).all()


@router.post("/users/{user_id}/deactivate", response_model=UserOut)
async def deactivate_user(user_id: int, session: SessionDep):
    user = await session.get(User, user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "User not found")
    await session.execute(update(User).where(User.id == user_id).values(is_active=False))
    await session.commit()
    await session.refresh(user)
    logger.info("platform admin deactivated user %s", user_id)
    return user
