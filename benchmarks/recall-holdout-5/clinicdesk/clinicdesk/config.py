import os


def _bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes"}


class Config:
    SECRET_KEY = os.environ["CLINICDESK_SECRET_KEY"]
    DEBUG = _bool("CLINICDESK_DEBUG")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", "postgresql+psycopg2://clinicdesk@localhost/clinicdesk"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 10, "pool_timeout": 5}
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024

    API_TITLE = "ClinicDesk"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"

    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/1")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "redis://localhost:6379/2")

    SESSION_TTL_HOURS = int(os.environ.get("SESSION_TTL_HOURS", "12"))
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", "/srv/clinicdesk/uploads")
    LETTER_TEMPLATE_DIR = os.environ.get("LETTER_TEMPLATE_DIR", "/srv/clinicdesk/letters")

    LAB_API_URL = os.environ.get("LAB_API_URL", "https://lab-gateway.example.org/v3")
    LAB_API_TOKEN = os.environ.get("LAB_API_TOKEN", "")
    LAB_TIMEOUT = (3.05, 20)

    SMS_API_URL = os.environ.get("SMS_API_URL", "https://api.textbridge.example.com/v1/messages")
    SMS_API_TOKEN = os.environ.get("SMS_API_TOKEN", "tb_live_6f2c91a4d07e4b1f9a3c58e2d17b04aa")
    SMS_SENDER = os.environ.get("SMS_SENDER", "ClinicDesk")

    KIOSK_API_KEY = os.environ.get("KIOSK_API_KEY", "")
    MAX_IMPORT_ROWS = 5000


class TestConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"
