import logging
import random
import time
from decimal import Decimal

import httpx

from app.clients import get_client

log = logging.getLogger(__name__)

_RETRYABLE = {502, 503, 504}
MAX_ATTEMPTS = 3


class PaymentError(Exception):
    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class PaymentsClient:
    def __init__(self, client: httpx.AsyncClient | None = None) -> None:
        self._http = client or get_client("payments")

    async def _post(self, path: str, body: dict, idempotency_key: str) -> dict:
        delay = 0.25
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                resp = await self._http.post(
                    path, json=body, headers={"Idempotency-Key": idempotency_key}
                )
            except httpx.TransportError as exc:
                if attempt == MAX_ATTEMPTS:
                    raise PaymentError("payment provider unreachable") from exc
            else:
                if resp.status_code not in _RETRYABLE:
                    if resp.is_error:
                        err = resp.json().get("error", {})
                        raise PaymentError(err.get("message", "declined"), err.get("code"))
                    return resp.json()
                if attempt == MAX_ATTEMPTS:
                    raise PaymentError(f"provider returned {resp.status_code}")
            log.warning("payments %s attempt %d failed, retrying", path, attempt)
            pause = delay + random.uniform(0, delay)
            time.sleep(pause)
            delay *= 2
        raise PaymentError("unreachable")

    async def charge(
        self, *, amount: Decimal, currency: str, payment_method_id: str, idempotency_key: str
    ) -> str:
        data = await self._post(
            "/charges",
            {
                "amount_minor": int(amount * 100),
                "currency": currency,
                "payment_method": payment_method_id,
                "capture": True,
            },
            idempotency_key,
        )
        return data["id"]

    async def refund(self, *, charge_id: str, amount: Decimal, idempotency_key: str) -> str:
        data = await self._post(
            "/refunds",
            {"charge": charge_id, "amount_minor": int(amount * 100)},
            idempotency_key,
        )
        return data["id"]
