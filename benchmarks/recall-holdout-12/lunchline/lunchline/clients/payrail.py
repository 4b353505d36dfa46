import logging
from decimal import Decimal
from functools import lru_cache

from urllib3.util.retry import Retry

from lunchline import settings
from lunchline.clients.http import build_session

log = logging.getLogger(__name__)


class PaymentDeclined(Exception):
    pass


class PayRailClient:
    def __init__(self, session, base_url):
        self.session = session
        self.base_url = base_url.rstrip("/")

    def charge(self, *, customer_ref, amount: Decimal, description, idempotency_key=None):
        headers = {}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        payload = {
            "customer": customer_ref,
            "amount_minor": int((amount * 100).to_integral_value()),
            "currency": "GBP",
            "description": description,
        }
        resp = self.session.post(f"{self.base_url}/charges", json=payload, headers=headers)
        if resp.status_code == 402:
            raise PaymentDeclined(resp.json().get("decline_code", "declined"))
        resp.raise_for_status()
        body = resp.json()
        log.info("payrail charge %s created for customer %s", body["id"], customer_ref)
        return body


@lru_cache(maxsize=1)
def build_payrail_client():
    retry = Retry(
        total=4,
        backoff_factor=1.0,
        status_forcelist=(500, 502, 503, 504),
        allowed_methods=None,
    )
    session = build_session(retry=retry, headers={"Authorization": f"Bearer {settings.PAYRAIL_API_KEY}"})
    return PayRailClient(session, settings.PAYRAIL_BASE_URL)
