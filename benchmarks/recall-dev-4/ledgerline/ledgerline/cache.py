import json
import logging
from typing import Any

from fastapi import HTTPException, Request, status
from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def get_redis(request: Request) -> Redis:
    return request.app.state.redis


async def cached_json(redis: Redis, key: str) -> Any | None:
    try:
        raw = await redis.get(key)
    except RedisError:
        logger.warning("cache read failed for %s; falling back to the database", key, exc_info=True)
        return None
    return json.loads(raw) if raw else None


async def store_json(redis: Redis, key: str, value: Any, ttl_seconds: int) -> None:
    try:
        await redis.set(key, json.dumps(value, default=str), ex=ttl_seconds)
    except RedisError:
        logger.warning("cache write failed for %s", key, exc_info=True)


class RateLimit:
    """Fixed-window limiter keyed by client address (and an optional body field)."""

    def __init__(self, bucket: str, limit: int, window_seconds: int = 60):
        self.bucket = bucket
        self.limit = limit
        self.window_seconds = window_seconds

    async def __call__(self, request: Request) -> None:
        redis: Redis = request.app.state.redis
        client = request.client.host if request.client else "unknown"
        key = f"rl:{self.bucket}:{client}"
        count = await redis.incr(key)
        if count == 1:
            await redis.expire(key, self.window_seconds)
        if count > self.limit:
            raise HTTPException(
                status_code=status.HTTP_429_TOO_MANY_REQUESTS,
                detail="Too many attempts, try again later",
                headers={"Retry-After": str(self.window_seconds)},
            )
