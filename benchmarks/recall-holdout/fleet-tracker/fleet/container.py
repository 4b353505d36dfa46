from dataclasses import dataclass, field

import httpx
from fastapi import Depends, Request
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from .clients import build_maps_client, build_webhook_client
from .db import get_session
from .repositories import (
    FuelRepository,
    PositionRepository,
    TripRepository,
    UserRepository,
    VehicleRepository,
)
from .services.fuel import FuelService
from .services.trips import TripService
from .services.vehicles import VehicleService
from .settings import Settings, get_settings


@dataclass
class Container:
    settings: Settings
    redis: Redis = field(init=False)
    maps: httpx.AsyncClient = field(init=False)
    webhooks: httpx.AsyncClient = field(init=False)

    def __post_init__(self) -> None:
        self.redis = Redis.from_url(
            self.settings.redis_url, socket_timeout=2, socket_connect_timeout=2, decode_responses=True
        )
        self.maps = build_maps_client(self.settings)
        self.webhooks = build_webhook_client(self.settings)

    async def aclose(self) -> None:
        await self.maps.aclose()
        await self.webhooks.aclose()
        await self.redis.aclose()


def build_container() -> Container:
    return Container(settings=get_settings())


def get_container(request: Request) -> Container:
    return request.app.state.container


def vehicle_service(
    session: AsyncSession = Depends(get_session), c: Container = Depends(get_container)
) -> VehicleService:
    return VehicleService(
        VehicleRepository(session), PositionRepository(session), c.redis, c.maps, c.settings
    )


def trip_service(
    session: AsyncSession = Depends(get_session), c: Container = Depends(get_container)
) -> TripService:
    return TripService(TripRepository(session), VehicleRepository(session), c.webhooks)


def fuel_service(session: AsyncSession = Depends(get_session)) -> FuelService:
    return FuelService(FuelRepository(session), VehicleRepository(session))


def user_repository(session: AsyncSession = Depends(get_session)) -> UserRepository:
    return UserRepository(session)
