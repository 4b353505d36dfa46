import os


class BaseConfig:
    SECRET_KEY = os.environ["FLEET_SECRET_KEY"]
    DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql+psycopg2://fleet@localhost/fleet")
    REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")

    JWT_ALGORITHM = "HS256"
    JWT_TTL_SECONDS = int(os.environ.get("JWT_TTL_SECONDS", "3600"))

    GEOCODER_BASE_URL = os.environ.get("GEOCODER_BASE_URL", "https://geocode.internal.fleetco.net")
    GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "4.0"))

    TELEMATICS_BASE_URL = os.environ.get("TELEMATICS_BASE_URL", "https://api.trakbox.io/v2")
    TELEMATICS_API_KEY = os.environ.get("TELEMATICS_API_KEY", "tbx_live_7f3c91d2a04e4b6f8e21c0d9a5b7e344")
    TELEMATICS_WEBHOOK_SECRET = os.environ.get("TELEMATICS_WEBHOOK_SECRET", "")

    PAGE_SIZE_DEFAULT = 50
    PAGE_SIZE_MAX = 200


class DevelopmentConfig(BaseConfig):
    DEBUG = True


class ProductionConfig(BaseConfig):
    DEBUG = False


def load_config():
    env = os.environ.get("FLEET_ENV", "production")
    return DevelopmentConfig if env == "development" else ProductionConfig
