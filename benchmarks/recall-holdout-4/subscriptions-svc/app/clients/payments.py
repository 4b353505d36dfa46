"""Thin async client for the PayGate REST API."""
import asyncio
import logging
from decimal import ROUND_HALF_UP, Decimal

import httpx

logger = logging.getLogger(__name__)


class PaymentError(Exception):
    pass


def to_minor_units(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


class PaymentsClient:
    RETRYABLE_METHODS = frozenset({"GET", "HEAD"})

    def __init__(self, http: httpx.AsyncClient, api_key: str, max_attempts: int = 3):
        self._http = http
        self._api_key = api_key
        self._max_attempts = max_attempts

    def _headers(self, idempotency_key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self._api_key}"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    async def _request(self, method: str, path: str, *, json=None, params=None, idempotency_key=None) -> dict:
        # Only retry when a repeat cannot create a second side effect.
        retryable = method in self.RETRYABLE_METHODS or idempotency_key is not None
        attempts = self._max_attempts if retryable else 1
        for attempt in range(1, attempts + 1):
            try:
                resp = await self._http.request(
                    method, path, json=json, params=params, headers=self._headers(idempotency_key)
                )
            except httpx.TransportError as exc:
                if attempt == attempts:
                    raise PaymentError(f"{method} {path} failed: {exc}") from exc
                await asyncio.sleep(0.25 * 2**attempt)
                continue
            if resp.status_code >= 500 and attempt < attempts:
                await asyncio.sleep(0.25 * 2**attempt)
                continue
            if resp.is_error:
                raise PaymentError(f"{method} {path}: {resp.status_code} {resp.text[:200]}")
            return resp.json()
        raise PaymentError(f"{method} {path}: retries exhausted")

    async def create_customer(self, email: str, name: str, *, idempotency_key: str) -> dict:
        return await self._request(
            "POST", "/customers", json={"email": email, "name": name}, idempotency_key=idempotency_key
        )

    async def charge(self, customer_id: str, amount: Decimal, currency: str, description: str,
                     idempotency_key: str | None = None) -> dict:
        body = {
            "customer": customer_id,
            "amount": to_minor_units(amount),
            "currency": currency.lower(),
            "description": description,
        }
        return await self._request("POST", "/charges", json=body, idempotency_key=idempotency_key)

    async def refund(self, charge_id: str, amount: Decimal, *, idempotency_key: str) -> dict:
        body = {"charge": charge_id, "amount": to_minor_units(amount)}
        return await self._request("POST", "/refunds", json=body, idempotency_key=idempotency_key)

    async def get_charge(self, charge_id: str) -> dict:
        return await self._request("GET", f"/charges/{charge_id}")

    async def open_invoice_pdf(self, provider_invoice_id: str) -> httpx.Response:
        request = self._http.build_request(
            "GET", f"/invoices/{provider_invoice_id}/pdf", headers=self._headers()
        )
        resp = await self._http.send(request, stream=True)
        if resp.status_code != 200:
            raise PaymentError(f"invoice pdf unavailable: {resp.status_code}")
        return resp
