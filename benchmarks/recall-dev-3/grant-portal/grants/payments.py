import hashlib
import hmac
import logging
from decimal import Decimal
from functools import lru_cache

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

log = logging.getLogger(__name__)


class PayoutError(Exception):
    pass


class PayoutsClient:
    def __init__(self, session: requests.Session, base_url: str, timeout: float):
        self._session = session
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout

    def create_payout(self, *, amount: Decimal, account_name: str, account_number: str,
                      routing_number: str, reference: str, idempotency_key: str | None = None) -> dict:
        headers = {}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        resp = self._session.post(
            f"{self._base_url}/payouts",
            json={
                "amount": str(amount),
                "currency": "USD",
                "beneficiary": {"name": account_name, "account": account_number, "routing": routing_number},
                "reference": reference,
            },
            headers=headers,
            timeout=self._timeout,
        )
        if resp.status_code >= 400:
            raise PayoutError(f"payout rejected: {resp.status_code}")
        return resp.json()

    def get_payout(self, payout_id: str) -> dict:
        resp = self._session.get(f"{self._base_url}/payouts/{payout_id}", timeout=self._timeout)
        resp.raise_for_status()
        return resp.json()


@lru_cache(maxsize=1)
def payouts_client() -> PayoutsClient:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {settings.PAYMENTS_API_TOKEN}"
    # Only reads are retried; POST /payouts is left to the caller.
    retry = Retry(total=3, backoff_factor=0.5, status_forcelist=(502, 503, 504), allowed_methods=frozenset({"GET"}))
    session.mount("https://", HTTPAdapter(max_retries=retry, pool_maxsize=10))
    return PayoutsClient(session, settings.PAYMENTS_BASE_URL, settings.PAYMENTS_TIMEOUT_SECONDS)


def verify_webhook_signature(body: bytes, header_value: str) -> bool:
    secret = settings.PAYMENTS_WEBHOOK_SECRET.encode()
    if not secret or not header_value:
        return False
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header_value)
