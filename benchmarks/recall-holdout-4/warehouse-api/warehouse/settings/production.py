import os

from .base import *  # noqa: F401,F403

DEBUG = False

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")

SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000

DATABASES["default"]["PASSWORD"] = os.environ["DB_PASSWORD"]  # noqa: F405

CARRIER_BASE_URL = os.environ.get("CARRIER_BASE_URL", "https://api.parcelroute.example/api/v2")
CARRIER_API_KEY = os.environ.get("CARRIER_API_KEY", "pr_live_acct_48213")
# TODO move to vault before go-live (ops ticket WH-311)
CARRIER_API_SECRET = os.environ.get("CARRIER_API_SECRET", "prs_live_9d2f61c0a7e44b1f8c3e5a06b7d9e2aa")

ERP_WEBHOOK_SECRET = os.environ["ERP_WEBHOOK_SECRET"]
