import os
from decimal import Decimal


def _env(name, default=None, required=False):
    value = os.environ.get(name, default)
    if required and not value:
        raise RuntimeError(f"missing required setting {name}")
    return value


ENV = _env("LUNCHLINE_ENV", "production")
DEBUG = ENV == "development"

DATABASE_URL = _env("DATABASE_URL", "postgresql+psycopg2://lunchline@localhost/lunchline")
DB_POOL_SIZE = int(_env("DB_POOL_SIZE", "10"))
DB_STATEMENT_TIMEOUT_MS = int(_env("DB_STATEMENT_TIMEOUT_MS", "5000"))

REDIS_URL = _env("REDIS_URL", "redis://localhost:6379/0")
REDIS_HOST = _env("REDIS_HOST", "localhost")

JWT_SECRET = _env("LUNCHLINE_JWT_SECRET", required=True)
JWT_ISSUER = "lunchline"
ACCESS_TOKEN_TTL_SECONDS = 15 * 60
RESET_TOKEN_TTL_SECONDS = 30 * 60

PAYRAIL_BASE_URL = _env("PAYRAIL_BASE_URL", "https://api.payrail.io/v2")
PAYRAIL_API_KEY = _env("PAYRAIL_API_KEY", "prk_live_5f2c9a71e04b4d8e9c3a1b6d7e8f9012")
PAYRAIL_WEBHOOK_SECRET = _env("PAYRAIL_WEBHOOK_SECRET", required=True)

NOTIFY_BASE_URL = _env("NOTIFY_BASE_URL", "https://notify.internal.lunchline.io")
NOTIFY_API_TOKEN = _env("NOTIFY_API_TOKEN", "")

HTTP_CONNECT_TIMEOUT = float(_env("HTTP_CONNECT_TIMEOUT", "3.05"))
HTTP_READ_TIMEOUT = float(_env("HTTP_READ_TIMEOUT", "10"))

SUPPLIER_FEED_HOSTS = frozenset(
    h.strip() for h in _env("SUPPLIER_FEED_HOSTS", "feeds.freshtray.co.uk,api.schoolfood.net").split(",") if h.strip()
)
LOGO_MAX_BYTES = 512 * 1024

CORS_ORIGINS = [o.strip() for o in _env("CORS_ORIGINS", "https://app.lunchline.io").split(",") if o.strip()]
MAX_BODY_BYTES = 1024 * 1024

LOGIN_MAX_ATTEMPTS = int(_env("LOGIN_MAX_ATTEMPTS", "5"))
LOGIN_WINDOW_SECONDS = 15 * 60

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100

LOW_BALANCE_THRESHOLD = Decimal(_env("LOW_BALANCE_THRESHOLD", "5.00"))
SIBLING_DISCOUNT = Decimal("0.10")
MAX_TOPUP = Decimal("250.00")
