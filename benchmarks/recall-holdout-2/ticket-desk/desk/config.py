import os
from dataclasses import dataclass


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str
    attachment_dir: str
    slack_webhook_url: str | None
    mail_api_url: str
    mail_api_key: str
    crm_base_url: str
    crm_api_key: str
    spam_check_url: str
    inbound_email_secret: str
    billing_webhook_secret: str
    session_ttl: int = 8 * 3600
    max_upload_bytes: int = 20 * 1024 * 1024
    sla_interval: int = 60
    page_size_max: int = 100
    db_pool_max: int = 10

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        return cls(
            database_url=env["DATABASE_URL"],
            redis_url=env.get("REDIS_URL", "redis://localhost:6379/0"),
            attachment_dir=env.get("ATTACHMENT_DIR", "/var/lib/ticket-desk/attachments"),
            slack_webhook_url=env.get("SLACK_WEBHOOK_URL") or None,
            mail_api_url=env["MAIL_API_URL"],
            mail_api_key=env["MAIL_API_KEY"],
            crm_base_url=env["CRM_BASE_URL"],
            crm_api_key=env["CRM_API_KEY"],
            spam_check_url=env["SPAM_CHECK_URL"],
            inbound_email_secret=env["INBOUND_EMAIL_SECRET"],
            billing_webhook_secret=env["BILLING_WEBHOOK_SECRET"],
            session_ttl=_int("SESSION_TTL", 8 * 3600),
            max_upload_bytes=_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024),
            sla_interval=_int("SLA_INTERVAL", 60),
            page_size_max=_int("PAGE_SIZE_MAX", 100),
            db_pool_max=_int("DB_POOL_MAX", 10),
        )
