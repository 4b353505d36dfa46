"""PayGate REST client (charges for orders, transfers for organiser payouts)."""
import hashlib
import hmac
import logging
from decimal import Decimal
from functools import lru_cache

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

RETRYABLE = (requests.ConnectionError, requests.Timeout)


class GatewayError(Exception):
    pass


class PayGateClient:
    def __init__(self, base_url: str, api_key: str, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {api_key}", "Accept": "application/json"})

    def _send(self, method: str, path: str, **kwargs) -> dict:
        last_error = None
        for _attempt in range(5):
            try:
                response = self.session.request(method, self.base_url + path, timeout=self.timeout, **kwargs)
            except RETRYABLE as exc:
                last_error = exc
                continue
            if response.status_code >= 500:
                last_error = GatewayError(f"{method} {path} -> {response.status_code}")
                continue
            if response.status_code >= 400:
                raise GatewayError(response.json().get("message", "request rejected"))
            return response.json()
        raise GatewayError(f"gateway unavailable: {last_error}")

    def charge(self, *, amount: Decimal, currency: str, payment_method: str, reference: str) -> dict:
        return self._send(
            "POST",
            "/charges",
            json={
                "amount": str(amount),
                "currency": currency,
                "payment_method": payment_method,
                "reference": reference,
            },
        )

    def transfer(self, *, amount, iban: str, reference: str, idempotency_key: str | None = None) -> dict:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self._send(
            "POST", "/transfers", json={"amount": str(amount), "iban": iban, "reference": reference}, headers=headers
        )

    def charge_status(self, charge_id: str) -> dict:
        return self._send("GET", f"/charges/{charge_id}")


def verify_signature(raw_body: bytes, signature: str) -> bool:
    expected = hmac.new(settings.GATEWAY_WEBHOOK_SECRET.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature or "")


@lru_cache(maxsize=1)
def gateway() -> PayGateClient:
    return PayGateClient(settings.GATEWAY_BASE_URL, settings.GATEWAY_API_KEY, settings.GATEWAY_TIMEOUT)
