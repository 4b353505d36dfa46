from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from litestar import Controller, Request, post, put
from litestar.exceptions import ClientException

from ..repositories.members import MemberRepository
from ..schemas import CalendarHookIn
from ..security.tokens import Principal
from ..services.calendar import CalendarService


def _check_scheme(url: str) -> None:
    if urlparse(url).scheme not in ("http", "https"):
        raise ClientException("webhook URL must be http(s)")


class IntegrationsController(Controller):
    path = "/api/integrations"
    tags = ["integrations"]

    @put("/calendar")
    async def set_calendar_hook(
        self, request: Request[Principal, Any, Any], data: CalendarHookIn, members: MemberRepository
    ) -> dict:
        _check_scheme(data.url)
        await members.set_calendar_hook(request.user.member_id, data.url, data.secret)
        return {"url": data.url}

    @post("/calendar/test", status_code=200)
    async def test_calendar_hook(self, data: CalendarHookIn, calendar: CalendarService) -> dict:
        _check_scheme(data.url)
        return await calendar.ping(data.url, data.secret)
