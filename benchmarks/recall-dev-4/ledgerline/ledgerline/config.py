from functools import lru_cache

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LEDGERLINE_", env_file=".env", extra="ignore")

    environment: str = "production"
    database_url: str
    redis_url: str = "redis://localhost:6379/0"

    jwt_secret: SecretStr
    jwt_algorithm: str = "HS256"
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 14 * 24 * 3600

    payco_base_url: str = "https://api.payco.example/v1"
    payco_secret_key: SecretStr
    payco_webhook_secret: SecretStr

    slack_alerts_webhook: str | None = None
    mail_relay_url: str = "http://mail-relay.internal:8025"

    http_timeout_seconds: float = 10.0
    http_connect_timeout_seconds: float = 3.0

    public_base_url: str = "https://app.ledgerline.example"
    exports_dir: str = "/var/lib/ledgerline/exports"
    branding_max_bytes: int = 2_000_000

    login_attempts_per_minute: int = 5


@lru_cache
def get_settings() -> Settings:
    return Settings()
