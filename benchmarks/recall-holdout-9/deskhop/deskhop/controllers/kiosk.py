from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException

from ..repositories.bookings import BookingRepository
from ..repositories.spaces import SpaceRepository
from ..security.guards import kiosk_guard


class KioskController(Controller):
    """Endpoints used by the tablets next to each floor's entrance (X-Kiosk-Token, not member JWTs)."""

    path = "/api/kiosk"
    tags = ["kiosk"]

    @get("/floor", guards=[kiosk_guard])
    async def floor_status(self, request: Request[Any, Any, Any], spaces: SpaceRepository) -> list[dict]:
        desks = await spaces.desks_on_floor(request.state.kiosk_org_id, request.state.kiosk_floor)
        return [dict(d) for d in desks]

    @post("/desks/{desk_id:int}/check-in", guards=[kiosk_guard], status_code=200)
    async def check_in(self, request: Request[Any, Any, Any], desk_id: int, bookings: BookingRepository) -> dict:
        row = await bookings.check_in(request.state.kiosk_org_id, desk_id)
        if row is None:
            raise NotFoundException("no booking to check in")
        return {"booking_id": row["id"], "status": "checked_in"}

    @post("/desks/{desk_id:int}/release", status_code=200)
    async def release(self, desk_id: int, bookings: BookingRepository) -> dict:
        released = await bookings.release_desk(desk_id)
        return {"desk_id": desk_id, "released": released}
