from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FLEET_", env_file=".env")

    database_url: str = "postgresql+asyncpg://fleet@db:5432/fleet"
    redis_url: str = "redis://redis:6379/2"

    jwt_secret: str = "9c1f6e0b7d2a4e58b3f1a7c6d5e4f3a2b1c0d9e8"
    jwt_issuer: str = "fleet-auth"

    maps_base_url: str = "https://maps.internal.example/v1"
    maps_api_key: str = Field(default="")
    geocoder_url: str = "https://geocode.internal.example/reverse"
    telematics_webhook_secret: str = Field(default="")

    http_timeout_s: float = 5.0
    position_cache_ttl_s: int = 30


@lru_cache
def get_settings() -> Settings:
    return Settings()
