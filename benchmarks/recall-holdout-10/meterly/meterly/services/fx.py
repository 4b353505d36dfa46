import json
import logging
from decimal import Decimal

import requests
from redis.asyncio import Redis

from meterly.config import get_settings

log = logging.getLogger(__name__)

FX_CACHE_TTL_SECONDS = 900


async def get_rate(redis: Redis, currency: str) -> Decimal:
    """Rate to convert USD amounts into `currency`, cached for 15 minutes."""
    if currency == "USD":
        return Decimal("1")
    cache_key = f"fx:USD:{currency}"
    cached = await redis.get(cache_key)
    if cached is not None:
        return Decimal(cached)
    settings = get_settings()
    resp = requests.get(settings.fx_base_url, params={"base": "USD", "symbols": currency}, timeout=5)
    resp.raise_for_status()
    rate = Decimal(str(json.loads(resp.text)["rates"][currency]))
    await redis.set(cache_key, str(rate), ex=FX_CACHE_TTL_SECONDS)
    return rate
