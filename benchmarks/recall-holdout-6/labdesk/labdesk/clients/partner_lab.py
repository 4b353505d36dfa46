"""Client for the partner reference lab's order API."""
from __future__ import annotations

import logging
from urllib.parse import quote

import aiohttp

log = logging.getLogger(__name__)


class PartnerLabError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(f"partner lab {status}: {message}")
        self.status = status


class PartnerLabClient:
    def __init__(self, session: aiohttp.ClientSession):
        self.session = session

    async def submit_order(self, payload: dict, idempotency_key: str) -> str:
        async with self.session.post(
            "/v2/orders", json=payload, headers={"Idempotency-Key": idempotency_key}
        ) as resp:
            body = await resp.json(content_type=None)
            if resp.status >= 400:
                raise PartnerLabError(resp.status, body.get("message", "error") if isinstance(body, dict) else "error")
            return body["order_ref"]

    async def cancel_order(self, partner_ref: str) -> None:
        async with self.session.delete(f"/v2/orders/{quote(partner_ref, safe='')}") as resp:
            if resp.status not in (200, 204, 404):
                raise PartnerLabError(resp.status, await resp.text())

    async def fetch_report(self, partner_ref: str) -> bytes:
        async with self.session.get(f"/v2/orders/{quote(partner_ref, safe='')}/report.pdf") as resp:
            if resp.status != 200:
                raise PartnerLabError(resp.status, "report unavailable")
            return await resp.read()

    async def results_since(self, cursor: str | None) -> dict:
        params = {"cursor": cursor} if cursor else {}
        async with self.session.get("/v2/results", params=params) as resp:
            if resp.status != 200:
                raise PartnerLabError(resp.status, await resp.text())
            return await resp.json()
