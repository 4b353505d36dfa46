from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import datetime

import httpx

log = logging.getLogger(__name__)


class CalendarService:
    """Pushes booking changes to a member's calendar webhook (Zapier, Power Automate, ...)."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    @staticmethod
    def _sign(secret: str | None, body: bytes) -> dict[str, str]:
        if not secret:
            return {}
        digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return {"X-Deskhop-Signature": f"sha256={digest}"}

    async def ping(self, url: str, secret: str | None) -> dict:
        body = json.dumps({"type": "ping", "sent_at": datetime.utcnow().isoformat()}).encode()
        resp = await self.http.post(url, content=body, headers={"Content-Type": "application/json", **self._sign(secret, body)})
        return {"status": resp.status_code, "body": resp.text[:500]}

    async def push(self, url: str, secret: str | None, event: str, booking: dict) -> None:
        body = json.dumps({"type": event, "booking": booking}, default=str).encode()
        try:
            resp = await self.http.post(url, content=body, headers={"Content-Type": "application/json", **self._sign(secret, body)})
            resp.raise_for_status()
        except httpx.HTTPError:
            log.warning("calendar push to member hook failed", exc_info=True)
