from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import Parameter

from ..repositories.spaces import SpaceRepository
from ..schemas import SpaceIn
from ..security.guards import manager_guard
from ..security.tokens import Principal
from ..services.bookings import BookingService


class SpacesController(Controller):
    path = "/api/spaces"
    tags = ["spaces"]

    @get("/")
    async def search(
        self,
        request: Request[Principal, Any, Any],
        spaces: SpaceRepository,
        floor: int | None = None,
        amenity: str | None = None,
        sort: str = "name",
        limit: int = Parameter(default=25, ge=1, le=100),
        offset: int = Parameter(default=0, ge=0),
    ) -> list[dict]:
        rows = await spaces.search(request.user.org_id, floor, amenity, sort, limit, offset)
        return [dict(r) for r in rows]

    @get("/floors/{floor:int}/availability")
    async def availability(
        self,
        request: Request[Principal, Any, Any],
        booking_service: BookingService,
        floor: int,
        starts_at: datetime,
        ends_at: datetime,
    ) -> list[dict]:
        return await booking_service.floor_availability(request.user, floor, starts_at, ends_at)

    @post("/", guards=[manager_guard], status_code=201)
    async def create_space(self, request: Request[Principal, Any, Any], data: SpaceIn, spaces: SpaceRepository) -> dict:
        space_id = await spaces.create_space(request.user.org_id, data.name, data.floor, data.hourly_credits, data.amenities)
        return {"id": space_id}
