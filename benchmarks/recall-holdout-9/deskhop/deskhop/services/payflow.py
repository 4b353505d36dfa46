from __future__ import annotations

import logging
from typing import Any

import httpx

from ..settings import Settings

log = logging.getLogger(__name__)


class PaymentDeclined(Exception):
    pass


class PayFlowClient:
    """Thin wrapper over the PayFlow REST API."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def charge(self, member_id: int, amount_cents: int, payment_method: str, description: str) -> dict[str, Any]:
        resp = await self.http.post(
            "/charges",
            json={
                "amount": amount_cents,
                "currency": "eur",
                "payment_method": payment_method,
                "description": description,
                "metadata": {"member_id": member_id},
            },
        )
        if resp.status_code == 402:
            raise PaymentDeclined(resp.json().get("code", "declined"))
        resp.raise_for_status()
        return resp.json()

    async def refund(self, charge_id: str, amount_cents: int, idempotency_key: str) -> dict[str, Any]:
        resp = await self.http.post(
            f"/charges/{charge_id}/refunds", json={"amount": amount_cents}, headers={"Idempotency-Key": idempotency_key}
        )
        resp.raise_for_status()
        return resp.json()

    async def aclose(self) -> None:
        await self.http.aclose()


def build_payflow_client(settings: Settings) -> PayFlowClient:
    http = httpx.AsyncClient(
        base_url=settings.payflow_url,
        headers={"Authorization": f"Bearer {settings.payflow_api_key}"},
        timeout=None,
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
    )
    return PayFlowClient(http)
