from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
from fastapi import Depends, Request
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

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

engine = create_async_engine(
    get_settings().database_url,
    pool_size=10,
    max_overflow=10,
    pool_pre_ping=True,
    connect_args={"command_timeout": 10},
)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session


def build_http_client(
    *, base_url: str = "", timeout: float | None, headers: dict[str, str] | None = None
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=timeout,
        headers=headers or {},
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
    )


def build_maps_client(settings: Settings) -> httpx.AsyncClient:
    return build_http_client(
        base_url=settings.maps_base_url,
        timeout=settings.http_timeout_s,
        headers={"X-Api-Key": settings.maps_api_key},
    )


def build_webhook_client(settings: Settings) -> httpx.AsyncClient:
    return build_http_client(
        timeout=None,
        headers={"User-Agent": "fleet-tracker-webhooks/1.4"},
    )


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
