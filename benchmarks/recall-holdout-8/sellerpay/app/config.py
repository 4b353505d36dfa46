"""Runtime configuration for the SellerPay API and worker.

Every value can be overridden with an environment variable carrying the
``SELLERPAY_`` prefix (see ``.env.example``).
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_prefix="SELLERPAY_",
        extra="ignore",
    )

    environment: str = "development"
    debug: bool = False
    service_name: str = "sellerpay-api"
    api_prefix: str = "/api/v1"

    # --- database -----------------------------------------------------------
    database_url: str = "postgresql+asyncpg://sellerpay@localhost:5432/sellerpay"
    db_pool_size: int = 10
    db_max_overflow: int = 5
    db_pool_timeout: float = 5.0
    db_statement_timeout_ms: int = 5000

    # --- redis / arq --------------------------------------------------------
    redis_url: str = "redis://localhost:6379/0"
    redis_socket_timeout: float = 2.0
    arq_queue_name: str = "sellerpay:queue"

    # --- auth ---------------------------------------------------------------
    jwt_secret: SecretStr
    jwt_algorithm: str = "HS256"
    jwt_issuer: str = "sellerpay"
    jwt_audience: str = "sellerpay-api"
    access_token_ttl_minutes: int = 30
    password_hash_rounds: int = 12

    # --- payment provider (Paystream) ---------------------------------------
    provider_base_url: str = "https://api.paystream.example/v2"
    provider_api_key: SecretStr = SecretStr("ps_live_4f9c2e7a1b8d4e6f9a0c3b5d7e1f2a4c")
    provider_webhook_secret: SecretStr = Field(default=...)
    provider_timeout_seconds: float = 10.0
    provider_connect_timeout_seconds: float = 3.0
    provider_signature_header: str = "X-Paystream-Signature"

    # --- FX -----------------------------------------------------------------
    fx_base_url: str = "https://fx.internal.example/api"
    fx_cache_ttl_seconds: int = 300

    # --- payouts ------------------------------------------------------------
    min_payout_amount: Decimal = Decimal("10.00")
    max_payout_amount: Decimal = Decimal("50000.00")
    instant_payout_fee_bps: int = 150
    default_fee_rate_bps: int = 250
    settlement_poll_attempts: int = 6
    settlement_poll_interval_seconds: float = 2.0

    # --- KYC ----------------------------------------------------------------
    kyc_bucket: str = "sellerpay-kyc"
    kyc_max_document_bytes: int = 10 * 1024 * 1024
    kyc_allowed_content_types: tuple[str, ...] = ("application/pdf", "image/png", "image/jpeg")

    # --- webhooks -------------------------------------------------------------
    webhook_delivery_timeout_seconds: float = 5.0
    webhook_max_attempts: int = 8

    # --- reports --------------------------------------------------------------
    report_cache_ttl_seconds: int = 120


@lru_cache
def get_settings() -> Settings:
    return Settings()
