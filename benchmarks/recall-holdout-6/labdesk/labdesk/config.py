"""Runtime settings, read once from the environment at start-up."""
from __future__ import annotations

import os
from dataclasses import dataclass, field


def _bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def _list(name: str) -> list[str]:
    raw = os.environ.get(name, "")
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class Settings:
    database_dsn: str
    jwt_secret: str
    jwt_issuer: str
    service_token: str
    partner_base_url: str
    partner_api_key: str
    partner_webhook_secret: str
    notifier_base_url: str
    notifier_api_key: str
    report_dir: str
    wkhtmltopdf_bin: str = "wkhtmltopdf"
    debug: bool = False
    db_pool_min: int = 2
    db_pool_max: int = 10
    max_upload_bytes: int = 5 * 1024 * 1024
    page_size_max: int = 200
    poll_interval_s: int = 60
    attachment_hosts: list[str] = field(default_factory=list)
    allowed_origins: list[str] = field(default_factory=list)


def load_settings() -> Settings:
    return Settings(
        database_dsn=os.environ["LABDESK_DATABASE_DSN"],
        jwt_secret=os.environ.get("LABDESK_JWT_SECRET", "labdesk-local-signing-key"),
        jwt_issuer=os.environ.get("LABDESK_JWT_ISSUER", "https://auth.labdesk.internal"),
        service_token=os.environ["LABDESK_SERVICE_TOKEN"],
        partner_base_url=os.environ["LABDESK_PARTNER_BASE_URL"],
        partner_api_key=os.environ["LABDESK_PARTNER_API_KEY"],
        partner_webhook_secret=os.environ["LABDESK_PARTNER_WEBHOOK_SECRET"],
        notifier_base_url=os.environ["LABDESK_NOTIFIER_BASE_URL"],
        notifier_api_key=os.environ["LABDESK_NOTIFIER_API_KEY"],
        report_dir=os.environ.get("LABDESK_REPORT_DIR", "/var/lib/labdesk/reports"),
        wkhtmltopdf_bin=os.environ.get("LABDESK_WKHTMLTOPDF", "wkhtmltopdf"),
        debug=_bool("LABDESK_DEBUG"),
        db_pool_min=_int("LABDESK_DB_POOL_MIN", 2),
        db_pool_max=_int("LABDESK_DB_POOL_MAX", 10),
        max_upload_bytes=_int("LABDESK_MAX_UPLOAD_BYTES", 5 * 1024 * 1024),
        page_size_max=_int("LABDESK_PAGE_SIZE_MAX", 200),
        poll_interval_s=_int("LABDESK_POLL_INTERVAL_S", 60),
        attachment_hosts=_list("LABDESK_ATTACHMENT_HOSTS"),
        allowed_origins=_list("LABDESK_ALLOWED_ORIGINS"),
    )
