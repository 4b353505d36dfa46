from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="METERLY_", env_file=".env", extra="ignore")

    environment: str = "development"
    debug: bool = False

    database_url: str = "postgresql+asyncpg://meterly@localhost:5432/meterly"
    redis_url: str = "redis://localhost:6379/0"

    jwt_secret: str = "mtr-signing-key-2f9c1a7e4b6d8e0f3a5c7e9b1d3f5a7c"
    jwt_algorithm: str = "HS256"
    access_token_minutes: int = 30
    refresh_token_days: int = 14

    stripe_like_base_url: str = "https://api.paybridge.example/v2"
    paybridge_api_key: str = Field(default="", repr=False)
    paybridge_webhook_secret: str = Field(default="", repr=False)
    fx_base_url: str = "https://fx.internal.example/rates"

    cors_origins: list[str] = ["https://app.meterly.example"]
    max_ingest_batch: int = 500
    default_page_size: int = 50
    max_page_size: int = 200


@lru_cache
def get_settings() -> Settings:
    return Settings()
