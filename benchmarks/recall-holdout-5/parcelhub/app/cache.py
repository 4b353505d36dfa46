import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Depends, HTTPException, Request, status
from redis.asyncio import Redis

from app.config import get_settings

log = logging.getLogger(__name__)
_settings = get_settings()

redis: Redis = Redis.from_url(
    _settings.redis_url,
    socket_timeout=2.0,
    socket_connect_timeout=1.0,
    decode_responses=True,
)


async def cached_json(
    key: str, ttl: int, loader: Callable[[], Awaitable[Any]], lock_ttl: int = 10
) -> Any:
    """Read-through cache; a short lock keeps concurrent misses from all hitting the DB."""
    hit = await redis.get(key)
    if hit is not None:
        return json.loads(hit)
    lock = redis.lock(f"lock:{key}", timeout=lock_ttl, blocking_timeout=lock_ttl)
    async with lock:
        hit = await redis.get(key)
        if hit is not None:
            return json.loads(hit)
        value = await loader()
        await redis.set(key, json.dumps(value, default=str), ex=ttl)
        return value


async def invalidate(*keys: str) -> None:
    if keys:
        await redis.delete(*keys)


def limit(bucket: str, max_hits: int, window_seconds: int):
    """Fixed-window limiter keyed by client address (behind the proxy's X-Forwarded-For)."""

    async def _check(request: Request) -> None:
        client = request.client.host if request.client else "unknown"
        key = f"rl:{bucket}:{client}"
        async with redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, window_seconds, nx=True)
            hits, _ = await pipe.execute()
        if int(hits) > max_hits:
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                "too many attempts, try again later",
                headers={"Retry-After": str(window_seconds)},
            )

    return Depends(_check)
