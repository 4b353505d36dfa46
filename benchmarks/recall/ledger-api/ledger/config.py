"""Configuration objects for the ledger service.

The active configuration is chosen with ``LEDGER_ENV`` (``production`` by default).
Secrets are only ever read from the environment.
"""
import os


class BaseConfig:
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", "postgresql+psycopg2://ledger@localhost:5432/ledger"
    )
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 5}

    JWT_SECRET = os.environ.get("LEDGER_JWT_SECRET")
    JWT_ISSUER = "ledger-api"
    JWT_TTL_SECONDS = int(os.environ.get("LEDGER_JWT_TTL", "900"))

    FX_SERVICE_URL = os.environ.get("FX_SERVICE_URL", "http://fx.internal:8080")
    PAYOUT_GATEWAY_URL = os.environ.get("PAYOUT_GATEWAY_URL")
    PAYOUT_GATEWAY_KEY = os.environ.get("PAYOUT_GATEWAY_KEY")

    REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/3")

    STATEMENT_PAGE_SIZE = 50
    LOGIN_ATTEMPTS_PER_MINUTE = 5
    SIGNUPS_PER_MINUTE = 3


class DevelopmentConfig(BaseConfig):
    DEBUG = True
    SQLALCHEMY_ECHO = True
    JWT_SECRET = os.environ.get("LEDGER_JWT_SECRET", "")


class ProductionConfig(BaseConfig):
    DEBUG = False
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
}


def get_config():
    return CONFIGS[os.environ.get("LEDGER_ENV", "production")]
