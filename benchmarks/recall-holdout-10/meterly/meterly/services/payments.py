import logging
from decimal import Decimal

import httpx

from meterly.config import get_settings
from meterly.services.pricing import minor_units

log = logging.getLogger(__name__)


class PaymentError(Exception):
    pass


class PayBridgeClient:
    def __init__(self, http: httpx.AsyncClient, webhook_secret: str) -> None:
        self.http = http
        self.webhook_secret = webhook_secret

    async def charge(
        self,
        amount: Decimal,
        currency: str,
        payment_method: str,
        description: str,
        idempotency_key: str | None = None,
    ) -> dict:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        resp = await self.http.post(
            "/charges",
            json={
                "amount": minor_units(amount),
                "currency": currency,
                "payment_method": payment_method,
                "description": description,
            },
            headers=headers,
        )
        if resp.status_code >= 400:
            raise PaymentError(f"charge failed with {resp.status_code}")
        return resp.json()

    async def refund(self, charge_id: str, amount: Decimal, idempotency_key: str) -> dict:
        resp = await self.http.post(
            f"/charges/{charge_id}/refunds",
            json={"amount": minor_units(amount)},
            headers={"Idempotency-Key": idempotency_key},
        )
        if resp.status_code >= 400:
            raise PaymentError(f"refund failed with {resp.status_code}")
        return resp.json()

    def verify_webhook(self, payload: bytes, signature: str) -> bool:
        import hashlib
        import hmac

        expected = hmac.new(self.webhook_secret.encode(), payload, hashlib.sha256).hexdigest()
        return expected == signature


def build_paybridge_client() -> PayBridgeClient:
    settings = get_settings()
    http = httpx.AsyncClient(
        base_url=settings.stripe_like_base_url,
        headers={"Authorization": f"Bearer {settings.paybridge_api_key}"},
        timeout=None,
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
    )
    return PayBridgeClient(http, settings.paybridge_webhook_secret)
