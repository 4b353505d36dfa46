"""Thin Redis helpers shared by the API and the worker."""
from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import redis.asyncio as redis
from redis.exceptions import RedisError

from app.config import get_settings

logger = logging.getLogger(__name__)
settings = get_settings()


def create_redis() -> redis.Redis:
    return redis.from_url(
        settings.redis_url,
        decode_responses=True,
        socket_timeout=settings.redis_socket_timeout,
        socket_connect_timeout=settings.redis_socket_timeout,
        health_check_interval=30,
    )


def cache_key(namespace: str, params: dict[str, Any]) -> str:
    digest = hashlib.sha1(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()
    return f"sellerpay:{namespace}:{digest}"


async def get_json(r: redis.Redis, key: str) -> Any | None:
    try:
        raw = await r.get(key)
    except RedisError:
        logger.warning("cache read failed for %s; falling back to source", key)
        return None
    return json.loads(raw) if raw else None


async def set_json(r: redis.Redis, key: str, value: Any, ttl: int) -> None:
    try:
        await r.set(key, json.dumps(value, default=str), ex=ttl)
    except RedisError:
        logger.warning("cache write failed for %s", key)
