from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Base

ModelT = TypeVar("ModelT", bound=Base)


class Repository(Generic[ModelT]):
    model: type[ModelT]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, obj_id: Any) -> ModelT | None:
        return await self.session.get(self.model, obj_id)

    async def add(self, obj: ModelT) -> ModelT:
        self.session.add(obj)
        await self.session.flush()
        return obj

    async def update(self, obj: ModelT, values: dict[str, Any]) -> ModelT:
        for key, value in values.items():
            if hasattr(obj, key):
                setattr(obj, key, value)
        await self.session.flush()
        return obj

    async def list_page(self, *, after_id: int = 0, limit: int = 50) -> list[ModelT]:
        stmt = (
            select(self.model)
            .where(self.model.id > after_id)  # type: ignore[attr-defined]
            .order_by(self.model.id)  # type: ignore[attr-defined]
            .limit(limit)
        )
        return list((await self.session.scalars(stmt)).all())
