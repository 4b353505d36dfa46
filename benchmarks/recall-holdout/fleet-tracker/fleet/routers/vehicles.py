from typing import Any, Optional
from datetime import datetime

from fastapi import APIRouter, Body, Depends, HTTPException, Query

from ..container import vehicle_service
from ..schemas import PositionIn, PositionOut, VehicleOut
from ..security import Principal, current_principal, ensure_same_company
from ..services.vehicles import VehicleService

router = APIRouter(prefix="/vehicles", tags=["vehicles"], dependencies=[Depends(current_principal)])


@router.get("", response_model=list[VehicleOut])
async def list_vehicles(
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
    principal: Principal = Depends(current_principal),
    svc: VehicleService = Depends(vehicle_service),
):
    return await svc.overview(principal.company_id, limit, offset)


@router.get("/status-counts")
async def status_counts(
    principal: Principal = Depends(current_principal),
    svc: VehicleService = Depends(vehicle_service),
) -> dict[str, int]:
    return await svc.status_counts(principal.company_id)


@router.patch("/{vehicle_id}", response_model=VehicleOut)
async def patch_vehicle(
    vehicle_id: int,
    changes: dict[str, Any] = Body(...),
    principal: Principal = Depends(current_principal),
    svc: VehicleService = Depends(vehicle_service),
):
    vehicle = await svc.vehicles.get(vehicle_id)
    ensure_same_company(vehicle, principal)
    return await svc.update(vehicle, changes)


@router.get("/{vehicle_id}/positions", response_model=list[PositionOut])
async def position_history(
    vehicle_id: int,
    since: Optional[datetime] = None,
    principal: Principal = Depends(current_principal),
    svc: VehicleService = Depends(vehicle_service),
):
    vehicle = await svc.vehicles.get(vehicle_id)
    ensure_same_company(vehicle, principal)
    return await svc.positions.history(vehicle.id, since)


@router.post("/{vehicle_id}/positions", status_code=202)
async def upload_positions(
    vehicle_id: int,
    points: list[PositionIn] = Body(..., max_length=500),
    principal: Principal = Depends(current_principal),
    svc: VehicleService = Depends(vehicle_service),
) -> dict[str, int]:
    if not points:
        raise HTTPException(400, "no points")
    vehicle = await svc.vehicles.get(vehicle_id)
    ensure_same_company(vehicle, principal)
    return {"stored": await svc.record_positions(vehicle, points)}


@router.get("/{vehicle_id}/where")
async def where_is(
    vehicle_id: int,
    principal: Principal = Depends(current_principal),
    svc: VehicleService = Depends(vehicle_service),
) -> dict:
    vehicle = await svc.vehicles.get(vehicle_id)
    ensure_same_company(vehicle, principal)
    return await svc.where_is(vehicle)
