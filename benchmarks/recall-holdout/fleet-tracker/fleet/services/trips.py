import asyncio
import logging
from datetime import datetime, timezone
from typing import Optional, Sequence

import httpx
from fastapi import HTTPException, status
from sqlalchemy import select

from ..models import Trip, WebhookSubscription
from ..repositories import TripRepository, VehicleRepository
from ..schemas import TripCreate
from ..security import Principal, ensure_same_company

log = logging.getLogger(__name__)

ALLOWED_SORTS = {"created_at", "-created_at", "status"}


class TripService:
    def __init__(
        self, trips: TripRepository, vehicles: VehicleRepository, webhooks: httpx.AsyncClient
    ) -> None:
        self.trips = trips
        self.vehicles = vehicles
        self.webhooks = webhooks

    async def get(self, trip_id: int) -> Optional[Trip]:
        return await self.trips.get(trip_id)

    async def list(
        self, principal: Principal, status_filter: Optional[str], sort: str, limit: int
    ) -> Sequence[Trip]:
        return await self.trips.list_for_company(principal.company_id, status_filter, sort, limit)

    async def start(self, principal: Principal, data: TripCreate) -> Trip:
        vehicle = await self.vehicles.get(data.vehicle_id)
        ensure_same_company(vehicle, principal)
        if vehicle.status != "available":
            raise HTTPException(status.HTTP_409_CONFLICT, "vehicle is not available")
        vehicle.status = "in_use"
        trip = Trip(
            company_id=principal.company_id,
            vehicle_id=vehicle.id,
            driver_id=vehicle.driver_id,
            origin=data.origin,
            destination=data.destination,
            status="in_progress",
            started_at=datetime.now(timezone.utc),
        )
        self.trips.session.add(trip)
        await self.trips.session.commit()
        return trip

    async def board(self, principal: Principal) -> list[dict]:
        board = []
        for trip in await self.trips.active(principal.company_id):
            vehicle = await trip.awaitable_attrs.vehicle
            driver = await trip.awaitable_attrs.driver
            board.append(
                {
                    "trip_id": trip.id,
                    "plate": vehicle.plate,
                    "driver": driver.full_name if driver else None,
                    "destination": trip.destination,
                    "since": trip.started_at,
                }
            )
        return board

    async def finish(self, principal: Principal, trip: Trip) -> Trip:
        ensure_same_company(trip, principal)
        if trip.status != "in_progress":
            raise HTTPException(status.HTTP_409_CONFLICT, "trip is not in progress")
        session = self.trips.session
        vehicle = await self.vehicles.get(trip.vehicle_id)
        trip.status = "finished"
        trip.finished_at = datetime.now(timezone.utc)
        vehicle.status = "available"
        await session.commit()
        return trip

    async def subscribers(self, company_id: int, event: str) -> list[str]:
        stmt = select(WebhookSubscription.url).where(
            WebhookSubscription.company_id == company_id,
            WebhookSubscription.events.contains(event),
        )
        return list((await self.trips.session.scalars(stmt)).all())

    async def deliver(self, url: str, payload: dict, attempts: int = 4) -> None:
        backoff = 1.0
        delivery_id = f"{payload['event']}:{payload['trip_id']}"
        for attempt in range(attempts):
            try:
                resp = await self.webhooks.post(url, json=payload, headers={"X-Delivery-Id": delivery_id})
                if resp.status_code < 500:
                    return
                resp.raise_for_status()
            except (httpx.TransportError, httpx.HTTPStatusError) as exc:
                log.warning("webhook %s failed: %s", url, exc)
                if attempt == attempts - 1:
                    raise
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 30)

    async def notify_finished(self, urls: list[str], trip_id: int) -> None:
        payload = {"event": "trip.finished", "trip_id": trip_id}
        await asyncio.gather(*(self.deliver(u, payload) for u in urls), return_exceptions=True)

    async def send_test(self, url: str, event: str) -> int:
        resp = await self.webhooks.post(url, json={"event": event, "test": True})
        return resp.status_code
