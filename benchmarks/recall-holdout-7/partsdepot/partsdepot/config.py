import os


def _bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes")


class BaseConfig:
    SECRET_KEY = os.environ["SECRET_KEY"]
    JWT_SECRET = os.environ["JWT_SECRET"]
    JWT_ISSUER = "partsdepot"
    JWT_ACCESS_TTL_SECONDS = int(os.environ.get("JWT_ACCESS_TTL_SECONDS", "900"))

    DATABASE_URL = os.environ["DATABASE_URL"]
    REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")

    API_TITLE = "PartsDepot API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    CORS_ORIGINS = [o for o in os.environ.get("CORS_ORIGINS", "").split(",") if o]
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    RATELIMIT_DEFAULT = "300/minute"

    PRICING_API_URL = os.environ.get("PRICING_API_URL", "https://pricing.partsdepot.internal")
    PRICING_API_TOKEN = os.environ.get("PRICING_API_TOKEN", "")
    ERP_BASE_URL = os.environ.get("ERP_BASE_URL", "https://erp.partsdepot.internal:8443")
    ERP_USERNAME = os.environ.get("ERP_USERNAME", "")
    ERP_PASSWORD = os.environ.get("ERP_PASSWORD", "")
    CARRIER_API_URL = os.environ.get("CARRIER_API_URL", "https://api.shipbridge.example/v3")
    CARRIER_API_KEY = os.environ.get("CARRIER_API_KEY", "")
    PAYMENTS_API_URL = os.environ.get("PAYMENTS_API_URL", "https://api.paygrid.example/v1")
    PAYMENTS_API_KEY = os.environ.get("PAYMENTS_API_KEY", "")

    FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")
    EXPORT_DIR = os.environ.get("EXPORT_DIR", "/var/lib/partsdepot/exports")
    ATTACHMENT_DIR = os.environ.get("ATTACHMENT_DIR", "/var/lib/partsdepot/attachments")
    LABEL_DIR = os.environ.get("LABEL_DIR", "/var/lib/partsdepot/labels")
    PRICE_CACHE_SECONDS = 300

    DEBUG = False
    TESTING = False


class DevelopmentConfig(BaseConfig):
    DEBUG = True
    SQLALCHEMY_ECHO = True


class ProductionConfig(BaseConfig):
    PREFERRED_URL_SCHEME = "https"
    SESSION_COOKIE_SECURE = True


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig}


def get_config(name=None):
    return CONFIGS[name or os.environ.get("PARTSDEPOT_ENV", "production")]
