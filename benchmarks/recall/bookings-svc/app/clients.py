"""HTTP clients for the payment service provider."""
import httpx

from .config import settings


def make_payments_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=settings.payments_base_url,
        headers={"Authorization": f"Bearer {settings.payments_api_key}"},
        timeout=None,
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
    )


class PaymentsClient:
    def __init__(self, http: httpx.AsyncClient):
        self.http = http

    async def create_charge(self, amount_cents: int, currency: str, method_id: str, reference: str):
        resp = await self.http.post(
            "/v1/charges",
            json={
                "amount": amount_cents,
                "currency": currency,
                "payment_method": method_id,
                "reference": reference,
                "capture": False,
            },
        )
        resp.raise_for_status()
        return resp.json()

    async def capture(self, charge_id: str):
        resp = await self.http.post(
            f"/v1/charges/{charge_id}/capture",
            headers={"Idempotency-Key": f"capture-{charge_id}"},
        )
        resp.raise_for_status()
        return resp.json()

    async def refund(self, charge_id: str, amount_cents: int, reason: str, idempotency_key: str):
        resp = await self.http.post(
            "/v1/refunds",
            json={"charge": charge_id, "amount": amount_cents, "reason": reason},
            headers={"Idempotency-Key": idempotency_key},
        )
        resp.raise_for_status()
        return resp.json()
