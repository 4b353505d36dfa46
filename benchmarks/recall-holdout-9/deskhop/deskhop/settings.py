from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache


def _list(name: str) -> list[str]:
    return [v.strip() for v in os.environ.get(name, "").split(",") if v.strip()]


@dataclass(frozen=True)
class Settings:
    database_dsn: str
    jwt_secret: str
    kiosk_secret: str
    feed_secret: str
    payflow_url: str
    payflow_api_key: str
    payflow_webhook_secret: str
    calendar_webhook_secret: str
    export_dir: str = "/var/lib/deskhop/exports"
    access_token_minutes: int = 30
    db_pool_min: int = 2
    db_pool_max: int = 20
    http_timeout_seconds: float = 10.0
    cors_origins: list[str] = field(default_factory=list)
    debug: bool = False


@lru_cache
def get_settings() -> Settings:
    return Settings(
        database_dsn=os.environ["DATABASE_DSN"],
        jwt_secret=os.environ["JWT_SECRET"],
        kiosk_secret=os.environ["KIOSK_SECRET"],
        feed_secret=os.environ["FEED_SECRET"],
        payflow_url=os.environ.get("PAYFLOW_URL", "https://api.payflow.example/v1"),
        payflow_api_key=os.environ["PAYFLOW_API_KEY"],
        payflow_webhook_secret=os.environ["PAYFLOW_WEBHOOK_SECRET"],
        calendar_webhook_secret=os.environ["CALENDAR_WEBHOOK_SECRET"],
        export_dir=os.environ.get("EXPORT_DIR", "/var/lib/deskhop/exports"),
        cors_origins=_list("CORS_ORIGINS"),
        debug=os.environ.get("DESKHOP_DEBUG", "0") == "1",
    )
