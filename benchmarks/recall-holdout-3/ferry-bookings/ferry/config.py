import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    database_dsn: str
    jwt_secret: str
    jwt_ttl_seconds: int
    refresh_ttl_seconds: int
    payments_base_url: str
    payments_api_key: str
    payments_webhook_secret: str
    weather_base_url: str
    smtp_host: str
    smtp_port: int
    mail_from: str
    hold_minutes: int
    max_page_size: int


def load_settings() -> Settings:
    return Settings(
        database_dsn=os.environ["FERRY_DATABASE_DSN"],
        jwt_secret=os.environ["FERRY_JWT_SECRET"],
        jwt_ttl_seconds=int(os.environ.get("FERRY_JWT_TTL", "900")),
        refresh_ttl_seconds=int(os.environ.get("FERRY_REFRESH_TTL", "1209600")),
        payments_base_url=os.environ["FERRY_PAYMENTS_URL"],
        payments_api_key=os.environ["FERRY_PAYMENTS_API_KEY"],
        payments_webhook_secret=os.environ["FERRY_PAYMENTS_WEBHOOK_SECRET"],
        weather_base_url=os.environ.get("FERRY_WEATHER_URL", "https://marine-weather.internal"),
        smtp_host=os.environ.get("FERRY_SMTP_HOST", "localhost"),
        smtp_port=int(os.environ.get("FERRY_SMTP_PORT", "25")),
        mail_from=os.environ.get("FERRY_MAIL_FROM", "bookings@example-ferries.com"),
        hold_minutes=int(os.environ.get("FERRY_HOLD_MINUTES", "15")),
        max_page_size=int(os.environ.get("FERRY_MAX_PAGE_SIZE", "100")),
    )
