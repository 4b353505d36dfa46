import hashlib
import json
import logging
from typing import Any, Optional

import httpx
import requests
from redis.asyncio import Redis

from ..models import Vehicle
from ..repositories import PositionRepository, VehicleRepository
from ..schemas import PositionIn, VehicleOut
from ..settings import Settings

log = logging.getLogger(__name__)

VEHICLE_STATUSES = ("available", "in_use", "maintenance")


class VehicleService:
    def __init__(
        self,
        vehicles: VehicleRepository,
        positions: PositionRepository,
        redis: Redis,
        maps: httpx.AsyncClient,
        settings: Settings,
    ) -> None:
        self.vehicles = vehicles
        self.positions = positions
        self.redis = redis
        self.maps = maps
        self.settings = settings

    async def overview(self, company_id: int, limit: int, offset: int) -> list[VehicleOut]:
        rows = await self.vehicles.page_for_company(company_id, limit, offset)
        out = []
        for v in rows:
            item = VehicleOut.model_validate(v)
            item.driver_name = v.driver.full_name if v.driver else None
            out.append(item)
        return out

    async def status_counts(self, company_id: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        for status in VEHICLE_STATUSES:
            counts[status] = await self.vehicles.count_by_status(company_id, status)
        return counts

    async def update(self, vehicle: Vehicle, changes: dict[str, Any]) -> Vehicle:
        for field, value in changes.items():
            if hasattr(vehicle, field):
                setattr(vehicle, field, value)
        await self.vehicles.session.commit()
        return vehicle

    async def record_positions(self, vehicle: Vehicle, points: list[PositionIn]) -> int:
        rows = [p.model_dump() for p in points]
        await self.positions.add_many(vehicle.id, rows)
        latest = max(points, key=lambda p: p.recorded_at)
        await self.redis.set(
            f"pos:{vehicle.id}",
            latest.model_dump_json(),
            ex=self.settings.position_cache_ttl_s,
        )
        return len(rows)

    async def latest_position(self, vehicle: Vehicle) -> Optional[dict]:
        cached = await self.redis.get(f"pos:{vehicle.id}")
        if cached:
            return json.loads(cached)
        last = await self.positions.latest(vehicle.id)
        if last is None:
            return None
        return {"lat": last.lat, "lon": last.lon, "recorded_at": last.recorded_at.isoformat()}

    async def where_is(self, vehicle: Vehicle) -> dict:
        pos = await self.latest_position(vehicle)
        if pos is None:
            return {"vehicle_id": vehicle.id, "address": None}
        key = "geo:" + hashlib.sha1(f"{pos['lat']:.4f},{pos['lon']:.4f}".encode()).hexdigest()
        address = await self.redis.get(key)
        if address is None:
            resp = requests.get(
                self.settings.geocoder_url,
                params={"lat": pos["lat"], "lon": pos["lon"]},
                timeout=3,
            )
            resp.raise_for_status()
            address = resp.json().get("display_name", "")
            await self.redis.set(key, address, ex=86400)
        return {"vehicle_id": vehicle.id, "address": address, **pos}
