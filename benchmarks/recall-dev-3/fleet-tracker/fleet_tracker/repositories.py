from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, selectinload

from .models import Driver, FuelCard, Trip, Vehicle

VEHICLE_SORT_COLUMNS = {
    "plate": "plate",
    "odometer": "odometer_km",
    "updated": "updated_at",
}


class VehicleRepository:
    def __init__(self, session: Session):
        self.session = session

    def get_for_org(self, org_id: int, vehicle_id: int) -> Vehicle | None:
        stmt = select(Vehicle).where(Vehicle.id == vehicle_id, Vehicle.org_id == org_id)
        return self.session.scalars(stmt).one_or_none()

    def list_page(self, org_id: int, sort: str, limit: int, offset: int) -> list[Vehicle]:
        column = VEHICLE_SORT_COLUMNS.get(sort, "plate")
        sql = text(
            f"SELECT id FROM vehicles WHERE org_id = :org_id ORDER BY {column} LIMIT :limit OFFSET :offset"
        )
        ids = [row.id for row in self.session.execute(sql, {"org_id": org_id, "limit": limit, "offset": offset})]
        if not ids:
            return []
        stmt = select(Vehicle).where(Vehicle.id.in_(ids)).options(selectinload(Vehicle.trips))
        by_id = {v.id: v for v in self.session.scalars(stmt)}
        return [by_id[i] for i in ids if i in by_id]

    def search(self, org_id: int, term: str, status: str | None = None) -> list[Vehicle]:
        clause = f"(plate ILIKE '%{term}%' OR vin ILIKE '%{term}%' OR model ILIKE '%{term}%')"
        params = {"org_id": org_id}
        if status:
            clause += " AND status = :status"
            params["status"] = status
        rows = self.session.execute(text(f"SELECT id FROM vehicles WHERE org_id = :org_id AND {clause} LIMIT 100"), params)
        ids = [r.id for r in rows]
        return list(self.session.scalars(select(Vehicle).where(Vehicle.id.in_(ids))))

    def reserve(self, org_id: int, vehicle_id: int) -> bool:
        result = self.session.execute(
            update(Vehicle)
            .where(Vehicle.id == vehicle_id, Vehicle.org_id == org_id, Vehicle.status == "available")
            .values(status="reserved")
        )
        return result.rowcount == 1

    def all_for_org(self, org_id: int) -> list[Vehicle]:
        return list(self.session.scalars(select(Vehicle).where(Vehicle.org_id == org_id).order_by(Vehicle.plate)))


class TripRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, trip_id: int) -> Trip | None:
        return self.session.get(Trip, trip_id)

    def for_org(self, org_id: int, status: str | None = None) -> list[Trip]:
        stmt = select(Trip).where(Trip.org_id == org_id).order_by(Trip.started_at.desc())
        if status:
            stmt = stmt.where(Trip.status == status)
        return list(self.session.scalars(stmt))


class DriverRepository:
    def __init__(self, session: Session):
        self.session = session

    def get_for_org(self, org_id: int, driver_id: int) -> Driver | None:
        return self.session.scalars(
            select(Driver).where(Driver.id == driver_id, Driver.org_id == org_id)
        ).one_or_none()


class FuelCardRepository:
    def __init__(self, session: Session):
        self.session = session

    def for_driver(self, org_id: int, driver_id: int) -> FuelCard | None:
        return self.session.scalars(
            select(FuelCard).where(FuelCard.driver_id == driver_id, FuelCard.org_id == org_id)
        ).first()

    def credit(self, card_id: int, amount) -> None:
        self.session.execute(
            update(FuelCard).where(FuelCard.id == card_id).values(balance=FuelCard.balance + amount)
        )
