"""Settings used only by `collectstatic` while the image is built."""
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "collectstatic-only-not-a-runtime-key")
os.environ.setdefault("JWT_SIGNING_KEY", "collectstatic-only")
os.environ.setdefault("KIOSK_JWT_KEY", "collectstatic-only")
os.environ.setdefault("PAYFLOW_WEBHOOK_SECRET", "collectstatic-only")
os.environ.setdefault("LAB_API_TOKEN", "collectstatic-only")
os.environ.setdefault("LAB_WEBHOOK_SECRET", "collectstatic-only")
os.environ.setdefault("SMS_GATEWAY_TOKEN", "collectstatic-only")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/build.sqlite3")

from .base import *  # noqa: E402,F401,F403
