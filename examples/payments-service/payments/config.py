import os


class Config:
    SECRET_KEY = "9f2c1a7be4d84e0fa1c3b5d7e9f10234"
    DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://payments:payments@db:5432/payments")
    PROVIDER_URL = "https://api.payprovider.example/v1"
    PROVIDER_API_KEY = "sk_live_51HcQ2kLmNoPqRsTuVwXyZ0123456789abcdef"
