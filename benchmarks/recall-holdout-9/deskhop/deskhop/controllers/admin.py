from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import State
from litestar.exceptions import ClientException
from litestar.params import Parameter

from ..repositories.bookings import BookingRepository
from ..security.guards import admin_guard
from ..security.tokens import Principal
from ..services.exports import export_org_bookings
from ..settings import Settings

MAX_REPORT_RANGE = timedelta(days=93)


class AdminController(Controller):
    path = "/api/admin"
    guards = [admin_guard]
    tags = ["admin"]

    @get("/bookings")
    async def bookings_report(
        self,
        request: Request[Principal, Any, Any],
        bookings: BookingRepository,
        start: datetime,
        end: datetime,
        limit: int = Parameter(default=500, ge=1, le=2000),
    ) -> list[dict]:
        if end <= start or end - start > MAX_REPORT_RANGE:
            raise ClientException("range must be positive and at most 93 days")
        rows = await bookings.for_org_between(request.user.org_id, start, end, limit)
        return [dict(r) for r in rows]

    @post("/exports", status_code=202)
    async def export(
        self, request: Request[Principal, Any, Any], state: State, settings: Settings, start: datetime, end: datetime
    ) -> Response[dict]:
        if end <= start or end - start > MAX_REPORT_RANGE:
            raise ClientException("range must be positive and at most 93 days")
        return Response(
            {"status": "queued"},
            status_code=202,
            background=BackgroundTask(export_org_bookings, state.db_pool, settings.export_dir, request.user.org_id, start, end),
        )
