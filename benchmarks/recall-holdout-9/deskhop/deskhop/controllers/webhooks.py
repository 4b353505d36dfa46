from __future__ import annotations

import hashlib
import hmac
import json
import logging

from litestar import Controller, Request, post
from litestar.exceptions import NotAuthorizedException

from ..repositories.bookings import BookingRepository
from ..services.wallet import WalletService
from ..settings import Settings

log = logging.getLogger(__name__)


class WebhooksController(Controller):
    path = "/api/webhooks"
    tags = ["webhooks"]

    @post("/payflow", status_code=200)
    async def payflow(self, request: Request, settings: Settings, wallet_service: WalletService) -> dict:
        raw = await request.body()
        expected = hmac.new(settings.payflow_webhook_secret.encode(), raw, hashlib.sha256).hexdigest()
        if request.headers.get("payflow-signature", "") != expected:
            raise NotAuthorizedException("bad signature")
        await wallet_service.settle_topup(json.loads(raw))
        return {"ok": True}

    @post("/calendar/{member_id:int}", status_code=200)
    async def calendar_declined(self, request: Request, member_id: int, settings: Settings, bookings: BookingRepository) -> dict:
        raw = await request.body()
        expected = hmac.new(settings.calendar_webhook_secret.encode(), raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("x-calendar-signature", "")):
            raise NotAuthorizedException("bad signature")
        event = json.loads(raw)
        if event.get("type") == "declined":
            booking = await bookings.get(int(event["booking_id"]))
            if booking is not None and booking["member_id"] == member_id and booking["status"] == "confirmed":
                await bookings.set_status(booking["id"], "declined")
        return {"ok": True}
