"""Thin async client for the PayCo payments API."""
import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass

import httpx

from ..config import Settings

logger = logging.getLogger(__name__)

SIGNATURE_TOLERANCE_SECONDS = 300


class PaymentProviderError(Exception):
    def __init__(self, message: str, code: str | None = None, retryable: bool = False):
        super().__init__(message)
        self.code = code
        self.retryable = retryable


@dataclass
class Charge:
    id: str
    status: str
    amount_cents: int
    currency: str


class PayCoClient:
    def __init__(self, http: httpx.AsyncClient, webhook_secret: str):
        self._http = http
        self._webhook_secret = webhook_secret.encode()

    async def _post(self, path: str, payload: dict, idempotency_key: str | None = None) -> dict:
        headers = {}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        response = await self._http.post(path, json=payload, headers=headers)
        if response.status_code >= 400:
            body = response.json() if response.content else {}
            error = body.get("error", {})
            raise PaymentProviderError(
                error.get("message", "payment provider error"),
                code=error.get("code"),
                retryable=response.status_code >= 500,
            )
        return response.json()

    async def create_charge(
        self,
        *,
        amount_cents: int,
        currency: str,
        customer_id: str,
        payment_method: str,
        description: str,
        idempotency_key: str | None = None,
    ) -> Charge:
        data = await self._post(
            "/charges",
            {
                "amount": amount_cents,
                "currency": currency.lower(),
                "customer": customer_id,
                "payment_method": payment_method,
                "description": description,
                "confirm": True,
            },
            idempotency_key=idempotency_key,
        )
        return Charge(data["id"], data["status"], data["amount"], data["currency"])

    async def refund(self, *, charge_id: str, amount_cents: int, idempotency_key: str) -> dict:
        return await self._post(
            "/refunds", {"charge": charge_id, "amount": amount_cents}, idempotency_key=idempotency_key
        )

    async def retrieve_charge(self, charge_id: str) -> Charge:
        response = await self._http.get(f"/charges/{charge_id}")
        response.raise_for_status()
        data = response.json()
        return Charge(data["id"], data["status"], data["amount"], data["currency"])

    def parse_webhook(self, payload: bytes, signature_header: str) -> dict:
        """Verify a `t=<ts>,v1=<hex>` signature header and return the event."""
        try:
            parts = dict(item.split("=", 1) for item in signature_header.split(","))
            timestamp = int(parts["t"])
            signature = parts["v1"]
        except (KeyError, ValueError):
            raise PaymentProviderError("malformed signature header")
        if abs(time.time() - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
            raise PaymentProviderError("signature timestamp outside tolerance")
        signed = f"{timestamp}.".encode() + payload
        expected = hmac.new(self._webhook_secret, signed, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            raise PaymentProviderError("bad signature")
        return json.loads(payload)


def build_payco_client(settings: Settings) -> PayCoClient:
    http = httpx.AsyncClient(
        base_url=settings.payco_base_url,
        headers={"Authorization": f"Bearer {settings.payco_secret_key.get_secret_value()}"},
        # 3-D Secure confirmations can take a while on the provider side
        timeout=None,
    )
    return PayCoClient(http, settings.payco_webhook_secret.get_secret_value())
