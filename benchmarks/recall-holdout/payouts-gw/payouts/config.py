import os


class Config:
    SECRET_KEY = os.environ["PAYOUTS_SECRET_KEY"]
    DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql+psycopg2://payouts@db/payouts")
    REDIS_URL = os.environ.get("REDIS_URL", "redis://redis:6379/3")

    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    MAX_CONTENT_LENGTH = 256 * 1024

    BANK_API_URL = os.environ.get("BANK_API_URL", "https://api.partnerbank.example/v3")
    BANK_CLIENT_ID = os.environ.get("BANK_CLIENT_ID", "payouts-gw")
    BANK_CLIENT_SECRET = os.environ.get("BANK_CLIENT_SECRET", "pbk_live_Zq8H2nV4xT6mR1sK9wL3cY7uE5aD0fGj")
    BANK_WEBHOOK_SECRET = os.environ.get("BANK_WEBHOOK_SECRET", "")
    BANK_TIMEOUT = (3.05, 20)

    ACCOUNT_KEY_HEX = os.environ.get("ACCOUNT_KEY_HEX", "")
    DEFAULT_PAGE_SIZE = 50
    MAX_PAGE_SIZE = 200
    ADMIN_API_TOKEN = os.environ.get("ADMIN_API_TOKEN")
