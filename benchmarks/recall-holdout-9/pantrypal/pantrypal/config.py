import os
from datetime import timedelta


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


class Config:
    SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    SECRET_KEY = os.environ["SECRET_KEY"]
    JWT_SECRET_KEY = os.environ["JWT_SECRET_KEY"]
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=15)
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=14)
    JWT_TOKEN_LOCATION = ["headers"]

    MAGIC_LINK_SECRET = os.environ["MAGIC_LINK_SECRET"]
    FRONTEND_URL = os.environ.get("FRONTEND_URL", "https://app.pantrypal.example")
    CORS_ORIGINS = [o for o in os.environ.get("CORS_ORIGINS", "").split(",") if o]

    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/1")
    CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "redis://localhost:6379/2")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "redis://localhost:6379/3")

    S3_BUCKET = os.environ.get("S3_BUCKET", "pantrypal-media")
    S3_REGION = os.environ.get("S3_REGION", "eu-west-1")
    INVOICE_DIR = os.environ.get("INVOICE_DIR", "/var/lib/pantrypal/invoices")
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024

    PAYGATE_URL = os.environ.get("PAYGATE_URL", "https://api.paygate.example/v2")
    PAYGATE_WEBHOOK_SECRET = os.environ.get("PAYGATE_WEBHOOK_SECRET", "")
    GEOCODER_URL = os.environ.get("GEOCODER_URL", "https://geo.internal.example")

    DEBUG = _bool("FLASK_DEBUG")
    PROPAGATE_EXCEPTIONS = False


class TestConfig(Config):
    TESTING = True
