from typing import Optional

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Query

from ..container import trip_service
from ..schemas import TripCreate, TripOut
from ..security import Principal, current_principal
from ..services.trips import TripService

router = APIRouter(prefix="/trips", tags=["trips"], dependencies=[Depends(current_principal)])


@router.get("", response_model=list[TripOut])
async def list_trips(
    status: Optional[str] = None,
    sort: str = "created_at DESC",
    limit: int = Query(100, ge=1, le=500),
    principal: Principal = Depends(current_principal),
    svc: TripService = Depends(trip_service),
):
    return await svc.list(principal, status, sort, limit)


@router.get("/board")
async def board(
    principal: Principal = Depends(current_principal),
    svc: TripService = Depends(trip_service),
) -> list[dict]:
    return await svc.board(principal)


@router.get("/{trip_id}", response_model=TripOut)
async def get_trip(trip_id: int, svc: TripService = Depends(trip_service)):
    trip = await svc.get(trip_id)
    if trip is None:
        raise HTTPException(404, "not found")
    return trip


@router.post("", response_model=TripOut, status_code=201)
async def start_trip(
    data: TripCreate,
    principal: Principal = Depends(current_principal),
    svc: TripService = Depends(trip_service),
):
    return await svc.start(principal, data)


@router.post("/{trip_id}/finish", response_model=TripOut)
async def finish_trip(
    trip_id: int,
    background: BackgroundTasks,
    principal: Principal = Depends(current_principal),
    svc: TripService = Depends(trip_service),
):
    trip = await svc.get(trip_id)
    if trip is None:
        raise HTTPException(404, "not found")
    trip = await svc.finish(principal, trip)
    urls = await svc.subscribers(principal.company_id, "trip.finished")
    if urls:
        background.add_task(svc.notify_finished, urls, trip.id)
    return trip
