import os
from datetime import timedelta


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "postgresql://leasehold@localhost/leasehold")
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 5}

    SESSION_COOKIE_NAME = "lh_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)

    WTF_CSRF_TIME_LIMIT = 3600
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    PASSWORD_SALT = os.environ.get("PASSWORD_SALT", "")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", "/var/lib/leasehold/uploads")
    DOCUMENTS_FOLDER = os.environ.get("DOCUMENTS_FOLDER", "/var/lib/leasehold/documents")
    WKHTMLTOPDF_BIN = os.environ.get("WKHTMLTOPDF_BIN", "/usr/local/bin/wkhtmltopdf")

    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/1")
    CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "redis://localhost:6379/2")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "redis://localhost:6379/3")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_FROM = os.environ.get("MAIL_FROM", "no-reply@leasehold.example")

    RENTPAY_BASE_URL = os.environ.get("RENTPAY_BASE_URL", "https://api.rentpay.example/v1")
    RENTPAY_API_KEY = os.environ.get("RENTPAY_API_KEY")
    RENTPAY_WEBHOOK_SECRET = os.environ.get("RENTPAY_WEBHOOK_SECRET", "")
    RENTPAY_CA_BUNDLE = os.environ.get("RENTPAY_CA_BUNDLE", True)

    SCREENING_BASE_URL = os.environ.get("SCREENING_BASE_URL", "https://screening.tenantcheck.example/api")
    SCREENING_API_KEY = os.environ.get("SCREENING_API_KEY")

    HTTP_TIMEOUT = float(os.environ.get("HTTP_TIMEOUT", "10"))
    LATE_FEE_GRACE_DAYS = 5
    ITEMS_PER_PAGE = 25


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_ECHO = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"
    WTF_CSRF_ENABLED = False
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_ENABLED = False


class ProductionConfig(Config):
    DEBUG = False
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
