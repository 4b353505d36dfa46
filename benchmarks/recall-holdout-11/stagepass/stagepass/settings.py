import os
from decimal import Decimal
from functools import lru_cache


def _env(name, default=None):
    return os.environ.get(f"STAGEPASS_{name}", default)


def _required(name):
    value = _env(name)
    if not value:
        raise RuntimeError(f"STAGEPASS_{name} must be set")
    return value


def _bool(name, default=False):
    raw = _env(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _list(name, default=""):
    return [item.strip() for item in _env(name, default).split(",") if item.strip()]


class Settings:
    def __init__(self):
        self.debug = _bool("DEBUG", False)

        self.database_url = _required("DATABASE_URL")
        self.db_pool_min = int(_env("DB_POOL_MIN", "2"))
        self.db_pool_max = int(_env("DB_POOL_MAX", "10"))
        self.db_statement_timeout_ms = int(_env("DB_STATEMENT_TIMEOUT_MS", "5000"))
        self.redis_url = _env("REDIS_URL", "redis://localhost:6379/0")

        self.jwt_secret = _required("JWT_SECRET")
        self.jwt_issuer = _env("JWT_ISSUER", "stagepass")
        self.access_token_ttl = int(_env("ACCESS_TOKEN_TTL", "900"))
        self.refresh_token_ttl = int(_env("REFRESH_TOKEN_TTL", str(14 * 24 * 3600)))
        self.cookie_domain = _env("COOKIE_DOMAIN")

        self.paygate_base_url = _env("PAYGATE_BASE_URL", "https://api.paygate.example/v2")
        self.paygate_api_key = _required("PAYGATE_API_KEY")
        self.paygate_webhook_secret = _env("PAYGATE_WEBHOOK_SECRET", "whsec_4fJ9qLx2VnT8rK0pZs61HbWc")
        self.partner_api_key = _required("PARTNER_API_KEY")
        self.mailer_base_url = _env("MAILER_BASE_URL", "https://mail.internal.stagepass.example")
        self.mailer_api_key = _required("MAILER_API_KEY")
        self.cdn_base_url = _env("CDN_BASE_URL", "https://cdn.stagepass.example")

        self.http_connect_timeout = float(_env("HTTP_CONNECT_TIMEOUT", "3.05"))
        self.http_read_timeout = float(_env("HTTP_READ_TIMEOUT", "10"))

        self.cors_origins = _list("CORS_ORIGINS", "https://app.stagepass.example")
        self.max_body_bytes = int(_env("MAX_BODY_BYTES", str(1024 * 1024)))
        self.export_dir = _env("EXPORT_DIR", "/var/lib/stagepass/exports")
        self.ticket_pdf_dir = _env("TICKET_PDF_DIR", "/var/lib/stagepass/tickets")
        self.poster_dir = _env("POSTER_DIR", "/var/lib/stagepass/posters")
        self.poster_max_bytes = int(_env("POSTER_MAX_BYTES", str(5 * 1024 * 1024)))

        self.service_fee_rate = Decimal(_env("SERVICE_FEE_RATE", "0.05"))
        self.commission_rate = Decimal(_env("COMMISSION_RATE", "0.08"))
        self.hold_minutes = int(_env("HOLD_MINUTES", "15"))
        self.max_tickets_per_order = int(_env("MAX_TICKETS_PER_ORDER", "10"))

        self.login_max_attempts = int(_env("LOGIN_MAX_ATTEMPTS", "5"))
        self.login_window_seconds = int(_env("LOGIN_WINDOW_SECONDS", "900"))
        self.reset_code_ttl = int(_env("RESET_CODE_TTL", "900"))
        self.search_rate_limit = int(_env("SEARCH_RATE_LIMIT", "120"))
        self.reset_rate_limit = int(_env("RESET_RATE_LIMIT", "5"))


@lru_cache(maxsize=1)
def get_settings():
    return Settings()
