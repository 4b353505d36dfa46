import asyncio
import logging
import random
from decimal import Decimal

import aiohttp

log = logging.getLogger(__name__)


class PaymentGatewayError(Exception):
    pass


class PaymentsClient:
    def __init__(self, session: aiohttp.ClientSession, base_url: str):
        self._session = session
        self._base_url = base_url.rstrip("/")

    async def charge(self, *, amount: Decimal, currency: str, card_token: str, reference: str) -> dict:
        payload = {
            "amount_minor": int(amount * 100),
            "currency": currency,
            "source": card_token,
            "description": f"Ferry booking {reference}",
        }
        async with self._session.post(f"{self._base_url}/v2/charges", json=payload) as resp:
            body = await resp.json()
            if resp.status >= 400:
                raise PaymentGatewayError(body.get("error", "charge failed"))
            return body

    async def refund(self, *, charge_id: str, amount: Decimal, refund_id: int) -> dict:
        payload = {"charge": charge_id, "amount_minor": int(amount * 100)}
        headers = {"Idempotency-Key": f"refund-{refund_id}"}
        async with self._session.post(
            f"{self._base_url}/v2/refunds", json=payload, headers=headers
        ) as resp:
            body = await resp.json()
            if resp.status >= 400:
                raise PaymentGatewayError(body.get("error", "refund failed"))
            return body

    async def get_charge(self, charge_id: str, attempts: int = 4) -> dict:
        delay = 0.25
        for attempt in range(1, attempts + 1):
            try:
                async with self._session.get(f"{self._base_url}/v2/charges/{charge_id}") as resp:
                    resp.raise_for_status()
                    return await resp.json()
            except (aiohttp.ClientError, asyncio.TimeoutError):
                if attempt == attempts:
                    raise
                await asyncio.sleep(delay + random.uniform(0, delay))
                delay *= 2
        raise PaymentGatewayError("unreachable")


class WeatherClient:
    def __init__(self, session: aiohttp.ClientSession, base_url: str):
        self._session = session
        self._base_url = base_url.rstrip("/")

    async def sea_state(self, port_code: str) -> dict | None:
        try:
            async with self._session.get(
                f"{self._base_url}/v1/sea-state", params={"port": port_code}
            ) as resp:
                resp.raise_for_status()
                return await resp.json()
        except aiohttp.ClientError as exc:
            # The sailing page renders fine without conditions; don't fail it.
            log.warning("sea state unavailable for %s: %s", port_code, exc)
            return None


def build_payments_session(settings) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        headers={"Authorization": f"Bearer {settings.payments_api_key}"},
        timeout=aiohttp.ClientTimeout(total=10, connect=3),
    )


def build_weather_session(settings) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        headers={"Accept": "application/json", "User-Agent": "ferry-bookings/1.4"},
    )
