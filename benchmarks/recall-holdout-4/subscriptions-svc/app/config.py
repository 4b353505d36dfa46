from functools import lru_cache

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="SUBS_", extra="ignore")

    environment: str = "production"
    database_url: str
    redis_url: str = "redis://localhost:6379/0"

    jwt_secret: SecretStr
    access_token_ttl_minutes: int = 30
    refresh_token_ttl_days: int = 14

    payments_base_url: str = "https://api.paygate.example/v1"
    payments_api_key: SecretStr
    payments_webhook_secret: SecretStr
    webhook_tolerance_seconds: int = 300

    mailer_url: str = "http://mailer.internal:8080/send"
    vat_service_url: str = "https://vat.paygate.example/check"

    cors_origins: list[str] = ["*"]
    frontend_base_url: str = "https://app.acme-subs.example"
    allowed_redirect_hosts: list[str] = ["app.acme-subs.example", "checkout.acme-subs.example"]

    reset_token_ttl_minutes: int = 30
    entitlements_cache_seconds: int = 60


@lru_cache
def get_settings() -> Settings:
    return Settings()
