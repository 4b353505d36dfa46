"""FX rates for cross-currency payouts.

The worker refreshes the common pairs into Redis every few minutes; quotes shown
to sellers before they confirm a cross-currency payout are always fetched live.
"""
from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
import redis.asyncio as redis

from app import cache
from app.config import get_settings

settings = get_settings()

COMMON_PAIRS = (("USD", "EUR"), ("USD", "GBP"), ("EUR", "GBP"))


class FxUnavailable(Exception):
    pass


async def _fetch_rate(client: httpx.AsyncClient, base: str, quote: str) -> dict:
    resp = await client.get("/rates/latest", params={"base": base, "symbols": quote})
    if resp.status_code != 200:
        raise FxUnavailable(f"fx service returned {resp.status_code}")
    data = resp.json()
    return {"rate": str(data["rates"][quote]), "as_of": data.get("timestamp") or datetime.now(UTC).isoformat()}


async def live_quote(base: str, quote: str) -> tuple[Decimal, datetime]:
    if base == quote:
        return Decimal("1"), datetime.now(UTC)
    client = httpx.AsyncClient(base_url=settings.fx_base_url, timeout=5.0)
    try:
        data = await _fetch_rate(client, base, quote)
    except httpx.HTTPError as exc:
        raise FxUnavailable(str(exc)) from exc
    finally:
        await client.aclose()
    return Decimal(data["rate"]), datetime.fromisoformat(data["as_of"])


async def refresh_common_pairs(r: redis.Redis, client: httpx.AsyncClient) -> int:
    refreshed = 0
    for base, quote in COMMON_PAIRS:
        data = await _fetch_rate(client, base, quote)
        await cache.set_json(r, f"sellerpay:fx:{base}:{quote}", data, ttl=settings.fx_cache_ttl_seconds)
        refreshed += 1
    return refreshed
