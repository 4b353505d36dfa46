"""Client for the Paystream payouts API."""
from __future__ import annotations

import asyncio
import logging
import random
import time
from decimal import Decimal
from typing import Any

import httpx

from app.config import get_settings

logger = logging.getLogger(__name__)
settings = get_settings()

TERMINAL_STATES = ("paid", "failed", "returned")
RETRYABLE_STATUS = (502, 503, 504)


class ProviderError(Exception):
    def __init__(self, message: str, *, status_code: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code


def _minor_units(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


class PaystreamClient:
    """Wraps the shared ``httpx.AsyncClient`` created in the app lifespan.

    The client already carries the base URL, auth header and timeouts.
    """

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    @staticmethod
    def _raise_for(resp: httpx.Response) -> None:
        if resp.is_success:
            return
        try:
            body = resp.json()
        except ValueError:
            body = {}
        raise ProviderError(
            body.get("message", f"provider returned {resp.status_code}"),
            status_code=resp.status_code,
            code=body.get("code"),
        )

    async def _get_with_retry(self, path: str, *, attempts: int = 4) -> dict[str, Any]:
        delay = 0.25
        for attempt in range(1, attempts + 1):
            try:
                resp = await self.http.get(path)
                if resp.status_code not in RETRYABLE_STATUS:
                    self._raise_for(resp)
                    return resp.json()
            except httpx.TransportError:
                if attempt == attempts:
                    raise
            await asyncio.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 4.0)
        raise ProviderError(f"GET {path} kept failing")

    async def tokenize_bank_account(
        self, *, account_id: str, holder_name: str, country: str, account_number: str, routing_number: str | None
    ) -> dict[str, Any]:
        resp = await self.http.post(
            f"/accounts/{account_id}/external_accounts",
            json={
                "holder_name": holder_name,
                "country": country,
                "account_number": account_number,
                "routing_number": routing_number,
            },
        )
        self._raise_for(resp)
        return resp.json()

    async def create_transfer(
        self,
        *,
        account_id: str,
        destination: str,
        amount: Decimal,
        currency: str,
        reference: str,
        idempotency_key: str,
        instant: bool = False,
    ) -> dict[str, Any]:
        resp = await self.http.post(
            "/transfers",
            json={
                "account": account_id,
                "destination": destination,
                "amount": _minor_units(amount),
                "currency": currency.lower(),
                "method": "instant" if instant else "standard",
                "reference": reference,
            },
            headers={"Idempotency-Key": idempotency_key},
        )
        self._raise_for(resp)
        return resp.json()

    async def create_refund(
        self, *, account_id: str, order_ref: str, amount: Decimal, currency: str, reason: str | None
    ) -> dict[str, Any]:
        resp = await self.http.post(
            "/refunds",
            json={
                "account": account_id,
                "charge_reference": order_ref,
                "amount": _minor_units(amount),
                "currency": currency.lower(),
                "reason": reason or "requested_by_customer",
            },
        )
        self._raise_for(resp)
        return resp.json()

    async def get_transfer(self, transfer_id: str) -> dict[str, Any]:
        return await self._get_with_retry(f"/transfers/{transfer_id}")

    async def wait_for_settlement(self, transfer_id: str) -> dict[str, Any]:
        """Instant transfers settle within a few seconds; poll until they do."""
        data: dict[str, Any] = {}
        for _ in range(settings.settlement_poll_attempts):
            data = await self.get_transfer(transfer_id)
            if data.get("status") in TERMINAL_STATES:
                return data
            time.sleep(settings.settlement_poll_interval_seconds)
        logger.info("transfer %s not settled after polling; leaving to webhook", transfer_id)
        return data
