from functools import lru_cache

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARCELHUB_", env_file=".env", extra="ignore")

    environment: str = "production"
    database_url: str = "postgresql+asyncpg://parcelhub@localhost:5432/parcelhub"
    redis_url: str = "redis://localhost:6379/0"

    jwt_secret: SecretStr
    jwt_algorithm: str = "HS256"
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 60 * 60 * 24 * 14

    payments_base_url: str = "https://api.paybridge.example.com/v2"
    payments_api_key: SecretStr
    payments_webhook_secret: SecretStr

    carrier_base_url: str = "https://carrier.example.net/api"
    carrier_api_key: SecretStr
    carrier_webhook_token: SecretStr

    http_timeout_seconds: float = 10.0
    http_connect_timeout_seconds: float = 3.0
    smtp_host: str = "localhost"
    smtp_port: int = 25
    label_dir: str = "/var/lib/parcelhub/labels"
    export_dir: str = "/var/lib/parcelhub/exports"

    cors_origins: list[str] = ["https://merchant.parcelhub.example.com"]
    max_page_size: int = 100
    product_cache_ttl_seconds: int = 120


@lru_cache
def get_settings() -> Settings:
    return Settings()  # type: ignore[call-arg]
