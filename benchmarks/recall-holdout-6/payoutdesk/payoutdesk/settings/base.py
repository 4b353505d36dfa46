"""Settings shared by every environment; dev.py and prod.py override them."""
import os
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django_rq",
    "core",
    "accounts",
    "sellers",
    "payouts",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.auth.ApiTokenMiddleware",
    "core.middleware.JsonErrorMiddleware",
]

ROOT_URLCONF = "payoutdesk.urls"
WSGI_APPLICATION = "payoutdesk.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("PGDATABASE", "payoutdesk"),
        "USER": os.environ.get("PGUSER", "payoutdesk"),
        "PASSWORD": os.environ.get("PGPASSWORD", ""),
        "HOST": os.environ.get("PGHOST", "localhost"),
        "PORT": os.environ.get("PGPORT", "5432"),
        "CONN_MAX_AGE": 60,
        "OPTIONS": {"connect_timeout": 5},
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://localhost:6379/1"),
    }
}

RQ_QUEUES = {
    "default": {"URL": os.environ.get("RQ_REDIS_URL", "redis://localhost:6379/2"), "DEFAULT_TIMEOUT": 300},
    "payouts": {"URL": os.environ.get("RQ_REDIS_URL", "redis://localhost:6379/2"), "DEFAULT_TIMEOUT": 600},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# outbound services
PSP_BASE_URL = os.environ.get("PSP_BASE_URL", "https://api.sandbox.paybridge.example")
PSP_API_KEY = os.environ.get("PSP_API_KEY", "")
PSP_WEBHOOK_SECRET = os.environ.get("PSP_WEBHOOK_SECRET", "")
FX_BASE_URL = os.environ.get("FX_BASE_URL", "https://fx.internal.example")

# payout policy
PAYOUT_CURRENCIES = ("EUR", "GBP", "USD")
PAYOUT_MIN_AMOUNT = Decimal("10.00")
PAYOUT_FEE_RATE = Decimal("0.0125")
INSTANT_PAYOUT_FEE_RATE = Decimal("0.0150")
PAYOUT_CONFIRMATION_THRESHOLD = Decimal("5000.00")
LOGIN_MAX_ATTEMPTS = 5
LOGIN_LOCKOUT_SECONDS = 900
PAGE_SIZE = 50

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", "http://localhost:5173")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "payouts@marketplace.example")
EMAIL_TIMEOUT = 10
