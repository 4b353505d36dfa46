from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Trip, Vehicle
from ..repositories import VehicleRepository
from .errors import NotFound

TRIP_STATUSES = ("planned", "in_progress", "completed")


def get_vehicle_for_org(session: Session, org_id: int, vehicle_id: int) -> Vehicle:
    vehicle = VehicleRepository(session).get_for_org(org_id, vehicle_id)
    if vehicle is None:
        raise NotFound(f"vehicle {vehicle_id}")
    return vehicle


def trip_counts_by_status(session: Session, org_id: int) -> dict[str, int]:
    counts = {}
    for status in TRIP_STATUSES:
        counts[status] = session.scalar(
            select(func.count(Trip.id)).where(Trip.org_id == org_id, Trip.status == status)
        )
    return counts


def fleet_utilisation(session: Session, org_id: int) -> list[dict]:
    vehicles = VehicleRepository(session).all_for_org(org_id)
    rows = []
    for vehicle in vehicles:
        completed = [t for t in vehicle.trips if t.status == "completed"]
        rows.append(
            {
                "vehicle_id": vehicle.id,
                "plate": vehicle.plate,
                "trips": len(completed),
                "distance_km": round(sum(t.distance_km or 0.0 for t in completed), 1),
            }
        )
    return rows
