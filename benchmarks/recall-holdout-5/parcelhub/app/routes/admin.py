from datetime import date
from fastapi import APIRouter, Depends

from app.deps import SessionDep, require_admin
from app.repositories.users import UserRepository
from app.schemas import UserOut
from app.services.reporting import ReportService

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)])


@router.get("/users", response_model=list[UserOut])
async def list_users(session: SessionDep) -> list[UserOut]:
    users = await UserRepository(session).all_users()
    return [UserOut.model_validate(u) for u in users]


@router.get("/reports/status-counts")
async def status_counts(session: SessionDep) -> dict[str, int]:
    return await ReportService(session).status_counts()


@router.get("/reports/daily")
async def daily(session: SessionDep, day: date) -> dict:
    return await ReportService(session).daily_sales(day)
