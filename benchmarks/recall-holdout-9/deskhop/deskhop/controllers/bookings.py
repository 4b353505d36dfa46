from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.background_tasks import BackgroundTask
from litestar.params import Parameter

from ..repositories.members import MemberRepository
from ..schemas import BookingIn, BookingOut, RescheduleIn
from ..security.tokens import Principal
from ..services.bookings import BookingService
from ..services.calendar import CalendarService


async def _push_calendar(calendar: CalendarService, url: str | None, secret: str | None, event: str, booking: dict) -> None:
    if url:
        await calendar.push(url, secret, event, booking)


class BookingsController(Controller):
    path = "/api/bookings"
    tags = ["bookings"]

    @post("/", status_code=201)
    async def create(
        self,
        request: Request[Principal, Any, Any],
        data: BookingIn,
        booking_service: BookingService,
        members: MemberRepository,
        calendar: CalendarService,
    ) -> Response[dict]:
        booking_id = await booking_service.create(request.user, data)
        me = await members.get(request.user.member_id)
        payload = {"id": booking_id, "desk_id": data.desk_id, "starts_at": data.starts_at, "ends_at": data.ends_at}
        return Response(
            payload,
            status_code=201,
            background=BackgroundTask(_push_calendar, calendar, me["calendar_hook_url"], None, "booking.created", payload),
        )

    @get("/")
    async def list_mine(
        self,
        request: Request[Principal, Any, Any],
        booking_service: BookingService,
        limit: int = Parameter(default=20, ge=1, le=100),
        offset: int = Parameter(default=0, ge=0),
    ) -> list[BookingOut]:
        return await booking_service.list_mine(request.user, limit, offset)

    @patch("/{booking_id:int}")
    async def reschedule(
        self, request: Request[Principal, Any, Any], booking_id: int, data: RescheduleIn, booking_service: BookingService
    ) -> dict:
        return await booking_service.reschedule(request.user, booking_id, data)

    @delete("/{booking_id:int}", status_code=200)
    async def cancel(self, request: Request[Principal, Any, Any], booking_id: int, booking_service: BookingService) -> dict:
        return await booking_service.cancel(request.user, booking_id)
