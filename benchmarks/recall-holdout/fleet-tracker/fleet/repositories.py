from datetime import datetime
from typing import Optional, Sequence

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from .models import FuelTransaction, Position, Trip, User, Vehicle


class VehicleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, vehicle_id: int) -> Optional[Vehicle]:
        return await self.session.get(Vehicle, vehicle_id)

    async def by_fuel_card(self, card_ref: str) -> Optional[Vehicle]:
        return await self.session.scalar(select(Vehicle).where(Vehicle.fuel_card_ref == card_ref))

    async def page_for_company(self, company_id: int, limit: int, offset: int) -> Sequence[Vehicle]:
        stmt = (
            select(Vehicle)
            .where(Vehicle.company_id == company_id)
            .options(selectinload(Vehicle.driver))
            .order_by(Vehicle.plate)
            .limit(limit)
            .offset(offset)
        )
        return (await self.session.scalars(stmt)).all()

    async def count_by_status(self, company_id: int, status: str) -> int:
        result = await self.session.execute(
            text("SELECT count(*) FROM vehicles WHERE company_id = :cid AND status = :status"),
            {"cid": company_id, "status": status},
        )
        return int(result.scalar_one())


class PositionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_many(self, vehicle_id: int, rows: list[dict]) -> None:
        self.session.add_all(Position(vehicle_id=vehicle_id, **row) for row in rows)
        await self.session.commit()

    async def history(self, vehicle_id: int, since: Optional[datetime] = None) -> Sequence[Position]:
        stmt = select(Position).where(Position.vehicle_id == vehicle_id)
        if since is not None:
            stmt = stmt.where(Position.recorded_at >= since)
        return (await self.session.scalars(stmt.order_by(Position.recorded_at))).all()

    async def latest(self, vehicle_id: int) -> Optional[Position]:
        stmt = (
            select(Position)
            .where(Position.vehicle_id == vehicle_id)
            .order_by(Position.recorded_at.desc())
            .limit(1)
        )
        return await self.session.scalar(stmt)


class TripRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, trip_id: int) -> Optional[Trip]:
        return await self.session.get(Trip, trip_id)

    async def list_for_company(
        self, company_id: int, status: Optional[str], sort: str, limit: int
    ) -> Sequence[Trip]:
        stmt = select(Trip).where(Trip.company_id == company_id)
        if status:
            stmt = stmt.where(Trip.status == status)
        stmt = stmt.order_by(text(sort)).limit(limit)
        return (await self.session.scalars(stmt)).all()

    async def active(self, company_id: int) -> Sequence[Trip]:
        stmt = select(Trip).where(Trip.company_id == company_id, Trip.status == "in_progress")
        return (await self.session.scalars(stmt)).all()


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def set_role(self, user_id: int, role: str) -> None:
        await self.session.execute(update(User).where(User.id == user_id).values(role=role))
        await self.session.commit()


class FuelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, tx: FuelTransaction) -> FuelTransaction:
        self.session.add(tx)
        await self.session.commit()
        await self.session.refresh(tx)
        return tx
