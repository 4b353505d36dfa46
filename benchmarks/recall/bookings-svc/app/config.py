from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOOKINGS_", env_file=".env", extra="ignore")

    environment: str = "production"
    database_url: str = "postgresql+asyncpg://bookings@localhost:5432/bookings"
    redis_url: str = "redis://localhost:6379/1"

    jwt_secret: str = "bk-7f3a9c1e5d2b8046-signing"
    jwt_algorithm: str = "HS256"
    access_token_ttl_minutes: int = 30

    payments_base_url: str = "https://api.payments.example.com"
    payments_api_key: str = ""
    channel_manager_url: str = "https://channels.example.net/v1/availability"
    maps_base_url: str = "https://maps.example.com/staticmap"
    maps_api_key: str = ""

    property_cache_prefix: str = "property:v2:"
    search_cache_ttl: int = 120
    login_attempts_per_minute: int = 10


@lru_cache
def get_settings() -> Settings:
    return Settings()


settings = get_settings()
