from fastapi import APIRouter, Depends

from ..container import user_repository
from ..repositories import UserRepository
from ..schemas import RoleChange
from ..security import current_principal

router = APIRouter(prefix="/users", tags=["users"], dependencies=[Depends(current_principal)])


@router.put("/{user_id}/role", status_code=204)
async def change_role(
    user_id: int,
    body: RoleChange,
    repo: UserRepository = Depends(user_repository),
) -> None:
    await repo.set_role(user_id, body.role)
