from __future__ import annotations

import jwt
from litestar import Controller, Response, get
from litestar.exceptions import NotFoundException

from ..repositories.bookings import BookingRepository
from ..security.tokens import read_feed_token
from ..settings import Settings


def _ics(rows) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//deskhop//feed//EN"]
    for r in rows:
        lines += [
            "BEGIN:VEVENT",
            f"UID:booking-{r['id']}@deskhop",
            f"DTSTART:{r['starts_at']:%Y%m%dT%H%M%SZ}",
            f"DTEND:{r['ends_at']:%Y%m%dT%H%M%SZ}",
            f"SUMMARY:Desk {r['label']} ({r['space_name']})",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines)


class PublicController(Controller):
    path = "/api/public"
    tags = ["public"]

    @get("/feeds/{token:str}", media_type="text/calendar")
    async def feed(self, token: str, settings: Settings, bookings: BookingRepository) -> Response[str]:
        try:
            member_id, _org_id = read_feed_token(settings, token.removesuffix(".ics"))
        except (jwt.InvalidTokenError, KeyError, ValueError):
            raise NotFoundException() from None
        rows = await bookings.upcoming_for_member(member_id)
        return Response(_ics(rows), media_type="text/calendar")
