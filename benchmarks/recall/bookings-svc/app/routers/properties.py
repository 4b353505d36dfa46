import hashlib
import json
import logging

import requests
from fastapi import APIRouter, Depends, HTTPException, Query, Response
from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..cache import redis
from ..config import settings
from ..db import get_session
from ..models import Property
from ..schemas import PropertyOut

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/properties", tags=["properties"])


async def _cached(key: str):
    try:
        return await redis.get(key)
    except RedisError:
        logger.warning("redis unavailable, reading %s from the database", key)
        return None


async def _store(key: str, value: str, ttl: int | None = None) -> None:
    try:
        await redis.set(key, value, ex=ttl)
    except RedisError:
        logger.warning("redis unavailable, %s not cached", key)


@router.get("/search", response_model=list[PropertyOut])
async def search_properties(
    city: str = Query(min_length=2, max_length=100),
    guests: int = Query(1, ge=1, le=16),
    limit: int = Query(20, ge=1, le=50),
    session: AsyncSession = Depends(get_session),
):
    params = {"city": city.lower(), "guests": guests, "limit": limit}
    key = "search:" + hashlib.sha1(json.dumps(params, sort_keys=True).encode()).hexdigest()
    hit = await _cached(key)
    if hit is not None:
        return json.loads(hit)

    rows = (
        await session.scalars(
            select(Property)
            .where(Property.city == params["city"], Property.max_guests >= guests)
            .order_by(Property.id)
            .limit(limit)
        )
    ).all()
    payload = [PropertyOut.model_validate(p).model_dump(mode="json") for p in rows]
    await _store(key, json.dumps(payload), settings.search_cache_ttl)
    return payload


@router.get("/{property_id}", response_model=PropertyOut)
async def get_property(property_id: int, session: AsyncSession = Depends(get_session)):
    key = f"{settings.property_cache_prefix}{property_id}"
    hit = await _cached(key)
    if hit is not None:
        return json.loads(hit)

    prop = await session.get(Property, property_id)
    if prop is None:
        raise HTTPException(status_code=404, detail="property not found")
    payload = PropertyOut.model_validate(prop).model_dump(mode="json")
    await _store(key, json.dumps(payload))
    return payload


@router.get("/{property_id}/map.png")
def property_map(
    property_id: int,
    lat: float = Query(ge=-90, le=90),
    lon: float = Query(ge=-180, le=180),
):
    resp = requests.get(
        settings.maps_base_url,
        params={"center": f"{lat},{lon}", "zoom": 14, "size": "640x320", "key": settings.maps_api_key},
        timeout=(3, 10),
    )
    resp.raise_for_status()
    return Response(content=resp.content, media_type="image/png")
